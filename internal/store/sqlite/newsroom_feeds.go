package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// Feed times are stored as Unix nanoseconds, so a feed reads back exactly
// as it was put (in UTC); Every is nanoseconds too.

func nullNanos(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixNano(), Valid: true}
}

func nanosTime(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(0, v.Int64).UTC()
}

// PutFeed implements store.Newsroom. A zero Added is set to now on the
// first put and kept on later ones.
func (s *Store) PutFeed(ctx context.Context, f store.Feed) error {
	if s.readOnly {
		return s.errReadOnly()
	}
	if f.URL == "" {
		return fmt.Errorf("sqlite: put feed: %w: empty URL", store.ErrBadQuery)
	}
	added := f.Added
	if added.IsZero() {
		added = time.Now()
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO feeds(url, every, added, etag, last_modified, last_poll, last_status, last_error,
			next_poll, failures, items_seen, items_stored)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET every = excluded.every,
			added = CASE WHEN ? THEN excluded.added ELSE feeds.added END,
			etag = excluded.etag, last_modified = excluded.last_modified, last_poll = excluded.last_poll,
			last_status = excluded.last_status, last_error = excluded.last_error, next_poll = excluded.next_poll,
			failures = excluded.failures, items_seen = excluded.items_seen, items_stored = excluded.items_stored`,
		f.URL, int64(f.Every), added.UnixNano(), f.ETag, f.LastModified, nullNanos(f.LastPoll), f.LastStatus, f.LastError,
		nullNanos(f.NextPoll), f.Failures, f.ItemsSeen, f.ItemsStored, !f.Added.IsZero())
	if err != nil {
		return fmt.Errorf("sqlite: put feed %s: %w", f.URL, err)
	}
	return nil
}

const feedColumns = `url, every, added, etag, last_modified, last_poll, last_status, last_error, next_poll, failures, items_seen, items_stored`

func scanFeed(r interface{ Scan(...any) error }) (store.Feed, error) {
	var f store.Feed
	var every, added int64
	var lastPoll, nextPoll sql.NullInt64
	err := r.Scan(&f.URL, &every, &added, &f.ETag, &f.LastModified, &lastPoll, &f.LastStatus, &f.LastError, &nextPoll,
		&f.Failures, &f.ItemsSeen, &f.ItemsStored)
	f.Every, f.Added = time.Duration(every), time.Unix(0, added).UTC()
	f.LastPoll, f.NextPoll = nanosTime(lastPoll), nanosTime(nextPoll)
	return f, err
}

// Feeds implements store.Newsroom.
func (s *Store) Feeds(ctx context.Context) ([]store.Feed, error) {
	rows, err := s.reader(ctx).QueryContext(ctx, `SELECT `+feedColumns+` FROM feeds ORDER BY url`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: feeds: %w", err)
	}
	defer rows.Close()
	out := []store.Feed{}
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: feeds: %w", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: feeds: %w", err)
	}
	return out, nil
}

// Feed implements store.Newsroom.
func (s *Store) Feed(ctx context.Context, url string) (store.Feed, error) {
	f, err := scanFeed(s.reader(ctx).QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds WHERE url = ?`, url))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Feed{}, fmt.Errorf("sqlite: feed %s: %w", url, err)
	}
	return f, nil
}

// DeleteFeed implements store.Newsroom.
func (s *Store) DeleteFeed(ctx context.Context, url string) error {
	if s.readOnly {
		return s.errReadOnly()
	}
	res, err := s.w.ExecContext(ctx, `DELETE FROM feeds WHERE url = ?`, url)
	if err != nil {
		return fmt.Errorf("sqlite: delete feed %s: %w", url, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("sqlite: delete feed %s: %w", url, store.ErrNotFound)
	}
	return nil
}

// LeaseFeed implements store.FeedLeaser in one conditional UPDATE: SQLite
// runs writes one at a time (across processes too), so exactly one of
// several contenders finds the lease free.
func (s *Store) LeaseFeed(ctx context.Context, url, holder string, until, now time.Time) (bool, error) {
	if s.readOnly {
		return false, s.errReadOnly()
	}
	if holder == "" {
		return false, fmt.Errorf("sqlite: lease feed %s: %w: empty holder", url, store.ErrBadQuery)
	}
	res, err := s.w.ExecContext(ctx, `UPDATE feeds SET lease_holder = ?, lease_until = ?
		WHERE url = ? AND (lease_holder IS NULL OR lease_holder = ? OR lease_until <= ?)`,
		holder, until.UnixNano(), url, holder, now.UnixNano())
	if err != nil {
		return false, fmt.Errorf("sqlite: lease feed %s: %w", url, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: lease feed %s: %w", url, err)
	}
	if n > 0 {
		return true, nil
	}
	// Not granted: held by another, or not followed at all.
	var one int
	err = s.w.QueryRowContext(ctx, `SELECT 1 FROM feeds WHERE url = ?`, url).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, fmt.Errorf("sqlite: lease feed %s: %w", url, store.ErrNotFound)
	case err != nil:
		return false, fmt.Errorf("sqlite: lease feed %s: %w", url, err)
	}
	return false, nil
}

// ReleaseFeed implements store.FeedLeaser.
func (s *Store) ReleaseFeed(ctx context.Context, url, holder string) error {
	if s.readOnly {
		return s.errReadOnly()
	}
	_, err := s.w.ExecContext(ctx, `UPDATE feeds SET lease_holder = NULL, lease_until = NULL WHERE url = ? AND lease_holder = ?`,
		url, holder)
	if err != nil {
		return fmt.Errorf("sqlite: release feed %s: %w", url, err)
	}
	return nil
}
