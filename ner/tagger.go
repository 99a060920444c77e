package ner

// Tagger tags sentences with a model. It holds buffers, so use one Tagger per goroutine; the Model
// is shared and read-only.
type Tagger struct {
	m     *Model
	x     extractor
	feats [][]uint64
	back  []uint64
	sc    [][nTags]float32
	bp    [][nTags]int8
	out   []int
}

// NewTagger returns a tagger over m.
func (m *Model) NewTagger() *Tagger { return &Tagger{m: m, x: extractor{gaz: m.gaz}} }

// TagDocument tags the sentences of one document (document-level features need all of them) and
// returns an IOB2 tag per token.
func (t *Tagger) TagDocument(sents [][]string) [][]string {
	t.x.doc = newDocStats(sents)
	out := make([][]string, len(sents))
	for i, s := range sents {
		ids := t.tagIDs(s)
		tags := make([]string, len(ids))
		for k, id := range ids {
			tags[k] = Tags[id]
		}
		out[i] = tags
	}
	return out
}

func (t *Tagger) tagIDs(words []string) []int {
	n := len(words)
	t.feats, t.back = t.x.sentence(words, t.feats, t.back)
	if cap(t.sc) < n {
		t.sc = make([][nTags]float32, n)
		t.bp = make([][nTags]int8, n)
		t.out = make([]int, n)
	}
	sc, bp, out := t.sc[:n], t.bp[:n], t.out[:n]
	t.m.scores(t.feats, sc)
	t.m.viterbi(sc, out, bp)
	return out
}
