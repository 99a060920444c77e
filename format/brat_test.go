package format

import (
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
)

func TestReadBrat(t *testing.T) {
	ann := "T1\tSource 0 4\tJosé\n" +
		"T2\tCue 5 9\tsaid\n" +
		"T3\tContent 10 14;20 25\t“Oui” … done\n" +
		"T4\tAttribution 5 9\tsaid\n" +
		"E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n" +
		"#1\tAnnotatorNotes T3\ta note\n" +
		"T5\tContent 30 40\ta span text with a\n" +
		"line break inside\n" +
		"E2\tAttribution-no-source:T4 Content:T5 Cue:T2\n"
	b, err := ReadBrat(strings.NewReader(ann))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Texts) != 5 || len(b.Events) != 2 {
		t.Fatalf("%d texts, %d events", len(b.Texts), len(b.Events))
	}
	if p := b.Texts["T3"].Pieces; len(p) != 2 || p[1] != [2]int{20, 25} {
		t.Errorf("T3 pieces %v", p)
	}
	if e := b.Events[0]; e.Type != "Attribution" || e.Trigger != "T4" || e.Arg("Source") != "T1" || e.Arg("Content") != "T3" {
		t.Errorf("E1 = %+v", e)
	}
	if e := b.Events[1]; e.Type != "Attribution-no-source" || e.Arg("Source") != "" {
		t.Errorf("E2 = %+v", e)
	}
	for _, bad := range []string{"T1\tSource 4\tx\n", "T1\tSource 5 4\tx\n", "T1\tSource a b\tx\n", "E1\tAttribution\n", "E1\tAttribution:T1 Cue\n"} {
		if _, err := ReadBrat(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadBrat(%q) accepted", bad)
		}
	}
}

// TestWriteBrat writes the attributions of a document with multi-byte text and reads them back:
// offsets are code points, one more after a removed byte-order mark.
func TestWriteBrat(t *testing.T) {
	text := "“Ça va,” José said — and “bien.”"
	d := newsgraph.NewDoc(text, newsgraph.Meta{})
	at := func(s string, nth int) (int, int) {
		i := -1
		for k := 0; k <= nth; k++ {
			i += 1 + strings.Index(text[i+1:], s)
		}
		return i, i + len(s)
	}
	span := func(label, s string, nth int) newsgraph.Span {
		a, b := at(s, nth)
		return newsgraph.Span{Start: a, End: b, Label: label, Attrs: []newsgraph.Attr{{Key: "attribution", Value: "a1"}}}
	}
	roles := []newsgraph.Span{span("content", "“Ça va,”", 0), span("source", "José", 0), span("cue", "said", 0), span("content", "“bien.”", 0)}
	if err := d.SetLayer(newsgraph.LayerAttributionRoles, roles); err != nil {
		t.Fatal(err)
	}
	if err := d.SetLayer(newsgraph.LayerAttributions, []newsgraph.Span{{Start: 0, End: len(text), Label: "direct", ID: "a1"}}); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteBrat(&b, d); err != nil {
		t.Fatal(err)
	}
	want := "T1\tSource 9 13\tJosé\n" +
		"T2\tCue 14 18\tsaid\n" +
		"T3\tContent 0 8;25 32\t“Ça va,” “bien.”\n" +
		"T4\tAttribution 14 18\tsaid\n" +
		"E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	runes := []rune(text)
	if string(runes[9:13]) != "José" || string(runes[25:32]) != "“bien.”" {
		t.Fatal("the expected offsets are wrong")
	}
	d.Meta.Input.BOM = true
	b.Reset()
	WriteBrat(&b, d)
	if !strings.HasPrefix(b.String(), "T1\tSource 10 14\t") {
		t.Errorf("with a byte-order mark: %q", b.String()[:24])
	}
}
