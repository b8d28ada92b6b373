package postgres

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The Newsroom methods. Pages are keyset pages: a cursor holds the sort
// key of its page's last item and the next page starts after it, so items
// added meanwhile never repeat one already listed. Cursors are base64url
// text tagged with the list they belong to.

// pageLimit is the page size asked for, within the contract's bounds.
func pageLimit(n int) int {
	switch {
	case n <= 0:
		return store.DefaultPageSize
	case n > store.MaxPageSize:
		return store.MaxPageSize
	}
	return n
}

type cursor struct {
	tag  string
	vals []string
}

func (c cursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.tag + "|" + strings.Join(c.vals, "|")))
}

// parseCursor decodes s for the list tag with n values; "" is the first page.
func parseCursor(s, tag string, n int) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w %q: not base64url", store.ErrBadCursor, s)
	}
	parts := strings.Split(string(raw), "|")
	if parts[0] != tag || len(parts) != n+1 {
		return nil, fmt.Errorf("%w %q: not a cursor of this list", store.ErrBadCursor, s)
	}
	return &cursor{tag: tag, vals: parts[1:]}, nil
}

func (c *cursor) int(i int) (int64, error) {
	v, err := strconv.ParseInt(c.vals[i], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w %q: damaged", store.ErrBadCursor, c.String())
	}
	return v, nil
}

// readTx runs fn in a read-only snapshot.
func (s *Store) readTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, fn)
}

// Articles implements store.Newsroom: newest first by publication (oldest
// first for a story), then by stored order (pk); undated articles after
// the dated ones.
func (s *Store) Articles(ctx context.Context, q store.ArticleQuery) (store.ArticlePage, error) {
	var page store.ArticlePage
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		var err error
		page, err = s.articles(ctx, tx, q)
		return err
	})
	if err != nil {
		return store.ArticlePage{}, wrap("articles", err)
	}
	return page, nil
}

const summaryColumns = `a.pk, a.id, a.title, a.url, a.source_name, a.source_domain, a.published, a.created, a.language,
	a.description, a.word_count, COALESCE(a.dup_group, ''), COALESCE(a.story, '')`

