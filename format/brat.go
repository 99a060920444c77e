package format

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/newsgraph/newsgraph"
)

// BratText is a text-bound annotation (a T line) of a brat standoff file: its id, label and
// pieces as [start, end) offsets in Unicode code points of the text file (several pieces for a
// discontinuous span).
type BratText struct {
	ID     string
	Label  string
	Pieces [][2]int
	Text   string
}

// BratEvent is an event (an E line): its id, its type and trigger (Type:T4), and its arguments in
// order (Content:T3, Cue:T2, Source:T1).
type BratEvent struct {
	ID, Type, Trigger string
	Args              [][2]string // role, text-bound id
}

// Arg returns the text-bound id of the event's argument role, or "".
func (e BratEvent) Arg(role string) string {
	for _, a := range e.Args {
		if a[0] == role {
			return a[1]
		}
	}
	return ""
}

// Brat is a parsed brat standoff (.ann) file.
type Brat struct {
	Texts  map[string]*BratText
	Events []BratEvent
}

// ReadBrat parses a brat standoff file. T and E lines are read; notes (#), relations (R) and
// attributes (A) are skipped, as are lines that do not start with an id (in PolNeAR a span's text
// may hold a line break). A T or E line that cannot be parsed is an error naming its line.
func ReadBrat(r io.Reader) (*Brat, error) {
	b := &Brat{Texts: map[string]*BratText{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" {
			continue
		}
		switch line[0] {
		case 'T':
			id, rest, ok := strings.Cut(line, "\t")
			if !ok || !isID(id) {
				continue
			}
			head, text, _ := strings.Cut(rest, "\t")
			label, offs, ok := strings.Cut(head, " ")
			if !ok {
				return nil, fmt.Errorf("brat line %d: %q: want LABEL START END", n, line)
			}
			t := &BratText{ID: id, Label: label, Text: text}
			for _, piece := range strings.Split(offs, ";") {
				s, e, ok := strings.Cut(strings.TrimSpace(piece), " ")
				a, err1 := strconv.Atoi(s)
				z, err2 := strconv.Atoi(e)
				if !ok || err1 != nil || err2 != nil || a < 0 || z < a {
					return nil, fmt.Errorf("brat line %d: bad offsets %q", n, offs)
				}
				t.Pieces = append(t.Pieces, [2]int{a, z})
			}
			b.Texts[id] = t
		case 'E':
			id, rest, ok := strings.Cut(line, "\t")
			if !ok || !isID(id) {
				continue
			}
			fields := strings.Fields(rest)
			if len(fields) == 0 {
				return nil, fmt.Errorf("brat line %d: event without a trigger", n)
			}
			typ, trig, ok := strings.Cut(fields[0], ":")
			if !ok {
				return nil, fmt.Errorf("brat line %d: bad trigger %q", n, fields[0])
			}
			ev := BratEvent{ID: id, Type: typ, Trigger: trig}
			for _, f := range fields[1:] {
				role, arg, ok := strings.Cut(f, ":")
				if !ok {
					return nil, fmt.Errorf("brat line %d: bad argument %q", n, f)
				}
				ev.Args = append(ev.Args, [2]string{role, arg})
			}
			b.Events = append(b.Events, ev)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return b, nil
}

func isID(s string) bool {
	if len(s) < 2 {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// WriteBrat writes a document's attributions as PolNeAR-style brat standoff: T lines labelled
// Source, Cue and Content (and the Attribution trigger on the cue), and an E line per relation
// (Attribution:T Content:T Cue:T Source:T, or Attribution-no-source: without a source). Offsets are
// code points into the input text file exactly as given: one more where a byte-order mark was
// removed from it. A discontinuous span is written as "start end;start end". Relations without a
// cue (continuation paragraphs) have no brat form and are left out.
func WriteBrat(w io.Writer, d *newsgraph.Doc) error {
	off := d.Offsets()
	shift := 0
	if d.Meta.Input.BOM {
		shift = 1
	}
	roles := map[string]map[string][]newsgraph.Span{}
	for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
		id := r.Attr("attribution")
		if roles[id] == nil {
			roles[id] = map[string][]newsgraph.Span{}
		}
		roles[id][r.Label] = append(roles[id][r.Label], r)
	}
	bw := bufio.NewWriter(w)
	t := 0
	text := func(label string, spans []newsgraph.Span) string {
		sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
		t++
		var offs, words []string
		for _, s := range spans {
			offs = append(offs, fmt.Sprintf("%d %d", off.CodePoint(s.Start)+shift, off.CodePoint(s.End)+shift))
			words = append(words, d.SpanText(s))
		}
		body := strings.Join(words, " ")
		body = strings.NewReplacer("\n", " ", "\r", " ").Replace(body)
		fmt.Fprintf(bw, "T%d\t%s %s\t%s\n", t, label, strings.Join(offs, ";"), body)
		return fmt.Sprintf("T%d", t)
	}
	e := 0
	for _, a := range d.Layer(newsgraph.LayerAttributions) {
		r := roles[a.ID]
		if len(r["cue"]) == 0 || len(r["content"]) == 0 {
			continue
		}
		e++
		var src string
		if len(r["source"]) > 0 {
			src = text("Source", r["source"])
		}
		cue := text("Cue", r["cue"])
		content := text("Content", r["content"])
		typ := "Attribution"
		if src == "" {
			typ = "Attribution-no-source"
		}
		trig := text(typ, r["cue"])
		line := fmt.Sprintf("E%d\t%s:%s Content:%s Cue:%s", e, typ, trig, content, cue)
		if src != "" {
			line += " Source:" + src
		}
		fmt.Fprintln(bw, line)
	}
	return bw.Flush()
}
