package source

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/newsgraph/newsgraph"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     string
		encoding string
		bom      bool
		err      error // matched with errors.Is; nil means success
	}{
		{name: "empty", in: "", want: ""},
		{name: "ascii", in: "Hello, world.\n", want: "Hello, world.\n"},
		{name: "utf8 accents", in: "Café São Paulo, Zürich", want: "Café São Paulo, Zürich"},
		{name: "curly quotes", in: "\u201cHello,\u201d he said. \u2018Yes\u2019", want: "\u201cHello,\u201d he said. \u2018Yes\u2019"},
		{name: "em dash", in: "Kabul \u2014 The Taliban", want: "Kabul \u2014 The Taliban"},
		{name: "CJK", in: "東京 (Reuters) 日本語の記事", want: "東京 (Reuters) 日本語の記事"},
		{name: "emoji", in: "Great news 🎉👍🏽 today", want: "Great news 🎉👍🏽 today"},
		{name: "CRLF unchanged", in: "Line one.\r\nLine two.\r\n", want: "Line one.\r\nLine two.\r\n"},
		{name: "tab and form feed are text", in: "a\tb\fc\n", want: "a\tb\fc\n"},
		{name: "few control chars are text", in: "A sentence long enough \x0b to dilute one control char.", want: "A sentence long enough \x0b to dilute one control char."},
		{name: "utf8 BOM removed", in: "\xEF\xBB\xBFHello", want: "Hello", bom: true},
		{name: "utf8 BOM only", in: "\xEF\xBB\xBF", want: "", bom: true},
		{name: "utf8 BOM with multibyte", in: "\xEF\xBB\xBF\u201cQuote\u201d", want: "\u201cQuote\u201d", bom: true},
		{name: "utf16 LE BOM", in: "\xFF\xFEH\x00i\x00", err: newsgraph.ErrNotUTF8},
		{name: "utf16 BE BOM", in: "\xFE\xFF\x00H\x00i", err: newsgraph.ErrNotUTF8},
		{name: "NUL byte", in: "hello\x00world", err: newsgraph.ErrBinary},
		{name: "NUL after BOM", in: "\xEF\xBB\xBFab\x00", err: newsgraph.ErrBinary, bom: true},
		{name: "many control chars", in: "\x01\x02\x03\x04\x05abcdefgh", err: newsgraph.ErrBinary},
		{name: "latin1 pound", in: "Price: \xA3100 only", want: "Price: £100 only", encoding: "windows-1252"},
		{name: "latin1 e acute", in: "caf\xE9 cr\xE8me", want: "café crème", encoding: "windows-1252"},
		{name: "cp1252 euro and quotes", in: "\x93Hi\x94 costs \x80" + "5", want: "\u201cHi\u201d costs €5", encoding: "windows-1252"},
		{name: "undefined 0x81", in: "abc \x81 def", err: newsgraph.ErrNotUTF8},
		{name: "undefined 0x8D", in: "abc \x8D def", err: newsgraph.ErrNotUTF8},
		{name: "undefined 0x8F", in: "abc \x8F def", err: newsgraph.ErrNotUTF8},
		{name: "undefined 0x90", in: "abc \x90 def", err: newsgraph.ErrNotUTF8},
		{name: "undefined 0x9D", in: "abc \x9D def", err: newsgraph.ErrNotUTF8},
		{name: "undefined byte after latin1", in: "\xA3 then \x9D", err: newsgraph.ErrNotUTF8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Decode([]byte(tc.in))
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("Decode(%q) error = %v, want %v", tc.in, err, tc.err)
				}
				if d.BOM != tc.bom {
					t.Errorf("BOM = %v, want %v", d.BOM, tc.bom)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode(%q) error = %v", tc.in, err)
			}
			if d.Text != tc.want {
				t.Errorf("Text = %q, want %q", d.Text, tc.want)
			}
			if d.Encoding != tc.encoding {
				t.Errorf("Encoding = %q, want %q", d.Encoding, tc.encoding)
			}
			if d.BOM != tc.bom {
				t.Errorf("BOM = %v, want %v", d.BOM, tc.bom)
			}
		})
	}
}

