package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/term"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/format"
	"github.com/newsgraph/newsgraph/source"
)

type analyzeFlags struct {
	format, color, inputFormat  string
	layers                      string
	out                         string
	date, title, publisher, url string
	tokens                      bool
	maxBytes                    int64
}

func runAnalyze(ctx context.Context, e env, args []string) int {
	var f analyzeFlags
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&f.format, "format", "auto", "output: json (an indented object a document), jsonl (one object a line), text (terminal view), brat (the attributions as brat standoff; several documents need --out), timeml (reads TimeML files such as TempEval-3 .TE3input or .tml and writes them back with TIMEX3 tags around the temporal expressions found; several need --out); auto is json for one text document, jsonl for several, for a directory and for JSON Lines input")
	fs.StringVar(&f.color, "color", "auto", "colours in the text view: auto (when writing to a terminal and NO_COLOR is unset), always, never")
	fs.StringVar(&f.inputFormat, "input-format", "auto", "input: text, jsonl, html, or auto (by extension; a page is HTML when it starts like one; standard input starting with '{' is JSON Lines)")
	fs.StringVar(&f.date, "date", "", "document date (ISO 8601), overriding the input's (a TimeML file's DCT is kept); temporal expressions are resolved against it")
	fs.StringVar(&f.title, "title", "", "document title, overriding the input's")
	fs.StringVar(&f.publisher, "publisher", "", "publisher, overriding the input's and what the text names")
	fs.StringVar(&f.url, "url", "", "document URL, overriding the input's")
	fs.BoolVar(&f.tokens, "tokens", false, "include the tokens layer in JSON output")
	fs.StringVar(&f.layers, "layers", "all", "the analysis layers to compute, besides paragraphs, tokens and sentences: all, or some of entities, timexes, attributions separated by commas (attributions bring the entities they read, and quotes); fewer layers, less time")
	fs.StringVar(&f.out, "out", "", "with --format brat: write NAME.txt (the text as analysed) and NAME.ann per document into this directory; with --format timeml: write each TimeML file, tagged, under its path below the folder given (NAME.TE3input as NAME.tml) into this directory")
	fs.Int64Var(&f.maxBytes, "max-size", source.DefaultMaxBytes, "refuse text files and records larger than this many bytes")
	minSpeaker := minSpeakerFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsgraph analyze [flags] FILE|DIR|- ...\n\nAnalyse articles from files, directories (.txt, .jsonl, .json, .html, .html.gz, .warc, .warc.gz), or standard input (-). HTML pages are read through the article extractor (newsgraph extract).\n\nFlags:")
		fs.PrintDefaults()
		fmt.Fprintln(e.stderr, "\n"+format.Legend)
	}
	paths, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		fs.Usage()
		return exitUsage
	}
	for _, p := range paths {
		if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
			if _, err := os.Stat(p); err != nil {
				fmt.Fprintf(e.stderr, "newsgraph analyze: %s: analyze reads files, not URLs; newsgraph ingest fetches pages and feeds (newsgraph ingest %s, then newsgraph show), or save the page and analyze the file\n", p, p)
				return exitUsage
			}
		}
	}
	if f.date != "" {
		d, err := newsgraph.ISODate(f.date)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph analyze: --date %v\n", err)
			return exitUsage
		}
		f.date = d
	}
	switch f.format {
	case "auto", "json", "jsonl", "text", "brat", "timeml":
	default:
		fmt.Fprintf(e.stderr, "newsgraph analyze: unknown --format %q (json, jsonl, text, brat, timeml)\n", f.format)
		return exitUsage
	}
	if f.out != "" && f.format != "brat" && f.format != "timeml" {
		fmt.Fprintln(e.stderr, "newsgraph analyze: --out goes with --format brat or timeml")
		return exitUsage
	}
	layers, err := engine.ParseLayers(f.layers)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph analyze: %v\n", err)
		return exitUsage
	}
	if f.format == "timeml" {
		if !slices.Contains(layers, newsgraph.LayerTimexes) {
			fmt.Fprintln(e.stderr, "newsgraph analyze: --format timeml writes the temporal expressions: --layers must include timexes")
			return exitUsage
		}
		return analyzeTimeML(ctx, e, f, paths)
	}
	inFmt := f.inputFormat
	if inFmt == "auto" {
		inFmt = ""
	} else if inFmt != "text" && inFmt != "jsonl" && inFmt != "html" {
		fmt.Fprintf(e.stderr, "newsgraph analyze: unknown --input-format %q (text, jsonl, html, auto)\n", f.inputFormat)
		return exitUsage
	}
	if f.format == "brat" && !slices.Contains(layers, newsgraph.LayerAttributions) {
		fmt.Fprintln(e.stderr, "newsgraph analyze: --format brat writes the attributions: --layers must include attributions")
		return exitUsage
	}
	pipe, err := engine.NewWithOptions(engine.Options{Layers: layers, MinSpeakerConfidence: speakerThreshold(*minSpeaker)})
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph analyze: %v\n", err)
		return exitFail
	}
	color := f.color == "always" || f.color == "auto" && isTerminal(e.stdout) && os.Getenv("NO_COLOR") == ""
	out := bufio.NewWriterSize(e.stdout, 64<<10)

	// With --format auto the arguments decide the shape: one text file or standard input is one
	// indented JSON object; several inputs, a directory or JSON Lines input give JSON Lines, however
	// many documents survive. Standard input turns out to be JSON Lines when its records say so.
	stream := len(paths) > 1 || inFmt == "jsonl" || anyDirOrJSONL(paths)
	if f.format == "brat" && stream && f.out == "" {
		fmt.Fprintln(e.stderr, "newsgraph analyze: brat standoff is one .ann file per text: give --out DIR for several documents")
		return exitUsage
	}
	if f.out != "" {
		if in := outInsideInput(f.out, paths); in != "" {
			fmt.Fprintf(e.stderr, "newsgraph analyze: --out %s lies inside the input %s: its files would be read as inputs or overwrite them\n", f.out, in)
			return exitUsage
		}
	}
	bratNames := map[string]int{}

	failed, n := 0, 0
	opts := source.Options{MaxBytes: f.maxBytes, Format: inFmt, Stdin: e.stdin}
	err = source.Read(ctx, paths, opts, func(it source.Item) error {
		for _, w := range it.Warnings {
			fmt.Fprintf(e.stderr, "newsgraph: warning: %s\n", w)
		}
		if it.Notice() {
			return nil
		}
		if it.Err != nil {
			failed++
			out.Flush() // keep stdout and stderr in order on a terminal
			fmt.Fprintf(e.stderr, "newsgraph: %v\n", it.Err)
			return nil
		}
		applyFlags(&it.Meta, f)
		d := newsgraph.NewDoc(it.Text, it.Meta)
		for _, w := range it.Warnings {
			d.Diag("source", newsgraph.Warning, nil, "%s", w)
		}
		if err := pipe.Process(ctx, d); err != nil {
			failed++
			fmt.Fprintf(e.stderr, "newsgraph: %s: %v\n", it.Meta.Input, err)
			return nil
		}
		n++
		switch outFmt := f.format; {
		case outFmt == "brat" && f.out == "":
			if n > 1 {
				// Standard input turned out to hold several records.
				return fmt.Errorf("brat standoff is one .ann file per text: give --out DIR for several documents")
			}
			return format.WriteBrat(out, d)
		case outFmt == "brat":
			if err := writeBratFiles(f.out, d, bratNames); err != nil {
				failed++
				fmt.Fprintf(e.stderr, "newsgraph: %s: %v\n", it.Meta.Input, err)
			}
			return nil
		case outFmt == "text":
			if n > 1 {
				out.WriteByte('\n')
			}
			return format.WriteText(out, d, format.TextOptions{Color: color, Width: termWidth(e.stdout)})
		default:
			indent := outFmt == "json" || outFmt == "auto" && !stream && it.Meta.Input.Record == 0
			return format.WriteJSON(out, d, pipe.Components(), format.JSONOptions{Tokens: f.tokens, Indent: indent})
		}
	})
	if ferr := out.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("writing the output: %w", ferr)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph analyze: %v\n", err)
		return exitFail
	}
	if n == 0 && failed == 0 {
		fmt.Fprintf(e.stderr, "newsgraph: no documents in %s (directories are searched for .txt, .jsonl, .ndjson, .json, .html, .htm, .html.gz, .warc and .warc.gz files)\n", strings.Join(paths, ", "))
		return exitFail
	}
	if failed > 0 {
		fmt.Fprintf(e.stderr, "newsgraph: %d input(s) failed, %d analysed\n", failed, n)
		return exitFail
	}
	return exitOK
}

