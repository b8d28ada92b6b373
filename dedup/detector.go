package dedup

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/newsdesk/newsdesk/article"
)

// Default verification thresholds; DESIGN.md explains the choice.
const (
	// DefaultMinContainment is the share of the smaller copy's shingles
	// that must appear in the larger one.
	DefaultMinContainment = 2.0 / 3
	// DefaultMinJaccard is the least Jaccard similarity of two copies. It
	// keeps a short article quoted whole inside a long round-up (high
	// containment, tiny Jaccard) from counting as a copy, and allows an
	// excerpt down to about a sixth of the full text.
	DefaultMinJaccard = 0.15
)

// Config tunes a Detector. The zero value means the defaults.
type Config struct {
	MinContainment float64 // DefaultMinContainment when 0
	MinJaccard     float64 // DefaultMinJaccard when 0
	ShingleWords   int     // DefaultShingleWords when 0
	MinParaWords   int     // DefaultMinParaWords when 0, negative keeps all
}

// Entry is what the detector keeps about one indexed article.
type Entry struct {
	ID          string
	Group       string // the dup group the article joined; resolve with Detector.GroupOf
	Fingerprint Fingerprint
}

// Group is one dup group: a node of the union-find forest of groups. A
// group merged into another has Parent set to it. A group is named after
// its founder, the first copy seen; with its representative, the fullest
// copy, the founder anchors the group: a new article joins only if it
// verifies against the representative and, at the copy-to-copy bar (the
// thresholds squared), against the founder.
type Group struct {
	ID      string `json:"id"`
	Parent  string `json:"parent,omitempty"`
	Rep     string `json:"rep"`      // the representative: the fullest copy
	RepSize int    `json:"rep_size"` // len(Fingerprint) of Rep
	Members int    `json:"members"`
}

// Catalog holds the entries and groups the detector verifies against. A
// persistent store implements it to make detection incremental across runs.
type Catalog interface {
	// Lookup returns the entry of an indexed article, or an error wrapping
	// ErrNotFound.
	Lookup(ctx context.Context, id string) (Entry, error)
	PutEntry(ctx context.Context, e Entry) error
	// Group returns a group by id, or an error wrapping ErrNotFound.
	Group(ctx context.Context, id string) (Group, error)
	PutGroup(ctx context.Context, g Group) error
}

// Store is everything a Detector persists: the band index and the catalog.
type Store interface {
	BandIndex
	Catalog
}

// Match is one verified near-duplicate.
type Match struct {
	ID          string  `json:"id"`
	Jaccard     float64 `json:"jaccard"`
	Containment float64 `json:"containment"`
}

// Result reports where an added article went.
type Result struct {
	ID string `json:"id"`
	// Group is the dup group the article now belongs to (its root).
	Group string `json:"group"`
	// Representative is the fullest copy in Group.
	Representative string `json:"representative"`
	// New is true when the article founded its group (no copy was known).
	New bool `json:"new"`
	// Matches are the representatives of the candidate groups that the
	// article verified against, best first.
	Matches []Match `json:"matches,omitempty"`
	// Merged lists groups that this article showed to be one with Group
	// and that were merged into it: records carrying those group ids
	// should be relabelled to Group.
	Merged []string `json:"merged,omitempty"`
}

// Sketch is what detection needs from an article's text.
type Sketch struct {
	Fingerprint Fingerprint
	Signature   Signature
}

// Detector finds near-duplicate copies incrementally: each added article is
// sketched, its LSH candidates are fetched from the band index and verified
// exactly, and it joins the group of a verified copy or founds its own.
// Methods are safe for concurrent use; additions are serialized.
type Detector struct {
	cfg   Config
	store Store
	mu    sync.Mutex
	pool  sync.Pool
}

