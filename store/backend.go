package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"
)

// Helpers the backends share: what they do the same way whatever their SQL.

// PackMinHash is a MinHash as backends keep it (4 bytes a value, little-endian).
func PackMinHash(mh []uint32) []byte {
	b := make([]byte, 0, 4*len(mh))
	for _, v := range mh {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// UnpackMinHash reverses PackMinHash.
func UnpackMinHash(b []byte) []uint32 {
	out := make([]uint32, len(b)/4)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return out
}

// SpeakerWords are the words (NameWords) of the speakers an article names, and of those it only
// guesses, in attributions and quotations, sorted: what the speaker filters' indexes hold.
func SpeakerWords(a *Article) (named, guessed []string) {
	n, g := map[string]bool{}, map[string]bool{}
	add := func(m map[string]bool, name string) {
		for _, w := range NameWords(name) {
			m[w] = true
		}
	}
	for _, r := range a.Attributions {
		add(n, r.SpeakerName)
		add(g, r.SpeakerGuess)
	}
	for _, q := range a.Quotes {
		add(n, q.SpeakerName)
		add(g, q.SpeakerGuess)
	}
	return sortedKeys(n), sortedKeys(g)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ChainJSON is an attribution's chain as backends keep it: a JSON array, [] for none.
func ChainJSON(chain []string) string {
	if chain == nil {
		chain = []string{}
	}
	b, _ := json.Marshal(chain)
	return string(b)
}

// ParseChain reverses ChainJSON (nil for none).
func ParseChain(s string) []string {
	var c []string
	json.Unmarshal([]byte(s), &c)
	if len(c) == 0 {
		return nil
	}
	return c
}

// Candidate is an article a search ranked: its ID, near-duplicate group and score.
type Candidate struct {
	ID, Group int64
	Score     float64
}

// FoldGroups reports whether candidates hold at least limit groups: when they do not, and more
// were ranked, a backend reads more candidates.
func FoldGroups(cands []Candidate, limit int) bool {
	groups := map[int64]bool{}
	for _, c := range cands {
		groups[c.Group] = true
	}
	return len(groups) >= limit
}

// Fold turns candidates, best first, into at most limit hits: unless all, a near-duplicate group
// is listed once, at its best candidate, with the count of the others (Hit.Duplicates).
func Fold(cands []Candidate, limit int, all bool) []Hit {
	var hits []Hit
	seen := map[int64]int{} // group -> index in hits
	for _, c := range cands {
		if !all {
			if i, ok := seen[c.Group]; ok {
				hits[i].Duplicates++
				continue
			}
			if len(hits) >= limit {
				continue // counting the listed groups' duplicates among the rest
			}
			seen[c.Group] = len(hits)
		}
		if len(hits) >= limit {
			break
		}
		hits = append(hits, Hit{ID: c.ID, Group: c.Group, Score: c.Score})
	}
	return hits
}

// QuoteList collects the quotation rows a backend reads, newest articles first, for a QuoteQuery:
// it keeps those whose speaker has the query's words, lists a quotation that near-duplicates of one
// story repeat once (from the first article read that has it, its copies counted among the rows
// read until the limit and moreRows after), and marks guesses and speakers from the context.
type QuoteList struct {
	q     QuoteQuery
	limit int
	words []string
	out   []QuoteHit
	seen  map[string]int // group, quotation and speaker -> index in out
	last  []int64        // for each hit, the last article counted among its copies
	extra int
}

// moreRows is how many rows past the limit a QuoteList reads to count copies.
const moreRows = 1000

// NewQuoteList starts a list for q.
func NewQuoteList(q QuoteQuery) *QuoteList {
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	return &QuoteList{q: q, limit: limit, words: NameWords(q.Speaker), seen: map[string]int{}}
}

// Add takes a row: the quotation with its article's fields, the article's group, the speaker
// guessed (when the quotation's speaker is only a guess) and the attribution's chain as kept
// (ChainJSON). It reports whether the list has read enough.
func (l *QuoteList) Add(h QuoteHit, group int64, guess, chain string) (done bool) {
	if h.Speaker == "" && l.q.Guesses && guess != "" {
		h.Speaker, h.Guess = guess, true
	}
	if h.Attribution == "" && h.Speaker != "" {
		h.Resolved = "context" // a quotation no attribution holds: its speaker is the context's
	}
	if len(l.words) > 0 && !NameHasWords(h.Speaker, l.words, l.q.Prefix) {
		return false
	}
	key := fmt.Sprintf("%d\x00%s\x00%s", group, h.Quote, h.Speaker)
	if i, ok := l.seen[key]; ok {
		if l.last[i] != h.ArticleID { // an article's rows come together
			l.out[i].Copies++
			l.last[i] = h.ArticleID
		}
		return false
	}
	if len(l.out) == l.limit {
		l.extra++
		return l.extra > moreRows
	}
	h.Chain = ParseChain(chain)
	h.Copies = 1
	l.seen[key] = len(l.out)
	l.out = append(l.out, h)
	l.last = append(l.last, h.ArticleID)
	return false
}

// Hits is the list.
func (l *QuoteList) Hits() []QuoteHit { return l.out }

// Bounded runs a query of a backend after checking it (its Check: filters and dates), with a
// deadline (WithDeadline), at which it is stopped (QueryErr).
func Bounded[Q interface{ Check() error }, R any](ctx context.Context, q Q, run func(context.Context, Q) (R, error)) (R, error) {
	if err := q.Check(); err != nil {
		var zero R
		return zero, err
	}
	ctx, cancel := WithDeadline(ctx)
	defer cancel()
	r, err := run(ctx, q)
	return r, QueryErr(ctx, err)
}

// Querier is what ReadRows reads through: a *sql.DB, a *sql.Tx or a *sql.Conn.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ReadRows runs a query and scans each of its rows; nil when there are none.
func ReadRows[R any](ctx context.Context, q Querier, query string, scan func(*sql.Rows) (R, error), args ...any) ([]R, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []R
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReadArticleRows reads an article's entities, attributions, quotations and temporal expressions
// (the rows a backend keeps beside it) into a. where selects one article's rows in the order they
// were stored, its one parameter the article's ID: "article = ? ORDER BY rowid" in SQLite.
func ReadArticleRows(ctx context.Context, q Querier, a *Article, where string) error {
	var err error
	if a.Entities, err = ReadRows(ctx, q, `SELECT cluster, label, name, outlet, mentions FROM entities WHERE `+where,
		func(rows *sql.Rows) (e Entity, err error) {
			return e, rows.Scan(&e.Cluster, &e.Label, &e.Name, &e.Outlet, &e.Mentions)
		}, a.ID); err != nil {
		return err
	}
	if a.Attributions, err = ReadRows(ctx, q, `SELECT aid, kind, speaker_name, speaker_kind, outlet, outlet_via, parent, chain, source, cue, content FROM attributions WHERE `+where,
		func(rows *sql.Rows) (r Attribution, err error) {
			var chain string
			if err := rows.Scan(&r.ID, &r.Kind, &r.SpeakerName, &r.SpeakerKind, &r.Outlet, &r.OutletVia, &r.Parent, &chain, &r.Source, &r.Cue, &r.Content); err != nil {
				return r, err
			}
			r.Chain = ParseChain(chain)
			return r, nil
		}, a.ID); err != nil {
		return err
	}
	if a.Quotes, err = ReadRows(ctx, q, `SELECT qid, text, attribution, speaker_name FROM quotes WHERE `+where,
		func(rows *sql.Rows) (qu Quote, err error) {
			return qu, rows.Scan(&qu.ID, &qu.Text, &qu.Attribution, &qu.SpeakerName)
		}, a.ID); err != nil {
		return err
	}
	a.Timexes, err = ReadRows(ctx, q, `SELECT tid, type, value, text FROM timexes WHERE `+where,
		func(rows *sql.Rows) (t Timex, err error) {
			return t, rows.Scan(&t.ID, &t.Type, &t.Value, &t.Text)
		}, a.ID)
	return err
}

// StatsCache reads a store's Stats at most once a TTL: counting a large store takes a while, and
// a metrics scrape or a front page should not do it each time. Safe for concurrent use.
type StatsCache struct {
	Store Store
	TTL   time.Duration

	mu   sync.Mutex
	at   time.Time
	last Stats
	ok   bool
}

// Get returns the counts, read again when they are older than the TTL (within 5 seconds of ctx);
// ok is false when no read has succeeded yet.
func (c *StatsCache) Get(ctx context.Context) (Stats, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.at) > c.TTL {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if st, err := c.Store.Stats(ctx); err == nil {
			c.last, c.ok = st, true
		}
		c.at = time.Now()
	}
	return c.last, c.ok
}

// SpeakerFilter is a query's speaker filter: Query.Speaker with SpeakerPrefix and Guesses, or the
// same of a QuoteQuery.
type SpeakerFilter struct {
	Name            string
	Prefix, Guesses bool
}

// SQLFilters is how an SQL backend writes the article filters its queries share (Where).
type SQLFilters struct {
	False string // a condition no row meets
	// EqualFold is the condition that col equals the next parameter in any case, written so that
	// the backend's index of the column serves it.
	EqualFold func(col string) string
	// NameHas is the condition that the name ns.n has a speaker filter's words, and its arguments.
	NameHas func(f SpeakerFilter, words []string) (string, []any)
	// Date is the articles' date column as compared with a query's bounds.
	Date string
}

// Where adds the article filters of a query to a WHERE clause over articles aliased "a", with ?
// for each parameter. Each filter of a set of articles is a list read from an index ("a.id IN
// (…)"), which the planner can start from.
func (d SQLFilters) Where(where []string, args []any, speaker SpeakerFilter, outlet, entity, publisher, from, to string) ([]string, []any) {
	if speaker.Name != "" {
		words := NameWords(speaker.Name)
		if len(words) == 0 {
			where = append(where, d.False)
		}
		for _, w := range words {
			match, wargs := `word = ?`, []any{w}
			if speaker.Prefix {
				match, wargs = `word >= ? AND word < ?`, []any{w, w + "\uffff"}
			}
			in := `SELECT article FROM speaker_words WHERE ` + match
			if speaker.Guesses {
				in += ` UNION SELECT article FROM guess_words WHERE ` + match
				wargs = append(wargs, wargs...)
			}
			where = append(where, `a.id IN (`+in+`)`)
			args = append(args, wargs...)
		}
		if len(words) > 1 {
			// The words index is by article: one speaker must have them all.
			names := `SELECT speaker_name AS n FROM attributions t WHERE t.article = a.id UNION ALL SELECT speaker_name FROM quotes q WHERE q.article = a.id`
			if speaker.Guesses {
				names += ` UNION ALL SELECT speaker_guess FROM attributions t WHERE t.article = a.id UNION ALL SELECT speaker_guess FROM quotes q WHERE q.article = a.id`
			}
			has, hargs := d.NameHas(speaker, words)
			where = append(where, `EXISTS (SELECT 1 FROM (`+names+`) ns WHERE `+has+`)`)
			args = append(args, hargs...)
		}
	}
	if outlet != "" {
		where = append(where, `a.id IN (SELECT article FROM attributions WHERE `+d.EqualFold("outlet")+`
			UNION SELECT article FROM attributions WHERE `+d.EqualFold("speaker_name")+` AND speaker_kind = 'outlet')`)
		args = append(args, outlet, outlet)
	}
	if entity != "" {
		where = append(where, `a.id IN (SELECT article FROM entities WHERE `+d.EqualFold("name")+`)`)
		args = append(args, entity)
	}
	if publisher != "" {
		where = append(where, d.EqualFold("a.publisher"))
		args = append(args, publisher)
	}
	from, to = DateBounds(from, to)
	if from != "" {
		where = append(where, d.Date+` >= ?`)
		args = append(args, from)
	}
	if to != "" {
		where = append(where, d.Date+` < ? AND a.date <> ''`)
		args = append(args, to)
	}
	return where, args
}
