package sqlite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
