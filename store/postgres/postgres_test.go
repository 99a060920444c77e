package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/newsgraph/newsgraph/store"
	"github.com/newsgraph/newsgraph/store/storetest"
)

// server is the PostgreSQL server of the tests: NEWSGRAPH_PG (scripts/services start prints it).
// Without it the tests skip, except under CI, which starts one.
func server(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("NEWSGRAPH_PG")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("NEWSGRAPH_PG is not set: .ci/run starts PostgreSQL with scripts/services")
		}
		t.Skip("no PostgreSQL: eval \"$(scripts/services start)\" starts one")
	}
	return dsn
}

var schemas sync.Map // dir -> schema

// inSchema is dsn with a search_path of a schema of the test's own, named by key, dropped when
// the test ends.
func inSchema(t *testing.T, dsn, key string) string {
	h := sha256.Sum256([]byte(key))
	schema := "t_" + hex.EncodeToString(h[:8])
	if _, loaded := schemas.LoadOrStore(key, schema); !loaded {
		t.Cleanup(func() {
			db, err := sql.Open("pgx", dsn)
			if err == nil {
				db.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`)
				db.Close()
			}
			schemas.Delete(key)
		})
	}
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
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
