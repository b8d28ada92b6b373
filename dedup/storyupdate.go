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
