package web

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// fakeStore is a small in-memory store.Store + store.Newsroom for the
// page tests. Methods the pages never call are left to the embedded nil
// interface (they panic if called).
type fakeStore struct {
	store.Store
	arts    []*article.Article
	stories []store.StoryState
	feeds   []store.Feed
	fail    error // returned by every read when set
}

var _ store.Newsroom = (*fakeStore)(nil)

func (f *fakeStore) Get(_ context.Context, id string) (*article.Article, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	var found []*article.Article
	for _, a := range f.arts {
		if a.ID == id {
			return a, nil
		}
		if len(id) >= 6 && strings.HasPrefix(a.ID, id) {
			found = append(found, a)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("%s: %w", id, store.ErrNotFound)
	}
	return nil, fmt.Errorf("%s: %w", id, store.ErrAmbiguous)
}

func (f *fakeStore) Versions(ctx context.Context, id string) ([]store.Version, error) {
	a, err := f.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return []store.Version{{Version: 1, ContentHash: "abc", Stored: a.Published.Add(time.Minute), Fetched: a.Fetched}}, nil
}

func (f *fakeStore) Search(_ context.Context, q store.Query) ([]store.Hit, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	if strings.Count(q.Text, `"`)%2 == 1 {
		return nil, fmt.Errorf("fts: unbalanced quote near %q: %w", q.Text, store.ErrQuerySyntax)
	}
	var hits []store.Hit
	for _, a := range f.match(q) {
		snip := a.Text
		if len(snip) > 160 {
			snip = snip[:160]
		}
		for _, w := range strings.Fields(strings.ToLower(q.Text)) {
			if i := strings.Index(strings.ToLower(snip), w); i >= 0 {
				snip = snip[:i] + q.MarkStart + snip[i:i+len(w)] + q.MarkEnd + snip[i+len(w):]
			}
		}
		hits = append(hits, store.Hit{ID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Published: a.Published,
			Language: a.Language, Snippet: snip, Score: 1, DupGroup: a.DupGroup})
	}
	return hits, nil
}

func (f *fakeStore) match(q store.Query) []*article.Article {
	var out []*article.Article
	for _, a := range f.arts {
		hay := strings.ToLower(a.Title + " " + a.Text)
		ok := true
		for _, w := range strings.Fields(strings.ToLower(q.Text)) {
			if !strings.Contains(hay, w) {
				ok = false
			}
		}
		if q.Source != "" && !strings.EqualFold(a.Source.Name, q.Source) && !strings.EqualFold(a.Source.Domain, q.Source) {
			ok = false
		}
		if q.Lang != "" && a.Language != q.Lang {
			ok = false
		}
		if !q.Since.IsZero() && a.Published.Before(q.Since) || !q.Until.IsZero() && !a.Published.Before(q.Until) {
			ok = false
		}
		if ok {
			out = append(out, a)
		}
	}
	return out
}

func summary(a *article.Article) store.Summary {
	return store.Summary{ID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Published: a.Published, Stored: a.Published,
		Language: a.Language, Description: a.Description, WordCount: a.WordCount, DupGroup: a.DupGroup, Story: a.Story}
}

func (f *fakeStore) Articles(_ context.Context, q store.ArticleQuery) (store.ArticlePage, error) {
	if f.fail != nil {
		return store.ArticlePage{}, f.fail
	}
	var p store.ArticlePage
	if q.Cursor != "" {
		return p, fmt.Errorf("cursor %q: %w", q.Cursor, store.ErrBadCursor)
	}
	for _, a := range f.arts {
		if q.Story != "" && a.Story != q.Story || q.DupGroup != "" && a.DupGroup != q.DupGroup {
			continue
		}
		if q.Entity != "" && !hasEntity(a, q.Entity) {
			continue
		}
		p.Articles = append(p.Articles, summary(a))
	}
	sort.SliceStable(p.Articles, func(i, j int) bool {
		if q.Story != "" {
			return p.Articles[i].Published.Before(p.Articles[j].Published)
		}
		return p.Articles[i].Published.After(p.Articles[j].Published)
	})
	return p, nil
}

func hasEntity(a *article.Article, key string) bool {
	for _, e := range a.Entities {
		if e.Key == key {
			return true
		}
	}
	return false
}

func (f *fakeStore) StoryList(_ context.Context, q store.StoryQuery) (store.StoryPage, error) {
	if f.fail != nil {
		return store.StoryPage{}, f.fail
	}
	var p store.StoryPage
	if q.Cursor != "" {
		return p, fmt.Errorf("cursor %q: %w", q.Cursor, store.ErrBadCursor)
	}
	for _, s := range f.stories {
		if !q.Since.IsZero() && s.Last.Before(q.Since) {
			continue
		}
		p.Stories = append(p.Stories, s)
	}
	sort.SliceStable(p.Stories, func(i, j int) bool { return len(p.Stories[i].Outlets) > len(p.Stories[j].Outlets) })
	return p, nil
}

func (f *fakeStore) Story(_ context.Context, id string) (store.StoryState, error) {
	for _, s := range f.stories {
		if s.ID == id {
			return s, nil
		}
	}
	return store.StoryState{}, fmt.Errorf("story %s: %w", id, store.ErrNotFound)
}

func (f *fakeStore) entityCounts(story string) map[string]*store.EntityCount {
	m := map[string]*store.EntityCount{}
	for _, a := range f.arts {
		if story != "" && a.Story != story {
			continue
		}
		for _, e := range a.Entities {
			c := m[e.Key]
			if c == nil {
				c = &store.EntityCount{Key: e.Key, Text: e.Text, Type: e.Type}
				m[e.Key] = c
			}
			c.Articles++
			c.Mentions += e.Count
		}
	}
	return m
}

func (f *fakeStore) TopEntities(_ context.Context, q store.EntityQuery) ([]store.EntityCount, error) {
	var out []store.EntityCount
	for _, c := range f.entityCounts(q.Story) {
		if q.Type == "" || c.Type == q.Type {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Articles != out[j].Articles {
			return out[i].Articles > out[j].Articles
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}

func (f *fakeStore) Entity(_ context.Context, key string) (store.EntityCount, error) {
	if c := f.entityCounts("")[key]; c != nil {
		return *c, nil
	}
	return store.EntityCount{}, fmt.Errorf("entity %s: %w", key, store.ErrNotFound)
}

func (f *fakeStore) Coverage(_ context.Context, q store.CoverageQuery) ([]store.Bucket, error) {
	var bs []store.Bucket
	for t := q.Since.UTC().Truncate(q.Bucket); t.Before(q.Until); t = t.Add(q.Bucket) {
		n := 0
		for _, a := range f.match(q.Query) {
			if !a.Published.Before(t) && a.Published.Before(t.Add(q.Bucket)) {
				n++
			}
		}
		bs = append(bs, store.Bucket{Start: t, Count: n})
	}
	return bs, nil
}

func (f *fakeStore) PutFeed(_ context.Context, fd store.Feed) error {
	f.feeds = append(f.feeds, fd)
	return nil
}

func (f *fakeStore) Feeds(context.Context) ([]store.Feed, error) { return f.feeds, f.fail }

func (f *fakeStore) Feed(_ context.Context, u string) (store.Feed, error) {
	for _, fd := range f.feeds {
		if fd.URL == u {
			return fd, nil
		}
	}
	return store.Feed{}, store.ErrNotFound
}

func (f *fakeStore) DeleteFeed(context.Context, string) error { return store.ErrNotFound }
