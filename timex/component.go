// Package timex finds temporal expressions in news text and normalizes them as TIMEX3 does: dates,
// times, durations and sets, each with a value resolved against the document date, the tense of
// its sentence, or the last date the text mentioned.
package timex

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/newsgraph/newsgraph"
)

// Component tags and normalizes temporal expressions. It assigns the timexes layer: one span per
// expression, labelled with its TIMEX3 type (DATE, TIME, DURATION, SET), ID "t1", "t2", … in text
// order, and attributes value (the normalized value: 2015-07-15, 2015-W28, P1W, PRESENT_REF,
// XXXX-WXX-3), mod (START, MID, END, APPROX, …) where the words give one, and anchor: "dct" when
// the value was computed from the document date, or the ID of the earlier expression it was
// computed from. The document date is Meta.Date (ISO 8601: 2015-07-16 or 2015-07-16T10:00:00Z),
// else a dateline's date when it names the year; without one, relative expressions get
// underspecified values (XXXX-WXX-3) or none.
type Component struct {
	Model *Model // nil: the built-in model, loaded on first use
}

// Name implements newsgraph.Component.
func (Component) Name() string { return "timex.perceptron.v1" }

// Requires implements newsgraph.Component.
func (Component) Requires() []string {
	return []string{newsgraph.LayerTokens, newsgraph.LayerSentences}
}

// Assigns implements newsgraph.Component.
func (Component) Assigns() []string { return []string{newsgraph.LayerTimexes} }

// Process implements newsgraph.Component.
func (c Component) Process(_ context.Context, d *newsgraph.Doc) error {
	if !d.English() {
		return d.SetLayer(newsgraph.LayerTimexes, nil) // the model reads English (the clean-up step said so)
	}
	m := c.Model
	if m == nil {
		var err error
		if m, err = Default(); err != nil {
			return err
		}
	}
	dct, ok := DocDate(d.Meta)
	spans := m.Spans(d, dct, ok)
	if !ok {
		// Say that relative dates lack the date they are read against.
		n, first := 0, ""
		for _, sp := range spans {
			if v := sp.Attr("value"); strings.HasPrefix(v, "XXXX") {
				if n++; first == "" {
					first = d.SpanText(sp) + " → " + v
				}
			}
		}
		if n > 0 {
			d.Diag(c.Name(), newsgraph.Warning, nil, "the document has no date (give --date, or a date in the record): %d relative date(s) are left without their year or day (%s)", n, first)
		}
	}
	return d.SetLayer(newsgraph.LayerTimexes, spans)
}

// DocDate reads the document date from the metadata: Meta.Date (an ISO 8601 date, optionally
// with a time), else a dateline date that has a year. ok is false when there is none.
func DocDate(m newsgraph.Meta) (time.Time, bool) {
	if t, ok := ParseDate(m.Date); ok {
		return t, true
	}
	if m.Dateline != nil && m.Dateline.Date != "" {
		ws := strings.Fields(strings.ToLower(strings.NewReplacer(",", " , ").Replace(m.Dateline.Date)))
		if _, ok := yearIn(ws); ok {
			if p, _, ok := resolvePoint(ws, "DATE", env{}); ok && p.g == gDay && p.year >= 0 {
				return p.t, true
			}
		}
	}
	return time.Time{}, false
}

// ParseDate reads the date of an ISO 8601 date or date-time ("2015-07-16", "2015-07-16T10:00:00Z",
// "1998-02-13T14:26:00"), ignoring the time.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 10 {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", s[:10])
	if err != nil || len(s) > 10 && s[10] != 'T' && s[10] != ' ' {
		return time.Time{}, false
	}
	return t, true
}

