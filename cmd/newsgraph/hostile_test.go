package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/store"
)

// The hostile-input table: one row for each input that once lost data without a word or took the
// machine down (issue 15), with what the program must do with it. TestHostile runs every row in
// the test process and checks the exit status and what is said; BenchmarkHostile runs each row as
// a process of its own and holds it to its bounds on wall time and peak resident memory:
//
//	go test ./cmd/newsgraph -run XXX -bench Hostile -benchtime 1x
//
// The bounds are several times what the rows take on the 2-core machine of BENCHMARKS.md, so that
// they catch a blow-up (a quadratic step, a buffer that grows with the input) rather than noise.

type hostileCase struct {
	name string
	// prepare writes the row's inputs into h.dir (and may start servers, closed with the test)
	// and returns the command line.
	prepare func(tb testing.TB, h *hostileEnv) []string
	code    int      // the exit status
	stderr  []string // each appears on standard error
	stdout  []string // each appears on standard output
	// check looks further at the outcome; nil for none. It runs in the test only.
	check   func(tb testing.TB, h *hostileEnv, stdout, stderr string)
	seconds float64 // bound on wall time
	rssMB   int64   // bound on peak resident memory
}

type hostileEnv struct {
	dir string
	bbc string // a store of BBC articles, for the query rows
}

// hostileArticle is a page of about size bytes whose last paragraph says where it ends.
func hostileArticle(title string, size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "<p>Paragraph %d: officials in Kabul and Islamabad said the talks in Murree would go on after Eid, and both sides agreed to meet again.</p>\n", i)
	}
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + title + `</title></head><body><article><h1>` + title + `</h1>
<p>“We are committed to the talks,” said the spokesman on Wednesday.</p>
` + b.String() + `<p>The article ` + title + ` ends here.</p></article></body></html>`
}

