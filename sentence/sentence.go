// Package sentence splits paragraphs into sentences from their tokens. A paragraph boundary is
// always a sentence boundary; inside a paragraph a sentence ends at . ! ? or a sentence-final
// abbreviation or ellipsis, taking any closing quotes and brackets with it, unless what follows shows
// the sentence goes on: a lower-case word ("," he said), a number after "No.", a name after a title
// ("Gen. Petraeus") or after an abbreviation that is not followed by a sentence starter ("the U.S.
// Government" but "the U.S. The President").
package sentence

import (
	"bufio"
	"context"
	_ "embed"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/tokenize"
)

//go:embed data/starters.txt
var startersData string

var starters = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(startersData))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && w[0] != '#' {
			m[w] = true
		}
	}
	return m
}()

// Component is the rule-based splitter.
type Component struct{}

// Name implements newsgraph.Component.
func (Component) Name() string { return "sentence.rules.v1" }

// Requires implements newsgraph.Component.
func (Component) Requires() []string {
	return []string{newsgraph.LayerParagraphs, newsgraph.LayerTokens}
}

// Assigns implements newsgraph.Component.
func (Component) Assigns() []string { return []string{newsgraph.LayerSentences} }

// Process implements newsgraph.Component.
func (Component) Process(_ context.Context, d *newsgraph.Doc) error {
	toks := d.Layer(newsgraph.LayerTokens)
	var sents []newsgraph.Span
	for _, p := range d.Layer(newsgraph.LayerParagraphs) {
		if !newsgraph.IsContent(p) {
			continue
		}
		a, b := newsgraph.Covering(toks, p.Start, p.End)
		sents = Split(sents, d.Text(), toks[a:b])
	}
	return d.SetLayer(newsgraph.LayerSentences, sents)
}

// MaxTokens bounds a sentence's tokens. The taggers' work and memory grow with a sentence's length,
// and a run of text without sentence ends (a table, a list run together, hostile input: a line of
// 400,000 tokens took 2 GB in the entity tagger) is cut into pieces of at most this many tokens,
// after the last comma, semicolon, colon, dash or closing mark in a piece's second half where
// there is one. News sentences stay below it: of CoNLL-2003's training sentences the longest has
// 124 tokens, and of the 2,225 BBC articles' sentences only one run is longer, a rugby squad list
// of 246 tokens (now two sentences, cut after a comma).
const MaxTokens = 200

// Split appends the sentences of one paragraph, given its tokens, to dst.
func Split(dst []newsgraph.Span, text string, toks []newsgraph.Span) []newsgraph.Span {
	n := len(dst)
	dst = split(dst, text, toks)
	if !anyLonger(dst[n:], toks) {
		return dst
	}
	// Cut the long ones: the sentences are in token order, each a run of whole tokens.
	long := append([]newsgraph.Span(nil), dst[n:]...)
	dst = dst[:n]
	k := 0
	for _, s := range long {
		for k < len(toks) && toks[k].Start < s.Start {
			k++
		}
		j := k
		for j < len(toks) && toks[j].End <= s.End {
			j++
		}
		dst = cut(dst, text, toks[k:j])
		k = j
	}
	return dst
}

func anyLonger(sents, toks []newsgraph.Span) bool {
	if len(toks) <= MaxTokens {
		return false
	}
	k := 0
	for _, s := range sents {
		a := k
		for k < len(toks) && toks[k].End <= s.End {
			k++
		}
		if k-a > MaxTokens {
			return true
		}
	}
	return false
}

// cut appends the sentence made of toks, in pieces of at most MaxTokens tokens.
func cut(dst []newsgraph.Span, text string, toks []newsgraph.Span) []newsgraph.Span {
	for len(toks) > MaxTokens {
		at := MaxTokens
		for k := MaxTokens; k > MaxTokens/2; k-- {
			if softBreak(text, toks[k-1]) {
				at = k
				break
			}
		}
		dst = append(dst, newsgraph.Span{Start: toks[0].Start, End: toks[at-1].End})
		toks = toks[at:]
	}
	if len(toks) > 0 {
		dst = append(dst, newsgraph.Span{Start: toks[0].Start, End: toks[len(toks)-1].End})
	}
	return dst
}

// softBreak reports whether a long run may be cut after t.
func softBreak(text string, t newsgraph.Span) bool {
	switch t.Label {
	case tokenize.Dash, tokenize.QuoteClose:
		return true
	case tokenize.Punct:
		switch text[t.Start:t.End] {
		case ",", ";", ":", ")", "]":
			return true
		}
	}
	return false
}

