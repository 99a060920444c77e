package clean

import (
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/internal/uni"
)

// FuzzAnalyze checks the clean-up invariants on any input: paragraphs and boilerplate are valid
// spans, paragraphs are non-empty, disjoint and trimmed, every boilerplate line lies inside a
// boilerplate or byline paragraph, and the dateline lies inside the text.
func FuzzAnalyze(f *testing.F) {
	testutil.Fuzz(f, func(t *testing.T, text string) {
		r := Analyze(text)
		if err := newsgraph.CheckSpans(text, r.Paragraphs); err != nil {
			t.Fatalf("paragraphs: %v in %q", err, text)
		}
		if err := newsgraph.CheckSpans(text, r.Boilerplate); err != nil {
			t.Fatalf("boilerplate: %v in %q", err, text)
		}
		for i, p := range r.Paragraphs {
			if p.Start >= p.End {
				t.Fatalf("empty paragraph %d in %q", i, text)
			}
			if i > 0 && r.Paragraphs[i-1].End > p.Start {
				t.Fatalf("paragraphs %d and %d overlap in %q", i-1, i, text)
			}
			if s, e := uni.TrimSpan(text, p.Start, p.End); s != p.Start || e != p.End {
				t.Fatalf("paragraph %d is not trimmed: %q", i, text[p.Start:p.End])
			}
		}
		for _, b := range r.Boilerplate {
			inside := false
			for _, p := range r.Paragraphs {
				if p.Contains(b) && !newsgraph.IsContent(p) {
					inside = true
				}
			}
			if !inside {
				t.Fatalf("boilerplate %q outside a boilerplate paragraph in %q", text[b.Start:b.End], text)
			}
		}
		if dl := r.Dateline; dl != nil && (dl.Start < 0 || dl.End > len(text) || dl.Start > dl.End) {
			t.Fatalf("dateline [%d,%d) out of bounds in %q", dl.Start, dl.End, text)
		}
		if r.Title >= len(r.Paragraphs) {
			t.Fatalf("title index %d out of range", r.Title)
		}
	})
}
