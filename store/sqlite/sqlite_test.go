package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/store"
	"github.com/newsgraph/newsgraph/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dir string) (store.Store, error) {
		return Open(filepath.Join(dir, "newsgraph.db"))
	})
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("a directory: %v", err)
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("this is not a database, just some text that is long enough to be a page"), 0o644)
	if _, err := Open(junk); err == nil || !strings.Contains(err.Error(), "junk.db") {
		t.Errorf("a text file: %v", err)
	}
	// Another program's SQLite file is refused, not written into.
	other := filepath.Join(dir, "other.db")
	s, err := Open(other)
	if err != nil {
		t.Fatal(err)
	}
	s.db.Exec(`PRAGMA user_version = 0`)
	s.db.Exec(`CREATE TABLE theirs (x)`)
	s.Close()
	if _, err := Open(other); err == nil || !strings.Contains(err.Error(), "another program") {
		t.Errorf("another program's database: %v", err)
	}
}

// TestMigrateV1: a store of layout version 1 (before speakers' confidence and guesses) is brought
// to the current layout when opened, keeping what it holds, and takes new articles.
func TestMigrateV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	schema, err := os.ReadFile("testdata/schema-v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{string(schema), `PRAGMA user_version = 1`,
		`INSERT INTO articles (id, url, title, group_id, ingested, text_hash, minhash, text) VALUES (1, 'https://x.example/1', 'Old', 1, '2026-01-01', x'01', x'', 'Mullah Omar said "we will talk".')`,
		`INSERT INTO attributions (article, aid, kind, speaker_name, speaker_kind) VALUES (1, 'a1', 'direct', 'Mullah Omar', 'person')`,
		`INSERT INTO speaker_words (word, article) VALUES ('mullah', 1), ('omar', 1)`,
		`INSERT INTO quotes (article, qid, text, attribution, speaker_name) VALUES (1, 'q1', '"we will talk"', 'a1', 'Mullah Omar')`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%.40s: %v", stmt, err)
		}
	}
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v int
	s.db.QueryRow(`PRAGMA user_version`).Scan(&v)
	if v != schemaVersion {
		t.Errorf("user_version %d after opening, want %d", v, schemaVersion)
	}
	q, err := s.Quotes(t.Context(), store.QuoteQuery{Speaker: "Omar"})
	if err != nil || len(q) != 1 || q[0].Confidence != store.NoConfidence || q[0].Guess {
		t.Fatalf("the old quotation: %+v, %v", q, err)
	}
	a := &store.Article{URL: "https://x.example/2", Text: "A new story: Ashraf Ghani spoke.",
		Attributions: []store.Attribution{{ID: "a1", Kind: "indirect", SpeakerGuess: "Ashraf Ghani", Confidence: 0.3}}}
	if err := store.Prepare(a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search(t.Context(), store.Query{Speaker: "ghani", Guesses: true})
	if err != nil || len(hits) != 1 {
		t.Errorf("the new article's guess: %v, %v", hits, err)
	}
}