// split appends the sentences of one paragraph as the rules find them.
func split(dst []newsgraph.Span, text string, toks []newsgraph.Span) []newsgraph.Span {
	start := 0
	quoteEnd := -1 // inside a quotation opened mid-sentence: no boundary before this token
	words := false // the sentence so far has more than opening marks
	for k := 0; k < len(toks); k++ {
		if k > start && opensSentence(text, toks, start, k) {
			dst = append(dst, newsgraph.Span{Start: toks[start].Start, End: toks[k-1].End})
			start = k
			quoteEnd = -1
			words = false
		}
		if toks[k].Label == tokenize.QuoteOpen && words && quoteEnd < k {
			quoteEnd = closeOf(toks, k)
		}
		words = words || !opener(text, toks[k])
		if !candidate(text, toks[k]) {
			continue
		}
		e := extend(text, toks, k+1)
		if e >= len(toks) {
			break
		}
		if e <= quoteEnd {
			continue // inside the quotation, not at its end
		}
		if !boundary(text, toks, start, k, e) {
			continue
		}
		dst = append(dst, newsgraph.Span{Start: toks[start].Start, End: toks[e-1].End})
		start = e
		k = e - 1
		words = false
	}
	if start < len(toks) {
		dst = append(dst, newsgraph.Span{Start: toks[start].Start, End: toks[len(toks)-1].End})
	}
	return dst
}

// maxInlineQuote is the longest quotation, in tokens, opened inside a sentence that is kept whole
// with it; a longer one is split into its own sentences.
const maxInlineQuote = 40

// closeOf returns the index of the closing mark paired with the opening mark at k in this
// paragraph if it comes within maxInlineQuote tokens, or -1. A quotation opened inside a sentence
// ("said "All ... hospital. There are no casualties."") is one sentence with the words around it,
// as news corpora annotate it.
//
// A re-opening mark of the same pair inside the paragraph (a quotation of several paragraphs whose
// breaks the text lost: "… keeper. He deserves another chance. "He has made …") ends the part
// kept whole before it: a paragraph break ends a sentence.
func closeOf(toks []newsgraph.Span, k int) int {
	id := toks[k].ID
	for j := k + 1; j < len(toks) && j <= k+maxInlineQuote; j++ {
		switch {
		case toks[j].Label == tokenize.QuoteClose && toks[j].ID == id:
			return j
		case toks[j].Label == tokenize.QuoteOpen && toks[j].ID == id:
			return j - 1
		}
	}
	return -1
}

// opener reports whether t is an opening mark or a bullet, which can come before a sentence's first
// word.
func opener(text string, t newsgraph.Span) bool {
	if t.Label == tokenize.QuoteOpen || t.Label == tokenize.Quote || t.Label == tokenize.Bullet {
		return true
	}
	s := tokText(text, t)
	return s == "(" || s == "["
}

// opensSentence reports whether token k starts a new sentence whatever precedes it: a bullet, the
// next list marker ("1. The first item 2. The second item"), or a picture credit ("Image: Reuters.").
func opensSentence(text string, toks []newsgraph.Span, start, k int) bool {
	t := toks[k]
	if t.Label == tokenize.Bullet {
		return true
	}
	if k+1 < len(toks) && tokText(text, toks[k+1]) == ":" && credits[tokText(text, t)] {
		return true
	}
	first := start
	if toks[first].Label == tokenize.Bullet {
		first++
	}
	v, ok := marker(text, toks, first)
	if !ok {
		return false
	}
	w, ok := marker(text, toks, k)
	return ok && w == successor(v)
}

var credits = map[string]bool{"Image": true, "Photo": true, "Picture": true, "Credit": true, "Photograph": true}

// marker reads a list marker at token i followed by a capitalised word: "1." "1)" "1.)" "a." "a)".
func marker(text string, toks []newsgraph.Span, i int) (string, bool) {
	if i >= len(toks) {
		return "", false
	}
	s := tokText(text, toks[i])
	j := i + 1
	val := ""
	switch {
	case toks[i].Label == tokenize.Num && len(s) <= 3 && strings.Trim(s, "0123456789") == "":
		val = s
		if j < len(toks) && (tokText(text, toks[j]) == "." || tokText(text, toks[j]) == ")") {
			j++
		} else {
			return "", false
		}
		if j < len(toks) && tokText(text, toks[j-1]) == "." && tokText(text, toks[j]) == ")" {
			j++
		}
	case toks[i].Label == tokenize.Abbr && len(s) == 2 && s[0] >= 'a' && s[0] <= 'z':
		val = s[:1]
		if j < len(toks) && tokText(text, toks[j]) == ")" {
			j++
		}
	case toks[i].Label == tokenize.Word && len(s) == 1 && s[0] >= 'a' && s[0] <= 'z' && j < len(toks) && tokText(text, toks[j]) == ")":
		val = s
		j++
	default:
		return "", false
	}
	return val, j < len(toks) && isUpper(tokText(text, toks[j]))
}

func successor(v string) string {
	if n, err := strconv.Atoi(v); err == nil {
		return strconv.Itoa(n + 1)
	}
	if len(v) == 1 && v[0] < 'z' {
		return string(v[0] + 1)
	}
	return ""
}

