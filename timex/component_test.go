package timex_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
)

// TestSpans pins what the component finds in short texts, dated 2015-07-16: spans (with multi-byte
// text around them), types, values and anchors.
func TestSpans(t *testing.T) {
	p, err := engine.Timex()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		text string
		want []string // "text|TYPE|value|anchor"
	}{
		{"Next year they may fall, the minister said.", []string{"Next year|DATE|2016|dct"}},
		{"“Wednesday’s message” — released on Wednesday — came a week after the talks.", []string{"Wednesday|DATE|2015-07-15|dct", "Wednesday|DATE|2015-07-15|dct", "a week|DURATION|P1W|"}},
		{"The court met on 15/07/2015 and again on July 20, 2015. The next day it adjourned.", []string{"15/07/2015|DATE|2015-07-15|", "July 20, 2015|DATE|2015-07-20|", "next day|DATE|2015-07-21|t2"}},
		{"Shares fell 20% last year and prices march on, as they do every Monday.", []string{"last year|DATE|2014|dct", "every Monday|SET|XXXX-WXX-1|"}},
		{"Café owners in Zürich close at 9 p.m. on Christmas Eve.", []string{"9 p.m.|TIME|2015-07-16T21:00|dct", "Christmas Eve|DATE|2015-12-24|dct"}},
		// British and Irish copy: the day before the month, with no year.
		{"The talks resumed on 28 December and ended on the 2nd of January.", []string{"28 December|DATE|2014-12-28|dct", "the 2nd of January|DATE|2015-01-02|dct"}},
		{"Shops opened on Boxing Day, as they have for decades.", []string{"Boxing Day|DATE|2014-12-26|dct", "decades|DURATION|PXDE|"}},
		// Ramadan 2015 ran from 18 June to 16 July: the month most of it falls in; its start and end are days.
		{"Fighting paused during Ramadan and resumed at the end of Ramadan, as at the start of Ramadan.", []string{"Ramadan|DATE|2015-07|dct", "the end of Ramadan|DATE|2015-07-16|dct", "the start of Ramadan|DATE|2015-06-18|dct"}},
	}
	for _, c := range cases {
		d := newsgraph.NewDoc(c.text, newsgraph.Meta{Date: "2015-07-16"})
		if err := p.Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, x := range d.Layer(newsgraph.LayerTimexes) {
			got = append(got, strings.Join([]string{d.SpanText(x), x.Label, x.Attr("value"), x.Attr("anchor")}, "|"))
		}
		if strings.Join(got, "; ") != strings.Join(c.want, "; ") {
			t.Errorf("%q:\n got %q\nwant %q", c.text, got, c.want)
		}
	}
}

// TestNoDateDiagnostic: relative dates in a document without a date say why they have no year.
func TestNoDateDiagnostic(t *testing.T) {
	p, err := engine.Timex()
	if err != nil {
		t.Fatal(err)
	}
	d := newsgraph.NewDoc("The talks resumed on 28 December and ended on 2 January.", newsgraph.Meta{})
	if err := p.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if len(d.Diagnostics) != 1 || !strings.Contains(d.Diagnostics[0].Message, "no date") || !strings.Contains(d.Diagnostics[0].Message, "2 relative") {
		t.Errorf("diagnostics %+v", d.Diagnostics)
	}
	d = newsgraph.NewDoc("The talks resumed on 28 December 2014.", newsgraph.Meta{})
	p.Process(context.Background(), d)
	if len(d.Diagnostics) != 0 {
		t.Errorf("a full date needs no document date: %+v", d.Diagnostics)
	}
}

// TestDatelineDate: with no date given, a dateline that names the year is the document date.
func TestDatelineDate(t *testing.T) {
	p, err := engine.Timex()
	if err != nil {
		t.Fatal(err)
	}
	d := newsgraph.NewDoc("KABUL, July 15, 2015 (Reuters) - The Taliban leader said on Wednesday that talks could resume next week.\n", newsgraph.Meta{})
	if err := p.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, x := range d.Layer(newsgraph.LayerTimexes) {
		got[d.SpanText(x)] = x.Attr("value") + " " + x.Attr("anchor")
	}
	if got["Wednesday"] != "2015-07-15 dct" || got["next week"] != "2015-W30 dct" {
		t.Errorf("got %v", got)
	}
}
