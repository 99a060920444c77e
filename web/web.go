// Package web is newsgraph's web app: pages rendered on the server from html/template templates
// and one style sheet, all embedded in the binary, so that it needs no network at run time and
// reads with JavaScript off (a small script only adds conveniences). Its pages:
//
//	/                    search, with the filters (speaker, outlet cited, entity, publisher, dates)
//	/articles/{id}       an article: entities coloured by type, quotations tinted by speaker, cues
//	                     marked, dates with their values, and the speakers with their claims and chains
//	/speakers/{name}     a speaker's quotations across the corpus, by date and outlet
//	/sources             who cites whom, drawn
//	/analyze             paste a text and see the same view, nothing stored
//
// It serves no JSON; package server mounts it beside the API and sets the security headers.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/format"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store"
)

//go:embed templates static
var files embed.FS

// ErrBusy is what Config.Analyse returns when the client must wait (a rate limit).
var ErrBusy = errors.New("too many analyses from this address: try again in a few seconds")

// Config is what the pages read.
type Config struct {
	Store store.Store
	// Analyse analyses a pasted article without storing it (the analyze page): the document and
	// the pipeline's components. nil turns the page off.
	Analyse func(r *http.Request, it source.Item) (*newsgraph.Doc, []string, error)
	// Stats gives the store's counts for the front page (nil: a store.StatsCache of Store, read
	// at most every 30 seconds).
	Stats        func(context.Context) (store.Stats, bool)
	Logger       *slog.Logger
	QueryTimeout time.Duration
}

type app struct {
	cfg   Config
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// New builds the app's handler.
func New(cfg Config) (http.Handler, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = store.DefaultQueryTimeout
	}
	if cfg.Stats == nil {
		cfg.Stats = (&store.StatsCache{Store: cfg.Store, TTL: 30 * time.Second}).Get
	}
	a := &app{cfg: cfg, pages: map[string]*template.Template{}, mux: http.NewServeMux()}
	funcs := template.FuncMap{
		"join":     strings.Join,
		"entName":  func(t string) string { return entityNames[t] },
		"speaker":  SpeakerPath,
		"article":  func(id int64) string { return "/articles/" + strconv.FormatInt(id, 10) },
		"marked":   marked,
		"inc":      func(i int) int { return i + 1 },
		"conf":     func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
		"nonempty": func(s string) bool { return strings.TrimSpace(s) != "" },
	}
	for _, p := range []string{"search", "article", "speaker", "sources", "analyze", "error"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/article-body.html", "templates/"+p+".html")
		if err != nil {
			return nil, fmt.Errorf("web: %s: %w", p, err)
		}
		a.pages[p] = t
	}
	static, _ := fs.Sub(files, "static")
	fileServer := http.FileServerFS(static)
	a.mux.Handle("GET /static/", http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	})))
	a.mux.HandleFunc("GET /{$}", a.search)
	a.mux.HandleFunc("GET /search", a.search)
	a.mux.HandleFunc("GET /articles/{id}", a.article)
	a.mux.HandleFunc("GET /speakers/{name}", a.speaker)
	a.mux.HandleFunc("GET /sources", a.sources)
	a.mux.HandleFunc("GET /analyze", a.analyzeForm)
	a.mux.HandleFunc("POST /analyze", a.analyze)
	a.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, http.StatusNotFound, "There is no page at "+r.URL.Path+".")
	})
	return a.mux, nil
}

// SpeakerPath is the page of a speaker. A name of dots alone is escaped: "." and ".." are path
// steps, which a browser and the server's mux would resolve.
func SpeakerPath(name string) string {
	p := url.PathEscape(name)
	if strings.Trim(name, ".") == "" {
		p = strings.ReplaceAll(p, ".", "%2E")
	}
	return "/speakers/" + p
}

// page is what every page's layout reads.
type page struct {
	Title      string
	Nav        string
	CanAnalyse bool // the analyze page is on
	Data       any
}

