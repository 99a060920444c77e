package format

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/tokenize"
)

// TextOptions control the terminal view.
type TextOptions struct {
	Color bool // ANSI colours and styles
	Width int  // wrap sentences at this many columns; 0 means 100
}

// ANSI styles.
const (
	reset   = "\x1b[0m"
	bold    = "\x1b[1m"
	dim     = "\x1b[2m"
	italic  = "\x1b[3m"
	red     = "\x1b[31m"
	green   = "\x1b[32m"
	yellow  = "\x1b[33m"
	blue    = "\x1b[34m"
	magenta = "\x1b[35m"
	cyan    = "\x1b[36m"
)

// highlight is a style the terminal view gives to the spans of a layer, inline in the sentences.
// Later layers (entities, timexes, quotes) add themselves here; the view shows whichever are present.
type highlight struct {
	layer string
	style string
	tag   bool // print the span's label after it: Omar[PER]
}

var highlights = []highlight{
	{newsgraph.LayerQuotes, green, false},
	{newsgraph.LayerEntities, cyan + bold, true},
	{newsgraph.LayerTimexes, magenta, true},
}

// WriteText writes the readable view of one document: its metadata, then each paragraph with its
// sentences numbered, boilerplate dimmed, and the spans of the highlight layers coloured inline.
func WriteText(w io.Writer, d *newsgraph.Doc, opts TextOptions) error {
	if opts.Width <= 0 {
		opts.Width = 100
	}
	st := func(style, s string) string {
		if !opts.Color || style == "" {
			return s
		}
		return style + s + reset
	}
	var b strings.Builder
	m := d.Meta
	name := m.Input.Path
	if m.Input.Record > 0 {
		name = fmt.Sprintf("%s #%d", name, m.Input.Record)
	}
	b.WriteString(st(bold, "── "+name+" "+strings.Repeat("─", max(3, opts.Width-5-utf8.RuneCountInString(name)))) + "\n")
	row := func(k, v, src string) {
		if v == "" {
			return
		}
		if src != "" {
			v += st(dim, " ("+src+")")
		}
		fmt.Fprintf(&b, "%s %s\n", st(dim, fmt.Sprintf("%-10s", k)), v)
	}
	row("title", m.Title, m.TitleSource)
	row("publisher", m.Publisher, m.PublisherSource)
	row("date", m.Date, "")
	row("url", m.URL, "")
	row("byline", m.Byline, "")
	if dl := m.Dateline; dl != nil {
		parts := []string{}
		for _, p := range []string{dl.Place, dl.Date, dl.Agency} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		row("dateline", strings.Join(parts, " · "), "")
	}
	if m.Input.Encoding != "" {
		row("encoding", m.Input.Encoding, "decoded")
	}
	sents := d.Layer(newsgraph.LayerSentences)
	marks := collectMarks(d)
	nsent := 0
	for pi, p := range d.Layer(newsgraph.LayerParagraphs) {
		b.WriteByte('\n')
		label := fmt.Sprintf("¶%d", pi+1)
		if !newsgraph.IsContent(p) {
			kind := p.Label
			for _, bp := range d.Layer(newsgraph.LayerBoilerplate) {
				if p.Contains(bp) {
					kind = bp.Label
					break
				}
			}
			fmt.Fprintf(&b, "%s %s\n", st(dim, fmt.Sprintf("%-5s", label)), st(dim+italic, "["+kind+"] "+oneLine(d.SpanText(p))))
			continue
		}
		role := ""
		if p.Label != newsgraph.ParaBody {
			role = " " + st(yellow, p.Label)
		}
		fmt.Fprintf(&b, "%s%s\n", st(dim, label), role)
		a, e := newsgraph.Covering(sents, p.Start, p.End)
		for _, s := range sents[a:e] {
			nsent++
			prefix := fmt.Sprintf("  %3d  ", nsent)
			body := render(d, s, marks, st)
			if p.Label == newsgraph.ParaTitle {
				body = st(bold, body)
			}
			wrap(&b, st(dim, prefix), len(prefix), body, opts.Width)
		}
	}
	if len(d.Diagnostics) > 0 {
		b.WriteByte('\n')
		for _, dg := range d.Diagnostics {
			fmt.Fprintf(&b, "%s %s: %s\n", st(red, string(dg.Severity)), dg.Component, dg.Message)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mark is a style change at a byte offset of the text.
type mark struct {
	at    int
	open  bool
	style string
	tag   string
}

func collectMarks(d *newsgraph.Doc) []mark {
	var ms []mark
	for _, h := range highlights {
		for _, s := range d.Layer(h.layer) {
			tag := ""
			if h.tag && s.Label != "" {
				tag = s.Label
			}
			ms = append(ms, mark{at: s.Start, open: true, style: h.style}, mark{at: s.End, style: h.style, tag: tag})
		}
	}
	if !d.Has(newsgraph.LayerQuotes) {
		// Until the quotes layer exists, colour the text between paired quotation marks.
		toks := d.Layer(newsgraph.LayerTokens)
		open := map[string]int{}
		for _, t := range toks {
			switch t.Label {
			case tokenize.QuoteOpen:
				if _, ok := open[t.ID]; !ok {
					open[t.ID] = t.Start
				}
			case tokenize.QuoteClose:
				if st, ok := open[t.ID]; ok {
					ms = append(ms, mark{at: st, open: true, style: green}, mark{at: t.End, style: green})
				}
			}
		}
	}
	if dl := d.Meta.Dateline; dl != nil {
		ms = append(ms, mark{at: dl.Start, open: true, style: blue}, mark{at: dl.End, style: blue})
	}
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].at != ms[j].at {
			return ms[i].at < ms[j].at
		}
		return !ms[i].open && ms[j].open // close before open at the same offset
	})
	return ms
}

