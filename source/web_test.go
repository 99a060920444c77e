package source

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/newsgraph/newsgraph"
)

// testPage is a news page with navigation, an article and a footer.
func testPage(title, body string) string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>` + title + ` | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="og:title" content="` + title + `">
<meta name="author" content="Zoë Brontë">
<meta property="article:published_time" content="2015-07-15T10:00:00Z">
<link rel="canonical" href="https://news.example.com/2015/07/taliban-talks">
</head><body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>` + title + `</h1>
<p>` + body + `</p>
<p>“We are committed to the talks,” said the spokesman, Zabihullah Mujahid, on Wednesday in Kabul.</p>
<p>The meeting in Murree was the first official round of talks between the two sides since 2001, officials said.</p>
</article>
<footer><p>© 2015 The Daily Example. All rights reserved. Subscribe to our newsletter.</p></footer></body></html>`
}

const testBody = "Taliban leader Mullah Omar has endorsed peace talks with the Afghan government, according to a statement released on the eve of Eid al-Fitr — the first such message in years."

func TestExtractHTML(t *testing.T) {
	p, err := ExtractHTML([]byte(testPage("Taliban leader backs talks", testBody)), "https://news.example.com/x?utm=1", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Text, "Mullah Omar has endorsed") || !strings.Contains(p.Text, "“We are committed") {
		t.Errorf("text lacks the article: %q", p.Text)
	}
	for _, junk := range []string{"Subscribe", "Sport", "All rights reserved"} {
		if strings.Contains(p.Text, junk) {
			t.Errorf("text holds boilerplate %q: %q", junk, p.Text)
		}
	}
	if !strings.Contains(p.Text, "\n\n") {
		t.Errorf("paragraphs not separated by blank lines: %q", p.Text)
	}
	if p.Title != "Taliban leader backs talks" || p.Publisher != "The Daily Example" || p.Author != "Zoë Brontë" || p.Date != "2015-07-15" {
		t.Errorf("metadata: %+v", p)
	}
	if p.URL != "https://news.example.com/2015/07/taliban-talks" {
		t.Errorf("canonical URL %q", p.URL)
	}
}

func TestExtractHTMLHostile(t *testing.T) {
	deep := strings.Repeat("<div>", 100000) + "text" + strings.Repeat("</div>", 100000)
	for name, page := range map[string]string{
		"many elements": "<html><body>" + strings.Repeat("<div><p>Some words of text here in a paragraph.</p></div>", 20000) + "</body></html>",
		"empty":         "",
		"no article":    "<html><body><nav><a href=/>Home</a></nav></body></html>",
		"binary":        "\x00\x01\x02<html>\xff\xfe",
		"deep nesting":  deep,
		"unclosed":      "<html><body><p>" + strings.Repeat("<b><i>", 5000),
		"script only":   "<html><body><script>" + strings.Repeat("var a=1;", 10000) + "</script></body></html>",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ExtractHTML([]byte(page), "", "")
			if err == nil {
				t.Errorf("no error for a page without an article")
			}
		})
	}
}

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// warcRecord is one WARC/1.0 response record holding an HTTP response.
func warcRecord(uri, status, contentType, body string) string {
	http := "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n" + body
	return "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri + "\r\nWARC-Date: 2015-07-16T00:00:00Z\r\n" +
		"WARC-Record-ID: <urn:uuid:" + fmt.Sprintf("%08x-0000-0000-0000-000000000000", len(uri)+len(body)) + ">\r\n" +
		"Content-Type: application/http; msgtype=response\r\nContent-Length: " + fmt.Sprint(len(http)) + "\r\n\r\n" + http + "\r\n\r\n"
}

func TestReadWebInputs(t *testing.T) {
	dir := t.TempDir()
	page := testPage("Taliban leader backs talks", testBody)
	writeFile(t, filepath.Join(dir, "a.html"), page)
	if err := os.WriteFile(filepath.Join(dir, "b.html.gz"), gz(t, []byte(page)), 0o644); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "c.json"), `[{"text":"One text.","title":"T1"},{"html":`+jsonString(page)+`,"url":"https://x.example/1","publisher":"Given"},{"text":""},{"text":5}]`)
	recs := warcRecord("https://news.example.com/1", "200 OK", "text/html; charset=utf-8", page) +
		warcRecord("https://news.example.com/robots.txt", "200 OK", "text/plain", "User-agent: *") +
		warcRecord("https://news.example.com/gone", "404 Not Found", "text/html", "<html>gone</html>") +
		warcRecord("https://news.example.com/2", "200 OK", "text/html", testPage("Second story", "Another report about the talks in Murree, which officials in Islamabad described as constructive and useful for both sides."))
	writeFile(t, filepath.Join(dir, "d.warc"), recs)
	// Gzipped per record, the last one cut short.
	var wgz []byte
	for _, r := range []string{warcRecord("https://news.example.com/3", "200 OK", "text/html", page), warcRecord("https://news.example.com/4", "200 OK", "text/html", page)} {
		wgz = append(wgz, gz(t, []byte(r))...)
	}
	if err := os.WriteFile(filepath.Join(dir, "e.warc.gz"), wgz[:len(wgz)-200], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "f.html.gz"), gz(t, []byte(page))[:100], 0o644); err != nil {
		t.Fatal(err)
	}
	items := collect(t, []string{dir}, Options{})
	var got []string
	for _, it := range items {
		if it.Err != nil {
			got = append(got, "error "+it.Err.Error())
			continue
		}
		got = append(got, fmt.Sprintf("%s#%d %s %s %q %q", filepath.Base(it.Meta.Input.Path), it.Meta.Input.Record, it.Meta.Input.Format, it.Meta.URL, it.Meta.Title, it.Meta.Publisher))
	}
	want := []string{
		`a.html#0 html https://news.example.com/2015/07/taliban-talks "Taliban leader backs talks" "The Daily Example"`,
		`b.html.gz#0 html https://news.example.com/2015/07/taliban-talks "Taliban leader backs talks" "The Daily Example"`,
		`c.json#1   "T1" ""`,
		`c.json#2 html https://news.example.com/2015/07/taliban-talks "Taliban leader backs talks" "Given"`,
		"error " + filepath.Join(dir, "c.json") + `: record 3: parse: no text: the record has no "text" (or "html")`,
		"error " + filepath.Join(dir, "c.json") + `: record 4: parse: malformed JSON record: json: cannot unmarshal number into Go struct field Record.text of type string`,
		`d.warc#1 warc https://news.example.com/2015/07/taliban-talks "Taliban leader backs talks" "The Daily Example"`,
		`d.warc#4 warc https://news.example.com/2015/07/taliban-talks "Second story" "The Daily Example"`,
		`e.warc.gz#1 warc https://news.example.com/2015/07/taliban-talks "Taliban leader backs talks" "The Daily Example"`,
	}
	if len(got) < len(want)+2 {
		t.Fatalf("got %d items:\n%s", len(got), strings.Join(got, "\n"))
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("item %d:\n got %s\nwant %s", i, got[i], w)
		}
	}
	if g := got[len(want)]; !strings.HasPrefix(g, "error "+filepath.Join(dir, "e.warc.gz")+": record 2: byte ") || !strings.Contains(g, "the gzip data is cut short") {
		t.Errorf("truncated WARC record: %s", g)
	}
	if g := got[len(want)+1]; g != "error "+filepath.Join(dir, "f.html.gz")+": decompress: truncated gzip data" {
		t.Errorf("truncated gzip: %s", g)
	}
	if len(got) != len(want)+2 {
		t.Errorf("%d items, want %d:\n%s", len(got), len(want)+2, strings.Join(got, "\n"))
	}
	for _, it := range items {
		if it.Err == nil && it.Meta.Input.Format == "html" && !strings.Contains(it.Text, "Mullah Omar") {
			t.Errorf("%s: text %q", it.Meta.Input, it.Text)
		}
	}
}

