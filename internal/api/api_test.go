package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/server"
	"github.com/newsdesk/newsdesk/internal/store"
	_ "github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// published dates the example articles (they give no date of their own).
var published = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)

// now is the clock of the tests: a day after the examples.
var now = published.Add(36 * time.Hour)

type testEnv struct {
	t       *testing.T
	base    string
	st      store.Store
	fake    *fakeNewsroom // nil when the store has a Newsroom of its own
	api     *API
	srv     *server.Server
	val     *validator
	token   string
	client  *http.Client
	stop    func() error // shuts the server down, as SIGTERM does
	mu      sync.Mutex
	covered map[string]bool // operations answered with a validated success
}

type envOptions struct {
	token string
	// fake wraps the store in the fake Newsroom even when it has its own.
	fake bool
	// fetcher fetches submitted URLs.
	fetcher *fetch.Client
}

// newEnv opens a SQLite store with the examples ingested and serves the API
// on a loopback port, through the whole server (middleware included).
func newEnv(t *testing.T, o envOptions) *testEnv {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, st: st, token: o.token, client: &http.Client{Timeout: 30 * time.Second}, covered: map[string]bool{}}
	if _, ok := store.AsNewsroom(st); !ok || o.fake {
		e.fake = &fakeNewsroom{Store: st}
		e.st = e.fake
	}
	ing := &Ingester{Store: e.st}
	files, _ := filepath.Glob("../../examples/*")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ing.Submit(ctx, Input{Name: filepath.Base(f), Raw: raw, Format: "auto", Published: published}); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	e.api, err = New(Options{Store: e.st, Token: o.token, Ingester: ing, Fetcher: o.fetcher, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = e.api
	addr := "127.0.0.1:0"
	e.srv, err = server.New(server.Config{Addr: addr, Token: o.token, Store: e.st, API: h, ShutdownTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	e.base = "http://" + ln.Addr().String()
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(sctx, ln) }()
	var once sync.Once
	var serveErr error
	e.stop = func() error {
		once.Do(func() {
			cancel()
			serveErr = <-done
		})
		return serveErr
	}
	t.Cleanup(func() {
		if err := e.stop(); err != nil {
			t.Errorf("Serve: %v", err)
		}
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	e.val = newValidator(t, e.api.doc)
	return e
}

// do sends a request; body is marshalled as JSON unless it is a string or
// []byte. The response is validated against the OpenAPI document.
func (e *testEnv) do(method, path string, body any, header ...string) (*http.Response, []byte) {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, e.base+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	checkHeaders(e.t, method+" "+path, resp)
	if strings.HasPrefix(req.URL.Path, Prefix+"/") {
		op, err := e.val.check(req, resp, got)
		if err != nil {
			e.t.Errorf("%s %s: %v", method, path, err)
		} else if resp.StatusCode < 300 {
			e.mu.Lock()
			e.covered[op] = true
			e.mu.Unlock()
		}
	}
	return resp, got
}

// call sends a request, wants the status, and decodes the body into v.
func (e *testEnv) call(method, path string, body any, want int, v any, header ...string) *http.Response {
	e.t.Helper()
	resp, got := e.do(method, path, body, header...)
	if resp.StatusCode != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, got)
	}
	if v != nil {
		if err := json.Unmarshal(got, v); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, got)
		}
	}
	return resp
}

func (e *testEnv) get(path string, v any) { e.t.Helper(); e.call("GET", path, nil, 200, v) }

// problem wants a problem document with status.
func (e *testEnv) problem(method, path string, body any, want int, header ...string) Problem {
	e.t.Helper()
	resp, got := e.do(method, path, body, header...)
	if resp.StatusCode != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, got)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		e.t.Fatalf("%s %s: Content-Type %q, want application/problem+json", method, path, ct)
	}
	var p Problem
	if err := json.Unmarshal(got, &p); err != nil {
		e.t.Fatal(err)
	}
	if p.Status != want || p.Title == "" || p.Detail == "" || p.Type == "" || p.Instance == "" {
		e.t.Errorf("%s %s: incomplete problem %+v", method, path, p)
	}
	for _, leak := range []string{"goroutine", "sql", "SELECT", ".go:", "panic", "sqlite"} {
		if strings.Contains(p.Detail, leak) {
			e.t.Errorf("%s %s: the problem's detail leaks %q: %s", method, path, leak, p.Detail)
		}
	}
	return p
}

func checkHeaders(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	h := resp.Header
	if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy %q", what, h.Get("Content-Security-Policy"))
	}
	if h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q", what, h.Get("X-Content-Type-Options"))
	}
	if h.Get("Referrer-Policy") == "" {
		t.Errorf("%s: no Referrer-Policy", what)
	}
}

