package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a buffer two goroutines may use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeRefuses: what serve will not do, each with a line that says why.
func TestServeRefuses(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	if code, _, errs := runCLI(t, "", "ingest", "--db", db, example); code != 0 {
		t.Fatalf("ingest: %d %s", code, errs)
	}
	short := filepath.Join(dir, "short")
	os.WriteFile(short, []byte("abc\n"), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--db", db, "--addr", "0.0.0.0:0"}, "reachable beyond this machine: give --token-file"},
		{[]string{"serve", "--db", db, "--addr", ":0"}, "reachable beyond this machine"},
		{[]string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--token-file", short}, "at least 16 characters"},
		{[]string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--token-file", filepath.Join(dir, "none")}, "--token-file"},
		{[]string{"serve", "--db", db, "--addr", "nonsense"}, "give host:port"},
		{[]string{"serve", "--db", db, "--no-analyze"}, "add --read-only"},
		{[]string{"serve", "--db", db, "--log", "xml"}, "text or json"},
	} {
		code, _, errs := runCLI(t, "", c.args...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: %d %q, want 2 and %q", c.args, code, errs, c.want)
		}
	}
	if code, _, errs := runCLI(t, "", "serve", "--db", filepath.Join(dir, "missing.db")); code != exitFail || !strings.Contains(errs, "no store at") {
		t.Errorf("missing store: %d %q", code, errs)
	}
}

// TestServe runs serve in-process: it answers, stores on loopback without a token or with the
// token of --token-file, and stops cleanly when its context ends (as on SIGTERM).
func TestServe(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	if code, _, errs := runCLI(t, "", "ingest", "--db", db, "--date", "2015-07-16", example); code != 0 {
		t.Fatalf("ingest: %d %s", code, errs)
	}
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte("s3cret-token-of-32-characters-xx\n"), 0o600)
	for _, c := range []struct {
		name  string
		args  []string
		auth  string
		write int
	}{
		{"loopback, no token", nil, "", 201},
		{"token, none sent", []string{"--token-file", tokenFile}, "", 401},
		{"token sent", []string{"--token-file", tokenFile}, "Bearer s3cret-token-of-32-characters-xx", 201},
		{"read-only", []string{"--read-only", "--no-analyze"}, "", 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var errs syncBuffer
			done := make(chan int, 1)
			args := append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--log", "json"}, c.args...)
			go func() { done <- run(ctx, args, strings.NewReader(""), io.Discard, &errs) }()
			var base string
			re := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)`)
			for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if m := re.FindStringSubmatch(errs.String()); m != nil {
					base = m[1]
				}
			}
			if base == "" {
				t.Fatalf("serve did not start: %s", errs.String())
			}
			resp, err := http.Get(base + "/api/v1/quotes?speaker=omar")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !bytes.Contains(b, []byte("Mullah Omar")) {
				t.Errorf("quotes: %d %s", resp.StatusCode, b)
			}
			req, _ := http.NewRequest("POST", base+"/api/v1/articles?date=2015-07-20", strings.NewReader("The minister said on Monday that the talks in "+c.name+" would go on, the BBC reported."))
			req.Header.Set("Content-Type", "text/plain")
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			resp, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.write {
				t.Errorf("POST articles: %d, want %d", resp.StatusCode, c.write)
			}
			cancel()
			select {
			case code := <-done:
				if code != exitOK || !strings.Contains(errs.String(), "newsgraph serve: stopped") {
					t.Errorf("exit %d: %s", code, errs.String())
				}
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not stop")
			}
			if !strings.Contains(errs.String(), `"msg":"request"`) {
				t.Errorf("no JSON request log: %s", errs.String())
			}
		})
	}
}
