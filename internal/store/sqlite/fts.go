package sqlite

// This file holds everything specific to SQLite's FTS5 full-text engine; a
// PostgreSQL store would put tsvector columns and ts_rank here instead.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// ftsSchema creates the index over title and body. The porter stemmer wraps
// unicode61 with diacritics folded, so "elections" finds "election" and
// "cafe" finds "café". The title weighs four times the body in BM25.
// Row ids are articles.pk.
var ftsSchema = []string{
	`CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')`,
	`INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(` + rankWeights + `)')`,
	// Keep a whole batch's terms in memory until commit: the default 1 MiB
	// flushes every few dozen articles into small segments that then cost
	// merges.
	`INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', 33554432)`,
}

const qFTSDelete = `DELETE FROM articles_fts WHERE rowid = ?`

// ftsBatch collects the index changes of one Put. An article stored twice
// in a batch is indexed once, with its last version.
type ftsBatch struct {
	deletes []int64
	rows    map[int64]int // pk -> index in ins
	ins     []ftsRow
}

type ftsRow struct {
	pk          int64
	title, body string
}

func (b *ftsBatch) delete(pk int64) {
	if i, ok := b.rows[pk]; ok {
		// Indexed earlier in this batch, not yet written: replace it.
		b.ins[i].pk = -1
		delete(b.rows, pk)
		return
	}
	b.deletes = append(b.deletes, pk)
}

func (b *ftsBatch) insert(pk int64, title, body string) {
	if b.rows == nil {
		b.rows = map[int64]int{}
	}
	b.rows[pk] = len(b.ins)
	b.ins = append(b.ins, ftsRow{pk, title, body})
}

// ftsChunk is the number of rows per multi-row INSERT.
const ftsChunk = 128

