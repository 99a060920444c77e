package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/store"
	"github.com/newsgraph/newsgraph/store/storetest"
)

func server(t testing.TB) string { return testutil.Service(t, "NEWSGRAPH_PG") }

var schemas sync.Map // dir -> schema URL

// inSchema is dsn in a schema of the test's own for dir (the same for the same dir: a store
// reopened), dropped when the test ends.
func inSchema(t *testing.T, dsn, dir string) string {
	if u, ok := schemas.Load(dir); ok {
		return u.(string)
	}
	u := testutil.PGSchema(t, dsn, "t_", dir)
	schemas.Store(dir, u)
	t.Cleanup(func() { schemas.Delete(dir) })
	return u
}

func TestConformance(t *testing.T) {
	dsn := server(t)
	storetest.Run(t, func(t *testing.T, dir string) (store.Store, error) {
		return Open(context.Background(), inSchema(t, dsn, dir))
	})
}

func TestOpenRefuses(t *testing.T) {
	dsn := server(t)
	for _, bad := range []string{"/tmp/x.db", "mysql://localhost/x"} {
		if _, err := Open(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "not a postgres:// URL") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", "x; DROP TABLE y")
	u.RawQuery = q.Encode()
	if _, err := Open(context.Background(), u.String()); err == nil || !strings.Contains(err.Error(), "schema name") {
		t.Errorf("a hostile search_path: %v", err)
	}
	u.User = url.UserPassword("newsgraph", "s3cret")
	u.Host = "127.0.0.1:1"
	u.RawQuery = ""
	if _, err := Open(context.Background(), u.String()); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("an unreachable server: %v", err)
	}
}

func TestUnfold(t *testing.T) {
	orig := "Ｏｉｌ ｐｒｉｃｅｓ fell"
	folded := store.FoldWidth(orig)
	if got := unfold(orig, folded, "\x02Oil\x03 prices fell"); got != "\x02Ｏｉｌ\x03 ｐｒｉｃｅｓ fell" {
		t.Errorf("%q", got)
	}
}