func tokText(text string, t newsgraph.Span) string { return text[t.Start:t.End] }

func candidate(text string, t newsgraph.Span) bool {
	switch t.Label {
	case tokenize.Punct:
		s := tokText(text, t)
		return s == "." || s == "!" || s == "?"
	case tokenize.Abbr, tokenize.Ellipsis:
		return true
	}
	return false
}

// extend returns the index after the sentence-final punctuation that starts at k-1: further
// terminal marks and closing quotes and brackets.
func extend(text string, toks []newsgraph.Span, k int) int {
	for k < len(toks) {
		t := toks[k]
		s := tokText(text, t)
		switch {
		case t.Label == tokenize.QuoteClose:
		case t.Label == tokenize.Punct && (s == "." || s == "!" || s == "?" || s == ")" || s == "]"):
		case t.Label == tokenize.Quote && toks[k-1].End == t.Start: // an unpaired mark glued on
		default:
			return k
		}
		k++
	}
	return k
}

// boundary decides whether the sentence that started at token start ends after the terminal token
// k and its closers, given that token e follows.
func boundary(text string, toks []newsgraph.Span, start, k, e int) bool {
	t, next := toks[k], toks[e]
	if next.Label == tokenize.Bullet {
		return true
	}
	w := e // the first word after any opening marks
	for w < len(toks) && (toks[w].Label == tokenize.QuoteOpen || toks[w].Label == tokenize.Quote || tokText(text, toks[w]) == "(" || tokText(text, toks[w]) == "[") {
		w++
	}
	if w >= len(toks) {
		return true
	}
	word := tokText(text, toks[w])
	if startsLower(word) {
		return false
	}
	if next.Label == tokenize.Punct {
		switch tokText(text, next) {
		case ",", ";", ":", "-", "%":
			return false
		}
	}
	s := tokText(text, t)
	if listMarker(text, toks[start:k+1]) {
		return false
	}
	switch t.Label {
	case tokenize.Abbr:
		switch tokenize.Abbrev(s, toks[w].Label == tokenize.Num) {
		case tokenize.AbbrevTitle, tokenize.AbbrevNumber:
			return false
		}
		if toks[w].Label == tokenize.Num {
			return false
		}
		return starters[word] || w > e // a starter, or a quotation opening
	case tokenize.Ellipsis:
		if k > 0 && tokText(text, toks[k-1]) == "[" && k+1 < len(toks) && tokText(text, toks[k+1]) == "]" {
			return w == e && isUpper(word) // an omission marked "[...]" ends the sentence before a capital
		}
		if dots(s) < 4 {
			return false
		}
		return isUpper(word) || toks[w].Label == tokenize.Num
	}
	// . ! ?
	if s == "." {
		if listMarker(text, toks[start:k]) {
			return false
		}
		if next.Label == tokenize.Ellipsis {
			// "compounds. . . . The practice": the period ends the sentence and the ellipsis opens
			// the next, but only if a capitalised word follows it.
			j := e + 1
			for j < len(toks) && (toks[j].Label == tokenize.QuoteClose || toks[j].Label == tokenize.Punct) {
				j++
			}
			return j < len(toks) && isUpper(tokText(text, toks[j]))
		}
		if toks[w].Label == tokenize.Num {
			return listItemAt(text, toks, w)
		}
	}
	return true
}

// listMarker reports whether toks, the sentence so far, is only a list marker: "1", "a", "• 9".
func listMarker(text string, toks []newsgraph.Span) bool {
	if len(toks) > 0 && toks[0].Label == tokenize.Bullet {
		toks = toks[1:]
	}
	if len(toks) != 1 {
		return false
	}
	s := tokText(text, toks[0])
	if toks[0].Label == tokenize.Abbr {
		s = strings.TrimSuffix(s, ".")
	}
	r, n := utf8.DecodeRuneInString(s)
	return toks[0].Label == tokenize.Num && len(s) <= 3 || n == len(s) && unicode.IsLetter(r)
}

// listItemAt reports whether a number at w opens a list item: "2." or "2)" and a capitalised word.
func listItemAt(text string, toks []newsgraph.Span, w int) bool {
	if w+2 >= len(toks) || len(tokText(text, toks[w])) > 3 {
		return false
	}
	m := tokText(text, toks[w+1])
	if m != "." && m != ")" {
		return false
	}
	k := w + 2
	if m == "." && k < len(toks) && tokText(text, toks[k]) == ")" {
		k++
	}
	return k < len(toks) && isUpper(tokText(text, toks[k]))
}

func dots(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case '.':
			n++
		case '…':
			n += 3
		}
	}
	return n
}

// startsLower reports whether a word starts in lower case and is not a brand like eBay or iPhone.
func startsLower(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	if !unicode.IsLower(r) {
		return false
	}
	r2, _ := utf8.DecodeRuneInString(w[n:])
	return !unicode.IsUpper(r2)
}

func isUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}
