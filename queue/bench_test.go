package queue_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/queue"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store"
	"github.com/newsgraph/newsgraph/store/postgres"
	"github.com/newsgraph/newsgraph/store/sqlite"
)

// BenchmarkWorkers: 1,000 BBC articles through the queue into a store, by one worker (one core:
// GOMAXPROCS 1),
// then by two (one core each, a connection each), into PostgreSQL; and one worker into SQLite.
// It reports each rate and the ratios the targets name: two workers over one (≥ 1.8) and
// PostgreSQL over SQLite for one worker (≥ 0.8).
//
//	eval "$(scripts/services start)"; go test ./queue -run XXX -bench Workers -benchtime 1x
func BenchmarkWorkers(b *testing.B) {
	addr := server(b)
	pg := os.Getenv("NEWSGRAPH_PG")
	if pg == "" {
		b.Skip("no PostgreSQL (NEWSGRAPH_PG)")
	}
	var items []queue.Item
	source.Read(context.Background(), []string{testutil.SharedData(b, "news-text/bbc")}, source.Options{}, func(it source.Item) error {
		if it.Err == nil && len(items) < 1000 {
			items = append(items, queue.ItemOf(it))
		}
		return nil
	})
	rate := func(workers int, open func(i int) store.Store) float64 {
		ns := fmt.Sprintf("b%d", time.Now().UnixNano())
		q, err := queue.Open(context.Background(), addr, queue.Options{Namespace: ns, Worker: true, MaxPending: 1 << 30})
		if err != nil {
			b.Fatal(err)
		}
		defer func() { q.Purge(context.Background()); q.Close() }()
		for _, it := range items {
			if err := q.Publish(context.Background(), it, nil); err != nil {
				b.Fatal(err)
			}
		}
		st := open(0)
		defer st.Close()
		// A worker is a core (as `newsgraph worker --cpus 1` is): its garbage collection and its
		// storing run on it, not on a core another worker would use.
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(workers))
		t0 := time.Now()
		var wg sync.WaitGroup
		var mu sync.Mutex
		stored := 0
		var last time.Time // when the last item was done: the run's end, without the idle wait after it
		for w := 0; w < workers; w++ {
			wq, err := queue.Open(context.Background(), addr, queue.Options{Namespace: ns, Worker: true})
			if err != nil {
				b.Fatal(err)
			}
			defer wq.Close()
			wg.Add(1)
			go func() {
				defer wg.Done()
				o := worker(b)
				o.Store, o.CPUs, o.Idle = st, 1, 500*time.Millisecond
				o.OnEvent = func(queue.WorkEvent) {
					mu.Lock()
					last = time.Now()
					mu.Unlock()
				}
				res, _ := wq.Work(context.Background(), o)
				mu.Lock()
				stored += res.Stored + res.Duplicates // the corpus repeats a few texts
				mu.Unlock()
			}()
		}
		wg.Wait()
		el := last.Sub(t0)
		if stored != len(items) {
			b.Fatalf("%d stored or found of %d", stored, len(items))
		}
		return float64(stored) / el.Seconds()
	}
	pgStore := func(int) store.Store {
		h := sha256.Sum256([]byte(fmt.Sprint(time.Now().UnixNano())))
		schema := "bench_" + hex.EncodeToString(h[:6])
		u, _ := url.Parse(pg)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		st, err := postgres.Open(context.Background(), u.String())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() {
			if db, err := sql.Open("pgx", pg); err == nil {
				db.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`)
				db.Close()
			}
		})
		return st
	}
	sqliteStore := func(int) store.Store {
		st, err := sqlite.Open(filepath.Join(b.TempDir(), "s.db"))
		if err != nil {
			b.Fatal(err)
		}
		return st
	}
	for i := 0; i < b.N; i++ {
		sq := rate(1, sqliteStore)
		one := rate(1, pgStore)
		two := rate(2, pgStore)
		b.ReportMetric(sq, "sqlite-1w-articles/s")
		b.ReportMetric(one, "pg-1w-articles/s")
		b.ReportMetric(two, "pg-2w-articles/s")
		b.ReportMetric(two/one, "2w/1w")
		b.ReportMetric(one/sq, "pg/sqlite")
	}
}
