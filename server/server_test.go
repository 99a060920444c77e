package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/server"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store/sqlite"
)

const token = "0123456789abcdef-test-token"

var (
	pipeOnce sync.Once
	pipe     *newsgraph.Pipeline
	pipeErr  error
)

func pipeline(t testing.TB) *newsgraph.Pipeline {
	pipeOnce.Do(func() { pipe, pipeErr = engine.New() })
	if pipeErr != nil {
		t.Fatal(pipeErr)
	}
	return pipe
}

// hostile is an article whose text and metadata try every way into a page's markup.
var hostile = source.Item{
	Text: "<script>alert(1)</script> The minister said on Monday that <img src=x onerror=alert(2)> was \"a javascript:alert(3) of a deal\", " +
		"the BBC reported. \"<a href=\"javascript:alert(4)\">click</a> here,\" said John <b onmouseover=alert(5)>Smith</b>.",
	Meta: newsgraph.Meta{Title: `<script>alert(6)</script>"><img src=x onerror=alert(7)>`, Publisher: `"><svg onload=alert(8)>`,
		URL: "javascript:alert(9)", Byline: "<iframe src=javascript:alert(10)>", Date: "2015-07-16", Input: newsgraph.Input{Path: "hostile"}},
}

// fixture is a store holding the example article and a few more, and a server over it.
type fixture struct {
	srv     *httptest.Server
	example int64 // the example article's ID
	hostile int64
	log     *bytes.Buffer
}

