package ner

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// tagStages is the reference for tagIDs: each stage looks up its own weights for every feature of
// a token, the local ones and, after the first stage, the non-local ones appended to them.
func tagStages(m *Model, sents [][]string) [][]int {
	x := extractor{lex: m.lex, res: m.res, mined: m.mined, doc: newDocStats(sents)}
	var feats [][]uint64
	var back []uint64
	local := make([][][]uint64, len(sents))
	toks := make([][]token, len(sents))
	decode := func(st *stage, fs [][]uint64) []int {
		sc := make([][nTags]float32, len(fs))
		st.scores(fs, sc)
		out := make([]int, len(fs))
		st.viterbi(sc, out, make([][nTags]int8, len(fs)))
		return out
	}
	prev := make([][]int, len(sents))
	for i, s := range sents {
		feats, back = x.sentence(s, feats, back)
		for _, f := range feats {
			local[i] = append(local[i], slices.Clone(f))
		}
		toks[i] = slices.Clone(x.toks)
		prev[i] = decode(m.stages[0], local[i])
	}
	for _, st := range m.stages[1:] {
		x.nl = newNonLocal(sents, prev)
		cur := make([][]int, len(sents))
		for i := range sents {
			x.s1 = prev[i]
			var fs [][]uint64
			for k, f := range local[i] {
				fs = append(fs, x.nonLocalFeatures(slices.Clone(f), toks[i][k], k))
			}
			cur[i] = decode(st, fs)
		}
		prev = cur
	}
	return prev
}

// TestJointScoring: the shipped model's tags through the joint table (one lookup a local feature
// for both stages) are those of each stage looking up its own.
func TestJointScoring(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.stages) < 2 {
		t.Fatalf("the shipped model has %d stage(s)", len(m.stages))
	}
	// The example article, a sentence a line, words split at spaces, and a few lines whose names
	// recur (the second stage's non-local features matter there).
	b, err := os.ReadFile("../examples/taliban-peace-talks.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := append(strings.Split(string(b), "\n"),
		"Mullah Omar said the talks with Kabul were legitimate .",
		"OMAR BACKS PEACE TALKS",
		"Ghani met John Kerry in Doha ; Kerry said the Doha office would stay open .",
	)
	var sents [][]string
	for _, s := range text {
		if w := strings.Fields(s); len(w) > 0 {
			sents = append(sents, w)
		}
	}
	got := m.NewTagger().tagIDs(sents)
	want := tagStages(m, sents)
	if !slices.EqualFunc(got, want, slices.Equal[[]int]) {
		t.Errorf("joint scoring tagged\n%v\nwant\n%v", got, want)
	}
	found := 0
	for _, s := range got {
		for _, id := range s {
			if id != 0 {
				found++
			}
		}
	}
	if found < 50 {
		t.Errorf("only %d entity tokens: %v", found, got)
	}
}

func TestMergeSorted(t *testing.T) {
	for _, c := range [][3][]uint64{
		{nil, nil, nil},
		{{1, 4, 9}, nil, {1, 4, 9}},
		{nil, {2}, {2}},
		{{1, 4, 9}, {2, 4, 10, 11}, {1, 2, 4, 9, 10, 11}},
	} {
		if got := mergeSorted(c[0], c[1]); !slices.Equal(got, c[2]) {
			t.Errorf("mergeSorted(%v, %v) = %v", c[0], c[1], got)
		}
	}
}

// TestJointRows: every stage's row of every hash sits in its place in the joint table, and a stage
// that lacks a hash has zeros there.
func TestJointRows(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	j := m.jointTable()
	width := len(m.stages) * nTags
	for jr, k := range j.fast.Keys() {
		for s, st := range m.stages {
			want := make([]float32, nTags)
			if r, ok := slices.BinarySearch(st.fast.Keys(), k); ok {
				want = st.w[r*nTags : r*nTags+nTags]
			}
			got := j.w[jr*width+s*nTags : jr*width+s*nTags+nTags]
			if !slices.Equal(got, want) {
				t.Fatalf("hash %x, stage %d: joint row %v, want %v", k, s+1, got, want)
			}
		}
	}
	for s, st := range m.stages {
		for _, k := range st.fast.Keys() {
			if _, ok := slices.BinarySearch(j.fast.Keys(), k); !ok {
				t.Fatalf("stage %d's hash %x is not in the joint table", s+1, k)
			}
		}
	}
}

func TestUntrainedModel(t *testing.T) {
	m := &Model{stages: []*stage{newStage()}}
	if err := m.Save(&strings.Builder{}); err == nil {
		t.Error("a stage still in training was saved")
	}
}
