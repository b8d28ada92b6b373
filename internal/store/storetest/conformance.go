package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// CheckPutBatch checks the batch contract of a store.Store implementation
// on an empty store s: a batch's articles and stage state commit together,
// group relabels reach articles stored earlier and in the batch itself (and
// an article without a group that a relabel names), and a batch that fails
// part way leaves nothing behind.
func CheckPutBatch(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	mk := func(url, source, title, text string) *article.Article {
		a := &article.Article{URL: url, Source: article.Source{Name: source}, Title: title, Paragraphs: []string{text},
			Published: time.Date(2031, 6, 2, 9, 0, 0, 0, time.UTC), Language: "en"}
		a.Finalize()
		return a
	}
	a := mk("https://harborpost.example/a", "Harbor Post", "Ferry fares rise", "Fares on the island ferry rise by a tenth from June, the operator said.")
	z := mk("https://harborpost.example/z", "Harbor Post", "Ferry fares: the details", "The island ferry's new fares take effect in June, a tenth higher.")
	a.DupGroup = a.ID
	if _, err := s.PutBatch(ctx, store.Batch{Entries: []store.Entry{{Article: a}, {Article: z}}, Bands: []store.Bands{{ArticleID: a.ID, Keys: []uint64{7, 8}}}}); err != nil {
		t.Fatal(err)
	}
	b := mk("https://dailylantern.example/b", "Daily Lantern", "Island ferry dearer", "The island ferry will cost a tenth more from June, its operator said.")
	b.DupGroup = a.ID
	c := mk("https://valleywire.example/c", "Valley Wire", "Ferry fares up", "Fares on the island ferry rise by a tenth from June, the operator said on Monday.")
	c.DupGroup = c.ID
	res, err := s.PutBatch(ctx, store.Batch{
		Entries:  []store.Entry{{Article: b}, {Article: c}},
		Bands:    []store.Bands{{ArticleID: b.ID, Keys: []uint64{8, 9}}, {ArticleID: c.ID, Keys: []uint64{10}}},
		Relabels: []store.Relabel{{From: a.ID, To: c.ID}, {From: z.ID, To: c.ID}},
		Stories:  []store.StoryState{{ID: "s1", Headline: "Ferry fares", Count: 4, Outlets: []string{"Harbor Post"}, State: []byte("x")}},
		State:    []store.NamedState{{Name: "stories/stats", Value: []byte("df")}},
	})
	if err != nil || !slices.Equal(res, []store.Result{store.Ingested, store.Ingested}) {
		t.Fatalf("PutBatch = %v, %v", res, err)
	}
	for _, x := range []*article.Article{a, b, c, z} {
		got, err := s.Get(ctx, x.ID)
		if err != nil || got.DupGroup != c.ID {
			t.Errorf("%s: dup group %q, %v; want %q", x.Title, got.DupGroup, err, c.ID)
		}
	}
	cands, err := s.BandCandidates(ctx, []uint64{8, 10})
	slices.Sort(cands)
	want := []string{a.ID, b.ID, c.ID}
	slices.Sort(want)
	if err != nil || !slices.Equal(cands, want) {
		t.Errorf("BandCandidates = %v, %v; want %v", cands, err, want)
	}
	if v, err := s.State(ctx, "stories/stats"); err != nil || string(v) != "df" {
		t.Errorf("state = %q, %v", v, err)
	}
	if all, err := s.Stories(ctx, time.Time{}); err != nil || len(all) != 1 || all[0].Count != 4 {
		t.Errorf("stories = %+v, %v", all, err)
	}

	// A batch failing after its articles were written (a state blob
	// without a value) stores none of it.
	d := mk("https://harborpost.example/d", "Harbor Post", "Ferry timetable", "Two evening sailings are added to the ferry timetable from June.")
	_, err = s.PutBatch(ctx, store.Batch{
		Entries:  []store.Entry{{Article: d}},
		Bands:    []store.Bands{{ArticleID: d.ID, Keys: []uint64{11}}},
		Relabels: []store.Relabel{{From: c.ID, To: d.ID}},
		Stories:  []store.StoryState{{ID: "s2", Count: 1}},
		State:    []store.NamedState{{Name: "broken"}},
	})
	if err == nil {
		t.Fatal("a batch with a state blob without a value was stored")
	}
	if _, err := s.Get(ctx, d.ID); err == nil {
		t.Error("the article of a failed batch was stored")
	}
	if got, _ := s.Get(ctx, a.ID); got == nil || got.DupGroup != c.ID {
		t.Errorf("the relabel of a failed batch was applied: %+v", got)
	}
	if cands, _ := s.BandCandidates(ctx, []uint64{11}); len(cands) != 0 {
		t.Errorf("bands of a failed batch were stored: %v", cands)
	}
	if all, _ := s.Stories(ctx, time.Time{}); len(all) != 1 || all[0].ID != "s1" || all[0].Count != 4 {
		t.Errorf("stories after a failed batch: %+v", all)
	}

	// State alone.
	if res, err := s.PutBatch(ctx, store.Batch{Stories: []store.StoryState{{ID: "s3", Count: 0}}}); err != nil || len(res) != 0 {
		t.Errorf("a batch of state alone: %v, %v", res, err)
	}

	// A story merge moves the articles of story s1, stored earlier and in
	// the batch, to s3 and deletes s1.
	a2, _ := s.Get(ctx, a.ID)
	a2.Story = "s1"
	e := mk("https://valleywire.example/e", "Valley Wire", "Ferry fares: reactions", "Islanders said the dearer ferry would hurt the June market.")
	e.Story = "s1"
	if _, err := s.PutBatch(ctx, store.Batch{Entries: []store.Entry{{Article: a2}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutBatch(ctx, store.Batch{
		Entries:     []store.Entry{{Article: e}},
		Stories:     []store.StoryState{{ID: "s3", Headline: "Ferry fares", Count: 6}},
		StoryMerges: []store.Relabel{{From: "s1", To: "s3"}},
	}); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*article.Article{a, e} {
		if got, err := s.Get(ctx, x.ID); err != nil || got.Story != "s3" {
			t.Errorf("%s after the story merge: story %q, %v; want s3", x.Title, got.Story, err)
		}
	}
	if all, err := s.Stories(ctx, time.Time{}); err != nil || len(all) != 1 || all[0].ID != "s3" || all[0].Count != 6 {
		t.Errorf("stories after the merge = %+v, %v; want s3 alone", all, err)
	}
}

// newsroomFixture is what CheckNewsroom stores: articles over six days from
// three outlets in two languages (three undated, two with the same
// publication time as a third), a copy group, two stories with articles,
// entities, and four story states.
type newsroomFixture struct {
	base     time.Time
	articles []*article.Article // in the order stored
}

func newsroomArticle(i int, published time.Time) *article.Article {
	src := Sources[i%3]
	text := fmt.Sprintf("Report %d from the %s desk on the harbour works.", i, src.Name)
	if i%5 == 0 {
		text += " The ferry timetable changes in June."
	}
	a := &article.Article{
		URL: fmt.Sprintf("https://%s/newsroom/%d", src.Domain, i), Source: src,
		Title: fmt.Sprintf("Harbour works, part %d", i), Paragraphs: []string{text},
		Published: published, Language: "en", Description: fmt.Sprintf("Part %d of the series.", i),
	}
	if i%4 == 3 {
		a.Language = "fr"
	}
	a.Finalize()
	return a
}

func newsroomEntities(i int) []article.Entity {
	var es []article.Entity
	if i%2 == 0 {
		es = append(es, article.Entity{Key: "person:ada-lind", Text: "Ada Lind", Type: "person", Count: 2})
	}
	if i%3 == 0 {
		es = append(es, article.Entity{Key: "place:marovia", Text: "Marovia", Type: "place", Count: 1,
			Mentions: []article.Span{{Text: "Marovia", Start: 0, End: 7}}})
	}
	if i < 4 {
		es = append(es, article.Entity{Key: "org:harbor-council", Text: "Harbor Council", Type: "org", Count: 3})
	}
	return es
}

func putNewsroomFixture(t *testing.T, s store.Store) *newsroomFixture {
	t.Helper()
	ctx := context.Background()
	fx := &newsroomFixture{base: time.Date(2031, 5, 1, 0, 0, 0, 0, time.UTC)}
	var entries []store.Entry
	for i := range 25 {
		var pub time.Time
		switch {
		case i < 20:
			pub = fx.base.Add(time.Duration(i) * 7 * time.Hour)
		case i < 22:
			pub = fx.base.Add(70 * time.Hour) // article 10's time
		}
		a := newsroomArticle(i, pub)
		a.Entities = newsroomEntities(i)
		switch {
		case i < 6:
			a.Story = "st-a"
		case i < 9:
			a.Story = "st-b"
		}
		if i >= 1 && i <= 3 {
			a.DupGroup = "g1"
		}
		fx.articles = append(fx.articles, a)
		entries = append(entries, store.Entry{Article: a})
	}
	h := func(n int) time.Time { return fx.base.Add(time.Duration(n) * time.Hour) }
	stories := []store.StoryState{
		{ID: "st-a", Headline: "Harbour works", First: h(0), Last: h(35), Count: 6, Outlets: []string{"A", "B", "C"}, State: []byte("x")},
		{ID: "st-b", Headline: "Harbour works again", First: h(42), Last: h(56), Count: 3, Outlets: []string{"A", "B", "C"}},
		{ID: "st-c", Headline: "One outlet, many articles", First: h(0), Last: h(130), Count: 10, Outlets: []string{"A"}},
		{ID: "st-d", Headline: "Same size as st-a, older", First: h(0), Last: h(20), Count: 6, Outlets: []string{"A", "B", "C"}},
	}
	// Two batches, so that the copy group spans them.
	if _, err := s.PutBatch(ctx, store.Batch{Entries: entries[:2]}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutBatch(ctx, store.Batch{Entries: entries[2:], Stories: stories}); err != nil {
		t.Fatal(err)
	}
	return fx
}

// CheckNewsroom checks the store.Newsroom contract on stores that open
// returns empty (one per subtest): article pages, filters and cursors
// (items added between pages included), story lists and order, entity
// counts, coverage series, feeds, and the errors.
func CheckNewsroom(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	setup := func(t *testing.T) (store.Store, store.Newsroom, *newsroomFixture) {
		t.Helper()
		s := open(t)
		n, ok := store.AsNewsroom(s)
		if !ok {
			t.Fatalf("%T is not a store.Newsroom", s)
		}
		return s, n, putNewsroomFixture(t, s)
	}
	// walk lists every page of q, failing on a repeated id.
	walk := func(t *testing.T, n store.Newsroom, q store.ArticleQuery, between func(page int)) []store.Summary {
		t.Helper()
		var all []store.Summary
		seen := map[string]bool{}
		for page := 0; ; page++ {
			p, err := n.Articles(ctx, q)
			if err != nil {
				t.Fatalf("page %d: %v", page, err)
			}
			if q.Limit > 0 && len(p.Articles) > q.Limit {
				t.Fatalf("page %d has %d articles, limit %d", page, len(p.Articles), q.Limit)
			}
			for _, a := range p.Articles {
				if seen[a.ID] {
					t.Fatalf("page %d repeats %s (%s)", page, a.ID, a.Title)
				}
				seen[a.ID] = true
				all = append(all, a)
			}
			if p.Next == "" {
				return all
			}
			if page > 1000 {
				t.Fatal("pages do not end")
			}
			q.Cursor = p.Next
			if between != nil {
				between(page)
			}
		}
	}
	ids := func(ss []store.Summary) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = s.ID
		}
		return out
	}
	// want lists the fixture's articles matching keep in the contract's
	// order: newest first (oldest first when asc), then stored order,
	// undated last.
	want := func(fx *newsroomFixture, asc bool, keep func(i int, a *article.Article) bool) []string {
		type item struct {
			i int
			a *article.Article
		}
		var items []item
		for i, a := range fx.articles {
			if keep(i, a) {
				items = append(items, item{i, a})
			}
		}
		slices.SortStableFunc(items, func(x, y item) int {
			if x.a.Published.IsZero() != y.a.Published.IsZero() {
				if x.a.Published.IsZero() {
					return 1
				}
				return -1
			}
			c := x.a.Published.Compare(y.a.Published)
			if c == 0 {
				c = x.i - y.i
			}
			if !asc {
				c = -c
			}
			return c
		})
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = it.a.ID
		}
		return out
	}

	t.Run("articles", func(t *testing.T) {
		_, n, fx := setup(t)
		all := walk(t, n, store.ArticleQuery{Filter: store.Filter{Limit: 4}}, nil)
		if got, w := ids(all), want(fx, false, func(int, *article.Article) bool { return true }); !slices.Equal(got, w) {
			t.Errorf("all articles, 4 a page:\n got %v\nwant %v", got, w)
		}
		a := all[0]
		x := fx.articles[19]
		if a.ID != x.ID || a.Title != x.Title || a.URL != x.URL || a.Source != x.Source || !a.Published.Equal(x.Published) ||
			a.Language != x.Language || a.Description != x.Description || a.WordCount != x.WordCount || a.Stored.IsZero() {
			t.Errorf("summary %+v of %+v", a, x)
		}
		if g := all[len(all)-1]; g.Story != "" || fx.articles[1].DupGroup != "g1" {
			t.Errorf("summary annotations: %+v", g)
		}
		p, err := n.Articles(ctx, store.ArticleQuery{})
		if err != nil || len(p.Articles) != len(fx.articles) || p.Next != "" {
			t.Errorf("default page: %d articles, next %q, %v", len(p.Articles), p.Next, err)
		}
		p, err = n.Articles(ctx, store.ArticleQuery{Filter: store.Filter{Limit: len(fx.articles)}})
		if err != nil || len(p.Articles) != len(fx.articles) || p.Next != "" {
			t.Errorf("a page of exactly all: %d articles, next %q, %v", len(p.Articles), p.Next, err)
		}
	})

	t.Run("articles added between pages", func(t *testing.T) {
		s, n, fx := setup(t)
		before := want(fx, false, func(int, *article.Article) bool { return true })
		added := 0
		all := walk(t, n, store.ArticleQuery{Filter: store.Filter{Limit: 3}}, func(page int) {
			// A newer, an older and an undated article each time.
			var es []store.Entry
			for k, pub := range []time.Time{fx.base.AddDate(0, 1, page), fx.base.AddDate(0, -1, page), {}} {
				a := newsroomArticle(1000+page*3+k, pub)
				es = append(es, store.Entry{Article: a})
			}
			added += 3
			if _, err := s.Put(ctx, es); err != nil {
				t.Fatal(err)
			}
		})
		seen := map[string]bool{}
		for _, a := range all {
			seen[a.ID] = true
		}
		for _, id := range before {
			if !seen[id] {
				t.Errorf("article %s was not listed", id)
			}
		}
		if added == 0 || len(all) <= len(before) || len(all) >= len(before)+added {
			t.Errorf("%d listed of %d before and %d added: want the older ones added, not the newer", len(all), len(before), added)
		}
	})

	t.Run("article filters", func(t *testing.T) {
		_, n, fx := setup(t)
		since, until := fx.base.Add(30*time.Hour), fx.base.Add(100*time.Hour)
		tests := []struct {
			name string
			q    store.ArticleQuery
			asc  bool
			keep func(i int, a *article.Article) bool
		}{
			{"source", store.ArticleQuery{Filter: store.Filter{Source: Sources[1].Domain}}, false,
				func(_ int, a *article.Article) bool { return a.Source == Sources[1] }},
			{"source name, any case", store.ArticleQuery{Filter: store.Filter{Source: strings.ToUpper(Sources[2].Name)}}, false,
				func(_ int, a *article.Article) bool { return a.Source == Sources[2] }},
			{"language", store.ArticleQuery{Filter: store.Filter{Lang: "fr"}}, false,
				func(_ int, a *article.Article) bool { return a.Language == "fr" }},
			{"since and until", store.ArticleQuery{Filter: store.Filter{Since: since, Until: until}}, false,
				func(_ int, a *article.Article) bool { return !a.Published.Before(since) && a.Published.Before(until) }},
			{"since", store.ArticleQuery{Filter: store.Filter{Since: since}}, false,
				func(_ int, a *article.Article) bool { return !a.Published.Before(since) }},
			{"story, oldest first", store.ArticleQuery{Story: "st-a"}, true,
				func(_ int, a *article.Article) bool { return a.Story == "st-a" }},
			{"story and language", store.ArticleQuery{Story: "st-a", Filter: store.Filter{Lang: "fr"}}, true,
				func(_ int, a *article.Article) bool { return a.Story == "st-a" && a.Language == "fr" }},
			{"copy group", store.ArticleQuery{DupGroup: "g1"}, false,
				func(_ int, a *article.Article) bool { return a.DupGroup == "g1" }},
			{"entity", store.ArticleQuery{Entity: "person:ada-lind"}, false,
				func(i int, _ *article.Article) bool { return i%2 == 0 }},
			{"entity and source", store.ArticleQuery{Entity: "place:marovia", Filter: store.Filter{Source: Sources[0].Name}}, false,
				func(i int, a *article.Article) bool { return i%3 == 0 && a.Source == Sources[0] }},
			{"entity and since", store.ArticleQuery{Entity: "person:ada-lind", Filter: store.Filter{Since: since}}, false,
				func(i int, a *article.Article) bool { return i%2 == 0 && !a.Published.Before(since) }},
			{"unknown entity", store.ArticleQuery{Entity: "person:nobody"}, false,
				func(int, *article.Article) bool { return false }},
			{"unknown story", store.ArticleQuery{Story: "st-none"}, true,
				func(int, *article.Article) bool { return false }},
		}
		for _, tt := range tests {
			for _, limit := range []int{1, 2, 50} {
				tt.q.Limit = limit
				got := ids(walk(t, n, tt.q, nil))
				if w := want(fx, tt.asc, tt.keep); !slices.Equal(got, w) {
					t.Errorf("%s, %d a page:\n got %v\nwant %v", tt.name, limit, got, w)
				}
			}
		}
	})

	t.Run("bad cursors", func(t *testing.T) {
		_, n, _ := setup(t)
		p, err := n.Articles(ctx, store.ArticleQuery{Filter: store.Filter{Limit: 2}})
		if err != nil || p.Next == "" {
			t.Fatalf("first page: %+v, %v", p, err)
		}
		sp, err := n.StoryList(ctx, store.StoryQuery{Limit: 1})
		if err != nil || sp.Next == "" {
			t.Fatalf("first story page: %+v, %v", sp, err)
		}
		for _, c := range []string{"%%%", "bm90IGEgY3Vyc29y", p.Next[:len(p.Next)/2], sp.Next} {
			if _, err := n.Articles(ctx, store.ArticleQuery{Cursor: c}); !errors.Is(err, store.ErrBadCursor) {
				t.Errorf("articles with cursor %q: %v, want ErrBadCursor", c, err)
			}
		}
		if _, err := n.Articles(ctx, store.ArticleQuery{Story: "st-a", Cursor: p.Next}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("a story's articles with an article list's cursor: %v, want ErrBadCursor", err)
		}
		for _, c := range []string{"%%%", p.Next} {
			if _, err := n.StoryList(ctx, store.StoryQuery{Cursor: c}); !errors.Is(err, store.ErrBadCursor) {
				t.Errorf("stories with cursor %q: %v, want ErrBadCursor", c, err)
			}
		}
		if _, err := n.StoryList(ctx, store.StoryQuery{Order: store.BySize, Cursor: sp.Next}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("stories by size with a by-recency cursor: %v, want ErrBadCursor", err)
		}
	})

	t.Run("stories", func(t *testing.T) {
		_, n, fx := setup(t)
		list := func(q store.StoryQuery) []string {
			t.Helper()
			var out []string
			for {
				p, err := n.StoryList(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range p.Stories {
					if slices.Contains(out, s.ID) {
						t.Fatalf("story %s repeated", s.ID)
					}
					if s.State != nil {
						t.Errorf("story %s listed with its state", s.ID)
					}
					out = append(out, s.ID)
				}
				if p.Next == "" {
					return out
				}
				q.Cursor = p.Next
			}
		}
		for _, limit := range []int{0, 1, 3} {
			if got := list(store.StoryQuery{Limit: limit}); !slices.Equal(got, []string{"st-c", "st-b", "st-a", "st-d"}) {
				t.Errorf("by recency, %d a page: %v", limit, got)
			}
			if got := list(store.StoryQuery{Order: store.BySize, Limit: limit}); !slices.Equal(got, []string{"st-a", "st-d", "st-b", "st-c"}) {
				t.Errorf("by size, %d a page: %v", limit, got)
			}
		}
		h := func(n int) time.Time { return fx.base.Add(time.Duration(n) * time.Hour) }
		if got := list(store.StoryQuery{Since: h(35), Until: h(130)}); !slices.Equal(got, []string{"st-b", "st-a"}) {
			t.Errorf("last seen in [35h, 130h): %v", got)
		}
		if got := list(store.StoryQuery{Order: store.BySize, Since: h(21)}); !slices.Equal(got, []string{"st-a", "st-b", "st-c"}) {
			t.Errorf("by size since 21h: %v", got)
		}
		st, err := n.Story(ctx, "st-a")
		if err != nil || st.Headline != "Harbour works" || st.Count != 6 || !slices.Equal(st.Outlets, []string{"A", "B", "C"}) ||
			!st.First.Equal(h(0)) || !st.Last.Equal(h(35)) {
			t.Errorf("story st-a = %+v, %v", st, err)
		}
		if _, err := n.Story(ctx, "st-none"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing story: %v, want ErrNotFound", err)
		}
		if _, err := n.StoryList(ctx, store.StoryQuery{Order: "sideways"}); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("unknown order: %v, want ErrBadQuery", err)
		}
	})

	t.Run("entities", func(t *testing.T) {
		s, n, fx := setup(t)
		count := func(keep func(i int) bool, per int) store.EntityCount {
			var c store.EntityCount
			for i := range fx.articles {
				if keep(i) {
					c.Articles++
					c.Mentions += per
				}
			}
			return c
		}
		ada := count(func(i int) bool { return i%2 == 0 }, 2)
		mar := count(func(i int) bool { return i%3 == 0 }, 1)
		top, err := n.TopEntities(ctx, store.EntityQuery{})
		if err != nil || len(top) != 3 {
			t.Fatalf("top entities = %+v, %v", top, err)
		}
		wantTop := []store.EntityCount{
			{Key: "person:ada-lind", Text: "Ada Lind", Type: "person", Articles: ada.Articles, Mentions: ada.Mentions},
			{Key: "place:marovia", Text: "Marovia", Type: "place", Articles: mar.Articles, Mentions: mar.Mentions},
			{Key: "org:harbor-council", Text: "Harbor Council", Type: "org", Articles: 4, Mentions: 12},
		}
		if !slices.Equal(top, wantTop) {
			t.Errorf("top entities:\n got %+v\nwant %+v", top, wantTop)
		}
		if top, err := n.TopEntities(ctx, store.EntityQuery{Limit: 1}); err != nil || len(top) != 1 || top[0].Key != "person:ada-lind" {
			t.Errorf("top 1 = %+v, %v", top, err)
		}
		if top, err := n.TopEntities(ctx, store.EntityQuery{Type: "org"}); err != nil || len(top) != 1 || top[0].Key != "org:harbor-council" {
			t.Errorf("top orgs = %+v, %v", top, err)
		}
		// Articles 0..3 are published at 0, 7, 14 and 21 hours.
		early, err := n.TopEntities(ctx, store.EntityQuery{Until: fx.base.Add(22 * time.Hour)})
		wantEarly := []store.EntityCount{
			{Key: "org:harbor-council", Text: "Harbor Council", Type: "org", Articles: 4, Mentions: 12},
			{Key: "person:ada-lind", Text: "Ada Lind", Type: "person", Articles: 2, Mentions: 4},
			{Key: "place:marovia", Text: "Marovia", Type: "place", Articles: 2, Mentions: 2},
		}
		if err != nil || !slices.Equal(early, wantEarly) {
			t.Errorf("top until 22h:\n got %+v, %v\nwant %+v", early, err, wantEarly)
		}
		if late, err := n.TopEntities(ctx, store.EntityQuery{Since: fx.base.Add(1000 * time.Hour)}); err != nil || len(late) != 0 {
			t.Errorf("top in an empty period = %+v, %v", late, err)
		}
		// A story's entities: st-a holds articles 0-5.
		wantStory := []store.EntityCount{
			{Key: "org:harbor-council", Text: "Harbor Council", Type: "org", Articles: 4, Mentions: 12},
			{Key: "person:ada-lind", Text: "Ada Lind", Type: "person", Articles: 3, Mentions: 6},
			{Key: "place:marovia", Text: "Marovia", Type: "place", Articles: 2, Mentions: 2},
		}
		if got, err := n.TopEntities(ctx, store.EntityQuery{Story: "st-a"}); err != nil || !slices.Equal(got, wantStory) {
			t.Errorf("story st-a's entities:\n got %+v, %v\nwant %+v", got, err, wantStory)
		}
		if got, err := n.TopEntities(ctx, store.EntityQuery{Story: "st-a", Type: "person", Limit: 5}); err != nil || !slices.Equal(got, wantStory[1:2]) {
			t.Errorf("story st-a's persons: %+v, %v", got, err)
		}
		if got, err := n.TopEntities(ctx, store.EntityQuery{Story: "no-such-story"}); err != nil || len(got) != 0 {
			t.Errorf("an unknown story's entities: %+v, %v", got, err)
		}
		e, err := n.Entity(ctx, "place:marovia")
		if err != nil || e != wantTop[1] {
			t.Errorf("entity place:marovia = %+v, %v", e, err)
		}
		if _, err := n.Entity(ctx, "person:nobody"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing entity: %v, want ErrNotFound", err)
		}
		// A new version replaces the article's entities.
		a := *fx.articles[0]
		a.Entities = []article.Entity{{Key: "place:marovia", Text: "Marovia", Type: "place", Count: 5}}
		a.Paragraphs = append(slices.Clone(a.Paragraphs), "An update.")
		a.Finalize()
		if res, err := s.Put(ctx, []store.Entry{{Article: &a}}); err != nil || res[0] != store.Updated {
			t.Fatalf("update: %v, %v", res, err)
		}
		if e, err := n.Entity(ctx, "place:marovia"); err != nil || e.Articles != mar.Articles || e.Mentions != mar.Mentions+4 {
			t.Errorf("after the update, place:marovia = %+v, %v", e, err)
		}
		if e, err := n.Entity(ctx, "org:harbor-council"); err != nil || e.Articles != 3 || e.Mentions != 9 {
			t.Errorf("after the update, org:harbor-council = %+v, %v", e, err)
		}
	})

	t.Run("coverage", func(t *testing.T) {
		_, n, fx := setup(t)
		day := 24 * time.Hour
		// expected counts per day from the fixture.
		series := func(from time.Time, days int, size time.Duration, keep func(i int, a *article.Article) bool, folded bool) []store.Bucket {
			out := make([]store.Bucket, days)
			for k := range out {
				out[k].Start = from.Add(time.Duration(k) * size)
			}
			groups := map[string]bool{}
			for i, a := range fx.articles {
				if a.Published.IsZero() || !keep(i, a) {
					continue
				}
				if folded && a.DupGroup != "" {
					if groups[a.DupGroup] {
						continue // later copies: the fixture stores them in time order
					}
					groups[a.DupGroup] = true
				}
				k := int(a.Published.Sub(from) / size)
				if k >= 0 && k < days {
					out[k].Count++
				}
			}
			return out
		}
		all := func(int, *article.Article) bool { return true }
		ferry := func(i int, _ *article.Article) bool { return i%5 == 0 }
		tests := []struct {
			name string
			q    store.CoverageQuery
			want []store.Bucket
		}{
			{"every article, span of the matches", store.CoverageQuery{}, series(fx.base, 6, day, all, true)},
			{"all copies", store.CoverageQuery{Query: store.Query{AllCopies: true}}, series(fx.base, 6, day, all, false)},
			{"zeros before and after", store.CoverageQuery{Query: store.Query{Filter: store.Filter{
				Since: fx.base.AddDate(0, 0, -2), Until: fx.base.AddDate(0, 0, 9)}}}, series(fx.base.AddDate(0, 0, -2), 11, day, all, true)},
			{"a word", store.CoverageQuery{Query: store.Query{Text: "ferry", Filter: store.Filter{
				Since: fx.base, Until: fx.base.AddDate(0, 0, 7)}}}, series(fx.base, 7, day, ferry, true)},
			{"a word and a source", store.CoverageQuery{Query: store.Query{Text: "ferry", Filter: store.Filter{
				Source: Sources[0].Name, Since: fx.base, Until: fx.base.AddDate(0, 0, 7)}}},
				series(fx.base, 7, day, func(i int, a *article.Article) bool { return i%5 == 0 && a.Source == Sources[0] }, true)},
			{"a source field", store.CoverageQuery{Query: store.Query{Text: "source:" + Sources[1].Domain, Filter: store.Filter{
				Since: fx.base, Until: fx.base.AddDate(0, 0, 7)}}},
				series(fx.base, 7, day, func(_ int, a *article.Article) bool { return a.Source == Sources[1] }, true)},
			{"hours", store.CoverageQuery{Bucket: time.Hour, Query: store.Query{Filter: store.Filter{
				Since: fx.base.Add(5 * time.Hour), Until: fx.base.Add(30 * time.Hour)}}}, series(fx.base.Add(5*time.Hour), 25, time.Hour, all, true)},
			{"since mid-day starts on its day", store.CoverageQuery{Query: store.Query{Filter: store.Filter{
				Since: fx.base.Add(30 * time.Hour), Until: fx.base.Add(50 * time.Hour)}}},
				series(fx.base.Add(day), 2, day, func(_ int, a *article.Article) bool {
					return !a.Published.Before(fx.base.Add(30*time.Hour)) && a.Published.Before(fx.base.Add(50*time.Hour))
				}, true)},
			{"no matches in a closed period", store.CoverageQuery{Query: store.Query{Text: "nonexistentword", Filter: store.Filter{
				Since: fx.base, Until: fx.base.AddDate(0, 0, 3)}}}, series(fx.base, 3, day, func(int, *article.Article) bool { return false }, true)},
			{"no matches in an open period", store.CoverageQuery{Query: store.Query{Text: "nonexistentword"}}, []store.Bucket{}},
		}
		for _, tt := range tests {
			got, err := n.Coverage(ctx, tt.q)
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			if !slices.EqualFunc(got, tt.want, func(a, b store.Bucket) bool { return a.Start.Equal(b.Start) && a.Count == b.Count }) {
				t.Errorf("%s:\n got %v\nwant %v", tt.name, got, tt.want)
			}
		}
		// The 14 days to a time within an hour: 337 hours touched.
		if got, err := n.Coverage(ctx, store.CoverageQuery{Bucket: time.Hour, Query: store.Query{Filter: store.Filter{
			Since: fx.base.Add(30 * time.Minute), Until: fx.base.Add(30*time.Minute + 14*day)}}}); err != nil || len(got) != 14*24+1 {
			t.Errorf("14 days of hours from half past: %d buckets, %v; want %d", len(got), err, 14*24+1)
		}
		total := 0
		got, _ := n.Coverage(ctx, store.CoverageQuery{Query: store.Query{AllCopies: true}})
		for _, b := range got {
			total += b.Count
		}
		if total != 22 {
			t.Errorf("coverage of every copy totals %d, want the 22 dated articles", total)
		}
		for _, q := range []store.CoverageQuery{
			{Bucket: 2 * time.Hour},
			{Query: store.Query{Filter: store.Filter{Since: fx.base, Until: fx.base.AddDate(2, 0, 0)}}},
			{Bucket: time.Hour, Query: store.Query{Filter: store.Filter{Since: fx.base, Until: fx.base.AddDate(0, 0, 15)}}},
			{Query: store.Query{Filter: store.Filter{Since: fx.base, Until: fx.base}}},
		} {
			if _, err := n.Coverage(ctx, q); !errors.Is(err, store.ErrBadQuery) {
				t.Errorf("coverage %+v: %v, want ErrBadQuery", q, err)
			}
		}
		if _, err := n.Coverage(ctx, store.CoverageQuery{Query: store.Query{Text: `"unbalanced`}}); !errors.Is(err, store.ErrQuerySyntax) {
			t.Errorf("coverage of a bad query: %v, want ErrQuerySyntax", err)
		}
	})

	t.Run("feeds", func(t *testing.T) {
		s := open(t)
		n, ok := store.AsNewsroom(s)
		if !ok {
			t.Fatalf("%T is not a store.Newsroom", s)
		}
		if fs, err := n.Feeds(ctx); err != nil || len(fs) != 0 {
			t.Errorf("feeds of an empty store = %+v, %v", fs, err)
		}
		added := time.Date(2031, 5, 1, 8, 0, 0, 123456789, time.UTC)
		f := store.Feed{URL: "https://harborpost.example/feed.xml", Every: 15 * time.Minute, Added: added}
		g := store.Feed{URL: "https://dailylantern.example/rss", Every: time.Hour}
		for _, x := range []store.Feed{f, g} {
			if err := n.PutFeed(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		got, err := n.Feed(ctx, f.URL)
		if err != nil || got != f {
			t.Errorf("feed = %+v, %v; want %+v", got, err, f)
		}
		if got, err := n.Feed(ctx, g.URL); err != nil || got.Added.IsZero() || got.Every != time.Hour {
			t.Errorf("feed put without Added = %+v, %v; want Added set", got, err)
		}
		f.ETag, f.LastModified = `"abc"`, "Thu, 01 May 2031 08:00:00 GMT"
		f.LastPoll, f.NextPoll = added.Add(time.Minute), added.Add(16*time.Minute)
		f.LastStatus, f.LastError, f.Failures, f.ItemsSeen, f.ItemsStored = "error", "HTTP 503", 2, 40, 12
		if err := n.PutFeed(ctx, f); err != nil {
			t.Fatal(err)
		}
		if got, err := n.Feed(ctx, f.URL); err != nil || got != f {
			t.Errorf("updated feed = %+v, %v;\nwant %+v", got, err, f)
		}
		upd := f
		upd.Added = time.Time{}
		if err := n.PutFeed(ctx, upd); err != nil {
			t.Fatal(err)
		}
		if got, err := n.Feed(ctx, f.URL); err != nil || !got.Added.Equal(added) {
			t.Errorf("an update without Added changed it: %+v, %v", got, err)
		}
		fs, err := n.Feeds(ctx)
		if err != nil || len(fs) != 2 || fs[0].URL != g.URL || fs[1].URL != f.URL {
			t.Errorf("feeds = %+v, %v; want by URL", fs, err)
		}
		if err := n.DeleteFeed(ctx, f.URL); err != nil {
			t.Fatal(err)
		}
		if _, err := n.Feed(ctx, f.URL); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted feed: %v, want ErrNotFound", err)
		}
		if err := n.DeleteFeed(ctx, f.URL); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleting a feed twice: %v, want ErrNotFound", err)
		}
	})
}
