// Package ingest takes articles from their inputs into the store: files, archives and records
// (source), pages and feeds by URL (fetch), analysed by a pipeline (engine) and stored (store).
// It is the one place that knows that flow; the command line, the server and the queue's workers
// call it, and learn what happens from its events.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/fetch"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store"
)

// Options configure a run.
type Options struct {
	Store    store.Store
	Pipeline *newsgraph.Pipeline
	// CPUs analyse this many articles at once (0: runtime.NumCPU()).
	CPUs int
	// MaxBytes refuses files, records and responses larger than this (0: source.DefaultMaxBytes).
	MaxBytes int64
	// MaxFeedItems fetches at most this many new items of one feed a run (0: no limit).
	MaxFeedItems int
	// Fetching: private addresses allowed, the least time between requests to one host, the
	// longest a request may take.
	AllowPrivate bool
	PerHost      time.Duration
	Timeout      time.Duration
	// Date and Publisher fill in the metadata of inputs that give none.
	Date, Publisher string
	// Stdin is read for the input "-".
	Stdin io.Reader
	// OnEvent learns of each input's outcome, from one goroutine at a time: in input order, but
	// for the articles stored (and the copies found when storing), which come when their batch is
	// committed.
	OnEvent func(Event)
}

// Kind is what happened to an input.
type Kind int

const (
	Stored    Kind = iota // analysed and stored
	Duplicate             // passed over: the store has it (its URL or its text)
	Failed                // not stored: Err says why
	Warning               // a warning about an input (Message), which goes on
)

// Event is the outcome of an input.
type Event struct {
	Kind    Kind
	Name    string // the input: a path, "path: record N", a URL
	ID      int64  // Stored: the article; Duplicate: the stored article it copies
	Group   int64  // Stored: its near-duplicate group (ID when it starts one)
	Same    string // Duplicate: "URL", "text", or "" when found before the analysis
	Input   bool   // Duplicate: the copy is of an article this run stored (the input has it twice)
	Err     error  // Failed
	Message string // Warning
}

