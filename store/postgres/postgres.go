// Package postgres is the PostgreSQL backend of store.Store, for a corpus that outgrows one
// machine: several ingest workers and several servers share one database. It passes the same
// conformance suite as the embedded store (store/storetest).
//
// Full-text search is PostgreSQL's own (a tsvector of the title, weighted, and the text, with the
// "english" configuration's stems and stop words and accents folded by unaccent, and a GIN index), read through the same query
// language as the SQLite store (store.ParseQuery). The schema is versioned (newsgraph_schema) and
// migrated when a store is opened, one opener at a time (an advisory lock). Connections come from
// database/sql's pool over pgx.
//
// Open takes a postgres:// URL; a search_path parameter (postgres://…/db?search_path=corpus)
// keeps the store in that schema, made if missing, so that one database can hold several.
package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"

	"github.com/newsgraph/newsgraph/store"
)

// LayoutVersion is the schema version this package writes.
const LayoutVersion = 2

// migrations[v-1] takes a schema from version v-1 to v (version 0: empty).
var migrations = []string{
	`CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
-- English stems and stop words, accents folded ("cafe" finds "café").
CREATE TEXT SEARCH CONFIGURATION newsgraph (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION newsgraph ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, english_stem;
CREATE TABLE articles (
	id        BIGINT PRIMARY KEY,
	url       TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	byline    TEXT NOT NULL DEFAULT '',
	date      TEXT NOT NULL DEFAULT '',
	publisher TEXT NOT NULL DEFAULT '',
	source    TEXT NOT NULL DEFAULT '',
	group_id  BIGINT NOT NULL,
	ingested  TIMESTAMPTZ NOT NULL,
	pipeline  TEXT NOT NULL DEFAULT '',
	text_hash BYTEA NOT NULL UNIQUE,
	minhash   BYTEA NOT NULL,
	tsv       TSVECTOR NOT NULL,
	text      TEXT NOT NULL,
	analysis  BYTEA
);
CREATE SEQUENCE articles_id_seq OWNED BY articles.id;
CREATE UNIQUE INDEX articles_url ON articles (url) WHERE url <> '';
CREATE INDEX articles_date ON articles (date COLLATE "C");
CREATE INDEX articles_publisher ON articles (lower(publisher));
CREATE INDEX articles_group ON articles (group_id);
CREATE INDEX articles_tsv ON articles USING GIN (tsv);
CREATE TABLE bands (
	key     BIGINT NOT NULL,
	article BIGINT NOT NULL,
	PRIMARY KEY (key, article)
);
CREATE TABLE entities (
	seq      BIGSERIAL PRIMARY KEY,
	article  BIGINT NOT NULL,
	cluster  TEXT NOT NULL,
	label    TEXT NOT NULL,
	name     TEXT NOT NULL,
	outlet   TEXT NOT NULL DEFAULT '',
	mentions INTEGER NOT NULL
);
CREATE INDEX entities_article ON entities (article);
CREATE INDEX entities_name ON entities (lower(name));
CREATE TABLE attributions (
	seq           BIGSERIAL PRIMARY KEY,
	article       BIGINT NOT NULL,
	aid           TEXT NOT NULL,
	kind          TEXT NOT NULL,
	speaker_name  TEXT NOT NULL DEFAULT '',
	speaker_kind  TEXT NOT NULL DEFAULT '',
	outlet        TEXT NOT NULL DEFAULT '',
	outlet_via    TEXT NOT NULL DEFAULT '',
	parent        TEXT NOT NULL DEFAULT '',
	chain         TEXT NOT NULL DEFAULT '[]',
	source        TEXT NOT NULL DEFAULT '',
	cue           TEXT NOT NULL DEFAULT '',
	content       TEXT NOT NULL DEFAULT '',
	speaker_guess TEXT NOT NULL DEFAULT '',
	confidence    DOUBLE PRECISION NOT NULL DEFAULT -1,
	resolved      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attributions_article ON attributions (article);
CREATE INDEX attributions_outlet ON attributions (lower(outlet));
CREATE INDEX attributions_speaker ON attributions (lower(speaker_name));
CREATE TABLE speaker_words (
	word    TEXT NOT NULL,
	article BIGINT NOT NULL,
	PRIMARY KEY (word, article)
);
CREATE TABLE guess_words (
	word    TEXT NOT NULL,
	article BIGINT NOT NULL,
	PRIMARY KEY (word, article)
);
CREATE TABLE quotes (
	seq           BIGSERIAL PRIMARY KEY,
	article       BIGINT NOT NULL,
	qid           TEXT NOT NULL,
	text          TEXT NOT NULL,
	attribution   TEXT NOT NULL DEFAULT '',
	speaker_name  TEXT NOT NULL DEFAULT '',
	speaker_guess TEXT NOT NULL DEFAULT '',
	confidence    DOUBLE PRECISION NOT NULL DEFAULT -1
);
CREATE INDEX quotes_article ON quotes (article);
CREATE TABLE timexes (
	seq     BIGSERIAL PRIMARY KEY,
	article BIGINT NOT NULL,
	tid     TEXT NOT NULL,
	type    TEXT NOT NULL,
	value   TEXT NOT NULL DEFAULT '',
	text    TEXT NOT NULL
);
CREATE INDEX timexes_article ON timexes (article);
CREATE TABLE fetches (
	url           TEXT PRIMARY KEY,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	status        INTEGER NOT NULL DEFAULT 0,
	fetched       TIMESTAMPTZ NOT NULL
);
-- name_has(name, words, prefix): each of words (store.NameWords of a query) is a word of name, or
-- with prefix starts one (store.NameHasWords).
CREATE FUNCTION newsgraph_name_has(name TEXT, words TEXT[], prefix BOOLEAN) RETURNS BOOLEAN
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(bool_and(CASE WHEN prefix
		THEN EXISTS (SELECT 1 FROM unnest(regexp_split_to_array(lower(name), '[^[:alnum:]]+')) h WHERE h <> '' AND starts_with(h, w))
		ELSE w = ANY (regexp_split_to_array(lower(name), '[^[:alnum:]]+')) END), true)
	FROM unnest(words) w
$$;`,
	// Version 2: the full-text index moves to a table of its own, partitioned by article id
	// (SearchPartition ids each), beside the columns the filters read: a text query reads the
	// newest partitions first and stops when it has its matches, and never the articles' rows
	// until it shows them. The filters' indexes carry the article (and the column whose lower
	// case they index: PostgreSQL reads an expression index alone only then), so that they are
	// answered from the index alone.
	`CREATE TABLE search (
	id        BIGINT NOT NULL,
	group_id  BIGINT NOT NULL,
	date      TEXT NOT NULL DEFAULT '',
	publisher TEXT NOT NULL DEFAULT '',
	tsv       TSVECTOR NOT NULL,
	PRIMARY KEY (id)
) PARTITION BY RANGE (id);
-- newsgraph_search_partitions(upto) makes the partitions that ids up to upto need, and returns
-- the first id they do not hold. A partition is made empty and then attached, which does not
-- wait for the readers and writers of the others.
CREATE FUNCTION newsgraph_search_partitions(upto BIGINT) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
	size CONSTANT BIGINT := ` + strconv.Itoa(SearchPartition) + `;
	k BIGINT := 0;
	name TEXT;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('newsgraph search partitions ' || current_schema()));
	LOOP
		name := 'search_' || k;
		IF to_regclass(quote_ident(current_schema()) || '.' || name) IS NULL THEN
			EXECUTE format('CREATE TABLE %I (LIKE search INCLUDING DEFAULTS)', name);
			EXECUTE format('ALTER TABLE search ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', name, k * size, (k + 1) * size);
		END IF;
		k := k + 1;
		EXIT WHEN k * size > upto;
	END LOOP;
	RETURN k * size;
END
$$;
SELECT newsgraph_search_partitions((SELECT coalesce(max(id), 0) FROM articles));
INSERT INTO search (id, group_id, date, publisher, tsv) SELECT id, group_id, date, publisher, tsv FROM articles;
SET LOCAL maintenance_work_mem = '256MB';
CREATE INDEX search_tsv ON search USING GIN (tsv);
DROP INDEX articles_tsv;
ALTER TABLE articles DROP COLUMN tsv;
DROP INDEX entities_name;
CREATE INDEX entities_name ON entities (lower(name), article) INCLUDE (name);
DROP INDEX entities_article;
CREATE INDEX entities_article ON entities (article, lower(name));
DROP INDEX attributions_outlet;
CREATE INDEX attributions_outlet ON attributions (lower(outlet), article) INCLUDE (outlet);
DROP INDEX attributions_speaker;
CREATE INDEX attributions_speaker ON attributions (lower(speaker_name), speaker_kind, article) INCLUDE (speaker_name);
DROP INDEX articles_date;
CREATE INDEX articles_date ON articles (date COLLATE "C", id) INCLUDE (group_id);
CREATE INDEX search_publisher ON search (lower(publisher));
CREATE INDEX search_date ON search (date COLLATE "C");
ANALYZE search, articles, entities, attributions;`,
}

