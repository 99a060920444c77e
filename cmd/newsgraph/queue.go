package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/fetch"
	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/queue"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store/postgres"
)

// queueFlags are the queue options every queue command takes.
type queueFlags struct {
	maxDeliver int
	ackWait    time.Duration
	maxPending int64
	namespace  string
}

func addQueueFlags(fs *flag.FlagSet) *queueFlags {
	f := &queueFlags{}
	fs.IntVar(&f.maxDeliver, "max-deliver", 5, "an item delivered this many times without being stored goes to the dead letters")
	fs.DurationVar(&f.ackWait, "ack-wait", 5*time.Minute, "how long a worker has to store an item before it is delivered to another")
	fs.Int64Var(&f.maxPending, "max-pending", 10_000, "publishers wait while the queue holds this many items (back-pressure)")
	fs.StringVar(&f.namespace, "namespace", "newsgraph", "the queue's streams on the server: NAMESPACE_WORK and NAMESPACE_DEAD")
	return f
}

func (f *queueFlags) options(name string) queue.Options {
	return queue.Options{MaxDeliver: f.maxDeliver, AckWait: f.ackWait, MaxPending: f.maxPending, Namespace: f.namespace, Name: name, Worker: name == "newsgraph worker"}
}

// publishInputs is `ingest --queue`: every article read from the inputs, and every URL, becomes a
// work item.
func publishInputs(ctx context.Context, e env, addr string, qo queue.Options, paths, urls []string, so source.Options, date, publisher string) int {
	q, err := queue.Open(ctx, addr, qo)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph ingest: %v\n", err)
		return exitFail
	}
	defer q.Close()
	t0 := time.Now()
	published, failed := 0, 0
	lastWait := time.Time{}
	wait := func(pending uint64) {
		if time.Since(lastWait) > 10*time.Second {
			fmt.Fprintf(e.stderr, "newsgraph ingest: the queue holds %d items: waiting for the workers\n", pending)
			lastWait = time.Now()
		}
	}
	err = source.Read(ctx, paths, so, func(it source.Item) error {
		if it.Err != nil {
			fmt.Fprintf(e.stderr, "newsgraph: %v\n", it.Err)
			failed++
			return nil
		}
		for _, w := range it.Warnings {
			fmt.Fprintf(e.stderr, "newsgraph: warning: %s\n", w)
		}
		if it.Notice() {
			return nil
		}
		ingest.FillMeta(&it.Meta, date, publisher)
		if err := q.Publish(ctx, queue.ItemOf(it), wait); err != nil {
			return err
		}
		published++
		return nil
	})
	for _, u := range urls {
		if err != nil {
			break
		}
		if err = q.Publish(ctx, queue.URLItem(u), wait); err == nil {
			published++
		}
	}
	fmt.Fprintf(e.stderr, "newsgraph ingest: %d items published to %s in %.1f s, %d inputs failed\n", published, addr, time.Since(t0).Seconds(), failed)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph ingest: %v (the items published before it are queued)\n", err)
		return exitFail
	}
	if failed > 0 {
		return exitFail
	}
	return exitOK
}

