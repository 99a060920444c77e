package attrib

import (
	"fmt"
	"io"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/internal/seq"
)

// Example is a training document: the document after the pipeline up to entities, and its gold
// relations.
type Example struct {
	Doc       *newsgraph.Doc
	Relations []Relation
}

// TrainOptions control Train.
type TrainOptions struct {
	Epochs int   // passes over the data per tagger (default 8)
	Seed   int64 // the same seed and data give the same model
	Log    io.Writer
	// Negatives adds role-tagger examples without a relation: words that are cue words elsewhere
	// (at least five times) but not there, one in NegEvery of them, so that the role tagger can
	// reject a cue the cue tagger proposes.
	Negatives bool
	NegEvery  int
	// CueBias is added to the cue tagger's cue scores when the model runs: with Negatives, a
	// higher bias proposes more cues and leaves the role tagger to reject them.
	CueBias float32
	// CueMinWeight and RoleMinWeight drop the feature rows of the cue and the role tagger whose
	// averaged weights are all smaller in magnitude (default 1 and 5): a smaller model, faster to
	// read, at little cost in accuracy (see models/attrib/README.md).
	CueMinWeight, RoleMinWeight float32
	// CueHeads trains the cue tagger on the verbs, nouns, adjectives and adverbs of each cue only
	// (or its punctuation, for a cue of punctuation alone), not on its function words.
	CueHeads bool
}

func headWord(v *view, k int) bool {
	p := v.pos[k]
	return len(p) >= 2 && (p[:2] == "VB" || p[:2] == "NN" || p[:2] == "JJ" || p[:2] == "RB")
}

func allPunct(v *view, set map[int]bool) bool {
	for k := range set {
		if !isPunct(v.toks[k].Label) {
			return false
		}
	}
	return true
}

