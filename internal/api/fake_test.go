package api

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// fakeNewsroom adds a simple store.Newsroom (scans over Each, Stories and
// Search) to a real store, for as long as the SQLite store has none of its
// own. Tests use the store's own Newsroom when it has one.
type fakeNewsroom struct {
	store.Store
	mu    sync.Mutex
	feeds map[string]store.Feed
	// panicStats makes Stats panic (to test recovery).
	panicStats bool
}

var _ store.Newsroom = (*fakeNewsroom)(nil)

func (f *fakeNewsroom) Stats(ctx context.Context) (store.Stats, error) {
	if f.panicStats {
		panic("fake: stats")
	}
	return f.Store.Stats(ctx)
}

func summaryOf(a *article.Article) store.Summary {
	return store.Summary{ID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Published: a.Published, Stored: a.Fetched,
		Language: a.Language, Description: a.Description, WordCount: a.WordCount, DupGroup: a.DupGroup, Story: a.Story}
}

func pageOf[T any](all []T, cursor string, limit int) ([]T, string, error) {
	off := 0
	if cursor != "" {
		n, err := strconv.Atoi(cursor)
		if err != nil || n < 0 {
			return nil, "", fmt.Errorf("fake: bad cursor %q", cursor)
		}
		off = n
	}
	if limit <= 0 {
		limit = store.DefaultPageSize
	}
	limit = min(limit, store.MaxPageSize)
	if off >= len(all) {
		return []T{}, "", nil
	}
	all = all[off:]
	if len(all) > limit {
		return all[:limit], strconv.Itoa(off + limit), nil
	}
	return all, "", nil
}

func (f *fakeNewsroom) Articles(ctx context.Context, q store.ArticleQuery) (store.ArticlePage, error) {
	var out []store.Summary
	filter := q.Filter
	filter.Limit = 0
	err := f.Each(ctx, filter, func(a *article.Article, _ store.Origin) error {
		if q.Story != "" && a.Story != q.Story || q.DupGroup != "" && a.DupGroup != q.DupGroup {
			return nil
		}
		if q.Entity != "" && !slices.ContainsFunc(a.Entities, func(e article.Entity) bool { return e.Key == q.Entity }) {
			return nil
		}
		out = append(out, summaryOf(a))
		return nil
	})
	if err != nil {
		return store.ArticlePage{}, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if q.Story != "" {
			return out[i].Published.Before(out[j].Published)
		}
		return out[i].Published.After(out[j].Published)
	})
	page, next, err := pageOf(out, q.Cursor, q.Limit)
	return store.ArticlePage{Articles: page, Next: next}, err
}

func (f *fakeNewsroom) StoryList(ctx context.Context, q store.StoryQuery) (store.StoryPage, error) {
	all, err := f.Stories(ctx, time.Time{})
	if err != nil {
		return store.StoryPage{}, err
	}
	var out []store.StoryState
	for _, s := range all {
		if (!q.Since.IsZero() && s.Last.Before(q.Since)) || (!q.Until.IsZero() && !s.Last.Before(q.Until)) {
			continue
		}
		s.State = nil
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if q.Order == store.BySize && len(out[i].Outlets) != len(out[j].Outlets) {
			return len(out[i].Outlets) > len(out[j].Outlets)
		}
		return out[i].Last.After(out[j].Last)
	})
	page, next, err := pageOf(out, q.Cursor, q.Limit)
	return store.StoryPage{Stories: page, Next: next}, err
}

func (f *fakeNewsroom) Story(ctx context.Context, id string) (store.StoryState, error) {
	all, err := f.Stories(ctx, time.Time{})
	if err != nil {
		return store.StoryState{}, err
	}
	for _, s := range all {
		if s.ID == id {
			s.State = nil
			return s, nil
		}
	}
	return store.StoryState{}, fmt.Errorf("fake: story %s: %w", id, store.ErrNotFound)
}

func (f *fakeNewsroom) entities(ctx context.Context, since, until time.Time) (map[string]*store.EntityCount, error) {
	m := map[string]*store.EntityCount{}
	err := f.Each(ctx, store.Filter{Since: since, Until: until}, func(a *article.Article, _ store.Origin) error {
		for _, e := range a.Entities {
			c := m[e.Key]
			if c == nil {
				c = &store.EntityCount{Key: e.Key, Text: e.Text, Type: e.Type}
				m[e.Key] = c
			}
			c.Articles++
			c.Mentions += e.Count
		}
		return nil
	})
	return m, err
}

func (f *fakeNewsroom) TopEntities(ctx context.Context, q store.EntityQuery) ([]store.EntityCount, error) {
	m, err := f.entities(ctx, q.Since, q.Until)
	if err != nil {
		return nil, err
	}
	var out []store.EntityCount
	for _, c := range m {
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
	if q.Limit <= 0 {
		q.Limit = store.DefaultPageSize
	}
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

func (f *fakeNewsroom) Entity(ctx context.Context, key string) (store.EntityCount, error) {
	m, err := f.entities(ctx, time.Time{}, time.Time{})
	if err != nil {
		return store.EntityCount{}, err
	}
	if c, ok := m[key]; ok {
		return *c, nil
	}
	return store.EntityCount{}, fmt.Errorf("fake: entity %s: %w", key, store.ErrNotFound)
}

func (f *fakeNewsroom) Coverage(ctx context.Context, q store.CoverageQuery) ([]store.Bucket, error) {
	var dates []time.Time
	if strings.TrimSpace(q.Text) == "" {
		fl := q.Filter
		fl.Limit = 0
		groups := map[string]bool{}
		if err := f.Each(ctx, fl, func(a *article.Article, _ store.Origin) error {
			if !q.AllCopies && a.DupGroup != "" {
				if groups[a.DupGroup] {
					return nil
				}
				groups[a.DupGroup] = true
			}
			dates = append(dates, a.Published)
			return nil
		}); err != nil {
			return nil, err
		}
	} else {
		sq := q.Query
		sq.Limit, sq.RankAll = 1<<20, true
		hits, err := f.Search(ctx, sq)
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			dates = append(dates, h.Published)
		}
	}
	var out []store.Bucket
	idx := map[int64]int{}
	for t := q.Since.UTC().Truncate(q.Bucket); t.Before(q.Until); t = t.Add(q.Bucket) {
		idx[t.Unix()] = len(out)
		out = append(out, store.Bucket{Start: t})
	}
	for _, d := range dates {
		if i, ok := idx[d.UTC().Truncate(q.Bucket).Unix()]; ok && !d.IsZero() {
			out[i].Count++
		}
	}
	return out, nil
}

func (f *fakeNewsroom) PutFeed(_ context.Context, fd store.Feed) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.feeds == nil {
		f.feeds = map[string]store.Feed{}
	}
	f.feeds[fd.URL] = fd
	return nil
}

func (f *fakeNewsroom) Feeds(context.Context) ([]store.Feed, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []store.Feed{}
	for _, fd := range f.feeds {
		out = append(out, fd)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out, nil
}

func (f *fakeNewsroom) Feed(_ context.Context, url string) (store.Feed, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fd, ok := f.feeds[url]; ok {
		return fd, nil
	}
	return store.Feed{}, fmt.Errorf("fake: feed %s: %w", url, store.ErrNotFound)
}

func (f *fakeNewsroom) DeleteFeed(_ context.Context, url string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.feeds[url]; !ok {
		return fmt.Errorf("fake: feed %s: %w", url, store.ErrNotFound)
	}
	delete(f.feeds, url)
	return nil
}
