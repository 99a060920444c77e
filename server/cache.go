package server

import (
	lru "container/list"
	"net/http"
	"sync"
	"time"
)

// cache keeps the answers of the API's list queries (search, quotes, sources, chains) for a few
// seconds, by their URL: news readers and dashboards ask the same questions again and again, and
// a common word's ranking costs tens of milliseconds. An answer is at most ttl old (writes by
// another process, an ingest beside the server, show after that); this server's own writes
// clear it at once.
type cache struct {
	mu  sync.Mutex
	ttl time.Duration
	max int
	ll  *lru.List // most recent first
	m   map[string]*lru.Element
}

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
		return nil, false
	}
	c.ll.MoveToFront(e)
	return v.body, true
}

func (c *cache) put(key string, body []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok {
		e.Value = &cached{key, body, time.Now()}
		c.ll.MoveToFront(e)
		return
	}
	c.m[key] = c.ll.PushFront(&cached{key, body, time.Now()})
	for c.ll.Len() > c.max {
		old := c.ll.Back()
		c.ll.Remove(old)
		delete(c.m, old.Value.(*cached).key)
	}
}

func (c *cache) clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ll.Init()
	clear(c.m)
}

// cachedJSON answers a GET from the cache, or runs h and keeps a 200 answer.
func (s *Server) cachedJSON(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Path + "?" + r.URL.RawQuery
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
			s.cache.put(key, rec.body)
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
