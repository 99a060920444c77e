package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store"
	"github.com/newsgraph/newsgraph/store/sqlite"
)

func setup(t *testing.T) (*sqlite.Store, *newsgraph.Pipeline) {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := engine.New()
	if err != nil {
		t.Fatal(err)
	}
	return st, p
}

// TestRun: inputs are stored in input order, each reported once, duplicates told apart by where
// the copy is, a bad input is a failure and the rest goes on.
func TestRun(t *testing.T) {
	st, p := setup(t)
	dir := t.TempDir()
	for i := 0; i < 5; i++ {
		text := fmt.Sprintf("Story %d. Mullah Omar said on Wednesday that talks in Murree number %d were legitimate, the BBC reported.", i, i)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("a%d.txt", i)), []byte(text), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "a5.txt"), []byte("Story 0. Mullah Omar said on Wednesday that talks in Murree number 0 were legitimate, the BBC reported."), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.txt"), []byte("\x00\x01binary"), 0o644)
	var events []ingest.Event
	r := ingest.Run(context.Background(), []string{dir}, nil, ingest.Options{Store: st, Pipeline: p, CPUs: 2, OnEvent: func(ev ingest.Event) { events = append(events, ev) }})
	if r.Stored != 5 || r.DupInput != 1 || r.DupStored != 0 || r.Failed != 1 || r.StoreErr != nil || r.ReadErr != nil || r.Interrupted {
		t.Fatalf("result %+v", r)
	}
	// Stored articles come in input order, when their batch is committed; the copy a5 (of a0) is
	// told when it is found (before its analysis, once a0 is stored, or when storing) and the
	// failure when the analysis fails: with two workers either may come before or after their
	// neighbours are stored, but each is told exactly once.
	var order []string
	failed, copies := 0, 0
	for _, ev := range events {
		switch ev.Kind {
		case ingest.Failed:
			failed++
			if filepath.Base(ev.Name) != "bad.txt" || ev.Err == nil {
				t.Errorf("failure event %+v", ev)
			}
		case ingest.Duplicate:
			copies++
			if filepath.Base(ev.Name) != "a5.txt" || !ev.Input {
				t.Errorf("copy event %+v", ev)
			}
		default:
			order = append(order, filepath.Base(ev.Name))
		}
	}
	if want := "a0.txt a1.txt a2.txt a3.txt a4.txt"; strings.Join(order, " ") != want || failed != 1 || copies != 1 {
		t.Errorf("stored %v (%d failures, %d copies), want %s, one failure and one copy", order, failed, copies, want)
	}
	r = ingest.Run(context.Background(), []string{dir}, nil, ingest.Options{Store: st, Pipeline: p, CPUs: 1})
	if r.Stored != 0 || r.DupStored != 6 || r.DupInput != 0 {
		t.Errorf("again: %+v", r)
	}
}

// TestArticle: one article in, as the server stores it.
func TestArticle(t *testing.T) {
	st, p := setup(t)
	it := source.Item{Text: "Mullah Omar said on Wednesday that the talks were legitimate, the BBC reported.", Meta: newsgraph.Meta{Publisher: "Newsmax", Date: "2015-07-16", Input: newsgraph.Input{Path: "api"}}}
	ev := ingest.Article(context.Background(), st, p, nil, it)
	if ev.Kind != ingest.Stored || ev.ID == 0 {
		t.Fatalf("first: %+v", ev)
	}
	if ev2 := ingest.Article(context.Background(), st, p, nil, it); ev2.Kind != ingest.Duplicate || ev2.ID != ev.ID {
		t.Errorf("again: %+v", ev2)
	}
	a, err := st.Get(context.Background(), ev.ID)
	if err != nil || a.Publisher != "Newsmax" || len(a.Attributions) == 0 {
		t.Errorf("stored: %+v %v", a, err)
	}
	if ev3 := ingest.Article(context.Background(), st, p, nil, source.Item{Text: "  ", Meta: newsgraph.Meta{Input: newsgraph.Input{Path: "api"}}}); ev3.Kind != ingest.Failed || ev3.Err == nil {
		t.Errorf("empty text: %+v", ev3)
	}
	_ = store.Stored
}
