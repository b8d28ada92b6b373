// Package follow polls the feeds a store follows (store.Newsroom's feeds)
// on their schedules and ingests their new items through the same pipeline
// as `newsdesk ingest`, sharing the server's api.Ingester.
//
// Scheduling. Each feed is polled when its NextPoll is due (a feed never
// polled is due at once). After a good poll the next one is the longer of
// the feed's interval and the feed's own hint (RSS <ttl>,
// sy:updatePeriod/sy:updateFrequency, HTTP Cache-Control max-age or
// Expires), the hint capped at Options.MaxHint. After a failed poll it is
// the interval doubled for each consecutive failure, with jitter, capped at
// Options.MaxBackoff (and never sooner than a Retry-After). At most
// Options.Concurrency feeds are polled at once, so a slow feed holds up
// only its own slot. Requests go through the fetch client: its timeouts,
// size cap, per-host spacing, robots.txt and User-Agent.
//
// Conditional requests. The stored ETag and Last-Modified are sent as
// If-None-Match and If-Modified-Since; a 304 is the status "not-modified"
// and nothing else is fetched.
//
// Nothing lost, nothing twice. An entry is new when its URL is neither in
// the feed's seen list (a store state blob, "follow.seen " + the feed URL,
// written after the entry's article is stored) nor the URL of a stored
// article; new entries are fetched (the feed's own content is the
// fallback, as for ingest) and stored in chunks, each chunk in one
// pipeline run under the Ingester's mutex. The ETag and Last-Modified
// advance only when every new entry was stored, so a poll cut short by a
// shutdown or a failed item is done again at the next poll; what was
// already stored is then skipped (and a page whose URL the seen list
// misses comes back "unchanged" from the store).
//
// Status. After each poll the feed's LastPoll, LastStatus ("ok",
// "not-modified", "error"), LastError, NextPoll, Failures, ItemsSeen and
// ItemsStored (cumulative new articles) are written. The feed is read again
// just before, and the write skipped when it is gone: a `feeds remove`
// wins, except when it falls between that read and the write (the feed is
// then back, with its status; remove it again). An interval changed during
// the poll is kept.
//
// Several instances. Servers sharing a database (a store.FeedLeaser) poll
// each feed one at a time: a poller takes the feed's lease (Options.Holder,
// for Options.Lease, renewed while the poll runs) before polling it, reads
// the feed again under the lease and skips it when another instance polled
// it meanwhile (its NextPoll is then ahead), writes the feed's status (its
// NextPoll among it) and only then releases the lease. A feed whose lease
// another instance holds is tried again after a quarter of a lease (or its
// interval, when shorter); the lease of an instance that died ends by
// itself. A lease lost during a poll (it could not be renewed in time, and
// another instance took it) cancels the poll.
package follow

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	mathrand "math/rand/v2"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Defaults for zero Options fields.
const (
	DefaultConcurrency = 4
	DefaultEvery       = 15 * time.Minute
	DefaultMaxHint     = 6 * time.Hour
	DefaultMaxBackoff  = 6 * time.Hour
	DefaultRescan      = 30 * time.Second
	DefaultChunk       = 32
	// DefaultLease outlasts a poll's feed request with the fetch client's
	// default timeout twice over, with a margin; a longer poll renews it.
	DefaultLease = 2*fetch.DefaultTimeout + 30*time.Second
)

// ErrLeased is PollNow's error when another instance is polling the feed.
var ErrLeased = errors.New("follow: another instance is polling the feed")

// Poll statuses.
const (
	StatusOK          = "ok"
	StatusNotModified = "not-modified"
	StatusError       = "error"
)

