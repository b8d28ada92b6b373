package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/store"
)

// PutBands implements store.Store. The keys are written at once, in a
// transaction of their own: another process's BandCandidates must see
// them, which keys held in this one until the next Put would not be.
func (s *Store) PutBands(ctx context.Context, articleID string, bands []uint64) error {
	if s.readOnly {
		return s.errReadOnly("put bands")
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		queueBands(b, map[string][]uint64{articleID: bands})
		return tx.SendBatch(ctx, b).Close()
	})
	return wrap("bands "+articleID, err)
}

// BandCandidates implements store.Store.
func (s *Store) BandCandidates(ctx context.Context, bands []uint64) ([]string, error) {
	out := []string{}
	if len(bands) == 0 {
		return out, nil
	}
	keys := make([]int64, len(bands))
	for i, b := range bands {
		keys[i] = int64(b)
	}
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT article_id FROM bands WHERE band = ANY($1)`, keys)
	if err != nil {
		return nil, wrap("band candidates", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("band candidates", err)
		}
		out = append(out, id)
	}
	return out, wrap("band candidates", rows.Err())
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
	op := "set " + column + " of " + id
	if s.readOnly {
		return s.errReadOnly(op)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE articles SET `+column+` = $1 WHERE id = $2`, nullString(value), id)
	if err != nil {
		return wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: %s: %w", op, store.ErrNotFound)
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
	sql := `SELECT id, headline, first_seen, last_seen, count, outlets, state FROM stories`
	var a []any
	if !since.IsZero() {
		sql += ` WHERE last_seen >= $1`
		a = append(a, since.UnixMilli())
	}
	sql += ` ORDER BY last_seen DESC NULLS LAST, id`
	rows, err := s.pool.Query(ctx, sql, a...)
	if err != nil {
		return nil, wrap("stories", err)
	}
	defer rows.Close()
	out := []store.StoryState{}
	for rows.Next() {
		var st store.StoryState
		var first, last *int64
		var outlets []byte
		if err := rows.Scan(&st.ID, &st.Headline, &first, &last, &st.Count, &outlets, &st.State); err != nil {
			return nil, wrap("stories", err)
		}
		st.First, st.Last = millisTime(first), millisTime(last)
		if err := json.Unmarshal(outlets, &st.Outlets); err != nil {
			return nil, fmt.Errorf("postgres: story %s: outlets: %w", st.ID, err)
		}
		out = append(out, st)
	}
	return out, wrap("stories", rows.Err())
}

// DupGroups implements store.Store.
func (s *Store) DupGroups(ctx context.Context) ([]store.DupGroup, error) {
	rows, err := s.pool.Query(ctx, `SELECT dup_group, id FROM articles
		WHERE dup_group IN (SELECT dup_group FROM articles WHERE dup_group IS NOT NULL GROUP BY dup_group HAVING COUNT(*) > 1)
		ORDER BY dup_group, id`)
	if err != nil {
		return nil, wrap("dup groups", err)
	}
	defer rows.Close()
	out := []store.DupGroup{}
	for rows.Next() {
		var g, id string
		if err := rows.Scan(&g, &id); err != nil {
			return nil, wrap("dup groups", err)
		}
		if n := len(out); n == 0 || out[n-1].ID != g {
			out = append(out, store.DupGroup{ID: g})
		}
		out[len(out)-1].Members = append(out[len(out)-1].Members, id)
	}
	return out, wrap("dup groups", rows.Err())
}

// PutState implements store.Store.
func (s *Store) PutState(ctx context.Context, name string, value []byte) error {
	_, err := s.PutBatch(ctx, store.Batch{State: []store.NamedState{{Name: name, Value: value}}})
	return err
}

// State implements store.Store.
func (s *Store) State(ctx context.Context, name string) ([]byte, error) {
	var value []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM state WHERE name = $1`, name).Scan(&value)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: state %s: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return nil, wrap("state "+name, err)
	}
	return value, nil
}
