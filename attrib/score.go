package attrib

import (
	"fmt"
	"io"
	"sort"

	"github.com/newsgraph/newsgraph/syntax"
)

// PRF counts matches for precision, recall and F1. Overlap scores count tokens, the others items.
type PRF struct {
	Correct, Predicted, Gold float64
}

// P is precision.
func (p PRF) P() float64 { return ratio(p.Correct, p.Predicted) }

// R is recall.
func (p PRF) R() float64 { return ratio(p.Correct, p.Gold) }

// F1 is the harmonic mean of P and R.
func (p PRF) F1() float64 {
	if p.P()+p.R() == 0 {
		return 0
	}
	return 2 * p.P() * p.R() / (p.P() + p.R())
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func (p *PRF) add(o PRF) { p.Correct += o.Correct; p.Predicted += o.Predicted; p.Gold += o.Gold }

// Scores are the attribution scores of docs/eval.md.
type Scores struct {
	Relation, Full PRF
	// Exact and Overlap per role ("source", "cue", "content").
	Exact, Overlap map[string]*PRF
	Docs           int
}

// NewScores returns empty scores.
func NewScores() *Scores {
	s := &Scores{Exact: map[string]*PRF{}, Overlap: map[string]*PRF{}}
	for _, r := range Roles {
		s.Exact[r], s.Overlap[r] = &PRF{}, &PRF{}
	}
	return s
}

// Roles are the role names in output order.
var Roles = []string{"source", "cue", "content"}

// tokRel is a relation as sets of word tokens (punctuation and quotation marks left out).
type tokRel struct {
	role [3]map[int]bool // source, cue, content
}

func (v *view) words3(src, cue, con map[int]bool) tokRel {
	var r tokRel
	for i, m := range []map[int]bool{src, cue, con} {
		r.role[i] = map[int]bool{}
		for k := range m {
			if !isPunct(v.toks[k].Label) {
				r.role[i][k] = true
			}
		}
		if len(r.role[i]) == 0 {
			// A role of punctuation alone (a colon or a dash as the cue) keeps it.
			for k := range m {
				r.role[i][k] = true
			}
		}
	}
	return r
}

func shared(a, b map[int]bool) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return n
}

// matches reports whether a predicted relation matches a gold one: the cues share a token and the
// contents share at least half the tokens of the longer content; full also needs the sources to
// share a token, or both to have none.
func matches(p, g tokRel, full bool) bool {
	if shared(p.role[1], g.role[1]) == 0 {
		return false
	}
	long := max(len(p.role[2]), len(g.role[2]))
	if long == 0 || 2*shared(p.role[2], g.role[2]) < long {
		return false
	}
	if !full {
		return true
	}
	if len(p.role[0]) == 0 && len(g.role[0]) == 0 {
		return true
	}
	return shared(p.role[0], g.role[0]) > 0
}

// oneToOne counts the pairs of a one-to-one matching of pred and gold under ok, found greedily:
// pairs with more shared content tokens first, then in text order.
func oneToOne(pred, gold []tokRel, ok func(p, g tokRel) bool, weight func(p, g tokRel) int) (int, [][2]int) {
	type pair struct{ p, g, w int }
	var pairs []pair
	for i, p := range pred {
		for j, g := range gold {
			if ok(p, g) {
				pairs = append(pairs, pair{i, j, weight(p, g)})
			}
		}
	}
	sort.SliceStable(pairs, func(a, b int) bool { return pairs[a].w > pairs[b].w })
	usedP, usedG := map[int]bool{}, map[int]bool{}
	var out [][2]int
	for _, x := range pairs {
		if usedP[x.p] || usedG[x.g] {
			continue
		}
		usedP[x.p], usedG[x.g] = true, true
		out = append(out, [2]int{x.p, x.g})
	}
	return len(out), out
}

// scoreDoc adds one document's scores.
func (s *Scores) scoreDoc(pred, gold []tokRel) {
	s.Docs++
	contentShared := func(p, g tokRel) int { return shared(p.role[2], g.role[2]) }
	n, _ := oneToOne(pred, gold, func(p, g tokRel) bool { return matches(p, g, false) }, contentShared)
	s.Relation.add(PRF{float64(n), float64(len(pred)), float64(len(gold))})
	n, _ = oneToOne(pred, gold, func(p, g tokRel) bool { return matches(p, g, true) }, contentShared)
	s.Full.add(PRF{float64(n), float64(len(pred)), float64(len(gold))})
	for ri, role := range Roles {
		var ps, gs []tokRel
		for _, p := range pred {
			if len(p.role[ri]) > 0 {
				ps = append(ps, p)
			}
		}
		for _, g := range gold {
			if len(g.role[ri]) > 0 {
				gs = append(gs, g)
			}
		}
		same := func(p, g tokRel) bool {
			return len(p.role[ri]) == len(g.role[ri]) && shared(p.role[ri], g.role[ri]) == len(p.role[ri])
		}
		n, _ := oneToOne(ps, gs, same, func(p, g tokRel) int { return 0 })
		s.Exact[role].add(PRF{float64(n), float64(len(ps)), float64(len(gs))})
		sharedRole := func(p, g tokRel) int { return shared(p.role[ri], g.role[ri]) }
		_, pairs := oneToOne(ps, gs, func(p, g tokRel) bool { return sharedRole(p, g) > 0 }, sharedRole)
		o := PRF{}
		for _, x := range pairs {
			o.Correct += float64(sharedRole(ps[x[0]], gs[x[1]]))
		}
		for _, p := range ps {
			o.Predicted += float64(len(p.role[ri]))
		}
		for _, g := range gs {
			o.Gold += float64(len(g.role[ri]))
		}
		s.Overlap[role].add(o)
	}
}

