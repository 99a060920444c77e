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
	under   = "\x1b[4m"
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
	name := oneLine(m.Input.String())
	b.WriteString(st(bold, "── "+name+" "+strings.Repeat("─", max(3, opts.Width-5-utf8.RuneCountInString(name)))) + "\n")
	row := func(k, v, src string) {
		if v == "" {
			return
		}
		v = oneLine(v)
		if src != "" {
			v += st(dim, " ("+src+")")
		}
		fmt.Fprintf(&b, "%s %s\n", st(dim, fmt.Sprintf("%-10s", k)), v)
	}
	row("title", m.Title, m.TitleSource)
	row("publisher", m.Publisher, m.PublisherSource)
	row("agency", m.Agency, m.AgencySource)
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
	rend := &renderer{text: d.Text(), marks: collectMarks(d), st: st}
	nsent := 0
	attLines := attributionLines(d, st)
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
			body := rend.render(s)
			if p.Label == newsgraph.ParaTitle {
				body = st(bold, body)
			}
			wrap(&b, st(dim, prefix), len(prefix), body, opts.Width)
		}
		for _, line := range attLines[pi] {
			wrap(&b, "       ", 7, line, opts.Width)
		}
	}
	if len(d.Diagnostics) > 0 {
		b.WriteByte('\n')
		for _, dg := range d.Diagnostics {
			fmt.Fprintf(&b, "%s %s: %s\n", st(red, string(dg.Severity)), dg.Component, oneLine(dg.Message))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// attributionLines describes each attribution under the paragraph that holds its cue (or, without
// one, its start): id, kind, speaker, cue, parent and chain. It returns the lines by paragraph index.
func attributionLines(d *newsgraph.Doc, st func(string, string) string) map[int][]string {
	paras := d.Layer(newsgraph.LayerParagraphs)
	cues := map[string]newsgraph.Span{}
	for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
		if id := r.Attr("attribution"); r.Label == "cue" {
			if _, ok := cues[id]; !ok {
				cues[id] = r
			}
		}
	}
	out := map[int][]string{}
	for _, a := range d.Layer(newsgraph.LayerAttributions) {
		at := a.Start
		cue := ""
		if c, ok := cues[a.ID]; ok {
			at, cue = c.Start, oneLine(d.SpanText(c))
		}
		pi := sort.Search(len(paras), func(k int) bool { return paras[k].End > at })
		if pi == len(paras) || at < paras[pi].Start {
			continue
		}
		who := oneLine(a.Attr("speaker_name"))
		var notes []string
		if k := a.Attr("speaker_kind"); k != "" {
			notes = append(notes, k)
		}
		switch r := a.Attr("resolved"); r {
		case "pronoun", "description", "document", "relative", "context":
			// A guess from the context, not a name in the source: say so.
			notes = append(notes, "inferred from the "+map[string]string{"pronoun": "pronoun", "description": "description",
				"document": "document's author", "relative": "relative clause", "context": "context"}[r])
		}
		if b := a.Attr("on_behalf_of"); b != "" {
			notes = append(notes, "for "+oneLine(b))
		}
		if c := a.Attr("speaker_confidence"); c != "" && who != "" {
			notes = append(notes, "confidence "+c)
		}
		switch g := oneLine(a.Attr("speaker_guess")); {
		case who == "" && g != "":
			who = "no speaker named"
			notes = append(notes, "guess "+g+", confidence "+a.Attr("speaker_confidence"))
		case who == "":
			who = "(no source)"
		}
		if len(notes) > 0 {
			who += st(dim, " ("+strings.Join(notes, "; ")+")")
		}
		line := st(yellow, "↳ "+a.ID) + " " + st(dim, a.Label) + " " + who
		if cue != "" {
			line += " " + st(yellow, "«"+cue+"»")
		}
		if par := a.Attr("parent"); par != "" {
			line += st(dim, " in "+par)
		}
		if ch := a.Attr("chain"); ch != "" {
			line += st(dim, " · "+oneLine(strings.ReplaceAll(ch, newsgraph.ChainSep, " ← ")))
			if a.Attr("outlet_via") == "context" {
				line += st(dim, " (outlet inferred from the context)")
			}
		}
		out[pi] = append(out[pi], line)
	}
	return out
}

// Legend explains the marks of the terminal view (printed by analyze -h and in README).
const Legend = `Reading the terminal view (--format text):
  ¶3                    a paragraph; [boilerplate], [byline] … mark paragraphs left out of the analysis
  12                    a sentence's number
  Kabul[LOC]            an entity and its type (PER, ORG, LOC, MISC)
  Wednesday[2015-07-15] a temporal expression and its value, as TIMEX3 writes it (P1W a duration,
                        XXXX- no year known, 202 the 2020s, PRESENT_REF now)
  “…”[a4]               a quotation and the attribution it belongs to
  ⏎                     a line break inside a sentence (scraped text)
  ↳ a4 mixed NAME (person; inferred from the pronoun; confidence 0.91) «said» in a5 · Newsmax ← BBC ← NAME
                        an attribution: its id, kind, speaker (kind; how it was read when not by a
                        name in its source; confidence), its cue in «», the attribution it is part
                        of, and after · its chain from the publisher to the speaker; "no speaker
                        named (guess NAME, confidence 0.41)" when the speaker is below the threshold
  warning …             a diagnostic: a problem that did not stop the document`

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
			if h.layer == newsgraph.LayerQuotes {
				tag = s.Attr("attribution")
			}
			if h.layer == newsgraph.LayerTimexes && s.Attr("value") != "" {
				tag = s.Attr("value") // Wednesday[2015-07-15]
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
	// Attribution cues in yellow, sources underlined.
	for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
		style := ""
		switch r.Label {
		case "cue":
			style = yellow
		case "source":
			style = under
		}
		if style != "" {
			ms = append(ms, mark{at: r.Start, open: true, style: style}, mark{at: r.End, style: style})
		}
	}
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].at != ms[j].at {
			return ms[i].at < ms[j].at
		}
		return !ms[i].open && ms[j].open // close before open at the same offset
	})
	return ms
}

