package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/source"
)

// runExtract prints the article text of HTML pages (or, with --json, the text and its metadata).
func runExtract(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	asJSON := fs.Bool("json", false, "print one JSON object a page: text, title, author, date, publisher, url")
	pageURL := fs.String("url", "", "the URL the pages came from, printed with --json when a page names no canonical URL")
	maxBytes := fs.Int64("max-size", source.DefaultMaxBytes, "refuse pages larger than this many bytes (after decompression)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph extract [--json] [--url URL] FILE.html[.gz]|FILE.warc[.gz]|- ...\n\nPrint the article an HTML page holds, without navigation, links, comments or captions. A web\narchive gives one article for each of its pages; several articles are printed each under a\n\"==> NAME <==\" line naming its input (with --json, each object names it).\n\nFlags:")
		fs.PrintDefaults()
	}
	paths, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		fs.Usage()
		return exitUsage
	}
	status := exitOK
	n := 0
	// Several articles (several inputs, a directory, a web archive's pages) are printed each
	// under a heading that names it.
	headed := len(paths) > 1
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() || source.Several(p) {
			headed = true
		}
	}
	err := source.Read(ctx, paths, source.Options{MaxBytes: *maxBytes, Format: "html", Stdin: e.stdin}, func(it source.Item) error {
		for _, w := range it.Warnings {
			fmt.Fprintf(e.stderr, "newsgraph extract: warning: %s\n", w)
		}
		if it.Notice() {
			return nil
		}
		if it.Err != nil {
			fmt.Fprintf(e.stderr, "newsgraph extract: %v\n", it.Err)
			status = exitFail
			return nil
		}
		m := it.Meta
		if m.URL == "" {
			m.URL = *pageURL
		}
		n++
		if *asJSON {
			b, _ := json.Marshal(struct {
				Input     newsgraph.Input `json:"input"`
				URL       string          `json:"url,omitempty"`
				Title     string          `json:"title,omitempty"`
				Author    string          `json:"author,omitempty"`
				Date      string          `json:"date,omitempty"`
				Publisher string          `json:"publisher,omitempty"`
				Text      string          `json:"text"`
			}{m.Input, m.URL, m.Title, m.Byline, m.Date, m.Publisher, it.Text})
			fmt.Fprintf(e.stdout, "%s\n", b)
			return nil
		}
		if n > 1 {
			fmt.Fprintln(e.stdout)
		}
		if headed {
			// As head(1) does: each article under its input's name (a web archive's record and URL).
			name := m.Input.String()
			if m.URL != "" {
				name += " " + m.URL
			}
			fmt.Fprintf(e.stdout, "==> %s <==\n", name)
		}
		fmt.Fprintln(e.stdout, it.Text)
		return nil
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph extract: %v\n", err)
		return exitFail
	}
	return status
}
