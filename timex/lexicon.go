package timex

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed data/words.tsv
var wordsTSV string

//go:embed data/islamic.tsv
var islamicTSV string

// entry is what the lexicon knows of a word: its classes and a value per class.
type entry map[string]string

type lexicon struct {
	words   map[string]entry
	islamic map[string][]time.Time // holiday name → dates, ascending
}

var lex = sync.OnceValue(func() *lexicon {
	l := &lexicon{words: map[string]entry{}, islamic: map[string][]time.Time{}}
	for n, line := range strings.Split(wordsTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			panic(fmt.Sprintf("timex/data/words.tsv:%d: want CLASS<TAB>word<TAB>value", n+1))
		}
		e := l.words[f[1]]
		if e == nil {
			e = entry{}
			l.words[f[1]] = e
		}
		e[f[0]] = f[2]
	}
	for n, line := range strings.Split(islamicTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		t, err := time.Parse("2006-01-02", f[1])
		if len(f) != 4 || err != nil {
			panic(fmt.Sprintf("timex/data/islamic.tsv:%d: bad line", n+1))
		}
		l.islamic[f[0]] = append(l.islamic[f[0]], t)
	}
	return l
})

// class returns the value of a word's class, and whether it has it.
func (l *lexicon) class(w, c string) (string, bool) {
	v, ok := l.words[w][c]
	return v, ok
}

// classes lists a word's classes in a fixed order, for features.
var classOrder = []string{"MONTH", "WEEKDAY", "NUM", "VAGUE", "ORD", "UNIT", "SEASON", "PARTDAY", "DEICTIC", "REL", "SHIFT", "MOD", "FREQ", "FISCAL", "HOLIDAY"}

// shapeClass is the class of a token by its form: YEAR (1000–2099), DECADE (1990s, 90s), NUM (digits),
// NUMWORD, CLOCK (10:35), DATE (02/13/1998, 1998-08-07), ORDNUM (24th), AMPM, or "".
func shapeClass(w string) string {
	switch w {
	case "a.m.", "p.m.", "am", "pm", "a.m", "p.m":
		return "AMPM"
	case "gmt", "utc", "est", "edt", "pst", "pdt", "cst", "cdt", "bst", "cet":
		return "ZONE"
	}
	if w == "" {
		return ""
	}
	digits, other := 0, 0
	for i := 0; i < len(w); i++ {
		if w[i] >= '0' && w[i] <= '9' {
			digits++
		} else {
			other++
		}
	}
	if digits == 0 {
		return ""
	}
	if other == 0 {
		if len(w) == 4 && (w[0] == '1' || w[0] == '2' && w[1] == '0') {
			return "YEAR"
		}
		return "NUM"
	}
	if strings.HasSuffix(w, "s") && (len(w) == 5 || len(w) == 3) && digits == len(w)-1 && strings.HasSuffix(w, "0s") {
		return "DECADE"
	}
	if strings.HasSuffix(w, "st") || strings.HasSuffix(w, "nd") || strings.HasSuffix(w, "rd") || strings.HasSuffix(w, "th") {
		if digits == len(w)-2 {
			return "ORDNUM"
		}
	}
	if strings.Count(w, ":") >= 1 && digits+strings.Count(w, ":") == len(w) {
		return "CLOCK"
	}
	if strings.Count(w, "/") == 2 || strings.Count(w, "-") == 2 && digits+2 == len(w) {
		return "DATE"
	}
	if strings.Count(w, "/") == 1 && digits+1 == len(w) {
		return "FRACTION"
	}
	return "MIXED"
}

// number reads a cardinal: digits ("3", "1,000"), a number word ("three", "a"), or a hyphenated
// pair ("twenty-five"). ok is false for anything else.
func number(w string) (float64, bool) {
	if v, ok := lex().class(w, "NUM"); ok {
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	}
	if a, b, ok := strings.Cut(w, "-"); ok {
		x, ok1 := lex().class(a, "NUM")
		y, ok2 := lex().class(b, "NUM")
		if ok1 && ok2 {
			fx, _ := strconv.ParseFloat(x, 64)
			fy, _ := strconv.ParseFloat(y, 64)
			if fx >= 20 && fy < 10 {
				return fx + fy, true
			}
		}
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(w, ",", ""), 64)
	if err != nil || f < 0 {
		return 0, false
	}
	return f, true
}

// triggerClasses are the word classes that can carry a temporal expression on their own: a
// sentence without any of them (nor a year, decade, clock time or numeric date) is not tagged.
var triggerClasses = []string{"MONTH", "WEEKDAY", "UNIT", "SEASON", "PARTDAY", "DEICTIC", "FREQ", "FISCAL", "HOLIDAY", "TRIGGER"}

// trigger reports whether a word (as written, and lower-cased) may start the search for a
// temporal expression. "may" counts only with a capital.
func trigger(word, lower string) bool {
	if e := lex().words[lower]; e != nil {
		if lower == "may" {
			return word == "May" || word == "MAY"
		}
		for _, c := range triggerClasses {
			if _, ok := e[c]; ok {
				return true
			}
		}
	}
	if strings.IndexByte(lower, '-') > 0 {
		for _, p := range strings.Split(lower, "-") {
			if trigger(p, p) {
				return true
			}
		}
	}
	switch shapeClass(lower) {
	case "YEAR", "DECADE", "CLOCK", "DATE", "AMPM":
		return true
	}
	if b, ok := strings.CutSuffix(lower, "'s"); ok && strings.HasSuffix(word, "'s") || ok && strings.HasSuffix(word, "'S") {
		return trigger(word[:len(word)-2], b)
	}
	return false
}
