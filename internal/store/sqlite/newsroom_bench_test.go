package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// newsroomCorpusVersion names the cached newsroom benchmark database; bump
// it when the schema or the generator changes.
const newsroomCorpusVersion = "v2"

const (
	newsroomArticles = 100_000
	newsroomEntities = 20_000 // distinct entity keys, drawn Zipf-like
	newsroomStoryLen = 5      // articles per story, on average
)

// newsroomStore opens a 100,000-article database with what the server
// browses: about 12 entities per article, a story for every few articles
// (1 to 5 outlets), one article in ten a copy of the one before, a year of
// publication dates (about 270 articles a day). It is generated on first
// use and cached under os.TempDir().
func newsroomStore(b *testing.B) (*Store, time.Time) {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), "newsdesk-bench-newsroom-"+newsroomCorpusVersion+".db")
	last := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(newsroomArticles-1) * 315 * time.Second)
	if _, err := os.Stat(path + ".done"); err != nil {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
		b.Logf("generating %d articles into %s (once)", newsroomArticles, path)
		s, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		g := storetest.New(43)
		r := rand.New(rand.NewPCG(5, 6))
		zipf := rand.NewZipf(r, 1.1, 4, newsroomEntities-1)
		start := time.Now()
		const batch = 1000
		stories := map[string]*store.StoryState{}
		for i := 0; i < newsroomArticles; i += batch {
			es := make([]store.Entry, 0, batch)
			var changed []store.StoryState
			for j := i; j < i+batch; j++ {
				a, raw := g.Article(j, 1500)
				a.Published = time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(j) * 315 * time.Second)
				a.Finalize()
				a.Entities = append(a.Entities, storetest.Entities(r, zipf)...)
				if j%10 == 9 {
					a.DupGroup = es[len(es)-1].Article.ID
					es[len(es)-1].Article.DupGroup = a.DupGroup
				}
				id := fmt.Sprintf("story-%d", j/newsroomStoryLen-r.IntN(3))
				a.Story = id
				st := stories[id]
				if st == nil {
					st = &store.StoryState{ID: id, Headline: a.Title, First: a.Published, State: make([]byte, 2000)}
					stories[id] = st
				}
				st.Last, st.Count = a.Published, st.Count+1
				if !slices.Contains(st.Outlets, a.Source.Name) {
					st.Outlets = append(st.Outlets, a.Source.Name)
				}
				changed = append(changed, *st)
				es = append(es, store.Entry{Article: a, Raw: raw})
			}
			if _, err := s.PutBatch(ctx, store.Batch{Entries: es, Stories: changed}); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
		s.Close()
		b.Logf("generated in %s", time.Since(start).Round(time.Second))
		if err := os.WriteFile(path+".done", nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, last
}

// BenchmarkNewsroom measures the server's queries over 100,000 articles
// with 16 concurrent clients (NEWSDESK_BENCH_CLIENTS) and reports the 50th
// and 95th percentiles.
func BenchmarkNewsroom(b *testing.B) {
	s, now := newsroomStore(b)
	ctx := context.Background()
	day := 24 * time.Hour
	// A cursor deep into the article list, and a story of the last day.
	var deep string
	q := store.ArticleQuery{Filter: store.Filter{Limit: 500}}
	for range 20 {
		p, err := s.Articles(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		q.Cursor = p.Next
	}
	deep = q.Cursor
	front, err := s.StoryList(ctx, store.StoryQuery{Order: store.BySize, Since: now.Add(-day)})
	if err != nil || len(front.Stories) == 0 {
		b.Fatalf("front page: %+v, %v", front, err)
	}
	storyIDs := make([]string, len(front.Stories))
	for i, st := range front.Stories {
		storyIDs[i] = st.ID
	}
	vocab := storetest.Vocabulary()
	for _, bc := range []struct {
		name string
		fn   func(i int) error
	}{
		{"front-page", func(int) error {
			_, err := s.StoryList(ctx, store.StoryQuery{Order: store.BySize, Since: now.Add(-day)})
			return err
		}},
		{"stories-by-size-all", func(int) error {
			_, err := s.StoryList(ctx, store.StoryQuery{Order: store.BySize})
			return err
		}},
		{"stories-recent", func(int) error {
			_, err := s.StoryList(ctx, store.StoryQuery{})
			return err
		}},
		{"story-page", func(i int) error {
			id := storyIDs[i%len(storyIDs)]
			if _, err := s.Story(ctx, id); err != nil {
				return err
			}
			_, err := s.Articles(ctx, store.ArticleQuery{Story: id})
			return err
		}},
		{"articles-first-page", func(int) error {
			_, err := s.Articles(ctx, store.ArticleQuery{})
			return err
		}},
		{"articles-deep-page", func(int) error {
			_, err := s.Articles(ctx, store.ArticleQuery{Cursor: deep})
			return err
		}},
		{"articles-by-source", func(int) error {
			_, err := s.Articles(ctx, store.ArticleQuery{Filter: store.Filter{Source: "islepenn.example"}})
			return err
		}},
		{"entity-articles", func(i int) error {
			_, err := s.Articles(ctx, store.ArticleQuery{Entity: fmt.Sprintf("%s:e%d", []string{"person", "place", "org", "misc"}[i%4], 4+i%4)})
			return err
		}},
		{"entity", func(i int) error {
			_, err := s.Entity(ctx, fmt.Sprintf("%s:e%d", []string{"person", "place", "org", "misc"}[(i*7)%4], (i*7)%200+4))
			return err
		}},
		{"top-entities-day", func(int) error {
			_, err := s.TopEntities(ctx, store.EntityQuery{Since: now.Add(-day)})
			return err
		}},
		{"top-entities-week", func(int) error {
			_, err := s.TopEntities(ctx, store.EntityQuery{Since: now.Add(-7 * day), Type: "person"})
			return err
		}},
		{"coverage-word-year", func(i int) error {
			_, err := s.Coverage(ctx, store.CoverageQuery{Query: store.Query{Text: vocab[50+(i*7919)%4950]}})
			return err
		}},
		{"coverage-all-month-hours", func(int) error {
			_, err := s.Coverage(ctx, store.CoverageQuery{Bucket: time.Hour, Query: store.Query{Filter: store.Filter{Since: now.Add(-14 * day), Until: now}}})
			return err
		}},
		{"coverage-all-year", func(int) error {
			_, err := s.Coverage(ctx, store.CoverageQuery{})
			return err
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			clients := 16
			if n, err := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_CLIENTS")); err == nil && n > 0 {
				clients = n
			}
			var mu sync.Mutex
			var failed sync.Once
			var lat []time.Duration
			b.ResetTimer()
			for round := 0; b.Loop(); round++ {
				var wg sync.WaitGroup
				for c := range clients {
					wg.Go(func() {
						t0 := time.Now()
						err := bc.fn(round*clients + c)
						d := time.Since(t0)
						if err != nil {
							failed.Do(func() { b.Error(err) })
						}
						mu.Lock()
						lat = append(lat, d)
						mu.Unlock()
					})
				}
				wg.Wait()
			}
			b.StopTimer()
			slices.Sort(lat)
			p := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(p(0.50), "p50-ms")
			b.ReportMetric(p(0.95), "p95-ms")
		})
	}
}
