// Package fetch is newsdesk's HTTP client for pages: polite, bounded and
// explicit about failure.
//
// A Client sends a clear User-Agent, decodes gzip and deflate bodies, follows
// a bounded number of redirects, caps the size of what it reads (an oversized
// body is an error, never a silent truncation), times requests out, spaces
// requests to the same host (a per-host rate limit that is safe for
// concurrent use) and, when asked, obeys robots.txt, fetched once per host and
// cached for the life of the Client.
//
// Transient failures are retried a few times (Options.Retries) before Get
// gives up: HTTP 429, 502, 503 and 504 (waiting as long as a Retry-After
// header asks, up to MaxRetryAfter; the whole host waits with it), and
// connection resets and timeouts (with exponential backoff and jitter).
//
// Errors name the URL and, for HTTP failures, the status, e.g.
//
//	fetch: https://news.example/a: HTTP 404 Not Found
//
// and can be classified with errors.Is against ErrStatus, ErrTooLarge,
// ErrRobots, ErrTimeout, ErrRedirects and ErrEncoding, or with errors.As
// against *StatusError to read the code.
package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Defaults used by New for zero Options fields.
const (
	DefaultTimeout         = 30 * time.Second
	DefaultMaxBytes        = 32 << 20 // 32 MiB
	DefaultMaxRedirects    = 10
	DefaultPerHostInterval = time.Second
	// MaxCrawlDelay bounds how far a robots.txt Crawl-delay can stretch the
	// per-host interval.
	MaxCrawlDelay = 30 * time.Second
	// DefaultRetries is how many times a transient failure is retried.
	DefaultRetries = 3
	// DefaultRetryDelay is the backoff before the first retry; it doubles
	// with each retry, up to maxBackoff, and is jittered.
	DefaultRetryDelay = 500 * time.Millisecond
	// MaxRetryAfter is the longest Retry-After honoured: a server asking
	// for a longer wait fails the request at once.
	MaxRetryAfter = time.Minute
)

// maxBackoff bounds the backoff between two attempts.
const maxBackoff = 10 * time.Second

// Version is the newsdesk version named in the default User-Agent. The
// command line sets it from its own build version.
var Version = "dev"

// DefaultUserAgent returns the User-Agent sent when Options.UserAgent is empty.
func DefaultUserAgent() string {
	return "newsdesk/" + Version + " (+https://github.com/newsdesk/newsdesk)"
}

// Options configure a Client. In every numeric field zero means the default
// and a negative value switches the feature off: no timeout, no size cap, no
// per-host spacing, no redirects followed.
type Options struct {
	// UserAgent is sent with every request; empty means DefaultUserAgent().
	// Its product token (the part before the first '/') is the name matched
	// against robots.txt user-agent groups.
	UserAgent string
	// Timeout bounds one request, from connecting to reading the last byte
	// of the body (time spent queuing for the per-host rate limit is not
	// counted). Default 30s.
	Timeout time.Duration
	// MaxBytes caps the decoded body. Default 32 MiB.
	MaxBytes int64
	// PerHostInterval is the minimum spacing between the starts of two
	// requests to the same host. Default 1s. A robots.txt Crawl-delay
	// stretches it (up to MaxCrawlDelay) when RespectRobots is set.
	PerHostInterval time.Duration
	// RespectRobots makes the Client fetch robots.txt once per host and
	// refuse disallowed URLs with ErrRobots. DefaultOptions sets it.
	RespectRobots bool
	// MaxRedirects is how many redirects one Get follows. Default 10.
	MaxRedirects int
	// Retries is how many times Get retries a transient failure (HTTP 429,
	// 502, 503, 504, a connection reset, a timeout). Default 3.
	Retries int
	// RetryDelay is the backoff before the first retry, doubled for each
	// further one and jittered; a Retry-After header overrides it.
	// Default 500ms.
	RetryDelay time.Duration
	// Client, when set, supplies the transport, cookie jar and so on. The
	// Client is copied; its CheckRedirect is replaced and its Timeout is
	// ignored in favour of Timeout above.
	Client *http.Client
	// Log receives debug records of requests and robots decisions. Nil
	// means slog.Default().
	Log *slog.Logger
}

