// Package ner tags named entities (PER, ORG, LOC, MISC) with a structured averaged perceptron over
// rich token features and first-order Viterbi decoding with IOB2 constraints. Models are trained
// by `newsgraph train ner` and ship inside the binary.
package ner

import (
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/newsgraph/newsgraph/internal/table"
	"io"
	"math"
	"sort"
	"sync"
)

// Tags are the IOB2 tags, in model order.
var Tags = []string{"O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"}

const nTags = 9

// tagIDs reads gold tags into model tags, as IOB2 whatever scheme they are in (an I- tag that
// starts an entity, as IOB1 writes it, becomes B-), and refuses unknown tags.
func tagIDs(tags []string) ([]int, error) {
	ids := make([]int, len(tags))
	for _, t := range tags {
		if _, ok := tagIndex(t); !ok {
			return nil, fmt.Errorf("unknown tag %q (IOB tags of PER, ORG, LOC, MISC expected)", t)
		}
	}
	for _, c := range Chunks(tags) {
		b, _ := tagIndex("B-" + c.Type)
		ids[c.Start] = b
		for i := c.Start + 1; i < c.End; i++ {
			ids[i] = b + 1
		}
	}
	return ids, nil
}

func tagIndex(t string) (int, bool) {
	for i, x := range Tags {
		if x == t {
			return i, true
		}
	}
	return 0, false
}

// allowed reports whether tag b may follow tag a (a = -1 at the start): I-X only after B-X or I-X.
func allowed(a, b int) bool {
	if b == 0 || b%2 == 1 { // O or B-*
		return true
	}
	return a >= 0 && a != 0 && (a+1)/2 == (b+1)/2
}

// preds lists, for each tag, the tags that may precede it (allowed), in ascending order: what
// the Viterbi step tries.
var preds = func() (out [nTags][]int8) {
	for t := 0; t < nTags; t++ {
		for p := 0; p < nTags; p++ {
			if allowed(p, t) {
				out[t] = append(out[t], int8(p))
			}
		}
	}
	return out
}()

// Model is a trained tagger: one stage, or two where the second also reads what the first
// predicted across the whole document (non-local features).
type Model struct {
	lex *lexicon  // the data the features read besides the words (the built-in lexicon)
	res Resources // the optional resources its features read
	// consistency is the rule TagDocument applies to a tagged document (surnamesOnly by default).
	consistency int
	// taggers are taggers kept from document to document (pooledTagger), with their word caches:
	// a word's features, its classes' among them, are computed once a tagger.
	taggers sync.Pool
	mined   *Gazetteer // the entity phrases of the training data, or nil
	stages  []*stage
	// joint holds the weights of every stage over the union of their hashes, built on first use
	// (jointOnce).
	jointOnce sync.Once
	joint     *joint
}

// joint scores a token's local features for every stage at once: row r of w holds, stage after
// stage, each stage's nTags weights for the hash Keys()[r] (zeros where a stage lacks it). The
// first stage's scores and the later stages' sums over the local features then come from one
// lookup a feature instead of one a stage; a later stage adds only its non-local features. The
// sums are the same, added in the same order (a zero added where a stage lacks a hash changes
// nothing but the sign of a zero sum).
type joint struct {
	fast *table.Table
	w    []float32
}

func newJoint(stages []*stage) *joint {
	// Every stage's hashes are in ascending order: their union is a merge, and each stage's row
	// is found by walking the union beside it.
	var keys []uint64
	for _, st := range stages {
		keys = mergeSorted(keys, st.fast.Keys())
	}
	width := len(stages) * nTags
	w := make([]float32, len(keys)*width)
	for s, st := range stages {
		j := 0
		for r, k := range st.fast.Keys() {
			for keys[j] != k {
				j++
			}
			*(*[nTags]float32)(w[j*width+s*nTags:]) = *(*[nTags]float32)(st.w[r*nTags:])
		}
	}
	return &joint{fast: table.New(keys), w: w}
}