func TestDecodeUTF16NotBinary(t *testing.T) {
	// UTF-16 text is full of NUL bytes; it must be reported as an encoding problem, not binary.
	_, err := Decode([]byte("\xFF\xFEH\x00e\x00l\x00l\x00o\x00"))
	if !errors.Is(err, newsgraph.ErrNotUTF8) || errors.Is(err, newsgraph.ErrBinary) {
		t.Fatalf("err = %v, want ErrNotUTF8 only", err)
	}
	if !strings.Contains(err.Error(), "UTF-16") {
		t.Errorf("error %q does not say UTF-16", err)
	}
}

func TestDecodeMultibyteIdentical(t *testing.T) {
	in := []byte("\u201cIt\u2019s a deal\u201d \u2014 東京 🎉 naïve")
	d, err := Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	if d.Text != string(in) || d.Encoding != "" || d.BOM {
		t.Fatalf("got %+v, want the input byte-identical", d)
	}
}

// collect runs Read and returns every item.
func collect(t *testing.T, paths []string, opts Options) []Item {
	t.Helper()
	var items []Item
	err := Read(context.Background(), paths, opts, func(it Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return items
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkInputErr checks that err is an *InputError naming path and matching target.
func checkInputErr(t *testing.T, err error, path string, target error) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want %v", path, target)
	}
	var ie *newsgraph.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("%s: error %T (%v) is not *newsgraph.InputError", path, err, err)
	}
	if ie.Input != path {
		t.Errorf("InputError.Input = %q, want %q", ie.Input, path)
	}
	if name := newsgraph.InputName(path, 0); !strings.Contains(err.Error(), name) {
		t.Errorf("error %q does not name %q", err, name)
	}
	if !errors.Is(err, target) {
		t.Errorf("error %v does not match %v", err, target)
	}
}

