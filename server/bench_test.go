package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/format"
	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/internal/benchstore"
	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/server"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store/sqlite"
)

// apiQueries are the search benchmark's queries (store/sqlite BenchmarkSearch100k) as API calls.
var apiQueries = []string{
	"q=government", "q=said", "q=oil+prices", "q=%22prime+minister%22", "q=Blair+election", "q=inflation+interest+rates",
	"q=Taliban", "q=football+OR+rugby", "q=bank+-england", "q=chelsea&from=2005&to=2010", "q=economy&publisher=Reuters",
	"q=profits&entity=Microsoft", "q=election&speaker=Blair", "q=strike&outlet=Reuters", "speaker=Brown",
	"publisher=Reuters&from=2015", "entity=London&to=2003", "outlet=Reuters&publisher=CNN",
}

// BenchmarkAPISearch100k: GET /api/v1/search on the 100,000-article store (internal/benchstore;
// built on first use, several minutes), 32 clients at once over loopback, each running the
// queries in its own order 10 times and for at least 20 seconds; the percentiles are of every request's latency as the client
// sees it. BenchmarkAPISearch100kIngesting does the same on a copy of the store while one
// goroutine analyses and stores articles beside it.
//
//	go test ./server -run XXX -bench APISearch100k -benchtime 1x
func BenchmarkAPISearch100k(b *testing.B) {
	st := benchstore.SQLite(b, benchstore.Path(100_000), 100_000)
	defer st.Close()
	loadSearch(b, st, nil, 0)
}

// BenchmarkAPISearch100kNoCache: the same without the server's answer cache, as if every
// request were a new question.
func BenchmarkAPISearch100kNoCache(b *testing.B) {
	st := benchstore.SQLite(b, benchstore.Path(100_000), 100_000)
	defer st.Close()
	loadSearch(b, st, nil, -1)
}

// BenchmarkAPISearch100kZipf: a mix more like real traffic than the 18 queries over and over:
// 2,000 queries (single title words of the corpus and pairs of them, each with one of the
// filters or none) drawn by a Zipf law (s = 1.1), so that some are asked often and most rarely;
// with the answer cache. It reports the share answered from the cache.
func BenchmarkAPISearch100kZipf(b *testing.B) {
	st := benchstore.SQLite(b, benchstore.Path(100_000), 100_000)
	defer st.Close()
	words := titleWords(b, 1000)
	filters := []string{"", "", "", "&from=2005&to=2010", "&publisher=Reuters", "&outlet=BBC", "&speaker=Blair"}
	var qs []string
	for i := 0; len(qs) < 2000; i++ {
		q := "q=" + url.QueryEscape(words[i%len(words)])
		if i >= len(words) {
			q += "+" + url.QueryEscape(words[(i*7+3)%len(words)])
		}
		qs = append(qs, q+filters[i%len(filters)])
	}
	loadSearchWith(b, st, nil, 0, func(c int) func() string {
		z := rand.NewZipf(rand.New(rand.NewPCG(uint64(c), 1)), 1.1, 1, uint64(len(qs)-1))
		return func() string { return qs[z.Uint64()] }
	})
}

// titleWords are the n most frequent words of four letters or more in the BBC titles.
func titleWords(b *testing.B, n int) []string {
	counts := map[string]int{}
	source.Read(context.Background(), []string{testutil.SharedData(b, "news-text/bbc")}, source.Options{}, func(it source.Item) error {
		if it.Err != nil {
			return nil
		}
		title, _, _ := strings.Cut(it.Text, "\n")
		for _, w := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool { return !('a' <= r && r <= 'z') }) {
			if len(w) >= 4 {
				counts[w]++
			}
		}
		return nil
	})
	var ws []string
	for w := range counts {
		ws = append(ws, w)
	}
	sort.Slice(ws, func(i, j int) bool {
		if counts[ws[i]] != counts[ws[j]] {
			return counts[ws[i]] > counts[ws[j]]
		}
		return ws[i] < ws[j]
	})
	return ws[:min(n, len(ws))]
}

