package postgres

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/internal/benchstore"
)

// BenchmarkSearchPG: search latency on a PostgreSQL store of NEWSGRAPH_BENCH_N articles (default
// 1,000,000) built by internal/benchstore from the real articles and their copies as other
// outlets (the SQLite benchmark's recipe), in the schema bench_search_N of NEWSGRAPH_PG, kept for
// the next run. The queries are the SQLite benchmark's, 20 runs each.
//
//	eval "$(scripts/services start postgres)"
//	NEWSGRAPH_BENCH_N=100000 go test ./store/postgres -run XXX -bench SearchPG -benchtime 1x -timeout 2h
func BenchmarkSearchPG(b *testing.B) {
	dsn := server(b)
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("NEWSGRAPH_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	schema := fmt.Sprintf("bench_search_%d_v%d", n, LayoutVersion)
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	st, err := Open(context.Background(), dsn+sep+"search_path="+schema)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	stats, err := st.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if stats.Articles != n {
		if stats.Articles != 0 {
			b.Fatalf("schema %s holds %d articles, not %d: drop it to rebuild", schema, stats.Articles, n)
		}
		t0 := time.Now()
		benchstore.Fill(b, st, n)
		if _, err := st.db.ExecContext(ctx, `VACUUM ANALYZE`); err != nil { // as autovacuum would, soon after a bulk load
			b.Fatal(err)
		}
		b.Logf("built %d articles in %v", n, time.Since(t0).Round(time.Second))
		stats, _ = st.Stats(ctx)
	}
	b.Logf("schema %s: %d articles, %d groups, %.2f GB", schema, stats.Articles, stats.Groups, float64(stats.Bytes)/(1<<30))
	var all []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var lines []string
		all, lines = benchstore.Latencies(b, st, benchstore.Queries, 20)
		if i == 0 {
			fmt.Fprintln(os.Stderr, strings.Join(lines, "\n"))
		}
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	b.ReportMetric(ms(benchstore.Percentile(all, 50)), "p50-ms")
	b.ReportMetric(ms(benchstore.Percentile(all, 95)), "p95-ms")
	b.ReportMetric(ms(benchstore.Percentile(all, 99)), "p99-ms")
}
