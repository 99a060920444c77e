// Package ner tags named entities (PER, ORG, LOC, MISC) with a structured averaged perceptron over
// rich token features and first-order Viterbi decoding with IOB2 constraints. Models are trained
// by `newsgraph train ner` and ship inside the binary.
package ner

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
)

// Tags are the IOB2 tags, in model order.
var Tags = []string{"O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"}

const nTags = 9

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

// Model is a trained tagger: a weight row per feature hash and a transition matrix.
type Model struct {
	gaz   *Gazetteer // the name lists the features read (the built-in ones)
	index map[uint64]int32
	w     []float32 // len(index) * nTags
	trans [nTags + 1][nTags]float32
}

func newModel() *Model { return &Model{index: map[uint64]int32{}} }

// scores fills sc[i][t] with the feature score of tag t at token i.
func (m *Model) scores(feats [][]uint64, sc [][nTags]float32) {
	for i, fs := range feats {
		var row [nTags]float32
		for _, f := range fs {
			k, ok := m.index[f]
			if !ok {
				continue
			}
			w := m.w[int(k)*nTags : int(k)*nTags+nTags]
			for t := 0; t < nTags; t++ {
				row[t] += w[t]
			}
		}
		sc[i] = row
	}
}

// viterbi returns the best tag sequence under the scores and transitions, honouring IOB2.
func (m *Model) viterbi(sc [][nTags]float32, out []int, back [][nTags]int8) {
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
			for p := 0; p < nTags; p++ {
				if prev[p] == neg || !allowed(p, t) {
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

// The model file: magic, version, feature count, transitions, then (hash, weights) rows sorted by
// hash. Weights are float32, little-endian.
const (
	magic   = "NGNER"
	version = 1
)

// Save writes the model.
func (m *Model) Save(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(magic)
	binary.Write(bw, binary.LittleEndian, uint32(version))
	binary.Write(bw, binary.LittleEndian, uint32(len(m.index)))
	binary.Write(bw, binary.LittleEndian, m.trans)
	keys := make([]uint64, 0, len(m.index))
	for k := range m.index {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	for _, k := range keys {
		i := m.index[k]
		binary.Write(bw, binary.LittleEndian, k)
		binary.Write(bw, binary.LittleEndian, m.w[int(i)*nTags:int(i)*nTags+nTags])
	}
	return bw.Flush()
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	br := bufio.NewReader(r)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, errors.New("ner: not a newsgraph NER model")
	}
	var ver, n uint32
	if err := binary.Read(br, binary.LittleEndian, &ver); err != nil {
		return nil, fmt.Errorf("ner: model header: %w", err)
	}
	if ver != version {
		return nil, fmt.Errorf("ner: model version %d, this program reads %d", ver, version)
	}
	if err := binary.Read(br, binary.LittleEndian, &n); err != nil {
		return nil, fmt.Errorf("ner: model header: %w", err)
	}
	if n > 1<<26 {
		return nil, fmt.Errorf("ner: model claims %d features", n)
	}
	g, err := defaultGazetteer()
	if err != nil {
		return nil, err
	}
	m := &Model{gaz: g, index: make(map[uint64]int32, n), w: make([]float32, int(n)*nTags)}
	if err := binary.Read(br, binary.LittleEndian, &m.trans); err != nil {
		return nil, fmt.Errorf("ner: model transitions: %w", err)
	}
	for i := 0; i < int(n); i++ {
		var k uint64
		if err := binary.Read(br, binary.LittleEndian, &k); err != nil {
			return nil, fmt.Errorf("ner: model row %d: %w", i, err)
		}
		if err := binary.Read(br, binary.LittleEndian, m.w[i*nTags:i*nTags+nTags]); err != nil {
			return nil, fmt.Errorf("ner: model row %d: %w", i, err)
		}
		m.index[k] = int32(i)
	}
	return m, nil
}
