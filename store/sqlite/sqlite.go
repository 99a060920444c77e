// Package sqlite is the embedded store: one SQLite file (through modernc.org/sqlite, pure Go) in
// WAL mode, with an FTS5 index of titles and texts. Every Put is one transaction, so an ingest
// killed at any point keeps every article it stored and none in part.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite" // the database/sql driver "sqlite"

	"github.com/newsgraph/newsgraph/store"
)

// schemaVersion is the layout of the file (PRAGMA user_version); a file of another version is
// refused rather than misread.
const schemaVersion = 2

// LayoutVersion is the file layout this package writes (schemaVersion), for names of files built
// for one layout.
const LayoutVersion = schemaVersion

// migrations bring a file of an older layout to schemaVersion: migrations[v-1] takes version v to
// v+1, in one transaction with the new user_version.
var migrations = []string{
	// 1 → 2: speakers' confidence and guesses (newsgraph/v1's speaker_confidence and speaker_guess),
	// how a speaker was read, and an index of the guessed speakers' words.
	`ALTER TABLE attributions ADD COLUMN speaker_guess TEXT NOT NULL DEFAULT '';
	ALTER TABLE attributions ADD COLUMN confidence REAL NOT NULL DEFAULT -1;
	ALTER TABLE attributions ADD COLUMN resolved TEXT NOT NULL DEFAULT '';
	ALTER TABLE quotes ADD COLUMN speaker_guess TEXT NOT NULL DEFAULT '';
	ALTER TABLE quotes ADD COLUMN confidence REAL NOT NULL DEFAULT -1;
	CREATE TABLE IF NOT EXISTS guess_words (
		word    TEXT NOT NULL,
		article INTEGER NOT NULL,
		PRIMARY KEY (word, article)
	) WITHOUT ROWID;`,
}

const schema = `
CREATE TABLE IF NOT EXISTS articles (
	id        INTEGER PRIMARY KEY,
	url       TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	byline    TEXT NOT NULL DEFAULT '',
	date      TEXT NOT NULL DEFAULT '',
	publisher TEXT NOT NULL DEFAULT '',
	source    TEXT NOT NULL DEFAULT '',
	group_id  INTEGER NOT NULL,
	ingested  TEXT NOT NULL,
	pipeline  TEXT NOT NULL DEFAULT '',
	text_hash BLOB NOT NULL UNIQUE,
	minhash   BLOB NOT NULL,
	text      TEXT NOT NULL, -- the large columns last: reading the others skips them
	analysis  BLOB
);
CREATE UNIQUE INDEX IF NOT EXISTS articles_url ON articles(url) WHERE url <> '';
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE INDEX IF NOT EXISTS articles_publisher ON articles(publisher COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS articles_group ON articles(group_id);
CREATE TABLE IF NOT EXISTS bands (
	key     INTEGER NOT NULL,
	article INTEGER NOT NULL,
	PRIMARY KEY (key, article)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entities (
	article  INTEGER NOT NULL,
	cluster  TEXT NOT NULL,
	label    TEXT NOT NULL,
	name     TEXT NOT NULL,
	outlet   TEXT NOT NULL DEFAULT '',
	mentions INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entities_article ON entities(article);
CREATE INDEX IF NOT EXISTS entities_name ON entities(name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS attributions (
	article      INTEGER NOT NULL,
	aid          TEXT NOT NULL,
	kind         TEXT NOT NULL,
	speaker_name TEXT NOT NULL DEFAULT '',
	speaker_kind TEXT NOT NULL DEFAULT '',
	outlet       TEXT NOT NULL DEFAULT '',
	outlet_via   TEXT NOT NULL DEFAULT '',
	parent       TEXT NOT NULL DEFAULT '',
	chain        TEXT NOT NULL DEFAULT '[]',
	source       TEXT NOT NULL DEFAULT '',
	cue          TEXT NOT NULL DEFAULT '',
	content      TEXT NOT NULL DEFAULT '',
	speaker_guess TEXT NOT NULL DEFAULT '',
	confidence    REAL NOT NULL DEFAULT -1,
	resolved      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS attributions_article ON attributions(article);
CREATE INDEX IF NOT EXISTS attributions_outlet ON attributions(outlet COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS attributions_speaker ON attributions(speaker_name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS speaker_words (
	word    TEXT NOT NULL, -- a word of a speaker's name (an attribution's or a quotation's), lower case (store.NameWords)
	article INTEGER NOT NULL,
	PRIMARY KEY (word, article)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS guess_words (
	word    TEXT NOT NULL, -- a word of a speaker guessed below the confidence threshold
	article INTEGER NOT NULL,
	PRIMARY KEY (word, article)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quotes (
	article      INTEGER NOT NULL,
	qid          TEXT NOT NULL,
	text         TEXT NOT NULL,
	attribution  TEXT NOT NULL DEFAULT '',
	speaker_name TEXT NOT NULL DEFAULT '',
	speaker_guess TEXT NOT NULL DEFAULT '',
	confidence    REAL NOT NULL DEFAULT -1
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article);
CREATE TABLE IF NOT EXISTS timexes (
	article INTEGER NOT NULL,
	tid     TEXT NOT NULL,
	type    TEXT NOT NULL,
	value   TEXT NOT NULL DEFAULT '',
	text    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS timexes_article ON timexes(article);
CREATE INDEX IF NOT EXISTS timexes_value ON timexes(value);
CREATE TABLE IF NOT EXISTS fetches (
	url           TEXT PRIMARY KEY,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	status        INTEGER NOT NULL DEFAULT 0,
	fetched       TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
	title, text, content='articles', content_rowid='id',
	tokenize='porter unicode61 remove_diacritics 2'
);
`

