package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync"
	"time"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/source"
)

// benchResult is what `newsgraph bench --json` prints: one object, the figures of the best round.
type benchResult struct {
	Pipeline  []string `json:"pipeline"`
	CPUs      int      `json:"cpus"` // documents analysed at a time; the per-CPU rates divide by min(cpus, cores, documents)
	Rounds    int      `json:"rounds"`
	Documents int      `json:"documents"`
	Bytes     int      `json:"bytes"`
	Tokens    int      `json:"tokens"`
	Sentences int      `json:"sentences"`
	// Seconds is the wall time of the best round; the rates are per second of it, overall and
	// divided by CPUs.
	Seconds           float64 `json:"seconds"`
	DocsPerSec        float64 `json:"docs_per_s"`
	TokensPerSec      float64 `json:"tokens_per_s"`
	MBPerSec          float64 `json:"mb_per_s"`
	DocsPerSecPerCPU  float64 `json:"docs_per_s_per_cpu"`
	TokensPerSecPerCP float64 `json:"tokens_per_s_per_cpu"`
	MBPerSecPerCPU    float64 `json:"mb_per_s_per_cpu"`
	// StartupSeconds is the first document's time, models loaded (before the warm-up pass).
	StartupSeconds float64 `json:"startup_s"`
	// Components gives each component's share of the time spent in components, in the best round.
	Components []benchShare `json:"components"`
	// PeakRSSMB is the process's peak resident memory, in MB (1e6 bytes), at the end.
	PeakRSSMB float64 `json:"peak_rss_mb"`
}

type benchShare struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"` // summed over the workers
	Share   float64 `json:"share"`   // of the summed time of all components
}

