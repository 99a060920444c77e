package attrib

import (
	"context"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/clean"
	"github.com/newsgraph/newsgraph/ner"
	"github.com/newsgraph/newsgraph/sentence"
	"github.com/newsgraph/newsgraph/tokenize"
)

// testView returns the attribution view of text after the pipeline up to entities (the engine
// package, which assembles it, imports this one).
func testView(t *testing.T, text string) *view {
	t.Helper()
	p, err := newsgraph.NewPipeline(clean.Component{}, tokenize.Component{}, sentence.Component{}, ner.Component{})
	if err != nil {
		t.Fatal(err)
	}
	d := newsgraph.NewDoc(text, newsgraph.Meta{})
	if err := p.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return newView(d, m.syn.NewTagger())
}

// TestExtendQuotationNested: a content that opens a quotation and holds a nested one that closes
// inside it still runs on to the outer quotation's closing mark.
func TestExtendQuotationNested(t *testing.T) {
	v := testView(t, `Smith said: "We call it 'the third way'. It works for the many. It will win." Then he left.`)
	first, stop, end := -1, -1, -1
	for i, w := range v.words {
		switch {
		case w == "We" && first < 0:
			first = i
		case w == "." && first >= 0 && stop < 0:
			stop = i // the full stop after 'the third way'
		case v.toks[i].Label == tokenize.QuoteClose && v.words[i] == `"`:
			end = i
		}
	}
	if first < 0 || stop < 0 || end < 0 {
		t.Fatalf("tokens not found: %q", v.words)
	}
	var con []int
	for k := first; k <= stop; k++ {
		con = append(con, k)
	}
	got := extendQuotation(v, con, make([]bool, len(v.toks)))
	if got[len(got)-1] != end {
		t.Errorf("content ends at %q (token %d), want the closing mark (token %d)", v.words[got[len(got)-1]], got[len(got)-1], end)
	}
}
