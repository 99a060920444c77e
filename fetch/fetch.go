// Package fetch reads articles from the web, politely: it names itself, obeys robots.txt and
// its Crawl-delay, waits between requests to one host, bounds every response's time and size,
// asks only for what changed since the last fetch (conditional GET), and refuses loopback,
// private and link-local addresses unless allowed (so a URL in a feed cannot reach the machine's
// own network). A URL may be a page or an RSS, Atom or JSON feed, whose items' pages are fetched.
package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"code.dny.dev/ssrf"
	"github.com/mmcdole/gofeed"
	"github.com/temoto/robotstxt"
	"golang.org/x/time/rate"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/source"
	"github.com/newsgraph/newsgraph/store"
)

// Options configure a Fetcher. Zero values take the defaults.
type Options struct {
	UserAgent    string        // default DefaultUserAgent
	Timeout      time.Duration // for one request, connection to last byte (default 30 s)
	MaxBytes     int64         // largest response body (default source.DefaultMaxBytes)
	PerHost      time.Duration // least time between two requests to one host (default 1 s; robots.txt's Crawl-delay if longer)
	AllowPrivate bool          // allow loopback, private and link-local addresses (tests, intranets)
	// MaxItems is the most items of one feed whose pages are read in one run (default
	// DefaultMaxItems; negative: no limit). Items passed over (Skip, or unchanged since the last
	// fetch: 304) do not count, so that each run reads on where the last stopped; items that fail
	// do. A feed cut short by it gives a notice item and is not reported read (FeedRead).
	MaxItems int
	// RobotsRetry is how long a host whose robots.txt could not be read (a server error, 429, a
	// network failure, a body cut short) is taken to disallow everything before robots.txt is asked
	// again (default 1 minute), as RFC 9309 has it; its pages fail with ErrRobotsUnreachable, which
	// is not permanent.
	RobotsRetry time.Duration
	Concurrency int // how many URLs Items reads at once (default 8); one host is still asked once a PerHost
	// Validators, when set, gives the ETag and Last-Modified a URL had when it was last read in
	// full, for a conditional GET (a feed unchanged since is not read again).
	Validators interface {
		Validators(ctx context.Context, url string) (store.Validators, bool, error)
	}
	// FeedRead, when set, is called after every item of a feed has been passed on without a
	// failure that a later run could undo (a timeout, a server error): the caller keeps v for the
	// feed's next conditional GET once the items are safely stored, and not before, so that a run
	// killed half-way through a feed reads it again.
	FeedRead func(ctx context.Context, feedURL string, v store.Validators)
	// Skip, when set, is asked before a feed item's page is fetched; true skips it (an article
	// already stored).
	Skip func(ctx context.Context, url string) bool
	// DeferHTML passes pages on unextracted (source.Item.Pending): the caller runs Extract.
	DeferHTML bool
}

// DefaultMaxItems is the default of Options.MaxItems.
const DefaultMaxItems = 200

// DefaultUserAgent names newsgraph to the sites it reads.
const DefaultUserAgent = "newsgraph/0.1 (+https://github.com/newsgraph/newsgraph)"

// robotsAgent is the name robots.txt rules are matched against.
const robotsAgent = "newsgraph"

// Errors.
var (
	ErrPrivateAddress = errors.New("the address is loopback, private or link-local (allow it with --allow-private)")
	ErrRobots         = errors.New("robots.txt disallows it")
	// ErrRobotsUnreachable: the host's robots.txt could not be read, so nothing may be fetched from
	// it for now; a later run (or, in a long run, a later request) asks again.
	ErrRobotsUnreachable = errors.New("robots.txt could not be read, so the site is not read for now (a later run tries again)")
	ErrNotModified       = errors.New("not modified since the last fetch")
	errNotHTTP           = errors.New("not an http(s) URL")
	errTooManyRedirects  = errors.New("more than 5 redirects")
)

// Fetcher fetches pages and feeds. It is safe for concurrent use.
type Fetcher struct {
	opts         Options
	client       *http.Client // follows no redirects (Get does)
	robotsClient *http.Client
	mu           sync.Mutex
	hosts        map[string]*host
}