// writeBratFiles writes a document's text (as analysed) and its brat standoff into dir, as
// NAME.txt and NAME.ann: NAME from the input file's name (with the record number for a JSON Lines
// record), made unique with a counter.
func writeBratFiles(dir string, d *newsgraph.Doc, used map[string]int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	in := d.Meta.Input
	name := strings.TrimSuffix(filepath.Base(in.Path), filepath.Ext(in.Path))
	if in.Path == "-" || name == "" || name == "." {
		name = "stdin"
	}
	if in.Record > 0 {
		name = fmt.Sprintf("%s-%d", name, in.Record)
	}
	// A name not yet written in this run ("a", then "a-2", "a-3", …; each name taken is recorded).
	base := name
	for k := 2; used[name] > 0; k++ {
		name = fmt.Sprintf("%s-%d", base, k)
	}
	used[name] = 1
	txtPath := filepath.Join(dir, name+".txt")
	if same(txtPath, in.Path) {
		return fmt.Errorf("%s is the input itself: not overwritten", txtPath)
	}
	// The .txt is the text as analysed (decoded, without a byte-order mark), so the offsets below
	// must not count one.
	txt := d.Meta.Input
	d.Meta.Input.BOM = false
	defer func() { d.Meta.Input = txt }()
	if err := os.WriteFile(txtPath, []byte(d.Text()), 0o644); err != nil {
		return err
	}
	var b strings.Builder
	if err := format.WriteBrat(&b, d); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".ann"), []byte(b.String()), 0o644)
}