// NewDetector returns a detector over store with cfg.
func NewDetector(store Store, cfg Config) *Detector {
	if cfg.MinContainment == 0 {
		cfg.MinContainment = DefaultMinContainment
	}
	if cfg.MinJaccard == 0 {
		cfg.MinJaccard = DefaultMinJaccard
	}
	d := &Detector{cfg: cfg, store: store}
	d.pool.New = func() any { return &Shingler{K: cfg.ShingleWords, MinParaWords: cfg.MinParaWords} }
	return d
}

// SketchText sketches a text whose paragraphs are separated by blank lines.
func (d *Detector) SketchText(text string) Sketch {
	sh := d.pool.Get().(*Shingler)
	defer d.pool.Put(sh)
	s := sh.Text(text)
	return Sketch{Fingerprint: NewFingerprint(s), Signature: Sign(s)}
}

// SketchArticle sketches an article's body (its title is left out).
func (d *Detector) SketchArticle(a *article.Article) Sketch {
	sh := d.pool.Get().(*Shingler)
	defer d.pool.Put(sh)
	s := sh.Article(a)
	return Sketch{Fingerprint: NewFingerprint(s), Signature: Sign(s)}
}

// IsCopy reports whether two fingerprints are copies of one article under
// the detector's thresholds.
func (d *Detector) IsCopy(a, b Fingerprint) bool {
	j, c := a.Similarity(b)
	return d.match(j, c)
}

func (d *Detector) match(j, c float64) bool {
	return c >= d.cfg.MinContainment && j >= d.cfg.MinJaccard
}

// matchCopies is the bar for two copies that were each edited from an
// original: if each keeps a share q of the original's shingles, they share
// about q*q, so the thresholds are squared.
func (d *Detector) matchCopies(j, c float64) bool {
	return c >= d.cfg.MinContainment*d.cfg.MinContainment && j >= d.cfg.MinJaccard*d.cfg.MinJaccard
}

// AddArticle adds a under a.ID and returns its group; the caller stores the
// result in a.DupGroup.
func (d *Detector) AddArticle(ctx context.Context, a *article.Article) (Result, error) {
	if a.ID == "" {
		return Result{}, errors.New("dedup: add: article has no ID")
	}
	return d.Add(ctx, a.ID, d.SketchArticle(a))
}

// AddText adds a text under id.
func (d *Detector) AddText(ctx context.Context, id, text string) (Result, error) {
	return d.Add(ctx, id, d.SketchText(text))
}

// Add adds a sketched article under id. Adding a known id again returns its
// current group and changes nothing.
func (d *Detector) Add(ctx context.Context, id string, s Sketch) (Result, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if e, err := d.store.Lookup(ctx, id); err == nil {
		g, err := d.find(ctx, e.Group)
		if err != nil {
			return Result{}, err
		}
		return Result{ID: id, Group: g.ID, Representative: g.Rep}, nil
	} else if !errors.Is(err, ErrNotFound) {
		return Result{}, fmt.Errorf("dedup: add %s: %w", id, err)
	}
	res := Result{ID: id}
	fp := s.Fingerprint
	var bands []uint64
	if len(fp) > 0 {
		bands = s.Signature.Bands()
	}
	matches, roots, err := d.verify(ctx, id, fp, bands)
	if err != nil {
		return Result{}, err
	}
	res.Matches = matches

	root, merged, err := d.join(ctx, id, fp, roots)
	if err != nil {
		return Result{}, err
	}
	res.Merged = merged
	res.New = root.Members == 1
	res.Group, res.Representative = root.ID, root.Rep
	if err := d.store.Add(ctx, id, bands); err != nil {
		return Result{}, fmt.Errorf("dedup: add %s: %w", id, err)
	}
	if err := d.store.PutEntry(ctx, Entry{ID: id, Group: root.ID, Fingerprint: fp}); err != nil {
		return Result{}, fmt.Errorf("dedup: add %s: %w", id, err)
	}
	return res, nil
}

// eligible is a group an article may join: it verified against the
// group's anchors.
type eligible struct {
	g       Group
	anchors []Fingerprint // representative, then founder when different
	score   [2]float64    // containment, Jaccard against the representative
}

