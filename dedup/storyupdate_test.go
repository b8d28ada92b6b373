package dedup

import (
	"errors"
	"slices"
	"testing"
)

// TestClustererUpdate: a clusterer brought up to date with another's
// changed stories and statistics assigns the rest of the articles exactly
// as that other one does.
func TestClustererUpdate(t *testing.T) {
	var docs []StoryDoc
	for _, r := range ownStorySets(3)[0].Records {
		docs = append(docs, benchDoc(r))
	}
	if len(docs) < 90 {
		t.Fatalf("%d story docs: the test needs 90", len(docs))
	}
	third := len(docs) / 3
	leader := NewClusterer(StoryConfig{})
	for _, d := range docs[:third] {
		leader.Add(d)
	}
	data, err := leader.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	follower := NewClusterer(StoryConfig{})
	if err := follower.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}

	// The leader goes on alone; the follower learns only what changed.
	leader.TakeStatsDelta() // from here on
	changedIDs := map[string]bool{}
	for _, d := range docs[third : 2*third] {
		changedIDs[leader.Add(d).Story] = true
	}
	var changed []Story
	for id := range changedIDs {
		s, ok := leader.Story(id)
		if !ok {
			t.Fatalf("story %s vanished", id)
		}
		// Through the stored form, as another process would read it.
		b, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Story
		if err := back.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		changed = append(changed, back)
	}
	if err := follower.Update(changed, nil); err != nil {
		t.Fatal(err)
	}
	// Every term and entity of every story leads to it.
	for i, st := range follower.st.Stories {
		for term := range st.Terms {
			if !slices.Contains(follower.postings[term], i) {
				t.Fatalf("story %s: term %q has no posting", st.ID, term)
			}
		}
		for e := range st.Entities {
			if !slices.Contains(follower.entPostings[e], i) {
				t.Fatalf("story %s: entity %q has no posting", st.ID, e)
			}
		}
	}
	var delta StatsDelta
	delta.Merge(leader.TakeStatsDelta()) // as a reader sums the log's entries
	if delta.Docs != float64(third) {
		t.Fatalf("the delta counts %v articles, want %d", delta.Docs, third)
	}
	if err := follower.AddStats(delta); err != nil {
		t.Fatal(err)
	}
	if follower.st.Docs != leader.st.Docs || follower.st.Length != leader.st.Length || len(follower.st.DF) != len(leader.st.DF) {
		t.Fatalf("statistics after the delta: %v docs, %v length, %d terms; leader %v, %v, %d",
			follower.st.Docs, follower.st.Length, len(follower.st.DF), leader.st.Docs, leader.st.Length, len(leader.st.DF))
	}
	stats, err := leader.MarshalStats()
	if err != nil {
		t.Fatal(err)
	}
	if err := follower.SetStats(stats); err != nil || follower.st.Docs != leader.st.Docs {
		t.Fatalf("SetStats: %v, %v docs", err, follower.st.Docs)
	}
	for i, d := range docs[2*third:] {
		want, got := leader.Add(d), follower.Add(d)
		if got.Story != want.Story || got.New != want.New {
			t.Errorf("doc %d: follower put %s in %s (new %v), leader in %s (new %v)", 2*third+i, d.ID, got.Story, got.New, want.Story, want.New)
		}
	}
	ids := func(c *Clusterer) []string {
		var out []string
		for _, s := range c.Stories() {
			out = append(out, s.ID)
		}
		slices.Sort(out)
		return out
	}
	if a, b := ids(leader), ids(follower); !slices.Equal(a, b) {
		t.Errorf("stories: leader %v, follower %v", a, b)
	}

	// A removed story is gone, and the rest still index.
	gone := ids(follower)[0]
	if err := follower.Update(nil, []string{gone}); err != nil {
		t.Fatal(err)
	}
	if _, ok := follower.Story(gone); ok || len(follower.Stories()) != len(leader.Stories())-1 {
		t.Errorf("story %s not removed: %d stories", gone, len(follower.Stories()))
	}
	if err := follower.Update([]Story{{}}, nil); !errors.Is(err, ErrCorrupt) {
		t.Errorf("a story without an id: %v", err)
	}
	if err := follower.SetStats([]byte("{")); !errors.Is(err, ErrCorrupt) {
		t.Errorf("bad statistics: %v", err)
	}
}
