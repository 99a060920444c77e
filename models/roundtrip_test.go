package models_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/newsgraph/newsgraph/attrib"
	"github.com/newsgraph/newsgraph/models"
	"github.com/newsgraph/newsgraph/ner"
	"github.com/newsgraph/newsgraph/syntax"
	"github.com/newsgraph/newsgraph/timex"
)

type saver interface{ Save(io.Writer) error }

// TestShippedModelsRoundTrip loads each shipped model and saves it again: the same bytes, so that
// loading keeps every feature, its row and its weights.
func TestShippedModelsRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name string
		b    []byte
		load func([]byte) (saver, error)
	}{
		{"ner", models.NER, func(b []byte) (saver, error) { return ner.LoadBytes(b) }},
		{"syntax", models.Syntax, func(b []byte) (saver, error) { return syntax.LoadBytes(b) }},
		{"attrib", models.Attrib, func(b []byte) (saver, error) { return attrib.LoadBytes(b) }},
		{"timex", models.Timex, func(b []byte) (saver, error) { return timex.LoadBytes(b) }},
	} {
		m, err := c.load(c.b)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !bytes.Equal(buf.Bytes(), c.b) {
			t.Errorf("%s: saved %d bytes, not the %d loaded", c.name, buf.Len(), len(c.b))
		}
	}
}
