package follow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/pgtest"
	"github.com/newsdesk/newsdesk/internal/store"
	_ "github.com/newsdesk/newsdesk/internal/store/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// newsroomSites serves several feeds from one server, /feed/N.xml listing
// pages /feed/N/a/I, and records every feed request: when, and from which
// instance (its User-Agent).
type newsroomSites struct {
	srv *httptest.Server

	mu      sync.Mutex
	items   map[int][]int // feed → its items
	fetches map[int][]feedFetch
	hits    map[string]int // page path → requests
}

type feedFetch struct {
	at    time.Time
	agent string
}

func newNewsroomSites(t *testing.T, feeds, items int) *newsroomSites {
	s := &newsroomSites{items: map[int][]int{}, fetches: map[int][]feedFetch{}, hits: map[string]int{}}
	for n := range feeds {
		for i := range items {
			s.items[n] = append(s.items[n], i)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/feed/{n}", s.serveFeed)
	mux.HandleFunc("/feed/{n}/a/{i}", s.servePage)
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *newsroomSites) url(n int) string { return fmt.Sprintf("%s/feed/%d.xml", s.srv.URL, n) }

func (s *newsroomSites) serveFeed(w http.ResponseWriter, r *http.Request) {
	var n int
	fmt.Sscanf(r.PathValue("n"), "%d.xml", &n)
	s.mu.Lock()
	s.fetches[n] = append(s.fetches[n], feedFetch{at: time.Now(), agent: r.UserAgent()})
	items := slices.Clone(s.items[n])
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/rss+xml")
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Desk %d</title><link>%s</link>`, n, s.srv.URL)
	for _, i := range items {
		fmt.Fprintf(&b, "<item><title>Valley report %d.%d</title><link>%s/feed/%d/a/%d</link><pubDate>Wed, 11 Mar 2026 %02d:%02d:00 GMT</pubDate></item>",
			n, i, s.srv.URL, n, i, n, i)
	}
	b.WriteString("</channel></rss>")
	fmt.Fprint(w, b.String())
}

var valleyWords = strings.Fields("orchard quarry ferry council meadow bakery signal weir mill granary bridge " +
	"lantern parish beacon harvest tannery chapel wharf kiln cooper loom")

func (s *newsroomSites) servePage(w http.ResponseWriter, r *http.Request) {
	var n, i int
	fmt.Sscan(r.PathValue("n"), &n)
	fmt.Sscan(r.PathValue("i"), &i)
	s.mu.Lock()
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	var body strings.Builder
	for p := range 4 {
		body.WriteString("<p>")
		for k := range 36 {
			body.WriteString(valleyWords[(n*11+i*5+p*3+k*k)%len(valleyWords)] + " ")
		}
		fmt.Fprintf(&body, "wrote the valley desk %d in report %d, part %d.</p>\n", n, i, p)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><title>Valley report %d.%d</title></head><body><article><h1>Valley report %d.%d</h1>%s</article></body></html>`,
		n, i, n, i, body.String())
}

func (s *newsroomSites) addItem(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for n := range s.items {
		s.items[n] = append(s.items[n], i)
	}
}

// instance is one `newsdesk serve` of several sharing a database: its own
// store handle, Ingester, fetch client and Poller, on the real clock.
type instance struct {
	name string
	st   store.Store
	p    *Poller
}

func newInstance(t *testing.T, dsn, name string, lease time.Duration) *instance {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fopts := FetchOptions(fetch.Options{PerHostInterval: -1, Retries: -1, Timeout: 20 * time.Second, UserAgent: name})
	p, err := New(Options{Store: st, Ingester: &api.Ingester{Store: st}, Fetcher: fetch.New(fopts), Holder: name, Lease: lease})
	if err != nil {
		t.Fatal(err)
	}
	return &instance{name: name, st: st, p: p}
}

// run polls until the returned stop is called.
func (in *instance) run() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { in.p.Run(ctx); close(done) }()
	return func() { cancel(); <-done }
}

