package sqlite

// This file holds everything specific to SQLite's FTS5 full-text engine; a
// PostgreSQL store would put tsvector columns and ts_rank here instead.

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/query"
	"github.com/newsdesk/newsdesk/internal/store"
	sqlite3 "modernc.org/sqlite"
)

// ftsSchemaV2 is the index as migration 2 created it: title and body,
// stored in the index, each run of CJK characters one token.
var ftsSchemaV2 = []string{
	`CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')`,
	`INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)')`,
	`INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', 33554432)`,
}

// ftsSchemaV5 rebuilds the index (migration 5). The porter stemmer wraps
// unicode61 with diacritics folded, so "elections" finds "election" and
// "cafe" finds "café"; CJK runs are indexed as bigrams (cjk.go); the
// authors are a third column, for author:. The title weighs four times the
// body in BM25. Row ids are articles.pk.
//
// The index is contentless: it holds no copy of the text. Snippets read
// fts_head, the first snippetHead bytes of each body, so that a search
// matching a 200 MB article reads 64 KiB of it, not all.
var ftsSchemaV5 = []string{
	`CREATE TABLE fts_head (
		pk   INTEGER PRIMARY KEY,
		head TEXT NOT NULL
	)`,
	`INSERT INTO fts_head(pk, head) SELECT rowid, newsdesk_head(body) FROM articles_fts`,
	`CREATE VIRTUAL TABLE articles_fts5 USING fts5(title, body, authors, content = '', contentless_delete = 1,
		tokenize = 'porter unicode61 remove_diacritics 2')`,
	`INSERT INTO articles_fts5(rowid, title, body, authors)
		SELECT f.rowid, newsdesk_cjk(f.title), newsdesk_cjk(f.body), COALESCE((` + qAuthors + ` WHERE a.pk = f.rowid), '')
		FROM articles_fts f`,
	`DROP TABLE articles_fts`,
	`ALTER TABLE articles_fts5 RENAME TO articles_fts`,
	`INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(` + rankWeights + `)')`,
	// Keep a whole batch's terms in memory until commit: the default 1 MiB
	// flushes every few dozen articles into small segments that then cost
	// merges.
	`INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', 33554432)`,
}

// qAuthors selects the authors of the current version of article a, from
// its stored record, one per line.
const qAuthors = `SELECT newsdesk_authors(v.codec, v.record) FROM articles a
	JOIN article_versions v ON v.article_pk = a.pk AND v.version = a.version`

// snippetHead is how many bytes of each body fts_head keeps for snippets.
const snippetHead = 64 << 10

func init() {
	// SQL functions for the index, registered with the driver for every
	// connection: migration 5 reindexes with them, and writes use them.
	sqlite3.MustRegisterDeterministicScalarFunction("newsdesk_cjk", 1, func(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
		s, _ := args[0].(string)
		return cjkBigrams(s), nil
	})
	sqlite3.MustRegisterDeterministicScalarFunction("newsdesk_head", 1, func(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
		s, _ := args[0].(string)
		return head(s), nil
	})
	sqlite3.MustRegisterDeterministicScalarFunction("newsdesk_authors", 2, func(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
		codec, _ := args[0].(string)
		rec, _ := args[1].([]byte)
		data, err := decompress(rec, codec, 0)
		if err != nil {
			return nil, fmt.Errorf("sqlite: authors: %w", err)
		}
		var a struct {
			Authors []string `json:"authors"`
		}
		if err := json.Unmarshal(data, &a); err != nil {
			return nil, fmt.Errorf("sqlite: authors: %w", err)
		}
		return strings.Join(a.Authors, "\n"), nil
	})
}

