package ner

import (
	"math/rand"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/newsgraph/newsgraph/conll"
	"github.com/newsgraph/newsgraph/internal/testutil"
)

// TestClassesRoundTrip: a word-class file gives back each word's class, as written, in lower case,
// and (for a word in capitals) capitalised, a multi-byte first letter too.
func TestClassesRoundTrip(t *testing.T) {
	b, err := EncodeClasses([]string{"0", "01", "1/2/3"}, map[string]int{"Kabul": 0, "talks": 1, "École": 2})
	if err != nil {
		t.Fatal(err)
	}
	wc, err := ParseClasses(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		w, lower string
		want     int
	}{{"Kabul", "kabul", 0}, {"KABUL", "kabul", 0}, {"Talks", "talks", 1}, {"ÉCOLE", "école", 2}, {"École", "école", 2}, {"Sondland", "sondland", -1}} {
		if got := wc.lookup(c.w, c.lower); got != c.want {
			t.Errorf("lookup(%q) = %d, want %d", c.w, got, c.want)
		}
	}
	if wc.Len() != 3 || !slices.Equal(wc.Labels(), []string{"0", "01", "1/2/3"}) {
		t.Errorf("%d words, labels %q", wc.Len(), wc.Labels())
	}
	if _, err := EncodeClasses([]string{"0"}, map[string]int{"x": 1}); err == nil {
		t.Error("a word of no class was encoded")
	}
}

// TestGazetteerBin: the binary gazetteer gives back each phrase's categories and prefixes, and
// refuses to write what it could not read.
func TestGazetteerBin(t *testing.T) {
	b, err := EncodeGazetteerBin([]string{"A", "B"}, map[string][]string{"new york": {"A"}, "york": {"B"}, "new york times": {"A", "B"}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := ParseGazetteerBin(b)
	if err != nil {
		t.Fatal(err)
	}
	if m := g.mask(phraseHash([]string{"new", "york"})); m&^prefixBit != 1 || m&prefixBit == 0 {
		t.Errorf("new york: mask %b", m)
	}
	if m := g.mask(phraseHash([]string{"new", "york", "times"})); m != 3 {
		t.Errorf("new york times: mask %b", m)
	}
	if g.mask(phraseHash([]string{"boston"})) != 0 {
		t.Error("an unlisted phrase is listed")
	}
	if _, err := EncodeGazetteerBin([]string{"A"}, map[string][]string{"foo": nil}); err == nil {
		t.Error("a phrase of no category was encoded (its file would not parse)")
	}
}

// TestResourceFilesHostile: damaged resource files give errors, never a panic.
func TestResourceFilesHostile(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for name, tc := range map[string]struct {
		data  []byte
		parse func([]byte) error
	}{
		"brown-rcv1": {brownRCV1Data, func(b []byte) error { _, err := ParseClasses(b); return err }},
		"freebase":   {freebaseData, func(b []byte) error { _, err := ParseGazetteerBin(b); return err }},
	} {
		for i := 0; i < 300; i++ {
			b := slices.Clone(tc.data)
			if i%2 == 0 {
				b = b[:rng.Intn(len(b)+1)]
			} else {
				b[rng.Intn(min(len(b), 64))] = byte(rng.Intn(256))
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s: a panic: %v", name, r)
					}
				}()
				tc.parse(b)
			}()
		}
	}
}

// TestClassDropout: one draw a word type drops every class it has, for about the share asked.
func TestClassDropout(t *testing.T) {
	l, err := defaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if err := l.load(ResRCV1 | ResGloVe); err != nil {
		t.Fatal(err)
	}
	sets := l.sets(ResRCV1 | ResGloVe)
	unknowns := func(w string, dropout float64) int {
		in := newWordInfo(token{word: w, lower: w})
		classFeatures(in, sets, dropout)
		n := 0
		for _, cs := range sets {
			if slices.Contains(in.classOwn, cs.unknown) {
				n++
			}
		}
		return n
	}
	// News words both resources know.
	var words []string
	for _, line := range strings.Split(caseData, "\n") {
		if w, _, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(w, "#") && unknowns(w, 0) == 0 {
			words = append(words, w)
		}
	}
	if len(words) < 5000 {
		t.Fatalf("%d words known to both resources", len(words))
	}
	all := 0
	for _, w := range words {
		switch unknowns(w, 0.08) {
		case len(sets):
			all++
		case 0:
		default:
			t.Fatalf("%q lost the classes of one resource only", w)
		}
	}
	if share := float64(all) / float64(len(words)); share < 0.06 || share > 0.10 {
		t.Errorf("%.3f of %d words lost their classes, want about 0.08", share, len(words))
	}
}

// TestRules: the document rules on their own: a surname after a full name is a person unless it
// is a place, a name particle joins the name, and the output is valid IOB2.
func TestRules(t *testing.T) {
	l, err := defaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ words, tags, want string }{
		{"Gordon Sondland spoke . | Sondland said", "B-PER I-PER O O | B-ORG O", "B-PER I-PER O O | B-PER O"},
		{"Jack London wrote . | London police", "B-PER I-PER O O | B-LOC O", "B-PER I-PER O O | B-LOC O"},
		{"Kanye West sang . | the West said", "B-PER I-PER O O | O B-MISC O", "B-PER I-PER O O | O B-MISC O"},
		{"Abu Bakr al-Baghdadi spoke", "B-PER I-PER O O", "B-PER I-PER I-PER O"},
		{"Abu Bakr al-Baghdadi spoke", "B-PER I-PER B-MISC O", "B-PER I-PER I-PER O"},
		{"Osama bin Laden spoke", "B-PER O O O", "B-PER I-PER I-PER O"},
		{"the al-Qaeda leader", "O B-ORG O", "O B-ORG O"},
	} {
		var sents, tags [][]string
		for i, s := range strings.Split(c.words, " | ") {
			sents = append(sents, strings.Fields(s))
			tags = append(tags, strings.Fields(strings.Split(c.tags, " | ")[i]))
		}
		for i := range tags {
			particles(sents[i], tags[i])
		}
		surnames(sents, tags, false, l.gaz.isPlace)
		var got []string
		for _, ts := range tags {
			got = append(got, strings.Join(ts, " "))
		}
		if g := strings.Join(got, " | "); g != c.want {
			t.Errorf("%s: %s, want %s", c.words, g, c.want)
		}
	}
}

// TestTaggerReuse: a tagger reused from document to document (as the pool keeps them, word sums
// and all) tags as a fresh one does and as the training path's features score, on every dev
// document; and taggers of a model and its copies run at once (go test -race).
func TestTaggerReuse(t *testing.T) {
	f, err := os.Open(testutil.SharedData(t, "conll2003/dev.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cd, err := conll.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	var docs [][][]string
	for _, d := range cd {
		var s [][]string
		for _, x := range d.Sentences {
			s = append(s, x.Tokens())
		}
		docs = append(docs, s)
	}
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	reused := m.NewTagger()
	for i, d := range docs {
		a, b, c := reused.tagIDs(d), m.NewTagger().tagIDs(d), tagStages(m, d)
		if !slices.EqualFunc(a, b, slices.Equal[[]int]) || !slices.EqualFunc(b, c, slices.Equal[[]int]) {
			t.Fatalf("document %d: a reused tagger, a fresh one and the training path's features disagree", i)
		}
	}
	other, _ := m.WithConsistency("untagged")
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		mm := []*Model{m, other}[g%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, d := range docs[:20] {
				tg := mm.pooledTagger()
				tg.TagDocument(d)
				mm.taggers.Put(tg)
			}
		}()
	}
	wg.Wait()
}
