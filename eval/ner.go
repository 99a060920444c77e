package eval

import "sort"

// Chunk is an entity in IOB tags: its type and token range [Start, End) within a sentence.
type Chunk struct {
	Type       string
	Start, End int
}

// Chunks reads entities from IOB tags as conlleval does: a chunk starts at B-X, or at I-X after a
// tag of another type or O (so IOB1 and IOB2 both read), and runs while I-X follows.
func Chunks(tags []string) []Chunk {
	var out []Chunk
	cur := -1
	for i, t := range tags {
		pfx, typ := split(t)
		if cur >= 0 && (pfx != "I" || typ != out[cur].Type) {
			out[cur].End = i
			cur = -1
		}
		if cur < 0 && (pfx == "B" || pfx == "I") {
			out = append(out, Chunk{Type: typ, Start: i})
			cur = len(out) - 1
		}
	}
	if cur >= 0 {
		out[cur].End = len(tags)
	}
	return out
}

func split(t string) (string, string) {
	if len(t) > 2 && t[1] == '-' {
		return t[:1], t[2:]
	}
	return t, ""
}

// NERResult is conlleval's score: exact entity matches, overall and per type.
type NERResult struct {
	Overall PRF
	ByType  map[string]PRF
	Tokens  int
	Correct int // tokens whose tag is right
}

// Types returns the entity types in order.
func (r NERResult) Types() []string {
	var ts []string
	for t := range r.ByType {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	return ts
}

// NER scores predicted against gold tags, sentence by sentence: an entity counts as found only when
// a predicted chunk has the same type, start and end as a gold one.
func NER(gold, pred [][]string) NERResult {
	r := NERResult{ByType: map[string]PRF{}}
	for s := range gold {
		g, p := Chunks(gold[s]), Chunks(pred[s])
		gs := map[Chunk]bool{}
		for _, c := range g {
			gs[c] = true
		}
		for _, c := range p {
			st := r.ByType[c.Type]
			if gs[c] {
				st.TP++
				r.Overall.TP++
				delete(gs, c)
			} else {
				st.FP++
				r.Overall.FP++
			}
			r.ByType[c.Type] = st
		}
		for c := range gs {
			st := r.ByType[c.Type]
			st.FN++
			r.Overall.FN++
			r.ByType[c.Type] = st
		}
		for i := range gold[s] {
			r.Tokens++
			if i < len(pred[s]) && pred[s][i] == gold[s][i] {
				r.Correct++
			}
		}
	}
	return r
}