func TestArticles(t *testing.T) {
	e := newEnv(t, envOptions{})
	var page store.ArticlePage
	e.get("/api/v1/articles", &page)
	if len(page.Articles) != 8 || page.Next != "" {
		t.Fatalf("articles: %d, next %q", len(page.Articles), page.Next)
	}
	// Pagination: pages of 3 give every article once.
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		var p store.ArticlePage
		e.get("/api/v1/articles?limit=3&cursor="+url.QueryEscape(cursor), &p)
		for _, a := range p.Articles {
			if seen[a.ID] {
				t.Errorf("page %d repeats %s", pages, a.ID)
			}
			seen[a.ID] = true
		}
		pages++
		if cursor = p.Next; cursor == "" || pages > 5 {
			break
		}
	}
	if len(seen) != 8 || pages != 3 {
		t.Errorf("paged through %d articles in %d pages, want 8 in 3", len(seen), pages)
	}
	// Filters.
	var fr store.ArticlePage
	e.get("/api/v1/articles?lang=fr", &fr)
	if len(fr.Articles) != 1 || fr.Articles[0].Language != "fr" {
		t.Errorf("lang=fr: %+v", fr.Articles)
	}
	var src store.ArticlePage
	e.get("/api/v1/articles?source=daily+lantern", &src)
	if len(src.Articles) != 2 {
		t.Errorf("source=daily lantern: %d articles, want 2", len(src.Articles))
	}
	var none store.ArticlePage
	e.get("/api/v1/articles?since=2026-03-11", &none)
	if len(none.Articles) != 0 {
		t.Errorf("since=2026-03-11: %d articles, want 0", len(none.Articles))
	}
	var aged store.ArticlePage
	e.get("/api/v1/articles?since=2d&until=1d", &aged) // now is 2026-03-11T12:00
	if len(aged.Articles) != 8 {
		t.Errorf("since=2d until=1d: %d articles, want 8", len(aged.Articles))
	}
	// A copy group and a story.
	bridge := find(t, page.Articles, "Kestrel Bridge reopens after two years of repairs")
	var copies store.ArticlePage
	e.get("/api/v1/articles?dup_group="+bridge.DupGroup, &copies)
	if len(copies.Articles) != 2 {
		t.Errorf("dup_group %s: %d articles, want 2", bridge.DupGroup, len(copies.Articles))
	}
	var story store.ArticlePage
	e.get("/api/v1/articles?story="+bridge.Story, &story)
	if len(story.Articles) != 3 {
		t.Errorf("story %s: %d articles, want 3", bridge.Story, len(story.Articles))
	}

	e.problem("GET", "/api/v1/articles?limit=0", nil, 400)
	e.problem("GET", "/api/v1/articles?limit=501", nil, 400)
	e.problem("GET", "/api/v1/articles?since=yesterday", nil, 400)
	bad := e.problem("GET", "/api/v1/articles?cursor=garbage", nil, 400)
	if !strings.Contains(bad.Detail, "cursor") {
		t.Errorf("bad cursor: %q", bad.Detail)
	}
	e.problem("GET", "/api/v1/stories?cursor=garbage", nil, 400)

	// One article, by id, prefix and URL; its versions and raw input.
	var a article.Article
	e.get("/api/v1/articles/"+bridge.ID, &a)
	if a.ID != bridge.ID || a.Title != bridge.Title || len(a.Paragraphs) == 0 {
		t.Errorf("article: %s %q", a.ID, a.Title)
	}
	var byPrefix article.Article
	e.get("/api/v1/articles/"+bridge.ID[:8], &byPrefix)
	if byPrefix.ID != bridge.ID {
		t.Errorf("prefix %s gave %s", bridge.ID[:8], byPrefix.ID)
	}
	if a.URL != "" {
		var byURL article.Article
		e.get("/api/v1/articles/"+url.PathEscape(a.URL), &byURL)
		if byURL.ID != bridge.ID {
			t.Errorf("url %s gave %s", a.URL, byURL.ID)
		}
	}
	var v1 article.Article
	e.get("/api/v1/articles/"+bridge.ID+"?version=1", &v1)
	e.problem("GET", "/api/v1/articles/"+bridge.ID+"?version=7", nil, 404)
	var vs VersionList
	e.get("/api/v1/articles/"+bridge.ID[:8]+"/versions", &vs)
	if vs.ID != bridge.ID || len(vs.Versions) != 1 || vs.Versions[0].Version != 1 {
		t.Errorf("versions: %+v", vs)
	}
	resp, raw := e.do("GET", "/api/v1/articles/"+bridge.ID+"/raw", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !bytes.Contains(raw, []byte("<")) {
		t.Errorf("raw: %d %q %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Disposition"), resp.Header.Get("Content-Type"), len(raw))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") {
		t.Errorf("raw: Content-Security-Policy %q has no sandbox", csp)
	}

	p := e.problem("GET", "/api/v1/articles/uzzzzzzzzzzz", nil, 404)
	if !strings.Contains(p.Detail, "uzzzzzzzzzzz") {
		t.Errorf("404 detail %q does not name the id", p.Detail)
	}
	e.problem("GET", "/api/v1/articles/uzzzzzzzzzzz/versions", nil, 404)
	e.problem("GET", "/api/v1/articles/uzzzzzzzzzzz/raw", nil, 404)
	short := e.problem("GET", "/api/v1/articles/u", nil, 400)
	if len(short.Candidates) == 0 || short.Matches < 2 {
		t.Errorf("too short prefix: %+v", short)
	}
}