// mergeSorted returns the union of two lists in strictly ascending order, in that order.
func mergeSorted(a, b []uint64) []uint64 {
	out := make([]uint64, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		case a[i] > b[j]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// trained reports an error for a model with a stage still in training (its weights still behind
// an index, no table): such a model can be neither saved nor used to tag.
func (m *Model) trained() error {
	for i, st := range m.stages {
		if st.fast == nil {
			return fmt.Errorf("ner: stage %d of the model is not trained", i+1)
		}
	}
	return nil
}

// jointTable returns m's joint table: for a model of one stage, that stage's own. It panics for a
// model with a stage still in training, which nothing tags with.
func (m *Model) jointTable() *joint {
	if err := m.trained(); err != nil {
		panic(err)
	}
	m.jointOnce.Do(func() {
		if len(m.stages) == 1 {
			m.joint = &joint{fast: m.stages[0].fast, w: m.stages[0].w}
			return
		}
		m.joint = newJoint(m.stages)
	})
	return m.joint
}

// stage is one perceptron: a weight row per feature hash and a transition matrix.
type stage struct {
	index map[uint64]int32 // feature hash → row while the stage trains; nil once trained
	fast  *table.Table     // the trained stage's hashes, row i the hash of Keys()[i]
	w     []float32        // rows * nTags
	trans [nTags + 1][nTags]float32
}

func newStage() *stage { return &stage{index: map[uint64]int32{}} }

// scores fills sc[i][t] with the feature score of tag t at token i.
func (m *stage) scores(feats [][]uint64, sc [][nTags]float32) {
	for i, fs := range feats {
		var row [nTags]float32
		table.Score(m.fast, m.index, row[:], m.w, fs)
		sc[i] = row
	}
}

// viterbi returns the best tag sequence under the scores and transitions, honouring IOB2.
func (m *stage) viterbi(sc [][nTags]float32, out []int, back [][nTags]int8) {
	n := len(sc)
	if n == 0 {
		return
	}
	neg := float32(math.Inf(-1))
	var prev, cur [nTags]float32
	for t := 0; t < nTags; t++ {
		if allowed(-1, t) {
			prev[t] = sc[0][t] + m.trans[nTags][t]
		} else {
			prev[t] = neg
		}
	}
	for i := 1; i < n; i++ {
		for t := 0; t < nTags; t++ {
			best, arg := neg, int8(0)
			for _, p := range preds[t] {
				if prev[p] == neg {
					continue
				}
				if v := prev[p] + m.trans[p][t]; v > best {
					best, arg = v, int8(p)
				}
			}
			cur[t] = best + sc[i][t]
			back[i][t] = arg
		}
		prev = cur
	}
	best, arg := neg, 0
	for t := 0; t < nTags; t++ {
		if prev[t] > best {
			best, arg = prev[t], t
		}
	}
	out[n-1] = arg
	for i := n - 1; i > 0; i-- {
		out[i-1] = int(back[i][out[i]])
	}
}

// The model file: magic, version, the check value of the lexicon (and resources) it was trained
// with, the resources it reads (a uint32; not in version 4 files, which read none), the entity
// lists mined from the training data (a count, then (phrase hash, type mask) pairs sorted by hash),
// the number of stages, then per stage the feature count, the transitions and the (hash, weights) rows sorted by
// hash. Numbers are little-endian; weights float32.
const (
	magic   = "NGNER"
	version = 5 // 3: the lexicon check value; 4: the mined entity lists; 5: the resources
)

// Resources returns the optional resources the model's features read.
func (m *Model) Resources() Resources { return m.res }

// pooledTagger returns a tagger from the model's pool (put it back with m.taggers.Put), or a new one.
func (m *Model) pooledTagger() *Tagger {
	if t, ok := m.taggers.Get().(*Tagger); ok {
		return t
	}
	return m.NewTagger()
}

// WithConsistency returns a copy of the model whose taggers apply the given document rule: "off",
// "surnames" (the default: a one-word ORG or MISC entity that ends a person's longer name elsewhere
// in the document, and is not a place of the gazetteer, is that person) or "untagged" (surnames, and the same word left untagged away from a
// sentence start). For measuring the rule.
func (m *Model) WithConsistency(rule string) (*Model, error) {
	c := &Model{lex: m.lex, res: m.res, mined: m.mined, stages: m.stages}
	switch rule {
	case "off":
		c.consistency = noConsistency
	case "surnames":
		c.consistency = surnamesOnly
	case "untagged":
		c.consistency = surnamesAndUntagged
	default:
		return nil, fmt.Errorf("ner: no consistency rule %q (off, surnames, untagged)", rule)
	}
	return c, nil
}

// Save writes the model.
func (m *Model) Save(w io.Writer) error {
	if err := m.trained(); err != nil {
		return err
	}
	var b []byte
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint32(b, version)
	b = binary.LittleEndian.AppendUint64(b, m.lex.resCheck(m.res))
	b = binary.LittleEndian.AppendUint32(b, uint32(m.res))
	var mined []uint64
	if m.mined != nil {
		for k := range m.mined.phrases {
			mined = append(mined, k)
		}
	}
	sort.Slice(mined, func(i, j int) bool { return mined[i] < mined[j] })
	b = binary.LittleEndian.AppendUint32(b, uint32(len(mined)))
	for _, k := range mined {
		b = binary.LittleEndian.AppendUint64(b, k)
		b = binary.LittleEndian.AppendUint32(b, m.mined.phrases[k])
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(m.stages)))
	for _, st := range m.stages {
		keys := st.fast.Keys()
		b = binary.LittleEndian.AppendUint32(b, uint32(len(keys)))
		for p := range st.trans {
			for _, v := range st.trans[p] {
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
			}
		}
		for i, k := range keys {
			b = binary.LittleEndian.AppendUint64(b, k)
			for _, v := range st.w[i*nTags : i*nTags+nTags] {
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
			}
		}
	}
	_, err := w.Write(b)
	return err
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("ner: reading the model: %w", err)
	}
	return parse(b)
}

