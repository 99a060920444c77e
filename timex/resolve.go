package timex

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Granularities of a point in time, coarse to fine.
type gran int

const (
	gNone gran = iota
	gCentury
	gDecade
	gYear
	gHalf
	gQuarter
	gSeason
	gMonth
	gWeek
	gWeekend
	gDay
	gTime
)

// point is a calendar point at some granularity: the value of a DATE or TIME.
type point struct {
	g       gran
	t       time.Time // the day the point falls on (or starts on), for arithmetic
	year    int       // -1: unknown (XXXX)
	n       int       // quarter, half, week number, decade or century, by granularity
	season  string    // SP, SU, FA, WI
	clock   string    // "T10:35", "TMO", "T24:00"
	weekday int       // 1–7, for an underspecified weekday (year -1)
	fiscal  bool
	// first, last: the days of a holiday that is a period (Ramadan), for "the start of" and
	// "the end of" it.
	first, last time.Time
}

func (p point) value() string {
	y := "XXXX"
	if p.year >= 0 {
		y = fmt.Sprintf("%04d", p.year)
	}
	switch p.g {
	case gCentury:
		return fmt.Sprintf("%02d", p.n)
	case gDecade:
		return fmt.Sprintf("%03d", p.n)
	case gYear:
		if p.fiscal {
			return "FY" + y
		}
		return y
	case gHalf:
		return fmt.Sprintf("%s-H%d", y, p.n)
	case gQuarter:
		if p.n == 0 {
			return y + "-QX"
		}
		return fmt.Sprintf("%s-Q%d", y, p.n)
	case gSeason:
		return y + "-" + p.season
	case gMonth:
		if p.year < 0 {
			return fmt.Sprintf("XXXX-%02d", int(p.t.Month()))
		}
		return p.t.Format("2006-01")
	case gWeek, gWeekend:
		s := fmt.Sprintf("%s-W%02d", y, p.n)
		if p.year < 0 {
			s = "XXXX-WXX"
		}
		if p.g == gWeekend {
			s += "-WE"
		}
		return s
	case gDay, gTime:
		s := p.t.Format("2006-01-02")
		if p.year < 0 {
			switch {
			case p.weekday > 0:
				s = fmt.Sprintf("XXXX-WXX-%d", p.weekday)
			case p.t.IsZero():
				s = "XXXX-XX-XX" // a clock time on no known day
			default:
				s = "XXXX" + p.t.Format("-01-02")
			}
		}
		return s + p.clock
	}
	return ""
}

