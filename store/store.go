// Package store keeps analysed articles and answers questions about them: full-text search with
// filters, quotations by speaker, and which outlets cite which. Store is the interface every
// backend implements (store/sqlite is the embedded default); store/storetest is the conformance
// suite each must pass.
package store

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/format"
	"github.com/newsgraph/newsgraph/internal/table"
)

// Article is one stored article: its text, what is known of it, its analysis, and the rows the
// queries read.
type Article struct {
	ID        int64
	URL       string // the canonical URL, else the URL it was read from; "" for files without one
	Title     string
	Byline    string
	Date      string // publication date as given or found (ISO 8601 expected)
	Publisher string
	Source    string // the input it came from: a path, "path: record N", or a URL
	Text      string
	TextHash  []byte   // sha256 of the text with its white space collapsed (TextHash)
	MinHash   []uint32 // of the text's word 4-shingles (MinHash), for near-duplicates
	Group     int64    // the ID of the first stored article of its near-duplicate group (itself if none)
	Pipeline  string   // the components that analysed it, space-separated
	Analysis  []byte   // the newsgraph/v1 JSON of its analysis (docs/schema.md), without tokens
	Ingested  time.Time

	Entities     []Entity
	Attributions []Attribution
	Quotes       []Quote
	Timexes      []Timex

	packed []byte // Analysis deflated, once (PackedAnalysis)
}

// PackedAnalysis is the analysis JSON deflated (fast level), as backends keep it; it is computed
// once, by Prepare where the article is made (in parallel), or on first use.
func (a *Article) PackedAnalysis() ([]byte, error) {
	if a.packed == nil && len(a.Analysis) > 0 {
		var buf bytes.Buffer
		w, err := flate.NewWriter(&buf, flate.BestSpeed)
		if err != nil {
			return nil, err
		}
		w.Write(a.Analysis)
		if err := w.Close(); err != nil {
			return nil, err
		}
		a.packed = buf.Bytes()
	}
	return a.packed, nil
}

// UnpackAnalysis reverses PackedAnalysis.
func UnpackAnalysis(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, nil
	}
	return io.ReadAll(flate.NewReader(bytes.NewReader(b)))
}

// Entity is one entity cluster of an article: its name (the longest mention), type, whether it
// is a news outlet, and how many times it is mentioned.
type Entity struct {
	Cluster  string
	Label    string
	Name     string
	Outlet   string // the outlet's name when the entity is a news outlet
	Mentions int
}

// Attribution is one attribution relation of an article (docs/schema.md, attributions).
type Attribution struct {
	ID          string
	Kind        string
	SpeakerName string // the speaker named (confident)
	SpeakerKind string
	// SpeakerGuess is the speaker the analysis did not name, below its confidence threshold;
	// Confidence the confidence of the speaker or the guess (NoConfidence when it gave none);
	// Resolved how the speaker was read (name, pronoun, description, document, relative, context).
	SpeakerGuess string
	Confidence   float64
	Resolved     string
	Outlet       string
	OutletVia    string
	Parent       string
	Chain        []string
	Source       string // the source's words
	Cue          string
	Content      string
}

// Quote is one quotation of an article with the attribution it belongs to, if any.
type Quote struct {
	ID          string
	Text        string
	Attribution string
	SpeakerName string
	// SpeakerGuess and Confidence as in Attribution. A quotation no attribution holds may have a
	// speaker of its own, which the analysis found in the context.
	SpeakerGuess string
	Confidence   float64
}

// NoConfidence marks a speaker without a confidence (an analysis stored before there was one).
const NoConfidence = -1.0

// Timex is one temporal expression of an article.
type Timex struct {
	ID    string
	Type  string
	Value string
	Text  string
}

// Status says what Put did.
type Status int

const (
	Stored        Status = iota // a new article
	DuplicateURL                // an article with the same URL is stored: nothing changed
	DuplicateText               // an article with the same text is stored: nothing changed
)

func (s Status) String() string {
	switch s {
	case Stored:
		return "stored"
	case DuplicateURL:
		return "duplicate URL"
	case DuplicateText:
		return "duplicate text"
	}
	return "unknown"
}

// PutResult is the outcome of Put: the article's ID (or that of the stored article it
// duplicates), and its near-duplicate group.
type PutResult struct {
	ID     int64
	Status Status
	Group  int64 // the group's first article; equal to ID when the article starts a group
}

