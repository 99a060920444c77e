package postgres

import (
	"context"
	"net/url"
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
