package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/newsgraph/newsgraph"
)

// bigPage is an HTML page of about size bytes: an article of many paragraphs whose last one says
// where it ends, so that a page cut short shows.
func bigPage(title string, size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "<p>Paragraph %d of the report: officials in Kabul and Islamabad said the talks in Murree would go on after Eid, and that both sides had agreed to meet again within weeks.</p>\n", i)
	}
	return testPage(title, "The report opens here.</p>\n"+b.String()+"<p>The article ends with this sentence about "+title+".")
}

// warcRec builds one WARC/1.1 record of the given type around block; fields adds or overrides
// header lines ("Content-Length: -5"), and a field with an empty value is dropped.
func warcRec(typ, uri, contentType, block string, fields ...string) string {
	h := []string{"WARC-Type: " + typ, "WARC-Target-URI: " + uri, "WARC-Date: 2015-07-16T00:00:00Z",
		"WARC-Record-ID: <urn:uuid:" + fmt.Sprintf("%08x-0000-0000-0000-000000000000", len(uri)+len(block)) + ">",
		"Content-Type: " + contentType, fmt.Sprintf("Content-Length: %d", len(block))}
	if uri == "" {
		fields = append(fields, "WARC-Target-URI: ")
	}
	for _, f := range fields {
		name, _, _ := strings.Cut(f, ":")
		kept := h[:0]
		for _, x := range h {
			if !strings.HasPrefix(x, name+":") {
				kept = append(kept, x)
			}
		}
		h = kept
		if strings.TrimSpace(f[len(name)+1:]) != "" {
			h = append(h, f)
		}
	}
	return "WARC/1.1\r\n" + strings.Join(h, "\r\n") + "\r\n\r\n" + block + "\r\n\r\n"
}

// httpResp is an HTTP response holding body.
func httpResp(status, contentType, body string) string {
	return "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n" + body
}

func responseRec(uri, page string, fields ...string) string {
	return warcRec("response", uri, "application/http; msgtype=response", httpResp("200 OK", "text/html; charset=utf-8", page), fields...)
}

func gzipEach(t *testing.T, recs ...string) []byte {
	var out []byte
	for _, r := range recs {
		out = append(out, gz(t, []byte(r))...)
	}
	return out
}