func (a *app) render(w http.ResponseWriter, r *http.Request, code int, name, title string, data any) {
	var buf bytes.Buffer
	if err := a.pages[name].Execute(&buf, page{Title: title, Nav: name, CanAnalyse: a.cfg.Analyse != nil, Data: data}); err != nil {
		a.cfg.Logger.Error("template", "page", name, "err", err)
		code = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString("<!doctype html><title>Error</title><p>The page could not be drawn.</p>")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

func (a *app) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	a.render(w, r, code, "error", http.StatusText(code), map[string]any{"Code": code, "Status": http.StatusText(code), "Message": msg})
}

// queryFailed answers a failed query as the API does: a bad query is the reader's to fix.
func (a *app) queryFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrBadQuery):
		a.fail(w, r, http.StatusBadRequest, err.Error())
	case errors.Is(err, store.ErrQueryTimeout), errors.Is(err, context.DeadlineExceeded):
		a.fail(w, r, http.StatusServiceUnavailable, "The query took too long. Narrow it with more words or filters.")
	default:
		a.cfg.Logger.Error("query failed", "path", r.URL.Path, "err", err)
		a.fail(w, r, http.StatusInternalServerError, "The query failed.")
	}
}

// piece is a part of a snippet: matched words are marked.
type piece struct {
	Text string
	Mark bool
}

// marked splits a search snippet, whose matched words come between store.MarkStart and
// store.MarkEnd, into pieces.
func marked(s string) []piece {
	var out []piece
	for s != "" {
		i := strings.Index(s, store.MarkStart)
		if i < 0 {
			out = append(out, piece{Text: s})
			break
		}
		j := strings.Index(s[i:], store.MarkEnd)
		if j < 0 {
			out = append(out, piece{Text: s})
			break
		}
		if i > 0 {
			out = append(out, piece{Text: s[:i]})
		}
		out = append(out, piece{Text: s[i+1 : i+j], Mark: true})
		s = s[i+j+1:]
	}
	return out
}

type searchPage struct {
	Q, Speaker, Outlet, Entity, Publisher, From, To string
	Guesses                                         bool
	Hits                                            []store.Hit
	Searched                                        bool
	Start                                           int
	Next, Prev                                      string
	Stats                                           *store.Stats
}

const perPage = 20

func (a *app) search(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	p := searchPage{Q: v.Get("q"), Speaker: v.Get("speaker"), Outlet: v.Get("outlet"), Entity: v.Get("entity"), Publisher: v.Get("publisher"),
		From: v.Get("from"), To: v.Get("to"), Guesses: v.Get("guesses") != ""}
	for _, f := range []struct {
		name string
		v    *string
	}{{"from", &p.From}, {"to", &p.To}} {
		if *f.v == "" {
			continue
		}
		d, err := newsgraph.DatePrefix(*f.v)
		if err != nil {
			a.fail(w, r, http.StatusBadRequest, fmt.Sprintf("The %s date: %v.", f.name, err))
			return
		}
		*f.v = d
	}
	if s := v.Get("start"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 1000-perPage {
			a.fail(w, r, http.StatusBadRequest, "The page asked for is out of range.")
			return
		}
		p.Start = n
	}
	ctx, cancel := context.WithTimeout(r.Context(), a.cfg.QueryTimeout)
	defer cancel()
	p.Searched = p.Q != "" || p.Speaker != "" || p.Outlet != "" || p.Entity != "" || p.Publisher != "" || p.From != "" || p.To != ""
	if !p.Searched {
		if st, ok := a.cfg.Stats(ctx); ok {
			p.Stats = &st
		}
		a.render(w, r, http.StatusOK, "search", "Search", p)
		return
	}
	hits, err := a.cfg.Store.Search(ctx, store.Query{Text: p.Q, Speaker: p.Speaker, Guesses: p.Guesses, Outlet: p.Outlet, Entity: p.Entity,
		Publisher: p.Publisher, From: p.From, To: p.To, Limit: p.Start + perPage + 1})
	if err != nil {
		a.queryFailed(w, r, err)
		return
	}
	if len(hits) > p.Start {
		p.Hits = hits[p.Start:min(len(hits), p.Start+perPage)]
	}
	link := func(start int) string {
		q := url.Values{}
		for k, x := range v {
			if k != "start" && len(x) > 0 && x[0] != "" {
				q.Set(k, x[0])
			}
		}
		if start > 0 {
			q.Set("start", strconv.Itoa(start))
		}
		return "/search?" + q.Encode()
	}
	if len(hits) > p.Start+perPage && p.Start+2*perPage <= 1000 {
		p.Next = link(p.Start + perPage)
	}
	if p.Start > 0 {
		p.Prev = link(max(0, p.Start-perPage))
	}
	title := "Search"
	if p.Q != "" {
		title = p.Q + " – search"
	}
	a.render(w, r, http.StatusOK, "search", title, p)
}

