package timex_test

import (
	"bytes"
	"testing"

	"github.com/newsgraph/newsgraph/models"
	"github.com/newsgraph/newsgraph/timex"
)

// TestShippedModelRoundTrip loads the shipped model and saves it again: the same bytes, so that
// loading keeps every feature, its row and its weights.
func TestShippedModelRoundTrip(t *testing.T) {
	m, err := timex.LoadBytes(models.Timex)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := m.Save(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), models.Timex) {
		t.Errorf("saved %d bytes, not the %d loaded", b.Len(), len(models.Timex))
	}
}
