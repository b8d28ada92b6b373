package sqlite

// State kept for the dedup and story stages: LSH band keys per article,
// duplicate groups and story clusters.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// maxVars bounds the parameters of one IN list, well under SQLite's limit.
const maxVars = 500

// PutBands implements store.Store. Band keys are stored as signed 64-bit
// integers with the same bits.
func (s *Store) PutBands(ctx context.Context, articleID string, bands []uint64) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: bands %s: %w", articleID, err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := s.stmt(ctx, tx, qBandsDelete).ExecContext(ctx, articleID); err != nil {
		return fmt.Errorf("sqlite: bands %s: %w", articleID, err)
	}
	ins := s.stmt(ctx, tx, qBandsInsert)
	for _, b := range bands {
		if _, err := ins.ExecContext(ctx, int64(b), articleID); err != nil {
			return fmt.Errorf("sqlite: bands %s: %w", articleID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: bands %s: %w", articleID, err)
	}
	return nil
}

// BandCandidates implements store.Store.
func (s *Store) BandCandidates(ctx context.Context, bands []uint64) ([]string, error) {
	seen := map[string]bool{}
	out := []string{}
	for start := 0; start < len(bands); start += maxVars {
		chunk := bands[start:min(len(bands), start+maxVars)]
		args := make([]any, len(chunk))
		for i, b := range chunk {
			args[i] = int64(b)
		}
		rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT article_id FROM bands WHERE band IN (`+placeholders(len(chunk))+`)`, args...)
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
	res, err := s.w.ExecContext(ctx, `UPDATE articles SET `+column+` = ? WHERE id = ?`, nullString(value), id)
	if err != nil {
		return fmt.Errorf("sqlite: set %s of %s: %w", column, id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("sqlite: set %s of %s: %w", column, id, store.ErrNotFound)
	}
	return nil
}

// PutStory implements store.Store.
func (s *Store) PutStory(ctx context.Context, st store.StoryState) error {
	outlets := st.Outlets
	if outlets == nil {
		outlets = []string{}
	}
	js, err := json.Marshal(outlets)
	if err != nil {
		return fmt.Errorf("sqlite: story %s: %w", st.ID, err)
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO stories(id, headline, first_seen, last_seen, count, outlets, state)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET headline = excluded.headline, first_seen = excluded.first_seen,
			last_seen = excluded.last_seen, count = excluded.count, outlets = excluded.outlets, state = excluded.state`,
		st.ID, st.Headline, nullTime(st.First), nullTime(st.Last), st.Count, string(js), st.State)
	if err != nil {
		return fmt.Errorf("sqlite: story %s: %w", st.ID, err)
	}
	return nil
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
	rows, err := s.r.QueryContext(ctx, q, args...)
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
	rows, err := s.r.QueryContext(ctx, `SELECT dup_group, id FROM articles
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
	_, err := s.w.ExecContext(ctx, `INSERT INTO state (name, value, updated) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated = excluded.updated`,
		name, value, time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("sqlite: state %s: %w", name, err)
	}
	return nil
}

// State implements store.Store.
func (s *Store) State(ctx context.Context, name string) ([]byte, error) {
	var value []byte
	err := s.r.QueryRowContext(ctx, `SELECT value FROM state WHERE name = ?`, name).Scan(&value)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("sqlite: state %s: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: state %s: %w", name, err)
	}
	return value, nil
}
