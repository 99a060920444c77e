package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

const example = "../../examples/taliban-peace-talks.txt"

// runCLI runs the command in-process and returns its exit status, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var in io.Reader = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	code := run(context.Background(), args, in, &out, &errb)
	return code, out.String(), errb.String()
}

// doc is the part of the output schema the tests read.
type doc struct {
	Schema string `json:"schema"`
	Text   string `json:"text"`
	Meta   struct {
		Title           string `json:"title"`
		TitleSource     string `json:"title_source"`
		Publisher       string `json:"publisher"`
		PublisherSource string `json:"publisher_source"`
		Date            string `json:"date"`
		URL             string `json:"url"`
		Input           struct {
			Path   string `json:"path"`
			Record int    `json:"record"`
			Bytes  int    `json:"bytes"`
		} `json:"input"`
	} `json:"meta"`
}

type span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
	Label string `json:"label"`
}

// jsonLines parses stdout as JSON Lines: every non-empty line must be one JSON object.
func jsonLines(t *testing.T, out string) []map[string]json.RawMessage {
	t.Helper()
	var objs []map[string]json.RawMessage
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			if out == "" {
				break
			}
			t.Fatalf("line %d of JSON Lines output is empty:\n%s", i+1, out)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %d is not a JSON object: %v\n%.200s", i+1, err, line)
		}
		objs = append(objs, m)
	}
	return objs
}

func decodeDoc(t *testing.T, raw []byte) doc {
	t.Helper()
	var d doc
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return d
}

func objDoc(t *testing.T, m map[string]json.RawMessage) doc {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return decodeDoc(t, b)
}

func TestAnalyzeExampleJSON(t *testing.T) {
	code, out, errs := runCLI(t, "", "analyze", example)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	if errs != "" {
		t.Errorf("unexpected stderr:\n%s", errs)
	}
	// Exactly one JSON object, indented.
	dec := json.NewDecoder(strings.NewReader(out))
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil {
		t.Fatalf("stdout is not JSON: %v", err)
	}
	if dec.More() {
		t.Fatal("stdout holds more than one JSON value")
	}
	if !strings.HasPrefix(out, "{\n  \"schema\": ") {
		t.Errorf("output is not indented: %.80q", out)
	}
	if !strings.HasSuffix(out, "}\n") {
		t.Errorf("output does not end with a newline after the object")
	}
	d := decodeDoc(t, []byte(out))
	if d.Schema != "newsgraph/v1" {
		t.Errorf("schema = %q", d.Schema)
	}
	if d.Meta.Publisher != "Newsmax" || d.Meta.PublisherSource != "copyright" {
		t.Errorf("publisher = %q (%q), want Newsmax (copyright)", d.Meta.Publisher, d.Meta.PublisherSource)
	}
	if d.Meta.Input.Path != example {
		t.Errorf("meta.input.path = %q, want %q", d.Meta.Input.Path, example)
	}
	raw, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	if d.Meta.Input.Bytes != len(raw) {
		t.Errorf("meta.input.bytes = %d, want %d", d.Meta.Input.Bytes, len(raw))
	}
	if _, ok := top["tokens"]; ok {
		t.Error("tokens layer present without --tokens")
	}
	checkSpans(t, top, d.Text, "paragraphs", "sentences", "boilerplate")

	var bp []span
	if err := json.Unmarshal(top["boilerplate"], &bp); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range bp {
		if s.Label == "copyright" && strings.Contains(s.Text, "Newsmax") {
			found = true
		}
	}
	if !found {
		t.Errorf("no copyright boilerplate span naming Newsmax in %+v", bp)
	}
}

// checkSpans checks, for each named layer (which must be present and non-empty) and every other
// array of spans, that the code-point slice of text equals each span's text.
func checkSpans(t *testing.T, top map[string]json.RawMessage, text string, required ...string) {
	t.Helper()
	runes := []rune(text)
	for _, name := range required {
		if _, ok := top[name]; !ok {
			t.Errorf("layer %q missing", name)
		}
	}
	for name, raw := range top {
		if name == "pipeline" || name == "diagnostics" || !bytes.HasPrefix(raw, []byte("[")) {
			continue
		}
		var spans []span
		if err := json.Unmarshal(raw, &spans); err != nil {
			t.Errorf("layer %q: %v", name, err)
			continue
		}
		for _, r := range required {
			if r == name && len(spans) == 0 {
				t.Errorf("layer %q is empty", name)
			}
		}
		prevEnd := -1
		for i, s := range spans {
			if s.Start < 0 || s.Start > s.End || s.End > len(runes) {
				t.Errorf("%s[%d]: bad offsets [%d,%d) for text of %d code points", name, i, s.Start, s.End, len(runes))
				continue
			}
			if got := string(runes[s.Start:s.End]); got != s.Text {
				t.Errorf("%s[%d]: text[%d:%d] = %q, span text %q", name, i, s.Start, s.End, got, s.Text)
			}
			// Attributions nest (a quotation inside what an outlet reports) and so may quotes;
			// the other layers never overlap.
			nested := name == "boilerplate" || name == "attributions" || name == "quotes"
			if !nested && s.Start < prevEnd {
				t.Errorf("%s[%d]: starts at %d before the previous span's end %d", name, i, s.Start, prevEnd)
			}
			prevEnd = s.End
		}
		if name == "attributions" {
			var atts []struct {
				ID                   string
				Source, Cue, Content []span
			}
			if err := json.Unmarshal(raw, &atts); err != nil {
				t.Errorf("attributions: %v", err)
			}
			for _, a := range atts {
				if len(a.Content) == 0 {
					t.Errorf("attribution %s has no content", a.ID)
				}
				for _, p := range append(append(append([]span(nil), a.Source...), a.Cue...), a.Content...) {
					if p.Start < 0 || p.Start > p.End || p.End > len(runes) || string(runes[p.Start:p.End]) != p.Text {
						t.Errorf("attribution %s: part [%d,%d) %q does not match the text", a.ID, p.Start, p.End, p.Text)
					}
				}
			}
		}
	}
}

