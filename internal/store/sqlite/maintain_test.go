package sqlite

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
)

// Many small batches leave the search index in many segments; merging
// them changes no search result, leaves the store sound, and a second run
// has nothing to do.
func TestMaintainIndexMergesSegments(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	for i := range 40 {
		put(t, s, store.Entry{Article: mk(fmt.Sprintf("https://a.example/%d", i), "Alpha Post", fmt.Sprintf("Ferry report %d", i), day(1+i%20),
			fmt.Sprintf("The ferry crossing number %d ran late in the harbour fog.", i), "Word "+fmt.Sprint(i*7)+" of the pilots.")})
	}
	segs, err := s.indexSegments(ctx)
	if err != nil || segs <= maxIndexSegments {
		t.Fatalf("before: %d segments, %v; want more than %d", segs, err, maxIndexSegments)
	}
	queries := []string{"ferry", "harbour fog", "pilots 77", "report -late"}
	before := map[string][]string{}
	for _, q := range queries {
		before[q] = hitIDs(t, s, q)
	}

	merged, err := s.MaintainIndex(ctx)
	if err != nil || !merged {
		t.Fatalf("MaintainIndex = %v, %v", merged, err)
	}
	if segs, err := s.indexSegments(ctx); err != nil || segs != 1 {
		t.Errorf("after: %d segments, %v; want 1", segs, err)
	}
	for _, q := range queries {
		if got := hitIDs(t, s, q); !slices.Equal(got, before[q]) {
			t.Errorf("search %q after merging: %v, want %v", q, got, before[q])
		}
	}
	rep, err := s.Check(ctx)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("check after merging: %+v, %v", rep.Problems, err)
	}
	if merged, err := s.MaintainIndex(ctx); merged || err != nil {
		t.Errorf("second MaintainIndex = %v, %v; want nothing to do", merged, err)
	}
}

// A cancelled merge reports the cancellation and leaves the index sound.
func TestMaintainIndexCancelled(t *testing.T) {
	s := openTest(t)
	for i := range 12 {
		put(t, s, store.Entry{Article: mk(fmt.Sprintf("https://b.example/%d", i), "Beta Daily", fmt.Sprintf("Tram notice %d", i), day(2),
			fmt.Sprintf("Tram line %d closes for works.", i))})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.MaintainIndex(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled MaintainIndex: %v", err)
	}
	if got := hitIDs(t, s, "tram"); len(got) != 12 {
		t.Errorf("%d hits for tram after a cancelled merge, want 12", len(got))
	}
}

func hitIDs(t *testing.T, s *Store, q string) []string {
	t.Helper()
	hits, err := s.Search(context.Background(), store.Query{Text: q, Filter: store.Filter{Limit: 100}, AllCopies: true})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	return ids
}