func TestReadDirectory(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("word ", 40) // 200 bytes
	files := map[string]string{
		"a.txt":            "First article.\n",
		"b/c.txt":          "Nested article.\r\nSecond line.\r\n",
		"b/d.jsonl":        `{"text":"Record one."}` + "\n" + `{"text":"Record two."}` + "\n",
		"b/e.md":           "# ignored markdown\n",
		"b/f/binary.txt":   "\x00\x01\x02\x03binary\x00",
		"b/f/empty.txt":    "",
		"b/f/huge.txt":     big,
		"b/f/latin1.txt":   "Price \xA3100\n",
		"b/g.ndjson":       `{"text":"ND record."}` + "\n",
		"c/only-space.TXT": " \n\t\n",
		"z.txt":            "Last article.\n",
		"z.dat":            "not read\n",
	}
	for name, content := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	missing := filepath.Join(dir, "no-such-file.txt")
	p := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }

	items := collect(t, []string{dir, missing, p("a.txt")}, Options{MaxBytes: 100})

	type want struct {
		path   string
		record int
		text   string
		err    error
	}
	wants := []want{
		{path: p("a.txt"), text: "First article.\n"},
		{path: p("b/c.txt"), text: "Nested article.\r\nSecond line.\r\n"},
		{path: p("b/d.jsonl"), record: 1, text: "Record one."},
		{path: p("b/d.jsonl"), record: 2, text: "Record two."},
		{path: p("b/f/binary.txt"), err: newsgraph.ErrBinary},
		{path: p("b/f/empty.txt"), err: newsgraph.ErrEmpty},
		{path: p("b/f/huge.txt"), err: newsgraph.ErrTooLarge},
		{path: p("b/f/latin1.txt"), text: "Price £100\n"},
		{path: p("b/g.ndjson"), record: 1, text: "ND record."},
		{path: p("c/only-space.TXT"), err: newsgraph.ErrEmpty},
		{path: p("z.txt"), text: "Last article.\n"},
		{path: missing, err: fs.ErrNotExist},
		{path: p("a.txt"), text: "First article.\n"},
	}
	if len(items) != len(wants) {
		for i, it := range items {
			t.Logf("item %d: path %q record %d err %v", i, it.Meta.Input.Path, it.Meta.Input.Record, it.Err)
		}
		t.Fatalf("got %d items, want %d", len(items), len(wants))
	}
	for i, w := range wants {
		it := items[i]
		if w.err != nil {
			checkInputErr(t, it.Err, w.path, w.err)
			continue
		}
		if it.Err != nil {
			t.Errorf("item %d (%s): unexpected error %v", i, w.path, it.Err)
			continue
		}
		if it.Meta.Input.Path != w.path {
			t.Errorf("item %d: path %q, want %q", i, it.Meta.Input.Path, w.path)
		}
		if it.Meta.Input.Record != w.record {
			t.Errorf("item %d (%s): record %d, want %d", i, w.path, it.Meta.Input.Record, w.record)
		}
		if it.Text != w.text {
			t.Errorf("item %d (%s): text %q, want %q", i, w.path, it.Text, w.text)
		}
	}

	// The Latin-1 file is decoded with a warning naming it.
	lat := items[7]
	if lat.Meta.Input.Encoding != "windows-1252" {
		t.Errorf("latin1 Encoding = %q", lat.Meta.Input.Encoding)
	}
	if len(lat.Warnings) != 1 || !strings.Contains(lat.Warnings[0], p("b/f/latin1.txt")) || !strings.Contains(lat.Warnings[0], "windows-1252") {
		t.Errorf("latin1 warnings = %q", lat.Warnings)
	}
	if got := items[0].Meta.Input.Bytes; got != len("First article.\n") {
		t.Errorf("a.txt Bytes = %d", got)
	}
	if items[0].Warnings != nil {
		t.Errorf("a.txt warnings = %q", items[0].Warnings)
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content string
		opts    Options
		err     error
		offset  int // expected InputError.Offset
	}{
		{name: "bin.txt", content: "PK\x03\x04\x00\x00zipdata", err: newsgraph.ErrBinary, offset: -1},
		{name: "ctl.txt", content: strings.Repeat("\x07", 10) + "abc", err: newsgraph.ErrBinary, offset: -1},
		{name: "big.txt", content: strings.Repeat("x", 11), opts: Options{MaxBytes: 10}, err: newsgraph.ErrTooLarge, offset: -1},
		{name: "empty.txt", content: "", err: newsgraph.ErrEmpty, offset: -1},
		{name: "bomonly.txt", content: "\xEF\xBB\xBF\n", err: newsgraph.ErrEmpty, offset: -1},
		{name: "utf16.txt", content: "\xFF\xFEa\x00", err: newsgraph.ErrNotUTF8, offset: -1},
		{name: "bad.txt", content: "abc\x81def", err: newsgraph.ErrNotUTF8, offset: 3},
		{name: "badbom.txt", content: "\xEF\xBB\xBFab\x9D", err: newsgraph.ErrNotUTF8, offset: 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			writeFile(t, path, tc.content)
			items := collect(t, []string{path}, tc.opts)
			if len(items) != 1 {
				t.Fatalf("got %d items, want 1", len(items))
			}
			checkInputErr(t, items[0].Err, path, tc.err)
			var ie *newsgraph.InputError
			if errors.As(items[0].Err, &ie) && ie.Offset != tc.offset {
				t.Errorf("Offset = %d, want %d", ie.Offset, tc.offset)
			}
		})
	}
}

func TestReadSizeLimitBoundary(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "exact.txt")
	writeFile(t, path, "0123456789")
	items := collect(t, []string{path}, Options{MaxBytes: 10})
	if len(items) != 1 || items[0].Err != nil || items[0].Text != "0123456789" {
		t.Fatalf("a file of exactly MaxBytes: got %+v", items)
	}
}