// head returns the first snippetHead bytes of s, cut at a character.
func head(s string) string {
	if len(s) <= snippetHead {
		return s
	}
	i := snippetHead
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
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
	pk                   int64
	title, body, authors string
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

// insert indexes an article; authors are joined by newlines, as the
// migration's newsdesk_authors joins them.
func (b *ftsBatch) insert(pk int64, title, body, authors string) {
	if b.rows == nil {
		b.rows = map[int64]int{}
	}
	b.rows[pk] = len(b.ins)
	b.ins = append(b.ins, ftsRow{pk, title, body, authors})
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
		args := make([]any, 0, 4*n)
		heads := make([]any, 0, 2*n)
		for _, r := range rows[:n] {
			args = append(args, r.pk, cjkBigrams(r.title), cjkBigrams(r.body), r.authors)
			heads = append(heads, r.pk, head(r.body))
		}
		// The authors come from the article in hand: reading them back from
		// the stored record decoded every record once more.
		q := `INSERT INTO articles_fts(rowid, title, body, authors) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", n), ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("index: %w", err)
		}
		q = `INSERT OR REPLACE INTO fts_head(pk, head) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?), ", n), ", ")
		if _, err := tx.ExecContext(ctx, q, heads...); err != nil {
			return fmt.Errorf("index: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// snippetTokens is the snippet length in tokens.
const snippetTokens = 24

// Search implements store.Store. The query text is parsed by package
// query and compiled to FTS5 here; a syntax error wraps both
// store.ErrQuerySyntax and the *query.SyntaxError that says where.
func (s *Store) Search(ctx context.Context, q store.Query) ([]store.Hit, error) {
	n, err := query.Parse(q.Text)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search %q: %w: %w", q.Text, store.ErrQuerySyntax, err)
	}
	hits, err := s.search(ctx, compile(n), q)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search %q: %w", q.Text, err)
	}
	return hits, nil
}

func (s *Store) search(ctx context.Context, p plan, q store.Query) ([]store.Hit, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = store.DefaultSearchLimit
	}
	fwhere, fargs := filterSQL(q.Filter)
	where := p.where + fwhere
	args := append(slices.Clone(p.args), fargs...)
	fetch := limit
	if !q.AllCopies {
		// Copies collapse into one hit, so read further down the ranking.
		fetch = limit * collapseFactor
	}
	// One read transaction (and one connection taken from the pool), so
	// that the ranking, the rows and the snippets come from one snapshot.
	tx, err := s.reader(ctx).BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()
	var query string
	rankAlone := false // rank in the index alone, then read the articles
	rankInGo := false  // the index's rows come newest first: sort them by score
	if p.match == "" {
		// Nothing to rank by ("-biden", "source:x"): the most recently
		// stored matches first.
		query = `SELECT a.pk, a.id, a.title, a.url, a.source_name, a.source_domain, a.published, a.language, COALESCE(a.dup_group, ''), a.word_count, 0
			FROM articles a WHERE 1 = 1` + where + ` ORDER BY a.pk DESC LIMIT ?`
		args = append(args, fetch)
	} else if where == "" && !q.RankAll {
		// BM25 ranking scores every match before sorting, so a query of
		// very common words would score the whole corpus: only the
		// rankCandidates most recently stored matches are ranked (news
		// readers want the recent coverage of a broad query first). FTS5
		// walks the match list newest first and stops there, scoring
		// only those rows, and they are sorted by score here; only the
		// fetched articles' rows are then read.
		rankAlone, rankInGo = true, true
		args = []any{p.match, rankCandidates} // for s.ss.rankRecent
	} else {
		// With a filter on the articles, the bound is the rowid of the
		// rankCandidates-th most recent match that passes it (one
		// rank-free scan of the match list), unless q.RankAll.
		var floor int64 // 0 ranks every match
		floorQuery := `SELECT articles_fts.rowid FROM articles_fts JOIN articles a ON a.pk = articles_fts.rowid
			WHERE articles_fts MATCH ?` + where + ` ORDER BY articles_fts.rowid DESC LIMIT 1 OFFSET ?`
		if where == "" {
			floorQuery = `SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?`
		}
		if !q.RankAll {
			err := tx.QueryRowContext(ctx, floorQuery, append(append([]any{p.match}, args...), rankCandidates-1)...).Scan(&floor)
			if err != nil && err != sql.ErrNoRows {
				return nil, err
			}
		}
		// bm25() with the rank weights, not the rank column: ORDER BY rank
		// makes FTS5 score every match, ignoring the rowid bound. No LIMIT:
		// with one, SQLite sorts into a temporary b-tree, whose page cache
		// is mapped and unmapped for every query (a quarter of the CPU of a
		// search under load); without, it uses its sorter, and the rows
		// past fetch are not read.
		if where == "" {
			// Nothing to filter on in the articles: rank in the index
			// alone, and read only the fetched articles' rows.
			rankAlone = true
			query = `SELECT rowid, bm25(articles_fts, ` + rankWeights + `) AS score
				FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= ? ORDER BY score`
		} else {
			query = `SELECT a.pk, a.id, a.title, a.url, a.source_name, a.source_domain, a.published, a.language, COALESCE(a.dup_group, ''), a.word_count,
					bm25(articles_fts, ` + rankWeights + `) AS score
				FROM articles_fts JOIN articles a ON a.pk = articles_fts.rowid
				WHERE articles_fts MATCH ? AND articles_fts.rowid >= ?` + where + `
				ORDER BY score`
		}
		args = append([]any{p.match, floor}, args...)
	}

	var f folded
	for {
		var cands []candidate
		if rankAlone {
			var ranks *sql.Rows
			if rankInGo {
				ranks, err = tx.StmtContext(ctx, s.ss.rankRecent).QueryContext(ctx, args...)
			} else {
				ranks, err = tx.QueryContext(ctx, query, args...)
			}
			if err != nil {
				return nil, err
			}
			cands, err = rankedCandidates(ctx, ranks, fetch, rankInGo, tx.StmtContext(ctx, s.ss.rows))
		} else {
			cands, err = readCandidates(ctx, tx, query, args, fetch)
		}
		if err != nil {
			return nil, err
		}
		f = fold(cands, limit, q.AllCopies)
		// Copies folded away can leave the page short: read further.
		if len(f.hits) >= limit || len(cands) < fetch {
			break
		}
		fetch *= collapseFactor
	}
	hits, pks, index, groupHit := f.hits, f.pks, f.index, f.groupHit
	if len(hits) == 0 {
		return []store.Hit{}, nil
	}

	if !q.AllCopies && len(groupHit) > 0 {
		if err := countCopies(ctx, tx.StmtContext(ctx, s.ss.copies), hits, groupHit); err != nil {
			return nil, err
		}
	}

	// Snippets only for the hits kept: snippet() is the costly part.
	start, end := q.MarkStart, q.MarkEnd
	if start == "" && end == "" {
		start, end = "**", "**"
	}
	// The snippet is cut in Go from the head of the body (fts_head, at
	// most snippetHead bytes): FTS5's snippet() has to seek each row in the
	// match's position lists, which for common words costs more than the
	// whole ranking, and would read a huge body whole.
	srows, err := tx.StmtContext(ctx, s.ss.heads).QueryContext(ctx, pkList(pks))
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
			hits[i].Snippet = snippet(body, p.terms, start, end, snippetTokens)
		}
	}
	if err := srows.Err(); err != nil {
		return nil, err
	}
	return hits, nil
}

