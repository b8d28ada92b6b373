package dedup

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Update brings the clusterer up to date with stories that another
// process changed or founded (decoded with Story.UnmarshalBinary or a
// StoryDecoder, and taken over as NewClustererFrom takes them), and drops
// the stories removed (merged into others) there. Stories only grow, so a
// changed story keeps its place and gains postings for its new terms; a
// removal rebuilds the index, which merges make rare.
func (c *Clusterer) Update(changed []Story, removed []string) error {
	for i, s := range changed {
		if s.ID == "" {
			return fmt.Errorf("dedup: story update %d has no id: %w", i, ErrCorrupt)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(removed) > 0 {
		gone := map[string]bool{}
		for _, id := range removed {
			gone[id] = true
		}
		kept := slices.DeleteFunc(slices.Clone(c.st.Stories), func(s *Story) bool { return gone[s.ID] })
		if len(kept) != len(c.st.Stories) {
			c.st.Stories = kept
			c.reindex()
		}
	}
	for k := range changed {
		s := &changed[k]
		if s.Terms == nil {
			s.Terms = map[string]float64{}
		}
		if s.Entities == nil {
			s.Entities = map[string]float64{}
		}
		s.termNorm, s.entNorm, s.leadNorm = norm(s.Terms), norm(s.Entities), norm(s.Lead)
		i, ok := c.st.Index[s.ID]
		var old *Story
		if ok {
			old = c.st.Stories[i]
		} else {
			i = len(c.st.Stories)
			c.st.Stories = append(c.st.Stories, nil)
			c.st.Index[s.ID] = i
		}
		for t := range s.Terms {
			if old == nil || !hasKey(old.Terms, t) {
				c.postings[t] = append(c.postings[t], i)
			}
		}
		for e := range s.Entities {
			if old == nil || !hasKey(old.Entities, e) {
				c.entPostings[e] = append(c.entPostings[e], i)
			}
		}
		if old != nil && (lostKeys(old.Terms, s.Terms) || lostKeys(old.Entities, s.Entities)) {
			// Not a grown story (a rewrite): rebuild rather than leave
			// postings that point at terms it no longer has.
			c.st.Stories[i] = s
			c.reindex()
			continue
		}
		c.st.Stories[i] = s
	}
	return nil
}

// SetStats replaces the corpus statistics with those saved by
// MarshalStats (by another process), keeping the stories.
func (c *Clusterer) SetStats(stats []byte) error {
	var st clusterState
	if err := json.Unmarshal(stats, &st); err != nil {
		return fmt.Errorf("dedup: story stats: %w: %w", ErrCorrupt, err)
	}
	st.Stories = nil
	if err := st.check(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.Docs, c.st.Length, c.st.DF, c.st.EDF = st.Docs, st.Length, st.DF, st.EDF
	return nil
}

func hasKey(m map[string]float64, k string) bool {
	_, ok := m[k]
	return ok
}

// lostKeys reports whether old has a key that now lacks.
func lostKeys(old, now map[string]float64) bool {
	for k := range old {
		if !hasKey(now, k) {
			return true
		}
	}
	return false
}

// StatsDelta is what some articles added to the corpus statistics: the
// part another process's clusterer lacks of them (see AddStats).
type StatsDelta struct {
	Docs   float64            `json:"docs"`
	Length float64            `json:"length"`
	DF     map[string]float64 `json:"df,omitempty"`
	EDF    map[string]float64 `json:"edf,omitempty"`
}

func (d *StatsDelta) add(tf map[string]float64, ents map[string]int, lead map[string]float64, length float64) {
	if d.DF == nil {
		d.DF, d.EDF = map[string]float64{}, map[string]float64{}
	}
	d.Docs++
	d.Length += length
	for t := range tf {
		d.DF[t]++
	}
	for e := range ents {
		d.EDF[e]++
	}
	for t := range lead {
		if _, ok := tf[t]; !ok {
			d.DF[t]++
		}
	}
}

// Merge adds e to d: the statistics of both sets of articles.
func (d *StatsDelta) Merge(e StatsDelta) {
	if d.DF == nil {
		d.DF, d.EDF = map[string]float64{}, map[string]float64{}
	}
	d.Docs += e.Docs
	d.Length += e.Length
	for t, n := range e.DF {
		d.DF[t] += n
	}
	for t, n := range e.EDF {
		d.EDF[t] += n
	}
}

// TakeStatsDelta returns the statistics added by the articles since the
// last call (the first call starts tracking them and returns nothing).
func (c *Clusterer) TakeStatsDelta() StatsDelta {
	c.mu.Lock()
	defer c.mu.Unlock()
	var d StatsDelta
	if c.delta != nil {
		d = *c.delta
	}
	c.delta = &StatsDelta{}
	return d
}

// AddStats adds what another clusterer's articles added to the corpus
// statistics (its TakeStatsDelta), so that term weights count every
// process's articles.
func (c *Clusterer) AddStats(d StatsDelta) error {
	if d.Docs < 0 || d.Length < 0 {
		return fmt.Errorf("dedup: story stats delta: negative counts: %w", ErrCorrupt)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.Docs += d.Docs
	c.st.Length += d.Length
	for t, n := range d.DF {
		c.st.DF[t] += n
	}
	for e, n := range d.EDF {
		c.st.EDF[e] += n
	}
	return nil
}
