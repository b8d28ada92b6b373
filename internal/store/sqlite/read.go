package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// minPrefix is the shortest id prefix Get resolves; a shorter one that
// matches is reported as too short, with its candidates.
const minPrefix = 4

// maxCandidates is how many matching ids a prefix error lists.
const maxCandidates = 10

// idLen is the length of every article id (article.ComputeID: a letter and
// 20 hex digits).
const idLen = 21

// resolve finds the pk and full id of the article named by ref: an id, a
// unique id prefix, or a URL.
func (s *Store) resolve(ctx context.Context, ref string) (int64, string, error) {
	ref = strings.TrimSpace(ref)
	var pk int64
	var id string
	err := s.reader(ctx).QueryRowContext(ctx, `SELECT pk, id FROM articles WHERE id = ?`, ref).Scan(&pk, &id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return pk, id, err
	}
	if strings.Contains(ref, "://") {
		byURL := article.ComputeID(&article.Article{URL: ref})
		err := s.reader(ctx).QueryRowContext(ctx, `SELECT pk, id FROM articles WHERE id = ?`, byURL).Scan(&pk, &id)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return pk, id, err
		}
		return s.unique(ctx, ref, `SELECT pk, id FROM articles WHERE url = ? OR canonical_url = ? ORDER BY id LIMIT 2`, ref, ref)
	}
	// A whole id that missed cannot be the prefix of another: ingest asks
	// this for every new article, and the range query doubled its cost.
	if ref != "" && len(ref) < idLen {
		return s.prefix(ctx, ref)
	}
	return 0, "", store.ErrNotFound
}