// Query selects articles. Every field is optional; Text is a full-text query: words (all must
// occur, in any form the stemmer joins: talks, talk), "quoted phrases", -word to exclude, OR
// between alternatives.
type Query struct {
	Text string
	// Speaker: a speaker named in the article (an attribution's or a quotation's) has each of
	// these words in its name, any case (omar: Mullah Omar); with SpeakerPrefix, words starting
	// with them (gh: Ashraf Ghani); with Guesses, a speaker guessed below the confidence threshold
	// counts too.
	Speaker       string
	SpeakerPrefix bool
	Guesses       bool
	Outlet        string // an attribution cites this outlet (its outlet, or an outlet speaking)
	Entity        string // an entity of the article is named this (case-insensitive, whole name)
	Publisher     string // the article's publisher (case-insensitive)
	From, To      string // publication date range, inclusive, as ISO 8601 prefixes (2015, 2015-07)
	Limit         int    // at most this many hits (0: 20)
	// AllDuplicates lists every near-duplicate; by default a group shows once, as its best hit,
	// with the count of the others.
	AllDuplicates bool
}

// MarkStart and MarkEnd enclose a matched word in a Hit's Snippet: control characters, which an
// article's text does not hold (brackets it may: "the mayor [sic] said").
const (
	MarkStart = "\x02"
	MarkEnd   = "\x03"
)

// Bracketed is a snippet with its matched words marked [like this], as the command line and the
// JSON rows show it.
func Bracketed(snippet string) string {
	return strings.NewReplacer(MarkStart, "[", MarkEnd, "]").Replace(snippet)
}

// Hit is an article a query found.
type Hit struct {
	ID         int64
	Title      string
	URL        string
	Publisher  string
	Date       string
	Source     string
	Snippet    string  // the text around the matched words, which are marked between MarkStart and MarkEnd (Bracketed: [like this])
	Score      float64 // lower is better (bm25 rank); 0 without a text query
	Group      int64
	Duplicates int // near-duplicates of this hit that the query also matched and that were folded into it
}

// QuoteQuery selects quotations.
type QuoteQuery struct {
	// Speaker: each word is a word of the speaker's name, any case ("" for any); with Prefix, each
	// starts one (Brown then finds Browne too). Guesses: quotations whose speaker is only a guess
	// (below the confidence threshold) are listed too, marked.
	Speaker   string
	Prefix    bool
	Guesses   bool
	Publisher string
	From, To  string
	Limit     int // 0: 50
}

// QuoteHit is a quotation with its speaker and article. A quotation that near-duplicates of one
// story repeat is one hit, from the first of them.
type QuoteHit struct {
	ArticleID   int64
	Title       string
	Date        string
	Publisher   string
	URL         string
	Quote       string
	Speaker     string
	Guess       bool    // Speaker is a guess below the confidence threshold (QuoteQuery.Guesses)
	Confidence  float64 // of the speaker, or NoConfidence
	Resolved    string  // how the speaker was read: name, pronoun, description, document, relative, context
	SpeakerKind string
	Attribution string
	Outlet      string
	Chain       []string
	Copies      int // the near-duplicate articles (this one among them) that carry the same quotation
}

// SourceQuery selects citations of outlets.
type SourceQuery struct {
	Publisher string // only articles of this publisher
	Cited     string // only this cited outlet
	From, To  string
	Limit     int // 0: 100
}

// SourceEdge is how often one publisher cites one outlet: in how many articles, and in how many
// attributions (a claim whose source is the outlet, or that comes through it). A story the
// publisher ran more than once (near-duplicates) counts once.
type SourceEdge struct {
	Publisher    string // "" for articles without a known publisher
	Cited        string
	Articles     int
	Attributions int
}

// ChainCount is a chain of attribution and how many attributions and articles have it.
type ChainCount struct {
	Chain        []string
	Attributions int
	Articles     int
}

// Validators are what a fetch of a URL left for the next one (conditional GET).
type Validators struct {
	ETag         string
	LastModified string
	Status       int
	Fetched      time.Time
}

// Stats describes a store.
type Stats struct {
	Articles     int
	Groups       int // near-duplicate groups (articles that are nobody's duplicate count as one)
	Entities     int
	Attributions int
	Quotes       int
	Timexes      int
	Bytes        int64 // size on disk, where the backend knows it
}