// DefaultOptions returns the options newsdesk uses for crawling: the zero
// Options (all defaults) with robots.txt obeyed.
func DefaultOptions() Options {
	return Options{RespectRobots: true}
}

// Response is a successfully fetched page.
type Response struct {
	URL         string // the final URL, after redirects
	Status      int
	Header      http.Header
	ContentType string // the Content-Type header, parameters included
	Body        []byte // decoded (gzip and deflate undone)
	Fetched     time.Time
}

// Sentinel errors. Every error from Get wraps at most one of them (a
// *StatusError matches ErrStatus).
var (
	ErrStatus    = errors.New("HTTP error status")
	ErrTooLarge  = errors.New("response too large")
	ErrRobots    = errors.New("disallowed by robots.txt")
	ErrTimeout   = errors.New("timed out")
	ErrRedirects = errors.New("too many redirects")
	ErrEncoding  = errors.New("bad content encoding")
	ErrURL       = errors.New("unsupported URL")
)

// StatusError is returned for a response whose status is not 2xx.
type StatusError struct {
	URL    string // the URL asked for
	Final  string // the URL that answered, when a redirect led elsewhere
	Code   int
	Status string // e.g. "404 Not Found"
	// RetryAfter is the wait a Retry-After header asked for, or 0.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	status := e.Status
	if status == "" {
		status = fmt.Sprintf("%d %s", e.Code, http.StatusText(e.Code))
	}
	msg := fmt.Sprintf("fetch: %s: HTTP %s", e.URL, strings.TrimSpace(status))
	if e.Final != "" && e.Final != e.URL {
		msg += " (redirected to " + e.Final + ")"
	}
	return msg
}

// Is makes errors.Is(err, ErrStatus) true for a *StatusError.
func (e *StatusError) Is(target error) bool { return target == ErrStatus }

// Client fetches pages. It is safe for concurrent use.
type Client struct {
	opts    Options
	ua      string
	token   string // robots product token, lower case
	hc      *http.Client
	robotHC *http.Client
	log     *slog.Logger

	mu     sync.Mutex
	next   map[string]time.Time     // host -> earliest start of the next request
	robots map[string]*robotsResult // scheme://host -> rules
}

type robotsResult struct {
	done  chan struct{}
	rules *robotsRules
	err   error
}

// New returns a Client for opts, filling in defaults.
func New(opts Options) *Client {
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent()
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBytes == 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.PerHostInterval == 0 {
		opts.PerHostInterval = DefaultPerHostInterval
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.Retries == 0 {
		opts.Retries = DefaultRetries
	}
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = DefaultRetryDelay
	}
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	c := &Client{
		opts:   opts,
		ua:     opts.UserAgent,
		token:  productToken(opts.UserAgent),
		log:    log,
		next:   map[string]time.Time{},
		robots: map[string]*robotsResult{},
	}
	var base http.Client
	if opts.Client != nil {
		base = *opts.Client
	}
	base.Timeout = 0 // the per-request context carries the timeout
	hc := base
	hc.CheckRedirect = c.checkRedirect
	c.hc = &hc
	rc := base
	rc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > 5 { // RFC 9309: follow at least five hops
			return ErrRedirects
		}
		return nil
	}
	c.robotHC = &rc
	return c
}

// UserAgent returns the User-Agent the client sends.
func (c *Client) UserAgent() string { return c.ua }

// MaxBytes returns the body cap in bytes, or a negative number for none.
func (c *Client) MaxBytes() int64 { return c.opts.MaxBytes }