// renderer renders the sentences of one document in order, carrying the styles that are open at
// the end of one sentence into the next, so each mark is visited once.
type renderer struct {
	text  string
	marks []mark
	k     int          // the next mark to apply
	open  []styleCount // styles open at the current position, each once with its depth
	st    func(string, string) string
}

type styleCount struct {
	style string
	n     int
}

// current returns the styles open now, joined, or "".
func (r *renderer) current() string {
	var b strings.Builder
	for _, o := range r.open {
		if o.n > 0 {
			b.WriteString(o.style)
		}
	}
	return b.String()
}

// render returns a sentence's text on one line, with the marks inside it applied and hard line
// breaks shown as ⏎. Sentences must come in document order.
func (r *renderer) render(s newsgraph.Span) string {
	for ; r.k < len(r.marks) && r.marks[r.k].at < s.Start; r.k++ {
		r.apply(r.marks[r.k])
	}
	var b strings.Builder
	pos := s.Start
	flush := func(to int) {
		seg := r.text[pos:to]
		if cur := r.current(); cur != "" {
			seg = r.st(cur, oneLineMarked(seg, nil))
		} else {
			seg = oneLineMarked(seg, r.st)
		}
		b.WriteString(seg)
		pos = to
	}
	for ; r.k < len(r.marks) && r.marks[r.k].at <= s.End; r.k++ {
		mk := r.marks[r.k]
		flush(mk.at)
		r.apply(mk)
		if !mk.open && mk.tag != "" {
			b.WriteString(r.st(dim, "["+mk.tag+"]"))
		}
	}
	flush(s.End)
	return b.String()
}

func (r *renderer) apply(mk mark) {
	for i := range r.open {
		if r.open[i].style == mk.style {
			if mk.open {
				r.open[i].n++
			} else if r.open[i].n > 0 {
				r.open[i].n--
			}
			return
		}
	}
	if mk.open {
		r.open = append(r.open, styleCount{mk.style, 1})
	}
}

func oneLine(s string) string { return oneLineMarked(s, nil) }

// oneLineMarked replaces each line break, with the blanks around it, by " ⏎ " when st is given,
// else by a space, and control characters by U+FFFD, so that no byte of the text can move the
// cursor or restyle the terminal. Blanks away from line breaks are kept.
func oneLineMarked(s string, st func(string, string) string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return printable(s)
	}
	sep := " "
	if st != nil {
		sep = " " + st(dim, "⏎") + " "
	}
	var b strings.Builder
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '\n' && s[i] != '\r' {
			continue
		}
		b.WriteString(printable(strings.TrimRight(s[start:i], " \t")))
		for i < len(s) && strings.IndexByte(" \t\r\n", s[i]) >= 0 {
			i++
		}
		b.WriteString(sep)
		start = i
		i--
	}
	b.WriteString(printable(s[start:]))
	return b.String()
}

// printable replaces control characters (C0 but tab, DEL, C1) by U+FFFD.
func printable(s string) string {
	ok := true
	for _, r := range s {
		if isControl(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

func isControl(r rune) bool { return r < 0x20 && r != '\t' || r >= 0x7F && r < 0xA0 }

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