// Store is a corpus of analysed articles. Implementations are safe for concurrent use.
type Store interface {
	// Put stores an article (filling in TextHash and MinHash when empty) unless one with the same
	// URL or the same text is stored: putting the same article twice changes nothing. The
	// article is stored whole or not at all.
	Put(ctx context.Context, a *Article) (PutResult, error)
	// PutMany puts several articles in one transaction (faster for a stream of articles): all are
	// stored, in order, or none. Articles earlier in the list count for later ones' duplicates.
	PutMany(ctx context.Context, as []*Article) ([]PutResult, error)
	// Lookup finds a stored article by URL (when url is not "") or by text hash.
	Lookup(ctx context.Context, url string, textHash []byte) (id int64, ok bool, err error)
	// Get reads an article with its rows; ErrNotFound when there is none.
	Get(ctx context.Context, id int64) (*Article, error)
	Search(ctx context.Context, q Query) ([]Hit, error)
	Quotes(ctx context.Context, q QuoteQuery) ([]QuoteHit, error)
	// Sources lists citations most articles first, then most attributions, then by publisher and
	// outlet name.
	Sources(ctx context.Context, q SourceQuery) ([]SourceEdge, error)
	// Chains counts the chains of attribution (publisher, outlets, speaker) of the articles the
	// query selects (Cited: chains that hold that outlet), most attributions first.
	Chains(ctx context.Context, q SourceQuery) ([]ChainCount, error)
	// Validators returns what the last fetch of url left; ok is false if it was never fetched.
	Validators(ctx context.Context, url string) (v Validators, ok bool, err error)
	SetValidators(ctx context.Context, url string, v Validators) error
	Stats(ctx context.Context) (Stats, error)
	Close() error
}

// Errors.
var (
	ErrNotFound  = errors.New("no such article")
	ErrBadQuery  = errors.New("bad query")
	ErrEmptyText = errors.New("an article needs text")
	// ErrQueryTimeout is a query stopped at its deadline (the caller's, else DefaultQueryTimeout).
	ErrQueryTimeout = errors.New("the query took too long")
)

// Bounds on a query, so that no query (the service exposes them to the network) holds the store
// for long: a full-text query of more than MaxQueryTerms words, or a filter longer than
// MaxFilterLen bytes, is ErrBadQuery; a query still running at its deadline is stopped
// (ErrQueryTimeout).
const (
	MaxQueryTerms       = 1024 // Lucene's default limit of clauses
	MaxFilterLen        = 1000
	DefaultQueryTimeout = 30 * time.Second
)

// WithDeadline gives ctx the DefaultQueryTimeout when it has no deadline of its own. Backends
// call it at the start of a query.
func WithDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, DefaultQueryTimeout)
}

// QueryErr turns the error a backend met during a query into ErrQueryTimeout when the query's
// context ran out (the driver reports an interrupted statement), and leaves others as they are.
func QueryErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	switch ctx.Err() {
	case context.DeadlineExceeded:
		return fmt.Errorf("%w (stopped at its deadline: narrow it with words or filters)", ErrQueryTimeout)
	case context.Canceled:
		return ctx.Err()
	}
	return err
}

// CheckFilters checks a query's filters and date range: ErrBadQuery with the reason. The dates are
// ISO 8601 dates or their starts (2015, 2015-07, 2015-07-16).
func CheckFilters(from, to string, filters ...string) error {
	for _, f := range filters {
		if len(f) > MaxFilterLen {
			return fmt.Errorf("%w: a filter of %d bytes (at most %d)", ErrBadQuery, len(f), MaxFilterLen)
		}
	}
	for _, d := range []string{from, to} {
		if d == "" {
			continue
		}
		if _, err := newsgraph.DatePrefix(d); err != nil {
			return fmt.Errorf("%w: %v", ErrBadQuery, err)
		}
	}
	return nil
}

// Check checks the query's filters and dates (CheckFilters).
func (q Query) Check() error {
	return CheckFilters(q.From, q.To, q.Speaker, q.Outlet, q.Entity, q.Publisher)
}

// Check checks the query's filters and dates (CheckFilters).
func (q QuoteQuery) Check() error { return CheckFilters(q.From, q.To, q.Speaker, q.Publisher) }

// Check checks the query's filters and dates (CheckFilters).
func (q SourceQuery) Check() error { return CheckFilters(q.From, q.To, q.Publisher, q.Cited) }