// Get fetches rawURL. The returned error names rawURL and wraps one of the
// package's sentinel errors when it is one of those failures, or the
// context's error when ctx ends while waiting. Transient failures are
// retried (see Options.Retries); the error of the last attempt then says
// how many were made.
func (c *Client) Get(ctx context.Context, rawURL string) (*Response, error) {
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		resp, err := c.get(ctx, u, rawURL)
		if err == nil {
			return resp, nil
		}
		wait, ok := c.retryable(ctx, err, attempt)
		if !ok {
			if attempt > 1 {
				err = fmt.Errorf("%w (after %d attempts)", err, attempt)
			}
			return nil, err
		}
		c.log.Debug("fetch: retrying", "url", rawURL, "attempt", attempt, "wait", wait, "err", err)
		if werr := sleep(ctx, wait); werr != nil {
			return nil, fmt.Errorf("fetch: %s: %w (waiting to retry after: %v)", rawURL, werr, err)
		}
	}
}

// retryable reports whether a failed attempt is retried, and after how
// long. A Retry-After delays the whole host, so that the other requests to
// it wait too.
func (c *Client) retryable(ctx context.Context, err error, attempt int) (time.Duration, bool) {
	if attempt > c.opts.Retries || ctx.Err() != nil {
		return 0, false
	}
	var se *StatusError
	switch {
	case errors.As(err, &se):
		switch se.Code {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		default:
			return 0, false
		}
		if se.RetryAfter > MaxRetryAfter {
			return 0, false
		}
		if se.RetryAfter > 0 {
			c.holdHost(se.URL, se.RetryAfter)
			return se.RetryAfter, true
		}
	case errors.Is(err, ErrTimeout), isReset(err):
	default:
		return 0, false
	}
	return c.backoff(attempt), true
}

// backoff is the wait before retry number attempt: RetryDelay doubled for
// each earlier retry, capped at maxBackoff, with the upper half jittered so
// that workers do not retry together.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.opts.RetryDelay
	for i := 1; i < attempt && d < maxBackoff; i++ {
		d *= 2
	}
	d = min(d, maxBackoff)
	return d/2 + rand.N(d/2+1)
}

// holdHost keeps the next request to rawURL's host from starting for d.
func (c *Client) holdHost(rawURL string, d time.Duration) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return
	}
	host := strings.ToLower(u.Host)
	c.mu.Lock()
	if at := time.Now().Add(d); c.next[host].Before(at) {
		c.next[host] = at
	}
	c.mu.Unlock()
}

// isReset reports a connection the server reset or closed before the
// response was complete.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// get makes one attempt at fetching u.
func (c *Client) get(ctx context.Context, u *url.URL, rawURL string) (*Response, error) {
	if err := c.admit(ctx, u); err != nil {
		return nil, wrapErr(rawURL, err, c.opts.Timeout)
	}
	rctx, cancel := c.withTimeout(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch: %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		return nil, wrapErr(rawURL, err, c.opts.Timeout)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	c.log.Debug("fetch", "url", rawURL, "final", final, "status", resp.StatusCode, "elapsed", time.Since(start))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10)) // let the connection be reused
		return nil, &StatusError{URL: rawURL, Final: final, Code: resp.StatusCode, Status: resp.Status, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
	}
	max := c.opts.MaxBytes
	if max > 0 && resp.ContentLength > max && isIdentity(resp.Header) {
		return nil, fmt.Errorf("fetch: %s: %w: Content-Length %d exceeds the %d-byte limit", rawURL, ErrTooLarge, resp.ContentLength, max)
	}
	body, err := readBody(resp.Body, resp.Header.Get("Content-Encoding"), max)
	if err != nil {
		return nil, wrapErr(rawURL, err, c.opts.Timeout)
	}
	return &Response{
		URL:         final,
		Status:      resp.StatusCode,
		Header:      resp.Header,
		ContentType: resp.Header.Get("Content-Type"),
		Body:        body,
		Fetched:     start.UTC(),
	}, nil
}

// retryAfter parses a Retry-After value, seconds or an HTTP date, as a
// wait from now; 0 when absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, int64(24*time.Hour/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func (c *Client) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.opts.Timeout > 0 {
		return context.WithTimeout(ctx, c.opts.Timeout)
	}
	return context.WithCancel(ctx)
}

func parseURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, fmt.Errorf("fetch: %s: %w: %w", rawURL, ErrURL, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("fetch: %s: %w: scheme must be http or https", rawURL, ErrURL)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("fetch: %s: %w: no host", rawURL, ErrURL)
	}
	u.Fragment = ""
	return u, nil
}

// admit waits until u may be requested: robots.txt allows it and the host's
// politeness interval has passed.
func (c *Client) admit(ctx context.Context, u *url.URL) error {
	var delay time.Duration
	if c.opts.RespectRobots {
		rules, err := c.robotsFor(ctx, u)
		if err != nil {
			return err
		}
		if !rules.allowed(robotsPath(u)) {
			if rules.unreachable != nil {
				// Not a robots.txt rule: the host did not answer.
				return rules.unreachable
			}
			if rules.reason != "" {
				return fmt.Errorf("%w: %s (%s)", ErrRobots, rules.reason, robotsURL(u))
			}
			return fmt.Errorf("%w (%s)", ErrRobots, robotsURL(u))
		}
		delay = rules.crawlDelay
	}
	return c.wait(ctx, u, delay)
}

// wait reserves the next slot for u's host and sleeps until it comes.
// Slots are handed out in call order, so concurrent callers are spaced by
// the interval rather than released together.
func (c *Client) wait(ctx context.Context, u *url.URL, crawlDelay time.Duration) error {
	interval := c.opts.PerHostInterval
	if crawlDelay > interval {
		interval = min(crawlDelay, MaxCrawlDelay)
	}
	if interval <= 0 {
		return ctx.Err()
	}
	host := strings.ToLower(u.Host)
	c.mu.Lock()
	now := time.Now()
	at := c.next[host]
	if at.Before(now) {
		at = now
	}
	c.next[host] = at.Add(interval)
	c.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err()
	}
	return sleep(ctx, d)
}

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if c.opts.MaxRedirects < 0 {
		return http.ErrUseLastResponse
	}
	if len(via) > c.opts.MaxRedirects {
		return fmt.Errorf("%w: stopped after %d", ErrRedirects, c.opts.MaxRedirects)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("%w: redirect to %s", ErrURL, req.URL)
	}
	if err := c.admit(req.Context(), req.URL); err != nil {
		if errors.Is(err, ErrRobots) {
			return fmt.Errorf("redirect to %s: %w", req.URL, err)
		}
		return err
	}
	return nil
}

// wrapErr turns a transport, context or body error into a package error
// naming rawURL.
func wrapErr(rawURL string, err error, timeout time.Duration) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var se *StatusError
	switch {
	case errors.As(err, &se):
		return err
	case errors.Is(err, ErrTooLarge), errors.Is(err, ErrRobots), errors.Is(err, ErrRedirects),
		errors.Is(err, ErrEncoding), errors.Is(err, ErrURL):
		return fmt.Errorf("fetch: %s: %w", rawURL, err)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("fetch: %s: %w", rawURL, err)
	case errors.Is(err, context.DeadlineExceeded) || isNetTimeout(err):
		if timeout > 0 {
			return fmt.Errorf("fetch: %s: %w after %v", rawURL, ErrTimeout, timeout)
		}
		return fmt.Errorf("fetch: %s: %w", rawURL, ErrTimeout)
	}
	return fmt.Errorf("fetch: %s: %w", rawURL, err)
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isIdentity(h http.Header) bool {
	ce := strings.TrimSpace(h.Get("Content-Encoding"))
	return ce == "" || strings.EqualFold(ce, "identity")
}

// DecodeBody reads r, undoing the Content-Encoding list enc ("gzip",
// "deflate", "x-gzip", "identity", comma-separated), and fails with
// ErrTooLarge when the raw or the decoded body exceeds max (max <= 0: no
// cap), or with ErrEncoding when the encoding is unknown or the data corrupt.
func DecodeBody(r io.Reader, enc string, max int64) ([]byte, error) {
	return readBody(r, enc, max)
}

