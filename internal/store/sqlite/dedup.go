package sqlite

// State kept for the dedup and story stages: LSH band keys per article,
// duplicate groups and story clusters.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// maxVars bounds the parameters of one IN list, well under SQLite's limit.
const maxVars = 500

// PutBands implements store.Store. The bands are held in memory and written
// in the transaction of the next Put, with the article they belong to: one
// transaction per article would cost more than the article itself, and an
// article lost in a crash takes its bands with it. Close writes any left.
func (s *Store) PutBands(_ context.Context, articleID string, bands []uint64) error {
	s.bandsMu.Lock()
	defer s.bandsMu.Unlock()
	if s.pendingBands == nil {
		s.pendingBands = map[string][]uint64{}
		s.pendingIndex = map[uint64][]string{}
	}
	for _, b := range s.pendingBands[articleID] { // replaced: unindex the old ones
		s.pendingIndex[b] = slices.DeleteFunc(s.pendingIndex[b], func(id string) bool { return id == articleID })
	}
	s.pendingBands[articleID] = slices.Clone(bands)
	for _, b := range bands {
		s.pendingIndex[b] = append(s.pendingIndex[b], articleID)
	}
	return nil
}

// takePendingBands hands the pending bands to a transaction. Until it
// commits (doneBands) they stay visible to BandCandidates as in flight.
func (s *Store) takePendingBands() map[string][]uint64 {
	s.bandsMu.Lock()
	defer s.bandsMu.Unlock()
	p := s.pendingBands
	s.inflightBands, s.inflightIndex = s.pendingBands, s.pendingIndex
	s.pendingBands, s.pendingIndex = nil, nil
	return p
}

// doneBands ends the in-flight state after a commit or a rollback.
func (s *Store) doneBands() {
	s.bandsMu.Lock()
	defer s.bandsMu.Unlock()
	s.inflightBands, s.inflightIndex = nil, nil
}

// restorePendingBands puts back bands whose transaction failed, unless
// newer ones arrived for the same article meanwhile.
func (s *Store) restorePendingBands(p map[string][]uint64) {
	for id, bands := range p {
		s.bandsMu.Lock()
		_, newer := s.pendingBands[id]
		s.bandsMu.Unlock()
		if !newer {
			_ = s.PutBands(context.Background(), id, bands)
		}
	}
}

// writeBands replaces the band rows of each article in pending, in tx.
func (s *Store) writeBands(ctx context.Context, tx *sql.Tx, pending map[string][]uint64) error {
	if len(pending) == 0 {
		return nil
	}
	del, ins := s.stmt(ctx, tx, qBandsDelete), s.stmt(ctx, tx, qBandsInsert)
	for id, bands := range pending {
		if _, err := del.ExecContext(ctx, id); err != nil {
			return fmt.Errorf("bands %s: %w", id, err)
		}
		for _, b := range bands {
			if _, err := ins.ExecContext(ctx, int64(b), id); err != nil {
				return fmt.Errorf("bands %s: %w", id, err)
			}
		}
	}
	return nil
}

