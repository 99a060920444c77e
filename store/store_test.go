package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/store"
)

func TestFTSQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"talks", `"talks"`},
		{"peace talks", `("peace" AND "talks")`},
		{`"peace talks" Omar`, `("peace talks" AND "Omar")`},
		{"U.S. sanctions", `("U S" AND "sanctions")`},
		{"al-Qaeda", `"al Qaeda"`},
		{"Taliban -Pakistan", `("Taliban") NOT "Pakistan"`},
		{"Taliban -Pakistan -India -Iran", `("Taliban") NOT ("Pakistan" OR ("India" OR "Iran"))`},
		{"BBC OR CNN talks", `(("BBC" OR "CNN") AND "talks")`},
		{"OR talks", `"talks"`},
		{`AND NOT ( ) * "x`, `("AND" AND ("NOT" AND "x"))`},
		{"Zoë 東京", `("Zoë" AND "東京")`},
		{"ｏｉｌ　ｐｒｉｃｅｓ", `(("oil" OR "ｏｉｌ") AND ("prices" OR "ｐｒｉｃｅｓ"))`},
		{"a b c d e", `(("a" AND "b") AND ("c" AND ("d" AND "e")))`},
	} {
		got, err := store.FTSQuery(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("FTSQuery(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "  ", "“ ” — !", "-word", "OR"} {
		if _, err := store.FTSQuery(in); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("FTSQuery(%q): %v, want ErrBadQuery", in, err)
		}
	}
}

// TestFTSQueryBounds: a query of MaxQueryTerms words is a shallow tree however it is made (AND,
// OR, exclusions, phrases); one word more is ErrBadQuery.
func TestFTSQueryBounds(t *testing.T) {
	words := make([]string, store.MaxQueryTerms)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
	}
	for name, q := range map[string]string{
		"and":        strings.Join(words, " "),
		"or":         strings.Join(words, " OR "),
		"exclusions": "talks -" + strings.Join(words[1:], " -"),
		"phrase":     `"` + strings.Join(words, " ") + `"`,
	} {
		got, err := store.FTSQuery(q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		depth, most := 0, 0
		for _, c := range got {
			switch c {
			case '(':
				depth++
				most = max(most, depth)
			case ')':
				depth--
			}
		}
		if most > 12 {
			t.Errorf("%s: nested %d deep", name, most)
		}
		if _, err := store.FTSQuery(q + " one"); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("%s: one word more: %v, want ErrBadQuery", name, err)
		}
	}
}

func TestCheckFilters(t *testing.T) {
	ok := []store.Query{{}, {From: "2015", To: "2015-07-16"}, {Speaker: strings.Repeat("a", store.MaxFilterLen)}}
	for _, q := range ok {
		if err := q.Check(); err != nil {
			t.Errorf("%+v: %v", q, err)
		}
	}
	bad := []store.Query{{From: "16/07/2015"}, {To: "2015-13"}, {From: "garbage"}, {Entity: strings.Repeat("a", store.MaxFilterLen+1)}}
	for _, q := range bad {
		if err := q.Check(); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("%.60v: %v, want ErrBadQuery", q, err)
		}
	}
	if err := (store.QuoteQuery{From: "2015-02-30"}).Check(); !errors.Is(err, store.ErrBadQuery) {
		t.Errorf("quotes: %v", err)
	}
	if err := (store.SourceQuery{To: "July"}).Check(); !errors.Is(err, store.ErrBadQuery) {
		t.Errorf("sources: %v", err)
	}
}

func TestTextHash(t *testing.T) {
	a := store.TextHash("Mullah Omar  wrote,\n“Peace.”")
	if !bytes.Equal(a, store.TextHash("  Mullah Omar wrote,\r\n\t“Peace.”\n")) {
		t.Error("white space changes the hash")
	}
	if bytes.Equal(a, store.TextHash("Mullah Omar wrote, “Peace!”")) {
		t.Error("a changed character keeps the hash")
	}
}

func TestMinHash(t *testing.T) {
	b, err := os.ReadFile("../examples/taliban-peace-talks.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	paras := strings.Split(strings.TrimSpace(text), "\n")
	edited := "UPDATED: " + strings.Join(paras[:len(paras)-1], "\n") + "\nReporting by our own staff."
	other := "Arsenal beat Chelsea two goals to one at the Emirates Stadium on Saturday, with late goals from both substitutes, to go top of the league for the first time since August."
	mh := store.MinHash(text)
	if len(mh) != store.MinHashes || len(store.Bands(mh)) != store.NearBands {
		t.Fatalf("%d values, %d bands", len(mh), len(store.Bands(mh)))
	}
	if s := store.Similarity(mh, store.MinHash(strings.ToUpper(text))); s != 1 {
		t.Errorf("case changes the MinHash: %.2f", s)
	}
	if s := store.Similarity(mh, store.MinHash(edited)); s < store.NearJaccard {
		t.Errorf("an edited copy (last paragraph replaced, a word added): similarity %.2f < %.2f", s, store.NearJaccard)
	}
	if s := store.Similarity(mh, store.MinHash(other)); s > 0.1 {
		t.Errorf("an unrelated text: similarity %.2f", s)
	}
	if s := store.Similarity(store.MinHash("One."), store.MinHash("One.")); s != 1 {
		t.Errorf("a one-word text: %.2f", s)
	}
}

func TestFromDoc(t *testing.T) {
	b, err := os.ReadFile("../examples/taliban-peace-talks.txt")
	if err != nil {
		t.Fatal(err)
	}
	p, err := engine.New()
	if err != nil {
		t.Fatal(err)
	}
	d := newsgraph.NewDoc(string(b), newsgraph.Meta{Date: "2015-07-16", URL: "https://www.newsmax.com/x", Input: newsgraph.Input{Path: "taliban.txt"}})
	if err := p.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	a, err := store.FromDoc(d, p.Components())
	if err != nil {
		t.Fatal(err)
	}
	if a.URL != "https://www.newsmax.com/x" || a.Publisher != "Newsmax" || a.Date != "2015-07-16" || a.Source != "taliban.txt" || a.Text != string(b) {
		t.Errorf("metadata: %q %q %q %q", a.URL, a.Publisher, a.Date, a.Source)
	}
	if !bytes.HasPrefix(a.Analysis, []byte(`{"schema":"newsgraph/v1"`)) || bytes.Contains(a.Analysis, []byte(`"tokens"`)) {
		t.Errorf("analysis JSON: %.80s", a.Analysis)
	}
	names := map[string]string{}
	for _, e := range a.Entities {
		names[e.Name] = e.Label + "/" + e.Outlet
	}
	if names["Mullah Omar"] != "PER/" || names["CNN"] != "ORG/CNN" {
		t.Errorf("entities: %v", names)
	}
	chains := map[string]bool{}
	for _, r := range a.Attributions {
		chains[strings.Join(r.Chain, " <- ")] = true
	}
	if !chains["Newsmax <- BBC <- Mullah Omar"] {
		t.Errorf("no Newsmax <- BBC <- Mullah Omar chain among %v", chains)
	}
	quoted := 0
	for _, q := range a.Quotes {
		if q.SpeakerName == "Mullah Omar" {
			quoted++
		}
	}
	if len(a.Quotes) != 9 || quoted == 0 {
		t.Errorf("%d quotes, %d by Mullah Omar", len(a.Quotes), quoted)
	}
	var values []string
	for _, x := range a.Timexes {
		values = append(values, x.Value)
	}
	if !reflect.DeepEqual(values[:1], []string{"2015-07-15"}) {
		t.Errorf("timex values %v", values)
	}
}