func find(t *testing.T, as []store.Summary, title string) store.Summary {
	t.Helper()
	for _, a := range as {
		if a.Title == title {
			return a
		}
	}
	t.Fatalf("no article %q", title)
	return store.Summary{}
}

func TestAmbiguousPrefix(t *testing.T) {
	e := newEnv(t, envOptions{})
	var entries []store.Entry
	for _, id := range []string{"uabcd0000000000000001", "uabcd0000000000000002"} {
		a := &article.Article{Title: "Twin " + id, Paragraphs: []string{"Twin articles share an id prefix."}}
		a.Finalize()
		a.ID = id
		entries = append(entries, store.Entry{Article: a})
	}
	if _, err := e.st.Put(context.Background(), entries); err != nil {
		t.Fatal(err)
	}
	p := e.problem("GET", "/api/v1/articles/uabcd000", nil, 409)
	if p.Matches != 2 || len(p.Candidates) != 2 || p.Candidates[0].ID != "uabcd0000000000000001" || !strings.HasPrefix(p.Candidates[1].Title, "Twin") {
		t.Errorf("ambiguous: %+v", p)
	}
}

func TestSearch(t *testing.T) {
	e := newEnv(t, envOptions{})
	var res SearchResult
	e.get("/api/v1/search?q=kestrel+bridge", &res)
	// Copies fold: the Harbor Post article and its Coastline Wire copy are one hit.
	if len(res.Hits) != 2 {
		t.Fatalf("kestrel bridge: %d hits, want 2 (copies folded)", len(res.Hits))
	}
	folded := 0
	for _, h := range res.Hits {
		folded += h.Copies
	}
	if folded != 1 {
		t.Errorf("copies folded: %d, want 1", folded)
	}
	var all SearchResult
	e.get("/api/v1/search?q=kestrel+bridge&all_copies=true", &all)
	if len(all.Hits) != 3 {
		t.Errorf("all_copies: %d hits, want 3", len(all.Hits))
	}
	// Pagination by offset.
	var p1, p2 SearchResult
	e.get("/api/v1/search?q=kestrel+bridge&all_copies=true&limit=2", &p1)
	if len(p1.Hits) != 2 || p1.NextOffset != 2 {
		t.Fatalf("page 1: %d hits, next %d", len(p1.Hits), p1.NextOffset)
	}
	e.get("/api/v1/search?q=kestrel+bridge&all_copies=true&limit=2&offset=2", &p2)
	if len(p2.Hits) != 1 || p2.NextOffset != 0 || p2.Hits[0].ID == p1.Hits[0].ID || p2.Hits[0].ID == p1.Hits[1].ID {
		t.Errorf("page 2: %+v", p2)
	}
	var fields SearchResult
	e.get("/api/v1/search?q="+url.QueryEscape(`title:(bridge OR bakery) -kestrel`), &fields)
	if len(fields.Hits) != 1 || !strings.Contains(fields.Hits[0].Title, "bakery") {
		t.Errorf("fields: %+v", fields.Hits)
	}
	var filtered SearchResult
	e.get("/api/v1/search?q=marrow&lang=fr", &filtered)
	if len(filtered.Hits) != 1 || filtered.Hits[0].Language != "fr" {
		t.Errorf("lang=fr: %+v", filtered.Hits)
	}
	var empty SearchResult
	e.get("/api/v1/search?q=kestrel&until=2026-03-01", &empty)
	if len(empty.Hits) != 0 {
		t.Errorf("until=2026-03-01: %d hits", len(empty.Hits))
	}
	p := e.problem("GET", "/api/v1/search?q="+url.QueryEscape(`"unbalanced`), nil, 400)
	if p.Column != 1 || !strings.Contains(p.Detail, "quote") {
		t.Errorf("syntax error: %+v", p)
	}
	e.problem("GET", "/api/v1/search", nil, 400)
	e.problem("GET", "/api/v1/search?q=x&all_copies=maybe", nil, 400)
}

