package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/format"
	"github.com/newsgraph/newsgraph/store"
)

// runShow prints stored articles: their analysis JSON as stored, or the terminal view.
func runShow(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := dbFlag(fs)
	form := fs.String("format", "json", "json (the analysis as stored: the newsgraph/v1 schema, one object a line) or text (the terminal view, from the stored text analysed again)")
	color := fs.String("color", "auto", "colours in the text view: auto, always, never")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph show [--format json|text] ID ...\n\nPrint stored articles by the IDs search, quotes and ingest -v give.\n\nFlags:")
		fs.PrintDefaults()
	}
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) == 0 || *form != "json" && *form != "text" {
		fs.Usage()
		return exitUsage
	}
	var ids []int64
	for _, a := range rest {
		id, err := strconv.ParseInt(a, 10, 64)
		if len(a) > 1 && a[0] == '#' {
			id, err = strconv.ParseInt(a[1:], 10, 64)
		}
		if err != nil || id <= 0 {
			fmt.Fprintf(e.stderr, "newsgraph show: %q is not an article ID\n", a)
			return exitUsage
		}
		ids = append(ids, id)
	}
	st, ok := openStore(e, "show", *db)
	if !ok {
		return exitFail
	}
	defer st.Close()
	var pipe *newsgraph.Pipeline
	if *form == "text" {
		var err error
		if pipe, err = engine.New(); err != nil {
			fmt.Fprintf(e.stderr, "newsgraph show: %v\n", err)
			return exitFail
		}
	}
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	useColor := *color == "always" || *color == "auto" && isTerminal(e.stdout) && os.Getenv("NO_COLOR") == ""
	status := exitOK
	for i, id := range ids {
		a, err := st.Get(ctx, id)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				err = fmt.Errorf("no article #%d in %s", id, *db)
			}
			out.Flush()
			fmt.Fprintf(e.stderr, "newsgraph show: %v\n", err)
			status = exitFail
			continue
		}
		if *form == "json" {
			out.Write(bytes.TrimSpace(a.Analysis))
			out.WriteByte('\n')
			continue
		}
		// The view needs the document: the stored text and metadata, analysed again (the pipeline
		// is deterministic, so this is the analysis stored, unless the program changed since).
		var stored struct {
			Meta format.Meta `json:"meta"`
		}
		if err := json.Unmarshal(a.Analysis, &stored); err != nil {
			stored.Meta.Meta = newsgraph.Meta{Title: a.Title, Publisher: a.Publisher, Date: a.Date, URL: a.URL, Byline: a.Byline}
		}
		m := stored.Meta.Meta
		m.Dateline = nil
		d := newsgraph.NewDoc(a.Text, m)
		if err := pipe.Process(ctx, d); err != nil {
			fmt.Fprintf(e.stderr, "newsgraph show: #%d: %v\n", id, err)
			status = exitFail
			continue
		}
		if i > 0 {
			out.WriteByte('\n')
		}
		fmt.Fprintf(out, "#%d  %s\n", id, a.URL)
		if err := format.WriteText(out, d, format.TextOptions{Color: useColor, Width: termWidth(e.stdout)}); err != nil {
			return exitFail
		}
	}
	return status
}
