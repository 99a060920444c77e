// Package newsgraph holds the types every part of newsgraph shares: the Doc (immutable text plus
// named standoff layers of byte-offset spans), the Component contract and the Pipeline that checks
// it, document metadata, diagnostics and the sentinel errors.
//
// The root package imports none of its implementations; they import it. See DESIGN.md.
package newsgraph

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// Schema is the name and version of the public JSON schema (docs/schema.md).
const Schema = "newsgraph/v1"

// Standard layer names. A component may add others; these are the ones the JSON schema knows.
const (
	LayerParagraphs   = "paragraphs"
	LayerBoilerplate  = "boilerplate"
	LayerTokens       = "tokens"
	LayerSentences    = "sentences"
	LayerEntities     = "entities"
	LayerTimexes      = "timexes"
	LayerAttributions = "attributions"
	LayerQuotes       = "quotes"
	// LayerAttributionRoles holds the source, cue and content spans of the attributions (label
	// "source", "cue" or "content", attribute "attribution" naming the relation); the JSON output
	// nests them inside the attribution objects.
	LayerAttributionRoles = "attribution-roles"
)

// ChainSep separates the names in an attribution's "chain" attribute (the publisher first): the
// unit separator, replaced by a space in the names themselves.
const ChainSep = "\x1f"

// Doc is one article: its text, which never changes after NewDoc, its metadata, and the layers that
// pipeline components add. A Doc is not safe for concurrent mutation; process one Doc per goroutine.
type Doc struct {
	text        string
	Meta        Meta
	Diagnostics []Diagnostic

	layers map[string][]Span
	order  []string
	offs   *OffsetMap
}

// NewDoc returns a Doc over text, which must be valid UTF-8 (source.Decode makes it so).
func NewDoc(text string, meta Meta) *Doc {
	return &Doc{text: text, Meta: meta, layers: map[string][]Span{}}
}

// Text returns the document text exactly as received (after decoding to UTF-8). Every span of every
// layer indexes it.
func (d *Doc) Text() string { return d.text }

// SpanText returns the text a span covers.
func (d *Doc) SpanText(s Span) string { return d.text[s.Start:s.End] }

// Has reports whether the layer has been set.
func (d *Doc) Has(layer string) bool {
	_, ok := d.layers[layer]
	return ok
}

// Layer returns the spans of a layer in order, or nil. The slice is shared: callers must not modify it.
func (d *Doc) Layer(layer string) []Span { return d.layers[layer] }

// Layers returns the names of the layers set so far, in the order they were set.
func (d *Doc) Layers() []string { return append([]string(nil), d.order...) }

// SetLayer adds a layer. It checks the span invariants (in bounds, both ends on UTF-8 boundaries,
// sorted by start, then by end) and refuses to replace a layer that is already set: a component adds
// layers, it never edits another component's.
func (d *Doc) SetLayer(layer string, spans []Span) error {
	if _, ok := d.layers[layer]; ok {
		return fmt.Errorf("layer %q is already set", layer)
	}
	if err := CheckSpans(d.text, spans); err != nil {
		return fmt.Errorf("layer %q: %w", layer, err)
	}
	if spans == nil {
		spans = []Span{}
	}
	d.layers[layer] = spans
	d.order = append(d.order, layer)
	return nil
}

// CheckSpans verifies the span invariants against text: every span in bounds with Start <= End, both
// ends on UTF-8 boundaries, and the spans sorted by (Start, End).
func CheckSpans(text string, spans []Span) error {
	for i, s := range spans {
		if s.Start < 0 || s.End > len(text) || s.Start > s.End {
			return fmt.Errorf("span %d [%d,%d) out of bounds (text is %d bytes)", i, s.Start, s.End, len(text))
		}
		if !boundary(text, s.Start) || !boundary(text, s.End) {
			return fmt.Errorf("span %d [%d,%d) does not sit on UTF-8 boundaries", i, s.Start, s.End)
		}
		if i > 0 {
			p := spans[i-1]
			if s.Start < p.Start || (s.Start == p.Start && s.End < p.End) {
				return fmt.Errorf("span %d [%d,%d) is out of order after [%d,%d)", i, s.Start, s.End, p.Start, p.End)
			}
		}
	}
	return nil
}

func boundary(text string, i int) bool {
	return i == 0 || i == len(text) || utf8.RuneStart(text[i])
}

// Diag records a problem with the document that did not stop its processing.
func (d *Doc) Diag(component string, sev Severity, s *Span, format string, args ...any) {
	dg := Diagnostic{Component: component, Severity: sev, Message: fmt.Sprintf(format, args...)}
	if s != nil {
		span := *s
		dg.Span = &span
	}
	d.Diagnostics = append(d.Diagnostics, dg)
}

// Offsets returns the byte to code-point conversion table for the text, built once per Doc.
func (d *Doc) Offsets() *OffsetMap {
	if d.offs == nil {
		d.offs = NewOffsetMap(d.text)
	}
	return d.offs
}

// Covering returns the index range [i, j) of the spans in a sorted layer that lie inside [start, end).
// It is a binary search, for components that walk one layer within another (tokens in a sentence).
func Covering(spans []Span, start, end int) (int, int) {
	i := sort.Search(len(spans), func(k int) bool { return spans[k].Start >= start })
	j := i
	for j < len(spans) && spans[j].End <= end && spans[j].Start < end {
		j++
	}
	return i, j
}

// Severity ranks a diagnostic.
type Severity string

// Severities, from least to most serious.
const (
	Info    Severity = "info"
	Warning Severity = "warning"
	Error   Severity = "error"
)

// Diagnostic is a per-document problem that did not stop the document: an encoding guessed, a quote
// mark left unpaired, a layer skipped.
type Diagnostic struct {
	Component string   `json:"component"`
	Severity  Severity `json:"severity"`
	Message   string   `json:"message"`
	Span      *Span    `json:"-"`
}

// Paragraph labels (the paragraphs layer). Boilerplate and byline paragraphs are left out of
// analysis: no tokens, no sentences.
const (
	ParaBody        = "body"
	ParaTitle       = "title"
	ParaKicker      = "kicker"
	ParaByline      = "byline"
	ParaBoilerplate = "boilerplate"
)

// IsContent reports whether a paragraph is article text to analyse (not boilerplate or a byline).
func IsContent(p Span) bool { return p.Label != ParaBoilerplate && p.Label != ParaByline }

// English reports whether the models may read the document: its language is English, or not
// known (Meta.Language). Components that read words (entities, temporal expressions,
// attributions) give a document in another language empty layers.
func (d *Doc) English() bool { return d.Meta.Language == "" || d.Meta.Language == "en" }