// warcResult is what reading one archive gave, one line an item.
func readArchive(t *testing.T, name string, data []byte, opts Options) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	opts.DeferHTML = true
	err := Read(context.Background(), []string{path}, opts, func(it Item) error {
		switch {
		case it.Notice():
			for _, w := range it.Warnings {
				got = append(got, "notice "+strings.ReplaceAll(w, path, name))
			}
		case it.Err != nil:
			got = append(got, "error "+strings.ReplaceAll(it.Err.Error(), path, name))
		default:
			// The page as stored, before extraction: whole when it runs to its last byte.
			last := "cut"
			if html := string(it.page.html); strings.Contains(html, "The article ends with this sentence") && strings.HasSuffix(html, "</html>") {
				last = "whole"
			}
			line := fmt.Sprintf("page #%d %s %s", it.Meta.Input.Record, it.page.url, last)
			for _, w := range it.Warnings {
				line += " | " + strings.ReplaceAll(w, path, name)
			}
			got = append(got, line)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return got
}

// TestReadWARCLargePages: pages far larger than a read buffer come out whole, from a plain archive,
// one gzipped record by record, one gzipped as a whole, and from resource records.
func TestReadWARCLargePages(t *testing.T) {
	p1, p2, p3 := bigPage("one", 60<<10), bigPage("two", 250<<10), bigPage("three", 600<<10)
	recs := []string{
		warcRec("warcinfo", "", "application/warc-fields", "software: test\r\n"),
		responseRec("https://a.example/1", p1),
		warcRec("request", "https://a.example/2", "application/http; msgtype=request", "GET /2 HTTP/1.1\r\nHost: a.example\r\n\r\n"),
		responseRec("https://a.example/2", p2),
		warcRec("resource", "https://a.example/3", "text/html", p3),
	}
	want := []string{
		"page #2 https://a.example/1 whole",
		"page #4 https://a.example/2 whole",
		"page #5 https://a.example/3 whole",
	}
	whole := gz(t, []byte(strings.Join(recs, "")))
	for name, data := range map[string][]byte{
		"plain.warc":          []byte(strings.Join(recs, "")),
		"records.warc.gz":     gzipEach(t, recs...),
		"whole.warc.gz":       whole,
		"two-members.warc.gz": append(gz(t, []byte(recs[0]+recs[1])), gz(t, []byte(recs[2]+recs[3]+recs[4]))...),
	} {
		t.Run(name, func(t *testing.T) {
			got := readArchive(t, name, data, Options{})
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
	// The text is the page's own, to the last byte: the same as reading the page as a file.
	items := collect(t, []string{writeTemp(t, "p3.html", p3)}, Options{})
	arch := readItems(t, "x.warc", []byte(recs[4]))
	if len(items) != 1 || len(arch) != 1 || items[0].Text != arch[0].Text {
		t.Errorf("the resource record's text differs from the page's")
	}
}

func writeTemp(t *testing.T, name, content string) string {
	p := filepath.Join(t.TempDir(), name)
	writeFile(t, p, content)
	return p
}

func readItems(t *testing.T, name string, data []byte) []Item {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return collect(t, []string{p}, Options{})
}

// TestReadWARCDamage: every kind of damage is reported with the record's number and offset, and
// the records around it are still read.
func TestReadWARCDamage(t *testing.T) {
	pA, pB, pC := bigPage("alpha", 30<<10), bigPage("beta", 20<<10), bigPage("gamma", 10<<10)
	a, b, c := responseRec("https://a.example/a", pA), responseRec("https://a.example/b", pB), responseRec("https://a.example/c", pC)
	pageA := "page #1 https://a.example/a whole"
	pageB := func(n int) string {
		return fmt.Sprintf("page #%d https://a.example/", n)
	}
	la := len(a)
	cutLength := responseRec("https://a.example/b", pB, fmt.Sprintf("Content-Length: %d", len(httpResp("200 OK", "text/html; charset=utf-8", pB))-5000))
	tests := []struct {
		name string
		data string
		gz   bool // gzipped record by record
		want []string
	}{
		{name: "clean", data: a + b + c, want: []string{pageA, pageB(2), pageB(3)}},
		{name: "Content-Length 2 GB swallows the rest", data: responseRec("https://a.example/a", pA, "Content-Length: 2147483648") + b + c,
			want: []string{`error x.warc: record 1: byte 0: read: bad WARC record: Content-Length 2147483648, but only`, pageB(2), pageB(3)}},
		{name: "negative Content-Length", data: a + responseRec("https://a.example/b", pB, "Content-Length: -5") + c,
			want: []string{pageA, `error x.warc: record 2: byte ` + fmt.Sprint(la) + `: read: bad WARC record: a negative Content-Length (-5)`, pageB(3)}},
		{name: "no Content-Length", data: a + responseRec("https://a.example/b", pB, "Content-Length: ") + c,
			want: []string{pageA, `error x.warc: record 2: byte ` + fmt.Sprint(la) + `: read: bad WARC record: no valid Content-Length`, pageB(3)}},
		{name: "Content-Length too small: the page would be cut", data: a + cutLength + c,
			want: []string{pageA, `error x.warc: record 2: byte ` + fmt.Sprint(la) + `: read: bad WARC record: no end-of-record marker after its Content-Length`, pageB(3)}},
		{name: "truncated last record", data: a + b + c[:len(c)/2],
			want: []string{pageA, pageB(2), `error x.warc: record 3: byte ` + fmt.Sprint(la+len(b)) + `: read: bad WARC record: Content-Length`}},
		{name: "garbage between records", data: a + "this is not a record\x00\x01" + b,
			want: []string{pageA, `error x.warc: byte ` + fmt.Sprint(la) + `: read: 22 bytes that are not a WARC record`, pageB(2)}},
		{name: "garbage at the end", data: a + "trailing junk",
			want: []string{pageA, `error x.warc: byte ` + fmt.Sprint(la) + `: read: 13 bytes that are not a WARC record`}},
		{name: "bare line feeds between records", data: strings.TrimSuffix(a, "\r\n\r\n") + "\n\n" + b,
			want: []string{pageA + " | x.warc: record 1: byte 0: the end-of-record marker is \"\\n\\n\", not two CRLFs", pageB(2)}},
		{name: "a missing WARC-Date", data: responseRec("https://a.example/a", pA, "WARC-Date: ") + b,
			want: []string{pageA + " | x.warc: record 1: byte 0: missing required field", pageB(2)}},
		{name: "a wrong digest", data: responseRec("https://a.example/a", pA, "WARC-Block-Digest: sha1:"+base32.StdEncoding.EncodeToString(sha1.New().Sum(nil))) + b,
			want: []string{pageA + " | x.warc: record 1: byte 0: block: wrong digest", pageB(2)}},
		{name: "a header that never ends", data: a + "WARC/1.1\r\nWARC-Type: response\r\n" + strings.Repeat("X-Junk: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n", 8000) + b,
			want: []string{pageA, `error x.warc: record 2: byte ` + fmt.Sprint(la) + `: read: bad WARC record: its header does not end within 256 KB`, pageB(3)}},
		{name: "not a web archive", data: "<html><body><p>A page, not an archive.</p></body></html>",
			want: []string{`error x.warc: byte 0: read: 56 bytes that are not a WARC record`, `error x.warc: read: not a web archive: no WARC record found`}},
		{name: "per-record gzip, Content-Length 2 GB", gz: true, data: responseRec("https://a.example/a", pA, "Content-Length: 2147483648") + b,
			want: []string{`error x.warc.gz: record 1: byte 0: read: bad WARC record: Content-Length 2147483648, but only`, pageB(2)}},
		{name: "per-record gzip, Content-Length too small", gz: true, data: a + cutLength + c,
			want: []string{pageA, `error x.warc.gz: record 2: byte `, pageB(3)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name, data := "x.warc", []byte(tc.data)
			if tc.gz {
				name = "x.warc.gz"
				var parts []string
				for _, r := range strings.Split(tc.data, "WARC/1.1\r\n")[1:] {
					parts = append(parts, "WARC/1.1\r\n"+r)
				}
				data = gzipEach(t, parts...)
			}
			got := readArchive(t, name, data, Options{})
			if len(got) != len(tc.want) {
				t.Fatalf("got %d items, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) || strings.HasPrefix(got[i], "page") && !strings.Contains(got[i], " whole") {
					t.Errorf("item %d:\n got %s\nwant %s… (whole)", i, got[i], w)
				}
			}
		})
	}
}

// TestReadWARCGzipDamage: a gzipped archive cut short, or with a corrupt member, loses only what
// the damage covers, each loss reported.
func TestReadWARCGzipDamage(t *testing.T) {
	a, b, c := responseRec("https://a.example/a", bigPage("alpha", 20<<10)), responseRec("https://a.example/b", bigPage("beta", 20<<10)), responseRec("https://a.example/c", bigPage("gamma", 20<<10))
	ga, gb, gc := gz(t, []byte(a)), gz(t, []byte(b)), gz(t, []byte(c))
	corrupt := append([]byte{}, gb...)
	for i := 20; i < 60; i++ {
		corrupt[i] ^= 0x55
	}
	whole := gz(t, []byte(a+b+c))
	ok := func(n int) string {
		return fmt.Sprintf("page #%d https://a.example/", n)
	}
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"a corrupt member between good ones", concat(ga, corrupt, gc), []string{ok(1), fmt.Sprintf("error x.warc.gz: byte %d: read: corrupt gzip data", len(ga)), ok(2)}},
		{"the last member cut short", concat(ga, gb, gc[:len(gc)-100]), []string{ok(1), ok(2), fmt.Sprintf("error x.warc.gz: record 3: byte %d: read: the gzip data is cut short", len(ga)+len(gb))}},
		{"garbage between members", concat(ga, []byte("junk between"), gb), []string{ok(1), fmt.Sprintf("error x.warc.gz: byte %d: read: 12 bytes that are not a gzipped WARC record; reading goes on at byte %d", len(ga), len(ga)+12), ok(2)}},
		{"a whole-file gzip cut short", whole[:gzipPrefix(whole, len(a)+len(b)+100)], []string{ok(1), ok(2), "error x.warc.gz: record 3: byte 0: read: the gzip data is cut short"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := readArchive(t, "x.warc.gz", tc.data, Options{})
			if len(got) != len(tc.want) {
				t.Fatalf("got %d items, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) || strings.HasPrefix(got[i], "page") && !strings.Contains(got[i], " whole") {
					t.Errorf("item %d:\n got %s\nwant %s… (whole)", i, got[i], w)
				}
			}
		})
	}
}

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// gzipPrefix is the length of the shortest prefix of the gzip data z that decompresses to at least
// n bytes.
func gzipPrefix(z []byte, n int) int {
	for k := 20; k < len(z); k++ {
		zr, err := gzip.NewReader(bytes.NewReader(z[:k]))
		if err != nil {
			continue
		}
		if m, _ := io.Copy(io.Discard, zr); m >= int64(n) {
			return k
		}
	}
	return len(z)
}

// TestReadWARCOverLimit: a record whose block is over the size limit is not read into memory; an
// HTML page in it is refused as too large, another record passed over, and the next read.
func TestReadWARCOverLimit(t *testing.T) {
	big := strings.Repeat("x", 2<<20)
	data := responseRec("https://a.example/big", big) +
		warcRec("response", "https://a.example/video", "application/http; msgtype=response", httpResp("200 OK", "video/mp4", big)) +
		responseRec("https://a.example/ok", bigPage("ok", 4<<10))
	got := readArchive(t, "x.warc", []byte(data), Options{MaxBytes: 512 << 10})
	want := []string{
		"error x.warc (https://a.example/big): record 1: byte 0: read: input exceeds the size limit (a block of",
		"page #3 https://a.example/ok whole",
	}
	if len(got) != len(want) {
		t.Fatalf("got\n%s", strings.Join(got, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("item %d:\n got %s\nwant %s…", i, got[i], w)
		}
	}
}

// TestReadWARCRealPages: real pages of the article-extraction benchmark (up to hundreds of KB),
// stored in an archive, give the same article as each page read alone.
func TestReadWARCRealPages(t *testing.T) {
	dir := sharedData(t, "article-extraction/html")
	files, err := filepath.Glob(filepath.Join(dir, "*.html.gz"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no pages in %s", dir)
	}
	// The largest pages first: they are the ones a buffer would cut.
	type page struct {
		path string
		html []byte
	}
	var pages []page
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Gunzip(raw, 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, page{f, b})
	}
	sort.Slice(pages, func(i, j int) bool { return len(pages[i].html) > len(pages[j].html) })
	pages = pages[:8]
	if len(pages[0].html) < 200<<10 {
		t.Fatalf("the largest page holds %d bytes: expected pages of hundreds of KB", len(pages[0].html))
	}
	var recs []string
	for i, p := range pages {
		recs = append(recs, responseRec(fmt.Sprintf("https://real.example/%d", i), string(p.html)))
	}
	for _, name := range []string{"real.warc", "real.warc.gz"} {
		data := []byte(strings.Join(recs, ""))
		if strings.HasSuffix(name, ".gz") {
			data = gzipEach(t, recs...)
		}
		items := readItems(t, name, data)
		if len(items) != len(pages) {
			t.Fatalf("%s: %d items for %d pages", name, len(items), len(pages))
		}
		for i, it := range items {
			alone := collect(t, []string{pages[i].path}, Options{})
			if it.Err != nil || len(alone) != 1 || alone[0].Err != nil {
				t.Fatalf("%s: page %d (%d bytes): %v / %+v", name, i, len(pages[i].html), it.Err, alone)
			}
			if it.Text != alone[0].Text {
				t.Errorf("%s: page %d (%d bytes): the archived page gives %d bytes of text, the page alone %d", name, i, len(pages[i].html), len(it.Text), len(alone[0].Text))
			}
		}
	}
}

// TestReadWARCNotRegular: an archive must be a file that can be read with seeks: a FIFO named
// like one is refused at once (opening it would wait for a writer), and the run goes on.
func TestReadWARCNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.warc")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	other := filepath.Join(dir, "b.txt")
	writeFile(t, other, "A text after the pipe.")
	items := collect(t, []string{fifo, other}, Options{})
	if len(items) != 2 || items[0].Err == nil || items[1].Err != nil {
		t.Fatalf("got %+v", items)
	}
	var ie *newsgraph.InputError
	if !errors.As(items[0].Err, &ie) || ie.Input != fifo || !strings.Contains(ie.Error(), "not a regular file") {
		t.Fatalf("got %v", items[0].Err)
	}
}

// sharedData is testutil.SharedData, which this package's tests cannot import (testutil imports
// source): the path of rel in $NEWSGRAPH_SHARED/data or ../shared/data beside the repository; the
// test is skipped when it is missing, unless NEWSGRAPH_REQUIRE_DATA is set.
func sharedData(t *testing.T, rel string) string {
	t.Helper()
	base := os.Getenv("NEWSGRAPH_SHARED")
	if base == "" {
		base = filepath.Join("..", "..", "shared")
	}
	p := filepath.Join(base, "data", rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("NEWSGRAPH_REQUIRE_DATA") != "" {
			t.Fatalf("shared data missing: %v", err)
		}
		t.Skipf("shared data not here: %v", err)
	}
	return p
}

// FuzzWARC: any bytes read as a web archive (plain, and gzipped as a whole) give pages and errors,
// never a panic or a hang: every error is an InputError naming the archive, the records come in
// the order of the file, and a page is never empty.
//
// The seeds are small: the fuzzer minimizes each new input for up to a minute, and a large one
// takes it all.
func FuzzWARC(f *testing.F) {
	page := "<html><body><article><p>Officials in Kabul said the talks would go on.</p></article></body></html>"
	a, b := responseRec("https://a.example/a", page), responseRec("https://a.example/b", page)
	for _, s := range []string{
		a + b,
		responseRec("https://a.example/a", page, "Content-Length: 2147483648") + b,
		responseRec("https://a.example/a", page, "Content-Length: -5") + b,
		a + "garbage" + b,
		strings.TrimSuffix(a, "\r\n\r\n") + "\n\n" + b,
		(a + b)[:len(a)+len(b)/2],
		warcRec("resource", "https://a.example/r", "text/html", page) + warcRec("warcinfo", "", "application/warc-fields", "x: y\r\n"),
		"WARC/1.1\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n",
		"WARC/1.0\r\n\r\n",
		"",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, gzipped bool) {
		dir := t.TempDir()
		name := "f.warc"
		if gzipped {
			name, data = "f.warc.gz", gz(t, data)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		last := 0
		err := Read(context.Background(), []string{path}, Options{DeferHTML: true, MaxBytes: 1 << 20}, func(it Item) error {
			switch {
			case it.Notice():
			case it.Err != nil:
				var ie *newsgraph.InputError
				if !errors.As(it.Err, &ie) || !strings.HasPrefix(ie.Input, path) {
					t.Errorf("not an InputError naming the archive: %v", it.Err)
				}
			default:
				if len(it.page.html) == 0 {
					t.Errorf("record %d: an empty page", it.Meta.Input.Record)
				}
				if it.Meta.Input.Record <= last {
					t.Errorf("record %d after record %d", it.Meta.Input.Record, last)
				}
				last = it.Meta.Input.Record
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestReadWARCRefusedThenMore: a record refused inside a whole-file gzip member, followed by more
// than a read buffer's worth of records and by another member: reading goes on inside the member
// from the bytes already read, and the next member is found where it starts (no false garbage).
func TestReadWARCRefusedThenMore(t *testing.T) {
	var recs []string
	recs = append(recs, responseRec("https://a.example/bad", bigPage("bad", 2<<10), "Content-Length: 999999"))
	for i := 0; i < 40; i++ {
		recs = append(recs, responseRec(fmt.Sprintf("https://a.example/%d", i), bigPage(fmt.Sprint(i), 10<<10)))
	}
	last := responseRec("https://a.example/last", bigPage("last", 2<<10))
	for name, data := range map[string][]byte{
		"x.warc.gz": concat(gz(t, []byte(strings.Join(recs, ""))), gz(t, []byte(last))),
		"x.warc":    []byte(strings.Join(recs, "") + last),
	} {
		got := readArchive(t, name, data, Options{})
		var errs []string
		pages := 0
		for _, g := range got {
			if strings.HasPrefix(g, "error") {
				errs = append(errs, g)
			} else if strings.HasPrefix(g, "page") && strings.Contains(g, " whole") {
				pages++
			}
		}
		if len(errs) != 1 || !strings.Contains(errs[0], "record 1: byte 0: read: bad WARC record: ") || !strings.Contains(errs[0], "reading goes on at byte ") || pages != 41 {
			t.Errorf("%s: %d whole pages, errors %q", name, pages, errs)
		}
	}
}

// TestReadWARCManyRefused: thousands of refused records cost linear time (each refusal went back
// to the member's start and decompressed it again), in a whole-file gzip as in a plain file; and
// records that each claim more than the data holds are re-read within a bound.
func TestReadWARCManyRefused(t *testing.T) {
	var neg, long strings.Builder
	for i := 0; i < 4000; i++ {
		neg.WriteString(warcRec("metadata", fmt.Sprintf("https://a.example/%d", i), "application/warc-fields", "x: y\r\n", "Content-Length: -1"))
		long.WriteString(warcRec("metadata", fmt.Sprintf("https://a.example/%d", i), "application/warc-fields", "x: y\r\n", "Content-Length: 900000"))
	}
	for _, tc := range []struct {
		name string
		data []byte
		want int // errors
	}{
		{"x.warc.gz", gz(t, []byte(neg.String())), 4000},
		{"x.warc", []byte(neg.String()), 4000},
		// A length that happens to land on another record's end makes one record of them all
		// (nothing tells it from a true one), so not every record is refused here.
		{"long.warc", []byte(long.String()), -1},
	} {
		counted := 0
		items := readArchive(t, tc.name, tc.data, Options{})
		for _, g := range items {
			if strings.HasPrefix(g, "error") {
				counted++
			}
		}
		if counted != tc.want && (tc.want >= 0 || counted == 0) {
			t.Errorf("%s: %d errors, want %d", tc.name, counted, tc.want)
		}
	}
	// In a gzip member, where a length larger than the data is found only by reading on, the
	// re-reading is bounded: the rest of the member is skipped, said.
	got := readArchive(t, "long.warc.gz", gz(t, []byte(long.String())), Options{})
	if n := len(got); n == 0 || n > 4000 || !strings.Contains(got[n-1], "too many records of this archive claim more than they hold") && !strings.Contains(got[n-1], "no record follows it") {
		t.Errorf("%d items, the last %q", n, got[max(0, n-1)])
	}
}

// TestReadWARCMarkers: an end-of-record marker cut short at the end of the data, or of bare line
// feeds, keeps the page with a warning.
func TestReadWARCMarkers(t *testing.T) {
	a := responseRec("https://a.example/a", bigPage("alpha", 4<<10))
	b := responseRec("https://a.example/b", bigPage("beta", 4<<10))
	for name, tc := range map[string]struct {
		data, warning string
	}{
		"half a marker at the end":  {strings.TrimSuffix(a, "\r\n"), `the end-of-record marker is "\r\n", not two CRLFs`},
		"no marker at the end":      {strings.TrimSuffix(a, "\r\n\r\n"), "the data ends (the file's, or its gzip member's) without the record's end-of-record marker"},
		"no marker before the next": {strings.TrimSuffix(a, "\r\n\r\n") + b, "no end-of-record marker before the next record"},
	} {
		got := readArchive(t, "x.warc", []byte(tc.data), Options{})
		if len(got) == 0 || !strings.HasPrefix(got[0], "page #1 https://a.example/a whole | x.warc: record 1: byte 0: "+tc.warning) {
			t.Errorf("%s: %q", name, got)
		}
	}
}

// TestReadWARCTwoLengths: a record with two Content-Length fields is refused (the parser would
// read one, the size check the other), and a repeated length cannot make a record read more than
// the size limit allows.
func TestReadWARCTwoLengths(t *testing.T) {
	big := strings.Repeat("x", 3<<20)
	rec := warcRec("resource", "https://a.example/big", "text/html", big, "Content-Length: 10\r\nContent-Length: "+fmt.Sprint(len(big)))
	ok := responseRec("https://a.example/ok", bigPage("ok", 4<<10))
	got := readArchive(t, "x.warc", []byte(rec+ok), Options{MaxBytes: 512 << 10})
	if len(got) != 2 || !strings.Contains(got[0], "record 1: byte 0: read: bad WARC record: 2 Content-Length fields") || got[1] != "page #2 https://a.example/ok whole" {
		t.Errorf("%q", got)
	}
}

// TestReadWARCByContent: a web archive named otherwise (or read as HTML, as extract reads its
// inputs) is read as an archive, its pages one by one; on standard input it is refused.
func TestReadWARCByContent(t *testing.T) {
	a := responseRec("https://a.example/a", bigPage("alpha", 4<<10))
	b := responseRec("https://a.example/b", bigPage("beta", 4<<10))
	dir := t.TempDir()
	plain := filepath.Join(dir, "crawl.dat")
	zipped := filepath.Join(dir, "crawl.bin")
	writeFile(t, plain, a+b)
	if err := os.WriteFile(zipped, gzipEach(t, a, b), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"", "html"} {
		items := collect(t, []string{plain, zipped}, Options{Format: format, DeferHTML: true})
		if len(items) != 4 {
			t.Fatalf("format %q: %d items", format, len(items))
		}
		for _, it := range items {
			if it.Err != nil || it.Meta.Input.Format != kindWARC || it.Meta.Input.Record == 0 {
				t.Errorf("format %q: %+v", format, it.Meta.Input)
			}
		}
	}
	items := collect(t, []string{"-"}, Options{Stdin: strings.NewReader(a + b)})
	if len(items) != 1 || items[0].Err == nil || !strings.Contains(items[0].Err.Error(), "give it as a file") {
		t.Errorf("standard input: %+v", items)
	}
}

// TestReadWARCStops: an error from the callback stops the reading of an archive (plain or
// gzipped) and comes back from Read.
func TestReadWARCStops(t *testing.T) {
	a := responseRec("https://a.example/a", bigPage("alpha", 4<<10))
	dir := t.TempDir()
	plain, zipped := filepath.Join(dir, "a.warc"), filepath.Join(dir, "a.warc.gz")
	writeFile(t, plain, a+a+a)
	if err := os.WriteFile(zipped, gzipEach(t, a, a, a), 0o644); err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	for _, p := range []string{plain, zipped} {
		n := 0
		err := Read(context.Background(), []string{p}, Options{DeferHTML: true}, func(Item) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("%s: %v after %d items", filepath.Base(p), err, n)
		}
	}
}
