package timex

import (
	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/format"
)

// TimeMLTimexes turns a timexes layer into TimeML expressions, for scoring against gold.
func TimeMLTimexes(spans []newsgraph.Span) []format.TimeMLTimex {
	out := make([]format.TimeMLTimex, len(spans))
	for i, s := range spans {
		out[i] = format.TimeMLTimex{Start: s.Start, End: s.End, TID: s.ID, Type: s.Label, Value: s.Attr("value"), Mod: s.Attr("mod")}
	}
	return out
}

// Scores count what TempEval-3 counts for temporal expressions. An expression found matches a gold
// one strictly when their spans are equal and relaxed when they overlap (each gold expression
// matched at most once, in text order). Type and value are scored on the relaxed matches: an
// attribute counts as correct when the matched pair agree on it, so its F1, 2·correct / (found +
// gold), is the relaxed F1 times the attribute's accuracy on matched expressions, as TempEval-3
// reports it.
type Scores struct {
	Gold, Found     int
	Strict, Relaxed int
	TypeOK, ValueOK int
}

// F1 of a count of correct expressions.
func (s Scores) F1(correct int) float64 {
	if s.Gold+s.Found == 0 {
		return 0
	}
	return 2 * float64(correct) / float64(s.Gold+s.Found)
}

// P is the precision of a count of correct expressions.
func (s Scores) P(correct int) float64 {
	if s.Found == 0 {
		return 0
	}
	return float64(correct) / float64(s.Found)
}

// R is the recall of a count of correct expressions.
func (s Scores) R(correct int) float64 {
	if s.Gold == 0 {
		return 0
	}
	return float64(correct) / float64(s.Gold)
}

// Add scores one document's expressions (byte spans of the same text) and adds the counts.
func (s *Scores) Add(gold, found []format.TimeMLTimex) {
	// Empty gold elements (<TIMEX3 …/> or with no text) are skipped, as TempEval-3's scorer does.
	kept := make([]format.TimeMLTimex, 0, len(gold))
	for _, g := range gold {
		if g.End > g.Start {
			kept = append(kept, g)
		}
	}
	gold = kept
	s.Gold += len(gold)
	s.Found += len(found)
	used := make([]bool, len(gold))
	for _, f := range found {
		best := -1
		for k, g := range gold {
			if used[k] || g.Start >= f.End || f.Start >= g.End {
				continue
			}
			if best < 0 || g.Start == f.Start && g.End == f.End {
				best = k
			}
		}
		if best < 0 {
			continue
		}
		g := gold[best]
		used[best] = true
		s.Relaxed++
		if g.Start == f.Start && g.End == f.End {
			s.Strict++
		}
		if g.Type == f.Type {
			s.TypeOK++
		}
		if g.Value == f.Value {
			s.ValueOK++
		}
	}
}
