package format

import (
	"errors"
	"strings"
	"testing"
)

const tml = `<?xml version="1.0" ?>
<TimeML>
<DOCID>X1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2015-07-16" functionInDocument="CREATION_TIME">July 16, 2015</TIMEX3></DCT>
<TEXT>
KABUL &amp; Doha — The Taliban <EVENT eid="e1">met</EVENT> <TIMEX3 tid="t1" type="DATE" value="2015-07-15">Wednesday</TIMEX3>, “for <TIMEX3 tid="t2" type="DURATION" value="PT3H">three hours</TIMEX3>”.
</TEXT>
</TimeML>
`

func TestReadTimeML(t *testing.T) {
	d, err := ReadTimeML(strings.NewReader(tml))
	if err != nil {
		t.Fatal(err)
	}
	if d.DCT != "2015-07-16" {
		t.Errorf("DCT %q", d.DCT)
	}
	wantText := "\nKABUL & Doha — The Taliban met Wednesday, “for three hours”.\n"
	if d.Text != wantText {
		t.Errorf("text %q, want %q", d.Text, wantText)
	}
	want := []struct{ text, tid, typ, value string }{
		{"Wednesday", "t1", "DATE", "2015-07-15"},
		{"three hours", "t2", "DURATION", "PT3H"},
	}
	if len(d.Timexes) != len(want) {
		t.Fatalf("%d timexes, want %d", len(d.Timexes), len(want))
	}
	for i, w := range want {
		x := d.Timexes[i]
		if got := d.Text[x.Start:x.End]; got != w.text || x.TID != w.tid || x.Type != w.typ || x.Value != w.value {
			t.Errorf("timex %d: %q %s %s %s, want %+v", i, got, x.TID, x.Type, x.Value, w)
		}
	}
}

// TestWriteTimeML: tags go around the expressions given, existing TIMEX3 tags inside TEXT are
// replaced, other tags and every other byte are kept, and the output reads back to the same text.
func TestWriteTimeML(t *testing.T) {
	d, err := ReadTimeML(strings.NewReader(tml))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(d.Text, "Wednesday")
	j := strings.Index(d.Text, "Taliban")
	xs := []TimexOut{
		{Start: i, End: i + len("Wednesday"), Type: "DATE", Value: "2015-07-15", Anchor: "t0"},
		{Start: j - 4, End: j + len("Taliban met"), Type: "DATE", Value: "X"}, // crosses <EVENT>: left out
	}
	var b strings.Builder
	skipped, err := WriteTimeML(&b, d, xs)
	if err != nil {
		t.Fatal(err)
	}
	if skipped != 1 {
		t.Errorf("skipped %d, want 1", skipped)
	}
	out := b.String()
	wantPart := `<EVENT eid="e1">met</EVENT> <TIMEX3 tid="t1" type="DATE" value="2015-07-15" anchorTimeID="t0">Wednesday</TIMEX3>, “for three hours”.`
	if !strings.Contains(out, wantPart) {
		t.Errorf("output lacks %q:\n%s", wantPart, out)
	}
	if !strings.HasPrefix(out, tml[:strings.Index(tml, "<TEXT>")]) || !strings.HasSuffix(out, "</TEXT>\n</TimeML>\n") {
		t.Errorf("bytes outside TEXT changed:\n%s", out)
	}
	back, err := ReadTimeML(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if back.Text != d.Text || len(back.Timexes) != 1 {
		t.Errorf("read back: text %q, %d timexes", back.Text, len(back.Timexes))
	}
}

// TestWriteTimeMLPlain: on a .TE3input-style file (no tags in TEXT), taking our tags out again
// gives the input byte for byte.
func TestWriteTimeMLPlain(t *testing.T) {
	in := "<TimeML><DCT><TIMEX3 tid=\"t0\" value=\"1998-02-13\">x</TIMEX3></DCT><TEXT>It rained on Friday &amp; Saturday.\r\n</TEXT></TimeML>"
	d, err := ReadTimeML(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	a := strings.Index(d.Text, "Friday")
	c := strings.Index(d.Text, "Saturday")
	var b strings.Builder
	if _, err := WriteTimeML(&b, d, []TimexOut{{Start: c, End: c + 8, Type: "DATE", Value: "1998-02-14"}, {Start: a, End: a + 6, Type: "DATE", Value: "1998-02-13"}}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, `<TIMEX3 tid="t1" type="DATE" value="1998-02-13">Friday</TIMEX3> &amp; <TIMEX3 tid="t2" type="DATE" value="1998-02-14">Saturday</TIMEX3>`) {
		t.Errorf("got %s", out)
	}
	stripped := strings.Replace(out, `<TIMEX3 tid="t1" type="DATE" value="1998-02-13">Friday</TIMEX3>`, "Friday", 1)
	stripped = strings.Replace(stripped, `<TIMEX3 tid="t2" type="DATE" value="1998-02-14">Saturday</TIMEX3>`, "Saturday", 1)
	if stripped != in {
		t.Errorf("input not kept:\n got %q\nwant %q", stripped, in)
	}
}

func TestReadTimeMLErrors(t *testing.T) {
	for name, in := range map[string]string{
		"no TEXT":      "<TimeML><DCT></DCT></TimeML>",
		"unclosed tag": "<TEXT>a <EVENT eid=\"e1\">b</TEXT>",
		"stray close":  "<TEXT>a </EVENT> b</TEXT>",
		"broken tag":   "<TEXT>a <EVENT b</TEXT>",
		"not UTF-8":    "<TEXT>a \xff b</TEXT>",
	} {
		if _, err := ReadTimeML(strings.NewReader(in)); !errors.Is(err, ErrTimeML) {
			t.Errorf("%s: got %v, want ErrTimeML", name, err)
		}
	}
}

// TestTimeMLOddTags: a comment inside an element does not hide its closing tag from the crossing
// check, tag names end at any white space, and offsets inside a character are refused.
func TestTimeMLOddTags(t *testing.T) {
	in := "<TimeML><TEXT>Sales <EVENT\neid=\"e1\">rose last<!-- note --></EVENT> week “now”.</TEXT></TimeML>"
	d, err := ReadTimeML(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(d.Text, "last")
	q := strings.Index(d.Text, "“")
	var b strings.Builder
	skipped, err := WriteTimeML(&b, d, []TimexOut{
		{Start: i, End: i + len("last week"), Type: "DATE", Value: "X"}, // crosses </EVENT>
		{Start: q + 1, End: q + 4, Type: "DATE", Value: "Y"},            // starts inside “
	})
	if err != nil || skipped != 2 || b.String() != in {
		t.Errorf("skipped %d, err %v, output %q", skipped, err, b.String())
	}
}
