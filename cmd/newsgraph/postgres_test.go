package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/store"
)

// pgStore is a PostgreSQL store of the test's own on the server of NEWSGRAPH_PG.
func pgStore(t *testing.T) string {
	t.Helper()
	return testutil.PGSchema(t, testutil.Service(t, "NEWSGRAPH_PG"), "cli_", t.Name())
}

// TestPostgresCommands: every command that takes --db takes a postgres:// URL.
func TestPostgresCommands(t *testing.T) {
	db := pgStore(t)
	if code, _, errs := runCLI(t, "", "ingest", "--db", db, "--date", "2015-07-16", example, example); code != 0 || !strings.Contains(errs, "1 stored") {
		t.Fatalf("ingest: %d %s", code, errs)
	}
	code, out, errs := runCLI(t, "", "search", "--db", db, "--json", "--speaker", "omar", "talks")
	var hits []store.HitRow
	if code != 0 || json.Unmarshal([]byte(out), &hits) != nil || len(hits) != 1 || !strings.Contains(hits[0].Snippet, "[") {
		t.Errorf("search: %d %s %s", code, out, errs)
	}
	code, out, _ = runCLI(t, "", "quotes", "--db", db, "--json", "--speaker", "Mullah Omar")
	if code != 0 || !strings.Contains(out, `"chain":["Newsmax","BBC","Mullah Omar"]`) {
		t.Errorf("quotes: %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", "sources", "--db", db, "--json")
	if code != 0 || !strings.Contains(out, `"publisher":"Newsmax","cited":"BBC"`) {
		t.Errorf("sources: %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", "stats", "--db", db, "--json")
	if code != 0 || !strings.Contains(out, `"articles":1,`) {
		t.Errorf("stats: %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", "show", "--db", db, "1")
	if code != 0 || !strings.HasPrefix(out, `{"schema":"newsgraph/v1"`) {
		t.Errorf("show: %d %.80s", code, out)
	}
	// serve on it, two at once (several servers may share one database).
	for i := 0; i < 2; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var errs syncBuffer
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--read-only", "--no-analyze"}, strings.NewReader(""), io.Discard, &errs)
		}()
		base := ""
		re := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)`)
		for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if m := re.FindStringSubmatch(errs.String()); m != nil {
				base = m[1]
			}
		}
		if base == "" || strings.Contains(errs.String(), "password") {
			t.Fatalf("serve: %s", errs.String())
		}
		resp, err := http.Get(base + "/articles/1")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), `<span class="link">BBC</span> <span class="arrow">→</span> <span class="link">Mullah Omar</span>`) {
			t.Errorf("serve %d: the article page: %d", i, resp.StatusCode)
		}
		defer func() { cancel(); <-done }()
	}
}
