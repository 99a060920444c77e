package eval

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/newsgraph/newsgraph/internal/testutil"
)

func TestScorePage(t *testing.T) {
	tests := []struct {
		name, truth, pred string
		tp, fp, fn        float64
		exact             bool
	}{
		{"same", "one two three four five", "one two three four five", 1, 0, 0, true},
		{"same tokens, other punctuation", "One, two; three four—five.", "One two three four five", 1, 0, 0, true},
		{"extra", "a b c d", "a b c d e", 0.5, 0.5, 0, false},
		{"missing", "a b c d e", "a b c d", 0.5, 0, 0.5, false},
		{"short texts are one shingle", "a b", "a b", 1, 0, 0, true},
		{"empty prediction", "a b c d", "", 0, 0, 1, false},
		{"both empty", "", "", 0, 0, 0, true},
		{"unicode words", "Zoë Brontë said “café” 東京", "Zoë Brontë said café 東京", 1, 0, 0, true},
		{"repeats count", "a b c d a b c d", "a b c d", 1.0 / 5, 0, 4.0 / 5, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := ScorePage("x", tc.truth, tc.pred)
			if math.Abs(s.TP-tc.tp) > 1e-9 || math.Abs(s.FP-tc.fp) > 1e-9 || math.Abs(s.FN-tc.fn) > 1e-9 || s.Exact != tc.exact {
				t.Errorf("got tp %.3f fp %.3f fn %.3f exact %v, want %.3f %.3f %.3f %v", s.TP, s.FP, s.FN, s.Exact, tc.tp, tc.fp, tc.fn, tc.exact)
			}
		})
	}
}

func TestScoreExtractionMeans(t *testing.T) {
	// Precision and recall are means over pages; F1 comes from the two means.
	e := ScoreExtraction(map[string]string{"a": "a b c d", "b": "a b c d e"}, map[string]string{"a": "a b c d e", "b": ""})
	// Page a: tp .5 fp .5 → P .5, R 1. Page b: nothing predicted → no precision, R 0.
	if e.P != 0.5 || e.R != 0.5 || math.Abs(e.F1-0.5) > 1e-9 || e.Accuracy != 0 {
		t.Errorf("P %v R %v F1 %v acc %v", e.P, e.R, e.F1, e.Accuracy)
	}
}

// TestPublishedBaselines: the scorer reproduces the reference numbers of the published outputs on
// the dev pages (../shared/data/article-extraction/README.md).
func TestPublishedBaselines(t *testing.T) {
	dir := testutil.SharedData(t, "article-extraction")
	truth, err := ReadArticleBodies(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		system       string
		f1, p, r, ac float64
	}{
		{"go_trafilatura", 0.965, 0.948, 0.983, 0.233},
		{"go_readability", 0.951, 0.922, 0.982, 0.178},
		{"html-text", 0.690, 0.529, 0.994, 0.000},
	} {
		out, err := ReadArticleBodies(filepath.Join(dir, "baselines-dev", tc.system+".json"))
		if err != nil {
			t.Fatal(err)
		}
		dev := map[string]string{}
		for id := range out {
			dev[id] = truth[id]
		}
		e := ScoreExtraction(dev, out)
		if e.Pages != 90 || math.Abs(e.F1-tc.f1) > 0.0005 || math.Abs(e.P-tc.p) > 0.0005 || math.Abs(e.R-tc.r) > 0.0005 || math.Abs(e.Accuracy-tc.ac) > 0.0005 {
			t.Errorf("%s: pages %d F1 %.4f P %.4f R %.4f acc %.4f, want %.3f %.3f %.3f %.3f", tc.system, e.Pages, e.F1, e.P, e.R, e.Accuracy, tc.f1, tc.p, tc.r, tc.ac)
		}
	}
}

// TestExtractionFloor: newsgraph's extraction on the dev pages stays at or above go-trafilatura's
// published output (F1 0.965).
func TestExtractionFloor(t *testing.T) {
	dir := testutil.SharedData(t, "article-extraction")
	e, _, err := ExtractionBenchmark(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("pages %d, F1 %.4f, P %.4f, R %.4f, accuracy %.4f, no text %d", e.Pages, e.F1, e.P, e.R, e.Accuracy, e.Failed)
	if e.Pages != 90 || e.F1 < 0.965 || e.Failed > 0 {
		t.Errorf("extraction F1 %.4f on %d pages (%d without text), want ≥ 0.965 on 90", e.F1, e.Pages, e.Failed)
	}
}

// TestExtractionHalves: the two halves take every other page in id order.
func TestExtractionHalves(t *testing.T) {
	truth := map[string]string{"a": "one two three four five", "b": "one two three four five", "c": "six seven eight nine ten", "d": "x y z w v"}
	pred := map[string]string{"a": "one two three four five", "b": "", "c": "six seven eight nine ten", "d": ""}
	e := ScoreExtraction(truth, pred)
	if _, _, f := e.Half(0); f != 1 {
		t.Errorf("half 1 (a, c, both right): F1 %v", f)
	}
	if _, r, _ := e.Half(1); r != 0 {
		t.Errorf("half 2 (b, d, both empty): recall %v", r)
	}
}
