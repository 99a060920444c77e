package server_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/newsgraph/newsgraph/server"
)

// browser starts a headless Chromium (Debian's chromium; .ci/run installs it), or skips the test
// when there is none, except under CI, where its absence is a failure.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("NEWSGRAPH_CHROMIUM")
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if path != "" {
			break
		}
		path, _ = exec.LookPath(name)
	}
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no chromium: .ci/run installs it (apt-get install -y chromium)")
		}
		t.Skip("no chromium (apt-get install -y chromium, or NEWSGRAPH_CHROMIUM=path)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Headless,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancel(); cancelA() })
	return ctx
}

// TestBrowser drives the web app in a real browser as a reader would: search, open the article,
// see its quotations and the chain of a claim, follow a speaker; the style sheet and script load
// under the Content-Security-Policy, and nothing breaks it. With NEWSGRAPH_SCREENSHOTS=DIR it
// saves the main pages there (docs/screenshots holds the README's).
func TestBrowser(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := browser(t)
	var mu sync.Mutex
	var console []string
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("chromium did not start: %v", err)
	}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			mu.Lock()
			console = append(console, m.String())
			mu.Unlock()
		}
	}()
	shots := os.Getenv("NEWSGRAPH_SCREENSHOTS")
	shot := func(name string) {
		if shots == "" {
			return
		}
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return s
	}

	// Search from the front page.
	run("front page", chromedp.Navigate(f.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`input[name="q"]`)))
	run("search", chromedp.SendKeys(chromedp.CSS(`input[name="q"]`), "talks"), chromedp.Submit(chromedp.CSS(`input[name="q"]`)),
		chromedp.WaitVisible(chromedp.CSS(".hits")))
	shot("search")
	// The style sheet applies (the CSP lets it load).
	if bg := eval(`getComputedStyle(document.querySelector("button")).backgroundColor`); bg == "rgba(0, 0, 0, 0)" || bg == "" {
		t.Errorf("the style sheet did not apply: button background %q", bg)
	}

	// Open the example article.
	link := fmt.Sprintf(`a[href="/articles/%d"]`, f.example)
	run("open the article", chromedp.Click(chromedp.CSS(link)), chromedp.WaitVisible(chromedp.CSS(".panel")))
	if n := eval(`String(document.querySelectorAll(".text .q").length)`); n == "0" {
		t.Error("no quotations drawn")
	}
	chains := eval(`Array.from(document.querySelectorAll(".panel .chain")).map(e => e.textContent.replace(/\s+/g, " ").trim()).join("\n")`)
	if !strings.Contains(chains, "Newsmax → BBC → Mullah Omar") {
		t.Errorf("chains: %q", chains)
	}
	if v := eval(`document.querySelector(".tx + .tv, .tv").textContent`); v == "" {
		t.Error("no date value shown")
	}
	if g := eval(`String(document.querySelectorAll(".panel .guess-badge").length)`); g == "0" {
		t.Error("no guess marked")
	}
	// The script runs (CSP script-src 'self'): pointing at a speaker outlines their quotations.
	hl := eval(`(() => {
		const sec = document.querySelector(".panel .speaker.t" + document.querySelector(".text .q[class*=' s']").className.match(/ s(\d)/)[1]);
		sec.dispatchEvent(new MouseEvent("mouseenter"));
		return String(document.querySelectorAll(".text .q.hl").length);
	})()`)
	if hl == "0" {
		t.Error("the script did not mark the speaker's quotations")
	}
	eval(`(() => { document.querySelectorAll(".panel .speaker").forEach(s => s.dispatchEvent(new MouseEvent("mouseleave"))); return "" })()`)
	shot("article")

	// Follow the speaker.
	run("follow Mullah Omar", chromedp.Click(chromedp.CSS(`.panel a[href="/speakers/Mullah%20Omar"]`)), chromedp.WaitVisible(chromedp.CSS("ol.quotes")))
	if h := eval(`document.querySelector("h1").textContent`); h != "Mullah Omar" {
		t.Errorf("speaker page heading %q", h)
	}
	if n := eval(`String(document.querySelectorAll("ol.quotes > li").length)`); n == "0" {
		t.Error("no quotations on the speaker's page")
	}
	shot("speaker")

	run("sources", chromedp.Navigate(f.srv.URL+"/sources"), chromedp.WaitVisible(chromedp.CSS("svg")))
	shot("sources")

	// On a phone: the article fits the screen's width.
	run("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(f.srv.URL+fmt.Sprintf("/articles/%d", f.example)),
		chromedp.WaitVisible(chromedp.CSS(".panel")))
	if w := eval(`String(document.documentElement.scrollWidth <= window.innerWidth + 1)`); w != "true" {
		t.Errorf("the article is wider than a phone's screen: %s > %s", eval(`String(document.documentElement.scrollWidth)`), eval(`String(window.innerWidth)`))
	}
	shot("article-phone")

	mu.Lock()
	defer mu.Unlock()
	for _, m := range console {
		if strings.Contains(m, "Content Security Policy") || strings.Contains(m, "Refused to") || strings.Contains(strings.ToLower(m), "uncaught") {
			t.Errorf("browser console: %s", m)
		}
	}
}