func TestStoriesCopiesEntitiesStatsCoverage(t *testing.T) {
	e := newEnv(t, envOptions{})
	var sl StoryList
	e.get("/api/v1/stories?order=size", &sl)
	if len(sl.Stories) != 6 || sl.Stories[0].Articles != 3 || len(sl.Stories[0].Outlets) != 3 {
		t.Fatalf("stories by size: %+v", sl.Stories)
	}
	var recent StoryList
	e.get("/api/v1/stories?limit=2", &recent)
	if len(recent.Stories) != 2 || recent.Next == "" {
		t.Errorf("stories page: %d, next %q", len(recent.Stories), recent.Next)
	}
	var rest StoryList
	e.get("/api/v1/stories?limit=2&cursor="+url.QueryEscape(recent.Next), &rest)
	if len(rest.Stories) != 2 || rest.Stories[0].ID == recent.Stories[0].ID {
		t.Errorf("stories page 2: %+v", rest.Stories)
	}
	var later StoryList
	e.get("/api/v1/stories?since=2026-03-11", &later)
	if len(later.Stories) != 0 {
		t.Errorf("stories since 2026-03-11: %d", len(later.Stories))
	}
	e.problem("GET", "/api/v1/stories?order=loudest", nil, 400)

	var sd StoryDetail
	e.get("/api/v1/stories/"+sl.Stories[0].ID, &sd)
	if sd.Story.ID != sl.Stories[0].ID || len(sd.Articles) != 3 {
		t.Errorf("story: %+v", sd)
	}
	for i := 1; i < len(sd.Articles); i++ {
		if sd.Articles[i].Published.Before(sd.Articles[i-1].Published) {
			t.Errorf("story articles out of time order")
		}
	}
	e.problem("GET", "/api/v1/stories/snope", nil, 404)

	var cl CopyList
	e.get("/api/v1/copies", &cl)
	if cl.Total != 1 || len(cl.Groups) != 1 || len(cl.Groups[0].Members) != 2 {
		t.Errorf("copies: %+v", cl)
	}
	var cl2 CopyList
	e.get("/api/v1/copies?offset=1", &cl2)
	if len(cl2.Groups) != 0 || cl2.Total != 1 {
		t.Errorf("copies offset 1: %+v", cl2)
	}

	var el EntityList
	e.get("/api/v1/entities", &el)
	if len(el.Entities) == 0 {
		t.Fatal("no entities")
	}
	top := el.Entities[0]
	var typed EntityList
	e.get("/api/v1/entities?type="+top.Type+"&limit=3", &typed)
	if len(typed.Entities) == 0 || len(typed.Entities) > 3 {
		t.Errorf("entities of type %s: %d", top.Type, len(typed.Entities))
	}
	for _, x := range typed.Entities {
		if x.Type != top.Type {
			t.Errorf("type filter: %+v", x)
		}
	}
	var none EntityList
	e.get("/api/v1/entities?since=2026-04-01", &none)
	if len(none.Entities) != 0 {
		t.Errorf("entities since April: %d", len(none.Entities))
	}
	e.problem("GET", "/api/v1/entities?type=planet", nil, 400)
	// A story's entities count only its articles.
	var biggest StoryList
	e.get("/api/v1/stories?order=size&limit=1", &biggest)
	var inStory, noStory EntityList
	e.get("/api/v1/entities?story="+url.QueryEscape(biggest.Stories[0].ID), &inStory)
	if len(inStory.Entities) == 0 || inStory.Entities[0].Articles > biggest.Stories[0].Articles {
		t.Errorf("story %s (%d articles): entities %+v", biggest.Stories[0].ID, biggest.Stories[0].Articles, inStory.Entities)
	}
	e.get("/api/v1/entities?story=no-such-story", &noStory)
	if len(noStory.Entities) != 0 {
		t.Errorf("an unknown story's entities: %+v", noStory.Entities)
	}
	var ed EntityDetail
	e.get("/api/v1/entities/"+url.PathEscape(top.Key), &ed)
	if ed.Entity.Key != top.Key || len(ed.Articles) != top.Articles {
		t.Errorf("entity %s: %d articles, want %d", top.Key, len(ed.Articles), top.Articles)
	}
	e.problem("GET", "/api/v1/entities/person:nobody-at-all", nil, 404)

	var st store.Stats
	e.get("/api/v1/stats", &st)
	if st.Articles != 8 || st.Location != "" {
		t.Errorf("stats: %d articles, location %q", st.Articles, st.Location)
	}

	var cov Coverage
	e.get("/api/v1/coverage?q=bridge&since=2026-03-08&until=2026-03-12", &cov)
	if len(cov.Buckets) != 4 || cov.Total != 3 || cov.Buckets[2].Count != 3 || !cov.Buckets[2].Start.Equal(published) {
		t.Errorf("coverage of bridge: %+v", cov)
	}
	var covAll Coverage
	e.get("/api/v1/coverage?q=bridge&all_copies=true&since=2026-03-08&until=2026-03-12", &covAll)
	if covAll.Total != 4 {
		t.Errorf("coverage with copies: %d, want 4", covAll.Total)
	}
	var every Coverage
	e.get("/api/v1/coverage", &every)                 // the last 30 days, by day
	if len(every.Buckets) != 30 || every.Total != 7 { // 8 articles, one a copy
		t.Errorf("coverage default: %d buckets, total %d", len(every.Buckets), every.Total)
	}
	var hours Coverage
	e.get("/api/v1/coverage?bucket=hour&since=2026-03-09T22:00:00Z&until=2026-03-10T02:00:00Z", &hours)
	if len(hours.Buckets) != 4 || hours.Buckets[2].Count != 7 {
		t.Errorf("coverage by hour: %+v", hours.Buckets)
	}
	e.problem("GET", "/api/v1/coverage?bucket=week", nil, 400)
	e.problem("GET", "/api/v1/coverage?bucket=hour&since=2020-01-01", nil, 400)
	e.problem("GET", "/api/v1/coverage?q=(", nil, 400)
}

