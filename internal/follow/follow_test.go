package follow

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/store"
	_ "github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// fakeClock is a Clock that moves only when told to.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c       chan time.Time
	at      time.Time
	stopped atomic.Bool
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }
func (t *fakeTimer) Stop() bool          { return !t.stopped.Swap(true) }

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: make(chan time.Time, 1), at: c.now.Add(d)}
	if d <= 0 {
		t.c <- c.now
		t.stopped.Store(true)
		return t
	}
	c.timers = append(c.timers, t)
	return t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	keep := c.timers[:0]
	for _, t := range c.timers {
		if t.stopped.Load() {
			continue
		}
		if !t.at.After(c.now) {
			t.stopped.Store(true)
			t.c <- c.now
			continue
		}
		keep = append(keep, t)
	}
	c.timers = keep
}

type env struct {
	st    store.Store
	nr    store.Newsroom
	ing   *api.Ingester
	clock *fakeClock
	dir   string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	e := &env{clock: newClock(), dir: dir}
	e.open(t)
	return e
}

// open opens (or reopens) the store.
func (e *env) open(t *testing.T) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(e.dir, "follow.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	nr, ok := store.AsNewsroom(st)
	if !ok {
		t.Skip("the store has no Newsroom")
	}
	e.st, e.nr = st, nr
	e.ing = &api.Ingester{Store: st}
}

