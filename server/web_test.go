package server_test

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/newsgraph/newsgraph/server"
)

// inert parses a page and reports every way it could run script: a script element other than the
// app's own, an event-handler attribute, a javascript: (or data:, vbscript:) URL, an inline
// style, an iframe, object or embed, or a base element.
func inert(t *testing.T, name string, page []byte) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				src := ""
				for _, a := range n.Attr {
					if a.Key == "src" {
						src = a.Val
					}
				}
				if src != "/static/app.js" || n.FirstChild != nil {
					t.Errorf("%s: a script element (src %q)", name, src)
				}
			case "iframe", "object", "embed", "base", "img", "frame", "meta":
				if n.Data != "meta" || attr(n, "http-equiv") != "" {
					t.Errorf("%s: a %s element", name, n.Data)
				}
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				switch {
				case strings.HasPrefix(k, "on"):
					t.Errorf("%s: an event handler %s=%q on <%s>", name, a.Key, a.Val, n.Data)
				case k == "style":
					t.Errorf("%s: an inline style on <%s>", name, n.Data)
				case k == "href" || k == "src" || k == "action" || k == "formaction" || k == "xlink:href":
					if strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:") {
						t.Errorf("%s: %s=%q on <%s>", name, a.Key, a.Val, n.Data)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestPagesInert: hostile article text and metadata (script tags, event handlers, javascript:
// URLs) come out as text on every page, which carry the security headers.
func TestPagesInert(t *testing.T) {
	f := newFixture(t, server.Config{})
	pages := []string{
		"/",
		"/search?q=minister",
		"/search?q=" + url.QueryEscape("<script>alert(1)</script>"),
		"/search?speaker=" + url.QueryEscape(`"><img src=x onerror=alert(1)>`) + "&publisher=" + url.QueryEscape(`"><svg onload=alert(8)>`),
		fmt.Sprintf("/articles/%d", f.hostile),
		fmt.Sprintf("/articles/%d", f.example),
		"/speakers/" + url.PathEscape("<script>alert(1)</script>"),
		"/speakers/Smith",
		"/sources",
		"/sources?publisher=" + url.QueryEscape(`"><svg onload=alert(8)>`),
		"/analyze",
		"/nowhere<script>",
	}
	for _, p := range pages {
		resp, b := f.do(t, "GET", p, "", nil)
		if resp.StatusCode >= 500 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: Content-Type %q", p, resp.Header.Get("Content-Type"))
		}
		inert(t, p, b)
	}
	// The hostile text is there, as text.
	_, b := f.do(t, "GET", fmt.Sprintf("/articles/%d", f.hostile), "", nil)
	if !bytes.Contains(b, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) || !bytes.Contains(b, []byte("onerror=alert(2)")) {
		t.Errorf("the hostile text is not shown escaped")
	}
	// Pasted into the analyze page, the same.
	form := url.Values{"text": {hostile.Text}, "date": {"2015-07-16"}}
	resp, b := f.do(t, "POST", "/analyze", "application/x-www-form-urlencoded", []byte(form.Encode()))
	if resp.StatusCode != 200 {
		t.Fatalf("analyze: %d %s", resp.StatusCode, b)
	}
	inert(t, "POST /analyze", b)
	if !bytes.Contains(b, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) {
		t.Error("analyze: the pasted text is not shown")
	}
}

// TestArticlePage: the example article as a reader sees it: entities by type, quotations tinted
// by speaker, cues, dates with their values, the speakers with their chains, guesses marked.
func TestArticlePage(t *testing.T) {
	f := newFixture(t, server.Config{})
	resp, b := f.do(t, "GET", fmt.Sprintf("/articles/%d", f.example), "", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d", resp.StatusCode)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	classText := map[string][]string{} // class -> texts of elements with it
	var speakers []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, c := range strings.Fields(attr(n, "class")) {
				classText[c] = append(classText[c], text(n))
			}
			if n.Data == "h3" && n.Parent != nil && strings.Contains(attr(n.Parent, "class"), "speaker") {
				speakers = append(speakers, strings.Join(strings.Fields(text(n)), " "))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	has := func(class, want string) {
		t.Helper()
		for _, s := range classText[class] {
			if strings.Contains(s, want) {
				return
			}
		}
		t.Errorf("no .%s with %q (have %q)", class, want, classText[class])
	}
	has("ent-PER", "Mullah Omar")
	has("ent-ORG", "Taliban")
	has("ent-LOC", "Afghanistan")
	has("tx", "Wednesday")
	has("tv", "2015-07-15")
	has("cue", "wrote")
	has("q", "We have . . . directed all our mujahideen")
	has("chain", "Newsmax → BBC → Mullah Omar")
	has("guess-badge", "guess")
	found := false
	for _, s := range speakers {
		found = found || strings.HasPrefix(s, "Mullah Omar person")
	}
	if !found {
		t.Errorf("speakers %q", speakers)
	}
	// Every tinted quotation has its speaker in the panel with the same tint.
	for c := 0; c < 8; c++ {
		if len(classText[fmt.Sprintf("s%d", c)]) > 0 && len(classText[fmt.Sprintf("t%d", c)]) == 0 {
			t.Errorf("tint s%d in the text, no speaker t%d in the panel", c, c)
		}
	}
	// The speaker's page lists the quotation with its chain and article.
	resp, b = f.do(t, "GET", "/speakers/Mullah%20Omar", "", nil)
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte("directed all our mujahideen")) || !bytes.Contains(b, []byte(fmt.Sprintf(`href="/articles/%d"`, f.example))) {
		t.Errorf("speaker page: %d", resp.StatusCode)
	}
	// The sources page draws who cites whom.
	resp, b = f.do(t, "GET", "/sources", "", nil)
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte("<svg")) || !bytes.Contains(b, []byte("Newsmax cites BBC")) {
		t.Errorf("sources page: %d", resp.StatusCode)
	}
	// Search with filters finds it; a bad date is the reader's error.
	resp, b = f.do(t, "GET", "/search?q=talks&speaker=omar&from=2015-07", "", nil)
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte(fmt.Sprintf(`href="/articles/%d"`, f.example))) || !bytes.Contains(b, []byte("<mark>")) {
		t.Errorf("search: %d", resp.StatusCode)
	}
	if resp, _ = f.do(t, "GET", "/search?q=talks&from=16/07/2015", "", nil); resp.StatusCode != 400 {
		t.Errorf("bad date: %d", resp.StatusCode)
	}
	if resp, _ = f.do(t, "GET", "/articles/99999", "", nil); resp.StatusCode != 404 {
		t.Errorf("no article: %d", resp.StatusCode)
	}
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