// TextHash is the identity of a text for deduplication: the sha256 of its words joined by single
// spaces, so that re-wrapped or re-indented copies are the same text.
func TextHash(text string) []byte {
	h := sha256.New()
	for i, w := range strings.Fields(text) {
		if i > 0 {
			h.Write([]byte{' '})
		}
		h.Write([]byte(w))
	}
	return h.Sum(nil)
}

// MinHashes is how many minimum hashes describe a text (NearBands bands of NearRows).
const (
	NearBands   = 20
	NearRows    = 3
	MinHashes   = NearBands * NearRows
	NearJaccard = 0.6 // texts whose estimated shingle overlap (Jaccard) is at least this are near duplicates
)

// MinHash describes a text by the minimum hashes of its lower-cased word 4-shingles under
// MinHashes hash functions (Broder): the share of positions where two texts' values agree
// estimates the Jaccard overlap of their shingles. A text of fewer than four words is one shingle.
func MinHash(text string) []uint32 {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	mins := make([]uint32, MinHashes)
	for i := range mins {
		mins[i] = ^uint32(0)
	}
	add := func(ws []string) {
		h := fnv.New64a()
		for _, w := range ws {
			h.Write([]byte(w))
			h.Write([]byte{0})
		}
		x := h.Sum64()
		for i := range mins {
			// The i-th hash function: x mixed with a per-function constant.
			if v := uint32(table.Mix(x^(uint64(i+1)*0x9e3779b97f4a7c15)) >> 32); v < mins[i] {
				mins[i] = v
			}
		}
	}
	if len(words) < 4 {
		add(words)
	}
	for i := 0; i+4 <= len(words); i++ {
		add(words[i : i+4])
	}
	return mins
}

// Similarity estimates the Jaccard overlap of two texts' shingles from their MinHash values.
func Similarity(a, b []uint32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / float64(len(a))
}

// Bands are the locality-sensitive keys of a MinHash: one hash of each band of NearRows values.
// Texts at Jaccard 0.6 share a band with probability 0.99, at 0.3 with 0.42, unrelated texts
// almost never; a backend finds near-duplicate candidates by index lookups on bands and keeps
// those whose Similarity is at least NearJaccard.
func Bands(mh []uint32) []int64 {
	out := make([]int64, 0, NearBands)
	for b := 0; b+NearRows <= len(mh) && len(out) < NearBands; b += NearRows {
		h := uint64(b/NearRows+1) * 0x9e3779b97f4a7c15
		for _, v := range mh[b : b+NearRows] {
			h = table.Mix(h ^ uint64(v))
		}
		out = append(out, int64(h))
	}
	return out
}

// FromDoc builds the article to store from an analysed document: its metadata, text, analysis
// JSON, and the rows of its entities, attributions, quotes and timexes.
func FromDoc(d *newsgraph.Doc, pipeline []string) (*Article, error) {
	if d.Meta.Date != "" {
		// Checked here, one article at a time, rather than by Put, where it would fail a batch.
		if _, err := newsgraph.NormalizeDate(d.Meta.Date); err != nil {
			return nil, fmt.Errorf("its date: %w", err)
		}
	}
	var js bytes.Buffer
	if err := format.WriteJSON(&js, d, pipeline, format.JSONOptions{}); err != nil {
		return nil, err
	}
	m := d.Meta
	a := &Article{
		URL: m.URL, Title: m.Title, Byline: m.Byline, Date: m.Date, Publisher: m.Publisher,
		Source: m.Input.String(), Text: d.Text(), Pipeline: strings.Join(pipeline, " "),
		Analysis: js.Bytes(),
	}
	// Entities: one row a cluster, named by its longest mention.
	byCluster := map[string]*Entity{}
	var order []string
	for _, s := range d.Layer(newsgraph.LayerEntities) {
		c := s.Attr("cluster")
		if c == "" {
			c = s.ID
		}
		e := byCluster[c]
		if e == nil {
			e = &Entity{Cluster: c, Label: s.Label}
			byCluster[c] = e
			order = append(order, c)
		}
		e.Mentions++
		if name := oneLine(d.SpanText(s)); len(name) > len(e.Name) {
			e.Name = name
		}
		if o := s.Attr("outlet"); o != "" {
			e.Outlet = o
		}
	}
	for _, c := range order {
		a.Entities = append(a.Entities, *byCluster[c])
	}
	// Attributions, with the words of their parts.
	parts := map[string]map[string][]string{}
	for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
		id := r.Attr("attribution")
		if parts[id] == nil {
			parts[id] = map[string][]string{}
		}
		parts[id][r.Label] = append(parts[id][r.Label], oneLine(d.SpanText(r)))
	}
	for _, s := range d.Layer(newsgraph.LayerAttributions) {
		p := parts[s.ID]
		at := Attribution{ID: s.ID, Kind: s.Label, SpeakerName: s.Attr("speaker_name"), SpeakerKind: s.Attr("speaker_kind"),
			SpeakerGuess: s.Attr("speaker_guess"), Confidence: confidenceOf(s), Resolved: s.Attr("resolved"),
			Outlet: s.Attr("outlet"), OutletVia: s.Attr("outlet_via"), Parent: s.Attr("parent"),
			Source: strings.Join(p["source"], " … "), Cue: strings.Join(p["cue"], " … "), Content: strings.Join(p["content"], " … ")}
		if ch := s.Attr("chain"); ch != "" {
			at.Chain = strings.Split(ch, newsgraph.ChainSep)
		}
		a.Attributions = append(a.Attributions, at)
	}
	for _, s := range d.Layer(newsgraph.LayerQuotes) {
		a.Quotes = append(a.Quotes, Quote{ID: s.ID, Text: oneLine(d.SpanText(s)), Attribution: s.Attr("attribution"), SpeakerName: s.Attr("speaker_name"),
			SpeakerGuess: s.Attr("speaker_guess"), Confidence: confidenceOf(s)})
	}
	for _, s := range d.Layer(newsgraph.LayerTimexes) {
		a.Timexes = append(a.Timexes, Timex{ID: s.ID, Type: s.Label, Value: s.Attr("value"), Text: oneLine(d.SpanText(s))})
	}
	return a, Prepare(a)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// confidenceOf reads a span's speaker_confidence, or NoConfidence.
