package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// TestMigrationFillsNewsroom: a database of schema version 5, written
// before the newsroom tables, gets its articles' entities and descriptions
// from the stored records when opened, and then works like a new one.
func TestMigrationFillsNewsroom(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v5.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%.80s: %v", q, err)
		}
	}
	mustExec(`CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)`)
	// Migration 5 reads the old index; start from 4 with an empty one.
	mustExec(`CREATE VIRTUAL TABLE articles_fts USING fts5(title, body)`)
	for _, m := range migrations {
		if m.version == 2 {
			mustExec(`INSERT INTO schema_version VALUES (2, 'full-text index', 0)`)
			continue
		}
		if m.version > 5 {
			break
		}
		for _, q := range m.stmts {
			mustExec(q)
		}
		mustExec(`INSERT INTO schema_version VALUES (?, ?, 0)`, m.version, m.name)
	}
	pub := time.Date(2031, 5, 1, 9, 0, 0, 0, time.UTC)
	var arts []*article.Article
	for i, text := range []string{"The harbour council met Ada Lind in Marovia.", "Ada Lind spoke again."} {
		a := mk("https://harborpost.example/m"+string(rune('a'+i)), "Harbor Post", "Council", pub.Add(time.Duration(i)*time.Hour), text)
		a.Description = "About the council " + string(rune('A'+i))
		a.Entities = []article.Entity{{Key: "person:ada-lind", Text: "Ada Lind", Type: "person", Count: 1,
			Mentions: []article.Span{{Text: "Ada Lind", Start: 0, End: 8}, {Text: "Lind", Start: 20, End: 24}}}}
		if i == 0 {
			a.Entities = append(a.Entities, article.Entity{Key: "place:marovia", Text: "Marovia", Type: "place", Count: 3})
		}
		arts = append(arts, a)
		js, _ := json.Marshal(a)
		rec, codec := compress(js)
		pk := int64(i + 1)
		now := time.Now().UnixMilli()
		mustExec(`INSERT INTO articles(pk, id, url, title, published, language, content_hash, version, created, updated) VALUES (?, ?, ?, ?, ?, 'en', 'h', 1, ?, ?)`,
			pk, a.ID, a.URL, a.Title, a.Published.UnixMilli(), now, now)
		mustExec(`INSERT INTO article_versions(article_pk, version, content_hash, stored, codec, record) VALUES (?, 1, 'h', ?, ?, ?)`, pk, now, codec, rec)
	}
	mustExec(`INSERT INTO stories(id, headline, first_seen, last_seen, count, outlets) VALUES ('s', 'Council', 1, 2, 2, '["Harbor Post","Daily Lantern"]')`)
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if e, err := s.Entity(ctx, "person:ada-lind"); err != nil || e.Articles != 2 || e.Mentions != 4 || e.Text != "Ada Lind" || e.Type != "person" {
		t.Errorf("person:ada-lind after the migration = %+v, %v (want 2 articles, 4 mentions: the larger of count and spans)", e, err)
	}
	if e, err := s.Entity(ctx, "place:marovia"); err != nil || e.Articles != 1 || e.Mentions != 3 {
		t.Errorf("place:marovia after the migration = %+v, %v", e, err)
	}
	p, err := s.Articles(ctx, store.ArticleQuery{Entity: "place:marovia"})
	if err != nil || len(p.Articles) != 1 || p.Articles[0].ID != arts[0].ID || p.Articles[0].Description != arts[0].Description {
		t.Errorf("marovia's articles = %+v, %v", p, err)
	}
	p, err = s.Articles(ctx, store.ArticleQuery{})
	if err != nil || len(p.Articles) != 2 || p.Articles[0].Description != arts[1].Description {
		t.Errorf("articles after the migration = %+v, %v", p, err)
	}
	sp, err := s.StoryList(ctx, store.StoryQuery{Order: store.BySize})
	if err != nil || len(sp.Stories) != 1 || len(sp.Stories[0].Outlets) != 2 {
		t.Errorf("stories after the migration = %+v, %v", sp, err)
	}
	if err := s.PutFeed(ctx, store.Feed{URL: "https://harborpost.example/feed", Every: time.Hour}); err != nil {
		t.Error(err)
	}
	rep, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		if p.Area != "index" && p.Area != "record" { // the fixture has no index rows and placeholder hashes
			t.Errorf("check after the migration: %+v", p)
		}
	}
}
