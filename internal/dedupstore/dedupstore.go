// Package dedupstore runs near-duplicate detection and story clustering
// against a newsdesk store, so that detection is incremental across ingest
// runs: LSH band keys live in the store's band table, fingerprints are
// recomputed from stored articles, and group membership is the articles'
// dup_group column.
//
// Catalog implements dedup.Store over a store.Store. It never writes to the
// store itself: what the detector records (entries, groups, band keys, the
// relabelling of merged groups) is kept in memory, answered from there, and
// handed over with Take to be written in the transaction of the articles it
// belongs to; Committed drops what was stored, and Reset forgets everything
// not yet stored, so that the catalog again describes the store alone.
// One Catalog serves one process; it is safe for concurrent use.
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

	mu       sync.Mutex
	entries  map[string]dedup.Entry
	groups   map[string]dedup.Group
	members  map[string][]string // stored multi-member groups, loaded once
	bands    map[string][]uint64 // article id -> band keys not yet stored
	index    map[uint64][]string // band key -> ids of bands
	relabels []store.Relabel     // merged groups since the last Take
}

// New returns a catalog over st; cfg must be the detector's configuration
// (it decides how fingerprints are recomputed).
func New(st store.Store, cfg dedup.Config) *Catalog {
	c := &Catalog{st: st, cfg: cfg}
	c.shPool.New = func() any { return &dedup.Shingler{K: cfg.ShingleWords, MinParaWords: cfg.MinParaWords} }
	c.Reset()
	return c
}

// Reset forgets everything the detector recorded that was not stored, and
// the cached view of the store: the catalog is as New made it.
func (c *Catalog) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = map[string]dedup.Entry{}
	c.groups = map[string]dedup.Group{}
	c.members = nil
	c.bands = map[string][]uint64{}
	c.index = map[uint64][]string{}
	c.relabels = nil
}

// Trim resets the catalog when it holds nothing unstored and caches more
// than max fingerprints: a long-lived process calls it between runs, so
// that the cache does not grow with everything it ever looked up.
func (c *Catalog) Trim(max int) {
	c.mu.Lock()
	idle := len(c.bands) == 0 && len(c.relabels) == 0
	big := len(c.entries) > max
	c.mu.Unlock()
	if idle && big {
		c.Reset()
	}
}

// Take returns what must be stored with the articles ids: their band keys,
// and the groups merged since the last Take, as relabels to apply after
// the articles are written. The band keys are still answered from memory
// until Committed.
func (c *Catalog) Take(ids []string) ([]store.Bands, []store.Relabel) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var bands []store.Bands
	for _, id := range ids {
		if keys, ok := c.bands[id]; ok {
			bands = append(bands, store.Bands{ArticleID: id, Keys: keys})
		}
	}
	relabels := c.relabels
	c.relabels = nil
	return bands, relabels
}

// Committed reports that the articles ids and what Take returned for them
// are stored: their band keys are read from the store from now on.
func (c *Catalog) Committed(ids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		keys, ok := c.bands[id]
		if !ok {
			continue
		}
		delete(c.bands, id)
		for _, k := range keys {
			c.index[k] = slices.DeleteFunc(c.index[k], func(x string) bool { return x == id })
			if len(c.index[k]) == 0 {
				delete(c.index, k)
			}
		}
	}
}

// Add implements dedup.BandIndex: the keys are kept in memory until Take
// hands them over to be stored with the article.
func (c *Catalog) Add(_ context.Context, id string, bands []uint64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range c.bands[id] { // replaced: unindex the old ones
		c.index[k] = slices.DeleteFunc(c.index[k], func(x string) bool { return x == id })
	}
	keys := slices.Clone(bands)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	c.bands[id] = keys
	for _, k := range keys {
		c.index[k] = append(c.index[k], id)
	}
	return nil
}

// Candidates implements dedup.BandIndex: the store's band table and the
// keys not yet stored, which replace any stored for the same article.
func (c *Catalog) Candidates(ctx context.Context, bands []uint64) ([]string, error) {
	stored, err := c.st.BandCandidates(ctx, bands)
	if err != nil {
		return nil, fmt.Errorf("dedup: store band candidates: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.bands) == 0 {
		return stored, nil
	}
	seen := map[string]bool{}
	var out []string
	for _, k := range bands {
		for _, id := range c.index[k] {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	for _, id := range stored {
		if _, pending := c.bands[id]; !pending && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
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

// PutGroup implements dedup.Catalog. Groups are cached; a group merged
// into another is recorded as a relabel (see Take), which renames its
// members in the store, those stored earlier and those stored with it.
func (c *Catalog) PutGroup(ctx context.Context, g dedup.Group) error {
	if g.Parent == "" {
		c.mu.Lock()
		c.groups[g.ID] = g
		c.mu.Unlock()
		return nil
	}
	if _, err := c.storedMembers(ctx, g.ID); err != nil { // loads the stored groups
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	prev, known := c.groups[g.ID]
	c.groups[g.ID] = g
	if known && prev.Parent == g.Parent {
		return nil
	}
	c.relabels = append(c.relabels, store.Relabel{From: g.ID, To: g.Parent})
	if m, ok := c.members[g.ID]; ok {
		c.members[g.Parent] = append(c.members[g.Parent], m...)
		delete(c.members, g.ID)
	}
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
