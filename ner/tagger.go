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
// are computed once, and looked up once for every stage (Model.jointTable); a later stage adds
// the non-local ones to its sums over them.
func (t *Tagger) tagIDs(sents [][]string) [][]int {
	t.x.doc = newDocStats(sents)
	t.x.nl, t.x.s1 = nil, nil
	j := t.m.jointTable()
	stages := t.m.stages
	later := (len(stages) - 1) * nTags // a token's sums of the later stages over its local features
	rest := make([][]float32, len(sents))
	toks := make([][]token, len(sents))
	prev := make([][]int, len(sents))
	sum := make([]float32, len(stages)*nTags)
	for i, s := range sents {
		t.feats, t.back = t.x.sentence(s, t.feats, t.back)
		toks[i] = append([]token(nil), t.x.toks...)
		sc, bp := t.buffers(len(s))
		rest[i] = make([]float32, len(s)*later)
		for k, fs := range t.feats {
			clear(sum)
			j.fast.AddRows(sum, j.w, fs)
			copy(sc[k][:], sum[:nTags])
			copy(rest[i][k*later:], sum[nTags:])
		}
		prev[i] = make([]int, len(s))
		stages[0].viterbi(sc, prev[i], bp)
	}
	for n, st := range stages[1:] {
		t.x.nl = newNonLocal(sents, prev)
		cur := make([][]int, len(sents))
		for i := range sents {
			t.x.s1 = prev[i]
			sc, bp := t.buffers(len(toks[i]))
			for k, tok := range toks[i] {
				t.back = t.x.nonLocalFeatures(t.back[:0], tok, k)
				copy(sc[k][:], rest[i][k*later+n*nTags:])
				st.fast.AddRows(sc[k][:], st.w, t.back)
			}
			cur[i] = make([]int, len(toks[i]))
			st.viterbi(sc, cur[i], bp)
		}
		prev = cur
	}
	return prev
}

// buffers returns the tagger's score and back-pointer buffers for n tokens.
func (t *Tagger) buffers(n int) ([][nTags]float32, [][nTags]int8) {
	if cap(t.sc) < n {
		t.sc = make([][nTags]float32, n)
		t.bp = make([][nTags]int8, n)
	}
	return t.sc[:n], t.bp[:n]
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