func init() {
	// name_matches(name, query): each word of query starts a word of name (store.NameMatches).
	// name_has(name, query, prefix): each word of query is (prefix: starts) a word of name
	// (store.NameHasWords).
	sqlite.MustRegisterDeterministicScalarFunction("name_has", 3, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		name, _ := args[0].(string)
		q, _ := args[1].(string)
		prefix, _ := args[2].(int64)
		return store.NameHasWords(name, store.NameWords(q), prefix != 0), nil
	})
}

// Store is the SQLite backend of store.Store.
type Store struct {
	db   *sql.DB
	path string
	mu   sync.Mutex // one writer at a time (SQLite allows one; this keeps waits in Go)
	// rankCap is DefaultRankCap, and firstExtra the candidates read beyond limit·5 at first (200);
	// tests lower them.
	rankCap, firstExtra int
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the store in the file at path.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: no file name")
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("sqlite: %s is a directory", path)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(10000)", "foreign_keys(ON)", "cache_size(-65536)", "mmap_size(1073741824)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	uri, err := fileURI(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", uri+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	// A pool of connections kept open: each has its own page cache and parsed schema, which a
	// connection opened for one query and closed after (database/sql keeps two idle by default)
	// would build again each time. More than twice the cores gain nothing for reads; a writer
	// holds one.
	conns := max(4, 2*runtime.NumCPU())
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(10 * time.Minute)
	s := &Store{db: db, path: path, rankCap: DefaultRankCap, firstExtra: 200}
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return s, nil
}

// fileURI is the SQLite URI filename of path: absolute (a path starting "//" would name an
// authority), with the characters a URI gives a meaning escaped ("%" starts an escape, "?" the
// parameters, "#" a fragment), so that "odd#name.db" opens that file, not "odd".
func fileURI(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return "file:" + uriEscaper.Replace(abs), nil
}

var uriEscaper = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

func (s *Store) init() error {
	var v int
	if err := s.db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		return fmt.Errorf("not a newsgraph store (%v)", err)
	}
	if v > schemaVersion || v < 0 {
		return fmt.Errorf("store layout version %d, this program reads %d (and earlier)", v, schemaVersion)
	}
	for ; v > 0 && v < schemaVersion; v++ {
		if err := s.migrate(v); err != nil {
			return fmt.Errorf("updating the store from layout version %d to %d: %w", v, v+1, err)
		}
	}
	if v == 0 {
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errors.New("the file is an SQLite database of another program, not a newsgraph store")
		}
		if _, err := s.db.Exec(schema); err != nil {
			return err
		}
		if _, err := s.db.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion)); err != nil {
			return err
		}
	}
	return nil
}

// migrate takes the file from layout version v to v+1 in one transaction.
func (s *Store) migrate(v int) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(migrations[v-1]); err != nil {
		return err
	}
	if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, v+1)); err != nil {
		return err
	}
	return tx.Commit()
}

