package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migration is one step of the schema, applied in its own transaction with
// the schema_migrations row that records it.
type migration struct {
	version int
	name    string
	stmts   []string
}

// Text that lists sort by (ids, groups, keys, URLs) sorts bytewise
// (COLLATE "C"), as in the SQLite store, whatever the database's locale.
// Times are Unix milliseconds (feeds: nanoseconds, so that a feed reads
// back exactly as put), as in the SQLite store, so that both stores sort
// and bucket by the same integers.
var migrations = []migration{
	{1, "core tables", []string{
		`CREATE TABLE raw_inputs (
			sha256 text PRIMARY KEY,
			size   bigint NOT NULL,
			codec  text NOT NULL,
			data   bytea NOT NULL
		)`,
		// Blobs arrive compressed: PostgreSQL need not try again.
		`ALTER TABLE raw_inputs ALTER COLUMN data SET STORAGE EXTERNAL`,
		`CREATE TABLE articles (
			pk            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			id            text COLLATE "C" NOT NULL UNIQUE,
			url           text NOT NULL DEFAULT '',
			canonical_url text NOT NULL DEFAULT '',
			source_name   text NOT NULL DEFAULT '',
			source_domain text NOT NULL DEFAULT '',
			title         text NOT NULL DEFAULT '',
			description   text NOT NULL DEFAULT '',
			published     bigint,
			language      text NOT NULL DEFAULT '',
			word_count    integer NOT NULL DEFAULT 0,
			dup_group     text COLLATE "C",
			story         text COLLATE "C",
			content_hash  text NOT NULL,
			raw_sha256    text REFERENCES raw_inputs(sha256),
			version       integer NOT NULL,
			created       bigint NOT NULL,
			updated       bigint NOT NULL
		)`,
		`CREATE INDEX articles_url ON articles(url)`,
		`CREATE INDEX articles_canonical_url ON articles(canonical_url) WHERE canonical_url <> ''`,
		`CREATE INDEX articles_published ON articles(published, pk)`,
		`CREATE INDEX articles_dup_group ON articles(dup_group, published) WHERE dup_group IS NOT NULL`,
		`CREATE INDEX articles_story ON articles(story, published, pk) WHERE story IS NOT NULL`,
		`CREATE INDEX articles_source_name ON articles(lower(source_name))`,
		`CREATE INDEX articles_source_domain ON articles(lower(source_domain))`,
		`CREATE INDEX articles_language ON articles(lower(language))`,
		`CREATE TABLE article_versions (
			article_pk   bigint NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
			version      integer NOT NULL,
			content_hash text NOT NULL,
			raw_sha256   text REFERENCES raw_inputs(sha256),
			content_type text NOT NULL DEFAULT '',
			fetched      bigint,
			stored       bigint NOT NULL,
			codec        text NOT NULL,
			record       bytea NOT NULL,
			PRIMARY KEY (article_pk, version)
		)`,
		`ALTER TABLE article_versions ALTER COLUMN record SET STORAGE EXTERNAL`,
		`CREATE INDEX article_versions_raw ON article_versions(raw_sha256) WHERE raw_sha256 IS NOT NULL`,
		`CREATE TABLE bands (
			band       bigint NOT NULL,
			article_id text NOT NULL,
			PRIMARY KEY (band, article_id)
		)`,
		`CREATE INDEX bands_article ON bands(article_id)`,
		`CREATE TABLE stories (
			id           text COLLATE "C" PRIMARY KEY,
			headline     text NOT NULL DEFAULT '',
			first_seen   bigint,
			last_seen    bigint,
			count        integer NOT NULL DEFAULT 0,
			outlets      jsonb NOT NULL DEFAULT '[]',
			state        bytea,
			outlet_count integer GENERATED ALWAYS AS (jsonb_array_length(outlets)) STORED
		)`,
		`CREATE INDEX stories_recent ON stories(last_seen, id)`,
		`CREATE INDEX stories_size ON stories(outlet_count, count, last_seen, id)`,
		`CREATE TABLE state (
			name    text PRIMARY KEY,
			value   bytea NOT NULL,
			updated bigint NOT NULL
		)`,
		`CREATE TABLE article_entities (
			article_pk bigint NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
			key        text COLLATE "C" NOT NULL,
			type       text NOT NULL DEFAULT '',
			text       text NOT NULL DEFAULT '',
			mentions   integer NOT NULL DEFAULT 0,
			published  bigint,
			PRIMARY KEY (article_pk, key)
		)`,
		`CREATE INDEX article_entities_key ON article_entities(key, published, article_pk)`,
		`CREATE INDEX article_entities_published ON article_entities(published, key, mentions, type)`,
		`CREATE TABLE feeds (
			url           text COLLATE "C" PRIMARY KEY,
			every         bigint NOT NULL DEFAULT 0,
			added         bigint NOT NULL,
			etag          text NOT NULL DEFAULT '',
			last_modified text NOT NULL DEFAULT '',
			last_poll     bigint,
			last_status   text NOT NULL DEFAULT '',
			last_error    text NOT NULL DEFAULT '',
			next_poll     bigint,
			failures      integer NOT NULL DEFAULT 0,
			items_seen    integer NOT NULL DEFAULT 0,
			items_stored  integer NOT NULL DEFAULT 0
		)`,
	}},
	{2, "full-text search", searchSchema()},
	// Several servers may share a database: a lease on each followed feed
	// says which of them polls it (feeds.go, LeaseFeed).
	{3, "feed leases", []string{
		`ALTER TABLE feeds ADD COLUMN lease_holder text`,
		`ALTER TABLE feeds ADD COLUMN lease_until bigint`,
	}},
}

