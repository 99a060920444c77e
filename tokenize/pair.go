package tokenize

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph"
)

// Unpaired is a quotation mark Pair could not match.
type Unpaired struct {
	Token int    // index into the tokens
	Why   string // "no closing mark", "no opening mark"
}

// MaxQuoteDepth bounds how deep quotations nest: news nests three at most (a quotation inside a
// quotation inside a quotation), and every level repeats its text in the quotes layer, so that
// 10,000 nested marks made a 300 MB analysis. Marks nested deeper pair with nothing.
const MaxQuoteDepth = 8

// MaxParagraphQuotes bounds the quotations opened in one paragraph; the opening marks after them
// pair with nothing, nor do their closing marks (apostrophes do not count). A paragraph of news
// opens a few; a line of 5 MB with a quoted word every 14 bytes made 350,000 quotations, each then
// read for its speaker.
const MaxParagraphQuotes = 100

type openMark struct {
	tok    int // the mark opening it in the current paragraph, or -1 while awaiting a re-opening mark
	single bool
	id     string
	prior  []int // opening marks of earlier paragraphs of a quotation that runs over several
}

// Pair decides the role of every quotation-mark token and relabels it in place: QuoteOpen and
// QuoteClose (both marks of a pair get the same ID, "q1", "q2", ...), Apostrophe, or Quote when it
// pairs with nothing. It follows news conventions: a quotation that runs over several paragraphs has
// an opening mark on each paragraph and a closing mark only at the end (the re-opening marks share
// the pair's ID), and a double opening mark right after a sentence's end inside an open double
// quotation is taken for such a re-opening mark whose paragraph break the text lost (so a double
// quotation nested in a double one must not open a sentence); double and single marks nest;
// straight marks are read from what flanks them.
// paragraphs must be sorted; tokens outside every paragraph are ignored.
func Pair(text string, toks []newsgraph.Span, paragraphs []newsgraph.Span) []Unpaired {
	var bad []Unpaired
	var stack []openMark
	var open [2]int // marks on the stack by kind (0 double, 1 single): top is O(1) when none is open
	var deep [2]int // opening marks past the bounds by kind, their closing marks still to come
	kind := func(single bool) int {
		if single {
			return 1
		}
		return 0
	}
	top := func(single bool) int {
		if open[kind(single)] == 0 {
			return -1
		}
		return top(stack, single)
	}
	truncate := func(n int) {
		for _, o := range stack[n:] {
			open[kind(o.single)]--
		}
		stack = stack[:n]
	}
	next := 0
	newID := func() string { next++; return "q" + strconv.Itoa(next) }
	ti := 0
	for pi, p := range paragraphs {
		for ti < len(toks) && toks[ti].End <= p.Start {
			ti++
		}
		firstInPara := true
		opened := 0 // quotations opened in the paragraph
		for ; ti < len(toks) && toks[ti].Start < p.End; ti++ {
			t := &toks[ti]
			if t.Label != Quote {
				firstInPara = false
				continue
			}
			r, _ := utf8.DecodeRuneInString(text[t.Start:t.End])
			single := isSingleQuote(r)
			role := markRole(text, t.Start, t.End, r)
			if role == roleEither {
				role = roleOpen
				if top(single) >= 0 {
					role = roleClose
				}
			}
			if role == roleOpen && single && (r == '\'' || r == '’') && digitAfter(text, t.End) {
				t.Label = Apostrophe // ’90s
				firstInPara = false
				continue
			}
			switch role {
			case roleOpen:
				// A re-opening mark at the start of a paragraph that continues an open quotation.
				if firstInPara && len(stack) > 0 && stack[len(stack)-1].single == single && stack[len(stack)-1].tok < 0 {
					stack[len(stack)-1].tok = ti
					t.Label, t.ID = QuoteOpen, stack[len(stack)-1].id
					break
				}
				// A double opening mark right after a sentence's end inside an open double
				// quotation re-opens it: a quotation of several paragraphs whose paragraph
				// breaks the text lost ("… I don't do that. "I have to give him a run …").
				if n := len(stack); !single && n > 0 && !stack[n-1].single && stack[n-1].tok >= 0 && afterSentenceEnd(text, t.Start) {
					o := &stack[n-1]
					o.hold(toks, newID)
					o.tok = ti
					t.Label, t.ID = QuoteOpen, o.id
					break
				}
				if len(stack) >= MaxQuoteDepth || opened >= MaxParagraphQuotes {
					why := tooDeep
					if opened >= MaxParagraphQuotes {
						why = tooMany
					}
					deep[kind(single)]++
					bad = append(bad, Unpaired{Token: ti, Why: why})
					break
				}
				opened++
				stack = append(stack, openMark{tok: ti, single: single})
				open[kind(single)]++
			case roleClose:
				if deep[kind(single)] > 0 {
					deep[kind(single)]--
					bad = append(bad, Unpaired{Token: ti, Why: "closes a mark past the bounds"})
					break
				}
				k := top(single)
				if k < 0 {
					if single && (r == '’' || r == '\'') && t.Start > 0 && !spaceBefore(text, t.Start) {
						t.Label = Apostrophe // the teams’ coach
					} else {
						bad = append(bad, Unpaired{Token: ti, Why: "no opening mark"})
					}
					break
				}
				// Marks opened after the matching one and left open cannot pair any more.
				for _, o := range stack[k+1:] {
					bad = append(bad, unclosed(toks, o)...)
				}
				o := stack[k]
				id := o.id
				if id == "" {
					id = newID()
				}
				if o.tok >= 0 {
					toks[o.tok].Label, toks[o.tok].ID = QuoteOpen, id
				}
				t.Label, t.ID = QuoteClose, id
				truncate(k)
			}
			firstInPara = false
		}
		// At the end of a paragraph an open double quotation continues only if the next paragraph
		// starts with an opening mark of the same kind; everything else open is unpaired.
		cont := -1
		if n := len(stack); n > 0 && pi+1 < len(paragraphs) {
			o := stack[n-1]
			if startsWithOpen(text, toks, ti, paragraphs[pi+1], o.single) {
				cont = n - 1
			}
		}
		for k, o := range stack {
			if k == cont {
				continue
			}
			bad = append(bad, unclosed(toks, o)...)
		}
		deep = [2]int{}
		if cont >= 0 {
			o := stack[cont]
			o.hold(toks, newID) // waiting for its re-opening mark
			truncate(0)
			stack = append(stack, o)
			open[kind(o.single)]++
		} else {
			truncate(0)
		}
	}
	return bad
}

