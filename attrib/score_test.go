package attrib

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/models"
)

func set(ks ...int) map[int]bool {
	m := map[int]bool{}
	for _, k := range ks {
		m[k] = true
	}
	return m
}

func rel3(src, cue, con map[int]bool) tokRel { return tokRel{role: [3]map[int]bool{src, cue, con}} }

func TestMatches(t *testing.T) {
	gold := rel3(set(0, 1), set(2), set(4, 5, 6, 7))
	for _, c := range []struct {
		name      string
		pred      tokRel
		rel, full bool
	}{
		{"identical", rel3(set(0, 1), set(2), set(4, 5, 6, 7)), true, true},
		{"half the longer content", rel3(set(1), set(2, 3), set(4, 5)), true, true},
		{"under half", rel3(set(1), set(2), set(4)), false, false},
		{"longer predicted content", rel3(set(0), set(2), set(4, 5, 6, 7, 8, 9, 10, 11, 12)), false, false},
		{"cue not shared", rel3(set(0, 1), set(3), set(4, 5, 6, 7)), false, false},
		{"other source", rel3(set(9), set(2), set(4, 5, 6, 7)), true, false},
		{"no source", rel3(set(), set(2), set(4, 5, 6, 7)), true, false},
	} {
		if got := matches(c.pred, gold, false); got != c.rel {
			t.Errorf("%s: relation match %v, want %v", c.name, got, c.rel)
		}
		if got := matches(c.pred, gold, true); got != c.full {
			t.Errorf("%s: full match %v, want %v", c.name, got, c.full)
		}
	}
	if !matches(rel3(set(), set(2), set(4)), rel3(set(), set(2), set(4)), true) {
		t.Error("two relations without a source do not fully match")
	}
}

// TestScoreOneToOne: two predictions of one gold relation count once.
func TestScoreOneToOne(t *testing.T) {
	s := NewScores()
	g := rel3(set(0), set(1), set(2, 3))
	s.scoreDoc([]tokRel{g, g}, []tokRel{g})
	if s.Relation.Correct != 1 || s.Relation.Predicted != 2 || s.Relation.Gold != 1 {
		t.Errorf("relation counts %+v", s.Relation)
	}
	if p, r := s.Relation.P(), s.Relation.R(); p != 0.5 || r != 1 {
		t.Errorf("P %v R %v", p, r)
	}
	if s.Exact["content"].Correct != 1 || s.Overlap["content"].Correct != 2 || s.Overlap["content"].Predicted != 4 {
		t.Errorf("content exact %+v overlap %+v", *s.Exact["content"], *s.Overlap["content"])
	}
	var b strings.Builder
	s.Write(&b)
	if !strings.Contains(b.String(), "relation (full)") || !strings.Contains(b.String(), "content overlap") {
		t.Errorf("Write: %s", b.String())
	}
}

func TestLemma(t *testing.T) {
	for in, want := range map[string]string{
		"said": "say", "says": "say", "told": "tell", "claims": "claim", "claimed": "claim",
		"claiming": "claim", "denies": "deny", "announced": "announc", "announces": "announc",
		"us": "us", "press": "press",
	} {
		if got := lemma(in); got != want {
			t.Errorf("lemma(%q) = %q, want %q", in, got, want)
		}
	}
	if !isCueWord(lemma("maintains")) || !isCueWord(lemma("according")) || isCueWord(lemma("table")) {
		t.Error("isCueWord")
	}
}

