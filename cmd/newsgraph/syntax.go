package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/newsgraph/newsgraph/conll"
	"github.com/newsgraph/newsgraph/syntax"
)

// syntaxSentences reads the POS (second) and chunk (third) columns of CoNLL-2003 documents.
func syntaxSentences(docs []conll.Document) ([]syntax.Sentence, error) {
	var out []syntax.Sentence
	for _, d := range docs {
		for _, s := range d.Sentences {
			words := s.Tokens()
			pos, chunk := s.Column(1), s.Column(2)
			for i := range words {
				if pos[i] == "" || chunk[i] == "" {
					return nil, fmt.Errorf("%q has no POS and chunk columns (want TOKEN POS CHUNK ...)", words[i])
				}
			}
			out = append(out, syntax.Sentence{Words: words, POS: pos, Chunk: chunk})
		}
	}
	return out, nil
}

func runTrainSyntax(_ context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("train syntax", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	trainPath := fs.String("train", "", "CoNLL-2003 training file (TOKEN POS CHUNK ... columns)")
	devPath := fs.String("dev", "", "CoNLL-2003 development file, scored after each epoch; the best epoch is kept")
	out := fs.String("out", "", "directory to write model.bin into")
	epochs := fs.Int("epochs", 8, "passes over the training data, per tagger")
	seed := fs.Int64("seed", 1, "random seed; the same seed and data give the same model")
	minW := fs.Float64("min-weight", 0.01, "drop feature rows whose averaged weights are all smaller than this")
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 || *trainPath == "" || *out == "" {
		fmt.Fprintln(e.stderr, "newsgraph train syntax: give --train FILE and --out DIR (and --dev FILE)")
		return exitUsage
	}
	start := time.Now()
	read := func(path string) ([]syntax.Sentence, error) {
		docs, err := readCoNLL(e, path)
		if err != nil {
			return nil, err
		}
		s, err := syntaxSentences(docs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return s, nil
	}
	train, err := read(*trainPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
		return exitFail
	}
	opts := syntax.TrainOptions{Epochs: *epochs, Seed: *seed, Log: e.stdout, MinWeight: *minW}
	if *devPath != "" {
		if opts.Dev, err = read(*devPath); err != nil {
			fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
			return exitFail
		}
	}
	m, err := syntax.Train(train, opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
		return exitFail
	}
	return writeModel(e, *out, m.Save, start)
}