func sharedDatabases(t *testing.T, check func(t *testing.T, dsn string)) {
	t.Run("SQLite", func(t *testing.T) { check(t, filepath.Join(t.TempDir(), "shared.db")) })
	t.Run("PostgreSQL", func(t *testing.T) { check(t, pgtest.DSN(t)) })
}

// TestInstancesPollEachFeedOnce: two instances following five feeds every
// 200ms poll each feed once per period between them (never both in one
// period) and store each item once.
func TestInstancesPollEachFeedOnce(t *testing.T) {
	sharedDatabases(t, func(t *testing.T, dsn string) {
		const (
			feeds = 5
			every = 200 * time.Millisecond
			run   = 3 * time.Second
		)
		ctx := context.Background()
		sites := newNewsroomSites(t, feeds, 3)
		a := newInstance(t, dsn, "instance-a", 2*time.Second)
		b := newInstance(t, dsn, "instance-b", 2*time.Second)
		nr, _ := store.AsNewsroom(a.st)
		for n := range feeds {
			if err := nr.PutFeed(ctx, store.Feed{URL: sites.url(n), Every: every}); err != nil {
				t.Fatal(err)
			}
		}
		started := time.Now()
		stopA, stopB := a.run(), b.run()
		time.Sleep(run / 2)
		sites.addItem(3) // a new item half way
		time.Sleep(run / 2)
		stopA()
		stopB()
		elapsed := time.Since(started)

		sites.mu.Lock()
		defer sites.mu.Unlock()
		byAgent := map[string]int{}
		for n := range feeds {
			fs := sites.fetches[n]
			// A fetch starts at least a period after the previous poll
			// started, which was just before its own fetch reached the
			// server: a gap well under a period is two polls in one.
			for k := 1; k < len(fs); k++ {
				if gap := fs[k].at.Sub(fs[k-1].at); gap < every/4 {
					t.Errorf("feed %d fetched twice within %v (by %s, then %s): two polls in one period",
						n, gap, fs[k-1].agent, fs[k].agent)
				}
			}
			if max := int(elapsed/every) + 2; len(fs) > max {
				t.Errorf("feed %d fetched %d times in %v, more than once per %v period (%d)", n, len(fs), elapsed, every, max)
			}
			if len(fs) < 4 {
				t.Errorf("feed %d fetched only %d times in %v", n, len(fs), elapsed)
			}
			for _, f := range fs {
				byAgent[f.agent]++
			}
		}
		t.Logf("feed fetches by instance: %v", byAgent)
		if byAgent[a.name] == 0 || byAgent[b.name] == 0 {
			t.Errorf("one instance did all the polls (%v): no contention was tested", byAgent)
		}
		// Each page fetched once, each item stored once.
		for n := range feeds {
			for i := range 4 {
				if h := sites.hits[fmt.Sprintf("/feed/%d/a/%d", n, i)]; h != 1 {
					t.Errorf("page %d.%d fetched %d times", n, i, h)
				}
				id := article.ComputeID(&article.Article{URL: fmt.Sprintf("%s/feed/%d/a/%d", sites.srv.URL, n, i)})
				if vs, err := a.st.Versions(ctx, id); err != nil || len(vs) != 1 {
					t.Errorf("page %d.%d: %d stored versions, %v", n, i, len(vs), err)
				}
			}
		}
		stats, err := a.st.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := feeds * 4; stats.Articles != want {
			t.Errorf("%d articles stored, want %d", stats.Articles, want)
		}
		fs, err := nr.Feeds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.ItemsStored != 4 || f.LastStatus != StatusOK {
				t.Errorf("%s: status %q, %d items stored, want ok and 4", f.URL, f.LastStatus, f.ItemsStored)
			}
		}
	})
}