func TestSubmit(t *testing.T) {
	e := newEnv(t, envOptions{})
	text := "Ferry service to Tarsen resumes\n\nThe ferry between Marrow and Tarsen sailed again on Monday after a week of storms, the harbour master said. Passengers queued from dawn.\n\nOfficials said the timetable would return to normal by Friday."
	var a article.Article
	resp := e.call("POST", "/api/v1/articles", SubmitRequest{Text: text, Published: "2026-02-01"}, 201, &a)
	if a.ID == "" || a.Title != "Ferry service to Tarsen resumes" || !a.Published.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("submitted: %s %q %v", a.ID, a.Title, a.Published)
	}
	if resp.Header.Get("Location") != "/api/v1/articles/"+a.ID || resp.Header.Get("Newsdesk-Result") != "ingested" {
		t.Errorf("headers: %v", resp.Header)
	}
	if a.Story == "" || a.DupGroup == "" {
		t.Errorf("the record has no story or group: %q %q", a.Story, a.DupGroup)
	}
	// The same again stores nothing new.
	var again article.Article
	resp = e.call("POST", "/api/v1/articles", SubmitRequest{Text: text, Published: "2026-02-01"}, 200, &again)
	if again.ID != a.ID || resp.Header.Get("Newsdesk-Result") != "unchanged" {
		t.Errorf("resubmitted: %s %s", again.ID, resp.Header.Get("Newsdesk-Result"))
	}
	var stored article.Article
	e.get("/api/v1/articles/"+a.ID, &stored)
	var feb store.ArticlePage
	e.get("/api/v1/articles?until=2026-03-01", &feb)
	if len(feb.Articles) != 1 || feb.Articles[0].ID != a.ID {
		t.Errorf("until=2026-03-01: %+v", feb.Articles)
	}

	// An HTML page with its URL.
	page := `<!doctype html><html lang="en"><head><title>Lighthouse keeper retires after forty years</title></head><body><article><h1>Lighthouse keeper retires after forty years</h1>` +
		`<p>After forty years at the Aldby light, keeper Mara Quist climbed the 112 steps for the last time on Sunday, her family beside her at the top.</p>` +
		`<p>"The sea was never the same twice," she said, handing the keys to the harbour trust, which will run the light remotely from next month.</p></article></body></html>`
	var h article.Article
	e.call("POST", "/api/v1/articles", SubmitRequest{HTML: page, URL: "https://aldby.example/lighthouse"}, 201, &h)
	if h.URL != "https://aldby.example/lighthouse" || h.Input.Format != "html" || !strings.Contains(h.Title, "Lighthouse") {
		t.Errorf("html: %q %q %q", h.URL, h.Input.Format, h.Title)
	}
	resp, raw := e.do("GET", "/api/v1/articles/"+h.ID+"/raw", nil)
	if resp.StatusCode != 200 || string(raw) != page {
		t.Errorf("raw of the submitted page: %d %q", resp.StatusCode, raw)
	}

	// Concurrent submissions are all stored.
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			txt := "Regatta day " + string(rune('A'+i)) + "\n\nBoats from " + string(rune('A'+i)) + " harbour raced around the point in a stiff breeze on Saturday, and the crowd on the pier cheered every crew home."
			resp, body := e.do("POST", "/api/v1/articles", SubmitRequest{Text: txt}, "")
			if resp.StatusCode != 201 {
				t.Errorf("concurrent submit %d: %d %s", i, resp.StatusCode, body)
			}
		}()
	}
	wg.Wait()
	var st store.Stats
	e.get("/api/v1/stats", &st)
	if st.Articles != 8+2+4 {
		t.Errorf("after submissions: %d articles, want 14", st.Articles)
	}

	e.problem("POST", "/api/v1/articles", SubmitRequest{}, 400)
	e.problem("POST", "/api/v1/articles", SubmitRequest{Text: "x", HTML: "<p>y</p>"}, 400)
	e.problem("POST", "/api/v1/articles", SubmitRequest{URL: "file:///etc/passwd"}, 400)
	e.problem("POST", "/api/v1/articles", SubmitRequest{Text: text, Published: "soon"}, 400)
	e.problem("POST", "/api/v1/articles", `{"text": "a", "extra": 1}`, 400)
	e.problem("POST", "/api/v1/articles", `{"text": `, 400)
	e.problem("POST", "/api/v1/articles", SubmitRequest{Text: "  \n  "}, 422)
	// No fetcher in the tests: a URL alone is refused, saying why.
	p := e.problem("POST", "/api/v1/articles", SubmitRequest{URL: "https://example.org/a"}, 503)
	if !strings.Contains(p.Detail, "html") {
		t.Errorf("no fetcher: %q", p.Detail)
	}
	// Not JSON: refused (a form post from another site cannot get here).
	e.problem("POST", "/api/v1/articles", "text=hello", 415, "Content-Type", "application/x-www-form-urlencoded")
	// Too large.
	big := `{"text": "` + strings.Repeat("a", maxSubmitBody) + `"}`
	e.problem("POST", "/api/v1/articles", big, 413)
}

