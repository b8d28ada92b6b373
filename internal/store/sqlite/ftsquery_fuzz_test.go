package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/query"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// FuzzSearchQuery: every query that parses compiles to statements SQLite
// accepts, run against a small store (with and without filters); every
// query that does not parse is a syntax error, never an engine error.
func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{`trump -biden`, `"unbalanced`, `NOT`, `*`, `*ump`, `title:`, `NEAR(`, `trump AND`, `C++`, `+trump`,
		`url:trump`, `-ferry`, `NOT (ferry OR source:harbor*)`, `bridge OR -lang:fr`, `title:(a OR "b c"*) author:x`,
		`特許 -業務`, `図`, `source:"Daily Lantern" OR lang:en-*`, `a:b`, `"a""b"`, `x -y -z OR w`, `'"'`, `\ % _`} {
		f.Add(s)
	}
	s, err := Open(context.Background(), filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	var es []store.Entry
	for _, a := range storetest.CJKArticles() {
		es = append(es, store.Entry{Article: a})
	}
	es = append(es, store.Entry{Article: mk("https://harbor.example/ferry", "Harbor Post", "Ferry service resumes", day(3), "The ferry resumed.")})
	if _, err := s.Put(context.Background(), es); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		_, perr := query.Parse(q)
		for _, fl := range []store.Filter{{}, {Lang: "ja", Source: "asia wire"}} {
			_, err := s.Search(context.Background(), store.Query{Text: q, Filter: fl})
			if (err == nil) != (perr == nil) {
				t.Fatalf("%q: parse error %v, search error %v", q, perr, err)
			}
		}
	})
}