func newFixture(t *testing.T, cfg server.Config) *fixture {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := pipeline(t)
	b, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "examples", "taliban-peace-talks.txt"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{log: &bytes.Buffer{}}
	ctx := context.Background()
	ev := ingest.Article(ctx, st, p, nil, source.Item{Text: string(b), Meta: newsgraph.Meta{Date: "2015-07-16", URL: "https://www.newsmax.com/example", Input: newsgraph.Input{Path: "example"}}})
	if ev.Kind != ingest.Stored {
		t.Fatalf("example: %+v", ev)
	}
	f.example = ev.ID
	for i, text := range []string{
		"Prime Minister Tony Blair said on Tuesday that the election would be held in May, the BBC reported.",
		"\"We will not take part in the talks,\" said Zabihullah Mujahid, a Taliban spokesman, according to Reuters.",
		"Oil prices rose on Friday after OPEC said it would cut output, Reuters reported.",
	} {
		ev := ingest.Article(ctx, st, p, nil, source.Item{Text: text, Meta: newsgraph.Meta{Date: fmt.Sprintf("2015-07-%02d", 10+i), Publisher: "Newsmax", Input: newsgraph.Input{Path: fmt.Sprintf("a%d", i)}}})
		if ev.Kind != ingest.Stored {
			t.Fatalf("article %d: %+v", i, ev)
		}
	}
	ev = ingest.Article(ctx, st, p, nil, hostile)
	if ev.Kind != ingest.Stored {
		t.Fatalf("hostile: %+v", ev)
	}
	f.hostile = ev.ID
	cfg.Store, cfg.Pipeline = st, p
	if cfg.Logger == nil {
		cfg.Logger = slogTo(f.log)
	}
	s, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(s.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) do(t testing.TB, method, path, ctype string, body []byte, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func loadSpec(t testing.TB) (*openapi3.T, any) {
	t.Helper()
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(server.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is not valid: %v", err)
	}
	return doc, nil
}

// routerFor finds the document's operations on a server at base.
func routerFor(t testing.TB, doc *openapi3.T, base string) routers.Router {
	t.Helper()
	doc.Servers = openapi3.Servers{{URL: base + "/api/v1"}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return router
}

// TestAPI runs every operation of the OpenAPI document against the handlers: each request the
// document allows is checked against it, and every answer (errors too) against the document's
// responses; every operation must be exercised with a success.
func TestAPI(t *testing.T) {
	f := newFixture(t, server.Config{Token: token})
	doc, _ := loadSpec(t)
	router := routerFor(t, doc, f.srv.URL)
	example, _ := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "examples", "taliban-peace-talks.txt"))
	record, _ := json.Marshal(map[string]string{"text": string(example), "date": "2015-07-16", "publisher": "Newsmax"})
	page := []byte(`<html><head><title>Talks</title></head><body><article><h1>Talks resume</h1><p>` + strings.Repeat(`"The talks were legitimate," Mullah Omar said on Wednesday, the BBC reported. `, 8) + `</p></article></body></html>`)
	auth := []string{"Authorization", "Bearer " + token}
	cases := []struct {
		method, path, ctype string
		body                []byte
		hdr                 []string
		want                int
		valid               bool // the request is one the document allows
		check               func(t *testing.T, b []byte)
	}{
		{"GET", "/api/v1/search?q=talks", "", nil, nil, 200, true, func(t *testing.T, b []byte) {
			if !bytes.Contains(b, []byte(`"id":`)) {
				t.Errorf("no results: %s", b)
			}
		}},
		{"GET", "/api/v1/search?speaker=omar&outlet=BBC&from=2015&to=2015-12&limit=5", "", nil, nil, 200, true, nil},
		{"GET", "/api/v1/search?entity=Taliban&publisher=Newsmax&guesses=true&prefix=1", "", nil, nil, 200, true, nil},
		{"GET", "/api/v1/search?q=talks&from=16/07/2015", "", nil, nil, 400, true, nil},
		{"GET", "/api/v1/search?q=talks&limit=1000", "", nil, nil, 400, false, nil},
		{"GET", "/api/v1/search?q=talks&cursor=bogus", "", nil, nil, 400, true, nil},
		{"GET", "/api/v1/search?q=talks&speeker=omar", "", nil, nil, 400, true, nil},
		{"GET", "/api/v1/search?q=" + strings.Repeat("word+", 1100), "", nil, nil, 400, true, nil},
		{"GET", "/api/v1/quotes?speaker=Mullah+Omar", "", nil, nil, 200, true, func(t *testing.T, b []byte) {
			if !bytes.Contains(b, []byte(`"speaker":"Mullah Omar"`)) || !bytes.Contains(b, []byte(`"chain":["Newsmax","BBC","Mullah Omar"]`)) {
				t.Errorf("Mullah Omar's quotations: %s", b)
			}
		}},
		{"GET", "/api/v1/quotes?guesses=true&limit=2", "", nil, nil, 200, true, nil},
		{"GET", "/api/v1/sources", "", nil, nil, 200, true, func(t *testing.T, b []byte) {
			if !bytes.Contains(b, []byte(`"publisher":"Newsmax","cited":"BBC"`)) {
				t.Errorf("sources: %s", b)
			}
		}},
		{"GET", "/api/v1/chains?cited=BBC", "", nil, nil, 200, true, nil},
		{"GET", fmt.Sprintf("/api/v1/articles/%d", f.example), "", nil, nil, 200, true, func(t *testing.T, b []byte) {
			if !bytes.HasPrefix(b, []byte(`{"schema":"newsgraph/v1"`)) {
				t.Errorf("article: %.100s", b)
			}
		}},
		{"GET", "/api/v1/articles/99999", "", nil, nil, 404, true, nil},
		{"GET", "/api/v1/articles/x", "", nil, nil, 400, false, nil},
		{"POST", "/api/v1/analyze?date=2015-07-16", "text/plain", example, nil, 200, true, func(t *testing.T, b []byte) {
			if !bytes.Contains(b, []byte(`"value":"2015-07-15"`)) || !bytes.Contains(b, []byte(`"speaker_name":"Mullah Omar"`)) {
				t.Errorf("analysis: %.300s", b)
			}
		}},
		{"POST", "/api/v1/analyze?tokens=true", "application/json; charset=utf-8", record, nil, 200, true, func(t *testing.T, b []byte) {
			if !bytes.Contains(b, []byte(`"tokens":[`)) || !bytes.Contains(b, []byte(`"publisher":"Newsmax"`)) {
				t.Errorf("analysis of a record: %.300s", b)
			}
		}},
		{"POST", "/api/v1/analyze?date=2015-07-16", "text/html", page, nil, 200, true, func(t *testing.T, b []byte) {
			if !bytes.Contains(b, []byte(`"format":"html"`)) || bytes.Contains(b, []byte("<p>")) {
				t.Errorf("analysis of a page: %.300s", b)
			}
		}},
		{"POST", "/api/v1/analyze", "text/plain", []byte("\x00\x01\x02binary"), nil, 422, true, nil},
		{"POST", "/api/v1/analyze", "text/plain", nil, nil, 400, false, nil},
		{"POST", "/api/v1/analyze", "application/json", []byte(`{"text": 3}`), nil, 422, false, nil},
		{"POST", "/api/v1/analyze", "image/png", []byte("x"), nil, 415, false, nil},
		{"POST", "/api/v1/analyze?date=garbage", "text/plain", example, nil, 400, true, nil},
		{"POST", "/api/v1/articles?date=2015-07-20", "text/plain", []byte("The minister said on Monday that talks would go on, the BBC reported."), nil, 401, true, nil},
		{"POST", "/api/v1/articles?date=2015-07-20", "text/plain", []byte("The minister said on Monday that talks would go on, the BBC reported."), []string{"Authorization", "Bearer wrong-token-0123456789"}, 401, true, nil},
		{"POST", "/api/v1/articles?date=2015-07-20&publisher=Newsmax", "text/plain", []byte("The minister said on Monday that talks would go on, the BBC reported."), auth, 201, true, func(t *testing.T, b []byte) {
			var s struct {
				ID  int64
				URL string
			}
			json.Unmarshal(b, &s)
			if s.ID == 0 || s.URL != fmt.Sprintf("/api/v1/articles/%d", s.ID) {
				t.Errorf("stored: %s", b)
			}
		}},
		{"POST", "/api/v1/articles?date=2015-07-20", "text/plain", []byte("The minister said on Monday that talks would go on, the BBC reported."), auth, 200, true, func(t *testing.T, b []byte) {
			if !bytes.Contains(b, []byte(`"status":"duplicate","same":"text"`)) {
				t.Errorf("again: %s", b)
			}
		}},
		{"GET", "/api/v1/nothing", "", nil, nil, 404, false, nil},
		{"DELETE", "/api/v1/search", "", nil, nil, 405, false, nil},
		{"GET", "/api/v1/openapi.json", "", nil, nil, 200, false, nil},
		{"GET", "/healthz", "", nil, nil, 200, false, nil},
	}
	ok := map[string]bool{}
	for _, c := range cases {
		t.Run(c.method+" "+c.path[:min(len(c.path), 60)], func(t *testing.T) {
			resp, b := f.do(t, c.method, c.path, c.ctype, c.body, c.hdr...)
			if resp.StatusCode != c.want {
				t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, c.want, b)
			}
			for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
				if resp.Header.Get(h) == "" {
					t.Errorf("no %s header", h)
				}
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
			}
			if resp.StatusCode >= 400 {
				var e struct {
					Status int    `json:"status"`
					Error  string `json:"error"`
				}
				if err := json.Unmarshal(b, &e); err != nil || e.Status != resp.StatusCode || e.Error == "" || strings.Contains(string(b), "goroutine") {
					t.Errorf("error body %q", b)
				}
			}
			if c.check != nil {
				c.check(t, b)
			}
			if !strings.HasPrefix(c.path, "/api/v1/") || c.path == "/api/v1/openapi.json" {
				return
			}
			req, _ := http.NewRequest(c.method, f.srv.URL+c.path, bytes.NewReader(c.body))
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			for i := 0; i+1 < len(c.hdr); i += 2 {
				req.Header.Set(c.hdr[i], c.hdr[i+1])
			}
			route, params, err := router.FindRoute(req)
			if err != nil {
				if c.valid {
					t.Fatalf("the document has no route for it: %v", err)
				}
				return
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
			if err := openapi3filter.ValidateRequest(context.Background(), in); (err == nil) != c.valid {
				t.Errorf("the document allows the request: %v, want %v (%v)", err == nil, c.valid, err)
			}
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
				Options: &openapi3filter.Options{IncludeResponseStatus: true}}
			out.SetBodyBytes(b)
			if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
				t.Errorf("the answer does not match the document: %v", err)
			}
			if resp.StatusCode < 300 {
				ok[route.Method+" "+route.Path] = true
			}
		})
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !ok[method+" "+path] {
				t.Errorf("%s %s: no successful request checked", method, path)
			}
		}
	}
}

