package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tagger tags sentences with a model. It holds buffers, so use one Tagger per goroutine; the Model
// is shared and read-only.
type Tagger struct {
	m       *Model
	x       extractor
	roleBuf []uint64
	feats   [][]uint64
	back    []uint64
	sc      [][nTags]float32
	bp      [][nTags]int8
}

// NewTagger returns a tagger over m.
func (m *Model) NewTagger() *Tagger {
	return &Tagger{m: m, x: extractor{lex: m.lex, res: m.res, mined: m.mined, split: true}}
}

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
	if t.m.consistency != noConsistency {
		for i := range out {
			particles(sents[i], out[i])
		}
		surnames(sents, out, t.m.consistency == surnamesAndUntagged, t.m.lex.gaz.isPlace)
	}
	return out
}

// particles joins to a person's name what follows it starting with a name particle written as
// part of the name ("Abu Bakr" + "al-Baghdadi", "Osama" + "bin Laden"), tagged another entity or
// left untagged: a person's name does not end at its particle.
func particles(words, tags []string) {
	for k := 1; k < len(tags); k++ {
		if !strings.HasSuffix(tags[k-1], "-PER") || !nameParticle(words[k]) {
			continue
		}
		switch {
		case strings.HasPrefix(tags[k], "B-") && tags[k] != "B-PER":
			for j := k; j < len(tags) && (j == k || strings.HasPrefix(tags[j], "I-")); j++ {
				tags[j] = "I-PER"
			}
		case tags[k] == "O" && strings.Contains(words[k], "-") && capitalised(words[k][strings.IndexByte(words[k], '-')+1:]):
			tags[k] = "I-PER" // al-Baghdadi
		case tags[k] == "O" && k+1 < len(tags) && tags[k+1] == "O" && capitalised(words[k+1]):
			tags[k], tags[k+1] = "I-PER", "I-PER" // bin Laden
		}
	}
}

func capitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// nameParticle reports a word that is, or starts with, a particle of Arabic names as written in a
// name: lower case al-, el-, bin, ibn, bint.
func nameParticle(w string) bool {
	return strings.HasPrefix(w, "al-") || strings.HasPrefix(w, "el-") || w == "bin" || w == "ibn" || w == "bint"
}

// Consistency rules applied to a tagged document (Model.consistency).
const (
	surnamesOnly        = iota // a one-word name that ends a person's longer name elsewhere is a person
	noConsistency              // (an ablation)
	surnamesAndUntagged        // as surnamesOnly, and such a word left untagged away from a sentence start too
)

// surnames gives one name one type in a document: where the document names a person in full
// ("Gordon Sondland"), a one-word entity that is the full name's last word ("Sondland", tagged an
// organisation twelve times) is the person too, if it was tagged an organisation or MISC and is no
// place or nationality of the gazetteer (isPlace: "London" after "Jack London" stays a place, "the
// West" after "Kanye West" MISC); with untagged, so is the word capitalised and left outside every
// entity, away from a sentence's start.
func surnames(sents, tags [][]string, untagged bool, isPlace func(string) bool) {
	last := map[string]bool{}
	for s, ts := range tags {
		for _, c := range Chunks(ts) {
			if c.Type == "PER" && c.End-c.Start >= 2 {
				last[sents[s][c.End-1]] = true
			}
		}
	}
	if len(last) == 0 {
		return
	}
	for s, ts := range tags {
		for _, c := range Chunks(ts) {
			if w := sents[s][c.Start]; c.End-c.Start == 1 && (c.Type == "ORG" || c.Type == "MISC") && last[w] && !isPlace(strings.ToLower(w)) {
				ts[c.Start] = "B-PER"
			}
		}
		if !untagged {
			continue
		}
		for k, tag := range ts {
			if tag == "O" && k > 0 && last[sents[s][k]] && !isPlace(strings.ToLower(sents[s][k])) &&
				(k+1 == len(ts) || ts[k+1] == "O" || strings.HasPrefix(ts[k+1], "B-")) && ts[k-1] == "O" {
				ts[k] = "B-PER"
			}
		}
	}
}

// retype gives an entity the type its name implies in the gazetteer, where every list that names
// it agrees on one type ("Taliban": an organisation; "Ramadan": an event), over the model's guess.
// (Splitting a place's or person's name whose last word alone is an organisation's, "Afghanistan
// Taliban", cost 0.08 of cross-validated F1: not kept.)
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

// wordSums returns the sums of w's word-level features in each place, computing them the first
// time (see wordSums).
func (t *Tagger) wordSums(w *wordInfo, j *joint) *wordSums {
	if w.sums != nil {
		return w.sums
	}
	width := len(t.m.stages) * nTags
	s := &wordSums{}
	all := make([]float32, 5*width)
	for role := range s.roles {
		s.roles[role] = all[role*width : (role+1)*width : (role+1)*width]
		t.roleBuf = w.roleFeatures(role, t.roleBuf)
		j.fast.AddRows(s.roles[role], j.w, t.roleBuf)
	}
	w.sums = s
	return s
}

func addSum(sum, v []float32) {
	for i := range sum {
		sum[i] += v[i]
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
			for role, w := range t.x.near[k] {
				addSum(sum, t.wordSums(w, j).roles[role])
			}
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