func (e *env) poller(t *testing.T, mod func(*Options)) *Poller {
	t.Helper()
	fopts := FetchOptions(fetch.Options{PerHostInterval: -1, Retries: -1, Timeout: time.Minute})
	o := Options{Store: e.st, Ingester: e.ing, Fetcher: fetch.New(fopts), Clock: e.clock, Concurrency: 4}
	if mod != nil {
		mod(&o)
	}
	p, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *env) follow(t *testing.T, url string, every time.Duration) {
	t.Helper()
	if err := e.nr.PutFeed(context.Background(), store.Feed{URL: url, Every: every, Added: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
}

func (e *env) feed(t *testing.T, url string) store.Feed {
	t.Helper()
	f, err := e.nr.Feed(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (e *env) articles(t *testing.T) int {
	t.Helper()
	s, err := e.st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s.Articles
}

// site serves a feed at /feed.xml listing pages /a/N, and the pages.
type site struct {
	srv *httptest.Server

	mu       sync.Mutex
	items    []int
	etag     string // "" sends none
	ttl      int    // minutes; 0 none
	status   int    // non-zero: the feed answers this
	body     string // non-empty: the feed's body instead
	inm      []string
	pageHits map[int]int
	block    map[int]chan struct{} // pages that wait for the channel
	blocked  chan int              // told when a page starts waiting
}

func newSite(t *testing.T, items ...int) *site {
	s := &site{items: items, pageHits: map[int]int{}, block: map[int]chan struct{}{}, blocked: make(chan int, 16)}
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", s.serveFeed)
	mux.HandleFunc("/a/{n}", s.servePage)
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) url() string { return s.srv.URL + "/feed.xml" }

func (s *site) serveFeed(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inm = append(s.inm, r.Header.Get("If-None-Match"))
	if s.status != 0 {
		http.Error(w, "broken", s.status)
		return
	}
	if s.etag != "" {
		w.Header().Set("ETag", s.etag)
		if r.Header.Get("If-None-Match") == s.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", "application/rss+xml")
	if s.body != "" {
		fmt.Fprint(w, s.body)
		return
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Harbor Post</title><link>` + s.srv.URL + `</link>`)
	if s.ttl > 0 {
		fmt.Fprintf(&b, "<ttl>%d</ttl>", s.ttl)
	}
	for _, n := range s.items {
		fmt.Fprintf(&b, "<item><title>Story %d</title><link>%s/a/%d</link><guid>%s/a/%d</guid><pubDate>Tue, 10 Mar 2026 0%d:00:00 GMT</pubDate></item>",
			n, s.srv.URL, n, s.srv.URL, n, n%10)
	}
	b.WriteString("</channel></rss>")
	fmt.Fprint(w, b.String())
}

var words = strings.Fields("harbor council bridge ferry river tide market school library budget storm rail " +
	"mayor port festival museum garden bakery lantern court clinic tower canal farm")

func (s *site) servePage(w http.ResponseWriter, r *http.Request) {
	var n int
	fmt.Sscan(r.PathValue("n"), &n)
	s.mu.Lock()
	s.pageHits[n]++
	ch := s.block[n]
	s.mu.Unlock()
	if ch != nil {
		s.blocked <- n
		select {
		case <-ch:
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var body strings.Builder
	for p := range 5 {
		body.WriteString("<p>")
		for i := range 40 {
			body.WriteString(words[(n*7+p*3+i*i)%len(words)] + " ")
		}
		fmt.Fprintf(&body, "in story %d, paragraph %d, said the reporter.</p>\n", n, p)
	}
	fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><title>Story %d</title></head><body><article><h1>Story %d about the harbor</h1>%s</article></body></html>`,
		n, n, body.String())
}

func (s *site) hits(n int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pageHits[n]
}

func (s *site) set(f func(s *site)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

// waitFor waits for cond, failing after a generous limit (not a timing
// assertion: a loaded machine only makes it wait longer).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestETagAndNotModified(t *testing.T) {
	e := newEnv(t)
	s := newSite(t, 1, 2)
	s.set(func(s *site) { s.etag, s.ttl = `"v1"`, 60 })
	e.follow(t, s.url(), 15*time.Minute)
	var polls []string
	var items = map[string]int{}
	p := e.poller(t, func(o *Options) {
		o.OnPoll = func(o string) { polls = append(polls, o) }
		o.OnItems = func(r string, n int) { items[r] += n }
	})
	ctx := context.Background()

	f, err := p.PollNow(ctx, s.url())
	if err != nil {
		t.Fatal(err)
	}
	if f.LastStatus != StatusOK || f.ItemsSeen != 2 || f.ItemsStored != 2 || f.ETag != `"v1"` || f.LastError != "" || f.Failures != 0 {
		t.Fatalf("first poll: %+v", f)
	}
	// The feed's <ttl> (60 minutes) is longer than the interval (15m).
	if got := f.NextPoll.Sub(f.LastPoll); got != time.Hour {
		t.Errorf("next poll in %v, want the feed's ttl 1h", got)
	}
	if e.articles(t) != 2 || s.hits(1) != 1 || s.hits(2) != 1 {
		t.Fatalf("articles %d, page hits %d %d", e.articles(t), s.hits(1), s.hits(2))
	}

	e.clock.Advance(time.Hour)
	f, err = p.PollNow(ctx, s.url())
	if err != nil {
		t.Fatal(err)
	}
	if f.LastStatus != StatusNotModified || f.ItemsStored != 2 || f.ItemsSeen != 2 || f.ETag != `"v1"` {
		t.Fatalf("second poll: %+v", f)
	}
	if got := s.inm[len(s.inm)-1]; got != `"v1"` {
		t.Errorf("second poll sent If-None-Match %q", got)
	}
	if e.articles(t) != 2 || s.hits(1) != 1 || s.hits(2) != 1 {
		t.Errorf("a 304 fetched pages: articles %d, page hits %d %d", e.articles(t), s.hits(1), s.hits(2))
	}

	// The feed changes: only the new entry's page is fetched.
	s.set(func(s *site) { s.etag, s.items = `"v2"`, []int{3, 1, 2} })
	e.clock.Advance(time.Hour)
	f, _ = p.PollNow(ctx, s.url())
	if f.LastStatus != StatusOK || f.ItemsSeen != 3 || f.ItemsStored != 3 || f.ETag != `"v2"` {
		t.Fatalf("third poll: %+v", f)
	}
	if e.articles(t) != 3 || s.hits(1) != 1 || s.hits(3) != 1 {
		t.Errorf("articles %d, page hits %d %d", e.articles(t), s.hits(1), s.hits(3))
	}
	if want := []string{"ok", "not-modified", "ok"}; strings.Join(polls, " ") != strings.Join(want, " ") {
		t.Errorf("poll outcomes %v, want %v", polls, want)
	}
	if items["new"] != 3 || items["known"] != 2 {
		t.Errorf("items %v, want 3 new and 2 known", items)
	}

	// A server that ignores the validators: the whole feed again, and
	// nothing stored.
	s.set(func(s *site) { s.etag = "" })
	e.clock.Advance(time.Hour)
	f, _ = p.PollNow(ctx, s.url())
	if f.LastStatus != StatusOK || f.ItemsStored != 3 || e.articles(t) != 3 || s.hits(1)+s.hits(2)+s.hits(3) != 3 {
		t.Errorf("re-poll without ETag: %+v, articles %d", f, e.articles(t))
	}
}

func TestFailingFeedBacksOffAndRecovers(t *testing.T) {
	e := newEnv(t)
	s := newSite(t, 1)
	e.follow(t, s.url(), time.Minute)
	p := e.poller(t, nil)
	ctx := context.Background()
	if f, _ := p.PollNow(ctx, s.url()); f.LastStatus != StatusOK || f.ItemsStored != 1 {
		t.Fatalf("first poll: %+v", f)
	}
	s.set(func(s *site) { s.status = http.StatusInternalServerError })
	var gaps []time.Duration
	for i := 1; i <= 4; i++ {
		e.clock.Advance(time.Hour)
		f, _ := p.PollNow(ctx, s.url())
		if f.LastStatus != StatusError || f.Failures != i {
			t.Fatalf("failure %d: %+v", i, f)
		}
		if !strings.Contains(f.LastError, s.url()) || !strings.Contains(f.LastError, "500") {
			t.Errorf("last error %q does not name the feed and the status", f.LastError)
		}
		gaps = append(gaps, f.NextPoll.Sub(f.LastPoll))
	}
	for i, g := range gaps {
		lo := time.Minute << i
		if g < lo || g > lo+lo/4 {
			t.Errorf("failure %d: next poll in %v, want %v plus up to a quarter", i+1, g, lo)
		}
		if i > 0 && g <= gaps[i-1] {
			t.Errorf("backoff did not grow: %v", gaps)
		}
	}
	if e.articles(t) != 1 {
		t.Errorf("articles %d after failures", e.articles(t))
	}
	s.set(func(s *site) { s.status = 0; s.items = []int{2, 1} })
	e.clock.Advance(time.Hour)
	f, _ := p.PollNow(ctx, s.url())
	if f.LastStatus != StatusOK || f.Failures != 0 || f.LastError != "" || f.NextPoll.Sub(f.LastPoll) != time.Minute || f.ItemsStored != 2 {
		t.Errorf("recovered: %+v", f)
	}

	// The backoff is capped.
	p2 := e.poller(t, func(o *Options) { o.MaxBackoff = 10 * time.Minute })
	for i := 0; i < 20; i++ {
		if d := p2.backoff(time.Minute, i+1, 0); d > 10*time.Minute {
			t.Fatalf("backoff %v over the cap", d)
		}
	}
	if d := p2.backoff(time.Minute, 1, 3*time.Minute); d < 3*time.Minute {
		t.Errorf("backoff %v shorter than Retry-After", d)
	}
}

func TestMalformedFeed(t *testing.T) {
	e := newEnv(t)
	s := newSite(t, 1, 2)
	s.set(func(s *site) { s.etag = `"good"` })
	e.follow(t, s.url(), time.Minute)
	p := e.poller(t, nil)
	ctx := context.Background()
	if f, _ := p.PollNow(ctx, s.url()); f.LastStatus != StatusOK || f.ItemsStored != 2 {
		t.Fatalf("first poll: %+v", f)
	}
	for _, body := range []string{
		"<!DOCTYPE html><html><body><p>We moved our feed.</p></body></html>",
		`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Broken`,
	} {
		s.set(func(s *site) { s.etag, s.body = `"bad"`, body })
		e.clock.Advance(time.Hour)
		f, _ := p.PollNow(ctx, s.url())
		if f.LastStatus != StatusError || f.Failures == 0 {
			t.Errorf("malformed feed: %+v", f)
		}
		if !strings.Contains(f.LastError, s.url()) || !strings.Contains(f.LastError, "malformed") {
			t.Errorf("last error %q: want the feed's URL and 'malformed'", f.LastError)
		}
		if f.ETag != `"good"` {
			t.Errorf("the ETag of a malformed feed was kept: %q", f.ETag)
		}
		if f.ItemsStored != 2 || e.articles(t) != 2 {
			t.Errorf("stored %d, articles %d", f.ItemsStored, e.articles(t))
		}
	}
	a, err := e.st.Get(ctx, article.ComputeID(&article.Article{URL: s.srv.URL + "/a/1"}))
	if err != nil || !strings.Contains(a.Title, "Story 1") {
		t.Errorf("earlier article: %v %v", a, err)
	}
}

func TestSlowFeedDoesNotBlockOthers(t *testing.T) {
	e := newEnv(t)
	slow, fast1, fast2 := newSite(t, 1), newSite(t, 2), newSite(t, 3)
	release := make(chan struct{})
	slow.set(func(s *site) { s.block[1] = release })
	for _, s := range []*site{slow, fast1, fast2} {
		e.follow(t, s.url(), 10*time.Minute)
	}
	// Two slots for three feeds: the slow feed holds one, and both fast
	// feeds go through the other.
	p := e.poller(t, func(o *Options) { o.Concurrency = 2 })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	<-slow.blocked
	waitFor(t, "the fast feeds", func() bool {
		return e.feed(t, fast1.url()).LastStatus == StatusOK && e.feed(t, fast2.url()).LastStatus == StatusOK
	})
	if f := e.feed(t, slow.url()); !f.LastPoll.IsZero() {
		t.Fatalf("the slow feed finished while blocked: %+v", f)
	}
	close(release)
	waitFor(t, "the slow feed", func() bool { return e.feed(t, slow.url()).LastStatus == StatusOK })
	if n := e.articles(t); n != 3 {
		t.Errorf("articles %d", n)
	}
	// The schedule: nothing is due until the interval passes.
	for _, s := range []*site{slow, fast1, fast2} {
		if f := e.feed(t, s.url()); f.NextPoll.Sub(f.LastPoll) != 10*time.Minute {
			t.Errorf("%s: next poll %v after the last", s.url(), f.NextPoll.Sub(f.LastPoll))
		}
	}
	fast1.set(func(s *site) { s.items = []int{4, 2} })
	e.clock.Advance(10 * time.Minute)
	waitFor(t, "the second round", func() bool { return e.feed(t, fast1.url()).ItemsStored == 2 })
	if got := len(fast1.inm); got != 2 {
		t.Errorf("fast feed fetched %d times", got)
	}
}

func TestShutdownMidPoll(t *testing.T) {
	e := newEnv(t)
	s := newSite(t, 1, 2)
	release := make(chan struct{})
	s.set(func(s *site) { s.etag = `"v1"`; s.block[2] = release })
	e.follow(t, s.url(), time.Minute)
	p := e.poller(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	<-s.blocked // page 2 is being fetched
	cancel()
	<-done
	f := e.feed(t, s.url())
	if f.ETag != "" || f.LastStatus != "" || !f.NextPoll.IsZero() {
		t.Errorf("an interrupted poll advanced the feed: %+v", f)
	}
	first := e.articles(t)

	// Restart (the store reopened, as a new process would) with the page
	// answering again.
	e.st.Close()
	e.open(t)
	s.set(func(s *site) { delete(s.block, 2) })
	close(release)
	p = e.poller(t, nil)
	f, err := p.PollNow(context.Background(), s.url())
	if err != nil {
		t.Fatal(err)
	}
	if f.LastStatus != StatusOK || f.ItemsStored != 2 || f.ETag != `"v1"` {
		t.Fatalf("after restart (%d stored before): %+v", first, f)
	}
	if n := e.articles(t); n != 2 {
		t.Errorf("articles %d, want 2", n)
	}
	for _, n := range []int{1, 2} {
		vs, err := e.st.Versions(context.Background(), article.ComputeID(&article.Article{URL: fmt.Sprintf("%s/a/%d", s.srv.URL, n)}))
		if err != nil || len(vs) != 1 {
			t.Errorf("article %d: %d versions, %v", n, len(vs), err)
		}
	}
	// Polled in full again: nothing new.
	s.set(func(s *site) { s.etag = "" })
	e.clock.Advance(time.Hour)
	f, _ = p.PollNow(context.Background(), s.url())
	if f.ItemsStored != 2 || e.articles(t) != 2 {
		t.Errorf("re-poll stored more: %+v", f)
	}
}

func TestHints(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"Cache-Control": {"public, max-age=1800"}}, 30 * time.Minute},
		{http.Header{"Cache-Control": {"no-cache"}, "Expires": {now.Add(time.Hour).Format(http.TimeFormat)}}, 0},
		{http.Header{"Expires": {now.Add(time.Hour).Format(http.TimeFormat)}}, time.Hour},
		{http.Header{"Expires": {"0"}}, 0},
		{nil, 0},
	} {
		if got := httpHint(c.h, now); got != c.want {
			t.Errorf("httpHint(%v) = %v, want %v", c.h, got, c.want)
		}
	}
	for body, want := range map[string]time.Duration{
		`<rss><channel><ttl>90</ttl><item><ttl>5000</ttl></item></channel></rss>`:                                                                                                  90 * time.Minute,
		`<rss xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency></channel></rss>`: 6 * time.Hour,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>`:                                                                                                                0,
		`{"version":"https://jsonfeed.org/version/1.1"}`:                                                                                                                           0,
	} {
		if got := feedHint([]byte(body)); got != want {
			t.Errorf("feedHint(%s) = %v, want %v", body, got, want)
		}
	}
}

// A poll paces itself between chunks (not after the last one), with how
// long each chunk took, and stores everything.
func TestPollPacesBetweenChunks(t *testing.T) {
	e := newEnv(t)
	s := newSite(t, 1, 2, 3, 4, 5)
	e.follow(t, s.url(), 15*time.Minute)
	var worked []time.Duration
	p := e.poller(t, func(o *Options) {
		o.Chunk = 2
		o.Pace = func(_ context.Context, d time.Duration) { worked = append(worked, d) }
	})
	f, err := p.PollNow(context.Background(), s.url())
	if err != nil || f.ItemsStored != 5 {
		t.Fatalf("poll: %+v, %v", f, err)
	}
	if len(worked) != 2 {
		t.Fatalf("paced %d times for 3 chunks, want 2", len(worked))
	}
	for _, d := range worked {
		if d <= 0 {
			t.Errorf("a chunk took %v", d)
		}
	}
}

func TestYield(t *testing.T) {
	busy := false
	pace := Yield(func() bool { return busy }, 2*time.Second)
	start := time.Now()
	pace(context.Background(), time.Hour)
	if d := time.Since(start); d > time.Second {
		t.Errorf("idle: waited %v, want no wait", d)
	}
	busy = true
	start = time.Now()
	pace(context.Background(), time.Hour)
	if d := time.Since(start); d < 2*time.Second {
		t.Errorf("busy: waited %v, want the cap, 2s", d)
	}
	start = time.Now()
	pace(context.Background(), 20*time.Millisecond)
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("busy: waited %v, want as long as the chunk took, 20ms", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start = time.Now()
	Yield(func() bool { return true }, time.Hour)(ctx, time.Hour)
	if d := time.Since(start); d > time.Second {
		t.Errorf("cancelled: waited %v", d)
	}
}
