package ner

import (
	"fmt"
	"github.com/newsgraph/newsgraph/internal/seq"
	"github.com/newsgraph/newsgraph/internal/table"
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
	Epochs int       // passes over the training data per stage (default 10)
	Seed   int64     // shuffles the document order each epoch; the same seed gives the same model
	Log    io.Writer // progress and dev scores per epoch, if not nil
	// Score returns the dev F1 of a model; it is called after each epoch when not nil, and the model
	// of the best epoch is kept, stage by stage.
	Score func(*Model) float64
	// MinWeight drops, after training, feature rows whose averaged weights are all smaller in
	// magnitude: they change almost no decision and make the model large.
	MinWeight float32
	// Stages is 1 (local features only) or 2 (default: a second stage that also reads the first
	// stage's predictions across the document).
	Stages int
	// Folds is how many parts the training documents are cut into to give the second stage
	// first-stage predictions made by models that did not see them (default 4).
	Folds int
	// NoMined leaves out the features of the entity lists mined from the training data.
	NoMined bool
	// Resources are the optional resources the features read (Brown clusters, vector classes,
	// Freebase lists).
	Resources Resources
	// ClassDropout is the share of word types whose classes are left out in training (chosen by
	// a hash of the word, the same in every epoch), as if the clusters had not seen them. The RCV1
	// clusters were made on the text CoNLL-2003 was drawn from: 5% of its capitalised tokens have
	// no class, against 12% of BBC articles'; without dropout the model learns to lean on classes
	// a new name does not have.
	ClassDropout float64
}

type trainer struct {
	st    *stage
	u     []float64 // sum of c*update per weight, for averaging
	ut    [nTags + 1][nTags]float64
	c     float64
	feats [][]uint64
	back  []uint64
}

// Train trains a model on docs with the structured averaged perceptron.
func Train(docs []Doc, opts TrainOptions) (*Model, error) {
	if opts.Epochs <= 0 {
		opts.Epochs = 10
	}
	if opts.Stages <= 0 {
		opts.Stages = 2
	}
	if opts.Folds <= 1 {
		opts.Folds = 4
	}
	if opts.Stages > 2 {
		return nil, fmt.Errorf("ner: %d stages; 1 or 2 are possible", opts.Stages)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("ner: no training documents")
	}
	if opts.Stages == 2 && len(docs) < 2*opts.Folds {
		return nil, fmt.Errorf("ner: %d training documents: the second stage needs at least %d (the data is cut into %d folds by -DOCSTART- documents); train one stage", len(docs), 2*opts.Folds, opts.Folds)
	}
	gold := make([][][]int, len(docs))
	words := make([][][]string, len(docs))
	for d, doc := range docs {
		gold[d] = make([][]int, len(doc))
		words[d] = make([][]string, len(doc))
		for s, sent := range doc {
			if len(sent.Words) != len(sent.Tags) {
				return nil, fmt.Errorf("ner: document %d sentence %d: %d words, %d tags", d, s, len(sent.Words), len(sent.Tags))
			}
			ids, err := tagIDs(sent.Tags)
			if err != nil {
				return nil, fmt.Errorf("ner: document %d sentence %d: %w", d, s, err)
			}
			gold[d][s] = ids
			words[d][s] = sent.Words
		}
	}
	g, err := defaultLexicon()
	if err != nil {
		return nil, err
	}
	if err := g.load(opts.Resources); err != nil {
		return nil, err
	}
	all := make([]int, len(docs))
	for i := range all {
		all[i] = i
	}
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, format+"\n", args...)
		}
	}
	// The entity lists mined from the training data: a training document sees those of the other
	// folds only (as a new text sees names the training data has but it may not), the final model
	// those of all the documents.
	var minedAll *Gazetteer
	minedFold := make([]*Gazetteer, opts.Folds)
	if !opts.NoMined {
		minedAll = mineLists(all, words, gold)
		for k := range minedFold {
			var in []int
			for d := range docs {
				if d%opts.Folds != k {
					in = append(in, d)
				}
			}
			minedFold[k] = mineLists(in, words, gold)
		}
	}
	minedFor := func(d int) *Gazetteer { return minedFold[d%opts.Folds] }
	var score1 func(*stage) float64
	if opts.Score != nil {
		score1 = func(st *stage) float64 {
			return opts.Score(&Model{lex: g, res: opts.Resources, mined: minedAll, stages: []*stage{st}})
		}
	}
	s1 := trainStage(g, minedFor, all, words, gold, nil, opts, score1, func(m string) { logf("stage 1 %s", m) })
	if opts.Stages == 1 {
		return &Model{lex: g, res: opts.Resources, mined: minedAll, stages: []*stage{s1}}, nil
	}
	// First-stage predictions on the training documents, each from a model that did not see it.
	pred := make([][][]int, len(docs))
	for k := 0; k < opts.Folds; k++ {
		var in, out []int
		for d := range docs {
			if d%opts.Folds == k {
				out = append(out, d)
			} else {
				in = append(in, d)
			}
		}
		st := trainStage(g, minedFor, in, words, gold, nil, opts, nil, nil)
		tg := (&Model{lex: g, res: opts.Resources, mined: minedFold[k], stages: []*stage{st}}).NewTagger()
		for _, d := range out {
			pred[d] = tg.tagIDs(words[d])
		}
		logf("fold %d of %d: first-stage predictions for %d documents", k+1, opts.Folds, len(out))
	}
	var score2 func(*stage) float64
	if opts.Score != nil {
		score2 = func(st *stage) float64 {
			return opts.Score(&Model{lex: g, res: opts.Resources, mined: minedAll, stages: []*stage{s1, st}})
		}
	}
	s2 := trainStage(g, minedFor, all, words, gold, pred, opts, score2, func(m string) { logf("stage 2 %s", m) })
	return &Model{lex: g, res: opts.Resources, mined: minedAll, stages: []*stage{s1, s2}}, nil
}