func BenchmarkAPISearch100kIngesting(b *testing.B) {
	path := benchstore.Path(100_000)
	benchstore.SQLite(b, path, 100_000).Close()
	cp := filepath.Join(b.TempDir(), "copy.db")
	if err := copyFile(path, cp); err != nil {
		b.Fatal(err)
	}
	st, err := sqlite.Open(cp)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	// New articles to store: BBC texts with a line added, so that none is a duplicate.
	var items []source.Item
	source.Read(context.Background(), []string{testutil.SharedData(b, "news-text/bbc")}, source.Options{}, func(it source.Item) error {
		if it.Err == nil {
			it.Text += "\n\nThis article was updated."
			it.Meta.URL = ""
			items = append(items, it)
		}
		return nil
	})
	loadSearch(b, st, items, 0)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func loadSearch(b *testing.B, st *sqlite.Store, ingestItems []source.Item, cacheTTL time.Duration) {
	loadSearchWith(b, st, ingestItems, cacheTTL, func(c int) func() string {
		k := 0
		return func() string { k++; return apiQueries[(k+c)%len(apiQueries)] }
	})
}

// loadSearchWith runs 32 clients, each asking the queries its generator gives, 10 rounds of 18
// and for at least 20 seconds.
func loadSearchWith(b *testing.B, st *sqlite.Store, ingestItems []source.Item, cacheTTL time.Duration, gen func(client int) func() string) {
	s, err := server.New(server.Config{Store: st, Pipeline: pipeline(b), Logger: slogTo(io.Discard), AllowOpenWrites: true, CPUs: 1, CacheTTL: cacheTTL})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	client := &http.Client{Transport: tr}
	var hits atomic.Int64
	get := func(q string) (time.Duration, error) {
		t0 := time.Now()
		resp, err := client.Get(srv.URL + "/api/v1/search?" + q)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("%s: %d", q, resp.StatusCode)
		}
		if resp.Header.Get("X-Cache") == "hit" {
			hits.Add(1)
		}
		return time.Since(t0), nil
	}
	for _, q := range apiQueries { // warm-up
		if _, err := get(q); err != nil {
			b.Fatal(err)
		}
	}
	hits.Store(0)
	const clients = 32
	rounds := 10
	if r, err := strconv.Atoi(os.Getenv("NEWSGRAPH_BENCH_ROUNDS")); err == nil && r > 0 {
		rounds = r
	}
	// Each client goes on past its rounds until the run has lasted minTime, so that an ingest
	// beside it has time to store articles.
	minTime := 20 * time.Second
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var stop atomic.Bool
		var stored atomic.Int64
		var iwg sync.WaitGroup
		if ingestItems != nil {
			iwg.Add(1)
			go func() {
				defer iwg.Done()
				for k := 0; !stop.Load(); k++ {
					ev := ingest.Article(context.Background(), st, pipeline(b), nil, ingestItems[k%len(ingestItems)])
					if ev.Kind == ingest.Stored {
						stored.Add(1)
					}
				}
			}()
		}
		var mu sync.Mutex
		var all []time.Duration
		var wg sync.WaitGroup
		t0 := time.Now()
		for c := 0; c < clients; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				var ds []time.Duration
				next := gen(c)
				for r := 0; r < rounds || time.Since(t0) < minTime; r++ {
					for range apiQueries {
						d, err := get(next())
						if err != nil {
							b.Error(err)
							return
						}
						ds = append(ds, d)
					}
				}
				mu.Lock()
				all = append(all, ds...)
				mu.Unlock()
			}(c)
		}
		wg.Wait()
		elapsed := time.Since(t0)
		stop.Store(true)
		iwg.Wait()
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		b.ReportMetric(ms(benchstore.Percentile(all, 50)), "p50-ms")
		b.ReportMetric(ms(benchstore.Percentile(all, 95)), "p95-ms")
		b.ReportMetric(ms(benchstore.Percentile(all, 99)), "p99-ms")
		b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
		b.ReportMetric(float64(hits.Load())/float64(len(all)), "cached")
		if ingestItems != nil {
			b.ReportMetric(float64(stored.Load())/elapsed.Seconds(), "stored/s")
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkAnalyzeAPI compares POST /api/v1/analyze with the command line's way (the pipeline,
// then the JSON writer) on the first 300 BBC articles, one at a time, one analysis slot: the
// ratio is the API's articles/s over the CLI's (the target is at least 0.8).
//
//	go test ./server -run XXX -bench AnalyzeAPI -benchtime 1x -cpu 1
func BenchmarkAnalyzeAPI(b *testing.B) {
	var texts [][]byte
	source.Read(context.Background(), []string{testutil.SharedData(b, "news-text/bbc")}, source.Options{}, func(it source.Item) error {
		if it.Err == nil && len(texts) < 300 {
			texts = append(texts, []byte(it.Text))
		}
		return nil
	})
	st, err := sqlite.Open(filepath.Join(b.TempDir(), "s.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	p := pipeline(b)
	s, err := server.New(server.Config{Store: st, Pipeline: p, Logger: slogTo(io.Discard), CPUs: 1, AnalyzeRate: 1e9, AnalyzeBurst: 1e9})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	post := func(t []byte) {
		resp, err := srv.Client().Post(srv.URL+"/api/v1/analyze?date=2005-03-01", "text/plain", bytes.NewReader(t))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("%d", resp.StatusCode)
		}
	}
	for _, t := range texts[:30] { // warm-up: the models load on first use
		post(t)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		for _, t := range texts {
			d := newsgraph.NewDoc(string(t), newsgraph.Meta{Date: "2005-03-01"})
			if err := p.Process(context.Background(), d); err != nil {
				b.Fatal(err)
			}
			if err := format.WriteJSON(io.Discard, d, p.Components(), format.JSONOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		cli := time.Since(t0)
		t0 = time.Now()
		for _, t := range texts {
			post(t)
		}
		api := time.Since(t0)
		b.ReportMetric(float64(len(texts))/cli.Seconds(), "cli-articles/s")
		b.ReportMetric(float64(len(texts))/api.Seconds(), "api-articles/s")
		b.ReportMetric(cli.Seconds()/api.Seconds(), "api/cli")
	}
}

// BenchmarkArticlePage5000 is the server time of GET /articles/{id} for an article of 5,000
// words (BBC articles run together), stored with its analysis.
//
//	go test ./server -run XXX -bench ArticlePage5000
func BenchmarkArticlePage5000(b *testing.B) {
	var parts []string
	words := 0
	source.Read(context.Background(), []string{testutil.SharedData(b, "news-text/bbc/politics")}, source.Options{}, func(it source.Item) error {
		if it.Err == nil && words < 5000 {
			f := strings.Fields(it.Text)
			if words+len(f) > 5000 {
				f = f[:5000-words]
			}
			parts = append(parts, strings.Join(f, " "))
			words += len(f)
		}
		return nil
	})
	st, err := sqlite.Open(filepath.Join(b.TempDir(), "s.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	p := pipeline(b)
	ev := ingest.Article(context.Background(), st, p, nil, source.Item{Text: strings.Join(parts, "\n\n"), Meta: newsgraph.Meta{Date: "2005-03-01", Input: newsgraph.Input{Path: "long"}}})
	if ev.Kind != ingest.Stored {
		b.Fatalf("%+v", ev)
	}
	s, err := server.New(server.Config{Store: st, Logger: slogTo(io.Discard)})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	path := "/articles/" + fmt.Sprint(ev.ID)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	if w.Code != 200 {
		b.Fatalf("%d", w.Code)
	}
	b.Logf("%d words, a page of %d bytes", words, w.Body.Len())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
}
