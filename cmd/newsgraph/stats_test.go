package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestStats: the counts of a store with the example article stored, and a copy of it passed over.
func TestStats(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	if code, _, errs := runCLI(t, "", "ingest", "--db", db, "--date", "2015-07-16", example, example); code != 0 {
		t.Fatalf("ingest: %d %s", code, errs)
	}
	code, out, errs := runCLI(t, "", "stats", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("%d %s", code, errs)
	}
	var s statsJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if s.Articles != 1 || s.Stories != 1 || s.NearDuplicates != 0 || s.Entities < 10 || s.Attributions < 10 || s.Quotes < 3 || s.Timexes < 4 || s.Bytes < 10_000 {
		t.Errorf("stats %+v", s)
	}
	code, out, _ = runCLI(t, "", "stats", "--db", db)
	if code != 0 || !strings.Contains(out, "articles                       1") || !strings.Contains(out, "KB an article") {
		t.Errorf("table: %q", out)
	}
	if code, _, errs := runCLI(t, "", "stats", "--db", filepath.Join(t.TempDir(), "none.db")); code != exitFail || !strings.Contains(errs, "no store at") {
		t.Errorf("no store: %d %q", code, errs)
	}
}
