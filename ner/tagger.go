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
}

// NewTagger returns a tagger over m.
func (m *Model) NewTagger() *Tagger { return &Tagger{m: m, x: extractor{lex: m.lex}} }

// TagDocument tags the sentences of one document (document-level features need all of them) and
// returns an IOB2 tag per token.
func (t *Tagger) TagDocument(sents [][]string) [][]string {
	ids := t.tagIDs(sents)
	out := make([][]string, len(sents))
	for i, s := range ids {
		tags := make([]string, len(s))
		for k, id := range s {
			tags[k] = Tags[id]
		}
		out[i] = tags
	}
	return out
}

// tagIDs runs every stage of the model over the document.
func (t *Tagger) tagIDs(sents [][]string) [][]int {
	t.x.doc = newDocStats(sents)
	t.x.nl, t.x.s1 = nil, nil
	var prev [][]int
	for k, st := range t.m.stages {
		if k > 0 {
			t.x.nl = newNonLocal(sents, prev)
		}
		cur := make([][]int, len(sents))
		for i, s := range sents {
			if k > 0 {
				t.x.s1 = prev[i]
			}
			cur[i] = t.decode(st, s)
		}
		prev = cur
	}
	return prev
}

func (t *Tagger) decode(st *stage, words []string) []int {
	n := len(words)
	t.feats, t.back = t.x.sentence(words, t.feats, t.back)
	if cap(t.sc) < n {
		t.sc = make([][nTags]float32, n)
		t.bp = make([][nTags]int8, n)
	}
	sc, bp := t.sc[:n], t.bp[:n]
	out := make([]int, n)
	st.scores(t.feats, sc)
	st.viterbi(sc, out, bp)
	return out
}
