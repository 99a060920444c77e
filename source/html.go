package source

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gogs/chardet"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/newsgraph/newsgraph"
)

// Page is the article an HTML page holds, as go-trafilatura extracts it.
type Page struct {
	Text      string // the article's paragraphs, separated by blank lines
	Title     string
	Author    string
	Date      string // publication date, YYYY-MM-DD, or ""
	Publisher string // the site's name
	URL       string // the canonical URL the page names, else the URL it was fetched from
	Host      string // the host name of the URL
	Language  string
}

// ErrNoArticle is returned for a page in which no article text was found.
var ErrNoArticle = errors.New("no article text found in the page")

// MaxHTMLElements bounds a page's elements: extraction time grows faster than linearly with them
// (120,000 take about 20 s), so a larger page (hostile or broken HTML) is refused before it is
// parsed rather than extracted for minutes. Real article pages stay far below: the 90 dev pages of
// the article-extraction benchmark have at most 1,587. (Nesting needs no bound of ours: the HTML
// parser refuses more than 512 open elements.)
const MaxHTMLElements = 20_000

// ErrTooComplex is returned for a page past MaxHTMLElements.
var ErrTooComplex = errors.New("the page is too large to extract")

// checkShape counts a page's elements with a tokenizer pass (fast: no tree is built).
func checkShape(b []byte) error {
	z := html.NewTokenizer(bytes.NewReader(b))
	n := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil
		case html.StartTagToken, html.SelfClosingTagToken:
			if n++; n > MaxHTMLElements {
				return fmt.Errorf("%w (more than %d elements)", ErrTooComplex, MaxHTMLElements)
			}
		}
	}
}

// ExtractHTML finds the article in an HTML page: its text, title, author, date, publisher and
// canonical URL. pageURL, when known, is where the page came from (it resolves relative links and
// is the URL when the page names none); contentType, when known, is the type its server gave
// ("text/html; charset=…"). The bytes are decoded as pageEncoding says. go-trafilatura does the
// extraction, with its readability and DOM-distiller fallbacks.
func ExtractHTML(b []byte, pageURL, contentType string) (Page, error) {
	return ExtractHTMLWith(b, pageURL, contentType, DefaultExtraction)
}

// Extraction is how go-trafilatura extracts: its focus (precision, balanced, recall) and whether
// it tries its fallback extractors (readability, DOM distiller).
type Extraction struct {
	Focus    string // "precision", "balanced" or "recall"
	Fallback bool
	// dropLinkBlocks leaves out a short block that is all one link (a related story's headline).
	dropLinkBlocks bool
}

// WithLinkBlocksDropped returns the setting that also leaves out short blocks that are one link.
func (x Extraction) WithLinkBlocksDropped() Extraction { x.dropLinkBlocks = true; return x }

// DefaultExtraction is the setting ExtractHTML uses, chosen by the two-fold check of the
// article-extraction benchmark's dev half (docs/eval.md).
var DefaultExtraction = Extraction{Focus: "precision", Fallback: true}

// ExtractHTMLWith is ExtractHTML with the given extraction setting.
func ExtractHTMLWith(b []byte, pageURL, contentType string, x Extraction) (Page, error) {
	if looksBinary(b) {
		return Page{}, fmt.Errorf("%w, not a page", newsgraph.ErrBinary)
	}
	if err := checkShape(b); err != nil {
		return Page{}, err
	}
	opts := trafilatura.Options{
		EnableFallback:  x.Fallback,
		ExcludeComments: true,
		Focus:           map[string]trafilatura.ExtractionFocus{"precision": trafilatura.FavorPrecision, "recall": trafilatura.FavorRecall}[x.Focus],
		HtmlDateMode:    trafilatura.Fast,
		IncludeLinks:    x.dropLinkBlocks, // kept only to find blocks that are one link
	}
	if pageURL != "" {
		if u, err := url.Parse(pageURL); err == nil && u.IsAbs() {
			opts.OriginalURL = u
		}
	}
	res, err := extract(pageReader(b, contentType), opts)
	if err != nil {
		return Page{}, err
	}
	text := paragraphs(res.ContentText)
	if res.ContentNode != nil {
		// The node's blocks give the paragraphs, which ContentText may run together.
		text = nodeText(res.ContentNode, x.dropLinkBlocks)
	}
	p := Page{
		Text:      text,
		Title:     oneLine(res.Metadata.Title),
		Author:    oneLine(res.Metadata.Author),
		Publisher: oneLine(res.Metadata.Sitename),
		URL:       res.Metadata.URL,
		Host:      res.Metadata.Hostname,
		Language:  res.Metadata.Language,
	}
	for _, raw := range []string{p.URL, pageURL} {
		if u, err := url.Parse(raw); err == nil && u.Host != "" {
			if p.Host == "" {
				p.Host = u.Hostname()
			}
			if strings.EqualFold(p.Publisher, u.Host) || strings.EqualFold(p.Publisher, u.Hostname()) {
				p.Publisher = ""
			}
		}
	}
	if strings.Contains(p.Publisher, "://") || strings.HasPrefix(p.Publisher, "www.") {
		p.Publisher = "" // a URL, not a name
	}
	if strings.EqualFold(p.Publisher, p.Host) {
		p.Publisher = "" // the extractor's last resort: a host is not a name
	}
	if p.URL == "" {
		p.URL = pageURL
	}
	if d := res.Metadata.Date; !d.IsZero() && d.Year() > 1900 && d.Before(time.Now().AddDate(1, 0, 0)) {
		p.Date = d.Format("2006-01-02")
	}
	if words := wordsIn(p.Text, minArticleWords); words < minArticleWords {
		return p, ErrNoArticle
	}
	return p, nil
}

