package annotate

import (
	"context"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/dedup"
	"github.com/newsdesk/newsdesk/internal/pipeline"
)

// TestStoryMergeRelabelsStored: stories that the end-of-run merge pass
// joins are joined in the store too: every article of the merged-away
// story, stored in an earlier batch or in the last, carries the surviving
// story, and the merged-away story row is gone.
func TestStoryMergeRelabelsStored(t *testing.T) {
	ctx := context.Background()
	st, _ := openDB(t)
	an, err := New(ctx, st, Options{NoEnrich: true})
	if err != nil {
		t.Fatal(err)
	}
	// A threshold nothing reaches: every article starts a story, and only
	// the merge pass can bring the two ferry articles together.
	an.scfg = dedup.StoryConfig{Threshold: 0.99}
	clu, err := an.load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	an.clu.Store(clu)
	conc, serial := an.Stages()
	arts := []*article.Article{
		mk("https://harborpost.example/ferry-ends", "The Harbor Post", "Skerra ferry to stop when bridge traffic settles", 3, ferryBody),
		mk("https://aldbycourier.example/library", "Aldby Courier", "Aldby library to open on Sundays", 3, libraryBody),
		mk("https://dailylantern.example/ferry", "Daily Lantern", "Isle Penn ferry service to end in May", 4, ferryOther),
		// A syndicated copy: the first ferry story grows, so the merge
		// pass looks at it.
		mk("https://coastlinewire.example/ferry-ends", "Coastline Wire", "Skerra ferry to stop when bridge traffic settles", 4, ferryBody),
	}
	produce, proc := items(arts)
	// One article per batch, so the first ferry article is stored before
	// the merge is decided.
	if _, err := pipeline.Run(ctx, pipeline.Options{Store: st, Jobs: 1, Stages: conc, Serial: serial, Keeper: an,
		Process: proc, BatchSize: 1, BatchDelay: time.Millisecond}, produce); err != nil {
		t.Fatal(err)
	}
	ferry1, err := st.Get(ctx, arts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	ferry2, _ := st.Get(ctx, arts[2].ID)
	library, _ := st.Get(ctx, arts[1].ID)
	if ferry1.Story == "" || ferry1.Story != ferry2.Story {
		t.Fatalf("ferry articles in stories %q and %q after the merge pass", ferry1.Story, ferry2.Story)
	}
	if library.Story == ferry1.Story {
		t.Errorf("the library article was merged into the ferry story")
	}
	stories, err := st.Stories(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(stories) != 2 {
		t.Errorf("%d stories stored, want 2 (the merged-away row deleted): %+v", len(stories), stories)
	}
	for _, s := range stories {
		if s.ID == ferry1.Story && s.Count != 3 {
			t.Errorf("merged story counts %d articles, want 3", s.Count)
		}
	}
}
