package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/newsdesk/newsdesk/internal/store"
)

// maxPerArea is how many problems of one area a check lists; the rest are
// counted in one more line.
const maxPerArea = 20

type checker struct {
	rep   store.CheckReport
	count map[string]int
}

func (c *checker) add(area, format string, args ...any) {
	c.count[area]++
	switch n := c.count[area]; {
	case n <= maxPerArea:
		c.rep.Problems = append(c.rep.Problems, store.Problem{Area: area, Detail: fmt.Sprintf(format, args...)})
	case n == maxPerArea+1:
		c.rep.Problems = append(c.rep.Problems, store.Problem{Area: area, Detail: "more problems of this kind not listed"})
	}
}

// Check implements store.Store. Each part runs even when an earlier one
// failed: a damaged file often lets some tables be read.
func (s *Store) Check(ctx context.Context) (store.CheckReport, error) {
	c := &checker{count: map[string]int{}}
	steps := []func(context.Context, *checker) error{s.checkIntegrity, s.checkReferences, s.checkIndex, s.checkRaw, s.checkRecords}
	for _, step := range steps {
		if err := step(ctx, c); err != nil {
			if ctx.Err() != nil {
				return c.rep, fmt.Errorf("sqlite: %s: check: %w", s.path, ctx.Err())
			}
			return c.rep, fmt.Errorf("sqlite: %s: check: %w", s.path, err)
		}
	}
	return c.rep, nil
}

// rows runs q and calls fn for each row; a failing query or scan is a
// problem of area, not an error of the check.
func (s *Store) rows(ctx context.Context, c *checker, area, what, q string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := s.reader(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.add(area, "%s: %v", what, err)
		return nil
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			c.add(area, "%s: %v", what, err)
			return nil
		}
	}
	if err := rows.Err(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.add(area, "%s: %v", what, err)
	}
	return nil
}

// checkIntegrity runs SQLite's own integrity check of the file: b-trees,
// pages, indexes against their tables.
func (s *Store) checkIntegrity(ctx context.Context, c *checker) error {
	return s.rows(ctx, c, "integrity", "integrity check", `PRAGMA integrity_check(100)`, func(r *sql.Rows) error {
		var msg string
		if err := r.Scan(&msg); err != nil {
			return err
		}
		if msg != "ok" {
			c.add("integrity", "%s", strings.ReplaceAll(strings.TrimSpace(msg), "\n", "; "))
		}
		return nil
	})
}

// checkReferences: the declared foreign keys (versions to articles, both
// to raw inputs), each article's current version, and each article's
// story.
func (s *Store) checkReferences(ctx context.Context, c *checker) error {
	if err := s.rows(ctx, c, "reference", "foreign key check", `PRAGMA foreign_key_check`, func(r *sql.Rows) error {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := r.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		c.add("reference", "%s row %d refers to a missing %s row", table, rowid.Int64, parent)
		return nil
	}); err != nil {
		return err
	}
	if err := s.rows(ctx, c, "reference", "current versions", `SELECT a.id, a.version FROM articles a
		WHERE NOT EXISTS (SELECT 1 FROM article_versions v WHERE v.article_pk = a.pk AND v.version = a.version)`, func(r *sql.Rows) error {
		var id string
		var v int
		if err := r.Scan(&id, &v); err != nil {
			return err
		}
		c.add("reference", "article %s: its current version %d is missing", id, v)
		return nil
	}); err != nil {
		return err
	}
	return s.rows(ctx, c, "reference", "stories", `SELECT a.id, a.story FROM articles a
		WHERE a.story IS NOT NULL AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = a.story)`, func(r *sql.Rows) error {
		var id, story string
		if err := r.Scan(&id, &story); err != nil {
			return err
		}
		c.add("reference", "article %s: story %s has no row", id, story)
		return nil
	})
}

