package ner

import (
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
)

// TestCluster checks clustering and outlet marks on hand-made entity spans, independent of the
// tagger's decisions.
func TestCluster(t *testing.T) {
	text := "Mullah Omar spoke. Omar left. The BBC said. BBC News agreed. AP reported. The Associated Press too. United Nations officials and the UN met. Washington said. Washington left. ISIS and ISIS. Bradford & Bingley and B&B."
	mark := func(sub, typ string, nth int) newsgraph.Span {
		i := -1
		for k := 0; k <= nth; k++ {
			i = strings.Index(text[i+1:], sub) + i + 1
		}
		return newsgraph.Span{Start: i, End: i + len(sub), Label: typ}
	}
	ents := []newsgraph.Span{
		mark("Mullah Omar", "PER", 0), mark("Omar", "PER", 1),
		mark("The BBC", "ORG", 0), mark("BBC News", "ORG", 0),
		mark("AP", "ORG", 0), mark("The Associated Press", "ORG", 0),
		mark("United Nations", "ORG", 0), mark("UN", "ORG", 1),
		mark("Washington", "LOC", 0), mark("Washington", "PER", 1),
		mark("ISIS", "ORG", 0), mark("ISIS", "MISC", 1),
		mark("Bradford & Bingley", "ORG", 0), mark("B&B", "ORG", 0),
	}
	lx, err := defaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	d := newsgraph.NewDoc(text, newsgraph.Meta{})
	cluster(d, ents, lx.outlets)
	c := func(i int) string { return ents[i].Attr("cluster") }
	same := [][2]int{{0, 1}, {2, 3}, {4, 5}, {6, 7}, {10, 11}, {12, 13}}
	for _, p := range same {
		if c(p[0]) != c(p[1]) {
			t.Errorf("%q and %q in different clusters", d.SpanText(ents[p[0]]), d.SpanText(ents[p[1]]))
		}
	}
	if c(8) == c(9) || c(0) == c(2) || c(2) == c(4) {
		t.Error("different entities share a cluster")
	}
	if ents[2].Attr("outlet") != "BBC" || ents[3].Attr("outlet") != "BBC" || ents[4].Attr("outlet") != "The Associated Press" || ents[4].Attr("outlet_kind") != "agency" {
		t.Errorf("outlets: %v %v %v", ents[2].Attrs, ents[3].Attrs, ents[4].Attrs)
	}
	if ents[0].Attr("outlet") != "" {
		t.Error("a person marked as an outlet")
	}
}

// TestClusterTitles: a person's title is not part of the name to match.
func TestClusterTitles(t *testing.T) {
	text := "Gordon Brown spoke. Mr Brown left. Dr. Ann Smith came. Mrs Smith sat. Mr Jones went. Elton John sang. St John prayed."
	var ents []newsgraph.Span
	for _, m := range []string{"Gordon Brown", "Mr Brown", "Dr. Ann Smith", "Mrs Smith", "Mr Jones", "Elton John", "St John"} {
		i := strings.Index(text, m)
		ents = append(ents, newsgraph.Span{Start: i, End: i + len(m), Label: "PER"})
	}
	cluster(newsgraph.NewDoc(text, newsgraph.Meta{}), ents, outlets{})
	c := func(i int) string { return ents[i].Attr("cluster") }
	if c(0) != c(1) || c(2) != c(3) || c(0) == c(2) || c(4) == c(0) || c(4) == c(2) {
		t.Errorf("clusters %s %s %s %s %s, want Brown, Brown, Smith, Smith, Jones", c(0), c(1), c(2), c(3), c(4))
	}
	if c(5) == c(6) {
		t.Error("St John joined Elton John: St is no person's title")
	}
}

