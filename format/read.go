package format

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph"
)

// ReadJSON reads a document written by WriteJSON (the newsgraph/v1 schema) back into a Doc: its
// text, metadata, diagnostics and every layer, attributions as the attributions and
// attribution-roles layers; code-point offsets become byte offsets again. It also returns the
// pipeline the document names. A span whose offsets do not fit the text is an error.
func ReadJSON(b []byte) (*newsgraph.Doc, []string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, nil, fmt.Errorf("format: not a newsgraph JSON object: %w", err)
	}
	var schema, text string
	json.Unmarshal(top["schema"], &schema)
	if schema != newsgraph.Schema {
		return nil, nil, fmt.Errorf("format: schema %q, this program reads %s", schema, newsgraph.Schema)
	}
	if err := json.Unmarshal(top["text"], &text); err != nil || !utf8.ValidString(text) {
		return nil, nil, fmt.Errorf("format: no text")
	}
	// at[k] is the byte offset of code point k.
	at := make([]int, 0, len(text)+1)
	for i := range text {
		at = append(at, i)
	}
	at = append(at, len(text))
	bytesOf := func(start, end int) (int, int, error) {
		if start < 0 || end < start || end >= len(at) {
			return 0, 0, fmt.Errorf("format: span %d-%d outside a text of %d code points", start, end, len(at)-1)
		}
		return at[start], at[end], nil
	}
	var meta Meta
	if raw, ok := top["meta"]; ok {
		if err := json.Unmarshal(raw, &meta); err != nil {
			return nil, nil, fmt.Errorf("format: meta: %w", err)
		}
	}
	m := meta.Meta
	m.Dateline = nil
	if dl := meta.Dateline; dl != nil {
		s, e, err := bytesOf(dl.Start, dl.End)
		if err != nil {
			return nil, nil, err
		}
		m.Dateline = &newsgraph.Dateline{Start: s, End: e, Place: dl.Place, Date: dl.Date, Agency: dl.Agency}
	}
	d := newsgraph.NewDoc(text, m)
	var pipeline []string
	json.Unmarshal(top["pipeline"], &pipeline)

	var names []string
	for k := range top {
		switch k {
		case "schema", "text", "meta", "pipeline", "diagnostics":
		default:
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		var objs []map[string]json.RawMessage
		if err := json.Unmarshal(top[name], &objs); err != nil {
			return nil, nil, fmt.Errorf("format: %s: not an array of spans: %w", name, err)
		}
		if name == newsgraph.LayerAttributions {
			atts, roles, err := readAttributions(objs, bytesOf)
			if err != nil {
				return nil, nil, err
			}
			if err := d.SetLayer(newsgraph.LayerAttributions, atts); err != nil {
				return nil, nil, err
			}
			if err := d.SetLayer(newsgraph.LayerAttributionRoles, roles); err != nil {
				return nil, nil, err
			}
			continue
		}
		spans := make([]newsgraph.Span, 0, len(objs))
		for _, o := range objs {
			sp, err := readSpan(o, bytesOf)
			if err != nil {
				return nil, nil, fmt.Errorf("format: %s: %w", name, err)
			}
			spans = append(spans, sp)
		}
		if err := d.SetLayer(name, spans); err != nil {
			return nil, nil, err
		}
	}
	var diags []Diagnostic
	json.Unmarshal(top["diagnostics"], &diags)
	for _, dg := range diags {
		var sp *newsgraph.Span
		if dg.Start != nil && dg.End != nil {
			if s, e, err := bytesOf(*dg.Start, *dg.End); err == nil {
				sp = &newsgraph.Span{Start: s, End: e}
			}
		}
		d.Diag(dg.Component, newsgraph.Severity(dg.Severity), sp, "%s", dg.Message)
	}
	return d, pipeline, nil
}

// spanKeys are the keys of a span object that are not attributes.
var spanKeys = map[string]bool{"start": true, "end": true, "text": true, "label": true, "id": true}

// readSpan reads one span object: its offsets, label and id, and its other keys as attributes in
// the order of their names (numbers written as numbers are kept as their text).
func readSpan(o map[string]json.RawMessage, bytesOf func(int, int) (int, int, error)) (newsgraph.Span, error) {
	var start, end int
	if json.Unmarshal(o["start"], &start) != nil || json.Unmarshal(o["end"], &end) != nil {
		return newsgraph.Span{}, fmt.Errorf("a span without start and end")
	}
	s, e, err := bytesOf(start, end)
	if err != nil {
		return newsgraph.Span{}, err
	}
	sp := newsgraph.Span{Start: s, End: e}
	json.Unmarshal(o["label"], &sp.Label)
	json.Unmarshal(o["id"], &sp.ID)
	var keys []string
	for k := range o {
		if !spanKeys[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		sp.Attrs = append(sp.Attrs, newsgraph.Attr{Key: k, Value: scalar(o[k])})
	}
	return sp, nil
}

// scalar is a JSON value as an attribute's text: a string's contents, a number's digits.
func scalar(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strings.TrimSpace(string(raw))
}

// readAttributions reads attribution objects into the attributions layer (a span per relation
// with its attributes) and the attribution-roles layer (its parts).
func readAttributions(objs []map[string]json.RawMessage, bytesOf func(int, int) (int, int, error)) ([]newsgraph.Span, []newsgraph.Span, error) {
	var atts, roles []newsgraph.Span
	for _, o := range objs {
		var a Attribution
		b, _ := json.Marshal(o)
		if err := json.Unmarshal(b, &a); err != nil {
			return nil, nil, fmt.Errorf("format: attributions: %w", err)
		}
		s, e, err := bytesOf(a.Start, a.End)
		if err != nil {
			return nil, nil, fmt.Errorf("format: attributions: %w", err)
		}
		sp := newsgraph.Span{Start: s, End: e, Label: a.Kind, ID: a.ID}
		add := func(k, v string) {
			if v != "" {
				sp.Attrs = append(sp.Attrs, newsgraph.Attr{Key: k, Value: v})
			}
		}
		add("speaker", a.Speaker)
		add("speaker_name", a.SpeakerName)
		add("speaker_kind", a.SpeakerKind)
		add("on_behalf_of", a.OnBehalfOf)
		add("resolved", a.Resolved)
		add("speaker_guess", a.SpeakerGuess)
		if a.SpeakerConfidence != nil {
			add("speaker_confidence", strconv.FormatFloat(*a.SpeakerConfidence, 'f', 2, 64))
		}
		add("parent", a.Parent)
		add("outlet", a.Outlet)
		add("outlet_via", a.OutletVia)
		add("chain", strings.Join(a.Chain, newsgraph.ChainSep))
		atts = append(atts, sp)
		for _, part := range []struct {
			label string
			ps    []Part
		}{{"source", a.Source}, {"cue", a.Cue}, {"content", a.Content}} {
			for _, p := range part.ps {
				s, e, err := bytesOf(p.Start, p.End)
				if err != nil {
					return nil, nil, fmt.Errorf("format: attributions: %w", err)
				}
				roles = append(roles, newsgraph.Span{Start: s, End: e, Label: part.label, Attrs: []newsgraph.Attr{{Key: "attribution", Value: a.ID}}})
			}
		}
	}
	sort.SliceStable(roles, func(i, j int) bool {
		if roles[i].Start != roles[j].Start {
			return roles[i].Start < roles[j].Start
		}
		return roles[i].End < roles[j].End
	})
	return atts, roles, nil
}
