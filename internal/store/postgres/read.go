package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// minPrefix is the shortest id prefix Get resolves; a shorter one that
// matches is reported as too short, with its candidates.
const minPrefix = 4

// maxCandidates is how many matching ids a prefix error lists.
const maxCandidates = 10

// idLen is the length of every article id (a letter and 20 hex digits).
const idLen = 21

// querier is what reads run on: the pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// resolve finds the pk of the article named by ref: an id, a unique id
// prefix, or a URL.
func (s *Store) resolve(ctx context.Context, q querier, ref string) (int64, error) {
	ref = strings.TrimSpace(ref)
	var pk int64
	err := q.QueryRow(ctx, `SELECT pk FROM articles WHERE id = $1`, ref).Scan(&pk)
	if !errors.Is(err, pgx.ErrNoRows) {
		return pk, err
	}
	if strings.Contains(ref, "://") {
		byURL := article.ComputeID(&article.Article{URL: ref})
		err := q.QueryRow(ctx, `SELECT pk FROM articles WHERE id = $1`, byURL).Scan(&pk)
		if !errors.Is(err, pgx.ErrNoRows) {
			return pk, err
		}
		rows, err := q.Query(ctx, `SELECT pk, id FROM articles WHERE url = $1 OR (canonical_url = $1 AND canonical_url <> '') ORDER BY id LIMIT 2`, ref)
		if err != nil {
			return 0, err
		}
		pks, ids, err := scanRefs(rows)
		switch {
		case err != nil:
			return 0, err
		case len(pks) == 0:
			return 0, store.ErrNotFound
		case len(pks) > 1:
			return 0, fmt.Errorf("%w: %q matches %s, %s, …", store.ErrAmbiguous, ref, ids[0], ids[1])
		}
		return pks[0], nil
	}
	// A whole id that missed cannot be the prefix of another.
	if ref != "" && len(ref) < idLen {
		return s.prefix(ctx, q, ref)
	}
	return 0, store.ErrNotFound
}

