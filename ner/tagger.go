package ner

import "strings"

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
func (m *Model) NewTagger() *Tagger { return &Tagger{m: m, x: extractor{lex: m.lex, mined: m.mined}} }

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
		t.retype(sents[i], tags)
		out[i] = tags
	}
	return out
}

// retype gives an entity the type its name implies in the gazetteer, where every list that names
// it agrees on one type ("Taliban": an organisation; "Ramadan": an event), over the model's guess.
func (t *Tagger) retype(words, tags []string) {
	for _, c := range Chunks(tags) {
		lower := make([]string, 0, c.End-c.Start)
		for _, w := range words[c.Start:c.End] {
			lower = append(lower, strings.ToLower(w))
		}
		typ := t.m.lex.gaz.typeOfPhrase(lower)
		if typ == "" || typ == c.Type {
			continue
		}
		tags[c.Start] = "B-" + typ
		for k := c.Start + 1; k < c.End; k++ {
			tags[k] = "I-" + typ
		}
	}
}

// tagIDs runs every stage of the model over the document. The local features of each sentence
// are computed once; a later stage adds the non-local ones to them.
func (t *Tagger) tagIDs(sents [][]string) [][]int {
	t.x.doc = newDocStats(sents)
	t.x.nl, t.x.s1 = nil, nil
	local := make([][][]uint64, len(sents))
	toks := make([][]token, len(sents))
	prev := make([][]int, len(sents))
	for i, s := range sents {
		t.feats, t.back = t.x.sentence(s, t.feats, t.back)
		local[i] = copyFeats(t.feats)
		toks[i] = append([]token(nil), t.x.toks...)
		prev[i] = t.decode(t.m.stages[0], local[i])
	}
	for _, st := range t.m.stages[1:] {
		t.x.nl = newNonLocal(sents, prev)
		cur := make([][]int, len(sents))
		for i := range sents {
			t.x.s1 = prev[i]
			feats := t.feats[:0]
			back := t.back[:0]
			for k, fs := range local[i] {
				start := len(back)
				back = append(back, fs...)
				back = t.x.nonLocalFeatures(back, toks[i][k], k)
				feats = append(feats, back[start:len(back):len(back)])
			}
			feats = rebase(feats, back)
			t.feats, t.back = feats, back
			cur[i] = t.decode(st, feats)
		}
		prev = cur
	}
	return prev
}

// copyFeats copies a sentence's features into one new backing array.
func copyFeats(feats [][]uint64) [][]uint64 {
	n := 0
	for _, f := range feats {
		n += len(f)
	}
	back := make([]uint64, 0, n)
	out := make([][]uint64, len(feats))
	for i, f := range feats {
		start := len(back)
		back = append(back, f...)
		out[i] = back[start:len(back):len(back)]
	}
	return out
}

// rebase points each token's features into the final back array (append may have moved it).
func rebase(feats [][]uint64, back []uint64) [][]uint64 {
	off := 0
	for i := range feats {
		n := len(feats[i])
		feats[i] = back[off : off+n : off+n]
		off += n
	}
	return feats
}

func (t *Tagger) decode(st *stage, feats [][]uint64) []int {
	n := len(feats)
	if cap(t.sc) < n {
		t.sc = make([][nTags]float32, n)
		t.bp = make([][nTags]int8, n)
	}
	sc, bp := t.sc[:n], t.bp[:n]
	out := make([]int, n)
	st.scores(feats, sc)
	st.viterbi(sc, out, bp)
	return out
}