func TestFeeds(t *testing.T) {
	e := newEnv(t, envOptions{})
	var fl FeedList
	e.get("/api/v1/feeds", &fl)
	if len(fl.Feeds) != 0 {
		t.Fatalf("feeds: %+v", fl)
	}
	var f Feed
	resp := e.call("POST", "/api/v1/feeds", FeedRequest{URL: "https://news.example/rss?x=1", Every: "30m"}, 201, &f)
	if f.URL != "https://news.example/rss?x=1" || f.Every != "30m0s" || f.EverySeconds != 1800 || f.Added.IsZero() {
		t.Errorf("followed: %+v", f)
	}
	loc := resp.Header.Get("Location")
	e.call("POST", "/api/v1/feeds", FeedRequest{URL: "https://news.example/rss?x=1"}, 200, &f)
	if f.Every != "15m0s" {
		t.Errorf("updated every: %q", f.Every)
	}
	e.call("POST", "/api/v1/feeds", FeedRequest{URL: "https://other.example/atom"}, 201, nil)
	e.get("/api/v1/feeds", &fl)
	if len(fl.Feeds) != 2 || fl.Feeds[0].URL != "https://news.example/rss?x=1" {
		t.Errorf("feeds: %+v", fl)
	}
	// Normalized as `newsdesk feeds add` does.
	e.call("POST", "/api/v1/feeds", FeedRequest{URL: "HTTPS://Other.Example/atom#top"}, 200, &f)
	if f.URL != "https://other.example/atom" {
		t.Errorf("normalized: %q", f.URL)
	}
	e.problem("POST", "/api/v1/feeds", FeedRequest{URL: "https://user:pw@x.example/feed"}, 400)
	e.problem("POST", "/api/v1/feeds", FeedRequest{URL: "ftp://x.example/"}, 400)
	e.problem("POST", "/api/v1/feeds", FeedRequest{URL: "https://x.example/", Every: "10s"}, 400)
	e.call("DELETE", loc, nil, 204, nil)
	e.problem("DELETE", loc, nil, 404)
	e.get("/api/v1/feeds", &fl)
	if len(fl.Feeds) != 1 {
		t.Errorf("after delete: %+v", fl)
	}
}