func TestReadHTMLSniffed(t *testing.T) {
	items := collect(t, []string{"-"}, Options{Stdin: strings.NewReader(testPage("Sniffed", testBody))})
	if len(items) != 1 || items[0].Err != nil || items[0].Meta.Input.Format != "html" || !strings.Contains(items[0].Text, "Mullah Omar") {
		t.Fatalf("%+v", items)
	}
	if items[0].Meta.TitleSource != "html" || items[0].Meta.Title != "Sniffed" {
		t.Errorf("title %q (%s)", items[0].Meta.Title, items[0].Meta.TitleSource)
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FuzzExtractHTML: any bytes give an article or an error, never a panic, and the text is valid
// UTF-8 without blank paragraphs.
func FuzzExtractHTML(f *testing.F) {
	f.Add([]byte(testPage("Title", testBody)))
	f.Add([]byte("<html><body><p>" + strings.Repeat("<b>", 3000) + "deep</p>"))
	f.Add([]byte("<html><head><meta charset=\"windows-1252\"></head><body><article><p>caf\xe9 cr\xe8me, \x93quoted\x94 words in a paragraph long enough</p></article></body></html>"))
	f.Add([]byte("<table><tr><td><table><tr><td>cell text of some words here</td></tr></table></td></tr></table>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ExtractHTML(b, "https://example.com/a", "")
		if err != nil {
			return
		}
		if !utf8.ValidString(p.Text) {
			t.Errorf("text not UTF-8: %q", p.Text)
		}
		if strings.Contains(p.Text, "\n\n\n") || strings.TrimSpace(p.Text) != p.Text {
			t.Errorf("blank paragraphs or edges: %q", p.Text)
		}
	})
}

func TestExtractHTMLTooComplex(t *testing.T) {
	if _, err := ExtractHTML([]byte(strings.Repeat("<p>a</p>", MaxHTMLElements+1)), "", ""); !errors.Is(err, ErrTooComplex) {
		t.Errorf("%d elements: %v, want ErrTooComplex", MaxHTMLElements+1, err)
	}
	// Deep nesting is refused by the parser, quickly, not by our count.
	if _, err := ExtractHTML([]byte(strings.Repeat("<div>", 5000)+"text of the article"), "", ""); err == nil {
		t.Error("5,000 nested elements: no error")
	}
	// Elements whose end tags may be left out do not count as nesting: a long menu is a page.
	menu := "<html><body><ul>" + strings.Repeat("<li><a href=/x>Section</a>", 600) + "</ul><article><p>" + testBody + "</p><p>" + testBody + "</p></article></body></html>"
	if _, err := ExtractHTML([]byte(menu), "", ""); err != nil {
		t.Errorf("a page with a 600-item menu of unclosed li: %v", err)
	}
}

func TestReadGzipped(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.jsonl.gz"), gz(t, []byte("{\"text\": \"One.\"}\n{\"text\": \"Two.\"}\n")), 0o644)
	os.WriteFile(filepath.Join(dir, "b.txt.gz"), gz(t, []byte("Three, in a gzipped text file.")), 0o644)
	os.WriteFile(filepath.Join(dir, "c.jsonl.gz"), []byte("not gzip"), 0o644)
	var got []string
	for _, it := range collect(t, []string{dir}, Options{}) {
		if it.Err != nil {
			got = append(got, "error "+filepath.Base(it.Err.(*newsgraph.InputError).Input)+" "+it.Err.(*newsgraph.InputError).Op)
		} else {
			got = append(got, it.Text)
		}
	}
	if want := "One.|Two.|Three, in a gzipped text file.|error c.jsonl.gz decompress"; strings.Join(got, "|") != want {
		t.Errorf("got %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestExtractLatin1Page(t *testing.T) {
	page := "<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9</title></head><body><article><p>The caf\xe9 in M\xfcnchen served cr\xe8me br\xfbl\xe9e to the delegates, the spokesman said on Wednesday.</p></article></body></html>"
	it := PendingHTML("page.html", 0, []byte(page), "", newsgraph.Meta{})
	it.Extract()
	if it.Err != nil || !strings.Contains(it.Text, "café in München served crème brûlée") {
		t.Fatalf("%v %q", it.Err, it.Text)
	}
	if len(it.Warnings) != 1 || !strings.Contains(it.Warnings[0], "page.html: the page is not UTF-8") {
		t.Errorf("warnings %q", it.Warnings)
	}
}

// TestExtractHTMLEncoding: a page's bytes are decoded as its byte-order mark, its valid UTF-8, or
// what its server or its meta tag declares say, in that order.
func TestExtractHTMLEncoding(t *testing.T) {
	var padding strings.Builder
	for i := 0; padding.Len() < 8<<10; i++ {
		fmt.Fprintf(&padding, "<p>In paragraph %d the delegates described the talks in detail, and the ministry said both sides would meet again after Eid.</p>\n", i)
	}
	body := func(quote string) string {
		return "<p>" + quote + " said the minister on Wednesday, adding that the talks in Murree had gone well and would go on after Eid.</p>" + padding.String()
	}
	page := func(meta, quote string) []byte {
		return []byte("<html><head>" + meta + "<title>Talks</title></head><body><article>" + body(quote) + "</article></body></html>")
	}
	// Two curly quotation marks in 8 KB of ASCII: go-trafilatura's own detector took such a page,
	// undeclared, for Windows-1252.
	latin1 := "\x93We will meet again,\x94"
	utf := "“We will meet again,”"
	for _, tc := range []struct {
		name        string
		page        []byte
		contentType string
	}{
		{"UTF-8, mostly ASCII, undeclared", page("", utf), ""},
		{"UTF-8 with a BOM", append([]byte("\xef\xbb\xbf"), page("", utf)...), "text/html; charset=windows-1252"},
		{"UTF-8 declared as Latin-1 by its meta tag", page(`<meta charset="iso-8859-1">`, utf), ""},
		{"UTF-8 declared as Latin-1 by its server", page("", utf), "text/html; charset=iso-8859-1"},
		{"Windows-1252 declared by its server", page("", latin1), "text/html; charset=windows-1252"},
		{"Windows-1252 declared by its meta tag", page(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">`, latin1), ""},
		{"Windows-1252 undeclared", page("", latin1), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ExtractHTML(tc.page, "", tc.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(p.Text, utf) {
				t.Errorf("text %.80q, want it to hold %q", p.Text, utf)
			}
		})
	}
	// A page in another legacy encoding, undeclared: the detector finds it.
	ru := "<html><head><title>Переговоры</title></head><body><article>" + strings.Repeat("<p>Переговоры в Мурри продолжатся после праздника, заявили официальные лица в Кабуле и Исламабаде.</p>", 20) + "</article></body></html>"
	cp1251, err := charmap.Windows1251.NewEncoder().Bytes([]byte(ru))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ExtractHTML(cp1251, "", "")
	if err != nil || !strings.Contains(p.Text, "Переговоры в Мурри") {
		t.Errorf("an undeclared Windows-1251 page: %.80q, %v", p.Text, err)
	}
}

// TestPublisherCanonical: a page's site name or host becomes the outlet's canonical name.
func TestPublisherCanonical(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ site, canonical, want string }{
		{"Hosted", "https://hosted.ap.org/berkshireeagle/article/6486944b", "The Associated Press"},
		{"NYTimes", "https://www.example.com/a", "The New York Times"},
		{"", "https://www.cbsnews.com/news/a", "CBS News"},
		{"The Daily Example", "https://news.example.com/a", "The Daily Example"},
	} {
		page := strings.Replace(testPage("Taliban leader backs talks", testBody), `content="The Daily Example"`, `content="`+c.site+`"`, 1)
		page = strings.Replace(page, "https://news.example.com/2015/07/taliban-talks", c.canonical, 1)
		page = strings.ReplaceAll(page, " | The Daily Example", "")
		page = strings.ReplaceAll(page, "© 2015 The Daily Example. All rights reserved. ", "")
		if c.site == "" {
			page = strings.Replace(page, `<meta property="og:site_name" content="">`, "", 1)
		}
		p := filepath.Join(dir, "page.html")
		os.WriteFile(p, []byte(page), 0o644)
		var got newsgraph.Meta
		err := Read(t.Context(), []string{p}, Options{}, func(it Item) error {
			it.Extract()
			got = it.Meta
			return it.Err
		})
		if err != nil || got.Publisher != c.want {
			t.Errorf("site %q at %s: publisher %q (%s), %v; want %q", c.site, c.canonical, got.Publisher, got.PublisherSource, err, c.want)
		}
	}
}

// TestLinkBlocks: with WithLinkBlocksDropped, a short block that is one link (a related story's
// headline) is left out of the text, but not the article's first block or a sentence with a link.
func TestLinkBlocks(t *testing.T) {
	body := `Taliban leader Mullah Omar has endorsed peace talks with the Afghan government, according to a statement released on the eve of Eid al-Fitr.</p>
<p><a href="/world/other-story">Afghan forces retake northern district</a></p>
<p>The statement, posted on a <a href="/taliban-site">Taliban website</a>, said political endeavours were legitimate.`
	page := []byte(testPage("Taliban leader backs talks", body))
	p, err := ExtractHTMLWith(page, "https://news.example.com/x", "", DefaultExtraction.WithLinkBlocksDropped())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(p.Text, "retake northern district") || !strings.Contains(p.Text, "posted on a Taliban website") {
		t.Errorf("text: %q", p.Text)
	}
}