func (s *Store) articles(ctx context.Context, tx pgx.Tx, q store.ArticleQuery) (store.ArticlePage, error) {
	limit := pageLimit(q.Limit)
	asc := q.Story != ""
	tag := "a-"
	if asc {
		tag = "a+"
	}
	c, err := parseCursor(q.Cursor, tag, 2)
	if err != nil {
		return store.ArticlePage{}, err
	}
	dated := true
	var cpub, cpk int64
	if c != nil {
		if c.vals[0] == "" {
			dated = false
		} else if cpub, err = c.int(0); err != nil {
			return store.ArticlePage{}, err
		}
		if cpk, err = c.int(1); err != nil {
			return store.ArticlePage{}, err
		}
	}
	// The key columns: the entity table's for an entity's articles.
	pub, pk := "a.published", "a.pk"
	from := `articles a`
	if q.Entity != "" {
		pub, pk = "e.published", "e.article_pk"
		from = `article_entities e JOIN articles a ON a.pk = e.article_pk`
	}
	filter := func(a *args) string {
		var w strings.Builder
		if q.Entity != "" {
			w.WriteString(` AND e.key = ` + a.add(q.Entity))
		}
		if q.Story != "" {
			w.WriteString(` AND a.story = ` + a.add(q.Story))
		}
		if q.DupGroup != "" {
			g := a.add(q.DupGroup)
			w.WriteString(` AND (a.dup_group = ` + g + ` OR (a.id = ` + g + ` AND a.dup_group IS NULL))`)
		}
		f := q.Filter
		f.Limit = 0
		w.WriteString(filterSQL(f, a))
		return w.String()
	}
	var out []store.Summary
	var lastPK int64
	var lastPub *int64
	more := false
	run := func(cond func(a *args) string, order string) error {
		a := &args{}
		sql := `SELECT ` + summaryColumns + ` FROM ` + from + ` WHERE ` + cond(a) + filter(a) + ` ORDER BY ` + order + ` LIMIT ` + a.add(limit+1-len(out))
		rows, err := tx.Query(ctx, sql, a.vals...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if len(out) == limit {
				more = true
				break
			}
			var sm store.Summary
			var published *int64
			var created int64
			if err := rows.Scan(&lastPK, &sm.ID, &sm.Title, &sm.URL, &sm.Source.Name, &sm.Source.Domain, &published, &created,
				&sm.Language, &sm.Description, &sm.WordCount, &sm.DupGroup, &sm.Story); err != nil {
				return err
			}
			sm.Published, sm.Stored, lastPub = millisTime(published), millisTime(&created), published
			out = append(out, sm)
		}
		return rows.Err()
	}
	dir, cmp := "DESC", "<"
	if asc {
		dir, cmp = "ASC", ">"
	}
	if dated {
		err := run(func(a *args) string {
			if c == nil {
				return pub + ` IS NOT NULL`
			}
			return `(` + pub + `, ` + pk + `) ` + cmp + ` (` + a.add(cpub) + `, ` + a.add(cpk) + `)`
		}, pub+` `+dir+`, `+pk+` `+dir)
		if err != nil {
			return store.ArticlePage{}, err
		}
	}
	if !more && q.Since.IsZero() && q.Until.IsZero() {
		err := run(func(a *args) string {
			if c != nil && !dated {
				return pub + ` IS NULL AND ` + pk + ` ` + cmp + ` ` + a.add(cpk)
			}
			return pub + ` IS NULL`
		}, pk+` `+dir)
		if err != nil {
			return store.ArticlePage{}, err
		}
	}
	page := store.ArticlePage{Articles: out}
	if page.Articles == nil {
		page.Articles = []store.Summary{}
	}
	if more {
		p := ""
		if lastPub != nil {
			p = strconv.FormatInt(*lastPub, 10)
		}
		page.Next = cursor{tag: tag, vals: []string{p, strconv.FormatInt(lastPK, 10)}}.String()
	}
	return page, nil
}

// StoryList implements store.Newsroom. Stories without a last-seen time
// are not listed.
func (s *Store) StoryList(ctx context.Context, q store.StoryQuery) (store.StoryPage, error) {
	page, err := s.storyList(ctx, q)
	if err != nil {
		return store.StoryPage{}, wrap("stories", err)
	}
	return page, nil
}

const storyColumns = `id, headline, first_seen, last_seen, count, outlets, outlet_count`

