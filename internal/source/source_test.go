package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/source/feed"
	"github.com/newsdesk/newsdesk/internal/source/warc"
)

// result is what a walk produced: items (loaded) and failures, in order.
type result struct {
	items  []Item
	loaded []Payload
	loadE  []error
	fails  []string // "name: error"
	failE  []error
}

func walk(t *testing.T, specs []string, opts Options) *result {
	t.Helper()
	r := &result{}
	err := Walk(context.Background(), specs, opts, func(it Item) error {
		r.items = append(r.items, it)
		return nil
	}, func(name string, err error) {
		r.fails = append(r.fails, name+": "+err.Error())
		r.failE = append(r.failE, err)
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	for _, it := range r.items {
		p, err := it.Load(context.Background())
		r.loaded = append(r.loaded, p)
		r.loadE = append(r.loadE, err)
	}
	return r
}

func (r *result) names() []string {
	var out []string
	for _, it := range r.items {
		out = append(out, it.Name)
	}
	return out
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWalkTree(t *testing.T) {
	root := filepath.Join("testdata", "tree")
	r := walk(t, []string{root}, Options{})
	p := func(name string) string { return filepath.Join(root, name) }
	want := []struct {
		name     string
		url      string
		date     time.Time
		raw      string // substring of the loaded payload
		ctype    string
		fallback bool
		loadErr  error
	}{
		{name: p("01-bridge.html"), raw: "The Lantern Bay bridge reopened"},
		{name: p("02-notes.txt"), raw: "Millbrook council notes"},
		{name: p("03-feed") + "#1", url: "https://gazette.example/2031/05/ferry", date: date("2031-05-06T09:30:00Z"),
			raw: "<p>Ferry fares rise by ten cents in June.</p>", ctype: "text/html; charset=utf-8", fallback: true},
		{name: p("03-feed") + "#2", date: date("2031-05-05T08:00:00Z"),
			raw: "<p>New tide tables are out.</p>\n<p>They cover the summer.</p>", ctype: "text/html; charset=utf-8", fallback: true},
		{name: "https://gazette.example/2031/05/one", url: "https://gazette.example/2031/05/one", loadErr: ErrNoFetcher},
		{name: "https://gazette.example/2031/05/two?x=1", url: "https://gazette.example/2031/05/two?x=1", loadErr: ErrNoFetcher},
		{name: p("05-crawl.bin") + "#1", url: "https://gazette.example/2031/05/orchard", date: date("2031-05-06T10:00:00Z"),
			raw: "Record apple harvest", ctype: "text/html; charset=utf-8"},
		{name: p("05-crawl.bin") + "#3", url: "https://gazette.example/2031/05/regatta", date: date("2031-05-06T10:00:02Z"),
			raw: "Forty boats raced in the regatta.", ctype: "text/plain"},
		{name: "https://gazette.example/2031/05/news-one", url: "https://gazette.example/2031/05/news-one", date: date("2031-05-06T06:00:00Z"), loadErr: ErrNoFetcher},
		{name: "https://gazette.example/2031/05/page-two", url: "https://gazette.example/2031/05/page-two", date: date("2031-05-01T00:00:00Z"), loadErr: ErrNoFetcher},
		{name: p("07-story.html.gz"), raw: "A compressed story about the harbour."},
		{name: p("sub/08-inner.html"), raw: "An inner story about the quay."},
	}
	if len(r.fails) != 0 {
		t.Errorf("failures: %q", r.fails)
	}
	if len(r.items) != len(want) {
		t.Fatalf("items = %q", r.names())
	}
	for i, w := range want {
		it, pl, err := r.items[i], r.loaded[i], r.loadE[i]
		if it.Name != w.name || it.URL != w.url || !it.Date.Equal(w.date) {
			t.Errorf("item %d = {%q %q %v}, want {%q %q %v}", i, it.Name, it.URL, it.Date, w.name, w.url, w.date)
		}
		if w.loadErr != nil {
			if !errors.Is(err, w.loadErr) || !strings.Contains(err.Error(), w.url) {
				t.Errorf("item %s: Load err = %v, want %v", w.name, err, w.loadErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("item %s: Load: %v", w.name, err)
			continue
		}
		if !strings.Contains(string(pl.Raw), w.raw) || pl.ContentType != w.ctype || pl.Fallback != w.fallback {
			t.Errorf("item %s: payload = {%q ct=%q fallback=%v}", w.name, pl.Raw, pl.ContentType, pl.Fallback)
		}
	}
	// The feed's fallback document carries the entry's metadata.
	fb := string(r.loaded[2].Raw)
	for _, s := range []string{`<title>Ferry fares rise</title>`, `<meta name="author" content="Mara Quill">`,
		`<meta property="article:published_time" content="2031-05-06T09:30:00Z">`, `<link rel="canonical" href="https://gazette.example/2031/05/ferry">`} {
		if !strings.Contains(fb, s) {
			t.Errorf("fallback HTML lacks %s:\n%s", s, fb)
		}
	}
}

func TestWalkBadInputs(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(big, bytes.Repeat([]byte("Harbour news. "), 100), 0o644); err != nil {
		t.Fatal(err)
	}
	bigGz := filepath.Join(dir, "big.txt.gz")
	var gzBuf bytes.Buffer
	zw := gzip.NewWriter(&gzBuf)
	zw.Write(bytes.Repeat([]byte("Harbour news. "), 100))
	zw.Close()
	os.WriteFile(bigGz, gzBuf.Bytes(), 0o644)
	dangling := filepath.Join(dir, "linkdir")
	os.Mkdir(dangling, 0o755)
	os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dangling, "broken-link"))
	os.WriteFile(filepath.Join(dangling, "ok.txt"), []byte("The quay is open.\n"), 0o644)

	bad := func(n string) string { return filepath.Join("testdata", "bad", n) }
	specs := []string{
		filepath.Join(dir, "missing.html"),
		bad("truncated.warc"),
		bad("malformed-feed.xml"),
		bad("bad-urls.txt"),
		bad("corrupt.gz"),
		big,
		bigGz,
		dangling,
	}
	r := walk(t, specs, Options{MaxBytes: 1000})
	wantItems := []string{
		bad("truncated.warc") + "#1",
		bad("malformed-feed.xml") + "#1",
		"https://gazette.example/fine",
		"https://gazette.example/also-fine",
		big,
		bigGz,
		filepath.Join(dangling, "ok.txt"),
	}
	if got := r.names(); strings.Join(got, "\n") != strings.Join(wantItems, "\n") {
		t.Errorf("items:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantItems, "\n"))
	}
	wantFails := []struct {
		prefix string
		err    error
	}{
		{filepath.Join(dir, "missing.html") + ": source: ", fs.ErrNotExist},
		{bad("truncated.warc") + ": source: " + bad("truncated.warc") + ": warc: record 3", warc.ErrTruncated},
		{bad("malformed-feed.xml") + ": source: " + bad("malformed-feed.xml") + ": feed: ", feed.ErrMalformed},
		{bad("bad-urls.txt") + ":2: source: " + bad("bad-urls.txt") + ":2: not an http(s) URL: \"ftp://files.example/nope\"", ErrBadURL},
		{bad("corrupt.gz") + ": source: " + bad("corrupt.gz") + ": gzip: ", nil},
		{filepath.Join(dangling, "broken-link") + ": source: ", fs.ErrNotExist},
	}
	if len(r.fails) != len(wantFails) {
		t.Fatalf("failures:\n%s", strings.Join(r.fails, "\n"))
	}
	for i, w := range wantFails {
		if !strings.HasPrefix(r.fails[i], w.prefix) || (w.err != nil && !errors.Is(r.failE[i], w.err)) {
			t.Errorf("failure %d = %q, want prefix %q wrapping %v", i, r.fails[i], w.prefix, w.err)
		}
	}
	// Oversized files fail when loaded, naming the file.
	for i, name := range r.names() {
		if name == big || name == bigGz {
			if err := r.loadE[i]; !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), name) {
				t.Errorf("%s: Load err = %v, want ErrTooLarge naming it", name, err)
			}
		}
	}
	// A file that vanishes between the walk and the load fails cleanly.
	gone := filepath.Join(dir, "gone.txt")
	os.WriteFile(gone, []byte("Soon gone.\n"), 0o644)
	r2 := walk(t, []string{gone}, Options{})
	os.Remove(gone)
	if _, err := r2.items[0].Load(context.Background()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a removed file: %v", err)
	}
}

func TestWARCRecordTooLarge(t *testing.T) {
	crawl := filepath.Join("testdata", "tree", "05-crawl.bin")
	r := walk(t, []string{crawl}, Options{MaxBytes: 30})
	if strings.Join(r.names(), ",") != crawl+"#1,"+crawl+"#3" || len(r.fails) != 0 {
		t.Fatalf("items %q, failures %q", r.names(), r.fails)
	}
	for i, err := range r.loadE {
		if !errors.Is(err, ErrTooLarge) || !strings.HasPrefix(err.Error(), "source: "+r.items[i].Name+": ") {
			t.Errorf("%s: Load err = %v", r.items[i].Name, err)
		}
	}
}

func TestWalkStdin(t *testing.T) {
	rss, _ := os.ReadFile(filepath.Join("testdata", "tree", "03-feed"))
	var gzDoc bytes.Buffer
	zw := gzip.NewWriter(&gzDoc)
	zw.Write([]byte("Gzipped bulletin: the ferry is late.\n"))
	zw.Close()
	tests := []struct {
		name      string
		in        []byte
		wantNames []string
		wantRaw   string
		wantFail  error
	}{
		{"document", []byte("<p>A story from stdin.</p>"), []string{"-"}, "<p>A story from stdin.</p>", nil},
		{"feed", rss, []string{"-#1", "-#2"}, "", nil},
		{"gzip document", gzDoc.Bytes(), []string{"-"}, "Gzipped bulletin: the ferry is late.\n", nil},
		{"empty", nil, []string{"-"}, "", nil},
		{"too large", bytes.Repeat([]byte("x"), 2000), nil, "", ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := walk(t, []string{"-"}, Options{Stdin: bytes.NewReader(tt.in), MaxBytes: 1500})
			if strings.Join(r.names(), ",") != strings.Join(tt.wantNames, ",") {
				t.Errorf("items = %q, want %q", r.names(), tt.wantNames)
			}
			if tt.wantFail != nil {
				if len(r.failE) != 1 || !errors.Is(r.failE[0], tt.wantFail) || !strings.HasPrefix(r.fails[0], "-: source: stdin: ") {
					t.Errorf("failures = %q", r.fails)
				}
				return
			}
			if tt.wantRaw != "" && string(r.loaded[0].Raw) != tt.wantRaw {
				t.Errorf("raw = %q", r.loaded[0].Raw)
			}
		})
	}
	t.Run("urls file from stdin", func(t *testing.T) {
		r := walk(t, nil, Options{URLsFile: "-", Stdin: strings.NewReader("https://a.example/1\nhttps://a.example/2\n")})
		if strings.Join(r.names(), ",") != "https://a.example/1,https://a.example/2" {
			t.Errorf("items = %q", r.names())
		}
	})
}

// newsSite is a fictional site served by httptest for the network tests.
func newsSite(t *testing.T) (*httptest.Server, *sync.Map) {
	t.Helper()
	hits := &sync.Map{} // path -> *atomic.Int32
	mux := http.NewServeMux()
	var srv *httptest.Server
	page := func(title string) string {
		return "<html><head><title>" + title + "</title></head><body><article><p>" + title + " was reported today.</p></article></body></html>"
	}
	handle := func(path, ctype string, body func() []byte) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			n, _ := hits.LoadOrStore(r.URL.Path, new(atomic.Int32))
			n.(*atomic.Int32).Add(1)
			if ctype != "" {
				w.Header().Set("Content-Type", ctype)
			}
			w.Write(body())
		})
	}
	handle("/robots.txt", "text/plain", func() []byte { return []byte("User-agent: *\nDisallow: /private/\n") })
	handle("/news/ferry", "text/html; charset=utf-8", func() []byte { return []byte(page("Ferry fares rise")) })
	handle("/news/bridge", "text/html", func() []byte { return []byte(page("Bridge reopens")) })
	handle("/news/photo", "image/jpeg", func() []byte { return []byte("\xff\xd8\xff\xe0 not really a jpeg") })
	mux.HandleFunc("/news/missing", http.NotFound)
	handle("/feed.xml", "application/rss+xml", func() []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title>
<item><title>Ferry fares rise</title><link>/news/ferry</link><description>Feed copy of the ferry story.</description></item>
<item><title>Missing page</title><link>/news/missing</link><description>&lt;p&gt;Feed copy of a story whose page is gone.&lt;/p&gt;</description></item>
<item><title>Missing, no content</title><link>/news/missing</link></item>
<item><title>Photo</title><link>/news/photo</link><description>Caption for a photo.</description></item>
<item><title>Private</title><link>/private/memo</link><description>Feed copy of a page robots.txt forbids.</description></item>
</channel></rss>`)
	})
	handle("/sitemap_index.xml", "application/xml", func() []byte {
		return []byte(`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>` + srv.URL + `/sitemap-news.xml.gz</loc></sitemap>
<sitemap><loc>` + srv.URL + `/sitemap_index.xml</loc></sitemap>
<sitemap><loc>` + srv.URL + `/news/bridge</loc></sitemap>
<sitemap><loc>` + srv.URL + `/sitemap-missing.xml</loc></sitemap>
</sitemapindex>`)
	})
	handle("/sitemap-news.xml.gz", "application/gzip", func() []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		fmt.Fprintf(zw, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>%[1]s/news/ferry</loc><news:news><news:publication_date>2031-05-06T09:00:00Z</news:publication_date><news:title>Ferry fares rise</news:title></news:news></url>
<url><loc>%[1]s/news/bridge</loc><lastmod>2031-05-05</lastmod></url>
</urlset>`, srv.URL)
		zw.Close()
		return b.Bytes()
	})
	mux.HandleFunc("/sitemap-missing.xml", http.NotFound)
	handle("/urls.txt", "text/plain", func() []byte { return []byte(srv.URL + "/news/ferry\n" + srv.URL + "/news/bridge\n") })
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, hits
}