// TestPaging: following next from page to page gives the one-page list, in order, and stops.
func TestPaging(t *testing.T) {
	f := newFixture(t, server.Config{})
	type page struct {
		Results []struct {
			ID int64 `json:"id"`
		} `json:"results"`
		Total         int     `json:"total"`
		TotalRelation string  `json:"total_relation"`
		Next          *string `json:"next"`
	}
	get := func(path string) page {
		resp, b := f.do(t, "GET", path, "", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		var p page
		json.Unmarshal(b, &p)
		return p
	}
	all := get("/api/v1/search?limit=100")
	if len(all.Results) != 5 || all.Next != nil || all.Total != 5 || all.TotalRelation != "eq" {
		t.Fatalf("one page: %+v", all)
	}
	var ids []int64
	p := get("/api/v1/search?limit=2")
	for pages := 1; ; pages++ {
		for _, r := range p.Results {
			ids = append(ids, r.ID)
		}
		if p.Next == nil {
			if pages != 3 || p.TotalRelation != "eq" || p.Total != 5 {
				t.Errorf("last page %d: %+v", pages, p)
			}
			break
		}
		if p.TotalRelation != "gte" || p.Total != len(ids)+1 {
			t.Errorf("page %d: %+v", pages, p)
		}
		p = get("/api/v1/search?limit=2&cursor=" + *p.Next)
	}
	if fmt.Sprint(ids) != fmt.Sprint(func() []int64 {
		var x []int64
		for _, r := range all.Results {
			x = append(x, r.ID)
		}
		return x
	}()) {
		t.Errorf("paged %v, one page %+v", ids, all.Results)
	}
}

// TestWrites: the token's rules.
func TestWrites(t *testing.T) {
	body := []byte("The minister said on Monday that talks would go on, the BBC reported.")
	for _, c := range []struct {
		name string
		cfg  server.Config
		hdr  []string
		want int
	}{
		{"no token configured", server.Config{}, nil, 403},
		{"no token configured, a token sent", server.Config{}, []string{"Authorization", "Bearer " + token}, 403},
		{"open on loopback", server.Config{AllowOpenWrites: true}, nil, 201},
		{"read-only", server.Config{Token: token, ReadOnly: true}, []string{"Authorization", "Bearer " + token}, 403},
		{"token missing", server.Config{Token: token}, nil, 401},
		{"token wrong", server.Config{Token: token}, []string{"Authorization", "Bearer " + token + "x"}, 401},
		{"token as basic", server.Config{Token: token}, []string{"Authorization", "Basic " + token}, 401},
		{"token right", server.Config{Token: token}, []string{"Authorization", "Bearer " + token}, 201},
		{"token right, scheme in lower case", server.Config{Token: token}, []string{"Authorization", "bearer " + token}, 201},
		{"token right, from another site's page", server.Config{Token: token}, []string{"Authorization", "Bearer " + token, "Origin", "https://evil.example"}, 201},
		{"open, from another site's page", server.Config{AllowOpenWrites: true}, []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"open, another origin", server.Config{AllowOpenWrites: true}, []string{"Origin", "https://evil.example"}, 403},
		{"open, from this site's page", server.Config{AllowOpenWrites: true}, []string{"Sec-Fetch-Site", "same-origin", "Origin", "http://HOST"}, 201},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, c.cfg)
			for i := range c.hdr {
				c.hdr[i] = strings.ReplaceAll(c.hdr[i], "http://HOST", f.srv.URL)
			}
			resp, b := f.do(t, "POST", "/api/v1/articles", "text/plain", body, c.hdr...)
			if resp.StatusCode != c.want {
				t.Errorf("%d, want %d: %s", resp.StatusCode, c.want, b)
			}
			if c.want == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("no WWW-Authenticate")
			}
		})
	}
}

