package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/internal/benchstore"
	"github.com/newsgraph/newsgraph/store"
)

// benchArticles is the size of the search benchmark's store.
const benchArticles = 100_000

// BenchmarkSearch100k measures search latency on a store of 100,000 articles built by
// internal/benchstore from the 23,720 real articles of ../shared/data/news-text and copies of them
// as other outlets would run a wire story. The store is built once and kept in the temporary
// directory (NEWSGRAPH_BENCH_DB names another file); building takes several minutes.
//
//	go test ./store/sqlite -run XXX -bench Search100k -benchtime 1x
//
// Each of the queries below is run 20 times (after one warm-up run); the benchmark reports the
// 50th, 95th and 99th percentile latency over all of them, and logs each query's.
func BenchmarkSearch100k(b *testing.B) {
	path := benchstore.Path(benchArticles)
	st := benchstore.SQLite(b, path, benchArticles)
	defer st.Close()
	stats, err := st.Stats(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("store %s: %d articles in %d groups, %d entities, %d attributions, %d quotes, %.2f GB",
		path, stats.Articles, stats.Groups, stats.Entities, stats.Attributions, stats.Quotes, float64(stats.Bytes)/(1<<30))
	queries := []store.Query{
		{Text: "government"},
		{Text: "said"},
		{Text: "oil prices"},
		{Text: `"prime minister"`},
		{Text: "Blair election"},
		{Text: "inflation interest rates"},
		{Text: "Taliban"},
		{Text: "football OR rugby"},
		{Text: "bank -england"},
		{Text: "chelsea", From: "2005", To: "2010"},
		{Text: "economy", Publisher: "Reuters"},
		{Text: "profits", Entity: "Microsoft"},
		{Text: "election", Speaker: "Blair"},
		{Text: "strike", Outlet: "Reuters"},
		{Speaker: "Brown"},
		{Publisher: "Reuters", From: "2015"},
		{Entity: "London", To: "2003"},
		{Outlet: "Reuters", Publisher: "CNN"},
	}
	const runs = 20
	var all []time.Duration
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		all = all[:0]
		var lines []string
		for _, q := range queries {
			if _, err := st.Search(ctx, q); err != nil { // warm-up
				b.Fatalf("%+v: %v", q, err)
			}
			var ds []time.Duration
			n := 0
			for r := 0; r < runs; r++ {
				t0 := time.Now()
				hits, err := st.Search(ctx, q)
				ds = append(ds, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
				n = len(hits)
			}
			all = append(all, ds...)
			lines = append(lines, fmt.Sprintf("%-60s %2d hits  p50 %6.1f ms  p95 %6.1f ms", describe(q), n, ms(pct(ds, 50)), ms(pct(ds, 95))))
		}
		if i == 0 {
			fmt.Fprintln(os.Stderr, strings.Join(lines, "\n")) // b.Log would cut the list short
		}
	}
	b.StopTimer()
	b.ReportMetric(ms(pct(all, 50)), "p50-ms")
	b.ReportMetric(ms(pct(all, 95)), "p95-ms")
	b.ReportMetric(ms(pct(all, 99)), "p99-ms")
}

// describe is a query as the command line would put it.
func describe(q store.Query) string {
	var parts []string
	for _, f := range []struct{ name, v string }{{"speaker", q.Speaker}, {"outlet", q.Outlet}, {"entity", q.Entity}, {"publisher", q.Publisher}, {"from", q.From}, {"to", q.To}} {
		if f.v != "" {
			parts = append(parts, fmt.Sprintf("--%s %q", f.name, f.v))
		}
	}
	if q.Text != "" {
		parts = append(parts, fmt.Sprintf("%q", q.Text))
	}
	return strings.Join(parts, " ")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func pct(ds []time.Duration, p int) time.Duration { return benchstore.Percentile(ds, p) }