// warcResponse is one WARC response record of a 200 HTML page; length, when not "", replaces its
// Content-Length.
func warcResponse(uri, page, length string) string {
	http := "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + fmt.Sprint(len(page)) + "\r\n\r\n" + page
	if length == "" {
		length = fmt.Sprint(len(http))
	}
	return "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri + "\r\nWARC-Date: 2015-07-16T00:00:00Z\r\n" +
		"WARC-Record-ID: <urn:uuid:" + fmt.Sprintf("%08x-0000-0000-0000-000000000000", len(uri)+len(page)) + ">\r\n" +
		"Content-Type: application/http; msgtype=response\r\nContent-Length: " + length + "\r\n\r\n" + http + "\r\n\r\n"
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func writeInput(tb testing.TB, path string, b []byte) string {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// bbcText joins BBC articles into one text of at least size bytes.
func bbcText(tb testing.TB, size int) string {
	dir := testutil.SharedData(tb, "news-text/bbc")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	sort.Strings(files)
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		t, err := os.ReadFile(files[i%len(files)])
		if err != nil {
			tb.Fatal(err)
		}
		b.Write(t)
		b.WriteString("\n\n")
	}
	return b.String()
}

// feedServer serves an RSS feed of n items and their pages; robots is the status of robots.txt.
func feedServer(tb testing.TB, n, robots int) string {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		if robots != http.StatusOK {
			http.Error(w, "unavailable", robots)
			return
		}
		fmt.Fprint(w, "User-agent: *\nDisallow:\n")
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"all"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"all"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Long Wire</title>`)
		for i := 1; i <= n; i++ {
			fmt.Fprintf(w, `<item><title>Story %d</title><link>/story/%d</link></item>`, i, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	mux.HandleFunc("/story/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		n := strings.TrimPrefix(r.URL.Path, "/story/")
		fmt.Fprintf(w, `<html><head><title>Story %s</title></head><body><article><p>Officials in Kabul described round %s of the talks as constructive, the ministry said on Wednesday.</p></article></body></html>`, n, n)
	})
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	return srv.URL
}

func hostileCases() []hostileCase {
	pages := []string{hostileArticle("one", 60<<10), hostileArticle("two", 250<<10), hostileArticle("three", 600<<10)}
	var recs []string
	for i, p := range pages {
		recs = append(recs, warcResponse(fmt.Sprintf("https://news.example/%d", i+1), p, ""))
	}
	ends := []string{"The article one ends here.", "The article two ends here.", "The article three ends here."}
	return []hostileCase{
		{
			name: "warc pages of 60 to 600 KB, plain, gzipped by record and as a whole",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				all := strings.Join(recs, "")
				var each []byte
				for _, r := range recs {
					each = append(each, gzipBytes([]byte(r))...)
				}
				return []string{"extract",
					writeInput(tb, filepath.Join(h.dir, "plain.warc"), []byte(all)),
					writeInput(tb, filepath.Join(h.dir, "records.warc.gz"), each),
					writeInput(tb, filepath.Join(h.dir, "whole.warc.gz"), gzipBytes([]byte(all)))}
			},
			check: func(tb testing.TB, h *hostileEnv, out, _ string) {
				for _, e := range ends {
					if n := strings.Count(out, e); n != 3 {
						tb.Errorf("%q printed %d times, want 3 (each page whole, from each archive)", e, n)
					}
				}
				if n := strings.Count(out, "==> "); n != 9 {
					tb.Errorf("%d articles headed, want 9", n)
				}
			},
			seconds: 15, rssMB: 400,
		},
		{
			name: "warc record of Content-Length 2 GB",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				return []string{"extract", writeInput(tb, filepath.Join(h.dir, "x.warc"), []byte(warcResponse("https://news.example/1", pages[0], "2147483648")+recs[1]))}
			},
			code:    exitFail,
			stderr:  []string{"x.warc: record 1: byte 0: read: bad WARC record: Content-Length 2147483648, but only"},
			stdout:  []string{ends[1]},
			seconds: 10, rssMB: 300,
		},
		{
			name: "warc record of a negative Content-Length",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				return []string{"extract", writeInput(tb, filepath.Join(h.dir, "x.warc"), []byte(recs[0]+warcResponse("https://news.example/2", pages[0], "-5")+recs[1]))}
			},
			code:    exitFail,
			stderr:  []string{"x.warc: record 2: byte ", "a negative Content-Length (-5)"},
			stdout:  []string{ends[0], ends[1]},
			seconds: 10, rssMB: 300,
		},
		{
			name: "warc truncated in its last record",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				all := recs[0] + recs[1]
				return []string{"extract", writeInput(tb, filepath.Join(h.dir, "x.warc"), []byte(all[:len(all)-1000]))}
			},
			code:    exitFail,
			stderr:  []string{"x.warc: record 2: byte ", "Content-Length", "but only"},
			stdout:  []string{ends[0]},
			seconds: 10, rssMB: 300,
		},
		{
			name: "warc with garbage between records",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				return []string{"extract", writeInput(tb, filepath.Join(h.dir, "x.warc"), []byte(recs[0]+"\x00\x01 not a record at all "+recs[1]))}
			},
			code:    exitFail,
			stderr:  []string{"x.warc: byte ", "23 bytes that are not a WARC record"},
			stdout:  []string{ends[0], ends[1]},
			seconds: 10, rssMB: 300,
		},
		{
			name: "warc gzipped whole, of 12,000 records of Content-Length -1",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				var b strings.Builder
				for i := 0; i < 12000; i++ {
					b.WriteString(warcResponse(fmt.Sprintf("https://news.example/%d", i), "<p>x</p>", ""))
				}
				data := regexp.MustCompile(`msgtype=response\r\nContent-Length: \d+`).ReplaceAllString(b.String(), "msgtype=response\r\nContent-Length: -1")
				return []string{"extract", writeInput(tb, filepath.Join(h.dir, "x.warc.gz"), gzipBytes([]byte(data)))}
			},
			code:    exitFail,
			stderr:  []string{"record 12000: ", "a negative Content-Length (-1)"},
			seconds: 10, rssMB: 300,
		},
		{
			name: "warc of 8,000 records each claiming 5 MB",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				var b strings.Builder
				for i := 0; i < 8000; i++ {
					b.WriteString(warcResponse(fmt.Sprintf("https://news.example/%d", i), "<p>x</p>", "5000000"))
				}
				return []string{"extract", writeInput(tb, filepath.Join(h.dir, "x.warc"), []byte(b.String()))}
			},
			code:    exitFail,
			stderr:  []string{"record 8000: "},
			seconds: 10, rssMB: 300,
		},
		{
			name: "warc record with two Content-Length fields, one of 3 GB",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				rec := strings.Replace(warcResponse("https://news.example/1", pages[1], ""), "msgtype=response\r\n", "msgtype=response\r\nContent-Length: 3000000000\r\n", 1)
				return []string{"extract", writeInput(tb, filepath.Join(h.dir, "x.warc.gz"), gzipBytes([]byte(rec+recs[0])))}
			},
			code:    exitFail,
			stderr:  []string{"record 1: byte 0: read: bad WARC record: 2 Content-Length fields"},
			stdout:  []string{ends[0]},
			seconds: 10, rssMB: 300,
		},
		{
			name: "feed of 10,000 items",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				return []string{"ingest", "--db", filepath.Join(h.dir, "feed.db"), "--progress", "never", "--allow-private", "--per-host", "1ms", feedServer(tb, 10000, http.StatusOK) + "/feed.xml"}
			},
			stderr: []string{"200 stored", "/feed.xml: stopped before item 201 of 10000: the limit is 200"},
			check: func(tb testing.TB, h *hostileEnv, _, errs string) {
				// The feed is not marked read: the next run stores the next 200.
				url := regexp.MustCompile(`http://127\.0\.0\.1:\d+/feed\.xml`).FindString(errs)
				code, _, errs2 := runHostile(tb, []string{"ingest", "--db", filepath.Join(h.dir, "feed.db"), "--progress", "never", "--allow-private", "--per-host", "1ms", url})
				if code != exitOK || !strings.Contains(errs2, "200 stored") {
					tb.Errorf("the second run: %d %s", code, errs2)
				}
			},
			seconds: 20, rssMB: 500,
		},
		{
			name: "robots.txt answering 503",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				return []string{"ingest", "--db", filepath.Join(h.dir, "robots.db"), "--progress", "never", "--allow-private", "--per-host", "1ms", feedServer(tb, 3, http.StatusServiceUnavailable) + "/story/1"}
			},
			code:    exitFail,
			stderr:  []string{"robots.txt could not be read, so the site is not read for now (a later run tries again) (HTTP 503"},
			seconds: 10, rssMB: 300,
		},
		{
			name: "a store path with #, ? and %",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				return []string{"ingest", "--db", filepath.Join(h.dir, "odd#na?me%25.db"), "--progress", "never",
					writeInput(tb, filepath.Join(h.dir, "in", "a.txt"), []byte("Officials in Kabul described the talks as constructive, the ministry said on Wednesday."))}
			},
			stderr: []string{"1 stored"},
			check: func(tb testing.TB, h *hostileEnv, _, _ string) {
				if _, err := os.Stat(filepath.Join(h.dir, "odd#na?me%25.db")); err != nil {
					tb.Errorf("the store is not the file named: %v", err)
				}
				for _, other := range []string{"odd", "odd#na"} {
					if _, err := os.Stat(filepath.Join(h.dir, other)); err == nil {
						tb.Errorf("%s was written", other)
					}
				}
			},
			seconds: 10, rssMB: 300,
		},
		{
			name: "100,000 nested curly quotation marks",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				text := "He said " + strings.Repeat("“", 100000) + "the talks will go on" + strings.Repeat("”", 100000) + " on Monday."
				return []string{"analyze", writeInput(tb, filepath.Join(h.dir, "nested.txt"), []byte(text))}
			},
			check: func(tb testing.TB, h *hostileEnv, out, _ string) {
				if len(out) > 20<<20 {
					tb.Errorf("the analysis is %d MB", len(out)>>20)
				}
			},
			seconds: 10, rssMB: 500,
		},
		{
			name: "9 MB of text",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				return []string{"analyze", "--format", "jsonl", writeInput(tb, filepath.Join(h.dir, "big.txt"), []byte(bbcText(tb, 9<<20)))}
			},
			seconds: 60, rssMB: 1500,
		},
		{
			name: `a line of 5 MB of ab.cd,"ef"-gh`,
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				return []string{"analyze", "--format", "jsonl", writeInput(tb, filepath.Join(h.dir, "line.txt"), []byte(strings.Repeat(`ab.cd,"ef"-gh `, 5<<20/14)))}
			},
			seconds: 30, rssMB: 1400,
		},
		{
			name: "two 2 MB texts with --cpus 2",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				text := bbcText(tb, 2<<20)
				writeInput(tb, filepath.Join(h.dir, "two", "a.txt"), []byte(text))
				writeInput(tb, filepath.Join(h.dir, "two", "b.txt"), []byte("Updated. "+text))
				return []string{"ingest", "--db", filepath.Join(h.dir, "two.db"), "--progress", "never", "--cpus", "2", filepath.Join(h.dir, "two")}
			},
			stderr:  []string{"2 stored"},
			seconds: 40, rssMB: 900,
		},
		{
			name: "search of 1,000 common words",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				return []string{"search", "--db", h.bbc, commonWords(tb, 1000)}
			},
			seconds: 10, rssMB: 300,
		},
		{
			name: "search of 20,000 words",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				return []string{"search", "--db", h.bbc, strings.Repeat("talks ", 20000)}
			},
			code:    exitUsage,
			stderr:  []string{"bad query: more than 1024 words"},
			seconds: 10, rssMB: 300,
		},
		{
			name: "search with 257 exclusions",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				var not []string
				for i := 0; i < 257; i++ {
					not = append(not, fmt.Sprintf("-nowhere%d", i))
				}
				return []string{"search", "--db", h.bbc, "election " + strings.Join(not, " ")}
			},
			stdout:  []string{"ID", "[election]"},
			seconds: 10, rssMB: 300,
		},
		{
			name: "search --from 16/07/2015",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				return []string{"search", "--db", h.bbc, "--from", "16/07/2015", "election"}
			},
			code:    exitUsage,
			stderr:  []string{`--from "16/07/2015": not a date`},
			seconds: 10, rssMB: 300,
		},
		{
			name: "search in fullwidth letters",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				return []string{"search", "--db", h.bbc, "--json", "ｅｌｅｃｔｉｏｎ"}
			},
			check: func(tb testing.TB, h *hostileEnv, out, _ string) {
				_, ascii, _ := runHostile(tb, []string{"search", "--db", h.bbc, "--json", "election"})
				var a, b []store.HitRow
				json.Unmarshal([]byte(out), &a)
				json.Unmarshal([]byte(ascii), &b)
				if len(a) == 0 || len(a) != len(b) || a[0].ID != b[0].ID {
					tb.Errorf("fullwidth: %d hits, ASCII: %d", len(a), len(b))
				}
			},
			seconds: 10, rssMB: 300,
		},
		{
			name:    "analyze --date garbage",
			prepare: func(tb testing.TB, h *hostileEnv) []string { return []string{"analyze", "--date", "garbage", example} },
			code:    exitUsage,
			stderr:  []string{`--date "garbage": not a date`},
			seconds: 10, rssMB: 300,
		},
		{
			name: "records with dates that are none, and NUL bytes in their metadata",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				recs := `{"text":"Officials in Kabul described the talks as constructive.","date":"garbage","title":"A\u0000B"}
{"text":"Officials in Kabul described the talks as useful.","date":"16 July 2015"}
{"text":"Officials in Kabul described the talks as long.","date":"2015-13-45"}
`
				return []string{"analyze", writeInput(tb, filepath.Join(h.dir, "r.jsonl"), []byte(recs))}
			},
			stderr: []string{`record 1: its "date" "garbage": not a date`, `record 1: control characters in its "title" replaced by spaces`, `record 3: its "date" "2015-13-45": not a date`},
			stdout: []string{`"title":"A B"`, `"date":"2015-07-16"`},
			check: func(tb testing.TB, h *hostileEnv, out, _ string) {
				var dates []string
				for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
					var d doc
					if err := json.Unmarshal([]byte(line), &d); err != nil {
						tb.Fatal(err)
					}
					dates = append(dates, d.Meta.Date)
				}
				if strings.Join(dates, ",") != ",2015-07-16," || strings.Contains(out, `\u0000`) {
					tb.Errorf("dates %q (want the bad ones dropped), or a NUL kept", dates)
				}
			},
			seconds: 10, rssMB: 300,
		},
		{
			name: "private addresses the old list let through",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				return []string{"ingest", "--db", filepath.Join(h.dir, "private.db"), "--progress", "never", "--timeout", "5s",
					"http://[64:ff9b::a9fe:a9fe]/latest/meta-data/", "http://[2002:7f00:1::1]/", "http://[::127.0.0.1]/", "http://[fec0::1]/",
					"http://198.18.0.1/", "http://192.0.0.1/"}
			},
			code: exitFail,
			stderr: []string{"64:ff9b::a9fe:a9fe: the address is loopback, private or link-local", "2002:7f00:1::1: the address",
				"fec0::1: the address", "198.18.0.1: the address", "192.0.0.1: the address", "0 stored", "6 failed"},
			check: func(tb testing.TB, h *hostileEnv, _, errs string) {
				if n := strings.Count(errs, "the address is loopback, private or link-local"); n != 6 {
					tb.Errorf("%d addresses refused, want 6:\n%s", n, errs)
				}
			},
			seconds: 10, rssMB: 300,
		},
		{
			name: "a FIFO named like an article in a folder",
			prepare: func(tb testing.TB, h *hostileEnv) []string {
				dir := filepath.Join(h.dir, "fifo")
				writeInput(tb, filepath.Join(dir, "a.txt"), []byte("Officials in Kabul described the talks as constructive."))
				if err := syscall.Mkfifo(filepath.Join(dir, "b.txt"), 0o600); err != nil {
					tb.Skipf("no FIFOs here: %v", err)
				}
				return []string{"analyze", dir}
			},
			code:    exitFail,
			stderr:  []string{"b.txt: open: not a regular file (a FIFO, socket or device); skipped"},
			stdout:  []string{"constructive"},
			seconds: 10, rssMB: 300,
		},
	}
}