func (s *Store) storyList(ctx context.Context, q store.StoryQuery) (store.StoryPage, error) {
	limit := pageLimit(q.Limit)
	var keys []string
	switch q.Order {
	case "", store.ByRecency:
		keys = []string{"last_seen", "id"}
	case store.BySize:
		keys = []string{"outlet_count", "count", "last_seen", "id"}
	default:
		return store.StoryPage{}, fmt.Errorf("%w: story order %q (want %q or %q)", store.ErrBadQuery, q.Order, store.ByRecency, store.BySize)
	}
	tag := "s" + strconv.Itoa(len(keys))
	c, err := parseCursor(q.Cursor, tag, len(keys))
	if err != nil {
		return store.StoryPage{}, err
	}
	a := &args{}
	where := `last_seen IS NOT NULL`
	if !q.Since.IsZero() {
		where += ` AND last_seen >= ` + a.add(q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		where += ` AND last_seen < ` + a.add(q.Until.UnixMilli())
	}
	if c != nil {
		ph := make([]string, len(keys))
		for i, k := range keys {
			if k == "id" {
				ph[i] = a.add(c.vals[i])
				continue
			}
			v, err := c.int(i)
			if err != nil {
				return store.StoryPage{}, err
			}
			ph[i] = a.add(v)
		}
		where += ` AND (` + strings.Join(keys, ", ") + `) < (` + strings.Join(ph, ", ") + `)`
	}
	order := strings.Join(keys, " DESC, ") + " DESC"
	rows, err := s.pool.Query(ctx, `SELECT `+storyColumns+` FROM stories WHERE `+where+` ORDER BY `+order+` LIMIT `+a.add(limit+1), a.vals...)
	if err != nil {
		return store.StoryPage{}, err
	}
	defer rows.Close()
	page := store.StoryPage{Stories: []store.StoryState{}}
	var last []string
	for rows.Next() {
		st, n, err := scanStory(rows)
		if err != nil {
			return store.StoryPage{}, err
		}
		if len(page.Stories) == limit {
			page.Next = cursor{tag: tag, vals: last}.String()
			break
		}
		page.Stories = append(page.Stories, st)
		last = []string{strconv.FormatInt(st.Last.UnixMilli(), 10), st.ID}
		if q.Order == store.BySize {
			last = append([]string{strconv.Itoa(n), strconv.Itoa(st.Count)}, last...)
		}
	}
	return page, rows.Err()
}

func scanStory(row pgx.Row) (store.StoryState, int, error) {
	var st store.StoryState
	var first, last *int64
	var outlets []byte
	var n int
	if err := row.Scan(&st.ID, &st.Headline, &first, &last, &st.Count, &outlets, &n); err != nil {
		return st, 0, err
	}
	st.First, st.Last = millisTime(first), millisTime(last)
	if err := json.Unmarshal(outlets, &st.Outlets); err != nil {
		return st, 0, fmt.Errorf("story %s: outlets: %w", st.ID, err)
	}
	return st, n, nil
}

// Story implements store.Newsroom.
func (s *Store) Story(ctx context.Context, id string) (store.StoryState, error) {
	st, _, err := scanStory(s.pool.QueryRow(ctx, `SELECT `+storyColumns+` FROM stories WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.StoryState{}, wrap("story "+id, err)
	}
	return st, nil
}

// TopEntities implements store.Newsroom: entities by the number of
// articles mentioning them, then by mentions, then by key; an entity's
// text is that of its newest article.
func (s *Store) TopEntities(ctx context.Context, q store.EntityQuery) ([]store.EntityCount, error) {
	a := &args{}
	where := `TRUE`
	if !q.Since.IsZero() {
		where += ` AND published >= ` + a.add(q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		where += ` AND published < ` + a.add(q.Until.UnixMilli())
	}
	if q.Type != "" {
		where += ` AND type = ` + a.add(strings.ToLower(q.Type))
	}
	if q.Story != "" {
		where += ` AND article_pk IN (SELECT pk FROM articles WHERE story = ` + a.add(q.Story) + `)`
	}
	rows, err := s.pool.Query(ctx, `SELECT t.key,
			COALESCE((SELECT x.text FROM article_entities x WHERE x.key = t.key ORDER BY x.published DESC NULLS LAST LIMIT 1), ''),
			t.type, t.n, t.m
		FROM (SELECT key, MIN(type) AS type, COUNT(*) AS n, SUM(mentions) AS m FROM article_entities WHERE `+where+`
			GROUP BY key ORDER BY n DESC, m DESC, key LIMIT `+a.add(pageLimit(q.Limit))+`) t
		ORDER BY t.n DESC, t.m DESC, t.key`, a.vals...)
	if err != nil {
		return nil, wrap("top entities", err)
	}
	defer rows.Close()
	out := []store.EntityCount{}
	for rows.Next() {
		var e store.EntityCount
		if err := rows.Scan(&e.Key, &e.Text, &e.Type, &e.Articles, &e.Mentions); err != nil {
			return nil, wrap("top entities", err)
		}
		out = append(out, e)
	}
	return out, wrap("top entities", rows.Err())
}

// Entity implements store.Newsroom; its text and type are those of its
// newest article.
func (s *Store) Entity(ctx context.Context, key string) (store.EntityCount, error) {
	e := store.EntityCount{Key: key}
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		var mentions *int64
		if err := tx.QueryRow(ctx, `SELECT COUNT(*), SUM(mentions)::bigint FROM article_entities WHERE key = $1`, key).Scan(&e.Articles, &mentions); err != nil {
			return err
		}
		if e.Articles == 0 {
			return store.ErrNotFound
		}
		e.Mentions = int(*mentions)
		return tx.QueryRow(ctx, `SELECT text, type FROM article_entities WHERE key = $1 ORDER BY published DESC NULLS LAST LIMIT 1`, key).
			Scan(&e.Text, &e.Type)
	})
	if err != nil {
		return store.EntityCount{}, wrap("entity "+key, err)
	}
	return e, nil
}

// Coverage implements store.Newsroom. A copy group counts once, at its
// earliest matching copy, unless q.AllCopies; undated articles are not
// counted.
func (s *Store) Coverage(ctx context.Context, q store.CoverageQuery) ([]store.Bucket, error) {
	var out []store.Bucket
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = s.coverage(ctx, tx, q)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: coverage %q: %w", q.Text, err)
	}
	return out, nil
}

func (s *Store) coverage(ctx context.Context, tx pgx.Tx, q store.CoverageQuery) ([]store.Bucket, error) {
	size := q.Bucket
	maxN := store.MaxCoverageDays
	switch size {
	case 0, 24 * time.Hour:
		size = 24 * time.Hour
	case time.Hour:
		maxN = store.MaxCoverageHours
	default:
		return nil, fmt.Errorf("%w: bucket %v (want 24h or 1h)", store.ErrBadQuery, q.Bucket)
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Until.After(q.Since) {
		return nil, fmt.Errorf("%w: until %s is not after since %s", store.ErrBadQuery, q.Until.Format(time.RFC3339), q.Since.Format(time.RFC3339))
	}
	a := &args{}
	p := &plan{args: a}
	if strings.TrimSpace(q.Text) != "" {
		n, err := parse(q.Text)
		if err != nil {
			return nil, err
		}
		if p, err = s.compile(ctx, tx, n, a); err != nil {
			return nil, err
		}
	}
	ms := size.Milliseconds()
	var counts map[int64]int
	if !p.none {
		f := q.Filter
		f.Limit = 0
		where := ` AND a.published IS NOT NULL` + p.where + filterSQL(f, a)
		from := `articles a`
		if p.match != "" || p.usesSearch {
			from += ` JOIN search s ON s.pk = a.pk`
		}
		if p.match != "" {
			where += ` AND s.tsv @@ ` + a.add(p.match) + `::tsquery`
		}
		inner := `SELECT a.published AS p FROM ` + from + ` WHERE TRUE` + where
		if !q.AllCopies {
			inner = `SELECT MIN(a.published) AS p FROM ` + from + ` WHERE TRUE` + where + ` GROUP BY COALESCE(a.dup_group, a.id)`
		}
		m := a.add(ms)
		rows, err := tx.Query(ctx, `SELECT floor(p::numeric / `+m+`)::bigint AS b, COUNT(*) FROM (`+inner+`) x GROUP BY b`, a.vals...)
		if err != nil {
			return nil, err
		}
		counts = map[int64]int{}
		for rows.Next() {
			var b int64
			var n int
			if err := rows.Scan(&b, &n); err != nil {
				rows.Close()
				return nil, err
			}
			counts[b] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	var lo, hi int64
	first := true
	for b := range counts {
		if first || b < lo {
			lo = b
		}
		if first || b > hi {
			hi = b
		}
		first = false
	}
	if !q.Since.IsZero() {
		lo = floorDiv(q.Since.UnixMilli(), ms)
	}
	if !q.Until.IsZero() {
		hi = floorDiv(q.Until.UnixMilli()-1, ms)
	}
	if first && (q.Since.IsZero() || q.Until.IsZero()) {
		return []store.Bucket{}, nil
	}
	if n := hi - lo + 1; n > int64(maxN)+1 {
		return nil, fmt.Errorf("%w: %d buckets of %v from %s (at most %d; narrow since/until)", store.ErrBadQuery, n, size,
			time.UnixMilli(lo*ms).UTC().Format(time.RFC3339), maxN)
	}
	out := make([]store.Bucket, 0, hi-lo+1)
	for b := lo; b <= hi; b++ {
		out = append(out, store.Bucket{Start: time.UnixMilli(b * ms).UTC(), Count: counts[b]})
	}
	return out, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