// SearchPartition is how many article ids each partition of the search table holds.
const SearchPartition = 100_000

// Store is the PostgreSQL backend of store.Store.
type Store struct {
	db *sql.DB
	// rankCap and firstExtra as in the SQLite store: a text query ranks the newest rankCap of its
	// matches; limit·5 + firstExtra candidates are read at first.
	rankCap, firstExtra int
	// partitioned is the first article id the search table has no partition for, as last seen.
	partitioned atomic.Int64
}

// partitionsFor makes the search table's partitions for ids up to id, and half a partition
// beyond, so that the next partition is made before a writer needs it.
func (s *Store) partitionsFor(ctx context.Context, id int64) error {
	want := id + SearchPartition/2
	if want < s.partitioned.Load() {
		return nil
	}
	var upto int64
	if err := queryRow(ctx, s.db, `SELECT newsgraph_search_partitions(?)`, want).Scan(&upto); err != nil {
		return fmt.Errorf("making the search table's partitions: %w", err)
	}
	for {
		seen := s.partitioned.Load()
		if upto <= seen || s.partitioned.CompareAndSwap(seen, upto) {
			return nil
		}
	}
}

var _ store.Store = (*Store)(nil)

// DefaultRankCap bounds the work of a full-text query: one that matches more articles than this
// ranks the newest of them. It is lower than the SQLite store's 10,000: ts_rank reads each
// candidate's whole tsvector (10 µs each), where FTS5's bm25 reads its index, so ranking 10,000
// took 100–170 ms for "said" and "government" on 100,000 articles, 3,000 a third of that.
const DefaultRankCap = 3_000

