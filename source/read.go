package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph"
)

// DefaultMaxBytes is the default size limit of one input file or record (10 MB).
const DefaultMaxBytes = 10 << 20

// Options control how inputs are read.
type Options struct {
	// MaxBytes is the size limit of one text file or one JSON Lines record; larger inputs are refused
	// with newsgraph.ErrTooLarge. Zero means DefaultMaxBytes.
	MaxBytes int64
	// Format is "text", "jsonl", "html" or "" (auto: by file extension: .jsonl and .ndjson are JSON
	// Lines, .json a record or an array of records, .html, .htm and .xhtml HTML pages, .warc web
	// archives, .txt text; a further .gz is decompressed, whatever the format; any other file, and
	// standard input, is HTML when it starts like a page, JSON Lines when its first non-blank byte
	// is '{' (standard input only), else text).
	Format string
	// Stdin is read for the path "-"; nil means os.Stdin.
	Stdin io.Reader
	// DeferHTML passes HTML pages on unextracted (Item.Pending): the caller runs Item.Extract,
	// in parallel if it likes. Otherwise each page is extracted before it is passed on.
	DeferHTML bool
}

// Item is one document read from an input, or the error that kept it from being read.
type Item struct {
	Text     string
	Meta     newsgraph.Meta
	Warnings []string // e.g. a legacy encoding was decoded; each names the input
	Err      error    // non-nil: the input was refused; Err is an *newsgraph.InputError
	Feed     string   // the feed the item was read from (its URL), if any
	Fetched  *Fetched // for a page fetched by URL: what its next fetch may send to ask for changes only
	page     *pendingPage
	notice   bool // warnings only (see Notice)
}

// Notice reports whether the item carries only warnings about its input and nothing to analyse: a
// web archive's record that holds no page but breaks the format, a feed cut short by the limit on
// its items. Its Warnings each name the input.
func (it *Item) Notice() bool { return it.notice }

// NoticeItem is an item of warnings only (see Notice).
func NoticeItem(warnings ...string) Item { return Item{Warnings: warnings, notice: true} }

// Fetched is what a fetched page's response left for a conditional GET: kept once the article is
// stored, it lets the next run pass over the page if the server says it has not changed.
type Fetched struct {
	URL          string // the URL asked for
	ETag         string
	LastModified string
}

// Record is the JSON Lines input record.
type Record struct {
	Text      string `json:"text"`
	HTML      string `json:"html,omitempty"` // a page to extract the article from, when there is no text
	Author    string `json:"author,omitempty"`
	Title     string `json:"title,omitempty"`
	Publisher string `json:"publisher,omitempty"`
	Date      string `json:"date,omitempty"`
	URL       string `json:"url,omitempty"`
}