// Train trains the cue and role taggers on the examples.
func Train(exs []Example, opts TrainOptions) (*Model, error) {
	if opts.Epochs <= 0 {
		opts.Epochs = 8
	}
	if opts.CueMinWeight <= 0 {
		opts.CueMinWeight = 1
	}
	if opts.RoleMinWeight <= 0 {
		opts.RoleMinWeight = 5
	}
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, format+"\n", args...)
		}
	}
	syn, err := defaultSyntax()
	if err != nil {
		return nil, err
	}
	tg := syn.NewTagger()
	var cueData, roleData []seq.Seq
	lost, negatives := 0, 0
	views := make([]*view, len(exs))
	cueLemmas := map[string]int{}
	triggerCount := map[string]int{}
	lemmaCount := map[string]int{}
	for i, ex := range exs {
		v := newView(ex.Doc, tg)
		views[i] = v
		for _, l := range v.lemma {
			lemmaCount[l]++
		}
		for _, r := range ex.Relations {
			cue := v.tokenSet(r.Cue)
			for k := range cue {
				if !isPunct(v.toks[k].Label) {
					cueLemmas[v.lemma[k]]++
				}
				if headWord(v, k) || allPunct(v, cue) {
					triggerCount[v.lemma[k]]++
				}
			}
		}
	}
	// Triggers: lemmas of cue words seen at least twice as one, and in at least 2% of their
	// occurrences (not "be" or "have", which serve in long cues but mostly elsewhere).
	triggers := map[string]bool{}
	for l, n := range triggerCount {
		if n >= 2 && 50*n >= lemmaCount[l] {
			triggers[l] = true
		}
	}
	for xi, ex := range exs {
		v := views[xi]
		cueTok := make([]bool, len(v.toks))
		type gold struct {
			cs, ce   int
			src, con map[int]bool
		}
		var golds []gold
		for _, r := range ex.Relations {
			cue := v.tokenSet(r.Cue)
			if len(cue) == 0 {
				lost++
				continue
			}
			for k := range cue {
				if !opts.CueHeads || headWord(v, k) || allPunct(v, cue) {
					cueTok[k] = true
				}
			}
			run := firstRun(cue)
			golds = append(golds, gold{run[0], run[1], v.tokenSet(r.Source), v.tokenSet(r.Content)})
		}
		bc, ic := 1, 2
		for _, s := range v.sents {
			g := make([]int, s[1]-s[0])
			for i := s[0]; i < s[1]; i++ {
				if cueTok[i] {
					g[i-s[0]] = bc
					if i > s[0] && cueTok[i-1] {
						g[i-s[0]] = ic
					}
				}
			}
			cueData = append(cueData, seq.Seq{Feats: v.cueFeatures(s[0], s[1], s[0], s[1]), Gold: g})
		}
		for _, gd := range golds {
			a, b := v.window(gd.cs)
			g := make([]int, b-a)
			prev := ""
			for i := a; i < b; i++ {
				role := ""
				switch {
				case gd.con[i]:
					role = "CON"
				case gd.src[i]:
					role = "SRC"
				}
				switch {
				case role == "":
					g[i-a] = 0
				case role == prev:
					g[i-a] = labelIndex(roleLabels, "I-"+role)
				default:
					g[i-a] = labelIndex(roleLabels, "B-"+role)
				}
				prev = role
			}
			roleData = append(roleData, seq.Seq{Feats: v.roleFeatures(a, b, gd.cs, gd.ce, cueTok), Gold: g})
		}
		// Negative examples: verbs and words that are cues elsewhere, here without a relation, so
		// that the role tagger learns to find nothing where there is no attribution.
		if opts.Negatives {
			for i := range v.toks {
				if cueTok[i] || cueLemmas[v.lemma[i]] < 5 || isPunct(v.toks[i].Label) {
					continue
				}
				if opts.NegEvery > 1 && (xi*7919+i)%opts.NegEvery != 0 {
					continue
				}
				a, b := v.window(i)
				roleData = append(roleData, seq.Seq{Feats: v.roleFeatures(a, b, i, i+1, cueTok), Gold: make([]int, b-a)})
				negatives++
			}
		}
	}
	logf("attrib: %d cue sequences, %d role sequences (%d of them negative; %d relations whose cue covers no token left out)", len(cueData), len(roleData), negatives, lost)
	progress := func(name string) func(int, *seq.Model, int) float64 {
		return func(ep int, m *seq.Model, mistakes int) float64 {
			logf("%s epoch %2d: %d mistakes, %d features", name, ep, mistakes, m.Features())
			return float64(ep) // the last epoch
		}
	}
	cue, err := seq.Train(cueLabels, cueData, seq.TrainOptions{Epochs: opts.Epochs, Seed: opts.Seed, MinWeight: opts.CueMinWeight, Epoch: progress("cue")})
	if err != nil {
		return nil, err
	}
	role, err := seq.Train(roleLabels, roleData, seq.TrainOptions{Epochs: opts.Epochs, Seed: opts.Seed, MinWeight: opts.RoleMinWeight, Epoch: progress("role")})
	if err != nil {
		return nil, err
	}
	if opts.CueBias != 0 {
		cue.Bias = []float32{0, opts.CueBias, opts.CueBias}
	}
	return &Model{cue: cue, role: role, syn: syn, SubjectCues: true, Layout: true, InferSources: true, ClauseContents: true, triggers: triggers}, nil
}

func labelIndex(labels []string, l string) int {
	for i, x := range labels {
		if x == l {
			return i
		}
	}
	panic("attrib: no label " + l)
}

// tokenSet returns the tokens that overlap the byte-range pieces.
func (v *view) tokenSet(pieces [][2]int) map[int]bool {
	out := map[int]bool{}
	for _, p := range pieces {
		a, b := v.overlapping(p[0], p[1])
		for k := a; k < b; k++ {
			out[k] = true
		}
	}
	return out
}

// firstRun returns the first run of adjacent tokens of a non-empty token set, as [start, end).
func firstRun(m map[int]bool) [2]int {
	first := true
	start := 0
	for k := range m {
		if first || k < start {
			start, first = k, false
		}
	}
	end := start + 1
	for m[end] {
		end++
	}
	return [2]int{start, end}
}