// rankWeights weighs a title match four times a body or author match.
const rankWeights = "4.0, 1.0, 1.0"

// candidate is a ranked match with what folding copies needs.
type candidate struct {
	pk    int64
	hit   store.Hit
	words int
}

// candidateColumns are the articles' columns that a candidate is read from.
const candidateColumns = `a.pk, a.id, a.title, a.url, a.source_name, a.source_domain, a.published, a.language, COALESCE(a.dup_group, ''), a.word_count`

// scanCandidate reads candidateColumns and a BM25 rank.
func scanCandidate(rows *sql.Rows) (candidate, error) {
	var c candidate
	var published sql.NullInt64
	var rank float64
	h := &c.hit
	if err := rows.Scan(&c.pk, &h.ID, &h.Title, &h.URL, &h.Source.Name, &h.Source.Domain, &published, &h.Language, &h.DupGroup, &c.words, &rank); err != nil {
		return c, err
	}
	if published.Valid {
		h.Published = time.UnixMilli(published.Int64).UTC()
	}
	h.Score = -rank
	return c, nil
}

// folded is a page of hits with copies folded: each hit's pk (as a query
// argument), the position of each pk among the hits, and each dup
// group's hit.
type folded struct {
	hits     []store.Hit
	pks      []int64
	index    map[int64]int
	groupHit map[string]int
}

