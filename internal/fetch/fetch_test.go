package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// quick returns options for tests: no per-host spacing, robots ignored, no
// retries (retry_test.go turns them on).
func quick() Options {
	return Options{PerHostInterval: -1, Timeout: 5 * time.Second, Retries: -1}
}

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func zl(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func rawDeflate(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.DefaultCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

const page = "<html><head><title>Harbour bridge reopens</title></head><body><p>The Lantern Bay bridge reopened on Tuesday.</p></body></html>"

func TestGetBodies(t *testing.T) {
	tests := []struct {
		name     string
		encoding string
		body     func(t *testing.T) []byte
		want     string
		wantErr  error
	}{
		{"identity", "", func(*testing.T) []byte { return []byte(page) }, page, nil},
		{"gzip", "gzip", func(t *testing.T) []byte { return gz(t, []byte(page)) }, page, nil},
		{"x-gzip", "x-gzip", func(t *testing.T) []byte { return gz(t, []byte(page)) }, page, nil},
		{"deflate zlib", "deflate", func(t *testing.T) []byte { return zl(t, []byte(page)) }, page, nil},
		{"deflate raw", "deflate", func(t *testing.T) []byte { return rawDeflate(t, []byte(page)) }, page, nil},
		{"gzip twice", "gzip, gzip", func(t *testing.T) []byte { return gz(t, gz(t, []byte(page))) }, page, nil},
		{"not really gzip", "gzip", func(*testing.T) []byte { return []byte(page) }, "", ErrEncoding},
		{"truncated gzip", "gzip", func(t *testing.T) []byte { b := gz(t, []byte(page)); return b[:len(b)-12] }, "", ErrEncoding},
		{"brotli unasked", "br", func(*testing.T) []byte { return []byte("\x1b\x00") }, "", ErrEncoding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body(t)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if got := r.Header.Get("Accept-Encoding"); got != "gzip, deflate" {
					t.Errorf("Accept-Encoding = %q", got)
				}
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				w.Write(body)
			}))
			defer srv.Close()
			resp, err := New(quick()).Get(context.Background(), srv.URL+"/story")
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), srv.URL+"/story") {
					t.Errorf("error %q does not name the URL", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(resp.Body) != tt.want {
				t.Errorf("body = %q", resp.Body)
			}
			if resp.ContentType != "text/html; charset=utf-8" || resp.Status != 200 || resp.URL != srv.URL+"/story" {
				t.Errorf("resp = %+v", resp)
			}
			if resp.Fetched.IsZero() || time.Since(resp.Fetched) > time.Minute {
				t.Errorf("Fetched = %v", resp.Fetched)
			}
		})
	}
}

func TestUserAgent(t *testing.T) {
	tests := []struct {
		name string
		ua   string
		want string
	}{
		{"default", "", DefaultUserAgent()},
		{"custom", "PressBot/2.1 (+https://press.example/bot)", "PressBot/2.1 (+https://press.example/bot)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got atomic.Value
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got.Store(r.Header.Get("User-Agent"))
			}))
			defer srv.Close()
			o := quick()
			o.UserAgent = tt.ua
			if _, err := New(o).Get(context.Background(), srv.URL); err != nil {
				t.Fatal(err)
			}
			if got.Load() != tt.want {
				t.Errorf("User-Agent = %q, want %q", got.Load(), tt.want)
			}
		})
	}
	if !strings.HasPrefix(DefaultUserAgent(), "newsdesk/") || !strings.Contains(DefaultUserAgent(), "https://github.com/newsdesk/newsdesk") {
		t.Errorf("DefaultUserAgent() = %q", DefaultUserAgent())
	}
}