func TestTokenRule(t *testing.T) {
	const token = "s3cret-token"
	e := newEnv(t, envOptions{token: token})
	body := SubmitRequest{Text: "Harbour crane arrives\n\nA new crane for the container quay arrived by barge on Tuesday, the port authority said, and will be working by the summer."}
	p := e.problem("POST", "/api/v1/articles", body, 401)
	if !strings.Contains(p.Detail, "Bearer") {
		t.Errorf("401 detail: %q", p.Detail)
	}
	e.problem("POST", "/api/v1/articles", body, 403, "Authorization", "Bearer wrong")
	e.problem("POST", "/api/v1/articles", body, 401, "Authorization", "Basic "+token)
	e.problem("POST", "/api/v1/feeds", FeedRequest{URL: "https://a.example/feed"}, 401)
	e.problem("DELETE", "/api/v1/feeds/"+url.PathEscape("https://a.example/feed"), nil, 401)
	e.call("POST", "/api/v1/articles", body, 201, nil, "Authorization", "Bearer "+token)
	e.call("POST", "/api/v1/feeds", FeedRequest{URL: "https://a.example/feed"}, 201, nil, "Authorization", "bearer "+token)
	e.call("DELETE", "/api/v1/feeds/"+url.PathEscape("https://a.example/feed"), nil, 204, nil, "Authorization", "Bearer "+token)
	// Reads need no token.
	e.get("/api/v1/articles", nil)
	e.get("/api/v1/feeds", nil)
}

