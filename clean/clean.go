// Package clean finds the structure of scraped article text without changing it: paragraphs (joining
// hard line breaks that fall inside a sentence), boilerplate (copyright footers, credits, share and
// subscribe lines, "Related:" lines), the title, kicker and byline, the dateline, and the publisher
// named by a copyright footer or a wire tag. Everything it finds is a layer or metadata.
package clean

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/internal/uni"
	"github.com/newsgraph/newsgraph/outlet"
)

// Paragraph labels, as the root package names them.
const (
	Body        = newsgraph.ParaBody
	Title       = newsgraph.ParaTitle
	Kicker      = newsgraph.ParaKicker
	Byline      = newsgraph.ParaByline
	Boilerplate = newsgraph.ParaBoilerplate
)

// Component is the clean-up step. It assigns the paragraphs and boilerplate layers, and fills
// Meta.Title, Meta.Publisher, Meta.Byline and Meta.Dateline where the metadata does not give them.
type Component struct{}

// Name implements newsgraph.Component.
func (Component) Name() string { return "clean.rules.v1" }

// Requires implements newsgraph.Component.
func (Component) Requires() []string { return nil }

// Assigns implements newsgraph.Component.
func (Component) Assigns() []string {
	return []string{newsgraph.LayerParagraphs, newsgraph.LayerBoilerplate}
}

// Process implements newsgraph.Component.
func (c Component) Process(_ context.Context, d *newsgraph.Doc) error {
	r := Analyze(d.Text())
	if err := d.SetLayer(newsgraph.LayerParagraphs, r.Paragraphs); err != nil {
		return err
	}
	if err := d.SetLayer(newsgraph.LayerBoilerplate, r.Boilerplate); err != nil {
		return err
	}
	m := &d.Meta
	if m.Title == "" && r.Title >= 0 {
		p := r.Paragraphs[r.Title]
		m.Title, m.TitleSource = d.SpanText(p), "text"
	}
	if m.Publisher == "" && r.Publisher != "" {
		m.Publisher, m.PublisherSource = r.Publisher, r.PublisherSource
	}
	if m.Byline == "" && r.Byline != "" {
		m.Byline = r.Byline
	}
	if m.Publisher != "" && (m.PublisherSource == "copyright" || m.PublisherSource == "wire") {
		m.Publisher = outlet.Canonical(m.Publisher, m.URL)
	}
	if m.Language == "" {
		var body strings.Builder
		for _, p := range r.Paragraphs {
			if p.Label == Body || p.Label == Title {
				body.WriteString(d.SpanText(p))
				body.WriteString("\n")
				if body.Len() > langBytes {
					break
				}
			}
		}
		lang, name, sure := detectLanguage(body.String())
		m.Language = lang
		if lang != "en" && sure {
			d.Diag(c.Name(), newsgraph.Warning, nil, "the text is in %s (%s), not English: only paragraphs, boilerplate, tokens and sentences are analysed", name, lang)
		}
	}
	if m.Agency == "" {
		m.Agency, m.AgencySource = r.Agency, r.AgencySource
		if m.Agency == "" {
			if a, ok := agencyIn(m.Byline); ok {
				m.Agency, m.AgencySource = a, "byline"
			}
		}
	}
	if r.Dateline != nil {
		m.Dateline = r.Dateline
	}
	return nil
}

// Result is what Analyze finds in a text.
type Result struct {
	Paragraphs      []newsgraph.Span // labelled Body, Title, Kicker, Byline or Boilerplate
	Boilerplate     []newsgraph.Span // one span per boilerplate line, labelled with its kind
	Title           int              // index of the title paragraph, or -1
	Publisher       string
	PublisherSource string // "copyright" or "wire"
	Byline          string
	Dateline        *newsgraph.Dateline
	Agency          string // the wire agency the dateline, the byline or a credit line names
	AgencySource    string // "dateline", "byline" or "credit"
}

// line is one line of the text, trimmed of blank runes.
type line struct {
	start, end  int    // trimmed
	indent      bool   // starts with white space
	blankBefore bool   // a blank line (or the start of the text) comes before it
	kind        string // boilerplate kind, or ""
}

