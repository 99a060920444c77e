package seq

import (
	"bytes"
	"strings"
	"testing"
)

// toy: a word after "Mr" is B-PER, a second capitalised word after it I-PER.
func toy() []Seq {
	words := [][]string{
		{"Mr", "Smith", "Jones", "came"},
		{"then", "Mr", "Lee", "left"},
		{"Mr", "Garcia", "Ruiz", "spoke", "to", "Mr", "Kim"},
		{"nobody", "came"},
	}
	gold := [][]string{
		{"O", "B-PER", "I-PER", "O"},
		{"O", "O", "B-PER", "O"},
		{"O", "B-PER", "I-PER", "O", "O", "O", "B-PER"},
		{"O", "O"},
	}
	labels := []string{"O", "B-PER", "I-PER"}
	var out []Seq
	for r := 0; r < 5; r++ {
		for i, ws := range words {
			s := Seq{}
			for k, w := range ws {
				prev := "<s>"
				if k > 0 {
					prev = ws[k-1]
				}
				cap := w[0] >= 'A' && w[0] <= 'Z'
				s.Feats = append(s.Feats, []uint64{H(1, prev), H(2, boolStr(cap)), H(3, prev, boolStr(cap))})
				for li, l := range labels {
					if l == gold[i][k] {
						s.Gold = append(s.Gold, li)
					}
				}
			}
			out = append(out, s)
		}
	}
	return out
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func TestTrainDecodeSaveParse(t *testing.T) {
	labels := []string{"O", "B-PER", "I-PER"}
	data := toy()
	m, err := Train(labels, data, TrainOptions{Epochs: 5, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range data[:4] {
		got := m.Decode(s.Feats)
		for k := range got {
			if got[k] != s.Gold[k] {
				t.Errorf("sequence %d: got %v, want %v", i, got, s.Gold)
				break
			}
		}
	}
	m2, _ := Train(labels, data, TrainOptions{Epochs: 5, Seed: 3})
	var b1, b2 bytes.Buffer
	if err := m.Save(&b1); err != nil {
		t.Fatal(err)
	}
	m2.Save(&b2)
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Error("the same data and seed gave different models")
	}
	m.Bias = []float32{0, 0.5, 0.5}
	b1.Reset()
	m.Save(&b1)
	p, rest, err := Parse(append(b1.Bytes(), 'x'))
	if err != nil {
		t.Fatal(err)
	}
	if string(rest) != "x" || p.Features() != m.Features() || p.Bias[1] != 0.5 {
		t.Errorf("Parse: rest %q, %d features (want %d), bias %v", rest, p.Features(), m.Features(), p.Bias)
	}
	for n := 0; n < b1.Len(); n += 7 {
		if _, _, err := Parse(b1.Bytes()[:n]); err == nil {
			t.Errorf("a model cut at %d bytes was accepted", n)
		}
	}
	if err := New(labels).Save(&bytes.Buffer{}); err == nil {
		t.Error("an untrained model was saved")
	}
	// The rows are stored in ascending order of hash: two swapped are a damaged model.
	nl := len(labels)
	off := 4 + 4*nl + len("O") + len("B-PER") + len("I-PER") + 4*(nl+1)*nl + 4*nl + 4
	row := 8 + 4*nl
	bad := bytes.Clone(b1.Bytes())
	copy(bad[off:off+8], b1.Bytes()[off+row:off+row+8])
	copy(bad[off+row:off+row+8], b1.Bytes()[off:off+8])
	if _, _, err := Parse(bad); err == nil || !strings.Contains(err.Error(), "ascending") {
		t.Errorf("a model with two rows swapped: %v", err)
	}
}

func TestBIOConstraint(t *testing.T) {
	labels := []string{"O", "B-X", "I-X", "B-Y", "I-Y"}
	m := New(labels)
	// Scores that favour I-X everywhere: decoding must still open with B-X.
	m.index[H(9)] = 0
	m.w = []float32{0, 1, 5, 0, 0}
	got := m.Decode([][]uint64{{H(9)}, {H(9)}, {H(9)}})
	if got[0] != 1 || got[1] != 2 || got[2] != 2 {
		t.Errorf("decoded %v, want [1 2 2] (B-X I-X I-X)", got)
	}
	if _, err := Train(labels, []Seq{{Feats: [][]uint64{{1}}, Gold: []int{2}}}, TrainOptions{}); err == nil {
		t.Error("gold I-X at the start was accepted")
	}
	if _, err := Train(labels, []Seq{{Feats: [][]uint64{{1}, {2}}, Gold: []int{1, 4}}}, TrainOptions{}); err == nil {
		t.Error("gold I-Y after B-X was accepted")
	}
	if _, err := Train(labels, nil, TrainOptions{}); err == nil {
		t.Error("no data was accepted")
	}
	if got := m.Decode(nil); len(got) != 0 {
		t.Errorf("empty sequence decoded to %v", got)
	}
}
