package store

import (
	"context"
	"time"
)

// FeedLeaser is implemented by stores that several processes can share
// (several `newsdesk serve` against one database): a lease on a followed
// feed says which process polls it, so that each feed is polled by one of
// them at a time. The database decides, in one conditional write per call,
// so processes need no other coordination. Callers get it with
// AsFeedLeaser; a store without it is used by one process only.
//
// Lease times are the caller's clock (as a feed's NextPoll is): the
// processes sharing a database are assumed to agree on the time to well
// within a lease's length.
type FeedLeaser interface {
	// LeaseFeed takes or renews the lease on the feed at url for holder
	// until the given time. It is granted (true) when the feed has no
	// lease, when its lease ended at or before now, or when holder already
	// holds it; otherwise it returns false and changes nothing. It returns
	// ErrNotFound when the feed is not followed, and ErrBadQuery for an
	// empty holder.
	LeaseFeed(ctx context.Context, url, holder string, until, now time.Time) (bool, error)
	// ReleaseFeed ends holder's lease on the feed at url. Releasing a lease
	// one does not hold (expired and taken by another, or never taken),
	// or on a feed no longer followed, does nothing.
	ReleaseFeed(ctx context.Context, url, holder string) error
}

// AsFeedLeaser returns st's FeedLeaser, or false when st has none.
func AsFeedLeaser(st Store) (FeedLeaser, bool) {
	l, ok := st.(FeedLeaser)
	return l, ok
}