type host struct {
	mu      sync.Mutex // held while robots.txt is fetched
	robots  *robotstxt.RobotsData
	limiter *rate.Limiter
	// unreachable is why robots.txt could not be read, until retry: every page of the host is
	// refused with it until then.
	unreachable error
	retry       time.Time
}

// New returns a Fetcher.
func New(opts Options) *Fetcher {
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = source.DefaultMaxBytes
	}
	if opts.PerHost <= 0 {
		opts.PerHost = time.Second
	}
	if opts.MaxItems == 0 {
		opts.MaxItems = DefaultMaxItems
	}
	if opts.RobotsRetry <= 0 {
		opts.RobotsRetry = time.Minute
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	if !opts.AllowPrivate {
		dialer.Control = refusePrivate
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would hide the address that is checked
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: opts.Timeout,
		MaxIdleConnsPerHost:   2,
	}
	f := &Fetcher{opts: opts, hosts: map[string]*host{}}
	// Redirects are followed by Get itself, so that each hop is checked against robots.txt and
	// waits its turn outside any one request's timeout.
	f.client = &http.Client{
		Transport: tr,
		Timeout:   opts.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	// robots.txt itself may redirect (up to five times, as crawlers allow).
	f.robotsClient = &http.Client{
		Transport: tr,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errTooManyRedirects
			}
			return nil
		},
	}
	return f
}

// refusePrivate refuses connections to addresses that are not public, whatever name led there
// (the dialer asks it with the address a name resolved to).
func refusePrivate(network, address string, _ syscall.RawConn) error {
	h, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(h)
	if err != nil || !Public(ip) {
		return fmt.Errorf("%s: %w", h, ErrPrivateAddress)
	}
	return nil
}

// guardian holds the IANA special-purpose registries of IPv4 and IPv6 (code.dny.dev/ssrf, kept in
// step with them): any port, since news sites are not all on 80 and 443.
var guardian = ssrf.New(ssrf.WithAnyPort(), ssrf.WithAnyNetwork())

// Public reports whether ip is a public unicast address: in no prefix of the IANA IPv4 and IPv6
// special-purpose address registries (loopback, private, shared, link-local, benchmarking,
// documentation, IETF protocol assignments, …), and, for IPv6, in the global unicast range but not
// in one of its special prefixes: NAT64 (64:ff9b::/96, which reaches IPv4 addresses such as the
// cloud metadata service), 6to4 (2002::/16), IPv4-mapped and -compatible addresses (::ffff:a.b.c.d,
// ::a.b.c.d) and site-local ones (fec0::/10) are refused with the rest.
func Public(ip netip.Addr) bool {
	return ip.IsValid() && guardian.SafeAddr(ip) == nil
}

// Response is a fetched resource.
type Response struct {
	Key         string // the URL asked for, as validators are kept under it
	URL         string // after redirects
	Status      int
	ContentType string
	Body        []byte
	Validators  store.Validators // the response's ETag and Last-Modified
}

// Get fetches one URL politely: robots.txt, the per-host wait, conditional GET (ErrNotModified
// when the server says nothing changed), the size limit, and up to five redirects, each hop
// checked and paced as the first. Status codes other than 200 are errors.
func (f *Fetcher) Get(ctx context.Context, rawURL string) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errNotHTTP
	}
	key := u.String()
	conditional := http.Header{}
	if f.opts.Validators != nil {
		if v, ok, err := f.opts.Validators.Validators(ctx, key); err == nil && ok && v.Status == http.StatusOK {
			if v.ETag != "" {
				conditional.Set("If-None-Match", v.ETag)
			}
			if v.LastModified != "" {
				conditional.Set("If-Modified-Since", v.LastModified)
			}
		}
	}
	for hop := 0; ; hop++ {
		resp, err := f.do(ctx, u, conditional)
		if err != nil {
			if hop > 0 && errors.Is(err, ErrRobots) {
				return nil, fmt.Errorf("redirected to %s: %w", u, err)
			}
			return nil, err
		}
		switch resp.StatusCode {
		case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
			resp.Body.Close()
			if hop == 5 {
				return nil, errTooManyRedirects
			}
			next, err := u.Parse(resp.Header.Get("Location"))
			if err != nil || (next.Scheme != "http" && next.Scheme != "https") || next.Host == "" {
				return nil, fmt.Errorf("a redirect to %q: %w", resp.Header.Get("Location"), errNotHTTP)
			}
			u, conditional = next, http.Header{}
			continue
		}
		defer resp.Body.Close()
		return f.read(key, u, resp)
	}
}