// at makes a point of granularity g from a day.
func at(t time.Time, g gran) point {
	// Coarse points count from the first day of their period, so that month arithmetic from the
	// 31st does not spill over ("last month" on March 31 is February).
	switch g {
	case gCentury:
		t = time.Date(t.Year()/100*100, 1, 1, 0, 0, 0, 0, time.UTC)
	case gDecade:
		t = time.Date(t.Year()/10*10, 1, 1, 0, 0, 0, 0, time.UTC)
	case gYear:
		t = time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	case gHalf:
		t = time.Date(t.Year(), (t.Month()-1)/6*6+1, 1, 0, 0, 0, 0, time.UTC)
	case gQuarter:
		t = time.Date(t.Year(), (t.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
	case gMonth:
		t = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	p := point{g: g, t: t, year: t.Year()}
	switch g {
	case gCentury:
		p.n = t.Year() / 100
	case gDecade:
		p.n = t.Year() / 10
	case gHalf:
		p.n = (int(t.Month())-1)/6 + 1
	case gQuarter:
		p.n = (int(t.Month())-1)/3 + 1
	case gWeek, gWeekend:
		p.year, p.n = t.ISOWeek()
	case gSeason:
		p.season, p.year = seasonOf(t)
	}
	return p
}

func seasonOf(t time.Time) (string, int) {
	switch m := t.Month(); {
	case m >= 3 && m <= 5:
		return "SP", t.Year()
	case m >= 6 && m <= 8:
		return "SU", t.Year()
	case m >= 9 && m <= 11:
		return "FA", t.Year()
	case m == 12:
		return "WI", t.Year()
	default:
		return "WI", t.Year() - 1
	}
}

// shift moves a point by n units of granularity g.
func shift(p point, n int, u string) point {
	t := p.t
	switch u {
	case "Y":
		t = t.AddDate(n, 0, 0)
	case "M":
		t = t.AddDate(0, n, 0)
	case "Q":
		t = t.AddDate(0, 3*n, 0)
	case "HALF":
		t = t.AddDate(0, 6*n, 0)
	case "W", "WE":
		t = t.AddDate(0, 0, 7*n)
	case "FN":
		t = t.AddDate(0, 0, 14*n)
	case "D":
		t = t.AddDate(0, 0, n)
	case "DE":
		t = t.AddDate(10*n, 0, 0)
	case "CE":
		t = t.AddDate(100*n, 0, 0)
	case "H":
		t = t.Add(time.Duration(n) * time.Hour)
	case "MIN":
		t = t.Add(time.Duration(n) * time.Minute)
	}
	q := at(t, p.g)
	q.clock = p.clock
	return q
}

// unitGran is the granularity a unit names.
func unitGran(u string) gran {
	switch u {
	case "Y":
		return gYear
	case "HALF":
		return gHalf
	case "Q":
		return gQuarter
	case "M":
		return gMonth
	case "W", "FN":
		return gWeek
	case "WE":
		return gWeekend
	case "DE":
		return gDecade
	case "CE":
		return gCentury
	}
	return gDay
}

// durationValue writes n units as an ISO 8601 duration ("P3D", "PT5H", "PXY").
func durationValue(n float64, vague bool, u string) string {
	num := "X"
	if !vague {
		if n != math.Trunc(n) {
			// Half units: "half an hour" is PT30M, "a year and a half" P18M.
			whole := int(n)
			if whole == 0 {
				switch u { // half an hour, half a day, half a year
				case "H":
					return fmt.Sprintf("PT%dM", int(n*60))
				case "MIN":
					return fmt.Sprintf("PT%dS", int(n*60))
				case "D":
					return fmt.Sprintf("PT%dH", int(n*24))
				case "Y":
					return fmt.Sprintf("P%dM", int(n*12))
				}
			}
			switch u {
			case "H":
				return fmt.Sprintf("PT%dH%dM", whole, int((n-float64(whole))*60))
			case "MIN":
				return fmt.Sprintf("PT%dM%dS", whole, int((n-float64(whole))*60))
			case "Y":
				return fmt.Sprintf("P%dY%dM", whole, int((n-float64(whole))*12))
			case "D":
				return fmt.Sprintf("P%dDT%dH", whole, int((n-float64(whole))*24))
			}
			n = math.Ceil(n)
		}
		num = strconv.Itoa(int(n))
	}
	switch u {
	case "H", "MIN", "S":
		if u == "MIN" {
			u = "M"
		}
		return "PT" + num + u
	case "DE", "CE":
		if vague {
			return "P" + num + u
		}
		k := 10
		if u == "CE" {
			k = 100
		}
		return fmt.Sprintf("P%dY", int(n)*k)
	case "FN":
		if vague {
			return "PXW"
		}
		return fmt.Sprintf("P%dW", int(n)*2)
	case "WE":
		if vague {
			return "PXWE"
		}
		return fmt.Sprintf("P%dD", int(n)*2)
	case "HALF":
		return fmt.Sprintf("P%dM", int(n)*6)
	case "X":
		return "PX" + "X"
	}
	return "P" + num + u
}

// env is what resolving an expression may read besides its words.
type env struct {
	dct   time.Time
	hasDC bool
	ref   point // the last date the text mentioned (g == gNone: none yet)
	tense int   // -1 past, +1 future, 0 present or unknown
	the   bool  // "the" opens the expression or stands before it ("the next day" counts from the reference time)
}

// Result is a resolved expression.
type Result struct {
	Type   string // DATE, TIME, DURATION, SET
	Value  string
	Mod    string // START, MID, END, APPROX, …
	Anchor string // "dct" (the document date), "ref" (an earlier date in the text), or ""
	pt     point  // the point, for DATE and TIME values that are one
}

// resolve computes the TIMEX3 type and value of an expression's words (lower-cased tokens), given
// the type the tagger proposed.
func resolve(words []string, typ string, c env) Result {
	ws := splitWords(words)
	r := Result{Type: typ}
	c.the = c.the || len(ws) > 0 && ws[0] == "the"
	// Modifiers and determiners at the edges.
	for len(ws) > 0 {
		w := ws[0]
		if w == "the" || w == "of" || w == "," || w == "in" || w == "on" || w == "at" {
			ws = ws[1:]
			continue
		}
		if m, ok := lex().class(w, "MOD"); ok && len(ws) > 1 && !isUnitish(ws[1:]) {
			if w == "end" || w == "beginning" || w == "start" || w == "middle" || w == "close" {
				if len(ws) < 3 || ws[1] != "of" {
					break
				}
			}
			if r.Mod == "" {
				r.Mod = m
			}
			ws = ws[1:]
			if w == "more" || w == "less" || w == "at" {
				if len(ws) > 0 && ws[0] == "than" {
					ws = ws[1:]
				}
			}
			continue
		}
		if w == "less" && len(ws) > 2 && ws[1] == "than" {
			r.Mod = "LESS_THAN"
			ws = ws[2:]
			continue
		}
		break
	}
	for len(ws) > 0 && (ws[len(ws)-1] == "," || ws[len(ws)-1] == "." || ws[len(ws)-1] == "'s") {
		ws = ws[:len(ws)-1]
	}
	if len(ws) == 0 {
		return r
	}
	if v, ok := resolveSet(ws, typ); ok {
		r.Type, r.Value = "SET", v
		return r
	}
	if len(ws) == 1 && !c.the && pluralUnits[ws[0]] {
		// "for decades", "years": a vague duration, not the current decade or year.
		if v, ok := resolveDuration(ws); ok {
			r.Type, r.Value = "DURATION", v
			return r
		}
	}
	if p, anchor, ok := resolvePoint(ws, typ, c); ok {
		switch {
		case !p.first.IsZero() && r.Mod == "START":
			p, r.Mod = at(p.first, gDay), ""
		case !p.last.IsZero() && r.Mod == "END":
			p, r.Mod = at(p.last, gDay), ""
		}
		r.pt, r.Anchor = p, anchor
		r.Value = p.value()
		// A clock time makes a TIME; a part of the day ("Friday night", TNI) keeps the type the
		// tagger chose, as TimeBank's annotators mostly did.
		r.Type = "DATE"
		if len(p.clock) > 1 && p.clock[1] >= '0' && p.clock[1] <= '9' || typ == "TIME" && p.clock != "" {
			r.Type = "TIME"
		}
		return r
	}
	if ws[len(ws)-1] == "ago" {
		// "several years ago", "years ago": some time back.
		r.Type, r.Value = "DATE", "PAST_REF"
		return r
	}
	if v, ok := resolveRef(ws); ok {
		r.Type, r.Value = "DATE", v
		return r
	}
	if !c.hasDC && typ != "DURATION" {
		// "last week", "yesterday", "the weekend" with no document date: the granularity is all
		// that is known.
		if len(ws) == 1 && ws[0] == "weekend" {
			r.Type, r.Value = "DATE", underspecified["WE"]
			return r
		}
		for _, w := range ws {
			_, rel := lex().class(w, "REL")
			v, deictic := lex().class(w, "DEICTIC")
			if rel || deictic && !strings.HasSuffix(v, "_REF") {
				u := "D"
				for _, w := range ws {
					if x, ok := unitOf(w); ok {
						u = x
					}
				}
				if v, ok := underspecified[u]; ok {
					r.Type, r.Value = "DATE", v
					return r
				}
			}
		}
	}
	for _, w := range ws {
		if _, ok := lex().class(w, "HOLIDAY"); ok {
			return r // a holiday with no date to give it: no value
		}
	}
	if v, ok := resolveDuration(ws); ok {
		r.Type, r.Value = "DURATION", v
		return r
	}
	return r
}

// pluralUnits are the units that, alone and in the plural, are a vague duration ("for decades").
var pluralUnits = map[string]bool{"decades": true, "centuries": true, "years": true, "months": true, "weeks": true}

// decadeWords are the decades of the last century written as words.
var decadeWords = map[string]int{"twenties": 1920, "thirties": 1930, "forties": 1940, "fifties": 1950, "sixties": 1960, "seventies": 1970, "eighties": 1980, "nineties": 1990}

var underspecified = map[string]string{"Y": "XXXX", "M": "XXXX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "D": "XXXX-XX-XX", "Q": "XXXX-QX", "DE": "XXX", "CE": "XX"}

func isUnitish(ws []string) bool {
	if len(ws) == 0 {
		return false
	}
	_, ok := lex().class(ws[0], "SHIFT")
	return ok
}

// splitWords splits hyphenated words into their parts ("third-quarter", "mid-2015", "five-hour"),
// except numeric dates and compound numbers ("twenty-five").
func splitWords(words []string) []string {
	var out []string
	for _, w := range words {
		if strings.Contains(w, "-") && shapeClass(w) != "DATE" {
			if _, ok := number(w); ok {
				out = append(out, w)
				continue
			}
			for _, p := range strings.Split(w, "-") {
				if p != "" {
					out = append(out, p)
				}
			}
			continue
		}
		out = append(out, w)
	}
	return out
}

func unitOf(w string) (string, bool) {
	u, ok := lex().class(w, "UNIT")
	return u, ok
}

// resolveSet: daily, every day, each Thursday, a year (with the SET type), every two weeks.
func resolveSet(ws []string, typ string) (string, bool) {
	if len(ws) == 1 {
		if v, ok := lex().class(ws[0], "FREQ"); ok && strings.HasPrefix(v, "P") {
			return v, true
		}
	}
	if len(ws) >= 2 {
		if v, ok := lex().class(ws[0], "FREQ"); ok && v == "EACH" {
			rest := ws[1:]
			n := 1.0
			if x, ok := number(rest[0]); ok && len(rest) > 1 {
				n, rest = x, rest[1:]
			}
			if u, ok := unitOf(rest[0]); ok && u != "X" {
				return durationValue(n, false, u), true
			}
			if v, ok := weekdaySet(rest); ok {
				return v, true
			}
			if m, ok := lex().class(rest[0], "MONTH"); ok {
				mm, _ := strconv.Atoi(m)
				return fmt.Sprintf("XXXX-%02d", mm), true
			}
		}
	}
	if typ == "SET" {
		if v, ok := weekdaySet(ws); ok {
			return v, true
		}
		n := 1.0
		rest := ws
		if x, ok := number(rest[0]); ok && len(rest) > 1 {
			n, rest = x, rest[1:]
		}
		if u, ok := unitOf(rest[len(rest)-1]); ok && u != "X" {
			return durationValue(n, false, u), true
		}
	}
	return "", false
}

// resolveRef: the deictic words with no calendar value (now, recently, the future).
func resolveRef(ws []string) (string, bool) {
	if len(ws) == 2 && ws[0] == "these" && (ws[1] == "days" || ws[1] == "times") || len(ws) == 2 && ws[0] == "right" && ws[1] == "now" {
		return "PRESENT_REF", true
	}
	for _, w := range ws {
		if _, ok := unitOf(w); ok {
			return "", false
		}
	}
	for _, w := range ws {
		if v, ok := lex().class(w, "DEICTIC"); ok && strings.HasSuffix(v, "_REF") {
			if len(ws) <= 2 {
				return v, true
			}
		}
	}
	return "", false
}

// resolveDuration: three days, five-hour, the past two months, several years, decades.
func resolveDuration(ws []string) (string, bool) {
	// "half an hour": half of one unit.
	for i := 0; i+1 < len(ws); i++ {
		if ws[i] == "half" && (ws[i+1] == "an" || ws[i+1] == "a") {
			ws = append(append(append([]string(nil), ws[:i]...), "0.5"), ws[i+2:]...)
			break
		}
	}
	n, vague, have := 1.0, false, false
	unit := ""
	for i, w := range ws {
		if u, ok := unitOf(w); ok {
			if u == "X" {
				continue
			}
			unit = u
			plural := strings.HasSuffix(w, "s") && w != "hrs"
			if !have && plural {
				vague = true
			}
			// "a year and a half"
			if i+3 < len(ws)+1 && i+2 < len(ws) && ws[i+1] == "and" && ws[i+2] == "a" && i+3 < len(ws) && ws[i+3] == "half" {
				n += 0.5
			}
			break
		}
		if shapeClass(w) == "FRACTION" && have {
			a, b, _ := strings.Cut(w, "/")
			x, _ := strconv.ParseFloat(a, 64)
			y, _ := strconv.ParseFloat(b, 64)
			if y > 0 {
				n += x / y
			}
			continue
		}
		if x, ok := number(w); ok {
			switch {
			case !have:
				n = x
			case w == "a" || w == "an":
			case n >= 20 && n < 100 && int(n)%10 == 0 && x < 10:
				n += x // "twenty four"
			default:
				n *= x // "two hundred"
			}
			have = true
			continue
		}
		if _, ok := lex().class(w, "VAGUE"); ok {
			if w == "past" || w == "recent" || w == "coming" {
				if i+1 < len(ws) {
					if _, ok := number(ws[i+1]); !ok {
						vague = true
					}
				}
				continue
			}
			vague, have = true, true
			continue
		}
	}
	if unit == "" {
		return "", false
	}
	return durationValue(n, vague, unit), true
}

// resolvePoint computes DATE and TIME values: explicit dates, dates relative to the document date
// or to the last date mentioned, holidays.
func resolvePoint(ws []string, typ string, c env) (point, string, bool) {
	l := lex()
	base := c.dct
	anchor := "dct"
	if !c.hasDC {
		anchor = ""
	}
	cl := func(w, k string) (string, bool) { return l.class(w, k) }
	first := ws[0]

	// Deictic days: today, yesterday, tomorrow night, this morning, tonight, last night.
	if v, ok := cl(first, "DEICTIC"); ok && !strings.HasSuffix(v, "_REF") {
		if !c.hasDC {
			return point{}, "", false
		}
		part := ""
		if strings.HasSuffix(v, "NI") {
			part, v = "TNI", strings.TrimSuffix(v, "NI")
		}
		d, _ := strconv.Atoi(v)
		p := at(base.AddDate(0, 0, d), gDay)
		if len(ws) > 1 {
			if pd, ok := cl(ws[1], "PARTDAY"); ok {
				part = partClock(pd)
			}
		}
		if part != "" {
			p.g, p.clock = gTime, part
		}
		return p, anchor, true
	}
	if (first == "this" || first == "last") && len(ws) == 2 {
		if pd, ok := cl(ws[1], "PARTDAY"); ok && c.hasDC {
			d := 0
			if first == "last" {
				d = -1
			}
			p := at(base.AddDate(0, 0, d), gTime)
			p.clock = partClock(pd)
			return p, anchor, true
		}
	}

	// Numeric dates: 1998-08-07, 02/13/1998, 2/13/98.
	if shapeClass(first) == "DATE" {
		if t, ok := numericDate(first); ok {
			p := at(t, gDay)
			p = withClock(p, ws[1:])
			return p, "", true
		}
	}

	// Clock times, on the document date or the day named: 10:35 a.m., 9 p.m., noon Friday.
	if clk, rest, ok := clockOf(ws); ok {
		day := point{}
		if len(rest) > 0 {
			if p, a, ok := resolvePoint(rest, "DATE", c); ok && p.g == gDay {
				day, anchor = p, a
			}
		}
		if day.g == gNone && c.ref.g >= gDay && c.ref.year >= 0 {
			day, anchor = at(c.ref.t, gDay), "ref"
		}
		if day.g == gNone {
			if !c.hasDC {
				return point{g: gTime, year: -1, clock: clk}, "", true
			}
			day = at(base, gDay)
		}
		day.g, day.clock = gTime, clk
		return day, anchor, true
	}

	// Holidays.
	if p, ok := holiday(ws, c); ok {
		return p, anchor, true
	}

	// Decades and centuries: the 1990s, the '90s, the nineties.
	if d, ok := decadeWords[ws[len(ws)-1]]; ok {
		return point{g: gDecade, n: d / 10, year: d, t: time.Date(d, 1, 1, 0, 0, 0, 0, time.UTC)}, "", true
	}
	if len(ws) >= 1 && shapeClass(ws[len(ws)-1]) == "DECADE" {
		d := strings.TrimSuffix(ws[len(ws)-1], "s")
		n, _ := strconv.Atoi(d)
		if len(d) == 2 {
			n += 1900
			if n < 1930 && c.hasDC && c.dct.Year() >= 2000 {
				n += 100
			}
		}
		return point{g: gDecade, n: n / 10, year: n, t: time.Date(n/10*10, 1, 1, 0, 0, 0, 0, time.UTC)}, "", true
	}

	// Centuries: the 20th century, the nineteenth century.
	if i := len(ws) - 1; i > 0 && (ws[i] == "century" || ws[i] == "centuries") {
		n := dayNumber(ws[i-1])
		if n > 0 {
			return point{g: gCentury, n: n - 1, year: (n - 1) * 100, t: time.Date((n-1)*100, 1, 1, 0, 0, 0, 0, time.UTC)}, "", true
		}
	}

	// Quarters and halves: the third quarter, third-quarter, the fourth quarter of 1990, fiscal
	// 1989's first half, the quarter, the year-ago quarter.
	for i, w := range ws {
		u, ok := unitOf(w)
		if !ok || (u != "Q" && u != "HALF") || strings.HasSuffix(w, "s") {
			continue
		}
		g := gQuarter
		if u == "HALF" {
			g = gHalf
		}
		n := 0
		if i > 0 {
			if o, ok := cl(ws[i-1], "ORD"); ok {
				n, _ = strconv.Atoi(o)
			}
		}
		if u == "HALF" && (n == 0 || i+1 < len(ws) && (ws[i+1] == "an" || ws[i+1] == "a")) {
			continue // "half an hour", "a year and a half": a duration, not a half-year
		}
		year, explicit := yearIn(ws)
		if n < 0 && !explicit && !hasWord(ws, "of") {
			n = 0 // "last quarter" is the one before this, "the last quarter of 2014" the fourth
		}
		if n == 0 {
			// the quarter, the latest quarter, this quarter, the year-ago quarter
			yearBack := hasWord(ws, "ago", "earlier") || hasWord(ws, "last", "previous") && hasWord(ws, "year", "year's")
			if c.ref.g == g && !explicit {
				p := c.ref
				if yearBack {
					p = shift(p, -1, "Y")
				}
				return p, "ref", true
			}
			if !c.hasDC {
				return point{}, "", false
			}
			p := at(base, g)
			if !hasWord(ws, "this", "current") && (hasWord(ws, "latest", "last", "past", "previous") || c.tense <= 0) {
				p = shift(p, -1, u)
			}
			if hasWord(ws, "next", "coming") {
				p = shift(at(base, g), 1, u)
			}
			if yearBack {
				p = shift(p, -1, "Y")
			}
			return p, anchor, true
		}
		if n < 0 {
			n = 4
			if g == gHalf {
				n = 2
			}
		}
		p := point{g: g, n: n, fiscal: false}
		switch {
		case explicit:
			p.year = year
		case c.hasDC:
			p.year = c.dct.Year()
			cur := at(base, g).n
			if hasWord(ws, "last", "previous") || c.tense <= 0 && n > cur {
				p.year--
			} else if hasWord(ws, "next") {
				p.year++
			}
			if hasWord(ws, "ago", "earlier") {
				p.year--
			}
		default:
			p.year = -1
		}
		month := (n-1)*3 + 1
		if g == gHalf {
			month = (n-1)*6 + 1
		}
		if p.year >= 0 {
			p.t = time.Date(p.year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
		}
		a := anchor
		if explicit {
			a = ""
		}
		return p, a, true
	}

	// Month-based dates: July 15, 2015; 15 July; July 2015; July; mid-July; the 15th of July.
	for i, w := range ws {
		mv, ok := cl(w, "MONTH")
		if !ok {
			continue
		}
		if w == "may" && len(ws) == 1 && typ == "" {
			return point{}, "", false
		}
		m, _ := strconv.Atoi(mv)
		day := 0
		if i+1 < len(ws) {
			day = dayNumber(ws[i+1])
		}
		if day == 0 && i > 0 {
			day = dayNumber(ws[i-1])
		}
		if day == 0 && i > 1 && ws[i-1] == "of" {
			day = dayNumber(ws[i-2]) // the 15th of July
		}
		year, explicit := yearIn(ws[i+1:])
		if !explicit {
			year, explicit = yearIn(ws[:i])
		}
		g := gMonth
		if day > 0 {
			g = gDay
		}
		p := point{g: g}
		a := ""
		switch {
		case explicit:
			p.year = year
		case hasWord(ws, "last", "next", "this") && c.hasDC:
			p.year, a = c.dct.Year(), anchor
			// "last March" in July is this year's; said in March or April, last year's.
			if hasWord(ws, "last") && m >= int(c.dct.Month())-1 {
				p.year--
			}
			if hasWord(ws, "next") && m <= int(c.dct.Month()) {
				p.year++
			}
		case c.hasDC:
			p.year, a = nearestYear(c, m), anchor
		default:
			p.year = -1
		}
		y := p.year
		if y < 0 {
			y = 2000 // a leap year, so that February 29 is kept
		}
		if day > 0 && day > daysIn(y, m) {
			return point{}, "", false
		}
		p.t = time.Date(y, time.Month(m), max(day, 1), 0, 0, 0, 0, time.UTC)
		if i+2 < len(ws) || i > 0 {
			p = withClock(p, ws)
		}
		return p, a, true
	}

	// Seasons: this summer, last fall, spring 1998, the spring.
	for _, w := range ws {
		s, ok := cl(w, "SEASON")
		if !ok {
			continue
		}
		year, explicit := yearIn(ws)
		p := point{g: gSeason, season: s}
		a := ""
		switch {
		case explicit:
			p.year = year
		case c.hasDC:
			cur, cy := seasonOf(base)
			p.year, a = cy, anchor
			order := map[string]int{"SP": 1, "SU": 2, "FA": 3, "WI": 4}
			switch {
			case hasWord(ws, "last", "past", "previous"):
				if order[s] >= order[cur] {
					p.year--
				}
			case hasWord(ws, "next", "coming"):
				if order[s] <= order[cur] {
					p.year++
				}
			case hasWord(ws, "this"):
			case c.tense < 0 && order[s] > order[cur]:
				p.year--
			case c.tense > 0 && order[s] < order[cur]:
				p.year++
			}
		default:
			p.year = -1
		}
		if p.year >= 0 {
			first := map[string]time.Month{"SP": 3, "SU": 6, "FA": 9, "WI": 12}[s]
			p.t = time.Date(p.year, first, 1, 0, 0, 0, 0, time.UTC)
		}
		return p, a, true
	}

	// Weekdays: Friday, last Monday, next Tuesday, Wednesday night.
	for i, w := range ws {
		dv, ok := cl(w, "WEEKDAY")
		if !ok {
			continue
		}
		d, _ := strconv.Atoi(dv)
		if !c.hasDC {
			p := point{g: gDay, year: -1, weekday: d}
			return withPart(p, ws[i+1:]), "", true
		}
		dir := c.tense
		switch {
		case hasWord(ws[:i], "last", "past", "previous"):
			dir = -2
		case hasWord(ws[:i], "next", "coming"):
			dir = 2
		case hasWord(ws[:i], "this"):
			if dir == 0 {
				dir = 1
			}
		}
		t := weekdayFrom(base, d, dir)
		if c.ref.g == gDay && !c.ref.t.Equal(base) && hasWord(ws[:i], "following") {
			t = weekdayFrom(c.ref.t, d, 2)
		}
		return withPart(at(t, gDay), ws[i+1:]), anchor, true
	}

	// Years: 1998, fiscal 1989, mid-2015, the year 2000.
	if year, ok := yearIn(ws); ok {
		// TimeBank writes fiscal years as plain years ("fiscal 1989" is 1989).
		p := point{g: gYear, year: year}
		p.t = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		if strings.Join(ws, " ") == "year two thousand" || strings.Join(ws, " ") == "two thousand" {
			return p, "", true
		}
		return p, "", true
	}

	// Relative units: last week, this year, next month, the past year, two weeks ago, a year
	// earlier, three days later, the next day, year-ago, earlier this year.
	return relativeUnit(ws, typ, c)
}

func relativeUnit(ws []string, typ string, c env) (point, string, bool) {
	l := lex()
	unit, ui := "", -1
	for i, w := range ws {
		if u, ok := unitOf(w); ok && u != "X" && u != "S" && u != "MIN" && u != "H" {
			unit, ui = u, i
			break
		}
	}
	if ui < 0 {
		return point{}, "", false
	}
	plural := strings.HasSuffix(ws[ui], "s") && unit != "DE" || ws[ui] == "centuries"
	rel, hasRel := 0, false
	n, hasNum := 1.0, false
	for _, w := range ws[:ui] {
		if v, ok := l.class(w, "REL"); ok {
			rel, _ = strconv.Atoi(v)
			hasRel = true
			if w == "past" || w == "coming" || w == "recent" {
				hasRel = hasRel && !plural
			}
		}
		if x, ok := number(w); ok {
			n, hasNum = x, true
		}
		if _, ok := l.class(w, "VAGUE"); ok && w != "past" && w != "coming" && w != "recent" {
			return point{}, "", false
		}
	}
	shiftDir := 0
	for _, w := range ws[ui+1:] {
		if v, ok := l.class(w, "SHIFT"); ok {
			shiftDir, _ = strconv.Atoi(v)
		}
	}
	// "earlier this year": the SHIFT word comes first.
	if ui > 0 && (ws[0] == "earlier" || ws[0] == "later") && hasRel {
		shiftDir = 0
	}
	g := unitGran(unit)
	switch {
	case shiftDir != 0 && (typ != "DURATION" || ws[len(ws)-1] == "ago"):
		// two weeks ago, a year earlier, three days later
		if plural && !hasNum {
			return point{}, "", false
		}
		from, anchor := c.dct, "dct"
		// "two days later", "a year earlier" count from the last date mentioned; "ago" from the
		// document date, except that "a year ago" after a quarter or a month is that period a
		// year before (financial news: "the third quarter … a year ago").
		periodRef := unit == "Y" && (c.ref.g == gQuarter || c.ref.g == gHalf || c.ref.g == gMonth)
		// The reference time must be as fine as the unit: "two days later" after "this spring"
		// counts from the document date.
		useRef := c.ref.g != gNone && (ws[len(ws)-1] != "ago" || periodRef) && (c.ref.g >= g || periodRef)
		if useRef {
			from, anchor = c.ref.t, "ref"
		} else if !c.hasDC {
			return point{}, "", false
		}
		k := int(n) * shiftDir
		if useRef && periodRef {
			return shift(c.ref, k, unit), anchor, true
		}
		p := shift(at(from, g), k, unit)
		return p, anchor, true
	case hasRel && !hasNum && !plural && typ != "DURATION":
		// last week, this year, next month, the following day
		// "the following year", "the next day", "the previous week": from the last date mentioned.
		if (hasWord(ws[:ui], "following", "previous", "preceding", "prior") || c.the && hasWord(ws[:ui], "next")) && c.ref.g >= g && c.ref.g != gWeekend {
			return shift(at(c.ref.t, g), rel, unit), "ref", true
		}
		if !c.hasDC {
			return point{}, "", false
		}
		p := at(c.dct, g)
		if rel != 0 {
			p = shift(p, rel, unit)
		}
		return p, "dct", true
	case !hasRel && !hasNum && !plural && typ == "DATE" && len(ws) <= 2:
		// the year, the week, the day (as a date: the current one)
		if !c.hasDC {
			return point{}, "", false
		}
		if c.ref.g == g && c.tense <= 0 {
			return c.ref, "ref", true // "the year" in a story told of another year; not in a future clause
		}
		if unit == "WE" && (c.tense < 0 || c.tense == 0 && weekday(c.dct) <= 3) {
			// "the weekend" early in the week is the one just past.
			return shift(at(c.dct, g), -1, unit), "dct", true
		}
		return at(c.dct, g), "dct", true
	}
	return point{}, "", false
}

// nearestYear is the year that puts month m nearest the document date: news names months of the
// recent past and the coming months without a year. The tense tips the balance by a quarter.
func nearestYear(c env, m int) int {
	y := c.dct.Year()
	best, bestD := y, math.Inf(1)
	for _, cy := range []int{y - 1, y, y + 1} {
		d := float64((cy-y)*12 + m - int(c.dct.Month()))
		cost := math.Abs(d)
		if c.tense < 0 && d > 0 || c.tense > 0 && d < 0 {
			cost += tensePenalty
		}
		if cost < bestD {
			best, bestD = cy, cost
		}
	}
	return best
}

// tensePenalty is what the tense of the clause adds, in months, to a month on the wrong side of the
// document date.
const tensePenalty = 3

func weekday(t time.Time) int {
	if wd := int(t.Weekday()); wd != 0 {
		return wd
	}
	return 7
}

// weekdayFrom finds weekday d (1 = Monday) from t: dir < 0 the latest on or before t (-2: strictly
// before), dir > 0 the next on or after t (2: strictly after), 0 the nearest, preferring the past.
func weekdayFrom(t time.Time, d, dir int) time.Time {
	wd := int(t.Weekday())
	if wd == 0 {
		wd = 7
	}
	back := (wd - d + 7) % 7
	fwd := (d - wd + 7) % 7
	switch dir {
	case -2:
		if back == 0 {
			back = 7
		}
		return t.AddDate(0, 0, -back)
	case 2:
		if fwd == 0 {
			fwd = 7
		}
		return t.AddDate(0, 0, fwd)
	case 1:
		return t.AddDate(0, 0, fwd)
	}
	return t.AddDate(0, 0, -back)
}

func partClock(pd string) string {
	if strings.HasPrefix(pd, "T") {
		return pd
	}
	return "T" + pd
}

func withPart(p point, rest []string) point {
	for _, w := range rest {
		if pd, ok := lex().class(w, "PARTDAY"); ok {
			p.g, p.clock = gTime, partClock(pd)
			return p
		}
	}
	return p
}

func withClock(p point, ws []string) point {
	if clk, _, ok := clockOf(ws); ok && p.g == gDay {
		p.g, p.clock = gTime, clk
	}
	return p
}

// clockOf finds a clock time in the words: 10:35, 10:35 a.m., 9 p.m., noon, midnight. It returns
// the "Thh:mm" part and the other words.
func clockOf(ws []string) (string, []string, bool) {
	for i, w := range ws {
		if pd, ok := lex().class(w, "PARTDAY"); ok && strings.HasPrefix(pd, "T") {
			return pd, append(append([]string(nil), ws[:i]...), ws[i+1:]...), true
		}
		sc := shapeClass(w)
		if sc != "CLOCK" && sc != "NUM" {
			continue
		}
		ampm := ""
		if i+1 < len(ws) && shapeClass(ws[i+1]) == "AMPM" {
			ampm = ws[i+1]
		}
		if sc == "NUM" && ampm == "" {
			continue
		}
		h, m := 0, 0
		parts := strings.Split(w, ":")
		var err error
		if h, err = strconv.Atoi(parts[0]); err != nil || h > 24 {
			continue
		}
		if len(parts) > 1 {
			if m, err = strconv.Atoi(parts[1]); err != nil || m > 59 {
				continue
			}
		}
		if strings.HasPrefix(ampm, "p") && h < 12 {
			h += 12
		}
		if strings.HasPrefix(ampm, "a") && h == 12 {
			h = 0
		}
		end := i + 1
		if ampm != "" {
			end++
		}
		for end < len(ws) && shapeClass(ws[end]) == "ZONE" {
			end++
		}
		rest := append(append([]string(nil), ws[:i]...), ws[end:]...)
		return fmt.Sprintf("T%02d:%02d", h, m), rest, true
	}
	return "", nil, false
}

// numericDate reads 2015-07-15, 07/15/2015 (month first, as US news writes it, where both orders
// are possible) and 15/07/2015 (day first, where the first number cannot be a month).
func numericDate(w string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "1/2/2006", "01/02/2006", "1/2/06", "01/02/06", "2/1/2006", "02/01/2006", "2/1/06", "02/01/06"} {
		if t, err := time.Parse(layout, w); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// yearIn finds a year in the words: 1998, fiscal 1989, two thousand, nineteen ninety-seven.
func yearIn(ws []string) (int, bool) {
	for i, w := range ws {
		if shapeClass(w) == "YEAR" {
			y, _ := strconv.Atoi(w)
			return y, true
		}
		if w == "thousand" && i > 0 && ws[i-1] == "two" {
			return 2000, true
		}
		// nineteen ninety-seven, twenty fifteen
		if i+1 < len(ws) && (w == "nineteen" || w == "eighteen" || w == "twenty") {
			if n, ok := number(ws[i+1]); ok && n >= 10 && n < 100 {
				c, _ := number(w)
				return int(c)*100 + int(n), true
			}
		}
	}
	return 0, false
}

// dayNumber reads a day of the month: 15, 15th, fifteenth.
func dayNumber(w string) int {
	w = strings.TrimSuffix(w, ",")
	switch shapeClass(w) {
	case "NUM":
		n, _ := strconv.Atoi(w)
		if n >= 1 && n <= 31 && len(w) <= 2 {
			return n
		}
	case "ORDNUM":
		n, _ := strconv.Atoi(w[:len(w)-2])
		if n >= 1 && n <= 31 {
			return n
		}
	}
	if v, ok := lex().class(w, "ORD"); ok {
		n, _ := strconv.Atoi(v)
		if n >= 1 {
			return n
		}
	}
	return 0
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func hasWord(ws []string, any ...string) bool {
	for _, w := range ws {
		for _, a := range any {
			if w == a {
				return true
			}
		}
	}
	return false
}

// holiday resolves named days: Christmas (Eve), New Year's Day (Eve), Easter, Thanksgiving, Ramadan,
// Eid al-Fitr, Eid al-Adha, and "the eve of" any of them.
func holiday(ws []string, c env) (point, bool) {
	year, explicit := yearIn(ws)
	if !explicit && !c.hasDC {
		// Fixed-date holidays keep their month and day ("XXXX-12-25"); movable ones have no value.
		p, ok := holidayIn(ws, 2000, c)
		if !ok || hasWord(ws, "easter", "thanksgiving", "eid", "id", "ramadan", "ramazan", "good") {
			return point{}, false
		}
		p.year = -1
		return p, true
	}
	if !explicit {
		// The occurrence nearest the document date: "Thanksgiving" in January is the last one.
		best, bestD := point{}, math.Inf(1)
		for _, y := range []int{c.dct.Year() - 1, c.dct.Year(), c.dct.Year() + 1} {
			p, ok := holidayIn(ws, y, c)
			if !ok {
				return point{}, false
			}
			d := p.t.Sub(c.dct).Hours() / 24
			cost := math.Abs(d)
			if c.tense < 0 && d > 0 || c.tense > 0 && d < 0 {
				cost += 90
			}
			if cost < bestD {
				best, bestD = p, cost
			}
		}
		return best, true
	}
	return holidayIn(ws, year, c)
}

func holidayIn(ws []string, year int, c env) (point, bool) {
	eve := hasWord(ws, "eve")
	var day time.Time
	switch {
	case hasWord(ws, "christmas", "xmas"):
		day = time.Date(year, 12, 25, 0, 0, 0, 0, time.UTC)
	case hasWord(ws, "new") && hasWord(ws, "year's", "years", "year"):
		if hasWord(ws, "eve") {
			day, eve = time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC), false
		} else if hasWord(ws, "day") {
			day = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		} else {
			return point{}, false
		}
	case hasWord(ws, "halloween"):
		day = time.Date(year, 10, 31, 0, 0, 0, 0, time.UTC)
	case hasWord(ws, "valentine's", "valentine"):
		day = time.Date(year, 2, 14, 0, 0, 0, 0, time.UTC)
	case hasWord(ws, "easter"):
		day = easter(year)
		if hasWord(ws, "monday") {
			day = day.AddDate(0, 0, 1)
		}
	case hasWord(ws, "good") && hasWord(ws, "friday"):
		day = easter(year).AddDate(0, 0, -2)
	case hasWord(ws, "thanksgiving"):
		d := time.Date(year, 11, 1, 0, 0, 0, 0, time.UTC)
		day = weekdayFrom(d, 4, 1).AddDate(0, 0, 21)
	case hasWord(ws, "eid", "id"):
		name := "eid-al-fitr"
		if hasWord(ws, "adha", "al-adha") || hasWord(ws, "kabir", "qurban") {
			name = "eid-al-adha"
		} else if !hasWord(ws, "fitr", "al-fitr", "eid") {
			return point{}, false
		}
		t, ok := islamicNear(name, year, c)
		if !ok {
			return point{}, false
		}
		day = t
	case hasWord(ws, "ramadan", "ramazan"):
		t, ok := islamicNear("ramadan", year, c)
		if !ok {
			return point{}, false
		}
		if eve {
			return at(t.AddDate(0, 0, -1), gDay), true
		}
		// Ramadan runs from its first day to the day before Eid al-Fitr, across two months: it
		// is the month most of it falls in; "the start of" and "the end of" it are its days.
		last := t.AddDate(0, 0, 28)
		for _, e := range lex().islamic["eid-al-fitr"] {
			if e.After(t) && e.Before(t.AddDate(0, 0, 32)) {
				last = e.AddDate(0, 0, -1)
				break
			}
		}
		p := at(t.AddDate(0, 0, int(last.Sub(t).Hours()/48)), gMonth)
		p.first, p.last = t, last
		return p, true
	case hasWord(ws, "boxing") && hasWord(ws, "day"):
		day = time.Date(year, 12, 26, 0, 0, 0, 0, time.UTC)
	default:
		return point{}, false
	}
	if eve {
		day = day.AddDate(0, 0, -1)
	}
	return at(day, gDay), true
}

// islamicNear returns the date of an Islamic holiday in the Gregorian year, the one nearest the
// document date when the year is not given and the year has none.
func islamicNear(name string, year int, c env) (time.Time, bool) {
	ds := lex().islamic[name]
	var best time.Time
	for _, d := range ds {
		if d.Year() == year {
			if best.IsZero() || c.hasDC && absDays(d, c.dct) < absDays(best, c.dct) {
				best = d
			}
		}
	}
	return best, !best.IsZero()
}

func absDays(a, b time.Time) float64 { return math.Abs(a.Sub(b).Hours()) }

// easter returns Western Easter Sunday (the anonymous Gregorian algorithm).
func easter(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// weekdaySet is the value of words that open with a weekday, with the part of the day after it if
// any: "Monday" XXXX-WXX-1, "Monday morning" XXXX-WXX-1TMO.
func weekdaySet(ws []string) (string, bool) {
	d, ok := lex().class(ws[0], "WEEKDAY")
	if !ok {
		return "", false
	}
	v := "XXXX-WXX-" + d
	if len(ws) > 1 {
		if pd, ok := lex().class(ws[1], "PARTDAY"); ok && !strings.HasPrefix(pd, "T") {
			v += "T" + pd
		}
	}
	return v, true
}
