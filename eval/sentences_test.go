package eval

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestGUM scores a made-up document whose gold has one boundary the splitter cannot find (after
// "flag;") and one it finds that the gold does not have (inside "Mr. X said. It").
func TestGUM(t *testing.T) {
	dir := t.TempDir()
	text := "Title line\n\nIt rained. The flag changed; the old one stays.\n\nMr. Smith said no. Then he left.\n"
	// The gold splits at "changed;" and keeps the last paragraph as one sentence, so the splitter's
	// boundary after "no." is false.
	gold := []string{"Title line", "It rained.", "The flag changed;", "the old one stays.", "Mr. Smith said no. Then he left."}
	var tsv strings.Builder
	runes := []rune(text)
	pos := 0
	for _, g := range gold {
		i := strings.Index(string(runes[pos:]), g)
		if i < 0 {
			t.Fatalf("%q not in text", g)
		}
		start := pos + len([]rune(string(runes[pos:])[:i]))
		end := start + len([]rune(g))
		tsv.WriteString(strings.Join([]string{strconv.Itoa(start), strconv.Itoa(end), g}, "\t") + "\n")
		pos = end
	}
	write(t, filepath.Join(dir, "doc.txt"), text)
	write(t, filepath.Join(dir, "doc.sentences.tsv"), tsv.String())
	r, err := GUM(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.Docs != 1 || r.Gold != 5 {
		t.Fatalf("docs %d gold %d", r.Docs, r.Gold)
	}
	// Predicted ends: Title line, rained., stays., no., left. -> tp 4 (title, rained, stays, left),
	// fp 1 (no.), fn 1 (changed;).
	if r.All != (PRF{TP: 4, FP: 1, FN: 1}) {
		t.Errorf("all: %+v", r.All)
	}
	// Inside paragraphs: gold "changed;" (fn) and "rained." (tp); predicted "no." (fp).
	if r.Inner != (PRF{TP: 1, FP: 1, FN: 1}) {
		t.Errorf("inner: %+v", r.Inner)
	}
	if r.ExactSentences != 2 || len(r.Errors) != 2 {
		t.Errorf("exact %d errors %v", r.ExactSentences, r.Errors)
	}
	if got := r.All.F1(); got < 0.79 || got > 0.81 {
		t.Errorf("F1 %.3f, want 0.8", got)
	}
	if _, err := GUM(context.Background(), t.TempDir()); err == nil {
		t.Error("an empty directory scored")
	}
}

func TestGoldenRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.json")
	write(t, path, `[
 {"name": "1. Simple", "input": "Hello World. My name is Jonas.", "output": ["Hello World.", "My name is Jonas."]},
 {"name": "2. Wrong on purpose", "input": "Hello World. My name is Jonas.", "output": ["Hello World. My name is Jonas."]},
 {"name": "33.) List", "input": "broken input", "output": ["1) The first item", "2) The second item"]},
 {"name": "40. Newline", "input": "This is a sentence\ncut off in the middle.", "output": ["This is a sentence cut off in the middle."]}
]`)
	r, err := GoldenRules(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Cases != 4 || r.Passed != 3 || len(r.Failed) != 1 || !strings.HasPrefix(r.Failed[0], "2. Wrong") {
		t.Errorf("%+v", r)
	}
	write(t, path, "not json")
	if _, err := GoldenRules(context.Background(), path); err == nil {
		t.Error("bad JSON accepted")
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
