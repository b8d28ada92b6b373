package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// CheckPin checks a store.Pinner whose read pool holds poolSize
// connections: with every connection pinned, each read method still
// answers under one of the pinned contexts. A read that took a connection
// from the pool instead would wait for ever; it fails here on a deadline.
// s must be empty; a store that is not a Pinner is skipped.
func CheckPin(t *testing.T, s store.Store, poolSize int) {
	p, ok := s.(store.Pinner)
	if !ok {
		t.Skip("the store does not pin reads")
	}
	fx := putNewsroomFixture(t, s)
	ctx := context.Background()
	var pinned []context.Context
	var releases []func()
	for range poolSize {
		pc, release, err := p.Pin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		pinned, releases = append(pinned, pc), append(releases, release)
	}
	// The pool is empty: an unpinned read waits (so a bypass would show).
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	_, err := s.Get(short, fx.articles[0].ID)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("unpinned read with every connection pinned: %v, want a deadline error", err)
	}
	// Pinning again under a pinned context keeps its connection.
	pc, release, err := p.Pin(pinned[0])
	if err != nil {
		t.Fatal(err)
	}
	release()
	pc, cancel = context.WithTimeout(pc, 10*time.Second)
	defer cancel()

	a := fx.articles[4]
	type namedRead struct {
		name string
		read func() (n int, err error)
	}
	reads := []namedRead{
		{"Get", func() (int, error) { _, err := s.Get(pc, a.ID); return 1, err }},
		{"Versions", func() (int, error) { v, err := s.Versions(pc, a.ID); return len(v), err }},
		{"GetVersion", func() (int, error) { _, err := s.GetVersion(pc, a.ID, 1); return 1, err }},
		{"Search", func() (int, error) { h, err := s.Search(pc, store.Query{Text: "harbour"}); return len(h), err }},
		{"Search filtered", func() (int, error) {
			h, err := s.Search(pc, store.Query{Text: "ferry", Filter: store.Filter{Lang: "en"}})
			return len(h), err
		}},
		{"Each", func() (int, error) {
			n := 0
			err := s.Each(pc, store.Filter{}, func(*article.Article, store.Origin) error { n++; return nil })
			return n, err
		}},
		{"Stats", func() (int, error) { st, err := s.Stats(pc); return st.Articles, err }},
		{"Stories", func() (int, error) { st, err := s.Stories(pc, time.Time{}); return len(st), err }},
		{"DupGroups", func() (int, error) { g, err := s.DupGroups(pc); return len(g), err }},
		{"BandCandidates", func() (int, error) { _, err := s.BandCandidates(pc, []uint64{1, 2, 3}); return 1, err }},
		{"State", func() (int, error) {
			_, err := s.State(pc, "no-such-state")
			if errors.Is(err, store.ErrNotFound) {
				return 1, nil
			}
			return 1, err
		}},
	}
	if nr, ok := store.AsNewsroom(s); ok {
		reads = append(reads, []namedRead{
			{"Articles", func() (int, error) { pg, err := nr.Articles(pc, store.ArticleQuery{}); return len(pg.Articles), err }},
			{"Articles of a story", func() (int, error) {
				pg, err := nr.Articles(pc, store.ArticleQuery{Story: "st-a"})
				return len(pg.Articles), err
			}},
			{"StoryList", func() (int, error) { pg, err := nr.StoryList(pc, store.StoryQuery{}); return len(pg.Stories), err }},
			{"Story", func() (int, error) { _, err := nr.Story(pc, "st-a"); return 1, err }},
			{"TopEntities", func() (int, error) { e, err := nr.TopEntities(pc, store.EntityQuery{}); return len(e), err }},
			{"TopEntities of a story", func() (int, error) {
				e, err := nr.TopEntities(pc, store.EntityQuery{Story: "st-a"})
				return len(e), err
			}},
			{"Entity", func() (int, error) { _, err := nr.Entity(pc, "person:ada-lind"); return 1, err }},
			{"Coverage", func() (int, error) {
				b, err := nr.Coverage(pc, store.CoverageQuery{Query: store.Query{Text: "harbour",
					Filter: store.Filter{Since: fx.base, Until: fx.base.Add(6 * 24 * time.Hour)}}, Bucket: 24 * time.Hour})
				return len(b), err
			}},
			{"Feeds", func() (int, error) { _, err := nr.Feeds(pc); return 1, err }},
		}...)
	}
	if sg, ok := s.(store.StoryGetter); ok {
		reads = append(reads, namedRead{"StoriesByID", func() (int, error) { st, err := sg.StoriesByID(pc, []string{"st-a", "st-b"}); return len(st), err }})
	}
	for _, r := range reads {
		n, err := r.read()
		if err != nil {
			t.Errorf("%s under a pinned context, every connection pinned: %v", r.name, err)
		} else if n == 0 {
			t.Errorf("%s under a pinned context found nothing", r.name)
		}
	}

	// After its release a pinned context reads from the pool again, and
	// the connection is back in it.
	last, releaseLast := pinned[len(pinned)-1], releases[len(releases)-1]
	releaseLast()
	releaseLast() // a second release does nothing
	after, cancelAfter := context.WithTimeout(last, 10*time.Second)
	defer cancelAfter()
	if _, err := s.Get(after, a.ID); err != nil {
		t.Errorf("read under a released context: %v", err)
	}
	fresh, cancelFresh := context.WithTimeout(ctx, 10*time.Second)
	defer cancelFresh()
	if _, err := s.Get(fresh, fx.articles[1].ID); err != nil {
		t.Errorf("unpinned read once a pin was released: %v", err)
	}
}
