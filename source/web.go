package source

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/outlet"
)

// pendingPage is an HTML page whose article is still to be extracted, with what the input says
// of it besides.
type pendingPage struct {
	html     []byte
	url      string         // where it came from
	given    newsgraph.Meta // the input's own metadata (a JSON record's): it wins over the page's
	fallback newsgraph.Meta // what fills in where the page says nothing (a feed item's)
	// contentType is the type the server gave the page (a fetched page's, a web archive's
	// response's), whose charset is the page's encoding when the bytes do not say it themselves.
	contentType string
}

// PendingHTML is an item for an HTML page read from the input name (record rec, or 0), pageURL
// being where it came from, if known; fallback fills in what the page does not say (title, date,
// publisher, byline). Its article is extracted by Extract.
func PendingHTML(name string, rec int, page []byte, pageURL string, fallback newsgraph.Meta) Item {
	return PendingPage(name, rec, page, pageURL, "", fallback)
}

// PendingPage is PendingHTML for a page whose server gave it contentType (which may name its
// charset).
func PendingPage(name string, rec int, page []byte, pageURL, contentType string, fallback newsgraph.Meta) Item {
	it := Item{page: &pendingPage{html: page, url: pageURL, fallback: fallback, contentType: contentType}}
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
	p, err := ExtractHTML(pg.html, pg.url, pg.contentType)
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
		_, enc := pageEncoding(pg.html, pg.contentType)
		it.Warnings = append(it.Warnings, fmt.Sprintf("%s: the page is not UTF-8; decoded as %s", in, enc))
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
	if m.PublisherSource == "html" || m.PublisherSource == "host" {
		// The outlet's canonical name: "Hosted" at hosted.ap.org is The Associated Press,
		// "www.cbsnews.com" CBS News, "NYTimes" The New York Times.
		u := p.URL
		if u == "" {
			u = pg.url
		}
		m.Publisher = outlet.Canonical(m.Publisher, u)
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

func isHTMLType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// Body reads one article given whole, as the server's POST bodies are: kind is "text" (decoded as
// a text file is), "html" (a page, its article extracted by Item.Extract; pageURL is where it was
// published, if known) or "json" (one record, as a line of JSON Lines). name names the input in
// errors. The item's Err says why it cannot be read.
func Body(name string, b []byte, kind, pageURL string) Item {
	switch kind {
	case "html":
		it := PendingHTML(name, 0, b, pageURL, newsgraph.Meta{})
		it.Meta.Input.Bytes = len(b)
		return it
	case "json":
		t, _ := stripBOM(b)
		if !utf8.Valid(t) {
			return Item{Err: inputErr("decode", name, 0, -1, newsgraph.ErrNotUTF8)}
		}
		t = bytes.TrimSpace(t)
		if len(t) == 0 || t[0] != '{' {
			return Item{Err: inputErr("parse", name, 0, -1, fmt.Errorf("%w: not a JSON object (a record: {\"text\": …})", newsgraph.ErrBadJSON))}
		}
		dec := json.NewDecoder(bytes.NewReader(t))
		var r Record
		if err := dec.Decode(&r); err != nil {
			return Item{Err: inputErr("parse", name, 0, -1, fmt.Errorf("%w: %v", newsgraph.ErrBadJSON, err))}
		}
		if dec.More() {
			return Item{Err: inputErr("parse", name, 0, -1, fmt.Errorf("%w: data after the record's JSON object", newsgraph.ErrBadJSON))}
		}
		return recordToItem(name, 0, len(b), r)
	}
	return textItem(name, b, Options{})
}
