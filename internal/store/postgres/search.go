package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/query"
	"github.com/newsdesk/newsdesk/internal/store"
)

// rankCandidates bounds how many matches a search ranks: past it, only the
// most recently stored matches are ranked (unless Query.RankAll), which
// keeps a query of common words from scoring the whole corpus.
const rankCandidates = 300

// collapseFactor is how far down the ranking a collapsing search reads, as
// a multiple of the limit, to fill the page after copies fold away.
const collapseFactor = 4

// snippetWords is the snippet length in words.
const snippetWords = 24

// compile parses nothing: it stems the leaves of n with every text search
// configuration articles were indexed with, in one statement, and builds
// the plan.
func (s *Store) compile(ctx context.Context, q querier, n *query.Node, a *args) (*plan, error) {
	ls := leaves(n)
	texts := make([]string, 0, len(ls))
	at := make([]int, 0, len(ls))
	for i, l := range ls {
		if t := leafQuery(l); t != "" {
			texts, at = append(texts, t), append(at, i)
		}
	}
	resolved := map[*query.Node]string{}
	if len(texts) > 0 {
		rows, err := q.Query(ctx, `SELECT x.i, string_agg(DISTINCT '(' || x.q::text || ')', ' | ' ORDER BY '(' || x.q::text || ')')
			FROM (SELECT l.i, to_tsquery(c.config::regconfig, l.t) AS q
				FROM unnest($1::text[]) WITH ORDINALITY AS l(t, i) CROSS JOIN search_configs c) x
			WHERE numnode(x.q) > 0 GROUP BY x.i`, texts)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var i int
			var tq string
			if err := rows.Scan(&i, &tq); err != nil {
				rows.Close()
				return nil, err
			}
			resolved[ls[at[i-1]]] = tq
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return build(n, resolved, a), nil
}

// parse reads a query's text, wrapping a syntax error as the interface says.
func parse(text string) (*query.Node, error) {
	n, err := query.Parse(text)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", store.ErrQuerySyntax, err)
	}
	return n, nil
}

// Search implements store.Store. Scores are ts_rank's (title matches
// four times a body's, normalized by the log of the length), not BM25;
// only their order means anything.
func (s *Store) Search(ctx context.Context, q store.Query) ([]store.Hit, error) {
	n, err := parse(q.Text)
	if err != nil {
		return nil, fmt.Errorf("postgres: search %q: %w", q.Text, err)
	}
	var hits []store.Hit
	err = pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{BeginQuery: searchBegin}, func(tx pgx.Tx) error {
		var err error
		hits, err = s.search(ctx, tx, n, q)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: search %q: %w", q.Text, err)
	}
	return hits, nil
}