func TestReadMissingContinues(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	writeFile(t, good, "Good.")
	missing := filepath.Join(dir, "missing", "x.txt")
	items := collect(t, []string{missing, good}, Options{})
	if len(items) != 2 {
		t.Fatalf("got %d items, want 2", len(items))
	}
	checkInputErr(t, items[0].Err, missing, fs.ErrNotExist)
	if strings.Count(items[0].Err.Error(), missing) != 1 {
		t.Errorf("error names the path more than once: %q", items[0].Err)
	}
	if items[1].Err != nil || items[1].Text != "Good." || items[1].Meta.Input.Path != good {
		t.Errorf("good item = %+v", items[1])
	}
}

func TestReadJSONL(t *testing.T) {
	type want struct {
		record int
		text   string
		meta   newsgraph.Meta // Input.Path, Input.Record and Input.Bytes are not compared
		err    error
	}
	tests := []struct {
		name  string
		input string
		opts  Options
		want  []want
	}{
		{
			name: "full record",
			input: `{"text":"Body text.","title":"A Title","publisher":"Reuters","date":"2015-07-16","url":"https://example.com/a"}` + "\n" +
				`{"text":"Second."}` + "\n",
			want: []want{
				{record: 1, text: "Body text.", meta: newsgraph.Meta{Title: "A Title", TitleSource: "input", Publisher: "Reuters", PublisherSource: "input", Date: "2015-07-16", URL: "https://example.com/a"}},
				{record: 2, text: "Second."},
			},
		},
		{
			name:  "malformed line",
			input: `{"text":"one"}` + "\n" + `{"text": "two"` + "\n" + `{"text":"three"}` + "\n",
			want: []want{
				{record: 1, text: "one"},
				{record: 2, err: newsgraph.ErrBadJSON},
				{record: 3, text: "three"},
			},
		},
		{
			name:  "not an object",
			input: `["text"]` + "\n" + `"text"` + "\n",
			want:  []want{{record: 1, err: newsgraph.ErrBadJSON}, {record: 2, err: newsgraph.ErrBadJSON}},
		},
		{
			name:  "no text",
			input: `{"title":"Only a title"}` + "\n" + `{"text":"   "}` + "\n" + `{"text":"ok"}` + "\n",
			want: []want{
				{record: 1, err: newsgraph.ErrEmpty},
				{record: 2, err: newsgraph.ErrEmpty},
				{record: 3, text: "ok"},
			},
		},
		{
			name:  "blank lines skipped but counted",
			input: "\n" + `{"text":"a"}` + "\n\n  \r\n" + `{"text":"b"}` + "\n\n",
			want:  []want{{record: 2, text: "a"}, {record: 5, text: "b"}},
		},
		{
			name:  "no trailing newline",
			input: `{"text":"a"}` + "\n" + `{"text":"last"}`,
			want:  []want{{record: 1, text: "a"}, {record: 2, text: "last"}},
		},
		{
			name:  "CRLF line endings",
			input: `{"text":"a\r\nb"}` + "\r\n" + `{"text":"c"}` + "\r\n",
			want:  []want{{record: 1, text: "a\r\nb"}, {record: 2, text: "c"}},
		},
		{
			name:  "record over MaxBytes",
			input: `{"text":"short"}` + "\n" + `{"text":"` + strings.Repeat("x", 100) + `"}` + "\n" + `{"text":"after"}` + "\n",
			opts:  Options{MaxBytes: 50},
			want: []want{
				{record: 1, text: "short"},
				{record: 2, err: newsgraph.ErrTooLarge},
				{record: 3, text: "after"},
			},
		},
		{
			name:  "last record over MaxBytes without newline",
			input: `{"text":"short"}` + "\n" + `{"text":"` + strings.Repeat("x", 100) + `"}`,
			opts:  Options{MaxBytes: 50},
			want:  []want{{record: 1, text: "short"}, {record: 2, err: newsgraph.ErrTooLarge}},
		},
		{
			name: "record longer than the read buffer",
			input: `{"text":"` + strings.Repeat("y", 200<<10) + `"}` + "\n" + `{"text":"after"}` + "\n" +
				`{"text":"` + strings.Repeat("z", 100<<10) + `"}` + "\n",
			opts: Options{MaxBytes: 150 << 10},
			want: []want{
				{record: 1, err: newsgraph.ErrTooLarge},
				{record: 2, text: "after"},
				{record: 3, text: strings.Repeat("z", 100<<10)},
			},
		},
		{
			name:  "binary and invalid UTF-8 records",
			input: `{"text":"a\u0000b"}` + "\n" + "{\"text\":\"caf\xE9\"}\n" + `{"text":"fine"}` + "\n",
			want: []want{
				{record: 1, err: newsgraph.ErrBinary},
				{record: 2, err: newsgraph.ErrNotUTF8},
				{record: 3, text: "fine"},
			},
		},
		{
			name:  "BOM on first line and in text",
			input: "\xEF\xBB\xBF" + `{"text":"\ufeffHello"}` + "\n",
			want:  []want{{record: 1, text: "Hello"}},
		},
		{
			name:  "unicode escapes and multibyte",
			input: `{"text":"\u201cQuote\u201d \u2014 東京 🎉"}` + "\n",
			want:  []want{{record: 1, text: "\u201cQuote\u201d \u2014 東京 🎉"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "in.jsonl")
			writeFile(t, path, tc.input)
			items := collect(t, []string{path}, tc.opts)
			if len(items) != len(tc.want) {
				for i, it := range items {
					t.Logf("item %d: record %d err %v", i, it.Meta.Input.Record, it.Err)
				}
				t.Fatalf("got %d items, want %d", len(items), len(tc.want))
			}
			for i, w := range tc.want {
				it := items[i]
				if w.err != nil {
					checkInputErr(t, it.Err, path, w.err)
					var ie *newsgraph.InputError
					if errors.As(it.Err, &ie) && ie.Record != w.record {
						t.Errorf("item %d: InputError.Record = %d, want %d", i, ie.Record, w.record)
					}
					if want := "record " + strconv.Itoa(w.record); !strings.Contains(it.Err.Error(), want) {
						t.Errorf("item %d: error %q does not name %q", i, it.Err, want)
					}
					continue
				}
				if it.Err != nil {
					t.Errorf("item %d: unexpected error %v", i, it.Err)
					continue
				}
				if it.Text != w.text {
					t.Errorf("item %d: text %q, want %q", i, trunc(it.Text), trunc(w.text))
				}
				if it.Meta.Input.Path != path || it.Meta.Input.Record != w.record {
					t.Errorf("item %d: input %+v, want path %q record %d", i, it.Meta.Input, path, w.record)
				}
				got := it.Meta
				got.Input = newsgraph.Input{}
				if got != w.meta {
					t.Errorf("item %d: meta %+v, want %+v", i, got, w.meta)
				}
			}
		})
	}
}

