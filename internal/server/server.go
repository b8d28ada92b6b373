// Package server builds newsdesk's HTTP server: the listener rules (loopback
// unless a token is set), timeouts on every phase of a request, body limits,
// security headers, access logs, Prometheus metrics, health checks and a
// graceful shutdown. What it serves (the JSON API, the web pages) is handed
// to it as handlers; internal/cli's serve command puts them together.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// Defaults.
const (
	DefaultAddr = "127.0.0.1:8080"
	// DefaultMaxBodyBytes caps any request body the handlers do not cap
	// more tightly: a submitted page of 32 MiB (ingest's --max-bytes) as
	// a JSON string, with room for its escaping.
	DefaultMaxBodyBytes = 80 << 20

	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 2 * time.Minute
	DefaultWriteTimeout      = 3 * time.Minute
	DefaultIdleTimeout       = 2 * time.Minute
	DefaultShutdownTimeout   = 30 * time.Second
)

// ContentSecurityPolicy is sent with every response: nothing inline, nothing
// from elsewhere, no framing.
const ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Config describes a server.
type Config struct {
	Addr  string // host:port; "" means DefaultAddr
	Token string // API token; required unless Addr is a loopback address
	// Store answers /readyz. The server does not close it: its owner
	// closes it after Serve returns, once every request is done.
	Store store.Store
	API   http.Handler // mounted at /api/v1/ (nil: none)
	Web   http.Handler // mounted at / (nil: none)
	// Metrics; nil makes new ones.
	Metrics *Metrics
	Log     *slog.Logger // access log and errors; nil discards

	MaxBodyBytes                                              int64 // 0: DefaultMaxBodyBytes
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// ShutdownTimeout is how long in-flight requests may take to finish
	// once shutdown starts; after it they are cancelled.
	ShutdownTimeout time.Duration
}

// Server is an HTTP server over a store.
type Server struct {
	cfg      Config
	log      *slog.Logger
	metrics  *Metrics
	handler  http.Handler
	inflight sync.WaitGroup
}

// IsLoopback reports whether addr's host is a loopback address (or
// "localhost"). An empty host listens on every interface: not loopback.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// CheckAddr validates a listen address: host:port, and loopback unless a
// token is set.
func CheckAddr(addr, token string) error {
	if _, port, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("--addr %q: want host:port, such as %s", addr, DefaultAddr)
	} else if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("--addr %q: %q is not a port number", addr, port)
	}
	if !IsLoopback(addr) && token == "" {
		return fmt.Errorf("--addr %s is not a loopback address: set an API token (--token or NEWSDESK_TOKEN) to listen on it, or listen on 127.0.0.1", addr)
	}
	return nil
}

// New checks cfg and builds the server.
func New(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if err := CheckAddr(cfg.Addr, cfg.Token); err != nil {
		return nil, err
	}
	if cfg.Store == nil {
		return nil, errors.New("server: no store")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	def(&cfg.ReadTimeout, DefaultReadTimeout)
	def(&cfg.WriteTimeout, DefaultWriteTimeout)
	def(&cfg.IdleTimeout, DefaultIdleTimeout)
	def(&cfg.ShutdownTimeout, DefaultShutdownTimeout)
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	s := &Server{cfg: cfg, log: cfg.Log, metrics: cfg.Metrics}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", s.metrics.Handler())
	if cfg.API != nil {
		mux.Handle("/api/v1/", cfg.API)
	}
	if cfg.Web != nil {
		mux.Handle("/", cfg.Web)
	}
	s.handler = s.wrap(mux)
	return s, nil
}

// Metrics returns the server's metrics, for the API and the poller to count.
func (s *Server) Metrics() *Metrics { return s.metrics }

// Addr is the configured listen address.
func (s *Server) Addr() string { return s.cfg.Addr }

// Handler is the whole server's handler, middleware included.
func (s *Server) Handler() http.Handler { return s.handler }

// ready answers 200 when the store answers a cheap query within 2s.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.cfg.Store.Versions(ctx, "readyz-probe"); err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrAmbiguous) {
		s.log.Warn("readyz: the store does not answer", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "detail": "the database does not answer"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// Serve serves on ln until ctx is done (SIGTERM, SIGINT), then shuts down:
// the listener closes, idle connections close, and requests in flight get
// ShutdownTimeout to finish; after that their contexts are cancelled (a
// submission in flight is then stored whole or not at all) and Serve waits
// for their handlers to return. The store is not closed: the caller closes
// it after Serve returns, last.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		s.inflight.Wait()
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if err != nil {
		// Requests still running: cancel them (their contexts end with
		// their connections) and wait for the handlers to return.
		s.log.Warn("shutdown: cancelling requests still in flight", "err", err)
		_ = hs.Close()
		err = nil
	}
	s.inflight.Wait()
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return serr
	}
	return err
}

// ListenAndServe listens on the configured address and serves until ctx is
// done. ready, when set, is called with the bound address once listening.
func (s *Server) ListenAndServe(ctx context.Context, ready func(addr net.Addr)) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(ln.Addr())
	}
	return s.Serve(ctx, ln)
}

// wrap adds the middleware: in-flight tracking, security headers, body
// limit, panic recovery, metrics and the access log.
func (s *Server) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.inflight.Add(1)
		defer s.inflight.Done()
		s.metrics.InFlight.Inc()
		defer s.metrics.InFlight.Dec()
		start := time.Now()
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		}
		rec := &recorder{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.metrics.Failures.WithLabelValues("panic").Inc()
				s.log.Error("panic serving a request", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if !rec.wrote {
					WriteProblem(rec, r, http.StatusInternalServerError, "Internal error", "the server failed to answer this request; it has been logged")
				}
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			s.metrics.Requests.WithLabelValues(route, r.Method, strconv.Itoa(rec.code())).Observe(d.Seconds())
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "http request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("route", route),
				slog.Int("status", rec.code()), slog.Int64("bytes", rec.n), slog.Duration("duration", d),
				slog.String("remote", r.RemoteAddr))
		}()
		next.ServeHTTP(rec, r)
	})
}

// recorder notes a response's status and size.
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
	n      int64
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
	}
	n, err := r.ResponseWriter.Write(b)
	r.n += int64(n)
	return n, err
}

func (r *recorder) code() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// WriteProblem writes an RFC 9457 problem document.
func WriteProblem(w http.ResponseWriter, r *http.Request, status int, title, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": r.URL.Path,
	})
}
