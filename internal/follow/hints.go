package follow

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/html/charset"

	"github.com/newsdesk/newsdesk/internal/fetch"
)

const nsSy = "http://purl.org/rss/1.0/modules/syndication/"

// feedHint returns the interval a feed asks its readers to wait between
// polls, 0 when it says nothing: RSS <ttl> (minutes), or
// sy:updatePeriod / sy:updateFrequency (the period divided by the
// frequency). Only the channel, before the first item, is read.
func feedHint(body []byte) time.Duration {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	var ttl, period time.Duration
	freq := 1
	for range 4096 {
		tok, err := d.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch local := se.Name.Local; {
		case local == "item" || local == "entry":
			return max(ttl, period/time.Duration(freq))
		case local == "ttl" && se.Name.Space == "":
			var s string
			if d.DecodeElement(&s, &se) == nil {
				if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > 0 && n < 1<<20 {
					ttl = time.Duration(n) * time.Minute
				}
			}
		case local == "updatePeriod" && se.Name.Space == nsSy:
			var s string
			if d.DecodeElement(&s, &se) == nil {
				period = map[string]time.Duration{"hourly": time.Hour, "daily": 24 * time.Hour,
					"weekly": 7 * 24 * time.Hour, "monthly": 30 * 24 * time.Hour, "yearly": 365 * 24 * time.Hour}[strings.ToLower(strings.TrimSpace(s))]
			}
		case local == "updateFrequency" && se.Name.Space == nsSy:
			var s string
			if d.DecodeElement(&s, &se) == nil {
				if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > 0 {
					freq = n
				}
			}
		}
	}
	return max(ttl, period/time.Duration(freq))
}

// httpHint returns how long a response may be cached: Cache-Control
// max-age, else Expires less Date (or now); 0 for no-cache, no-store or
// no hint.
func httpHint(h http.Header, now time.Time) time.Duration {
	if h == nil {
		return 0
	}
	if cc := strings.ToLower(h.Get("Cache-Control")); cc != "" {
		for _, part := range strings.Split(cc, ",") {
			part = strings.TrimSpace(part)
			switch {
			case part == "no-cache" || part == "no-store":
				return 0
			case strings.HasPrefix(part, "max-age="):
				if n, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(part, "max-age="), `"`), 10, 64); err == nil && n > 0 {
					return time.Duration(min(n, 365*24*3600)) * time.Second
				}
				return 0
			}
		}
	}
	if exp := h.Get("Expires"); exp != "" {
		t, err := http.ParseTime(exp)
		if err != nil {
			return 0
		}
		base := now
		if d, err := http.ParseTime(h.Get("Date")); err == nil {
			base = d
		}
		if t.After(base) {
			return t.Sub(base)
		}
	}
	return 0
}

// Conditional requests. The fetch client sends no headers of its caller's,
// so the poller hands them to a RoundTripper through the request's
// context; the same RoundTripper keeps the response headers (the client
// returns none for a 304).

type condKey struct{}

type conditional struct {
	etag, lastModified string

	mu     sync.Mutex
	header http.Header // of the last response
}

func (c *conditional) responseHeader() http.Header {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.header
}

func withConditional(ctx context.Context, c *conditional) context.Context {
	return context.WithValue(ctx, condKey{}, c)
}

type transport struct{ base http.RoundTripper }

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	c, _ := req.Context().Value(condKey{}).(*conditional)
	if c == nil || req.URL.Path == "/robots.txt" {
		return t.base.RoundTrip(req)
	}
	if c.etag != "" || c.lastModified != "" {
		req = req.Clone(req.Context())
		if c.etag != "" {
			req.Header.Set("If-None-Match", c.etag)
		}
		if c.lastModified != "" {
			req.Header.Set("If-Modified-Since", c.lastModified)
		}
	}
	resp, err := t.base.RoundTrip(req)
	if err == nil {
		c.mu.Lock()
		c.header = resp.Header.Clone()
		c.mu.Unlock()
	}
	return resp, err
}

// FetchOptions returns o with its HTTP client's transport wrapped so that
// the poller's conditional requests (If-None-Match, If-Modified-Since) are
// sent and its responses' headers seen. Requests that are not the
// poller's pass through untouched, so one fetch.Client can serve the API
// and the poller (and share its per-host politeness). A poller whose
// fetcher was made otherwise still works, without conditional requests or
// HTTP cache hints.
func FetchOptions(o fetch.Options) fetch.Options {
	var hc http.Client
	if o.Client != nil {
		hc = *o.Client
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = transport{base: base}
	o.Client = &hc
	return o
}
