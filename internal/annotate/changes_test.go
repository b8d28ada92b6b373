package annotate

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/pipeline"
)

// TestTurnsCatchUpFromTheLog: two Annotators on one store (two
// processes) take turns; the second turn of each reads only what the
// other's turns changed, from the change log, and decides with it: a copy
// of the other's article joins its group and story.
func TestTurnsCatchUpFromTheLog(t *testing.T) {
	ctx := context.Background()
	st, path := openDB(t)
	// Resident, as servers and workers are: a run's end saves no
	// statistics, so only the log carries what each turn added to them.
	a, err := New(ctx, st, Options{NoEnrich: true, Resident: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(ctx, st, Options{NoEnrich: true, Resident: true})
	if err != nil {
		t.Fatal(err)
	}
	turn := func(an *Annotator, arts ...*article.Article) {
		t.Helper()
		g := an.Gate()
		if g == nil {
			t.Fatal("the SQLite store has no serial lock")
		}
		if _, err := ingestWith(st, an, pipeline.Options{Jobs: 1, Gate: g}, arts...); err != nil {
			t.Fatal(err)
		}
	}
	library := mk("https://aldby.example/library", "Aldby Courier", "Library to open on Sundays", 3, libraryBody)
	turn(a, library)
	ferry := mk("https://harborpost.example/ferry-ends", "The Harbor Post", "Skerra ferry to stop when bridge traffic settles", 3, ferryBody)
	turn(b, ferry) // b has nothing to follow yet: it loads everything once
	if b.caughtUp != 0 {
		t.Errorf("b caught up %d times from a log it could not be on", b.caughtUp)
	}
	other := mk("https://lantern.example/ferry", "Daily Lantern", "Isle Penn ferry service to end in May", 3, ferryOther)
	turn(a, other) // a follows b's turn from the log
	if a.caughtUp != 1 {
		t.Fatalf("a caught up %d times, want 1 (from b's turn)", a.caughtUp)
	}
	cp := mk("https://coastlinewire.example/skerra", "Coastline Wire", "Ferry Skerra to be withdrawn", 4, ferryBody[:3])
	turn(b, cp) // and b follows a's
	if b.caughtUp != 1 {
		t.Fatalf("b caught up %d times, want 1", b.caughtUp)
	}
	f, o, c := mustGet(t, st, ferry.ID), mustGet(t, st, other.ID), mustGet(t, st, cp.ID)
	if c.DupGroup == "" || c.DupGroup != f.DupGroup {
		t.Errorf("copy group %q, original's %q", c.DupGroup, f.DupGroup)
	}
	if f.Story == "" || o.Story != f.Story || c.Story != f.Story {
		t.Errorf("stories: original %q, other outlet's %q, copy %q; want one", f.Story, o.Story, c.Story)
	}
	// Both hold the story as stored: b wrote it last, a reads b's turn
	// when it refreshes.
	if err := a.Refresh(ctx); err != nil || a.caughtUp != 2 {
		t.Fatalf("a's refresh: %v, %d catch-ups, want 2", err, a.caughtUp)
	}
	for _, an := range []*Annotator{a, b} {
		s, ok := an.clu.Load().Story(f.Story)
		if !ok || s.Articles != 3 {
			t.Errorf("story %s in memory: %+v (found %v), want 3 articles", f.Story, s.Articles, ok)
		}
	}
	checkConsistent(t, path)

	// Term weights count every process's articles: both hold the
	// statistics that a process starting now rebuilds from the saved ones
	// and the log.
	fresh, err := New(ctx, st, Options{NoEnrich: true})
	if err != nil {
		t.Fatal(err)
	}
	want := docsCounted(t, fresh)
	if want < 3 {
		t.Fatalf("a fresh load counts %v articles in the statistics, want 3 or more", want)
	}
	for name, an := range map[string]*Annotator{"a": a, "b": b} {
		if got := docsCounted(t, an); got != want {
			t.Errorf("%s's statistics count %v articles, a fresh load %v", name, got, want)
		}
	}
}

// docsCounted is the number of articles in an Annotator's statistics.
func docsCounted(t *testing.T, an *Annotator) float64 {
	t.Helper()
	data, err := an.clu.Load().MarshalStats()
	if err != nil {
		t.Fatal(err)
	}
	var st struct{ Docs float64 }
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	return st.Docs
}
