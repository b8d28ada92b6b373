package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	_ "github.com/newsdesk/newsdesk/internal/store/sqlite"
)

func TestCheckAddr(t *testing.T) {
	for _, c := range []struct {
		addr, token string
		ok          bool
	}{
		{"127.0.0.1:8080", "", true},
		{"localhost:8080", "", true},
		{"[::1]:8080", "", true},
		{"127.0.0.2:0", "", true},
		{"0.0.0.0:8080", "", false},
		{":8080", "", false},
		{"192.168.1.5:8080", "", false},
		{"news.example:80", "", false},
		{"0.0.0.0:8080", "tok", true},
		{":8080", "tok", true},
		{"127.0.0.1", "", false},
		{"127.0.0.1:http", "", false},
	} {
		err := CheckAddr(c.addr, c.token)
		if (err == nil) != c.ok {
			t.Errorf("CheckAddr(%q, %q) = %v, want ok %v", c.addr, c.token, err, c.ok)
		}
		if err != nil && !c.ok && c.token == "" && IsLoopback(c.addr) == false && strings.Contains(c.addr, ":") && !strings.Contains(err.Error(), "token") && !strings.Contains(err.Error(), "port") {
			t.Errorf("CheckAddr(%q): the error does not say what to do: %v", c.addr, err)
		}
	}
	if _, err := New(Config{Addr: "0.0.0.0:8080", Store: openStore(t)}); err == nil || !strings.Contains(err.Error(), "NEWSDESK_TOKEN") {
		t.Errorf("New on 0.0.0.0 without a token: %v", err)
	}
}

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// serve runs s on a loopback port until the returned stop is called.
func serve(t *testing.T, s *Server) (base string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-done
	}
	t.Cleanup(func() { _ = stop() })
	return "http://" + ln.Addr().String(), stop
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestHealthMetricsHeaders(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/things/{id}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "thing") })
	mux.HandleFunc("GET /api/v1/boom", func(w http.ResponseWriter, r *http.Request) { panic("boom at /secret/path.go:12") })
	s, err := New(Config{Store: openStore(t), API: mux, Web: http.NotFoundHandler()})
	if err != nil {
		t.Fatal(err)
	}
	base, _ := serve(t, s)
	for _, path := range []string{"/healthz", "/readyz", "/metrics", "/api/v1/things/1", "/nowhere", "/api/v1/boom"} {
		resp, body := get(t, base+path)
		h := resp.Header
		if h.Get("Content-Security-Policy") != ContentSecurityPolicy || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Referrer-Policy") != "no-referrer" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: security headers missing: %v", path, h)
		}
		switch path {
		case "/healthz", "/readyz":
			if resp.StatusCode != 200 || !strings.Contains(body, `"ok"`) {
				t.Errorf("%s: %d %s", path, resp.StatusCode, body)
			}
		case "/api/v1/boom":
			if resp.StatusCode != 500 || resp.Header.Get("Content-Type") != "application/problem+json" || strings.Contains(body, "secret") || strings.Contains(body, "goroutine") {
				t.Errorf("panic: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
		}
	}
	for _, id := range []string{"1", "2", "3"} {
		get(t, base+"/api/v1/things/"+id)
	}
	_, metrics := get(t, base+"/metrics")
	for _, want := range []string{
		`newsdesk_http_request_duration_seconds_count{code="200",method="GET",route="GET /api/v1/things/{id}"} 4`,
		`newsdesk_http_request_duration_seconds_count{code="404",method="GET",route="/"} 1`,
		`newsdesk_failures_total{kind="panic"} 1`,
		`newsdesk_http_requests_in_flight`,
		`go_goroutines`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(metrics, `route="/api/v1/things/1"`) {
		t.Error("metrics label a raw path")
	}
	// Counters the API and the poller use are registered.
	s.Metrics().Ingested.WithLabelValues("ingested").Inc()
	s.Metrics().Polls.WithLabelValues("ok").Inc()
	_, metrics = get(t, base+"/metrics")
	for _, want := range []string{`newsdesk_articles_ingested_total{result="ingested"} 1`, `newsdesk_feed_polls_total{outcome="ok"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestReadyzStoreClosed(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	base, _ := serve(t, s)
	st.Close()
	resp, body := get(t, base+"/readyz")
	if resp.StatusCode != 503 {
		t.Errorf("readyz over a closed store: %d %s", resp.StatusCode, body)
	}
	if resp, _ := get(t, base+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
}

func TestBodyLimit(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/echo", func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		}
	})
	s, err := New(Config{Store: openStore(t), API: mux, MaxBodyBytes: 1024})
	if err != nil {
		t.Fatal(err)
	}
	base, _ := serve(t, s)
	resp, err := http.Post(base+"/api/v1/echo", "text/plain", strings.NewReader(strings.Repeat("x", 2048)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Errorf("a body over the limit: %d", resp.StatusCode)
	}
}

// TestGracefulShutdown: a slow request in flight when shutdown starts
// completes; new connections are refused; Serve returns after it.
func TestGracefulShutdown(t *testing.T) {
	started := make(chan struct{})
	var finished atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/slow", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(500 * time.Millisecond)
		finished.Store(true)
		io.WriteString(w, "done")
	})
	s, err := New(Config{Store: openStore(t), API: mux, ShutdownTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	base, stop := serve(t, s)
	type result struct {
		code int
		body string
		err  error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.Get(base + "/api/v1/slow")
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		res <- result{resp.StatusCode, string(b), err}
	}()
	<-started
	t0 := time.Now()
	if err := stop(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if !finished.Load() {
		t.Error("Serve returned before the request in flight finished")
	}
	if d := time.Since(t0); d > 3*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	r := <-res
	if r.err != nil || r.code != 200 || r.body != "done" {
		t.Errorf("the request in flight: %d %q %v", r.code, r.body, r.err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

// TestShutdownDeadline: a request that outlives the shutdown timeout is
// cancelled, and Serve waits for its handler to return.
func TestShutdownDeadline(t *testing.T) {
	started := make(chan struct{})
	var returned atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/stuck", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
		time.Sleep(100 * time.Millisecond) // cleaning up
		returned.Store(true)
	})
	s, err := New(Config{Store: openStore(t), API: mux, ShutdownTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	base, stop := serve(t, s)
	go func() {
		if resp, err := http.Get(base + "/api/v1/stuck"); err == nil {
			resp.Body.Close()
		}
	}()
	<-started
	if err := stop(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if !returned.Load() {
		t.Error("Serve returned while a handler was still running")
	}
}
