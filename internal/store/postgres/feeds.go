package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Feed times are Unix nanoseconds, so that a feed reads back exactly as it
// was put (in UTC); Every is nanoseconds too.

func nullNanos(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	n := t.UnixNano()
	return &n
}

func nanosTime(v *int64) time.Time {
	if v == nil {
		return time.Time{}
	}
	return time.Unix(0, *v).UTC()
}

// PutFeed implements store.Newsroom. A zero Added is set to now on the
// first put and kept on later ones.
func (s *Store) PutFeed(ctx context.Context, f store.Feed) error {
	if s.readOnly {
		return s.errReadOnly("put feed")
	}
	if f.URL == "" {
		return fmt.Errorf("postgres: put feed: %w: empty URL", store.ErrBadQuery)
	}
	added := f.Added
	if added.IsZero() {
		added = time.Now()
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO feeds(url, every, added, etag, last_modified, last_poll, last_status, last_error,
			next_poll, failures, items_seen, items_stored)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (url) DO UPDATE SET every = excluded.every,
			added = CASE WHEN $13 THEN excluded.added ELSE feeds.added END,
			etag = excluded.etag, last_modified = excluded.last_modified, last_poll = excluded.last_poll,
			last_status = excluded.last_status, last_error = excluded.last_error, next_poll = excluded.next_poll,
			failures = excluded.failures, items_seen = excluded.items_seen, items_stored = excluded.items_stored`,
		f.URL, int64(f.Every), added.UnixNano(), f.ETag, f.LastModified, nullNanos(f.LastPoll), f.LastStatus, f.LastError,
		nullNanos(f.NextPoll), f.Failures, f.ItemsSeen, f.ItemsStored, !f.Added.IsZero())
	return wrap("put feed "+f.URL, err)
}

const feedColumns = `url, every, added, etag, last_modified, last_poll, last_status, last_error, next_poll, failures, items_seen, items_stored`

func scanFeed(r pgx.Row) (store.Feed, error) {
	var f store.Feed
	var every, added int64
	var lastPoll, nextPoll *int64
	err := r.Scan(&f.URL, &every, &added, &f.ETag, &f.LastModified, &lastPoll, &f.LastStatus, &f.LastError, &nextPoll,
		&f.Failures, &f.ItemsSeen, &f.ItemsStored)
	f.Every, f.Added = time.Duration(every), time.Unix(0, added).UTC()
	f.LastPoll, f.NextPoll = nanosTime(lastPoll), nanosTime(nextPoll)
	return f, err
}

// Feeds implements store.Newsroom.
func (s *Store) Feeds(ctx context.Context) ([]store.Feed, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+feedColumns+` FROM feeds ORDER BY url`)
	if err != nil {
		return nil, wrap("feeds", err)
	}
	defer rows.Close()
	out := []store.Feed{}
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, wrap("feeds", err)
		}
		out = append(out, f)
	}
	return out, wrap("feeds", rows.Err())
}

// Feed implements store.Newsroom.
func (s *Store) Feed(ctx context.Context, url string) (store.Feed, error) {
	f, err := scanFeed(s.pool.QueryRow(ctx, `SELECT `+feedColumns+` FROM feeds WHERE url = $1`, url))
	if errors.Is(err, pgx.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Feed{}, wrap("feed "+url, err)
	}
	return f, nil
}

// DeleteFeed implements store.Newsroom.
func (s *Store) DeleteFeed(ctx context.Context, url string) error {
	if s.readOnly {
		return s.errReadOnly("delete feed")
	}
	tag, err := s.pool.Exec(ctx, `DELETE FROM feeds WHERE url = $1`, url)
	if err != nil {
		return wrap("delete feed "+url, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: delete feed %s: %w", url, store.ErrNotFound)
	}
	return nil
}

// LeaseFeed implements store.FeedLeaser in one conditional UPDATE: a
// contender that finds the row locked by another's UPDATE waits for it and
// then evaluates the condition against the row as that one left it, so
// exactly one of several contenders is granted a free lease.
func (s *Store) LeaseFeed(ctx context.Context, url, holder string, until, now time.Time) (bool, error) {
	if s.readOnly {
		return false, s.errReadOnly("lease feed")
	}
	if holder == "" {
		return false, fmt.Errorf("postgres: lease feed %s: %w: empty holder", url, store.ErrBadQuery)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE feeds SET lease_holder = $2, lease_until = $3
		WHERE url = $1 AND (lease_holder IS NULL OR lease_holder = $2 OR lease_until <= $4)`,
		url, holder, until.UnixNano(), now.UnixNano())
	if err != nil {
		return false, wrap("lease feed "+url, err)
	}
	if tag.RowsAffected() > 0 {
		return true, nil
	}
	// Not granted: held by another, or not followed at all.
	var one int
	err = s.pool.QueryRow(ctx, `SELECT 1 FROM feeds WHERE url = $1`, url).Scan(&one)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false, fmt.Errorf("postgres: lease feed %s: %w", url, store.ErrNotFound)
	case err != nil:
		return false, wrap("lease feed "+url, err)
	}
	return false, nil
}

// ReleaseFeed implements store.FeedLeaser.
func (s *Store) ReleaseFeed(ctx context.Context, url, holder string) error {
	if s.readOnly {
		return s.errReadOnly("release feed")
	}
	_, err := s.pool.Exec(ctx, `UPDATE feeds SET lease_holder = NULL, lease_until = NULL WHERE url = $1 AND lease_holder = $2`,
		url, holder)
	return wrap("release feed "+url, err)
}
