package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the server's Prometheus metrics, in a registry of their own
// (so tests can make several servers in one process).
type Metrics struct {
	Registry *prometheus.Registry
	// Ingested counts articles stored through the server (the API's
	// submissions, and the feed poller's items), by result: ingested,
	// updated, unchanged.
	Ingested *prometheus.CounterVec
	// Failures counts failed work by kind: fetch, process, store,
	// request, panic, poll.
	Failures *prometheus.CounterVec
	// Polls counts feed polls by outcome: ok, not-modified, error.
	Polls *prometheus.CounterVec
	// PollItems counts the items feed polls saw, by result (new, known).
	PollItems *prometheus.CounterVec
	// Requests is the latency of HTTP requests by route pattern (never the
	// raw path), method and status code.
	Requests *prometheus.HistogramVec
	// InFlight is the number of requests being served.
	InFlight prometheus.Gauge
}

// NewMetrics registers the metrics (and the Go and process collectors) in a
// new registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Ingested: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_articles_ingested_total",
			Help: "Articles processed and stored by the server, by result (ingested, updated, unchanged).",
		}, []string{"result"}),
		Failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_failures_total",
			Help: "Failures by kind (fetch, process, store, request, panic, poll).",
		}, []string{"kind"}),
		Polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_feed_polls_total",
			Help: "Feed polls by outcome (ok, not-modified, error).",
		}, []string{"outcome"}),
		PollItems: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_feed_items_total",
			Help: "Items seen by feed polls, by result (new, known).",
		}, []string{"result"}),
		Requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "newsdesk_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern, method and status code.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method", "code"}),
		InFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsdesk_http_requests_in_flight",
			Help: "HTTP requests being served.",
		}),
	}
	m.Registry.MustRegister(m.Ingested, m.Failures, m.Polls, m.PollItems, m.Requests, m.InFlight,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}