// TestLimits: the body limit and the analyze rate limit.
func TestLimits(t *testing.T) {
	f := newFixture(t, server.Config{MaxBody: 2000, AnalyzeRate: 0.001, AnalyzeBurst: 2})
	resp, b := f.do(t, "POST", "/api/v1/analyze", "text/plain", bytes.Repeat([]byte("The talks went on. "), 200))
	if resp.StatusCode != 413 {
		t.Errorf("a large body: %d %s", resp.StatusCode, b)
	}
	small := []byte("Mullah Omar said the talks were legitimate.")
	codes := []int{}
	for i := 0; i < 3; i++ {
		resp, _ := f.do(t, "POST", "/api/v1/analyze", "text/plain", small)
		codes = append(codes, resp.StatusCode)
		if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	// The large body took a token too: 200 then 429s.
	if fmt.Sprint(codes) != "[200 429 429]" {
		t.Errorf("codes %v", codes)
	}
	// Searching is not limited.
	for i := 0; i < 5; i++ {
		if resp, _ := f.do(t, "GET", "/api/v1/search?q=talks", "", nil); resp.StatusCode != 200 {
			t.Fatalf("search %d: %d", i, resp.StatusCode)
		}
	}
}

// TestMetrics: the counters move and the store's size is exported.
func TestMetrics(t *testing.T) {
	f := newFixture(t, server.Config{AllowOpenWrites: true})
	f.do(t, "GET", "/api/v1/search?q=talks", "", nil)
	f.do(t, "POST", "/api/v1/analyze", "text/plain", []byte("Mullah Omar said the talks were legitimate."))
	f.do(t, "POST", "/api/v1/articles", "text/plain", []byte("Mullah Omar said the talks in Murree were legitimate."))
	resp, b := f.do(t, "GET", "/metrics", "", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d", resp.StatusCode)
	}
	for _, want := range []string{
		`newsgraph_http_requests_total{code="200",method="GET",route="GET /api/v1/search"} 1`,
		`newsgraph_http_request_seconds_count{method="GET",route="GET /api/v1/search"} 1`,
		`newsgraph_articles_analysed_total{stored="false"} 1`,
		`newsgraph_articles_analysed_total{stored="true"} 1`,
		`newsgraph_store_articles 6`,
		"newsgraph_store_bytes ",
		"go_goroutines ",
	} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("no %q in /metrics", want)
		}
	}
	if !strings.Contains(f.log.String(), `route="GET /api/v1/search" status=200`) {
		t.Errorf("request log: %s", f.log.String())
	}
}

