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

	"github.com/nlnwa/gowarc/v3"

	"github.com/newsgraph/newsgraph"
)

// HTMLItem is the article extracted from an HTML page read from the input name (record rec, or 0),
// pageURL being where it came from, if known. A page without an article gives an item with Err set.
func HTMLItem(name string, rec int, page []byte, pageURL string) Item {
	p, err := ExtractHTML(page, pageURL)
	if err != nil {
		return Item{Err: inputErr("extract", name, rec, -1, err)}
	}
	it := Item{Text: p.Text}
	it.Meta = newsgraph.Meta{Title: p.Title, Publisher: p.Publisher, Date: p.Date, URL: p.URL, Byline: p.Author}
	if p.Title != "" {
		it.Meta.TitleSource = "html"
	}
	if p.Publisher != "" {
		it.Meta.PublisherSource = "html"
	} else if p.Host != "" {
		it.Meta.Publisher, it.Meta.PublisherSource = p.Host, "host"
	}
	it.Meta.Input = newsgraph.Input{Path: name, Record: rec, Bytes: len(page), Format: kindHTML}
	return it
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
	it := HTMLItem(path, n, b, uri)
	if it.Err != nil {
		return fail("extract", errors.Unwrap(it.Err))
	}
	it.Meta.Input.Format = kindWARC
	if it.Meta.URL == "" {
		it.Meta.URL = uri
	}
	return it, true
}

func isHTMLType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}
