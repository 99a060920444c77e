package attrib_test

import (
	"context"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/internal/testutil"
)

// FuzzAttributions runs the default pipeline on any input and checks the attribution layers: the
// span invariants (SetLayer checks them), every relation with a content and (but a continuation) a
// cue, roles and quotations naming existing relations, parents that exist and never loop, and the
// JSON-facing ordering.
func FuzzAttributions(f *testing.F) {
	p, err := engine.New()
	if err != nil {
		f.Fatal(err)
	}
	// Seeds for the quotation rules: lost paragraph breaks, continuations, a layout attribution,
	// "as saying", nested quotations.
	for _, s := range []string{
		"Wenger said: \"You don't think I would drop him? I don't do that. \"I have to give him a run.\"",
		"\"Search was important,\" said Urs Holzle. \"We knew.\" \"People didn't.\"\n\n\"Later.\"",
		"\"This is a pilot,\" underlined Carlos Saldarriaga. \"Yes!\" she wondered.",
		"\"We will strike,\" Reuters reports a union source as saying.",
		"Tony Blair said so.\n\n\"We call it 'the third way'. \"It works.\" Then A spokesman for the BBC, who left, said: \"No.\"",
	} {
		f.Add(s)
	}
	testutil.Fuzz(f, func(t *testing.T, text string) {
		d := newsgraph.NewDoc(text, newsgraph.Meta{})
		if err := p.Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, d)
		for _, q := range d.Layer(newsgraph.LayerQuotes) {
			if q.ID == "" || q.End <= q.Start {
				t.Fatalf("quotation %q without an id or empty", d.SpanText(q))
			}
		}
	})
}
