package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store"
)

func page(title string) string {
	return `<!DOCTYPE html><html><head><title>` + title + `</title></head><body><nav><a href="/">Home</a></nav><article><h1>` + title + `</h1>
<p>“We are committed to the talks,” the Taliban spokesman said on Wednesday in Kabul, according to a statement.</p>
<p>Officials in Islamabad described the meeting in Murree as constructive and useful for both sides, the BBC reported.</p></article></body></html>`
}

// memValidators keeps validators in memory.
type memValidators struct {
	mu sync.Mutex
	m  map[string]store.Validators
}

func (v *memValidators) Validators(_ context.Context, u string) (store.Validators, bool, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	x, ok := v.m[u]
	return x, ok, nil
}

func (v *memValidators) SetValidators(_ context.Context, u string, x store.Validators) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.m[u] = x
	return nil
}

type site struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	agents   map[string]bool
	times    []time.Time
	feedFull int // full (200) responses of the feed
}

func newSite(t *testing.T) *site {
	s := &site{hits: map[string]int{}, agents: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/story/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("Story "+strings.TrimPrefix(r.URL.Path, "/story/")))
	})
	mux.HandleFunc("/private/x", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, page("Private")) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, strings.Repeat("<p>words words words</p>", 10000))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/redir", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/private/x", http.StatusFound)
	})
	mux.HandleFunc("/error", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/feed.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"version": "https://jsonfeed.org/version/1.1", "title": "JSON Wire", "items": [{"id": "1", "url": "/story/7", "title": "Seven"}]}`)
	})
	mux.HandleFunc("/flaky.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"f1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"f1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>Flaky</title><item><link>/story/8</link></item><item><link>/error</link></item></channel></rss>`)
	})
	mux.HandleFunc("/bad.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, "<rss><channel><item><title>unclosed")
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		s.mu.Lock()
		s.feedFull++
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>
<item><title>One</title><link>/story/1</link><pubDate>Wed, 15 Jul 2015 10:00:00 GMT</pubDate></item>
<item><title>Missing</title><link>/gone</link></item>
<item><title>Two</title><link>`+s.URL+`/story/2</link></item>
<item><title>Disallowed</title><link>/private/x</link></item>
<item><title>No link</title></item>
</channel></rss>`)
	})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.agents[r.UserAgent()] = true
		s.times = append(s.times, time.Now())
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func collect(t *testing.T, f *Fetcher, urls ...string) ([]source.Item, []string) {
	t.Helper()
	var items []source.Item
	var errs []string
	err := f.Items(context.Background(), urls, func(it source.Item) error {
		if it.Err != nil {
			errs = append(errs, it.Err.Error())
		} else {
			items = append(items, it)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return items, errs
}

func TestFeed(t *testing.T) {
	s := newSite(t)
	v := &memValidators{m: map[string]store.Validators{}}
	f := New(Options{AllowPrivate: true, PerHost: time.Millisecond, Validators: v, FeedRead: func(ctx context.Context, u string, x store.Validators) {
		v.SetValidators(ctx, u, x)
	}})
	items, errs := collect(t, f, s.URL+"/feed.xml")
	if len(items) != 2 {
		t.Fatalf("%d articles, want 2; errors %v", len(items), errs)
	}
	one := items[0]
	if one.Feed != s.URL+"/feed.xml" || one.Meta.URL != s.URL+"/story/1" || one.Meta.Date != "2015-07-15" || one.Meta.Publisher != "Example Wire" || one.Meta.Input.Format != "feed" || !strings.Contains(one.Text, "We are committed") {
		t.Errorf("first item: %+v %q", one.Meta, one.Text)
	}
	want := []string{
		s.URL + "/gone: fetch: HTTP 404 Not Found",
		s.URL + "/private/x: fetch: robots.txt disallows it",
		s.URL + "/feed.xml: record 5: parse: the feed item has no link",
	}
	if strings.Join(errs, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant\n%s", strings.Join(errs, "\n"), strings.Join(want, "\n"))
	}
	if !s.agents[DefaultUserAgent] || len(s.agents) != 1 {
		t.Errorf("user agents %v", s.agents)
	}
	// Again: the feed is unchanged (304), so nothing is fetched but the feed.
	before := s.hits["/story/1"]
	items, errs = collect(t, f, s.URL+"/feed.xml")
	if len(items) != 0 || len(errs) != 0 || s.feedFull != 1 || s.hits["/story/1"] != before {
		t.Errorf("second fetch: %d items, %v, feed served in full %d times", len(items), errs, s.feedFull)
	}
	if s.hits["/robots.txt"] != 1 {
		t.Errorf("robots.txt read %d times, want once", s.hits["/robots.txt"])
	}
}

func TestSkip(t *testing.T) {
	s := newSite(t)
	f := New(Options{AllowPrivate: true, PerHost: time.Millisecond, Skip: func(_ context.Context, u string) bool { return strings.HasSuffix(u, "/story/1") }})
	items, _ := collect(t, f, s.URL+"/feed.xml")
	if len(items) != 1 || s.hits["/story/1"] != 0 {
		t.Errorf("%d items; /story/1 fetched %d times", len(items), s.hits["/story/1"])
	}
}

func TestRefusals(t *testing.T) {
	s := newSite(t)
	f := New(Options{AllowPrivate: true, PerHost: time.Millisecond, MaxBytes: 50_000, Timeout: 300 * time.Millisecond})
	for _, tc := range []struct {
		path string
		err  error
		msg  string
	}{
		{"/big", newsgraph.ErrTooLarge, ""},
		{"/slow", nil, "Timeout"},
		{"/bad.xml", nil, "not a feed or page"},
		{"/nothing", nil, "HTTP 404"},
	} {
		_, errs := collect(t, f, s.URL+tc.path)
		if len(errs) != 1 || !strings.Contains(errs[0], s.URL+tc.path) || !strings.Contains(errs[0], tc.msg) {
			t.Errorf("%s: %v", tc.path, errs)
		}
	}
	_, errs := collect(t, f, "ftp://example.com/x", "not a url")
	if len(errs) != 2 || !strings.Contains(errs[0], "not an http(s) URL") {
		t.Errorf("bad URLs: %v", errs)
	}
}

func TestPrivateRefused(t *testing.T) {
	s := newSite(t)
	f := New(Options{PerHost: time.Millisecond})
	_, err := f.Get(context.Background(), s.URL+"/story/1")
	if !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("loopback without --allow-private: %v", err)
	}
	if n := s.hits["/story/1"] + s.hits["/robots.txt"]; n != 0 {
		t.Errorf("the server was reached %d times", n)
	}
	for ip, public := range map[string]bool{
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false,
		"100.64.0.1": false, "0.0.0.0": false, "::1": false, "fe80::1": false, "fd00::1": false, "224.0.0.1": false,
		// The gaps of the hand-written list: NAT64 of the metadata address, 6to4 of loopback,
		// IPv4-compatible and -mapped loopback, site-local, benchmarking, IETF assignments,
		// documentation, broadcast.
		"64:ff9b::a9fe:a9fe": false, "2002:7f00:1::1": false, "::127.0.0.1": false, "::ffff:127.0.0.1": false,
		"::ffff:169.254.169.254": false, "fec0::1": false, "198.18.0.1": false, "192.0.0.1": false,
		"192.0.2.1": false, "2001:db8::1": false, "255.255.255.255": false, "240.0.0.1": false,
		"8.8.8.8": true, "151.101.1.69": true, "2a04:4e42::81": true, "2606:4700::6810:84e5": true,
	} {
		if got := Public(netip.MustParseAddr(ip)); got != public {
			t.Errorf("Public(%s) = %v", ip, got)
		}
	}
	// The dialer's check itself, with the address as the dialer gives it.
	for _, addr := range []string{"[64:ff9b::a9fe:a9fe]:80", "[2002:7f00:1::1]:443", "198.18.0.1:8080", "[::127.0.0.1]:80"} {
		if err := refusePrivate("tcp6", addr, nil); !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("refusePrivate(%s): %v", addr, err)
		}
	}
	if err := refusePrivate("tcp4", "8.8.8.8:8080", nil); err != nil {
		t.Errorf("refusePrivate(8.8.8.8:8080): %v", err)
	}
}

func TestPerHostWait(t *testing.T) {
	s := newSite(t)
	f := New(Options{AllowPrivate: true, PerHost: 60 * time.Millisecond})
	t0 := time.Now()
	collect(t, f, s.URL+"/story/1", s.URL+"/story/2", s.URL+"/story/3")
	// robots.txt and three pages: three waits of 60 ms at least, however fast the server.
	if d := time.Since(t0); d < 180*time.Millisecond {
		t.Errorf("four requests to one host took %v, under three 60 ms waits", d)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.times) != 4 {
		t.Fatalf("%d requests", len(s.times))
	}
}

func TestFeedKeptForLater(t *testing.T) {
	s := newSite(t)
	v := &memValidators{m: map[string]store.Validators{}}
	f := New(Options{AllowPrivate: true, PerHost: time.Millisecond, Validators: v, FeedRead: func(ctx context.Context, u string, x store.Validators) {
		v.SetValidators(ctx, u, x)
	}})
	// An item failed with a server error: the feed's validators are not kept, so the next run
	// reads it again and retries the item.
	items, errs := collect(t, f, s.URL+"/flaky.xml")
	if len(items) != 1 || len(errs) != 1 || !strings.Contains(errs[0], "HTTP 503") {
		t.Fatalf("flaky feed: %d items, %v", len(items), errs)
	}
	if _, ok := v.m[s.URL+"/flaky.xml"]; ok {
		t.Error("validators kept for a feed with an item to retry")
	}
	items, errs = collect(t, f, s.URL+"/flaky.xml")
	if len(items) != 1 || len(errs) != 1 {
		t.Errorf("second read: %d items, %v", len(items), errs)
	}
}

func TestRedirectsAndJSONFeed(t *testing.T) {
	s := newSite(t)
	f := New(Options{AllowPrivate: true, PerHost: time.Millisecond})
	_, errs := collect(t, f, s.URL+"/redir")
	if len(errs) != 1 || !strings.Contains(errs[0], "robots.txt disallows it") || s.hits["/private/x"] != 0 {
		t.Errorf("a redirect to a disallowed path: %v (fetched %d times)", errs, s.hits["/private/x"])
	}
	if _, err := f.Get(context.Background(), s.URL+"/loop"); err == nil || !strings.Contains(err.Error(), "more than 5 redirects") || !permanent(err) {
		t.Errorf("a redirect loop: %v", err)
	}
	items, errs := collect(t, f, s.URL+"/feed.json")
	if len(items) != 1 || len(errs) != 0 || items[0].Meta.Publisher != "JSON Wire" || items[0].Meta.Title != "Story 7" {
		t.Errorf("JSON feed served as application/json: %d items %v %+v", len(items), errs, items)
	}
}

// TestRedirectHops: robots.txt that redirects on its own host, and a page that redirects on a host
// with a Crawl-delay longer than the request timeout (the wait is between requests, not in one).
func TestRedirectHops(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/robots.txt", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/static/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n")
	})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/story/1", http.StatusFound) })
	mux.HandleFunc("/story/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page("Story 1"))
	})
	mux.HandleFunc("/private/x", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, page("Private")) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := New(Options{AllowPrivate: true, PerHost: time.Millisecond, Timeout: 700 * time.Millisecond})
	done := make(chan struct{})
	var resp *Response
	var err error
	go func() {
		resp, err = f.Get(context.Background(), srv.URL+"/old")
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Get hung on a robots.txt that redirects")
	}
	if err != nil || resp.URL != srv.URL+"/story/1" || resp.Key != srv.URL+"/old" {
		t.Fatalf("redirect with a 1 s Crawl-delay and a 0.7 s timeout: %v %+v", err, resp)
	}
	if _, err := f.Get(context.Background(), srv.URL+"/private/x"); !errors.Is(err, ErrRobots) {
		t.Errorf("the redirected robots.txt's rules: %v", err)
	}
}

// TestRobotsRedirectLoop: a robots.txt that redirects more than five times is taken as unavailable,
// which allows everything (RFC 9309, 2.3.1.2), not as unreachable.
func TestRobotsRedirectLoop(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/robots.txt", http.StatusFound) })
	mux.HandleFunc("/story/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page("Story 1"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := New(Options{AllowPrivate: true, PerHost: time.Millisecond})
	if _, err := f.Get(context.Background(), srv.URL+"/story/1"); err != nil {
		t.Errorf("a robots.txt in a redirect loop: %v", err)
	}
}

func TestPermanent(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&httpError{404, "404 Not Found"}, true},
		{&httpError{410, "410 Gone"}, true},
		{&httpError{429, "429 Too Many Requests"}, false},
		{&httpError{408, "408 Request Timeout"}, false},
		{&httpError{503, "503 Service Unavailable"}, false},
		{fmt.Errorf("x: %w", ErrRobots), true},
		{fmt.Errorf("%w (1 > 0)", newsgraph.ErrTooLarge), true},
		{context.DeadlineExceeded, false},
	} {
		if got := permanent(tc.err); got != tc.want {
			t.Errorf("permanent(%v) = %v", tc.err, got)
		}
	}
}

// TestFeedsAtOnce: two feeds on two hosts are read at the same time: each host's page waits until
// the other host has been asked for its page, which only happens if the fetcher does not wait for
// one feed to finish before the next.
func TestFeedsAtOnce(t *testing.T) {
	met := make(chan struct{}, 2)
	var timedOut sync.Map
	site := func(name string) *httptest.Server {
		mux := http.NewServeMux()
		mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<rss version="2.0"><channel><title>`+name+`</title><item><link>/story/1</link></item></channel></rss>`)
		})
		mux.HandleFunc("/story/1", func(w http.ResponseWriter, r *http.Request) {
			met <- struct{}{}
			// Wait for the other host's page request (or give up after 10 s).
			deadline := time.After(10 * time.Second)
			for len(met) < 2 {
				select {
				case <-deadline:
					timedOut.Store(name, true)
					goto serve
				case <-time.After(5 * time.Millisecond):
				}
			}
		serve:
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, page("Story of "+name))
		})
		return httptest.NewServer(mux)
	}
	a, b := site("A"), site("B")
	defer a.Close()
	defer b.Close()
	f := New(Options{AllowPrivate: true, PerHost: time.Millisecond})
	items, errs := collect(t, f, a.URL+"/feed.xml", b.URL+"/feed.xml")
	if len(items) != 2 || len(errs) != 0 {
		t.Fatalf("%d items, %v", len(items), errs)
	}
	timedOut.Range(func(k, _ any) bool {
		t.Errorf("host %v's page was asked for alone: the feeds were read one after the other", k)
		return true
	})
}

