package ner

import (
	"fmt"
	"io"
	"math/rand"
)

// Sentence is a training sentence: words and their gold IOB2 tags.
type Sentence struct {
	Words, Tags []string
}

// Doc is a training document (document-level features read all its sentences).
type Doc []Sentence

// TrainOptions control training.
type TrainOptions struct {
	Epochs int       // passes over the training data (default 10)
	Seed   int64     // shuffles the document order each epoch; the same seed gives the same model
	Log    io.Writer // progress and dev scores per epoch, if not nil
	// Score returns the dev F1 of a model; it is called after each epoch when not nil, and the model
	// of the best epoch is returned.
	Score func(*Model) float64
	// MinWeight drops, after training, feature rows whose averaged weights are all smaller in
	// magnitude: they change almost no decision and make the model large.
	MinWeight float32
}

type trainer struct {
	m     *Model
	u     []float64 // sum of c*update per weight, for averaging
	ut    [nTags + 1][nTags]float64
	c     float64
	fidx  func(uint64) int32
	feats [][]uint64
	back  []uint64
}

// Train trains a model on docs with the structured averaged perceptron.
func Train(docs []Doc, opts TrainOptions) (*Model, error) {
	if opts.Epochs <= 0 {
		opts.Epochs = 10
	}
	gold := make([][][]int, len(docs))
	for d, doc := range docs {
		gold[d] = make([][]int, len(doc))
		for s, sent := range doc {
			if len(sent.Words) != len(sent.Tags) {
				return nil, fmt.Errorf("ner: document %d sentence %d: %d words, %d tags", d, s, len(sent.Words), len(sent.Tags))
			}
			ids := make([]int, len(sent.Tags))
			for i, t := range sent.Tags {
				id, ok := tagIndex(t)
				if !ok {
					return nil, fmt.Errorf("ner: document %d sentence %d: unknown tag %q (IOB2 tags of PER, ORG, LOC, MISC expected)", d, s, t)
				}
				ids[i] = id
			}
			gold[d][s] = ids
		}
	}
	g, err := defaultGazetteer()
	if err != nil {
		return nil, err
	}
	tr := &trainer{m: newModel()}
	tr.m.gaz = g
	rng := rand.New(rand.NewSource(opts.Seed))
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	x := extractor{gaz: g}
	var best *Model
	bestF := -1.0
	for ep := 1; ep <= opts.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		mistakes, tokens := 0, 0
		for _, d := range order {
			doc := docs[d]
			words := make([][]string, len(doc))
			for s := range doc {
				words[s] = doc[s].Words
			}
			x.doc = newDocStats(words)
			for s, sent := range doc {
				tr.c++
				tr.feats, tr.back = x.sentence(sent.Words, tr.feats, tr.back)
				mistakes += tr.learn(tr.feats, gold[d][s])
				tokens += len(sent.Words)
			}
		}
		avg := tr.averaged(opts.MinWeight)
		msg := fmt.Sprintf("epoch %2d: %d of %d training tokens mistagged, %d features", ep, mistakes, tokens, len(avg.index))
		if opts.Score != nil {
			f := opts.Score(avg)
			msg += fmt.Sprintf(", dev F1 %.2f", 100*f)
			if f > bestF {
				best, bestF = avg, f
			}
		} else {
			best = avg
		}
		if opts.Log != nil {
			fmt.Fprintln(opts.Log, msg)
		}
	}
	return best, nil
}

// learn decodes one sentence and, where it is wrong, moves the weights towards the gold tags.
func (tr *trainer) learn(feats [][]uint64, gold []int) int {
	n := len(gold)
	sc := make([][nTags]float32, n)
	bp := make([][nTags]int8, n)
	pred := make([]int, n)
	tr.m.scores(feats, sc)
	tr.m.viterbi(sc, pred, bp)
	wrong := 0
	for i := 0; i < n; i++ {
		if pred[i] != gold[i] {
			wrong++
			for _, f := range feats[i] {
				tr.update(f, gold[i], 1)
				tr.update(f, pred[i], -1)
			}
		}
		gp, pp := nTags, nTags
		if i > 0 {
			gp, pp = gold[i-1], pred[i-1]
		}
		if gp != pp || gold[i] != pred[i] {
			tr.m.trans[gp][gold[i]]++
			tr.ut[gp][gold[i]] += tr.c
			tr.m.trans[pp][pred[i]]--
			tr.ut[pp][pred[i]] -= tr.c
		}
	}
	return wrong
}

func (tr *trainer) update(f uint64, tag int, d float32) {
	k, ok := tr.m.index[f]
	if !ok {
		k = int32(len(tr.m.index))
		tr.m.index[f] = k
		tr.m.w = append(tr.m.w, make([]float32, nTags)...)
		tr.u = append(tr.u, make([]float64, nTags)...)
	}
	i := int(k)*nTags + tag
	tr.m.w[i] += d
	tr.u[i] += tr.c * float64(d)
}

// averaged returns the averaged model (w - u/c), dropping rows whose weights are all below min.
func (tr *trainer) averaged(min float32) *Model {
	m := newModel()
	m.gaz = tr.m.gaz
	for f, k := range tr.m.index {
		row := make([]float32, nTags)
		keep := false
		for t := 0; t < nTags; t++ {
			i := int(k)*nTags + t
			v := float32(float64(tr.m.w[i]) - tr.u[i]/tr.c)
			row[t] = v
			if v > min || v < -min {
				keep = true
			}
		}
		if keep {
			m.index[f] = int32(len(m.index))
			m.w = append(m.w, row...)
		}
	}
	for p := 0; p <= nTags; p++ {
		for t := 0; t < nTags; t++ {
			m.trans[p][t] = float32(float64(tr.m.trans[p][t]) - tr.ut[p][t]/tr.c)
		}
	}
	return m
}
