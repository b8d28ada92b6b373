// Package source turns the arguments of `newsdesk ingest` into a stream of
// items to process.
//
// A spec is a file, a directory (walked recursively, hidden entries
// skipped), "-" for standard input, or an http(s) URL. What a file or a
// fetched URL holds is decided by its content, never by its name:
//
//   - a web archive (WARC 1.0/1.1, plain or gzip): one item per HTTP
//     response record with a 2xx status, named "crawl.warc.gz#17" after the
//     record's position, with WARC-Target-URI and WARC-Date;
//   - a feed (RSS 2.0, RSS 1.0, Atom, JSON Feed): one item per entry, named
//     "feed.xml#3"; loading it fetches the entry's page and falls back to the
//     feed's own content when that fails;
//   - an XML sitemap, Google News sitemap or sitemap index (followed up to
//     MaxSitemapDepth levels): one item per page URL;
//   - a list of URLs, one per line ('#' comments allowed): one item per URL;
//   - anything else is a plain document (HTML or text; the pipeline
//     decides), read lazily when the item is loaded.
//
// Any of these may be gzip-compressed.
package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/source/feed"
	"github.com/newsdesk/newsdesk/internal/source/sitemap"
	"github.com/newsdesk/newsdesk/internal/source/warc"
)

// Item is one document to process.
type Item struct {
	Name string    // human label used in errors: a path, a URL, "feed.xml#3", "crawl.warc.gz#17"
	URL  string    // page URL when known
	Date time.Time // from WARC-Date, the feed or the sitemap, when known
	// Load returns the raw document. It is safe for concurrent use: the
	// pipeline calls it from its workers. Network items fetch; files are
	// read only now; feed items fall back to the feed's own content
	// (Payload.Fallback) when the page fails.
	Load func(ctx context.Context) (Payload, error)
}

// Payload is a loaded document.
type Payload struct {
	Raw         []byte
	ContentType string    // the HTTP Content-Type, when known
	URL         string    // the final URL, when known
	Fetched     time.Time // when it was fetched or archived; zero for local files
	Fallback    bool      // the feed's own content, the page having failed
	// FallbackErr is why the page failed, for a fallback; nil when there
	// was no page to fetch or no network to fetch it with.
	FallbackErr error
}

// Options configure Walk.
type Options struct {
	// Fetcher fetches URLs. Nil means no network: URL specs and sitemap
	// indexes fail with ErrNoFetcher, network items fail when loaded, and
	// feed items use the feed's own content.
	Fetcher *fetch.Client
	// URLsFile names a file of URLs, one per line, read after the specs
	// ("-" for standard input).
	URLsFile string
	// Stdin is read for the spec "-"; nil means os.Stdin.
	Stdin io.Reader
	// MaxBytes caps one document (a file, a WARC record's body, a page);
	// zero means DefaultMaxBytes.
	MaxBytes int64
	// Log receives warnings about skipped entries; nil discards them.
	Log *slog.Logger
}

// DefaultMaxBytes is the default cap on one document.
const DefaultMaxBytes = 32 << 20

// MaxSitemapDepth is how many levels of sitemap indexes are followed: an
// index given as a spec is level 1.
const MaxSitemapDepth = 4

// sniffSize is how much of a file is read to decide what it holds.
const sniffSize = 16 << 10

// Errors wrapped by Walk's failures (besides those of fetch, feed, sitemap
// and warc, and *fs.PathError).
var (
	ErrNoFetcher  = errors.New("network access is off")
	ErrTooLarge   = fetch.ErrTooLarge
	ErrBadURL     = errors.New("not an http(s) URL")
	ErrDepth      = errors.New("sitemap index nesting too deep")
	ErrNotSitemap = errors.New("not a sitemap")
	ErrNoContent  = errors.New("feed entry has neither a fetchable page nor content")
)

// SizeError is the failure of a document over the size limit; it matches
// ErrTooLarge. A local file is not a "response", so it says only how large
// the document is.
type SizeError struct {
	Size int64 // bytes, or 0 when reading stopped at the limit
	Max  int64
}

