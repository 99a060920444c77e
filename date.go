package newsgraph

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Dates at the edges: what a user or an input gives is checked here, so that every date kept (a
// document's Meta.Date, a stored article's date, a query's range) is ISO 8601 and compares as a
// string.

// ErrBadDate is a date that is not ISO 8601 (or, for input records, one of the common forms that
// NormalizeDate reads).
var ErrBadDate = errors.New("not a date")

// DatePrefix checks a date range bound: an ISO 8601 calendar date, or its prefix (2015,
// 2015-07, 2015-07-16), each part in range. It returns s trimmed.
func DatePrefix(s string) (string, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("%q: %w: give an ISO 8601 date or its start (2015, 2015-07, 2015-07-16)", s, ErrBadDate)
	var layout string
	switch len(s) {
	case 4:
		layout = "2006"
	case 7:
		layout = "2006-01"
	case 10:
		layout = "2006-01-02"
	default:
		return "", bad
	}
	if !digitsAt(s) {
		return "", bad
	}
	if _, err := time.Parse(layout, s); err != nil {
		return "", bad
	}
	return s, nil
}

// digitsAt reports whether s is digits with '-' at positions 4 and 7 (where it is that long).
func digitsAt(s string) bool {
	for i := 0; i < len(s); i++ {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ISODate checks a document date given by a user (a --date flag): an ISO 8601 calendar date
// (2015-07-16), or a date and time (2015-07-16T10:00:00Z, 2015-07-16T10:00:00+02:00, or without
// a zone, 2015-07-16T10:00). It returns s trimmed.
func ISODate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if d, err := DatePrefix(s); err == nil && len(d) == 10 {
		return d, nil
	}
	for _, layout := range isoTimes {
		if _, err := time.Parse(layout, s); err == nil {
			return s, nil
		}
	}
	return "", fmt.Errorf("%q: %w: give an ISO 8601 date (2015-07-16) or date and time (2015-07-16T10:00:00Z)", s, ErrBadDate)
}

var isoTimes = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05.999999999"}

// NormalizeDate reads a date as input records give it and returns it in ISO 8601: a calendar date
// or its prefix as it is (2015, 2015-07, 2015-07-16); a date and time in ISO 8601 or RFC 3339
// (a space for the T too) with its time and zone kept; an e-mail or HTTP date ("Wed, 15 Jul 2015
// 10:00:00 GMT") as RFC 3339; and a date written out in English ("16 July 2015", "July 16, 2015",
// "Jul 16 2015") as 2015-07-16. Anything else, or a date out of range (2015-13-45), is ErrBadDate.
func NormalizeDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if d, err := DatePrefix(s); err == nil {
		return d, nil
	}
	if d, err := ISODate(strings.Replace(s, " ", "T", 1)); err == nil && len(s) > 10 {
		return d, nil
	}
	if d, ok := mailDate(s); ok {
		return d, nil
	}
	if d, ok := writtenDate(s); ok {
		return d, nil
	}
	return "", fmt.Errorf("%q: %w (ISO 8601 is expected: 2015-07-16)", s, ErrBadDate)
}

// mailDate reads an e-mail or HTTP date ("Wed, 15 Jul 2015 10:00:00 GMT", "15 Jul 2015 10:00 -0400")
// as RFC 3339. The zone names of RFC 822 (UT, GMT, Z and the North American ones) give their
// offsets; another name, whose offset is unknown, gives the date alone. (Go's time.Parse takes an
// unknown name for UTC, or for the machine's own zone when the names agree.)
func mailDate(s string) (string, bool) {
	f := strings.Fields(s)
	if len(f) < 4 {
		return "", false
	}
	zone := f[len(f)-1]
	offset, named := rfc822Zones[strings.ToUpper(zone)]
	numeric := len(zone) == 5 && (zone[0] == '+' || zone[0] == '-')
	if !named && !numeric {
		if !isLetters(zone) {
			return "", false
		}
		// A zone name not known: the date alone.
		for _, layout := range []string{"Mon, 2 Jan 2006 15:04:05", "Mon, 2 Jan 2006 15:04", "2 Jan 2006 15:04:05", "2 Jan 2006 15:04"} {
			if t, err := time.Parse(layout, strings.Join(f[:len(f)-1], " ")); err == nil {
				return t.Format("2006-01-02"), true
			}
		}
		return "", false
	}
	rest := strings.Join(f[:len(f)-1], " ")
	for _, layout := range []string{"Mon, 2 Jan 2006 15:04:05", "Mon, 2 Jan 2006 15:04", "2 Jan 2006 15:04:05", "2 Jan 2006 15:04", "Mon, 02 Jan 06 15:04:05", "02 Jan 06 15:04"} {
		t, err := time.Parse(layout, rest)
		if err != nil {
			continue
		}
		if numeric {
			z, err := time.Parse("-0700", zone)
			if err != nil {
				return "", false
			}
			_, off := z.Zone()
			offset = off
		}
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.FixedZone("", offset)).Format(time.RFC3339), true
	}
	return "", false
}

// rfc822Zones are the zone names of RFC 822, section 5, with their offsets in seconds.
var rfc822Zones = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
}

func isLetters(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' && r < 'a' || r > 'z' {
			return false
		}
	}
	return s != ""
}

// writtenDate reads "16 July 2015", "July 16, 2015", "Jul 16 2015", "Thursday, 16 July 2015".
func writtenDate(s string) (string, bool) {
	f := strings.Fields(strings.NewReplacer(",", " ", ".", " ").Replace(s))
	if len(f) == 4 && weekday(f[0]) {
		f = f[1:]
	}
	if len(f) != 3 {
		return "", false
	}
	var day, month, year int
	switch {
	case monthOf(f[1]) > 0: // 16 July 2015
		day, month, year = atoi(strings.TrimRight(f[0], "stndrh")), monthOf(f[1]), atoi(f[2])
	case monthOf(f[0]) > 0: // July 16 2015
		month, day, year = monthOf(f[0]), atoi(strings.TrimRight(f[1], "stndrh")), atoi(f[2])
	default:
		return "", false
	}
	if year < 1000 || year > 9999 || day < 1 {
		return "", false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day { // 31 June
		return "", false
	}
	return t.Format("2006-01-02"), true
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

var months = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// monthOf is the number of an English month's name or its abbreviation (Sept too), else 0.
func monthOf(w string) int {
	w = strings.ToLower(w)
	for i, m := range months {
		full := strings.ToLower(time.Month(i + 1).String())
		if w == m || w == full || w == "sept" && m == "sep" {
			return i + 1
		}
	}
	return 0
}

func weekday(w string) bool {
	w = strings.ToLower(w)
	for d := time.Sunday; d <= time.Saturday; d++ {
		full := strings.ToLower(d.String())
		if w == full || w == full[:3] {
			return true
		}
	}
	return false
}
