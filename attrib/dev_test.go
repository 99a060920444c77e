package attrib_test

import (
	"context"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/attrib"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/internal/testutil"
)

// Floors TestDevFloor holds the built-in model to on PolNeAR dev (docs/eval.md).
const (
	minRelationF1 = 0.665
	minFullF1     = 0.630
)

// TestDevFloor guards the built-in model's relation and full F1 on PolNeAR dev: a drop fails.
func TestDevFloor(t *testing.T) {
	dir := testutil.SharedData(t, "polnear/dev")
	arts, err := attrib.LoadPolNeAR(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	p, err := engine.Entities()
	if err != nil {
		t.Fatal(err)
	}
	var exs []attrib.Example
	for _, a := range arts {
		d := newsgraph.NewDoc(a.Text, newsgraph.Meta{})
		if err := p.Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		exs = append(exs, attrib.Example{Doc: d, Relations: a.Relations})
	}
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := attrib.Evaluate(m, exs)
	t.Logf("relation F1 %.4f, full F1 %.4f", s.Relation.F1(), s.Full.F1())
	if s.Relation.F1() < minRelationF1 || s.Full.F1() < minFullF1 {
		t.Errorf("relation F1 %.4f (floor %.2f), full F1 %.4f (floor %.2f)", s.Relation.F1(), minRelationF1, s.Full.F1(), minFullF1)
	}
}
