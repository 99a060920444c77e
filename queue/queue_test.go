package queue_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/queue"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store/sqlite"
)

func server(t testing.TB) string { return testutil.Service(t, "NEWSGRAPH_NATS") }

var (
	pipeOnce sync.Once
	pipe     *newsgraph.Pipeline
)

// open is a queue in a namespace of the test's own, removed after it.
func open(t *testing.T, o queue.Options) *queue.Queue {
	t.Helper()
	addr := server(t)
	if o.Namespace == "" {
		o.Namespace = fmt.Sprintf("t%d", time.Now().UnixNano())
	}
	o.Worker = true
	q, err := queue.Open(context.Background(), addr, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Purge(context.Background()); q.Close() })
	return q
}

func worker(t testing.TB) queue.WorkOptions {
	t.Helper()
	pipeOnce.Do(func() {
		var err error
		if pipe, err = engine.New(); err != nil {
			t.Fatal(err)
		}
	})
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return queue.WorkOptions{Store: st, Pipeline: pipe, CPUs: 2, UntilEmpty: true, Idle: 300 * time.Millisecond}
}

func text(i int) queue.Item {
	return queue.ItemOf(source.Item{Text: fmt.Sprintf("Story %d. Mullah Omar said on Wednesday that talks in Murree number %d were legitimate, the BBC reported.", i, i),
		Meta: newsgraph.Meta{Date: "2015-07-16", Publisher: "Newsmax", Input: newsgraph.Input{Path: fmt.Sprintf("a%d.txt", i)}}})
}

// TestWork: items published are stored once each; a copy is a duplicate; a bad item and a message
// that is no item go to the dead letters with their reasons, and the queue ends empty.
func TestWork(t *testing.T) {
	q := open(t, queue.Options{})
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if err := q.Publish(ctx, text(i), nil); err != nil {
			t.Fatal(err)
		}
	}
	q.Publish(ctx, text(0), nil) // a copy
	bad := queue.Item{Kind: "text", Name: "bad.txt", Text: "   "}
	q.Publish(ctx, bad, nil)
	q.PublishRaw(ctx, []byte("not json at all"))
	o := worker(t)
	res, err := q.Work(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 5 || res.Duplicates != 1 || res.Dead != 2 || res.Retried != 0 {
		t.Errorf("result %+v", res)
	}
	st, err := q.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 0 || st.InProgress != 0 || st.Dead != 2 || len(st.LastDead) != 2 {
		t.Fatalf("status %+v", st)
	}
	// Two workers: the dead letters may come in either order.
	reasons := map[string]string{}
	for _, d := range st.LastDead {
		reasons[d.Item.Kind+" "+d.Item.Name] = d.Reason
	}
	if !strings.Contains(reasons["text bad.txt"], "needs text") || !strings.Contains(reasons["unreadable not json at all"], "not a work item") {
		t.Errorf("dead letters: %+v", st.LastDead)
	}
	if s, _ := o.Store.Stats(ctx); s.Articles != 5 {
		t.Errorf("stored %d articles", s.Articles)
	}
}

// TestRedelivery: an item a worker took and never acknowledged (it died) is delivered again once
// its acknowledgement is overdue, and stored once.
func TestRedelivery(t *testing.T) {
	q := open(t, queue.Options{AckWait: time.Second})
	ctx := context.Background()
	q.Publish(ctx, text(1), nil)
	// A worker that takes the item and dies: a raw consumer fetch, never acknowledged.
	nc, err := nats.Connect(server(t))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	cons, err := js.Consumer(ctx, strings.ToUpper(q.Namespace())+"_WORK", queue.Consumer)
	if err != nil {
		t.Fatal(err)
	}
	b, err := cons.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for range b.Messages() {
		n++
	}
	if n != 1 {
		t.Fatalf("fetched %d", n)
	}
	var delivered atomic.Uint64
	o := worker(t)
	o.Idle = 2 * time.Second
	o.OnEvent = func(ev queue.WorkEvent) { delivered.Store(ev.Delivered) }
	res, _ := q.Work(ctx, o)
	if res.Stored != 1 || delivered.Load() != 2 {
		t.Errorf("result %+v, delivery %d", res, delivered.Load())
	}
}

// TestPoison: an item the store cannot take is handed back and tried again, and after MaxDeliver
// deliveries it goes to the dead letters with the last error.
func TestPoison(t *testing.T) {
	q := open(t, queue.Options{MaxDeliver: 2})
	ctx := context.Background()
	q.Publish(ctx, text(1), nil)
	o := worker(t)
	o.Store.Close() // the store is down
	o.Idle = 6 * time.Second
	res, _ := q.Work(ctx, o)
	if res.Dead != 1 || res.Retried != 1 || res.Stored != 0 {
		t.Errorf("result %+v", res)
	}
	st, _ := q.Status(ctx)
	if st.Dead != 1 || !strings.Contains(st.LastDead[0].Reason, "failed 2 times") || st.LastDead[0].Delivered != 2 {
		t.Errorf("dead letters %+v", st.LastDead)
	}
}

// TestBackPressure: a publisher waits while MaxPending items are queued, and goes on as workers
// take them.
func TestBackPressure(t *testing.T) {
	q := open(t, queue.Options{MaxPending: 3})
	ctx := context.Background()
	var waited atomic.Int64
	done := make(chan error, 1)
	go func() {
		for i := 0; i < 6; i++ {
			if err := q.Publish(ctx, text(i), func(pending uint64) { waited.Add(1) }); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	time.Sleep(1500 * time.Millisecond)
	if st, _ := q.Status(ctx); st.Pending != 3 || waited.Load() == 0 {
		t.Fatalf("before any worker: %d pending, waited %d times", st.Pending, waited.Load())
	}
	o := worker(t)
	o.Idle = 3 * time.Second
	res, _ := q.Work(ctx, o)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if res.Stored != 6 {
		t.Errorf("stored %d", res.Stored)
	}
}
