package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// checkStoryGetter checks store.StoryGetter when the store has it: the
// asked stories with their state, unknown ids left out, in batches larger
// than one query's bound.
func checkStoryGetter(t *testing.T, s store.Store) {
	g, ok := s.(store.StoryGetter)
	if !ok {
		t.Skipf("%T is not a store.StoryGetter", s)
	}
	ctx := context.Background()
	day := time.Date(2031, 6, 1, 0, 0, 0, 0, time.UTC)
	var all []store.StoryState
	for i := range 1200 {
		all = append(all, store.StoryState{ID: fmt.Sprintf("st-%04d", i), Headline: fmt.Sprintf("Story %d", i),
			First: day, Last: day.Add(time.Duration(i) * time.Minute), Count: i%7 + 1, Outlets: []string{"A", "B"}[:i%2+1],
			State: []byte(fmt.Sprintf("state of %d", i))})
	}
	must(t, s.PutStories(ctx, all))
	ids := []string{"st-0003", "no-such-story", "st-1199"}
	for i := 0; i < 1200; i += 2 {
		ids = append(ids, all[i].ID)
	}
	got, err := g.StoriesByID(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]store.StoryState{}
	for _, id := range ids {
		var n int
		if _, err := fmt.Sscanf(id, "st-%04d", &n); err == nil {
			want[id] = all[n]
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d stories, want %d", len(got), len(want))
	}
	for _, st := range got {
		w, ok := want[st.ID]
		if !ok {
			t.Fatalf("unasked story %s", st.ID)
		}
		if st.Headline != w.Headline || !st.First.Equal(w.First) || !st.Last.Equal(w.Last) || st.Count != w.Count ||
			!slices.Equal(st.Outlets, w.Outlets) || string(st.State) != string(w.State) {
			t.Fatalf("story %s:\n got %+v\nwant %+v", st.ID, st, w)
		}
	}
	if none, err := g.StoriesByID(ctx, nil); err != nil || len(none) != 0 {
		t.Errorf("no ids: %v, %v", none, err)
	}
}
