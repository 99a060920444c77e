// Package seq is a structured averaged perceptron for sequence labelling with first-order Viterbi
// decoding under BIO constraints: the learner under the attribution taggers. Features are 64-bit
// hashes the caller computes; labels are "O" and "B-X"/"I-X" pairs.
package seq

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"slices"
	"strings"

	"github.com/newsgraph/newsgraph/internal/table"
)

// Seq is one training sequence: the feature hashes of each position and its gold label index.
type Seq struct {
	Feats [][]uint64
	Gold  []int
}

// Model is a trained labeller.
type Model struct {
	Labels []string
	index  map[uint64]int32 // feature hash → row while the model trains; nil once trained
	fast   *table.Table     // the trained model's hashes, row i the hash of Keys()[i]
	w      []float32        // rows * len(Labels)
	trans  []float32        // (len(Labels)+1) * len(Labels); row len(Labels) is the start
	ok     []bool           // allowed transitions, same shape as trans
	// Bias is added to each label's score at every position when decoding (nil: none): a knob
	// that trades precision for recall.
	Bias []float32
}

// New returns an empty model over labels ("O", "B-X", "I-X", ...).
func New(labels []string) *Model {
	m := &Model{Labels: labels, index: map[uint64]int32{}}
	n := len(labels)
	m.trans = make([]float32, (n+1)*n)
	m.ok = make([]bool, (n+1)*n)
	for p := 0; p <= n; p++ {
		for t := 0; t < n; t++ {
			m.ok[p*n+t] = allowed(labels, p, t)
		}
	}
	return m
}

// allowed: I-X only after B-X or I-X (p == len(labels) is the start).
func allowed(labels []string, p, t int) bool {
	x, ok := strings.CutPrefix(labels[t], "I-")
	if !ok {
		return true
	}
	if p == len(labels) {
		return false
	}
	return labels[p] == "B-"+x || labels[p] == "I-"+x
}

// Label returns the index of a label, or -1.
func (m *Model) Label(name string) int {
	for i, l := range m.Labels {
		if l == name {
			return i
		}
	}
	return -1
}

// Decode returns the best label sequence for the features.
func (m *Model) Decode(feats [][]uint64) []int {
	n := len(m.Labels)
	out := make([]int, len(feats))
	if len(feats) == 0 {
		return out
	}
	sc := make([]float32, len(feats)*n)
	for i, fs := range feats {
		row := sc[i*n : i*n+n]
		copy(row, m.Bias)
		table.Score(m.fast, m.index, row, m.w, fs)
	}
	neg := float32(math.Inf(-1))
	prev := make([]float32, n)
	cur := make([]float32, n)
	back := make([]int16, len(feats)*n)
	for t := 0; t < n; t++ {
		prev[t] = neg
		if m.ok[n*n+t] {
			prev[t] = sc[t] + m.trans[n*n+t]
		}
	}
	for i := 1; i < len(feats); i++ {
		for t := 0; t < n; t++ {
			best, arg := neg, 0
			for p := 0; p < n; p++ {
				if prev[p] == neg || !m.ok[p*n+t] {
					continue
				}
				if v := prev[p] + m.trans[p*n+t]; v > best {
					best, arg = v, p
				}
			}
			cur[t] = best + sc[i*n+t]
			back[i*n+t] = int16(arg)
		}
		prev, cur = cur, prev
	}
	best, arg := neg, 0
	for t := 0; t < n; t++ {
		if prev[t] > best {
			best, arg = prev[t], t
		}
	}
	out[len(feats)-1] = arg
	for i := len(feats) - 1; i > 0; i-- {
		out[i-1] = int(back[i*n+out[i]])
	}
	return out
}

// TrainOptions control Train.
type TrainOptions struct {
	Epochs int   // passes over the data (default 10)
	Seed   int64 // shuffles the order each epoch
	// MinWeight drops, after training, feature rows whose averaged weights are all smaller in
	// magnitude.
	MinWeight float32
	// Epoch, if not nil, is called with the averaged model after each epoch and its mistakes; it
	// returns a score, and the model of the best-scoring epoch is returned.
	Epoch func(epoch int, m *Model, mistakes int) float64
}

