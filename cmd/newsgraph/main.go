// Command newsgraph reads news articles and recovers their structure. See README.md.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/newsgraph/newsgraph"
)

// version is the program's version; the JSON schema has its own (newsgraph.Schema).
const version = "0.1.0"

// defaultMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT does not set one: the
// collector works harder as the heap nears it instead of letting it grow to twice what is live
// (a 9 MB text: 1.08 GB resident instead of 1.56 GB, 4% slower). Below it — every ordinary run:
// the models and a worker's articles take about 300 MB — it changes nothing.
const defaultMemoryLimit = 1 << 30

// setMemoryLimit applies defaultMemoryLimit unless the environment sets GOMEMLIMIT (which the
// runtime reads itself, "off" included); it returns the limit in force.
func setMemoryLimit(getenv func(string) string) int64 {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	return debug.SetMemoryLimit(-1)
}

func main() {
	setMemoryLimit(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// env is what a subcommand runs with: its standard streams, so tests can run the CLI in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1 // some input or step failed; the rest was processed
	exitUsage = 2
)

type command struct {
	name, summary string
	run           func(ctx context.Context, e env, args []string) int
}

var commands []command

func init() {
	commands = []command{
		{"analyze", "(or analyse) analyse articles: sentences, entities, dates, attributions (JSON, JSON Lines, a terminal view, brat, TimeML)", runAnalyze},
		{"extract", "print the article text of HTML pages (.html, .html.gz): extract [--json] FILE", runExtract},
		{"ingest", "analyse articles (files, HTML, WARC, pages and feeds by URL) into the store: ingest [--db FILE] FILE|DIR|URL ...", runIngest},
		{"worker", "take articles from the work queue, analyse and store them: worker --queue nats://… --db STORE", runWorker},
		{"queue", "the work queue's state and dead letters: queue status --queue nats://…", runQueue},
		{"search", "search the store: search [--speaker S] [--outlet O] [--entity E] [--publisher P] [--from D] [--to D] [QUERY]", runSearch},
		{"quotes", "quotations in the store by speaker: quotes --speaker NAME", runQuotes},
		{"sources", "which outlets the store's publishers cite, with counts", runSources},
		{"serve", "serve the store: the web app, the JSON API (/api/v1), /healthz and /metrics: serve [--db FILE] [--addr 127.0.0.1:8080]", runServe},
		{"show", "print stored articles by ID: their analysis JSON, or --format text", runShow},
		{"stats", "what the store holds: articles, stories, entities, attributions, quotations, size: stats [--db FILE] [--json]", runStats},
		{"tag", "tag CoNLL-2003 column files with named entities: tag --format conll FILE", runTag},
		{"train", "train a model: train ner|attrib|syntax|timex --train … --dev … --out DIR", runTrain},
		{"eval", "score a component on gold data: eval sentences|ner|attribution|timex|extraction", runEval},
		{"bench", "measure throughput on a directory of articles", runBench},
		{"version", "print the version and the JSON schema version", runVersion},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	name := args[0]
	if name == "analyse" {
		name = "analyze" // the British spelling the help uses
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, e, args[1:])
		}
	}
	best, bestD := "", 3
	for _, c := range commands {
		if d := editDistance(name, c.name); d < bestD {
			best, bestD = c.name, d
		}
	}
	if best != "" {
		fmt.Fprintf(e.stderr, "newsgraph: unknown command %q: did you mean %s? (run newsgraph help)\n", name, best)
	} else {
		fmt.Fprintf(e.stderr, "newsgraph: unknown command %q (run newsgraph help)\n", name)
	}
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "newsgraph reads news articles and recovers their structure.")
	fmt.Fprintln(w, "\nUsage: newsgraph COMMAND [flags] [args]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun newsgraph COMMAND -h for a command's flags.")
}

func runVersion(_ context.Context, e env, _ []string) int {
	fmt.Fprintf(e.stdout, "newsgraph %s (schema %s)\n", version, newsgraph.Schema)
	return exitOK
}
