package timex

import (
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestResolve pins the value of expressions against a document date (Thursday 2015-07-16), with
// the tense and reference time given.
func TestResolve(t *testing.T) {
	dct := day("2015-07-16")
	cases := []struct {
		words string
		typ   string
		tense int
		ref   string // a day already mentioned, or ""
		want  string // TYPE VALUE [MOD]
	}{
		{"Wednesday", "DATE", -1, "", "DATE 2015-07-15"},
		{"Wednesday", "DATE", 1, "", "DATE 2015-07-22"},
		{"Thursday", "DATE", -1, "", "DATE 2015-07-16"},
		{"last Friday", "DATE", 0, "", "DATE 2015-07-10"},
		{"next Monday", "DATE", 0, "", "DATE 2015-07-20"},
		{"Wednesday night", "DATE", -1, "", "DATE 2015-07-15TNI"},
		{"today", "DATE", 0, "", "DATE 2015-07-16"},
		{"yesterday", "DATE", 0, "", "DATE 2015-07-15"},
		{"tomorrow morning", "TIME", 0, "", "TIME 2015-07-17TMO"},
		{"tonight", "TIME", 0, "", "TIME 2015-07-16TNI"},
		{"now", "DATE", 0, "", "DATE PRESENT_REF"},
		{"recently", "DATE", 0, "", "DATE PAST_REF"},
		{"the future", "DATE", 0, "", "DATE FUTURE_REF"},
		{"several years ago", "DATE", 0, "", "DATE PAST_REF"},
		{"Last month", "DATE", -1, "", "DATE 2015-06"},
		{"next year", "DATE", 1, "", "DATE 2016"},
		{"this week", "DATE", 0, "", "DATE 2015-W29"},
		{"last week", "DATE", 0, "", "DATE 2015-W28"},
		{"two weeks ago", "DATE", 0, "", "DATE 2015-W27"},
		{"three days ago", "DATE", 0, "", "DATE 2015-07-13"},
		{"a year ago", "DATE", 0, "", "DATE 2014"},
		{"earlier this year", "DATE", 0, "", "DATE 2015"},
		{"this spring", "DATE", 0, "", "DATE 2015-SP"},
		{"last winter", "DATE", 0, "", "DATE 2014-WI"},
		{"July 15, 2015", "DATE", 0, "", "DATE 2015-07-15"},
		{"15 July 2015", "DATE", 0, "", "DATE 2015-07-15"},
		{"Aug. 7", "DATE", 0, "", "DATE 2015-08-07"},
		{"January", "DATE", 0, "", "DATE 2015-01"},
		{"December", "DATE", 0, "", "DATE 2015-12"},
		{"February", "DATE", 0, "", "DATE 2015-02"},
		{"last February", "DATE", 0, "", "DATE 2015-02"},
		{"last June", "DATE", 0, "", "DATE 2014-06"},
		{"last quarter", "DATE", 0, "", "DATE 2015-Q2"},
		{"the last quarter of 2014", "DATE", 0, "", "DATE 2014-Q4"},
		{"the 15th of July", "DATE", 0, "", "DATE 2015-07-15"},
		{"the nineties", "DATE", 0, "", "DATE 199"},
		{"half an hour", "DURATION", 0, "", "DURATION PT30M"},
		{"the first half", "DATE", 0, "", "DATE 2015-H1"},
		{"15/07/2015", "DATE", 0, "", "DATE 2015-07-15"},
		{"07/15/2015", "DATE", 0, "", "DATE 2015-07-15"},
		{"2015-07-15", "DATE", 0, "", "DATE 2015-07-15"},
		{"mid-2015", "DATE", 0, "", "DATE 2015 MID"},
		{"the 1990s", "DATE", 0, "", "DATE 199"},
		{"the third quarter", "DATE", 0, "", "DATE 2015-Q3"},
		{"the fourth quarter", "DATE", -1, "", "DATE 2014-Q4"},
		{"fiscal 2014", "DATE", 0, "", "DATE 2014"},
		{"the 20th century", "DATE", 0, "", "DATE 19"},
		{"the end of 1990", "DATE", 0, "", "DATE 1990 END"},
		{"early next year", "DATE", 0, "", "DATE 2016 START"},
		{"10:35 a.m.", "TIME", 0, "", "TIME 2015-07-16T10:35"},
		{"9 p.m. Wednesday", "TIME", -1, "", "TIME 2015-07-15T21:00"},
		{"noon", "TIME", 0, "", "TIME 2015-07-16T12:00"},
		{"a week", "DURATION", 0, "", "DURATION P1W"},
		{"three hours", "DURATION", 0, "", "DURATION PT3H"},
		{"five-hour", "DURATION", 0, "", "DURATION PT5H"},
		{"two years", "DURATION", 0, "", "DURATION P2Y"},
		{"the past two months", "DURATION", 0, "", "DURATION P2M"},
		{"the last twenty four hours", "DURATION", 0, "", "DURATION PT24H"},
		{"5 1/2 hours", "DURATION", 0, "", "DURATION PT5H30M"},
		{"several years", "DURATION", 0, "", "DURATION PXY"},
		{"two decades", "DURATION", 0, "", "DURATION P20Y"},
		{"daily", "SET", 0, "", "SET P1D"},
		{"every Monday", "SET", 0, "", "SET XXXX-WXX-1"},
		{"each year", "SET", 0, "", "SET P1Y"},
		{"weekly", "SET", 0, "", "SET P1W"},
		{"Christmas", "DATE", 0, "", "DATE 2015-12-25"},
		{"Christmas Eve", "DATE", -1, "", "DATE 2014-12-24"},
		{"Easter", "DATE", 0, "", "DATE 2015-04-05"},
		{"Thanksgiving", "DATE", 0, "", "DATE 2015-11-26"},
		{"the eve of Eid al-Fitr", "DATE", 0, "", "DATE 2015-07-16"},
		{"Eid al-Adha", "DATE", 0, "", "DATE 2015-09-24"},
		{"the next day", "DATE", 0, "2015-03-02", "DATE 2015-03-03"},
		{"two days later", "DATE", 0, "2015-03-02", "DATE 2015-03-04"},
		{"the following year", "DATE", 0, "2015-03-02", "DATE 2016"},
	}
	for _, tc := range cases {
		c := env{dct: dct, hasDC: true, tense: tc.tense}
		if tc.ref != "" {
			c.ref = at(day(tc.ref), gDay)
		}
		r := resolve(strings.Fields(strings.ToLower(tc.words)), tc.typ, c)
		got := ""
		if r.Value != "" {
			got = r.Type + " " + r.Value
			if r.Mod != "" {
				got += " " + r.Mod
			}
		}
		if got != tc.want {
			t.Errorf("%q (tense %d, ref %q): got %q, want %q", tc.words, tc.tense, tc.ref, got, tc.want)
		}
	}
}

// TestResolveNoDate: without a document date, relative expressions are underspecified or left
// without a value, and absolute ones keep theirs.
func TestResolveNoDate(t *testing.T) {
	for words, want := range map[string]string{
		"Wednesday":      "DATE XXXX-WXX-3",
		"April":          "DATE XXXX-04",
		"July 15, 2015":  "DATE 2015-07-15",
		"1998":           "DATE 1998",
		"now":            "DATE PRESENT_REF",
		"three days":     "DURATION P3D",
		"last week":      "DATE XXXX-WXX",
		"yesterday":      "DATE XXXX-XX-XX",
		"next month":     "DATE XXXX-XX",
		"Christmas":      "DATE XXXX-12-25",
		"New Year's Eve": "DATE XXXX-12-31",
		"Easter":         "",
	} {
		r := resolve(strings.Fields(strings.ToLower(words)), "DATE", env{})
		got := ""
		if r.Value != "" {
			got = r.Type + " " + r.Value
		}
		if got != want {
			t.Errorf("%q: got %q, want %q", words, got, want)
		}
	}
}

func TestEaster(t *testing.T) {
	for y, want := range map[int]string{2015: "2015-04-05", 2019: "2019-04-21", 2024: "2024-03-31", 2000: "2000-04-23"} {
		if got := easter(y).Format("2006-01-02"); got != want {
			t.Errorf("easter(%d) = %s, want %s", y, got, want)
		}
	}
}

// TestExpressionEdges: words that cannot open an expression are trimmed, and a lone lower-case
// "march", "may", "fall" or "spring" (a verb or a noun) is no expression.
func TestExpressionEdges(t *testing.T) {
	for _, c := range []struct {
		words string
		open  bool
	}{{"20%", false}, {"may", false}, {"May", true}, {"the", true}, {"about", true}, {"third-quarter", true}, {"1998", true}, {"Reuters", false}} {
		if got := canOpen(c.words, strings.ToLower(c.words)); got != c.open {
			t.Errorf("canOpen(%q) = %v", c.words, got)
		}
	}
	for words, want := range map[string]bool{"march": true, "eventually fall": true, "may": true, "March": false, "last fall": false, "the spring": false, "march 3": false} {
		ws := strings.Fields(words)
		if got := ambiguousOnly(ws, strings.Fields(strings.ToLower(words))); got != want {
			t.Errorf("ambiguousOnly(%q) = %v, want %v", words, got, want)
		}
	}
}

// TestResolveCoarseRef: a reference time coarser than the unit is not counted from ("the next
// day" after "this spring" is the day after the document date), and every point has a day to
// count from.
func TestResolveCoarseRef(t *testing.T) {
	dct := day("2015-07-16")
	c := env{dct: dct, hasDC: true}
	spring, _, ok := resolvePoint([]string{"this", "spring"}, "DATE", c)
	if !ok || spring.t.IsZero() {
		t.Fatalf("this spring: %+v %v", spring, ok)
	}
	c.ref = spring
	if r := resolve([]string{"the", "next", "day"}, "DATE", c); r.Value != "2015-07-17" || r.Anchor != "dct" {
		t.Errorf("the next day after this spring: %+v", r)
	}
	if r := resolve([]string{"the", "following", "year"}, "DATE", c); r.Value != "2016" || r.Anchor != "ref" {
		t.Errorf("the following year after this spring: %+v", r)
	}
	for _, ws := range [][]string{{"the", "1990s"}, {"the", "20th", "century"}} {
		if p, _, ok := resolvePoint(ws, "DATE", c); !ok || p.t.IsZero() {
			t.Errorf("%v: no day to count from: %+v", ws, p)
		}
	}
}

// TestResolveMonthEnd: month and quarter arithmetic from the last day of a month stays in the
// right month.
func TestResolveMonthEnd(t *testing.T) {
	for dct, cases := range map[string]map[string]string{
		"2015-03-31": {"last month": "2015-02", "next month": "2015-04", "next quarter": "2015-Q2", "a month ago": "2015-02"},
		"2015-12-31": {"last month": "2015-11", "next year": "2016"},
	} {
		for words, want := range cases {
			r := resolve(strings.Fields(words), "DATE", env{dct: day(dct), hasDC: true})
			if r.Value != want {
				t.Errorf("%s on %s: got %q, want %q", words, dct, r.Value, want)
			}
		}
	}
}

// TestResolveYearRef: "the year" after a mention of another year is that year in a past clause,
// and the current one in a future clause ("expects growth by the end of the year").
func TestResolveYearRef(t *testing.T) {
	c := env{dct: day("2013-03-14"), hasDC: true, ref: at(day("2012-01-01"), gYear)}
	c.tense = -1
	if r := resolve([]string{"the", "year"}, "DATE", c); r.Value != "2012" {
		t.Errorf("past clause: %+v", r)
	}
	c.tense = 1
	if r := resolve([]string{"the", "end", "of", "the", "year"}, "DATE", c); r.Value != "2013" || r.Mod != "END" {
		t.Errorf("future clause: %+v", r)
	}
}