// TestReadJSONLTrailingGarbage: a line holding more than one JSON value is not a JSON Lines record.
func TestReadJSONLTrailingGarbage(t *testing.T) {
	for _, line := range []string{`{"text":"a"} xyz`, `{"text":"a"}{"text":"b"}`} {
		items := collect(t, []string{"-"}, Options{Stdin: strings.NewReader(line + "\n"), Format: "jsonl"})
		if len(items) != 1 || !errors.Is(items[0].Err, newsgraph.ErrBadJSON) {
			t.Errorf("%s: got %+v, want ErrBadJSON", line, items)
		}
	}
}

// TestReadJSONLLimitBoundary: records of exactly MaxBytes are read, one byte more is refused,
// whether or not the line ends with a newline.
func TestReadJSONLLimitBoundary(t *testing.T) {
	rec := func(n int) string { // a record of exactly n bytes
		return `{"text":"` + strings.Repeat("x", n-len(`{"text":""}`)) + `"}`
	}
	const limit = 40
	tests := []struct {
		name  string
		input string
		err   error
	}{
		{name: "exact with newline", input: rec(limit) + "\n"},
		{name: "exact without newline", input: rec(limit)},
		{name: "exact with CRLF", input: rec(limit) + "\r\n"},
		{name: "one over with newline", input: rec(limit+1) + "\n", err: newsgraph.ErrTooLarge},
		{name: "one over without newline", input: rec(limit + 1), err: newsgraph.ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items := collect(t, []string{"-"}, Options{Stdin: strings.NewReader(tc.input), MaxBytes: limit})
			if len(items) != 1 {
				t.Fatalf("got %d items, want 1", len(items))
			}
			if tc.err == nil {
				if items[0].Err != nil {
					t.Fatalf("unexpected error %v", items[0].Err)
				}
				return
			}
			checkInputErr(t, items[0].Err, "-", tc.err)
		})
	}
}

