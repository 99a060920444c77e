// Package server is newsgraph's HTTP service: the JSON API under /api/v1 (described by the
// OpenAPI document it serves at /api/v1/openapi.json), /healthz, Prometheus /metrics, and the web
// app (package web) at the root. One handler chain sets every security header, limits bodies,
// logs each request (log/slog), counts it (Prometheus) and turns a panic into a 500 without a
// stack in the response, so that no handler can forget one of them.
//
// Reading needs nothing; writing (POST /api/v1/articles) needs the bearer token of Config.Token,
// compared in constant time. Analysing without storing (POST /api/v1/analyze and the web app's
// analyze page) is rate-limited per client address.
package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/time/rate"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store"
	"github.com/newsgraph/newsgraph/web"
)

// Config is what a server serves and how.
type Config struct {
	Store    store.Store
	Pipeline *newsgraph.Pipeline // analyses POST bodies; nil: analyze and POST articles answer 503
	// Token, when not "", is the bearer token POST /api/v1/articles needs; "" turns writing off
	// (403), unless AllowOpenWrites.
	Token string
	// AllowOpenWrites lets POST /api/v1/articles store without a token (for a store on loopback
	// that only its owner reaches; serve refuses it on other addresses).
	AllowOpenWrites bool
	// ReadOnly turns every write off, a token or not.
	ReadOnly bool
	// LoopbackOnly answers only requests whose Host is a loopback name or address (localhost,
	// 127.0.0.1, [::1]): a server on loopback is not reachable from a web page that rebinds its
	// own name to 127.0.0.1 (DNS rebinding). serve sets it for a loopback address.
	LoopbackOnly bool
	Logger       *slog.Logger // nil: slog.Default()
	// MaxBody is the largest request body read, in bytes (0: source.DefaultMaxBytes, 10 MB).
	MaxBody int64
	// AnalyzeRate and AnalyzeBurst limit analyses without storing per client address (0: 2 a
	// second, a burst of 10).
	AnalyzeRate  rate.Limit
	AnalyzeBurst int
	// CPUs analyse this many documents at once, whatever the number of requests (0: all cores).
	CPUs int
	// Registry takes the server's metrics (nil: a registry of its own, with the Go and process
	// collectors).
	Registry *prometheus.Registry
	// QueryTimeout bounds each query (0: store.DefaultQueryTimeout).
	QueryTimeout time.Duration
	// CacheTTL is how long an answer of the API's list queries is kept (0: 10 seconds; less than
	// 0: not at all). CacheEntries bounds how many are kept (0: 2,048).
	CacheTTL     time.Duration
	CacheEntries int
}

// Server is the HTTP service; Handler serves it, Serve runs it on a listener.
type Server struct {
	cfg     Config
	log     *slog.Logger
	slots   *engine.Slots
	handler http.Handler
	metrics *metrics
	limits  *limiter
	cache   *cache // nil: off
	// analysing counts the analyses running or waiting for a slot; inflight the handlers running
	// (Serve waits for them before it returns).
	analysing atomic.Int64
	inflight  sync.WaitGroup
}

// New builds a server.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("server: no store")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = source.DefaultMaxBytes
	}
	if cfg.AnalyzeRate <= 0 {
		cfg.AnalyzeRate = 2
	}
	if cfg.AnalyzeBurst <= 0 {
		cfg.AnalyzeBurst = 10
	}
	if cfg.CPUs <= 0 {
		cfg.CPUs = runtime.NumCPU()
	}
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = store.DefaultQueryTimeout
	}
	if cfg.CacheTTL == 0 {
		cfg.CacheTTL = 10 * time.Second
	}
	if cfg.CacheEntries <= 0 {
		cfg.CacheEntries = 2048
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
		cfg.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	s := &Server{cfg: cfg, log: cfg.Logger, slots: engine.NewSlots(cfg.CPUs), limits: newLimiter(cfg.AnalyzeRate, cfg.AnalyzeBurst)}
	if cfg.CacheTTL > 0 {
		s.cache = newCache(cfg.CacheTTL, cfg.CacheEntries)
	}
	// The store's counts, for the metrics and the front page: read at most every 10 seconds.
	size := &store.StatsCache{Store: cfg.Store, TTL: 10 * time.Second}
	m, err := newMetrics(cfg.Registry, size)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	mux := http.NewServeMux()
	s.routes(mux)
	wc := web.Config{Store: cfg.Store, Stats: size.Get, Logger: cfg.Logger, QueryTimeout: cfg.QueryTimeout}
	if cfg.Pipeline != nil {
		wc.Analyse = s.analyseForWeb
	}
	w, err := web.New(wc)
	if err != nil {
		return nil, err
	}
	mux.Handle("/", w)
	mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{}))
	s.handler = s.wrap(mux)
	return s, nil
}