// Optimize merges the full-text index's segments and refreshes the query planner's statistics:
// worth a call after a bulk load, as a benchmark's.
func (s *Store) Optimize(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO articles_fts(articles_fts) VALUES('optimize')`); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `ANALYZE`)
	return err
}

// Close closes the store. (SQLite folds the write-ahead log into the file when the last
// connection to it closes; an explicit checkpoint here would make a query wait for, and hold up,
// an ingest writing at the same time.)
func (s *Store) Close() error {
	return s.db.Close()
}

// Put implements store.Store.
func (s *Store) Put(ctx context.Context, a *store.Article) (store.PutResult, error) {
	r, err := s.PutMany(ctx, []*store.Article{a})
	if err != nil {
		return store.PutResult{}, err
	}
	return r[0], nil
}

// PutMany implements store.Store: one transaction for all.
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
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	out := make([]store.PutResult, len(as))
	for i, a := range as {
		if out[i], err = put(ctx, tx, a, analyses[i]); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	for i, a := range as {
		if out[i].Status == store.Stored {
			a.ID, a.Group = out[i].ID, out[i].Group
		}
	}
	return out, nil
}

func put(ctx context.Context, tx *sql.Tx, a *store.Article, analysis []byte) (store.PutResult, error) {
	var id, group int64
	if a.URL != "" {
		err := tx.QueryRowContext(ctx, `SELECT id, group_id FROM articles WHERE url = ? AND url <> ''`, a.URL).Scan(&id, &group)
		if err == nil {
			return store.PutResult{ID: id, Status: store.DuplicateURL, Group: group}, nil
		} else if err != sql.ErrNoRows {
			return store.PutResult{}, err
		}
	}
	err := tx.QueryRowContext(ctx, `SELECT id, group_id FROM articles WHERE text_hash = ?`, a.TextHash).Scan(&id, &group)
	if err == nil {
		return store.PutResult{ID: id, Status: store.DuplicateText, Group: group}, nil
	} else if err != sql.ErrNoRows {
		return store.PutResult{}, err
	}
	if group, err = nearGroup(ctx, tx, a.MinHash); err != nil {
		return store.PutResult{}, err
	}
	ingested := a.Ingested
	if ingested.IsZero() {
		ingested = time.Now().UTC()
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO articles (url, title, byline, date, publisher, source, text, text_hash, minhash, group_id, pipeline, analysis, ingested)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.URL, a.Title, a.Byline, a.Date, a.Publisher, a.Source, a.Text, a.TextHash, store.PackMinHash(a.MinHash), group, a.Pipeline, analysis,
		ingested.Format(time.RFC3339Nano))
	if err != nil {
		return store.PutResult{}, err
	}
	if id, err = res.LastInsertId(); err != nil {
		return store.PutResult{}, err
	}
	if group == 0 {
		group = id
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET group_id = ? WHERE id = ?`, id, id); err != nil {
			return store.PutResult{}, err
		}
	}
	if err := putRows(ctx, tx, id, a); err != nil {
		return store.PutResult{}, err
	}
	return store.PutResult{ID: id, Status: store.Stored, Group: group}, nil
}