// TestRankCap: a query matching more articles than the cap ranks the most recently stored.
func TestRankCap(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.rankCap = 3
	ctx := t.Context()
	// Article 1 matches best (the word five times), but it is the oldest of five.
	for i := 1; i <= 5; i++ {
		text := fmt.Sprintf("Story %d about subject%d in another place. Kandahar was mentioned.", i, i)
		if i == 1 {
			text = "Kandahar Kandahar Kandahar Kandahar Kandahar."
		}
		if _, err := s.Put(ctx, &store.Article{Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	hits, err := s.Search(ctx, store.Query{Text: "Kandahar"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	if len(ids) != 3 || ids[0] < 3 {
		t.Errorf("hits %v, want the three newest (3, 4, 5)", ids)
	}
	s.rankCap = 10
	hits, _ = s.Search(ctx, store.Query{Text: "Kandahar"})
	if len(hits) != 5 || hits[0].ID != 1 {
		t.Errorf("without the cap: %+v, want 5 with #1 first", hits)
	}
}

// TestSearchGrowsCandidates: when near-duplicates fill the first candidates, more are read until
// the limit's groups are found.
func TestSearchGrowsCandidates(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.firstExtra = 0
	ctx := t.Context()
	wire := strings.Repeat("Kandahar talks resumed on Wednesday between the envoys of both sides, officials said. ", 4)
	for i := 0; i < 30; i++ { // one group, ranked first (the word twice)
		if _, err := s.Put(ctx, &store.Article{Text: fmt.Sprintf("Kandahar Kandahar. %s Copy %d.", wire, i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Put(ctx, &store.Article{Text: "A different story: the governor of Kandahar opened a hospital for the province's children."}); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search(ctx, store.Query{Text: "Kandahar", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 || hits[0].Duplicates != 29 || hits[1].ID != 31 {
		t.Errorf("hits %+v, want the copies' group (29 duplicates) and #31", hits)
	}
}

// TestOpenOddNames: a store's file is the one named, whatever characters its name holds that a URI
// gives a meaning ("odd#name.db" used to write "odd", without its write-ahead log).
func TestOpenOddNames(t *testing.T) {
	for _, name := range []string{"odd#name.db", "what?.db", "100%.db", "a%23b.db", "sp ace&x=1.db", "ünï cødé.db"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			s, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			var mode string
			if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
				t.Errorf("journal mode %q, %v", mode, err)
			}
			if _, err := s.db.Exec(`PRAGMA user_version`); err != nil {
				t.Fatal(err)
			}
			var file string
			if err := s.db.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&file); err != nil || file != path {
				t.Errorf("the database file is %q (%v), want %q", file, err, path)
			}
			s.Close()
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if len(names) != 1 || names[0] != name {
				t.Errorf("files in the folder: %q, want only %q", names, name)
			}
			// Opened again, it is the same store.
			s, err = Open(path)
			if err != nil {
				t.Fatalf("reopening: %v", err)
			}
			s.Close()
		})
	}
}

// FuzzSearch: any query text and filters give hits or a bad query (store.ErrBadQuery), never an
// SQL error, a panic or a query of unbounded work.
func FuzzSearch(f *testing.F) {
	for _, q := range []string{"talks", `"peace talks" -Pakistan`, "BBC OR CNN talks", `AND NOT ( ) * : ^ "unclosed`, "ｏｉｌ", "-a -b -c",
		"OR OR OR", `"" "" -""`, "U.S. al-Qaeda", "x" + strings.Repeat(" -y", 300), strings.Repeat("a OR ", 1100) + "b", "NEAR(a b)", "a:b {c} [d]"} {
		f.Add(q, "omar", "2015", "")
	}
	f.Add("talks", "", "16/07/2015", "2015-13-45")
	f.Add("", "Mullah Omar", "", "2016")
	s, err := Open(filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	for i, text := range []string{"Mullah Omar backs the peace talks, the BBC reported.", "Oil prices fell; ｏｉｌ traders said."} {
		a := &store.Article{URL: fmt.Sprintf("https://x.example/%d", i), Title: "T", Date: "2015-07-16", Text: text,
			Attributions: []store.Attribution{{ID: "a1", SpeakerName: "Mullah Omar", SpeakerKind: "person"}}}
		if _, err := s.Put(context.Background(), a); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, text, speaker, from, to string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := s.Search(ctx, store.Query{Text: text, Speaker: speaker, From: from, To: to})
		if err != nil && !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("Search(%q, speaker %q, %q..%q): %v", text, speaker, from, to, err)
		}
		if _, err := store.FTSQuery(text); err == nil {
			if _, err := s.Search(ctx, store.Query{Text: text}); err != nil {
				t.Errorf("Search(%q): %v, though its FTS query is good", text, err)
			}
		}
	})
}

// TestFoldWidthOldIndex: an article indexed before the index width-folded (its "ｏｉｌ" as written)
// is still found by the word as written, which the query also searches for.
func TestFoldWidthOldIndex(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	a := &store.Article{URL: "https://x.example/1", Title: "Ｏｉｌ", Text: "Ｏｉｌ ｐｒｉｃｅｓ fell sharply in Tokyo trading on Thursday, dealers said."}
	r, err := s.Put(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	// Index it as the store did before: the text as written.
	for _, q := range []string{
		`INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)`,
		`INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)`,
	} {
		title, text := store.FoldWidth(a.Title), store.FoldWidth(a.Text)
		if !strings.Contains(q, "delete") {
			title, text = a.Title, a.Text
		}
		if _, err := s.db.Exec(q, r.ID, title, text); err != nil {
			t.Fatal(err)
		}
	}
	hits, err := s.Search(ctx, store.Query{Text: "ｏｉｌ ｐｒｉｃｅｓ"})
	if err != nil || len(hits) != 1 {
		t.Errorf("the wide words as written: %d hits, %v", len(hits), err)
	}
}

// TestQueryInterrupted: a statement still running at its context's deadline is interrupted (the
// driver calls sqlite3_interrupt), and store.QueryErr says so: the mechanism every query's
// deadline rests on.
func TestQueryInterrupted(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	var n int64
	// Counting to 10^12 takes hours.
	err = s.db.QueryRowContext(ctx, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000000) SELECT count(*) FROM c`).Scan(&n)
	if took := time.Since(start); err == nil || took > 20*time.Second {
		t.Fatalf("not interrupted: %v after %v", err, took)
	}
	if err := store.QueryErr(ctx, err); !errors.Is(err, store.ErrQueryTimeout) {
		t.Errorf("QueryErr: %v", err)
	}
}
