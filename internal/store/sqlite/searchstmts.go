package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
)

// searchStmts are the statements of constant text that every search runs,
// prepared once at Open on the read pool (while no connection is pinned)
// and bound to a search's transaction with Tx.StmtContext, which reuses
// each connection's prepared copy. Parsing them for every search was an
// eighth of its CPU. Lists of keys are bound as one JSON array and read
// with json_each, so that the text does not depend on their length.
type searchStmts struct {
	rankRecent *sql.Stmt // (match, n) -> rowid, bm25: the n most recent matches
	rows       *sql.Stmt // ([pk]) -> candidateColumns, 0
	heads      *sql.Stmt // ([pk]) -> pk, head
	copies     *sql.Stmt // ([group]) -> group, articles in it
}

const (
	rankRecentQuery = `SELECT rowid, bm25(articles_fts, ` + rankWeights + `) FROM articles_fts
		WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?`
	rowsQuery   = `SELECT ` + candidateColumns + `, 0 FROM json_each(?) v CROSS JOIN articles a ON a.pk = v.value`
	headsQuery  = `SELECT f.pk, f.head FROM json_each(?) v CROSS JOIN fts_head f ON f.pk = v.value`
	copiesQuery = `SELECT v.value, (SELECT COUNT(*) FROM articles WHERE dup_group = v.value) FROM json_each(?) v`
)

func prepareSearch(ctx context.Context, db *sql.DB) (searchStmts, error) {
	var ss searchStmts
	for _, p := range []struct {
		st    **sql.Stmt
		query string
	}{{&ss.rankRecent, rankRecentQuery}, {&ss.rows, rowsQuery}, {&ss.heads, headsQuery}, {&ss.copies, copiesQuery}} {
		st, err := db.PrepareContext(ctx, p.query)
		if err != nil {
			ss.close()
			return searchStmts{}, err
		}
		*p.st = st
	}
	return ss, nil
}

func (ss searchStmts) close() {
	for _, st := range []*sql.Stmt{ss.rankRecent, ss.rows, ss.heads, ss.copies} {
		if st != nil {
			_ = st.Close()
		}
	}
}

// pkList is pks as a JSON array, for json_each.
func pkList(pks []int64) string {
	b := make([]byte, 0, 8*len(pks)+2)
	b = append(b, '[')
	for i, pk := range pks {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, pk, 10)
	}
	return string(append(b, ']'))
}

// stringList is ss as a JSON array, for json_each.
func stringList(ss []string) string {
	b, _ := json.Marshal(ss) // strings always marshal
	return string(b)
}
