package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// CheckPutBatch checks the batch contract of a store.Store implementation
// on an empty store s: a batch's articles and stage state commit together,
// group relabels reach articles stored earlier and in the batch itself (and
// an article without a group that a relabel names), and a batch that fails
// part way leaves nothing behind.
func CheckPutBatch(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	mk := func(url, source, title, text string) *article.Article {
		a := &article.Article{URL: url, Source: article.Source{Name: source}, Title: title, Paragraphs: []string{text},
			Published: time.Date(2031, 6, 2, 9, 0, 0, 0, time.UTC), Language: "en"}
		a.Finalize()
		return a
	}
	a := mk("https://harborpost.example/a", "Harbor Post", "Ferry fares rise", "Fares on the island ferry rise by a tenth from June, the operator said.")
	z := mk("https://harborpost.example/z", "Harbor Post", "Ferry fares: the details", "The island ferry's new fares take effect in June, a tenth higher.")
	a.DupGroup = a.ID
	if _, err := s.PutBatch(ctx, store.Batch{Entries: []store.Entry{{Article: a}, {Article: z}}, Bands: []store.Bands{{ArticleID: a.ID, Keys: []uint64{7, 8}}}}); err != nil {
		t.Fatal(err)
	}
	b := mk("https://dailylantern.example/b", "Daily Lantern", "Island ferry dearer", "The island ferry will cost a tenth more from June, its operator said.")
	b.DupGroup = a.ID
	c := mk("https://valleywire.example/c", "Valley Wire", "Ferry fares up", "Fares on the island ferry rise by a tenth from June, the operator said on Monday.")
	c.DupGroup = c.ID
	res, err := s.PutBatch(ctx, store.Batch{
		Entries:  []store.Entry{{Article: b}, {Article: c}},
		Bands:    []store.Bands{{ArticleID: b.ID, Keys: []uint64{8, 9}}, {ArticleID: c.ID, Keys: []uint64{10}}},
		Relabels: []store.Relabel{{From: a.ID, To: c.ID}, {From: z.ID, To: c.ID}},
		Stories:  []store.StoryState{{ID: "s1", Headline: "Ferry fares", Count: 4, Outlets: []string{"Harbor Post"}, State: []byte("x")}},
		State:    []store.NamedState{{Name: "stories/stats", Value: []byte("df")}},
	})
	if err != nil || !slices.Equal(res, []store.Result{store.Ingested, store.Ingested}) {
		t.Fatalf("PutBatch = %v, %v", res, err)
	}
	for _, x := range []*article.Article{a, b, c, z} {
		got, err := s.Get(ctx, x.ID)
		if err != nil || got.DupGroup != c.ID {
			t.Errorf("%s: dup group %q, %v; want %q", x.Title, got.DupGroup, err, c.ID)
		}
	}
	cands, err := s.BandCandidates(ctx, []uint64{8, 10})
	slices.Sort(cands)
	want := []string{a.ID, b.ID, c.ID}
	slices.Sort(want)
	if err != nil || !slices.Equal(cands, want) {
		t.Errorf("BandCandidates = %v, %v; want %v", cands, err, want)
	}
	if v, err := s.State(ctx, "stories/stats"); err != nil || string(v) != "df" {
		t.Errorf("state = %q, %v", v, err)
	}
	if all, err := s.Stories(ctx, time.Time{}); err != nil || len(all) != 1 || all[0].Count != 4 {
		t.Errorf("stories = %+v, %v", all, err)
	}

	// A batch failing after its articles were written (a state blob
	// without a value) stores none of it.
	d := mk("https://harborpost.example/d", "Harbor Post", "Ferry timetable", "Two evening sailings are added to the ferry timetable from June.")
	_, err = s.PutBatch(ctx, store.Batch{
		Entries:  []store.Entry{{Article: d}},
		Bands:    []store.Bands{{ArticleID: d.ID, Keys: []uint64{11}}},
		Relabels: []store.Relabel{{From: c.ID, To: d.ID}},
		Stories:  []store.StoryState{{ID: "s2", Count: 1}},
		State:    []store.NamedState{{Name: "broken"}},
	})
	if err == nil {
		t.Fatal("a batch with a state blob without a value was stored")
	}
	if _, err := s.Get(ctx, d.ID); err == nil {
		t.Error("the article of a failed batch was stored")
	}
	if got, _ := s.Get(ctx, a.ID); got == nil || got.DupGroup != c.ID {
		t.Errorf("the relabel of a failed batch was applied: %+v", got)
	}
	if cands, _ := s.BandCandidates(ctx, []uint64{11}); len(cands) != 0 {
		t.Errorf("bands of a failed batch were stored: %v", cands)
	}
	if all, _ := s.Stories(ctx, time.Time{}); len(all) != 1 || all[0].ID != "s1" || all[0].Count != 4 {
		t.Errorf("stories after a failed batch: %+v", all)
	}

	// State alone.
	if res, err := s.PutBatch(ctx, store.Batch{Stories: []store.StoryState{{ID: "s3", Count: 0}}}); err != nil || len(res) != 0 {
		t.Errorf("a batch of state alone: %v, %v", res, err)
	}

	// A story merge moves the articles of story s1, stored earlier and in
	// the batch, to s3 and deletes s1.
	a2, _ := s.Get(ctx, a.ID)
	a2.Story = "s1"
	e := mk("https://valleywire.example/e", "Valley Wire", "Ferry fares: reactions", "Islanders said the dearer ferry would hurt the June market.")
	e.Story = "s1"
	if _, err := s.PutBatch(ctx, store.Batch{Entries: []store.Entry{{Article: a2}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutBatch(ctx, store.Batch{
		Entries:     []store.Entry{{Article: e}},
		Stories:     []store.StoryState{{ID: "s3", Headline: "Ferry fares", Count: 6}},
		StoryMerges: []store.Relabel{{From: "s1", To: "s3"}},
	}); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*article.Article{a, e} {
		if got, err := s.Get(ctx, x.ID); err != nil || got.Story != "s3" {
			t.Errorf("%s after the story merge: story %q, %v; want s3", x.Title, got.Story, err)
		}
	}
	if all, err := s.Stories(ctx, time.Time{}); err != nil || len(all) != 1 || all[0].ID != "s3" || all[0].Count != 6 {
		t.Errorf("stories after the merge = %+v, %v; want s3 alone", all, err)
	}
}