func (e *SizeError) Error() string {
	if e.Size > 0 {
		return fmt.Sprintf("%d bytes, over the %d-byte limit (see --max-bytes)", e.Size, e.Max)
	}
	return fmt.Sprintf("over the %d-byte limit (see --max-bytes)", e.Max)
}

// Is makes errors.Is(err, ErrTooLarge) true for a *SizeError.
func (e *SizeError) Is(target error) bool { return target == ErrTooLarge }

// Walk expands specs (paths, directories, "-" for stdin, http(s) URLs,
// feed, sitemap and WARC files or URLs) plus opts.URLsFile into items and
// calls yield for each, in a deterministic order: specs in the order given,
// directory entries in lexical order, entries in document order.
//
// A spec that fails as a whole (an unreadable file, a malformed feed, a
// truncated WARC: the items before the damage are still yielded) is
// reported through onErr(name, err) and Walk goes on with the next spec.
// Walk stops early only when ctx is cancelled or yield returns an error, and
// returns that error.
func Walk(ctx context.Context, specs []string, opts Options, yield func(Item) error, onErr func(name string, err error)) error {
	w := &walker{ctx: ctx, opts: opts, yield: yield, onErr: onErr, max: opts.MaxBytes, log: opts.Log, seen: map[string]bool{}}
	if w.max <= 0 {
		w.max = DefaultMaxBytes
	}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	if w.onErr == nil {
		w.onErr = func(name string, err error) { w.log.Error("source failed", "source", name, "err", err) }
	}
	if w.opts.Stdin == nil {
		w.opts.Stdin = os.Stdin
	}
	run := func() error {
		for _, s := range specs {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := w.spec(s); err != nil {
				return err
			}
		}
		if opts.URLsFile != "" {
			if err := ctx.Err(); err != nil {
				return err
			}
			return w.urlsFile(opts.URLsFile)
		}
		return nil
	}
	err := run()
	var s *stop
	if errors.As(err, &s) {
		return s.err
	}
	return err
}

// stop carries the error that ends the walk (ctx or yield) through the
// parsers' callbacks.
type stop struct{ err error }

func (s *stop) Error() string { return s.err.Error() }
func (s *stop) Unwrap() error { return s.err }

func isStop(err error) bool {
	var s *stop
	return errors.As(err, &s)
}

type walker struct {
	ctx   context.Context
	opts  Options
	yield func(Item) error
	onErr func(string, error)
	max   int64
	log   *slog.Logger
	seen  map[string]bool // sitemap URLs already expanded
}

func (w *walker) emit(it Item) error {
	if err := w.ctx.Err(); err != nil {
		return &stop{err}
	}
	if err := w.yield(it); err != nil {
		return &stop{err}
	}
	return nil
}

// fail reports a failed spec; it returns a stop error instead when the
// failure is the walk's context ending.
func (w *walker) fail(name string, err error) error {
	if isStop(err) {
		return err
	}
	if ctxErr := w.ctx.Err(); ctxErr != nil {
		return &stop{ctxErr}
	}
	w.onErr(name, err)
	return nil
}

func (w *walker) spec(s string) error {
	switch {
	case s == "-":
		return w.stdin()
	case isHTTP(s):
		return w.fetchSpec(s, 0)
	}
	fi, err := os.Stat(s)
	if err != nil {
		return w.fail(s, fmt.Errorf("source: %w", err))
	}
	if fi.IsDir() {
		return w.dir(s)
	}
	return w.file(s)
}

func isHTTP(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// absHTTP returns s as an absolute http(s) URL, or false.
func absHTTP(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, " \t") {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return u.String(), true
}

func (w *walker) dir(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			// An unreadable directory (or one that vanished): report it
			// and go on with its siblings.
			return w.fail(path, fmt.Errorf("source: %w", err))
		}
		if ctxErr := w.ctx.Err(); ctxErr != nil {
			return &stop{ctxErr}
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
			return nil
		case d.Type().IsRegular():
			return w.file(path)
		case d.Type()&fs.ModeSymlink != 0:
			fi, err := os.Stat(path)
			if err != nil {
				return w.fail(path, fmt.Errorf("source: %w", err))
			}
			if fi.Mode().IsRegular() {
				return w.file(path)
			}
			w.log.Debug("source: not following a symbolic link", "path", path)
		}
		return nil // sockets, devices, linked directories
	})
}