// TestMigrateFromV1: a store of layout version 1 (the full-text index in the articles table) is
// brought to version 2 when opened, its articles found as before.
func TestMigrateFromV1(t *testing.T) {
	dsn := inSchema(t, server(t), t.Name())
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, _ := url.Parse(dsn)
	schema := u.Query().Get("search_path")
	for _, q := range []string{
		`CREATE SCHEMA ` + schema,
		`CREATE TABLE newsgraph_schema (version INTEGER NOT NULL, migrated TIMESTAMPTZ NOT NULL DEFAULT now())`,
		migrations[0],
		`INSERT INTO newsgraph_schema (version) VALUES (1)`,
		`INSERT INTO articles (id, url, title, date, publisher, group_id, ingested, text_hash, minhash, text, tsv)
			VALUES (7, 'https://a.example/7', 'Talks in Murree', '2015-07-16', 'Newsmax', 7, now(), '\x01', '\x00', 'The talks ended.',
				setweight(to_tsvector('newsgraph', 'Talks in Murree'), 'A') || setweight(to_tsvector('newsgraph', 'The talks ended.'), 'B'))`,
		`SELECT setval('articles_id_seq', 7)`,
		`INSERT INTO entities (article, cluster, label, name, mentions) VALUES (7, 'e1', 'LOC', 'Murree', 1)`,
	} {
		if _, err := db.Exec(`SET search_path = ` + schema + `; ` + q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v int
	if err := db.QueryRow(`SELECT max(version) FROM ` + schema + `.newsgraph_schema`).Scan(&v); err != nil || v != LayoutVersion {
		t.Fatalf("layout version %d (%v), want %d", v, err, LayoutVersion)
	}
	ctx := context.Background()
	for _, q := range []store.Query{{Text: "murree"}, {Text: "talks", Publisher: "newsmax", From: "2015"}, {Entity: "Murree"}} {
		hits, err := s.Search(ctx, q)
		if err != nil || len(hits) != 1 || hits[0].ID != 7 {
			t.Errorf("%+v after the migration: %+v %v", q, hits, err)
		}
	}
	// A new article goes in after the old one, and is found.
	r, err := s.Put(ctx, &store.Article{URL: "https://a.example/8", Text: "Murree again: the talks resume."})
	if err != nil || r.ID != 8 {
		t.Fatalf("put after the migration: %+v %v", r, err)
	}
	if hits, err := s.Search(ctx, store.Query{Text: "murree"}); err != nil || len(hits) != 2 {
		t.Errorf("both: %+v %v", hits, err)
	}
}

// TestSearchWindows: articles whose ids lie in partitions far apart are all found, newest first
// when ranked alike, and a query that ranks fewer than its matches ranks the newest.
func TestSearchWindows(t *testing.T) {
	dsn := inSchema(t, server(t), t.Name())
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	var want []int64
	for i, next := range []int64{1, 3*SearchPartition + 17, 3*SearchPartition + 20, 9*SearchPartition - 1} {
		if _, err := s.db.ExecContext(ctx, `SELECT setval('articles_id_seq', $1, false)`, next); err != nil {
			t.Fatal(err)
		}
		// The second and the last put draw an id beyond the partitions this store has made: it
		// makes them and puts again, with the next id.
		a := &store.Article{Text: fmt.Sprintf("Story %d: a zebra crossing in Murree number %d.", i, i*31)}
		if i != 2 {
			a.Attributions = []store.Attribution{{ID: "a1", Kind: "direct", SpeakerName: "Mullah Omar", SpeakerKind: "person", Cue: "said", Content: "zebra"}}
		}
		r, err := s.Put(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if r.ID != next && r.ID != next+1 {
			t.Fatalf("id %d, want %d", r.ID, next)
		}
		want = append([]int64{r.ID}, want...)
	}
	hits, err := s.Search(ctx, store.Query{Text: "zebra", AllDuplicates: true})
	if err != nil {
		t.Fatal(err)
	}
	got := make([]int64, len(hits))
	for i, h := range hits {
		got[i] = h.ID
	}
	sort.Slice(got, func(i, j int) bool { return got[i] > got[j] })
	if !reflect.DeepEqual(got, want) {
		t.Errorf("found %v, want %v", got, want)
	}
	// A filter's small set, read first, windows a partition each.
	hits, err = s.Search(ctx, store.Query{Text: "zebra", Speaker: "Omar", AllDuplicates: true})
	if err != nil || len(hits) != 3 {
		t.Errorf("with a speaker: %+v %v, want the 3 that quote him", hits, err)
	}
	for _, h := range hits {
		if h.ID == want[1] {
			t.Errorf("with a speaker: %d, which quotes nobody", h.ID)
		}
	}
	// Sixty partitions on, the loop over windows neither overflows nor stops early; a filter no
	// article passes finds nothing.
	if _, err := s.db.ExecContext(ctx, `SELECT setval('articles_id_seq', $1, false)`, 60*SearchPartition); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, &store.Article{Text: "A zebra far later, quoting nobody."}); err != nil {
		t.Fatal(err)
	}
	hits, err = s.Search(ctx, store.Query{Text: "zebra", Speaker: "Omar", AllDuplicates: true})
	if err != nil || len(hits) != 3 {
		t.Errorf("with a speaker, 60 partitions on: %d hits, %v; want 3", len(hits), err)
	}
	hits, err = s.Search(ctx, store.Query{Text: "zebra", Speaker: "Nobody"})
	if err != nil || len(hits) != 0 {
		t.Errorf("with a speaker nobody is: %+v %v", hits, err)
	}
	want = append([]int64{0}, want...) // the newest, id unknown
	s.rankCap = 2
	hits, err = s.Search(ctx, store.Query{Text: "zebra", AllDuplicates: true})
	if err != nil || len(hits) != 2 || (hits[0].ID != want[1] && hits[1].ID != want[1]) || max(hits[0].ID, hits[1].ID) < 60*SearchPartition {
		t.Errorf("ranking the newest 2: %+v %v, want the newest and %d", hits, err, want[1])
	}
}
