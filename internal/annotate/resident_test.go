package annotate

import (
	"context"
	"errors"
	"testing"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
)

// TestResidentRefresh: a resident Annotator keeps its state between runs,
// loads it again when another process wrote state, and leaves the corpus
// statistics to SaveStats.
func TestResidentRefresh(t *testing.T) {
	ctx := context.Background()
	st, _ := openDB(t)
	res, err := New(ctx, st, Options{NoEnrich: true, Resident: true})
	if err != nil {
		t.Fatal(err)
	}
	runResident := func(arts ...*article.Article) {
		t.Helper()
		if err := res.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := ingestWith(st, res, pipeline.Options{Jobs: 1}, arts...); err != nil {
			t.Fatal(err)
		}
	}

	orig := mk("https://harborpost.example/ferry-ends", "The Harbor Post", "Skerra ferry to stop when bridge traffic settles", 3, ferryBody)
	runResident(orig)
	if _, err := st.State(ctx, statsKey); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a resident run saved the corpus statistics at its end (err %v)", err)
	}
	before := res.clu.Load()
	if err := res.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if res.clu.Load() != before {
		t.Error("Refresh reloaded although only this Annotator wrote")
	}

	// Another process stores an article of the same event, and one of
	// another; the resident Annotator must know their stories.
	other := mk("https://lantern.example/ferry", "Daily Lantern", "Isle Penn ferry service to end in May", 3, ferryOther)
	library := mk("https://aldby.example/library", "Aldby Courier", "Library to open on Sundays", 3, libraryBody)
	run(t, st, other, library)
	if err := res.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if res.clu.Load() == before {
		t.Fatal("Refresh kept the old state after another process wrote")
	}
	lib, err := st.Get(ctx, library.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.clu.Load().Story(lib.Story); !ok {
		t.Errorf("the other process's story %s is not in the reloaded state", lib.Story)
	}

	// A syndicated copy through the resident Annotator joins the group
	// and story found by both processes.
	cp := mk("https://coastlinewire.example/skerra", "Coastline Wire", "Ferry Skerra to be withdrawn", 4, ferryBody[:3])
	runResident(cp)
	got := map[string]string{}
	for _, a := range []*article.Article{orig, other, cp} {
		s, err := st.Get(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		got[a.Source.Name] = s.Story
		if a == cp && (s.DupGroup == "" || s.DupGroup != mustGet(t, st, orig.ID).DupGroup) {
			t.Errorf("copy group %q, original's %q", s.DupGroup, mustGet(t, st, orig.ID).DupGroup)
		}
	}
	if got["Coastline Wire"] != got["The Harbor Post"] || got["Daily Lantern"] != got["The Harbor Post"] {
		t.Errorf("stories %v: want one", got)
	}

	// SaveStats writes the statistics under a new generation token of its
	// own: no reload follows.
	if err := res.SaveStats(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.State(ctx, statsKey); err != nil {
		t.Errorf("statistics after SaveStats: %v", err)
	}
	kept := res.clu.Load()
	if err := res.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if res.clu.Load() != kept {
		t.Error("Refresh reloaded after this Annotator's own SaveStats")
	}
}

func mustGet(t *testing.T, st store.Store, id string) *article.Article {
	t.Helper()
	a, err := st.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
