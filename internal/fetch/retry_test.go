package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// retrying returns test options with retries on and a short backoff.
func retrying() Options {
	o := quick()
	o.Retries = 3
	o.RetryDelay = 10 * time.Millisecond
	return o
}

// flaky serves fail for the first n requests, then the page.
func flaky(n int32, fail func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			fail(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page)
	}))
	return srv, &calls
}

func status(code int, retryAfter string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(code)
	}
}

// reset closes the connection with a TCP RST before answering.
func reset(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

// hangup closes the connection without a response.
func hangup(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

// TestRetries: 429 and 503 (honouring Retry-After), connection resets and
// timeouts are retried with backoff; the item fails only when the retries
// run out. On the code before, every one of these failed at once.
func TestRetries(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}
	for _, tt := range []struct {
		name     string
		failures int32
		fail     func(http.ResponseWriter, *http.Request)
		atLeast  time.Duration // the wait Retry-After asked for
	}{
		{"503", 2, status(http.StatusServiceUnavailable, ""), 0},
		{"429 Retry-After seconds", 1, status(http.StatusTooManyRequests, "1"), time.Second},
		{"503 Retry-After date", 1, func(w http.ResponseWriter, r *http.Request) {
			// Dates have whole seconds: two seconds on is at least one.
			status(http.StatusServiceUnavailable, time.Now().Add(2*time.Second).UTC().Format(http.TimeFormat))(w, r)
		}, time.Second},
		{"502", 1, status(http.StatusBadGateway, ""), 0},
		{"connection reset", 2, reset, 0},
		{"connection closed", 2, hangup, 0},
		{"timeout", 1, slow, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, calls := flaky(tt.failures, tt.fail)
			defer srv.Close()
			o := retrying()
			o.Timeout = 300 * time.Millisecond
			start := time.Now()
			resp, err := New(o).Get(context.Background(), srv.URL+"/a")
			if err != nil {
				t.Fatalf("Get: %v (after %d requests)", err, calls.Load())
			}
			if string(resp.Body) != page || calls.Load() != tt.failures+1 {
				t.Errorf("%d requests, body %q", calls.Load(), resp.Body)
			}
			if el := time.Since(start); el < tt.atLeast {
				t.Errorf("took %v; Retry-After asked for %v", el, tt.atLeast)
			}
		})
	}
}

func TestRetriesRunOut(t *testing.T) {
	srv, calls := flaky(100, status(http.StatusServiceUnavailable, ""))
	defer srv.Close()
	_, err := New(retrying()).Get(context.Background(), srv.URL+"/a")
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 503 || calls.Load() != 4 {
		t.Fatalf("err %v after %d requests; want HTTP 503 after 4", err, calls.Load())
	}
	if !strings.Contains(err.Error(), "HTTP 503") || !strings.Contains(err.Error(), "4 attempts") {
		t.Errorf("err %q does not say how often it was tried", err)
	}
}

func TestNoRetry(t *testing.T) {
	for _, tt := range []struct {
		name string
		fail func(http.ResponseWriter, *http.Request)
	}{
		{"404", status(http.StatusNotFound, "")},
		{"500", status(http.StatusInternalServerError, "")},
		{"Retry-After too far", status(http.StatusServiceUnavailable, "86400")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, calls := flaky(100, tt.fail)
			defer srv.Close()
			start := time.Now()
			_, err := New(retrying()).Get(context.Background(), srv.URL+"/a")
			if err == nil || calls.Load() != 1 || time.Since(start) > 2*time.Second {
				t.Errorf("err %v after %d requests in %v; want one request", err, calls.Load(), time.Since(start))
			}
		})
	}
	// The caller's cancellation ends the wait between attempts.
	srv, _ := flaky(100, status(http.StatusServiceUnavailable, "30"))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := New(retrying()).Get(ctx, srv.URL+"/a")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("cancelled while waiting to retry: %v after %v", err, time.Since(start))
	}
	// Retries: -1 switches them off.
	srv2, calls := flaky(1, status(http.StatusServiceUnavailable, ""))
	defer srv2.Close()
	o := retrying()
	o.Retries = -1
	if _, err := New(o).Get(context.Background(), srv2.URL+"/a"); err == nil || calls.Load() != 1 {
		t.Errorf("Retries -1: err %v after %d requests", err, calls.Load())
	}
}

func TestBackoff(t *testing.T) {
	c := New(Options{RetryDelay: 100 * time.Millisecond})
	for attempt := 1; attempt <= 6; attempt++ {
		for range 50 {
			d := c.backoff(attempt)
			base := min(100*time.Millisecond<<(attempt-1), maxBackoff)
			if d < base/2 || d > base {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, d, base/2, base)
			}
		}
	}
}
