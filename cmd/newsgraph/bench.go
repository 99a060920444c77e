package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/source"
)

// runBench reads every input once into memory, then times the default pipeline over them: the
// throughput of analysis, not of the disk.
func runBench(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	rounds := fs.Int("rounds", 3, "passes over the corpus; the best is reported")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph bench [flags] FILE|DIR ...\n\nTimes the default pipeline (one goroutine) over the inputs, held in memory.\n\nFlags:")
		fs.PrintDefaults()
	}
	paths, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(paths) == 0 || *rounds < 1 {
		fs.Usage()
		return exitUsage
	}
	var items []source.Item
	bytes := 0
	err := source.Read(ctx, paths, source.Options{Stdin: e.stdin}, func(it source.Item) error {
		if it.Err != nil {
			fmt.Fprintf(e.stderr, "newsgraph: %v (skipped)\n", it.Err)
			return nil
		}
		items = append(items, it)
		bytes += len(it.Text)
		return nil
	})
	if err != nil || len(items) == 0 {
		fmt.Fprintf(e.stderr, "newsgraph bench: no inputs (%v)\n", err)
		return exitFail
	}
	pipe, err := engine.New()
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph bench: %v\n", err)
		return exitFail
	}
	best := time.Duration(1<<63 - 1)
	tokens, sents := 0, 0
	for r := 0; r < *rounds; r++ {
		tokens, sents = 0, 0
		start := time.Now()
		for _, it := range items {
			d := newsgraph.NewDoc(it.Text, it.Meta)
			if err := pipe.Process(ctx, d); err != nil {
				fmt.Fprintf(e.stderr, "newsgraph bench: %s: %v\n", it.Meta.Input.Path, err)
				return exitFail
			}
			tokens += len(d.Layer(newsgraph.LayerTokens))
			sents += len(d.Layer(newsgraph.LayerSentences))
		}
		if el := time.Since(start); el < best {
			best = el
		}
	}
	sec := best.Seconds()
	fmt.Fprintf(e.stdout, "pipeline   %v\n", pipe.Components())
	fmt.Fprintf(e.stdout, "corpus     %d documents, %.2f MB, %d tokens, %d sentences\n", len(items), float64(bytes)/1e6, tokens, sents)
	fmt.Fprintf(e.stdout, "best of %d %.3f s: %.1f MB/s, %.0f tokens/s, %.0f documents/s (one goroutine)\n",
		*rounds, sec, float64(bytes)/1e6/sec, float64(tokens)/sec, float64(len(items))/sec)
	return exitOK
}
