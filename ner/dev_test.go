package ner_test

import (
	"os"
	"testing"

	"github.com/newsgraph/newsgraph/conll"
	"github.com/newsgraph/newsgraph/eval"
	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/ner"
)

// minDevF1 is the floor TestDevFloor holds the built-in model to (CoNLL-2003 dev, conlleval F1).
const minDevF1 = 0.940

// TestDevFloor guards the built-in model's F1 on CoNLL-2003 dev: a drop fails.
func TestDevFloor(t *testing.T) {
	path := testutil.SharedData(t, "conll2003/dev.txt")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	docs, err := conll.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ner.Default()
	if err != nil {
		t.Fatal(err)
	}
	tg := m.NewTagger()
	var gold, pred [][]string
	for _, d := range docs {
		sents := make([][]string, len(d.Sentences))
		for i, s := range d.Sentences {
			sents[i] = s.Tokens()
			gold = append(gold, s.Column(-1))
		}
		pred = append(pred, tg.TagDocument(sents)...)
	}
	r := eval.NER(gold, pred)
	t.Logf("dev F1 %.2f", 100*r.Overall.F1())
	if r.Overall.F1() < minDevF1 {
		t.Errorf("dev F1 %.4f < %.4f", r.Overall.F1(), minDevF1)
	}
}
