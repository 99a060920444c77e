package server

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/format"
	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store"
	"github.com/newsgraph/newsgraph/web"
)

// APIVersion is the version of the HTTP API: its paths start /api/v1, and the OpenAPI document
// (openapi.json) gives it in full as info.version.
const APIVersion = "1.0.0"

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the API's OpenAPI 3 document.
func OpenAPI() []byte { return bytes.Clone(openAPI) }

// Paging: at most MaxLimit results a page, and no further than MaxDepth results into a list (a
// cursor is an offset: pages far down a ranking cost as much as all the pages before them).
const (
	MaxLimit = 100
	MaxDepth = 1000
)

func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPI)
	})
	mux.HandleFunc("GET /api/v1/search", s.cachedJSON(s.search))
	mux.HandleFunc("GET /api/v1/quotes", s.cachedJSON(s.quotes))
	mux.HandleFunc("GET /api/v1/sources", s.cachedJSON(s.sources))
	mux.HandleFunc("GET /api/v1/chains", s.cachedJSON(s.chains))
	mux.HandleFunc("GET /api/v1/articles/{id}", s.article)
	mux.HandleFunc("POST /api/v1/analyze", s.analyze)
	mux.HandleFunc("POST /api/v1/articles", s.postArticle)
	// Anything else under /api/ is a JSON 404 (or 405 for a path known with another method).
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		for _, p := range []struct{ prefix, methods string }{
			{"/api/v1/search", "GET"}, {"/api/v1/quotes", "GET"}, {"/api/v1/sources", "GET"}, {"/api/v1/chains", "GET"},
			{"/api/v1/openapi.json", "GET"}, {"/api/v1/analyze", "POST"}, {"/api/v1/articles", "POST"}, {"/api/v1/articles/", "GET"},
		} {
			if r.URL.Path == p.prefix || strings.HasSuffix(p.prefix, "/") && strings.HasPrefix(r.URL.Path, p.prefix) && !strings.Contains(r.URL.Path[len(p.prefix):], "/") {
				w.Header().Set("Allow", p.methods)
				writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s %s: use %s", r.Method, r.URL.Path, p.methods))
				return
			}
		}
		writeError(w, http.StatusNotFound, fmt.Sprintf("no such API path: %s (see /api/v1/openapi.json)", r.URL.Path))
	})
}

