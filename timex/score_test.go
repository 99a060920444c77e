package timex

import (
	"testing"

	"github.com/newsgraph/newsgraph/format"
)

func TestScores(t *testing.T) {
	gold := []format.TimeMLTimex{
		{Start: 0, End: 9, Type: "DATE", Value: "2015-07-15"}, // found exactly, right value
		{Start: 20, End: 30, Type: "DURATION", Value: "P1W"},  // found with a longer span, wrong type
		{Start: 40, End: 50, Type: "DATE", Value: "2015-06"},  // found exactly, wrong value
		{Start: 60, End: 70, Type: "DATE", Value: "PAST_REF"}, // missed
	}
	found := []format.TimeMLTimex{
		{Start: 0, End: 9, Type: "DATE", Value: "2015-07-15"},
		{Start: 18, End: 30, Type: "DATE", Value: "P1W"},
		{Start: 40, End: 50, Type: "DATE", Value: "2015-07"},
		{Start: 80, End: 85, Type: "DATE", Value: "2015"}, // spurious
	}
	var s Scores
	s.Add(gold, found)
	want := Scores{Gold: 4, Found: 4, Strict: 2, Relaxed: 3, TypeOK: 2, ValueOK: 2}
	if s != want {
		t.Fatalf("got %+v, want %+v", s, want)
	}
	if f := s.F1(s.Relaxed); f != 0.75 {
		t.Errorf("relaxed F1 %v, want 0.75", f)
	}
	if p, r := s.P(s.Strict), s.R(s.ValueOK); p != 0.5 || r != 0.5 {
		t.Errorf("strict P %v, value R %v", p, r)
	}
	// A found expression overlapping two gold ones matches one, the exact one if any.
	s = Scores{}
	s.Add([]format.TimeMLTimex{{Start: 0, End: 5}, {Start: 6, End: 10}}, []format.TimeMLTimex{{Start: 6, End: 10}})
	if s.Strict != 1 || s.Relaxed != 1 {
		t.Errorf("got %+v", s)
	}
}