// Read reads every input named in paths ("-" is standard input; a directory is walked recursively,
// in lexical order, for .txt, .jsonl, .ndjson, .json, .html, .htm, .xhtml and .warc files, each
// also gzipped as NAME.gz) and calls fn for each document or refused
// input, in order. A bad input never stops the run: fn gets an Item with Err set. Read stops early
// only if fn returns an error or ctx is cancelled.
func Read(ctx context.Context, paths []string, opts Options, fn func(Item) error) error {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	if !opts.DeferHTML {
		inner := fn
		fn = func(it Item) error {
			it.Extract()
			return inner(it)
		}
	}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == "-" {
			if err := readStream(ctx, "-", opts.Stdin, opts, fn); err != nil {
				return err
			}
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			if err := fn(Item{Err: inputErr("open", p, 0, -1, unwrapPathErr(err))}); err != nil {
				return err
			}
			continue
		}
		if !fi.IsDir() {
			if err := readFile(ctx, p, opts, fn); err != nil {
				return err
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, de fs.DirEntry, werr error) error {
			if werr != nil {
				return fn(Item{Err: inputErr("walk", path, 0, -1, unwrapPathErr(werr))})
			}
			if de.IsDir() || !Wanted(path) {
				return nil
			}
			if !de.Type().IsRegular() {
				// A FIFO, socket or device named like an article would block the walk or never
				// end; a symbolic link is followed to a regular file only.
				if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
					if err == nil {
						err = errNotRegular
					}
					return fn(Item{Err: inputErr("open", path, 0, -1, unwrapPathErr(err))})
				}
			}
			return readFile(ctx, path, opts, fn)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Kinds of input files.
const (
	kindText  = "text"
	kindJSONL = "jsonl"
	kindJSON  = "json"
	kindHTML  = "html"
	kindWARC  = "warc"
)

// kindOf names the kind of a file by its name ("" for one a directory walk skips) and whether it
// is gzip-compressed.
func kindOf(path string) (string, bool) {
	name := strings.ToLower(filepath.Base(path))
	gz := strings.HasSuffix(name, ".gz")
	name = strings.TrimSuffix(name, ".gz")
	switch filepath.Ext(name) {
	case ".txt":
		return kindText, gz
	case ".jsonl", ".ndjson":
		return kindJSONL, gz
	case ".json":
		return kindJSON, gz
	case ".html", ".htm", ".xhtml":
		return kindHTML, gz
	case ".warc":
		return kindWARC, gz
	}
	return "", gz
}

// Wanted reports whether a directory walk reads the file, by its name.
func Wanted(path string) bool {
	k, _ := kindOf(path)
	return k != ""
}

// Several reports whether a file, by its name, may hold several articles: JSON Lines, a JSON array
// of records, a web archive (gzipped or not).
func Several(path string) bool {
	switch k, _ := kindOf(path); k {
	case kindJSONL, kindJSON, kindWARC:
		return true
	}
	return false
}

// fileKind is the kind of a named file: the one Options.Format forces, else by its name. A web
// archive (by its name) is read as one whatever the format asked for but text: as HTML it would
// give one article mixing all its pages.
func fileKind(path string, opts Options) (string, bool) {
	k, gz := kindOf(path)
	switch {
	case opts.Format == kindHTML && k == kindWARC:
		return k, gz
	case opts.Format == kindText, opts.Format == kindJSONL, opts.Format == kindHTML:
		return opts.Format, gz
	}
	if k == "" {
		k = kindText
	}
	return k, gz
}

func readFile(ctx context.Context, path string, opts Options, fn func(Item) error) error {
	kind, gz := fileKind(path, opts)
	if (kind == kindText || kind == kindHTML) && opts.Format != kindText && isWARCFile(path) {
		kind = kindWARC // a web archive by its content, whatever its name
	}
	switch kind {
	case kindJSONL:
		f, err := os.Open(path)
		if err != nil {
			return fn(Item{Err: inputErr("open", path, 0, -1, unwrapPathErr(err))})
		}
		defer f.Close()
		var r io.Reader = f
		if gz {
			zr, err := gzip.NewReader(bufio.NewReader(f))
			if err != nil {
				return fn(Item{Err: inputErr("decompress", path, 0, -1, fmt.Errorf("not gzip data: %v", err))})
			}
			defer zr.Close()
			r = zr
		}
		return readJSONL(ctx, path, r, opts, fn)
	case kindWARC:
		return readWARC(ctx, path, opts, fn)
	}
	f, err := os.Open(path)
	if err != nil {
		return fn(Item{Err: inputErr("open", path, 0, -1, unwrapPathErr(err))})
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > opts.MaxBytes {
		return fn(Item{Err: inputErr("read", path, 0, -1, fmt.Errorf("%w (%d bytes > %d)", newsgraph.ErrTooLarge, fi.Size(), opts.MaxBytes))})
	}
	// Read through a limit: pipes, devices and files that grow have no size to check beforehand.
	b, err := io.ReadAll(io.LimitReader(f, opts.MaxBytes+1))
	if err != nil {
		return fn(Item{Err: inputErr("read", path, 0, -1, unwrapPathErr(err))})
	}
	if int64(len(b)) > opts.MaxBytes {
		return fn(Item{Err: inputErr("read", path, 0, -1, fmt.Errorf("%w (more than %d bytes)", newsgraph.ErrTooLarge, opts.MaxBytes))})
	}
	if gz {
		if b, err = Gunzip(b, opts.MaxBytes); err != nil {
			return fn(Item{Err: inputErr("decompress", path, 0, -1, err)})
		}
	}
	switch {
	case kind == kindJSON:
		return readJSON(ctx, path, b, fn)
	case kind == kindHTML || opts.Format == "" && IsHTML(b):
		return fn(PendingHTML(path, 0, b, "", newsgraph.Meta{}))
	}
	return fn(textItem(path, b, opts))
}

// isWARCFile reports whether a regular file starts with a WARC version line, plain or gzipped.
func isWARCFile(path string) bool {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var r io.Reader = bufio.NewReader(f)
	var magic [10]byte
	k, _ := io.ReadFull(r, magic[:])
	if k >= 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		f.Seek(0, io.SeekStart)
		zr, err := gzip.NewReader(f)
		if err != nil {
			return false
		}
		k, _ = io.ReadFull(zr, magic[:])
	}
	return isVersionLine(magic[:k])
}

// readStream reads standard input: JSON Lines when asked or when it starts with '{', else one text.
// A web archive is refused: it is read with seeks, from a file.
func readStream(ctx context.Context, name string, r io.Reader, opts Options, fn func(Item) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if peek, _ := br.Peek(10); opts.Format != kindText && isVersionLine(peek) {
		return fn(Item{Err: inputErr("read", name, 0, -1, errors.New("a web archive: give it as a file (it is read with seeks), not on standard input"))})
	}
	jsonl := opts.Format == "jsonl"
	if opts.Format == "" {
		peek, _ := br.Peek(512)
		t, _ := stripBOM(peek)
		t = bytes.TrimLeft(t, " \t\r\n")
		jsonl = len(t) > 0 && t[0] == '{'
	}
	if jsonl {
		return readJSONL(ctx, name, br, opts, fn)
	}
	b, err := io.ReadAll(io.LimitReader(br, opts.MaxBytes+1))
	if err != nil {
		return fn(Item{Err: inputErr("read", name, 0, -1, err)})
	}
	if int64(len(b)) > opts.MaxBytes {
		return fn(Item{Err: inputErr("read", name, 0, -1, fmt.Errorf("%w (more than %d bytes)", newsgraph.ErrTooLarge, opts.MaxBytes))})
	}
	if opts.Format == kindHTML || opts.Format == "" && IsHTML(b) {
		return fn(PendingHTML(name, 0, b, "", newsgraph.Meta{}))
	}
	return fn(textItem(name, b, opts))
}

func textItem(path string, b []byte, opts Options) Item {
	d, err := Decode(b)
	if err != nil {
		return Item{Err: inputErr("decode", path, 0, firstBad(b, err), err)}
	}
	it := Item{Text: d.Text}
	it.Meta.Input = newsgraph.Input{Path: path, Encoding: d.Encoding, BOM: d.BOM, Bytes: len(b)}
	if d.Encoding != "" {
		it.Warnings = append(it.Warnings, fmt.Sprintf("%s: not valid UTF-8; decoded as %s", path, d.Encoding))
	}
	if strings.TrimSpace(d.Text) == "" {
		it.Err = inputErr("read", path, 0, -1, newsgraph.ErrEmpty)
	}
	return it
}

// firstBad returns, for ErrNotUTF8, the offset of the first invalid byte that Windows-1252 leaves
// undefined (the byte that made the input undecodable), else -1.
func firstBad(b []byte, err error) int {
	if !errors.Is(err, newsgraph.ErrNotUTF8) || errors.Is(err, errUTF16) {
		return -1
	}
	rest, _ := stripBOM(b)
	off := len(b) - len(rest)
	for i := off; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 && undefined1252(b[i]) {
			return i
		}
		i += size
	}
	return -1
}

func readJSONL(ctx context.Context, name string, r io.Reader, opts Options, fn func(Item) error) error {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	for rec := 1; ; rec++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, tooLong, err := readLine(br, opts.MaxBytes)
		if err == io.EOF && len(line) == 0 && !tooLong {
			return nil
		}
		if err != nil && err != io.EOF {
			return fn(Item{Err: inputErr("read", name, rec, -1, err)})
		}
		var item Item
		switch {
		case tooLong:
			item.Err = inputErr("read", name, rec, -1, fmt.Errorf("%w (record longer than %d bytes)", newsgraph.ErrTooLarge, opts.MaxBytes))
		case len(bytes.TrimSpace(line)) == 0:
			if err == io.EOF {
				return nil
			}
			continue // blank lines between records are allowed
		default:
			item = recordItem(name, rec, line)
		}
		if ferr := fn(item); ferr != nil {
			return ferr
		}
		if err == io.EOF {
			return nil
		}
	}
}

