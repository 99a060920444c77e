package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/format"
	"github.com/newsgraph/newsgraph/timex"
)

// timemlDocs reads a TimeML folder and runs each document's text through the text pipeline (clean-up,
// tokens, sentences), with its DCT as the document date.
func timemlDocs(ctx context.Context, dir string) ([]timex.Document, []*newsgraph.Doc, error) {
	docs, err := timex.LoadTimeML(dir)
	if err != nil {
		return nil, nil, err
	}
	p, err := engine.Text()
	if err != nil {
		return nil, nil, err
	}
	out := make([]*newsgraph.Doc, len(docs))
	for i, t := range docs {
		d := newsgraph.NewDoc(t.Text, newsgraph.Meta{Date: t.DCT, Input: newsgraph.Input{Path: filepath.Join(dir, t.Name)}})
		if err := p.Process(ctx, d); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		out[i] = d
	}
	return docs, out, nil
}

func scoreTimex(m *timex.Model, docs []timex.Document, ds []*newsgraph.Doc, errs io.Writer) timex.Scores {
	var s timex.Scores
	for i, d := range ds {
		dct, ok := timex.DocDate(d.Meta)
		found := timex.TimeMLTimexes(m.Spans(d, dct, ok))
		s.Add(docs[i].Timexes, found)
		if errs != nil {
			writeTimexErrors(errs, docs[i], found)
		}
	}
	return s
}

// writeTimexErrors prints, for one document, each gold expression that was missed or found with
// another span, type or value, and each expression found that no gold one overlaps.
func writeTimexErrors(w io.Writer, doc timex.Document, found []format.TimeMLTimex) {
	text := doc.Text
	seen := make([]bool, len(found))
	for _, g := range doc.Timexes {
		k := -1
		for j, f := range found {
			if f.Start < g.End && g.Start < f.End {
				k = j
				break
			}
		}
		if k < 0 {
			fmt.Fprintf(w, "%s\tmissed\t%q %s %s\n", doc.Name, text[g.Start:g.End], g.Type, g.Value)
			continue
		}
		seen[k] = true
		f := found[k]
		if f.Start != g.Start || f.End != g.End || f.Type != g.Type || f.Value != g.Value {
			fmt.Fprintf(w, "%s\twrong\t%q %s %s\tfound %q %s %s\tdct %s\n", doc.Name, text[g.Start:g.End], g.Type, g.Value, text[f.Start:f.End], f.Type, f.Value, doc.DCT)
		}
	}
	for j, f := range found {
		if !seen[j] {
			fmt.Fprintf(w, "%s\tspurious\t%q %s %s\n", doc.Name, text[f.Start:f.End], f.Type, f.Value)
		}
	}
}

func writeTimexScores(w io.Writer, n int, s timex.Scores) {
	fmt.Fprintf(w, "documents %d; expressions: gold %d, found %d\n", n, s.Gold, s.Found)
	fmt.Fprintf(w, "strict   precision %6.2f%%  recall %6.2f%%  F1 %6.2f\n", 100*s.P(s.Strict), 100*s.R(s.Strict), 100*s.F1(s.Strict))
	fmt.Fprintf(w, "relaxed  precision %6.2f%%  recall %6.2f%%  F1 %6.2f\n", 100*s.P(s.Relaxed), 100*s.R(s.Relaxed), 100*s.F1(s.Relaxed))
	acc := func(k int) float64 {
		if s.Relaxed == 0 {
			return 0
		}
		return 100 * float64(k) / float64(s.Relaxed)
	}
	fmt.Fprintf(w, "type     F1 %6.2f  (accuracy on relaxed matches %.2f%%)\n", 100*s.F1(s.TypeOK), acc(s.TypeOK))
	fmt.Fprintf(w, "value    F1 %6.2f  (accuracy on relaxed matches %.2f%%)\n", 100*s.F1(s.ValueOK), acc(s.ValueOK))
}

