package attrib_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/attrib"
	"github.com/newsgraph/newsgraph/engine"
)

// contents runs the attribution component with the model m over text and returns its contents.
func contents(t *testing.T, m *attrib.Model, text string) []string {
	t.Helper()
	p, err := engine.Entities()
	if err != nil {
		t.Fatal(err)
	}
	d := newsgraph.NewDoc(text, newsgraph.Meta{})
	if err := p.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if err := (attrib.Component{Model: m}).Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
		if r.Label == "content" {
			out = append(out, d.SpanText(r))
		}
	}
	return out
}

// TestQuotationContents: a content that opens a quotation and stops inside it runs on to the
// closing mark; without the rule (ClauseContents false) it does not, so the test reaches the rule.
func TestQuotationContents(t *testing.T) {
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	off := *m
	off.ClauseContents = false
	text := "The minister spoke to reporters.\n\nShe said: \"The plan will fail. The costs have risen sharply this year. Families cannot pay. Schools are closing. Hospitals are full. Nobody listens to us. We must act now before it is too late.\"\n"
	full := `"The plan will fail. The costs have risen sharply this year. Families cannot pay. Schools are closing. Hospitals are full. Nobody listens to us. We must act now before it is too late."`
	has := func(cs []string) bool {
		for _, c := range cs {
			if strings.Contains(c, full) || strings.HasSuffix(c, `too late."`) && strings.HasPrefix(c, `"The plan`) {
				return true
			}
		}
		return false
	}
	on, without := contents(t, m, text), contents(t, &off, text)
	if !has(on) {
		t.Errorf("contents %q, want the whole quotation", on)
	}
	if has(without) {
		t.Errorf("without the rule the tagger already reads the whole quotation (%q): the test does not reach the rule", without)
	}
}

// TestTrimAfterQuotation: the rest of the reporting clause after a whole quotation is not content.
func TestTrimAfterQuotation(t *testing.T) {
	m, err := attrib.Default()
	if err != nil {
		t.Fatal(err)
	}
	off := *m
	off.ClauseContents = false
	text := "The campaign opened in Leeds.\n\n\"That's the battleground of this election, and I say bring it on,\" he concluded, to loud Tory cheering.\n"
	tail := func(cs []string) bool {
		for _, c := range cs {
			if strings.Contains(c, "cheering") {
				return true
			}
		}
		return false
	}
	on, without := contents(t, m, text), contents(t, &off, text)
	if tail(on) {
		t.Errorf("contents %q hold the reporting clause's words", on)
	}
	if !tail(without) {
		t.Errorf("without the rule the tagger leaves the reporting clause out already (%q): the test does not reach the rule", without)
	}
}
