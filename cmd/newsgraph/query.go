package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/store"
	"github.com/newsgraph/newsgraph/store/postgres"
	"github.com/newsgraph/newsgraph/store/sqlite"
)

// openStore opens an existing store for a query command: an SQLite file, or a PostgreSQL
// database by its postgres:// URL.
func openStore(e env, cmd, path string) (store.Store, bool) {
	if postgres.IsURL(path) {
		return createStore(e, cmd, path)
	}
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(e.stderr, "newsgraph %s: no store at %s (newsgraph ingest makes one; --db or NEWSGRAPH_DB names another)\n", cmd, path)
		return nil, false
	}
	return createStore(e, cmd, path)
}

// createStore opens a store, making it if it is missing: an SQLite file, or the tables of a
// PostgreSQL database (postgres://…, its schema migrated to this program's layout).
func createStore(e env, cmd, path string) (store.Store, bool) {
	var st store.Store
	var err error
	if postgres.IsURL(path) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		st, err = postgres.Open(ctx, path)
	} else {
		st, err = sqlite.Open(path)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph %s: %v\n", cmd, err)
		return nil, false
	}
	return st, true
}

// emit prints a query's rows: as JSON (an array of toJSON's objects), as CSV (a header of the
// JSON keys, then a row each; lists joined by " ← "), or as a table (the header, then line's
// tab-separated columns for each row), or, when there are none, a note on standard error.
func emit[R, J any](e env, cmd string, outFmt string, rows []R, toJSON func(R) J, none, header string, line func(R) string) int {
	switch outFmt {
	case "json":
		out := make([]J, 0, len(rows))
		for _, r := range rows {
			out = append(out, toJSON(r))
		}
		b, err := json.Marshal(out)
		if err == nil {
			_, err = fmt.Fprintf(e.stdout, "%s\n", b)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph %s: %v\n", cmd, err)
			return exitFail
		}
		return exitOK
	case "csv":
		w := csv.NewWriter(e.stdout)
		var zero J
		w.Write(csvHeader(reflect.TypeOf(zero)))
		for _, r := range rows {
			w.Write(csvRow(reflect.ValueOf(toJSON(r))))
		}
		w.Flush()
		if err := w.Error(); err != nil {
			fmt.Fprintf(e.stderr, "newsgraph %s: %v\n", cmd, err)
			return exitFail
		}
		return exitOK
	}
	if len(rows) == 0 {
		fmt.Fprintf(e.stderr, "newsgraph %s: %s\n", cmd, none)
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, line(r))
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "newsgraph %s: %v\n", cmd, err)
		return exitFail
	}
	return exitOK
}

// clip shortens s to n characters with an ellipsis.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// clipAround shortens a snippet to n characters keeping its first [match] in sight.
func clipAround(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	at := 0
	for i, c := range r {
		if c == '[' {
			at = i
			break
		}
	}
	if start := at - n/3; start > 0 {
		r = append([]rune("…"), r[start:]...)
	}
	return clip(string(r), n)
}

// csvHeader returns the JSON keys of a struct type's fields, in order.
func csvHeader(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" {
			name = strings.ToLower(t.Field(i).Name)
		}
		out = append(out, name)
	}
	return out
}

// csvRow returns a struct's fields as CSV cells: lists joined by " ← ", absent pointers empty.
func csvRow(v reflect.Value) []string {
	var out []string
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.Pointer && f.IsNil():
			out = append(out, "")
		case f.Kind() == reflect.Pointer:
			out = append(out, fmt.Sprint(f.Elem().Interface()))
		case f.Kind() == reflect.Slice:
			var parts []string
			for j := 0; j < f.Len(); j++ {
				parts = append(parts, fmt.Sprint(f.Index(j).Interface()))
			}
			out = append(out, strings.Join(parts, " ← "))
		default:
			out = append(out, fmt.Sprint(f.Interface()))
		}
	}
	return out
}

// formatFlag adds --format (table, json, csv, and extra ones) and --json to a query command; the
// returned function gives the format chosen, or "" with a message when it is unknown.
func formatFlag(fs *flag.FlagSet, extra ...string) func(e env) string {
	choices := append([]string{"table", "json", "csv"}, extra...)
	f := fs.String("format", "table", "output: "+strings.Join(choices, ", "))
	asJSON := fs.Bool("json", false, "the same as --format json")
	return func(e env) string {
		if *asJSON {
			return "json"
		}
		for _, c := range choices {
			if *f == c {
				return c
			}
		}
		fmt.Fprintf(e.stderr, "newsgraph %s: unknown --format %q (%s)\n", fs.Name(), *f, strings.Join(choices, ", "))
		return ""
	}
}