func testFetcher() *fetch.Client {
	return fetch.New(fetch.Options{RespectRobots: true, PerHostInterval: -1, Timeout: 5 * time.Second})
}

func TestWalkNetwork(t *testing.T) {
	srv, hits := newsSite(t)
	u := func(p string) string { return srv.URL + p }
	r := walk(t, []string{u("/news/bridge"), u("/feed.xml"), u("/sitemap_index.xml"), u("/urls.txt"), u("/news/missing"), u("/private/memo")},
		Options{Fetcher: testFetcher()})
	type want struct {
		name     string
		url      string
		raw      string
		fallback bool
		loadErr  error
	}
	wants := []want{
		{u("/news/bridge"), u("/news/bridge"), "Bridge reopens was reported", false, nil},
		{u("/feed.xml") + "#1", u("/news/ferry"), "Ferry fares rise was reported", false, nil},
		{u("/feed.xml") + "#2", u("/news/missing"), "<p>Feed copy of a story whose page is gone.</p>", true, nil},
		{u("/feed.xml") + "#3", u("/news/missing"), "", false, fetch.ErrStatus},
		{u("/feed.xml") + "#4", u("/news/photo"), "<p>Caption for a photo.</p>", true, nil},
		{u("/feed.xml") + "#5", u("/private/memo"), "Feed copy of a page robots.txt forbids.", true, nil},
		{u("/news/ferry"), u("/news/ferry"), "Ferry fares rise was reported", false, nil},
		{u("/news/bridge"), u("/news/bridge"), "Bridge reopens", false, nil},
		{u("/news/ferry"), u("/news/ferry"), "Ferry fares rise", false, nil},
		{u("/news/bridge"), u("/news/bridge"), "Bridge reopens", false, nil},
	}
	if len(r.items) != len(wants) {
		t.Fatalf("items:\n%s", strings.Join(r.names(), "\n"))
	}
	for i, w := range wants {
		it, p, err := r.items[i], r.loaded[i], r.loadE[i]
		if it.Name != w.name || it.URL != w.url {
			t.Errorf("item %d = %q %q, want %q %q", i, it.Name, it.URL, w.name, w.url)
		}
		if w.loadErr != nil {
			if !errors.Is(err, w.loadErr) || !strings.Contains(err.Error(), "HTTP 404") {
				t.Errorf("item %d: Load err = %v, want %v", i, err, w.loadErr)
			}
			continue
		}
		if err != nil || !strings.Contains(string(p.Raw), w.raw) || p.Fallback != w.fallback {
			t.Errorf("item %d (%s): Load = {%q fallback=%v}, %v", i, w.name, p.Raw, p.Fallback, err)
		}
		if !w.fallback && (p.Fetched.IsZero() || p.URL != w.url) {
			t.Errorf("item %d: payload URL %q fetched %v", i, p.URL, p.Fetched)
		}
	}
	if !r.items[6].Date.Equal(date("2031-05-06T09:00:00Z")) || !r.items[7].Date.Equal(date("2031-05-05T00:00:00Z")) {
		t.Errorf("sitemap dates = %v, %v", r.items[6].Date, r.items[7].Date)
	}
	if n, _ := hits.Load("/sitemap_index.xml"); n.(*atomic.Int32).Load() != 1 {
		t.Errorf("a sitemap index listing itself was fetched %d times", n.(*atomic.Int32).Load())
	}
	wantFails := []struct {
		name string
		err  error
		in   string
	}{
		{u("/news/bridge"), ErrNotSitemap, "listed in a sitemap index"},
		{u("/sitemap-missing.xml"), fetch.ErrStatus, "HTTP 404 Not Found"},
		{u("/news/missing"), fetch.ErrStatus, "fetch: " + u("/news/missing") + ": HTTP 404 Not Found"},
		{u("/private/memo"), fetch.ErrRobots, "robots.txt"},
	}
	if len(r.fails) != len(wantFails) {
		t.Fatalf("failures:\n%s", strings.Join(r.fails, "\n"))
	}
	for i, w := range wantFails {
		if !strings.HasPrefix(r.fails[i], w.name+": ") || !errors.Is(r.failE[i], w.err) || !strings.Contains(r.fails[i], w.in) {
			t.Errorf("failure %d = %q, want %s wrapping %v", i, r.fails[i], w.name, w.err)
		}
	}
}