// flushBands writes pending bands in a transaction of their own (Close
// does, and names the store in its error).
func (s *Store) flushBands(ctx context.Context) error {
	pending := s.takePendingBands()
	defer s.doneBands()
	if len(pending) == 0 {
		return nil
	}
	if s.readOnly {
		return s.errReadOnly()
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := s.writeBands(ctx, tx, pending); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// BandCandidates implements store.Store.
func (s *Store) BandCandidates(ctx context.Context, bands []uint64) ([]string, error) {
	seen := map[string]bool{}
	out := []string{}
	// Pending bands replace stored ones: their articles are answered from
	// memory, and their stored rows are ignored below.
	s.bandsMu.Lock()
	for _, idx := range []map[uint64][]string{s.pendingIndex, s.inflightIndex} {
		for _, b := range bands {
			for _, id := range idx[b] {
				if !seen[id] {
					seen[id] = true
					out = append(out, id)
				}
			}
		}
	}
	for id := range s.pendingBands {
		seen[id] = true
	}
	for id := range s.inflightBands {
		seen[id] = true
	}
	s.bandsMu.Unlock()
	for start := 0; start < len(bands); start += maxVars {
		chunk := bands[start:min(len(bands), start+maxVars)]
		args := make([]any, len(chunk))
		for i, b := range chunk {
			args[i] = int64(b)
		}
		var rows *sql.Rows
		var err error
		if c := s.pinned(ctx); c != nil {
			rows, err = c.QueryContext(ctx, bandQuery(len(chunk)), args...)
		} else {
			var stmt *sql.Stmt
			if stmt, err = s.bandStmt(ctx, len(chunk)); err != nil {
				return nil, fmt.Errorf("sqlite: band candidates: %w", err)
			}
			rows, err = stmt.QueryContext(ctx, args...)
		}
		if err != nil {
			return nil, fmt.Errorf("sqlite: band candidates: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: band candidates: %w", err)
			}
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("sqlite: band candidates: %w", err)
		}
	}
	return out, nil
}

// SetDupGroup implements store.Store.
func (s *Store) SetDupGroup(ctx context.Context, id, group string) error {
	return s.setColumn(ctx, "dup_group", id, group)
}

// SetStory implements store.Store.
func (s *Store) SetStory(ctx context.Context, id, story string) error {
	return s.setColumn(ctx, "story", id, story)
}

func (s *Store) setColumn(ctx context.Context, column, id, value string) error {
	if s.readOnly {
		return s.errReadOnly()
	}
	res, err := s.w.ExecContext(ctx, `UPDATE articles SET `+column+` = ? WHERE id = ?`, nullString(value), id)
	if err != nil {
		return fmt.Errorf("sqlite: set %s of %s: %w", column, id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("sqlite: set %s of %s: %w", column, id, store.ErrNotFound)
	}
	return nil
}

// PutStories implements store.Store: one transaction for the lot.
func (s *Store) PutStories(ctx context.Context, stories []store.StoryState) error {
	if len(stories) == 0 {
		return nil
	}
	_, err := s.PutBatch(ctx, store.Batch{Stories: stories})
	return err
}

// Stories implements store.Store.
func (s *Store) Stories(ctx context.Context, since time.Time) ([]store.StoryState, error) {
	q := `SELECT id, headline, first_seen, last_seen, count, outlets, state FROM stories`
	var args []any
	if !since.IsZero() {
		q += ` WHERE last_seen >= ?`
		args = append(args, since.UnixMilli())
	}
	q += ` ORDER BY last_seen DESC, id`
	rows, err := s.reader(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories: %w", err)
	}
	defer rows.Close()
	out := []store.StoryState{}
	for rows.Next() {
		var st store.StoryState
		var first, last sql.NullInt64
		var outlets string
		if err := rows.Scan(&st.ID, &st.Headline, &first, &last, &st.Count, &outlets, &st.State); err != nil {
			return nil, fmt.Errorf("sqlite: stories: %w", err)
		}
		if first.Valid {
			st.First = time.UnixMilli(first.Int64).UTC()
		}
		if last.Valid {
			st.Last = time.UnixMilli(last.Int64).UTC()
		}
		if err := json.Unmarshal([]byte(outlets), &st.Outlets); err != nil {
			return nil, fmt.Errorf("sqlite: story %s: outlets: %w", st.ID, err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: stories: %w", err)
	}
	return out, nil
}

// DupGroups implements store.Store.
func (s *Store) DupGroups(ctx context.Context) ([]store.DupGroup, error) {
	rows, err := s.reader(ctx).QueryContext(ctx, `SELECT dup_group, id FROM articles
		WHERE dup_group IN (SELECT dup_group FROM articles WHERE dup_group IS NOT NULL GROUP BY dup_group HAVING COUNT(*) > 1)
		ORDER BY dup_group, id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: dup groups: %w", err)
	}
	defer rows.Close()
	out := []store.DupGroup{}
	for rows.Next() {
		var g, id string
		if err := rows.Scan(&g, &id); err != nil {
			return nil, fmt.Errorf("sqlite: dup groups: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].ID != g {
			out = append(out, store.DupGroup{ID: g})
		}
		out[len(out)-1].Members = append(out[len(out)-1].Members, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: dup groups: %w", err)
	}
	return out, nil
}

// PutState implements store.Store.
func (s *Store) PutState(ctx context.Context, name string, value []byte) error {
	_, err := s.PutBatch(ctx, store.Batch{State: []store.NamedState{{Name: name, Value: value}}})
	return err
}

// State implements store.Store.
func (s *Store) State(ctx context.Context, name string) ([]byte, error) {
	var value []byte
	err := s.reader(ctx).QueryRowContext(ctx, `SELECT value FROM state WHERE name = ?`, name).Scan(&value)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("sqlite: state %s: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: state %s: %w", name, err)
	}
	return value, nil
}

// bandQuery selects the articles having any of n bands.
func bandQuery(n int) string {
	return `SELECT DISTINCT article_id FROM bands WHERE band IN (` + placeholders(n) + `)`
}

// bandStmt returns the prepared candidate query for n band keys; a detector
// asks with the same number of bands every time, so one or two are kept.
func (s *Store) bandStmt(ctx context.Context, n int) (*sql.Stmt, error) {
	s.bandsMu.Lock()
	defer s.bandsMu.Unlock()
	if st, ok := s.bandStmts[n]; ok {
		return st, nil
	}
	st, err := s.r.PrepareContext(ctx, bandQuery(n))
	if err != nil {
		return nil, err
	}
	if s.bandStmts == nil {
		s.bandStmts = map[int]*sql.Stmt{}
	}
	s.bandStmts[n] = st
	return st, nil
}
