package timex_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/timex"
)

// Floors TestDevFloor holds the built-in model and resolver to on TempEval-3 dev (models/timex).
const (
	minStrict  = 0.86
	minRelaxed = 0.91
	minValue   = 0.83
)

// TestDevFloor guards strict and relaxed span F1 and value F1 on TempEval-3 dev: a drop fails.
func TestDevFloor(t *testing.T) {
	dir := testutil.SharedData(t, "tempeval3/dev")
	docs, err := timex.LoadTimeML(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := engine.Timex()
	if err != nil {
		t.Fatal(err)
	}
	var s timex.Scores
	for _, doc := range docs {
		d := newsgraph.NewDoc(doc.Text, newsgraph.Meta{Date: doc.DCT, Input: newsgraph.Input{Path: filepath.Join(dir, doc.Name)}})
		if err := p.Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		s.Add(doc.Timexes, timex.TimeMLTimexes(d.Layer(newsgraph.LayerTimexes)))
	}
	t.Logf("strict F1 %.4f, relaxed F1 %.4f, type F1 %.4f, value F1 %.4f", s.F1(s.Strict), s.F1(s.Relaxed), s.F1(s.TypeOK), s.F1(s.ValueOK))
	if s.F1(s.Strict) < minStrict || s.F1(s.Relaxed) < minRelaxed || s.F1(s.ValueOK) < minValue {
		t.Errorf("strict F1 %.4f (floor %.2f), relaxed F1 %.4f (floor %.2f), value F1 %.4f (floor %.2f)",
			s.F1(s.Strict), minStrict, s.F1(s.Relaxed), minRelaxed, s.F1(s.ValueOK), minValue)
	}
}
