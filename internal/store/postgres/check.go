package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/article"
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

// Check implements store.Store. PostgreSQL keeps its own pages and
// enforces the declared foreign keys, so what is checked is what it cannot
// know: the references it does not declare (current versions, stories),
// the search index against the articles (each article's tsvector is
// computed again from its record), and every raw input and record
// against its hash.
func (s *Store) Check(ctx context.Context) (store.CheckReport, error) {
	c := &checker{count: map[string]int{}}
	c.rep.Skipped = append(c.rep.Skipped, "page integrity (PostgreSQL checksums its own pages when the cluster has data checksums; amcheck verifies indexes)")
	for _, step := range []func(context.Context, *checker) error{s.checkReferences, s.checkIndex, s.checkRaw, s.checkRecords} {
		if err := step(ctx, c); err != nil {
			return c.rep, wrap("check", err)
		}
	}
	return c.rep, nil
}

// each runs q and calls fn for each row.
func (s *Store) each(ctx context.Context, q string, fn func(pgx.Rows) error, args ...any) error {
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *Store) checkReferences(ctx context.Context, c *checker) error {
	if err := s.each(ctx, `SELECT a.id, a.version FROM articles a
		WHERE NOT EXISTS (SELECT 1 FROM article_versions v WHERE v.article_pk = a.pk AND v.version = a.version)`, func(r pgx.Rows) error {
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
	return s.each(ctx, `SELECT a.id, a.story FROM articles a
		WHERE a.story IS NOT NULL AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = a.story) ORDER BY a.id`, func(r pgx.Rows) error {
		var id, story string
		if err := r.Scan(&id, &story); err != nil {
			return err
		}
		c.add("reference", "article %s: story %s has no row", id, story)
		return nil
	})
}

// checkIndex: every article has its tsvector and snippet head.
func (s *Store) checkIndex(ctx context.Context, c *checker) error {
	if err := s.each(ctx, `SELECT a.id, s.pk IS NULL, h.pk IS NULL FROM articles a
		LEFT JOIN search s ON s.pk = a.pk LEFT JOIN search_heads h ON h.pk = a.pk
		WHERE s.pk IS NULL OR h.pk IS NULL ORDER BY a.id`, func(r pgx.Rows) error {
		var id string
		var noVector, noHead bool
		if err := r.Scan(&id, &noVector, &noHead); err != nil {
			return err
		}
		if noVector {
			c.add("index", "article %s is not in the full-text index", id)
		}
		if noHead {
			c.add("index", "article %s has no snippet text", id)
		}
		return nil
	}); err != nil {
		return err
	}
	return s.each(ctx, `SELECT s.pk FROM search s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.pk = s.pk)`, func(r pgx.Rows) error {
		var pk int64
		if err := r.Scan(&pk); err != nil {
			return err
		}
		c.add("index", "index row %d has no article", pk)
		return nil
	})
}

// checkRaw decompresses every raw input and compares its size and sha256
// with its key.
func (s *Store) checkRaw(ctx context.Context, c *checker) error {
	return s.each(ctx, `SELECT sha256, size, codec, data FROM raw_inputs ORDER BY sha256`, func(r pgx.Rows) error {
		var k, codec string
		var size int
		var data []byte
		if err := r.Scan(&k, &size, &codec, &data); err != nil {
			return err
		}
		c.rep.RawInputs++
		raw, err := decompress(data, codec)
		switch {
		case err != nil:
			c.add("raw", "raw input %s: cannot be decompressed (%s): %v", k, codec, err)
		case len(raw) != size:
			c.add("raw", "raw input %s: %d bytes, recorded as %d", k, len(raw), size)
		case sha256Hex(raw) != strings.ToLower(k):
			c.add("raw", "raw input %s: its bytes hash to %s", k, sha256Hex(raw))
		}
		return nil
	})
}

// indexCheckBatch is how many articles' tsvectors are compared at once.
const indexCheckBatch = 100

// checkRecords decodes every stored version and compares it with its
// content hash, and each article's tsvector with one computed again from
// its current version.
func (s *Store) checkRecords(ctx context.Context, c *checker) error {
	var pending []*indexRow
	ids := map[int64]string{}
	configsUsed := map[string]bool{}
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		b := &pgx.Batch{}
		n := len(pending)
		pks := make([]int64, n)
		cfg, title, authors, body := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		for j, r := range pending {
			pks[j], cfg[j], title[j], authors[j], body[j] = r.pk, r.config, r.title, r.authors, r.body
		}
		b.Queue(`SELECT u.pk FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(pk, config, title, authors, body)
			JOIN search s ON s.pk = u.pk WHERE s.tsv <> `+tsvectorSQL+` ORDER BY u.pk`, pks, cfg, title, authors, body)
		br := s.pool.SendBatch(ctx, b)
		rows, err := br.Query()
		if err == nil {
			for rows.Next() {
				var pk int64
				if err = rows.Scan(&pk); err != nil {
					break
				}
				c.add("index", "article %s: its full-text index entry does not match its text", ids[pk])
			}
			rows.Close()
			if err == nil {
				err = rows.Err()
			}
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		pending, ids = pending[:0], map[int64]string{}
		return err
	}
	articles := map[int64]bool{}
	// Records stream on one connection while comparisons run on another.
	err := s.each(ctx, `SELECT v.article_pk, v.version, COALESCE(a.id, ''), v.version = a.version, v.content_hash, v.codec, v.record
		FROM article_versions v LEFT JOIN articles a ON a.pk = v.article_pk ORDER BY v.article_pk, v.version`, func(r pgx.Rows) error {
		var pk int64
		var version int
		var id, hash, codec string
		var current *bool
		var rec []byte
		if err := r.Scan(&pk, &version, &id, &current, &hash, &codec, &rec); err != nil {
			return err
		}
		name := id
		if name == "" {
			name = fmt.Sprintf("pk %d", pk)
		}
		c.rep.Versions++
		articles[pk] = true
		data, err := decompress(rec, codec)
		if err != nil {
			c.add("record", "article %s version %d: cannot be decompressed (%s): %v", name, version, codec, err)
			return nil
		}
		h, err := hashRecord(data)
		if err != nil {
			c.add("record", "article %s version %d: %v", name, version, err)
			return nil
		}
		if h != hash {
			c.add("record", "article %s version %d: the record does not match its content hash", name, version)
		}
		if current != nil && *current {
			var a article.Article
			if err := json.Unmarshal(data, &a); err != nil {
				return nil
			}
			row := newIndexRow(&a)
			row.pk = pk
			configsUsed[row.config] = true
			pending, ids[pk] = append(pending, row), name
			if len(pending) == indexCheckBatch {
				return flush()
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	c.rep.Articles = len(articles)
	known := map[string]bool{}
	if err := s.each(ctx, `SELECT config FROM search_configs`, func(r pgx.Rows) error {
		var cfg string
		err := r.Scan(&cfg)
		known[cfg] = true
		return err
	}); err != nil {
		return err
	}
	for cfg := range configsUsed {
		if !known[cfg] {
			c.add("index", "text search configuration %s is used by articles but not listed in search_configs: queries miss its stems", cfg)
		}
	}
	return nil
}