// cutNote returns the first limit rows of a query asked for limit+1, saying on standard error when
// there were more.
func cutNote[R any](e env, cmd string, rows []R, limit int) []R {
	if len(rows) > limit {
		fmt.Fprintf(e.stderr, "newsgraph %s: the first %d shown; there are more (--limit N shows more)\n", cmd, limit)
		return rows[:limit]
	}
	return rows
}

// inferred reports whether a speaker was read from the context rather than named in its source.
func inferred(resolved string) bool {
	switch resolved {
	case "pronoun", "description", "document", "relative", "context":
		return true
	}
	return false
}

// timeoutFlag adds --timeout to a query command's flags.
func timeoutFlag(fs *flag.FlagSet) *time.Duration {
	return fs.Duration("timeout", store.DefaultQueryTimeout, "stop the query after this long (more than 0)")
}

// checkTimeout refuses a --timeout of 0 or less.
func checkTimeout(e env, cmd string, d time.Duration) bool {
	if d <= 0 {
		fmt.Fprintf(e.stderr, "newsgraph %s: --timeout %v: give a duration of more than 0 (30s, 2m)\n", cmd, d)
		return false
	}
	return true
}

// queryFailed reports a query's error: a bad query (too many words, a bad date) is a usage error.
func queryFailed(e env, cmd string, err error) int {
	fmt.Fprintf(e.stderr, "newsgraph %s: %v\n", cmd, err)
	if errors.Is(err, store.ErrBadQuery) {
		return exitUsage
	}
	return exitFail
}

// checkRange checks --from and --to (ISO 8601 dates or their starts), saying what is wrong.
func checkRange(e env, cmd string, from, to *string) bool {
	for _, f := range []struct {
		name string
		v    *string
	}{{"--from", from}, {"--to", to}} {
		if *f.v == "" {
			continue
		}
		d, err := newsgraph.DatePrefix(*f.v)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph %s: %s %v\n", cmd, f.name, err)
			return false
		}
		*f.v = d
	}
	return true
}

func runSearch(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := dbFlag(fs)
	var q store.Query
	fs.StringVar(&q.Speaker, "speaker", "", "only articles with a speaker (of an attribution or a quotation) whose name has these words, any case (omar: Mullah Omar)")
	fs.BoolVar(&q.SpeakerPrefix, "prefix", false, "with --speaker: words of the name that start with the words given (gh: Ashraf Ghani; Brown: Browne too)")
	fs.BoolVar(&q.Guesses, "guesses", false, "with --speaker: count speakers the analysis only guessed, below its confidence threshold")
	fs.StringVar(&q.Outlet, "outlet", "", "only articles that cite this news outlet")
	fs.StringVar(&q.Entity, "entity", "", "only articles that name this entity (its whole name, any case)")
	fs.StringVar(&q.Publisher, "publisher", "", "only articles of this publisher")
	fs.StringVar(&q.From, "from", "", "only articles dated on or after this (2015, 2015-07, 2015-07-16)")
	fs.StringVar(&q.To, "to", "", "only articles dated on or before this (a prefix: 2015 is the whole year)")
	fs.IntVar(&q.Limit, "limit", 20, "at most this many hits")
	fs.BoolVar(&q.AllDuplicates, "all", false, "list near-duplicates separately instead of once a group")
	outFmt := formatFlag(fs)
	timeout := timeoutFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph search [flags] [QUERY]\n\nFull-text search of the store, best first: words (all must occur; talk finds talks), \"a phrase\",\n-word to exclude, OR between alternatives. Without a query, the filtered articles, newest first.\n\nFlags:")
		fs.PrintDefaults()
	}
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	q.Text = strings.Join(rest, " ")
	if q.Limit < 1 {
		fs.Usage()
		return exitUsage
	}
	if !checkRange(e, "search", &q.From, &q.To) || !checkTimeout(e, "search", *timeout) {
		return exitUsage
	}
	format := outFmt(e)
	if format == "" {
		return exitUsage
	}
	st, ok := openStore(e, "search", *db)
	if !ok {
		return exitFail
	}
	defer st.Close()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	limit := q.Limit
	q.Limit++ // one more says whether the list is cut
	hits, err := st.Search(ctx, q)
	if err != nil {
		return queryFailed(e, "search", err)
	}
	hits = cutNote(e, "search", hits, limit)
	width := termWidth(e.stdout)
	return emit(e, "search", format, hits, store.Hit.Row,
		"no articles found", "ID\tDATE\tPUBLISHER\tTITLE\tMATCH", func(h store.Hit) string {
			title := h.Title
			if title == "" {
				title = h.Source
			}
			if h.Duplicates > 0 {
				title += fmt.Sprintf(" (+%d)", h.Duplicates)
			}
			return fmt.Sprintf("%d\t%s\t%s\t%s\t%s", h.ID, h.Date, clip(h.Publisher, 20), clip(title, 40), clipAround(store.Bracketed(h.Snippet), max(30, width-90)))
		})
}