// articlePage is an article's page: the view, and the store's facts.
type articlePage struct {
	*article
	Source   string
	Pipeline []string
	Analyzed bool // from the analyze page: not stored
}

func (a *app) article(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		a.fail(w, r, http.StatusNotFound, "There is no article "+r.PathValue("id")+".")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), a.cfg.QueryTimeout)
	defer cancel()
	st, err := a.cfg.Store.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		a.fail(w, r, http.StatusNotFound, fmt.Sprintf("There is no article %d.", id))
		return
	}
	if err != nil {
		a.queryFailed(w, r, err)
		return
	}
	d, pipeline, err := format.ReadJSON(st.Analysis)
	if err != nil {
		a.cfg.Logger.Error("stored analysis unreadable", "article", id, "err", err)
		a.fail(w, r, http.StatusInternalServerError, fmt.Sprintf("The analysis stored for article %d cannot be read.", id))
		return
	}
	v := view(d)
	v.ID, v.Stored = id, true
	if v.Title == "" {
		v.Title = st.Title
	}
	title := v.Title
	if title == "" {
		title = fmt.Sprintf("Article %d", id)
	}
	a.render(w, r, http.StatusOK, "article", title, articlePage{article: v, Source: st.Source, Pipeline: pipeline})
}

type speakerPage struct {
	Name    string
	Guesses bool
	Quotes  []store.QuoteHit
	More    bool
	Outlets []count
	Years   []count
}

type count struct {
	Name string
	N    int
}