// checkIndex: FTS5's own integrity check (it needs a writable connection,
// though it writes nothing) and the indexed row ids against the articles.
func (s *Store) checkIndex(ctx context.Context, c *checker) error {
	if s.w == nil {
		c.rep.Skipped = append(c.rep.Skipped, "full-text index integrity-check (read-only database; row ids still compared)")
	} else if _, err := s.w.ExecContext(ctx, `INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.add("index", "full-text index integrity-check: %v", err)
	}
	indexed := map[int64]bool{}
	before := c.count["index"]
	if err := s.rows(ctx, c, "index", "indexed rows", `SELECT rowid FROM articles_fts`, func(r *sql.Rows) error {
		var pk int64
		if err := r.Scan(&pk); err != nil {
			return err
		}
		indexed[pk] = true
		return nil
	}); err != nil {
		return err
	}
	if c.count["index"] > before {
		return nil // the row ids could not be read
	}
	err := s.rows(ctx, c, "index", "articles", `SELECT pk, id FROM articles ORDER BY pk`, func(r *sql.Rows) error {
		var pk int64
		var id string
		if err := r.Scan(&pk, &id); err != nil {
			return err
		}
		if !indexed[pk] {
			c.add("index", "article %s is not in the full-text index", id)
		}
		delete(indexed, pk)
		return nil
	})
	if err != nil {
		return err
	}
	for _, pk := range slices.Sorted(maps.Keys(indexed)) {
		c.add("index", "index row %d has no article", pk)
	}
	return nil
}

// checkRaw decompresses every raw input and compares its size and sha256
// with its key, one at a time.
func (s *Store) checkRaw(ctx context.Context, c *checker) error {
	var keys []string
	if err := s.rows(ctx, c, "raw", "raw inputs", `SELECT sha256 FROM raw_inputs ORDER BY sha256`, func(r *sql.Rows) error {
		var k string
		if err := r.Scan(&k); err != nil {
			return err
		}
		keys = append(keys, k)
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		var size int
		var codec string
		var data []byte
		if err := s.reader(ctx).QueryRowContext(ctx, `SELECT size, codec, data FROM raw_inputs WHERE sha256 = ?`, k).Scan(&size, &codec, &data); err != nil {
			c.add("raw", "raw input %s: %v", k, err)
			continue
		}
		c.rep.RawInputs++
		raw, err := decompress(data, codec, size)
		switch {
		case err != nil:
			c.add("raw", "raw input %s: cannot be decompressed (%s): %v", k, codec, err)
		case len(raw) != size:
			c.add("raw", "raw input %s: %d bytes, recorded as %d", k, len(raw), size)
		case sha256Hex(raw) != strings.ToLower(k):
			c.add("raw", "raw input %s: its bytes hash to %s", k, sha256Hex(raw))
		}
	}
	return nil
}

// checkRecords decodes every stored version and compares it with its
// content hash (of either kind: with input.name empty, or, written before
// that, of the whole record).
func (s *Store) checkRecords(ctx context.Context, c *checker) error {
	type ver struct {
		pk      int64
		version int
		id      string
	}
	var vs []ver
	if err := s.rows(ctx, c, "record", "versions", `SELECT v.article_pk, v.version, COALESCE(a.id, '') FROM article_versions v
		LEFT JOIN articles a ON a.pk = v.article_pk ORDER BY v.article_pk, v.version`, func(r *sql.Rows) error {
		var v ver
		if err := r.Scan(&v.pk, &v.version, &v.id); err != nil {
			return err
		}
		vs = append(vs, v)
		return nil
	}); err != nil {
		return err
	}
	articles := map[int64]bool{}
	for _, v := range vs {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := v.id
		if name == "" {
			name = fmt.Sprintf("pk %d", v.pk)
		}
		var hash, codec string
		var rec []byte
		if err := s.reader(ctx).QueryRowContext(ctx, `SELECT content_hash, codec, record FROM article_versions WHERE article_pk = ? AND version = ?`,
			v.pk, v.version).Scan(&hash, &codec, &rec); err != nil {
			c.add("record", "article %s version %d: %v", name, v.version, err)
			continue
		}
		c.rep.Versions++
		articles[v.pk] = true
		data, err := decompress(rec, codec, len(rec)*4)
		if err != nil {
			c.add("record", "article %s version %d: cannot be decompressed (%s): %v", name, v.version, codec, err)
			continue
		}
		if sha256Hex(data) == hash {
			continue // a hash of the old kind
		}
		h, err := hashRecord(data)
		if err != nil {
			c.add("record", "article %s version %d: %v", name, v.version, err)
		} else if h != hash {
			c.add("record", "article %s version %d: the record does not match its content hash", name, v.version)
		}
	}
	c.rep.Articles = len(articles)
	return nil
}