// Options configure a Poller.
type Options struct {
	Store    store.Store   // required; must be a store.Newsroom
	Ingester *api.Ingester // required: the process's one Ingester
	// Fetcher fetches feeds and pages; make it with FetchOptions for
	// conditional requests. Required.
	Fetcher *fetch.Client
	// Concurrency bounds the feeds polled at once (default 4).
	Concurrency int
	// Chunk is how many new entries are fetched, then stored in one
	// pipeline run (default 32).
	Chunk int
	// MaxHint caps a feed's own TTL hint (default 6h); MaxBackoff caps the
	// wait after failures (default 6h); Rescan is how often the list of
	// feeds is read again for feeds added or changed (default 30s).
	MaxHint, MaxBackoff, Rescan time.Duration
	// Holder names this instance in feed leases (default: the host name,
	// the process id and a random suffix); Lease is a lease's length
	// (default DefaultLease), renewed every third of it while a poll
	// runs. Both matter only with a store.FeedLeaser.
	Holder string
	Lease  time.Duration
	// Pace, when set, is called after each chunk is stored, with how long
	// the chunk took, and may wait: a server passes one that yields the
	// CPU to its readers while they are busy (see Yield).
	Pace  func(ctx context.Context, worked time.Duration)
	Clock Clock        // nil: SystemClock
	Log   *slog.Logger // nil discards

	// Metrics hooks, each optional.
	OnPoll    func(outcome string)         // ok, not-modified, error
	OnItems   func(result string, n int)   // entries seen: new, known
	OnStored  func(result string, n int)   // ingested, updated, unchanged
	OnFailure func(kind string, err error) // poll (the feed), item (one entry)
}

// Poller polls followed feeds.
type Poller struct {
	o      Options
	nr     store.Newsroom
	leaser store.FeedLeaser // nil: this process is the store's only poller

	mu        sync.Mutex
	notBefore map[string]time.Time // next poll as computed, if the status write failed
	polling   map[string]bool
}

// New returns a Poller.
func New(o Options) (*Poller, error) {
	nr, ok := store.AsNewsroom(o.Store)
	switch {
	case !ok:
		return nil, errors.New("follow: the store cannot follow feeds (no store.Newsroom)")
	case o.Ingester == nil:
		return nil, errors.New("follow: no Ingester")
	case o.Fetcher == nil:
		return nil, errors.New("follow: no Fetcher")
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Chunk <= 0 {
		o.Chunk = DefaultChunk
	}
	if o.MaxHint <= 0 {
		o.MaxHint = DefaultMaxHint
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	if o.Rescan <= 0 {
		o.Rescan = DefaultRescan
	}
	if o.Clock == nil {
		o.Clock = SystemClock{}
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.Holder == "" {
		o.Holder = instanceID()
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	leaser, _ := store.AsFeedLeaser(o.Store)
	return &Poller{o: o, nr: nr, leaser: leaser, notBefore: map[string]time.Time{}, polling: map[string]bool{}}, nil
}

// instanceID names this process among the instances sharing a database:
// readable (host and pid) and unique (a random suffix, should pids repeat
// across containers).
func instanceID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), rand.Text()[:8])
}

// Run polls the feeds on their schedules until ctx ends, then waits for the
// polls in flight to stop (they are cancelled: what they stored stays, the
// rest is fetched again at the next start) and returns.
func (p *Poller) Run(ctx context.Context) {
	done := make(chan string, p.o.Concurrency)
	var wg sync.WaitGroup
	defer wg.Wait()
	running := 0
	for {
		wait := p.o.Rescan
		feeds, err := p.nr.Feeds(ctx)
		if err != nil && ctx.Err() == nil {
			p.o.Log.Error("follow: reading the feeds", "err", err)
		}
		now := p.o.Clock.Now()
		p.mu.Lock()
		var due []store.Feed
		for _, f := range feeds {
			if p.polling[f.URL] {
				continue
			}
			next := f.NextPoll
			if nb := p.notBefore[f.URL]; nb.After(next) {
				next = nb
			}
			if !next.After(now) {
				f.NextPoll = next
				due = append(due, f)
			} else if d := next.Sub(now); d < wait {
				wait = d
			}
		}
		// The longest overdue first.
		slices.SortStableFunc(due, func(a, b store.Feed) int { return a.NextPoll.Compare(b.NextPoll) })
		for _, f := range due {
			if running >= p.o.Concurrency || ctx.Err() != nil {
				break
			}
			running++
			p.polling[f.URL] = true
			wg.Go(func() {
				if err := p.pollLeased(ctx, f, false); err != nil && !errors.Is(err, ErrLeased) && ctx.Err() == nil {
					p.o.Log.Error("follow: polling a feed", "feed", f.URL, "err", err)
				}
				done <- f.URL
			})
		}
		p.mu.Unlock()
		t := p.o.Clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			for running > 0 {
				p.finished(<-done)
				running--
			}
			return
		case u := <-done:
			p.finished(u)
			running--
		case <-t.C():
		}
		t.Stop()
	}
}