func TestReadStdin(t *testing.T) {
	type want struct {
		record int
		text   string
		err    error
	}
	tests := []struct {
		name  string
		input string
		opts  Options
		want  []want
	}{
		{name: "plain text", input: "Just an article.\nSecond line.\n", want: []want{{text: "Just an article.\nSecond line.\n"}}},
		{name: "CRLF text", input: "Line one.\r\n\r\nLine two.\r\n", want: []want{{text: "Line one.\r\n\r\nLine two.\r\n"}}},
		{name: "text with BOM", input: "\xEF\xBB\xBFHello.", want: []want{{text: "Hello."}}},
		{name: "latin1 text", input: "Cost \xA35", want: []want{{text: "Cost £5"}}},
		{
			name:  "JSON Lines by sniffing",
			input: `{"text":"one","title":"T"}` + "\n" + `{"text":"two"}` + "\n",
			want:  []want{{record: 1, text: "one"}, {record: 2, text: "two"}},
		},
		{
			name:  "JSON Lines after blank space and BOM",
			input: "\xEF\xBB\xBF" + `{"text":"one"}` + "\n",
			want:  []want{{record: 1, text: "one"}},
		},
		{
			name:  "JSON Lines after a blank line",
			input: "\n  " + `{"text":"one"}` + "\n",
			want:  []want{{record: 2, text: "one"}},
		},
		{
			name:  "Format text forces text",
			input: `{"text":"one"}` + "\n",
			opts:  Options{Format: "text"},
			want:  []want{{text: `{"text":"one"}` + "\n"}},
		},
		{
			name:  "Format jsonl forces JSON Lines",
			input: `not json` + "\n",
			opts:  Options{Format: "jsonl"},
			want:  []want{{record: 1, err: newsgraph.ErrBadJSON}},
		},
		{name: "text over MaxBytes", input: strings.Repeat("a", 21), opts: Options{MaxBytes: 20}, want: []want{{err: newsgraph.ErrTooLarge}}},
		{name: "text at MaxBytes", input: strings.Repeat("a", 20), opts: Options{MaxBytes: 20}, want: []want{{text: strings.Repeat("a", 20)}}},
		{name: "large text over MaxBytes", input: strings.Repeat("b", 300<<10), opts: Options{MaxBytes: 100 << 10}, want: []want{{err: newsgraph.ErrTooLarge}}},
		{name: "empty", input: "", want: []want{{err: newsgraph.ErrEmpty}}},
		{name: "binary", input: "\x00\x00\x00\x01", want: []want{{err: newsgraph.ErrBinary}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.Stdin = strings.NewReader(tc.input)
			items := collect(t, []string{"-"}, opts)
			if len(items) != len(tc.want) {
				t.Fatalf("got %d items, want %d", len(items), len(tc.want))
			}
			for i, w := range tc.want {
				it := items[i]
				if w.err != nil {
					checkInputErr(t, it.Err, "-", w.err)
					continue
				}
				if it.Err != nil {
					t.Fatalf("item %d: unexpected error %v", i, it.Err)
				}
				if it.Text != w.text {
					t.Errorf("item %d: text %q, want %q", i, trunc(it.Text), trunc(w.text))
				}
				if it.Meta.Input.Path != "-" || it.Meta.Input.Record != w.record {
					t.Errorf("item %d: input %+v, want path \"-\" record %d", i, it.Meta.Input, w.record)
				}
			}
		})
	}
}

