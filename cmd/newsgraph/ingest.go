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
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store"
	"github.com/newsgraph/newsgraph/store/sqlite"
)

// defaultDB is the store's file when neither --db nor NEWSGRAPH_DB names one.
const defaultDB = "newsgraph.db"

// dbFlag adds --db to a command's flags.
func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("NEWSGRAPH_DB")
	if def == "" {
		def = defaultDB
	}
	return fs.String("db", def, "the store: an SQLite file that newsgraph ingest made ($NEWSGRAPH_DB sets the default)")
}

// dbCreateFlag defines --db for ingest, which makes the store.
func dbCreateFlag(fs *flag.FlagSet) *string {
	db := dbFlag(fs)
	fs.Lookup("db").Usage = "the store: an SQLite file, made if missing ($NEWSGRAPH_DB sets the default)"
	return db
}

type ingestCounts struct {
	stored, grouped, failed int
	// duplicates of articles stored before this run, and of articles this run's input holds
	// twice (stored by this run)
	dupStored, dupInput int
	storedNow           map[int64]bool
}

// duplicate counts an input passed over as a copy of the stored article id.
func (c *ingestCounts) duplicate(id int64) {
	if c.storedNow[id] {
		c.dupInput++
	} else {
		c.dupStored++
	}
}

// job is one input on its way through the workers to the store, numbered so that articles are
// stored in input order.
type job struct {
	seq  int
	item source.Item
	art  *store.Article
	err  error
	skip int64 // the stored article this duplicates (found before analysis), or 0
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
	st, err := sqlite.Open(*db)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph ingest: %v\n", err)
		return exitFail
	}
	pipe, err := engine.NewWithOptions(engine.Options{MinSpeakerConfidence: speakerThreshold(*minSpeaker)})
	if err != nil {
		st.Close()
		fmt.Fprintf(e.stderr, "newsgraph ingest: %v\n", err)
		return exitFail
	}
	names := pipe.Components()
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

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan *job, 2**cpus)
	results := make(chan *job, 2**cpus)
	start := time.Now()

	// Reader: files, then URLs. Items already stored are found here, before any analysis.
	var readErr error
	// The feeds read in full, whose validators are kept once their items are stored.
	var feedsMu sync.Mutex
	feedsRead := map[string]store.Validators{}
	feedsFailed := map[string]bool{}
	go func() {
		defer close(jobs)
		seq := 0
		send := func(it source.Item) error {
			j := &job{seq: seq, item: it}
			seq++
			select {
			case jobs <- j:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		err := source.Read(ctx, paths, source.Options{MaxBytes: *maxBytes, Stdin: e.stdin, DeferHTML: true}, send)
		if err == nil && len(urls) > 0 {
			items := *maxFeedItems
			if items == 0 {
				items = -1 // no limit
			}
			f := fetch.New(fetch.Options{AllowPrivate: *allowPrivate, PerHost: *perHost, Timeout: *timeout, MaxBytes: *maxBytes,
				MaxItems: items, Validators: st, DeferHTML: true,
				// A feed item already stored: its URL, or the link it was read from (a link with
				// tracking parameters whose page names a canonical URL).
				Skip: func(ctx context.Context, u string) bool {
					if _, ok, _ := st.Lookup(ctx, u, nil); ok {
						return true
					}
					v, ok, _ := st.Validators(ctx, u)
					return ok && v.Status == 200
				},
				FeedRead: func(_ context.Context, u string, v store.Validators) {
					feedsMu.Lock()
					feedsRead[u] = v
					feedsMu.Unlock()
				}})
			err = f.Items(ctx, urls, send)
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			readErr = err
		}
	}()

	// Workers: analyse, a large document alone (engine.Slots).
	slots := engine.NewSlots(*cpus)
	var wg sync.WaitGroup
	for w := 0; w < *cpus; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				// HTML pages are extracted here, in parallel; then an article already stored (the
				// same URL or text) is passed over before any analysis.
				j.item.Extract()
				if m := &j.item.Meta; j.item.Err == nil && !j.item.Notice() {
					if *date != "" && m.Date == "" {
						m.Date = *date
					}
					if *publisher != "" && (m.Publisher == "" || m.PublisherSource == "host") {
						m.Publisher, m.PublisherSource = *publisher, "flag"
					}
					if id, ok, err := lookup(ctx, st, j.item); err != nil {
						j.err = err
					} else if ok {
						j.skip = id
					}
				}
				if j.item.Err == nil && j.err == nil && j.skip == 0 && !j.item.Notice() {
					d := newsgraph.NewDoc(j.item.Text, j.item.Meta)
					for _, w := range j.item.Warnings {
						d.Diag("source", newsgraph.Warning, nil, "%s", w)
					}
					if release, err := slots.Acquire(ctx, len(j.item.Text)); err != nil {
						j.err = err
					} else {
						if err := pipe.Process(ctx, d); err != nil {
							j.err = err
						} else {
							j.art, j.err = store.FromDoc(d, names)
						}
						release()
					}
				}
				results <- j
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	// Writer: store in input order, in batches of what is ready (one transaction each, committed
	// before any of its articles is reported).
	c := ingestCounts{storedNow: map[int64]bool{}}
	pending := map[int]*job{}
	next := 0
	var storeErr error
	var batch []*job
	// keepFetched keeps, for pages fetched by URL whose article is now stored, what the next run's
	// conditional GET sends.
	keepFetched := func(js ...*job) {
		for _, j := range js {
			if fd := j.item.Fetched; fd != nil && storeErr == nil {
				v := store.Validators{ETag: fd.ETag, LastModified: fd.LastModified, Status: 200}
				if err := st.SetValidators(context.Background(), fd.URL, v); err != nil {
					storeErr = fmt.Errorf("%s: keeping its validators: %w", fd.URL, err)
					cancel()
				}
			}
		}
	}
	flush := func() {
		if len(batch) == 0 {
			return
		}
		arts := make([]*store.Article, len(batch))
		for i, j := range batch {
			arts[i] = j.art
		}
		rs, err := st.PutMany(ctx, arts)
		if err != nil {
			if ctx.Err() == nil {
				storeErr = fmt.Errorf("%s: storing: %w", batch[0].item.Meta.Input, err)
			}
			cancel()
			batch = batch[:0]
			return
		}
		keepFetched(batch...)
		for i, r := range rs {
			name := batch[i].item.Meta.Input.String()
			switch r.Status {
			case store.Stored:
				c.stored++
				c.storedNow[r.ID] = true
				if r.Group != r.ID {
					c.grouped++
				}
				if *verbose {
					near := ""
					if r.Group != r.ID {
						near = fmt.Sprintf(" (near-duplicate of #%d)", r.Group)
					}
					report(e.stdout, "stored #%d %s%s\n", r.ID, name, near)
				}
			case store.DuplicateURL:
				c.duplicate(r.ID)
				if *verbose {
					report(e.stdout, "have   #%d %s (same URL)\n", r.ID, name)
				}
			case store.DuplicateText:
				c.duplicate(r.ID)
				if *verbose {
					report(e.stdout, "have   #%d %s (same text)\n", r.ID, name)
				}
			}
		}
		if bar != nil {
			outMu.Lock()
			bar.Add(len(rs))
			outMu.Unlock()
		}
		batch = batch[:0]
	}
	const maxBatch = 64
	for {
		var j *job
		var open bool
		select {
		case j, open = <-results:
		default:
			flush() // nothing ready: store what is waiting
			j, open = <-results
		}
		if !open {
			break
		}
		pending[j.seq] = j
		for {
			j, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if storeErr != nil || ctx.Err() != nil {
				continue // draining after a store failure or an interrupt
			}
			name := j.item.Meta.Input.String()
			for _, w := range j.item.Warnings {
				report(e.stderr, "newsgraph: warning: %s\n", w)
			}
			switch {
			case j.item.Notice():
				continue // its warnings are out
			case j.item.Err != nil:
				c.failed++
				report(e.stderr, "newsgraph: %v\n", j.item.Err)
			case j.err != nil:
				c.failed++
				report(e.stderr, "newsgraph: %s: %v\n", name, j.err)
				if j.item.Feed != "" {
					// Not stored for a reason a later run may not have: read the feed again then.
					feedsMu.Lock()
					feedsFailed[j.item.Feed] = true
					feedsMu.Unlock()
				}
			case j.skip != 0:
				keepFetched(j)
				c.duplicate(j.skip)
				if *verbose {
					report(e.stdout, "have   #%d %s\n", j.skip, name)
				}
			default:
				batch = append(batch, j)
				if len(batch) >= maxBatch {
					flush()
				}
				continue
			}
			if bar != nil {
				outMu.Lock()
				bar.Add(1)
				outMu.Unlock()
			}
		}
	}
	if ctx.Err() == nil {
		flush()
	}
	if bar != nil {
		bar.Finish()
	}
	elapsed := time.Since(start)
	interrupted := ctx.Err() != nil && storeErr == nil
	if !interrupted && storeErr == nil && readErr == nil {
		feedsMu.Lock()
		for u, v := range feedsRead {
			if feedsFailed[u] {
				continue
			}
			if err := st.SetValidators(context.Background(), u, v); err != nil {
				storeErr = fmt.Errorf("%s: keeping its validators: %w", u, err)
			}
		}
		feedsMu.Unlock()
	}
	stats, _ := st.Stats(context.Background())
	if err := st.Close(); err != nil && storeErr == nil {
		storeErr = fmt.Errorf("closing the store: %w", err)
	}
	stats.Bytes = fileSize(*db)
	rate := float64(c.stored) / elapsed.Seconds()
	fmt.Fprintf(e.stderr, "newsgraph ingest: %d stored (%d near-duplicates grouped), %d already stored, %d duplicates in the input, %d failed in %.1f s (%.1f articles/s); %s: %d articles, %s\n",
		c.stored, c.grouped, c.dupStored, c.dupInput, c.failed, elapsed.Seconds(), rate, *db, stats.Articles, humanBytes(stats.Bytes))
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
	case c.failed > 0:
		return exitFail
	}
	return exitOK
}

// wantBar says whether to draw a progress bar on w: always, never, or (auto) on a terminal only,
// so that pipes and logs get the summary line alone.
func wantBar(mode string, w io.Writer) bool {
	return mode == "always" || mode == "auto" && isTerminal(w)
}

// lookup finds an input already stored, by URL or by text.
func lookup(ctx context.Context, st store.Store, it source.Item) (int64, bool, error) {
	if it.Meta.URL != "" {
		if id, ok, err := st.Lookup(ctx, it.Meta.URL, nil); err != nil || ok {
			return id, ok, err
		}
	}
	return st.Lookup(ctx, "", store.TextHash(it.Text))
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
