// Package dedupstore runs near-duplicate detection and story clustering
// against a newsdesk store, so that detection is incremental across ingest
// runs: LSH band keys live in the store's band table, fingerprints are
// recomputed from stored articles, and group membership is the articles'
// dup_group column.
//
// Catalog implements dedup.Store over a store.Store. It caches what it
// reads and what the detector writes, so articles added earlier in the same
// run are found before their batch is stored. One Catalog serves one
// process; it is safe for concurrent use.
package dedupstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/dedup"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Catalog adapts a store.Store to dedup.Store.
type Catalog struct {
	st     store.Store
	cfg    dedup.Config
	shPool sync.Pool

	mu      sync.Mutex
	entries map[string]dedup.Entry
	groups  map[string]dedup.Group
	members map[string][]string // stored multi-member groups, loaded once
}

// New returns a catalog over st; cfg must be the detector's configuration
// (it decides how fingerprints are recomputed).
func New(st store.Store, cfg dedup.Config) *Catalog {
	c := &Catalog{st: st, cfg: cfg, entries: map[string]dedup.Entry{}, groups: map[string]dedup.Group{}}
	c.shPool.New = func() any { return &dedup.Shingler{K: cfg.ShingleWords, MinParaWords: cfg.MinParaWords} }
	return c
}

// Add implements dedup.BandIndex with the store's band table.
func (c *Catalog) Add(ctx context.Context, id string, bands []uint64) error {
	if err := c.st.PutBands(ctx, id, bands); err != nil {
		return fmt.Errorf("dedup: store bands of %s: %w", id, err)
	}
	return nil
}

// Candidates implements dedup.BandIndex with the store's band table.
func (c *Catalog) Candidates(ctx context.Context, bands []uint64) ([]string, error) {
	ids, err := c.st.BandCandidates(ctx, bands)
	if err != nil {
		return nil, fmt.Errorf("dedup: store band candidates: %w", err)
	}
	return ids, nil
}

// Fingerprint recomputes the fingerprint of a stored article.
func (c *Catalog) Fingerprint(a *article.Article) dedup.Fingerprint {
	sh := c.shPool.Get().(*dedup.Shingler)
	defer c.shPool.Put(sh)
	return dedup.NewFingerprint(sh.Article(a))
}

// Lookup implements dedup.Catalog: from the cache, else from the stored
// article (its fingerprint recomputed, its group its dup_group or itself).
func (c *Catalog) Lookup(ctx context.Context, id string) (dedup.Entry, error) {
	c.mu.Lock()
	e, ok := c.entries[id]
	c.mu.Unlock()
	if ok {
		return e, nil
	}
	a, err := c.st.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return dedup.Entry{}, fmt.Errorf("dedup: article %s: %w", id, dedup.ErrNotFound)
	}
	if err != nil {
		return dedup.Entry{}, fmt.Errorf("dedup: article %s: %w", id, err)
	}
	e = dedup.Entry{ID: a.ID, Group: a.DupGroup, Fingerprint: c.Fingerprint(a)}
	if e.Group == "" {
		e.Group = a.ID
	}
	c.mu.Lock()
	c.entries[id] = e
	c.mu.Unlock()
	return e, nil
}

// PutEntry implements dedup.Catalog. The entry is cached; the caller stores
// the article with DupGroup set to the detector's result.
func (c *Catalog) PutEntry(_ context.Context, e dedup.Entry) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[e.ID] = e
	return nil
}

// Group implements dedup.Catalog: from the cache, else rebuilt from the
// stored members of the group (its representative is the member with the
// largest fingerprint).
func (c *Catalog) Group(ctx context.Context, id string) (dedup.Group, error) {
	c.mu.Lock()
	g, ok := c.groups[id]
	c.mu.Unlock()
	if ok {
		return g, nil
	}
	members, err := c.storedMembers(ctx, id)
	if err != nil {
		return dedup.Group{}, err
	}
	if len(members) == 0 {
		members = []string{id} // a stored article alone in its group
	}
	g = dedup.Group{ID: id, Members: len(members)}
	for _, m := range members {
		e, err := c.Lookup(ctx, m)
		if err != nil {
			return dedup.Group{}, fmt.Errorf("dedup: group %s: %w", id, err)
		}
		if g.Rep == "" || len(e.Fingerprint) > g.RepSize {
			g.Rep, g.RepSize = m, len(e.Fingerprint)
		}
	}
	c.mu.Lock()
	c.groups[id] = g
	c.mu.Unlock()
	return g, nil
}

// storedMembers returns the stored members of a multi-member group, loading
// all groups from the store on first use.
func (c *Catalog) storedMembers(ctx context.Context, id string) ([]string, error) {
	c.mu.Lock()
	loaded := c.members != nil
	c.mu.Unlock()
	if !loaded {
		groups, err := c.st.DupGroups(ctx)
		if err != nil {
			return nil, fmt.Errorf("dedup: store dup groups: %w", err)
		}
		m := make(map[string][]string, len(groups))
		for _, g := range groups {
			m[g.ID] = g.Members
		}
		c.mu.Lock()
		c.members = m
		c.mu.Unlock()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.members[id], nil
}

// PutGroup implements dedup.Catalog. Groups are cached; a merged group's
// stored members are relabelled to the group it was merged into (members
// still waiting in the current batch must be relabelled by the caller,
// from dedup.Result.Merged).
func (c *Catalog) PutGroup(ctx context.Context, g dedup.Group) error {
	c.mu.Lock()
	c.groups[g.ID] = g
	c.mu.Unlock()
	if g.Parent == "" {
		return nil
	}
	members, err := c.storedMembers(ctx, g.ID)
	if err != nil {
		return err
	}
	if len(members) == 0 {
		members = []string{g.ID}
	}
	for _, m := range members {
		if err := c.st.SetDupGroup(ctx, m, g.Parent); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("dedup: relabel %s: %w", m, err)
		}
	}
	c.mu.Lock()
	c.members[g.Parent] = append(c.members[g.Parent], members...)
	delete(c.members, g.ID)
	c.mu.Unlock()
	return nil
}

// StoryState converts a story for the store.
func StoryState(s *dedup.Story) (store.StoryState, error) {
	state, err := s.MarshalBinary()
	if err != nil {
		return store.StoryState{}, err
	}
	outlets := make([]string, 0, len(s.Outlets))
	for o := range s.Outlets {
		outlets = append(outlets, o)
	}
	slices.Sort(outlets)
	return store.StoryState{ID: s.ID, Headline: s.Headline, First: s.First, Last: s.Last, Count: s.Articles, Outlets: outlets, State: state}, nil
}
