package timex

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/format"
	"github.com/newsgraph/newsgraph/internal/seq"
)

// Document is a TimeML file: its name (the path under the folder it was loaded from) and content.
type Document struct {
	Name string
	*format.TimeML
}

// Files lists the .tml and .TE3input files under dir (recursively), in lexical order; none is an
// error.
func Files(dir string) ([]string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && (strings.HasSuffix(p, ".tml") || strings.HasSuffix(p, ".TE3input")) {
			paths = append(paths, p)
		}
		return nil
	})
	if err == nil && len(paths) == 0 {
		err = fmt.Errorf("%s: no .tml or .TE3input files", dir)
	}
	sort.Strings(paths)
	return paths, err
}

// LoadTimeML reads every .tml and .TE3input file under dir (recursively), in lexical order of
// their paths.
func LoadTimeML(dir string) ([]Document, error) {
	paths, err := Files(dir)
	if err != nil {
		return nil, err
	}
	docs := make([]Document, 0, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		t, err := format.ReadTimeML(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		rel, _ := filepath.Rel(dir, p)
		docs = append(docs, Document{Name: rel, TimeML: t})
	}
	return docs, nil
}

// Example is a training document: the words of its sentences and their gold labels.
type Example struct {
	Words [][]string
	Gold  [][]int
}

// NewExample aligns gold expressions (byte spans of the document's text) with the tokens of an
// analysed document: a token is inside an expression when it overlaps it.
func NewExample(d *newsgraph.Doc, gold []format.TimeMLTimex) Example {
	var ex Example
	toks := d.Layer(newsgraph.LayerTokens)
	label := func(name string) int {
		for i, l := range Labels {
			if l == name {
				return i
			}
		}
		return 0
	}
	for _, s := range d.Layer(newsgraph.LayerSentences) {
		a, b := newsgraph.Covering(toks, s.Start, s.End)
		if a == b {
			continue
		}
		words := make([]string, b-a)
		labels := make([]int, b-a)
		prev := -1
		for i, t := range toks[a:b] {
			words[i] = d.SpanText(t)
			k := sort.Search(len(gold), func(k int) bool { return gold[k].End > t.Start })
			if k < len(gold) && gold[k].Start < t.End && validType(gold[k].Type) {
				if k == prev {
					labels[i] = label("I-" + gold[k].Type)
				} else {
					labels[i] = label("B-" + gold[k].Type)
				}
				prev = k
			} else {
				prev = -1
			}
		}
		ex.Words = append(ex.Words, words)
		ex.Gold = append(ex.Gold, labels)
	}
	return ex
}

func validType(t string) bool {
	return t == "DATE" || t == "TIME" || t == "DURATION" || t == "SET"
}

// TrainOptions control Train.
type TrainOptions struct {
	Epochs int
	Seed   int64
	Log    io.Writer
	// Score, if not nil, returns the dev score of a model after each epoch; the best epoch is kept.
	Score func(*Model) float64
}

// Train trains the span tagger.
func Train(exs []Example, opts TrainOptions) (*Model, error) {
	var data []seq.Seq
	for _, ex := range exs {
		for i, w := range ex.Words {
			data = append(data, seq.Seq{Feats: sentenceFeatures(w, nil), Gold: ex.Gold[i]})
		}
	}
	so := seq.TrainOptions{Epochs: opts.Epochs, Seed: opts.Seed, MinWeight: 0.01}
	if opts.Score != nil || opts.Log != nil {
		so.Epoch = func(ep int, m *seq.Model, mistakes int) float64 {
			sc := 0.0
			msg := fmt.Sprintf("epoch %2d: %d tokens mistagged, %d features", ep, mistakes, m.Features())
			if opts.Score != nil {
				sc = opts.Score(&Model{tagger: m})
				msg += fmt.Sprintf(", dev %.2f", 100*sc)
			} else {
				sc = float64(ep)
			}
			if opts.Log != nil {
				fmt.Fprintln(opts.Log, msg)
			}
			return sc
		}
	}
	t, err := seq.Train(Labels, data, so)
	if err != nil {
		return nil, err
	}
	return &Model{tagger: t}, nil
}