// Handler is the whole service.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers on ln until ctx ends, then shuts down gracefully: no new connections, and the
// requests under way are given up to grace to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      2 * time.Minute, // an analysis of a large article takes its time
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	hs.BaseContext = func(net.Listener) context.Context { return base }
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", grace)
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := hs.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		// The grace is over: the requests still running are cancelled and their connections closed,
		// so that none goes on against a store the caller is about to close.
		s.log.Warn("requests still running after the grace period: cancelled", "grace", grace)
		cancelBase()
		hs.Close()
		err = nil
	}
	if e := <-done; e != nil && !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	s.inflight.Wait()
	return err
}

// Security headers on every response. The pages load their style sheet and script from this
// server only and run no inline script; nothing may frame them.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}

// recorder notes a response's status and size for the log and the metrics.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// wrap is the chain every request goes through: headers, body limit, recovery, log, metrics.
func (s *Server) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.inflight.Add(1)
		defer s.inflight.Done()
		t0 := time.Now()
		securityHeaders(w.Header())
		rec := &recorder{ResponseWriter: w}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(rec, r.Body, s.cfg.MaxBody)
		}
		route := "other"
		if s.cfg.LoopbackOnly && !loopbackHost(r.Host) {
			writeError(rec, http.StatusMisdirectedRequest, "this server answers loopback names only (localhost, 127.0.0.1, [::1])")
			s.metrics.observe("other", methodLabel(r.Method), http.StatusMisdirectedRequest, time.Since(t0))
			return
		}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if rec.status == 0 {
					writeError(rec, http.StatusInternalServerError, "internal error")
				}
			}
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			d := time.Since(t0)
			if r.Pattern != "" {
				route = r.Pattern
			}
			s.metrics.observe(route, methodLabel(r.Method), rec.status, d)
			level := slog.LevelInfo
			if rec.status >= 500 {
				level = slog.LevelError
			}
			s.log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "route", route, "status", rec.status,
				"bytes", rec.bytes, "ms", float64(d.Microseconds())/1000, "remote", clientAddr(r))
		}()
		next.ServeHTTP(rec, r)
	})
}

// methodLabel bounds the metrics' method label: Go's server takes any token as a method.
func methodLabel(m string) string {
	switch m {
	case "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH":
		return m
	}
	return "OTHER"
}

// loopbackHost reports whether a request's Host names this machine's loopback.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// crossSite reports a request a web page of another site made the browser send: its
// Sec-Fetch-Site says so, or its Origin is not the server's own. Without a token, that is the only
// thing that tells a write the owner made from one a page they visit made (a form posting
// text/plain needs no preflight).
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return true
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		return err != nil || !strings.EqualFold(u.Host, r.Host)
	}
	return false
}

// clientAddr is the request's remote address without its port: the unit of the rate limit. (A
// server behind a proxy sees the proxy's; X-Forwarded-For is not trusted.)
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	// An IPv6 client is its /64: one host has a whole prefix to take addresses from.
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		return host
	case ip.To4() != nil:
		return ip.To4().String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// authorized checks a write's bearer token, in constant time.
func (s *Server) authorized(r *http.Request) (int, string) {
	if s.cfg.ReadOnly {
		return http.StatusForbidden, "this server is read-only"
	}
	if s.cfg.Token == "" {
		if !s.cfg.AllowOpenWrites {
			return http.StatusForbidden, "writing is off: the server was started without a token (--token-file)"
		}
		if crossSite(r) {
			return http.StatusForbidden, "a write from another site's page is refused (start the server with --token-file to write from other origins)"
		}
		return 0, ""
	}
	auth := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(s.cfg.Token)) != 1 {
		return http.StatusUnauthorized, "a valid bearer token is needed (Authorization: Bearer …)"
	}
	return 0, ""
}

// maxClients bounds the rate limiter's table of client addresses.
const maxClients = 100_000

// limiter is a token bucket per client address; buckets idle for ten minutes are dropped.
type limiter struct {
	mu      sync.Mutex
	r       rate.Limit
	burst   int
	clients map[string]*client
	swept   time.Time
}

type client struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(r rate.Limit, burst int) *limiter {
	return &limiter{r: r, burst: burst, clients: map[string]*client{}, swept: time.Now()}
}

// allow takes a token of addr's bucket, or says how long until one is there.
func (l *limiter) allow(addr string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.swept) > time.Minute {
		for k, c := range l.clients {
			if now.Sub(c.seen) > 10*time.Minute {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	c := l.clients[addr]
	if c == nil && len(l.clients) >= maxClients {
		// Full: the clients not seen for longest go first (a sweep of the older half).
		cut := now.Add(-5 * time.Minute)
		for k, c := range l.clients {
			if c.seen.Before(cut) {
				delete(l.clients, k)
			}
		}
		if len(l.clients) >= maxClients {
			return false, time.Minute
		}
	}
	if c == nil {
		c = &client{lim: rate.NewLimiter(l.r, l.burst)}
		l.clients[addr] = c
	}
	c.seen = now
	res := c.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}
