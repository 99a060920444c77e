// Package storetest is the conformance suite every store.Store backend must pass:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, dir string) (store.Store, error) { return mybackend.Open(dir) })
//	}
//
// open is called with a fresh directory for each test, and again with the same directory to
// reopen a store after closing it.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/store"
)

// Opener opens (creating if needed) the store kept in dir.
type Opener func(t *testing.T, dir string) (store.Store, error)

// Run runs the suite.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func() store.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"Idempotent", testIdempotent},
		{"PutMany", testPutMany},
		{"NearDuplicates", testNearDuplicates},
		{"NearDuplicatesInBatch", testNearDuplicatesInBatch},
		{"Search", testSearch},
		{"SearchFilters", testSearchFilters},
		{"SearchQueries", testSearchQueries},
		{"Quotes", testQuotes},
		{"Sources", testSources},
		{"Chains", testChains},
		{"CountedOnce", testCountedOnce},
		{"Validators", testValidators},
		{"Reopen", testReopen},
		{"Concurrent", testConcurrent},
		{"Refuses", testRefuses},
		{"QueryBounds", testQueryBounds},
		{"Dates", testDates},
		{"FoldWidth", testFoldWidth},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var opened []store.Store
			tc.fn(t, func() store.Store {
				s, err := open(t, dir)
				if err != nil {
					t.Fatalf("open: %v", err)
				}
				opened = append(opened, s)
				return s
			})
			for _, s := range opened {
				s.Close()
			}
		})
	}
}

var ctx = context.Background()

// article is a test article with one of everything.
func article(n int, publisher, date string) *store.Article {
	return &store.Article{
		URL:       fmt.Sprintf("https://news.example.com/story/%d", n),
		Title:     fmt.Sprintf("Story %d: Taliban leader backs talks", n),
		Byline:    "Zoë Brontë",
		Date:      date,
		Publisher: publisher,
		Source:    fmt.Sprintf("feed.xml: record %d", n),
		Text: fmt.Sprintf("Story number %d. Mullah Omar endorsed the peace talks in Murree, the BBC reported. "+
			"“Political endeavours are legitimate,” he wrote in a message released before Eid al-Fitr. "+
			"Officials in Kabul welcomed the café meeting in 東京 style 🎉. Word%d appears only here.", n, n),
		Pipeline: "clean tokens entities attributions",
		Analysis: []byte(`{"schema":"newsgraph/v1","n":` + fmt.Sprint(n) + `}`),
		Entities: []store.Entity{
			{Cluster: "c1", Label: "PER", Name: "Mullah Omar", Mentions: 2},
			{Cluster: "c2", Label: "ORG", Name: "BBC", Outlet: "BBC", Mentions: 1},
			{Cluster: "c3", Label: "LOC", Name: "Kabul", Mentions: 1},
		},
		Attributions: []store.Attribution{
			{ID: "a1", Kind: "indirect", SpeakerName: "BBC", SpeakerKind: "outlet", Outlet: "BBC", OutletVia: "self",
				Chain: []string{publisher, "BBC"}, Source: "the BBC", Cue: "reported", Content: "Mullah Omar endorsed the peace talks in Murree"},
			{ID: "a2", Kind: "direct", SpeakerName: "Mullah Omar", SpeakerKind: "person", Outlet: "BBC", OutletVia: "chain", Parent: "a1",
				Chain: []string{publisher, "BBC", "Mullah Omar"}, Source: "he", Cue: "wrote", Content: "Political endeavours are legitimate"},
		},
		Quotes:  []store.Quote{{ID: "q1", Text: "“Political endeavours are legitimate,”", Attribution: "a2", SpeakerName: "Mullah Omar"}},
		Timexes: []store.Timex{{ID: "t1", Type: "DATE", Value: "2015-07-16", Text: "Eid al-Fitr"}},
	}
}

func put(t *testing.T, s store.Store, a *store.Article) store.PutResult {
	t.Helper()
	r, err := s.Put(ctx, a)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return r
}

