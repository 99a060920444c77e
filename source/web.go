package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http/httputil"
	"strings"
	"unicode/utf8"

	"github.com/nlnwa/gowarc/v3"

	"github.com/newsgraph/newsgraph"
)

// pendingPage is an HTML page whose article is still to be extracted, with what the input says
// of it besides.
type pendingPage struct {
	html     []byte
	url      string         // where it came from
	given    newsgraph.Meta // the input's own metadata (a JSON record's): it wins over the page's
	fallback newsgraph.Meta // what fills in where the page says nothing (a feed item's)
}

// PendingHTML is an item for an HTML page read from the input name (record rec, or 0), pageURL
// being where it came from, if known; fallback fills in what the page does not say (title, date,
// publisher, byline). Its article is extracted by Extract.
func PendingHTML(name string, rec int, page []byte, pageURL string, fallback newsgraph.Meta) Item {
	it := Item{page: &pendingPage{html: page, url: pageURL, fallback: fallback}}
	it.Meta.Input = newsgraph.Input{Path: name, Record: rec, Bytes: len(page), Format: kindHTML}
	return it
}

// Pending reports whether the item is an HTML page still to be extracted.
func (it *Item) Pending() bool { return it.page != nil }

// Extract finds the article of a pending HTML page (go-trafilatura; see ExtractHTML): the item gets
// its text and metadata, or Err when the page holds no article. It does nothing to other items.
func (it *Item) Extract() {
	pg := it.page
	if pg == nil || it.Err != nil {
		it.page = nil
		return
	}
	it.page = nil
	in := it.Meta.Input
	p, err := ExtractHTML(pg.html, pg.url)
	if err != nil {
		name := in.Path
		if pg.url != "" && pg.url != in.Path {
			name += " (" + pg.url + ")"
		}
		it.Err = inputErr("extract", name, in.Record, -1, err)
		return
	}
	it.Text = p.Text
	if !utf8.Valid(pg.html) {
		it.Warnings = append(it.Warnings, fmt.Sprintf("%s: the page is not UTF-8; decoded by the charset it declares or that was detected", in))
	}
	m := newsgraph.Meta{Title: p.Title, Publisher: p.Publisher, Date: p.Date, URL: p.URL, Byline: p.Author, Input: in}
	if p.Title != "" {
		m.TitleSource = "html"
	}
	if p.Publisher != "" {
		m.PublisherSource = "html"
	}
	g, f := pg.given, pg.fallback
	if g.Title != "" {
		m.Title, m.TitleSource = g.Title, "input"
	} else if m.Title == "" && f.Title != "" {
		m.Title, m.TitleSource = f.Title, "input"
	}
	if g.Publisher != "" {
		m.Publisher, m.PublisherSource = g.Publisher, "input"
	} else if m.Publisher == "" && f.Publisher != "" {
		m.Publisher, m.PublisherSource = f.Publisher, "input"
	}
	if m.Publisher == "" && p.Host != "" {
		m.Publisher, m.PublisherSource = p.Host, "host"
	}
	if g.Date != "" {
		m.Date = g.Date
	} else if m.Date == "" {
		m.Date = f.Date
	}
	if g.Byline != "" {
		m.Byline = g.Byline
	} else if m.Byline == "" {
		m.Byline = f.Byline
	}
	if m.URL == "" {
		m.URL = pg.url
	}
	it.Meta = m
}

