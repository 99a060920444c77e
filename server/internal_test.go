package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/store/sqlite"
)

// TestPanic: a handler's panic is a JSON 500 without the stack, which goes to the log.
func TestPanic(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var log bytes.Buffer
	s, err := New(Config{Store: st, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	h := s.wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom at a secret place") }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/search", nil))
	if w.Code != 500 || strings.TrimSpace(w.Body.String()) != `{"status":500,"error":"internal error"}` {
		t.Errorf("%d %q", w.Code, w.Body.String())
	}
	if w.Header().Get("Content-Security-Policy") == "" {
		t.Error("no security headers")
	}
	if !strings.Contains(log.String(), "boom at a secret place") || !strings.Contains(log.String(), "goroutine") {
		t.Errorf("log: %s", log.String())
	}
}

// TestCursor: cursors round-trip and strangers are refused.
func TestCursor(t *testing.T) {
	for _, off := range []int{0, 1, 20, MaxDepth} {
		if got, ok := decodeCursor(encodeCursor(off)); !ok || got != off {
			t.Errorf("%d: %d %v", off, got, ok)
		}
	}
	for _, c := range []string{"", "cDE", "o", "b1", encodeCursor(MaxDepth + 1), "!!!", "by0x"} {
		if _, ok := decodeCursor(c); ok {
			t.Errorf("%q accepted", c)
		}
	}
}

// TestCacheGeneration: an answer computed across a write is not kept; the byte budget holds.
func TestCacheGeneration(t *testing.T) {
	c := newCache(time.Minute, 1000)
	gen := c.generation()
	c.clear() // a write while the query ran
	c.put("k", []byte("old"), gen)
	if _, ok := c.get("k"); ok {
		t.Error("an answer from before a write was kept")
	}
	c.put("k", []byte("new"), c.generation())
	if b, ok := c.get("k"); !ok || string(b) != "new" {
		t.Errorf("%q %v", b, ok)
	}
	c.put("big", make([]byte, maxEntryBytes+1), c.generation())
	if _, ok := c.get("big"); ok {
		t.Error("an answer over the entry cap was kept")
	}
	for i := 0; i < 100; i++ {
		c.put(fmt.Sprint(i), make([]byte, maxEntryBytes), c.generation())
	}
	if c.bytes > maxBytes || c.ll.Len() != maxBytes/maxEntryBytes {
		t.Errorf("%d bytes in %d entries", c.bytes, c.ll.Len())
	}
}

func TestClientAddr(t *testing.T) {
	for remote, want := range map[string]string{
		"192.0.2.7:1234":                "192.0.2.7",
		"[2001:db8:1:2:3:4:5:6]:443":    "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff:4:5:6]:443": "2001:db8:1:2::/64",
		"[::ffff:192.0.2.7]:80":         "192.0.2.7",
		"not an address":                "not an address",
	} {
		if got := clientAddr(&http.Request{RemoteAddr: remote}); got != want {
			t.Errorf("%s: %s, want %s", remote, got, want)
		}
	}
}

// TestServeGrace: a request still running when the grace ends is cancelled, and Serve returns
// without an error only once it has ended.
func TestServeGrace(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := New(Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	started, ended := make(chan struct{}), make(chan struct{})
	s.handler = s.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
		time.Sleep(50 * time.Millisecond)
		close(ended)
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln, 200*time.Millisecond) }()
	go http.Get("http://" + ln.Addr().String() + "/slow")
	<-started
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
		select {
		case <-ended:
		default:
			t.Error("Serve returned while a request was still running")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return")
	}
}