func testRoundTrip(t *testing.T, open func() store.Store) {
	s := open()
	a := article(1, "Newsmax", "2015-07-16")
	r := put(t, s, a)
	if r.Status != store.Stored || r.ID == 0 || r.Group != r.ID {
		t.Fatalf("Put: %+v", r)
	}
	got, err := s.Get(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := article(1, "Newsmax", "2015-07-16")
	want.ID, want.Group = r.ID, r.ID
	want.TextHash, want.MinHash = store.TextHash(want.Text), store.MinHash(want.Text)
	got.Ingested = want.Ingested
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Get:\n got %+v\nwant %+v", got, want)
	}
	if _, err := s.Get(ctx, r.ID+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get of a missing article: %v, want ErrNotFound", err)
	}
	if id, ok, err := s.Lookup(ctx, a.URL, nil); err != nil || !ok || id != r.ID {
		t.Errorf("Lookup by URL: %d %v %v", id, ok, err)
	}
	if id, ok, err := s.Lookup(ctx, "", store.TextHash("  "+strings.ReplaceAll(a.Text, " ", "\n  "))); err != nil || !ok || id != r.ID {
		t.Errorf("Lookup by text hash (rewrapped text): %d %v %v", id, ok, err)
	}
	if _, ok, err := s.Lookup(ctx, "https://elsewhere.example/", nil); err != nil || ok {
		t.Errorf("Lookup of an unknown URL: %v %v", ok, err)
	}
}