func (s *Store) ftsApply(ctx context.Context, tx *sql.Tx, b *ftsBatch) error {
	for _, pk := range b.deletes {
		if _, err := s.stmt(ctx, tx, qFTSDelete).ExecContext(ctx, pk); err != nil {
			return fmt.Errorf("unindex: %w", err)
		}
	}
	rows := make([]ftsRow, 0, len(b.ins))
	for _, r := range b.ins {
		if r.pk >= 0 {
			rows = append(rows, r)
		}
	}
	for len(rows) > 0 {
		n := min(len(rows), ftsChunk)
		args := make([]any, 0, 3*n)
		for _, r := range rows[:n] {
			args = append(args, r.pk, r.title, r.body)
		}
		q := `INSERT INTO articles_fts(rowid, title, body) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", n), ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("index: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// snippetTokens is the snippet length in tokens.
const snippetTokens = 24

// Search implements store.Store.
func (s *Store) Search(ctx context.Context, q store.Query) ([]store.Hit, error) {
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return nil, fmt.Errorf("sqlite: search: %w: empty query", store.ErrQuerySyntax)
	}
	hits, err := s.search(ctx, text, q)
	if err != nil && isSyntaxError(err) && plain(text) {
		// A query without any search syntax that still fails to parse
		// ("covid-19 vaccine", "don't") is meant as words: quote each.
		hits, err = s.search(ctx, quoteWords(text), q)
	}
	if err != nil {
		if isSyntaxError(err) {
			return nil, fmt.Errorf("sqlite: search %q: %w: %s", text, store.ErrQuerySyntax, syntaxMessage(err))
		}
		return nil, fmt.Errorf("sqlite: search %q: %w", text, err)
	}
	return hits, nil
}

func (s *Store) search(ctx context.Context, match string, q store.Query) ([]store.Hit, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = store.DefaultSearchLimit
	}
	where, args := filterSQL(q.Filter)
	fetch := limit
	if !q.AllCopies {
		// Copies collapse into one hit, so read further down the ranking.
		fetch = limit * collapseFactor
	}
	// BM25 ranking scores every match before sorting, so a query of very
	// common words would score the whole corpus. Past rankCandidates
	// matches, only the most recently stored rankCandidates are ranked
	// (unless q.RankAll): the bound costs one rank-free scan of the match
	// list, in rowid order. News readers want the recent coverage of a
	// broad query first anyway.
	var floor int64 // 0 ranks every match
	floorQuery := `SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?`
	if where != "" {
		floorQuery = `SELECT articles_fts.rowid FROM articles_fts JOIN articles a ON a.pk = articles_fts.rowid
		WHERE articles_fts MATCH ?` + where + ` ORDER BY articles_fts.rowid DESC LIMIT 1 OFFSET ?`
	}
	if !q.RankAll {
		err := s.r.QueryRowContext(ctx, floorQuery, append(append([]any{match}, args...), rankCandidates-1)...).Scan(&floor)
		if err != nil && err != sql.ErrNoRows {
			return nil, err
		}
	}
	// bm25() with the rank weights, not the rank column: ORDER BY rank makes
	// FTS5 score every match, ignoring the rowid bound.
	query := `SELECT a.pk, a.id, a.title, a.url, a.source_name, a.source_domain, a.published, a.language, COALESCE(a.dup_group, ''), a.word_count,
			bm25(articles_fts, ` + rankWeights + `) AS score
		FROM articles_fts JOIN articles a ON a.pk = articles_fts.rowid
		WHERE articles_fts MATCH ? AND articles_fts.rowid >= ?` + where + `
		ORDER BY score LIMIT ?`
	args = append([]any{match, floor}, args...)
	args = append(args, fetch)

	// One read transaction so the snippets come from the same snapshot.
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var hits []store.Hit
	var pks []any
	index := map[int64]int{}
	groupHit := map[string]int{} // dup group -> index of its best hit
	var hitWords []int           // word count of each hit, to pick the fullest copy
	for rows.Next() {
		var h store.Hit
		var pk int64
		var published sql.NullInt64
		var rank float64
		var words int
		if err := rows.Scan(&pk, &h.ID, &h.Title, &h.URL, &h.Source.Name, &h.Source.Domain, &published, &h.Language, &h.DupGroup, &words, &rank); err != nil {
			rows.Close()
			return nil, err
		}
		if !q.AllCopies && h.DupGroup != "" {
			if i, seen := groupHit[h.DupGroup]; seen {
				// The group's fullest copy (its representative, usually the
				// original) stands for the group, at the rank of its
				// best-matching copy.
				if i < len(hits) && words > hitWords[i] {
					hitWords[i] = words
					delete(index, pks[i].(int64))
					h.Score = hits[i].Score
					hits[i], pks[i] = h, pk
					index[pk] = i
				}
				continue
			}
			groupHit[h.DupGroup] = len(hits)
		}
		if len(hits) == limit {
			continue // keep counting copies of the hits already taken
		}
		if published.Valid {
			h.Published = time.UnixMilli(published.Int64).UTC()
		}
		h.Score = -rank
		index[pk] = len(hits)
		hits = append(hits, h)
		hitWords = append(hitWords, words)
		pks = append(pks, pk)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(hits) == 0 {
		return []store.Hit{}, nil
	}

	if !q.AllCopies && len(groupHit) > 0 {
		if err := countCopies(ctx, tx, hits, groupHit); err != nil {
			return nil, err
		}
	}

	// Snippets only for the hits kept: snippet() is the costly part.
	start, end := q.MarkStart, q.MarkEnd
	if start == "" && end == "" {
		start, end = "**", "**"
	}
	// The snippet is cut in Go from the body read by rowid: FTS5's snippet()
	// has to seek each row in the match's position lists, which for common
	// words costs more than the whole ranking.
	terms := queryTerms(match)
	srows, err := tx.QueryContext(ctx, `SELECT rowid, body FROM articles_fts WHERE rowid IN (`+placeholders(len(pks))+`)`, pks...)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var pk int64
		var body string
		if err := srows.Scan(&pk, &body); err != nil {
			return nil, err
		}
		if i, ok := index[pk]; ok {
			hits[i].Snippet = snippet(body, terms, start, end, snippetTokens)
		}
	}
	if err := srows.Err(); err != nil {
		return nil, err
	}
	return hits, nil
}

// rankWeights weighs a title match four times a body match.
const rankWeights = "4.0, 1.0"

// rankCandidates bounds how many matches a search ranks; see search.
const rankCandidates = 300

// collapseFactor is how far down the ranking a collapsing search reads, as
// a multiple of the limit, to fill the page after copies fold away.
const collapseFactor = 4

// countCopies sets each collapsed hit's Copies to the number of other
// articles in its dup group, whether or not they matched the query.
func countCopies(ctx context.Context, tx *sql.Tx, hits []store.Hit, groupHit map[string]int) error {
	groups := make([]any, 0, len(groupHit))
	for g, i := range groupHit {
		if i < len(hits) {
			groups = append(groups, g)
		}
	}
	if len(groups) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT dup_group, COUNT(*) FROM articles WHERE dup_group IN (`+placeholders(len(groups))+`) GROUP BY dup_group`, groups...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var g string
		var n int
		if err := rows.Scan(&g, &n); err != nil {
			return err
		}
		hits[groupHit[g]].Copies = n - 1
	}
	return rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// isSyntaxError reports whether err is FTS5 rejecting the query text.
func isSyntaxError(err error) bool {
	if err == nil {
		return false
	}
	m := err.Error()
	for _, s := range []string{"fts5: syntax error", "no such column", "unterminated string", "fts5: ", "unknown special query"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// syntaxMessage keeps the engine's explanation without the driver's codes.
func syntaxMessage(err error) string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		err = e
	}
	m := err.Error()
	if i := strings.Index(m, "fts5: "); i >= 0 {
		m = m[i+len("fts5: "):]
	} else if i := strings.Index(m, "no such column"); i >= 0 {
		m = "unknown column filter" + strings.TrimPrefix(m[i:], "no such column")
	}
	m = strings.TrimSuffix(strings.TrimSpace(m), "(1)")
	return strings.TrimSpace(m) + ` (use "quotes" for phrases, AND/OR/NOT, prefix*, title:word)`
}

// plain reports whether text uses none of the query syntax, so that quoting
// its words keeps its meaning.
func plain(text string) bool {
	if strings.ContainsAny(text, `"()*^:+{}`) {
		return false
	}
	for _, w := range strings.Fields(text) {
		switch w {
		case "AND", "OR", "NOT", "NEAR":
			return false
		}
	}
	return true
}

func quoteWords(text string) string {
	f := strings.Fields(text)
	for i, w := range f {
		f[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	return strings.Join(f, " ")
}
