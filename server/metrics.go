package server

import (
	"context"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsgraph/newsgraph/store"
)

// metrics are the server's Prometheus series:
//
//	newsgraph_http_requests_total{route, method, code}   requests answered
//	newsgraph_http_request_seconds{route, method}        their latency
//	newsgraph_articles_analysed_total{stored}            analyses (stored="true" for POST articles)
//	newsgraph_cache_hits_total                          list queries answered from the cache
//	newsgraph_store_articles, newsgraph_store_bytes      the store's size, read at most every 10 s
type metrics struct {
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	analysed  *prometheus.CounterVec
	cacheHits prometheus.Counter
}

func newMetrics(reg *prometheus.Registry, size *store.StatsCache) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsgraph_http_requests_total", Help: "HTTP requests answered, by route, method and status code."},
			[]string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "newsgraph_http_request_seconds", Help: "Time to answer an HTTP request, by route and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"route", "method"}),
		analysed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsgraph_articles_analysed_total", Help: "Articles analysed, by whether they were stored."},
			[]string{"stored"}),
		cacheHits: prometheus.NewCounter(prometheus.CounterOpts{Name: "newsgraph_cache_hits_total", Help: "API list queries answered from the cache."}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency, m.analysed, m.cacheHits,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "newsgraph_store_articles", Help: "Articles in the store."}, func() float64 { st, _ := size.Get(context.Background()); return float64(st.Articles) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "newsgraph_store_bytes", Help: "The store's size on disk, in bytes."}, func() float64 { st, _ := size.Get(context.Background()); return float64(st.Bytes) }),
	} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *metrics) observe(route, method string, code int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route, method).Observe(d.Seconds())
}
