package tokenize

import (
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/internal/testutil"
)

// FuzzTokenize checks the token invariants on any input: in bounds, on UTF-8 boundaries, sorted,
// non-overlapping, non-empty, labelled, no white space at an edge; and quote pairs are well formed.
func FuzzTokenize(f *testing.F) {
	testutil.Fuzz(f, func(t *testing.T, text string) {
		mid := len(text) / 2
		for mid > 0 && mid < len(text) && text[mid]&0xC0 == 0x80 {
			mid--
		}
		paras := []newsgraph.Span{{Start: 0, End: mid}, {Start: mid, End: len(text)}}
		toks := Append(nil, text, 0, mid)
		toks = Append(toks, text, mid, len(text))
		Pair(text, toks, paras)
		if msg := checkTokens(text, toks); msg != "" {
			t.Fatalf("%s in %q", msg, text)
		}
		opens, closes := map[string]int{}, map[string]int{}
		for _, tok := range toks {
			switch tok.Label {
			case QuoteOpen:
				opens[tok.ID]++
			case QuoteClose:
				closes[tok.ID]++
			}
		}
		for id, n := range closes {
			if n != 1 || opens[id] == 0 {
				t.Fatalf("pair %s: %d opening, %d closing marks in %q", id, opens[id], n, text)
			}
		}
		for id := range opens {
			if closes[id] != 1 {
				t.Fatalf("pair %s has no closing mark in %q", id, text)
			}
		}
	})
}