func runTrainTimex(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("train timex", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	trainDir := fs.String("train", "", "TimeML training folder (.tml files, searched recursively)")
	devDir := fs.String("dev", "", "TimeML development folder, scored after each epoch; the best epoch is kept")
	out := fs.String("out", "", "directory to write model.bin into")
	epochs := fs.Int("epochs", 10, "passes over the training data")
	seed := fs.Int64("seed", 1, "random seed; the same seed and data give the same model")
	cvErrors := fs.Bool("errors", false, "with --cv: print each held-out expression missed, found wrong or found spurious")
	cv := fs.Int("cv", 0, "also cross-validate on the training folder in this many folds (documents i mod N), each fold's model trained for --epochs on the others, and print the pooled scores")
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 || *trainDir == "" || *out == "" || *cv == 1 || *cv < 0 {
		fmt.Fprintln(e.stderr, "newsgraph train timex: give --train DIR and --out DIR (and --dev DIR, --cv N ≥ 2)")
		return exitUsage
	}
	start := time.Now()
	docs, ds, err := timemlDocs(ctx, *trainDir)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
		return exitFail
	}
	exs := make([]timex.Example, len(ds))
	for i, d := range ds {
		exs[i] = timex.NewExample(d, docs[i].Timexes)
	}
	if *cv > 1 {
		var pooled timex.Scores
		for k := 0; k < *cv; k++ {
			var fold []timex.Example
			var heldDocs []timex.Document
			var heldDs []*newsgraph.Doc
			for i := range exs {
				if i%*cv == k {
					heldDocs, heldDs = append(heldDocs, docs[i]), append(heldDs, ds[i])
				} else {
					fold = append(fold, exs[i])
				}
			}
			m, err := timex.Train(fold, timex.TrainOptions{Epochs: *epochs, Seed: *seed})
			if err != nil {
				fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
				return exitFail
			}
			var errs io.Writer
			if *cvErrors {
				errs = e.stdout
			}
			s := scoreTimex(m, heldDocs, heldDs, errs)
			pooled.Gold, pooled.Found = pooled.Gold+s.Gold, pooled.Found+s.Found
			pooled.Strict, pooled.Relaxed = pooled.Strict+s.Strict, pooled.Relaxed+s.Relaxed
			pooled.TypeOK, pooled.ValueOK = pooled.TypeOK+s.TypeOK, pooled.ValueOK+s.ValueOK
		}
		fmt.Fprintf(e.stdout, "%d-fold cross-validation on the training folder:\n", *cv)
		writeTimexScores(e.stdout, len(exs), pooled)
	}
	opts := timex.TrainOptions{Epochs: *epochs, Seed: *seed, Log: e.stdout}
	var devDocs []timex.Document
	var devDs []*newsgraph.Doc
	if *devDir != "" {
		if devDocs, devDs, err = timemlDocs(ctx, *devDir); err != nil {
			fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
			return exitFail
		}
		opts.Score = func(m *timex.Model) float64 {
			s := scoreTimex(m, devDocs, devDs, nil)
			return s.F1(s.Strict) + s.F1(s.ValueOK)
		}
	}
	m, err := timex.Train(exs, opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
		return exitFail
	}
	if devDs != nil {
		writeTimexScores(e.stdout, len(devDs), scoreTimex(m, devDocs, devDs, nil))
	}
	return writeModel(e, *out, m.Save, start)
}

func runEvalTimex(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("eval timex", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	modelPath := fs.String("model", "", "model file (default: the built-in model)")
	showErr := fs.Bool("errors", false, "print each expression missed, found wrong (span, type or value) or found spurious")
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 && len(rest) != 2 {
		fmt.Fprintln(e.stderr, "Usage: newsgraph eval timex [--model FILE] GOLD_DIR [PRED_DIR]")
		return exitUsage
	}
	if len(rest) == 2 && *modelPath != "" {
		fmt.Fprintln(e.stderr, "newsgraph eval timex: --model runs the tagger; with PRED_DIR the expressions are read, not tagged")
		return exitUsage
	}
	if len(rest) == 2 {
		gold, err := timex.LoadTimeML(rest[0])
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
			return exitFail
		}
		var s timex.Scores
		for _, g := range gold {
			f, err := os.Open(predPath(rest[1], g.Name))
			if err != nil {
				fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
				return exitFail
			}
			p, err := format.ReadTimeML(f)
			f.Close()
			if err != nil {
				fmt.Fprintf(e.stderr, "newsgraph eval: %s: %v\n", predPath(rest[1], g.Name), err)
				return exitFail
			}
			if p.Text != g.Text {
				fmt.Fprintf(e.stderr, "newsgraph eval: %s: its text differs from the gold file's\n", predPath(rest[1], g.Name))
				return exitFail
			}
			s.Add(g.Timexes, p.Timexes)
			if *showErr {
				writeTimexErrors(e.stdout, g, p.Timexes)
			}
		}
		writeTimexScores(e.stdout, len(gold), s)
		return exitOK
	}
	m, err := loadTimexModel(*modelPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
		return exitFail
	}
	docs, ds, err := timemlDocs(ctx, rest[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
		return exitFail
	}
	var errs io.Writer
	if *showErr {
		errs = e.stdout
	}
	writeTimexScores(e.stdout, len(ds), scoreTimex(m, docs, ds, errs))
	return exitOK
}

// predPath is the prediction file for a gold file's path under the gold folder: the same path
// under the prediction folder, or its .TE3input twin's output name (NAME.tml for NAME.TE3input).
func predPath(dir, name string) string {
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		if stem, ok := strings.CutSuffix(name, ".TE3input"); ok {
			return filepath.Join(dir, stem+".tml")
		}
	}
	return p
}

