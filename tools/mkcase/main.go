// Command mkcase builds ner/data/case.tsv: how often each word of unlabeled news text is written
// with a capital away from the start of a sentence, and how often in lower case. The NER tagger
// reads it as a prior on whether a word is a name, which matters most where the text gives no case
// to go by (the first word of a sentence, headlines in capitals). Run from the repository root:
//
//	go run ./tools/mkcase -data ../shared/data/news-text -out ner/data/case.tsv
//
// Output lines: "word<TAB>capitalised<TAB>lower", the word lower-cased, sorted; words seen fewer
// than -min times are left out.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/source"
)

func main() {
	data := flag.String("data", "../shared/data/news-text", "folder of unlabeled news text (.txt)")
	out := flag.String("out", "ner/data/case.tsv", "output file")
	min := flag.Int("min", 3, "leave out words seen fewer times")
	flag.Parse()
	p, err := engine.Text()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkcase:", err)
		os.Exit(1)
	}
	type counts struct{ capital, lower int }
	c := map[string]*counts{}
	docs := 0
	ctx := context.Background()
	err = source.Read(ctx, []string{*data}, source.Options{}, func(it source.Item) error {
		if it.Err != nil || it.Notice() {
			return nil
		}
		d := newsgraph.NewDoc(it.Text, it.Meta)
		if err := p.Process(ctx, d); err != nil {
			return err
		}
		docs++
		toks := d.Layer(newsgraph.LayerTokens)
		for _, s := range d.Layer(newsgraph.LayerSentences) {
			a, b := newsgraph.Covering(toks, s.Start, s.End)
			words := toks[a:b]
			if allCaps(d, words) {
				continue // a headline in capitals says nothing about case
			}
			first := true
			for _, t := range words {
				w := d.SpanText(t)
				r, _ := utf8.DecodeRuneInString(w)
				if !unicode.IsLetter(r) {
					continue
				}
				if first {
					first = false
					continue
				}
				l := strings.ToLower(w)
				k := c[l]
				if k == nil {
					k = &counts{}
					c[l] = k
				}
				if unicode.IsUpper(r) {
					k.capital++
				} else {
					k.lower++
				}
			}
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkcase:", err)
		os.Exit(1)
	}
	var words []string
	for w, k := range c {
		if k.capital+k.lower >= *min {
			words = append(words, w)
		}
	}
	sort.Strings(words)
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkcase:", err)
		os.Exit(1)
	}
	bw := bufio.NewWriter(f)
	fmt.Fprintf(bw, "# Built by `go run ./tools/mkcase` from %d articles of ../shared/data/news-text (BBC, Reuters-21578,\n# TempEval-3 silver): word, times capitalised away from a sentence start, times in lower case.\n", docs)
	for _, w := range words {
		fmt.Fprintf(bw, "%s\t%d\t%d\n", w, c[w].capital, c[w].lower)
	}
	if err := bw.Flush(); err != nil || f.Close() != nil {
		fmt.Fprintln(os.Stderr, "mkcase: writing", *out)
		os.Exit(1)
	}
	fmt.Printf("wrote %s: %d words from %d articles\n", *out, len(words), docs)
}

func allCaps(d *newsgraph.Doc, toks []newsgraph.Span) bool {
	letters := false
	for _, t := range toks {
		w := d.SpanText(t)
		if strings.ToUpper(w) != w {
			return false
		}
		letters = letters || strings.IndexFunc(w, unicode.IsLetter) >= 0
	}
	return letters
}