func (p *Poller) finished(url string) {
	p.mu.Lock()
	delete(p.polling, url)
	p.mu.Unlock()
}

// PollNow polls one followed feed at once, whatever its schedule, and
// returns the status written (store.ErrNotFound when not followed,
// ErrLeased when another instance is polling it).
func (p *Poller) PollNow(ctx context.Context, url string) (store.Feed, error) {
	f, err := p.nr.Feed(ctx, url)
	if err != nil {
		return store.Feed{}, err
	}
	if err := p.pollLeased(ctx, f, true); err != nil {
		return store.Feed{}, err
	}
	return p.nr.Feed(ctx, url)
}

// pollLeased polls f under its lease: taken first, the feed read again
// (another instance may have just polled it: unless forced, it is then
// skipped), kept while the poll runs and released once the status, with
// the next poll's time, is written. It returns ErrLeased when another
// instance holds the lease; the feed is then tried again a little later.
func (p *Poller) pollLeased(ctx context.Context, f store.Feed, force bool) error {
	if p.leaser == nil {
		p.poll(ctx, f)
		return nil
	}
	now := p.o.Clock.Now()
	granted, err := p.leaser.LeaseFeed(ctx, f.URL, p.o.Holder, now.Add(p.o.Lease), now)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("follow: %s: %w", f.URL, err)
	}
	if err != nil || !granted {
		// Not at once again: the holder is polling it (and will move its
		// NextPoll on), or died and its lease is running out.
		retry := p.o.Lease / 4
		if f.Every > 0 {
			retry = min(retry, f.Every)
		}
		p.deferUntil(f.URL, now.Add(retry))
		if err != nil {
			return fmt.Errorf("follow: leasing %s: %w", f.URL, err)
		}
		return fmt.Errorf("%w: %s", ErrLeased, f.URL)
	}
	defer p.release(context.WithoutCancel(ctx), f.URL)
	cur, err := p.nr.Feed(ctx, f.URL)
	if err != nil {
		return fmt.Errorf("follow: %s: %w", f.URL, err)
	}
	if !force && cur.NextPoll.After(now) {
		p.o.Log.Debug("follow: another instance polled the feed", "feed", f.URL, "next_poll", cur.NextPoll)
		return nil
	}
	pollCtx, stop := p.keepLease(ctx, f.URL)
	defer stop()
	p.poll(pollCtx, cur)
	return nil
}

// deferUntil keeps the feed at url from being polled before t.
func (p *Poller) deferUntil(url string, t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.After(p.notBefore[url]) {
		p.notBefore[url] = t
	}
}

func (p *Poller) release(ctx context.Context, url string) {
	if err := p.leaser.ReleaseFeed(ctx, url, p.o.Holder); err != nil {
		// Not fatal: the lease ends by itself.
		p.o.Log.Warn("follow: releasing a feed's lease", "feed", url, "err", fmt.Errorf("follow: %s: %w", url, err))
	}
}

// keepLease renews the lease on the feed at url every third of a lease
// until stop is called. The context it returns is cancelled when the lease
// is lost (taken by another instance after a renewal came too late), so
// that two instances do not go on polling the feed together.
func (p *Poller) keepLease(ctx context.Context, url string) (context.Context, func()) {
	pollCtx, cancel := context.WithCancelCause(ctx)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			t := p.o.Clock.NewTimer(p.o.Lease / 3)
			select {
			case <-quit:
				t.Stop()
				return
			case <-pollCtx.Done():
				t.Stop()
				return
			case <-t.C():
			}
			now := p.o.Clock.Now()
			granted, err := p.leaser.LeaseFeed(pollCtx, url, p.o.Holder, now.Add(p.o.Lease), now)
			switch {
			case errors.Is(err, store.ErrNotFound):
				return // removed: the poll's status write notices
			case err != nil:
				if pollCtx.Err() == nil {
					p.o.Log.Warn("follow: renewing a feed's lease", "feed", url, "err", err)
				}
			case !granted:
				p.o.Log.Error("follow: lost the feed's lease to another instance; the poll stops", "feed", url)
				cancel(fmt.Errorf("%w: %s (lease lost)", ErrLeased, url))
				return
			}
		}
	})
	return pollCtx, func() {
		close(quit)
		wg.Wait()
		cancel(nil)
	}
}

