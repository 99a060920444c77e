package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/store"
)

// WorkOptions configure a worker.
type WorkOptions struct {
	Store    store.Store
	Pipeline *newsgraph.Pipeline
	// CPUs work on this many items at once (0: every core).
	CPUs int
	// Fetch configures the fetching of URL items (its Store, Pipeline, CPUs and OnEvent are the
	// worker's).
	Fetch ingest.Options
	// UntilEmpty returns once the queue has had nothing to deliver and nothing in progress for
	// Idle (0: 2 seconds); otherwise Work runs until its context ends.
	UntilEmpty bool
	Idle       time.Duration
	// OnEvent learns of each item's outcome (from several goroutines, one at a time).
	OnEvent func(WorkEvent)
}

// WorkEvent is what happened to an item.
type WorkEvent struct {
	Item      Item
	Delivered uint64       // the delivery this was (1 for the first)
	Event     ingest.Event // Stored, Duplicate or Failed (and the warnings of a URL's fetch)
	Outcome   string       // "stored", "duplicate", "failed: will retry", "dead letter"
}

// WorkResult sums up a worker's run.
type WorkResult struct {
	Stored, Duplicates, Retried, Dead int
}

// permanent reports an error that another delivery would meet again: the input itself is bad.
func permanent(err error) bool {
	var in *newsgraph.InputError
	return errors.As(err, &in) || errors.Is(err, newsgraph.ErrEmpty) || errors.Is(err, newsgraph.ErrBinary) ||
		errors.Is(err, newsgraph.ErrNotUTF8) || errors.Is(err, newsgraph.ErrTooLarge) || errors.Is(err, store.ErrEmptyText)
}