// do makes one request for u, after robots.txt allows it and the host's turn has come.
func (f *Fetcher) do(ctx context.Context, u *url.URL, extra http.Header) (*http.Response, error) {
	h, err := f.host(ctx, u)
	if err != nil {
		return nil, err
	}
	if !h.robots.TestAgent(u.EscapedPath()+querySuffix(u), robotsAgent) {
		return nil, ErrRobots
	}
	if err := h.limiter.Wait(ctx); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,*/*;q=0.5")
	for k, v := range extra {
		req.Header[k] = v
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, unwrapURLError(err)
	}
	return resp, nil
}

// read takes the body of a final response.
func (f *Fetcher) read(key string, u *url.URL, resp *http.Response) (*Response, error) {
	if resp.StatusCode == http.StatusNotModified {
		return nil, ErrNotModified
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &httpError{status: resp.StatusCode, text: resp.Status}
	}
	if resp.ContentLength > f.opts.MaxBytes {
		return nil, fmt.Errorf("%w (%d bytes > %d)", newsgraph.ErrTooLarge, resp.ContentLength, f.opts.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.opts.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response: %w", unwrapURLError(err))
	}
	if int64(len(body)) > f.opts.MaxBytes {
		return nil, fmt.Errorf("%w (more than %d bytes)", newsgraph.ErrTooLarge, f.opts.MaxBytes)
	}
	v := store.Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), Status: resp.StatusCode, Fetched: time.Now().UTC()}
	return &Response{Key: key, URL: u.String(), Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Body: body, Validators: v}, nil
}

func querySuffix(u *url.URL) string {
	if u.RawQuery != "" {
		return "?" + u.RawQuery
	}
	return ""
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// host returns the state of u's host, reading its robots.txt the first time.
func (f *Fetcher) host(ctx context.Context, u *url.URL) (*host, error) {
	key := strings.ToLower(u.Host)
	f.mu.Lock()
	h := f.hosts[key]
	if h == nil {
		h = &host{limiter: rate.NewLimiter(rate.Every(f.opts.PerHost), 1)}
		f.hosts[key] = h
	}
	f.mu.Unlock()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.robots != nil {
		return h, nil
	}
	if h.unreachable != nil && time.Now().Before(h.retry) {
		return nil, h.unreachable
	}
	if err := h.limiter.Wait(ctx); err != nil {
		return nil, err
	}
	// unreachable takes the host to disallow everything until the retry time (RFC 9309, 2.3.1.4).
	unreachable := func(why string) (*host, error) {
		h.unreachable = fmt.Errorf("%w (%s)", ErrRobotsUnreachable, why)
		h.retry = time.Now().Add(f.opts.RobotsRetry)
		return nil, h.unreachable
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.Scheme+"://"+u.Host+"/robots.txt", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	resp, err := f.robotsClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		err = unwrapURLError(err)
		if errors.Is(err, ErrPrivateAddress) {
			return nil, err // for good, not for now
		}
		if errors.Is(err, errTooManyRedirects) {
			// RFC 9309, 2.3.1.2: after five redirects robots.txt may be taken as unavailable,
			// which allows everything (as a 404 does).
			h.robots, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
			h.unreachable = nil
			return h, nil
		}
		// The site cannot be reached: the page's own request would fail the same way.
		return unreachable(err.Error())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 512<<10))
	status := resp.StatusCode
	switch {
	case err != nil:
		// A robots.txt cut short: its rules are unknown, so nothing is allowed for now.
		return unreachable("its body was cut short: " + unwrapURLError(err).Error())
	case status >= 500 || status == http.StatusTooManyRequests:
		return unreachable("HTTP " + resp.Status)
	}
	h.unreachable = nil
	r, err := robotstxt.FromStatusAndBytes(status, body)
	if err != nil {
		r, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil) // an odd status: no rules
	}
	h.robots = r
	if g := r.FindGroup(robotsAgent); g != nil && g.CrawlDelay > f.opts.PerHost {
		d := min(g.CrawlDelay, time.Minute)
		h.limiter.SetLimit(rate.Every(d))
	}
	return h, nil
}

// Items fetches each URL and calls fn with an article for a page, or one for each item of a feed
// (its page fetched and extracted; the feed's title, date and author fill in what the page lacks).
// A URL or item that fails gives an item with Err set (an *newsgraph.InputError naming the URL),
// and the rest go on; a feed or page the server reports unchanged since the last fetch is passed
// over silently. Items stops early only if fn returns an error or ctx is cancelled.
func (f *Fetcher) Items(ctx context.Context, urls []string, fn func(source.Item) error) error {
	// Several URLs (feeds, mostly on different hosts) are read at once, each host still waiting its
	// turn; the items reach fn one at a time, a feed's in its order.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var fnErr error
	emit := func(it source.Item) error {
		mu.Lock()
		defer mu.Unlock()
		if fnErr != nil {
			return fnErr
		}
		if err := fn(it); err != nil {
			fnErr = err
			cancel()
			return err
		}
		return nil
	}
	next := make(chan string)
	var wg sync.WaitGroup
	for w := 0; w < min(f.opts.Concurrency, len(urls)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for raw := range next {
				if f.one(ctx, raw, emit) != nil {
					cancel()
				}
			}
		}()
	}
	for _, raw := range urls {
		select {
		case next <- raw:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if fnErr != nil {
		return fnErr
	}
	return ctx.Err()
}

// one reads one URL: a page, or a feed and its items.
func (f *Fetcher) one(ctx context.Context, raw string, fn func(source.Item) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	resp, err := f.Get(ctx, raw)
	if errors.Is(err, ErrNotModified) {
		return nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fn(failed("fetch", raw, 0, err))
	}
	if isFeed(resp) {
		return f.feedItems(ctx, raw, resp, fn)
	}
	return fn(f.pageItem(raw, resp, "", "", nil))
}

func failed(op, u string, rec int, err error) source.Item {
	return source.Item{Err: &newsgraph.InputError{Op: op, Input: u, Record: rec, Offset: -1, Err: err}}
}

func isFeed(r *Response) bool {
	ct := strings.ToLower(r.ContentType)
	if strings.Contains(ct, "html") {
		return false
	}
	if strings.Contains(ct, "rss") || strings.Contains(ct, "atom") || strings.Contains(ct, "feed+json") || strings.Contains(ct, "xml") {
		return true
	}
	head := bytes.TrimLeft(r.Body[:min(len(r.Body), 1024)], " \t\r\n\uFEFF")
	if bytes.HasPrefix(head, []byte("{")) {
		return bytes.Contains(head, []byte("jsonfeed.org/version")) // JSON Feed, often served as application/json
	}
	return bytes.HasPrefix(head, []byte("<?xml")) || bytes.HasPrefix(head, []byte("<rss")) || bytes.HasPrefix(head, []byte("<feed"))
}

func (f *Fetcher) feedItems(ctx context.Context, feedURL string, resp *Response, fn func(source.Item) error) error {
	feed, err := parseFeed(resp.Body)
	if err != nil {
		return fn(failed("parse", feedURL, 0, fmt.Errorf("not a feed or page: %v", err)))
	}
	base, _ := url.Parse(resp.URL)
	complete := true // no item failed in a way a later run could undo, and none was left unread
	fetched := 0     // items whose pages were read (not unchanged)
	for i, it := range feed.Items {
		if err := ctx.Err(); err != nil {
			return err
		}
		link := strings.TrimSpace(it.Link)
		if link == "" {
			if err := fn(failed("parse", feedURL, i+1, errors.New("the feed item has no link"))); err != nil {
				return err
			}
			continue
		}
		if u, err := base.Parse(link); err == nil {
			link = u.String()
		}
		if f.opts.Skip != nil && f.opts.Skip(ctx, link) {
			continue
		}
		if f.opts.MaxItems > 0 && fetched >= f.opts.MaxItems {
			// Cut short: say so, and leave the feed to be read again.
			complete = false
			msg := fmt.Sprintf("%s: stopped before item %d of %d: the limit is %d new items a feed a run (--max-feed-items); the next run reads on", feedURL, i+1, len(feed.Items), f.opts.MaxItems)
			if err := fn(source.NoticeItem(msg)); err != nil {
				return err
			}
			break
		}
		page, err := f.Get(ctx, link)
		if errors.Is(err, ErrNotModified) {
			continue // unchanged since it was read: not new
		}
		fetched++
		var item source.Item
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if !permanent(err) {
				complete = false
			}
			item = failed("fetch", link, 0, err)
		} else {
			item = f.pageItem(link, page, resp.Key, feed.Title, it)
		}
		if err := fn(item); err != nil {
			return err
		}
	}
	if complete && f.opts.FeedRead != nil && (resp.Validators.ETag != "" || resp.Validators.LastModified != "") {
		f.opts.FeedRead(ctx, resp.Key, resp.Validators)
	}
	return nil
}

// permanent reports whether a fetch failed for good, so that trying again later would not help:
// robots.txt forbids it, the server says it is not there or refuses it (4xx, but for 408 Request
// Timeout, 425 Too Early and 429 Too Many Requests), it is too large, its address is private, it is
// no http(s) URL, or it redirects too often.
func permanent(err error) bool {
	var he *httpError
	if errors.As(err, &he) {
		return he.status >= 400 && he.status < 500 && he.status != 408 && he.status != 425 && he.status != 429
	}
	if errors.Is(err, ErrRobotsUnreachable) {
		return false
	}
	for _, e := range []error{ErrRobots, newsgraph.ErrTooLarge, ErrPrivateAddress, errNotHTTP, errTooManyRedirects} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// httpError is a response other than 200 or 304.
type httpError struct {
	status int
	text   string
}

func (e *httpError) Error() string { return "HTTP " + e.text }

// parseFeed parses RSS, Atom or JSON Feed, turning a panic in the parser into an error.
func parseFeed(b []byte) (feed *gofeed.Feed, err error) {
	defer func() {
		if p := recover(); p != nil {
			feed, err = nil, fmt.Errorf("the feed parser failed: %v", p)
		}
	}()
	return gofeed.NewParser().Parse(bytes.NewReader(b))
}

// pageItem is the item of a fetched page: pending extraction when the fetcher defers it, else
// extracted. A feed's item, if any, fills in what the page does not say.
func (f *Fetcher) pageItem(u string, r *Response, feedKey, feedTitle string, fi *gofeed.Item) source.Item {
	var fb newsgraph.Meta
	if fi != nil {
		fb.Title, fb.Publisher = strings.TrimSpace(fi.Title), strings.TrimSpace(feedTitle)
		if t := fi.PublishedParsed; t != nil {
			fb.Date = t.UTC().Format("2006-01-02")
		} else if t := fi.UpdatedParsed; t != nil {
			fb.Date = t.UTC().Format("2006-01-02")
		}
		if len(fi.Authors) > 0 && fi.Authors[0] != nil {
			fb.Byline = fi.Authors[0].Name
		}
	}
	it := source.PendingPage(u, 0, r.Body, r.URL, r.ContentType, fb)
	if v := r.Validators; v.ETag != "" || v.LastModified != "" {
		it.Fetched = &source.Fetched{URL: r.Key, ETag: v.ETag, LastModified: v.LastModified}
	}
	if fi != nil {
		it.Meta.Input.Format = "feed"
		it.Feed = feedKey
	}
	if !f.opts.DeferHTML {
		it.Extract()
	}
	return it
}