// trainStage trains one stage on the documents docIDs. With pred (first-stage tags per document)
// it trains a second stage. minedFor gives the mined entity lists a document may see.
func trainStage(g *lexicon, minedFor func(int) *Gazetteer, docIDs []int, words [][][]string, gold [][][]int, pred [][][]int, opts TrainOptions, score func(*stage) float64, log func(string)) *stage {
	tr := &trainer{st: newStage()}
	rng := rand.New(rand.NewSource(opts.Seed))
	order := append([]int(nil), docIDs...)
	x := extractor{lex: g, res: opts.Resources, classDropout: opts.ClassDropout}
	var best *stage
	bestF := -1.0
	for ep := 1; ep <= opts.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		mistakes, tokens := 0, 0
		for _, d := range order {
			x.doc = newDocStats(words[d])
			x.mined = minedFor(d)
			if pred != nil {
				x.nl = newNonLocal(words[d], pred[d])
			}
			for s, sent := range words[d] {
				if pred != nil {
					x.s1 = pred[d][s]
				}
				tr.c++
				tr.feats, tr.back = x.sentence(sent, tr.feats, tr.back)
				mistakes += tr.learn(tr.feats, gold[d][s])
				tokens += len(sent)
			}
		}
		if score == nil && ep < opts.Epochs {
			continue
		}
		avg := tr.averaged(opts.MinWeight)
		msg := fmt.Sprintf("epoch %2d: %d of %d training tokens mistagged, %d features", ep, mistakes, tokens, len(avg.fast.Keys()))
		if score != nil {
			f := score(avg)
			msg += fmt.Sprintf(", dev F1 %.2f", 100*f)
			if f > bestF {
				best, bestF = avg, f
			}
		} else {
			best = avg
		}
		if log != nil {
			log(msg)
		}
	}
	return best
}

// learn decodes one sentence and, where it is wrong, moves the weights towards the gold tags.
func (tr *trainer) learn(feats [][]uint64, gold []int) int {
	n := len(gold)
	sc := make([][nTags]float32, n)
	bp := make([][nTags]int8, n)
	pred := make([]int, n)
	tr.st.scores(feats, sc)
	tr.st.viterbi(sc, pred, bp)
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
			tr.st.trans[gp][gold[i]]++
			tr.ut[gp][gold[i]] += tr.c
			tr.st.trans[pp][pred[i]]--
			tr.ut[pp][pred[i]] -= tr.c
		}
	}
	return wrong
}

func (tr *trainer) update(f uint64, tag int, d float32) {
	k, ok := tr.st.index[f]
	if !ok {
		k = int32(len(tr.st.index))
		tr.st.index[f] = k
		tr.st.w = append(tr.st.w, make([]float32, nTags)...)
		tr.u = append(tr.u, make([]float64, nTags)...)
	}
	i := int(k)*nTags + tag
	tr.st.w[i] += d
	tr.u[i] += tr.c * float64(d)
}

// averaged returns the averaged model (w - u/c), dropping rows whose weights are all below min.
func (tr *trainer) averaged(min float32) *stage {
	m := &stage{}
	keys, w := seq.Average(tr.st.index, tr.st.w, tr.u, tr.c, nTags, func(v float32) bool { return v > min || v < -min })
	m.w = w
	for p := 0; p <= nTags; p++ {
		for t := 0; t < nTags; t++ {
			m.trans[p][t] = float32(float64(tr.st.trans[p][t]) - tr.ut[p][t]/tr.c)
		}
	}
	m.fast = table.New(keys)
	return m
}
