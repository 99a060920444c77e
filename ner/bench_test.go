package ner_test

import (
	"os"
	"testing"

	"github.com/newsgraph/newsgraph/conll"
	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/models"
	"github.com/newsgraph/newsgraph/ner"
)

// BenchmarkTag measures tagging throughput on CoNLL-2003 dev with the built-in model, loaded before
// the timer (go test ./ner -run XXX -bench Tag -cpu 1).
func BenchmarkTag(b *testing.B) {
	f, err := os.Open(testutil.SharedData(b, "conll2003/dev.txt"))
	if err != nil {
		b.Fatal(err)
	}
	docs, err := conll.Read(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	var sents [][][]string
	tokens := 0
	for _, d := range docs {
		var s [][]string
		for _, x := range d.Sentences {
			s = append(s, x.Tokens())
			tokens += len(x.Rows)
		}
		sents = append(sents, s)
	}
	m, err := ner.Default()
	if err != nil {
		b.Fatal(err)
	}
	tg := m.NewTagger()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range sents {
			if out := tg.TagDocument(s); len(out) != len(s) {
				b.Fatal("lost sentences")
			}
		}
	}
	b.ReportMetric(float64(tokens*b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkLoad measures start-up: parsing the embedded model (the lexicon is parsed once per
// process and is in BenchmarkLoadLexicon's figure).
func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := ner.LoadBytes(models.NER); err != nil {
			b.Fatal(err)
		}
	}
}
