package sqlite

import (
	"database/sql/driver"
	"fmt"

	sqlite3 "modernc.org/sqlite"
)

// newsroomSchemaV6 is migration 6, what the server browses with (see
// newsroom.go):
//
//   - article_entities: one row per entity of each article's current
//     version, with its mentions and the article's publication date, so
//     that the most mentioned entities of a period and an entity's
//     articles are index range scans. Written with the article (put.go);
//     an article's rows go with it.
//   - articles.description, for lists, without decoding records.
//   - stories.outlet_count, a virtual column over the outlets list, so
//     that stories sort by size on an index.
//   - feeds: the followed feeds and their polling state.
//
// Existing databases are filled from their stored records (newsdesk_record
// decompresses one, and SQLite's JSON functions read it).
var newsroomSchemaV6 = []string{
	`CREATE TABLE article_entities (
		article_pk INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
		key        TEXT NOT NULL,
		type       TEXT NOT NULL DEFAULT '',
		text       TEXT NOT NULL DEFAULT '',
		mentions   INTEGER NOT NULL DEFAULT 0,
		published  INTEGER,
		PRIMARY KEY (article_pk, key)
	) WITHOUT ROWID`,
	`INSERT INTO article_entities(article_pk, key, type, text, mentions, published)
		SELECT a.pk, json_extract(e.value, '$.key'), COALESCE(json_extract(e.value, '$.type'), ''),
			COALESCE(json_extract(e.value, '$.text'), ''),
			MAX(COALESCE(json_extract(e.value, '$.count'), 0), COALESCE(json_array_length(e.value, '$.mentions'), 0)),
			a.published
		FROM articles a JOIN article_versions v ON v.article_pk = a.pk AND v.version = a.version,
			json_each(newsdesk_record(v.codec, v.record), '$.entities') e
		WHERE COALESCE(json_extract(e.value, '$.key'), '') <> ''
		ON CONFLICT (article_pk, key) DO UPDATE SET mentions = mentions + excluded.mentions`,
	// An entity's articles in time order, and its counts from the index
	// alone; the counts of a period from the index alone.
	`CREATE INDEX article_entities_key ON article_entities(key, published, mentions)`,
	`CREATE INDEX article_entities_published ON article_entities(published, key, mentions, type)`,
	`ALTER TABLE articles ADD COLUMN description TEXT NOT NULL DEFAULT ''`,
	`UPDATE articles SET description = COALESCE((SELECT json_extract(newsdesk_record(v.codec, v.record), '$.description')
		FROM article_versions v WHERE v.article_pk = articles.pk AND v.version = articles.version), '')`,
	// Coverage finds each copy group's first copy on the index alone.
	`DROP INDEX articles_dup_group`,
	`CREATE INDEX articles_dup_group ON articles(dup_group, published) WHERE dup_group IS NOT NULL`,
	// A story's articles in time order come off one index.
	`DROP INDEX articles_story`,
	`CREATE INDEX articles_story ON articles(story, published) WHERE story IS NOT NULL`,
	`ALTER TABLE stories ADD COLUMN outlet_count INTEGER GENERATED ALWAYS AS (json_array_length(outlets)) VIRTUAL`,
	`CREATE INDEX stories_size ON stories(outlet_count, count, last_seen, id)`,
	`CREATE INDEX stories_recent ON stories(last_seen, id)`,
	`DROP INDEX stories_last_seen`,
	`CREATE TABLE feeds (
		url           TEXT PRIMARY KEY,
		every         INTEGER NOT NULL DEFAULT 0,
		added         INTEGER NOT NULL,
		etag          TEXT NOT NULL DEFAULT '',
		last_modified TEXT NOT NULL DEFAULT '',
		last_poll     INTEGER,
		last_status   TEXT NOT NULL DEFAULT '',
		last_error    TEXT NOT NULL DEFAULT '',
		next_poll     INTEGER,
		failures      INTEGER NOT NULL DEFAULT 0,
		items_seen    INTEGER NOT NULL DEFAULT 0,
		items_stored  INTEGER NOT NULL DEFAULT 0
	)`,
}

func init() {
	// newsdesk_record(codec, record) is a stored record's JSON, for
	// migrations that fill new columns from the records.
	sqlite3.MustRegisterDeterministicScalarFunction("newsdesk_record", 2, func(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
		codec, _ := args[0].(string)
		rec, _ := args[1].([]byte)
		data, err := decompress(rec, codec, 0)
		if err != nil {
			return nil, fmt.Errorf("sqlite: record: %w", err)
		}
		return string(data), nil
	})
}