func loadTimexModel(path string) (*timex.Model, error) {
	return modelFile(path, timex.Default, timex.LoadBytes)
}

// analyzeTimeML reads TimeML files (or folders of .tml and .TE3input files) and writes each back
// with TIMEX3 tags around the temporal expressions found, to standard output (one file) or into
// --out under the same names (a NAME.TE3input input is written as NAME.tml, the name of its gold
// file, as TempEval-3 systems did). The document date is the file's DCT, else --date.
func analyzeTimeML(ctx context.Context, e env, f analyzeFlags, paths []string) int {
	var files, names []string // names: the path under the folder given, or the file's name
	for _, p := range paths {
		if p == "-" {
			files, names = append(files, p), append(names, "stdin.tml")
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph: %v\n", err)
			return exitFail
		}
		if !fi.IsDir() {
			files, names = append(files, p), append(names, filepath.Base(p))
			continue
		}
		docs, err := timex.Files(p)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph: %v\n", err)
			return exitFail
		}
		for _, d := range docs {
			rel, err := filepath.Rel(p, d)
			if err != nil {
				rel = filepath.Base(d)
			}
			files, names = append(files, d), append(names, rel)
		}
	}
	if len(files) > 1 && f.out == "" {
		fmt.Fprintln(e.stderr, "newsgraph analyze: TimeML output is one file per input: give --out DIR for several")
		return exitUsage
	}
	if f.out != "" {
		if in := outInsideInput(f.out, paths); in != "" {
			fmt.Fprintf(e.stderr, "newsgraph analyze: --out %s lies inside the input %s: its files would be read as inputs or overwrite them\n", f.out, in)
			return exitUsage
		}
		if err := os.MkdirAll(f.out, 0o755); err != nil {
			fmt.Fprintf(e.stderr, "newsgraph analyze: %v\n", err)
			return exitFail
		}
	}
	pipe, err := engine.Timex()
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph analyze: %v\n", err)
		return exitFail
	}
	failed := 0
	used := map[string]bool{}
	for i, path := range files {
		if err := analyzeTimeMLFile(ctx, e, f, pipe, path, names[i], used); err != nil {
			failed++
			fmt.Fprintf(e.stderr, "newsgraph: %s: %v\n", path, err)
		}
	}
	if failed > 0 {
		fmt.Fprintf(e.stderr, "newsgraph: %d input(s) failed, %d analysed\n", failed, len(files)-failed)
		return exitFail
	}
	return exitOK
}

func analyzeTimeMLFile(ctx context.Context, e env, f analyzeFlags, pipe *newsgraph.Pipeline, path, name string, used map[string]bool) error {
	var in io.Reader = e.stdin
	if path != "-" {
		fh, err := os.Open(path)
		if err != nil {
			return err
		}
		defer fh.Close()
		in = fh
	}
	t, err := format.ReadTimeML(io.LimitReader(in, f.maxBytes+1))
	if err != nil {
		return err
	}
	if int64(len(t.Raw)) > f.maxBytes {
		return fmt.Errorf("%w: larger than --max-size %d bytes", newsgraph.ErrTooLarge, f.maxBytes)
	}
	meta := newsgraph.Meta{Date: t.DCT, Input: newsgraph.Input{Path: path, Bytes: len(t.Raw)}}
	if meta.Date == "" {
		meta.Date = f.date
	}
	d := newsgraph.NewDoc(t.Text, meta)
	if err := pipe.Process(ctx, d); err != nil {
		return err
	}
	var xs []format.TimexOut
	for _, s := range d.Layer(newsgraph.LayerTimexes) {
		x := format.TimexOut{TID: s.ID, Start: s.Start, End: s.End, Type: s.Label, Value: s.Attr("value"), Mod: s.Attr("mod")}
		if a := s.Attr("anchor"); a != "" {
			x.Anchor = a
			if a == "dct" {
				// The DCT's own tid where the file has one; a date from --date has no element.
				x.Anchor = t.DCTID
			}
		}
		xs = append(xs, x)
	}
	if f.out == "" {
		_, err := format.WriteTimeML(e.stdout, t, xs)
		return err
	}
	if stem, ok := strings.CutSuffix(name, ".TE3input"); ok {
		name = stem + ".tml"
	}
	if used[name] {
		return fmt.Errorf("another input already wrote %s into %s", name, f.out)
	}
	used[name] = true
	outPath := filepath.Join(f.out, name)
	if same(outPath, path) {
		return fmt.Errorf("%s is the input itself: not overwritten", outPath)
	}
	if err := os.MkdirAll(filepath.Dir(outPath), 0o755); err != nil {
		return err
	}
	var b strings.Builder
	if _, err := format.WriteTimeML(&b, t, xs); err != nil {
		return err
	}
	return os.WriteFile(outPath, []byte(b.String()), 0o644)
}