// Analyze finds paragraphs, boilerplate, title, byline, dateline and publisher in text.
func Analyze(text string) Result {
	res := Result{Title: -1}
	lines := splitLines(text)
	for i := range lines {
		// A line that continues a sentence is article text, whatever words it starts with: "they
		// would\ncontact the editors" is not a credit line.
		if i > 0 && !lines[i].blankBefore && continues(text, lines[i-1], lines[i]) {
			continue
		}
		lines[i].kind = boilerKind(text[lines[i].start:lines[i].end])
	}
	paras := group(text, lines)

	// Boilerplate lines and the first paragraphs: byline, kicker, title.
	for _, ln := range lines {
		if ln.kind != "" {
			res.Boilerplate = append(res.Boilerplate, newsgraph.Span{Start: ln.start, End: ln.end, Label: ln.kind})
		}
	}
	var content []int // indices of non-boilerplate paragraphs
	for i, p := range paras {
		if p.Label != Boilerplate {
			content = append(content, i)
		}
	}
	for n, i := range content {
		if n >= 5 {
			break
		}
		s := text[paras[i].Start:paras[i].End]
		if by, ok := byline(s); ok {
			paras[i].Label = Byline
			res.Byline = by
			res.Boilerplate = insertSorted(res.Boilerplate, newsgraph.Span{Start: paras[i].Start, End: paras[i].End, Label: Byline})
		}
	}
	markTitle(text, paras, content, &res)

	// Dateline and wire tag: the opening of the first body paragraph.
	for _, i := range content {
		if paras[i].Label != Body {
			continue
		}
		if dl := dateline(text, paras[i].Start, paras[i].End); dl != nil {
			res.Dateline = dl
			if dl.Agency != "" {
				res.Publisher, res.PublisherSource = dl.Agency, "wire"
			}
		}
		break
	}
	// A copyright footer names the site that published the article; it beats a wire tag, which
	// names the agency that wrote it.
	for _, b := range res.Boilerplate {
		if b.Label != "copyright" {
			continue
		}
		if p := copyrightHolder(text[b.Start:b.End]); p != "" {
			res.Publisher, res.PublisherSource = p, "copyright"
			break
		}
	}
	// The wire agency whose story it is: the dateline's tag, else the byline, else a credit line
	// ("Associated Press writer Jane Smith contributed to this report").
	switch {
	case res.Dateline != nil && res.Dateline.Agency != "":
		if a, ok := agencyIn(res.Dateline.Agency); ok {
			res.Agency, res.AgencySource = a, "dateline"
		}
	case res.Byline != "":
		if a, ok := agencyIn(res.Byline); ok {
			res.Agency, res.AgencySource = a, "byline"
		}
	}
	if res.Agency == "" {
		for _, b := range res.Boilerplate {
			if b.Label == "credit" {
				if a, ok := agencyIn(text[b.Start:b.End]); ok {
					res.Agency, res.AgencySource = a, "credit"
					break
				}
			}
		}
	}
	res.Paragraphs = paras
	return res
}

// agencyIn returns the canonical name of the first wire agency a byline, tag or credit line
// names ("By Jane Smith, Associated Press", "AP", "Reuters contributed to this report").
func agencyIn(s string) (string, bool) {
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '.' && r != '\'' })
	// The longest run of words, from each word on, that names an agency.
	for i := range words {
		for j := min(len(words), i+5); j > i; j-- {
			phrase := strings.Join(words[i:j], " ")
			if len(phrase) < 2 {
				continue
			}
			if o, ok := outlet.ByName(phrase); ok && o.Kind == "agency" && (len(phrase) > 3 || phrase == strings.ToUpper(phrase)) {
				return o.Name, true
			}
		}
	}
	return "", false
}

func insertSorted(spans []newsgraph.Span, s newsgraph.Span) []newsgraph.Span {
	k := len(spans)
	for k > 0 && (spans[k-1].Start > s.Start || spans[k-1].Start == s.Start && spans[k-1].End > s.End) {
		k--
	}
	spans = append(spans, newsgraph.Span{})
	copy(spans[k+1:], spans[k:])
	spans[k] = s
	return spans
}