// Spans tags the document's sentences and resolves each expression, in text order, against the
// document date dct (ok false: none).
func (m *Model) Spans(d *newsgraph.Doc, dct time.Time, ok bool) []newsgraph.Span {
	toks := d.Layer(newsgraph.LayerTokens)
	c := env{dct: dct, hasDC: ok}
	refID := ""
	var out []newsgraph.Span
	var words, lower []string
	for _, s := range d.Layer(newsgraph.LayerSentences) {
		a, b := newsgraph.Covering(toks, s.Start, s.End)
		if a == b {
			continue
		}
		words, lower = words[:0], lower[:0] // reused from sentence to sentence
		for _, t := range toks[a:b] {
			w := d.SpanText(t)
			words, lower = append(words, w), append(lower, strings.ToLower(w))
		}
		for _, x := range m.expressions(words, lower) {
			if x.b-x.a > maxWords {
				continue // no temporal expression is this long: a tagging accident on odd text
			}
			c.tense = tense(lower, x.a, x.b)
			// "the next day" with "the" left outside the span still counts from the reference time.
			c.the = x.a > 0 && lower[x.a-1] == "the"
			r := resolve(lower[x.a:x.b], x.typ, c)
			if r.Value == "" {
				continue
			}
			id := "t" + strconv.Itoa(len(out)+1)
			sp := newsgraph.Span{Start: toks[a+x.a].Start, End: toks[a+x.b-1].End, Label: r.Type, ID: id}
			sp.Attrs = append(sp.Attrs, newsgraph.Attr{Key: "value", Value: r.Value})
			if r.Mod != "" {
				sp.Attrs = append(sp.Attrs, newsgraph.Attr{Key: "mod", Value: r.Mod})
			}
			switch r.Anchor {
			case "dct":
				sp.Attrs = append(sp.Attrs, newsgraph.Attr{Key: "anchor", Value: "dct"})
			case "ref":
				if refID != "" {
					sp.Attrs = append(sp.Attrs, newsgraph.Attr{Key: "anchor", Value: refID})
				}
			}
			out = append(out, sp)
			// The story's reference time moves with the dates it names, not with those it computes
			// from the reference time itself ("a year earlier").
			if r.pt.g != gNone && r.pt.year >= 0 && (r.Type == "DATE" || r.Type == "TIME") && r.Anchor != "ref" {
				c.ref, refID = r.pt, id
			}
		}
	}
	return out
}

// maxWords bounds the tokens of an expression (TempEval-3's longest have about ten).
const maxWords = 20

type expr struct {
	a, b int // token range in the sentence
	typ  string
}

// expressions finds the expressions of one sentence: the tagger's spans, and named holidays and
// numeric dates it does not cover ("the eve of Eid al-Fitr", "Christmas", "15/07/2015").
func (m *Model) expressions(words, lower []string) []expr {
	any := false
	trig := make([]bool, len(words))
	for i := range words {
		if trigger(words[i], lower[i]) {
			trig[i], any = true, true
		}
	}
	if !any {
		// No month, weekday, unit, year, clock time, … : nothing for the tagger to find (on
		// TempEval-3 train, 4 of 1,672 expressions lack such a word: TestTriggerCoverage).
		return nil
	}
	labels := m.TagNear(words, trig)
	var out []expr
	for i := 0; i < len(labels); {
		l := Labels[labels[i]]
		if !strings.HasPrefix(l, "B-") {
			i++
			continue
		}
		j := i + 1
		for j < len(labels) && Labels[labels[j]] == "I-"+l[2:] {
			j++
		}
		x := expr{i, j, l[2:]}
		// Words that cannot open an expression ("20% last year", "more today") are left out, and a
		// pronoun or a modal ends one ("next year they may fall").
		for x.a < x.b-1 && !canOpen(words[x.a], lower[x.a]) {
			x.a++
		}
		for k := x.a + 1; k < x.b; k++ {
			if stopWords[lower[k]] || lower[k] == "may" && words[k] == "may" {
				x.b = k
				break
			}
		}
		// "every Monday", "each year": the quantifier makes a set.
		if x.a > 0 && (lower[x.a-1] == "every" || lower[x.a-1] == "each") {
			x.a, x.typ = x.a-1, "SET"
		}
		if ambiguousOnly(words[x.a:x.b], lower[x.a:x.b]) {
			i = j
			continue
		}
		x.a = extendLeft(lower, x.a)
		i, j = x.a, x.b
		// "a week after": the tagger (as some TimeBank annotators) may take the unit alone; with
		// its count the expression is a duration, as TimeML's guidelines have it.
		if _, unit := lex().class(lower[i], "UNIT"); unit && j == i+1 && i > 0 && !strings.HasSuffix(lower[i], "s") {
			if _, num := number(lower[i-1]); num && (lower[i-1] == "a" || lower[i-1] == "an" || lower[i-1] == "one") {
				x = expr{i - 1, j, "DURATION"}
			}
		}
		out = append(out, x)
		i = j
	}
	for _, h := range holidays(lower) {
		h.a = extendLeft(lower, h.a)
		overlap := false
		for k, x := range out {
			if x.a < h.b && h.a < x.b {
				// The tagger's span and the holiday's become one ("New Year's Day morning").
				overlap = true
				out[k] = expr{min(x.a, h.a), max(x.b, h.b), "DATE"}
			}
		}
		if !overlap {
			out = append(out, h)
		}
	}
	// "for decades", "over many years": a plural unit after "for" or "over" that the tagger
	// left out is a vague duration.
	for i := 1; i < len(lower); i++ {
		if !pluralUnits[lower[i]] {
			continue
		}
		a := i
		if quantifiers[lower[a-1]] && a >= 2 {
			a--
		}
		if lower[a-1] != "for" && lower[a-1] != "over" {
			continue
		}
		covered := false
		for _, x := range out {
			covered = covered || x.a <= i && i < x.b
		}
		if !covered {
			out = append(out, expr{a, i + 1, "DURATION"})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].a < out[j].a })
	// Merge what overlaps (a holiday joined to a tagger's span may reach the next one).
	merged := out[:0]
	for _, x := range out {
		if n := len(merged); n > 0 && x.a < merged[n-1].b {
			merged[n-1].b = max(merged[n-1].b, x.b)
			continue
		}
		merged = append(merged, x)
	}
	return merged
}

