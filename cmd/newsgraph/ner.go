package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/newsgraph/newsgraph/conll"
	"github.com/newsgraph/newsgraph/eval"
	"github.com/newsgraph/newsgraph/ner"
)

// readCoNLL reads a CoNLL file, or standard input for "-".
func readCoNLL(e env, path string) ([]conll.Document, error) {
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	docs, err := conll.Read(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return docs, nil
}

// nerDocs turns CoNLL documents into training documents, the gold tag being the last column.
func nerDocs(docs []conll.Document) []ner.Doc {
	out := make([]ner.Doc, 0, len(docs))
	for _, d := range docs {
		var nd ner.Doc
		for _, s := range d.Sentences {
			nd = append(nd, ner.Sentence{Words: s.Tokens(), Tags: s.Column(-1)})
		}
		if len(nd) > 0 {
			out = append(out, nd)
		}
	}
	return out
}

// tagDocs tags every document with the model.
func tagDocs(m *ner.Model, docs []conll.Document) [][][]string {
	t := m.NewTagger()
	out := make([][][]string, len(docs))
	for d, doc := range docs {
		sents := make([][]string, len(doc.Sentences))
		for s, sent := range doc.Sentences {
			sents[s] = sent.Tokens()
		}
		out[d] = t.TagDocument(sents)
	}
	return out
}

func scoreTagged(docs []conll.Document, pred [][][]string) eval.NERResult {
	var gold, got [][]string
	for d, doc := range docs {
		for s, sent := range doc.Sentences {
			gold = append(gold, sent.Column(-1))
			got = append(got, pred[d][s])
		}
	}
	return eval.NER(gold, got)
}

func runTrain(ctx context.Context, e env, args []string) int {
	if len(args) > 0 && args[0] == "attrib" {
		return runTrainAttrib(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "syntax" {
		return runTrainSyntax(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "timex" {
		return runTrainTimex(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "speakers" {
		return runTrainSpeakers(ctx, e, args[1:])
	}
	if len(args) == 0 || args[0] != "ner" {
		fmt.Fprintln(e.stderr, "Usage: newsgraph train ner --train FILE --dev FILE --out DIR [--epochs N] [--seed S]\n       newsgraph train attrib --train DIR --dev DIR --out DIR [--epochs N] [--seed S]\n       newsgraph train syntax --train FILE --dev FILE --out DIR [--epochs N] [--seed S]\n       newsgraph train timex --train DIR --dev DIR --out DIR [--epochs N] [--seed S]\n       newsgraph train speakers --set FILE [--set FILE ...] [--cv K] [--out FILE]")
		return exitUsage
	}
	fs := flag.NewFlagSet("train ner", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	trainPath := fs.String("train", "", "CoNLL-2003 training file (gold IOB2 tag in the last column)")
	devPath := fs.String("dev", "", "CoNLL-2003 development file, scored after each epoch; the best epoch is kept")
	out := fs.String("out", "", "directory to write model.bin into")
	epochs := fs.Int("epochs", 10, "passes over the training data, per stage")
	noMined := fs.Bool("no-mined", false, "leave out the features of the entity lists mined from the training data (an ablation)")
	stages := fs.Int("stages", 2, "1: local features only; 2: a second stage reading the first stage's predictions across the document")
	seed := fs.Int64("seed", 1, "random seed (document order); the same seed and data give the same model")
	minW := fs.Float64("min-weight", 0.01, "drop feature rows whose averaged weights are all smaller than this")
	resList := fs.String("resources", "rcv1,bllip,glove", "the optional resources the features read: some of rcv1, bllip (Brown clusters), glove (vector classes), freebase (name lists), or all, or none")
	cv := fs.Int("cv", 0, "instead of training a model: K-fold cross-validation on the training file (documents dealt round the folds), each fold's model scored on the documents it did not see")
	dropout := fs.Float64("class-dropout", 0.08, "the share of word types whose classes training leaves out, as if the clusters had not seen them")
	rule := fs.String("consistency", "surnames", "the document rule the tagger applies, for --cv and the dev score: surnames, untagged or off (the shipped model applies surnames)")
	selectDev := fs.Bool("select-on-dev", false, "keep each stage's epoch with the best dev F1 (the old recipe, which tunes on dev); by default every stage trains --epochs epochs and dev is scored once, at the end")
	rest, code, ok := parseArgs(fs, args[1:])
	if !ok {
		return code
	}
	if len(rest) > 0 || *trainPath == "" || *out == "" && *cv == 0 {
		fmt.Fprintln(e.stderr, "newsgraph train ner: give --train FILE and --out DIR (and --dev FILE), or --cv K")
		return exitUsage
	}
	res, err := ner.ParseResources(*resList)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train ner: %v\n", err)
		return exitUsage
	}
	trainDocs, err := readCoNLL(e, *trainPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
		return exitFail
	}
	opts := ner.TrainOptions{Epochs: *epochs, Seed: *seed, Log: e.stdout, MinWeight: float32(*minW), Stages: *stages, NoMined: *noMined, Resources: res, ClassDropout: *dropout}
	start := time.Now()
	if _, err := (&ner.Model{}).WithConsistency(*rule); err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train ner: %v\n", err)
		return exitUsage
	}
	if *cv > 0 {
		if *out != "" || *devPath != "" || *selectDev {
			fmt.Fprintln(e.stderr, "newsgraph train ner: --cv scores a recipe and trains no model: --out, --dev and --select-on-dev go without it")
			return exitUsage
		}
		return crossValidateNER(e, trainDocs, opts, *cv, *rule, start)
	}
	var devDocs []conll.Document
	if *devPath != "" {
		if devDocs, err = readCoNLL(e, *devPath); err != nil {
			fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
			return exitFail
		}
		if *selectDev {
			opts.Score = func(m *ner.Model) float64 { return scoreTagged(devDocs, tagDocs(m, devDocs)).Overall.F1() }
		}
	}
	m, err := ner.Train(nerDocs(trainDocs), opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
		return exitFail
	}
	if devDocs != nil && !*selectDev {
		mr, _ := m.WithConsistency(*rule)
		r := scoreTagged(devDocs, tagDocs(mr, devDocs))
		fmt.Fprintf(e.stdout, "dev (read once): P %.2f R %.2f F1 %.2f (resources %s)\n", 100*r.Overall.P(), 100*r.Overall.R(), 100*r.Overall.F1(), res)
	}
	return writeModel(e, *out, m.Save, start)
}

// crossValidateNER trains k models, each on the documents of k−1 folds (document i is in fold
// i mod k), tags the fold it left out, and reports the F1 of all the held-out predictions together
// (and each fold's), running as many folds at once as there are CPUs.
func crossValidateNER(e env, docs []conll.Document, opts ner.TrainOptions, k int, rule string, start time.Time) int {
	if k < 2 || k > len(docs) {
		fmt.Fprintf(e.stderr, "newsgraph train ner: --cv %d: give 2 folds or more, at most the %d documents\n", k, len(docs))
		return exitUsage
	}
	opts.Log, opts.Score = nil, nil
	pred := make([][][]string, len(docs))
	errs := make([]error, k)
	foldF := make([]float64, k)
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for f := 0; f < k; f++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			var train, held []conll.Document
			var heldIdx []int
			for i, d := range docs {
				if i%k == f {
					held, heldIdx = append(held, d), append(heldIdx, i)
				} else {
					train = append(train, d)
				}
			}
			m, err := ner.Train(nerDocs(train), opts)
			if err == nil {
				m, err = m.WithConsistency(rule)
			}
			if err != nil {
				errs[f] = err
				return
			}
			p := tagDocs(m, held)
			for j, i := range heldIdx {
				pred[i] = p[j]
			}
			foldF[f] = scoreTagged(held, p).Overall.F1()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph train ner: %v\n", err)
			return exitFail
		}
	}
	r := scoreTagged(docs, pred)
	var folds []string
	for _, f := range foldF {
		folds = append(folds, fmt.Sprintf("%.2f", 100*f))
	}
	fmt.Fprintf(e.stdout, "cv %d folds, resources %s, class dropout %.2f, %d epochs, rule %s: P %.2f R %.2f F1 %.2f (folds %s) in %.0f s\n", k, opts.Resources, opts.ClassDropout, opts.Epochs, rule,
		100*r.Overall.P(), 100*r.Overall.R(), 100*r.Overall.F1(), strings.Join(folds, " "), time.Since(start).Seconds())
	for _, typ := range []string{"PER", "ORG", "LOC", "MISC"} {
		if t, ok := r.ByType[typ]; ok {
			fmt.Fprintf(e.stdout, "  %-4s F1 %.2f\n", typ, 100*t.F1())
		}
	}
	return exitOK
}

// writeModel writes a trained model to DIR/model.bin (creating DIR) and reports its size and the
// time since start; it returns the exit status.
func writeModel(e env, dir string, save func(io.Writer) error, start time.Time) int {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
		return exitFail
	}
	path := filepath.Join(dir, "model.bin")
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
		return exitFail
	}
	if err := save(f); err != nil {
		f.Close()
		fmt.Fprintf(e.stderr, "newsgraph train: %s: %v\n", path, err)
		return exitFail
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train: %s: %v\n", path, err)
		return exitFail
	}
	fi, err := os.Stat(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(e.stdout, "wrote %s (%d bytes) in %.0f s\n", path, fi.Size(), time.Since(start).Seconds())
	return exitOK
}

// loadModel loads --model or the built-in model.
func loadModel(path string) (*ner.Model, error) {
	return modelFile(path, ner.Default, ner.LoadBytes)
}

// modelFile loads a --model flag's model: the built-in one when path is empty, else the file,
// named in the error when it is no model.
func modelFile[M any](path string, builtin func() (M, error), parse func([]byte) (M, error)) (M, error) {
	if path == "" {
		return builtin()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		var none M
		return none, err
	}
	m, err := parse(b)
	if err != nil {
		var none M
		return none, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

func runTag(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("tag", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "conll", "input and output format: conll")
	model := fs.String("model", "", "model file (default: the built-in model)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph tag --format conll [--model FILE] FILE|-\n\nReads CoNLL-2003 columns and writes them back with the predicted IOB2 tag as a new last column.\n\nFlags:")
		fs.PrintDefaults()
	}
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if *format != "conll" || len(rest) != 1 {
		fs.Usage()
		return exitUsage
	}
	m, err := loadModel(*model)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph tag: %v\n", err)
		return exitFail
	}
	docs, err := readCoNLL(e, rest[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph tag: %v\n", err)
		return exitFail
	}
	if err := conll.Write(e.stdout, docs, tagDocs(m, docs)); err != nil {
		fmt.Fprintf(e.stderr, "newsgraph tag: %v\n", err)
		return exitFail
	}
	return exitOK
}

// runEvalNER scores a CoNLL file whose last two columns are the gold and the predicted tags (as
// `newsgraph tag` writes them), or with --tag, tags the file with the model first.
func runEvalNER(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("eval ner", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	tag := fs.Bool("tag", false, "tag the file with the model first (its last column is then the gold)")
	model := fs.String("model", "", "model file for --tag (default: the built-in model)")
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(e.stderr, "Usage: newsgraph eval ner [--tag [--model FILE]] FILE|-")
		return exitUsage
	}
	docs, err := readCoNLL(e, rest[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
		return exitFail
	}
	var r eval.NERResult
	if *tag {
		m, err := loadModel(*model)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
			return exitFail
		}
		r = scoreTagged(docs, tagDocs(m, docs))
	} else {
		var gold, pred [][]string
		for _, d := range docs {
			for _, s := range d.Sentences {
				gold = append(gold, s.Column(-2))
				pred = append(pred, s.Column(-1))
			}
		}
		if msg := notTagColumns(gold, pred); msg != "" {
			fmt.Fprintf(e.stderr, "newsgraph eval: %s: %s (give --tag to tag the file first)\n", rest[0], msg)
			return exitFail
		}
		r = eval.NER(gold, pred)
	}
	fmt.Fprintf(e.stdout, "tokens %d, accuracy %.2f%%; entities: gold %d, found %d, correct %d\n",
		r.Tokens, 100*float64(r.Correct)/float64(max(1, r.Tokens)), r.Overall.TP+r.Overall.FN, r.Overall.TP+r.Overall.FP, r.Overall.TP)
	fmt.Fprintf(e.stdout, "%-8s precision %6.2f%%  recall %6.2f%%  F1 %6.2f\n", "overall", 100*r.Overall.P(), 100*r.Overall.R(), 100*r.Overall.F1())
	for _, t := range r.Types() {
		c := r.ByType[t]
		fmt.Fprintf(e.stdout, "%-8s precision %6.2f%%  recall %6.2f%%  F1 %6.2f  (%d)\n", t, 100*c.P(), 100*c.R(), 100*c.F1(), c.TP+c.FP)
	}
	return exitOK
}

// notTagColumns says why the last two columns cannot be gold and predicted entity tags, or "":
// something that is not an IOB tag, or two columns with no entity type in common (the chunk column
// of a CoNLL-2003 file beside its entity column, when the file was not tagged).
func notTagColumns(gold, pred [][]string) string {
	types := [2]map[string]bool{{}, {}}
	for k, col := range [][][]string{gold, pred} {
		for _, s := range col {
			for _, t := range s {
				if t != "O" && !strings.HasPrefix(t, "B-") && !strings.HasPrefix(t, "I-") {
					return fmt.Sprintf("%q is not a tag", t)
				}
				if t != "O" {
					types[k][t[2:]] = true
				}
			}
		}
	}
	if len(types[0]) == 0 || len(types[1]) == 0 {
		return ""
	}
	for t := range types[0] {
		if types[1][t] {
			return ""
		}
	}
	return "the last two columns share no entity type, so they are not gold and predicted tags"
}