func TestProblems(t *testing.T) {
	e := newEnv(t, envOptions{fake: true})
	e.problem("GET", "/api/v1/nothing-here", nil, 404)
	resp, _ := e.do("PUT", "/api/v1/articles", nil)
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, POST" {
		t.Errorf("PUT /api/v1/articles: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	e.fake.panicStats = true
	p := e.problem("GET", "/api/v1/stats", nil, 500)
	if strings.Contains(p.Detail, "fake") {
		t.Errorf("the panic leaks: %q", p.Detail)
	}
}

func TestToError(t *testing.T) {
	a := &API{st: &fakeNewsroom{}}
	r, _ := http.NewRequest("GET", "/api/v1/articles/x", nil)
	for _, c := range []struct {
		err  error
		want int
	}{
		{store.ErrNotFound, 404},
		{errors.Join(errors.New("x"), store.ErrAmbiguous), 409},
		{store.ErrQuerySyntax, 400},
		{store.ErrReadOnly, 503},
		{context.DeadlineExceeded, 503},
		{errors.New(`sqlite: SQL logic error near "SELECT"`), 500},
	} {
		got := a.toError(r, c.err)
		if got.Status != c.want {
			t.Errorf("%v: %d, want %d", c.err, got.Status, c.want)
		}
		if strings.Contains(got.Detail, "SELECT") {
			t.Errorf("%v: detail leaks SQL: %q", c.err, got.Detail)
		}
	}
}

// TestOpenAPIMatchesRoutes: every route is in the document, every
// operation of the document is a route, and every operation is served.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := OpenAPI()
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi %v", doc["openapi"])
	}
	paths := doc["paths"].(map[string]any)
	ops := map[string]bool{}
	for p, item := range paths {
		for m, op := range item.(map[string]any) {
			ops[strings.ToUpper(m)+" "+p] = true
			o := op.(map[string]any)
			for _, param := range PathParamNames(p) {
				found := false
				for _, x := range o["parameters"].([]any) {
					found = found || x.(map[string]any)["name"] == param
				}
				if !found {
					t.Errorf("%s %s: path parameter %s is not documented", m, p, param)
				}
			}
		}
	}
	ids := map[string]bool{}
	for _, rt := range Routes() {
		key := rt.Method + " " + rt.Path
		if !ops[key] {
			t.Errorf("route %s is not in the document", key)
		}
		delete(ops, key)
		if ids[rt.ID] {
			t.Errorf("duplicate operationId %s", rt.ID)
		}
		ids[rt.ID] = true
		if !strings.HasPrefix(rt.Path, Prefix+"/") || len(rt.Status) == 0 || rt.handle == nil {
			t.Errorf("route %s is incomplete", key)
		}
		if (rt.Method != "GET") != rt.Write {
			t.Errorf("route %s: Write %v", key, rt.Write)
		}
		for _, name := range PathParamNames(rt.Path) {
			if PathParams[name] == "" {
				t.Errorf("route %s: path parameter %s has no description", key, name)
			}
		}
	}
	for op := range ops {
		t.Errorf("the document has %s, which no route serves", op)
	}
	// The API's mux serves every route of the table (and only those
	// answer something else than the catch-all 404).
	a, err := New(Options{Store: &fakeNewsroom{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range Routes() {
		path := pathParam.ReplaceAllString(rt.Path, "x")
		r, _ := http.NewRequest(rt.Method, path, nil)
		if _, pattern := a.mux.Handler(r); pattern != rt.Method+" "+rt.Path {
			t.Errorf("%s %s is served by %q", rt.Method, path, pattern)
		}
	}
	// The schemas of the document are valid JSON Schema 2020-12.
	raw, _ := json.Marshal(doc)
	v := newValidator(t, raw)
	for name := range doc["components"].(map[string]any)["schemas"].(map[string]any) {
		if _, err := v.c.Compile(docURL + "#/components/schemas/" + name); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
}

// TestEveryEndpoint runs a session over every endpoint and checks that
// each one answered with a success validated against the document.
func TestEveryEndpoint(t *testing.T) {
	e := newEnv(t, envOptions{})
	var page store.ArticlePage
	e.get("/api/v1/openapi.json", nil)
	e.get("/api/v1/articles", &page)
	id := page.Articles[0].ID
	e.get("/api/v1/articles/"+id, nil)
	e.get("/api/v1/articles/"+id+"/versions", nil)
	e.get("/api/v1/articles/"+id+"/raw", nil)
	e.call("POST", "/api/v1/articles", SubmitRequest{Text: "Night market opens\n\nStalls lined the quay on Friday night as the first night market of the season opened, organisers said, with music until midnight."}, 201, nil)
	e.get("/api/v1/search?q=market", nil)
	var sl StoryList
	e.get("/api/v1/stories", &sl)
	e.get("/api/v1/stories/"+sl.Stories[0].ID, nil)
	e.get("/api/v1/copies", nil)
	var el EntityList
	e.get("/api/v1/entities", &el)
	e.get("/api/v1/entities/"+url.PathEscape(el.Entities[0].Key), nil)
	e.get("/api/v1/stats", nil)
	e.get("/api/v1/coverage?q=market", nil)
	e.get("/api/v1/feeds", nil)
	e.call("POST", "/api/v1/feeds", FeedRequest{URL: "https://f.example/rss"}, 201, nil)
	e.call("DELETE", "/api/v1/feeds/"+url.PathEscape("https://f.example/rss"), nil, 204, nil)
	for _, rt := range Routes() {
		if !e.covered[rt.Method+" "+rt.Path] {
			t.Errorf("%s %s was not exercised with a success", rt.Method, rt.Path)
		}
	}
}

// TestSubmitURLDuringShutdown submits a URL whose page is slow to come,
// shuts the server down meanwhile, and wants the submission to finish and
// be stored before the server stops.
func TestSubmitURLDuringShutdown(t *testing.T) {
	page := `<!doctype html><html lang="en"><head><title>Tide mill turns again</title></head><body><article><h1>Tide mill turns again</h1>` +
		`<p>The restored tide mill at Marrow turned on Saturday for the first time in sixty years, grinding a sack of spelt as the ebb ran out under its wheel.</p>` +
		`<p>Volunteers spent four winters rebuilding the sluice gates, the mill trust said, and the flour will be sold at the quay market.</p></article></body></html>`
	requested := make(chan struct{}, 4)
	site := http.NewServeMux()
	site.HandleFunc("/mill", func(w http.ResponseWriter, r *http.Request) {
		requested <- struct{}{}
		time.Sleep(400 * time.Millisecond)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	})
	site.HandleFunc("/gone", http.NotFound)
	ts := httptest.NewServer(site)
	defer ts.Close()
	fo := fetch.DefaultOptions()
	fo.RespectRobots, fo.Retries, fo.PerHostInterval = false, -1, time.Millisecond
	e := newEnv(t, envOptions{fetcher: fetch.New(fo)})

	p := e.problem("POST", "/api/v1/articles", SubmitRequest{URL: ts.URL + "/gone"}, 502)
	if !strings.Contains(p.Detail, "404") {
		t.Errorf("a page that is gone: %q", p.Detail)
	}

	type result struct {
		code int
		a    article.Article
	}
	res := make(chan result, 1)
	go func() {
		resp, body := e.do("POST", "/api/v1/articles", SubmitRequest{URL: ts.URL + "/mill"})
		var a article.Article
		_ = json.Unmarshal(body, &a)
		res <- result{resp.StatusCode, a}
	}()
	<-requested
	if err := e.stop(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	r := <-res
	if r.code != 201 || r.a.Title != "Tide mill turns again" || r.a.URL != ts.URL+"/mill" || r.a.Fetched.IsZero() {
		t.Fatalf("the submission in flight: %d %q %q", r.code, r.a.Title, r.a.URL)
	}
	got, err := e.st.Get(context.Background(), r.a.ID)
	if err != nil || got.Story == "" {
		t.Errorf("not stored with its story: %v", err)
	}
}