// Result sums up a run.
type Result struct {
	Stored, Grouped     int
	DupStored, DupInput int // copies of articles stored before the run, and of this run's own
	Failed              int
	Elapsed             time.Duration
	Interrupted         bool           // the context ended the run (rerun to go on)
	ReadErr, StoreErr   error          // reading the inputs stopped; the store failed (what was stored is kept)
	lastStoredNow       map[int64]bool // the articles this run stored
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

// maxBatch is how many articles one transaction stores at most.
const maxBatch = 64

// Run reads the inputs (paths: files, directories, "-"; urls: pages and feeds), analyses what is
// not stored yet and stores it, in input order, in batches; each article is reported stored only
// once its batch is committed. An error of one input is an event and the run goes on.
func Run(ctx context.Context, paths, urls []string, o Options) Result {
	if o.CPUs < 1 {
		o.CPUs = runtime.NumCPU()
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = source.DefaultMaxBytes
	}
	if o.OnEvent == nil {
		o.OnEvent = func(Event) {}
	}
	st, pipe := o.Store, o.Pipeline
	names := pipe.Components()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan *job, 2*o.CPUs)
	results := make(chan *job, 2*o.CPUs)
	start := time.Now()

	// Reader: files, then URLs.
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
		err := source.Read(ctx, paths, source.Options{MaxBytes: o.MaxBytes, Stdin: o.Stdin, DeferHTML: true}, send)
		if err == nil && len(urls) > 0 {
			items := o.MaxFeedItems
			if items == 0 {
				items = -1 // no limit
			}
			f := fetch.New(fetch.Options{AllowPrivate: o.AllowPrivate, PerHost: o.PerHost, Timeout: o.Timeout, MaxBytes: o.MaxBytes,
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

	// Workers: extract, look up, analyse (a large document alone: engine.Slots).
	slots := engine.NewSlots(o.CPUs)
	var wg sync.WaitGroup
	for w := 0; w < o.CPUs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				prepare(ctx, o, st, pipe, slots, names, j)
				results <- j
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	// Writer: in input order, in batches of what is ready.
	r := Result{lastStoredNow: map[int64]bool{}}
	pending := map[int]*job{}
	next := 0
	var batch []*job
	// keepFetched keeps, for pages fetched by URL whose article is now stored, what the next
	// run's conditional GET sends.
	keepFetched := func(js ...*job) {
		for _, j := range js {
			if fd := j.item.Fetched; fd != nil && r.StoreErr == nil {
				v := store.Validators{ETag: fd.ETag, LastModified: fd.LastModified, Status: 200}
				if err := st.SetValidators(context.Background(), fd.URL, v); err != nil {
					r.StoreErr = fmt.Errorf("%s: keeping its validators: %w", fd.URL, err)
					cancel()
				}
			}
		}
	}
	flush := func() {
		if len(batch) == 0 || r.StoreErr != nil {
			return
		}
		arts := make([]*store.Article, len(batch))
		for i, j := range batch {
			arts[i] = j.art
		}
		rs, err := st.PutMany(ctx, arts)
		if err != nil {
			if ctx.Err() == nil {
				r.StoreErr = fmt.Errorf("%s: storing: %w", batch[0].item.Meta.Input, err)
			}
			cancel()
			batch = batch[:0]
			return
		}
		keepFetched(batch...)
		for i, pr := range rs {
			name := batch[i].item.Meta.Input.String()
			switch pr.Status {
			case store.Stored:
				r.Stored++
				r.lastStoredNow[pr.ID] = true
				if pr.Group != pr.ID {
					r.Grouped++
				}
				o.OnEvent(Event{Kind: Stored, Name: name, ID: pr.ID, Group: pr.Group})
			case store.DuplicateURL:
				o.OnEvent(r.duplicate(name, pr.ID, "URL"))
			case store.DuplicateText:
				o.OnEvent(r.duplicate(name, pr.ID, "text"))
			}
		}
		batch = batch[:0]
	}
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
			if r.StoreErr != nil || ctx.Err() != nil {
				continue // draining after a store failure or an interrupt
			}
			name := j.item.Meta.Input.String()
			for _, w := range j.item.Warnings {
				o.OnEvent(Event{Kind: Warning, Name: name, Message: w})
			}
			switch {
			case j.item.Notice():
				// its warnings are out
			case j.item.Err != nil:
				r.Failed++
				o.OnEvent(Event{Kind: Failed, Name: errName(name, j.item.Err), Err: j.item.Err})
			case j.err != nil:
				r.Failed++
				o.OnEvent(Event{Kind: Failed, Name: name, Err: fmt.Errorf("%s: %w", name, j.err)})
				if j.item.Feed != "" {
					// Not stored for a reason a later run may not have: read the feed again then.
					feedsMu.Lock()
					feedsFailed[j.item.Feed] = true
					feedsMu.Unlock()
				}
			case j.skip != 0:
				keepFetched(j)
				o.OnEvent(r.duplicate(name, j.skip, ""))
			default:
				batch = append(batch, j)
				if len(batch) >= maxBatch {
					flush()
				}
			}
		}
	}
	if ctx.Err() == nil {
		flush()
	}
	r.Elapsed = time.Since(start)
	r.Interrupted = ctx.Err() != nil && r.StoreErr == nil
	r.ReadErr = readErr
	if !r.Interrupted && r.StoreErr == nil && readErr == nil {
		feedsMu.Lock()
		for u, v := range feedsRead {
			if feedsFailed[u] {
				continue
			}
			if err := st.SetValidators(context.Background(), u, v); err != nil {
				r.StoreErr = fmt.Errorf("%s: keeping its validators: %w", u, err)
			}
		}
		feedsMu.Unlock()
	}
	return r
}

// errName is the input an error names, where the item does not.
func errName(name string, err error) string {
	var ie *newsgraph.InputError
	if errors.As(err, &ie) && (name == "" || name == ".") {
		return newsgraph.InputName(ie.Input, ie.Record)
	}
	return name
}

// duplicate counts an input passed over as a copy of the stored article id and returns its event.
func (r *Result) duplicate(name string, id int64, same string) Event {
	input := r.lastStoredNow[id]
	if input {
		r.DupInput++
	} else {
		r.DupStored++
	}
	return Event{Kind: Duplicate, Name: name, ID: id, Same: same, Input: input}
}

// prepare extracts an item's page, fills in its metadata, looks it up in the store and, when it
// is new, analyses it into j.art (or sets j.err, or j.skip).
func prepare(ctx context.Context, o Options, st store.Store, pipe *newsgraph.Pipeline, slots *engine.Slots, names []string, j *job) {
	// HTML pages are extracted here, in parallel; then an article already stored (the same URL or
	// text) is passed over before any analysis.
	j.item.Extract()
	if j.item.Err != nil || j.item.Notice() {
		return
	}
	FillMeta(&j.item.Meta, o.Date, o.Publisher)
	if id, ok, err := Lookup(ctx, st, j.item); err != nil {
		j.err = err
		return
	} else if ok {
		j.skip = id
		return
	}
	d, err := analyse(ctx, pipe, slots, j.item)
	if err != nil {
		j.err = err
		return
	}
	j.art, j.err = store.FromDoc(d, names)
}

// FillMeta fills in the metadata an input does not give from the run's options: the date when it
// has none, the publisher when it has none or only its host's name.
func FillMeta(m *newsgraph.Meta, date, publisher string) {
	if date != "" && m.Date == "" {
		m.Date = date
	}
	if publisher != "" && (m.Publisher == "" || m.PublisherSource == "host") {
		m.Publisher, m.PublisherSource = publisher, "flag"
	}
}

// analyse runs the pipeline over an extracted item, its warnings kept as diagnostics, in one of
// the slots.
func analyse(ctx context.Context, pipe *newsgraph.Pipeline, slots *engine.Slots, it source.Item) (*newsgraph.Doc, error) {
	d := newsgraph.NewDoc(it.Text, it.Meta)
	for _, w := range it.Warnings {
		d.Diag("source", newsgraph.Warning, nil, "%s", w)
	}
	release, err := slots.Acquire(ctx, len(it.Text))
	if err != nil {
		return nil, err
	}
	defer release()
	if err := pipe.Process(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// Analyse analyses one article (as Article does) without storing it: the server's analyze. The
// slots bound how many documents are analysed at once (nil: one at a time for this call).
func Analyse(ctx context.Context, pipe *newsgraph.Pipeline, slots *engine.Slots, it source.Item) (*newsgraph.Doc, error) {
	it.Extract()
	if it.Err != nil {
		return nil, it.Err
	}
	if it.Notice() || strings.TrimSpace(it.Text) == "" {
		return nil, fmt.Errorf("%s: %w", it.Meta.Input.String(), newsgraph.ErrEmpty)
	}
	if slots == nil {
		slots = engine.NewSlots(1)
	}
	return analyse(ctx, pipe, slots, it)
}

// Lookup finds an input already stored, by URL or by text.
func Lookup(ctx context.Context, st store.Store, it source.Item) (int64, bool, error) {
	if it.Meta.URL != "" {
		if id, ok, err := st.Lookup(ctx, it.Meta.URL, nil); err != nil || ok {
			return id, ok, err
		}
	}
	return st.Lookup(ctx, "", store.TextHash(it.Text))
}

// Article analyses one article (an item read or built by the caller: a text, a record, a page
// with Item.Extract still to run) and stores it unless the store has it: the server's way in.
// The event says what happened: Stored, Duplicate or Failed. The slots bound how many documents
// are analysed at once (nil: one at a time for this call).
func Article(ctx context.Context, st store.Store, pipe *newsgraph.Pipeline, slots *engine.Slots, it source.Item) Event {
	art, ev := Prepare(ctx, st, pipe, slots, it)
	if art == nil {
		return ev
	}
	rs, err := st.PutMany(ctx, []*store.Article{art})
	if err != nil {
		return Event{Kind: Failed, Name: ev.Name, Err: err}
	}
	return StoredEvent(ev.Name, rs[0])
}

// Prepare is the first half of Article: the article to store, or, when there is none (the input
// failed, or the store has it already), what became of it (Failed or Duplicate). Either way the
// event carries the input's name. A caller that stores several articles at once (PutMany) tells
// each one's outcome with StoredEvent.
func Prepare(ctx context.Context, st store.Store, pipe *newsgraph.Pipeline, slots *engine.Slots, it source.Item) (*store.Article, Event) {
	if slots == nil {
		slots = engine.NewSlots(1)
	}
	j := &job{item: it}
	prepare(ctx, Options{}, st, pipe, slots, pipe.Components(), j)
	name := j.item.Meta.Input.String()
	switch {
	case j.item.Err != nil:
		return nil, Event{Kind: Failed, Name: errName(name, j.item.Err), Err: j.item.Err}
	case j.err != nil:
		return nil, Event{Kind: Failed, Name: name, Err: j.err}
	case j.skip != 0:
		same := "text"
		if u := j.item.Meta.URL; u != "" {
			if id, ok, err := st.Lookup(ctx, u, nil); err == nil && ok && id == j.skip {
				same = "URL"
			}
		}
		return nil, Event{Kind: Duplicate, Name: name, ID: j.skip, Same: same}
	case j.art == nil:
		return nil, Event{Kind: Failed, Name: name, Err: errors.New("no article")}
	}
	return j.art, Event{Name: name}
}

// StoredEvent is the event of an article the store took: Stored, or Duplicate when it found it.
func StoredEvent(name string, r store.PutResult) Event {
	switch r.Status {
	case store.DuplicateURL:
		return Event{Kind: Duplicate, Name: name, ID: r.ID, Same: "URL"}
	case store.DuplicateText:
		return Event{Kind: Duplicate, Name: name, ID: r.ID, Same: "text"}
	}
	return Event{Kind: Stored, Name: name, ID: r.ID, Group: r.Group}
}