// prefix resolves an id prefix: one match of minPrefix characters or more
// is the article; several, or a shorter prefix, give a *store.PrefixError.
func (s *Store) prefix(ctx context.Context, q querier, ref string) (int64, error) {
	hi := ref + "\x7f"
	rows, err := q.Query(ctx, `SELECT pk, id FROM articles WHERE id >= $1 AND id < $2 ORDER BY id LIMIT $3`, ref, hi, maxCandidates+1)
	if err != nil {
		return 0, err
	}
	pks, ids, err := scanRefs(rows)
	if err != nil {
		return 0, err
	}
	switch {
	case len(ids) == 0:
		return 0, store.ErrNotFound
	case len(ids) == 1 && len(ref) >= minPrefix:
		return pks[0], nil
	}
	e := &store.PrefixError{Prefix: ref, TooShort: len(ref) < minPrefix, MinLen: minPrefix, Matches: len(ids), Candidates: ids}
	if len(ids) > maxCandidates {
		e.Candidates = ids[:maxCandidates]
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM articles WHERE id >= $1 AND id < $2`, ref, hi).Scan(&e.Matches); err != nil {
			return 0, err
		}
	}
	return 0, e
}

func scanRefs(rows pgx.Rows) ([]int64, []string, error) {
	defer rows.Close()
	var pks []int64
	var ids []string
	for rows.Next() {
		var pk int64
		var id string
		if err := rows.Scan(&pk, &id); err != nil {
			return nil, nil, err
		}
		pks, ids = append(pks, pk), append(ids, id)
	}
	return pks, ids, rows.Err()
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, ref string) (*article.Article, error) {
	return s.get(ctx, ref, 0)
}

// GetVersion implements store.Store.
func (s *Store) GetVersion(ctx context.Context, ref string, version int) (*article.Article, error) {
	if version <= 0 {
		return nil, fmt.Errorf("postgres: get %s version %d: %w", ref, version, store.ErrNotFound)
	}
	return s.get(ctx, ref, version)
}

func (s *Store) get(ctx context.Context, ref string, version int) (*article.Article, error) {
	if id := strings.TrimSpace(ref); len(id) == idLen && !strings.Contains(id, "://") {
		// A whole id, which ingest asks of every article: one statement
		// (a snapshot of its own) rather than a transaction of three.
		a, err := s.getByID(ctx, id, version)
		if err != nil {
			return nil, fmt.Errorf("postgres: get %s: %w", ref, err)
		}
		return a, nil
	}
	var a *article.Article
	// One snapshot for the id and the record.
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		pk, err := s.resolve(ctx, tx, ref)
		if err != nil {
			return err
		}
		var codec string
		var rec []byte
		var fetched *int64
		var dup, story *string
		err = tx.QueryRow(ctx, `SELECT v.codec, v.record, v.fetched, a.dup_group, a.story
			FROM articles a JOIN article_versions v ON v.article_pk = a.pk AND v.version = CASE WHEN $2 > 0 THEN $2 ELSE a.version END
			WHERE a.pk = $1`, pk, version).Scan(&codec, &rec, &fetched, &dup, &story)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		a, err = decodeRecord(codec, rec, fetched, dup, story)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: get %s: %w", ref, err)
	}
	return a, nil
}

// getByID reads the record of the article with a whole id; a miss is
// store.ErrNotFound, as resolve would have it (no other article's id or
// URL can be a whole id).
func (s *Store) getByID(ctx context.Context, id string, version int) (*article.Article, error) {
	var codec string
	var rec []byte
	var fetched *int64
	var dup, story *string
	err := s.pool.QueryRow(ctx, `SELECT v.codec, v.record, v.fetched, a.dup_group, a.story
		FROM articles a JOIN article_versions v ON v.article_pk = a.pk AND v.version = CASE WHEN $2 > 0 THEN $2 ELSE a.version END
		WHERE a.id = $1`, id, version).Scan(&codec, &rec, &fetched, &dup, &story)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return decodeRecord(codec, rec, fetched, dup, story)
}

// Versions implements store.Store.
func (s *Store) Versions(ctx context.Context, ref string) ([]store.Version, error) {
	var vs []store.Version
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		pk, err := s.resolve(ctx, tx, ref)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT version, content_hash, raw_sha256, stored, fetched
			FROM article_versions WHERE article_pk = $1 ORDER BY version`, pk)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v store.Version
			var raw *string
			var stored int64
			var fetched *int64
			if err := rows.Scan(&v.Version, &v.ContentHash, &raw, &stored, &fetched); err != nil {
				return err
			}
			v.RawSHA256, v.Stored, v.Fetched = deref(raw), millisTime(&stored), millisTime(fetched)
			vs = append(vs, v)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: versions %s: %w", ref, err)
	}
	return vs, nil
}

