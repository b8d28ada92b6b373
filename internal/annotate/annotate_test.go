package annotate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

var (
	ferryBody = []string{
		"The island ferry Skerra will stop running between Marrow and Isle Penn at the end of May, the harbour authority said on Tuesday, now that the Kestrel Bridge has reopened to traffic.",
		"The ferry carried about nine hundred commuters a day during the two-year closure of the bridge, when it ran every twenty minutes from dawn until late evening.",
		"Its crew of eleven will be offered jobs on the authority's two remaining routes to the outer skerries, a spokeswoman for the harbour authority said.",
		"Some island residents have asked the authority to keep a weekend service for cyclists and visitors, but the authority said it could not justify the cost of the fuel.",
	}
	ferryOther = []string{
		"Isle Penn's ferry service will end in May after the Kestrel Bridge reopening, leaving the harbour authority with two routes, officials told the Daily Lantern.",
		"Commuters who relied on the Skerra crossing said the bridge had cut their journey by half, though some cyclists asked for a weekend ferry to continue.",
		"The harbour authority said the ferry's crew would move to the skerries routes and that the vessel itself would be sold.",
	}
	libraryBody = []string{
		"Aldby's public library will open on Sunday afternoons from next month, the town council decided on Wednesday after a petition signed by more than two thousand residents.",
		"The extra hours will be staffed by volunteers from the reading society, and the council will pay for heating and cleaning from its culture budget.",
	}
)

func mk(url, source, title string, day int, paras []string) *article.Article {
	a := &article.Article{URL: url, Source: article.Source{Name: source}, Title: title, Paragraphs: paras,
		Published: time.Date(2031, 5, day, 8, 0, 0, 0, time.UTC)}
	a.Finalize()
	return a
}

// run passes articles through the annotate stages and stores them, as one
// ingest run does.
func run(t *testing.T, st store.Store, arts ...*article.Article) {
	t.Helper()
	if _, err := ingest(t, st, pipeline.Options{Jobs: 2}, arts...); err != nil {
		t.Fatal(err)
	}
}

// TestIncrementalAcrossRuns: a copy ingested in a later run joins the group
// and story found in an earlier one, and a different story stays apart.
func TestIncrementalAcrossRuns(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	orig := mk("https://harborpost.example/ferry-ends", "The Harbor Post", "Skerra ferry to stop when bridge traffic settles", 3, ferryBody)
	other := mk("https://lantern.example/ferry", "Daily Lantern", "Isle Penn ferry service to end in May", 3, ferryOther)
	library := mk("https://aldby.example/library", "Aldby Courier", "Library to open on Sundays", 3, libraryBody)
	run(t, st, orig, other, library)

	// Second run: a truncated syndicated copy with an outlet footer.
	copyParas := append(append([]string{}, ferryBody[:3]...), "Coastline Wire: news from every harbour, every morning.")
	cp := mk("https://coastlinewire.example/skerra", "Coastline Wire", "Ferry Skerra to be withdrawn", 4, copyParas)
	run(t, st, cp)

	got := map[string]*article.Article{}
	for _, a := range []*article.Article{orig, other, library, cp} {
		s, err := st.Get(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		got[a.Source.Name] = s
	}
	if g := got["Coastline Wire"].DupGroup; g == "" || g != got["The Harbor Post"].DupGroup {
		t.Errorf("copy not grouped with its original: %q vs %q", g, got["The Harbor Post"].DupGroup)
	}
	if got["Daily Lantern"].DupGroup == got["The Harbor Post"].DupGroup {
		t.Error("a different article on the same event was grouped as a copy")
	}
	ferryStory := got["The Harbor Post"].Story
	if ferryStory == "" || got["Daily Lantern"].Story != ferryStory || got["Coastline Wire"].Story != ferryStory {
		t.Errorf("ferry coverage not one story: %q %q %q", ferryStory, got["Daily Lantern"].Story, got["Coastline Wire"].Story)
	}
	if got["Aldby Courier"].Story == ferryStory {
		t.Error("unrelated article joined the ferry story")
	}
	groups, err := st.DupGroups(ctx)
	if err != nil || len(groups) != 1 || len(groups[0].Members) != 2 {
		t.Fatalf("dup groups = %+v, %v", groups, err)
	}
	stories, err := st.Stories(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stories {
		if s.ID == ferryStory && (s.Count != 3 || !strings.Contains(strings.Join(s.Outlets, ","), "Coastline Wire")) {
			t.Errorf("ferry story state = %+v", s)
		}
	}

	// Re-running the same articles changes nothing.
	run(t, st, mk("https://harborpost.example/ferry-ends", "The Harbor Post", "Skerra ferry to stop when bridge traffic settles", 3, ferryBody))
	again, _ := st.Stories(ctx, time.Time{})
	for _, s := range again {
		if s.ID == ferryStory && s.Count != 3 {
			t.Errorf("re-ingest counted the article twice: %+v", s)
		}
	}
}