// Train trains a model over labels on the sequences.
func Train(labels []string, data []Seq, opts TrainOptions) (*Model, error) {
	if opts.Epochs <= 0 {
		opts.Epochs = 10
	}
	if len(data) == 0 {
		return nil, errors.New("seq: no training sequences")
	}
	n := len(labels)
	for i, s := range data {
		if len(s.Feats) != len(s.Gold) {
			return nil, fmt.Errorf("seq: sequence %d: %d positions, %d labels", i, len(s.Feats), len(s.Gold))
		}
		for k, g := range s.Gold {
			if g < 0 || g >= n {
				return nil, fmt.Errorf("seq: sequence %d position %d: label %d out of range", i, k, g)
			}
			p := n
			if k > 0 {
				p = s.Gold[k-1]
			}
			if !allowed(labels, p, g) {
				return nil, fmt.Errorf("seq: sequence %d position %d: %s may not follow %s", i, k, labels[g], label(labels, p))
			}
		}
	}
	m := New(labels)
	u := []float64(nil)
	ut := make([]float64, len(m.trans))
	c := 0.0
	update := func(f uint64, t int, d float32) {
		k, ok := m.index[f]
		if !ok {
			k = int32(len(m.index))
			m.index[f] = k
			m.w = append(m.w, make([]float32, n)...)
			u = append(u, make([]float64, n)...)
		}
		i := int(k)*n + t
		m.w[i] += d
		u[i] += c * float64(d)
	}
	rng := rand.New(rand.NewSource(opts.Seed))
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	var best *Model
	bestScore := math.Inf(-1)
	for ep := 1; ep <= opts.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		mistakes := 0
		for _, i := range order {
			s := data[i]
			c++
			pred := m.Decode(s.Feats)
			for k := range pred {
				g, p := s.Gold[k], pred[k]
				if g != p {
					mistakes++
					for _, f := range s.Feats[k] {
						update(f, g, 1)
						update(f, p, -1)
					}
				}
				gp, pp := n, n
				if k > 0 {
					gp, pp = s.Gold[k-1], pred[k-1]
				}
				if gp != pp || g != p {
					m.trans[gp*n+g]++
					ut[gp*n+g] += c
					m.trans[pp*n+p]--
					ut[pp*n+p] -= c
				}
			}
		}
		if opts.Epoch == nil && ep < opts.Epochs {
			continue
		}
		avg := m.averaged(u, ut, c, opts.MinWeight)
		if opts.Epoch == nil {
			best = avg
			continue
		}
		if sc := opts.Epoch(ep, avg, mistakes); sc > bestScore {
			best, bestScore = avg, sc
		}
	}
	return best, nil
}

func label(labels []string, p int) string {
	if p == len(labels) {
		return "the start"
	}
	return labels[p]
}

// Average returns the averaged perceptron weights of rows of n labels: for each feature of index,
// its row of w less its row of u (the summed c-weighted updates) divided by c, kept where keep holds
// for one of its weights, in ascending order of hash. It gives the kept hashes in that order and
// their rows, as a trained model holds them (table.New(keys)); every averaged-perceptron learner
// here (seq, syntax, ner) ends its epochs with it.
func Average(index map[uint64]int32, w []float32, u []float64, c float64, n int, keep func(float32) bool) ([]uint64, []float32) {
	keys := make([]uint64, 0, len(index))
	for f := range index {
		keys = append(keys, f)
	}
	slices.Sort(keys)
	var out []uint64
	var rows []float32
	row := make([]float32, n)
	for _, f := range keys {
		k := int(index[f])
		kept := false
		for t := 0; t < n; t++ {
			v := float32(float64(w[k*n+t]) - u[k*n+t]/c)
			row[t] = v
			kept = kept || keep(v)
		}
		if kept {
			out = append(out, f)
			rows = append(rows, row...)
		}
	}
	return out, rows
}

func (m *Model) averaged(u, ut []float64, c float64, min float32) *Model {
	a := New(m.Labels)
	keys, w := Average(m.index, m.w, u, c, len(m.Labels), func(v float32) bool { return v > min || v < -min })
	a.index, a.w = nil, w
	for i := range m.trans {
		a.trans[i] = float32(float64(m.trans[i]) - ut[i]/c)
	}
	a.fast = table.New(keys)
	return a
}

