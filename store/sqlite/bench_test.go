package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/internal/benchstore"
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
	b.ResetTimer()
	var all []time.Duration
	for i := 0; i < b.N; i++ {
		var lines []string
		all, lines = benchstore.Latencies(b, st, benchstore.Queries, 20)
		if i == 0 {
			fmt.Fprintln(os.Stderr, strings.Join(lines, "\n")) // b.Log would cut the list short
		}
	}
	b.StopTimer()
	b.ReportMetric(ms(pct(all, 50)), "p50-ms")
	b.ReportMetric(ms(pct(all, 95)), "p95-ms")
	b.ReportMetric(ms(pct(all, 99)), "p99-ms")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func pct(ds []time.Duration, p int) time.Duration { return benchstore.Percentile(ds, p) }