// runWorker is `newsgraph worker`: items from the queue, analysed and stored.
func runWorker(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := dbCreateFlag(fs)
	addr := fs.String("queue", "", "the NATS server of the work queue (nats://host:4222)")
	cpus := fs.Int("cpus", runtime.NumCPU(), "work on this many items at once, on as many cores (GOMAXPROCS): a worker is its cores")
	untilEmpty := fs.Bool("until-empty", false, "stop once the queue is empty (else run until SIGTERM or Ctrl-C)")
	allowPrivate := fs.Bool("allow-private", false, "allow fetching from loopback, private and link-local addresses")
	perHost := fs.Duration("per-host", time.Second, "least time between two requests to one host")
	timeout := fs.Duration("timeout", 30*time.Second, "the longest one request may take")
	maxFeedItems := fs.Int("max-feed-items", fetch.DefaultMaxItems, "fetch at most this many new items of one feed an item")
	verbose := fs.Bool("v", false, "print a line for each item, on standard output")
	minSpeaker := minSpeakerFlag(fs)
	qf := addQueueFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph worker --queue nats://HOST:4222 --db STORE [flags]\n\nTakes items from the work queue (`newsgraph ingest --queue`), analyses and stores each, and\nacknowledges it once the store has committed it: a worker killed loses nothing (its items are\ndelivered again) and stores nothing twice. Run as many as there are cores to spare, on as many\nmachines; they share the store (a postgres:// URL).\n\nFlags:")
		fs.PrintDefaults()
	}
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 || *addr == "" || *cpus < 1 {
		fs.Usage()
		return exitUsage
	}
	if *cpus < runtime.NumCPU() {
		// Its garbage collection and storing too: the workers of one machine do not crowd each other.
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(*cpus))
	}
	pipe, err := engine.NewWithOptions(engine.Options{MinSpeakerConfidence: speakerThreshold(*minSpeaker)})
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph worker: %v\n", err)
		return exitFail
	}
	st, ok := createStore(e, "worker", *db)
	if !ok {
		return exitFail
	}
	defer st.Close()
	q, err := queue.Open(ctx, *addr, qf.options("newsgraph worker"))
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph worker: %v\n", err)
		return exitFail
	}
	defer q.Close()
	fmt.Fprintf(e.stderr, "newsgraph worker: %s → %s, %d at once\n", *addr, postgres.Redact(*db), *cpus)
	var mu sync.Mutex
	t0 := time.Now()
	res, err := q.Work(ctx, queue.WorkOptions{Store: st, Pipeline: pipe, CPUs: *cpus, UntilEmpty: *untilEmpty,
		Fetch: ingest.Options{MaxFeedItems: *maxFeedItems, AllowPrivate: *allowPrivate, PerHost: *perHost, Timeout: *timeout},
		OnEvent: func(ev queue.WorkEvent) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case ev.Outcome == "dead letter":
				fmt.Fprintf(e.stderr, "newsgraph worker: %s: to the dead letters: %v\n", ev.Item.Name, ev.Event.Err)
			case strings.HasPrefix(ev.Outcome, "failed"):
				fmt.Fprintf(e.stderr, "newsgraph worker: %s (delivery %d): %v; %s\n", ev.Item.Name, ev.Delivered, ev.Event.Err, ev.Outcome)
			case *verbose:
				fmt.Fprintf(e.stdout, "%-9s #%d %s\n", ev.Outcome, ev.Event.ID, ev.Item.Name)
			}
		}})
	elapsed := time.Since(t0)
	fmt.Fprintf(e.stderr, "newsgraph worker: %d stored, %d already stored, %d to be retried, %d to the dead letters in %.1f s (%.1f articles/s)\n",
		res.Stored, res.Duplicates, res.Retried, res.Dead, elapsed.Seconds(), float64(res.Stored)/elapsed.Seconds())
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph worker: %v\n", err)
		return exitFail
	}
	return exitOK
}

// runQueue is `newsgraph queue status`.
func runQueue(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("queue", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addr := fs.String("queue", "", "the NATS server of the work queue (nats://host:4222)")
	asJSON := fs.Bool("json", false, "print a JSON object")
	qf := addQueueFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph queue status --queue nats://HOST:4222 [--json]\n\nThe work queue: items waiting, in progress (and delivered more than once), workers asking,\nand the dead letters with their reasons.\n\nFlags:")
		fs.PrintDefaults()
	}
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 || rest[0] != "status" || *addr == "" {
		fs.Usage()
		return exitUsage
	}
	q, err := queue.Open(ctx, *addr, qf.options("newsgraph queue status"))
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph queue: %v\n", err)
		return exitFail
	}
	defer q.Close()
	s, err := q.Status(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph queue: %v\n", err)
		return exitFail
	}
	if *asJSON {
		if s.LastDead == nil {
			s.LastDead = []queue.DeadLetter{}
		}
		b, _ := json.Marshal(s)
		fmt.Fprintf(e.stdout, "%s\n", b)
		return exitOK
	}
	fmt.Fprintf(e.stdout, "pending      %d items (%s)\nwaiting      %d not yet delivered\nin progress  %d (%d delivered more than once)\nworkers      %d asking now\ndead letters %d\n",
		s.Pending, humanBytes(int64(s.StreamBytes)), s.Waiting, s.InProgress, s.Redelivered, s.Workers, s.Dead)
	for _, d := range s.LastDead {
		fmt.Fprintf(e.stdout, "  %s  %s (delivered %d): %s\n", d.At.Format(time.RFC3339), d.Item.Name, d.Delivered, d.Reason)
	}
	return exitOK
}