// TestLoadPolNeAR reads a PolNeAR-style folder: code-point offsets, a discontinuous content, an
// article annotated twice (the lowest annotator id is used, or both with all), a span text holding
// a line break.
func TestLoadPolNeAR(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "text"), 0o755)
	os.MkdirAll(filepath.Join(dir, "attributions"), 0o755)
	text := "“Ça va,” José said, “très bien.”\n\nNext."
	os.WriteFile(filepath.Join(dir, "text", "a.txt"), []byte(text), 0o644)
	ann := "T1\tSource 9 13\tJosé\nT2\tCue 14 18\tsaid\nT3\tContent 0 8;20 32\t“Ça va,” “très bien.”\nT4\tAttribution 14 18\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\nT5\tDiscard 34 39\tNext.\n"
	os.WriteFile(filepath.Join(dir, "attributions", "a_4b22.ann"), []byte(ann), 0o644)
	os.WriteFile(filepath.Join(dir, "attributions", "a_ef2d.ann"), []byte("T1\tCue 14 18\tsaid\nT2\tContent 0 8\tx\ny\nE1\tAttribution-no-source:T1 Content:T2 Cue:T1\n"), 0o644)
	arts, err := LoadPolNeAR(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || len(arts[0].Relations) != 1 || !strings.HasSuffix(arts[0].Ann, "a_4b22.ann") {
		t.Fatalf("%+v", arts)
	}
	r := arts[0].Relations[0]
	if got := text[r.Source[0][0]:r.Source[0][1]]; got != "José" {
		t.Errorf("source %q", got)
	}
	if len(r.Content) != 2 || text[r.Content[1][0]:r.Content[1][1]] != "“très bien.”" {
		t.Errorf("content %v", r.Content)
	}
	all, err := LoadPolNeAR(dir, true)
	if err != nil || len(all) != 2 || len(all[1].Relations) != 1 || all[1].Relations[0].Source != nil {
		t.Errorf("with all annotators: %v %+v", err, all)
	}
	os.WriteFile(filepath.Join(dir, "attributions", "a_0000.ann"), []byte("T1\tCue 14 99\tsaid\nE1\tAttribution-no-source:T1 Content:T1 Cue:T1\n"), 0o644)
	if _, err := LoadPolNeAR(dir, false); err == nil || !strings.Contains(err.Error(), "a_0000.ann") {
		t.Errorf("offsets past the text: %v", err)
	}
	if _, err := LoadPolNeAR(t.TempDir(), false); err == nil {
		t.Error("an empty folder was accepted")
	}
}

func TestCueWordForms(t *testing.T) {
	for _, w := range []string{"say", "said", "says", "denies", "denied", "deny", "hoped", "hopes", "maintains", "according", "argued", "argues", "criticizes", "stresses", "replied", "statement", "statements"} {
		if !isCueWord(lemma(w)) {
			t.Errorf("%q (lemma %q) is not a cue word", w, lemma(w))
		}
	}
	for _, w := range []string{"table", "the", "went"} {
		if isCueWord(lemma(w)) {
			t.Errorf("%q is a cue word", w)
		}
	}
}

// TestLoadBytesRejects: a cut, padded or foreign model is refused with an error, never a panic.
func TestLoadBytesRejects(t *testing.T) {
	good := models.Attrib
	if _, err := LoadBytes(good); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 3, 5, 6, 10, 14, 20, 100, len(good) / 2, len(good) - 1} {
		if _, err := LoadBytes(good[:n]); err == nil {
			t.Errorf("a model cut at %d bytes was accepted", n)
		}
	}
	if _, err := LoadBytes(append(append([]byte(nil), good...), 0)); err == nil {
		t.Error("a model with a byte after it was accepted")
	}
	other := append([]byte(nil), good...)
	other[len(magic)+1] ^= 1 // the check value
	if _, err := LoadBytes(other); err == nil || !strings.Contains(err.Error(), "retrain") {
		t.Errorf("a model of other tags or lists: %v", err)
	}
}

// TestHangUnderOutletsNoLoop: an outlet's relation that already hangs under r is not made r's
// parent (that would loop), while a free one is.
func TestHangUnderOutletsNoLoop(t *testing.T) {
	mk := func(outlet string, con ...int) *rel {
		r := &rel{found: found{con: con}, content: set(con...), parent: -1}
		r.sp.outlet = outlet
		return r
	}
	r := mk("", 1, 2, 3, 4)
	o := mk("BBC", 1, 2, 3, 4, 5)
	o.parent = 2
	mid := mk("", 0, 1, 2, 3, 4, 5, 6)
	mid.parent = 0 // o -> mid -> r: r under o would close a loop
	rels := []*rel{r, o, mid}
	covering := map[int][]int{}
	for j, x := range rels {
		for _, k := range x.con {
			covering[k] = append(covering[k], j)
		}
	}
	hangUnderOutlets(rels, covering)
	if r.parent != -1 {
		t.Errorf("r hangs under %d: a loop", r.parent)
	}
	o.parent = -1
	hangUnderOutlets(rels, covering)
	if r.parent != 1 {
		t.Errorf("r hangs under %d, want the outlet's relation 1", r.parent)
	}
	if !descends(rels, mid, r) || descends(rels, r, mid) {
		t.Error("descends")
	}
}
