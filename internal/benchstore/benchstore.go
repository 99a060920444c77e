// Package benchstore builds the stores the search and service benchmarks run on: N articles from
// the 23,720 real articles of ../shared/data/news-text (BBC, Reuters-21578, TempEval-3 silver),
// each analysed by the full pipeline once, and copies of them as other outlets would run a wire
// story: another publisher (from outlet/data/outlets.tsv), URL and date (2000–2020), and a
// paragraph of another article added, so that each is a distinct text in a near-duplicate group;
// a copy keeps its original's analysis rows. Building 100,000 takes several minutes.
package benchstore

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
	"github.com/newsgraph/newsgraph/store/sqlite"
)

// Path is where the benchmark store of n articles is kept: NEWSGRAPH_BENCH_DB, else a file in the
// temporary directory named by n and the store's layout version.
func Path(n int) string {
	if p := os.Getenv("NEWSGRAPH_BENCH_DB"); p != "" {
		return p
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("newsgraph-bench-search-%d-v%d.db", n, sqlite.LayoutVersion))
}

// SQLite opens the benchmark store of n articles at path, building it first unless it is complete.
func SQLite(tb testing.TB, path string, n int) *sqlite.Store {
	if st, err := sqlite.Open(path); err == nil {
		if s, err := st.Stats(context.Background()); err == nil && s.Articles == n {
			return st
		}
		st.Close()
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
	st, err := sqlite.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	t0 := time.Now()
	Fill(tb, st, n)
	if err := st.Optimize(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("built %s in %v", path, time.Since(t0).Round(time.Second))
	return st
}

// Fill stores n articles (see the package comment) into an empty store.
func Fill(tb testing.TB, st store.Store, n int) {
	dir := testutil.SharedData(tb, "news-text")
	t0 := time.Now()
	base := analyseAll(tb, dir)
	tb.Logf("analysed %d real articles in %v", len(base), time.Since(t0).Round(time.Second))
	publishers := outlets(tb)
	rng := rand.New(rand.NewPCG(7, 11))
	ctx := context.Background()
	var batch []*store.Article
	stored := 0
	for k := 0; stored < n; k++ {
		orig := base[k%len(base)]
		a := *orig
		a.ID, a.Group, a.TextHash, a.MinHash = 0, 0, nil, nil
		if k >= len(base) {
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
		if len(batch) == min(200, n-stored) {
			rs, err := st.PutMany(ctx, batch)
			if err != nil {
				tb.Fatal(err)
			}
			for _, r := range rs {
				if r.Status == store.Stored {
					stored++ // a copy that came out the same as one stored is passed over
				}
			}
			batch = batch[:0]
		}
	}
}

func clipWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

// analyseAll runs the default pipeline over every article under dir, in parallel, in a fixed order.
func analyseAll(tb testing.TB, dir string) []*store.Article {
	var items []source.Item
	err := source.Read(context.Background(), []string{dir}, source.Options{}, func(it source.Item) error {
		if it.Err == nil {
			items = append(items, it)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	pipe, err := engine.New()
	if err != nil {
		tb.Fatal(err)
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
func outlets(tb testing.TB) []string {
	f, err := os.Open(filepath.Join(testutil.RepoRoot(tb), "outlet", "data", "outlets.tsv"))
	if err != nil {
		tb.Fatal(err)
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
		tb.Fatalf("only %d outlets", len(out))
	}
	return out
}

// Percentile is the p-th percentile of ds (nearest rank).
func Percentile(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	k := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, k-1))]
}

// Queries are the search benchmarks' queries: common and rare words, phrases, OR, exclusion, and
// each filter alone and with words.
var Queries = []store.Query{
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

// Latencies runs each query runs times after a warm-up and returns every latency, and a line a
// query (its p50 and p95).
func Latencies(tb testing.TB, st store.Store, queries []store.Query, runs int) ([]time.Duration, []string) {
	var all []time.Duration
	var lines []string
	ctx := context.Background()
	for _, q := range queries {
		if _, err := st.Search(ctx, q); err != nil {
			tb.Fatalf("%+v: %v", q, err)
		}
		var ds []time.Duration
		n := 0
		for r := 0; r < runs; r++ {
			t0 := time.Now()
			hits, err := st.Search(ctx, q)
			ds = append(ds, time.Since(t0))
			if err != nil {
				tb.Fatal(err)
			}
			n = len(hits)
		}
		all = append(all, ds...)
		lines = append(lines, fmt.Sprintf("%-60s %2d hits  p50 %6.1f ms  p95 %6.1f ms", Describe(q), n,
			float64(Percentile(ds, 50))/1e6, float64(Percentile(ds, 95))/1e6))
	}
	return all, lines
}

// Describe is a query as the command line would put it.
func Describe(q store.Query) string {
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
