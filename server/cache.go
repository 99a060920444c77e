package server

import (
	lru "container/list"
	"net/http"
	"sync"
	"time"
)

// cache keeps the answers of the API's list queries (search, quotes, sources, chains) for a few
// seconds (64 MB of them at most), by their URL: news readers and dashboards ask the same questions again and again, and
// a common word's ranking costs tens of milliseconds. An answer is at most ttl old (writes by
// another process, an ingest beside the server, show after that); this server's own writes
// clear it at once.
type cache struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int // entries
	bytes int // their bodies' bytes, at most maxBytes
	gen   uint64
	ll    *lru.List // most recent first
	m     map[string]*lru.Element
}

// The cache's byte budget, and the largest answer it keeps.
const (
	maxBytes      = 64 << 20
	maxEntryBytes = 1 << 20
)

type cached struct {
	key  string
	body []byte
	at   time.Time
}

func newCache(ttl time.Duration, max int) *cache {
	return &cache{ttl: ttl, max: max, ll: lru.New(), m: map[string]*lru.Element{}}
}

func (c *cache) get(key string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		return nil, false
	}
	v := e.Value.(*cached)
	if time.Since(v.at) > c.ttl {
		c.ll.Remove(e)
		delete(c.m, key)
		c.bytes -= len(v.body)
		return nil, false
	}
	c.ll.MoveToFront(e)
	return v.body, true
}

// generation is the cache's count of clears: an answer computed across a clear (a write) is not
// kept.
func (c *cache) generation() uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps an answer computed in generation gen, unless a clear came since or it is too large.
func (c *cache) put(key string, body []byte, gen uint64) {
	if c == nil || len(body) > maxEntryBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if e, ok := c.m[key]; ok {
		c.bytes -= len(e.Value.(*cached).body)
		c.ll.Remove(e)
		delete(c.m, key)
	}
	c.m[key] = c.ll.PushFront(&cached{key, body, time.Now()})
	c.bytes += len(body)
	for c.ll.Len() > c.max || c.bytes > maxBytes {
		old := c.ll.Back()
		c.ll.Remove(old)
		v := old.Value.(*cached)
		c.bytes -= len(v.body)
		delete(c.m, v.key)
	}
}

func (c *cache) clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.ll.Init()
	clear(c.m)
	c.bytes = 0
}

// cachedJSON answers a GET from the cache, or runs h and keeps a 200 answer.
func (s *Server) cachedJSON(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// The key is the query's parameters decoded and sorted: q=%73aid and q=said are one.
		key := r.URL.Path + "?" + r.URL.Query().Encode()
		gen := s.cache.generation()
		if b, ok := s.cache.get(key); ok {
			s.metrics.cacheHits.Inc()
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("X-Cache", "hit")
			w.Write(b)
			return
		}
		rec := &capture{ResponseWriter: w}
		h(rec, r)
		if rec.status == http.StatusOK {
			s.cache.put(key, rec.body, gen)
		}
	}
}

// capture keeps a copy of what a handler writes.
type capture struct {
	http.ResponseWriter
	status int
	body   []byte
}

func (c *capture) WriteHeader(code int) {
	c.status = code
	c.ResponseWriter.WriteHeader(code)
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.body = append(c.body, b...)
	return c.ResponseWriter.Write(b)
}
