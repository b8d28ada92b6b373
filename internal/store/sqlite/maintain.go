package sqlite

import (
	"context"
	"fmt"

	"github.com/newsdesk/newsdesk/internal/store"
)

var _ store.IndexMaintainer = (*Store)(nil)

// maxIndexSegments is how many segments the full-text index may have
// before MaintainIndex merges them. Every write transaction adds a
// segment and FTS5 merges them by level, four at a time, which leaves
// about three per level: 11 over 100,000 articles stored in batches of
// 1,000. A query seeks each of its terms in every segment; merged into
// one, searches took a fifth less CPU (bench/serve, search alone).
const maxIndexSegments = 4

// mergeStepPages is the work of one merge step, in leaf pages: about
// 150 ms of holding the write lock on this machine.
const mergeStepPages = 2000

// MaintainIndex implements store.IndexMaintainer: with more than
// maxIndexSegments segments, the full-text index is merged into one, in
// steps of its own transaction each, so that other writers wait at most
// one step.
func (s *Store) MaintainIndex(ctx context.Context) (bool, error) {
	if s.readOnly {
		return false, nil
	}
	n, err := s.indexSegments(ctx)
	if err != nil || n <= maxIndexSegments {
		return false, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return true, fmt.Errorf("sqlite: merging the search index: %w", err)
		}
		// FTS5's 'merge' with a negative page count merges segments
		// whatever their level; a step that changes fewer than two rows
		// found nothing left to merge.
		var changes int64
		err := retryBusy(ctx, func() error {
			tx, err := s.w.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer func() { _ = tx.Rollback() }()
			var before, after int64
			if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO articles_fts(articles_fts, rank) VALUES ('merge', ?)`, -mergeStepPages); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after); err != nil {
				return err
			}
			changes = after - before
			return tx.Commit()
		})
		if err != nil {
			return true, fmt.Errorf("sqlite: merging the search index: %w", err)
		}
		if changes < 2 {
			return true, nil
		}
	}
}

// indexSegments counts the full-text index's segments.
func (s *Store) indexSegments(ctx context.Context) (int, error) {
	var n int
	if err := s.reader(ctx).QueryRowContext(ctx, `SELECT COUNT(DISTINCT segid) FROM articles_fts_idx`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: search index segments: %w", err)
	}
	return n, nil
}