// render returns a sentence's text on one line, with the marks inside it applied and hard line
// breaks shown as ⏎.
func render(d *newsgraph.Doc, s newsgraph.Span, marks []mark, st func(string, string) string) string {
	text := d.Text()
	k := sort.Search(len(marks), func(i int) bool { return marks[i].at >= s.Start })
	var b strings.Builder
	var open []string
	for _, mk := range marks[:k] { // spans that began before this sentence and go on into it
		if mk.open {
			open = append(open, mk.style)
		} else {
			open = dropStyle(open, mk.style)
		}
	}
	pos := s.Start
	flush := func(to int) {
		seg := text[pos:to]
		if len(open) > 0 {
			seg = st(strings.Join(open, ""), oneLineMarked(seg, nil))
		} else {
			seg = oneLineMarked(seg, st)
		}
		b.WriteString(seg)
		pos = to
	}
	for ; k < len(marks) && marks[k].at <= s.End; k++ {
		mk := marks[k]
		if mk.at < s.Start {
			continue
		}
		flush(mk.at)
		if mk.open {
			open = append(open, mk.style)
			continue
		}
		open = dropStyle(open, mk.style)
		if mk.tag != "" {
			b.WriteString(st(dim, "["+mk.tag+"]"))
		}
	}
	flush(s.End)
	return b.String()
}

func dropStyle(open []string, style string) []string {
	for i := len(open) - 1; i >= 0; i-- {
		if open[i] == style {
			return append(open[:i], open[i+1:]...)
		}
	}
	return open
}

func oneLine(s string) string { return oneLineMarked(s, nil) }

// oneLineMarked replaces each line break, with the blanks around it, by " ⏎ " when st is given,
// else by a space. Blanks away from line breaks are kept.
func oneLineMarked(s string, st func(string, string) string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	sep := " "
	if st != nil {
		sep = " " + st(dim, "⏎") + " "
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '\n' && s[i] != '\r' {
			b.WriteByte(s[i])
			i++
			continue
		}
		out := strings.TrimRight(b.String(), " \t")
		b.Reset()
		b.WriteString(out)
		for i < len(s) && strings.IndexByte(" \t\r\n", s[i]) >= 0 {
			i++
		}
		b.WriteString(sep)
	}
	return b.String()
}

// wrap writes body after prefix, wrapping at width columns with a hanging indent. ANSI sequences
// do not count towards the width.
func wrap(b *strings.Builder, prefix string, indent int, body string, width int) {
	b.WriteString(prefix)
	col := indent
	words := strings.Split(body, " ")
	for i, wd := range words {
		n := visibleLen(wd)
		if i > 0 {
			if col+1+n > width && col > indent {
				b.WriteString("\n" + strings.Repeat(" ", indent))
				col = indent
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(wd)
		col += n
	}
	b.WriteByte('\n')
}

func visibleLen(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}