// readJSON reads a .json file: one record object, or an array of them (numbered from 1).
func readJSON(ctx context.Context, name string, b []byte, fn func(Item) error) error {
	b, _ = stripBOM(b)
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) > 0 && t[0] == '{' {
		var r Record
		if err := json.Unmarshal(t, &r); err != nil {
			return fn(Item{Err: inputErr("parse", name, 0, -1, fmt.Errorf("%w: %v", newsgraph.ErrBadJSON, err))})
		}
		return fn(recordToItem(name, 0, len(b), r))
	}
	var recs []json.RawMessage
	if err := json.Unmarshal(t, &recs); err != nil {
		return fn(Item{Err: inputErr("parse", name, 0, -1, fmt.Errorf("%w: not a record or an array of records: %v", newsgraph.ErrBadJSON, err))})
	}
	for i, raw := range recs {
		if err := ctx.Err(); err != nil {
			return err
		}
		var r Record
		it := Item{}
		if err := json.Unmarshal(raw, &r); err != nil {
			it.Err = inputErr("parse", name, i+1, -1, fmt.Errorf("%w: %v", newsgraph.ErrBadJSON, err))
		} else {
			it = recordToItem(name, i+1, len(raw), r)
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}

// readWARC reads the HTML pages of a web archive (.warc or .warc.gz, each record gzipped on its
// own or the whole file plain): every response record with HTTP status 200 and an HTML body, and
// every resource record of an HTML type, becomes an article, its URL the record's target URI and
// its Input.Record the record's number in the file. Other records are skipped silently; a record
// that cannot be read (truncated, corrupt) is reported with its number and byte offset, and as a
// WARC cannot be resynchronised reliably after one, the rest of the file is skipped with it.
func readWARC(ctx context.Context, path string, opts Options, fn func(Item) error) error {
	r, err := gowarc.NewWarcFileReader(path, 0,
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn), gowarc.WithSpecViolationPolicy(gowarc.ErrIgnore),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore))
	if err != nil {
		return fn(Item{Err: inputErr("open", path, 0, -1, unwrapPathErr(err))})
	}
	defer r.Close()
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := nextRecord(r)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fn(Item{Err: inputErr("read", path, n, int(rec.Offset), fmt.Errorf("bad WARC record: %v", err))})
		}
		it, ok := warcItem(path, n, rec.WarcRecord, opts)
		rec.WarcRecord.Close()
		if !ok {
			continue
		}
		if err := fn(it); err != nil {
			return err
		}
	}
}

// nextRecord reads the next record, turning a panic in the WARC reader (hostile input) into an
// error, and an end of file inside a record into a truncation error.
func nextRecord(r *gowarc.WarcFileReader) (rec gowarc.Record, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the WARC reader failed: %v", p)
		}
	}()
	rec, err = r.Next()
	if err == nil && rec.WarcRecord == nil {
		err = errors.New("no record")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("truncated: %v", err)
	}
	return rec, err
}

// warcItem turns one WARC record into an article item; ok is false for records that hold no page.
func warcItem(path string, n int, wr gowarc.WarcRecord, opts Options) (Item, bool) {
	uri := strings.Trim(wr.WarcHeader().Get(gowarc.WarcTargetURI), "<>")
	fail := func(op string, err error) (Item, bool) {
		name := path
		if uri != "" {
			name = path + " (" + uri + ")"
		}
		return Item{Err: inputErr(op, name, n, -1, err)}, true
	}
	var body io.Reader
	switch wr.Type() {
	case gowarc.Response:
		hb, ok := wr.Block().(gowarc.HttpResponseBlock)
		if !ok || hb.HttpStatusCode() != 200 {
			return Item{}, false
		}
		h := hb.HttpHeader()
		if h == nil || !isHTMLType(h.Get("Content-Type")) {
			return Item{}, false
		}
		p, err := hb.PayloadBytes()
		if err != nil {
			return fail("read", err)
		}
		body = p
		if strings.EqualFold(h.Get("Transfer-Encoding"), "chunked") {
			body = httputil.NewChunkedReader(body)
		}
		switch strings.ToLower(h.Get("Content-Encoding")) {
		case "", "identity":
		case "gzip", "x-gzip":
			zr, err := gzip.NewReader(body)
			if err != nil {
				return fail("decompress", err)
			}
			defer zr.Close()
			body = zr
		default:
			return fail("decompress", fmt.Errorf("content encoding %q is not supported", h.Get("Content-Encoding")))
		}
	case gowarc.Resource:
		if !isHTMLType(wr.WarcHeader().Get(gowarc.ContentType)) {
			return Item{}, false
		}
		p, err := wr.Block().RawBytes()
		if err != nil {
			return fail("read", err)
		}
		body = p
	default:
		return Item{}, false
	}
	b, err := io.ReadAll(io.LimitReader(body, opts.MaxBytes+1))
	if err != nil {
		return fail("read", err)
	}
	if int64(len(b)) > opts.MaxBytes {
		return fail("read", fmt.Errorf("%w (more than %d bytes)", newsgraph.ErrTooLarge, opts.MaxBytes))
	}
	it := PendingHTML(path, n, b, uri, newsgraph.Meta{})
	it.Meta.Input.Format = kindWARC
	return it, true
}

func isHTMLType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}