// nearGroup finds the group of the stored article most like mh (of equals, the oldest) among
// those sharing a band with it and at least store.NearJaccard alike, or 0.
func nearGroup(ctx context.Context, tx *sql.Tx, mh []uint32) (int64, error) {
	bands := store.Bands(mh)
	args := make([]any, len(bands))
	for i, b := range bands {
		args[i] = b
	}
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.minhash, a.group_id FROM articles a
		WHERE a.id IN (SELECT DISTINCT article FROM bands WHERE key IN (`+placeholders(len(args))+`)) ORDER BY a.id`, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var best int64
	bestSim := store.NearJaccard
	for rows.Next() {
		var id, g int64
		var packed []byte
		if err := rows.Scan(&id, &packed, &g); err != nil {
			return 0, err
		}
		if sim := store.Similarity(mh, store.UnpackMinHash(packed)); sim > bestSim || sim == bestSim && best == 0 {
			best, bestSim = g, sim
		}
	}
	return best, rows.Err()
}

// fillGroups reads the near-duplicate groups of the articles ids, in chunks of 500.
func (s *Store) fillGroups(ctx context.Context, ids []any, set func(id, group int64)) error {
	for len(ids) > 0 {
		chunk := ids[:min(500, len(ids))]
		ids = ids[len(chunk):]
		rows, err := s.db.QueryContext(ctx, `SELECT id, group_id FROM articles WHERE id IN (`+placeholders(len(chunk))+`)`, chunk...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, g int64
			if err := rows.Scan(&id, &g); err != nil {
				rows.Close()
				return err
			}
			set(id, g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func cands2ids[C any](cs []C, id func(C) int64) []any {
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = id(c)
	}
	return out
}

// placeholders is "?, ?, …" for an IN list of n values.
func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func putRows(ctx context.Context, tx *sql.Tx, id int64, a *store.Article) error {
	// The index reads the text width-folded (store.FoldWidth: one character for one, so that the
	// snippets, which read the stored text, mark the same words).
	if _, err := tx.ExecContext(ctx, `INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)`, id, store.FoldWidth(a.Title), store.FoldWidth(a.Text)); err != nil {
		return err
	}
	bands := store.Bands(a.MinHash)
	// The words of the speakers named, and of those guessed, in attributions and quotations.
	named, guessed := store.SpeakerWords(a)
	wordList, guessList := named, guessed
	for _, insert := range []func() error{
		func() error {
			return insertAll(ctx, tx, `INSERT OR IGNORE INTO bands (key, article) VALUES (?, ?)`, bands, func(k int64) []any { return []any{k, id} })
		},
		func() error {
			return insertAll(ctx, tx, `INSERT OR IGNORE INTO speaker_words (word, article) VALUES (?, ?)`, wordList, func(w string) []any { return []any{w, id} })
		},
		func() error {
			return insertAll(ctx, tx, `INSERT OR IGNORE INTO guess_words (word, article) VALUES (?, ?)`, guessList, func(w string) []any { return []any{w, id} })
		},
		func() error {
			return insertAll(ctx, tx, `INSERT INTO entities (article, cluster, label, name, outlet, mentions) VALUES (?, ?, ?, ?, ?, ?)`, a.Entities,
				func(e store.Entity) []any { return []any{id, e.Cluster, e.Label, e.Name, e.Outlet, e.Mentions} })
		},
		func() error {
			return insertAll(ctx, tx, `INSERT INTO attributions (article, aid, kind, speaker_name, speaker_kind, outlet, outlet_via, parent, chain, source, cue, content, speaker_guess, confidence, resolved)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.Attributions, func(r store.Attribution) []any {
				return []any{id, r.ID, r.Kind, r.SpeakerName, r.SpeakerKind, r.Outlet, r.OutletVia, r.Parent, store.ChainJSON(r.Chain), r.Source, r.Cue, r.Content, r.SpeakerGuess, r.Confidence, r.Resolved}
			})
		},
		func() error {
			return insertAll(ctx, tx, `INSERT INTO quotes (article, qid, text, attribution, speaker_name, speaker_guess, confidence) VALUES (?, ?, ?, ?, ?, ?, ?)`, a.Quotes,
				func(q store.Quote) []any {
					return []any{id, q.ID, q.Text, q.Attribution, q.SpeakerName, q.SpeakerGuess, q.Confidence}
				})
		},
		func() error {
			return insertAll(ctx, tx, `INSERT INTO timexes (article, tid, type, value, text) VALUES (?, ?, ?, ?, ?)`, a.Timexes,
				func(t store.Timex) []any { return []any{id, t.ID, t.Type, t.Value, t.Text} })
		},
	} {
		if err := insert(); err != nil {
			return err
		}
	}
	return nil
}

// insertAll runs one prepared INSERT for each row.
func insertAll[R any](ctx context.Context, tx *sql.Tx, query string, rows []R, args func(R) []any) error {
	if len(rows) == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range rows {
		if _, err := st.ExecContext(ctx, args(r)...); err != nil {
			return err
		}
	}
	return nil
}