func runQuotes(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("quotes", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := dbFlag(fs)
	var q store.QuoteQuery
	fs.StringVar(&q.Speaker, "speaker", "", "quotations whose speaker's name has these words, any case (omar: Mullah Omar, Ilhan Omar; not Omari)")
	fs.BoolVar(&q.Prefix, "prefix", false, "with --speaker: words of the name that start with the words given (Brown: Browne too)")
	fs.BoolVar(&q.Guesses, "guesses", false, "list quotations whose speaker the analysis only guessed (below its confidence threshold) too, marked as guesses")
	fs.StringVar(&q.Publisher, "publisher", "", "only in articles of this publisher")
	fs.StringVar(&q.From, "from", "", "only in articles dated on or after this")
	fs.StringVar(&q.To, "to", "", "only in articles dated on or before this")
	fs.IntVar(&q.Limit, "limit", 50, "at most this many quotations")
	outFmt := formatFlag(fs)
	timeout := timeoutFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph quotes [--speaker NAME] [flags]\n\nQuotations in the store with their speakers, newest articles first.\n\nFlags:")
		fs.PrintDefaults()
	}
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if q.Speaker == "" && len(rest) > 0 {
		q.Speaker = strings.Join(rest, " ")
	} else if len(rest) > 0 || q.Limit < 1 {
		fs.Usage()
		return exitUsage
	}
	if !checkRange(e, "quotes", &q.From, &q.To) || !checkTimeout(e, "quotes", *timeout) {
		return exitUsage
	}
	format := outFmt(e)
	if format == "" {
		return exitUsage
	}
	st, ok := openStore(e, "quotes", *db)
	if !ok {
		return exitFail
	}
	defer st.Close()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	limit := q.Limit
	q.Limit++ // one more says whether the list is cut
	hits, err := st.Quotes(ctx, q)
	if err != nil {
		return queryFailed(e, "quotes", err)
	}
	hits = cutNote(e, "quotes", hits, limit)
	width := termWidth(e.stdout)
	return emit(e, "quotes", format, hits, store.QuoteHit.Row, "no quotations found", "SPEAKER\tDATE\tPUBLISHER\tVIA\tQUOTE\tARTICLE", func(h store.QuoteHit) string {
		speaker := h.Speaker
		switch {
		case speaker == "":
			speaker = "?"
		case h.Guess:
			speaker += fmt.Sprintf(" (guess, %.2f)", h.Confidence)
		case inferred(h.Resolved):
			speaker += " (inferred)"
		}
		via := strings.Join(h.Chain, " ← ")
		article := fmt.Sprintf("#%d", h.ArticleID)
		if h.Copies > 1 {
			article += fmt.Sprintf(" (+%d)", h.Copies-1)
		}
		return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s", clip(speaker, 24), h.Date, clip(h.Publisher, 18), clip(via, 30), clip(h.Quote, max(30, width-90)), article)
	})
}

// sourcesDot writes who cites whom as a Graphviz digraph: an edge from each publisher to each
// outlet it cites, labelled with the articles and attributions, wider for more.
func sourcesDot(e env, edges []store.SourceEdge) int {
	var b strings.Builder
	b.WriteString("digraph sources {\n  rankdir=LR;\n  node [shape=box, fontname=\"sans-serif\"];\n")
	for _, x := range edges {
		p := x.Publisher
		if p == "" {
			p = "(unknown publisher)"
		}
		fmt.Fprintf(&b, "  %s -> %s [label=\"%d articles, %d attributions\", penwidth=%.1f];\n", dotID(p), dotID(x.Cited), x.Articles, x.Attributions, 1+math.Log1p(float64(x.Articles)))
	}
	b.WriteString("}\n")
	_, err := io.WriteString(e.stdout, b.String())
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph sources: %v\n", err)
		return exitFail
	}
	return exitOK
}