// readHead reads up to sniffSize bytes from r.
func readHead(r io.Reader) ([]byte, error) {
	head := make([]byte, sniffSize)
	n, err := io.ReadFull(r, head)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	return head[:n], err
}

func (w *walker) file(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return w.fail(path, fmt.Errorf("source: %w", err))
	}
	defer f.Close()
	head, err := readHead(f)
	if err != nil {
		return w.fail(path, fmt.Errorf("source: %s: %w", path, err))
	}
	k := sniff(head, len(head) < sniffSize)
	var r io.Reader = io.MultiReader(bytes.NewReader(head), f)
	gz := false
	if k == kindGzip {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return w.fail(path, fmt.Errorf("source: %s: gzip: %w", path, err))
		}
		defer zr.Close()
		inner, err := readHead(zr)
		if err != nil {
			return w.fail(path, fmt.Errorf("source: %s: gzip: %w", path, err))
		}
		k = sniff(inner, len(inner) < sniffSize)
		if k == kindGzip {
			k = kindDoc // gzip inside gzip: not a kind we expand
		}
		r, gz = io.MultiReader(bytes.NewReader(inner), zr), true
	}
	if k == kindDoc {
		return w.emit(Item{Name: path, Load: w.loadFile(path, gz)})
	}
	return w.stream(path, k, r, "", time.Time{}, 1)
}

func (w *walker) stdin() error {
	const name = "-"
	head, err := readHead(w.opts.Stdin)
	if err != nil {
		return w.fail(name, fmt.Errorf("source: stdin: %w", err))
	}
	k := sniff(head, len(head) < sniffSize)
	var r io.Reader = io.MultiReader(bytes.NewReader(head), w.opts.Stdin)
	if k == kindGzip {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return w.fail(name, fmt.Errorf("source: stdin: gzip: %w", err))
		}
		inner, err := readHead(zr)
		if err != nil {
			return w.fail(name, fmt.Errorf("source: stdin: gzip: %w", err))
		}
		k = sniff(inner, len(inner) < sniffSize)
		if k == kindGzip {
			k = kindDoc
		}
		r = io.MultiReader(bytes.NewReader(inner), zr)
	}
	if k != kindDoc {
		return w.stream(name, k, r, "", time.Time{}, 1)
	}
	data, err := readCapped(r, 0, w.max)
	if err != nil {
		return w.fail(name, fmt.Errorf("source: stdin: %w", err))
	}
	p := Payload{Raw: data}
	return w.emit(Item{Name: name, Load: func(context.Context) (Payload, error) { return p, nil }})
}