// TestDeadInstanceLeaseExpires: an instance that died holding a feed's
// lease keeps the feed from the others only until the lease ends.
func TestDeadInstanceLeaseExpires(t *testing.T) {
	sharedDatabases(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		sites := newNewsroomSites(t, 1, 2)
		survivor := newInstance(t, dsn, "survivor", time.Second)
		nr, _ := store.AsNewsroom(survivor.st)
		leaser, ok := store.AsFeedLeaser(survivor.st)
		if !ok {
			t.Fatalf("%T is not a store.FeedLeaser", survivor.st)
		}
		url := sites.url(0)
		if err := nr.PutFeed(ctx, store.Feed{URL: url, Every: 200 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		expiry := now.Add(1500 * time.Millisecond)
		if ok, err := leaser.LeaseFeed(ctx, url, "crashed-instance", expiry, now); err != nil || !ok {
			t.Fatalf("the dead instance's lease: %v, %v", ok, err)
		}
		if _, err := survivor.p.PollNow(ctx, url); !errors.Is(err, ErrLeased) {
			t.Fatalf("PollNow of a leased feed: %v, want ErrLeased", err)
		}
		stop := survivor.run()
		defer stop()
		waitFor(t, "the survivor's poll", func() bool {
			f, err := nr.Feed(ctx, url)
			return err == nil && f.LastStatus == StatusOK
		})
		waitFor(t, "a second poll", func() bool {
			sites.mu.Lock()
			defer sites.mu.Unlock()
			return len(sites.fetches[0]) >= 2
		})
		stop()
		sites.mu.Lock()
		defer sites.mu.Unlock()
		if first := sites.fetches[0][0].at; first.Before(expiry) {
			t.Errorf("polled %v before the dead instance's lease ended", expiry.Sub(first))
		}
		if got := sites.hits["/feed/0/a/0"] + sites.hits["/feed/0/a/1"]; got != 2 {
			t.Errorf("%d page fetches, want 2", got)
		}
	})
}

// TestLostLeaseStopsThePoll: a poll whose lease was taken by another
// instance (a renewal came too late) stops, and its feed is not advanced.
func TestLostLeaseStopsThePoll(t *testing.T) {
	e := newEnv(t)
	s := newSite(t, 1, 2)
	release := make(chan struct{})
	defer close(release)
	s.set(func(s *site) { s.etag = `"v1"`; s.block[2] = release })
	e.follow(t, s.url(), time.Minute)
	p := e.poller(t, func(o *Options) { o.Holder, o.Lease = "slow-instance", 30*time.Second })
	polled := make(chan error, 1)
	go func() {
		_, err := p.PollNow(context.Background(), s.url())
		polled <- err
	}()
	<-s.blocked // page 2 is being fetched, under the lease

	// Another instance finds the lease ended (its clock, or the renewal,
	// late) and takes it.
	leaser, _ := store.AsFeedLeaser(e.st)
	now := e.clock.Now()
	if ok, err := leaser.LeaseFeed(context.Background(), s.url(), "other-instance", now.Add(time.Hour), now.Add(31*time.Second)); err != nil || !ok {
		t.Fatalf("taking the expired lease: %v, %v", ok, err)
	}
	// The renewal comes due (again, should its timer be made after an
	// advance), finds the lease taken, and stops the poll.
	deadline := time.Now().Add(30 * time.Second)
	for stopped := false; !stopped; {
		e.clock.Advance(10 * time.Second)
		select {
		case err := <-polled:
			if err != nil {
				t.Fatal(err)
			}
			stopped = true
		case <-time.After(20 * time.Millisecond):
			if time.Now().After(deadline) {
				t.Fatal("the poll went on without its lease")
			}
		}
	}
	f := e.feed(t, s.url())
	if f.ETag != "" || f.LastStatus != "" || !f.NextPoll.IsZero() {
		t.Errorf("a poll that lost its lease advanced the feed: %+v", f)
	}
	// The other instance's lease stands.
	if ok, err := leaser.LeaseFeed(context.Background(), s.url(), "slow-instance", now.Add(time.Hour), now); err != nil || ok {
		t.Errorf("the new holder's lease was released by the old one: %v, %v", ok, err)
	}
}