// runMeasured runs bin with args and returns its exit status, output, wall time and peak resident
// memory in MB (see BenchmarkHostile). A run still going after limit is killed (a blow-up must not
// take the machine down with it).
func runMeasured(tb testing.TB, bin string, args []string, limit time.Duration) (int, string, string, time.Duration, int64) {
	var out, errb bytes.Buffer
	var cmd *exec.Cmd
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	peakFile := filepath.Join(tb.TempDir(), "peak")
	gnuTime := "/usr/bin/time"
	if _, err := os.Stat(gnuTime); err == nil {
		cmd = exec.CommandContext(ctx, gnuTime, append([]string{"-f", "%M", "-o", peakFile, bin}, args...)...)
	} else {
		gnuTime = ""
		cmd = exec.CommandContext(ctx, bin, args...)
	}
	cmd.Stdout, cmd.Stderr = &out, &errb
	// Killed as a process group: GNU time's child with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	var hwm int64 // kB, read from /proc while the child runs
	done := make(chan struct{})
	if gnuTime == "" {
		go func() {
			status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
			re := regexp.MustCompile(`VmHWM:\s+(\d+) kB`)
			for {
				select {
				case <-done:
					return
				case <-time.After(2 * time.Millisecond):
				}
				if b, err := os.ReadFile(status); err == nil {
					if m := re.FindSubmatch(b); m != nil {
						var k int64
						fmt.Sscan(string(m[1]), &k)
						hwm = max(hwm, k)
					}
				}
			}
		}()
	}
	err := cmd.Wait()
	took := time.Since(start)
	close(done)
	if ctx.Err() != nil {
		tb.Fatalf("killed after %.0f s", limit.Seconds())
	}
	code := cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		tb.Fatalf("%v", err)
	}
	if gnuTime != "" {
		b, err := os.ReadFile(peakFile)
		if err != nil {
			tb.Fatalf("GNU time wrote no figure: %v", err)
		}
		fields := strings.Fields(string(b))
		if len(fields) == 0 {
			tb.Fatalf("GNU time wrote %q", b)
		}
		fmt.Sscan(fields[len(fields)-1], &hwm)
	}
	return code, out.String(), errb.String(), took, hwm >> 10
}