// prefix resolves an id prefix: one match of minPrefix characters or more
// is the article; several, or a shorter prefix, give a *store.PrefixError
// listing the candidates.
func (s *Store) prefix(ctx context.Context, ref string) (int64, string, error) {
	hi := ref + "\x7f"
	rows, err := s.reader(ctx).QueryContext(ctx, `SELECT pk, id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT ?`, ref, hi, maxCandidates+1)
	if err != nil {
		return 0, "", err
	}
	pks, ids, err := scanRefs(rows)
	if err != nil {
		return 0, "", err
	}
	switch {
	case len(ids) == 0:
		return 0, "", store.ErrNotFound
	case len(ids) == 1 && len(ref) >= minPrefix:
		return pks[0], ids[0], nil
	}
	e := &store.PrefixError{Prefix: ref, TooShort: len(ref) < minPrefix, MinLen: minPrefix, Matches: len(ids), Candidates: ids}
	if len(ids) > maxCandidates {
		e.Candidates = ids[:maxCandidates]
		if err := s.reader(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE id >= ? AND id < ?`, ref, hi).Scan(&e.Matches); err != nil {
			return 0, "", err
		}
	}
	return 0, "", e
}

// scanRefs reads (pk, id) rows and closes them.
func scanRefs(rows *sql.Rows) ([]int64, []string, error) {
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

func (s *Store) unique(ctx context.Context, ref, query string, args ...any) (int64, string, error) {
	rows, err := s.reader(ctx).QueryContext(ctx, query, args...)
	if err != nil {
		return 0, "", err
	}
	pks, ids, err := scanRefs(rows)
	if err != nil {
		return 0, "", err
	}
	switch len(pks) {
	case 0:
		return 0, "", store.ErrNotFound
	case 1:
		return pks[0], ids[0], nil
	}
	return 0, "", fmt.Errorf("%w: %q matches %s, %s, …", store.ErrAmbiguous, ref, ids[0], ids[1])
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, ref string) (*article.Article, error) {
	return s.get(ctx, ref, 0)
}

// GetVersion implements store.Store.
func (s *Store) GetVersion(ctx context.Context, ref string, version int) (*article.Article, error) {
	if version <= 0 {
		return nil, fmt.Errorf("sqlite: get %s version %d: %w", ref, version, store.ErrNotFound)
	}
	return s.get(ctx, ref, version)
}

func (s *Store) get(ctx context.Context, ref string, version int) (*article.Article, error) {
	pk, _, err := s.resolve(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get %s: %w", ref, err)
	}
	cond := `v.version = a.version`
	args := []any{pk}
	if version > 0 {
		cond = `v.version = ?`
		args = []any{version, pk}
	}
	var codec string
	var rec []byte
	var fetched sql.NullInt64
	var dup, story sql.NullString
	err = s.reader(ctx).QueryRowContext(ctx, `SELECT v.codec, v.record, v.fetched, a.dup_group, a.story
		FROM articles a JOIN article_versions v ON v.article_pk = a.pk AND `+cond+` WHERE a.pk = ?`, args...).
		Scan(&codec, &rec, &fetched, &dup, &story)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get %s: %w", ref, err)
	}
	a, err := decodeRecord(codec, rec, fetched, dup, story)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get %s: %w", ref, err)
	}
	return a, nil
}

func decodeRecord(codec string, rec []byte, fetched sql.NullInt64, dup, story sql.NullString) (*article.Article, error) {
	data, err := decompress(rec, codec, len(rec)*4)
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	var a article.Article
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	if fetched.Valid {
		a.Fetched = time.UnixMilli(fetched.Int64).UTC()
	}
	a.DupGroup, a.Story = dup.String, story.String
	return &a, nil
}

// Versions implements store.Store.
func (s *Store) Versions(ctx context.Context, ref string) ([]store.Version, error) {
	pk, _, err := s.resolve(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("sqlite: versions %s: %w", ref, err)
	}
	rows, err := s.reader(ctx).QueryContext(ctx, `SELECT version, content_hash, raw_sha256, stored, fetched
		FROM article_versions WHERE article_pk = ? ORDER BY version`, pk)
	if err != nil {
		return nil, fmt.Errorf("sqlite: versions %s: %w", ref, err)
	}
	defer rows.Close()
	var vs []store.Version
	for rows.Next() {
		var v store.Version
		var raw sql.NullString
		var stored int64
		var fetched sql.NullInt64
		if err := rows.Scan(&v.Version, &v.ContentHash, &raw, &stored, &fetched); err != nil {
			return nil, fmt.Errorf("sqlite: versions %s: %w", ref, err)
		}
		v.RawSHA256 = raw.String
		v.Stored = time.UnixMilli(stored).UTC()
		if fetched.Valid {
			v.Fetched = time.UnixMilli(fetched.Int64).UTC()
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: versions %s: %w", ref, err)
	}
	return vs, nil
}

// Raw implements store.Store.
func (s *Store) Raw(ctx context.Context, sha string) ([]byte, error) {
	var size int
	var codec string
	var data []byte
	err := s.reader(ctx).QueryRowContext(ctx, `SELECT size, codec, data FROM raw_inputs WHERE sha256 = ?`, strings.ToLower(sha)).Scan(&size, &codec, &data)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: raw %s: %w", sha, err)
	}
	raw, err := decompress(data, codec, size)
	if err != nil {
		return nil, fmt.Errorf("sqlite: raw %s: %w", sha, err)
	}
	if len(raw) != size || sha256Hex(raw) != strings.ToLower(sha) {
		return nil, fmt.Errorf("sqlite: raw %s: stored input is corrupt (%d bytes, want %d)", sha, len(raw), size)
	}
	return raw, nil
}

// Each implements store.Store.
func (s *Store) Each(ctx context.Context, f store.Filter, fn func(*article.Article, store.Origin) error) error {
	where, args := filterSQL(f)
	q := `SELECT a.id, v.codec, v.record, v.fetched, a.dup_group, a.story, v.raw_sha256, v.content_type
		FROM articles a JOIN article_versions v ON v.article_pk = a.pk AND v.version = a.version
		WHERE 1 = 1` + where + `
		ORDER BY CASE WHEN a.published IS NULL THEN 1 ELSE 0 END, a.published, a.id`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.reader(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("sqlite: %s: list: %w", s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, codec string
		var rec []byte
		var fetched sql.NullInt64
		var dup, story, raw sql.NullString
		var ct string
		if err := rows.Scan(&id, &codec, &rec, &fetched, &dup, &story, &raw, &ct); err != nil {
			return fmt.Errorf("sqlite: %s: list: %w", s.path, err)
		}
		a, err := decodeRecord(codec, rec, fetched, dup, story)
		if err != nil {
			return fmt.Errorf("sqlite: %s: %w", id, err)
		}
		if err := fn(a, store.Origin{RawSHA256: raw.String, ContentType: ct}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: %s: list: %w", s.path, err)
	}
	return nil
}

// Stats implements store.Store.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	st := store.Stats{Location: s.path, SchemaVer: schemaVersion()}
	wrap := func(err error) (store.Stats, error) { return st, fmt.Errorf("sqlite: %s: stats: %w", s.path, err) }
	tx, err := s.reader(ctx).BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return wrap(err)
	}
	defer func() { _ = tx.Rollback() }()
	var words, oldest, newest, updated sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), SUM(word_count), MIN(published), MAX(published), MAX(updated) FROM articles`).
		Scan(&st.Articles, &words, &oldest, &newest, &updated); err != nil {
		return wrap(err)
	}
	st.Words = words.Int64
	if oldest.Valid {
		st.Oldest = time.UnixMilli(oldest.Int64).UTC()
		st.Newest = time.UnixMilli(newest.Int64).UTC()
	}
	if updated.Valid {
		st.LastUpdated = time.UnixMilli(updated.Int64).UTC()
	}
	var rawBytes, rawStored sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), SUM(size), SUM(LENGTH(data)) FROM raw_inputs`).Scan(&st.RawInputs, &rawBytes, &rawStored); err != nil {
		return wrap(err)
	}
	st.RawBytes, st.RawStored = rawBytes.Int64, rawStored.Int64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM article_versions`).Scan(&st.Versions); err != nil {
		return wrap(err)
	}
	var extra sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), SUM(n - 1) FROM
		(SELECT COUNT(*) AS n FROM articles WHERE dup_group IS NOT NULL GROUP BY dup_group HAVING COUNT(*) > 1) g`).
		Scan(&st.DupGroups, &extra); err != nil {
		return wrap(err)
	}
	st.Duplicates = int(extra.Int64)
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM stories`).Scan(&st.Stories); err != nil {
		return wrap(err)
	}
	if st.Sources, err = counts(ctx, tx, `SELECT CASE WHEN source_name <> '' THEN source_name ELSE source_domain END AS src, COUNT(*)
		FROM articles GROUP BY src ORDER BY COUNT(*) DESC, src LIMIT 10`); err != nil {
		return wrap(err)
	}
	if st.Languages, err = counts(ctx, tx, `SELECT language, COUNT(*) FROM articles GROUP BY language ORDER BY COUNT(*) DESC, language LIMIT 10`); err != nil {
		return wrap(err)
	}
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(s.path + suffix); err == nil {
			st.SizeBytes += fi.Size()
		}
	}
	return st, nil
}

func counts(ctx context.Context, tx *sql.Tx, q string) ([]store.Count, error) {
	rows, err := tx.QueryContext(ctx, q)
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

// filterSQL returns " AND ..." conditions on articles a for f, with args.
func filterSQL(f store.Filter) (string, []any) {
	var b strings.Builder
	var args []any
	if f.Source != "" {
		src := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(f.Source), "www."))
		b.WriteString(` AND (lower(a.source_name) = ? OR lower(a.source_domain) = ?)`)
		args = append(args, src, src)
	}
	if !f.Since.IsZero() {
		b.WriteString(` AND a.published >= ?`)
		args = append(args, f.Since.UnixMilli())
	}
	if !f.Until.IsZero() {
		b.WriteString(` AND a.published < ?`)
		args = append(args, f.Until.UnixMilli())
	}
	if f.Lang != "" {
		b.WriteString(` AND lower(a.language) = ?`)
		args = append(args, strings.ToLower(f.Lang))
	}
	return b.String(), args
}