// IsURL reports whether a --db value names a PostgreSQL database rather than a file.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database at dsn (a postgres:// URL), makes the schema of its search_path
// if missing, and brings the store's tables to LayoutVersion.
func Open(ctx context.Context, dsn string) (*Store, error) {
	u, err := url.Parse(dsn)
	if err != nil || !IsURL(dsn) {
		return nil, fmt.Errorf("postgres: %q is not a postgres:// URL", redact(dsn))
	}
	schema := ""
	if sp := u.Query().Get("search_path"); sp != "" {
		schema = strings.TrimSpace(strings.Split(sp, ",")[0])
		if !identifier.MatchString(schema) {
			return nil, fmt.Errorf("postgres: search_path %q: a schema name of letters, digits and _", schema)
		}
	}
	// Each query planned with its values: a generic plan of a full-text query cannot tell a rare
	// word from a common one, and scans the table backwards for a rare one (350 ms instead of 7
	// on 100,000 articles).
	// And without JIT compilation: it costs 10–20 ms on a query the planner thinks costly, more
	// than it saves on queries that read at most thousands of rows.
	q := u.Query()
	for k, v := range map[string]string{"plan_cache_mode": "force_custom_plan", "jit": "off"} {
		if q.Get(k) == "" {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	dsn = u.String()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", redact(dsn), err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	db.SetConnMaxIdleTime(10 * time.Minute)
	s := &Store{db: db, rankCap: DefaultRankCap, firstExtra: 200}
	if err := s.migrate(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %s: %w", redact(dsn), err)
	}
	// The search table's partitions for the next puts (should this fail, for a role that may only
	// read, a put tries again and tells why).
	var last int64
	if queryRow(ctx, db, `SELECT last_value FROM articles_id_seq`).Scan(&last) == nil {
		s.partitionsFor(ctx, last)
	}
	return s, nil
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Redact is a database URL with its password hidden, for messages and logs.
func Redact(dsn string) string {
	if !IsURL(dsn) {
		return dsn
	}
	return redact(dsn)
}

// redact hides a URL's password.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the database URL"
	}
	return u.Redacted()
}

// migrate brings the schema to LayoutVersion, one opener at a time.
func (s *Store) migrate(ctx context.Context, schema string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// One lock a schema: a long migration of one store does not hold up the others.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('newsgraph migrate ' || coalesce(nullif($1, ''), current_schema(), '')))`, schema); err != nil {
		return err
	}
	if schema != "" {
		if _, err := tx.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+schema); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS newsgraph_schema (version INTEGER NOT NULL, migrated TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	var v int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM newsgraph_schema`).Scan(&v); err != nil {
		return err
	}
	if v > LayoutVersion {
		return fmt.Errorf("store layout version %d, this program reads %d (and earlier)", v, LayoutVersion)
	}
	for ; v < LayoutVersion; v++ {
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("migrating to layout version %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO newsgraph_schema (version) VALUES ($1)`, v+1); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Close implements store.Store.
func (s *Store) Close() error { return s.db.Close() }

// rebind turns the ? placeholders of a query into $1, $2, …
func rebind(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	return q.QueryRowContext(ctx, rebind(query), args...)
}

func query(ctx context.Context, q querier, qs string, args ...any) (*sql.Rows, error) {
	return q.QueryContext(ctx, rebind(qs), args...)
}

func exec(ctx context.Context, q querier, qs string, args ...any) error {
	_, err := q.ExecContext(ctx, rebind(qs), args...)
	return err
}

// Put implements store.Store.
func (s *Store) Put(ctx context.Context, a *store.Article) (store.PutResult, error) {
	r, err := s.PutMany(ctx, []*store.Article{a})
	if err != nil {
		return store.PutResult{}, err
	}
	return r[0], nil
}

// PutMany implements store.Store: one transaction for all. Two writers putting the same article at
// once store it once: the second finds the first's row (a unique index, then a retry).
func (s *Store) PutMany(ctx context.Context, as []*store.Article) ([]store.PutResult, error) {
	analyses := make([][]byte, len(as))
	for i, a := range as {
		if err := store.Prepare(a); err != nil {
			return nil, err
		}
		var err error
		if analyses[i], err = a.PackedAnalysis(); err != nil {
			return nil, err
		}
	}
	for attempt := 0; ; attempt++ {
		out, err := s.putMany(ctx, as, analyses)
		var np needPartitions
		if errors.As(err, &np) && attempt < 5 {
			if err := s.partitionsFor(ctx, np.id); err != nil {
				return nil, err
			}
			continue
		}
		if err == nil {
			// The next partition, made before a writer needs it (a failure is told by the put
			// that needs it).
			var last int64
			for _, r := range out {
				if r.Status == store.Stored {
					last = max(last, r.ID)
				}
			}
			if last+SearchPartition/2 >= s.partitioned.Load() {
				s.partitionsFor(ctx, last)
			}
		}
		if err != nil && attempt < 5 && retryable(err) {
			continue // another writer stored one of these meanwhile: read it as a duplicate
		}
		if err != nil {
			return nil, err
		}
		for i, a := range as {
			if out[i].Status == store.Stored {
				a.ID, a.Group = out[i].ID, out[i].Group
			}
		}
		return out, nil
	}
}

// retryable reports a unique violation, a serialization failure or a deadlock.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "23505" || pe.Code == "40001" || pe.Code == "40P01")
}