func TestAnalyzeTokensFlag(t *testing.T) {
	code, out, errs := runCLI(t, "", "analyze", "--tokens", example)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &top); err != nil {
		t.Fatal(err)
	}
	var toks []span
	if err := json.Unmarshal(top["tokens"], &toks); err != nil || len(toks) == 0 {
		t.Fatalf("tokens = %.100s (err %v), want a non-empty array", top["tokens"], err)
	}
	d := decodeDoc(t, []byte(out))
	checkSpans(t, top, d.Text, "tokens", "paragraphs", "sentences")

	// Also after the file, in JSON Lines output.
	code, out, errs = runCLI(t, "", "analyze", example, "--format", "jsonl", "--tokens")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	objs := jsonLines(t, out)
	if len(objs) != 1 {
		t.Fatalf("got %d JSON Lines, want 1", len(objs))
	}
	if _, ok := objs[0]["tokens"]; !ok {
		t.Error("--tokens after the file: no tokens array")
	}
}

func TestAnalyzeTextView(t *testing.T) {
	code, out, errs := runCLI(t, "", "analyze", example, "--format", "text", "--color", "never")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	if !strings.Contains(out, "[copyright]") {
		t.Errorf("text view lacks [copyright]:\n%s", out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("text view with --color never contains ANSI escapes")
	}
	if strings.HasPrefix(strings.TrimSpace(out), "{") {
		t.Errorf("text view looks like JSON")
	}

	code, out, errs = runCLI(t, "", "analyze", "--color", "always", "--format", "text", example)
	if code != exitOK {
		t.Fatalf("--color always: exit %d, stderr:\n%s", code, errs)
	}
	if !strings.Contains(out, "\x1b[") {
		t.Errorf("text view with --color always has no ANSI escapes")
	}

	// auto: a bytes.Buffer is not a terminal.
	_, out, _ = runCLI(t, "", "analyze", "--format", "text", example)
	if strings.Contains(out, "\x1b[") {
		t.Errorf("text view with --color auto to a non-terminal contains ANSI escapes")
	}
}

func TestAnalyzeMetaFlags(t *testing.T) {
	for _, args := range [][]string{
		{"analyze", "--date", "2015-07-16", "--title", "T", "--publisher", "P", "--url", "U", example},
		{"analyze", example, "--date", "2015-07-16", "--title", "T", "--publisher", "P", "--url", "U"},
		{"analyze", "--date=2015-07-16", example, "--title=T", "--publisher=P", "--url=U"},
	} {
		code, out, errs := runCLI(t, "", args...)
		if code != exitOK {
			t.Fatalf("%q: exit %d, stderr:\n%s", args, code, errs)
		}
		d := decodeDoc(t, []byte(out))
		m := d.Meta
		if m.Date != "2015-07-16" || m.Title != "T" || m.TitleSource != "flag" || m.Publisher != "P" || m.PublisherSource != "flag" || m.URL != "U" {
			t.Errorf("%q: meta = %+v", args, m)
		}
		if m.Input.Path != example {
			t.Errorf("%q: meta.input.path = %q", args, m.Input.Path)
		}
	}
	// A --date that is no ISO 8601 date is a usage error, before anything is read.
	for _, d := range []string{"garbage", "16/07/2015", "2015-13-45", "16 July 2015"} {
		code, out, errs := runCLI(t, "", "analyze", "--date", d, example)
		if code != exitUsage || out != "" || !strings.Contains(errs, "not a date") {
			t.Errorf("--date %q: exit %d, %q", d, code, errs)
		}
	}
	code, out, _ := runCLI(t, "", "analyze", "--date", "2015-07-16T10:00:00+02:00", example)
	if d := decodeDoc(t, []byte(out)); code != exitOK || d.Meta.Date != "2015-07-16T10:00:00+02:00" {
		t.Errorf("a date and time: %d %q", code, d.Meta.Date)
	}
}

func TestAnalyzeSeveralInputs(t *testing.T) {
	dir := t.TempDir()
	good1 := filepath.Join(dir, "a.txt")
	good2 := filepath.Join(dir, "sub", "b.txt")
	bin := filepath.Join(dir, "c.txt")
	missing := filepath.Join(t.TempDir(), "missing.txt")
	write := func(p, s string) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(good1, "The first article has one sentence. And another one.\n")
	write(good2, "KABUL (Reuters) - The second article is here.\n\nIt has two paragraphs.\n")
	write(bin, "\x00\x01\x02\x03\x04binary\x00data")
	write(filepath.Join(dir, "notes.md"), "ignored")

	code, out, errs := runCLI(t, "", "analyze", dir, missing)
	if code != exitFail {
		t.Errorf("exit %d, want %d", code, exitFail)
	}
	objs := jsonLines(t, out)
	if len(objs) != 2 {
		t.Fatalf("got %d JSON Lines, want 2:\n%s", len(objs), out)
	}
	wantPaths := []string{good1, good2}
	for i, o := range objs {
		d := objDoc(t, o)
		if d.Meta.Input.Path != wantPaths[i] {
			t.Errorf("object %d: meta.input.path = %q, want %q", i, d.Meta.Input.Path, wantPaths[i])
		}
		if d.Schema != "newsgraph/v1" {
			t.Errorf("object %d: schema %q", i, d.Schema)
		}
		checkSpans(t, o, d.Text, "paragraphs", "sentences")
	}
	if strings.Contains(out, "\n  ") {
		t.Error("JSON Lines output is indented")
	}

	lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
	for _, bad := range []struct{ path, reason string }{{bin, "binary"}, {missing, "no such file"}} {
		n := 0
		for _, l := range lines {
			if strings.Contains(l, bad.path) {
				n++
				if !strings.Contains(l, bad.reason) {
					t.Errorf("stderr line for %s lacks %q: %q", bad.path, bad.reason, l)
				}
			}
		}
		if n != 1 {
			t.Errorf("stderr names %s on %d lines, want 1:\n%s", bad.path, n, errs)
		}
	}
	for _, good := range []string{good1, good2} {
		if strings.Contains(errs, good) {
			t.Errorf("stderr names the good input %s:\n%s", good, errs)
		}
	}
}

func TestAnalyzeStdinJSONL(t *testing.T) {
	in := `{"text":"First record. It is short.","title":"One","publisher":"AP","date":"2020-01-02","url":"https://example.com/1"}` + "\n" +
		`{"text": "broken"` + "\n" +
		`{"text":"Third record here."}` + "\n"
	code, out, errs := runCLI(t, in, "analyze", "-")
	if code != exitFail {
		t.Errorf("exit %d, want %d", code, exitFail)
	}
	objs := jsonLines(t, out)
	if len(objs) != 2 {
		t.Fatalf("got %d JSON Lines, want 2:\n%s", len(objs), out)
	}
	d1, d3 := objDoc(t, objs[0]), objDoc(t, objs[1])
	if d1.Meta.Input.Record != 1 || d3.Meta.Input.Record != 3 {
		t.Errorf("records = %d, %d; want 1, 3", d1.Meta.Input.Record, d3.Meta.Input.Record)
	}
	if d1.Meta.Input.Path != "-" || d3.Meta.Input.Path != "-" {
		t.Errorf("paths = %q, %q; want \"-\"", d1.Meta.Input.Path, d3.Meta.Input.Path)
	}
	if d1.Meta.Title != "One" || d1.Meta.TitleSource != "input" || d1.Meta.Publisher != "AP" || d1.Meta.PublisherSource != "input" ||
		d1.Meta.Date != "2020-01-02" || d1.Meta.URL != "https://example.com/1" {
		t.Errorf("record 1 meta = %+v", d1.Meta)
	}
	if d1.Text != "First record. It is short." {
		t.Errorf("record 1 text = %q", d1.Text)
	}
	if !strings.Contains(errs, "record 2") {
		t.Errorf("stderr does not name record 2:\n%s", errs)
	}
	if strings.Contains(errs, "record 1") || strings.Contains(errs, "record 3") {
		t.Errorf("stderr names a good record:\n%s", errs)
	}

	// --publisher overrides a record's publisher.
	code, out, errs = runCLI(t, in, "analyze", "-", "--publisher", "P")
	if code != exitFail {
		t.Errorf("exit %d, want %d", code, exitFail)
	}
	for i, o := range jsonLines(t, out) {
		if d := objDoc(t, o); d.Meta.Publisher != "P" || d.Meta.PublisherSource != "flag" {
			t.Errorf("object %d: publisher %q (%q), want P (flag); stderr:\n%s", i, d.Meta.Publisher, d.Meta.PublisherSource, errs)
		}
	}
}

func TestAnalyzeStdinText(t *testing.T) {
	code, out, errs := runCLI(t, "A plain article from standard input. It has two sentences.\n", "analyze", "-")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	// One text document: one indented JSON object.
	if !strings.HasPrefix(out, "{\n") {
		t.Errorf("output is not an indented JSON object:\n%s", out)
	}
	d := decodeDoc(t, []byte(out))
	if d.Meta.Input.Path != "-" || d.Meta.Input.Record != 0 {
		t.Errorf("input = %+v", d.Meta.Input)
	}

	// --input-format text with a single "-" gives one indented JSON document, even for '{'.
	code, out, errs = runCLI(t, `{"text":"not parsed"}`, "analyze", "--input-format", "text", "-")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	d = decodeDoc(t, []byte(out))
	if d.Text != `{"text":"not parsed"}` {
		t.Errorf("text = %q", d.Text)
	}

	// --max-size applies to standard input.
	code, _, errs = runCLI(t, strings.Repeat("word ", 100), "analyze", "--max-size", "100", "-")
	if code != exitFail || !strings.Contains(errs, "size limit") {
		t.Errorf("over --max-size: exit %d, stderr:\n%s", code, errs)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
		msg  string // in stderr
	}{
		{"unknown command", []string{"frobnicate"}, exitUsage, "unknown command"},
		{"unknown format", []string{"analyze", "--format", "xml", example}, exitUsage, "xml"},
		{"unknown format after file", []string{"analyze", example, "--format=yaml"}, exitUsage, "yaml"},
		{"unknown input format", []string{"analyze", "--input-format", "csv", example}, exitUsage, "csv"},
		{"unknown flag", []string{"analyze", "--nope", example}, exitUsage, "nope"},
		{"no inputs", []string{"analyze"}, exitUsage, "Usage"},
		{"no command", []string{}, exitUsage, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", tc.args...)
			if code != tc.want {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.want, errs)
			}
			if !strings.Contains(errs, tc.msg) {
				t.Errorf("stderr lacks %q:\n%s", tc.msg, errs)
			}
			if strings.Contains(out, "\"schema\"") {
				t.Errorf("a usage error still analysed input:\n%.200s", out)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		code, out, _ := runCLI(t, "", args...)
		if code != exitOK || !strings.Contains(out, "analyze") {
			t.Errorf("%q: exit %d, stdout:\n%s", args, code, out)
		}
	}
	code, _, errs := runCLI(t, "", "analyze", "-h")
	if code != exitOK || !strings.Contains(errs, "--format") && !strings.Contains(errs, "-format") {
		t.Errorf("analyze -h: exit %d, stderr:\n%s", code, errs)
	}
}

func TestVersion(t *testing.T) {
	code, out, errs := runCLI(t, "", "version")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	if !strings.Contains(out, "newsgraph/v1") {
		t.Errorf("version output %q lacks the schema name", out)
	}
	if !strings.Contains(out, version) {
		t.Errorf("version output %q lacks the version %q", out, version)
	}
}

func TestAnalyzeLatin1AndDashDash(t *testing.T) {
	dir := t.TempDir()
	lat := filepath.Join(dir, "latin1.txt")
	dash := filepath.Join(dir, "-dash.txt")
	if err := os.WriteFile(lat, []byte("Price \xA3100 today. Second sentence.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dash, []byte("A file whose name starts with a dash.\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errs := runCLI(t, "", "analyze", lat)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	if !strings.Contains(errs, "warning") || !strings.Contains(errs, lat) || !strings.Contains(errs, "windows-1252") {
		t.Errorf("stderr lacks the encoding warning:\n%s", errs)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &top); err != nil {
		t.Fatal(err)
	}
	d := decodeDoc(t, []byte(out))
	if d.Text != "Price £100 today. Second sentence.\n" {
		t.Errorf("text = %q", d.Text)
	}
	if !strings.Contains(string(top["meta"]), `"encoding": "windows-1252"`) {
		t.Errorf("meta lacks the encoding: %s", top["meta"])
	}
	if !strings.Contains(string(top["diagnostics"]), "windows-1252") {
		t.Errorf("diagnostics lack the encoding warning: %s", top["diagnostics"])
	}
	checkSpans(t, top, d.Text, "paragraphs", "sentences")

	// "--" ends the flags: a path starting with '-' after it is an input; flags before still apply.
	code, out, errs = runCLI(t, "", "analyze", lat, "--format", "jsonl", "--", dash)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	objs := jsonLines(t, out)
	if len(objs) != 2 {
		t.Fatalf("got %d objects, want 2", len(objs))
	}
	if p := objDoc(t, objs[1]).Meta.Input.Path; p != dash {
		t.Errorf("second input path = %q, want %q", p, dash)
	}
}

func TestAnalyzeJSONLFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.jsonl")
	in := `{"text":"One record only.","title":"Title"}` + "\n"
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "analyze", path)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	// A .jsonl input gives JSON Lines output even for one record.
	objs := jsonLines(t, out)
	if len(objs) != 1 {
		t.Fatalf("got %d objects, want 1:\n%s", len(objs), out)
	}
	d := objDoc(t, objs[0])
	if d.Meta.Input.Path != path || d.Meta.Input.Record != 1 || d.Meta.Title != "Title" || d.Meta.TitleSource != "input" {
		t.Errorf("meta = %+v", d.Meta)
	}
}

func TestAnalyzeEmptyDir(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI(t, "", "analyze", dir)
	if code != exitFail || out != "" || !strings.Contains(errs, "no documents in "+dir) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestAnalyzeShapeFromArguments: with two inputs the output is JSON Lines even when one is refused.
func TestAnalyzeShapeFromArguments(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	os.WriteFile(good, []byte("One article. Two sentences."), 0o644)
	code, out, _ := runCLI(t, "", "analyze", good, filepath.Join(dir, "missing.txt"))
	if code != exitFail || strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, `{"schema"`) {
		t.Errorf("exit %d, output not one JSON line:\n%s", code, out)
	}
}

func TestAnalyzeStdinNamed(t *testing.T) {
	_, _, errs := runCLI(t, "\x00\x01binary", "analyze", "-")
	if !strings.Contains(errs, "standard input: decode: binary data") {
		t.Errorf("stderr %q does not name standard input", errs)
	}
}

func TestAnalyzeWriteError(t *testing.T) {
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full")
	}
	defer f.Close()
	var errs strings.Builder
	code := run(context.Background(), []string{"analyze", "../../examples/taliban-peace-talks.txt"}, strings.NewReader(""), f, &errs)
	if code != exitFail || !strings.Contains(errs.String(), "writing the output") {
		t.Errorf("exit %d, stderr %q", code, errs.String())
	}
}

func TestBench(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("One article. Two sentences."), 0o644)
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("Another one, with “a quote.”"), 0o644)
	code, out, errs := runCLI(t, "", "bench", "--rounds", "1", dir)
	if code != exitOK || !strings.Contains(out, "2 documents") || !strings.Contains(out, "MB/s") || !strings.Contains(out, "tokens/s") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if code, _, _ := runCLI(t, "", "bench", t.TempDir()); code != exitFail {
		t.Errorf("bench on an empty directory: exit %d", code)
	}
	// --json on two CPUs, with profiles: the figures add up, every component has its share.
	prof := t.TempDir()
	code, out, errs = runCLI(t, "", "bench", "--rounds", "2", "--cpus", "2", "--json",
		"--cpuprofile", filepath.Join(prof, "cpu"), "--memprofile", filepath.Join(prof, "mem"), dir)
	var res benchResult
	used := float64(min(2, runtime.NumCPU()))
	if code != exitOK || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("bench --json: exit %d\n%s\n%s", code, out, errs)
	}
	if res.Documents != 2 || res.CPUs != 2 || res.Rounds != 2 || res.Tokens == 0 || res.Seconds <= 0 ||
		res.DocsPerSecPerCPU*used < res.DocsPerSec*0.999 || res.DocsPerSecPerCPU*used > res.DocsPerSec*1.001 || res.StartupSeconds <= 0 {
		t.Errorf("figures: %+v", res)
	}
	sum := 0.0
	for _, c := range res.Components {
		sum += c.Share
	}
	if len(res.Components) != len(res.Pipeline) || sum < 0.999 || sum > 1.001 {
		t.Errorf("component shares %+v sum to %v", res.Components, sum)
	}
	if runtime.GOOS == "linux" && res.PeakRSSMB <= 0 {
		t.Errorf("no peak RSS: %+v", res)
	}
	for _, f := range []string{"cpu", "mem", "mem.base"} {
		if fi, err := os.Stat(filepath.Join(prof, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s profile not written: %v", f, err)
		}
	}
	if code, _, _ := runCLI(t, "", "bench", "--cpus", "0", dir); code != exitUsage {
		t.Errorf("bench --cpus 0: exit %d", code)
	}
	// --layers: the pipeline timed is the one asked for.
	code, out, errs = runCLI(t, "", "bench", "--rounds", "1", "--json", "--layers", "timexes", dir)
	res = benchResult{}
	if code != exitOK || json.Unmarshal([]byte(out), &res) != nil || strings.Join(res.Pipeline, " ") != "clean.rules.v1 tokenize.rules.v1 sentence.rules.v1 timex.perceptron.v1" {
		t.Errorf("bench --layers timexes: exit %d, pipeline %v\n%s", code, res.Pipeline, errs)
	}
	if code, _, errs := runCLI(t, "", "bench", "--layers", "quotes", dir); code != exitUsage || !strings.Contains(errs, `unknown layer "quotes"`) {
		t.Errorf("bench --layers quotes: exit %d, %s", code, errs)
	}
}

