package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
)

// TestCheck damages one thing at a time behind the store's back and
// requires Check to name it: a raw input whose bytes changed, a record
// that no longer matches its hash, an article missing from the full-text
// index, a version without its article, an article whose story has no row.
func TestCheck(t *testing.T) {
	ctx := context.Background()
	fresh := func(t *testing.T) *Store {
		s := openTest(t)
		a := mk("https://port-alder-gazette.example/ferry", "Port Alder Gazette", "Ferry", day(1), "The morning ferry leaves at seven.")
		b := mk("https://kelmsford-courier.example/library", "Kelmsford Courier", "Library", day(2), "The library opens late.")
		b.Story = "s-library"
		put(t, s, store.Entry{Article: a, Raw: []byte("<p>The morning ferry leaves at seven.</p>")}, store.Entry{Article: b, Raw: []byte("The library opens late.")})
		if err := s.PutStories(ctx, []store.StoryState{{ID: "s-library", Headline: "Library", Count: 1}}); err != nil {
			t.Fatal(err)
		}
		rep, err := s.Check(ctx)
		if err != nil || !rep.OK() || rep.Articles != 2 || rep.Versions != 2 || rep.RawInputs != 2 {
			t.Fatalf("sound store: %+v, %v", rep, err)
		}
		return s
	}
	for _, c := range []struct {
		name, area, want string
		damage           []string
	}{
		{"raw", "raw", "hash to", []string{`UPDATE raw_inputs SET data = CAST('tampered bytes here' AS BLOB), codec = 'none', size = 19`}},
		{"record", "record", "content hash", []string{`UPDATE article_versions SET content_hash = 'ab' || substr(content_hash, 3) WHERE version = 1 AND article_pk = 1`}},
		{"index", "index", "not in the full-text index", []string{`DELETE FROM articles_fts WHERE rowid = 1`}},
		{"reference", "reference", "missing articles row", []string{`PRAGMA foreign_keys = OFF`,
			`INSERT INTO article_versions(article_pk, version, content_hash, stored, codec, record) VALUES (99, 1, 'x', 0, 'none', X'7B7D')`}},
		{"story", "reference", "story s-library has no row", []string{`DELETE FROM stories`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := fresh(t)
			conn, err := s.w.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range c.damage {
				if _, err := conn.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			_, _ = conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`)
			conn.Close()
			rep, err := s.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range rep.Problems {
				if p.Area == c.area && strings.Contains(p.Detail, c.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("want a %s problem saying %q, got %+v", c.area, c.want, rep.Problems)
			}
		})
	}
}
