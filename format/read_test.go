package format_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/format"
)

// TestReadJSON: what WriteJSON writes, ReadJSON reads back into the same document (written again,
// the same JSON), for the engine's golden texts (curly quotes, CRLF, emoji, a dateline).
func TestReadJSON(t *testing.T) {
	p, err := engine.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"multibyte-crlf.txt", "taliban-peace-talks.txt", "reuters-dateline.txt"} {
		text, err := os.ReadFile("../engine/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		d := newsgraph.NewDoc(string(text), newsgraph.Meta{Publisher: "Newsmax", Date: "2015-07-16"})
		if err := p.Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		var first, second bytes.Buffer
		if err := format.WriteJSON(&first, d, p.Components(), format.JSONOptions{Tokens: true}); err != nil {
			t.Fatal(err)
		}
		back, pipeline, err := format.ReadJSON(first.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := format.WriteJSON(&second, back, pipeline, format.JSONOptions{Tokens: true}); err != nil {
			t.Fatal(err)
		}
		var a, b any
		json.Unmarshal(first.Bytes(), &a)
		json.Unmarshal(second.Bytes(), &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the JSON read and written again differs:\n%.600s\n%.600s", name, first.String(), second.String())
		}
	}
	for _, bad := range []string{`{}`, `{"schema":"newsgraph/v1","text":"abc","entities":[{"start":2,"end":9}]}`, `{"schema":"other","text":"x"}`, `[1]`} {
		if _, _, err := format.ReadJSON([]byte(bad)); err == nil || !strings.Contains(err.Error(), "format:") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