func readBody(r io.Reader, enc string, max int64) ([]byte, error) {
	if max > 0 {
		r = &capReader{r: r, left: max} // bound the raw bytes too
	}
	dr, closeAll, err := decodeReader(r, enc)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	if max > 0 && dr != r {
		dr = &capReader{r: dr, left: max}
	}
	var buf bytes.Buffer
	_, err = buf.ReadFrom(dr)
	switch {
	case err == nil:
		return buf.Bytes(), nil
	case errors.Is(err, ErrTooLarge):
		return nil, fmt.Errorf("%w: body exceeds the %d-byte limit", ErrTooLarge, max)
	case dr != r && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) && !isNetTimeout(err):
		return nil, fmt.Errorf("%w: %s: %w", ErrEncoding, enc, err)
	}
	return nil, err
}

// decodeReader wraps r to undo the Content-Encoding list enc (codings are
// applied in order, so undone in reverse). closeAll releases the decoders.
func decodeReader(r io.Reader, enc string) (_ io.Reader, closeAll func(), _ error) {
	var codings []string
	for _, e := range strings.Split(enc, ",") {
		e = strings.ToLower(strings.TrimSpace(e))
		if e != "" && e != "identity" {
			codings = append(codings, e)
		}
	}
	if len(codings) > 2 {
		return nil, nil, fmt.Errorf("%w: %d stacked codings %q", ErrEncoding, len(codings), enc)
	}
	var closers []io.Closer
	closeAll = func() {
		for _, c := range closers {
			c.Close()
		}
	}
	for i := len(codings) - 1; i >= 0; i-- {
		dr, err := decoder(r, codings[i])
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		closers = append(closers, dr)
		r = dr
	}
	return r, closeAll, nil
}

// capReader reads at most left bytes from r and fails with ErrTooLarge if r
// has more.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		for {
			n, err := c.r.Read(one[:])
			if n > 0 {
				return 0, ErrTooLarge
			}
			if err != nil {
				return 0, err
			}
		}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

func decoder(r io.Reader, coding string) (io.ReadCloser, error) {
	switch coding {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("%w: gzip: %w", ErrEncoding, err)
		}
		return zr, nil
	case "deflate":
		// RFC 9110 deflate is zlib-wrapped, but some servers send raw
		// DEFLATE; tell them apart by the zlib header.
		br := newPeekReader(r)
		hdr, _ := br.peek(2)
		if len(hdr) == 2 && hdr[0]&0x0f == 8 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, fmt.Errorf("%w: deflate: %w", ErrEncoding, err)
			}
			return zr, nil
		}
		return flate.NewReader(br), nil
	}
	return nil, fmt.Errorf("%w: unsupported Content-Encoding %q", ErrEncoding, coding)
}

// peekReader is a minimal reader with look-ahead, avoiding a bufio buffer
// per response.
type peekReader struct {
	r   io.Reader
	buf []byte
}

func newPeekReader(r io.Reader) *peekReader { return &peekReader{r: r} }

func (p *peekReader) peek(n int) ([]byte, error) {
	for len(p.buf) < n {
		tmp := make([]byte, n-len(p.buf))
		m, err := p.r.Read(tmp)
		p.buf = append(p.buf, tmp[:m]...)
		if err != nil {
			return p.buf, err
		}
	}
	return p.buf[:n], nil
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.buf) > 0 {
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		return n, nil
	}
	return p.r.Read(b)
}

// ReadByte makes peekReader an io.ByteReader so flate does not wrap it in
// another buffer.
func (p *peekReader) ReadByte() (byte, error) {
	var b [1]byte
	for {
		n, err := p.Read(b[:])
		if n == 1 {
			return b[0], nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// MediaType returns the lower-case media type of a Content-Type header
// value, without parameters ("" when there is none).
func MediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}