func TestStatusErrors(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{
		{404, "HTTP 404 Not Found"},
		{410, "HTTP 410 Gone"},
		{500, "HTTP 500 Internal Server Error"},
		{503, "HTTP 503 Service Unavailable"},
		{304, "HTTP 304 Not Modified"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.code)
				fmt.Fprint(w, "no such story")
			}))
			defer srv.Close()
			u := srv.URL + "/news/missing"
			_, err := New(quick()).Get(context.Background(), u)
			if !errors.Is(err, ErrStatus) {
				t.Fatalf("err = %v, want ErrStatus", err)
			}
			var se *StatusError
			if !errors.As(err, &se) || se.Code != tt.code {
				t.Fatalf("err = %#v", err)
			}
			if want := "fetch: " + u + ": " + tt.want; err.Error() != want {
				t.Errorf("err = %q, want %q", err, want)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	// /hop/N redirects to /hop/N-1; /hop/0 is the page.
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		if n == 0 {
			fmt.Fprint(w, page)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hop/missing-page/x", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://files.example/a", http.StatusFound)
	})
	tests := []struct {
		name      string
		path      string
		max       int
		wantURL   string
		wantErr   error
		wantInErr string
	}{
		{"one hop", "/hop/1", 0, "/hop/0", nil, ""},
		{"ten hops at default limit", "/hop/10", 0, "/hop/0", nil, ""},
		{"eleven hops over default limit", "/hop/11", 0, "", ErrRedirects, "too many redirects"},
		{"limit 2 allows 2", "/hop/2", 2, "/hop/0", nil, ""},
		{"limit 2 refuses 3", "/hop/3", 2, "", ErrRedirects, ""},
		{"no redirects followed", "/hop/1", -1, "", ErrStatus, "HTTP 302 Found"},
		{"redirect to 404 names both", "/gone", 0, "", ErrStatus, "redirected to " + srv.URL + "/hop/missing-page/x"},
		{"redirect to ftp", "/ftp", 0, "", ErrURL, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := quick()
			o.MaxRedirects = tt.max
			resp, err := New(o).Get(context.Background(), srv.URL+tt.path)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), srv.URL+tt.path) || !strings.Contains(err.Error(), tt.wantInErr) {
					t.Errorf("err = %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.URL != srv.URL+tt.wantURL {
				t.Errorf("URL = %q, want %q", resp.URL, srv.URL+tt.wantURL)
			}
		})
	}
}

func TestTimeouts(t *testing.T) {
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/slow-headers", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("<html><p>The first words arrive"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	defer close(release)
	for _, path := range []string{"/slow-headers", "/slow-body"} {
		t.Run(path, func(t *testing.T) {
			o := quick()
			o.Timeout = 150 * time.Millisecond
			start := time.Now()
			_, err := New(o).Get(context.Background(), srv.URL+path)
			if !errors.Is(err, ErrTimeout) {
				t.Fatalf("err = %v, want ErrTimeout", err)
			}
			if el := time.Since(start); el > 3*time.Second {
				t.Errorf("timeout took %v", el)
			}
			if want := "fetch: " + srv.URL + path + ": timed out after 150ms"; err.Error() != want {
				t.Errorf("err = %q, want %q", err, want)
			}
		})
	}
	t.Run("caller cancels", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err := New(quick()).Get(ctx, srv.URL+"/slow-headers")
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
}

func TestSizeCap(t *testing.T) {
	big := bytes.Repeat([]byte("Lantern Bay council met again. "), 2000) // 62,000 bytes
	tests := []struct {
		name    string
		max     int64
		handler http.HandlerFunc
		wantErr bool
	}{
		{"content-length over cap", 1000, func(w http.ResponseWriter, r *http.Request) {
			w.Write(big)
		}, true},
		{"chunked over cap", 1000, func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < 10; i++ {
				w.Write(big[:500])
				w.(http.Flusher).Flush()
			}
		}, true},
		{"gzip bomb", 10000, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz(t, bytes.Repeat([]byte{' '}, 1<<20)))
		}, true},
		{"exactly at cap", int64(len(big)), func(w http.ResponseWriter, r *http.Request) {
			w.Write(big)
		}, false},
		{"no cap", -1, func(w http.ResponseWriter, r *http.Request) {
			w.Write(big)
		}, false},
		{"gzip under cap", int64(len(big)), func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz(t, big))
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			o := quick()
			o.MaxBytes = tt.max
			resp, err := New(o).Get(context.Background(), srv.URL+"/big")
			if tt.wantErr {
				if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), srv.URL+"/big") {
					t.Fatalf("err = %v, want ErrTooLarge naming the URL", err)
				}
				if resp != nil {
					t.Error("got a response with the error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(resp.Body, big) {
				t.Errorf("body has %d bytes, want %d", len(resp.Body), len(big))
			}
		})
	}
}