// readCapped reads r whole, failing with ErrTooLarge beyond max bytes.
func readCapped(r io.Reader, sizeHint, max int64) ([]byte, error) {
	var buf bytes.Buffer
	if sizeHint > 0 && sizeHint <= max {
		buf.Grow(int(sizeHint) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if n > max {
		return nil, &SizeError{Max: max}
	}
	return buf.Bytes(), nil
}

func (w *walker) loadFile(path string, gz bool) func(context.Context) (Payload, error) {
	max := w.max
	return func(context.Context) (Payload, error) {
		f, err := os.Open(path)
		if err != nil {
			return Payload{}, fmt.Errorf("source: %w", err)
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return Payload{}, fmt.Errorf("source: %w", err)
		}
		if !gz && fi.Size() > max {
			return Payload{}, fmt.Errorf("source: %s: %w", path, &SizeError{Size: fi.Size(), Max: max})
		}
		var r io.Reader = f
		hint := fi.Size()
		if gz {
			zr, err := gzip.NewReader(f)
			if err != nil {
				return Payload{}, fmt.Errorf("source: %s: gzip: %w", path, err)
			}
			defer zr.Close()
			r, hint = zr, 0
		}
		data, err := readCapped(r, hint, max)
		if err != nil {
			return Payload{}, fmt.Errorf("source: %s: %w", path, err)
		}
		return Payload{Raw: data}, nil
	}
}

func (w *walker) loadURL(u string) func(context.Context) (Payload, error) {
	f, max := w.opts.Fetcher, w.max
	return func(ctx context.Context) (Payload, error) {
		if f == nil {
			return Payload{}, fmt.Errorf("source: %s: %w", u, ErrNoFetcher)
		}
		resp, err := f.Get(ctx, u)
		if err != nil {
			return Payload{}, err
		}
		if int64(len(resp.Body)) > max {
			return Payload{}, fmt.Errorf("source: %s: %w: %d bytes, over the %d-byte limit", u, ErrTooLarge, len(resp.Body), max)
		}
		return Payload{Raw: resp.Body, ContentType: resp.ContentType, URL: resp.URL, Fetched: resp.Fetched}, nil
	}
}

// fetchSpec fetches a URL given as a spec (depth 0) or found in a sitemap
// index (depth >= 1, which must be a sitemap) and expands what it holds.
func (w *walker) fetchSpec(rawURL string, depth int) error {
	if w.opts.Fetcher == nil {
		return w.fail(rawURL, fmt.Errorf("source: %s: %w", rawURL, ErrNoFetcher))
	}
	resp, err := w.opts.Fetcher.Get(w.ctx, rawURL)
	if err != nil {
		return w.fail(rawURL, err)
	}
	body := resp.Body
	if len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b {
		// A .gz file served as such (not as Content-Encoding).
		if body, err = fetch.DecodeBody(bytes.NewReader(body), "gzip", w.max); err != nil {
			return w.fail(rawURL, fmt.Errorf("source: %s: %w", rawURL, err))
		}
	}
	k := sniff(body, true)
	if depth > 0 && k != kindSitemap && k != kindSitemapIndex {
		return w.fail(rawURL, fmt.Errorf("source: %s: %w (listed in a sitemap index)", rawURL, ErrNotSitemap))
	}
	if k == kindDoc || k == kindGzip {
		if int64(len(body)) > w.max {
			return w.fail(rawURL, fmt.Errorf("source: %s: %w: %d bytes, over the %d-byte limit", rawURL, ErrTooLarge, len(body), w.max))
		}
		p := Payload{Raw: body, ContentType: resp.ContentType, URL: resp.URL, Fetched: resp.Fetched}
		return w.emit(Item{Name: rawURL, URL: resp.URL, Load: func(context.Context) (Payload, error) { return p, nil }})
	}
	if k == kindSitemap || k == kindSitemapIndex {
		w.seen[rawURL], w.seen[resp.URL] = true, true
	}
	return w.stream(rawURL, k, bytes.NewReader(body), resp.URL, resp.Fetched, max(depth, 1))
}

// stream expands a container document: a WARC, feed, sitemap or URL list.
// base and fetched describe where it came from when it was fetched; depth
// is its sitemap nesting level.
func (w *walker) stream(name string, k kind, r io.Reader, base string, fetched time.Time, depth int) error {
	switch k {
	case kindWARC:
		return w.warc(name, r)
	case kindFeed:
		return w.feed(name, r, base, fetched)
	case kindSitemap, kindSitemapIndex:
		return w.sitemap(name, r, k, depth)
	case kindURLList:
		return w.urlList(name, r)
	}
	return fmt.Errorf("source: %s: internal error: kind %d is not a container", name, k)
}

func (w *walker) urlsFile(path string) error {
	if path == "-" {
		return w.urlList("-", w.opts.Stdin)
	}
	f, err := os.Open(path)
	if err != nil {
		return w.fail(path, fmt.Errorf("source: %w", err))
	}
	defer f.Close()
	return w.urlList(path, f)
}

func (w *walker) urlList(name string, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if line == 1 {
			s = strings.TrimPrefix(s, "\ufeff")
		}
		if s == "" || s[0] == '#' {
			continue
		}
		u, ok := absHTTP(s)
		if !ok {
			where := fmt.Sprintf("%s:%d", name, line)
			if err := w.fail(where, fmt.Errorf("source: %s: %w: %q", where, ErrBadURL, clip(s))); err != nil {
				return err
			}
			continue
		}
		if err := w.emit(Item{Name: u, URL: u, Load: w.loadURL(u)}); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return w.fail(name, fmt.Errorf("source: %s: line %d: %w", name, line+1, err))
	}
	return nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

func (w *walker) warc(name string, r io.Reader) error {
	rd, err := warc.NewReader(r)
	if err != nil {
		return w.fail(name, fmt.Errorf("source: %s: %w", name, err))
	}
	var head [5]byte
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return w.fail(name, fmt.Errorf("source: %s: %w", name, err))
		}
		if err := w.ctx.Err(); err != nil {
			return &stop{err}
		}
		if rec.Type != "response" {
			continue
		}
		itemName := fmt.Sprintf("%s#%d", name, rec.Index)
		n, err := io.ReadFull(rec.Block, head[:])
		if errors.Is(err, warc.ErrTruncated) || errors.Is(err, warc.ErrMalformed) {
			return w.fail(name, fmt.Errorf("source: %s: %w", name, err))
		}
		if !warc.IsHTTP(head[:n]) {
			continue // dns: and other non-HTTP responses
		}
		resp, err := warc.ReadHTTPResponse(io.MultiReader(bytes.NewReader(head[:n]), rec.Block), w.max)
		if err != nil {
			if errors.Is(err, warc.ErrTruncated) {
				return w.fail(name, fmt.Errorf("source: %s: %w", name, err))
			}
			// One bad record: an item that reports it, so the
			// pipeline counts it as failed.
			e := fmt.Errorf("source: %s: %w", itemName, err)
			if err := w.emit(Item{Name: itemName, URL: rec.TargetURI, Date: rec.Date,
				Load: func(context.Context) (Payload, error) { return Payload{}, e }}); err != nil {
				return err
			}
			continue
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			w.log.Debug("source: skipping a non-2xx WARC record", "record", itemName, "status", resp.StatusCode, "url", rec.TargetURI)
			continue
		}
		p := Payload{Raw: resp.Body, ContentType: resp.Header.Get("Content-Type"), URL: rec.TargetURI, Fetched: rec.Date}
		if err := w.emit(Item{Name: itemName, URL: rec.TargetURI, Date: rec.Date,
			Load: func(context.Context) (Payload, error) { return p, nil }}); err != nil {
			return err
		}
	}
}

