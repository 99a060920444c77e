package web

import (
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
)

func mustLayer(t *testing.T, d *newsgraph.Doc, name string, spans []newsgraph.Span) {
	t.Helper()
	if err := d.SetLayer(name, spans); err != nil {
		t.Fatal(err)
	}
}

// TestViewSpeakers: a described speaker ("officials") tints their quotation and has a tint in the
// panel, but no page; an unnamed source takes no tint; a guess is marked.
func TestViewSpeakers(t *testing.T) {
	text := `"We will never surrender," officials said. "Talks are over," he added. "Maybe," someone said.`
	d := newsgraph.NewDoc(text, newsgraph.Meta{})
	at := func(s string) (int, int) { i := strings.Index(text, s); return i, i + len(s) }
	q1s, q1e := at(`"We will never surrender,"`)
	q2s, q2e := at(`"Talks are over,"`)
	q3s, q3e := at(`"Maybe,"`)
	src, srcE := at("officials")
	mustLayer(t, d, newsgraph.LayerAttributions, []newsgraph.Span{
		{Start: q1s, End: srcE + len(" said"), Label: "direct", ID: "a1", Attrs: []newsgraph.Attr{{Key: "speaker_name", Value: "officials"}, {Key: "speaker_kind", Value: "description"}}},
		{Start: q2s, End: q2e + len(" he added"), Label: "direct", ID: "a2", Attrs: []newsgraph.Attr{{Key: "speaker_guess", Value: "Mullah Omar"}, {Key: "speaker_confidence", Value: "0.41"}}},
		{Start: q3s, End: q3e + len(" someone said"), Label: "direct", ID: "a3"},
	})
	mustLayer(t, d, newsgraph.LayerAttributionRoles, []newsgraph.Span{{Start: src, End: srcE, Label: "source", Attrs: []newsgraph.Attr{{Key: "attribution", Value: "a1"}}}})
	mustLayer(t, d, newsgraph.LayerQuotes, []newsgraph.Span{
		{Start: q1s, End: q1e, ID: "q1", Attrs: []newsgraph.Attr{{Key: "attribution", Value: "a1"}}},
		{Start: q2s, End: q2e, ID: "q2", Attrs: []newsgraph.Attr{{Key: "attribution", Value: "a2"}}},
		{Start: q3s, End: q3e, ID: "q3", Attrs: []newsgraph.Attr{{Key: "attribution", Value: "a3"}}},
	})
	v := view(d)
	if len(v.Speakers) != 3 {
		t.Fatalf("speakers %+v", v.Speakers)
	}
	off, omar, unnamed := v.Speakers[0], v.Speakers[1], v.Speakers[2]
	if off.Name != "officials" || !off.Named || off.Href != "" || off.Tint != 0 {
		t.Errorf("officials: %+v", off)
	}
	if omar.Name != "Mullah Omar" || !omar.Guess || omar.Href == "" || omar.Tint != 1 {
		t.Errorf("the guess: %+v", omar)
	}
	if unnamed.Named || unnamed.Href != "" {
		t.Errorf("unnamed: %+v", unnamed)
	}
	classes := map[string]string{}
	for _, p := range v.Paragraphs {
		for _, s := range p.Segments {
			classes[s.Text] = s.Classes
		}
	}
	for q, want := range map[string]string{`"We will never surrender,"`: "q s0", `"Talks are over,"`: "q s1 guess", `"Maybe,"`: "q qn"} {
		if classes[q] != want {
			t.Errorf("%s: classes %q, want %q", q, classes[q], want)
		}
	}
}

// TestSegments: overlapping marks cut the text into pieces that cover it once, in order, each
// with every mark over it; a mark running past the paragraph is clipped to it.
func TestSegments(t *testing.T) {
	text := "Mullah Omar said on Wednesday."
	marks := []mark{{0, 11, "ent ent-PER", "person", "", ""}, {7, 11, "src", "source", "", ""}, {20, 29, "tx", "date", "2015-07-15", ""}, {12, 40, "q s0", "q", "", "q-q1"}}
	segs := segments(text, 0, len(text), marks)
	var all strings.Builder
	for _, s := range segs {
		all.WriteString(s.Text)
	}
	if all.String() != text {
		t.Fatalf("pieces %q", all.String())
	}
	want := []string{"Mullah |ent ent-PER", "Omar|ent ent-PER src", " |", "said on |q s0", "Wednesday|tx q s0", ".|q s0"}
	var got []string
	for _, s := range segs {
		got = append(got, s.Text+"|"+s.Classes)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("segments:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, s := range segs {
		if s.Text == "Wednesday" && s.Value != "2015-07-15" {
			t.Errorf("the date's value: %+v", s)
		}
		if s.Text == "said on " && s.Href != "q-q1" {
			t.Errorf("the quotation's anchor: %+v", s)
		}
	}
}

func TestSpeakerPath(t *testing.T) {
	for name, want := range map[string]string{
		"Mullah Omar": "/speakers/Mullah%20Omar", "AC/DC": "/speakers/AC%2FDC", "..": "/speakers/%2E%2E", ".": "/speakers/%2E",
		"Mr. Smith": "/speakers/Mr.%20Smith", "100%": "/speakers/100%25",
	} {
		if got := SpeakerPath(name); got != want {
			t.Errorf("%q: %q, want %q", name, got, want)
		}
	}
}

func TestMarked(t *testing.T) {
	got := marked("The mayor [sic] said the \x02bridge\x03 would close… \x02Bridge\x03")
	var b strings.Builder
	for _, p := range got {
		if p.Mark {
			b.WriteString("<" + p.Text + ">")
		} else {
			b.WriteString(p.Text)
		}
	}
	if b.String() != "The mayor [sic] said the <bridge> would close… <Bridge>" {
		t.Errorf("%q", b.String())
	}
}