// quantifiers may stand between "for" and a plural unit: "for many years".
var quantifiers = map[string]bool{"many": true, "several": true, "some": true, "few": true}

// extendLeft takes into an expression starting at a the words before it that belong to it: a day
// before its month ("28 December", "the 28th of December"), and "the start of", "the end of", "the
// middle of" before a month or a holiday ("the end of Ramadan").
func extendLeft(lower []string, a int) int {
	if a >= len(lower) {
		return a
	}
	if _, month := lex().class(lower[a], "MONTH"); month {
		switch {
		case a >= 1 && dayNumber(lower[a-1]) > 0:
			a--
		case a >= 2 && lower[a-1] == "of" && dayNumber(lower[a-2]) > 0:
			a -= 2
			if a >= 1 && lower[a-1] == "the" {
				a--
			}
		}
	}
	_, month := lex().class(lower[a], "MONTH")
	_, hol := lex().class(lower[a], "HOLIDAY")
	if (month || hol) && a >= 3 && lower[a-1] == "of" && lower[a-3] == "the" {
		switch lower[a-2] {
		case "start", "beginning", "end", "middle":
			a -= 3
		}
	}
	return a
}

// stopWords end an expression: pronouns and modals are never inside one.
var stopWords = map[string]bool{"i": true, "you": true, "he": true, "she": true, "it": true, "we": true, "they": true,
	"might": true, "must": true, "can": true, "could": true, "should": true, "would": true, "will": true, "shall": true}

// canOpen reports whether a word may be the first of an expression: a word of the lexicon, a
// number or date form, a determiner, or a modifier TimeBank includes ("about", "nearly").
func canOpen(word, lower string) bool {
	if lower == "may" && word != "May" && word != "MAY" {
		return false // the modal
	}
	if lex().words[lower] != nil {
		return true
	}
	switch lower {
	case "the", "this", "that", "these", "those", "at", "less", "least", "within", "up", "some", "each", "every", "late", "mid", "early":
		return true
	}
	switch shapeClass(lower) {
	case "", "MIXED":
		return strings.Contains(lower, "-") && signature(lower) != ""
	}
	return true
}

// ambiguousOnly reports whether the only temporal word of an expression is one that is mostly a
// verb or noun in lower case ("march", "fall", "spring", "may") with no determiner or relative word
// to make it a date ("last fall", "the spring").
func ambiguousOnly(words, lower []string) bool {
	amb := false
	for i, l := range lower {
		switch l {
		case "march", "may", "fall", "spring":
			if words[i] != strings.ToLower(words[i]) {
				return false
			}
			amb = true
			continue
		case "the", "this", "last", "next", "early", "late", "mid", "past", "coming":
			return false
		}
		if _, ok := yearIn([]string{l}); ok {
			return false
		}
		if dayNumber(l) > 0 {
			return false
		}
	}
	return amb
}

