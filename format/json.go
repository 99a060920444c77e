// Package format writes analysed documents: the public JSON schema (docs/schema.md) and the
// terminal view. Offsets in JSON are Unicode code points into "text"; inside Go they are bytes.
package format

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/newsgraph/newsgraph"
)

// JSONOptions control the JSON output.
type JSONOptions struct {
	Tokens bool // include the tokens layer (large; off by default)
	Indent bool // pretty-print (for one document); JSON Lines output is never indented
}

// Span is a span in the JSON schema: code-point offsets, its text, its label and id where the layer
// has them, and its attributes as further keys of the same object.
type Span struct {
	Start int              `json:"start"`
	End   int              `json:"end"`
	Text  string           `json:"text"`
	Label string           `json:"label,omitempty"`
	ID    string           `json:"id,omitempty"`
	Attrs []newsgraph.Attr `json:"-"`
}

// MarshalJSON writes the span's fields, then its attributes in their order.
func (s Span) MarshalJSON() ([]byte, error) {
	type plain Span
	b, err := json.Marshal(plain(s))
	if err != nil || len(s.Attrs) == 0 {
		return b, err
	}
	b = b[:len(b)-1]
	for _, a := range s.Attrs {
		k, _ := json.Marshal(a.Key)
		v, _ := json.Marshal(a.Value)
		if numericAttrs[a.Key] {
			if x, err := strconv.ParseFloat(a.Value, 64); err == nil {
				v, _ = json.Marshal(x)
			}
		}
		b = append(b, ',')
		b = append(b, k...)
		b = append(b, ':')
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// numericAttrs are the attributes written as JSON numbers.
var numericAttrs = map[string]bool{"speaker_confidence": true}

// Dateline is the dateline in the JSON schema.
type Dateline struct {
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Text   string `json:"text"`
	Place  string `json:"place,omitempty"`
	Date   string `json:"date,omitempty"`
	Agency string `json:"agency,omitempty"`
}

// Meta is the meta object of the JSON schema: the document's metadata, with the dateline's offsets
// in code points.
type Meta struct {
	newsgraph.Meta
	Dateline *Dateline `json:"dateline,omitempty"` // shadows Meta.Dateline, whose offsets are bytes
}

// Diagnostic is a per-document problem in the JSON schema.
type Diagnostic struct {
	Component string `json:"component"`
	Severity  string `json:"severity"`
	Message   string `json:"message"`
	Start     *int   `json:"start,omitempty"`
	End       *int   `json:"end,omitempty"`
}

// layerOrder is the order of the layer arrays in the output; layers not named here follow in
// alphabetical order.
var layerOrder = []string{
	newsgraph.LayerParagraphs, newsgraph.LayerSentences, newsgraph.LayerBoilerplate,
	newsgraph.LayerEntities, newsgraph.LayerTimexes, newsgraph.LayerAttributions,
	newsgraph.LayerQuotes, newsgraph.LayerTokens,
}

// WriteJSON writes one document as a JSON object (followed by a newline).
func WriteJSON(w io.Writer, d *newsgraph.Doc, pipeline []string, opts JSONOptions) error {
	var buf bytes.Buffer
	buf.WriteByte('{')
	field := func(name string, v any) error {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		nb, _ := json.Marshal(name)
		buf.Write(nb)
		buf.WriteByte(':')
		buf.Write(b)
		return nil
	}
	off := d.Offsets()
	conv := func(s newsgraph.Span) Span {
		return Span{Start: off.CodePoint(s.Start), End: off.CodePoint(s.End), Text: d.SpanText(s), Label: s.Label, ID: s.ID, Attrs: s.Attrs}
	}
	if err := field("schema", newsgraph.Schema); err != nil {
		return err
	}
	if err := field("text", d.Text()); err != nil {
		return err
	}
	meta := Meta{Meta: d.Meta}
	if dl := d.Meta.Dateline; dl != nil {
		meta.Dateline = &Dateline{Start: off.CodePoint(dl.Start), End: off.CodePoint(dl.End), Text: d.Text()[dl.Start:dl.End], Place: dl.Place, Date: dl.Date, Agency: dl.Agency}
	}
	if err := field("meta", meta); err != nil {
		return err
	}
	if err := field("pipeline", pipeline); err != nil {
		return err
	}
	for _, name := range orderedLayers(d) {
		if name == newsgraph.LayerTokens && !opts.Tokens || name == newsgraph.LayerAttributionRoles {
			continue
		}
		if name == newsgraph.LayerAttributions {
			if err := field(name, attributions(d, conv)); err != nil {
				return err
			}
			continue
		}
		spans := d.Layer(name)
		out := make([]Span, len(spans))
		for i, s := range spans {
			out[i] = conv(s)
		}
		if err := field(name, out); err != nil {
			return err
		}
	}
	diags := make([]Diagnostic, len(d.Diagnostics))
	for i, dg := range d.Diagnostics {
		diags[i] = Diagnostic{Component: dg.Component, Severity: string(dg.Severity), Message: dg.Message}
		if dg.Span != nil {
			s, e := off.CodePoint(dg.Span.Start), off.CodePoint(dg.Span.End)
			diags[i].Start, diags[i].End = &s, &e
		}
	}
	if err := field("diagnostics", diags); err != nil {
		return err
	}
	buf.WriteByte('}')
	out := buf.Bytes()
	if opts.Indent {
		var ib bytes.Buffer
		if err := json.Indent(&ib, out, "", "  "); err != nil {
			return err
		}
		out = ib.Bytes()
	}
	out = append(out, '\n')
	_, err := w.Write(out)
	return err
}

// Part is a piece of an attribution's source, cue or content: code-point offsets and its text.
type Part struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Attribution is an attribution relation in the JSON schema: its span, kind and id, its source,
// cue and content as lists of parts (a content cut in two by its cue has two), and the resolved
// speaker, parent, outlet and chain (docs/schema.md).
type Attribution struct {
	Start       int    `json:"start"`
	End         int    `json:"end"`
	Text        string `json:"text"`
	Kind        string `json:"label"`
	ID          string `json:"id"`
	Source      []Part `json:"source"`
	Cue         []Part `json:"cue"`
	Content     []Part `json:"content"`
	Speaker     string `json:"speaker,omitempty"`
	SpeakerName string `json:"speaker_name,omitempty"`
	SpeakerKind string `json:"speaker_kind,omitempty"`
	Resolved    string `json:"resolved,omitempty"`
	// SpeakerConfidence is the probability the speaker ranker gives its best guess; SpeakerGuess
	// that guess, when it is not named (below the threshold, or "nobody" won).
	SpeakerConfidence *float64 `json:"speaker_confidence,omitempty"`
	SpeakerGuess      string   `json:"speaker_guess,omitempty"`
	OnBehalfOf        string   `json:"on_behalf_of,omitempty"`
	Parent            string   `json:"parent,omitempty"`
	Outlet            string   `json:"outlet,omitempty"`
	OutletVia         string   `json:"outlet_via,omitempty"`
	Chain             []string `json:"chain"`
}

// attributions builds the attribution objects from the attributions and attribution-roles layers.
func attributions(d *newsgraph.Doc, conv func(newsgraph.Span) Span) []Attribution {
	parts := map[string]map[string][]Part{}
	for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
		id := r.Attr("attribution")
		if parts[id] == nil {
			parts[id] = map[string][]Part{}
		}
		c := conv(r)
		parts[id][r.Label] = append(parts[id][r.Label], Part{Start: c.Start, End: c.End, Text: c.Text})
	}
	spans := d.Layer(newsgraph.LayerAttributions)
	out := make([]Attribution, len(spans))
	for i, s := range spans {
		c := conv(s)
		p := parts[s.ID]
		a := Attribution{Start: c.Start, End: c.End, Text: c.Text, Kind: s.Label, ID: s.ID,
			Source: nonNil(p["source"]), Cue: nonNil(p["cue"]), Content: nonNil(p["content"]),
			Speaker: s.Attr("speaker"), SpeakerName: s.Attr("speaker_name"), SpeakerKind: s.Attr("speaker_kind"),
			Resolved: s.Attr("resolved"), Parent: s.Attr("parent"), Outlet: s.Attr("outlet"), OutletVia: s.Attr("outlet_via"),
			SpeakerGuess: s.Attr("speaker_guess"), OnBehalfOf: s.Attr("on_behalf_of"),
			Chain: []string{}}
		if c, err := strconv.ParseFloat(s.Attr("speaker_confidence"), 64); err == nil {
			a.SpeakerConfidence = &c
		}
		if ch := s.Attr("chain"); ch != "" {
			a.Chain = strings.Split(ch, newsgraph.ChainSep)
		}
		out[i] = a
	}
	return out
}

func nonNil(p []Part) []Part {
	if p == nil {
		return []Part{}
	}
	return p
}

func orderedLayers(d *newsgraph.Doc) []string {
	seen := map[string]bool{}
	var names []string
	for _, n := range layerOrder {
		if d.Has(n) {
			names = append(names, n)
			seen[n] = true
		}
	}
	var rest []string
	for _, n := range d.Layers() {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	return append(names, rest...)
}
