// Package conll reads and writes CoNLL-2003 column files: one token a line with its columns
// separated by white space, blank lines between sentences, and "-DOCSTART-" lines between documents.
package conll

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Sentence is one sentence: a row of columns per token. The token is the first column.
type Sentence struct {
	Rows [][]string
}

// Tokens returns the first column.
func (s Sentence) Tokens() []string {
	out := make([]string, len(s.Rows))
	for i, r := range s.Rows {
		out[i] = r[0]
	}
	return out
}

// Column returns column k (negative counts from the end: -1 is the last), or "" where a row is
// shorter.
func (s Sentence) Column(k int) []string {
	out := make([]string, len(s.Rows))
	for i, r := range s.Rows {
		j := k
		if j < 0 {
			j += len(r)
		}
		if j >= 0 && j < len(r) {
			out[i] = r[j]
		}
	}
	return out
}

// Document is the sentences between two -DOCSTART- lines. DocStart keeps the line that opened it
// ("" for sentences before any -DOCSTART-).
type Document struct {
	DocStart  string
	Sentences []Sentence
}

// Read reads a CoNLL file. Lines are split on white space; "-DOCSTART-" starts a new document.
func Read(r io.Reader) ([]Document, error) {
	var docs []Document
	var cur *Document
	var sent Sentence
	flush := func() {
		if len(sent.Rows) > 0 {
			if cur == nil {
				docs = append(docs, Document{})
				cur = &docs[len(docs)-1]
			}
			cur.Sentences = append(cur.Sentences, sent)
			sent = Sentence{}
		}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
			flush()
		case f[0] == "-DOCSTART-":
			flush()
			docs = append(docs, Document{DocStart: line})
			cur = &docs[len(docs)-1]
		default:
			sent.Rows = append(sent.Rows, f)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("conll: %w", err)
	}
	flush()
	return docs, nil
}

// Write writes documents back in the same layout, each row's columns joined by one space, with
// extra[d][s][i] appended to row i of sentence s of document d when extra is not nil.
func Write(w io.Writer, docs []Document, extra [][][]string) error {
	bw := bufio.NewWriter(w)
	for d, doc := range docs {
		if doc.DocStart != "" {
			bw.WriteString(doc.DocStart)
			if extra != nil {
				bw.WriteString(" O") // every line keeps the same number of columns, as conlleval wants
			}
			bw.WriteString("\n\n")
		}
		for s, sent := range doc.Sentences {
			for i, row := range sent.Rows {
				bw.WriteString(strings.Join(row, " "))
				if extra != nil {
					bw.WriteByte(' ')
					bw.WriteString(extra[d][s][i])
				}
				bw.WriteByte('\n')
			}
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}