// Lookup implements store.Store.
func (s *Store) Lookup(ctx context.Context, u string, textHash []byte) (int64, bool, error) {
	var id int64
	var err error
	if u != "" {
		err = s.db.QueryRowContext(ctx, `SELECT id FROM articles WHERE url = ? AND url <> ''`, u).Scan(&id)
	} else {
		err = s.db.QueryRowContext(ctx, `SELECT id FROM articles WHERE text_hash = ?`, textHash).Scan(&id)
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
	var packed []byte
	var analysis []byte
	var ingested string
	err := s.db.QueryRowContext(ctx, `SELECT url, title, byline, date, publisher, source, text, text_hash, minhash, group_id, pipeline, analysis, ingested
		FROM articles WHERE id = ?`, id).Scan(&a.URL, &a.Title, &a.Byline, &a.Date, &a.Publisher, &a.Source, &a.Text, &a.TextHash, &packed, &a.Group, &a.Pipeline, &analysis, &ingested)
	if err == sql.ErrNoRows {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	a.MinHash = store.UnpackMinHash(packed)
	a.Ingested, _ = time.Parse(time.RFC3339Nano, ingested)
	if a.Analysis, err = store.UnpackAnalysis(analysis); err != nil {
		return nil, fmt.Errorf("sqlite: article %d: analysis: %w", id, err)
	}
	if err := store.ReadArticleRows(ctx, s.db, a, `article = ? ORDER BY rowid`); err != nil {
		return nil, err
	}
	return a, nil
}

// filters are the SQLite store's article filters (store.SQLFilters): case folded by NOCASE, which
// its indexes are built with; name_has is a Go function (Open registers it).
var filters = store.SQLFilters{
	False:     "0",
	EqualFold: func(col string) string { return col + " = ? COLLATE NOCASE" },
	NameHas: func(f store.SpeakerFilter, _ []string) (string, []any) {
		return "name_has(ns.n, ?, ?)", []any{f.Name, f.Prefix}
	},
	Date: "a.date",
}

// DefaultRankCap bounds the work of a full-text query: one that matches more than this many
// articles (a common word: "said", "government") ranks the most recently stored of them, so that
// its time does not grow with the corpus.
const DefaultRankCap = 10_000

// Search implements store.Store; the query is bounded (store.Bounded).
func (s *Store) Search(ctx context.Context, q store.Query) ([]store.Hit, error) {
	return store.Bounded(ctx, q, s.search)
}

func (s *Store) search(ctx context.Context, q store.Query) ([]store.Hit, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	var where []string
	var args []any
	var fts string
	if strings.TrimSpace(q.Text) != "" {
		var err error
		if fts, err = store.FTSQuery(q.Text); err != nil {
			return nil, err
		}
	}
	where, args = filters.Where(where, args, store.SpeakerFilter{Name: q.Speaker, Prefix: q.SpeakerPrefix, Guesses: q.Guesses}, q.Outlet, q.Entity, q.Publisher, q.From, q.To)
	// The candidates, best first: for a text query, ranked by bm25 reading no more of each match
	// than its group (the article's columns before its text); the snippets and metadata of the few
	// kept come after. The ranking query and its arguments, less the LIMIT:
	var query string
	var qargs []any
	// A text query without filters ranks on the full-text index alone and reads the groups of
	// the candidates it keeps after (a few hundred rows), not of every match it ranks (up to
	// rankCap): the join that filters need costs a row lookup a match.
	ftsOnly := fts != "" && len(where) == 0
	if ftsOnly {
		var cutoff int64
		err := s.db.QueryRowContext(ctx, `SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?`, fts, s.rankCap-1).Scan(&cutoff)
		if err != nil && err != sql.ErrNoRows {
			return nil, err
		}
		query = `SELECT rowid, 0, bm25(articles_fts, 4.0, 1.0) AS score FROM articles_fts WHERE articles_fts MATCH ?`
		qargs = []any{fts}
		if err == nil {
			query += ` AND rowid >= ?`
			qargs = append(qargs, cutoff)
		}
		query += ` ORDER BY score LIMIT ?`
	} else if fts != "" {
		w := append([]string{`articles_fts MATCH ?`}, where...)
		a := append([]any{fts}, args...)
		var cutoff int64
		err := s.db.QueryRowContext(ctx, `SELECT f.rowid FROM articles_fts f JOIN articles a ON a.id = f.rowid
			WHERE `+strings.Join(w, " AND ")+` ORDER BY f.rowid DESC LIMIT 1 OFFSET ?`, append(a, s.rankCap-1)...).Scan(&cutoff)
		if err != nil && err != sql.ErrNoRows {
			return nil, err
		}
		if err == nil {
			w = append(w, `f.rowid >= ?`)
			a = append(a, cutoff)
		}
		query = `SELECT f.rowid, a.group_id, bm25(articles_fts, 4.0, 1.0) AS score
			FROM articles_fts f JOIN articles a ON a.id = f.rowid
			WHERE ` + strings.Join(w, " AND ") + ` ORDER BY score LIMIT ?`
		qargs = a
	} else {
		if len(where) == 0 {
			where = append(where, "1")
		}
		query = `SELECT a.id, a.group_id, 0 FROM articles a WHERE ` + strings.Join(where, " AND ") + `
			ORDER BY a.date DESC, a.id DESC LIMIT ?`
		qargs = args
	}
	// Enough candidates for limit groups: limit·5 + 200 at first (the 200 count the listed groups'
	// near-duplicates), four times as many while near-duplicates fill them, at most rankCap.
	var cands []store.Candidate
	n := limit
	if !q.AllDuplicates {
		n = min(limit*5+s.firstExtra, s.rankCap)
	}
	for {
		rows, err := s.db.QueryContext(ctx, query, append(qargs, n)...)
		if err != nil {
			return nil, err
		}
		cands = cands[:0]
		for rows.Next() {
			var c store.Candidate
			if err := rows.Scan(&c.ID, &c.Group, &c.Score); err != nil {
				rows.Close()
				return nil, err
			}
			cands = append(cands, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if ftsOnly && len(cands) > 0 {
			at := make(map[int64]int, len(cands))
			for i, c := range cands {
				at[c.ID] = i
			}
			if err := s.fillGroups(ctx, cands2ids(cands, func(c store.Candidate) int64 { return c.ID }), func(id, group int64) {
				cands[at[id]].Group = group
			}); err != nil {
				return nil, err
			}
		}
		if q.AllDuplicates || len(cands) < n || n >= s.rankCap || store.FoldGroups(cands, limit) {
			break
		}
		n = min(n*4, s.rankCap)
	}
	// Fold near-duplicates: a group is listed once, at its best candidate.
	hits := store.Fold(cands, limit, q.AllDuplicates)
	if len(hits) == 0 {
		return nil, nil
	}
	// The hits' metadata and snippets.
	ids := make([]any, len(hits))
	at := map[int64]int{}
	for i, h := range hits {
		ids[i] = h.ID
		at[h.ID] = i
	}
	ph := placeholders(len(ids))
	var rows *sql.Rows
	var err error
	if fts != "" {
		rows, err = s.db.QueryContext(ctx, `SELECT a.id, a.title, a.url, a.publisher, a.date, a.source, snippet(articles_fts, 1, char(2), char(3), '…', 16)
			FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
			WHERE articles_fts MATCH ? AND articles_fts.rowid IN (`+ph+`)`, append([]any{fts}, ids...)...)
	} else {
		rows, err = s.db.QueryContext(ctx, `SELECT a.id, a.title, a.url, a.publisher, a.date, a.source, substr(a.text, 1, 160)
			FROM articles a WHERE a.id IN (`+ph+`)`, ids...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var h store.Hit
		if err := rows.Scan(&h.ID, &h.Title, &h.URL, &h.Publisher, &h.Date, &h.Source, &h.Snippet); err != nil {
			return nil, err
		}
		x := &hits[at[h.ID]]
		x.Title, x.URL, x.Publisher, x.Date, x.Source = h.Title, h.URL, h.Publisher, h.Date, h.Source
		x.Snippet = strings.Join(strings.Fields(h.Snippet), " ")
	}
	return hits, rows.Err()
}

// Quotes implements store.Store.
func (s *Store) Quotes(ctx context.Context, q store.QuoteQuery) ([]store.QuoteHit, error) {
	return store.Bounded(ctx, q, s.quotes)
}

func (s *Store) quotes(ctx context.Context, q store.QuoteQuery) ([]store.QuoteHit, error) {
	// The articles come from the speaker words' index; each quotation's own speaker is checked below.
	where := []string{"1"}
	var args []any
	where, args = filters.Where(where, args, store.SpeakerFilter{Name: q.Speaker, Prefix: q.Prefix, Guesses: q.Guesses}, "", "", q.Publisher, q.From, q.To)
	// Newest first, read as a stream (store.QuoteList).
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.group_id, a.title, a.date, a.publisher, a.url, q.text, q.speaker_name, q.attribution,
			coalesce(t.speaker_kind, ''), coalesce(t.outlet, ''), coalesce(t.chain, '[]'), q.speaker_guess, q.confidence, coalesce(t.resolved, '')
		FROM quotes q JOIN articles a ON a.id = q.article
		LEFT JOIN attributions t ON t.article = q.article AND t.aid = q.attribution
		WHERE `+strings.Join(where, " AND ")+` ORDER BY a.date DESC, a.id, q.rowid`, args...)
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
		where = append(where, `EXISTS (SELECT 1 FROM json_each(t.chain) WHERE value = ? COLLATE NOCASE)`)
		args = append(args, q.Cited)
	}
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, `SELECT t.chain, count(*), count(DISTINCT t.article)
		FROM attributions t JOIN articles a ON a.id = t.article
		WHERE `+strings.Join(where, " AND ")+`
		GROUP BY t.chain ORDER BY 2 DESC, 3 DESC, 1 LIMIT ?`, args...)
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
		where = append(where, `t.cited = ? COLLATE NOCASE`)
		args = append(args, q.Cited)
	}
	args = append(args, limit)
	// A story a publisher ran twice (near-duplicates: one group) counts once, with the attributions
	// of its copy that has the most.
	// With filters on the articles they apply at the innermost level, where the articles' indexes
	// serve them; without, the attributions are counted by article first (the cheaper plan).
	// The outlet each attribution cites: its speaker when that is an outlet, else the outlet it
	// comes through.
	const cited = `SELECT article, CASE WHEN speaker_kind = 'outlet' AND speaker_name <> '' THEN speaker_name ELSE outlet END AS cited
		FROM attributions WHERE speaker_kind = 'outlet' OR outlet_via IN ('self', 'chain')`
	inner := `SELECT a.id AS article, a.publisher AS publisher, a.group_id AS grp, t.cited AS cited, count(*) AS n
			FROM (` + cited + `) t
			JOIN articles a ON a.id = t.article
			WHERE ` + strings.Join(where, " AND ") + `
			GROUP BY a.id, t.cited COLLATE NOCASE`
	if q.Publisher == "" && q.From == "" && q.To == "" && q.Cited == "" {
		inner = `SELECT t.article AS article, a.publisher AS publisher, a.group_id AS grp, t.cited AS cited, t.n AS n
			FROM (SELECT article, cited, count(*) AS n FROM (` + cited + `) GROUP BY article, cited COLLATE NOCASE) t
			JOIN articles a ON a.id = t.article
			WHERE ` + strings.Join(where, " AND ")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT publisher, cited, count(*), sum(n) FROM (
			SELECT min(publisher) AS publisher, min(cited) AS cited, max(n) AS n FROM (`+inner+`)
			GROUP BY publisher COLLATE NOCASE, cited COLLATE NOCASE, grp)
		GROUP BY publisher COLLATE NOCASE, cited COLLATE NOCASE
		ORDER BY 3 DESC, 4 DESC, 1, 2 LIMIT ?`, args...)
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
	var fetched string
	err := s.db.QueryRowContext(ctx, `SELECT etag, last_modified, status, fetched FROM fetches WHERE url = ?`, u).Scan(&v.ETag, &v.LastModified, &v.Status, &fetched)
	if err == sql.ErrNoRows {
		return v, false, nil
	}
	if err != nil {
		return v, false, err
	}
	v.Fetched, _ = time.Parse(time.RFC3339Nano, fetched)
	return v, true, nil
}

// SetValidators implements store.Store.
func (s *Store) SetValidators(ctx context.Context, u string, v store.Validators) error {
	if v.Fetched.IsZero() {
		v.Fetched = time.Now().UTC()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, `INSERT INTO fetches (url, etag, last_modified, status, fetched) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, status = excluded.status, fetched = excluded.fetched`,
		u, v.ETag, v.LastModified, v.Status, v.Fetched.Format(time.RFC3339Nano))
	return err
}

// Stats implements store.Store.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	var st store.Stats
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM articles), (SELECT count(DISTINCT group_id) FROM articles),
		(SELECT count(*) FROM entities), (SELECT count(*) FROM attributions), (SELECT count(*) FROM quotes), (SELECT count(*) FROM timexes)`).
		Scan(&st.Articles, &st.Groups, &st.Entities, &st.Attributions, &st.Quotes, &st.Timexes)
	if err != nil {
		return st, err
	}
	var pages, size int64
	if err := s.db.QueryRowContext(ctx, `SELECT page_count, page_size FROM pragma_page_count(), pragma_page_size()`).Scan(&pages, &size); err == nil {
		st.Bytes = pages * size
	}
	if fi, err := os.Stat(s.path + "-wal"); err == nil {
		st.Bytes += fi.Size()
	}
	return st, nil
}