// Write prints the scores as a table.
func (s *Scores) Write(w io.Writer) {
	fmt.Fprintf(w, "documents %d; relations: gold %.0f, found %.0f\n", s.Docs, s.Relation.Gold, s.Relation.Predicted)
	line := func(name string, p PRF) {
		fmt.Fprintf(w, "%-18s precision %6.2f%%  recall %6.2f%%  F1 %6.2f\n", name, 100*p.P(), 100*p.R(), 100*p.F1())
	}
	line("relation", s.Relation)
	line("relation (full)", s.Full)
	for _, r := range Roles {
		line(r+" exact", *s.Exact[r])
	}
	for _, r := range Roles {
		line(r+" overlap", *s.Overlap[r])
	}
}

// scoreExamples scores what predict finds in each example's view against its gold relations.
func scoreExamples(tg *syntax.Tagger, exs []Example, predict func(i int, v *view) []tokRel) *Scores {
	s := NewScores()
	for i, ex := range exs {
		v := newView(ex.Doc, tg)
		var gold []tokRel
		for _, r := range ex.Relations {
			gold = append(gold, v.relTokens(r))
		}
		s.scoreDoc(predict(i, v), gold)
	}
	return s
}

// relTokens is a relation read from brat, as word tokens.
func (v *view) relTokens(r Relation) tokRel {
	return v.words3(v.tokenSet(r.Source), v.tokenSet(r.Cue), v.tokenSet(r.Content))
}

// foundTokens is a relation found here, as word tokens.
func (v *view) foundTokens(f found) tokRel {
	return v.words3(setOf(f.src), setOf(f.cue), setOf(f.con))
}

// Evaluate runs the model over the examples' documents and scores what it finds against their
// gold relations.
func Evaluate(m *Model, exs []Example) *Scores {
	return scoreExamples(m.syn.NewTagger(), exs, func(_ int, v *view) []tokRel {
		var pred []tokRel
		rels, _, _ := m.relations(v, nil, 0)
		for _, r := range rels {
			if r.kind == "continuation" {
				continue // newsgraph's own: PolNeAR has no relation without a cue
			}
			pred = append(pred, v.foundTokens(r.found))
		}
		return pred
	})
}

func setOf(idx []int) map[int]bool {
	m := make(map[int]bool, len(idx))
	for _, i := range idx {
		m[i] = true
	}
	return m
}

// EvaluateGoldCues scores the role tagger alone: it is given the gold cues (each distinct cue
// once) instead of the cue tagger's.
func EvaluateGoldCues(m *Model, exs []Example) *Scores {
	return scoreExamples(m.syn.NewTagger(), exs, func(i int, v *view) []tokRel {
		cues := make([]bool, len(v.toks))
		var spans [][2]int
		seen := map[[2]int]bool{}
		for _, r := range exs[i].Relations {
			c := v.tokenSet(r.Cue)
			if len(c) == 0 {
				continue
			}
			for k := range c {
				cues[k] = true
			}
			if run := firstRun(c); !seen[run] {
				seen[run] = true
				spans = append(spans, run)
			}
		}
		var pred []tokRel
		for _, c := range spans {
			if f, ok := m.roles(v, c[0], c[1], cues); ok {
				pred = append(pred, v.foundTokens(f))
			}
		}
		return pred
	})
}

// EvaluateRelations scores given relations (pred[i] for exs[i], as read from another system's
// brat files) against the examples' gold relations.
func EvaluateRelations(exs []Example, pred [][]Relation) (*Scores, error) {
	if len(pred) != len(exs) {
		return nil, fmt.Errorf("attrib: %d predicted documents for %d gold ones", len(pred), len(exs))
	}
	syn, err := defaultSyntax()
	if err != nil {
		return nil, err
	}
	return scoreExamples(syn.NewTagger(), exs, func(i int, v *view) []tokRel {
		var p []tokRel
		for _, r := range pred[i] {
			p = append(p, v.relTokens(r))
		}
		return p
	}), nil
}

// EvaluateRules scores the rule baseline (ruleExtract) against the examples' gold relations.
func EvaluateRules(exs []Example) (*Scores, error) {
	syn, err := defaultSyntax()
	if err != nil {
		return nil, err
	}
	return scoreExamples(syn.NewTagger(), exs, func(_ int, v *view) []tokRel {
		var pred []tokRel
		for _, f := range ruleExtract(v) {
			pred = append(pred, v.foundTokens(f))
		}
		return pred
	}), nil
}
