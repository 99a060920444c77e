package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/fetch"
	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/queue"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store/postgres"
)

// defaultDB is the store's file when neither --db nor NEWSGRAPH_DB names one.
const defaultDB = "newsgraph.db"

// dbFlag adds --db to a command's flags.
func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("NEWSGRAPH_DB")
	if def == "" {
		def = defaultDB
	}
	return fs.String("db", def, "the store: an SQLite file that newsgraph ingest made, or a PostgreSQL database by its URL (postgres://user@host/db, ?search_path=schema for a schema of its own) ($NEWSGRAPH_DB sets the default)")
}

// dbCreateFlag defines --db for ingest, which makes the store.
func dbCreateFlag(fs *flag.FlagSet) *string {
	db := dbFlag(fs)
	fs.Lookup("db").Usage = "the store: an SQLite file, made if missing, or a PostgreSQL database by its URL (postgres://user@host/db[?search_path=schema]: its tables made or migrated) ($NEWSGRAPH_DB sets the default)"
	return db
}

func runIngest(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := dbCreateFlag(fs)
	cpus := fs.Int("cpus", runtime.NumCPU(), "analyse this many articles at once")
	urlsFile := fs.String("urls", "", "also read the URLs (pages or feeds) listed in this file, one a line (# starts a comment)")
	allowPrivate := fs.Bool("allow-private", false, "allow fetching from loopback, private and link-local addresses")
	perHost := fs.Duration("per-host", time.Second, "least time between two requests to one host (robots.txt's Crawl-delay if longer)")
	timeout := fs.Duration("timeout", 30*time.Second, "the longest one request may take")
	maxBytes := fs.Int64("max-size", source.DefaultMaxBytes, "refuse files, records and responses larger than this many bytes")
	maxFeedItems := fs.Int("max-feed-items", fetch.DefaultMaxItems, "fetch at most this many new items of one feed a run, saying so when a feed is cut (0: no limit); the next run reads on")
	progress := fs.String("progress", "auto", "a progress bar on standard error: auto (on a terminal), always, never")
	verbose := fs.Bool("v", false, "print a line for each article stored or passed over, on standard output")
	date := fs.String("date", "", "document date (ISO 8601) for inputs that give none")
	publisher := fs.String("publisher", "", "publisher for inputs that name none")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the ingest to this file")
	minSpeaker := minSpeakerFlag(fs)
	queueURL := fs.String("queue", "", "publish the inputs to the work queue at this NATS server (nats://host:4222) for `newsgraph worker`s to analyse and store, instead of storing them here; pages and feeds by URL are fetched by the workers")
	namespace := fs.String("namespace", "newsgraph", "with --queue: the queue's streams on the server (NAMESPACE_WORK, NAMESPACE_DEAD)")
	maxPending := fs.Int64("max-pending", 10_000, "with --queue: wait while the queue holds this many items (back-pressure)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph ingest [flags] FILE|DIR|URL ...\n\nAnalyse articles and keep them in the store: text, JSON Lines and JSON records, HTML pages,\nWARC archives (.warc, .warc.gz), and pages or RSS/Atom feeds by URL. Articles already stored\n(the same URL or the same text) are passed over, so a rerun resumes where a killed one stopped.\n\nFlags:")
		fs.PrintDefaults()
	}
	args, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	var paths, urls []string
	for _, a := range args {
		if strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://") {
			urls = append(urls, a)
		} else {
			paths = append(paths, a)
		}
	}
	if *urlsFile != "" {
		list, err := readURLList(*urlsFile)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph ingest: %v\n", err)
			return exitFail
		}
		urls = append(urls, list...)
	}
	if len(paths)+len(urls) == 0 || *cpus < 1 || *maxFeedItems < 0 {
		fs.Usage()
		return exitUsage
	}
	if *date != "" {
		d, err := newsgraph.ISODate(*date)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph ingest: --date %v\n", err)
			return exitUsage
		}
		*date = d
	}
	switch *progress {
	case "auto", "always", "never":
	default:
		fmt.Fprintf(e.stderr, "newsgraph ingest: unknown --progress %q (auto, always, never)\n", *progress)
		return exitUsage
	}
	if *queueURL != "" {
		return publishInputs(ctx, e, *queueURL, queue.Options{Name: "newsgraph ingest", Namespace: *namespace, MaxPending: *maxPending}, paths, urls,
			source.Options{MaxBytes: *maxBytes, Stdin: e.stdin}, *date, *publisher)
	}
	st, ok := createStore(e, "ingest", *db)
	if !ok {
		return exitFail
	}
	pipe, err := engine.NewWithOptions(engine.Options{MinSpeakerConfidence: speakerThreshold(*minSpeaker)})
	if err != nil {
		st.Close()
		fmt.Fprintf(e.stderr, "newsgraph ingest: %v\n", err)
		return exitFail
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			st.Close()
			fmt.Fprintf(e.stderr, "newsgraph ingest: %v\n", err)
			return exitFail
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}

	// Progress: a bar over the inputs when each file is one article, else a counter with a rate.
	showBar := wantBar(*progress, e.stderr)
	var bar *progressbar.ProgressBar
	if showBar {
		total := -1
		if len(urls) == 0 {
			total = countOneArticleFiles(paths)
		}
		bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("ingest"),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("articles"),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish(),
			progressbar.OptionSetPredictTime(total > 0), progressbar.OptionSetWidth(30))
	}
	var outMu sync.Mutex
	report := func(w io.Writer, format string, a ...any) {
		outMu.Lock()
		defer outMu.Unlock()
		if bar != nil {
			bar.Clear()
		}
		fmt.Fprintf(w, format, a...)
	}
	onEvent := func(ev ingest.Event) {
		switch ev.Kind {
		case ingest.Warning:
			report(e.stderr, "newsgraph: warning: %s\n", ev.Message)
			return
		case ingest.Failed:
			report(e.stderr, "newsgraph: %v\n", ev.Err)
		case ingest.Stored:
			if *verbose {
				near := ""
				if ev.Group != ev.ID {
					near = fmt.Sprintf(" (near-duplicate of #%d)", ev.Group)
				}
				report(e.stdout, "stored #%d %s%s\n", ev.ID, ev.Name, near)
			}
		case ingest.Duplicate:
			if *verbose {
				same := ""
				if ev.Same != "" {
					same = " (same " + ev.Same + ")"
				}
				report(e.stdout, "have   #%d %s%s\n", ev.ID, ev.Name, same)
			}
		}
		if bar != nil {
			outMu.Lock()
			bar.Add(1)
			outMu.Unlock()
		}
	}
	r := ingest.Run(ctx, paths, urls, ingest.Options{Store: st, Pipeline: pipe, CPUs: *cpus, MaxBytes: *maxBytes,
		MaxFeedItems: *maxFeedItems, AllowPrivate: *allowPrivate, PerHost: *perHost, Timeout: *timeout,
		Date: *date, Publisher: *publisher, Stdin: e.stdin, OnEvent: onEvent})
	if bar != nil {
		bar.Finish()
	}
	storeErr, readErr, interrupted, elapsed := r.StoreErr, r.ReadErr, r.Interrupted, r.Elapsed
	stats, _ := st.Stats(context.Background())
	if err := st.Close(); err != nil && storeErr == nil {
		storeErr = fmt.Errorf("closing the store: %w", err)
	}
	if !postgres.IsURL(*db) {
		stats.Bytes = fileSize(*db) // the file as closed, its log folded in
	}
	rate := float64(r.Stored) / elapsed.Seconds()
	fmt.Fprintf(e.stderr, "newsgraph ingest: %d stored (%d near-duplicates grouped), %d already stored, %d duplicates in the input, %d failed in %.1f s (%.1f articles/s); %s: %d articles, %s\n",
		r.Stored, r.Grouped, r.DupStored, r.DupInput, r.Failed, elapsed.Seconds(), rate, postgres.Redact(*db), stats.Articles, humanBytes(stats.Bytes))
	switch {
	case storeErr != nil:
		fmt.Fprintf(e.stderr, "newsgraph ingest: %v (everything reported stored before it is kept)\n", storeErr)
		return exitFail
	case readErr != nil:
		fmt.Fprintf(e.stderr, "newsgraph ingest: %v\n", readErr)
		return exitFail
	case interrupted:
		fmt.Fprintln(e.stderr, "newsgraph ingest: interrupted; run it again to go on")
		return exitFail
	case r.Failed > 0:
		return exitFail
	}
	return exitOK
}

// wantBar says whether to draw a progress bar on w: always, never, or (auto) on a terminal only,
// so that pipes and logs get the summary line alone.
func wantBar(mode string, w io.Writer) bool {
	return mode == "always" || mode == "auto" && isTerminal(w)
}

// readURLList reads one URL a line; blank lines and lines starting with # are skipped.
func readURLList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// countOneArticleFiles counts the inputs when each is one article (text and HTML files), for the
// progress bar's total; -1 when some input may hold several (JSON Lines, JSON, WARC, stdin).
func countOneArticleFiles(paths []string) int {
	n := 0
	for _, p := range paths {
		if p == "-" {
			return -1
		}
		err := filepath.WalkDir(p, func(path string, de fs.DirEntry, err error) error {
			if err != nil || de.IsDir() {
				return nil
			}
			switch {
			case source.Several(path):
				return errSeveral
			case source.Wanted(path), p == path: // a file named on the command line is read whatever its name
				n++
			}
			return nil
		})
		if err != nil {
			return -1
		}
	}
	return n
}

var errSeveral = errors.New("an input of several articles")

// fileSize is the size of an SQLite store with its write-ahead log.
func fileSize(path string) int64 {
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
