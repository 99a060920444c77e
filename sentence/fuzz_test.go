package sentence_test

import (
	"context"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/internal/testutil"
)

// FuzzPipeline runs the default pipeline (clean-up, tokens, sentences, entities) on any input and
// checks that the sentences are valid, sorted, disjoint spans that tile the tokens (every token lies
// in exactly one sentence, every sentence starts and ends on a token and lies inside one content
// paragraph) and that every entity lies inside a sentence and has a cluster.
func FuzzPipeline(f *testing.F) {
	p, err := engine.New()
	if err != nil {
		f.Fatal(err)
	}
	testutil.Fuzz(f, func(t *testing.T, text string) {
		d := newsgraph.NewDoc(text, newsgraph.Meta{})
		if err := p.Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		toks := d.Layer(newsgraph.LayerTokens)
		sents := d.Layer(newsgraph.LayerSentences)
		paras := d.Layer(newsgraph.LayerParagraphs)
		k := 0
		for i, s := range sents {
			if i > 0 && sents[i-1].End > s.Start {
				t.Fatalf("sentences %d and %d overlap", i-1, i)
			}
			if k >= len(toks) || toks[k].Start != s.Start {
				t.Fatalf("sentence %d %q does not start on the next token", i, d.SpanText(s))
			}
			for k < len(toks) && toks[k].End <= s.End {
				k++
			}
			if toks[k-1].End != s.End {
				t.Fatalf("sentence %d %q does not end on a token", i, d.SpanText(s))
			}
			in := false
			for _, p := range paras {
				if p.Contains(s) && newsgraph.IsContent(p) {
					in = true
				}
			}
			if !in {
				t.Fatalf("sentence %d %q is not inside one content paragraph", i, d.SpanText(s))
			}
		}
		if k != len(toks) {
			t.Fatalf("%d tokens after the last sentence", len(toks)-k)
		}
		// Entities (the default pipeline tags them too) lie inside one sentence each.
		for _, e := range d.Layer(newsgraph.LayerEntities) {
			in := false
			for _, s := range sents {
				in = in || s.Contains(e)
			}
			if !in || e.Attr("cluster") == "" {
				t.Fatalf("entity %q is outside every sentence or has no cluster", d.SpanText(e))
			}
		}
	})
}