func (w *walker) sitemap(name string, r io.Reader, k kind, depth int) error {
	var children []string
	_, err := sitemap.Parse(r, func(e sitemap.Entry) error {
		u, ok := absHTTP(e.Loc)
		if !ok {
			w.log.Warn("source: skipping a sitemap entry that is not an http(s) URL", "sitemap", name, "entry", e.Index, "loc", clip(e.Loc))
			return nil
		}
		if k == kindSitemapIndex {
			children = append(children, u)
			return nil
		}
		return w.emit(Item{Name: u, URL: u, Date: e.Date(), Load: w.loadURL(u)})
	})
	if err != nil {
		if err := w.fail(name, fmt.Errorf("source: %s: %w", name, err)); err != nil {
			return err
		}
	}
	// Follow the children read before any damage.
	for _, c := range children {
		if w.seen[c] {
			w.log.Warn("source: sitemap already expanded", "sitemap", c, "index", name)
			continue
		}
		w.seen[c] = true
		if depth+1 > MaxSitemapDepth {
			if err := w.fail(c, fmt.Errorf("source: %s: %w (over %d levels, from %s)", c, ErrDepth, MaxSitemapDepth, name)); err != nil {
				return err
			}
			continue
		}
		if err := w.fetchSpec(c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (w *walker) feed(name string, r io.Reader, base string, fetched time.Time) error {
	_, err := feed.Parse(r, base, func(e feed.Entry) error {
		return w.emit(w.feedItem(fmt.Sprintf("%s#%d", name, e.Index), e, fetched))
	})
	if err != nil {
		return w.fail(name, fmt.Errorf("source: %s: %w", name, err))
	}
	return nil
}

func (w *walker) feedItem(name string, e feed.Entry, fetched time.Time) Item {
	hasContent := strings.TrimSpace(e.Content) != ""
	var fallback Payload
	if hasContent {
		fallback = Payload{Raw: FallbackHTML(e), ContentType: "text/html; charset=utf-8", URL: e.URL, Fetched: fetched, Fallback: true}
	}
	load := w.loadURL(e.URL)
	log := w.log
	return Item{Name: name, URL: e.URL, Date: e.Date(), Load: func(ctx context.Context) (Payload, error) {
		var err error
		if e.URL != "" {
			var p Payload
			p, err = load(ctx)
			switch {
			case err == nil && textual(p.ContentType):
				return p, nil
			case err == nil:
				err = fmt.Errorf("source: %s: page is %s, not a document", e.URL, fetch.MediaType(p.ContentType))
			case ctx.Err() != nil:
				return Payload{}, err
			}
		}
		if !hasContent {
			if err == nil {
				err = fmt.Errorf("source: %s: %w", name, ErrNoContent)
			}
			return Payload{}, err
		}
		p := fallback
		if err != nil && !errors.Is(err, ErrNoFetcher) {
			log.Info("source: page failed; using the feed's content", "item", name, "url", e.URL, "err", err)
			p.FallbackErr = err
		}
		return p, nil
	}}
}

// textual reports whether a Content-Type can hold an article.
func textual(ct string) bool {
	mt := fetch.MediaType(ct)
	return mt == "" || strings.HasPrefix(mt, "text/") || strings.Contains(mt, "html") || strings.Contains(mt, "xml")
}

// FallbackHTML renders a feed entry as a small HTML document carrying its
// metadata in the tags extractors read (title, og:title, canonical link,
// author, article:published_time, and the feed's title as og:site_name), so
// a feed item whose page failed still yields a complete article.
func FallbackHTML(e feed.Entry) []byte {
	var b bytes.Buffer
	esc := html.EscapeString
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n")
	if e.Title != "" {
		fmt.Fprintf(&b, "<title>%s</title>\n<meta property=\"og:title\" content=\"%s\">\n", esc(e.Title), esc(e.Title))
	}
	if e.URL != "" {
		fmt.Fprintf(&b, "<link rel=\"canonical\" href=\"%s\">\n", esc(e.URL))
	}
	if e.Feed != "" {
		fmt.Fprintf(&b, "<meta property=\"og:site_name\" content=\"%s\">\n", esc(e.Feed))
	}
	for _, a := range e.Authors {
		fmt.Fprintf(&b, "<meta name=\"author\" content=\"%s\">\n", esc(a))
	}
	if !e.Published.IsZero() {
		fmt.Fprintf(&b, "<meta property=\"article:published_time\" content=\"%s\">\n", e.Published.Format(time.RFC3339))
	}
	if !e.Updated.IsZero() {
		fmt.Fprintf(&b, "<meta property=\"article:modified_time\" content=\"%s\">\n", e.Updated.Format(time.RFC3339))
	}
	b.WriteString("</head><body><article>\n")
	if e.Title != "" {
		fmt.Fprintf(&b, "<h1>%s</h1>\n", esc(e.Title))
	}
	if e.ContentText || !strings.Contains(e.Content, "<") {
		for _, para := range strings.Split(strings.ReplaceAll(e.Content, "\r\n", "\n"), "\n\n") {
			if para = strings.TrimSpace(para); para != "" {
				fmt.Fprintf(&b, "<p>%s</p>\n", esc(para))
			}
		}
	} else {
		b.WriteString(e.Content)
		b.WriteByte('\n')
	}
	b.WriteString("</article></body></html>\n")
	return b.Bytes()
}
