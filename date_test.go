package newsgraph

import (
	"errors"
	"testing"
)

func TestDatePrefix(t *testing.T) {
	for in, want := range map[string]string{"2015": "2015", "2015-07": "2015-07", " 2015-07-16 ": "2015-07-16", "2016-02-29": "2016-02-29"} {
		if got, err := DatePrefix(in); err != nil || got != want {
			t.Errorf("DatePrefix(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "16/07/2015", "2015-13", "2015-13-45", "2015-02-30", "2015-7-16", "20150716", "garbage", "２０１５", "2015-07-16T10:00", "15"} {
		if got, err := DatePrefix(in); !errors.Is(err, ErrBadDate) {
			t.Errorf("DatePrefix(%q) = %q, %v: want ErrBadDate", in, got, err)
		}
	}
}

func TestISODate(t *testing.T) {
	for _, in := range []string{"2015-07-16", "2015-07-16T10:00:00Z", "2015-07-16T10:00:00+02:00", "2015-07-16T10:00", "2015-07-16T10:00:00.123Z", "2015-07-16T10:00:00"} {
		if got, err := ISODate(in); err != nil || got != in {
			t.Errorf("ISODate(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"garbage", "16 July 2015", "2015-13-45", "2015", "2015-07", "2015-07-16T25:00:00Z", "16/07/2015"} {
		if _, err := ISODate(in); !errors.Is(err, ErrBadDate) {
			t.Errorf("ISODate(%q): %v, want ErrBadDate", in, err)
		}
	}
}

func TestNormalizeDate(t *testing.T) {
	for in, want := range map[string]string{
		"2015-07-16":                      "2015-07-16",
		"2015":                            "2015",
		"2015-07-16T10:00:00Z":            "2015-07-16T10:00:00Z",
		"2015-07-16 10:00:00":             "2015-07-16T10:00:00",
		"Wed, 15 Jul 2015 10:00:00 GMT":   "2015-07-15T10:00:00Z",
		"Wed, 15 Jul 2015 10:00:00 +0200": "2015-07-15T10:00:00+02:00",
		"Wed, 15 Jul 2015 23:00:00 EDT":   "2015-07-15T23:00:00-04:00",
		"Wed, 15 Jul 2015 23:00:00 BST":   "2015-07-15",
		"15 Jul 2015 10:00 -0400":         "2015-07-15T10:00:00-04:00",
		"Wed, 15 Jul 2015 10:00:00 UT":    "2015-07-15T10:00:00Z",
		"16 July 2015":                    "2015-07-16",
		"July 16, 2015":                   "2015-07-16",
		"Jul 16 2015":                     "2015-07-16",
		"Thursday, 16 July 2015":          "2015-07-16",
		"1st Sept 2015":                   "2015-09-01",
	} {
		if got, err := NormalizeDate(in); err != nil || got != want {
			t.Errorf("NormalizeDate(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"garbage", "2015-13-45", "31 June 2015", "16/07/2015", "July 2015 16 x", "", "yesterday", "Wed, 35 Jul 2015 10:00:00 GMT", "Wed, 15 Jul 2015 10:00:00 +99"} {
		if got, err := NormalizeDate(in); !errors.Is(err, ErrBadDate) {
			t.Errorf("NormalizeDate(%q) = %q, %v: want ErrBadDate", in, got, err)
		}
	}
}