func counted(m map[string]int) []count {
	var out []count
	for k, n := range m {
		out = append(out, count{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Name < out[j].Name
	})
	return out
}

const speakerQuotes = 200

func (a *app) speaker(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if strings.TrimSpace(name) == "" {
		a.fail(w, r, http.StatusNotFound, "Name a speaker.")
		return
	}
	p := speakerPage{Name: name, Guesses: r.URL.Query().Get("guesses") != ""}
	ctx, cancel := context.WithTimeout(r.Context(), a.cfg.QueryTimeout)
	defer cancel()
	qs, err := a.cfg.Store.Quotes(ctx, store.QuoteQuery{Speaker: name, Guesses: p.Guesses, Limit: speakerQuotes + 1})
	if err != nil {
		a.queryFailed(w, r, err)
		return
	}
	if len(qs) > speakerQuotes {
		qs, p.More = qs[:speakerQuotes], true
	}
	p.Quotes = qs
	outlets, years := map[string]int{}, map[string]int{}
	for _, q := range qs {
		o := q.Publisher
		if len(q.Chain) > 1 {
			o = q.Chain[len(q.Chain)-2] // the outlet the quotation came through
		}
		if o != "" {
			outlets[o]++
		}
		if len(q.Date) >= 4 {
			years[q.Date[:4]]++
		}
	}
	p.Outlets, p.Years = counted(outlets), counted(years)
	sort.Slice(p.Years, func(i, j int) bool { return p.Years[i].Name > p.Years[j].Name })
	a.render(w, r, http.StatusOK, "speaker", name, p)
}

// graph is the picture of who cites whom: publishers on the left, the outlets they cite on the
// right, a line for each citation as wide as its share.
type graph struct {
	Width, Height int
	Left, Right   []node
	Edges         []edge
}

type node struct {
	Name string
	X, Y int
	N    int
}

type edge struct {
	X1, Y1, X2, Y2 int
	W              string
	Title          string
}

type sourcesPage struct {
	Publisher, Cited string
	Edges            []store.SourceEdge
	Chains           []store.ChainCount
	Graph            *graph
}

func (a *app) sources(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	p := sourcesPage{Publisher: v.Get("publisher"), Cited: v.Get("cited")}
	ctx, cancel := context.WithTimeout(r.Context(), a.cfg.QueryTimeout)
	defer cancel()
	q := store.SourceQuery{Publisher: p.Publisher, Cited: p.Cited, Limit: 60}
	edges, err := a.cfg.Store.Sources(ctx, q)
	if err != nil {
		a.queryFailed(w, r, err)
		return
	}
	q.Limit = 25
	chains, err := a.cfg.Store.Chains(ctx, q)
	if err != nil {
		a.queryFailed(w, r, err)
		return
	}
	p.Edges, p.Chains = edges, chains
	if len(edges) > 0 {
		p.Graph = draw(edges)
	}
	a.render(w, r, http.StatusOK, "sources", "Sources", p)
}

// draw lays the graph out: each side sorted by its citations, 26 pixels a row.
func draw(edges []store.SourceEdge) *graph {
	left, right := map[string]int{}, map[string]int{}
	maxN := 1
	for _, e := range edges {
		pub := e.Publisher
		if pub == "" {
			pub = "(unknown publisher)"
		}
		left[pub] += e.Articles
		right[e.Cited] += e.Articles
		maxN = max(maxN, e.Articles)
	}
	g := &graph{Width: 760}
	place := func(m map[string]int, x int) ([]node, map[string]int) {
		cs := counted(m)
		at := map[string]int{}
		var ns []node
		for i, c := range cs {
			y := 24 + i*26
			ns = append(ns, node{Name: c.Name, X: x, Y: y, N: c.N})
			at[c.Name] = y
		}
		return ns, at
	}
	var ly, ry map[string]int
	g.Left, ly = place(left, 230)
	g.Right, ry = place(right, 530)
	g.Height = 24 + 26*max(len(g.Left), len(g.Right))
	for _, e := range edges {
		pub := e.Publisher
		if pub == "" {
			pub = "(unknown publisher)"
		}
		wd := 1 + 7*math.Sqrt(float64(e.Articles)/float64(maxN))
		g.Edges = append(g.Edges, edge{X1: 236, Y1: ly[pub] - 4, X2: 524, Y2: ry[e.Cited] - 4, W: strconv.FormatFloat(wd, 'f', 1, 64),
			Title: fmt.Sprintf("%s cites %s in %d articles (%d attributions)", pub, e.Cited, e.Articles, e.Attributions)})
	}
	return g
}

type analyzePage struct {
	Text, Date, Error string
	View              *articlePage
}

func (a *app) analyzeForm(w http.ResponseWriter, r *http.Request) {
	if a.cfg.Analyse == nil {
		a.fail(w, r, http.StatusNotFound, "This server does not analyse.")
		return
	}
	a.render(w, r, http.StatusOK, "analyze", "Analyse", analyzePage{})
}

func (a *app) analyze(w http.ResponseWriter, r *http.Request) {
	if a.cfg.Analyse == nil {
		a.fail(w, r, http.StatusNotFound, "This server does not analyse.")
		return
	}
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			a.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The text is larger than %d bytes.", tooBig.Limit))
			return
		}
		a.fail(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	p := analyzePage{Text: r.PostForm.Get("text"), Date: strings.TrimSpace(r.PostForm.Get("date"))}
	code := http.StatusOK
	if p.Date != "" {
		d, err := newsgraph.ISODate(p.Date)
		if err != nil {
			p.Error = fmt.Sprintf("The date: %v.", err)
			a.render(w, r, http.StatusBadRequest, "analyze", "Analyse", p)
			return
		}
		p.Date = d
	}
	if strings.TrimSpace(p.Text) == "" {
		p.Error = "Paste the text of an article."
		a.render(w, r, http.StatusBadRequest, "analyze", "Analyse", p)
		return
	}
	kind := "text"
	if source.IsHTML([]byte(p.Text)) {
		kind = "html"
	}
	it := source.Body("pasted text", []byte(p.Text), kind, "")
	if it.Err == nil && p.Date != "" && it.Meta.Date == "" {
		it.Meta.Date = p.Date
	}
	var d *newsgraph.Doc
	var pipeline []string
	err := it.Err
	if err == nil {
		d, pipeline, err = a.cfg.Analyse(r, it)
	}
	switch {
	case errors.Is(err, ErrBusy):
		p.Error, code = err.Error(), http.StatusTooManyRequests
		w.Header().Set("Retry-After", "5")
	case err != nil:
		p.Error, code = "The text could not be analysed: "+err.Error(), http.StatusUnprocessableEntity
	default:
		p.View = &articlePage{article: view(d), Pipeline: pipeline, Analyzed: true}
	}
	a.render(w, r, code, "analyze", "Analyse", p)
}