func TestBadURLs(t *testing.T) {
	for _, u := range []string{"ftp://files.example/a", "file:///etc/hosts", "news.example/story", "http://", "http://%zz/"} {
		t.Run(u, func(t *testing.T) {
			_, err := New(quick()).Get(context.Background(), u)
			if !errors.Is(err, ErrURL) || !strings.HasPrefix(err.Error(), "fetch: "+u) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

// recorder is a test server that records the arrival time of each request.
type recorder struct {
	mu    sync.Mutex
	times map[string][]time.Time
}

func (rec *recorder) note(path string) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.times == nil {
		rec.times = map[string][]time.Time{}
	}
	rec.times[path] = append(rec.times[path], time.Now())
}

func (rec *recorder) all() []time.Time {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var out []time.Time
	for _, ts := range rec.times {
		out = append(out, ts...)
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// checkSpacing asserts that the i-th request (in arrival order) came at
// least i intervals after start. Timers never fire early, so this bound is
// exact for a correct limiter and cannot flake on a slow machine, whereas a
// minimum gap between neighbours can shrink when one request is delayed.
func checkSpacing(t *testing.T, start time.Time, ts []time.Time, interval time.Duration) {
	t.Helper()
	const slack = 5 * time.Millisecond // clock granularity between client and server
	for i, at := range ts {
		if min := time.Duration(i) * interval; at.Sub(start) < min-slack {
			t.Errorf("request %d arrived %v after start, want >= %v", i, at.Sub(start), min)
		}
	}
}

func TestPerHostRateLimit(t *testing.T) {
	var rec recorder
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.note(r.URL.Path)
		fmt.Fprint(w, page)
	}))
	defer srv.Close()
	var other recorder
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.note(r.URL.Path)
	}))
	defer srv2.Close()

	const interval = 80 * time.Millisecond
	c := New(Options{PerHostInterval: interval, Timeout: 5 * time.Second})
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Go(func() {
			if _, err := c.Get(context.Background(), fmt.Sprintf("%s/story/%d", srv.URL, i)); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			if _, err := c.Get(context.Background(), fmt.Sprintf("%s/other/%d", srv2.URL, i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	ts := rec.all()
	if len(ts) != 5 {
		t.Fatalf("%d requests", len(ts))
	}
	checkSpacing(t, start, ts, interval)
	if total := ts[len(ts)-1].Sub(start); total > 20*interval {
		t.Errorf("5 requests took %v at one per %v", total, interval)
	}
	// The two hosts are limited independently: the second host's first
	// request did not wait for the first host's queue.
	if first, last := other.all()[0], ts[len(ts)-1]; !first.Before(last) {
		t.Errorf("hosts are not independent: other host first at %v, first host last at %v", first, last)
	}

	t.Run("cancelled while queued", func(t *testing.T) {
		c := New(Options{PerHostInterval: time.Hour, Timeout: time.Second})
		if _, err := c.Get(context.Background(), srv.URL+"/first"); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := c.Get(ctx, srv.URL+"/second")
		if err == nil || !strings.Contains(err.Error(), srv.URL+"/second") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestRobots(t *testing.T) {
	const robots = `# Robots for the fictional Lantern Bay Gazette
User-agent: *
Disallow: /private/
Disallow: /*.pdf$
Allow: /private/press-room/

User-agent: NewsDesk
User-agent: otherbot
Disallow: /drafts/
Disallow: /search?
Crawl-delay: 0.1
`
	var robotsHits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		robotsHits.Add(1)
		fmt.Fprint(w, robots)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/to-drafts" {
			http.Redirect(w, r, "/drafts/secret", http.StatusFound)
			return
		}
		fmt.Fprint(w, page)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tests := []struct {
		name    string
		ua      string
		path    string
		allowed bool
	}{
		{"own group blocks drafts", "", "/drafts/budget", false},
		{"own group ignores star group", "", "/private/x", true},
		{"own group query rule", "", "/search?q=bridge", false},
		{"own group path without query", "", "/search", true},
		{"redirect into a disallowed path", "", "/to-drafts", false},
		{"plain story", "", "/news/bridge", true},
		{"star group private", "PressBot/1.0", "/private/x", false},
		{"star group longer allow wins", "PressBot/1.0", "/private/press-room/release", true},
		{"star group pdf anchored", "PressBot/1.0", "/files/report.pdf", false},
		{"star group pdf not at end", "PressBot/1.0", "/files/report.pdf.html", true},
		{"star group drafts allowed", "PressBot/1.0", "/drafts/budget", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(Options{UserAgent: tt.ua, RespectRobots: true, PerHostInterval: -1, Timeout: 5 * time.Second})
			_, err := c.Get(context.Background(), srv.URL+tt.path)
			if tt.allowed && err != nil {
				t.Fatalf("err = %v", err)
			}
			if !tt.allowed {
				if !errors.Is(err, ErrRobots) {
					t.Fatalf("err = %v, want ErrRobots", err)
				}
				if !strings.HasPrefix(err.Error(), "fetch: "+srv.URL+tt.path+": ") || !strings.Contains(err.Error(), "robots.txt") {
					t.Errorf("err = %q", err)
				}
			}
		})
	}

	t.Run("fetched once per host under concurrency", func(t *testing.T) {
		robotsHits.Store(0)
		c := New(Options{RespectRobots: true, PerHostInterval: -1, Timeout: 5 * time.Second})
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Go(func() { c.Get(context.Background(), fmt.Sprintf("%s/news/%d", srv.URL, i)) })
		}
		wg.Wait()
		c.Get(context.Background(), srv.URL+"/drafts/x")
		if n := robotsHits.Load(); n != 1 {
			t.Errorf("robots.txt fetched %d times, want 1", n)
		}
	})

	t.Run("robots.txt does not delay the first page", func(t *testing.T) {
		c := New(Options{RespectRobots: true, PerHostInterval: 2 * time.Second, Timeout: 5 * time.Second})
		start := time.Now()
		if _, err := c.Get(context.Background(), srv.URL+"/news/first"); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("first page took %v", d)
		}
	})

	t.Run("crawl-delay spaces requests", func(t *testing.T) {
		var rec recorder
		mux := http.NewServeMux()
		mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "User-agent: *\nCrawl-delay: 0.1\n")
		})
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { rec.note(r.URL.Path) })
		srv := httptest.NewServer(mux)
		defer srv.Close()
		c := New(Options{RespectRobots: true, PerHostInterval: 10 * time.Millisecond, Timeout: 5 * time.Second})
		if _, err := c.Get(context.Background(), srv.URL+"/p/warm-up"); err != nil { // fetches robots.txt
			t.Fatal(err)
		}
		rec = recorder{}
		start := time.Now()
		for i := 0; i < 3; i++ {
			if _, err := c.Get(context.Background(), fmt.Sprintf("%s/p/%d", srv.URL, i)); err != nil {
				t.Fatal(err)
			}
		}
		// The warm-up took the slot before start, so request i comes at
		// least i Crawl-delays (not PerHostInterval's 10ms) after start.
		checkSpacing(t, start, rec.all(), 100*time.Millisecond)
	})
}