// readLine reads one line without its line end (\n or \r\n); a line longer than limit bytes is
// consumed and reported as too long.
func readLine(br *bufio.Reader, limit int64) ([]byte, bool, error) {
	var buf []byte
	over := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !over {
			buf = append(buf, chunk...)
			if int64(len(buf)) > limit+2 { // +2: room for a \r\n line end
				over, buf = true, nil
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if over {
			return nil, true, err
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		return buf, int64(len(buf)) > limit, err
	}
}

func recordItem(name string, rec int, line []byte) Item {
	line, _ = stripBOM(line)
	if !utf8.Valid(line) {
		return Item{Err: inputErr("decode", name, rec, -1, newsgraph.ErrNotUTF8)}
	}
	var r Record
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&r); err != nil {
		return Item{Err: inputErr("parse", name, rec, -1, fmt.Errorf("%w: %v", newsgraph.ErrBadJSON, err))}
	}
	if rest := bytes.TrimSpace(line[dec.InputOffset():]); len(rest) > 0 {
		return Item{Err: inputErr("parse", name, rec, -1, fmt.Errorf("%w: data after the record's JSON object", newsgraph.ErrBadJSON))}
	}
	return recordToItem(name, rec, len(line), r)
}

// recordToItem turns a JSON record into an item: its text, or the article extracted from its HTML.
// Its metadata is checked first (cleanRecord).
func recordToItem(name string, rec, size int, r Record) Item {
	warnings := cleanRecord(name, rec, &r)
	it := recordItemOf(name, rec, size, r)
	it.Warnings = append(warnings, it.Warnings...)
	return it
}

// cleanRecord checks a record's metadata: a date is normalized to ISO 8601, or dropped when it is
// not a date (newsgraph.NormalizeDate); control characters (a NUL, a line break in a title) become
// spaces. Each change gives a warning naming the record.
func cleanRecord(name string, rec int, r *Record) []string {
	var warnings []string
	where := newsgraph.InputName(name, rec)
	for _, f := range []struct {
		key string
		v   *string
	}{{"title", &r.Title}, {"publisher", &r.Publisher}, {"author", &r.Author}, {"url", &r.URL}, {"date", &r.Date}} {
		if strings.IndexFunc(*f.v, isControl) >= 0 {
			*f.v = strings.Join(strings.FieldsFunc(*f.v, func(c rune) bool { return isControl(c) || unicode.IsSpace(c) }), " ")
			warnings = append(warnings, fmt.Sprintf("%s: control characters in its %q replaced by spaces", where, f.key))
		}
	}
	if r.Date != "" {
		d, err := newsgraph.NormalizeDate(r.Date)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("%s: its \"date\" %v: dropped", where, err))
		}
		r.Date = d
	}
	return warnings
}