// splitLines splits text at \n, \r\n, \r, U+2028 and U+2029 and trims each line. Blank lines are
// not returned; the line after them has blankBefore set.
func splitLines(text string) []line {
	var out []line
	blank := true
	start := 0
	emit := func(end int) {
		s, e := uni.TrimSpan(text, start, end)
		if s == e {
			blank = true
			return
		}
		r, _ := utf8.DecodeRuneInString(text[start:])
		out = append(out, line{start: s, end: e, indent: s > start && uni.Space(r), blankBefore: blank})
		blank = false
	}
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\n' || c == '\r':
			emit(i)
			if c == '\r' && i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			i++
			start = i
		case c == 0xE2 && i+2 < len(text) && text[i+1] == 0x80 && (text[i+2] == 0xA8 || text[i+2] == 0xA9):
			emit(i)
			if text[i+2] == 0xA9 { // paragraph separator: as a blank line
				blank = true
			}
			i += 3
			start = i
		default:
			i++
		}
	}
	emit(len(text))
	return out
}

// group joins lines into paragraphs. A blank line always ends a paragraph; within a block of lines a
// line break is a hard wrap inside a paragraph when the next line starts in lower case or the line
// ends mid-phrase, or when the whole block is wrapped text (lines of about one width) and the line
// is not the short last line of a paragraph. Boilerplate lines stand alone.
func group(text string, lines []line) []newsgraph.Span {
	var paras []newsgraph.Span
	var afterBlank []bool // per paragraph: a blank line comes before it
	for b := 0; b < len(lines); {
		e := b + 1
		for e < len(lines) && !lines[e].blankBefore {
			e++
		}
		block := lines[b:e]
		wrapped, width := wrappedBlock(text, block)
		cur := newsgraph.Span{Start: block[0].start, End: block[0].end, Label: labelOf(block[0])}
		curBlank := true // the first line of a block follows a blank line or the start of the text
		for k := 1; k < len(block); k++ {
			prev, ln := block[k-1], block[k]
			if prev.kind == "" && ln.kind == "" && softBreak(text, prev, ln, wrapped, width) {
				cur.End = ln.end
				continue
			}
			paras, afterBlank = append(paras, cur), append(afterBlank, curBlank)
			cur, curBlank = newsgraph.Span{Start: ln.start, End: ln.end, Label: labelOf(ln)}, false
		}
		paras, afterBlank = append(paras, cur), append(afterBlank, curBlank)
		b = e
	}
	// Consecutive boilerplate lines form one boilerplate paragraph when no blank line parts them.
	out := paras[:0]
	for i, p := range paras {
		if n := len(out); n > 0 && p.Label == Boilerplate && out[n-1].Label == Boilerplate && !afterBlank[i] {
			out[n-1].End = p.End
			continue
		}
		out = append(out, p)
	}
	return out
}

func labelOf(ln line) string {
	if ln.kind != "" {
		return Boilerplate
	}
	return Body
}

// wrappedBlock reports whether a block of lines looks like text wrapped at a fixed width, and that
// width in runes.
func wrappedBlock(text string, block []line) (bool, int) {
	if len(block) < 3 {
		return false, 0
	}
	width := 0
	lens := make([]int, len(block))
	for i, ln := range block {
		lens[i] = utf8.RuneCountInString(text[ln.start:ln.end])
		if lens[i] > width {
			width = lens[i]
		}
	}
	if width > 100 || width < 30 {
		return false, width
	}
	long := 0
	for _, n := range lens[:len(lens)-1] {
		if n*10 >= width*7 {
			long++
		}
	}
	return long*10 >= (len(lens)-1)*6, width
}

// continues reports whether line ln plainly continues the sentence of line prev: it starts in lower
// case or with a comma, or prev ends mid-phrase (a comma, a hyphen, a function word).
func continues(text string, prev, ln line) bool {
	first, _ := utf8.DecodeRuneInString(text[ln.start:])
	if unicode.IsLower(first) || first == ',' || first == ';' || first == ')' {
		return true
	}
	p := text[prev.start:prev.end]
	last, _ := utf8.DecodeLastRuneInString(p)
	return last == ',' || last == ';' || last == '-' || last == '(' || endsWithFunctionWord(p)
}