// result is what one poll found.
type result struct {
	status       string
	err          error
	etag, lastMo string // the validators to store (advanced only when complete)
	hint         time.Duration
	retryAfter   time.Duration
	seen         int  // entries in the feed; -1 when not read
	stored       int  // new articles and new versions
	cancelled    bool // cut short by ctx
}

// poll polls f and writes its status.
func (p *Poller) poll(ctx context.Context, f store.Feed) {
	start := p.o.Clock.Now().UTC()
	r := p.fetchFeed(ctx, f)
	if r.cancelled {
		// A shutdown: keep the schedule (the feed is due again at the
		// next start) and the validators; count what was stored.
		if r.stored > 0 {
			p.writeStatus(context.WithoutCancel(ctx), f.URL, func(cur *store.Feed) { cur.ItemsStored += r.stored })
		}
		return
	}
	if p.o.OnPoll != nil {
		p.o.OnPoll(r.status)
	}
	if r.err != nil {
		p.o.Log.Warn("follow: poll failed", "feed", f.URL, "err", r.err)
		if r.status == StatusError && p.o.OnFailure != nil {
			p.o.OnFailure("poll", r.err)
		}
	}
	p.writeStatus(ctx, f.URL, func(cur *store.Feed) {
		cur.LastPoll = start
		cur.LastStatus = r.status
		cur.LastError = ""
		if r.err != nil {
			cur.LastError = r.err.Error()
		}
		if r.seen >= 0 {
			cur.ItemsSeen = r.seen
		}
		cur.ItemsStored += r.stored
		cur.ETag, cur.LastModified = r.etag, r.lastMo
		every := cur.Every
		if every <= 0 {
			every = DefaultEvery
		}
		if r.status == StatusError {
			cur.Failures++
			cur.NextPoll = start.Add(p.backoff(every, cur.Failures, r.retryAfter))
		} else {
			cur.Failures = 0
			cur.NextPoll = start.Add(max(every, min(r.hint, p.o.MaxHint)))
		}
		p.mu.Lock()
		p.notBefore[f.URL] = cur.NextPoll
		p.mu.Unlock()
	})
}

// backoff is the wait after the failures-th consecutive failure: every
// doubled for each failure before it, capped, plus up to a quarter more
// as jitter (so feeds failing together spread out), never past
// MaxBackoff, and at least retryAfter (also capped).
func (p *Poller) backoff(every time.Duration, failures int, retryAfter time.Duration) time.Duration {
	limit := p.o.MaxBackoff * 4 / 5
	d := every
	for i := 1; i < failures && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	d += mathrand.N(d/4 + 1)
	return min(max(d, retryAfter), p.o.MaxBackoff)
}

// writeStatus reads the feed again and writes it changed by set, unless it
// was removed meanwhile.
func (p *Poller) writeStatus(ctx context.Context, url string, set func(*store.Feed)) {
	cur, err := p.nr.Feed(ctx, url)
	if errors.Is(err, store.ErrNotFound) {
		p.o.Log.Info("follow: the feed was removed during its poll", "feed", url)
		return
	}
	if err == nil {
		set(&cur)
		err = p.nr.PutFeed(ctx, cur)
	}
	if err != nil {
		p.o.Log.Error("follow: writing the feed's status", "feed", url, "err", fmt.Errorf("follow: %s: %w", url, err))
	}
}

// Yield returns a Pace that, whenever busy reports work waiting (requests
// being served, say), waits as long as the chunk took, up to max: the
// poll then takes at most half of a core while readers want it, and runs
// at full speed otherwise.
func Yield(busy func() bool, max time.Duration) func(context.Context, time.Duration) {
	return func(ctx context.Context, worked time.Duration) {
		if !busy() {
			return
		}
		t := time.NewTimer(min(worked, max))
		defer t.Stop()
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
}