// isControl reports a C0 or C1 control character or DEL (tabs and line ends included: metadata is
// one line).
func isControl(r rune) bool { return r < 0x20 || r >= 0x7f && r < 0xa0 }

func recordItemOf(name string, rec, size int, r Record) Item {
	if strings.TrimSpace(r.Text) == "" && strings.TrimSpace(r.HTML) != "" {
		it := PendingHTML(name, rec, []byte(r.HTML), r.URL, newsgraph.Meta{})
		it.Meta.Input.Bytes = size
		it.page.given = newsgraph.Meta{Title: r.Title, Publisher: r.Publisher, Date: r.Date, Byline: r.Author}
		return it
	}
	if strings.TrimSpace(r.Text) == "" {
		return Item{Err: inputErr("parse", name, rec, -1, fmt.Errorf("%w: the record has no \"text\" (or \"html\")", newsgraph.ErrEmpty))}
	}
	text := strings.TrimPrefix(r.Text, "\uFEFF")
	if looksBinary([]byte(text)) {
		return Item{Err: inputErr("decode", name, rec, -1, newsgraph.ErrBinary)}
	}
	it := Item{Text: text}
	it.Meta = newsgraph.Meta{Title: r.Title, Publisher: r.Publisher, Date: r.Date, URL: r.URL, Byline: r.Author}
	if r.Title != "" {
		it.Meta.TitleSource = "input"
	}
	if r.Publisher != "" {
		it.Meta.PublisherSource = "input"
	}
	it.Meta.Input = newsgraph.Input{Path: name, Record: rec, Bytes: size}
	return it
}

// errNotRegular refuses a FIFO, socket or device found in a directory walk.
var errNotRegular = errors.New("not a regular file (a FIFO, socket or device); skipped")

// openRegular opens a file that must be a regular one (a web archive is read with seeks); the
// check comes before the open, which would block on a FIFO.
func openRegular(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, unwrapPathErr(err)
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file: a web archive is read with seeks, so it cannot come from a pipe or device")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, unwrapPathErr(err)
	}
	return f, nil
}

func inputErr(op, input string, rec, off int, err error) error {
	return &newsgraph.InputError{Op: op, Input: input, Record: rec, Offset: off, Err: err}
}

// unwrapPathErr drops the *fs.PathError wrapper, whose path the InputError already names.
func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