// runBench reads every input once into memory, then times the default pipeline over them: the
// throughput of analysis, not of the disk.
func runBench(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	rounds := fs.Int("rounds", 3, "timed passes over the corpus, after one warm-up pass; the best is reported")
	cpus := fs.Int("cpus", runtime.NumCPU(), "documents analysed in parallel (goroutines), and GOMAXPROCS")
	asJSON := fs.Bool("json", false, "print the figures as one JSON object")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the timed rounds to this file")
	layerList := fs.String("layers", "all", "the analysis layers to time, besides paragraphs, tokens and sentences: all, or some of entities, timexes, attributions separated by commas (attributions bring the entities they read)")
	memProfile := fs.String("memprofile", "", "write an allocation profile to this file, and FILE.base taken before the timed rounds: go tool pprof -base FILE.base FILE shows the timed rounds alone")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph bench [flags] FILE|DIR ...\n\nTimes the default pipeline (or the one --layers asks for) over the inputs, held in memory, after a warm-up pass.\n\nFlags:")
		fs.PrintDefaults()
	}
	paths, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(paths) == 0 || *rounds < 1 || *cpus < 1 {
		fs.Usage()
		return exitUsage
	}
	layers, err := engine.ParseLayers(*layerList)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph bench: %v\n", err)
		return exitUsage
	}
	var items []source.Item
	bytes := 0
	err = source.Read(ctx, paths, source.Options{Stdin: e.stdin}, func(it source.Item) error {
		if it.Notice() {
			for _, w := range it.Warnings {
				fmt.Fprintf(e.stderr, "newsgraph: warning: %s\n", w)
			}
			return nil
		}
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
	pipe, err := engine.WithLayers(layers)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph bench: %v\n", err)
		return exitFail
	}
	prev := runtime.GOMAXPROCS(*cpus)
	defer runtime.GOMAXPROCS(prev)
	names := pipe.Components()

	// Start-up: the first document loads every model.
	t0 := time.Now()
	if err := pipe.Process(ctx, newsgraph.NewDoc(items[0].Text, items[0].Meta)); err != nil {
		fmt.Fprintf(e.stderr, "newsgraph bench: %s: %v\n", items[0].Meta.Input.Path, err)
		return exitFail
	}
	startup := time.Since(t0)

	pass := func() (time.Duration, []time.Duration, int, int, error) {
		start := time.Now()
		var mu sync.Mutex
		total := make([]time.Duration, len(names))
		tokens, sents := 0, 0
		var firstErr error
		next := make(chan int)
		slots := engine.NewSlots(*cpus) // a large document alone, as ingest analyses it
		var wg sync.WaitGroup
		for w := 0; w < *cpus; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				times := make([]time.Duration, len(names))
				tk, sn := 0, 0
				for i := range next {
					d := newsgraph.NewDoc(items[i].Text, items[i].Meta)
					release, err := slots.Acquire(ctx, len(items[i].Text))
					if err == nil {
						err = pipe.ProcessTimed(ctx, d, times)
						release()
					}
					if err != nil {
						mu.Lock()
						if firstErr == nil {
							firstErr = fmt.Errorf("%s: %w", items[i].Meta.Input, err)
						}
						mu.Unlock()
						continue
					}
					tk += len(d.Layer(newsgraph.LayerTokens))
					sn += len(d.Layer(newsgraph.LayerSentences))
				}
				mu.Lock()
				for k, t := range times {
					total[k] += t
				}
				tokens, sents = tokens+tk, sents+sn
				mu.Unlock()
			}()
		}
		for i := range items {
			next <- i
		}
		close(next)
		wg.Wait()
		return time.Since(start), total, tokens, sents, firstErr
	}
	if _, _, _, _, err := pass(); err != nil { // warm-up
		fmt.Fprintf(e.stderr, "newsgraph bench: %v\n", err)
		return exitFail
	}
	if *memProfile != "" {
		if err := writeAllocs(*memProfile + ".base"); err != nil {
			fmt.Fprintf(e.stderr, "newsgraph bench: %v\n", err)
			return exitFail
		}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph bench: %v\n", err)
			return exitFail
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(e.stderr, "newsgraph bench: %v\n", err)
			return exitFail
		}
	}
	best := time.Duration(1<<63 - 1)
	var bestTimes []time.Duration
	tokens, sents := 0, 0
	for r := 0; r < *rounds; r++ {
		el, times, tk, sn, err := pass()
		if err != nil {
			if *cpuProfile != "" {
				pprof.StopCPUProfile()
			}
			fmt.Fprintf(e.stderr, "newsgraph bench: %v\n", err)
			return exitFail
		}
		if el < best {
			best, bestTimes, tokens, sents = el, times, tk, sn
		}
	}
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		if err := writeAllocs(*memProfile); err != nil {
			fmt.Fprintf(e.stderr, "newsgraph bench: %v\n", err)
			return exitFail
		}
	}
	sec := best.Seconds()
	res := benchResult{
		Pipeline: names, CPUs: *cpus, Rounds: *rounds, Documents: len(items), Bytes: bytes, Tokens: tokens, Sentences: sents,
		Seconds: sec, DocsPerSec: float64(len(items)) / sec, TokensPerSec: float64(tokens) / sec, MBPerSec: float64(bytes) / 1e6 / sec,
		StartupSeconds: startup.Seconds(), PeakRSSMB: peakRSSMB(),
	}
	// Per CPU: per core the run could use (more goroutines than cores share them).
	used := float64(min(*cpus, runtime.NumCPU(), len(items)))
	res.DocsPerSecPerCPU = res.DocsPerSec / used
	res.TokensPerSecPerCP = res.TokensPerSec / used
	res.MBPerSecPerCPU = res.MBPerSec / used
	var sum time.Duration
	for _, t := range bestTimes {
		sum += t
	}
	for k, t := range bestTimes {
		res.Components = append(res.Components, benchShare{Name: names[k], Seconds: t.Seconds(), Share: t.Seconds() / sum.Seconds()})
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(e.stderr, "newsgraph bench: %v\n", err)
			return exitFail
		}
		return exitOK
	}
	fmt.Fprintf(e.stdout, "pipeline   %v\n", names)
	fmt.Fprintf(e.stdout, "corpus     %d documents, %.2f MB, %d tokens, %d sentences\n", len(items), float64(bytes)/1e6, tokens, sents)
	fmt.Fprintf(e.stdout, "start-up   %.3f s (the first document, models loaded)\n", startup.Seconds())
	fmt.Fprintf(e.stdout, "best of %d %.3f s on %d CPU(s): %.0f documents/s, %.0f tokens/s, %.2f MB/s\n", *rounds, sec, *cpus, res.DocsPerSec, res.TokensPerSec, res.MBPerSec)
	fmt.Fprintf(e.stdout, "per CPU    %.0f documents/s, %.0f tokens/s, %.2f MB/s\n", res.DocsPerSecPerCPU, res.TokensPerSecPerCP, res.MBPerSecPerCPU)
	shares := append([]benchShare(nil), res.Components...)
	sort.SliceStable(shares, func(i, j int) bool { return shares[i].Seconds > shares[j].Seconds })
	for _, s := range shares {
		fmt.Fprintf(e.stdout, "  %-24s %5.1f%%  %.3f s\n", s.Name, 100*s.Share, s.Seconds)
	}
	if res.PeakRSSMB > 0 {
		fmt.Fprintf(e.stdout, "peak RSS   %.0f MB\n", res.PeakRSSMB)
	}
	return exitOK
}

// writeAllocs writes the allocation profile after a garbage collection, so that it is up to date:
// every allocation since the process started.
func writeAllocs(path string) error {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = pprof.Lookup("allocs").WriteTo(f, 0)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