// anchors returns the fingerprints of g's representative and, when it is
// another article, of its founder (the article g is named after). e is an
// already fetched entry that may be one of them.
func (d *Detector) anchors(ctx context.Context, g Group, e Entry) ([]Fingerprint, error) {
	get := func(id string) (Fingerprint, error) {
		if id == e.ID {
			return e.Fingerprint, nil
		}
		a, err := d.store.Lookup(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("dedup: anchor %s of group %s: %w", id, g.ID, err)
		}
		return a.Fingerprint, nil
	}
	rep, err := get(g.Rep)
	if err != nil {
		return nil, err
	}
	if g.Rep == g.ID {
		return []Fingerprint{rep}, nil
	}
	founder, err := get(g.ID)
	if err != nil {
		return nil, err
	}
	return []Fingerprint{rep, founder}, nil
}

// verify fetches the LSH candidates of fp and returns the root groups whose
// representatives fp verifies against, best first.
func (d *Detector) verify(ctx context.Context, id string, fp Fingerprint, bands []uint64) ([]Match, []eligible, error) {
	if len(bands) == 0 {
		return nil, nil, nil
	}
	cands, err := d.store.Candidates(ctx, bands)
	if err != nil {
		return nil, nil, fmt.Errorf("dedup: candidates for %s: %w", id, err)
	}
	slices.Sort(cands) // deterministic order whatever the index returns
	// The chaining guard: an article joins a group only if it verifies
	// against the group's representative (the fullest copy) and, at the
	// copy-to-copy bar, against its founder (the first copy seen), not
	// merely against some member: a copy of a copy may be another article.
	// So each candidate group is verified once, on its anchors.
	var out []eligible
	done := map[string]bool{} // groups (as recorded on entries, and roots) handled
	for _, cid := range cands {
		if cid == id {
			continue
		}
		e, err := d.store.Lookup(ctx, cid)
		if errors.Is(err, ErrNotFound) {
			continue // indexed but not (yet) catalogued: skip
		}
		if err != nil {
			return nil, nil, fmt.Errorf("dedup: lookup %s: %w", cid, err)
		}
		if done[e.Group] {
			continue
		}
		done[e.Group] = true
		g, err := d.find(ctx, e.Group)
		if err != nil {
			return nil, nil, err
		}
		if g.ID != e.Group {
			if done[g.ID] {
				continue
			}
			done[g.ID] = true
		}
		anchors, err := d.anchors(ctx, g, e)
		if err != nil {
			return nil, nil, err
		}
		j, c := fp.Similarity(anchors[0])
		if !d.match(j, c) {
			continue
		}
		if len(anchors) > 1 {
			if j2, c2 := fp.Similarity(anchors[1]); !d.matchCopies(j2, c2) {
				continue
			}
		}
		out = append(out, eligible{g: g, anchors: anchors, score: [2]float64{c, j}})
	}
	slices.SortStableFunc(out, func(a, b eligible) int {
		if c := cmp.Compare(b.score[0], a.score[0]); c != 0 {
			return c
		}
		return cmp.Compare(b.score[1], a.score[1])
	})
	var matches []Match // representatives verified against
	for _, r := range out {
		matches = append(matches, Match{ID: r.g.Rep, Containment: r.score[0], Jaccard: r.score[1]})
	}
	return matches, out, nil
}