// chainsDot writes the links of chains of attribution as a Graphviz digraph, each link labelled
// with the attributions whose chain has it.
func chainsDot(e env, cs []store.ChainCount) int {
	type link struct{ from, to string }
	n := map[link]int{}
	var order []link
	for _, c := range cs {
		for i := 0; i+1 < len(c.Chain); i++ {
			l := link{c.Chain[i], c.Chain[i+1]}
			if n[l] == 0 {
				order = append(order, l)
			}
			n[l] += c.Attributions
		}
	}
	var b strings.Builder
	b.WriteString("digraph chains {\n  rankdir=LR;\n  node [shape=box, fontname=\"sans-serif\"];\n")
	for _, l := range order {
		fmt.Fprintf(&b, "  %s -> %s [label=\"%d\"];\n", dotID(l.from), dotID(l.to), n[l])
	}
	b.WriteString("}\n")
	if _, err := io.WriteString(e.stdout, b.String()); err != nil {
		fmt.Fprintf(e.stderr, "newsgraph sources: %v\n", err)
		return exitFail
	}
	return exitOK
}

// dotID quotes a name as a Graphviz ID.
func dotID(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " ").Replace(s) + `"`
}

func runSources(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("sources", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := dbFlag(fs)
	var q store.SourceQuery
	fs.StringVar(&q.Publisher, "publisher", "", "only articles of this publisher")
	fs.StringVar(&q.Cited, "cited", "", "only citations of this outlet")
	fs.StringVar(&q.From, "from", "", "only articles dated on or after this")
	fs.StringVar(&q.To, "to", "", "only articles dated on or before this")
	fs.IntVar(&q.Limit, "limit", 100, "at most this many rows")
	outFmt := formatFlag(fs, "dot")
	chains := fs.Bool("chains", false, "list whole chains of attribution (publisher ← outlet ← … ← speaker) with how many attributions and articles have each, instead of who cites whom")
	timeout := timeoutFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph sources [flags]\n\nWhich outlets the store's publishers cite: in how many articles, and in how many attributions\n(a claim whose source is the outlet, or that comes through it).\n\nFlags:")
		fs.PrintDefaults()
	}
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 || q.Limit < 1 {
		fs.Usage()
		return exitUsage
	}
	if !checkRange(e, "sources", &q.From, &q.To) || !checkTimeout(e, "sources", *timeout) {
		return exitUsage
	}
	format := outFmt(e)
	if format == "" {
		return exitUsage
	}
	st, ok := openStore(e, "sources", *db)
	if !ok {
		return exitFail
	}
	defer st.Close()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	limit := q.Limit
	q.Limit++ // one more says whether the list is cut
	if *chains {
		cs, err := st.Chains(ctx, q)
		if err != nil {
			return queryFailed(e, "sources", err)
		}
		cs = cutNote(e, "sources", cs, limit)
		if format == "dot" {
			return chainsDot(e, cs)
		}
		return emit(e, "sources", format, cs, store.ChainCount.Row,
			"no chains of attribution found", "ATTRIBUTIONS\tARTICLES\tCHAIN", func(c store.ChainCount) string {
				return fmt.Sprintf("%d\t%d\t%s", c.Attributions, c.Articles, strings.Join(c.Chain, " ← "))
			})
	}
	edges, err := st.Sources(ctx, q)
	if err != nil {
		return queryFailed(e, "sources", err)
	}
	edges = cutNote(e, "sources", edges, limit)
	if format == "dot" {
		return sourcesDot(e, edges)
	}
	return emit(e, "sources", format, edges, store.SourceEdge.Row,
		"no citations of outlets found", "PUBLISHER\tCITES\tARTICLES\tATTRIBUTIONS", func(x store.SourceEdge) string {
			p := x.Publisher
			if p == "" {
				p = "(unknown)"
			}
			return fmt.Sprintf("%s\t%s\t%d\t%d", clip(p, 30), clip(x.Cited, 30), x.Articles, x.Attributions)
		})
}