// Raw implements store.Store.
func (s *Store) Raw(ctx context.Context, sha string) ([]byte, error) {
	key := strings.ToLower(strings.TrimSpace(sha))
	var size int
	var codec string
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT size, codec, data FROM raw_inputs WHERE sha256 = $1`, key).Scan(&size, &codec, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: raw %s: %w", sha, err)
	}
	raw, err := decompress(data, codec)
	if err != nil {
		return nil, fmt.Errorf("postgres: raw %s: %w", sha, err)
	}
	if len(raw) != size || sha256Hex(raw) != key {
		return nil, fmt.Errorf("postgres: raw %s: stored input is corrupt (%d bytes, want %d)", sha, len(raw), size)
	}
	return raw, nil
}

// eachPage is how many articles Each reads per query: the walk is keyset
// paged, so it holds no transaction open while fn runs.
const eachPage = 200

// Each implements store.Store. It reads pages in publication order (then
// id), each after the last one's key, so articles added during the walk
// are listed when they sort after it.
func (s *Store) Each(ctx context.Context, f store.Filter, fn func(*article.Article, store.Origin) error) error {
	type key struct {
		pub *int64
		id  string
	}
	var last *key
	left := f.Limit
	for {
		a := &args{}
		where := filterSQL(f, a)
		if last != nil {
			if last.pub != nil {
				where += ` AND (a.published IS NULL OR (a.published, a.id) > (` + a.add(*last.pub) + `, ` + a.add(last.id) + `))`
			} else {
				where += ` AND a.published IS NULL AND a.id > ` + a.add(last.id)
			}
		}
		n := eachPage
		if f.Limit > 0 {
			n = min(n, left)
		}
		q := `SELECT a.id, a.published, v.codec, v.record, v.fetched, a.dup_group, a.story, v.raw_sha256, v.content_type
			FROM articles a JOIN article_versions v ON v.article_pk = a.pk AND v.version = a.version
			WHERE TRUE` + where + `
			ORDER BY a.published NULLS LAST, a.id LIMIT ` + a.add(n)
		type item struct {
			a *article.Article
			o store.Origin
		}
		var page []item
		rows, err := s.pool.Query(ctx, q, a.vals...)
		if err != nil {
			return wrap("list", err)
		}
		for rows.Next() {
			var id, codec, ct string
			var pub, fetched *int64
			var rec []byte
			var dup, story, raw *string
			if err := rows.Scan(&id, &pub, &codec, &rec, &fetched, &dup, &story, &raw, &ct); err != nil {
				rows.Close()
				return wrap("list", err)
			}
			art, err := decodeRecord(codec, rec, fetched, dup, story)
			if err != nil {
				rows.Close()
				return fmt.Errorf("postgres: %s: %w", id, err)
			}
			page = append(page, item{art, store.Origin{RawSHA256: deref(raw), ContentType: ct}})
			last = &key{pub, id}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return wrap("list", err)
		}
		for _, it := range page {
			if err := fn(it.a, it.o); err != nil {
				return err
			}
		}
		if f.Limit > 0 {
			left -= len(page)
			if left <= 0 {
				return nil
			}
		}
		if len(page) < n {
			return nil
		}
	}
}

// filterSQL returns " AND …" conditions on articles a for f.
func filterSQL(f store.Filter, a *args) string {
	var b strings.Builder
	if f.Source != "" {
		src := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(f.Source), "www."))
		p := a.add(src)
		b.WriteString(` AND (lower(a.source_name) = ` + p + ` OR lower(a.source_domain) = ` + p + `)`)
	}
	if !f.Since.IsZero() {
		b.WriteString(` AND a.published >= ` + a.add(f.Since.UnixMilli()))
	}
	if !f.Until.IsZero() {
		b.WriteString(` AND a.published < ` + a.add(f.Until.UnixMilli()))
	}
	if f.Lang != "" {
		b.WriteString(` AND lower(a.language) = ` + a.add(strings.ToLower(f.Lang)))
	}
	return b.String()
}

// Stats implements store.Store.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	st := store.Stats{Location: s.location, SchemaVer: schemaVersion()}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		var words, oldest, newest, updated, rawBytes, rawStored, extra *int64
		if err := tx.QueryRow(ctx, `SELECT COUNT(*), SUM(word_count), MIN(published), MAX(published), MAX(updated) FROM articles`).
			Scan(&st.Articles, &words, &oldest, &newest, &updated); err != nil {
			return err
		}
		if words != nil {
			st.Words = *words
		}
		st.Oldest, st.Newest, st.LastUpdated = millisTime(oldest), millisTime(newest), millisTime(updated)
		if err := tx.QueryRow(ctx, `SELECT COUNT(*), SUM(size)::bigint, SUM(octet_length(data))::bigint FROM raw_inputs`).
			Scan(&st.RawInputs, &rawBytes, &rawStored); err != nil {
			return err
		}
		if rawBytes != nil {
			st.RawBytes, st.RawStored = *rawBytes, *rawStored
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM article_versions`).Scan(&st.Versions); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*), SUM(n - 1)::bigint FROM
			(SELECT COUNT(*) AS n FROM articles WHERE dup_group IS NOT NULL GROUP BY dup_group HAVING COUNT(*) > 1) g`).
			Scan(&st.DupGroups, &extra); err != nil {
			return err
		}
		if extra != nil {
			st.Duplicates = int(*extra)
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM stories`).Scan(&st.Stories); err != nil {
			return err
		}
		var err error
		if st.Sources, err = counts(ctx, tx, `SELECT CASE WHEN source_name <> '' THEN source_name ELSE source_domain END AS src, COUNT(*)
			FROM articles GROUP BY src ORDER BY COUNT(*) DESC, src LIMIT 10`); err != nil {
			return err
		}
		if st.Languages, err = counts(ctx, tx, `SELECT language, COUNT(*) FROM articles GROUP BY language ORDER BY COUNT(*) DESC, language LIMIT 10`); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&st.SizeBytes)
	})
	if err != nil {
		return st, wrap("stats", err)
	}
	return st, nil
}

func counts(ctx context.Context, q querier, sql string) ([]store.Count, error) {
	rows, err := q.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.Count{}
	for rows.Next() {
		var c store.Count
		if err := rows.Scan(&c.Value, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
