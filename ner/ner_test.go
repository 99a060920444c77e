package ner

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// toy is a small training set with a learnable pattern: capitalised words after "Mr" are PER,
// after "in" LOC.
func toy() []Doc {
	var docs []Doc
	names := []string{"Smith", "Jones", "Brown", "Omar", "Lee", "Garcia"}
	places := []string{"Kabul", "Paris", "Lima", "Oslo", "Rome", "Quito"}
	for i := 0; i < 30; i++ {
		n, p := names[i%len(names)], places[(i*5)%len(places)]
		docs = append(docs, Doc{
			{Words: []string{"Mr", n, "arrived", "in", p, "."}, Tags: []string{"O", "B-PER", "O", "O", "B-LOC", "O"}},
			{Words: []string{"He", "met", "Mr", n, "."}, Tags: []string{"O", "O", "O", "B-PER", "O"}},
		})
	}
	return docs
}

func TestTrainLearnsAndIsDeterministic(t *testing.T) {
	m1, err := Train(toy(), TrainOptions{Epochs: 5, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := Train(toy(), TrainOptions{Epochs: 5, Seed: 7})
	var b1, b2 bytes.Buffer
	if err := m1.Save(&b1); err != nil {
		t.Fatal(err)
	}
	m2.Save(&b2)
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Error("the same data and seed gave different models")
	}
	got := m1.NewTagger().TagDocument([][]string{{"Mr", "Zapata", "arrived", "in", "Lagos", "."}})
	if strings.Join(got[0], " ") != "O B-PER O O B-LOC O" {
		t.Errorf("tagged %v", got[0])
	}
	// Round trip through Save and Load gives the same tags.
	m3, err := Load(bytes.NewReader(b1.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got3 := m3.NewTagger().TagDocument([][]string{{"Mr", "Zapata", "arrived", "in", "Lagos", "."}}); strings.Join(got3[0], " ") != strings.Join(got[0], " ") {
		t.Errorf("loaded model tags %v", got3[0])
	}
}

func TestTrainChecksItsInput(t *testing.T) {
	if _, err := Train(nil, TrainOptions{Stages: 1}); err == nil {
		t.Error("an empty training set was accepted")
	}
	if _, err := Train(toy()[:3], TrainOptions{Stages: 2}); err == nil {
		t.Error("two stages from three documents were accepted")
	}
	if _, err := Train(toy(), TrainOptions{Stages: 3}); err == nil {
		t.Error("three stages were accepted")
	}
	// IOB1 gold ("I-PER" opening an entity) is read as IOB2.
	ids, err := tagIDs([]string{"I-PER", "I-PER", "O", "I-LOC", "B-LOC"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, id := range ids {
		got = append(got, Tags[id])
	}
	if strings.Join(got, " ") != "B-PER I-PER O B-LOC B-LOC" {
		t.Errorf("tagIDs: %v", got)
	}
}

func TestLoadChecks(t *testing.T) {
	m, _ := Train(toy(), TrainOptions{Epochs: 1, Stages: 1})
	var b bytes.Buffer
	m.Save(&b)
	good := b.Bytes()
	other := append([]byte(nil), good...)
	other[len(magic)+4] ^= 1 // the lexicon check value
	if _, err := Load(bytes.NewReader(other)); err == nil || !strings.Contains(err.Error(), "lexicon") {
		t.Errorf("a model of another lexicon: %v", err)
	}
	nan := append([]byte(nil), good...)
	copy(nan[len(good)-4:], []byte{0x00, 0x00, 0xc0, 0x7f}) // the last weight: NaN
	if _, err := Load(bytes.NewReader(nan)); err == nil {
		t.Error("a NaN weight was accepted")
	}
}

func TestTrainRejectsBadTags(t *testing.T) {
	if _, err := Train([]Doc{{{Words: []string{"a"}, Tags: []string{"B-FOO"}}}}, TrainOptions{}); err == nil {
		t.Error("unknown tag accepted")
	}
	if _, err := Train([]Doc{{{Words: []string{"a", "b"}, Tags: []string{"O"}}}}, TrainOptions{}); err == nil {
		t.Error("length mismatch accepted")
	}
}

func TestLoadRejectsGarbage(t *testing.T) {
	for _, in := range []string{"", "NGNER", "hello world", "NGNER\x01\x00\x00\x00\xff\xff\xff\xff"} {
		if _, err := Load(strings.NewReader(in)); err == nil {
			t.Errorf("Load(%q) accepted", in)
		}
	}
	var b bytes.Buffer
	m, _ := Train(toy(), TrainOptions{Epochs: 1})
	m.Save(&b)
	if _, err := Load(bytes.NewReader(b.Bytes()[:b.Len()-3])); err == nil {
		t.Error("truncated model accepted")
	}
}

func TestIOBConstraint(t *testing.T) {
	for a := -1; a < nTags; a++ {
		for b := 0; b < nTags; b++ {
			want := true
			if strings.HasPrefix(Tags[b], "I-") {
				want = a >= 0 && Tags[a] != "O" && Tags[a][2:] == Tags[b][2:]
			}
			if allowed(a, b) != want {
				t.Errorf("allowed(%d, %s) = %v", a, Tags[b], !want)
			}
		}
	}
}

// FuzzLoad: any bytes give a model or an error, never a panic.
func FuzzLoad(f *testing.F) {
	var b bytes.Buffer
	m, err := Train(toy(), TrainOptions{Epochs: 1, Stages: 2, Folds: 2})
	if err != nil {
		f.Fatal(err)
	}
	m.Save(&b)
	f.Add(b.Bytes())
	f.Add([]byte("NGNER\x02\x00\x00\x00\x02\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if m, err := Load(bytes.NewReader(in)); err == nil {
			m.NewTagger().TagDocument([][]string{{"Mr", "Smith", "."}})
		}
	})
}

// TestMinedLists checks the entity lists mined from the training data: every annotated phrase with
// its types, a training document seeing only the other folds' phrases, and the lists surviving
// Save and Load.
func TestMinedLists(t *testing.T) {
	words := [][][]string{
		{{"Mr", "Hans", "Blix", "met", "Reuters", "."}},
		{{"Jordan", "beat", "Jordan", "Grand", "Prix", "team"}},
	}
	gold := [][][]int{
		{{0, 1, 2, 0, 3, 0}},
		{{5, 0, 3, 7, 8, 0}},
	}
	has := func(g *Gazetteer, phrase string, typ string) bool {
		mask := g.phrases[phraseHash(strings.Fields(phrase))]
		for c, name := range g.cats {
			if name == typ {
				return mask&(1<<c) != 0
			}
		}
		t.Fatalf("no category %s", typ)
		return false
	}
	all := mineLists([]int{0, 1}, words, gold)
	for _, c := range []struct {
		phrase, typ string
		want        bool
	}{
		{"hans blix", "PER", true}, {"hans", "PER", false}, {"reuters", "ORG", true},
		{"jordan", "LOC", true}, {"jordan", "ORG", true}, {"jordan", "PER", false},
		{"grand prix", "MISC", true}, {"grand prix team", "MISC", false},
	} {
		if got := has(all, c.phrase, c.typ); got != c.want {
			t.Errorf("%q as %s: %v, want %v", c.phrase, c.typ, got, c.want)
		}
	}
	if fold := mineLists([]int{1}, words, gold); has(fold, "hans blix", "PER") {
		t.Error("a list mined from document 1 alone has document 0's name")
	}

	m, err := Train(toy(), TrainOptions{Epochs: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if m.mined == nil || !has(m.mined, "kabul", "LOC") || !has(m.mined, "smith", "PER") {
		t.Fatal("the trained model lacks the mined lists")
	}
	var b bytes.Buffer
	if err := m.Save(&b); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(m2.mined.phrases) != len(m.mined.phrases) || !has(m2.mined, "kabul", "LOC") {
		t.Errorf("after Load: %d mined phrases, want %d", len(m2.mined.phrases), len(m.mined.phrases))
	}
	none, _ := Train(toy(), TrainOptions{Epochs: 1, Seed: 1, NoMined: true})
	if none.mined != nil {
		t.Error("NoMined: the model has mined lists")
	}
}

// TestGazetteerFeaturesLongPhrase checks that a listed phrase is found whole when its first words
// are not listed on their own (the prefix marks let the search go on), and not found when the
// words only start it.
func TestGazetteerFeaturesLongPhrase(t *testing.T) {
	g, err := parseGazetteer("ORG\tbank of new york\nLOC\tyork\n")
	if err != nil {
		t.Fatal(err)
	}
	count := func(words ...string) []int {
		toks := make([]token, len(words))
		for i, w := range words {
			toks[i] = token{word: w, lower: strings.ToLower(w), flags: flagsOf(w)}
		}
		marks := make([][]uint64, len(words))
		g.features(fGazetteer, toks, marks)
		n := make([]int, len(words))
		for i := range marks {
			n[i] = len(marks[i])
		}
		return n
	}
	if got := fmt.Sprint(count("the", "Bank", "of", "New", "York", "said")); got != "[0 1 1 1 2 0]" {
		t.Errorf("features per token %s, want [0 1 1 1 2 0]", got)
	}
	if got := fmt.Sprint(count("Bank", "of", "New", "Jersey")); got != "[0 0 0 0]" {
		t.Errorf("a phrase's first words alone: features per token %s, want none", got)
	}
	if g.typeOfPhrase([]string{"bank", "of"}) != "" {
		t.Error("a prefix has a type")
	}
}
