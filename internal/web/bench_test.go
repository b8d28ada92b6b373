package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// benchStore holds stories of many articles each: the story page reads a
// record per copy group for its entities and quotes, the front page one
// list.
func benchStore(b *testing.B, stories, per int) store.Store {
	b.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	var states []store.StoryState
	for s := range stories {
		id := fmt.Sprintf("s%012d", s)
		var entries []store.Entry
		var outlets []string
		for i := range per {
			src := article.Source{Name: fmt.Sprintf("Outlet %d", i%12), Domain: fmt.Sprintf("outlet%d.example", i%12)}
			a := newArticle(fmt.Sprintf("u%020d", s*per+i), fmt.Sprintf("Story %d report %d on the harbour works", s, i),
				fmt.Sprintf("https://outlet%d.example/%d", i%12, s*per+i), src, fixedNow.Add(-time.Duration(i)*time.Minute),
				"The Kestrel Bridge in Port Aldren reopened on Tuesday after eleven weeks of repairs, the Aldren Transit Authority said.",
				"\u201cThe deck is sound and the lanes are open again,\u201d said Mara Lindqvist, the authority's chief engineer.")
			entity(a, "place:kestrel-bridge", "Kestrel Bridge", "place", "Kestrel Bridge")
			entity(a, "person:mara-lindqvist", "Mara Lindqvist", "person", "Mara Lindqvist")
			quote(a, "The deck is sound and the lanes are open again,", "Mara Lindqvist", "person:mara-lindqvist", 1)
			a.Story = id
			entries = append(entries, store.Entry{Article: a})
			if i < 12 {
				outlets = append(outlets, src.Name)
			}
		}
		if _, err := st.Put(ctx, entries); err != nil {
			b.Fatal(err)
		}
		for _, e := range entries {
			st.SetStory(ctx, e.Article.ID, id)
		}
		states = append(states, store.StoryState{ID: id, Headline: fmt.Sprintf("Story %d", s), First: fixedNow.Add(-time.Hour),
			Last: fixedNow.Add(-time.Duration(s) * time.Minute), Count: per, Outlets: outlets})
	}
	if err := st.PutStories(ctx, states); err != nil {
		b.Fatal(err)
	}
	return st
}

func BenchmarkPages(b *testing.B) {
	st := benchStore(b, 60, 80)
	h := New(st, Options{Now: func() time.Time { return fixedNow }})
	for _, path := range []string{"/", "/stories/s000000000007", "/articles/u00000000000000000100", "/search?q=harbour+works", "/entities"} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
				if rec.Code != 200 {
					b.Fatalf("%s: %d", path, rec.Code)
				}
			}
		})
	}
}
