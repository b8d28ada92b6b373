package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/query"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The Newsroom methods: pages of articles, stories and entities, coverage
// over time, and the followed feeds (tables of migration 6,
// newsroom_schema.go).
//
// Pages are keyset pages: a cursor holds the sort key of the last item of
// its page, and the next page starts after it, so items added meanwhile
// never repeat an item already listed (they appear on a later page when
// they sort after the cursor, or not at all). Cursors are base64url text,
// tagged with the list they belong to.

var _ store.Newsroom = (*Store)(nil)

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

// cursor is a decoded page cursor: the list's tag and the sort key of the
// last item listed.
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

func msTime(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// Articles implements store.Newsroom. The articles are in publication order
// (newest first, or oldest first for a story), then in stored order (pk);
// undated articles come after the dated ones. The walk runs in two phases,
// dated then undated, so each is one index range.
func (s *Store) Articles(ctx context.Context, q store.ArticleQuery) (store.ArticlePage, error) {
	page, err := s.articles(ctx, q)
	if err != nil {
		return store.ArticlePage{}, fmt.Errorf("sqlite: articles: %w", err)
	}
	return page, nil
}

const summaryColumns = `a.pk, a.id, a.title, a.url, a.source_name, a.source_domain, a.published, a.created, a.language,
	a.description, a.word_count, COALESCE(a.dup_group, ''), COALESCE(a.story, '')`

func (s *Store) articles(ctx context.Context, q store.ArticleQuery) (store.ArticlePage, error) {
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
	// The key columns: the entity table's when listing an entity's
	// articles (its index is (key, published), pk implied).
	pub, pk := "a.published", "a.pk"
	from := `articles a`
	var where strings.Builder
	var args []any
	if q.Entity != "" {
		pub, pk = "e.published", "e.article_pk"
		from = `article_entities e JOIN articles a ON a.pk = e.article_pk`
		where.WriteString(` AND e.key = ?`)
		args = append(args, q.Entity)
	}
	if q.Story != "" {
		where.WriteString(` AND a.story = ?`)
		args = append(args, q.Story)
	}
	if q.DupGroup != "" {
		where.WriteString(` AND (a.dup_group = ? OR (a.id = ? AND a.dup_group IS NULL))`)
		args = append(args, q.DupGroup, q.DupGroup)
	}
	f := q.Filter
	f.Limit = 0
	fw, fa := filterSQL(f)
	where.WriteString(fw)
	args = append(args, fa...)

	// The cursor: its published time ("" for an undated article) and pk.
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
	undatedOK := f.Since.IsZero() && f.Until.IsZero()
	tx, err := s.reader(ctx).BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return store.ArticlePage{}, err
	}
	defer func() { _ = tx.Rollback() }()
	var out []store.Summary
	var lastPK int64
	var lastPub sql.NullInt64
	more := false
	run := func(cond string, cargs []any, order string) error {
		qs := `SELECT ` + summaryColumns + ` FROM ` + from + ` WHERE ` + cond + where.String() + ` ORDER BY ` + order + ` LIMIT ?`
		all := append(append(slices.Clone(cargs), args...), limit+1-len(out))
		rows, err := tx.QueryContext(ctx, qs, all...)
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
			var published sql.NullInt64
			var created int64
			if err := rows.Scan(&lastPK, &sm.ID, &sm.Title, &sm.URL, &sm.Source.Name, &sm.Source.Domain, &published, &created,
				&sm.Language, &sm.Description, &sm.WordCount, &sm.DupGroup, &sm.Story); err != nil {
				return err
			}
			sm.Published, sm.Stored, lastPub = msTime(published), time.UnixMilli(created).UTC(), published
			out = append(out, sm)
		}
		return rows.Err()
	}
	dir, cmp, cmpEq := "DESC", "<", "<="
	if asc {
		dir, cmp, cmpEq = "ASC", ">", ">="
	}
	if dated {
		cond := pub + ` IS NOT NULL`
		var cargs []any
		if c != nil {
			cond = pub + ` ` + cmpEq + ` ? AND (` + pub + ` ` + cmp + ` ? OR ` + pk + ` ` + cmp + ` ?)`
			cargs = []any{cpub, cpub, cpk}
		}
		if err := run(cond, cargs, pub+` `+dir+`, `+pk+` `+dir); err != nil {
			return store.ArticlePage{}, err
		}
	}
	if !more && len(out) < limit+1 && undatedOK {
		cond := pub + ` IS NULL`
		var cargs []any
		if c != nil && !dated {
			cond += ` AND ` + pk + ` ` + cmp + ` ?`
			cargs = []any{cpk}
		}
		if err := run(cond, cargs, pk+` `+dir); err != nil {
			return store.ArticlePage{}, err
		}
	}
	page := store.ArticlePage{Articles: out}
	if page.Articles == nil {
		page.Articles = []store.Summary{}
	}
	if more {
		p := ""
		if lastPub.Valid {
			p = strconv.FormatInt(lastPub.Int64, 10)
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
		return store.StoryPage{}, fmt.Errorf("sqlite: stories: %w", err)
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
	where := `last_seen IS NOT NULL`
	var args []any
	if !q.Since.IsZero() {
		where += ` AND last_seen >= ?`
		args = append(args, q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		where += ` AND last_seen < ?`
		args = append(args, q.Until.UnixMilli())
	}
	if c != nil {
		vals := make([]any, len(keys))
		for i := range keys {
			if keys[i] == "id" {
				vals[i] = c.vals[i]
				continue
			}
			if vals[i], err = c.int(i); err != nil {
				return store.StoryPage{}, err
			}
		}
		where += ` AND (` + strings.Join(keys, ", ") + `) < (` + placeholders(len(keys)) + `)`
		args = append(args, vals...)
	}
	order := strings.Join(keys, " DESC, ") + " DESC"
	bound := ` LIMIT ?`
	args = append(args, limit+1)
	if q.Order == store.BySize && !q.Since.IsZero() {
		// The stories of a period (the front page's last day) are an
		// index range on last_seen (a covering one), then sorted: the size
		// index would walk every story. No LIMIT: with one, SQLite sorts
		// into a temporary b-tree whose page cache is mapped and unmapped
		// per query (see search); the loop below stops at the page's end.
		order = "+" + order
		bound = ""
		args = args[:len(args)-1]
	}
	rows, err := s.reader(ctx).QueryContext(ctx, `SELECT `+storyColumns+` FROM stories WHERE `+where+` ORDER BY `+order+bound, args...)
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

func scanStory(rows interface{ Scan(...any) error }) (store.StoryState, int, error) {
	var st store.StoryState
	var first, last sql.NullInt64
	var outlets string
	var n sql.NullInt64
	if err := rows.Scan(&st.ID, &st.Headline, &first, &last, &st.Count, &outlets, &n); err != nil {
		return st, 0, err
	}
	st.First, st.Last = msTime(first), msTime(last)
	if err := json.Unmarshal([]byte(outlets), &st.Outlets); err != nil {
		return st, 0, fmt.Errorf("story %s: outlets: %w", st.ID, err)
	}
	return st, int(n.Int64), nil
}

// Story implements store.Newsroom.
func (s *Store) Story(ctx context.Context, id string) (store.StoryState, error) {
	st, _, err := scanStory(s.reader(ctx).QueryRowContext(ctx, `SELECT `+storyColumns+` FROM stories WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.StoryState{}, fmt.Errorf("sqlite: story %s: %w", id, err)
	}
	return st, nil
}

// TopEntities implements store.Newsroom: entities by the number of
// articles mentioning them, then by mentions, then by key. An entity's
// text is that of its newest article.
func (s *Store) TopEntities(ctx context.Context, q store.EntityQuery) ([]store.EntityCount, error) {
	where := `1 = 1`
	group := `key` // all time: the key index, read in order
	var args []any
	if !q.Since.IsZero() {
		where += ` AND published >= ?`
		args = append(args, q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		where += ` AND published < ?`
		args = append(args, q.Until.UnixMilli())
	}
	if len(args) > 0 {
		group = `+key` // a period: a range of the published index, grouped after
	}
	if q.Type != "" {
		where += ` AND type = ?`
		args = append(args, strings.ToLower(q.Type))
	}
	from := `article_entities`
	if q.Story != "" {
		// A story's articles off the story index, then their entities
		// off the primary key.
		from = `articles a CROSS JOIN article_entities ON article_pk = a.pk`
		where += ` AND a.story = ?`
		args = append(args, q.Story)
		group = `+key`
	}
	// No LIMIT on the sorted counts: with one, SQLite sorts into a
	// temporary b-tree (see search); the loop stops at the page's end.
	rows, err := s.reader(ctx).QueryContext(ctx, `SELECT key, type, COUNT(*) AS n, SUM(mentions) AS m FROM `+from+` WHERE `+where+`
			GROUP BY `+group+` ORDER BY n DESC, m DESC, key`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: top entities: %w", err)
	}
	defer rows.Close()
	out := []store.EntityCount{}
	limit := pageLimit(q.Limit)
	for len(out) < limit && rows.Next() {
		var e store.EntityCount
		if err := rows.Scan(&e.Key, &e.Type, &e.Articles, &e.Mentions); err != nil {
			return nil, fmt.Errorf("sqlite: top entities: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: top entities: %w", err)
	}
	rows.Close()
	if err := s.entityTexts(ctx, out); err != nil {
		return nil, fmt.Errorf("sqlite: top entities: %w", err)
	}
	return out, nil
}

// entityTexts sets each entity's text to its newest article's: one look-up
// on the key index per entity, in one query.
func (s *Store) entityTexts(ctx context.Context, ents []store.EntityCount) error {
	if len(ents) == 0 {
		return nil
	}
	keys := make([]any, len(ents))
	at := make(map[string]int, len(ents))
	for i, e := range ents {
		keys[i] = e.Key
		at[e.Key] = i
	}
	rows, err := s.reader(ctx).QueryContext(ctx, `SELECT v.column1, COALESCE((SELECT x.text FROM article_entities x WHERE x.key = v.column1 ORDER BY x.published DESC LIMIT 1), '')
		FROM `+valuesTable(len(keys))+` v`, keys...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key, text string
		if err := rows.Scan(&key, &text); err != nil {
			return err
		}
		ents[at[key]].Text = text
	}
	return rows.Err()
}

// Entity implements store.Newsroom. Its text and type are those of its
// newest article.
func (s *Store) Entity(ctx context.Context, key string) (store.EntityCount, error) {
	e := store.EntityCount{Key: key}
	var mentions sql.NullInt64
	err := s.reader(ctx).QueryRowContext(ctx, `SELECT COUNT(*), SUM(mentions) FROM article_entities WHERE key = ?`, key).Scan(&e.Articles, &mentions)
	if err == nil && e.Articles == 0 {
		err = store.ErrNotFound
	}
	if err == nil {
		err = s.reader(ctx).QueryRowContext(ctx, `SELECT text, type FROM article_entities WHERE key = ? ORDER BY published DESC LIMIT 1`, key).Scan(&e.Text, &e.Type)
	}
	if err != nil {
		return store.EntityCount{}, fmt.Errorf("sqlite: entity %s: %w", key, err)
	}
	e.Mentions = int(mentions.Int64)
	return e, nil
}

// Coverage implements store.Newsroom. A copy group counts once, at its
// earliest matching copy, unless q.AllCopies; undated articles are not
// counted.
func (s *Store) Coverage(ctx context.Context, q store.CoverageQuery) ([]store.Bucket, error) {
	out, err := s.coverage(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sqlite: coverage %q: %w", q.Text, err)
	}
	return out, nil
}

func (s *Store) coverage(ctx context.Context, q store.CoverageQuery) ([]store.Bucket, error) {
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
	var p plan
	if strings.TrimSpace(q.Text) != "" {
		n, err := query.Parse(q.Text)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", store.ErrQuerySyntax, err)
		}
		p = compile(n)
	}
	f := q.Filter
	f.Limit = 0
	fw, fa := filterSQL(f)
	from := `articles a`
	where := ` AND a.published IS NOT NULL` + p.where + fw
	args := append(slices.Clone(p.args), fa...)
	if p.match != "" {
		from = `articles_fts JOIN articles a ON a.pk = articles_fts.rowid`
		if p.where+fw == "" {
			// Only dates and groups are read: the narrow index covers
			// them, where the planner would read each row by its key.
			from = `articles_fts JOIN articles a INDEXED BY articles_pk_time ON a.pk = articles_fts.rowid`
		}
		where = ` AND articles_fts MATCH ?` + where
		args = append([]any{p.match}, args...)
	}
	ms := size.Milliseconds()
	// The matching articles' publication times, one per copy group
	// (its first copy's) unless AllCopies: one pass over the matches.
	inner := `SELECT a.published AS p FROM ` + from + ` WHERE 1 = 1` + where
	iargs := args
	switch {
	case q.AllCopies:
	case p.match != "":
		inner = `SELECT MIN(a.published) AS p FROM ` + from + ` WHERE 1 = 1` + where + ` GROUP BY COALESCE(a.dup_group, a.pk)`
	default:
		// Without a text to match, the groups' first copies come off
		// the dup group index and the rest off the published one.
		inner = `SELECT a.published AS p FROM ` + from + ` WHERE a.dup_group IS NULL` + where + `
			UNION ALL SELECT MIN(a.published) FROM ` + from + ` WHERE a.dup_group IS NOT NULL` + where + ` GROUP BY a.dup_group`
		iargs = append(slices.Clone(args), args...)
	}
	tx, err := s.reader(ctx).BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()
	// Buckets round down, before 1970 too (SQLite's division truncates).
	rows, err := tx.QueryContext(ctx, `SELECT CASE WHEN p >= 0 THEN p / ? ELSE (p - ? + 1) / ? END AS b, COUNT(*)
		FROM (`+inner+`) GROUP BY b ORDER BY b`, append([]any{ms, ms, ms}, iargs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[int64]int{}
	var lo, hi int64
	first := true
	for rows.Next() {
		var b int64
		var n int
		if err := rows.Scan(&b, &n); err != nil {
			return nil, err
		}
		counts[b] += n
		if first || b < lo {
			lo = b
		}
		if first || b > hi {
			hi = b
		}
		first = false
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The series runs from Since to Until, or over the matches' span.
	if !q.Since.IsZero() {
		lo = floorDiv(q.Since.UnixMilli(), ms)
	}
	if !q.Until.IsZero() {
		hi = floorDiv(q.Until.UnixMilli()-1, ms)
	}
	if first && (q.Since.IsZero() || q.Until.IsZero()) {
		return []store.Bucket{}, nil // no matches and an open period
	}
	// A period of maxN buckets that does not start on a bucket's start
	// touches one more.
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

// floorDiv is a / b rounded down.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
