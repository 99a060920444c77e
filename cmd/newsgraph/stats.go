package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
)

// statsJSON is `stats --json`.
type statsJSON struct {
	Articles       int   `json:"articles"`
	Stories        int   `json:"stories"`         // near-duplicate groups (an article that copies none is one)
	NearDuplicates int   `json:"near_duplicates"` // articles grouped under an earlier one
	Entities       int   `json:"entities"`
	Attributions   int   `json:"attributions"`
	Quotes         int   `json:"quotes"`
	Timexes        int   `json:"timexes"`
	Bytes          int64 `json:"bytes"`
}

func runStats(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print a JSON object")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph stats [--db FILE] [--json]\n\nWhat the store holds: articles, stories (near-duplicate groups), entities, attributions,\nquotations, temporal expressions, and its size on disk.\n\nFlags:")
		fs.PrintDefaults()
	}
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fs.Usage()
		return exitUsage
	}
	st, ok := openStore(e, "stats", *db)
	if !ok {
		return exitFail
	}
	defer st.Close()
	s, err := st.Stats(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph stats: %v\n", err)
		return exitFail
	}
	out := statsJSON{Articles: s.Articles, Stories: s.Groups, NearDuplicates: s.Articles - s.Groups, Entities: s.Entities,
		Attributions: s.Attributions, Quotes: s.Quotes, Timexes: s.Timexes, Bytes: s.Bytes}
	if *asJSON {
		b, _ := json.Marshal(out)
		fmt.Fprintf(e.stdout, "%s\n", b)
		return exitOK
	}
	per := func(n int) string {
		if s.Articles == 0 {
			return ""
		}
		return fmt.Sprintf("%.1f an article", float64(n)/float64(s.Articles))
	}
	size := ""
	if s.Articles > 0 {
		size = fmt.Sprintf("%.1f KB an article", float64(out.Bytes)/1e3/float64(s.Articles))
	}
	for _, r := range []struct{ name, value, note string }{
		{"articles", fmt.Sprint(out.Articles), ""},
		{"stories", fmt.Sprint(out.Stories), fmt.Sprintf("%d near-duplicates grouped", out.NearDuplicates)},
		{"entities", fmt.Sprint(out.Entities), per(out.Entities)},
		{"attributions", fmt.Sprint(out.Attributions), per(out.Attributions)},
		{"quotations", fmt.Sprint(out.Quotes), per(out.Quotes)},
		{"temporal expressions", fmt.Sprint(out.Timexes), per(out.Timexes)},
		{"size", fmt.Sprintf("%.1f MB", float64(out.Bytes)/1e6), size},
	} {
		fmt.Fprintf(e.stdout, "%-21s %10s  %s\n", r.name, r.value, r.note)
	}
	return exitOK
}
