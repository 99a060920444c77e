package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

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