// LoadBytes reads a model from memory (as embedded in the binary).
func LoadBytes(b []byte) (*Model, error) { return parse(b) }

var errTruncated = errors.New("ner: model file is truncated")

func parse(b []byte) (*Model, error) {
	if len(b) < len(magic)+16 || string(b[:len(magic)]) != magic {
		return nil, errors.New("ner: not a newsgraph NER model")
	}
	b = b[len(magic):]
	v := binary.LittleEndian.Uint32(b)
	if v != version && v != 4 {
		return nil, fmt.Errorf("ner: model version %d, this program reads %d (and 4)", v, version)
	}
	check := binary.LittleEndian.Uint64(b[4:])
	b = b[12:]
	var res Resources
	if v == version {
		if len(b) < 4 {
			return nil, errTruncated
		}
		res = Resources(binary.LittleEndian.Uint32(b))
		if res&^resAll != 0 {
			return nil, fmt.Errorf("ner: the model reads resources %#x this program does not know", uint32(res))
		}
		b = b[4:]
	}
	if len(b) < 4 {
		return nil, errTruncated
	}
	nmined := int(binary.LittleEndian.Uint32(b))
	b = b[4:]
	if nmined > len(b)/12 {
		return nil, errTruncated
	}
	var mined *Gazetteer
	if nmined > 0 {
		mined = &Gazetteer{cats: minedTypes, phrases: make(map[uint64]uint32, nmined)}
		for i := 0; i < nmined; i++ {
			k, mask := binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint32(b[8:])
			if mask == 0 || mask&^prefixBit >= 1<<len(minedTypes) {
				return nil, fmt.Errorf("ner: mined entity list entry %d has type mask %d", i, mask)
			}
			mined.phrases[k] = mask
			b = b[12:]
		}
	}
	if len(b) < 4 {
		return nil, errTruncated
	}
	nst := binary.LittleEndian.Uint32(b)
	b = b[4:]
	if nst < 1 || nst > 2 {
		return nil, fmt.Errorf("ner: model has %d stages", nst)
	}
	g, err := defaultLexicon()
	if err != nil {
		return nil, err
	}
	if check != g.resCheck(res) {
		return nil, errors.New("ner: the model was trained with another lexicon (ner/data) than this program has; retrain it")
	}
	if err := g.load(res); err != nil {
		return nil, err
	}
	m := &Model{lex: g, res: res, mined: mined}
	for s := 0; s < int(nst); s++ {
		if len(b) < 4+4*(nTags+1)*nTags {
			return nil, errTruncated
		}
		n := int(binary.LittleEndian.Uint32(b))
		b = b[4:]
		var trans [nTags + 1][nTags]float32
		for p := range trans {
			for t := range trans[p] {
				trans[p][t] = math.Float32frombits(binary.LittleEndian.Uint32(b))
				b = b[4:]
			}
		}
		if n > len(b)/(8+4*nTags) {
			return nil, errTruncated
		}
		st := &stage{w: make([]float32, n*nTags), trans: trans}
		keys := make([]uint64, n)
		for i := 0; i < n; i++ {
			keys[i] = binary.LittleEndian.Uint64(b)
			b = b[8:]
			for t := 0; t < nTags; t++ {
				st.w[i*nTags+t] = math.Float32frombits(binary.LittleEndian.Uint32(b))
				b = b[4:]
			}
		}
		all := append([]float32(nil), st.w...)
		for p := range trans {
			all = append(all, trans[p][:]...)
		}
		for _, v := range all {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("ner: model stage %d has a weight that is not a number", s+1)
			}
		}
		if !table.Ascending(keys) {
			return nil, fmt.Errorf("ner: model stage %d: the feature hashes are not in ascending order", s+1)
		}
		st.fast = table.New(keys)
		m.stages = append(m.stages, st)
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("ner: %d bytes after the model", len(b))
	}
	return m, nil
}