// join puts id into the best eligible group, merging the others into it
// when all their anchors verify against one another (which happens when
// the band index missed a pair), or founds a new group.
func (d *Detector) join(ctx context.Context, id string, fp Fingerprint, roots []eligible) (Group, []string, error) {
	if len(roots) == 0 {
		g := Group{ID: id, Rep: id, RepSize: len(fp), Members: 1}
		if err := d.store.PutGroup(ctx, g); err != nil {
			return Group{}, nil, fmt.Errorf("dedup: new group %s: %w", id, err)
		}
		return g, nil, nil
	}
	root := roots[0].g
	rootAnchors := roots[0].anchors
	var merged []string
	for _, other := range roots[1:] {
		// The new article verified against both groups' anchors; the
		// groups are one only if their anchors also verify pairwise, at
		// the copy-to-copy bar.
		ok := true
		for _, a := range rootAnchors {
			for _, b := range other.anchors {
				j, c := a.Similarity(b)
				ok = ok && d.matchCopies(j, c)
			}
		}
		if !ok {
			continue
		}
		big, small := root, other.g
		if small.Members > big.Members {
			big, small = small, big
		}
		small.Parent = big.ID
		big.Members += small.Members
		if small.RepSize > big.RepSize {
			big.Rep, big.RepSize = small.Rep, small.RepSize
		}
		if err := d.store.PutGroup(ctx, small); err != nil {
			return Group{}, nil, fmt.Errorf("dedup: merge %s: %w", small.ID, err)
		}
		merged = append(merged, small.ID)
		root = big
		rootAnchors = append(rootAnchors, other.anchors...)
	}
	root.Members++
	if len(fp) > root.RepSize {
		root.Rep, root.RepSize = id, len(fp)
	}
	if err := d.store.PutGroup(ctx, root); err != nil {
		return Group{}, nil, fmt.Errorf("dedup: group %s: %w", root.ID, err)
	}
	return root, merged, nil
}

// find returns the root of the group id, compressing the path to it.
func (d *Detector) find(ctx context.Context, id string) (Group, error) {
	g, err := d.store.Group(ctx, id)
	if err != nil {
		return Group{}, fmt.Errorf("dedup: group %s: %w", id, err)
	}
	var path []Group
	for g.Parent != "" {
		path = append(path, g)
		if g, err = d.store.Group(ctx, g.Parent); err != nil {
			return Group{}, fmt.Errorf("dedup: group %s: %w", path[len(path)-1].Parent, err)
		}
		if len(path) > 1<<16 {
			return Group{}, fmt.Errorf("dedup: group %s: parent cycle: %w", id, ErrCorrupt)
		}
	}
	if len(path) > 1 {
		for _, p := range path[:len(path)-1] {
			p.Parent = g.ID
			if err := d.store.PutGroup(ctx, p); err != nil {
				return Group{}, fmt.Errorf("dedup: group %s: %w", p.ID, err)
			}
		}
	}
	return g, nil
}

// GroupOf returns the current (root) group of an indexed article.
func (d *Detector) GroupOf(ctx context.Context, id string) (Group, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	e, err := d.store.Lookup(ctx, id)
	if err != nil {
		return Group{}, fmt.Errorf("dedup: group of %s: %w", id, err)
	}
	return d.find(ctx, e.Group)
}

// MemStore is an in-memory Store: a MemIndex plus entries and groups.
type MemStore struct {
	*MemIndex
	mu      sync.RWMutex
	entries map[string]Entry
	groups  map[string]Group
}

// NewMemStore returns an empty in-memory store.
func NewMemStore() *MemStore {
	return &MemStore{MemIndex: NewMemIndex(), entries: map[string]Entry{}, groups: map[string]Group{}}
}

// Lookup implements Catalog.
func (m *MemStore) Lookup(_ context.Context, id string) (Entry, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	e, ok := m.entries[id]
	if !ok {
		return Entry{}, fmt.Errorf("dedup: article %s: %w", id, ErrNotFound)
	}
	return e, nil
}

// PutEntry implements Catalog.
func (m *MemStore) PutEntry(_ context.Context, e Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[e.ID] = e
	return nil
}

// Group implements Catalog.
func (m *MemStore) Group(_ context.Context, id string) (Group, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	g, ok := m.groups[id]
	if !ok {
		return Group{}, fmt.Errorf("dedup: group %s: %w", id, ErrNotFound)
	}
	return g, nil
}

// PutGroup implements Catalog.
func (m *MemStore) PutGroup(_ context.Context, g Group) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.groups[g.ID] = g
	return nil
}
