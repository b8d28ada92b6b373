package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// StoriesByID implements store.StoryGetter.
func (s *Store) StoriesByID(ctx context.Context, ids []string) ([]store.StoryState, error) {
	out := []store.StoryState{}
	for len(ids) > 0 {
		n := min(len(ids), 500) // under SQLite's bound on variables
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		ids = ids[n:]
		rows, err := s.reader(ctx).QueryContext(ctx, `SELECT s.id, s.headline, s.first_seen, s.last_seen, s.count, s.outlets, s.state
			FROM `+valuesTable(n)+` v CROSS JOIN stories s ON s.id = v.column1`, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: stories by id: %w", err)
		}
		for rows.Next() {
			var st store.StoryState
			var first, last sql.NullInt64
			var outlets string
			if err := rows.Scan(&st.ID, &st.Headline, &first, &last, &st.Count, &outlets, &st.State); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: stories by id: %w", err)
			}
			if first.Valid {
				st.First = time.UnixMilli(first.Int64).UTC()
			}
			if last.Valid {
				st.Last = time.UnixMilli(last.Int64).UTC()
			}
			if err := json.Unmarshal([]byte(outlets), &st.Outlets); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: story %s: outlets: %w", st.ID, err)
			}
			out = append(out, st)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("sqlite: stories by id: %w", err)
		}
	}
	return out, nil
}
