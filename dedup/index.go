package dedup

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// BandIndex maps LSH band keys to the articles that have them. It is the
// pluggable, incremental part of near-duplicate detection: MemIndex keeps it
// in memory; a persistent store adapts its own band table (for instance
// PutBands and BandCandidates) to it, so detection carries over between runs.
type BandIndex interface {
	// Add records that article id has the given band keys.
	Add(ctx context.Context, id string, bands []uint64) error
	// Candidates returns the distinct ids of the articles that share at
	// least one band key with bands, in any order.
	Candidates(ctx context.Context, bands []uint64) ([]string, error)
}

// ErrNotFound is returned (wrapped) for an unknown article or group.
var ErrNotFound = errors.New("dedup: not found")

// MemIndex is an in-memory BandIndex, safe for concurrent use. Most band
// keys belong to a single article, so those are stored as one number in a
// flat map and only shared keys get a posting list.
type MemIndex struct {
	mu   sync.RWMutex
	ids  []string
	num  map[string]uint32
	one  map[uint64]uint32   // key -> article number, or shared|0 for a shared key
	more map[uint64][]uint32 // shared key -> article numbers
}

// shared marks a key of several articles in MemIndex.one. Keys are never
// deleted from one, since deletions leave tombstones that slow every probe.
const shared = 1 << 31

// NewMemIndex returns an empty in-memory index.
func NewMemIndex() *MemIndex {
	return &MemIndex{num: map[string]uint32{}, one: map[uint64]uint32{}, more: map[uint64][]uint32{}}
}

// Add implements BandIndex.
func (m *MemIndex) Add(ctx context.Context, id string, bands []uint64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("dedup: index add: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.num[id]
	if !ok {
		if len(m.ids) == shared {
			return errors.New("dedup: index add: index full")
		}
		n = uint32(len(m.ids))
		m.ids = append(m.ids, id)
		m.num[id] = n
	}
	for _, k := range bands {
		prev, ok := m.one[k]
		switch {
		case !ok:
			m.one[k] = n
		case prev == shared:
			if list := m.more[k]; !containsNum(list, n) {
				m.more[k] = append(list, n)
			}
		case prev != n:
			m.one[k] = shared
			m.more[k] = []uint32{prev, n}
		}
	}
	return nil
}

func containsNum(list []uint32, n uint32) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// Candidates implements BandIndex.
func (m *MemIndex) Candidates(ctx context.Context, bands []uint64) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dedup: index candidates: %w", err)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var c numSet
	for _, k := range bands {
		n, ok := m.one[k]
		switch {
		case !ok:
		case n == shared:
			for _, n := range m.more[k] {
				c.add(n)
			}
		default:
			c.add(n)
		}
	}
	nums := c.list
	ids := make([]string, len(nums))
	for i, n := range nums {
		ids[i] = m.ids[n]
	}
	return ids, nil
}

// Len returns the number of indexed articles.
func (m *MemIndex) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.ids)
}

// numSet collects distinct article numbers: a linear scan while few, a map
// once a popular key makes them many.
type numSet struct {
	list []uint32
	big  map[uint32]struct{}
}

func (c *numSet) add(n uint32) {
	if c.big != nil {
		if _, ok := c.big[n]; !ok {
			c.big[n] = struct{}{}
			c.list = append(c.list, n)
		}
		return
	}
	if containsNum(c.list, n) {
		return
	}
	c.list = append(c.list, n)
	if len(c.list) > 32 {
		c.big = make(map[uint32]struct{}, 2*len(c.list))
		for _, x := range c.list {
			c.big[x] = struct{}{}
		}
	}
}