func confidenceOf(s newsgraph.Span) float64 {
	c, err := strconv.ParseFloat(s.Attr("speaker_confidence"), 64)
	if err != nil || c < 0 || c > 1 {
		return NoConfidence
	}
	return c
}

// NameHasWords reports whether each of words (NameWords of a query) is a word of name, or with
// prefix starts one.
func NameHasWords(name string, words []string, prefix bool) bool {
	if prefix {
		return NameMatches(name, words)
	}
	have := NameWords(name)
	for _, w := range words {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// NameMatches reports whether each of words (NameWords of a query) starts a word of name.
func NameMatches(name string, words []string) bool {
	have := NameWords(name)
	for _, w := range words {
		found := false
		for _, h := range have {
			if strings.HasPrefix(h, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// NameWords are the lower-cased words (letters and digits) of a name, as speaker filters match them.
func NameWords(name string) []string {
	return strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Prepare fills in an article's TextHash and MinHash when they are empty, normalizes its date to
// ISO 8601 (newsgraph.NormalizeDate; a date that is none is an error wrapping
// newsgraph.ErrBadDate: dates are compared as strings) and checks it can be stored. Backends call
// it in Put.
func Prepare(a *Article) error {
	if strings.TrimSpace(a.Text) == "" {
		return ErrEmptyText
	}
	if a.Date != "" {
		d, err := newsgraph.NormalizeDate(a.Date)
		if err != nil {
			return fmt.Errorf("the article's date: %w", err)
		}
		a.Date = d
	}
	if len(a.TextHash) == 0 {
		a.TextHash = TextHash(a.Text)
	}
	if len(a.MinHash) != MinHashes {
		a.MinHash = MinHash(a.Text)
	}
	_, err := a.PackedAnalysis()
	return err
}

var ftsWord = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// FoldWidth maps fullwidth and halfwidth forms to their ordinary ones ("ｏｉｌ" to "oil"), one
// character for one, so that a word is found however wide its letters: backends apply it to the
// text they index and to the words of a query. It keeps every word boundary where it is.
func FoldWidth(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xE3 { // U+3000 and above: where wide and narrow forms live
			return width.Fold.String(s)
		}
	}
	return s
}

// Term is a word or a phrase of a full-text query: its words, width-folded (FoldWidth), and, when
// the query wrote them in wide or narrow forms, those forms too (Wide).
type Term struct {
	Words []string
	Wide  []string
}

// ParsedQuery is a full-text query as every backend reads it: each of Must (an OR of terms) must
// match, and none of Not.
type ParsedQuery struct {
	Must [][]Term
	Not  []Term
}

// ParseQuery reads a user's query: bare words are terms (a word with inner punctuation, U.S. or
// al-Qaeda, a phrase of its parts), "quoted phrases" stay phrases, -word excludes, OR joins the
// terms on either side, everything else is ANDed. It returns ErrBadQuery for a query with nothing
// to search for, or with more than MaxQueryTerms words.
func ParseQuery(q string) (ParsedQuery, error) {
	var p ParsedQuery
	var or []Term // the current OR group
	flush := func() {
		if len(or) > 0 {
			p.Must = append(p.Must, or)
		}
		or = nil
	}
	pendingOr := false
	words := 0
	for _, tok := range splitQuery(q) {
		if tok == "OR" {
			pendingOr = len(or) > 0
			continue
		}
		neg := strings.HasPrefix(tok, "-") && len(tok) > 1
		if neg {
			tok = tok[1:]
		}
		tok = strings.Trim(tok, `"`)
		ws := ftsWord.FindAllString(FoldWidth(tok), -1)
		if len(ws) == 0 {
			continue
		}
		if words += len(ws); words > MaxQueryTerms {
			return ParsedQuery{}, fmt.Errorf("%w: more than %d words", ErrBadQuery, MaxQueryTerms)
		}
		t := Term{Words: ws}
		if wide := ftsWord.FindAllString(tok, -1); strings.Join(wide, " ") != strings.Join(ws, " ") {
			t.Wide = wide
		}
		if neg {
			p.Not = append(p.Not, t)
			continue
		}
		if !pendingOr {
			flush()
		}
		or = append(or, t)
		pendingOr = false
	}
	flush()
	if len(p.Must) == 0 {
		return ParsedQuery{}, fmt.Errorf("%w: %q has no words to search for", ErrBadQuery, q)
	}
	return p, nil
}

// Render writes the query in a backend's syntax: term gives a term, and and, or and not join
// (not(a, b): a and not b); the trees are balanced, so that they stay shallow (SQLite's FTS5
// refuses one deeper than 256).
func (p ParsedQuery) Render(term func(words []string) string, and, or func(a, b string) string, not func(a, b string) string) string {
	one := func(t Term) string {
		s := term(t.Words)
		if t.Wide != nil {
			s = or(s, term(t.Wide))
		}
		return s
	}
	ors := func(ts []Term) string {
		xs := make([]string, len(ts))
		for i, t := range ts {
			xs[i] = one(t)
		}
		return balancedWith(or, xs)
	}
	must := make([]string, len(p.Must))
	for i, g := range p.Must {
		must[i] = ors(g)
	}
	out := balancedWith(and, must)
	if len(p.Not) > 0 {
		out = not(out, ors(p.Not))
	}
	return out
}

func balancedWith(op func(a, b string) string, xs []string) string {
	if len(xs) == 1 {
		return xs[0]
	}
	m := len(xs) / 2
	return op(balancedWith(op, xs[:m]), balancedWith(op, xs[m:]))
}

// FTSQuery turns a user's query (ParseQuery) into an SQLite FTS5 query that cannot be a syntax
// error: terms are quoted. A word in wide or narrow forms is searched for as written and
// width-folded (FoldWidth): the folded form finds what the index folded, the written one what a
// store indexed before it did (both forms of "ｏｉｌ" find "oil" and "ｏｉｌ").
func FTSQuery(q string) (string, error) {
	p, err := ParseQuery(q)
	if err != nil {
		return "", err
	}
	return p.Render(func(ws []string) string { return `"` + strings.Join(ws, " ") + `"` },
		func(a, b string) string { return "(" + a + " AND " + b + ")" },
		func(a, b string) string { return "(" + a + " OR " + b + ")" },
		func(a, b string) string { return "(" + a + ") NOT " + b }), nil
}

// splitQuery splits on spaces outside double quotes, keeping the quotes.
func splitQuery(q string) []string {
	var out []string
	var cur strings.Builder
	inQ := false
	for _, r := range q {
		switch {
		case r == '"':
			inQ = !inQ
			cur.WriteRune(r)
		case unicode.IsSpace(r) && !inQ:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// DateBounds turns inclusive ISO 8601 prefixes (2015, 2015-07, 2015-07-16) into a half-open range
// of strings that compares correctly with stored dates: from ≤ date < to. Either may be "".
func DateBounds(from, to string) (string, string) {
	if to != "" {
		to += "\uffff" // every date with this prefix sorts before it
	}
	return from, to
}