func TestReadStopsOnCallbackError(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.txt", "b.txt", "c.txt"} {
		writeFile(t, filepath.Join(dir, n), "Text "+n)
	}
	stop := errors.New("stop")
	calls := 0
	err := Read(context.Background(), []string{dir}, Options{}, func(Item) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 2 {
		t.Fatalf("err = %v after %d calls, want stop after 2", err, calls)
	}
}

func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	err := Read(ctx, []string{"-"}, Options{Stdin: strings.NewReader("text")}, func(Item) error {
		calls++
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 0 {
		t.Fatalf("err = %v, calls = %d; want context.Canceled and no calls", err, calls)
	}
}

func trunc(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// TestDecodeMixed: a UTF-8 file with one stray Latin-1 byte keeps its UTF-8 and decodes the byte.
func TestDecodeMixed(t *testing.T) {
	d, err := Decode([]byte("They don\xe2\x80\x99t pay \xa3500 \xe2\x80\x94 \xe5\x8c\x97"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Text != "They don’t pay £500 — 北" || d.Encoding != "windows-1252" {
		t.Errorf("got %q (%s)", d.Text, d.Encoding)
	}
	// A NUL byte far past the sniffed start still marks the input binary.
	long := strings.Repeat("plain text ", 2000) + "\x00\x01\x02"
	if _, err := Decode([]byte(long)); !errors.Is(err, newsgraph.ErrBinary) {
		t.Errorf("text with a binary tail: %v", err)
	}
}

// TestReadFIFOLimit: a named pipe has no size to check beforehand; the limit applies as it is read.
func TestReadFIFOLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pipe.txt")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		f.Write([]byte(strings.Repeat("word ", 1000))) // 5000 bytes
	}()
	items := collect(t, []string{path}, Options{MaxBytes: 1000})
	if len(items) != 1 || !errors.Is(items[0].Err, newsgraph.ErrTooLarge) {
		t.Fatalf("got %+v, want ErrTooLarge", items)
	}
}

// TestReadRecordMetadata: a record's date is normalized to ISO 8601 or dropped with a warning
// naming the record; control characters in its metadata (a NUL) become spaces, with a warning.
func TestReadRecordMetadata(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	writeFile(t, path, `{"text":"One.","date":"garbage"}
{"text":"Two.","date":"16 July 2015"}
{"text":"Three.","date":"2015-13-45"}
{"text":"Four.","date":"2015-07-16T10:00:00Z","title":"A\u0000title\nin two","publisher":"AP\u0007"}
{"html":"<html><body><article><p>Five words of text are here, and more words.</p></article></body></html>","date":"Wed, 15 Jul 2015 10:00:00 GMT"}
`)
	items := collect(t, []string{path}, Options{})
	if len(items) != 5 {
		t.Fatalf("%d items", len(items))
	}
	want := []struct {
		date, title, publisher string
		warning                string
	}{
		{"", "", "", `r.jsonl: record 1: its "date" "garbage": not a date`},
		{"2015-07-16", "", "", ""},
		{"", "", "", `record 3: its "date" "2015-13-45": not a date`},
		{"2015-07-16T10:00:00Z", "A title in two", "AP", `record 4: control characters in its "title" replaced by spaces`},
		{"2015-07-15T10:00:00Z", "", "", ""},
	}
	for i, w := range want {
		it := items[i]
		if it.Err != nil {
			t.Fatalf("record %d: %v", i+1, it.Err)
		}
		if it.Meta.Date != w.date || it.Meta.Title != w.title || it.Meta.Publisher != w.publisher {
			t.Errorf("record %d: date %q title %q publisher %q", i+1, it.Meta.Date, it.Meta.Title, it.Meta.Publisher)
		}
		got := strings.Join(it.Warnings, " | ")
		if w.warning == "" && got != "" || !strings.Contains(got, w.warning) {
			t.Errorf("record %d: warnings %q, want %q", i+1, got, w.warning)
		}
	}
}