func TestSitemapDepth(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	// /level/N is an index pointing at /level/N+1.
	mux.HandleFunc("/level/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		fmt.Fprintf(w, `<sitemapindex><sitemap><loc>%s/level/%d</loc></sitemap></sitemapindex>`, srv.URL, n+1)
	})
	r := walk(t, []string{srv.URL + "/level/1"}, Options{Fetcher: testFetcher()})
	if len(r.items) != 0 || len(r.failE) != 1 || !errors.Is(r.failE[0], ErrDepth) ||
		!strings.HasPrefix(r.fails[0], fmt.Sprintf("%s/level/%d: ", srv.URL, MaxSitemapDepth+1)) {
		t.Errorf("items %q, failures %q", r.names(), r.fails)
	}
}

func TestNoFetcher(t *testing.T) {
	r := walk(t, []string{"https://gazette.example/feed.xml"}, Options{})
	if len(r.items) != 0 || len(r.failE) != 1 || !errors.Is(r.failE[0], ErrNoFetcher) || !strings.Contains(r.fails[0], "https://gazette.example/feed.xml") {
		t.Errorf("items %q, failures %q", r.names(), r.fails)
	}
}

func TestWalkStops(t *testing.T) {
	root := filepath.Join("testdata", "tree")
	enough := errors.New("enough")
	for _, at := range []int{1, 3, 7, 9} { // a file, a feed entry, a WARC record, a sitemap entry
		n := 0
		err := Walk(context.Background(), []string{root, root}, Options{}, func(Item) error {
			n++
			if n == at {
				return enough
			}
			return nil
		}, func(string, error) { t.Error("unexpected failure") })
		if err != enough || n != at {
			t.Errorf("stop at %d: err = %v after %d items", at, err, n)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := Walk(ctx, []string{root, root}, Options{}, func(Item) error {
		n++
		if n == 2 {
			cancel()
		}
		return nil
	}, nil)
	if !errors.Is(err, context.Canceled) || n != 2 {
		t.Errorf("cancelled walk: err = %v after %d items", err, n)
	}
}

func TestDeterministic(t *testing.T) {
	root := filepath.Join("testdata", "tree")
	a := strings.Join(walk(t, []string{root}, Options{}).names(), "\n")
	for i := 0; i < 3; i++ {
		if b := strings.Join(walk(t, []string{root}, Options{}).names(), "\n"); a != b {
			t.Fatalf("walk order changed:\n%s\n---\n%s", a, b)
		}
	}
}

func TestLoadConcurrent(t *testing.T) {
	srv, hits := newsSite(t)
	var items []Item
	Walk(context.Background(), []string{filepath.Join("testdata", "tree"), srv.URL + "/urls.txt"},
		Options{Fetcher: testFetcher()}, func(it Item) error { items = append(items, it); return nil }, nil)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		for _, it := range items {
			wg.Go(func() { it.Load(context.Background()) })
		}
	}
	wg.Wait()
	if n, ok := hits.Load("/news/ferry"); !ok || n.(*atomic.Int32).Load() != 4 {
		t.Errorf("/news/ferry fetched %v times, want 4", n)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		head     string
		complete bool
		want     kind
	}{
		{"WARC/1.1\r\nWARC-Type: warcinfo\r\n", false, kindWARC},
		{"WARC/ is a word", true, kindDoc},
		{"\x1f\x8b\x08\x00", false, kindGzip},
		{`<?xml version="1.0"?><rss version="2.0">`, false, kindFeed},
		{`<feed xmlns="http://www.w3.org/2005/Atom">`, false, kindFeed},
		{`{"version":"https://jsonfeed.org/version/1.1","items":[]}`, true, kindFeed},
		{`{"name": "a JSON document"}`, true, kindDoc},
		{`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`, false, kindSitemap},
		{`<sitemapindex>`, false, kindSitemapIndex},
		{"<!DOCTYPE html>\n<html><head><title>rss feed</title>", false, kindDoc},
		{"<HTML><body>", false, kindDoc},
		{"<p>fragment</p>", true, kindDoc},
		{"https://a.example/1\nhttps://a.example/2\n", true, kindURLList},
		{"# list\n\nhttps://a.example/1\r\n", true, kindURLList},
		{"https://a.example/1\nhttps://a.example/2\nhttps://a.exa", false, kindURLList},
		{"https://a.example/1\nThe story begins here.\n", true, kindDoc},
		{"https://a.example/1 and more words\n", true, kindDoc},
		{"https://a.example/1\nftp://a.example/2\n", true, kindURLList},
		{"ftp://a.example/2\n", true, kindDoc},
		{"# only a comment\n", true, kindDoc},
		{"Plain text story.\n", true, kindDoc},
		{"", true, kindDoc},
		{"\xef\xbb\xbf<rss>", false, kindFeed},
	}
	for _, tt := range tests {
		if got := sniff([]byte(tt.head), tt.complete); got != tt.want {
			t.Errorf("sniff(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
}

// FuzzSource writes arbitrary bytes to a file and walks it without network,
// loading every item: nothing may panic, and every failure names the file.
func FuzzSource(f *testing.F) {
	for _, name := range []string{"tree/01-bridge.html", "tree/03-feed", "tree/04-urls.list", "tree/05-crawl.bin", "tree/06-sitemap.xml.gz", "bad/truncated.warc", "bad/malformed-feed.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "input")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		err := Walk(context.Background(), []string{path}, Options{MaxBytes: 1 << 16}, func(it Item) error {
			if it.Name == "" || it.Load == nil {
				t.Fatalf("bad item %+v", it)
			}
			p, err := it.Load(context.Background())
			if err == nil && int64(len(p.Raw)) > 1<<16+1<<12 && !p.Fallback {
				t.Fatalf("%s: %d bytes passed the cap", it.Name, len(p.Raw))
			}
			return nil
		}, func(name string, err error) {
			if !strings.HasPrefix(err.Error(), "source: ") {
				t.Fatalf("failure %q for %s lacks the package prefix", err, name)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
