package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// CheckFeedLease checks the store.FeedLeaser contract on stores that open
// returns empty (one per subtest): of many goroutines contending for a
// feed's lease exactly one is granted it, and no other until it expires or
// is released; the holder renews it; a feed's status writes leave its
// lease alone; and the errors.
func CheckFeedLease(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	t0 := time.Date(2026, 4, 2, 9, 30, 0, 0, time.UTC)
	const (
		feedA = "https://lighthouse-ledger.example/feed.xml"
		feedB = "https://moorfield-herald.example/rss"
	)
	setup := func(t *testing.T) (store.Newsroom, store.FeedLeaser) {
		t.Helper()
		s := open(t)
		n, ok := store.AsNewsroom(s)
		if !ok {
			t.Fatalf("%T is not a store.Newsroom", s)
		}
		l, ok := store.AsFeedLeaser(s)
		if !ok {
			t.Fatalf("%T is not a store.FeedLeaser", s)
		}
		for _, u := range []string{feedA, feedB} {
			if err := n.PutFeed(ctx, store.Feed{URL: u, Every: 15 * time.Minute, Added: t0}); err != nil {
				t.Fatal(err)
			}
		}
		return n, l
	}
	lease := func(t *testing.T, l store.FeedLeaser, url, holder string, until, now time.Time) bool {
		t.Helper()
		ok, err := l.LeaseFeed(ctx, url, holder, until, now)
		if err != nil {
			t.Fatalf("lease %s for %s: %v", url, holder, err)
		}
		return ok
	}
	// contend has n holders ask for the lease at once and returns the
	// ones granted it.
	contend := func(t *testing.T, l store.FeedLeaser, url string, round, n int, until, now time.Time) []string {
		t.Helper()
		var (
			mu      sync.Mutex
			winners []string
			errs    []error
			wg      sync.WaitGroup
		)
		start := make(chan struct{})
		for i := range n {
			holder := fmt.Sprintf("instance-%d-%d", round, i)
			wg.Go(func() {
				<-start
				ok, err := l.LeaseFeed(ctx, url, holder, until, now)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
				}
				if ok {
					winners = append(winners, holder)
				}
			})
		}
		close(start)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("contending for %s: %v", url, err)
		}
		return winners
	}
	const contenders = 24

	t.Run("OneWinnerUntilRelease", func(t *testing.T) {
		_, l := setup(t)
		until := t0.Add(time.Minute)
		w := contend(t, l, feedA, 1, contenders, until, t0)
		if len(w) != 1 {
			t.Fatalf("granted to %v, want exactly one holder", w)
		}
		holder := w[0]
		if w := contend(t, l, feedA, 2, contenders, until, t0.Add(30*time.Second)); len(w) != 0 {
			t.Fatalf("a held lease was granted to %v", w)
		}
		// The other feed's lease is its own.
		if !lease(t, l, feedB, "instance-2-0", until, t0) {
			t.Error("the lease on another feed was refused")
		}
		// Releasing a lease one does not hold does nothing.
		if err := l.ReleaseFeed(ctx, feedA, "instance-2-0"); err != nil {
			t.Fatal(err)
		}
		if lease(t, l, feedA, "instance-2-1", until, t0) {
			t.Fatal("granted after a release by a non-holder")
		}
		if err := l.ReleaseFeed(ctx, feedA, holder); err != nil {
			t.Fatal(err)
		}
		w = contend(t, l, feedA, 3, contenders, until, t0.Add(time.Second))
		if len(w) != 1 {
			t.Fatalf("after the release, granted to %v, want exactly one holder", w)
		}
	})

	t.Run("Expiry", func(t *testing.T) {
		_, l := setup(t)
		until := t0.Add(time.Minute)
		if !lease(t, l, feedA, "crashed", until, t0) {
			t.Fatal("a free lease was refused")
		}
		if lease(t, l, feedA, "survivor", until.Add(time.Minute), until.Add(-time.Nanosecond)) {
			t.Fatal("granted before the lease ended")
		}
		// A lease ends at its time: granted to one of many from then on.
		w := contend(t, l, feedA, 1, contenders, until.Add(time.Minute), until)
		if len(w) != 1 {
			t.Fatalf("after expiry, granted to %v, want exactly one holder", w)
		}
		if lease(t, l, feedA, "crashed", until.Add(time.Hour), until.Add(time.Second)) {
			t.Fatal("the expired holder took the lease back from its new holder")
		}
	})

	t.Run("Renew", func(t *testing.T) {
		_, l := setup(t)
		if !lease(t, l, feedA, "poller", t0.Add(time.Minute), t0) {
			t.Fatal("a free lease was refused")
		}
		// The holder extends its lease before it ends; it then outlasts
		// the first term.
		if !lease(t, l, feedA, "poller", t0.Add(2*time.Minute), t0.Add(50*time.Second)) {
			t.Fatal("the holder could not renew its lease")
		}
		if lease(t, l, feedA, "other", t0.Add(3*time.Minute), t0.Add(90*time.Second)) {
			t.Fatal("a renewed lease was granted to another before its new end")
		}
		if !lease(t, l, feedA, "other", t0.Add(3*time.Minute), t0.Add(2*time.Minute)) {
			t.Fatal("the renewed lease was not granted after its end")
		}
	})

	t.Run("StatusWritesKeepTheLease", func(t *testing.T) {
		n, l := setup(t)
		if !lease(t, l, feedA, "poller", t0.Add(time.Minute), t0) {
			t.Fatal("a free lease was refused")
		}
		f, err := n.Feed(ctx, feedA)
		if err != nil {
			t.Fatal(err)
		}
		f.LastPoll, f.LastStatus, f.NextPoll, f.ItemsSeen = t0, "ok", t0.Add(15*time.Minute), 4
		if err := n.PutFeed(ctx, f); err != nil {
			t.Fatal(err)
		}
		if lease(t, l, feedA, "other", t0.Add(time.Minute), t0.Add(time.Second)) {
			t.Fatal("writing the feed's status dropped its lease")
		}
		got, err := n.Feed(ctx, feedA)
		if err != nil {
			t.Fatal(err)
		}
		if got != f {
			t.Errorf("feed after a lease: %+v, want %+v", got, f)
		}
		if err := l.ReleaseFeed(ctx, feedA, "poller"); err != nil {
			t.Fatal(err)
		}
		if got, err := n.Feed(ctx, feedA); err != nil || got != f {
			t.Errorf("feed after a release: %+v (%v), want %+v", got, err, f)
		}
		// A feed removed and followed again starts without a lease.
		if !lease(t, l, feedB, "poller", t0.Add(time.Hour), t0) {
			t.Fatal("a free lease was refused")
		}
		if err := n.DeleteFeed(ctx, feedB); err != nil {
			t.Fatal(err)
		}
		if err := n.PutFeed(ctx, store.Feed{URL: feedB, Every: time.Hour, Added: t0}); err != nil {
			t.Fatal(err)
		}
		if !lease(t, l, feedB, "other", t0.Add(time.Hour), t0.Add(time.Second)) {
			t.Error("a feed followed again kept the lease of before its removal")
		}
	})

	t.Run("Errors", func(t *testing.T) {
		_, l := setup(t)
		ok, err := l.LeaseFeed(ctx, "https://nowhere.example/feed", "poller", t0.Add(time.Minute), t0)
		if ok || !errors.Is(err, store.ErrNotFound) {
			t.Errorf("lease of a feed not followed: %v, %v; want ErrNotFound", ok, err)
		}
		ok, err = l.LeaseFeed(ctx, feedA, "", t0.Add(time.Minute), t0)
		if ok || !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("lease for an empty holder: %v, %v; want ErrBadQuery", ok, err)
		}
		if err := l.ReleaseFeed(ctx, "https://nowhere.example/feed", "poller"); err != nil {
			t.Errorf("release of a feed not followed: %v", err)
		}
		if err := l.ReleaseFeed(ctx, feedA, "never-held"); err != nil {
			t.Errorf("release of a lease never taken: %v", err)
		}
	})
}