// errorBody is every error's JSON: the HTTP status and the reason, never a stack.
type errorBody struct {
	Status int    `json:"status"`
	Error  string `json:"error"`
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, errorBody{Status: code, Error: msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code, b = http.StatusInternalServerError, []byte(`{"status":500,"error":"could not encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}

// queryError answers a failed query: a bad query is the client's (400), one over its time 503.
func (s *Server) queryError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrBadQuery):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, store.ErrQueryTimeout), errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusServiceUnavailable, "the query took too long")
	case r.Context().Err() != nil:
		writeError(w, 499, "the client went away") // nginx's code; nobody reads it
	default:
		s.log.Error("query failed", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "the query failed")
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, _, err := s.cfg.Store.Lookup(ctx, "healthz:", nil); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "the store does not answer"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// params reads a query's parameters, refusing unknown ones (a misspelt filter would otherwise
// widen the answer without a word) and repeated ones.
type params struct {
	r    *http.Request
	vals url.Values
	err  error
}

func readParams(r *http.Request, known ...string) *params {
	p := &params{r: r, vals: r.URL.Query()}
	for k, v := range p.vals {
		ok := false
		for _, n := range known {
			ok = ok || k == n
		}
		switch {
		case !ok:
			p.fail("unknown parameter %q (known: %s)", k, strings.Join(known, ", "))
		case len(v) > 1:
			p.fail("parameter %q given %d times", k, len(v))
		}
	}
	return p
}

func (p *params) fail(f string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(f, args...)
	}
}

func (p *params) str(name string) string {
	v := p.vals.Get(name)
	if len(v) > store.MaxFilterLen {
		p.fail("%s: %d bytes (at most %d)", name, len(v), store.MaxFilterLen)
	}
	return v
}

func (p *params) boolean(name string) bool {
	switch p.vals.Get(name) {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	}
	p.fail("%s: %q is not true or false", name, p.vals.Get(name))
	return false
}

// date reads a date bound: ISO 8601 or a start of one (2015, 2015-07).
func (p *params) date(name string) string {
	v := p.vals.Get(name)
	if v == "" {
		return ""
	}
	d, err := newsgraph.DatePrefix(v)
	if err != nil {
		p.fail("%s: %v", name, err)
	}
	return d
}

// page reads limit and cursor: the results wanted, and the offset the cursor encodes.
func (p *params) page(def int) (limit, offset int) {
	limit = def
	if v := p.vals.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxLimit {
			p.fail("limit: %q: give a number from 1 to %d", v, MaxLimit)
			return def, 0
		}
		limit = n
	}
	if c := p.vals.Get("cursor"); c != "" {
		off, ok := decodeCursor(c)
		if !ok {
			p.fail("cursor: %q is not a cursor this server gave", c)
			return limit, 0
		}
		offset = off
	}
	if offset+limit > MaxDepth {
		p.fail("cursor: lists end at %d results; narrow the query instead", MaxDepth)
	}
	return limit, offset
}

// A cursor is the offset of the next page, in an opaque form: "o" and the number, base64url.
func encodeCursor(off int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(off)))
}

func decodeCursor(c string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 2 || b[0] != 'o' {
		return 0, false
	}
	n, err := strconv.Atoi(string(b[1:]))
	if err != nil || n < 0 || n > MaxDepth {
		return 0, false
	}
	return n, true
}

// list is the answer of every list: one page of results; total, the number of results (exact when
// total_relation is "eq"; when it is "gte", at least that many: counting every match of a common
// word would cost more than finding the page); next, the cursor of the next page or null.
type list[R any] struct {
	Results       []R     `json:"results"`
	Total         int     `json:"total"`
	TotalRelation string  `json:"total_relation"`
	Next          *string `json:"next"`
}

// pageOf cuts the page [offset, offset+limit) out of rows, which hold up to offset+limit+1 (the
// one more says whether a next page exists).
func pageOf[T, R any](rows []T, offset, limit int, row func(T) R) list[R] {
	out := list[R]{Results: []R{}, TotalRelation: "eq"}
	for i := offset; i < len(rows) && i < offset+limit; i++ {
		out.Results = append(out.Results, row(rows[i]))
	}
	out.Total = offset + len(out.Results)
	if len(rows) > offset+limit {
		out.Total++
		out.TotalRelation = "gte"
		if offset+limit < MaxDepth {
			c := encodeCursor(offset + limit)
			out.Next = &c
		}
	}
	if len(rows) < offset { // a cursor past the end
		out.Total = len(rows)
	}
	return out
}

func (s *Server) queryContext(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), s.cfg.QueryTimeout)
}

// listQuery answers a list endpoint: its parameters read into a query, the store asked for the
// page and one more (which says whether a next page exists), the page answered.
func listQuery[Q, T, R any](s *Server, w http.ResponseWriter, r *http.Request, known []string, def int,
	build func(p *params) Q, setLimit func(*Q, int), ask func(context.Context, Q) ([]T, error), row func(T) R) {
	p := readParams(r, known...)
	q := build(p)
	limit, offset := p.page(def)
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	setLimit(&q, offset+limit+1)
	ctx, cancel := s.queryContext(r)
	defer cancel()
	rows, err := ask(ctx, q)
	if err != nil {
		s.queryError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(rows, offset, limit, row))
}

// search: GET /api/v1/search.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	listQuery(s, w, r, []string{"q", "speaker", "prefix", "guesses", "outlet", "entity", "publisher", "from", "to", "limit", "cursor", "all"}, 20,
		func(p *params) store.Query {
			return store.Query{Text: p.vals.Get("q"), Speaker: p.str("speaker"), SpeakerPrefix: p.boolean("prefix"), Guesses: p.boolean("guesses"),
				Outlet: p.str("outlet"), Entity: p.str("entity"), Publisher: p.str("publisher"), From: p.date("from"), To: p.date("to"), AllDuplicates: p.boolean("all")}
		}, func(q *store.Query, n int) { q.Limit = n }, s.cfg.Store.Search, store.Hit.Row)
}

// quotes: GET /api/v1/quotes.
func (s *Server) quotes(w http.ResponseWriter, r *http.Request) {
	listQuery(s, w, r, []string{"speaker", "prefix", "guesses", "publisher", "from", "to", "limit", "cursor"}, 50,
		func(p *params) store.QuoteQuery {
			return store.QuoteQuery{Speaker: p.str("speaker"), Prefix: p.boolean("prefix"), Guesses: p.boolean("guesses"), Publisher: p.str("publisher"), From: p.date("from"), To: p.date("to")}
		}, func(q *store.QuoteQuery, n int) { q.Limit = n }, s.cfg.Store.Quotes, store.QuoteHit.Row)
}

var sourceParams = []string{"publisher", "cited", "from", "to", "limit", "cursor"}

func sourceQuery(p *params) store.SourceQuery {
	return store.SourceQuery{Publisher: p.str("publisher"), Cited: p.str("cited"), From: p.date("from"), To: p.date("to")}
}

func setSourceLimit(q *store.SourceQuery, n int) { q.Limit = n }

// sources: GET /api/v1/sources (who cites whom, with counts).
func (s *Server) sources(w http.ResponseWriter, r *http.Request) {
	listQuery(s, w, r, sourceParams, 100, sourceQuery, setSourceLimit, s.cfg.Store.Sources, store.SourceEdge.Row)
}

// chains: GET /api/v1/chains (whole chains of attribution, with counts).
func (s *Server) chains(w http.ResponseWriter, r *http.Request) {
	listQuery(s, w, r, sourceParams, 100, sourceQuery, setSourceLimit, s.cfg.Store.Chains, store.ChainCount.Row)
}

// article: GET /api/v1/articles/{id}: the stored newsgraph/v1 analysis, as stored.
func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("article ID %q: give a positive number", r.PathValue("id")))
		return
	}
	ctx, cancel := s.queryContext(r)
	defer cancel()
	a, err := s.cfg.Store.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no article %d", id))
		return
	}
	if err != nil {
		s.queryError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(bytes.TrimSpace(a.Analysis))
	w.Write([]byte("\n"))
}

// bodyItem reads a POST body as one article, by its Content-Type: text/plain, text/html or
// application/json (a record: {"text": …, "title", "publisher", "date", "url", "author"}, or
// "html" instead of "text"). The query's date (and publisher, url) fill in what the body does
// not give. code is the HTTP status of a failure.
func (s *Server) bodyItem(r *http.Request, p *params, name string) (source.Item, int, error) {
	date, publisher, pageURL := p.vals.Get("date"), p.str("publisher"), p.str("url")
	if date != "" {
		d, err := newsgraph.ISODate(date)
		if err != nil {
			p.fail("date: %v", err)
		}
		date = d
	}
	if p.err != nil {
		return source.Item{}, http.StatusBadRequest, p.err
	}
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	kind := ""
	switch {
	case err != nil && r.Header.Get("Content-Type") != "":
		return source.Item{}, http.StatusUnsupportedMediaType, fmt.Errorf("Content-Type %q: %v", r.Header.Get("Content-Type"), err)
	case ct == "text/plain" || ct == "":
		kind = "text"
	case ct == "text/html" || ct == "application/xhtml+xml":
		kind = "html"
	case ct == "application/json":
		kind = "json"
	default:
		return source.Item{}, http.StatusUnsupportedMediaType, fmt.Errorf("Content-Type %q: send text/plain, text/html or application/json (with curl: -H 'Content-Type: text/plain')", ct)
	}
	b, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return source.Item{}, http.StatusRequestEntityTooLarge, fmt.Errorf("the body is larger than %d bytes", tooBig.Limit)
	}
	if err != nil {
		return source.Item{}, http.StatusBadRequest, fmt.Errorf("reading the body: %v", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return source.Item{}, http.StatusBadRequest, errors.New("the body is empty: send the article")
	}
	it := source.Body(name, b, kind, pageURL)
	if it.Err != nil {
		return it, http.StatusUnprocessableEntity, it.Err
	}
	if date != "" && it.Meta.Date == "" {
		it.Meta.Date = date
	}
	if publisher != "" && it.Meta.Publisher == "" {
		it.Meta.Publisher, it.Meta.PublisherSource = publisher, "input"
	}
	if pageURL != "" && it.Meta.URL == "" && kind != "html" {
		it.Meta.URL = pageURL
	}
	return it, 0, nil
}

// analyze: POST /api/v1/analyze: the analysis (newsgraph/v1), not stored.
func (s *Server) analyze(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Pipeline == nil {
		writeError(w, http.StatusServiceUnavailable, "this server does not analyse")
		return
	}
	if ok, wait := s.limits.allow(clientAddr(r)); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		writeError(w, http.StatusTooManyRequests, "too many analyses from this address: try again shortly")
		return
	}
	if !s.admit(w) {
		return
	}
	defer s.analysing.Add(-1)
	p := readParams(r, "date", "publisher", "url", "tokens")
	tokens := p.boolean("tokens")
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	it, code, err := s.bodyItem(r, p, "request body")
	if err != nil {
		writeError(w, code, err.Error())
		return
	}
	d, err := ingest.Analyse(r.Context(), s.cfg.Pipeline, s.slots, it)
	if err != nil {
		s.analysisError(w, r, err)
		return
	}
	s.metrics.analysed.WithLabelValues("false").Inc()
	var buf bytes.Buffer
	if err := format.WriteJSON(&buf, d, s.cfg.Pipeline.Components(), format.JSONOptions{Tokens: tokens}); err != nil {
		s.analysisError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

func (s *Server) analysisError(w http.ResponseWriter, r *http.Request, err error) {
	var in *newsgraph.InputError
	switch {
	case errors.As(err, &in), errors.Is(err, newsgraph.ErrEmpty), errors.Is(err, newsgraph.ErrBinary), errors.Is(err, newsgraph.ErrNotUTF8), errors.Is(err, newsgraph.ErrTooLarge):
		writeError(w, http.StatusUnprocessableEntity, err.Error())
	case r.Context().Err() != nil:
		writeError(w, 499, "the client went away")
	default:
		s.log.Error("analysis failed", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "the analysis failed")
	}
}

// stored is POST /api/v1/articles' answer.
type stored struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`         // "stored" or "duplicate"
	Same   string `json:"same,omitempty"` // a duplicate's: "URL" or "text"
	Group  int64  `json:"group,omitempty"`
	URL    string `json:"url"` // the article's API path
}

// postArticle: POST /api/v1/articles: analyse and store (needs the token).
func (s *Server) postArticle(w http.ResponseWriter, r *http.Request) {
	if code, msg := s.authorized(r); code != 0 {
		if code == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="newsgraph"`)
		}
		writeError(w, code, msg)
		return
	}
	if s.cfg.Pipeline == nil {
		writeError(w, http.StatusServiceUnavailable, "this server does not analyse")
		return
	}
	if !s.admit(w) {
		return
	}
	defer s.analysing.Add(-1)
	it, code, err := s.bodyItem(r, readParams(r, "date", "publisher", "url"), "api")
	if err != nil {
		writeError(w, code, err.Error())
		return
	}
	ev := ingest.Article(r.Context(), s.cfg.Store, s.cfg.Pipeline, s.slots, it)
	switch ev.Kind {
	case ingest.Stored:
		s.cache.clear()
		s.metrics.analysed.WithLabelValues("true").Inc()
		w.Header().Set("Location", fmt.Sprintf("/api/v1/articles/%d", ev.ID))
		writeJSON(w, http.StatusCreated, stored{ID: ev.ID, Status: "stored", Group: ev.Group, URL: fmt.Sprintf("/api/v1/articles/%d", ev.ID)})
	case ingest.Duplicate:
		writeJSON(w, http.StatusOK, stored{ID: ev.ID, Status: "duplicate", Same: ev.Same, URL: fmt.Sprintf("/api/v1/articles/%d", ev.ID)})
	default:
		s.analysisError(w, r, ev.Err)
	}
}

// admit counts an analysis in, or answers 503 when 4 × CPUs are already running or waiting for a
// slot (each may hold a body of up to MaxBody bytes while it waits). A caller that is admitted
// must count itself out (s.analysing.Add(-1)).
func (s *Server) admit(w http.ResponseWriter) bool {
	if !s.enter() {
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, "the server is busy analysing: try again shortly")
		return false
	}
	return true
}

// enter counts an analysis in unless 4 × CPUs are running or waiting already.
func (s *Server) enter() bool {
	if s.analysing.Add(1) > int64(4*s.cfg.CPUs) {
		s.analysing.Add(-1)
		return false
	}
	return true
}

// analyseForWeb is the web app's analyze page: rate-limited as the API's.
func (s *Server) analyseForWeb(r *http.Request, it source.Item) (*newsgraph.Doc, []string, error) {
	if s.cfg.Pipeline == nil {
		return nil, nil, errors.New("this server does not analyse")
	}
	if ok, _ := s.limits.allow(clientAddr(r)); !ok {
		return nil, nil, web.ErrBusy
	}
	if !s.enter() {
		return nil, nil, web.ErrBusy
	}
	defer s.analysing.Add(-1)
	d, err := ingest.Analyse(r.Context(), s.cfg.Pipeline, s.slots, it)
	if err == nil {
		s.metrics.analysed.WithLabelValues("false").Inc()
	}
	return d, s.cfg.Pipeline.Components(), err
}