func TestOutletsData(t *testing.T) {
	o, err := parseOutlets(outletsData)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"AP", "the Associated Press", "NYT", "WaPo", "Reuters", "AFP", "CNN", "BBC News"} {
		if _, ok := o.lookup(name); !ok {
			t.Errorf("%q is not an outlet", name)
		}
	}
	if _, err := parseOutlets("BBC\tbroadcaster\t\n"); err == nil {
		t.Error("a bad kind was accepted")
	}
}

func TestClusterOrderAndRecency(t *testing.T) {
	text := "Omar spoke. Mullah Omar left. John Smith came. Mary Smith came. Smith spoke. Michael Jordan played in Jordan. The Times wrote."
	find := func(sub string, nth int, typ string) newsgraph.Span {
		i := -1
		for k := 0; k <= nth; k++ {
			i = strings.Index(text[i+1:], sub) + i + 1
		}
		return newsgraph.Span{Start: i, End: i + len(sub), Label: typ}
	}
	ents := []newsgraph.Span{
		find("Omar", 0, "PER"), find("Mullah Omar", 0, "PER"),
		find("John Smith", 0, "PER"), find("Mary Smith", 0, "PER"), find("Smith", 2, "PER"),
		find("Michael Jordan", 0, "PER"), find("Jordan", 1, "LOC"), find("The Times", 0, "ORG"),
	}
	lx, _ := defaultLexicon()
	d := newsgraph.NewDoc(text, newsgraph.Meta{})
	cluster(d, ents, lx.outlets)
	c := func(i int) string { return ents[i].Attr("cluster") }
	if c(0) != c(1) {
		t.Error("Omar before Mullah Omar: two clusters")
	}
	if c(4) != c(3) || c(4) == c(2) {
		t.Error("a bare surname should join the person mentioned last")
	}
	if c(5) == c(6) {
		t.Error("the place Jordan joined the person Michael Jordan")
	}
	if ents[7].Attr("outlet") != "The Times" {
		t.Errorf("The Times: outlet %q", ents[7].Attr("outlet"))
	}
}

func TestConllForm(t *testing.T) {
	for in, want := range map[string]string{"n’t": "n't", "O’Brien": "O'Brien", "d’Ivoire": "d'Ivoire", "“": `"`, "—": "--", "word": "word"} {
		if got := conllForm(in); got != want {
			t.Errorf("conllForm(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRetype(t *testing.T) {
	lx, err := defaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	tg := (&Model{lex: lx}).NewTagger()
	words := []string{"The", "Taliban", "marked", "Ramadan", "in", "Jordan", "with", "Smith"}
	tags := []string{"O", "B-MISC", "O", "B-LOC", "O", "B-PER", "O", "B-LOC"}
	tg.retype(words, tags)
	if got := strings.Join(tags, " "); got != "O B-ORG O B-MISC O B-PER O B-LOC" {
		t.Errorf("retype: %s", got)
	}
}

// TestAcronym: initials of the capitalised words, dots and ampersands aside; marks alone are no
// acronym.
func TestAcronym(t *testing.T) {
	for _, c := range []struct {
		w    string
		name []string
		want bool
	}{
		{"UN", []string{"United", "Nations"}, true},
		{"U.N.", []string{"United", "Nations"}, true},
		{"B&B", []string{"Bradford", "&", "Bingley"}, true},
		{"AT&T", []string{"American", "Telephone", "&", "Telegraph"}, true},
		{"&&", []string{"the", "and"}, false},
		{"..", []string{"a", "b"}, false},
		{"BB", []string{"Bradford", "Bingley", "Building"}, false},
		{"UNO", []string{"United", "Nations"}, false},
		{"Un", []string{"United", "Nations"}, false},
		{"ÉU", []string{"États", "Unis"}, true},
		{"\xc3.\x89U", []string{"États", "Unis"}, false}, // invalid UTF-8 that the dot's removal would mend
	} {
		if got := acronym(c.w, c.name); got != c.want {
			t.Errorf("acronym(%q, %q) = %v", c.w, c.name, got)
		}
	}
}
