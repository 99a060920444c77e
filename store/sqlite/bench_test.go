package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store"
)

// benchArticles is the size of the search benchmark's store.
const benchArticles = 100_000

// BenchmarkSearch100k measures search latency on a store of 100,000 articles built from the
// 23,720 real articles of ../shared/data/news-text (BBC, Reuters-21578, TempEval-3 silver), each
// analysed by the full pipeline once. The other 76,000 are copies of them as other outlets would
// run a wire story: another publisher (from outlet/data/outlets.tsv), URL and date (2000–2020), and a
// paragraph of another article added, so that each is a distinct text in a near-duplicate group;
// a copy keeps its original's analysis rows. The store is built once and kept in the temporary
// directory (NEWSGRAPH_BENCH_DB names another file); building takes several minutes.
//
//	go test ./store/sqlite -run XXX -bench Search100k -benchtime 1x
//
// Each of the queries below is run 20 times (after one warm-up run); the benchmark reports the
// 50th, 95th and 99th percentile latency over all of them, and logs each query's.
func BenchmarkSearch100k(b *testing.B) {
	path := os.Getenv("NEWSGRAPH_BENCH_DB")
	if path == "" {
		path = filepath.Join(os.TempDir(), fmt.Sprintf("newsgraph-bench-search-%d-v%d.db", benchArticles, schemaVersion))
	}
	st := benchStore(b, path)
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

func pct(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	k := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, k-1))]
}

// benchStore opens the benchmark store at path, building it first if it is not complete.
func benchStore(b *testing.B, path string) *Store {
	if st, err := Open(path); err == nil {
		if s, err := st.Stats(context.Background()); err == nil && s.Articles == benchArticles {
			return st
		}
		st.Close()
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
	dir := testutil.SharedData(b, "news-text")
	t0 := time.Now()
	base := analyseAll(b, dir)
	b.Logf("analysed %d real articles in %v", len(base), time.Since(t0).Round(time.Second))
	publishers := outlets(b)
	st, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	ctx := context.Background()
	var batch []*store.Article
	stored := 0
	for k := 0; stored < benchArticles; k++ {
		orig := base[k%len(base)]
		a := *orig
		a.ID, a.Group, a.TextHash, a.MinHash = 0, 0, nil, nil
		if k >= len(base) {
			// A copy: another outlet, URL and date, with one paragraph of another article added.
			extra := base[rng.IntN(len(base))].Text
			if i := strings.Index(extra, "\n\n"); i > 0 {
				extra = extra[:i]
			}
			a.Text = orig.Text + "\n\n" + clipWords(extra, 60)
			a.Publisher = publishers[rng.IntN(len(publishers))]
		} else if a.Publisher == "" {
			a.Publisher = publishers[rng.IntN(len(publishers))]
		}
		a.URL = fmt.Sprintf("https://%s.example/%d", strings.ToLower(strings.ReplaceAll(a.Publisher, " ", "")), k)
		a.Date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(21*365)).Format("2006-01-02")
		a.Source = fmt.Sprintf("bench:%d", k)
		batch = append(batch, &a)
		if len(batch) == min(200, benchArticles-stored) {
			rs, err := st.PutMany(ctx, batch)
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range rs {
				if r.Status == store.Stored {
					stored++ // a copy that came out the same as one stored is passed over
				}
			}
			batch = batch[:0]
		}
	}
	st.db.Exec(`INSERT INTO articles_fts(articles_fts) VALUES('optimize')`)
	st.db.Exec(`ANALYZE`)
	b.Logf("built %s in %v", path, time.Since(t0).Round(time.Second))
	return st
}

func clipWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

// analyseAll runs the default pipeline over every article under dir, in parallel, in a fixed order.
func analyseAll(b *testing.B, dir string) []*store.Article {
	var items []source.Item
	err := source.Read(context.Background(), []string{dir}, source.Options{}, func(it source.Item) error {
		if it.Err == nil {
			items = append(items, it)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	pipe, err := engine.New()
	if err != nil {
		b.Fatal(err)
	}
	out := make([]*store.Article, len(items))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d := newsgraph.NewDoc(items[i].Text, items[i].Meta)
				if err := pipe.Process(context.Background(), d); err != nil {
					continue
				}
				a, err := store.FromDoc(d, pipe.Components())
				if err == nil {
					out[i] = a
				}
			}
		}()
	}
	for i := range items {
		next <- i
	}
	close(next)
	wg.Wait()
	// Distinct texts only (the corpora hold some duplicates).
	seen := map[string]bool{}
	var arts []*store.Article
	for _, a := range out {
		if a != nil && !seen[string(a.TextHash)] {
			seen[string(a.TextHash)] = true
			arts = append(arts, a)
		}
	}
	return arts
}

// outlets reads the canonical outlet names of outlet/data/outlets.tsv.
func outlets(b *testing.B) []string {
	f, err := os.Open(filepath.Join(testutil.RepoRoot(b), "ner", "data", "outlets.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if name, _, _ := strings.Cut(line, "\t"); name != "" {
			out = append(out, name)
		}
	}
	if len(out) < 20 {
		b.Fatalf("only %d outlets", len(out))
	}
	return out
}
