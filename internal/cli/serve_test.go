package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

func TestServeRefusesNonLoopbackWithoutToken(t *testing.T) {
	var stderr bytes.Buffer
	env := &Env{Stdout: io.Discard, Stderr: &stderr, Getenv: func(k string) string {
		if k == "NEWSDESK_ADDR" {
			return "0.0.0.0:8080"
		}
		return ""
	}}
	code := Main(context.Background(), env, []string{"serve", "--db", filepath.Join(t.TempDir(), "x.db")})
	if code != ExitUsage || !strings.Contains(stderr.String(), "not a loopback address") || !strings.Contains(stderr.String(), "--token") {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
}

// TestServe runs `newsdesk serve` on a free loopback port, asks it a few
// things, and stops it as SIGTERM would (the context ends).
func TestServe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	var out bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &out, Getenv: func(string) string { return "" }}
	if code := Main(context.Background(), env, []string{"ingest", "--db", db, "--quiet", "--published", "2026-03-10", "../../examples"}); code != ExitOK {
		t.Fatalf("ingest: %d %s", code, out.String())
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	_, ok := store.AsNewsroom(st)
	st.Close()
	if !ok {
		t.Skip("the SQLite store has no store.Newsroom yet")
	}
	base, stop, stderr := startServe(t, db, "--offline")
	// In order: /metrics shows request latencies only after a request.
	for _, c := range []struct{ path, want string }{
		{"/healthz", `"ok"`},
		{"/readyz", `"ok"`},
		{"/api/v1/openapi.json", `"openapi": "3.1.0"`},
		{"/api/v1/search?q=kestrel", "Kestrel Bridge"},
		{"/api/v1/stories?order=size", "Kestrel"},
		{"/metrics", "newsdesk_http_request_duration_seconds"},
	} {
		path, want := c.path, c.want
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d %.200s", path, resp.StatusCode, b)
		}
		if resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s: no CSP", path)
		}
	}
	// A submission is counted in the metrics.
	resp, err := http.Post(base+"/api/v1/articles", "application/json", strings.NewReader(`{"text": "Harbour crane arrives\n\nA new crane for the container quay arrived by barge on Tuesday, the port authority said."}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("submit: %d", resp.StatusCode)
	}
	resp, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`newsdesk_articles_ingested_total{result="ingested"} 1`, `route="POST /api/v1/articles"`} {
		if !strings.Contains(string(m), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	stop()
	if !strings.Contains(stderr.String(), "http request") || !strings.Contains(stderr.String(), "route=") {
		t.Errorf("no access log: %s", stderr.String())
	}
}

// startServe runs `newsdesk serve --db db --addr 127.0.0.1:0 args...` in
// the test's process and waits until it listens. stop ends it as SIGTERM
// would (the context ends) and checks that it exits 0; stderr collects
// its log.
func startServe(t *testing.T, db string, args ...string) (base string, stop func(), stderr *bytes.Buffer) {
	t.Helper()
	addrc := make(chan net.Addr, 1)
	serveHooks.listening = func(a net.Addr) { addrc <- a }
	t.Cleanup(func() { serveHooks.listening = nil })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	stderr = new(bytes.Buffer)
	env := &Env{Stdout: io.Discard, Stderr: &syncWriter{w: stderr}, Getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, env, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, args...))
	}()
	select {
	case a := <-addrc:
		base = "http://" + a.String()
	case code := <-done:
		t.Fatalf("serve exited %d: %s", code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	stop = func() {
		t.Helper()
		cancel()
		select {
		case code := <-done:
			if code != ExitOK {
				t.Errorf("serve exited %d: %s", code, stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Fatal("serve did not stop")
		}
	}
	return base, stop, stderr
}

// syncWriter serializes writes (the server logs from many goroutines).
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