// searchSchema is the full-text part: a text search configuration per
// stemmer (configs in text.go) without stop words, and the search table,
// narrow so that a match list is cheap to read: each article's tsvector
// (title weight A, bylines B, body D) under a GIN index. The head of each
// body, for snippets, is apart in search_heads; search_configs lists the
// configurations articles were indexed with, the ones a query is stemmed
// with.
func searchSchema() []string {
	stmts := []string{
		`CREATE TEXT SEARCH CONFIGURATION ` + simpleConfig + ` (COPY = pg_catalog.simple)`,
	}
	names := map[string]bool{}
	for _, name := range configs {
		names[name] = true
	}
	sorted := make([]string, 0, len(names))
	for name := range names {
		sorted = append(sorted, name)
	}
	slices.Sort(sorted)
	for _, name := range sorted {
		cfg := "newsdesk_" + name
		stmts = append(stmts,
			`CREATE TEXT SEARCH DICTIONARY `+cfg+`_stem (TEMPLATE = snowball, LANGUAGE = `+name+`)`,
			`CREATE TEXT SEARCH CONFIGURATION `+cfg+` (COPY = pg_catalog.simple)`,
			`ALTER TEXT SEARCH CONFIGURATION `+cfg+` ALTER MAPPING FOR asciiword, word, numword, asciihword, hword,
				hword_asciipart, hword_part, hword_numpart WITH `+cfg+`_stem`)
	}
	return append(stmts,
		`CREATE TABLE search (
			pk  bigint PRIMARY KEY REFERENCES articles(pk) ON DELETE CASCADE,
			tsv tsvector NOT NULL
		)`,
		`CREATE INDEX search_tsv ON search USING gin (tsv)`,
		`CREATE TABLE search_heads (
			pk   bigint PRIMARY KEY REFERENCES articles(pk) ON DELETE CASCADE,
			head text NOT NULL
		)`,
		`CREATE TABLE search_configs (config text PRIMARY KEY)`,
		`INSERT INTO search_configs VALUES ('`+simpleConfig+`')`,
	)
}

// schemaVersion is the version this build writes.
func schemaVersion() int { return migrations[len(migrations)-1].version }

// migrationLock is the pg_advisory_lock key that serializes migrations
// among processes ("newsdesk" in ASCII).
const migrationLock = 0x6e657773_6465736b

// migrate brings the schema up to date under a session advisory lock, so
// that processes starting together apply each step once.
func migrate(ctx context.Context, pool *pgxpool.Pool) (err error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock)); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer func() {
		// The lock is the session's: a connection that cannot say so is
		// closed, which releases it.
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrationLock)); uerr != nil {
			_ = conn.Hijack().Close(context.WithoutCancel(ctx))
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY,
		name    text NOT NULL,
		applied timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var cur int
	if err := conn.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if cur > schemaVersion() {
		return fmt.Errorf("database schema version %d is newer than this build supports (%d); upgrade newsdesk", cur, schemaVersion())
	}
	for _, m := range migrations {
		if m.version <= cur {
			continue
		}
		if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			for i, q := range m.stmts {
				if _, err := tx.Exec(ctx, q); err != nil {
					return fmt.Errorf("statement %d: %w", i+1, err)
				}
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations(version, name) VALUES ($1, $2)`, m.version, m.name)
			return err
		}); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// nowMillis is the time stamps' unit.
func nowMillis() int64 { return time.Now().UnixMilli() }
