package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/models"
)

// TestSpeakerRankerReproduces: the committed speaker ranker (models/speakers/weights.tsv) is what
// its command, recorded in the file, writes.
func TestSpeakerRankerReproduces(t *testing.T) {
	bbc, pages := testutil.SharedData(t, "news-text/bbc"), testutil.SharedData(t, "article-extraction")
	out := filepath.Join(t.TempDir(), "weights.tsv")
	args := []string{"train", "speakers", "--bbc", bbc, "--pages", pages, "--cv", "5", "--out", out}
	for _, s := range []string{"speakers.tsv", "speakers-heldout.tsv", "speakers-pages.tsv"} {
		args = append(args, "--set", "../../attrib/testdata/"+s)
	}
	code, stdout, stderr := runCLI(t, "", args...)
	if code != exitOK {
		t.Fatalf("train speakers: %d\n%s\n%s", code, stdout, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// The command line recorded names the sets as given: compare past it.
	_, g, _ := strings.Cut(string(got), "\n")
	_, w, _ := strings.Cut(models.Speakers, "\n")
	if g != w {
		t.Errorf("the trained ranker differs from models/speakers/weights.tsv: retrain it with the command in its first line")
	}
	if code, _, stderr = runCLI(t, "", "train", "speakers", "--set", "x.tsv", "--out", out); code != exitUsage || !strings.Contains(stderr, "--cv") {
		t.Errorf("--out without --cv: %d %s", code, stderr)
	}
}