// same reports whether two paths name the same file.
func same(a, b string) bool {
	if b == "" || b == "-" {
		return false
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// outInsideInput returns the input directory that out is or lies inside, or "".
func outInsideInput(out string, inputs []string) string {
	ao, err := filepath.Abs(out)
	if err != nil {
		return ""
	}
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		fi, err := os.Stat(in)
		if err != nil || !fi.IsDir() {
			continue
		}
		ai, err := filepath.Abs(in)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(ai, ao); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return in
		}
	}
	return ""
}

// anyDirOrJSONL reports whether an input is a directory or a JSON Lines file (by extension).
func anyDirOrJSONL(paths []string) bool {
	for _, p := range paths {
		if source.Several(p) {
			return true
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return true
		}
	}
	return false
}

func applyFlags(m *newsgraph.Meta, f analyzeFlags) {
	if f.date != "" {
		m.Date = f.date
	}
	if f.title != "" {
		m.Title, m.TitleSource = f.title, "flag"
	}
	if f.publisher != "" {
		m.Publisher, m.PublisherSource = f.publisher, "flag"
	}
	if f.url != "" {
		m.URL = f.url
	}
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func termWidth(w any) int {
	if f, ok := w.(*os.File); ok {
		if width, _, err := term.GetSize(int(f.Fd())); err == nil && width >= 40 {
			return width
		}
	}
	return 100
}

// parseArgs parses the flags of a subcommand (see parseInterspersed) and returns the positional
// arguments; when it fails, or for -h, ok is false and code is the exit status (usage printed).
func parseArgs(fs *flag.FlagSet, args []string) (rest []string, code int, ok bool) {
	// A wrong flag gets a line that says what is wrong and what may have been meant, not the
	// whole help, which -h prints.
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	rest, err := parseInterspersed(fs, args)
	fs.Usage = usage
	fs.SetOutput(out)
	switch {
	case errors.Is(err, flag.ErrHelp):
		if fs.Usage != nil {
			fs.Usage()
		} else {
			fs.PrintDefaults()
		}
		return nil, exitOK, false
	case err != nil:
		msg := err.Error()
		if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
			msg = fmt.Sprintf("unknown flag --%s", name)
			if near := nearestFlag(fs, name); near != "" {
				msg += fmt.Sprintf(" (did you mean --%s?)", near)
			}
		}
		fmt.Fprintf(out, "newsgraph %s: %s; run newsgraph %s -h for its flags\n", fs.Name(), msg, fs.Name())
		return nil, exitUsage, false
	}
	return rest, exitOK, true
}

// nearestFlag returns the flag of fs whose name is nearest to name (at most a third of its
// letters off, or name its prefix), or "".
func nearestFlag(fs *flag.FlagSet, name string) string {
	best, bestD := "", len(name)/3+1
	fs.VisitAll(func(f *flag.Flag) {
		d := editDistance(name, f.Name)
		if strings.HasPrefix(f.Name, name) && len(name) >= 2 {
			d = 0
		}
		if d < bestD {
			best, bestD = f.Name, d
		}
	})
	return best
}

// editDistance is the Levenshtein distance between two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev = cur
	}
	return prev[len(b)]
}

// parseInterspersed parses flags that may come before, between or after the positional arguments,
// as users type them ("newsgraph analyze file.txt --format text"). "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
