package format

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TimeML is a TimeML document (TempEval-3 .tml gold files and .TE3input files): its raw bytes, the
// document creation time, and the text of its TEXT element with the tags taken out and character
// references decoded, which is what newsgraph analyses.
type TimeML struct {
	Raw string
	// DCT is the value of the TIMEX3 inside DCT (functionInDocument="CREATION_TIME"), or "", and
	// DCTID its tid.
	DCT, DCTID string
	// Text is the TEXT element's content without tags, entities decoded.
	Text string
	// TextStart and TextEnd delimit the TEXT element's content in Raw.
	TextStart, TextEnd int
	// Timexes are the TIMEX3 elements inside TEXT (gold annotations), as byte offsets into Text.
	Timexes []TimeMLTimex
	// raw[i] is the offset in Raw of Text's byte i, for i in [0, len(Text)]; rawEnd[i] the offset
	// just after it.
	raw, rawEnd []int
}

// TimeMLTimex is a TIMEX3 element: its span in the TimeML's Text (bytes) and its attributes.
type TimeMLTimex struct {
	Start, End int
	TID        string
	Type       string
	Value      string
	Mod        string
}

// ErrTimeML is the error of a file that is not TimeML newsgraph can read.
var ErrTimeML = errors.New("not a TimeML document")

// ReadTimeML parses a TimeML document. It needs a TEXT element; the DCT is optional. Tags inside
// TEXT must nest (TIMEX3, EVENT and SIGNAL do in TempEval-3 data); a tag left open is an error.
func ReadTimeML(r io.Reader) (*TimeML, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("%w: not UTF-8", ErrTimeML)
	}
	raw := string(b)
	t := &TimeML{Raw: raw}
	if i := strings.Index(raw, "<DCT>"); i >= 0 {
		if j := strings.Index(raw[i:], "</DCT>"); j >= 0 {
			if v, ok := attr(raw[i:i+j], "value"); ok {
				t.DCT = v
				t.DCTID, _ = attr(raw[i:i+j], "tid")
			}
		}
	}
	open := strings.Index(raw, "<TEXT>")
	if open < 0 {
		return nil, fmt.Errorf("%w: no <TEXT> element", ErrTimeML)
	}
	t.TextStart = open + len("<TEXT>")
	end := strings.LastIndex(raw, "</TEXT>")
	if end < t.TextStart {
		return nil, fmt.Errorf("%w: no </TEXT> after <TEXT>", ErrTimeML)
	}
	t.TextEnd = end
	var text strings.Builder
	type openTag struct {
		name  string
		start int
		timex TimeMLTimex
	}
	var stack []openTag
	for i := t.TextStart; i < end; {
		c := raw[i]
		switch c {
		case '<':
			j := strings.IndexByte(raw[i:end], '>')
			if j < 0 {
				return nil, fmt.Errorf("%w: unclosed tag at byte %d", ErrTimeML, i)
			}
			tag := raw[i+1 : i+j]
			i += j + 1
			if strings.HasPrefix(tag, "/") {
				name := strings.TrimSpace(tag[1:])
				if k := strings.IndexAny(name, " \t\r\n"); k >= 0 {
					name = name[:k]
				}
				if len(stack) == 0 || stack[len(stack)-1].name != name {
					return nil, fmt.Errorf("%w: </%s> at byte %d closes nothing open", ErrTimeML, name, i-j-1)
				}
				o := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if name == "TIMEX3" {
					o.timex.Start, o.timex.End = o.start, text.Len()
					t.Timexes = append(t.Timexes, o.timex)
				}
				continue
			}
			if strings.HasPrefix(tag, "!") || strings.HasPrefix(tag, "?") || strings.HasSuffix(tag, "/") {
				continue
			}
			name := tag
			if k := strings.IndexAny(tag, " \t\r\n"); k >= 0 {
				name = tag[:k]
			}
			o := openTag{name: name, start: text.Len()}
			if name == "TIMEX3" {
				o.timex.TID, _ = attr(tag, "tid")
				o.timex.Type, _ = attr(tag, "type")
				o.timex.Value, _ = attr(tag, "value")
				o.timex.Mod, _ = attr(tag, "mod")
			}
			stack = append(stack, o)
		case '&':
			j := strings.IndexByte(raw[i:min(end, i+12)], ';')
			dec := ""
			if j > 0 {
				dec = entity(raw[i+1 : i+j])
			}
			if dec == "" {
				t.raw = append(t.raw, i)
				t.rawEnd = append(t.rawEnd, i+1)
				text.WriteByte(c)
				i++
				continue
			}
			for k := 0; k < len(dec); k++ {
				t.raw = append(t.raw, i)
				t.rawEnd = append(t.rawEnd, i+j+1)
			}
			text.WriteString(dec)
			i += j + 1
		default:
			t.raw = append(t.raw, i)
			t.rawEnd = append(t.rawEnd, i+1)
			text.WriteByte(c)
			i++
		}
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("%w: <%s> is not closed", ErrTimeML, stack[0].name)
	}
	t.Text = text.String()
	sort.SliceStable(t.Timexes, func(i, j int) bool { return t.Timexes[i].Start < t.Timexes[j].Start })
	return t, nil
}

