package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migration is one step of the schema. Steps are applied in order, each in
// its own transaction together with the schema_version row that records it,
// so a crash leaves the schema at a step boundary.
type migration struct {
	version int
	name    string
	stmts   []string
}

// migrations is the schema history; append only. The core tables use
// portable SQL (the same DDL runs on PostgreSQL with INTEGER PRIMARY KEY
// spelled as an identity column); the full-text index is SQLite-specific and
// defined in fts.go.
var migrations = []migration{
	{1, "core tables", []string{
		`CREATE TABLE raw_inputs (
			sha256 TEXT PRIMARY KEY,
			size   INTEGER NOT NULL,
			codec  TEXT NOT NULL,
			data   BLOB NOT NULL
		)`,
		`CREATE TABLE articles (
			pk            INTEGER PRIMARY KEY,
			id            TEXT NOT NULL UNIQUE,
			url           TEXT NOT NULL DEFAULT '',
			canonical_url TEXT NOT NULL DEFAULT '',
			source_name   TEXT NOT NULL DEFAULT '',
			source_domain TEXT NOT NULL DEFAULT '',
			title         TEXT NOT NULL DEFAULT '',
			published     INTEGER,
			language      TEXT NOT NULL DEFAULT '',
			word_count    INTEGER NOT NULL DEFAULT 0,
			dup_group     TEXT,
			story         TEXT,
			content_hash  TEXT NOT NULL,
			raw_sha256    TEXT REFERENCES raw_inputs(sha256),
			version       INTEGER NOT NULL,
			created       INTEGER NOT NULL,
			updated       INTEGER NOT NULL
		)`,
		`CREATE INDEX articles_url ON articles(url)`,
		`CREATE INDEX articles_published ON articles(published)`,
		`CREATE INDEX articles_dup_group ON articles(dup_group) WHERE dup_group IS NOT NULL`,
		`CREATE INDEX articles_story ON articles(story) WHERE story IS NOT NULL`,
		`CREATE TABLE article_versions (
			article_pk   INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
			version      INTEGER NOT NULL,
			content_hash TEXT NOT NULL,
			raw_sha256   TEXT REFERENCES raw_inputs(sha256),
			content_type TEXT NOT NULL DEFAULT '',
			fetched      INTEGER,
			stored       INTEGER NOT NULL,
			codec        TEXT NOT NULL,
			record       BLOB NOT NULL,
			PRIMARY KEY (article_pk, version)
		)`,
		`CREATE TABLE bands (
			band       INTEGER NOT NULL,
			article_id TEXT NOT NULL,
			PRIMARY KEY (band, article_id)
		)`,
		`CREATE INDEX bands_article ON bands(article_id)`,
		`CREATE TABLE stories (
			id         TEXT PRIMARY KEY,
			headline   TEXT NOT NULL DEFAULT '',
			first_seen INTEGER,
			last_seen  INTEGER,
			count      INTEGER NOT NULL DEFAULT 0,
			outlets    TEXT NOT NULL DEFAULT '[]',
			state      BLOB
		)`,
		`CREATE INDEX stories_last_seen ON stories(last_seen)`,
	}},
	{2, "full-text index", ftsSchemaV2},
	{3, "stage state", []string{
		`CREATE TABLE state (
			name    TEXT PRIMARY KEY,
			value   BLOB NOT NULL,
			updated INTEGER NOT NULL
		)`,
	}},
	// The band table is all key: without a rowid its primary key is the
	// table, which halves its size (about 1.2 KB per article saved).
	{4, "bands without rowid", []string{
		`CREATE TABLE bands_new (
			band       INTEGER NOT NULL,
			article_id TEXT NOT NULL,
			PRIMARY KEY (band, article_id)
		) WITHOUT ROWID`,
		`INSERT INTO bands_new SELECT band, article_id FROM bands`,
		`DROP TABLE bands`,
		`ALTER TABLE bands_new RENAME TO bands`,
		`CREATE INDEX bands_article ON bands(article_id)`,
	}},
	// CJK runs as bigrams, an authors column, snippets from a bounded head
	// of each body: the index is rebuilt from the old one (fts.go).
	{5, "full-text index with CJK bigrams and authors", ftsSchemaV5},
	// Entities by article, descriptions, stories by size, followed feeds:
	// what the server browses (newsroom_schema.go).
	{6, "newsroom: article entities, descriptions, story sizes, feeds", newsroomSchemaV6},
	// The front page sorts a day's stories by size: from an index that
	// covers what it shows, rather than from rows that carry each story's
	// clusterer state (three times faster over 661 stories).
	{7, "story lists from a covering index", []string{
		`CREATE INDEX stories_recent_cover ON stories(last_seen, id, outlet_count, count, first_seen, headline, outlets)`,
		`DROP INDEX stories_recent`,
	}},
	// Coverage reads each match's date and copy group: from a narrow
	// index (a tenth of the articles' pages) rather than the rows.
	{8, "article dates and copy groups by key", []string{
		`CREATE INDEX articles_pk_time ON articles(pk, published, dup_group)`,
	}},
	// Several servers may share a database: a lease on each followed feed
	// says which of them polls it (newsroom_feeds.go, LeaseFeed).
	{9, "feed leases", []string{
		`ALTER TABLE feeds ADD COLUMN lease_holder TEXT`,
		`ALTER TABLE feeds ADD COLUMN lease_until INTEGER`,
	}},
}

// schemaVersion is the version this build writes.
func schemaVersion() int { return migrations[len(migrations)-1].version }

// migrate brings the database up to date. It is safe to run from several
// processes at once: each step re-reads the version inside its write
// transaction.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version INTEGER PRIMARY KEY,
		name    TEXT NOT NULL,
		applied INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_version: %w", err)
	}
	for _, m := range migrations {
		if err := s.apply(ctx, m); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

func (s *Store) apply(ctx context.Context, m migration) (err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	var cur sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&cur); err != nil {
		return err
	}
	if cur.Valid && int(cur.Int64) > schemaVersion() {
		return fmt.Errorf("database schema version %d is newer than this build supports (%d); upgrade newsdesk", cur.Int64, schemaVersion())
	}
	if cur.Valid && int(cur.Int64) >= m.version {
		return tx.Rollback()
	}
	for _, q := range m.stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%.60s…: %w", q, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version(version, name, applied) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().Unix()); err != nil {
		return err
	}
	return tx.Commit()
}
