package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/newsdesk/newsdesk/article"
)

// The newsroom columns of an article (newsroom_schema.go) are written with
// it, in its transaction.
const (
	qEntitiesDelete  = `DELETE FROM article_entities WHERE article_pk = ?`
	qSetDescription  = `UPDATE articles SET description = ? WHERE pk = ?`
	entityRowColumns = 6
	// entityChunk is the number of rows per multi-row INSERT.
	entityChunk = 128
)

func init() {
	writeQueries = append(writeQueries, qEntitiesDelete, qSetDescription)
}

// newsroomBatch collects the entity rows and descriptions of one Put. An
// article stored twice in a batch keeps its last version's.
type newsroomBatch struct {
	replace []int64          // pks stored before: their rows are deleted first
	rows    map[int64][]any  // pk -> entity rows, entityRowColumns values each
	desc    map[int64]string // pk -> description to set
	order   []int64
}

// add records article a, stored as pk; fresh: its row was just inserted.
func (b *newsroomBatch) add(pk int64, a *article.Article, fresh bool) {
	if b.rows == nil {
		b.rows, b.desc = map[int64][]any{}, map[int64]string{}
	}
	if _, seen := b.rows[pk]; !seen {
		b.order = append(b.order, pk)
		if !fresh {
			b.replace = append(b.replace, pk)
		}
	}
	published := nullTime(a.Published)
	var rows []any
	at := map[string]int{} // key -> index of its row in rows
	for _, e := range a.Entities {
		if e.Key == "" {
			continue
		}
		n := max(e.Count, len(e.Mentions))
		if i, ok := at[e.Key]; ok {
			rows[i+4] = rows[i+4].(int) + n
			continue
		}
		at[e.Key] = len(rows)
		rows = append(rows, pk, e.Key, e.Type, e.Text, n, published)
	}
	b.rows[pk] = rows
	if a.Description != "" || !fresh {
		b.desc[pk] = a.Description
	} else {
		delete(b.desc, pk)
	}
}

// apply writes the batch in tx.
func (s *Store) applyNewsroom(ctx context.Context, tx *sql.Tx, b *newsroomBatch) error {
	for _, pk := range b.replace {
		if _, err := s.stmt(ctx, tx, qEntitiesDelete).ExecContext(ctx, pk); err != nil {
			return fmt.Errorf("entities: %w", err)
		}
	}
	var all []any
	for _, pk := range b.order {
		all = append(all, b.rows[pk]...)
		if d, ok := b.desc[pk]; ok {
			if _, err := s.stmt(ctx, tx, qSetDescription).ExecContext(ctx, d, pk); err != nil {
				return fmt.Errorf("description: %w", err)
			}
		}
	}
	for len(all) > 0 {
		n := min(len(all)/entityRowColumns, entityChunk)
		q := `INSERT INTO article_entities(article_pk, key, type, text, mentions, published) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?), ", n), ", ")
		if _, err := tx.ExecContext(ctx, q, all[:n*entityRowColumns]...); err != nil {
			return fmt.Errorf("entities: %w", err)
		}
		all = all[n*entityRowColumns:]
	}
	return nil
}