// Work takes items from the queue and stores them until ctx ends (or, with UntilEmpty, the queue
// is empty). An item is acknowledged only after the store has committed it (or found it stored);
// one the store could not take (it is down) is handed back to be delivered again after a pause;
// one that fails MaxDeliver times, or cannot be read, goes to the dead letters.
func (q *Queue) Work(ctx context.Context, o WorkOptions) (WorkResult, error) {
	if o.CPUs <= 0 {
		o.CPUs = runtime.NumCPU()
	}
	if o.Idle <= 0 {
		o.Idle = 2 * time.Second
	}
	slots := engine.NewSlots(o.CPUs)
	var mu sync.Mutex
	var res WorkResult
	report := func(ev WorkEvent) {
		mu.Lock()
		defer mu.Unlock()
		switch ev.Outcome {
		case "stored":
			res.Stored++
		case "duplicate":
			res.Duplicates++
		case "dead letter":
			res.Dead++
		default:
			res.Retried++
		}
		if o.OnEvent != nil {
			o.OnEvent(ev)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var idleSince atomic.Int64 // unix nanoseconds since when no item came, 0 while items come
	var busy atomic.Int64      // items taken and not yet acknowledged or handed back
	// The analysed articles go to one goroutine that stores them in batches (PutMany: one
	// transaction for those that are ready), so that the analyses go on while the store commits.
	toStore := make(chan *analysed, 2*o.CPUs)
	storerDone := make(chan struct{})
	go func() {
		defer close(storerDone)
		q.storeBatches(ctx, toStore, o, report, func() { busy.Add(-1) })
	}()
	var wg sync.WaitGroup
	for w := 0; w < o.CPUs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A pull subscription that keeps the next item at hand while this one is worked on:
			// the round trips of asking for items do not add to each item's time.
			var it jetstream.MessagesContext
			defer func() {
				if it != nil {
					it.Stop()
				}
			}()
			for ctx.Err() == nil {
				if it == nil {
					var err error
					if it, err = q.cons.Messages(jetstream.PullMaxMessages(2)); err != nil {
						it = nil
						time.Sleep(500 * time.Millisecond) // the server is away: the connection comes back by itself
						continue
					}
				}
				nctx, ncancel := context.WithTimeout(ctx, time.Second)
				msg, err := it.Next(jetstream.NextContext(nctx))
				ncancel()
				if err == nil {
					idleSince.Store(0)
					busy.Add(1)
					if a := q.handle(ctx, msg, o, slots, report); a != nil {
						toStore <- a // acknowledged once stored
					} else {
						busy.Add(-1)
					}
					continue
				}
				if ctx.Err() != nil {
					return
				}
				if !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) {
					it.Stop()
					it = nil
					time.Sleep(500 * time.Millisecond)
					continue
				}
				if o.UntilEmpty && busy.Load() == 0 {
					now := time.Now().UnixNano()
					idleSince.CompareAndSwap(0, now)
					if time.Duration(now-idleSince.Load()) >= o.Idle {
						if st, err := q.Status(ctx); err == nil && st.Pending == 0 && st.InProgress == 0 {
							cancel()
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	close(toStore)
	<-storerDone
	return res, nil
}

// storeLinger is how long the storer waits for more articles to store with the first that comes:
// a transaction and its statements for several articles cost the store less than for each.
const storeLinger = 20 * time.Millisecond

// analysed is an item whose article waits to be stored.
type analysed struct {
	msg       jetstream.Msg
	item      Item
	raw       []byte
	delivered uint64
	art       *store.Article
	name      string
	stop      chan struct{} // ends the item's "in progress" signals
}

// storeBatches stores the articles that come, those that are ready at once in one PutMany, and
// then acknowledges each (or hands it back); done is called for each item settled.
func (q *Queue) storeBatches(ctx context.Context, in <-chan *analysed, o WorkOptions, report func(WorkEvent), done func()) {
	const maxBatch = 32
	for a := range in {
		batch := []*analysed{a}
		linger := time.NewTimer(storeLinger)
	more:
		for len(batch) < maxBatch {
			select {
			case b, ok := <-in:
				if !ok {
					break more
				}
				batch = append(batch, b)
			case <-linger.C:
				break more
			}
		}
		linger.Stop()
		arts := make([]*store.Article, len(batch))
		for i, b := range batch {
			arts[i] = b.art
		}
		rs, err := o.Store.PutMany(ctx, arts)
		failedAlone := 0 // articles put alone that failed in a row
		for i, b := range batch {
			var ev ingest.Event
			switch {
			case err == nil:
				ev = ingest.StoredEvent(b.name, rs[i])
			case len(batch) > 1 && ctx.Err() == nil && failedAlone < 2:
				// One article may be what the store refused: each is put alone, so that the
				// others are not handed back with it (and at last buried) again and again.
				// Two failing alone in a row say the store is down: the rest are handed back.
				ev = ingest.Event{Kind: ingest.Failed, Name: b.name}
				if r, err := o.Store.PutMany(ctx, arts[i:i+1]); err != nil {
					ev.Err = err
					failedAlone++
				} else {
					ev = ingest.StoredEvent(b.name, r[0])
					failedAlone = 0
				}
			default:
				ev = ingest.Event{Kind: ingest.Failed, Name: b.name, Err: err}
			}
			q.settle(ctx, b.msg, b.item, b.raw, b.delivered, ev, report)
			close(b.stop)
			done()
		}
	}
}

// handle processes one delivery: an article to store (which storeBatches settles), or nil when
// the item is settled here (stored by a URL's fetch, found stored, failed).
func (q *Queue) handle(ctx context.Context, msg jetstream.Msg, o WorkOptions, slots *engine.Slots, report func(WorkEvent)) *analysed {
	md, err := msg.Metadata()
	delivered := uint64(1)
	if err == nil {
		delivered = md.NumDelivered
	}
	var it Item
	raw := msg.Data()
	if err := json.Unmarshal(raw, &it); err != nil || (it.Kind != "text" && it.Kind != "url") {
		reason := "not a work item"
		if err != nil {
			reason += ": " + err.Error()
		}
		q.toDead(ctx, msg, it, raw, reason, delivered, report)
		return nil
	}
	if delivered > uint64(q.o.MaxDeliver) {
		q.toDead(ctx, msg, it, raw, fmt.Sprintf("delivered %d times without being stored (a worker may have died on it)", delivered-1), delivered, report)
		return nil
	}
	// A large article may take longer than the acknowledgement wait: say it is in progress.
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(q.o.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				msg.InProgress()
			}
		}
	}()
	var ev ingest.Event
	switch it.Kind {
	case "text":
		var art *store.Article
		if art, ev = ingest.Prepare(ctx, o.Store, o.Pipeline, slots, it.SourceItem()); art != nil {
			return &analysed{msg: msg, item: it, raw: raw, delivered: delivered, art: art, name: ev.Name, stop: stop}
		}
	case "url":
		ev = q.fetch(ctx, it, o)
	}
	q.settle(ctx, msg, it, raw, delivered, ev, report)
	close(stop)
	return nil
}

// settle acknowledges an item stored or found stored, or hands it back, or buries it, by the
// event of its analysis and storing.
func (q *Queue) settle(ctx context.Context, msg jetstream.Msg, it Item, raw []byte, delivered uint64, ev ingest.Event, report func(WorkEvent)) {
	switch {
	case ev.Kind == ingest.Stored || ev.Kind == ingest.Duplicate:
		// Stored: acknowledged even when the worker is stopping, so that it is not delivered
		// again for nothing.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err := msg.DoubleAck(actx)
		cancel()
		if err != nil {
			// Not acknowledged: it will come again, and be found stored.
			report(WorkEvent{Item: it, Delivered: delivered, Event: ev, Outcome: "failed: will retry (acknowledgement lost: " + err.Error() + ")"})
			return
		}
		outcome := "stored"
		if ev.Kind == ingest.Duplicate {
			outcome = "duplicate"
		}
		report(WorkEvent{Item: it, Delivered: delivered, Event: ev, Outcome: outcome})
	case ctx.Err() != nil:
		msg.Nak() // stopping: another worker takes it
	case permanent(ev.Err) || delivered >= uint64(q.o.MaxDeliver):
		reason := "failed"
		if ev.Err != nil {
			reason = ev.Err.Error()
		}
		if delivered >= uint64(q.o.MaxDeliver) && !permanent(ev.Err) {
			reason = fmt.Sprintf("failed %d times; the last: %s", delivered, reason)
		}
		q.toDead(ctx, msg, it, raw, reason, delivered, report)
	default:
		// The store or the network: hand it back, to be delivered again after a pause that grows.
		msg.NakWithDelay(min(time.Duration(delivered)*2*time.Second, 30*time.Second))
		report(WorkEvent{Item: it, Delivered: delivered, Event: ev, Outcome: "failed: will retry"})
	}
}

// toDead buries an item and acknowledges it (only once it is buried).
func (q *Queue) toDead(ctx context.Context, msg jetstream.Msg, it Item, raw []byte, reason string, delivered uint64, report func(WorkEvent)) {
	if err := q.bury(ctx, it, raw, reason, delivered); err != nil {
		msg.NakWithDelay(5 * time.Second)
		report(WorkEvent{Item: it, Delivered: delivered, Outcome: "failed: will retry (the dead letters: " + err.Error() + ")"})
		return
	}
	msg.DoubleAck(ctx)
	report(WorkEvent{Item: it, Delivered: delivered, Event: ingest.Event{Kind: ingest.Failed, Name: it.Name, Err: errors.New(reason)}, Outcome: "dead letter"})
}

// fetch runs the ingest flow for a URL item: a page, or a feed's new items.
func (q *Queue) fetch(ctx context.Context, it Item, o WorkOptions) ingest.Event {
	fo := o.Fetch
	fo.Store, fo.Pipeline, fo.CPUs = o.Store, o.Pipeline, 1
	var last ingest.Event
	var failed error
	fo.OnEvent = func(ev ingest.Event) {
		switch ev.Kind {
		case ingest.Failed:
			failed = ev.Err
		case ingest.Stored, ingest.Duplicate:
			last = ev
		}
	}
	r := ingest.Run(ctx, nil, []string{it.URL}, fo)
	switch {
	case r.StoreErr != nil:
		return ingest.Event{Kind: ingest.Failed, Name: it.Name, Err: r.StoreErr}
	case r.Stored+r.DupStored+r.DupInput > 0 && failed == nil:
		if r.Stored > 0 {
			return ingest.Event{Kind: ingest.Stored, Name: it.Name, ID: last.ID}
		}
		return ingest.Event{Kind: ingest.Duplicate, Name: it.Name, ID: last.ID}
	case failed != nil:
		return ingest.Event{Kind: ingest.Failed, Name: it.Name, Err: failed}
	}
	// Nothing new (a feed without new items, a page not modified): done.
	return ingest.Event{Kind: ingest.Duplicate, Name: it.Name}
}
