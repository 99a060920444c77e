package testutil

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/source"
)

// Seeds returns the texts of the example article and the golden-test cases, as seeds for fuzz
// targets.
func Seeds(t testing.TB) []string {
	t.Helper()
	root := RepoRoot(t)
	all, _ := filepath.Glob(filepath.Join(root, "engine", "testdata", "*.txt"))
	var files []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".golden.txt") {
			files = append(files, f)
		}
	}
	files = append(files, filepath.Join(root, "examples", "taliban-peace-talks.txt"))
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return append(out,
		"", " ", "\n\n", ". . .", "“", "”“", "'", "U.S.", "a.m.", "Mr.", "No. 5", "1.) a", "• 9. x • 10. y",
		"(c) 2024\r\n", "\u2029\u2028", "\u200b\u00a0\ufeff", "KABUL, July 15 (Reuters) -", "https://", "@", "#",
		"Tali\u00adban", "end.The", "—", "--", "9/11 3.5% $1.2bn", "[...]", "“a\n\n“b\n\n”",
	)
}

// Fuzz runs fn as a fuzz target over Seeds and the fuzzer's inputs, each decoded as newsgraph
// decodes input (source.Decode): inputs it refuses are skipped, as the program never analyses them.
func Fuzz(f *testing.F, fn func(t *testing.T, text string)) {
	for _, s := range Seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		dec, err := source.Decode([]byte(in))
		if err != nil {
			return
		}
		fn(t, dec.Text)
	})
}