// holidays finds named holidays by their words: [the eve of] Christmas [Eve|Day], Easter,
// Thanksgiving, New Year's Day/Eve, Ramadan, Eid [al-Fitr|al-Adha]; and numeric dates.
func holidays(lower []string) []expr {
	var out []expr
	for i := 0; i < len(lower); i++ {
		w := lower[i]
		end := -1
		switch {
		case w == "good" && i+1 < len(lower) && lower[i+1] == "friday":
			end = i + 2
		case w == "eid":
			end = i + 1
			if i+1 < len(lower) && (strings.HasPrefix(lower[i+1], "al-") || lower[i+1] == "ul-fitr") {
				end = i + 2
			}
		case w == "boxing" && i+1 < len(lower) && lower[i+1] == "day":
			end = i + 2
		case w == "eid-al-fitr" || w == "eid-al-adha" || w == "ramadan" || w == "christmas" || w == "easter" || w == "thanksgiving" || w == "halloween":
			end = i + 1
			if i+1 < len(lower) && (lower[i+1] == "eve" || lower[i+1] == "day") {
				end = i + 2
			}
		case w == "new" && i+2 < len(lower) && (lower[i+1] == "year" && lower[i+2] == "'s" || lower[i+1] == "year's"):
			k := i + 2
			if lower[i+1] == "year" {
				k = i + 3
			}
			if k < len(lower) && (lower[k] == "day" || lower[k] == "eve") {
				end = k + 1
			}
		}
		if end < 0 && shapeClass(w) == "DATE" {
			// Numeric dates (07/15/2015, 15/07/2015, 2015-07-15), rare in TimeBank's text.
			if _, ok := numericDate(w); ok {
				out = append(out, expr{i, i + 1, "DATE"})
			}
			continue
		}
		if end < 0 {
			continue
		}
		start := i
		if i >= 3 && lower[i-1] == "of" && lower[i-2] == "eve" && lower[i-3] == "the" {
			start = i - 3
		}
		out = append(out, expr{start, end, "DATE"})
		i = end - 1
	}
	return out
}

// tenseReach is how many words either side of an expression tense reads: a clause, not the
// whole of a run-on sentence.
const tenseReach = 15

// tense guesses the tense of the clause around an expression from the nearest auxiliary or verb
// form outside it: -1 past, +1 future, 0 present or unknown.
func tense(lower []string, a, b int) int {
	for d := 1; d <= tenseReach; d++ {
		for _, i := range []int{a - d, b - 1 + d} {
			if i < 0 || i >= len(lower) || i >= a && i < b {
				continue
			}
			if t, ok := tenseOf(lower, i); ok {
				return t
			}
		}
	}
	return 0
}

func tenseOf(lower []string, i int) (int, bool) {
	w := lower[i]
	switch w {
	case "will", "'ll", "shall", "wo", "would", "'d", "wants", "plans", "plan", "planning", "planned",
		"expects", "expected", "hopes", "scheduled", "set", "due", "intends", "upcoming":
		return 1, true
	case "as":
		// "as soon as Tuesday", "as early as Monday"
		if i+2 < len(lower) && (lower[i+1] == "soon" || lower[i+1] == "early") && lower[i+2] == "as" {
			return 1, true
		}
	case "is", "are", "am", "says", "has", "have", "do", "does", "'s", "'re":
		if w == "'s" || w == "has" || w == "have" {
			return 0, false
		}
		return 0, true
	}
	if pastForms[w] || len(w) > 4 && strings.HasSuffix(w, "ed") {
		if i > 0 && (lower[i-1] == "be" || lower[i-1] == "been" || lower[i-1] == "being") {
			return 0, false // a passive: "will be held", the auxiliary before it tells
		}
	}
	if pastForms[w] {
		return -1, true
	}
	if len(w) > 4 && strings.HasSuffix(w, "ed") && i > 0 && lower[i-1] != "be" && lower[i-1] != "been" && lower[i-1] != "is" && lower[i-1] != "are" {
		return -1, true
	}
	if w == "going" && i+1 < len(lower) && lower[i+1] == "to" {
		return 1, true
	}
	return 0, false
}

var pastForms = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`was were had did said told went came made took gave got saw knew thought found left met ran
		began became held kept brought bought sold paid sent spent built fell felt led lost put rose won wrote struck fought
		hit shot quit cut drew grew threw flew ate fled spoke broke chose stood sat sought taught caught`) {
		pastForms[w] = true
	}
}