// TestFeedLimit: a feed longer than the limit is read a limit's worth of new items a run, each cut
// said in a notice, and reported read (its validators kept) only by the run that reads its last
// item.
func TestFeedLimit(t *testing.T) {
	var mu sync.Mutex
	pages := map[string]int{}
	mux := http.NewServeMux()
	mux.HandleFunc("/long.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"long"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"long"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>Long</title>`)
		for i := 1; i <= 7; i++ {
			fmt.Fprintf(w, `<item><title>Item %d</title><link>/story/%d</link></item>`, i, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	mux.HandleFunc("/story/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		pages[r.URL.Path]++
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("Story "+strings.TrimPrefix(r.URL.Path, "/story/")))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	v := &memValidators{m: map[string]store.Validators{}}
	stored := map[string]bool{}
	f := New(Options{AllowPrivate: true, PerHost: time.Millisecond, MaxItems: 3, Validators: v,
		Skip:     func(_ context.Context, u string) bool { return stored[u] },
		FeedRead: func(ctx context.Context, u string, x store.Validators) { v.SetValidators(ctx, u, x) }})
	run := func() (int, []string) {
		n := 0
		var notices []string
		err := f.Items(context.Background(), []string{srv.URL + "/long.xml"}, func(it source.Item) error {
			switch {
			case it.Notice():
				notices = append(notices, it.Warnings...)
			case it.Err != nil:
				t.Errorf("item: %v", it.Err)
			default:
				stored[it.Meta.Input.Path] = true
				n++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return n, notices
	}
	for i, want := range []int{3, 3, 1} {
		n, notices := run()
		_, kept := v.m[srv.URL+"/long.xml"]
		if last := i == 2; n != want || len(notices) != map[bool]int{false: 1, true: 0}[last] || kept != last {
			t.Fatalf("run %d: %d pages (want %d), notices %q, validators kept %v", i+1, n, want, notices, kept)
		}
		if i == 0 && !strings.Contains(notices[0], "/long.xml: stopped before item 4 of 7: the limit is 3") {
			t.Errorf("notice %q", notices[0])
		}
	}
	if n, _ := run(); n != 0 {
		t.Errorf("a fourth run read %d pages of a feed read in full", n)
	}
	for p, k := range pages {
		if k != 1 {
			t.Errorf("%s fetched %d times", p, k)
		}
	}
	if len(pages) != 7 {
		t.Errorf("%d of the 7 pages fetched", len(pages))
	}
}

// TestRobotsUnreachable: a robots.txt answering 5xx (or 429) disallows the host for now, not for
// good: its pages fail with an error that is not permanent, a feed with such items is not reported
// read, and robots.txt is asked again after the retry time.
func TestRobotsUnreachable(t *testing.T) {
	var mu sync.Mutex
	robotsStatus := http.StatusServiceUnavailable
	hits := map[string]int{}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		st := robotsStatus
		mu.Unlock()
		if st != http.StatusOK {
			http.Error(w, "busy", st)
			return
		}
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/story/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("Story"))
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	defer srv.Close()
	f := New(Options{AllowPrivate: true, PerHost: time.Millisecond, RobotsRetry: 50 * time.Millisecond})
	for _, st := range []int{http.StatusServiceUnavailable, http.StatusTooManyRequests} {
		mu.Lock()
		robotsStatus = st
		mu.Unlock()
		time.Sleep(60 * time.Millisecond)
		_, err := f.Get(context.Background(), srv.URL+"/story/1")
		if !errors.Is(err, ErrRobotsUnreachable) || permanent(err) || errors.Is(err, ErrRobots) {
			t.Fatalf("robots.txt answering %d: %v (permanent %v)", st, err, permanent(err))
		}
		// Asked again within the retry time: refused at once, robots.txt not asked again.
		before := hits["/robots.txt"]
		if _, err := f.Get(context.Background(), srv.URL+"/story/2"); !errors.Is(err, ErrRobotsUnreachable) || hits["/robots.txt"] != before {
			t.Errorf("within the retry time: %v, robots.txt asked %d more times", err, hits["/robots.txt"]-before)
		}
	}
	if hits["/story/1"]+hits["/story/2"] != 0 {
		t.Errorf("pages fetched while robots.txt was unreachable")
	}
	mu.Lock()
	robotsStatus = http.StatusOK
	mu.Unlock()
	time.Sleep(60 * time.Millisecond)
	if _, err := f.Get(context.Background(), srv.URL+"/story/1"); err != nil {
		t.Errorf("after robots.txt came back: %v", err)
	}
	if _, err := f.Get(context.Background(), srv.URL+"/private/x"); !errors.Is(err, ErrRobots) {
		t.Errorf("its rules are obeyed once read: %v", err)
	}
}

// TestRobotsUnreachableFeed: a feed whose items' host has no readable robots.txt is not reported
// read, so the next run reads it again.
func TestRobotsUnreachableFeed(t *testing.T) {
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page("Story"))
	}))
	defer pages.Close()
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"e"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>F</title><item><link>%s/story/1</link></item></channel></rss>`, pages.URL)
	}))
	defer feed.Close()
	read := false
	f := New(Options{AllowPrivate: true, PerHost: time.Millisecond, FeedRead: func(context.Context, string, store.Validators) { read = true }})
	_, errs := collect(t, f, feed.URL+"/feed.xml")
	if len(errs) != 1 || !strings.Contains(errs[0], "robots.txt could not be read") || !strings.Contains(errs[0], "502") || read {
		t.Errorf("errors %v, feed reported read: %v", errs, read)
	}
}