// attr returns the value of a double- or single-quoted attribute in a start tag.
func attr(tag, name string) (string, bool) {
	for i := 0; ; {
		k := strings.Index(tag[i:], name+"=")
		if k < 0 {
			return "", false
		}
		k += i
		i = k + len(name) + 1
		if k > 0 && tag[k-1] != ' ' && tag[k-1] != '\t' && tag[k-1] != '\n' {
			continue
		}
		if i >= len(tag) {
			return "", false
		}
		q := tag[i]
		if q != '"' && q != '\'' {
			continue
		}
		e := strings.IndexByte(tag[i+1:], q)
		if e < 0 {
			return "", false
		}
		return unescape(tag[i+1 : i+1+e]), true
	}
}

func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '&' {
			if j := strings.IndexByte(s[i:], ';'); j > 0 {
				if d := entity(s[i+1 : i+j]); d != "" {
					b.WriteString(d)
					i += j
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// entity decodes an XML character reference's name ("amp", "#8217", "#x2019"), or returns "".
func entity(name string) string {
	switch name {
	case "amp":
		return "&"
	case "lt":
		return "<"
	case "gt":
		return ">"
	case "quot":
		return `"`
	case "apos":
		return "'"
	}
	if num, ok := strings.CutPrefix(name, "#"); ok {
		base := 10
		if hex, ok := strings.CutPrefix(strings.ToLower(num), "x"); ok {
			num, base = hex, 16
		}
		n, err := strconv.ParseInt(num, base, 32)
		if err != nil || n <= 0 || !utf8.ValidRune(rune(n)) {
			return ""
		}
		return string(rune(n))
	}
	return ""
}

// TimexOut is one expression to write into a TimeML document: a byte span of the TimeML's Text and
// its attributes.
type TimexOut struct {
	TID         string // the tid to write; "" numbers it t1, t2, … in text order
	Start, End  int
	Type, Value string
	Mod         string
	Anchor      string // the tid of the anchor, when there is one
}

// WriteTimeML writes the document with a TIMEX3 element around each expression (its TID, or t1, t2,
// … in text order), and the rest of the bytes exactly as read. TIMEX3 elements already inside TEXT
// are taken out (their content kept), so a gold file can be re-tagged. Expressions must not
// overlap; one that would cross another tag of the document is left out and counted in the
// returned skipped, as is one whose offsets are out of order or fall inside a character.
func WriteTimeML(w io.Writer, t *TimeML, xs []TimexOut) (skipped int, err error) {
	sort.SliceStable(xs, func(i, j int) bool { return xs[i].Start < xs[j].Start })
	type ins struct {
		at   int
		open bool
		s    string
	}
	var inserts []ins
	last := -1
	tid := 0
	for _, x := range xs {
		if x.Start < last || x.Start >= x.End || x.End > len(t.Text) || x.Start < 0 ||
			!utf8.RuneStart(t.Text[x.Start]) || x.End < len(t.Text) && !utf8.RuneStart(t.Text[x.End]) {
			skipped++ // out of order, empty, out of range, or inside a character
			continue
		}
		a, b := t.raw[x.Start], t.rawEnd[x.End-1]
		if crossesTag(t.Raw[a:b]) {
			skipped++
			continue
		}
		tid++
		id := x.TID
		if id == "" {
			id = fmt.Sprintf("t%d", tid)
		}
		open := fmt.Sprintf(`<TIMEX3 tid="%s" type="%s" value="%s"`, xmlEscape(id), xmlEscape(x.Type), xmlEscape(x.Value))
		if x.Mod != "" {
			open += fmt.Sprintf(` mod="%s"`, xmlEscape(x.Mod))
		}
		if x.Anchor != "" {
			open += fmt.Sprintf(` anchorTimeID="%s"`, xmlEscape(x.Anchor))
		}
		inserts = append(inserts, ins{a, true, open + ">"}, ins{b, false, "</TIMEX3>"})
		last = x.End
	}
	var out strings.Builder
	out.Grow(len(t.Raw) + 80*len(inserts))
	out.WriteString(t.Raw[:t.TextStart])
	k := 0
	body := t.Raw[t.TextStart:t.TextEnd]
	for i := 0; i <= len(body); {
		at := t.TextStart + i
		for k < len(inserts) && inserts[k].at == at && !inserts[k].open {
			out.WriteString(inserts[k].s)
			k++
		}
		for k < len(inserts) && inserts[k].at == at {
			out.WriteString(inserts[k].s)
			k++
		}
		if i == len(body) {
			break
		}
		if body[i] == '<' && (strings.HasPrefix(body[i:], "<TIMEX3") || strings.HasPrefix(body[i:], "</TIMEX3")) {
			j := strings.IndexByte(body[i:], '>')
			i += j + 1
			continue
		}
		out.WriteByte(body[i])
		i++
	}
	out.WriteString(t.Raw[t.TextEnd:])
	_, err = io.WriteString(w, out.String())
	return skipped, err
}

// crossesTag reports whether a stretch of raw TimeML opens or closes a tag (other than TIMEX3)
// without the other half inside it.
func crossesTag(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return true
		}
		tag := s[i+1 : i+j]
		i += j
		if strings.HasPrefix(tag, "TIMEX3") || strings.HasPrefix(tag, "/TIMEX3") || strings.HasPrefix(tag, "!") || strings.HasPrefix(tag, "?") {
			continue // our own tags, comments and processing instructions open nothing
		}
		if strings.HasPrefix(tag, "/") {
			depth--
			if depth < 0 {
				return true
			}
		} else if !strings.HasSuffix(tag, "/") {
			depth++
		}
	}
	return depth != 0
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
