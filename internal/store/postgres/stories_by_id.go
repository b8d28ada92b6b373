package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/newsdesk/newsdesk/internal/store"
)

// StoriesByID implements store.StoryGetter.
func (s *Store) StoriesByID(ctx context.Context, ids []string) ([]store.StoryState, error) {
	out := []store.StoryState{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT id, headline, first_seen, last_seen, count, outlets, state FROM stories WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, wrap("stories by id", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st store.StoryState
		var first, last *int64
		var outlets []byte
		if err := rows.Scan(&st.ID, &st.Headline, &first, &last, &st.Count, &outlets, &st.State); err != nil {
			return nil, wrap("stories by id", err)
		}
		st.First, st.Last = millisTime(first), millisTime(last)
		if err := json.Unmarshal(outlets, &st.Outlets); err != nil {
			return nil, fmt.Errorf("postgres: story %s: outlets: %w", st.ID, err)
		}
		out = append(out, st)
	}
	return out, wrap("stories by id", rows.Err())
}
