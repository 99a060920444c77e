package eval

import (
	"sort"

	"github.com/newsgraph/newsgraph/ner"
)

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
		g, p := ner.Chunks(gold[s]), ner.Chunks(pred[s])
		gs := map[ner.Chunk]bool{}
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