// TestAnalyzeLayers: --layers computes the layers asked for (attributions with the entities they
// read) and no others, and refuses what it cannot do.
func TestAnalyzeLayers(t *testing.T) {
	for _, c := range []struct {
		layers   string
		has, not []string
	}{
		{"entities", []string{"entities"}, []string{"timexes", "attributions", "quotes"}},
		{"timexes", []string{"timexes"}, []string{"entities", "attributions"}},
		{"attributions", []string{"entities", "attributions", "quotes"}, []string{"timexes"}},
		{"all", []string{"entities", "timexes", "attributions", "quotes"}, nil},
		{"timexes, entities", []string{"entities", "timexes"}, []string{"attributions"}},
	} {
		code, out, errs := runCLI(t, "", "analyze", "--date", "2015-07-16", "--layers", c.layers, example)
		var got map[string]json.RawMessage
		if code != exitOK || json.Unmarshal([]byte(out), &got) != nil {
			t.Fatalf("--layers %s: exit %d\n%s", c.layers, code, errs)
		}
		for _, l := range c.has {
			if len(got[l]) < 10 {
				t.Errorf("--layers %s: no %s", c.layers, l)
			}
		}
		for _, l := range c.not {
			if _, ok := got[l]; ok {
				t.Errorf("--layers %s: a %s layer", c.layers, l)
			}
		}
	}
	for _, args := range [][]string{
		{"--layers", "sentiment"},
		{"--layers", ""},
		{"--layers", "entities", "--format", "brat"},
		{"--layers", "entities", "--format", "timeml"},
		{"--layers", "bogus", "--format", "timeml"},
	} {
		if code, _, _ := runCLI(t, "", append(append([]string{"analyze"}, args...), example)...); code != exitUsage {
			t.Errorf("analyze %v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestEvalSentences(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "doc.txt"), []byte("It rained. We left.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "doc.sentences.tsv"), []byte("0\t10\tIt rained.\n11\t19\tWe left.\n"), 0o644)
	code, out, errs := runCLI(t, "", "eval", "sentences", "--gum", dir)
	if code != exitOK || !strings.Contains(out, "F1 1.0000") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if code, _, _ := runCLI(t, "", "eval", "sentences"); code != exitUsage {
		t.Errorf("eval without gold: exit %d", code)
	}
	if code, _, _ := runCLI(t, "", "eval", "sentences", "--gum", t.TempDir()); code != exitFail {
		t.Errorf("eval on an empty directory: exit %d", code)
	}
}

// TestNERCommands trains a model on a tiny CoNLL file, tags with it and scores the result.
func TestNERCommands(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("-DOCSTART- -X- -X- O\n\n")
	for i := 0; i < 20; i++ {
		b.WriteString("Mr NNP B-NP O\nSmith NNP I-NP B-PER\nvisited VBD B-VP O\nKabul NNP B-NP B-LOC\n. . O O\n\n")
	}
	train := filepath.Join(dir, "train.txt")
	os.WriteFile(train, []byte(b.String()), 0o644)
	out := filepath.Join(dir, "model")
	code, stdout, errs := runCLI(t, "", "train", "ner", "--train", train, "--dev", train, "--out", out, "--epochs", "2", "--stages", "1")
	if code != exitOK || !strings.Contains(stdout, "dev (read once): P 100.00 R 100.00 F1 100.00 (resources rcv1,bllip,glove)") {
		t.Fatalf("train: exit %d\n%s\n%s", code, stdout, errs)
	}
	// The old recipe: the best epoch on dev.
	code, stdout, errs = runCLI(t, "", "train", "ner", "--train", train, "--dev", train, "--out", filepath.Join(dir, "m2"), "--epochs", "2", "--stages", "1", "--select-on-dev", "--resources", "none")
	if code != exitOK || !strings.Contains(stdout, "dev F1") {
		t.Fatalf("train --select-on-dev: exit %d\n%s\n%s", code, stdout, errs)
	}
	// Cross-validation: a score, no model (four documents, two folds).
	docs := filepath.Join(dir, "docs.txt")
	os.WriteFile(docs, []byte(strings.Repeat(b.String(), 4)), 0o644)
	code, stdout, errs = runCLI(t, "", "train", "ner", "--train", docs, "--cv", "2", "--epochs", "1", "--stages", "1", "--resources", "rcv1")
	if code != exitOK || !strings.Contains(stdout, "cv 2 folds, resources rcv1, class dropout 0.08, 1 epochs, rule surnames: P ") {
		t.Fatalf("train --cv: exit %d\n%s\n%s", code, stdout, errs)
	}
	for _, bad := range [][]string{{"--resources", "wiki"}, {"--consistency", "always"}} {
		if code, _, _ := runCLI(t, "", append([]string{"train", "ner", "--train", docs, "--cv", "2"}, bad...)...); code != exitUsage {
			t.Errorf("%v: exit %d", bad, code)
		}
	}
	model := filepath.Join(out, "model.bin")
	code, tagged, errs := runCLI(t, "", "tag", "--format", "conll", "--model", model, train)
	if code != exitOK || !strings.Contains(tagged, "Smith NNP I-NP B-PER B-PER\n") || !strings.HasPrefix(tagged, "-DOCSTART- -X- -X- O O\n\n") {
		t.Fatalf("tag: exit %d\n%.300s\n%s", code, tagged, errs)
	}
	code, score, _ := runCLI(t, tagged, "eval", "ner", "-")
	if code != exitOK || !strings.Contains(score, "F1 100.00") || !strings.Contains(score, "PER") {
		t.Errorf("eval ner: exit %d\n%s", code, score)
	}
	code, _, errs = runCLI(t, "", "tag", "--format", "conll", "--model", filepath.Join(dir, "missing.bin"), train)
	if code != exitFail || !strings.Contains(errs, "missing.bin") {
		t.Errorf("missing model: exit %d, %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", "eval", "ner", train); code != exitFail || !strings.Contains(errs, "--tag") {
		t.Errorf("eval ner on gold alone: exit %d, %s", code, errs)
	}
	if code, _, _ := runCLI(t, "", "train", "ner"); code != exitUsage {
		t.Errorf("train without data: exit %d", code)
	}
}

// polnearFixture writes a small PolNeAR-style folder: two articles with their gold relations.
func polnearFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "text"), 0o755)
	os.MkdirAll(filepath.Join(dir, "attributions"), 0o755)
	texts := map[string]string{
		"a": "“We will win the vote,” said Maria Gonzalez, a lawmaker from Madrid.\n\nThe vote is on Friday.",
		"b": "Officials said the bridge would reopen in May, according to Reuters.",
	}
	anns := map[string]string{
		"a": "T1\tSource 30 68\tMaria Gonzalez, a lawmaker from Madrid\nT2\tCue 25 29\tsaid\nT3\tContent 0 24\t“We will win the vote,”\nT4\tAttribution 25 29\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
		"b": "T1\tSource 0 9\tOfficials\nT2\tCue 10 14\tsaid\nT3\tContent 15 45\tthe bridge would reopen in May\nT4\tAttribution 10 14\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
	}
	for name, text := range texts {
		os.WriteFile(filepath.Join(dir, "text", name+".txt"), []byte(text), 0o644)
		os.WriteFile(filepath.Join(dir, "attributions", name+"_4b22.ann"), []byte(anns[name]), 0o644)
	}
	return dir
}