// commonWords are the n commonest words of the BBC articles.
func commonWords(tb testing.TB, n int) string {
	counts := map[string]int{}
	for _, w := range regexp.MustCompile(`[a-z]+`).FindAllString(strings.ToLower(bbcText(tb, 2<<20)), -1) {
		counts[w]++
	}
	var words []string
	for w := range counts {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		return counts[words[i]] > counts[words[j]] || counts[words[i]] == counts[words[j]] && words[i] < words[j]
	})
	return strings.Join(words[:n], " ")
}

// runHostile runs the command line in the test process.
func runHostile(tb testing.TB, args []string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// bbcStore ingests BBC articles (n of them; 0: all) into a store in dir: in the test process, or
// with bin when it is not "".
func bbcStore(tb testing.TB, dir string, n int, bin string) string {
	files, _ := filepath.Glob(filepath.Join(testutil.SharedData(tb, "news-text/bbc"), "*", "*.txt"))
	sort.Strings(files)
	if n > 0 {
		step := len(files) / n
		var some []string
		for i := 0; i < len(files) && len(some) < n; i += step {
			some = append(some, files[i])
		}
		files = some
	}
	db := filepath.Join(dir, "bbc.db")
	args := []string{"ingest", "--db", db, "--progress", "never"}
	if bin != "" {
		if out, err := exec.Command(bin, append(args, filepath.Join(testutil.SharedData(tb, "news-text/bbc")))...).CombinedOutput(); err != nil {
			tb.Fatalf("the BBC store: %v %s", err, out)
		}
		return db
	}
	if code, _, errs := runHostile(tb, append(args, files...)); code != exitOK {
		tb.Fatalf("the BBC store: %d %s", code, errs)
	}
	return db
}

// TestHostile runs each row of the hostile-input table in the test process.
func TestHostile(t *testing.T) {
	base := t.TempDir()
	var once sync.Once
	var bbc string
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			once.Do(func() { bbc = bbcStore(t, base, 300, "") })
			h := &hostileEnv{dir: t.TempDir(), bbc: bbc}
			args := tc.prepare(t, h)
			code, out, errs := runHostile(t, args)
			checkHostile(t, tc, h, code, out, errs)
			if tc.check != nil && !t.Failed() {
				tc.check(t, h, out, errs)
			}
		})
	}
}

