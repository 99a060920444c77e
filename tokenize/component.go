package tokenize

import (
	"context"

	"github.com/newsgraph/newsgraph"
)

// Component tokenizes every content paragraph (newsgraph.IsContent) and pairs the quotation marks.
// Unpaired marks become diagnostics.
type Component struct{}

// Name implements newsgraph.Component.
func (Component) Name() string { return "tokenize.rules.v1" }

// Requires implements newsgraph.Component.
func (Component) Requires() []string { return []string{newsgraph.LayerParagraphs} }

// Assigns implements newsgraph.Component.
func (Component) Assigns() []string { return []string{newsgraph.LayerTokens} }

// maxQuoteDiags caps the diagnostics about unpaired quotation marks in one document.
const maxQuoteDiags = 20

// Process implements newsgraph.Component.
func (c Component) Process(_ context.Context, d *newsgraph.Doc) error {
	text := d.Text()
	paras := d.Layer(newsgraph.LayerParagraphs)
	toks := make([]newsgraph.Span, 0, len(text)/5+8)
	content := make([]newsgraph.Span, 0, len(paras))
	for _, p := range paras {
		if !newsgraph.IsContent(p) {
			continue
		}
		toks = Append(toks, text, p.Start, p.End)
		content = append(content, p)
	}
	bad := Pair(text, toks, content)
	for i, u := range bad {
		if i == maxQuoteDiags {
			d.Diag(c.Name(), newsgraph.Warning, nil, "%d more unpaired quotation marks", len(bad)-i)
			break
		}
		t := toks[u.Token]
		d.Diag(c.Name(), newsgraph.Warning, &t, "quotation mark %s: %s", text[t.Start:t.End], u.Why)
	}
	return d.SetLayer(newsgraph.LayerTokens, toks)
}
