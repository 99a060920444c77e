package timex_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/internal/testutil"
)

// FuzzTimexes runs the temporal pipeline on any input, with and without a document date, and
// checks the layer: spans in order without overlap, IDs t1, t2, … in order, a TIMEX3 type and a
// value on each, anchors naming the document date or an earlier expression.
func FuzzTimexes(f *testing.F) {
	p, err := engine.Timex()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"The message comes a week after the talks on Wednesday, two days later, at 10:35 a.m.",
		"Last month, on the eve of Eid al-Fitr, every Monday since the 1990s, mid-2015.",
	} {
		f.Add(s)
	}
	testutil.Fuzz(f, func(t *testing.T, text string) {
		for _, date := range []string{"", "2015-07-16"} {
			d := newsgraph.NewDoc(text, newsgraph.Meta{Date: date})
			if err := p.Process(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			ids := map[string]bool{}
			last := 0
			for i, x := range d.Layer(newsgraph.LayerTimexes) {
				if x.Start < last || x.End <= x.Start {
					t.Fatalf("timex %d %q overlaps the one before or is empty", i, d.SpanText(x))
				}
				last = x.End
				switch x.Label {
				case "DATE", "TIME", "DURATION", "SET":
				default:
					t.Fatalf("timex %q: type %q", d.SpanText(x), x.Label)
				}
				if x.Attr("value") == "" || !strings.HasPrefix(x.ID, "t") {
					t.Fatalf("timex %q: value %q, id %q", d.SpanText(x), x.Attr("value"), x.ID)
				}
				if a := x.Attr("anchor"); a != "" && a != "dct" && !ids[a] {
					t.Fatalf("timex %q: anchor %q is no earlier expression", d.SpanText(x), a)
				}
				if x.Attr("anchor") == "dct" && date == "" {
					t.Fatalf("timex %q anchored on a document date there is none of", d.SpanText(x))
				}
				ids[x.ID] = true
			}
		}
	})
}
