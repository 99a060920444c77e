// Package testutil holds helpers shared by the tests: golden files and the shared data sets.
package testutil

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Update rewrites golden files instead of comparing with them: go test ./... -update
var Update = flag.Bool("update", false, "rewrite golden files")

// Golden compares got with the golden file at path (rewriting it under -update), reporting the first
// differing lines on failure.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	shown := 0
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Errorf("%s:%d:\n  got:  %s\n  want: %s", path, i+1, g, w)
			if shown++; shown == 10 {
				break
			}
		}
	}
	t.Errorf("%s differs from the output (go test -update rewrites it after review)", path)
}

// RepoRoot returns the directory holding go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// SharedData returns the path of rel inside the project's shared data folder: $NEWSGRAPH_SHARED/data,
// or ../shared/data beside the repository. If it is missing the test is skipped, unless
// NEWSGRAPH_REQUIRE_DATA is set (as CI sets it), when it fails.
func SharedData(t testing.TB, rel string) string {
	t.Helper()
	base := os.Getenv("NEWSGRAPH_SHARED")
	if base == "" {
		base = filepath.Join(RepoRoot(t), "..", "shared")
	}
	p := filepath.Join(base, "data", rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("NEWSGRAPH_REQUIRE_DATA") != "" {
			t.Fatalf("shared data missing: %v", err)
		}
		t.Skipf("shared data not here: %v", err)
	}
	return p
}
