package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/store"
	"github.com/newsgraph/newsgraph/store/sqlite"
)

// articles writes n distinct short news articles into dir, one .txt file each.
func articles(t *testing.T, dir string, n int) {
	t.Helper()
	people := []string{"Mullah Omar", "Ashraf Ghani", "Angela Merkel", "Barack Obama", "Zoë Brontë", "Shinzo Abe"}
	places := []string{"Kabul", "Berlin", "Washington", "Tokyo", "Murree", "São Paulo"}
	outlets := []string{"the BBC", "CNN", "Reuters", "The Associated Press"}
	for i := 0; i < n; i++ {
		p, pl, o := people[i%len(people)], places[(i/2)%len(places)], outlets[i%len(outlets)]
		text := fmt.Sprintf("Story %d from %s\n\n%s, %d July (Wire) - “We will meet again in %s on day %d,” %s said on Wednesday, according to %s.\n\n"+
			"Officials in %s described round %d of the talks as constructive. Item %d of the series covers the budget, which rose %d percent.\n",
			i, pl, strings.ToUpper(pl), 1+i%28, pl, i, p, o, pl, i, i, i%17)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("a%03d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestIngestAndQuery(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	articles(t, in, 12)
	os.WriteFile(filepath.Join(in, "broken.json"), []byte(`[{"text": "fine record number one, a full sentence about the talks in Kabul."}, {"text": 3}]`), 0o644)
	os.WriteFile(filepath.Join(in, "binary.txt"), []byte("\x00\x01\x02binary"), 0o644)
	db := filepath.Join(dir, "s.db")
	code, out, errs := runCLI(t, "", "ingest", "--db", db, "--progress", "never", "-v", "--publisher", "Example Post", in)
	if code != exitFail { // two inputs are bad
		t.Fatalf("ingest: %d\n%s\n%s", code, out, errs)
	}
	if n := strings.Count(out, "stored #"); n != 13 {
		t.Errorf("%d stored, want 13:\n%s", n, out)
	}
	for _, want := range []string{"binary.txt: decode: binary data", "broken.json: record 2: parse", "13 stored", "2 failed"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	// Again: nothing new.
	code, out, errs = runCLI(t, "", "ingest", "--db", db, "--progress", "never", "-v", in)
	if !strings.Contains(errs, "0 stored") || !strings.Contains(errs, "13 already stored") || strings.Contains(out, "stored #") {
		t.Errorf("second ingest: %d\n%s\n%s", code, out, errs)
	}
	// Queries: table and JSON.
	code, out, errs = runCLI(t, "", "search", "--db", db, "constructive", "--publisher", "example post", "--limit", "3")
	if code != exitOK || !strings.HasPrefix(out, "ID") || strings.Count(out, "\n") != 4 || !strings.Contains(out, "[constructive]") {
		t.Errorf("search table: %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runCLI(t, "", "search", "--db", db, "--json", "--speaker", "Merkel", "talks")
	var hits []store.HitRow
	if err := json.Unmarshal([]byte(out), &hits); err != nil || code != exitOK || len(hits) != 2 {
		t.Errorf("search --json --speaker Merkel: %d %v %s", code, err, out)
	}
	code, out, _ = runCLI(t, "", "quotes", "--db", db, "--json", "--speaker", "obama")
	var quotes []store.QuoteRow
	if err := json.Unmarshal([]byte(out), &quotes); err != nil || code != exitOK || len(quotes) != 2 || quotes[0].Speaker != "Barack Obama" || !strings.HasPrefix(quotes[0].Quote, "“We will meet again") {
		t.Errorf("quotes --speaker obama: %v %s", err, out)
	}
	// Whole words of a name by default; --prefix for the start of words; a cut list says so.
	if code, out, errs = runCLI(t, "", "quotes", "--db", db, "--json", "--speaker", "oba"); code != exitOK || strings.TrimSpace(out) != "[]" {
		t.Errorf("quotes --speaker oba: %d %s %s", code, out, errs)
	}
	code, out, _ = runCLI(t, "", "quotes", "--db", db, "--json", "--prefix", "--speaker", "oba")
	if err := json.Unmarshal([]byte(out), &quotes); err != nil || code != exitOK || len(quotes) != 2 || quotes[0].Confidence == nil {
		t.Errorf("quotes --prefix --speaker oba: %v %s", err, out)
	}
	code, out, errs = runCLI(t, "", "quotes", "--db", db, "--limit", "3")
	if code != exitOK || strings.Count(out, "\n") != 4 || !strings.Contains(errs, "the first 3 shown; there are more") {
		t.Errorf("quotes --limit 3: %d\n%s\n%s", code, out, errs)
	}
	// Export: CSV with a header of the JSON keys; who cites whom and whole chains as Graphviz.
	code, out, _ = runCLI(t, "", "quotes", "--db", db, "--format", "csv", "--speaker", "obama")
	if recs, err := csv.NewReader(strings.NewReader(out)).ReadAll(); err != nil || code != exitOK || len(recs) != 3 || recs[0][0] != "article" || recs[1][6] != "Barack Obama" {
		t.Errorf("quotes --format csv: %v %q", err, out)
	}
	code, out, _ = runCLI(t, "", "sources", "--db", db, "--format", "dot")
	if code != exitOK || !strings.HasPrefix(out, "digraph sources {") || !strings.Contains(out, `"Example Post" -> "BBC"`) {
		t.Errorf("sources --format dot: %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", "sources", "--db", db, "--chains")
	if code != exitOK || !strings.Contains(out, "Example Post ← BBC ← Mullah Omar") {
		t.Errorf("sources --chains: %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", "sources", "--db", db, "--chains", "--format", "dot")
	if code != exitOK || !strings.Contains(out, `"BBC" -> "Mullah Omar"`) {
		t.Errorf("sources --chains --format dot: %d %s", code, out)
	}
	if code, _, errs = runCLI(t, "", "search", "--db", db, "--format", "xml", "x"); code != exitUsage || !strings.Contains(errs, "unknown --format") {
		t.Errorf("--format xml: %d %s", code, errs)
	}
	code, out, _ = runCLI(t, "", "sources", "--db", db, "--json")
	var edges []store.SourceRow
	if err := json.Unmarshal([]byte(out), &edges); err != nil || code != exitOK || len(edges) == 0 || edges[0].Publisher != "Example Post" {
		t.Errorf("sources: %v %s", err, out)
	}
	// Show: the stored JSON, and the view.
	code, out, _ = runCLI(t, "", "show", "--db", db, "#3")
	if d := decodeDoc(t, []byte(out)); code != exitOK || d.Schema != newsgraph.Schema || !strings.Contains(d.Text, "Story 2 from") {
		t.Errorf("show #3: %d %.200s", code, out)
	}
	code, out, _ = runCLI(t, "", "show", "--db", db, "--format", "text", "--color", "never", "3")
	if code != exitOK || !strings.HasPrefix(out, "#3") || !strings.Contains(out, "We will meet again") {
		t.Errorf("show --format text: %d %.300s", code, out)
	}
	code, _, errs = runCLI(t, "", "show", "--db", db, "3", "999")
	if code != exitFail || !strings.Contains(errs, "no article #999") {
		t.Errorf("show of a missing article: %d %s", code, errs)
	}
	if code, _, _ = runCLI(t, "", "show", "--db", db, "x"); code != exitUsage {
		t.Errorf("show x: %d", code)
	}
	code, _, errs = runCLI(t, "", "search", "--db", filepath.Join(dir, "none.db"), "x")
	if code != exitFail || !strings.Contains(errs, "no store at") {
		t.Errorf("a missing store: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Errorf("a query created a store")
	}
	code, _, errs = runCLI(t, "", "search", "--db", db, "“ ”")
	if code != exitUsage || !strings.Contains(errs, "bad query") {
		t.Errorf("a query without words: %d %s", code, errs)
	}
	// Queries past the bounds are usage errors, said at once; dates are checked.
	words := strings.Repeat("talks ", store.MaxQueryTerms+1)
	code, _, errs = runCLI(t, "", "search", "--db", db, words)
	if code != exitUsage || !strings.Contains(errs, "more than 1024 words") {
		t.Errorf("%d words: %d %s", store.MaxQueryTerms+1, code, errs)
	}
	for _, c := range [][]string{
		{"search", "--from", "16/07/2015", "talks"}, {"search", "--to", "2015-13-45"}, {"quotes", "--from", "garbage"},
		{"sources", "--to", "2015-02-30"},
	} {
		code, _, errs = runCLI(t, "", append([]string{c[0], "--db", db}, c[1:]...)...)
		if code != exitUsage || !strings.Contains(errs, "not a date") {
			t.Errorf("%v: %d %s", c, code, errs)
		}
	}
	code, _, errs = runCLI(t, "", "search", "--db", db, "--timeout", "1ns", "talks")
	if code != exitFail || !strings.Contains(errs, "the query took too long") {
		t.Errorf("a query past --timeout: %d %s", code, errs)
	}
	for _, cmd := range []string{"search", "quotes", "sources"} {
		if code, _, errs = runCLI(t, "", cmd, "--db", db, "--timeout", "0"); code != exitUsage || !strings.Contains(errs, "--timeout 0s: give a duration") {
			t.Errorf("%s --timeout 0: %d %s", cmd, code, errs)
		}
	}
	code, _, errs = runCLI(t, "", "ingest", "--db", db, "--date", "16 July 2015", in)
	if code != exitUsage || !strings.Contains(errs, "--date \"16 July 2015\": not a date") {
		t.Errorf("ingest --date: %d %s", code, errs)
	}
}

// buildBinary builds newsgraph for tests that run it as a process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "newsgraph")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var storedLine = regexp.MustCompile(`^stored #(\d+) (.*)$`)

// TestIngestKilled kills a real ingest (SIGKILL, then SIGINT) after it has reported some articles
// stored: every article reported is in the store, whole, and a rerun stores the rest without
// duplicates.
func TestIngestKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	const n = 400
	articles(t, in, n)
	db := filepath.Join(dir, "s.db")
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			os.Remove(db)
			os.Remove(db + "-wal")
			os.Remove(db + "-shm")
			reported := kill(t, bin, db, in, sig, 25)
			st, err := sqlite.Open(db)
			if err != nil {
				t.Fatalf("the store after %v: %v", sig, err)
			}
			for id, src := range reported {
				a, err := st.Get(context.Background(), id)
				if err != nil || a.Source != src || len(a.Quotes) != 1 || len(a.Analysis) == 0 {
					t.Errorf("reported #%d %s: %v (%+v)", id, src, err, a)
				}
			}
			stats, _ := st.Stats(context.Background())
			st.Close()
			t.Logf("%v after %d reported: %d in the store", sig, len(reported), stats.Articles)
			if stats.Articles < len(reported) || stats.Articles >= n {
				t.Errorf("%d articles stored, %d reported, of %d", stats.Articles, len(reported), n)
			}
			// The rerun resumes.
			out, err := exec.Command(bin, "ingest", "--db", db, "--progress", "never", in).CombinedOutput()
			if err != nil {
				t.Fatalf("rerun: %v\n%s", err, out)
			}
			if want := fmt.Sprintf("%d stored", n-stats.Articles); !strings.Contains(string(out), want) {
				t.Errorf("rerun: want %q: %s", want, out)
			}
			st, err = sqlite.Open(db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			stats, _ = st.Stats(context.Background())
			if stats.Articles != n || stats.Quotes != n {
				t.Errorf("after the rerun: %+v, want %d articles and quotes", stats, n)
			}
			for i := 0; i < n; i += 37 {
				b, _ := os.ReadFile(filepath.Join(in, fmt.Sprintf("a%03d.txt", i)))
				if _, ok, err := st.Lookup(context.Background(), "", store.TextHash(string(b))); err != nil || !ok {
					t.Errorf("a%03d.txt not stored: %v", i, err)
				}
			}
		})
	}
}

// kill runs an ingest, sends sig once it has reported after stored articles, and returns them.
func kill(t *testing.T, bin, db, in string, sig syscall.Signal, after int) map[int64]string {
	t.Helper()
	cmd := exec.Command(bin, "ingest", "--db", db, "--cpus", "1", "--progress", "never", "-v", in)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reported := map[int64]string{}
	sc := bufio.NewScanner(stdout)
	sent := false
	for sc.Scan() {
		m := storedLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		var id int64
		fmt.Sscan(m[1], &id)
		reported[id] = m[2]
		if len(reported) == after && !sent {
			cmd.Process.Signal(sig)
			sent = true
		}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the ingest did not stop after %v", sig)
	}
	if !sent {
		t.Fatalf("the ingest finished before %d articles were reported: %s", after, stderr.String())
	}
	if sig == syscall.SIGINT {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitFail || !strings.Contains(stderr.String(), "interrupted; run it again") {
			t.Errorf("after SIGINT: %v\n%s", err, stderr.String())
		}
	}
	return reported
}

func TestIngestURLs(t *testing.T) {
	mux := http.NewServeMux()
	var mu sync.Mutex
	served := map[string]int{} // full responses a path
	page := func(w http.ResponseWriter, r *http.Request) {
		etag := `"` + r.URL.Path + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		mu.Lock()
		served[r.URL.Path]++
		mu.Unlock()
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<html><head><title>Story %s</title><meta property="og:site_name" content="Example Times"></head><body><article>
<p>“We will meet again in Murree,” said Zabihullah Mujahid, the Taliban spokesman, on Wednesday, according to Reuters.</p>
<p>Officials in Kabul described story %s as constructive and useful for both sides of the talks.</p></article></body></html>`, r.URL.Path, r.URL.Path)
	}
	mux.HandleFunc("/story/", page)
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"1"`)
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Example Times</title>
<entry><title>One</title><link href="/story/1"/><updated>2015-07-15T10:00:00Z</updated></entry>
<entry><title>Two</title><link href="/story/2"/><updated>2015-07-16T10:00:00Z</updated></entry>
<entry><title>Gone</title><link href="/missing"/></entry></feed>`)
	})
	mux.HandleFunc("/bad.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, "<rss><channel><item>")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "s.db")
	list := filepath.Join(t.TempDir(), "urls.txt")
	os.WriteFile(list, []byte("# feeds\n"+srv.URL+"/feed.xml\n\n"+srv.URL+"/bad.xml\n"), 0o644)
	// Without --allow-private the loopback server is refused.
	code, _, errs := runCLI(t, "", "ingest", "--db", db, "--progress", "never", srv.URL+"/story/9")
	if code != exitFail || !strings.Contains(errs, "loopback, private or link-local") {
		t.Errorf("loopback refused: %d %s", code, errs)
	}
	args := []string{"ingest", "--db", db, "--progress", "never", "--allow-private", "--per-host", "1ms", "--urls", list, srv.URL + "/story/3"}
	code, _, errs = runCLI(t, "", args...)
	if code != exitFail || !strings.Contains(errs, "3 stored") || !strings.Contains(errs, srv.URL+"/missing: fetch: HTTP 404") || !strings.Contains(errs, srv.URL+"/bad.xml: parse: not a feed or page") {
		t.Errorf("first ingest: %d\n%s", code, errs)
	}
	// Again: the feed has not changed, and the page is not sent again (a conditional GET).
	code, _, errs = runCLI(t, "", args...)
	if !strings.Contains(errs, "0 stored") || !strings.Contains(errs, "0 already stored") {
		t.Errorf("second ingest: %d\n%s", code, errs)
	}
	mu.Lock()
	if served["/story/3"] != 1 || served["/story/1"] != 1 {
		t.Errorf("pages served in full: %v, want each once", served)
	}
	mu.Unlock()
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hits, err := st.Search(context.Background(), store.Query{Publisher: "Example Times", From: "2015-07-16"})
	if err != nil || len(hits) != 1 || hits[0].URL != srv.URL+"/story/2" {
		t.Errorf("the feed's second item: %v %+v", err, hits)
	}
}

func TestIngestProgress(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	articles(t, in, 3)
	// Not a terminal: no bar, one summary line.
	_, _, errs := runCLI(t, "", "ingest", "--db", filepath.Join(dir, "a.db"), in)
	if strings.Count(errs, "\n") != 1 || strings.Contains(errs, "\r") {
		t.Errorf("without a terminal: %q", errs)
	}
	var buf strings.Builder
	if wantBar("auto", &buf) || !wantBar("always", &buf) || wantBar("never", os.Stderr) {
		t.Error("wantBar")
	}
	_, _, errs = runCLI(t, "", "ingest", "--db", filepath.Join(dir, "b.db"), "--progress", "always", in)
	if !strings.Contains(errs, "3 stored") {
		t.Errorf("--progress always: %q", errs)
	}
	if code, _, _ := runCLI(t, "", "ingest", "--progress", "sometimes", in); code != exitUsage {
		t.Errorf("a bad --progress: %d", code)
	}
}

// TestIngestFeedLimit: a feed longer than --max-feed-items is stored a limit's worth of new items a
// run, each cut said on standard error, and read again until it has been read to its end.
func TestIngestFeedLimit(t *testing.T) {
	site := feedServer(t, 5, http.StatusOK) // the hostile table's feed, of five items here
	db := filepath.Join(t.TempDir(), "s.db")
	args := []string{"ingest", "--db", db, "--progress", "never", "--allow-private", "--per-host", "1ms", "--max-feed-items", "2", site + "/feed.xml"}
	for i, want := range []string{"2 stored", "2 stored", "1 stored", "0 stored"} {
		code, _, errs := runCLI(t, "", args...)
		cut := strings.Contains(errs, "newsgraph: warning: "+site+"/feed.xml: stopped before item ")
		if code != exitOK || !strings.Contains(errs, want) || cut != (i < 2) {
			t.Fatalf("run %d: %d %s", i+1, code, errs)
		}
	}
	if code, _, _ := runCLI(t, "", "ingest", "--db", db, "--max-feed-items", "-1", site+"/feed.xml"); code != exitUsage {
		t.Errorf("--max-feed-items -1: exit %d", code)
	}
}

// TestIngestFeedInterrupted: an ingest interrupted half-way through a feed does not keep the feed's
// validators, so the next run reads the feed again and stores the items the first did not.
func TestIngestFeedInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mux := http.NewServeMux()
	mux.HandleFunc("/story/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/story/2" {
			cancel() // Ctrl-C while the second item is fetched
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<html><head><title>Story %s</title></head><body><article><p>Officials in Kabul described story %s as constructive and useful for both sides of the talks, the ministry said.</p></article></body></html>`, r.URL.Path, r.URL.Path)
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>T</title><item><link>/story/1</link></item><item><link>/story/2</link></item></channel></rss>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "s.db")
	args := []string{"ingest", "--db", db, "--progress", "never", "--allow-private", "--per-host", "1ms", srv.URL + "/feed.xml"}
	var out, errb strings.Builder
	if code := run(ctx, args, strings.NewReader(""), &out, &errb); code != exitFail || !strings.Contains(errb.String(), "interrupted") {
		t.Fatalf("interrupted ingest: %d %s", code, errb.String())
	}
	code, _, errs := runCLI(t, "", args...)
	if code != exitOK || !strings.Contains(errs, "1 stored") && !strings.Contains(errs, "2 stored") {
		t.Fatalf("rerun: %d %s", code, errs)
	}
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if s, _ := st.Stats(context.Background()); s.Articles != 2 {
		t.Errorf("%d articles after the rerun, want both of the feed's", s.Articles)
	}
}

// TestIngestWARC: pages from a web archive (far larger than a read buffer) are extracted in the
// workers and stored whole with their target URI; a damaged record is refused by its number while
// the others are stored; a rerun stores nothing again; extract prints each page under its name.
func TestIngestWARC(t *testing.T) {
	var padding strings.Builder
	for i := 0; padding.Len() < 120<<10; i++ {
		fmt.Fprintf(&padding, "<p>In paragraph %d the delegates described the talks in detail, and the ministry said both sides would meet again after Eid.</p>\n", i)
	}
	page := `<html><head><title>Talks resume</title><meta property="og:site_name" content="Example Times"></head><body><article>
<p>“We will meet again in Murree,” said Zabihullah Mujahid, the Taliban spokesman, on Wednesday, according to Reuters.</p>
` + padding.String() + `<p>Officials in Kabul described the talks as constructive and useful for both sides, the ministry said.</p></article></body></html>`
	record := func(uri, body string) string {
		http := "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n" + body
		return "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri + "\r\nWARC-Date: 2015-07-16T00:00:00Z\r\n" +
			"WARC-Record-ID: <urn:uuid:" + fmt.Sprintf("%08x-0000-0000-0000-000000000000", len(uri)) + ">\r\n" +
			"Content-Type: application/http; msgtype=response\r\nContent-Length: " + fmt.Sprint(len(http)) + "\r\n\r\n" + http + "\r\n\r\n"
	}
	dir := t.TempDir()
	warc := filepath.Join(dir, "crawl.warc")
	// The third record says it is 2 GB long: it is refused, and swallows nothing.
	bad := regexp.MustCompile(`msgtype=response\r\nContent-Length: \d+`).ReplaceAllString(record("https://times.example/bad", page), "msgtype=response\r\nContent-Length: 2147483648")
	os.WriteFile(warc, []byte(record("https://times.example/talks", page)+bad+record("https://times.example/other", strings.Replace(page, "Murree", "Islamabad", 2))), 0o644)
	db := filepath.Join(dir, "s.db")
	code, out, errs := runCLI(t, "", "ingest", "--db", db, "--progress", "never", "-v", warc)
	if code != exitFail || strings.Count(out, "stored #") != 2 || !strings.Contains(errs, "crawl.warc: record 2: byte ") || !strings.Contains(errs, "Content-Length 2147483648") {
		t.Fatalf("ingest: %d\n%s\n%s", code, out, errs)
	}
	_, _, errs = runCLI(t, "", "ingest", "--db", db, "--progress", "never", warc)
	if !strings.Contains(errs, "0 stored") || !strings.Contains(errs, "2 already stored") {
		t.Errorf("rerun: %s", errs)
	}
	code, out, _ = runCLI(t, "", "extract", warc)
	if code != exitFail || strings.Count(out, "==> ") != 2 || !strings.Contains(out, "==> "+warc+": record 1 https://times.example/talks <==\n“We will meet again in Murree") ||
		!strings.Contains(out, "==> "+warc+": record 3 https://times.example/other <==\n“We will meet again in Islamabad") {
		t.Errorf("extract: %d\n%.300s", code, out)
	}
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.Get(context.Background(), 1)
	if err != nil || a.URL != "https://times.example/talks" || a.Publisher != "Example Times" || !strings.Contains(string(a.Analysis), `"format":"warc"`) || len(a.Quotes) == 0 {
		t.Errorf("stored: %v %+v", err, a)
	}
	if !strings.Contains(a.Text, "In paragraph 700 the delegates") || !strings.HasSuffix(strings.TrimSpace(a.Text), "the ministry said.") {
		t.Errorf("the stored article is not whole: %d bytes, ending %q", len(a.Text), a.Text[max(0, len(a.Text)-80):])
	}
}

// TestIngestFeedLimitCanonical: feed links with tracking parameters, whose pages name canonical
// URLs without them, are passed over once stored (they are no new items), so a feed longer than
// --max-feed-items is read to its end over the runs; items unchanged since (304) do not count
// against the limit either.
func TestIngestFeedLimitCanonical(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	mux := http.NewServeMux()
	mux.HandleFunc("/story/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		w.Header().Set("ETag", `"s"`)
		if r.Header.Get("If-None-Match") == `"s"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<html><head><title>Story %s</title><link rel="canonical" href="https://canonical.example%s"></head><body><article><p>Officials in Kabul described story %s as constructive and useful for both sides of the talks, the ministry said.</p></article></body></html>`, r.URL.Path, r.URL.Path, r.URL.Path)
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>T</title>`)
		for i := 1; i <= 7; i++ {
			fmt.Fprintf(w, `<item><link>/story/%d?utm_source=rss</link></item>`, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "s.db")
	args := []string{"ingest", "--db", db, "--progress", "never", "--allow-private", "--per-host", "1ms", "--max-feed-items", "3", srv.URL + "/feed.xml"}
	for i, want := range []string{"3 stored", "3 stored", "1 stored", "0 stored"} {
		code, _, errs := runCLI(t, "", args...)
		if code != exitOK || !strings.Contains(errs, want) {
			t.Fatalf("run %d: %d %s", i+1, code, errs)
		}
	}
	for p, n := range hits {
		if n != 1 {
			t.Errorf("%s fetched %d times", p, n)
		}
	}
}