// TestServe: Serve answers until its context ends, then shuts down and returns.
func TestServe(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := server.New(server.Config{Store: st, Logger: slogTo(io.Discard)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln, 5*time.Second) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	// No pipeline: analysing answers 503, in JSON.
	resp, err = http.Post("http://"+ln.Addr().String()+"/api/v1/analyze", "text/plain", strings.NewReader("Omar said so."))
	if err != nil || resp.StatusCode != 503 {
		t.Errorf("analyze without a pipeline: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return")
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Error("still answering after shutdown")
	}
}

func slogTo(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

// TestCache: a repeated list query is answered from the cache; this server's write clears it.
func TestCache(t *testing.T) {
	f := newFixture(t, server.Config{AllowOpenWrites: true})
	resp, first := f.do(t, "GET", "/api/v1/search?q=minister", "", nil)
	if resp.Header.Get("X-Cache") != "" {
		t.Error("a first query from the cache")
	}
	resp, again := f.do(t, "GET", "/api/v1/search?q=minister", "", nil)
	if resp.Header.Get("X-Cache") != "hit" || !bytes.Equal(first, again) {
		t.Errorf("again: %q %s", resp.Header.Get("X-Cache"), again)
	}
	if resp, _ := f.do(t, "POST", "/api/v1/articles", "text/plain", []byte("The minister of fisheries said on Monday that cod stocks had recovered.")); resp.StatusCode != 201 {
		t.Fatalf("store: %d", resp.StatusCode)
	}
	resp, after := f.do(t, "GET", "/api/v1/search?q=minister", "", nil)
	if resp.Header.Get("X-Cache") != "" || !bytes.Contains(after, []byte("fisheries")) {
		t.Errorf("after a write: %q %s", resp.Header.Get("X-Cache"), after)
	}
	// Errors are not kept.
	f.do(t, "GET", "/api/v1/search?q=minister&from=bad", "", nil)
	if resp, _ := f.do(t, "GET", "/api/v1/search?q=minister&from=bad", "", nil); resp.Header.Get("X-Cache") != "" || resp.StatusCode != 400 {
		t.Errorf("an error from the cache")
	}
}

// TestLoopbackOnly: with open writes on loopback, a request naming another host (DNS rebinding)
// is refused, for reading too.
func TestLoopbackOnly(t *testing.T) {
	f := newFixture(t, server.Config{AllowOpenWrites: true, LoopbackOnly: true})
	if resp, _ := f.do(t, "GET", "/api/v1/search?q=talks", "", nil); resp.StatusCode != 200 {
		t.Errorf("127.0.0.1: %d", resp.StatusCode)
	}
	for host, want := range map[string]int{
		"evil.example": http.StatusMisdirectedRequest, "evil.example:8080": http.StatusMisdirectedRequest, "10.0.0.1": http.StatusMisdirectedRequest,
		"localhost:8080": 200, "[::1]:80": 200, "127.0.0.2": 200,
	} {
		req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/search?q=talks", nil)
		req.Host = host
		resp, err := f.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
}

// TestMethodLabel: an invented method is counted as OTHER, not as a series of its own.
func TestMethodLabel(t *testing.T) {
	f := newFixture(t, server.Config{})
	for _, m := range []string{"XM1", "XM2"} {
		f.do(t, m, "/", "", nil)
	}
	_, b := f.do(t, "GET", "/metrics", "", nil)
	if bytes.Contains(b, []byte("XM1")) || !bytes.Contains(b, []byte(`method="OTHER"`)) {
		t.Errorf("metrics:\n%s", b)
	}
}

// TestNoPipelinePages: a server that does not analyse offers no analyze page.
func TestNoPipelinePages(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := server.New(server.Config{Store: st, Logger: slogTo(io.Discard)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/analyze")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("GET /analyze: %d", resp.StatusCode)
	}
	resp, err = http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if bytes.Contains(b, []byte(`href="/analyze"`)) {
		t.Error("the front page links to the analyze page")
	}
}