// searchBegin starts a search's read-only snapshot, in the same round
// trip turning sequential scans off for it (see search).
const searchBegin = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL enable_seqscan = off`

const hitColumns = `a.pk, a.id, a.title, a.url, a.source_name, a.source_domain, a.published, a.language,
	COALESCE(a.dup_group, ''), a.word_count`

func (s *Store) search(ctx context.Context, tx pgx.Tx, n *query.Node, q store.Query) ([]store.Hit, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = store.DefaultSearchLimit
	}
	fetch := limit
	if !q.AllCopies {
		fetch = limit * collapseFactor
	}
	a := &args{}
	p, err := s.compile(ctx, tx, n, a)
	if err != nil {
		return nil, err
	}
	if p.none {
		return []store.Hit{}, nil
	}
	where := p.where + filterSQL(q.Filter, a)
	var sql string
	if p.match == "" {
		// Nothing to rank by ("-biden", "source:x"): the most recently
		// stored matches first.
		from := `articles a`
		if p.usesSearch {
			from += ` JOIN search s ON s.pk = a.pk`
		}
		sql = `SELECT ` + hitColumns + `, 0::real FROM ` + from + ` WHERE TRUE` + where + ` ORDER BY a.pk DESC LIMIT ` + a.add(fetch)
	} else {
		m := a.add(p.match) + `::tsquery`
		rank := `ts_rank('` + rankWeights + `', s.tsv, ` + m + `, 1)`
		if q.RankAll {
			sql = `SELECT ` + hitColumns + `, ` + rank + ` AS score
				FROM search s JOIN articles a ON a.pk = s.pk
				WHERE s.tsv @@ ` + m + where + ` ORDER BY score DESC, a.pk DESC LIMIT ` + a.add(fetch)
		} else {
			from := `search s`
			if where != "" {
				from += ` JOIN articles a ON a.pk = s.pk`
			}
			// The matches come from the GIN index, never from reading
			// search_pkey backwards and testing each row: the planner
			// counts that test as cheap, but it reads the row's toasted
			// tsvector, and two words seldom found together made it read
			// most of the table (1.3 s for one query over 100,000
			// articles). OFFSET 0 keeps the ORDER BY out of the scan, and
			// without sequential scans the bitmap is left, which reads
			// only the narrow heap, however many rows match (searchBegin).
			sql = `SELECT ` + hitColumns + `, ` + rank + ` AS score
				FROM (SELECT m.pk FROM (SELECT s.pk FROM ` + from + ` WHERE s.tsv @@ ` + m + where + ` OFFSET 0) m
					ORDER BY m.pk DESC LIMIT ` + strconv.Itoa(rankCandidates) + `) c
				JOIN search s ON s.pk = c.pk JOIN articles a ON a.pk = c.pk
				ORDER BY score DESC, a.pk DESC LIMIT ` + a.add(fetch)
		}
	}
	// Folded copies can leave a page short: then read further down.
	for {
		hits, pks, index, groupHit, read, err := fold(ctx, tx, sql, a.vals, limit, q.AllCopies)
		if err != nil {
			return nil, err
		}
		if len(hits) < limit && read == fetch && !q.AllCopies {
			fetch *= collapseFactor
			a.vals[len(a.vals)-1] = fetch
			continue
		}
		return s.finish(ctx, tx, q, p, hits, pks, index, groupHit)
	}
}

// fold runs the ranked query and folds copies into their group's hit,
// reporting how many rows it read.
func fold(ctx context.Context, tx pgx.Tx, sql string, vals []any, limit int, allCopies bool) (
	hits []store.Hit, pks []int64, index map[int64]int, groupHit map[string]int, read int, err error) {
	rows, err := tx.Query(ctx, sql, vals...)
	if err != nil {
		return nil, nil, nil, nil, 0, err
	}
	q := store.Query{AllCopies: allCopies}
	index = map[int64]int{}
	groupHit = map[string]int{} // dup group -> index of its hit
	var hitWords []int
	for rows.Next() {
		read++
		var h store.Hit
		var pk int64
		var published *int64
		var words int
		var score float32
		if err := rows.Scan(&pk, &h.ID, &h.Title, &h.URL, &h.Source.Name, &h.Source.Domain, &published, &h.Language, &h.DupGroup, &words, &score); err != nil {
			rows.Close()
			return nil, nil, nil, nil, 0, err
		}
		h.Published, h.Score = millisTime(published), float64(score)
		if !q.AllCopies && h.DupGroup != "" {
			if i, seen := groupHit[h.DupGroup]; seen {
				// The group's fullest copy stands for it, at the rank of
				// its best-matching copy.
				if words > hitWords[i] {
					h.Score = hits[i].Score
					delete(index, pks[i])
					hits[i], pks[i], hitWords[i] = h, pk, words
					index[pk] = i
				}
				continue
			}
			if len(hits) == limit {
				continue
			}
			groupHit[h.DupGroup] = len(hits)
		}
		if len(hits) == limit {
			continue
		}
		index[pk] = len(hits)
		hits, pks, hitWords = append(hits, h), append(pks, pk), append(hitWords, words)
	}
	rows.Close()
	return hits, pks, index, groupHit, read, rows.Err()
}

// finish counts the copies of the hits and cuts their snippets.
func (s *Store) finish(ctx context.Context, tx pgx.Tx, q store.Query, p *plan, hits []store.Hit, pks []int64,
	index map[int64]int, groupHit map[string]int) ([]store.Hit, error) {
	if len(hits) == 0 {
		return []store.Hit{}, nil
	}
	if !q.AllCopies && len(groupHit) > 0 {
		if err := countCopies(ctx, tx, hits, groupHit); err != nil {
			return nil, err
		}
	}
	start, end := q.MarkStart, q.MarkEnd
	if start == "" && end == "" {
		start, end = "**", "**"
	}
	srows, err := tx.Query(ctx, `SELECT pk, head FROM search_heads WHERE pk = ANY($1)`, pks)
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
			hits[i].Snippet = snippet(body, p.terms, start, end, snippetWords)
		}
	}
	return hits, srows.Err()
}

// countCopies sets each collapsed hit's Copies to the number of other
// articles of its dup group, matching or not.
func countCopies(ctx context.Context, tx pgx.Tx, hits []store.Hit, groupHit map[string]int) error {
	groups := make([]string, 0, len(groupHit))
	for g := range groupHit {
		groups = append(groups, g)
	}
	rows, err := tx.Query(ctx, `SELECT dup_group, COUNT(*) FROM articles WHERE dup_group = ANY($1) GROUP BY dup_group`, groups)
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