// TestAttributionCommands: brat output to standard output and to a folder, scoring the folder
// against gold (--pred) and the built-in model on the same gold, and the usage errors.
func TestAttributionCommands(t *testing.T) {
	code, ann, errs := runCLI(t, "", "analyze", "--format", "brat", example)
	if code != exitOK || !strings.Contains(ann, "\tCue ") || !strings.Contains(ann, "E1\tAttribution") {
		t.Fatalf("brat: exit %d\n%.300s\n%s", code, ann, errs)
	}
	// Every T line's offsets give its text, in code points of the file.
	raw, _ := os.ReadFile(example)
	runes := []rune(string(raw))
	for _, line := range strings.Split(strings.TrimSpace(ann), "\n") {
		if !strings.HasPrefix(line, "T") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		var words []string
		for _, piece := range strings.Split(strings.SplitN(parts[1], " ", 2)[1], ";") {
			var a, b int
			fmt.Sscan(piece, &a, &b)
			words = append(words, string(runes[a:b]))
		}
		if got := strings.ReplaceAll(strings.Join(words, " "), "\n", " "); got != parts[2] {
			t.Errorf("%s: offsets give %q", line, got)
		}
	}
	gold := polnearFixture(t)
	out := filepath.Join(t.TempDir(), "brat")
	if code, _, errs := runCLI(t, "", "analyze", "--format", "brat", filepath.Join(gold, "text")); code != exitUsage || !strings.Contains(errs, "--out") {
		t.Errorf("brat for a folder without --out: exit %d, %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", "analyze", "--format", "brat", "--out", out, filepath.Join(gold, "text")); code != exitOK {
		t.Fatalf("brat --out: exit %d, %s", code, errs)
	}
	for _, f := range []string{"a.txt", "a.ann", "b.txt", "b.ann"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	code, fromFiles, errs := runCLI(t, "", "eval", "attribution", "--pred", out, gold)
	if code != exitOK || !strings.Contains(fromFiles, "relation (full)") {
		t.Fatalf("eval --pred: exit %d\n%s\n%s", code, fromFiles, errs)
	}
	code, direct, _ := runCLI(t, "", "eval", "attribution", gold)
	if code != exitOK || direct != fromFiles {
		t.Errorf("eval of the brat files and of the model differ:\n%s\n%s", fromFiles, direct)
	}
	if !strings.Contains(direct, "gold 2") {
		t.Errorf("eval: %s", direct)
	}
	if code, rules, errs := runCLI(t, "", "eval", "attribution", "--rules", gold); code != exitOK || !strings.Contains(rules, "gold 2, found") {
		t.Errorf("eval --rules: exit %d\n%s\n%s", code, rules, errs)
	}
	if code, _, _ := runCLI(t, "", "eval", "attribution"); code != exitUsage {
		t.Errorf("eval attribution without gold: exit %d", code)
	}
	if code, _, _ := runCLI(t, "", "eval", "attribution", t.TempDir()); code != exitFail {
		t.Errorf("eval attribution on an empty folder: exit %d", code)
	}
	if code, _, _ := runCLI(t, "", "analyze", "--out", out, example); code != exitUsage {
		t.Errorf("--out without --format brat: exit %d", code)
	}
}

// TestTrainAttribAndSyntax trains both on tiny data and checks the models load.
func TestTrainAttribAndSyntax(t *testing.T) {
	gold := polnearFixture(t)
	out := filepath.Join(t.TempDir(), "attrib")
	code, stdout, errs := runCLI(t, "", "train", "attrib", "--train", gold, "--dev", gold, "--out", out, "--epochs", "2")
	if code != exitOK || !strings.Contains(stdout, "relation") {
		t.Fatalf("train attrib: exit %d\n%s\n%s", code, stdout, errs)
	}
	if code, score, errs := runCLI(t, "", "eval", "attribution", "--model", filepath.Join(out, "model.bin"), gold); code != exitOK || !strings.Contains(score, "relation") {
		t.Errorf("eval with the trained model: exit %d\n%s\n%s", code, score, errs)
	}
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; i < 5; i++ {
		b.WriteString("He PRP B-NP O\nsaid VBD B-VP O\nit PRP B-NP O\n. . O O\n\n")
	}
	train := filepath.Join(dir, "train.txt")
	os.WriteFile(train, []byte(b.String()), 0o644)
	code, stdout, errs = runCLI(t, "", "train", "syntax", "--train", train, "--dev", train, "--out", filepath.Join(dir, "syn"), "--epochs", "2")
	if code != exitOK || !strings.Contains(stdout, "dev accuracy 1.0000") {
		t.Errorf("train syntax: exit %d\n%s\n%s", code, stdout, errs)
	}
	os.WriteFile(train, []byte("He\nsaid\n"), 0o644)
	if code, _, _ := runCLI(t, "", "train", "syntax", "--train", train, "--out", dir); code != exitFail {
		t.Errorf("train syntax without POS columns: exit %d", code)
	}
}

// TestBratOutSafety: brat files never overwrite an input, names are never reused, an output
// folder inside the inputs is refused, and standard input with several records needs --out.
func TestBratOutSafety(t *testing.T) {
	in := t.TempDir()
	os.MkdirAll(filepath.Join(in, "sub"), 0o755)
	os.WriteFile(filepath.Join(in, "a.txt"), []byte("“Hi,” he said."), 0o644)
	os.WriteFile(filepath.Join(in, "sub", "a.txt"), []byte("“Yo,” she said."), 0o644)
	os.WriteFile(filepath.Join(in, "a-2.txt"), []byte("He said it rained."), 0o644)
	if code, _, errs := runCLI(t, "", "analyze", "--format", "brat", "--out", filepath.Join(in, "sub"), in); code != exitUsage || !strings.Contains(errs, "inside the input") {
		t.Errorf("--out inside the input: exit %d, %s", code, errs)
	}
	out := t.TempDir()
	if code, _, errs := runCLI(t, "", "analyze", "--format", "brat", "--out", out, in); code != exitOK {
		t.Fatalf("exit %d, %s", code, errs)
	}
	names, _ := filepath.Glob(filepath.Join(out, "*.txt"))
	texts := map[string]bool{}
	for _, n := range names {
		b, _ := os.ReadFile(n)
		texts[string(b)] = true
	}
	if len(names) != 3 || len(texts) != 3 {
		t.Errorf("%d .txt files with %d different texts, want 3 and 3: %v", len(names), len(texts), names)
	}
	if b, _ := os.ReadFile(filepath.Join(in, "a-2.txt")); string(b) != "He said it rained." {
		t.Errorf("an input was overwritten: %q", b)
	}
	recs := `{"text":"“A,” he said."}` + "\n" + `{"text":"“B,” she said."}` + "\n"
	if code, _, errs := runCLI(t, recs, "analyze", "--format", "brat", "-"); code != exitFail || !strings.Contains(errs, "--out") {
		t.Errorf("two records to standard output: exit %d, %s", code, errs)
	}
}

// timemlFixture writes a small TimeML gold folder (two documents, one in a subfolder) and returns
// its path.
func timemlFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	doc := func(dct, body string) string {
		return `<?xml version="1.0" ?>
<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="` + dct + `" functionInDocument="CREATION_TIME">` + dct + `</TIMEX3></DCT>
<TEXT>
` + body + `
</TEXT>
</TimeML>
`
	}
	os.WriteFile(filepath.Join(dir, "a.tml"), []byte(doc("2015-07-16", `The Taliban leader released a message on <TIMEX3 tid="t1" type="DATE" value="2015-07-15">Wednesday</TIMEX3>. The talks lasted <TIMEX3 tid="t2" type="DURATION" value="P2D">two days</TIMEX3> &amp; ended <TIMEX3 tid="t3" type="DATE" value="2015-06">last month</TIMEX3>.`)), 0o644)
	os.WriteFile(filepath.Join(dir, "sub", "b.tml"), []byte(doc("1998-02-13", `Shares rose <TIMEX3 tid="t1" type="DATE" value="1998-02-13">today</TIMEX3> after a <TIMEX3 tid="t2" type="DURATION" value="P3D">three-day</TIMEX3> slide in <TIMEX3 tid="t3" type="DATE" value="1998-01">January</TIMEX3>.`)), 0o644)
	return dir
}

// TestTimexCommands: analyze --format timeml writes each file back with our TIMEX3 tags (stdout for
// one, --out for several, keeping subfolders), eval timex scores the model or a folder of
// predictions, train timex writes a model that eval reads, and bad input is named.
func TestTimexCommands(t *testing.T) {
	gold := timemlFixture(t)
	code, out, errs := runCLI(t, "", "analyze", "--format", "timeml", filepath.Join(gold, "a.tml"))
	if code != exitOK || !strings.Contains(out, `<TIMEX3 tid="t1" type="DATE" value="2015-07-15" anchorTimeID="t0">Wednesday</TIMEX3>`) || !strings.Contains(out, "&amp; ended") {
		t.Fatalf("analyze --format timeml: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := runCLI(t, "", "analyze", "--format", "timeml", gold); code != exitUsage || !strings.Contains(errs, "--out") {
		t.Errorf("several TimeML files to stdout: exit %d, %s", code, errs)
	}
	pred := filepath.Join(t.TempDir(), "pred")
	if code, _, errs := runCLI(t, "", "analyze", "--format", "timeml", "--out", pred, gold); code != exitOK {
		t.Fatalf("analyze --format timeml --out: exit %d\n%s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(pred, "sub", "b.tml")); err != nil {
		t.Errorf("subfolder not kept: %v", err)
	}
	code, fromFiles, errs := runCLI(t, "", "eval", "timex", gold, pred)
	if code != exitOK || !strings.Contains(fromFiles, "gold 6") {
		t.Fatalf("eval timex GOLD PRED: exit %d\n%s\n%s", code, fromFiles, errs)
	}
	code, direct, errs := runCLI(t, "", "eval", "timex", gold)
	if code != exitOK || direct != fromFiles {
		t.Errorf("eval timex GOLD: exit %d\n%s\nwant the same as from the files:\n%s\n%s", code, direct, fromFiles, errs)
	}
	if !strings.Contains(direct, "value    F1 100.00") {
		t.Errorf("the fixture's values are not all right:\n%s", direct)
	}
	model := filepath.Join(t.TempDir(), "timex")
	code, out, errs = runCLI(t, "", "train", "timex", "--train", gold, "--dev", gold, "--out", model, "--epochs", "3")
	if code != exitOK || !strings.Contains(out, "strict") {
		t.Fatalf("train timex: exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs := runCLI(t, "", "eval", "timex", "--model", filepath.Join(model, "model.bin"), "--errors", gold); code != exitOK || !strings.Contains(out, "relaxed") {
		t.Errorf("eval timex --model: exit %d\n%s\n%s", code, out, errs)
	}
	// A .TE3input file (the gold file without its tags) is written as NAME.tml, which eval finds.
	inDir := t.TempDir()
	raw, _ := os.ReadFile(filepath.Join(gold, "a.tml"))
	plain := regexp.MustCompile(`</?(TIMEX3|EVENT)[^>]*>`).ReplaceAllString(string(raw), "")
	// The DCT keeps its TIMEX3: put it back from the original.
	dctStart, dctEnd := strings.Index(string(raw), "<DCT>"), strings.Index(string(raw), "</DCT>")
	ps, pe := strings.Index(plain, "<DCT>"), strings.Index(plain, "</DCT>")
	plain = plain[:ps] + string(raw)[dctStart:dctEnd] + plain[pe:]
	os.WriteFile(filepath.Join(inDir, "a.TE3input"), []byte(plain), 0o644)
	te3out := filepath.Join(t.TempDir(), "te3")
	if code, _, errs := runCLI(t, "", "analyze", "--format", "timeml", "--out", te3out, inDir); code != exitOK {
		t.Fatalf("analyze .TE3input: exit %d\n%s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(te3out, "a.tml")); err != nil {
		t.Errorf(".TE3input not written as a.tml: %v", err)
	}
	goldA := t.TempDir()
	os.WriteFile(filepath.Join(goldA, "a.tml"), raw, 0o644)
	if code, out, errs := runCLI(t, "", "eval", "timex", goldA, te3out); code != exitOK || !strings.Contains(out, "gold 3") {
		t.Errorf("eval timex on .TE3input output: exit %d\n%s\n%s", code, out, errs)
	}
	// Standard input, no DCT: --date is the document date, and no anchor names a DCT element.
	code, out, errs = runCLI(t, "<TimeML><TEXT>They met on Wednesday.</TEXT></TimeML>", "analyze", "--format", "timeml", "--date", "2015-07-16", "-")
	if code != exitOK || !strings.Contains(out, `value="2015-07-15">Wednesday</TIMEX3>`) || strings.Contains(out, "anchorTimeID") {
		t.Errorf("TimeML from standard input: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, _ := runCLI(t, "", "eval", "timex", "--model", filepath.Join(model, "model.bin"), gold, pred); code != exitUsage {
		t.Errorf("eval timex --model with PRED_DIR: exit %d", code)
	}
	bad := filepath.Join(t.TempDir(), "bad.tml")
	os.WriteFile(bad, []byte("<TimeML><TEXT>open <EVENT eid=\"e1\">never closed</TEXT></TimeML>"), 0o644)
	if code, _, errs := runCLI(t, "", "analyze", "--format", "timeml", bad); code != exitFail || !strings.Contains(errs, "bad.tml") || !strings.Contains(errs, "not closed") {
		t.Errorf("bad TimeML: exit %d, %s", code, errs)
	}
}

// TestAttributionAgreement: with a second annotator on one article who found the same relation
// with a different source, agreement is relation F1 1 and full F1 0; with no article annotated
// twice it is an error.
func TestAttributionAgreement(t *testing.T) {
	gold := polnearFixture(t)
	if code, _, errs := runCLI(t, "", "eval", "attribution", "--agreement", gold); code != exitFail || !strings.Contains(errs, "more than once") {
		t.Errorf("no double annotation: exit %d, %s", code, errs)
	}
	second := "T1\tSource 0 9\tOfficials\nT2\tCue 10 14\tsaid\nT3\tContent 15 45\tthe bridge would reopen in May\nT4\tAttribution 10 14\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2\n"
	os.WriteFile(filepath.Join(gold, "attributions", "b_ef2d.ann"), []byte(second), 0o644)
	code, out, errs := runCLI(t, "", "eval", "attribution", "--agreement", gold)
	if code != exitOK || !strings.Contains(out, "1 articles annotated several times, 1 pairs") ||
		!strings.Contains(out, "relation           precision 100.00%") || !strings.Contains(out, "relation (full)    precision   0.00%") {
		t.Errorf("agreement: exit %d\n%s\n%s", code, out, errs)
	}
}

func TestExtractAndAnalyzeHTML(t *testing.T) {
	dir := t.TempDir()
	page := `<!DOCTYPE html><html><head><title>Talks | Example News</title><meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2015-07-15"></head><body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>Talks</h1><p>“We are committed to the talks,” the spokesman for the Taliban said on Wednesday in Kabul.</p>
<p>Officials in Islamabad described the meeting in Murree as constructive, according to the BBC.</p></article>
<footer>© 2015 Example News. Subscribe today.</footer></body></html>`
	path := filepath.Join(dir, "page.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "extract", path)
	if code != exitOK || !strings.HasPrefix(out, "“We are committed") || strings.Contains(out, "Subscribe") || strings.Contains(out, "Sport") {
		t.Fatalf("extract: code %d, out %q, stderr %q", code, out, errs)
	}
	code, out, _ = runCLI(t, "", "extract", "--json", "--url", "https://example.com/talks", path)
	if code != exitOK || !strings.Contains(out, `"url":"https://example.com/talks"`) || !strings.Contains(out, `"publisher":"Example News"`) || !strings.Contains(out, `"date":"2015-07-15"`) {
		t.Fatalf("extract --json: %d %s", code, out)
	}
	code, _, errs = runCLI(t, "", "extract", filepath.Join(dir, "missing.html"))
	if code != exitFail || !strings.Contains(errs, "missing.html") {
		t.Errorf("missing file: %d %q", code, errs)
	}
	code, out, errs = runCLI(t, "", "analyze", path)
	if code != exitOK {
		t.Fatalf("analyze: %d %s", code, errs)
	}
	d := decodeDoc(t, []byte(out))
	if !strings.HasPrefix(d.Text, "“We are committed") || d.Meta.Date != "2015-07-15" {
		t.Errorf("analyze HTML: text %q date %q", d.Text, d.Meta.Date)
	}
	if !strings.Contains(out, `"speaker_name"`) || !strings.Contains(out, `"format": "html"`) {
		t.Errorf("analyze HTML: no attribution speaker or input format: %s", out)
	}
}

func TestSetMemoryLimit(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(prev)
	debug.SetMemoryLimit(math.MaxInt64)
	if got := setMemoryLimit(func(string) string { return "" }); got != defaultMemoryLimit {
		t.Errorf("without GOMEMLIMIT: limit %d, want %d", got, defaultMemoryLimit)
	}
	debug.SetMemoryLimit(math.MaxInt64)
	if got := setMemoryLimit(func(string) string { return "4GiB" }); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set: the limit was changed to %d", got)
	}
}

// TestHabits: what a new user types wrong gets a line that says what to do.
func TestHabits(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "a.txt")
	os.WriteFile(f, []byte("Tony Blair said the plan was good."), 0o644)
	if code, out, errs := runCLI(t, "", "analyse", "--layers", "entities", f); code != exitOK || !strings.Contains(out, "Tony Blair") {
		t.Errorf("analyse: %d %s %s", code, out, errs)
	}
	if code, _, errs := runCLI(t, "", "analyze", "--formt", "text", f); code != exitUsage || !strings.Contains(errs, "did you mean --format?") || strings.Contains(errs, "Flags:") {
		t.Errorf("a misspelt flag: %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", "qoutes"); code != exitUsage || !strings.Contains(errs, "did you mean quotes?") {
		t.Errorf("a misspelt command: %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", "analyze", "https://example.com/story"); code != exitUsage || !strings.Contains(errs, "newsgraph ingest") {
		t.Errorf("analyze a URL: %d %s", code, errs)
	}
	for _, cmd := range []string{"search", "quotes", "sources", "show"} {
		_, _, errs := runCLI(t, "", cmd, "-h")
		if strings.Contains(errs, "created if missing") || strings.Count(errs, "newsgraph.db") != 1 {
			t.Errorf("%s -h: %s", cmd, errs)
		}
	}
	if _, _, errs := runCLI(t, "", "analyze", "-h"); !strings.Contains(errs, "Reading the terminal view") || !strings.Contains(errs, "⏎") {
		t.Errorf("analyze -h does not explain the view: %s", errs)
	}
	// Duplicates within one input are not "already stored".
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	for i, name := range []string{"x.txt", "y.txt"} {
		_ = i
		os.WriteFile(filepath.Join(in, name), []byte("The same story about the talks in Kabul, word for word, in two files."), 0o644)
	}
	db := filepath.Join(dir, "s.db")
	code, _, errs := runCLI(t, "", "ingest", "--db", db, "--progress", "never", in)
	if code != exitOK || !strings.Contains(errs, "1 stored") || !strings.Contains(errs, "0 already stored, 1 duplicates in the input") {
		t.Errorf("ingest of a duplicate: %d %s", code, errs)
	}
	_, _, errs = runCLI(t, "", "ingest", "--db", db, "--progress", "never", in)
	if !strings.Contains(errs, "2 already stored, 0 duplicates in the input") {
		t.Errorf("ingest again: %s", errs)
	}
}
