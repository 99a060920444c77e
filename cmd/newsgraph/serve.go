package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/server"
	"github.com/newsgraph/newsgraph/store/postgres"
)

// runServe is `newsgraph serve`: the HTTP API and the web app over a store, until SIGTERM or
// Ctrl-C.
func runServe(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := dbFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on this address (host:port; a host other than loopback needs --token-file or --read-only)")
	tokenFile := fs.String("token-file", "", "a file whose first line is the bearer token that POST /api/v1/articles needs")
	readOnly := fs.Bool("read-only", false, "serve reading only: no POST /api/v1/articles")
	noAnalyze := fs.Bool("no-analyze", false, "do not analyse (no POST /api/v1/analyze, no analyze page; the models are not loaded)")
	analyzeRate := fs.Float64("analyze-rate", 2, "analyses without storing a client address may ask a second (a burst of five times as many)")
	cpus := fs.Int("cpus", 0, "analyse this many articles at once (0: every core)")
	maxBody := fs.Int64("max-body", 10<<20, "the largest request body, in bytes")
	logFormat := fs.String("log", "text", "request log format on standard error: text or json")
	grace := fs.Duration("grace", 10*time.Second, "on SIGTERM or Ctrl-C, let requests under way finish for this long")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph serve [--db FILE] [--addr HOST:PORT] [flags]\n\nServes the store: the web app at /, the JSON API at /api/v1/ (described at /api/v1/openapi.json),\n/healthz and Prometheus /metrics. Reading is open; storing (POST /api/v1/articles) needs the token of\n--token-file, except on a loopback address without one, where only this machine can reach it.\n\nFlags:")
		fs.PrintDefaults()
	}
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 || *analyzeRate <= 0 || *maxBody < 1 || *grace < 0 {
		fs.Usage()
		return exitUsage
	}
	var handler slog.Handler
	switch *logFormat {
	case "text":
		handler = slog.NewTextHandler(e.stderr, nil)
	case "json":
		handler = slog.NewJSONHandler(e.stderr, nil)
	default:
		fmt.Fprintf(e.stderr, "newsgraph serve: --log %q: text or json\n", *logFormat)
		return exitUsage
	}
	logger := slog.New(handler)
	token := ""
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph serve: --token-file: %v\n", err)
			return exitUsage
		}
		token, _, _ = strings.Cut(string(b), "\n")
		token = strings.TrimSpace(token)
		if len(token) < 16 {
			fmt.Fprintf(e.stderr, "newsgraph serve: --token-file %s: the token must be at least 16 characters (openssl rand -hex 32 makes one)\n", *tokenFile)
			return exitUsage
		}
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph serve: --addr %q: %v (give host:port, as 127.0.0.1:8080)\n", *addr, err)
		return exitUsage
	}
	if *noAnalyze && !*readOnly {
		fmt.Fprintln(e.stderr, "newsgraph serve: --no-analyze: POST /api/v1/articles could not analyse either; add --read-only")
		return exitUsage
	}
	loopback := isLoopback(host)
	if !loopback && token == "" && !*readOnly {
		fmt.Fprintf(e.stderr, "newsgraph serve: --addr %s is reachable beyond this machine: give --token-file (writes need the token) or --read-only\n", *addr)
		return exitUsage
	}
	st, ok := openStore(e, "serve", *db)
	if !ok {
		return exitFail
	}
	defer st.Close()
	// Open writes on loopback are for the owner only: requests must name a loopback host (no DNS
	// rebinding) and come from no other site's page. Behind a proxy, give --token-file or --read-only.
	open := loopback && token == "" && !*readOnly
	cfg := server.Config{Store: st, Token: token, ReadOnly: *readOnly, AllowOpenWrites: open, LoopbackOnly: open, Logger: logger,
		MaxBody: *maxBody, AnalyzeRate: rate.Limit(*analyzeRate), AnalyzeBurst: max(1, int(5**analyzeRate)), CPUs: *cpus}
	if !*noAnalyze {
		if cfg.Pipeline, err = engine.New(); err != nil {
			fmt.Fprintf(e.stderr, "newsgraph serve: %v\n", err)
			return exitFail
		}
	}
	srv, err := server.New(cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph serve: %v\n", err)
		return exitFail
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph serve: %v\n", err)
		return exitFail
	}
	writes := "off (--read-only)"
	switch {
	case *readOnly:
	case token != "":
		writes = "with the token of " + *tokenFile
	default:
		writes = "open to this machine (loopback, no --token-file)"
	}
	fmt.Fprintf(e.stderr, "newsgraph serve: %s on http://%s (writes: %s); Ctrl-C stops\n", postgres.Redact(*db), ln.Addr(), writes)
	if err := srv.Serve(ctx, ln, *grace); err != nil {
		fmt.Fprintf(e.stderr, "newsgraph serve: %v\n", err)
		return exitFail
	}
	fmt.Fprintln(e.stderr, "newsgraph serve: stopped")
	return exitOK
}

// isLoopback reports whether a listening host reaches this machine only.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