// fold takes up to limit hits from the candidates, best first; unless
// allCopies, the copies of one dup group fold into one hit: the group's
// fullest copy (its representative, usually the original), at the rank of
// its best-matching copy.
func fold(cands []candidate, limit int, allCopies bool) folded {
	f := folded{index: map[int64]int{}, groupHit: map[string]int{}}
	var hitWords []int // word count of each hit, to pick the fullest copy
	for _, c := range cands {
		h, pk, words := c.hit, c.pk, c.words
		if !allCopies && h.DupGroup != "" {
			if i, seen := f.groupHit[h.DupGroup]; seen {
				if i < len(f.hits) && words > hitWords[i] {
					hitWords[i] = words
					delete(f.index, f.pks[i])
					h.Score = f.hits[i].Score
					f.hits[i], f.pks[i] = h, pk
					f.index[pk] = i
				}
				continue
			}
			f.groupHit[h.DupGroup] = len(f.hits)
		}
		if len(f.hits) == limit {
			continue // keep counting copies of the hits already taken
		}
		f.index[pk] = len(f.hits)
		f.hits = append(f.hits, h)
		hitWords = append(hitWords, words)
		f.pks = append(f.pks, pk)
	}
	return f
}

// readCandidates reads up to fetch candidates from a query that selects
// candidateColumns and a rank, best first.
func readCandidates(ctx context.Context, tx *sql.Tx, query string, args []any, fetch int) ([]candidate, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []candidate
	for len(out) < fetch && rows.Next() {
		c, err := scanCandidate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// rankedCandidates reads the best fetch (rowid, rank) pairs from rows,
// which it closes, then those articles' rows. The rows come best first,
// or, with sortByRank, in any order (all of them are read and sorted by
// rank, the lowest BM25 value first, then newest first).
func rankedCandidates(ctx context.Context, rows *sql.Rows, fetch int, sortByRank bool, articleRows *sql.Stmt) ([]candidate, error) {
	type ranked struct {
		pk   int64
		rank float64
	}
	var all []ranked
	for (sortByRank || len(all) < fetch) && rows.Next() {
		var r ranked
		if err := rows.Scan(&r.pk, &r.rank); err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if sortByRank {
		slices.SortStableFunc(all, func(a, b ranked) int {
			if c := cmp.Compare(a.rank, b.rank); c != 0 {
				return c
			}
			return cmp.Compare(b.pk, a.pk)
		})
		all = all[:min(len(all), fetch)]
	}
	pks := make([]int64, len(all))
	ranks := make(map[int64]float64, len(all))
	for i, r := range all {
		pks[i] = r.pk
		ranks[r.pk] = r.rank
	}
	if len(pks) == 0 {
		return nil, nil
	}
	drows, err := articleRows.QueryContext(ctx, pkList(pks))
	if err != nil {
		return nil, err
	}
	defer drows.Close()
	byPK := make(map[int64]candidate, len(pks))
	for drows.Next() {
		c, err := scanCandidate(drows)
		if err != nil {
			return nil, err
		}
		c.hit.Score = -ranks[c.pk]
		byPK[c.pk] = c
	}
	if err := drows.Err(); err != nil {
		return nil, err
	}
	out := make([]candidate, 0, len(pks))
	for _, pk := range pks {
		if c, ok := byPK[pk]; ok { // an index row without its article is Check's to report
			out = append(out, c)
		}
	}
	return out, nil
}

// rankCandidates bounds how many matches a search ranks; see search.
const rankCandidates = 300

// collapseFactor is how far down the ranking a collapsing search reads, as
// a multiple of the limit, to fill the page after copies fold away.
const collapseFactor = 4

// countCopies sets each collapsed hit's Copies to the number of other
// articles in its dup group, whether or not they matched the query.
func countCopies(ctx context.Context, copies *sql.Stmt, hits []store.Hit, groupHit map[string]int) error {
	groups := make([]string, 0, len(groupHit))
	for g, i := range groupHit {
		if i < len(hits) {
			groups = append(groups, g)
		}
	}
	if len(groups) == 0 {
		return nil
	}
	rows, err := copies.QueryContext(ctx, stringList(groups))
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

// valuesTable returns a table of n rows of one bound value each, to join
// with instead of "IN (?, …)": SQLite builds a temporary b-tree for an IN
// list (see search), and none for a VALUES table. Values must be distinct.
func valuesTable(n int) string {
	return "(VALUES " + strings.TrimSuffix(strings.Repeat("(?), ", n), ", ") + ")"
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