// softBreak decides whether the break between prev and ln falls inside a paragraph.
func softBreak(text string, prev, ln line, wrapped bool, width int) bool {
	if continues(text, prev, ln) {
		return true
	}
	p := text[prev.start:prev.end]
	if wrapped {
		if ln.indent {
			return false // an indented line starts a paragraph in wrapped text
		}
		n := utf8.RuneCountInString(p)
		return !(terminal(p) && n*100 < width*85)
	}
	return false
}

// terminal reports whether s ends a sentence: . ! ? or … possibly followed by closing quotes or
// brackets.
func terminal(s string) bool {
	for s != "" {
		r, n := utf8.DecodeLastRuneInString(s)
		switch r {
		case '"', '\'', '”', '’', ')', ']', '»':
			s = s[:len(s)-n]
			continue
		case '.', '!', '?', '…':
			return true
		}
		return false
	}
	return false
}

var functionWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "to": true, "in": true, "on": true, "at": true,
	"for": true, "with": true, "by": true, "from": true, "and": true, "or": true, "but": true,
	"that": true, "as": true, "into": true, "than": true, "his": true, "her": true, "its": true,
	"their": true, "our": true, "is": true, "was": true, "were": true, "are": true, "be": true,
	"has": true, "have": true, "had": true, "will": true, "would": true, "said": true, "says": true,
}

func endsWithFunctionWord(s string) bool {
	k := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	w := s[k+1:]
	if len(w) == 0 || len(w) > 5 {
		return false
	}
	return functionWords[strings.ToLower(w)]
}

// markTitle labels a kicker and a title at the top of the text: short lines that do not end like a
// sentence, followed by at least two more paragraphs of text, and set off from them by a blank line
// or by being much shorter than the paragraph that follows (scraped text without blank lines).
// Tables of figures (Reuters' "Qtly div 21 cts vs 16 cts prior" lines) have neither.
func markTitle(text string, paras []newsgraph.Span, content []int, res *Result) {
	if len(content) < 3 {
		return
	}
	isHead := func(n int, maxWords, maxBytes int) bool {
		p := paras[content[n]]
		s := text[p.Start:p.End]
		if p.Label != Body || len(s) > maxBytes || strings.ContainsAny(s, "\r\n") || len(strings.Fields(s)) > maxWords {
			return false
		}
		// A headline may ask, exclaim or trail off, but it does not end like a sentence or a clause.
		end := strings.TrimRight(s, "\"'”’)]»")
		if strings.HasSuffix(end, ".") && !strings.HasSuffix(end, "..") || strings.HasSuffix(s, ":") || strings.HasSuffix(s, ",") || strings.HasSuffix(s, ";") {
			return false
		}
		first, size := utf8.DecodeRuneInString(s)
		second, _ := utf8.DecodeRuneInString(s[size:])
		if unicode.IsLower(first) && !unicode.IsUpper(second) { // "iTunes" starts a headline; "said" does not
			return false
		}
		next := paras[content[n+1]]
		return blankBetween(text, p.End, next.Start) || next.End-next.Start >= 2*len(s) && terminal(text[next.Start:next.End])
	}
	a, b := content[0], content[1]
	if isHead(0, 4, 40) && isHead(1, 25, 200) && len(content) >= 4 && strings.ToUpper(text[paras[a].Start:paras[a].End]) == text[paras[a].Start:paras[a].End] {
		paras[a].Label = Kicker
		paras[b].Label = Title
		res.Title = b
		return
	}
	if isHead(0, 25, 200) {
		paras[a].Label = Title
		res.Title = a
	}
}

// blankBetween reports whether a blank line lies in text[i:j], the gap between two paragraphs.
func blankBetween(text string, i, j int) bool {
	gap := text[i:j]
	return strings.Count(gap, "\n") >= 2 || !strings.Contains(gap, "\n") && strings.Count(gap, "\r") >= 2 || strings.Contains(gap, "\u2029")
}
