package testutil

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
)

// Service is the address of a server the tests need, from the environment variable name
// (NEWSGRAPH_PG, NEWSGRAPH_NATS: `eval "$(scripts/services start)"` sets both). Without it the
// test skips, except under CI, whose .ci/run starts the servers: there it fails.
func Service(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: .ci/run starts PostgreSQL and NATS with scripts/services", name)
		}
		t.Skipf("%s is not set: eval \"$(scripts/services start)\" starts PostgreSQL and NATS", name)
	}
	return v
}

// PGSchema is the PostgreSQL URL dsn with a search_path of a schema of its own, named by key
// (prefix and a hash), dropped when the test ends. The pgx driver must be registered (the
// postgres store's import does it).
func PGSchema(t testing.TB, dsn, prefix, key string) string {
	t.Helper()
	h := sha256.Sum256([]byte(key))
	schema := prefix + hex.EncodeToString(h[:8])
	drop := func() {
		if db, err := sql.Open("pgx", dsn); err == nil {
			db.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`)
			db.Close()
		}
	}
	drop() // what a test killed before its cleanup left
	t.Cleanup(drop)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
