package syntax_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/conll"
	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/syntax"
)

func TestDefaultTags(t *testing.T) {
	m, err := syntax.Default()
	if err != nil {
		t.Fatal(err)
	}
	tg := m.NewTagger()
	for _, c := range []struct{ words, pos, chunk string }{
		{"He said that the talks failed .", "PRP VBD IN DT NNS VBD .", "B-NP B-VP B-SBAR B-NP I-NP B-VP O"},
		// Curly quotes and the em dash are read as CoNLL writes them.
		{"“ We will win , ” Omar wrote — again .", `" PRP MD VB , " NNP VBD : RB .`, ""},
	} {
		pos, chunk := tg.Tag(strings.Fields(c.words))
		if got := strings.Join(pos, " "); got != c.pos {
			t.Errorf("%q: POS %s, want %s", c.words, got, c.pos)
		}
		if c.chunk != "" && strings.Join(chunk, " ") != c.chunk {
			t.Errorf("%q: chunks %s, want %s", c.words, strings.Join(chunk, " "), c.chunk)
		}
		for i, ch := range chunk {
			if x, ok := strings.CutPrefix(ch, "I-"); ok && (i == 0 || !strings.HasSuffix(chunk[i-1], "-"+x)) {
				t.Errorf("%q: chunk tag %s at %d does not continue a chunk: %v", c.words, ch, i, chunk)
			}
		}
	}
	if pos, chunk := tg.Tag(nil); len(pos) != 0 || len(chunk) != 0 {
		t.Error("tags for no words")
	}
}

func TestTrainSaveLoad(t *testing.T) {
	data := []syntax.Sentence{
		{Words: []string{"the", "dog", "barks"}, POS: []string{"DT", "NN", "VBZ"}, Chunk: []string{"B-NP", "I-NP", "B-VP"}},
		{Words: []string{"a", "cat", "sleeps"}, POS: []string{"DT", "NN", "VBZ"}, Chunk: []string{"B-NP", "I-NP", "B-VP"}},
	}
	m, err := syntax.Train(data, syntax.TrainOptions{Epochs: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := m.Save(&b); err != nil {
		t.Fatal(err)
	}
	m2, err := syntax.LoadBytes(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	pos, chunk := m2.NewTagger().Tag([]string{"the", "cat", "barks"})
	if strings.Join(pos, " ") != "DT NN VBZ" || strings.Join(chunk, " ") != "B-NP I-NP B-VP" {
		t.Errorf("tagged %v %v", pos, chunk)
	}
	for _, bad := range [][]byte{nil, []byte("NGSYN"), b.Bytes()[:b.Len()-5], append(b.Bytes(), 0)} {
		if _, err := syntax.LoadBytes(bad); err == nil {
			t.Errorf("LoadBytes accepted %d bad bytes", len(bad))
		}
	}
	if _, err := syntax.Train([]syntax.Sentence{{Words: []string{"a"}, POS: nil}}, syntax.TrainOptions{}); err == nil {
		t.Error("a sentence without tags was accepted")
	}
}

// TestDevAccuracy holds the built-in model's POS and chunk-tag accuracy on CoNLL-2003 dev.
func TestDevAccuracy(t *testing.T) {
	f, err := os.Open(testutil.SharedData(t, "conll2003/dev.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	docs, err := conll.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	m, err := syntax.Default()
	if err != nil {
		t.Fatal(err)
	}
	tg := m.NewTagger()
	var pos, chunk, all int
	for _, d := range docs {
		for _, s := range d.Sentences {
			p, c := tg.Tag(s.Tokens())
			gp, gc := s.Column(1), s.Column(2)
			for i := range p {
				if p[i] == gp[i] {
					pos++
				}
				if c[i] == gc[i] {
					chunk++
				}
				all++
			}
		}
	}
	t.Logf("POS %.4f, chunk tags %.4f", float64(pos)/float64(all), float64(chunk)/float64(all))
	if float64(pos) < 0.945*float64(all) || float64(chunk) < 0.945*float64(all) {
		t.Errorf("POS accuracy %.4f, chunk-tag accuracy %.4f: want both ≥ 0.945", float64(pos)/float64(all), float64(chunk)/float64(all))
	}
}

// TestTrainWithoutDev keeps the last epoch when there is no dev data to choose by.
func TestTrainWithoutDev(t *testing.T) {
	data := []syntax.Sentence{
		{Words: []string{"the", "dog", "barks"}, POS: []string{"DT", "NN", "VBZ"}, Chunk: []string{"B-NP", "I-NP", "B-VP"}},
		{Words: []string{"dogs", "bark", "loudly"}, POS: []string{"NNS", "VBP", "RB"}, Chunk: []string{"B-NP", "B-VP", "B-ADVP"}},
	}
	save := func(epochs int) []byte {
		m, err := syntax.Train(data, syntax.TrainOptions{Epochs: epochs, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		m.Save(&b)
		return b.Bytes()
	}
	if bytes.Equal(save(1), save(4)) {
		t.Error("1 and 4 epochs without dev data gave the same model: the first epoch was kept")
	}
}