func testIdempotent(t *testing.T, open func() store.Store) {
	s := open()
	first := put(t, s, article(1, "Newsmax", "2015-07-16"))
	again := put(t, s, article(1, "Newsmax", "2015-07-16"))
	if again.Status != store.DuplicateURL || again.ID != first.ID {
		t.Errorf("the same article again: %+v, want duplicate URL of %d", again, first.ID)
	}
	// The same text under another URL, and without a URL.
	b := article(1, "Other", "2015-07-17")
	b.URL = "https://mirror.example.org/1"
	if r := put(t, s, b); r.Status != store.DuplicateText || r.ID != first.ID {
		t.Errorf("the same text at another URL: %+v", r)
	}
	c := article(1, "Other", "2015-07-17")
	c.URL = ""
	if r := put(t, s, c); r.Status != store.DuplicateText || r.ID != first.ID {
		t.Errorf("the same text without a URL: %+v", r)
	}
	// Two texts without URLs are two articles.
	d, e := article(2, "X", ""), article(3, "X", "")
	d.URL, e.URL = "", ""
	if r1, r2 := put(t, s, d), put(t, s, e); r1.Status != store.Stored || r2.Status != store.Stored || r1.ID == r2.ID {
		t.Errorf("two articles without URLs: %+v %+v", r1, r2)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 3 || st.Quotes != 3 || st.Attributions != 6 || st.Entities != 9 || st.Timexes != 3 {
		t.Errorf("stats %+v, want 3 articles and their rows once", st)
	}
}

func testPutMany(t *testing.T, open func() store.Store) {
	s := open()
	a, b, c := article(1, "P", "2015-01-01"), article(2, "P", "2015-01-02"), article(1, "Q", "")
	c.URL = "" // the same text as a
	again := article(2, "P", "2015-01-02")
	r, err := s.PutMany(ctx, []*store.Article{a, b, c, again})
	if err != nil {
		t.Fatal(err)
	}
	got := []store.Status{r[0].Status, r[1].Status, r[2].Status, r[3].Status}
	if want := []store.Status{store.Stored, store.Stored, store.DuplicateText, store.DuplicateURL}; !reflect.DeepEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if r[2].ID != r[0].ID || r[3].ID != r[1].ID || a.ID != r[0].ID {
		t.Errorf("IDs %+v", r)
	}
	// A batch with a bad article stores nothing.
	if _, err := s.PutMany(ctx, []*store.Article{article(3, "P", ""), {Text: ""}}); err == nil {
		t.Error("a batch with an empty article was accepted")
	}
	if st, _ := s.Stats(ctx); st.Articles != 2 {
		t.Errorf("%d articles after a refused batch, want 2", st.Articles)
	}
	if r, err := s.PutMany(ctx, nil); err != nil || len(r) != 0 {
		t.Errorf("an empty batch: %v %v", r, err)
	}
}

// wire is a wire story that near-duplicates tests copy.
var wire = strings.Repeat("The talks in Murree between Afghan officials and Taliban envoys ended on Wednesday with an agreement to meet again after Eid, according to a statement from Islamabad. ", 3) +
	"Diplomats from China and the United States attended as observers, the statement said, and both sides described the atmosphere as cordial and constructive. " +
	"A second round is expected in August, officials familiar with the plans said on condition of anonymity because they were not authorized to speak publicly. " +
	"Mullah Omar's message, released on the eve of the holiday, called the negotiations legitimate and urged fighters to remain united behind the leadership."

func testNearDuplicates(t *testing.T, open func() store.Store) {
	s := open()
	a := &store.Article{URL: "https://a.example/1", Publisher: "A", Text: wire}
	b := &store.Article{URL: "https://b.example/1", Publisher: "B", Text: "Pakistan hosts talks. " + wire + " Reporting by the B desk."}
	c := &store.Article{URL: "https://c.example/1", Publisher: "C", Text: "An unrelated story about football: Arsenal beat Chelsea two goals to one at the Emirates Stadium on Saturday, with late goals from both substitutes."}
	ra, rb, rc := put(t, s, a), put(t, s, b), put(t, s, c)
	if ra.Status != store.Stored || rb.Status != store.Stored || rc.Status != store.Stored {
		t.Fatalf("statuses %v %v %v", ra.Status, rb.Status, rc.Status)
	}
	if rb.Group != ra.ID {
		t.Errorf("the wire story with a line added is not grouped with it (groups %d, %d; similarity %.2f)", ra.Group, rb.Group, store.Similarity(store.MinHash(a.Text), store.MinHash(b.Text)))
	}
	if rc.Group != rc.ID {
		t.Errorf("an unrelated story joined group %d", rc.Group)
	}
	st, _ := s.Stats(ctx)
	if st.Articles != 3 || st.Groups != 2 {
		t.Errorf("stats %+v, want 3 articles in 2 groups", st)
	}
	// Search folds the group into one hit unless asked for all.
	hits, err := s.Search(ctx, store.Query{Text: "Murree"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Duplicates != 1 {
		t.Errorf("folded search: %+v", hits)
	}
	hits, _ = s.Search(ctx, store.Query{Text: "Murree", AllDuplicates: true})
	if len(hits) != 2 {
		t.Errorf("search with all duplicates: %d hits", len(hits))
	}
	// A limit counts groups; duplicates of a listed group past the limit are still counted.
	d := &store.Article{URL: "https://d.example/1", Publisher: "D", Text: wire + " Murree again."}
	e := &store.Article{URL: "https://e.example/1", Publisher: "E", Text: "Murree is a hill station in Pakistan, where the talks were held; it is popular with tourists in summer and was a British sanatorium."}
	put(t, s, d)
	put(t, s, e)
	// Many copies of one story do not crowd out the others.
	for i := 0; i < 12; i++ {
		put(t, s, &store.Article{URL: fmt.Sprintf("https://copy.example/%d", i), Text: wire + fmt.Sprintf(" Copy %d. Murree Murree.", i)})
	}
	hits, _ = s.Search(ctx, store.Query{Text: "Murree", Limit: 3})
	if len(hits) != 2 {
		t.Errorf("after 12 copies, limit 3: %d hits, want the 2 groups", len(hits))
	}
	for _, h := range hits {
		if h.Group == ra.ID && h.Duplicates != 14 {
			t.Errorf("the wire story's group: %d duplicates, want 14 (b, d and the 12 copies)", h.Duplicates)
		}
	}
	for _, limit := range []int{1, 2} {
		hits, err := s.Search(ctx, store.Query{Text: "Murree", Limit: limit})
		if err != nil || len(hits) != limit {
			t.Errorf("limit %d: %v, %d hits", limit, err, len(hits))
		}
		dups := 0
		for _, h := range hits {
			dups += h.Duplicates
		}
		if limit == 2 && dups != 14 {
			t.Errorf("limit 2: %+v, want the wire story's group with 14 duplicates", hits)
		}
	}
}

// testNearDuplicatesInBatch: the later articles of a batch find its earlier ones, as if each
// were put alone.
func testNearDuplicatesInBatch(t *testing.T, open func() store.Store) {
	s := open()
	r, err := s.PutMany(ctx, []*store.Article{
		{URL: "https://a.example/1", Publisher: "A", Text: wire},
		{URL: "https://c.example/1", Publisher: "C", Text: "An unrelated story about football: Arsenal beat Chelsea two goals to one at the Emirates Stadium on Saturday."},
		{URL: "https://b.example/1", Publisher: "B", Text: "Pakistan hosts talks. " + wire + " Reporting by the B desk."},
		{URL: "https://d.example/1", Publisher: "D", Text: wire + " Murree again."},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range r {
		if r.Status != store.Stored {
			t.Errorf("article %d: %v", i, r.Status)
		}
	}
	if r[0].Group != r[0].ID || r[1].Group != r[1].ID || r[2].Group != r[0].ID || r[3].Group != r[0].ID {
		t.Errorf("groups %+v, want the first's for the third and fourth", r)
	}
	if st, _ := s.Stats(ctx); st.Articles != 4 || st.Groups != 2 {
		t.Errorf("stats %+v, want 4 articles in 2 groups", st)
	}
}

func seed(t *testing.T, s store.Store) {
	t.Helper()
	for i, p := range []struct{ pub, date string }{
		{"Newsmax", "2015-07-16"}, {"Newsmax", "2015-08-01"}, {"Reuters", "2016-01-10"}, {"BBC", "2014-12-31"}, {"", ""},
	} {
		a := article(i+1, p.pub, p.date)
		// Distinct texts that are not near-duplicates of each other.
		a.Text = strings.Repeat(fmt.Sprintf("Paragraph %d of a distinct story number %d about subject%d. ", i, i, i*7), 6) + a.Text
		if i == 2 {
			a.Attributions = append(a.Attributions, store.Attribution{ID: "a3", Kind: "indirect", SpeakerName: "Mullah Omar", SpeakerKind: "person", Cue: "said", Content: "x"})
			a.Attributions[1].SpeakerName = "Ashraf Ghani"
			a.Quotes[0].SpeakerName = "Ashraf Ghani"
			a.Entities[0].Name = "Ashraf Ghani"
		}
		if i == 4 {
			// A speaker below the confidence threshold: a guess, not named; and a quotation no
			// attribution holds, whose speaker comes from the context.
			a.Attributions[1].SpeakerName, a.Attributions[1].SpeakerGuess, a.Attributions[1].Confidence = "", "Gordon Browne", 0.41
			a.Quotes[0].SpeakerName, a.Quotes[0].SpeakerGuess, a.Quotes[0].Confidence = "", "Gordon Browne", 0.41
			a.Quotes = append(a.Quotes, store.Quote{ID: "q2", Text: "“We will be back,”", SpeakerName: "Zabihullah Mujahid", Confidence: 0.88})
		}
		put(t, s, a)
	}
}

func ids(hits []store.Hit) []int64 {
	var out []int64
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func testSearch(t *testing.T, open func() store.Store) {
	s := open()
	seed(t, s)
	hits, err := s.Search(ctx, store.Query{Text: "word3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].ID != 3 || hits[0].Publisher != "Reuters" || !strings.Contains(store.Bracketed(hits[0].Snippet), "[Word3]") {
		t.Fatalf("word3: %+v", hits)
	}
	// Stemming and diacritics: "endorse" finds "endorsed", "cafe" finds "café".
	for _, q := range []string{"endorse", "cafe", "东京", "東京", "peace talks", `"peace talks"`, "Zoë"} {
		hits, err := s.Search(ctx, store.Query{Text: q, Limit: 10})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		want := 5
		if q == "东京" || q == "Zoë" {
			want = 0 // simplified characters are other characters; the byline is not searched
		}
		if len(hits) != want {
			t.Errorf("%q: %d hits, want %d", q, len(hits), want)
		}
	}
	// The title weighs more than the text.
	inText := &store.Article{Title: "Elsewhere", Text: "A long story that names Kandahar once among many other words about the region and its people and its history."}
	inTitle := &store.Article{Title: "Kandahar", Text: "A long story about the region and its people and its history, with many other words."}
	put(t, s, inText)
	rt := put(t, s, inTitle)
	hits, _ = s.Search(ctx, store.Query{Text: "Kandahar"})
	if len(hits) != 2 || hits[0].ID != rt.ID {
		t.Errorf("title match first: %v, want %d first", ids(hits), rt.ID)
	}
	// Limit and no text: newest first.
	hits, _ = s.Search(ctx, store.Query{Limit: 3, From: "1900"})
	if got := ids(hits); !reflect.DeepEqual(got, []int64{3, 2, 1}) {
		t.Errorf("no text, limit 3: %v, want newest first [3 2 1]", got)
	}
}

func testSearchFilters(t *testing.T, open func() store.Store) {
	s := open()
	seed(t, s)
	for _, tc := range []struct {
		name   string
		q      store.Query
		want   []int64
		sorted bool // compare in ID order (bm25 ties)
	}{
		{"publisher", store.Query{Publisher: "newsmax"}, []int64{2, 1}, false},
		{"date range by prefixes", store.Query{From: "2015", To: "2015-07"}, []int64{1}, false},
		{"from only", store.Query{From: "2015-08"}, []int64{3, 2}, false},
		{"to only", store.Query{To: "2014"}, []int64{4}, false},
		{"speaker, part of the name", store.Query{Speaker: "ghani"}, []int64{3}, false},
		{"speaker with LIKE characters", store.Query{Speaker: "%"}, nil, false},
		{"speaker, start of a word", store.Query{Speaker: "GHA", SpeakerPrefix: true}, []int64{3}, false},
		{"speaker, start of a word, whole words asked", store.Query{Speaker: "GHA"}, nil, false},
		{"speaker, a guess", store.Query{Speaker: "Browne"}, nil, false},
		{"speaker, a guess asked for", store.Query{Speaker: "Gordon Browne", Guesses: true}, []int64{5}, false},
		{"speaker, a quotation's own", store.Query{Speaker: "Zabihullah Mujahid"}, []int64{5}, false},
		{"speaker, two words", store.Query{Speaker: "Ashraf Ghani"}, []int64{3}, false},
		{"speaker, words of two speakers", store.Query{Speaker: "Ashraf Omar"}, nil, false},
		{"speaker, one of two", store.Query{Speaker: "omar", Publisher: "Reuters"}, []int64{3}, false},
		{"speaker, the middle of a word", store.Query{Speaker: "hani"}, nil, false},
		{"outlet cited", store.Query{Outlet: "bbc", Publisher: "Reuters"}, []int64{3}, false},
		{"outlet not cited", store.Query{Outlet: "CNN"}, nil, false},
		{"entity, whole name", store.Query{Entity: "kabul", From: "2015"}, []int64{3, 2, 1}, false},
		{"entity, part of a name", store.Query{Entity: "Ghan"}, nil, false},
		{"text and filters", store.Query{Text: "legitimate", Publisher: "Newsmax", Speaker: "Omar"}, []int64{1, 2}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits, err := s.Search(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			got := ids(hits)
			if tc.sorted {
				sortIDs(got)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func sortIDs(x []int64) {
	for i := 1; i < len(x); i++ {
		for j := i; j > 0 && x[j] < x[j-1]; j-- {
			x[j], x[j-1] = x[j-1], x[j]
		}
	}
}

func testSearchQueries(t *testing.T, open func() store.Store) {
	s := open()
	seed(t, s)
	for _, tc := range []struct {
		q    string
		want int
	}{
		{"word1 OR word2", 2},
		{"word1 OR word2 OR word5", 3},
		{"talks -word1", 4},
		{`"talks endorsed"`, 0}, // a phrase in the wrong order
		{"U.S.", 0},             // punctuation inside a word is no syntax error
		{`AND OR NOT ( ) * : ^ "unclosed`, 0},
		{"al-Fitr", 5},
	} {
		hits, err := s.Search(ctx, store.Query{Text: tc.q})
		if err != nil && !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("%q: %v", tc.q, err)
			continue
		}
		if len(hits) != tc.want {
			t.Errorf("%q: %d hits, want %d", tc.q, len(hits), tc.want)
		}
	}
	if _, err := s.Search(ctx, store.Query{Text: "“ ” — !"}); !errors.Is(err, store.ErrBadQuery) {
		t.Errorf("a query without words: %v, want ErrBadQuery", err)
	}
}

func testQuotes(t *testing.T, open func() store.Store) {
	s := open()
	seed(t, s)
	q, err := s.Quotes(ctx, store.QuoteQuery{Speaker: "omar"})
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 3 {
		t.Fatalf("quotes by Omar: %d, want 3", len(q))
	}
	h := q[0]
	if h.Speaker != "Mullah Omar" || h.Quote != "“Political endeavours are legitimate,”" || h.SpeakerKind != "person" || h.Outlet != "BBC" ||
		!reflect.DeepEqual(h.Chain, []string{"Newsmax", "BBC", "Mullah Omar"}) || h.Date != "2015-08-01" {
		t.Errorf("first quote: %+v", h)
	}
	q, _ = s.Quotes(ctx, store.QuoteQuery{Speaker: "Ghani"})
	if len(q) != 1 || q[0].ArticleID != 3 {
		t.Errorf("quotes by Ghani: %+v", q)
	}
	q, _ = s.Quotes(ctx, store.QuoteQuery{Speaker: "omar", Publisher: "BBC"})
	if len(q) != 1 || q[0].ArticleID != 4 {
		t.Errorf("quotes by Omar in the BBC: %+v", q)
	}
	q, _ = s.Quotes(ctx, store.QuoteQuery{Limit: 2})
	if len(q) != 2 {
		t.Errorf("limit 2: %d", len(q))
	}
	// Whole words by default; the start of a word with Prefix.
	if q, _ = s.Quotes(ctx, store.QuoteQuery{Speaker: "Omar"}); len(q) != 3 {
		t.Errorf("quotes by Omar: %d, want 3 (not the guess of article 5)", len(q))
	}
	if q, _ = s.Quotes(ctx, store.QuoteQuery{Speaker: "Brown", Guesses: true}); len(q) != 0 {
		t.Errorf("Brown found %+v: whole words only", q)
	}
	q, _ = s.Quotes(ctx, store.QuoteQuery{Speaker: "Brown", Guesses: true, Prefix: true})
	if len(q) != 1 || !q[0].Guess || q[0].Speaker != "Gordon Browne" || q[0].Confidence != 0.41 {
		t.Errorf("the guess by prefix: %+v", q)
	}
	if q, _ = s.Quotes(ctx, store.QuoteQuery{Speaker: "Browne"}); len(q) != 0 {
		t.Errorf("a guess without Guesses: %+v", q)
	}
	q, _ = s.Quotes(ctx, store.QuoteQuery{Speaker: "Mujahid"})
	if len(q) != 1 || q[0].Guess || q[0].Resolved != "context" || q[0].Attribution != "" || q[0].Confidence != 0.88 {
		t.Errorf("a quotation's own speaker: %+v", q)
	}
}

func testSources(t *testing.T, open func() store.Store) {
	s := open()
	seed(t, s)
	e, err := s.Sources(ctx, store.SourceQuery{})
	if err != nil {
		t.Fatal(err)
	}
	// Each article cites the BBC twice (as a source and through the chain); the BBC's own article
	// does not count as citing itself.
	want := []store.SourceEdge{
		{Publisher: "Newsmax", Cited: "BBC", Articles: 2, Attributions: 4},
		{Publisher: "", Cited: "BBC", Articles: 1, Attributions: 2},
		{Publisher: "Reuters", Cited: "BBC", Articles: 1, Attributions: 2},
	}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("sources:\n got %+v\nwant %+v", e, want)
	}
	e, _ = s.Sources(ctx, store.SourceQuery{Publisher: "reuters"})
	if len(e) != 1 || e[0].Publisher != "Reuters" {
		t.Errorf("sources of Reuters: %+v", e)
	}
	e, _ = s.Sources(ctx, store.SourceQuery{Cited: "CNN"})
	if len(e) != 0 {
		t.Errorf("sources citing CNN: %+v", e)
	}
}

func testChains(t *testing.T, open func() store.Store) {
	s := open()
	seed(t, s)
	cs, err := s.Chains(ctx, store.SourceQuery{Publisher: "newsmax"})
	if err != nil {
		t.Fatal(err)
	}
	// Ties in the order of the chains' JSON text.
	want := []store.ChainCount{
		{Chain: []string{"Newsmax", "BBC", "Mullah Omar"}, Attributions: 2, Articles: 2},
		{Chain: []string{"Newsmax", "BBC"}, Attributions: 2, Articles: 2},
	}
	if !reflect.DeepEqual(cs, want) {
		t.Errorf("chains of Newsmax:\n got %+v\nwant %+v", cs, want)
	}
	if cs, _ = s.Chains(ctx, store.SourceQuery{Cited: "bbc", Limit: 3}); len(cs) != 3 {
		t.Errorf("chains through the BBC, limit 3: %+v", cs)
	}
	if cs, _ = s.Chains(ctx, store.SourceQuery{Cited: "CNN"}); len(cs) != 0 {
		t.Errorf("chains through CNN: %+v", cs)
	}
}

func testValidators(t *testing.T, open func() store.Store) {
	s := open()
	u := "https://news.example.com/feed.xml"
	if _, ok, err := s.Validators(ctx, u); err != nil || ok {
		t.Fatalf("unknown URL: %v %v", ok, err)
	}
	v := store.Validators{ETag: `W/"abc"`, LastModified: "Wed, 15 Jul 2015 10:00:00 GMT", Status: 200}
	if err := s.SetValidators(ctx, u, v); err != nil {
		t.Fatal(err)
	}
	v.ETag = `"def"`
	if err := s.SetValidators(ctx, u, v); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Validators(ctx, u)
	if err != nil || !ok || got.ETag != `"def"` || got.LastModified != v.LastModified || got.Status != 200 || got.Fetched.IsZero() {
		t.Errorf("validators: %+v %v %v", got, ok, err)
	}
}

func testReopen(t *testing.T, open func() store.Store) {
	s := open()
	seed(t, s)
	v := store.Validators{ETag: `"x"`, Status: 200}
	s.SetValidators(ctx, "https://x.example/", v)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open()
	st, err := s.Stats(ctx)
	if err != nil || st.Articles != 5 {
		t.Fatalf("after reopening: %+v %v", st, err)
	}
	if r := put(t, s, article(1, "Newsmax", "2015-07-16")); r.Status == store.Stored {
		t.Errorf("an article stored before reopening was stored again")
	}
	if hits, _ := s.Search(ctx, store.Query{Text: "word5"}); len(hits) != 1 {
		t.Errorf("search after reopening: %d hits", len(hits))
	}
	if got, ok, _ := s.Validators(ctx, "https://x.example/"); !ok || got.ETag != `"x"` {
		t.Errorf("validators after reopening: %+v", got)
	}
}

func testConcurrent(t *testing.T, open func() store.Store) {
	s := open()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				// Every worker puts the same ten articles: each is stored once.
				a := article(i, "P", "2015-01-01")
				a.Text = strings.Repeat(fmt.Sprintf("Unique words number%d here. ", i*13), 8) + a.Text
				if _, err := s.Put(ctx, a); err != nil {
					errs <- err
				}
				if _, err := s.Search(ctx, store.Query{Text: "talks"}); err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if st, _ := s.Stats(ctx); st.Articles != 10 || st.Quotes != 10 {
		t.Errorf("stats %+v, want 10 articles each stored once", st)
	}
}

func testRefuses(t *testing.T, open func() store.Store) {
	s := open()
	if _, err := s.Put(ctx, &store.Article{URL: "https://x.example/", Text: " \n "}); !errors.Is(err, store.ErrEmptyText) {
		t.Errorf("empty text: %v", err)
	}
	if st, _ := s.Stats(ctx); st.Articles != 0 {
		t.Errorf("a refused article was stored")
	}
	ctx2, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Put(ctx2, article(1, "P", "")); err == nil {
		t.Errorf("Put with a cancelled context stored the article")
	}
	if st, _ := s.Stats(ctx); st.Articles != 0 {
		t.Errorf("a cancelled Put left an article")
	}
}

// testQueryBounds: a query past the bounds is a bad query, not work: too many words, a filter too
// long, dates that are none; a query of many exclusions runs; a query past its deadline stops with
// ErrQueryTimeout.
func testQueryBounds(t *testing.T, open func() store.Store) {
	s := open()
	seed(t, s)
	var words []string
	for i := 0; i < store.MaxQueryTerms+1; i++ {
		words = append(words, fmt.Sprintf("w%d", i))
	}
	if _, err := s.Search(ctx, store.Query{Text: strings.Join(words, " ")}); !errors.Is(err, store.ErrBadQuery) {
		t.Errorf("%d words: %v, want ErrBadQuery", len(words), err)
	}
	// 300 exclusions: FTS5 refused a chain of them as "expression tree is too large".
	hits, err := s.Search(ctx, store.Query{Text: "talks -" + strings.Join(words[:300], " -")})
	if err != nil || len(hits) != 5 {
		t.Errorf("300 exclusions: %d hits, %v", len(hits), err)
	}
	hits, err = s.Search(ctx, store.Query{Text: strings.Join(words[:store.MaxQueryTerms-1], " OR ") + " OR word3"})
	if err != nil || len(hits) != 1 {
		t.Errorf("%d alternatives: %d hits, %v", store.MaxQueryTerms, len(hits), err)
	}
	long := strings.Repeat("Omar ", store.MaxFilterLen)
	if _, err := s.Search(ctx, store.Query{Speaker: long}); !errors.Is(err, store.ErrBadQuery) {
		t.Errorf("a speaker of %d bytes: %v", len(long), err)
	}
	if _, err := s.Quotes(ctx, store.QuoteQuery{Speaker: long}); !errors.Is(err, store.ErrBadQuery) {
		t.Errorf("quotes of a speaker of %d bytes: %v", len(long), err)
	}
	for _, d := range []string{"16/07/2015", "2015-13-45", "garbage"} {
		if _, err := s.Search(ctx, store.Query{From: d}); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("search from %q: %v", d, err)
		}
		if _, err := s.Quotes(ctx, store.QuoteQuery{To: d}); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("quotes to %q: %v", d, err)
		}
		if _, err := s.Sources(ctx, store.SourceQuery{From: d}); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("sources from %q: %v", d, err)
		}
	}
	expired, cancel := context.WithDeadline(ctx, time.Now().Add(-time.Second))
	defer cancel()
	if _, err := s.Search(expired, store.Query{Text: "talks"}); !errors.Is(err, store.ErrQueryTimeout) {
		t.Errorf("search past its deadline: %v, want ErrQueryTimeout", err)
	}
	if _, err := s.Quotes(expired, store.QuoteQuery{Speaker: "omar"}); !errors.Is(err, store.ErrQueryTimeout) {
		t.Errorf("quotes past its deadline: %v, want ErrQueryTimeout", err)
	}
	if _, err := s.Sources(expired, store.SourceQuery{}); !errors.Is(err, store.ErrQueryTimeout) {
		t.Errorf("sources past its deadline: %v, want ErrQueryTimeout", err)
	}
}

// testDates: an article's date is kept in ISO 8601 (a date written out is normalized), one that is
// no date is refused, and ranges compare dates, not strings.
func testDates(t *testing.T, open func() store.Store) {
	s := open()
	a := article(1, "AP", "16 July 2015")
	r := put(t, s, a)
	got, err := s.Get(ctx, r.ID)
	if err != nil || got.Date != "2015-07-16" {
		t.Errorf("a date written out: %q, %v", got.Date, err)
	}
	b := article(2, "AP", "garbage")
	b.Text = "A different story altogether, about the weather in Kabul and Islamabad this week."
	if _, err := s.Put(ctx, b); err == nil {
		t.Errorf("an article dated %q was stored", b.Date)
	}
	hits, err := s.Search(ctx, store.Query{From: "2015-07", To: "2015-07-16"})
	if err != nil || len(hits) != 1 {
		t.Errorf("2015-07 to 2015-07-16: %d hits, %v", len(hits), err)
	}
}

// testFoldWidth: fullwidth letters are found by ordinary ones and the other way round.
func testFoldWidth(t *testing.T, open func() store.Store) {
	s := open()
	a := article(1, "AP", "2015-07-16")
	a.Text = "Ｏｉｌ ｐｒｉｃｅｓ fell sharply in Tokyo trading on Thursday, dealers said."
	put(t, s, a)
	b := article(2, "AP", "2015-07-17")
	b.Text = "Gas prices rose in London on Friday as traders looked ahead to the winter."
	put(t, s, b)
	for q, want := range map[string]int{"oil": 1, "ｏｉｌ": 1, "ＯＩＬ ｐｒｉｃｅｓ": 1, "prices": 2, "ｇａｓ": 1} {
		hits, err := s.Search(ctx, store.Query{Text: q})
		if err != nil || len(hits) != want {
			t.Errorf("%q: %d hits, %v; want %d", q, len(hits), err, want)
		}
	}
	hits, _ := s.Search(ctx, store.Query{Text: "oil"})
	if len(hits) == 1 && !strings.Contains(store.Bracketed(hits[0].Snippet), "[Ｏｉｌ]") {
		t.Errorf("the snippet does not mark the word: %q", hits[0].Snippet)
	}
}

// testCountedOnce: a story stored twice as near-duplicates (a publisher's update, or the same wire
// copy) is one story in quotes and sources.
func testCountedOnce(t *testing.T, open func() store.Store) {
	s := open()
	seed(t, s)
	a := article(1, "Newsmax", "2015-07-16")
	a.URL = "https://news.example.com/story/1-updated"
	a.Text = strings.Repeat(fmt.Sprintf("Paragraph %d of a distinct story number %d about subject%d. ", 0, 0, 0), 6) + a.Text + " This story has been updated."
	// The update carries the quotation twice (a pull quote): still one copy.
	a.Quotes = append(a.Quotes, store.Quote{ID: "q2", Text: a.Quotes[0].Text, Attribution: "a2", SpeakerName: "Mullah Omar"})
	r := put(t, s, a)
	if r.Status != store.Stored || r.Group != 1 {
		t.Fatalf("the update: %+v, want stored in group 1", r)
	}
	q, err := s.Quotes(ctx, store.QuoteQuery{Speaker: "omar"})
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 3 {
		t.Errorf("quotes by Omar: %d, want 3 (the update's copy folded)", len(q))
	}
	for _, h := range q {
		if h.ArticleID == 1 && h.Copies != 2 || h.ArticleID != 1 && h.Copies != 1 {
			t.Errorf("quote of #%d: %d copies", h.ArticleID, h.Copies)
		}
	}
	e, err := s.Sources(ctx, store.SourceQuery{Publisher: "Newsmax"})
	if err != nil {
		t.Fatal(err)
	}
	if len(e) != 1 || e[0].Articles != 2 || e[0].Attributions != 4 {
		t.Errorf("Newsmax citing the BBC: %+v, want 2 stories, 4 attributions (the update not counted)", e)
	}
	all, err := s.Sources(ctx, store.SourceQuery{}) // without filters (a backend may plan it otherwise)
	if err != nil || len(all) == 0 || all[0].Publisher != "Newsmax" || all[0].Articles != 2 || all[0].Attributions != 4 {
		t.Errorf("sources without filters: %+v %v, want Newsmax citing the BBC in 2 stories", all, err)
	}
}