// Lookup implements store.Store.
func (s *Store) Lookup(ctx context.Context, u string, textHash []byte) (int64, bool, error) {
	var id int64
	var err error
	if u != "" {
		err = queryRow(ctx, s.db, `SELECT id FROM articles WHERE url = ? AND url <> ''`, u).Scan(&id)
	} else {
		err = queryRow(ctx, s.db, `SELECT id FROM articles WHERE text_hash = ?`, textHash).Scan(&id)
	}
	switch {
	case err == sql.ErrNoRows:
		return 0, false, nil
	case err != nil:
		return 0, false, err
	}
	return id, true, nil
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, id int64) (*store.Article, error) {
	a := &store.Article{ID: id}
	var packed, analysis []byte
	err := queryRow(ctx, s.db, `SELECT url, title, byline, date, publisher, source, text, text_hash, minhash, group_id, pipeline, analysis, ingested
		FROM articles WHERE id = ?`, id).Scan(&a.URL, &a.Title, &a.Byline, &a.Date, &a.Publisher, &a.Source, &a.Text, &a.TextHash, &packed, &a.Group, &a.Pipeline, &analysis, &a.Ingested)
	if err == sql.ErrNoRows {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	a.Ingested = a.Ingested.UTC()
	a.MinHash = store.UnpackMinHash(packed)
	if a.Analysis, err = store.UnpackAnalysis(analysis); err != nil {
		return nil, fmt.Errorf("postgres: article %d: analysis: %w", id, err)
	}
	if err := store.ReadArticleRows(ctx, s.db, a, `article = $1 ORDER BY seq`); err != nil {
		return nil, err
	}
	return a, nil
}

// filters are the PostgreSQL store's article filters (store.SQLFilters): case folded by lower(),
// which its indexes are built on; dates compared byte by byte (COLLATE "C", as their index is).
var filters = store.SQLFilters{
	False:     "false",
	EqualFold: func(col string) string { return "lower(" + col + ") = lower(?)" },
	NameHas: func(f store.SpeakerFilter, words []string) (string, []any) {
		return "newsgraph_name_has(ns.n, ?, ?)", []any{words, f.Prefix}
	},
	Date: `a.date COLLATE "C"`,
}

// tsquery renders a parsed query as an SQL expression of tsquery values: each term a
// phraseto_tsquery of its words (one parameter each), joined by && || and !!.
func tsquery(p store.ParsedQuery, args []any) (string, []any) {
	expr := p.Render(func(ws []string) string {
		args = append(args, strings.Join(ws, " "))
		return "phraseto_tsquery('newsgraph', ?)"
	},
		func(a, b string) string { return "(" + a + " && " + b + ")" },
		func(a, b string) string { return "(" + a + " || " + b + ")" },
		func(a, b string) string { return "(" + a + " && !!" + b + ")" })
	return expr, args
}

// Search implements store.Store; the query is bounded.
func (s *Store) Search(ctx context.Context, q store.Query) ([]store.Hit, error) {
	return store.Bounded(ctx, q, s.search)
}

// headlineOptions mark matches as the SQLite store's snippets do.
var headlineOptions = "StartSel=" + store.MarkStart + ", StopSel=" + store.MarkEnd + ", MaxWords=24, MinWords=12, ShortWord=2"

func (s *Store) search(ctx context.Context, q store.Query) ([]store.Hit, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	var parsed *store.ParsedQuery
	if strings.TrimSpace(q.Text) != "" {
		p, err := store.ParseQuery(q.Text)
		if err != nil {
			return nil, err
		}
		parsed = &p
	}
	where, args := filters.Where(nil, nil, store.SpeakerFilter{Name: q.Speaker, Prefix: q.SpeakerPrefix, Guesses: q.Guesses}, q.Outlet, q.Entity, q.Publisher, q.From, q.To)
	var ranked []store.Candidate // for a text query, all the candidates, best first
	var qs string
	var qargs []any
	if parsed != nil {
		var err error
		if ranked, err = s.matches(ctx, *parsed, where, args); err != nil {
			return nil, err
		}
	} else {
		if len(where) == 0 {
			where = append(where, "true")
		}
		qs = `SELECT a.id, a.group_id, 0 FROM articles a WHERE ` + strings.Join(where, " AND ") + `
			ORDER BY a.date COLLATE "C" DESC, a.id DESC LIMIT ?`
		qargs = args
	}
	var cands []store.Candidate
	n := limit
	if !q.AllDuplicates {
		n = min(limit*5+s.firstExtra, s.rankCap)
	}
	for {
		if parsed != nil {
			cands = ranked[:min(n, len(ranked))]
		} else {
			var err error
			if cands, err = candidates(ctx, s.db, qs, append(qargs, n)...); err != nil {
				return nil, err
			}
		}
		if q.AllDuplicates || len(cands) < n || n >= s.rankCap || store.FoldGroups(cands, limit) {
			break
		}
		n = min(n*4, s.rankCap)
	}
	hits := store.Fold(cands, limit, q.AllDuplicates)
	if len(hits) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(hits))
	at := map[int64]int{}
	for i, h := range hits {
		ids[i] = h.ID
		at[h.ID] = i
	}
	rows, err := query(ctx, s.db, `SELECT a.id, a.title, a.url, a.publisher, a.date, a.source, CASE WHEN ? THEN a.text ELSE substr(a.text, 1, 160) END
		FROM articles a WHERE a.id = ANY (?)`, parsed != nil, ids)
	if err != nil {
		return nil, err
	}
	texts := make([]string, len(hits))
	for rows.Next() {
		var h store.Hit
		var text string
		if err := rows.Scan(&h.ID, &h.Title, &h.URL, &h.Publisher, &h.Date, &h.Source, &text); err != nil {
			rows.Close()
			return nil, err
		}
		x := &hits[at[h.ID]]
		x.Title, x.URL, x.Publisher, x.Date, x.Source = h.Title, h.URL, h.Publisher, h.Date, h.Source
		x.Snippet = strings.Join(strings.Fields(text), " ")
		texts[at[h.ID]] = text
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if parsed == nil {
		return hits, nil
	}
	// The snippets: headlines of the width-folded texts, which the index read, mapped back onto
	// the texts as stored (FoldWidth gives one character for one).
	// ts_headline parses the whole of what it is given, 10–20 ms for an article: it is given a
	// window of the text around the first place a query word (or its first letters, for the
	// stems) appears, or the text's start.
	folded := make([]string, len(texts))
	origs := make([]string, len(texts))
	for i, t := range texts {
		origs[i], folded[i] = window(t, store.FoldWidth(t), queryWords(*parsed))
	}
	texts = origs
	tsq, targs := tsquery(*parsed, nil)
	rows, err = query(ctx, s.db, `WITH qq AS (SELECT `+tsq+` AS q)
		SELECT t.i, ts_headline('newsgraph', t.text, qq.q, ?) FROM qq, unnest(?::text[]) WITH ORDINALITY AS t(text, i)`, append(targs, headlineOptions, folded)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var hl string
		if err := rows.Scan(&i, &hl); err != nil {
			return nil, err
		}
		hits[i-1].Snippet = strings.Join(strings.Fields(unfold(texts[i-1], folded[i-1], hl)), " ")
	}
	return hits, rows.Err()
}

// matches are the newest rankCap articles that match a text query and its filters, ranked (ts_rank:
// the title weighs four times the text, divided by 1 + the log of the length), best first, then
// by id. They are read from windows of ids, newest first, until there are rankCap or no ids are
// left, so that a query never reads the matches of the whole store to keep its newest:
//   - the first window is the newest SearchPartition ids, asked for its newest rankCap matches:
//     the planner reads a common word's articles backwards and stops at the count, a rarer
//     word's from the GIN index of the window's partitions;
//   - each later window, once there are matches, is sized by them to hold half as many again as
//     are still wanted (a partition at most when a filter's set is an array), and asked for all its
//     matches, in no order: so the planner does not read the
//     articles backwards, testing each one's whole tsvector, to save a sort (it cannot tell how
//     much that costs), but intersects the indexes; the newest are kept.
//
// The query is written out where it is matched, not read from a WITH, so that the planner sees
// its words.
func (s *Store) matches(ctx context.Context, p store.ParsedQuery, where []string, args []any) ([]store.Candidate, error) {
	var top int64
	if err := queryRow(ctx, s.db, `SELECT coalesce(max(id), 0) FROM search`).Scan(&top); err != nil {
		return nil, err
	}
	where, args, err := s.smallSets(ctx, where, args)
	if err != nil {
		return nil, err
	}
	rank, rargs := tsquery(p, nil)
	match, margs := tsquery(p, rargs)
	qs := `SELECT a.id, a.group_id, -ts_rank('{0, 0, 0.25, 1}', a.tsv, ` + rank + `, 1) FROM search a
		WHERE ` + strings.Join(append([]string{`a.tsv @@ ` + match, `a.id >= ?`, `a.id < ?`}, where...), " AND ")
	var out []store.Candidate
	sets := false // a filter's set is given as an array (smallSets)
	for _, a := range args {
		_, ok := a.([]int64)
		sets = sets || ok
	}
	for _, a := range args {
		if set, ok := a.([]int64); ok && len(set) == 0 {
			return nil, nil // a filter no article passes
		}
	}
	hi, w := top+1, int64(SearchPartition)
	for first := true; hi > 0 && len(out) < s.rankCap; first = false { // until a window has matches, each twice the last
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lo := max(hi-w, 0)
		if sets {
			// A window of several partitions would look each of the array's ids up in each of
			// them: with a set, a window is one partition at most, and one the set has no
			// article in is not asked.
			lo = max(lo, (hi-1)/SearchPartition*SearchPartition)
		}
		qargs := append(append([]any(nil), margs...), lo, hi)
		none := false // a set of the filters has no article in the window
		for _, a := range args {
			if set, ok := a.([]int64); ok {
				a = inWindow(set, lo, hi)
				none = none || len(a.([]int64)) == 0
			}
			qargs = append(qargs, a)
		}
		q := qs
		if first || len(out) == 0 {
			// Nothing yet to size the window by: its newest matches, as many as are wanted.
			q += ` ORDER BY a.id DESC LIMIT ?`
			qargs = append(qargs, s.rankCap)
		}
		var got []store.Candidate
		if !none {
			var err error
			if got, err = candidates(ctx, s.db, q, qargs...); err != nil {
				return nil, err
			}
		}
		sort.Slice(got, func(i, j int) bool { return got[i].ID > got[j].ID })
		out = append(out, got[:min(len(got), s.rankCap-len(out))]...)
		// The next window.
		read := top + 1 - lo
		if len(out) == 0 {
			w = min(2*w, lo)
		} else {
			density := float64(len(out)) / float64(read)
			w = max(int64(SearchPartition), int64(1.5*float64(s.rankCap-len(out))/density))
		}
		hi = lo
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score < out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// candidates reads the rows (id, group, score) of a query.
func candidates(ctx context.Context, q querier, qs string, args ...any) ([]store.Candidate, error) {
	return store.ReadRows(ctx, q, rebind(qs), func(rows *sql.Rows) (c store.Candidate, err error) {
		return c, rows.Scan(&c.ID, &c.Group, &c.Score)
	}, args...)
}

// scanID scans a row of one id.
func scanID(rows *sql.Rows) (id int64, err error) {
	return id, rows.Scan(&id)
}

// inWindow are the ids of set from lo up to hi: a window is asked only for the articles of a
// filter's set that it holds.
func inWindow(set []int64, lo, hi int64) []int64 {
	var out []int64
	for _, id := range set {
		if id >= lo && id < hi {
			out = append(out, id)
		}
	}
	return out
}

// smallSet is the most articles a filter's set may hold to be read first (smallSets).
const smallSet = 20_000

// smallSets reads the articles of each filter of the form "a.id IN (…)" whose set is small and
// puts them in the query as an array: the planner estimates the sets of names and outlets badly
// (40,000 articles for Reuters as an outlet, where there are 4,000), and for a set it thinks large
// it reads every article that has the words and joins, where for an array of known size it looks
// the articles up. A filter of a larger set stays as it is.
func (s *Store) smallSets(ctx context.Context, where []string, args []any) ([]string, []any, error) {
	var w2 []string
	var a2 []any
	for _, c := range where {
		n := strings.Count(c, "?")
		cargs := args[:n:n]
		args = args[n:]
		inner, ok := strings.CutPrefix(c, "a.id IN (")
		if !ok {
			w2, a2 = append(w2, c), append(a2, cargs...)
			continue
		}
		inner = strings.TrimSuffix(inner, ")")
		ids, err := store.ReadRows(ctx, s.db, rebind(`SELECT DISTINCT f.article FROM (`+inner+`) f LIMIT ?`), scanID, append(cargs, smallSet+1)...)
		if err != nil {
			return nil, nil, err
		}
		if len(ids) > smallSet {
			w2, a2 = append(w2, c), append(a2, cargs...)
			continue
		}
		w2, a2 = append(w2, "a.id = ANY (?)"), append(a2, ids)
	}
	return w2, a2, nil
}

// Quotes implements store.Store.
func (s *Store) Quotes(ctx context.Context, q store.QuoteQuery) ([]store.QuoteHit, error) {
	return store.Bounded(ctx, q, s.quotes)
}

func (s *Store) quotes(ctx context.Context, q store.QuoteQuery) ([]store.QuoteHit, error) {
	where := []string{"true"}
	var args []any
	where, args = filters.Where(where, args, store.SpeakerFilter{Name: q.Speaker, Prefix: q.Prefix, Guesses: q.Guesses}, "", "", q.Publisher, q.From, q.To)
	rows, err := query(ctx, s.db, `SELECT a.id, a.group_id, a.title, a.date, a.publisher, a.url, q.text, q.speaker_name, q.attribution,
			coalesce(t.speaker_kind, ''), coalesce(t.outlet, ''), coalesce(t.chain, '[]'), q.speaker_guess, q.confidence, coalesce(t.resolved, '')
		FROM quotes q JOIN articles a ON a.id = q.article
		LEFT JOIN attributions t ON t.article = q.article AND t.aid = q.attribution
		WHERE `+strings.Join(where, " AND ")+` ORDER BY a.date COLLATE "C" DESC, a.id, q.seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := store.NewQuoteList(q)
	for rows.Next() {
		var h store.QuoteHit
		var group int64
		var chain, guess string
		if err := rows.Scan(&h.ArticleID, &group, &h.Title, &h.Date, &h.Publisher, &h.URL, &h.Quote, &h.Speaker, &h.Attribution, &h.SpeakerKind, &h.Outlet, &chain,
			&guess, &h.Confidence, &h.Resolved); err != nil {
			return nil, err
		}
		if list.Add(h, group, guess, chain) {
			break
		}
	}
	return list.Hits(), rows.Err()
}

// Chains implements store.Store.
func (s *Store) Chains(ctx context.Context, q store.SourceQuery) ([]store.ChainCount, error) {
	return store.Bounded(ctx, q, s.chains)
}

func (s *Store) chains(ctx context.Context, q store.SourceQuery) ([]store.ChainCount, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	where := []string{`t.chain <> '[]'`}
	var args []any
	where, args = filters.Where(where, args, store.SpeakerFilter{}, "", "", q.Publisher, q.From, q.To)
	if q.Cited != "" {
		where = append(where, `EXISTS (SELECT 1 FROM jsonb_array_elements_text(t.chain::jsonb) v WHERE lower(v) = lower(?))`)
		args = append(args, q.Cited)
	}
	args = append(args, limit)
	rows, err := query(ctx, s.db, `SELECT t.chain, count(*), count(DISTINCT t.article)
		FROM attributions t JOIN articles a ON a.id = t.article
		WHERE `+strings.Join(where, " AND ")+`
		GROUP BY t.chain ORDER BY 2 DESC, 3 DESC, t.chain COLLATE "C" LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ChainCount
	for rows.Next() {
		var c store.ChainCount
		var chain string
		if err := rows.Scan(&chain, &c.Attributions, &c.Articles); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(chain), &c.Chain); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Sources implements store.Store.
func (s *Store) Sources(ctx context.Context, q store.SourceQuery) ([]store.SourceEdge, error) {
	return store.Bounded(ctx, q, s.sources)
}

func (s *Store) sources(ctx context.Context, q store.SourceQuery) ([]store.SourceEdge, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	where := []string{`t.cited <> ''`, `lower(t.cited) <> lower(a.publisher)`}
	var args []any
	where, args = filters.Where(where, args, store.SpeakerFilter{}, "", "", q.Publisher, q.From, q.To)
	if q.Cited != "" {
		where = append(where, `lower(t.cited) = lower(?)`)
		args = append(args, q.Cited)
	}
	args = append(args, limit)
	// As in the SQLite store: the outlet each attribution cites (its speaker when that is an
	// outlet, else the outlet it comes through), counted by article; a story a publisher ran more
	// than once (one near-duplicate group) counts once, with the attributions of its copy that has
	// the most.
	const cited = `SELECT article, CASE WHEN speaker_kind = 'outlet' AND speaker_name <> '' THEN speaker_name ELSE outlet END AS cited
		FROM attributions WHERE speaker_kind = 'outlet' OR outlet_via IN ('self', 'chain')`
	inner := `SELECT a.id AS article, a.publisher AS publisher, a.group_id AS grp, min(t.cited) AS cited, count(*) AS n
			FROM (` + cited + `) t
			JOIN articles a ON a.id = t.article
			WHERE ` + strings.Join(where, " AND ") + `
			GROUP BY a.id, lower(t.cited)`
	rows, err := query(ctx, s.db, `SELECT min(publisher) AS p, min(cited) AS c, count(*) AS articles, sum(n) AS attributions FROM (
			SELECT min(publisher) AS publisher, min(cited) AS cited, max(n) AS n FROM (`+inner+`) x
			GROUP BY lower(publisher), lower(cited), grp) y
		GROUP BY lower(publisher), lower(cited)
		ORDER BY articles DESC, attributions DESC, min(publisher) COLLATE "C", min(cited) COLLATE "C" LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.SourceEdge
	for rows.Next() {
		var e store.SourceEdge
		if err := rows.Scan(&e.Publisher, &e.Cited, &e.Articles, &e.Attributions); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Validators implements store.Store.
func (s *Store) Validators(ctx context.Context, u string) (store.Validators, bool, error) {
	var v store.Validators
	err := queryRow(ctx, s.db, `SELECT etag, last_modified, status, fetched FROM fetches WHERE url = ?`, u).Scan(&v.ETag, &v.LastModified, &v.Status, &v.Fetched)
	if err == sql.ErrNoRows {
		return v, false, nil
	}
	if err != nil {
		return v, false, err
	}
	v.Fetched = v.Fetched.UTC()
	return v, true, nil
}

// SetValidators implements store.Store.
func (s *Store) SetValidators(ctx context.Context, u string, v store.Validators) error {
	if v.Fetched.IsZero() {
		v.Fetched = time.Now().UTC()
	}
	return exec(ctx, s.db, `INSERT INTO fetches (url, etag, last_modified, status, fetched) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, status = excluded.status, fetched = excluded.fetched`,
		u, v.ETag, v.LastModified, v.Status, v.Fetched)
}

// Stats implements store.Store; Bytes is the size of the store's tables and indexes.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	var st store.Stats
	err := queryRow(ctx, s.db, `SELECT (SELECT count(*) FROM articles), (SELECT count(DISTINCT group_id) FROM articles),
		(SELECT count(*) FROM entities), (SELECT count(*) FROM attributions), (SELECT count(*) FROM quotes), (SELECT count(*) FROM timexes),
		(SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND c.relkind = 'r')`).
		Scan(&st.Articles, &st.Groups, &st.Entities, &st.Attributions, &st.Quotes, &st.Timexes, &st.Bytes)
	return st, err
}

// queryWords are the words of a query's terms, lower-cased (not those it excludes).
func queryWords(p store.ParsedQuery) []string {
	var out []string
	for _, g := range p.Must {
		for _, t := range g {
			for _, w := range t.Words {
				out = append(out, strings.ToLower(w))
			}
		}
	}
	return out
}

// windowRunes is the size of the window of text a snippet is looked for in.
const windowRunes = 1200

// window cuts the same window out of a text and its folded form (one character for one): around
// the first place one of words appears (a word of five letters or more by its first letters but
// two, so that "talks" finds "talked"), else the start.
func window(orig, folded string, words []string) (string, string) {
	if utf8.RuneCountInString(folded) <= windowRunes {
		return orig, folded
	}
	lower := strings.ToLower(folded)
	at := -1
	for _, w := range words {
		if len([]rune(w)) >= 5 {
			w = string([]rune(w)[:len([]rune(w))-2])
		}
		if i := strings.Index(lower, w); i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	if len(lower) != len(folded) {
		at = -1 // lower-casing changed the length: offsets would not match
	}
	start := 0
	if at > 0 {
		start = utf8.RuneCountInString(folded[:at]) - windowRunes/3
	}
	fr, or := []rune(folded), []rune(orig)
	start = max(0, min(start, len(fr)-windowRunes))
	end := min(len(fr), start+windowRunes)
	if len(or) != len(fr) {
		return orig, folded
	}
	return string(or[start:end]), string(fr[start:end])
}

// unfold maps a headline of the folded text back onto the original: the same characters at the
// same places, the marks kept. A headline not found in the folded text is left as it is.
func unfold(orig, folded, headline string) string {
	if orig == folded {
		return headline
	}
	plain := strings.NewReplacer(store.MarkStart, "", store.MarkEnd, "").Replace(headline)
	i := strings.Index(folded, plain)
	if i < 0 {
		return headline
	}
	from := utf8.RuneCountInString(folded[:i])
	or := []rune(orig)
	var b strings.Builder
	k := from
	for _, r := range headline {
		if string(r) == store.MarkStart || string(r) == store.MarkEnd || k >= len(or) {
			b.WriteRune(r)
			continue
		}
		b.WriteRune(or[k])
		k++
	}
	return b.String()
}