// Features returns the number of feature rows.
func (m *Model) Features() int {
	if m.fast != nil {
		return len(m.fast.Keys())
	}
	return len(m.index)
}

// Save writes the model: the label count and labels, the transitions, the bias, the row count and the
// (hash, weights) rows sorted by hash; little-endian, weights float32.
func (m *Model) Save(w io.Writer) error {
	if m.fast == nil {
		return errors.New("seq: only a trained model can be saved")
	}
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, uint32(len(m.Labels)))
	for _, l := range m.Labels {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(l)))
		b = append(b, l...)
	}
	for _, v := range m.trans {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	for t := range m.Labels {
		var v float32
		if t < len(m.Bias) {
			v = m.Bias[t]
		}
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	keys := m.fast.Keys()
	b = binary.LittleEndian.AppendUint32(b, uint32(len(keys)))
	n := len(m.Labels)
	for k, f := range keys {
		b = binary.LittleEndian.AppendUint64(b, f)
		for _, v := range m.w[k*n : k*n+n] {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
	}
	_, err := w.Write(b)
	return err
}

// ErrTruncated is returned for a model that ends early.
var ErrTruncated = errors.New("seq: model is truncated")

// Parse reads a model written by Save from the front of b and returns the rest of b.
func Parse(b []byte) (*Model, []byte, error) {
	u32 := func() (int, bool) {
		if len(b) < 4 {
			return 0, false
		}
		v := binary.LittleEndian.Uint32(b)
		b = b[4:]
		return int(v), true
	}
	nl, ok := u32()
	if !ok || nl < 1 || nl > 64 {
		return nil, nil, fmt.Errorf("seq: bad label count")
	}
	labels := make([]string, nl)
	for i := range labels {
		l, ok := u32()
		if !ok || l > len(b) || l > 64 {
			return nil, nil, ErrTruncated
		}
		labels[i] = string(b[:l])
		b = b[l:]
	}
	m := New(labels)
	if len(b) < 4*len(m.trans) {
		return nil, nil, ErrTruncated
	}
	for i := range m.trans {
		m.trans[i] = math.Float32frombits(binary.LittleEndian.Uint32(b))
		b = b[4:]
	}
	if len(b) < 4*nl {
		return nil, nil, ErrTruncated
	}
	m.Bias = make([]float32, nl)
	for t := range m.Bias {
		m.Bias[t] = math.Float32frombits(binary.LittleEndian.Uint32(b))
		b = b[4:]
	}
	rows, ok := u32()
	if !ok || rows > len(b)/(8+4*nl) {
		return nil, nil, ErrTruncated
	}
	m.w = make([]float32, rows*nl)
	keys := make([]uint64, rows)
	for i := 0; i < rows; i++ {
		keys[i] = binary.LittleEndian.Uint64(b)
		b = b[8:]
		for t := 0; t < nl; t++ {
			m.w[i*nl+t] = math.Float32frombits(binary.LittleEndian.Uint32(b))
			b = b[4:]
		}
	}
	for _, v := range append(append(append([]float32(nil), m.w...), m.trans...), m.Bias...) {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, nil, errors.New("seq: a weight is not a number")
		}
	}
	if !table.Ascending(keys) {
		return nil, nil, errors.New("seq: the feature hashes are not in ascending order")
	}
	m.index, m.fast = nil, table.New(keys)
	return m, b, nil
}

// Hash helpers: FNV-1a over a template byte and the parts of a value, 0xff between parts.
const (
	offset64 = 14695981039346656037
	prime64  = 1099511628211
)

// H hashes a feature template and its value parts.
func H(t byte, parts ...string) uint64 {
	h := (uint64(offset64) ^ uint64(t)) * prime64
	for i, p := range parts {
		if i > 0 {
			h = (h ^ 0xff) * prime64
		}
		for j := 0; j < len(p); j++ {
			h = (h ^ uint64(p[j])) * prime64
		}
	}
	return h
}