// minArticleWords: a page with fewer words of text holds no article (a menu, an error page).
const minArticleWords = 5

func wordsIn(s string, atMost int) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			if n++; n >= atMost {
				break
			}
		}
	}
	return n
}

// inline elements continue the paragraph around them; every other element is a block of its own.
var inline = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "code": true, "data": true,
	"del": true, "dfn": true, "em": true, "font": true, "hi": true, "i": true, "ins": true, "kbd": true,
	"mark": true, "q": true, "ref": true, "s": true, "samp": true, "small": true, "span": true,
	"strong": true, "sub": true, "sup": true, "time": true, "tt": true, "u": true, "var": true,
	"wbr": true,
}

// nodeText is the text of an extracted content tree: one paragraph a block, separated by blank
// lines, spaces collapsed.
func nodeText(root *html.Node, dropLinkBlocks bool) string {
	var paras []string
	var cur strings.Builder
	linkText, link := 0, 0 // letters of the block inside a link, and the depth of links
	flush := func() {
		t := strings.Join(strings.Fields(cur.String()), " ")
		letters := 0
		for _, r := range t {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				letters++
			}
		}
		switch {
		case t == "":
		case dropLinkBlocks && len(paras) > 0 && linkText == letters && len(strings.Fields(t)) <= 15:
			// A block that is one link, after the article's start: a related story's headline.
		default:
			paras = append(paras, t)
		}
		cur.Reset()
		linkText = 0
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			if link > 0 {
				for _, r := range n.Data {
					if unicode.IsLetter(r) || unicode.IsDigit(r) {
						linkText++
					}
				}
			}
			return
		case html.ElementNode:
			if n.Data == "script" || n.Data == "style" {
				return
			}
			if !inline[n.Data] {
				flush()
				defer flush()
			}
			if n.Data == "a" {
				link++
				defer func() { link-- }()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	flush()
	return strings.Join(paras, "\n\n")
}

// pageEncoding is the encoding of an HTML page: the one its byte-order mark names; else UTF-8 when
// the bytes are valid UTF-8 (declarations are often wrong, and a legacy text that happens to be
// valid UTF-8 is rare); else the one the server's Content-Type or the page's own meta tag
// declares; else the one a statistical detector (gogs/chardet, the extractor's own) finds with
// some confidence (an undeclared Windows-1251 page); else Windows-1252, as browsers take an
// undeclared legacy page in English. (The extractor's detector, asked first, took valid UTF-8
// pages of mostly ASCII for Windows-1252 and turned their curly quotes into "â€œ".)
func pageEncoding(b []byte, contentType string) (encoding.Encoding, string) {
	e, name, certain := charset.DetermineEncoding(b, "")
	if certain { // a byte-order mark
		return e, name
	}
	if utf8.Valid(b) {
		return xunicode.UTF8, "utf-8"
	}
	if e, name, certain = charset.DetermineEncoding(b, contentType); certain || declaresCharset(b) {
		return e, name
	}
	if r, err := chardet.NewHtmlDetector().DetectBest(b); err == nil && r.Confidence >= 20 && !strings.EqualFold(r.Charset, "ISO-8859-1") {
		if de, dname := charset.Lookup(r.Charset); de != nil {
			return de, dname
		}
	}
	return e, name
}

// declaresCharset reports whether the page's first KB names a charset (where a meta tag must).
func declaresCharset(b []byte) bool {
	return bytes.Contains(bytes.ToLower(b[:min(len(b), 1024)]), []byte("charset"))
}

// pageReader is the page decoded to UTF-8 (see pageEncoding), in Unicode's composed form and
// without soft hyphens, as the extractor's own reader would give it.
func pageReader(b []byte, contentType string) io.Reader {
	e, _ := pageEncoding(b, contentType)
	var r io.Reader = bytes.NewReader(b)
	if e != xunicode.UTF8 {
		r = transform.NewReader(r, e.NewDecoder())
	}
	return transform.NewReader(r, transform.Chain(norm.NFD, runes.Remove(runes.Predicate(func(r rune) bool { return r == '\u00AD' })), norm.NFC))
}

// extract runs go-trafilatura on a page read as UTF-8, turning a panic inside it (hostile HTML)
// into an error.
func extract(page io.Reader, opts trafilatura.Options) (res *trafilatura.ExtractResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("the HTML extractor failed: %v", r)
		}
	}()
	doc, err := html.Parse(page)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNoArticle, err)
	}
	res, err = trafilatura.ExtractDocument(doc, opts)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNoArticle, err)
	}
	if res == nil {
		return nil, ErrNoArticle
	}
	return res, nil
}

// paragraphs puts a blank line between the extractor's lines, so that the clean-up step reads
// each as a paragraph, and trims each line's spaces.
func paragraphs(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n\n")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Gunzip decompresses b, refusing output longer than limit bytes (a gzip bomb) and reporting a
// truncated or corrupt stream.
func Gunzip(b []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("not gzip data: %v", err)
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errors.New("truncated gzip data")
		}
		return nil, fmt.Errorf("corrupt gzip data: %v", err)
	}
	if int64(len(out)) > limit {
		return nil, fmt.Errorf("decompressed size over %d bytes", limit)
	}
	return out, nil
}

// IsHTML reports whether b looks like an HTML page (a doctype or an html, head or body tag near
// its start).
func IsHTML(b []byte) bool {
	head := b
	if len(head) > 1024 {
		head = head[:1024]
	}
	h := bytes.ToLower(bytes.TrimLeft(head, " \t\r\n\uFEFF"))
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<!--", "<meta", "<title"} {
		if bytes.HasPrefix(h, []byte(p)) {
			return true
		}
	}
	return bytes.Contains(h, []byte("<html"))
}
