package engine_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/attrib"
	"github.com/newsgraph/newsgraph/clean"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/format"
	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/ner"
	"github.com/newsgraph/newsgraph/sentence"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/timex"
	"github.com/newsgraph/newsgraph/tokenize"
)

// bbcTexts reads the BBC corpus into memory: the texts and their total size in bytes.
func bbcTexts(b *testing.B) ([]string, int) {
	dir := testutil.SharedData(b, "news-text/bbc")
	var texts []string
	size := 0
	err := source.Read(context.Background(), []string{dir}, source.Options{}, func(it source.Item) error {
		if it.Err == nil {
			texts = append(texts, it.Text)
			size += len(it.Text)
		}
		return nil
	})
	if err != nil || len(texts) == 0 {
		b.Fatalf("no articles: %v", err)
	}
	return texts, size
}

// BenchmarkPipeline measures clean-up + tokens + sentences over the 2,225 BBC articles, read into
// memory before the timer starts: MB/s from SetBytes, and tokens/s reported beside it.
//
//	go test ./engine -run XXX -bench Pipeline -benchtime 5x -cpu 1
func BenchmarkPipeline(b *testing.B) {
	texts, size := bbcTexts(b)
	p, err := engine.Text()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	tokens := 0
	for i := 0; i < b.N; i++ {
		for _, text := range texts {
			d := newsgraph.NewDoc(text, newsgraph.Meta{})
			if err := p.Process(ctx, d); err != nil {
				b.Fatal(err)
			}
			if len(d.Layer(newsgraph.LayerSentences)) == 0 {
				b.Fatal("no sentences")
			}
			tokens += len(d.Layer(newsgraph.LayerTokens))
		}
	}
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
	b.ReportMetric(float64(len(texts)*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkHostile runs the pipeline on inputs built to provoke quadratic behaviour: long runs of
// quotation marks, brackets, periods and abbreviations. Each should cost about as much per byte as
// ordinary text; a regression to quadratic time shows here as a jump of orders of magnitude.
func BenchmarkHostile(b *testing.B) {
	cases := map[string]string{
		"straight-quotes":  strings.Repeat(`"`, 200000),
		"open-then-close":  strings.Repeat("“", 100000) + strings.Repeat("”", 100000),
		"single-double":    strings.Repeat("‘", 100000) + strings.Repeat("”", 100000),
		"nested-mixed":     strings.Repeat("“‘", 50000) + strings.Repeat("’”", 50000),
		"periods":          strings.Repeat(". ", 100000),
		"brackets":         strings.Repeat("(", 200000),
		"titles":           strings.Repeat("Mr. ", 50000),
		"list-markers":     strings.Repeat("1. a 2. b ", 20000),
		"one-long-word":    strings.Repeat("a", 1000000),
		"inline-quotes":    strings.Repeat(`he said "a. b." and `, 10000),
		"url-parens":       "http://x.com/" + strings.Repeat(")", 200000),
		"wrapped-lines":    strings.Repeat("word word word\n", 50000),
		"quoted-sentences": strings.Repeat(`He said "Yes." `, 20000),
		"weekdays":         strings.Repeat("Monday ", 100000),
		"dates":            strings.Repeat("July 15, 2015, ", 30000),
		"durations":        strings.Repeat("a week after two days ", 20000),
	}
	p, err := engine.New()
	if err != nil {
		b.Fatal(err)
	}
	for name, text := range cases {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for i := 0; i < b.N; i++ {
				d := newsgraph.NewDoc(text, newsgraph.Meta{Date: "2015-07-16"})
				if err := p.Process(context.Background(), d); err != nil {
					b.Fatal(err)
				}
				// The terminal view too: it walks the same spans.
				if err := format.WriteText(io.Discard, d, format.TextOptions{Color: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStages measures the pipeline up to named entities, then with temporal expressions, then
// the whole default pipeline (with attributions) over the BBC articles (dated 2005-01-01, so that
// relative expressions are resolved), models loaded before the timer: the temporal layer's share
// of the time is timexes/entities - 1, the attribution layer's full/timexes - 1.
//
//	go test ./engine -run XXX -bench Stages -benchtime 3x -cpu 1
func BenchmarkStages(b *testing.B) {
	texts, size := bbcTexts(b)
	for _, c := range []struct {
		name  string
		build func() (*newsgraph.Pipeline, error)
		layer string
	}{
		{"entities", engine.Entities, newsgraph.LayerEntities},
		{"timexes", func() (*newsgraph.Pipeline, error) {
			return newsgraph.NewPipeline(clean.Component{}, tokenize.Component{}, sentence.Component{}, ner.Component{}, timex.Component{})
		}, newsgraph.LayerTimexes},
		{"full", engine.New, newsgraph.LayerAttributions},
	} {
		b.Run(c.name, func(b *testing.B) {
			p, err := c.build()
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			warm := newsgraph.NewDoc(texts[0], newsgraph.Meta{})
			if err := p.Process(ctx, warm); err != nil { // loads the models
				b.Fatal(err)
			}
			b.SetBytes(int64(size))
			b.ResetTimer()
			found := 0
			for i := 0; i < b.N; i++ {
				for _, text := range texts {
					d := newsgraph.NewDoc(text, newsgraph.Meta{Date: "2005-01-01"})
					if err := p.Process(ctx, d); err != nil {
						b.Fatal(err)
					}
					found += len(d.Layer(c.layer))
				}
			}
			if found == 0 {
				b.Fatalf("no %s", c.layer)
			}
			b.ReportMetric(float64(len(texts)*b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// BenchmarkLayerShare runs the default pipeline over the BBC articles (dated 2005-01-01) one
// component at a time and reports what the temporal layer and the attribution layer each add to
// the time of the pipeline before them, measured on the same documents in the same pass (so the
// machine's drift between sub-benchmarks does not enter): timex-% is the temporal component's time
// over that of clean-up, tokens, sentences and entities; attrib-% the attribution component's over
// all of those and the temporal one.
//
//	go test ./engine -run XXX -bench LayerShare -benchtime 1x -count 3 -cpu 1
func BenchmarkLayerShare(b *testing.B) {
	texts, size := bbcTexts(b)
	comps := []newsgraph.Component{clean.Component{}, tokenize.Component{}, sentence.Component{}, ner.Component{}, timex.Component{}, attrib.Component{}}
	if _, err := newsgraph.NewPipeline(comps...); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	run := func(d *newsgraph.Doc, c newsgraph.Component) time.Duration {
		t0 := time.Now()
		if err := c.Process(ctx, d); err != nil {
			b.Fatal(err)
		}
		return time.Since(t0)
	}
	warm := newsgraph.NewDoc(texts[0], newsgraph.Meta{Date: "2005-01-01"})
	for _, c := range comps {
		run(warm, c) // loads the models
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	var before, tx, at time.Duration
	for i := 0; i < b.N; i++ {
		for _, text := range texts {
			d := newsgraph.NewDoc(text, newsgraph.Meta{Date: "2005-01-01"})
			for _, c := range comps[:4] {
				before += run(d, c)
			}
			tx += run(d, comps[4])
			at += run(d, comps[5])
		}
	}
	b.ReportMetric(100*tx.Seconds()/before.Seconds(), "timex-%")
	b.ReportMetric(100*at.Seconds()/(before+tx).Seconds(), "attrib-%")
}