func checkHostile(tb testing.TB, tc hostileCase, h *hostileEnv, code int, out, errs string) {
	tb.Helper()
	if code != tc.code {
		tb.Errorf("exit %d, want %d; stderr:\n%.2000s", code, tc.code, errs)
	}
	if strings.Contains(errs, "panic") || strings.Contains(errs, "goroutine ") {
		tb.Errorf("a panic:\n%.2000s", errs)
	}
	for _, w := range tc.stderr {
		if !strings.Contains(errs, w) {
			tb.Errorf("standard error lacks %q:\n%.2000s", w, errs)
		}
	}
	for _, w := range tc.stdout {
		if !strings.Contains(out, w) {
			tb.Errorf("standard output lacks %q:\n%.500s", w, out)
		}
	}
}

// BenchmarkHostile runs each row of the hostile-input table as a process of its own and reports
// its wall time and peak resident memory, failing a row over its bounds.
//
// The peak is measured by GNU time (/usr/bin/time, Debian's package time; .ci/run installs it):
// the ru_maxrss that os/exec reports of a child counts the benchmark's own peak too, since Linux
// carries the high-water mark of the memory a vforked child shares with its parent over its exec.
// Without GNU time the benchmark reads the child's VmHWM from /proc as it runs.
func BenchmarkHostile(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "newsgraph")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	bbc := bbcStore(b, b.TempDir(), 0, bin)
	for _, tc := range hostileCases() {
		b.Run(tc.name, func(b *testing.B) {
			h := &hostileEnv{dir: b.TempDir(), bbc: bbc}
			args := tc.prepare(b, h)
			var most time.Duration
			var rss int64
			for i := 0; i < b.N; i++ {
				code, out, errs, took, peak := runMeasured(b, bin, args, time.Duration(2*tc.seconds)*time.Second)
				checkHostile(b, tc, h, code, out, errs)
				most = max(most, took)
				rss = max(rss, peak)
			}
			b.ReportMetric(float64(rss), "peak-MB")
			b.ReportMetric(most.Seconds(), "max-s")
			if most.Seconds() > tc.seconds {
				b.Errorf("took %.1f s, bound %.0f s", most.Seconds(), tc.seconds)
			}
			if rss > tc.rssMB {
				b.Errorf("peak resident memory %d MB, bound %d MB", rss, tc.rssMB)
			}
		})
	}
}