// Why marks past the bounds are unpaired.
var (
	tooDeep = "nested deeper than " + strconv.Itoa(MaxQuoteDepth) + " quotations"
	tooMany = "more than " + strconv.Itoa(MaxParagraphQuotes) + " quotations in the paragraph"
)

// hold labels the quotation's current opening mark (giving the pair its ID) and keeps it among its
// earlier ones: the quotation goes on after a paragraph break, to a re-opening mark (tok is -1
// until one comes).
func (o *openMark) hold(toks []newsgraph.Span, newID func() string) {
	if o.id == "" {
		o.id = newID()
	}
	if o.tok >= 0 {
		toks[o.tok].Label, toks[o.tok].ID = QuoteOpen, o.id
		o.prior = append(o.prior, o.tok)
	}
	o.tok = -1
}

// unclosed reports a quotation that never closed and unlabels its opening marks, those of earlier
// paragraphs included.
func unclosed(toks []newsgraph.Span, o openMark) []Unpaired {
	var bad []Unpaired
	marks := o.prior
	if o.tok >= 0 {
		marks = append(marks, o.tok)
	}
	for _, k := range marks {
		toks[k].Label, toks[k].ID = Quote, ""
		bad = append(bad, Unpaired{Token: k, Why: "no closing mark"})
	}
	return bad
}

func top(stack []openMark, single bool) int {
	for k := len(stack) - 1; k >= 0; k-- {
		if stack[k].single == single {
			return k
		}
	}
	return -1
}

type role uint8

const (
	roleEither role = iota
	roleOpen
	roleClose
)

// markRole reads a mark's role from its shape (typographic marks) or its flanks (straight ones).
func markRole(text string, start, end int, r rune) role {
	switch r {
	case '“', '‘', '„', '‚', '«', '‹', '‟', '‛':
		return roleOpen
	case '”', '»', '›':
		return roleClose
	}
	before, after := rune(' '), rune(' ')
	if start > 0 {
		before, _ = utf8.DecodeLastRuneInString(text[:start])
	}
	if end < len(text) {
		after, _ = utf8.DecodeRuneInString(text[end:])
	}
	openSide := isSpace(before) || isOpenPunct(before) || IsQuote(before) || before == '/'
	closeSide := isSpace(after) || unicode.IsPunct(after) || IsQuote(after)
	if r == '’' && !openSide {
		return roleClose
	}
	switch {
	case openSide && !closeSide:
		return roleOpen
	case closeSide && !openSide:
		return roleClose
	}
	return roleEither
}

// afterSentenceEnd reports whether the last character before i, spaces aside, ends a sentence
// (. ? ! …) and a space comes between.
func afterSentenceEnd(text string, i int) bool {
	j := i
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if !isSpace(r) {
			break
		}
		j -= size
	}
	if j == i || j == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(text[:j])
	return r == '.' || r == '?' || r == '!' || r == '…'
}

func digitAfter(text string, i int) bool { return i < len(text) && isDigit(rune(text[i])) }

func spaceBefore(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return isSpace(r)
}

// startsWithOpen reports whether the first token of paragraph p (searching from token ti) is an
// opening mark of the given kind.
func startsWithOpen(text string, toks []newsgraph.Span, ti int, p newsgraph.Span, single bool) bool {
	for ; ti < len(toks) && toks[ti].End <= p.Start; ti++ {
	}
	if ti >= len(toks) || toks[ti].Start >= p.End || toks[ti].Label != Quote {
		return false
	}
	t := toks[ti]
	r, _ := utf8.DecodeRuneInString(text[t.Start:t.End])
	return isSingleQuote(r) == single && markRole(text, t.Start, t.End, r) != roleClose
}

// isSingleQuote reports whether r is a single quotation mark (or an apostrophe that may be one).
func isSingleQuote(r rune) bool {
	switch r {
	case '\'', '‘', '’', '‚', '‹', '›', '‛':
		return true
	}
	return false
}