func TestRobotsStatus(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		allowed bool
		inErr   string
	}{
		{"absent allows all", 404, true, ""},
		{"forbidden allows all", 403, true, ""},
		{"server error disallows all", 503, false, "robots.txt answered HTTP 503"},
		{"rate limited disallows all", 429, false, "HTTP 429"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					w.WriteHeader(tt.status)
					return
				}
				fmt.Fprint(w, page)
			}))
			defer srv.Close()
			c := New(Options{RespectRobots: true, PerHostInterval: -1, Timeout: 5 * time.Second})
			_, err := c.Get(context.Background(), srv.URL+"/news/a")
			if tt.allowed != (err == nil) {
				t.Fatalf("err = %v, allowed = %v", err, tt.allowed)
			}
			if !tt.allowed && (!errors.Is(err, ErrRobots) || !strings.Contains(err.Error(), tt.inErr)) {
				t.Errorf("err = %v", err)
			}
		})
	}
	t.Run("unreachable host", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		u := srv.URL
		srv.Close()
		c := New(Options{RespectRobots: true, PerHostInterval: -1, Timeout: 2 * time.Second})
		_, err := c.Get(context.Background(), u+"/news/a")
		// The page is not fetched, and the error names the real cause:
		// the host refused the connection, not a robots.txt rule.
		if err == nil || errors.Is(err, ErrRobots) || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestDefaults(t *testing.T) {
	c := New(Options{})
	if c.opts.Timeout != 30*time.Second || c.opts.MaxBytes != 32<<20 || c.opts.MaxRedirects != 10 ||
		c.opts.PerHostInterval != time.Second || c.UserAgent() != DefaultUserAgent() || c.opts.RespectRobots {
		t.Errorf("defaults = %+v", c.opts)
	}
	if !DefaultOptions().RespectRobots {
		t.Error("DefaultOptions does not obey robots.txt")
	}
}

func TestMediaType(t *testing.T) {
	for in, want := range map[string]string{
		"text/HTML; charset=ISO-8859-1": "text/html",
		"application/rss+xml":           "application/rss+xml",
		"":                              "",
		"text/html; charset":            "text/html",
	} {
		if got := MediaType(in); got != want {
			t.Errorf("MediaType(%q) = %q, want %q", in, got, want)
		}
	}
}
