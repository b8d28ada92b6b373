package dedupstore

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/dedup"
	"github.com/newsdesk/newsdesk/internal/store"
	_ "github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// Fictional articles.
var bridge = []string{
	"Engineers closed the Kestrel Bridge in Marrowby on Tuesday after inspectors found cracks spreading through two of its steel support piers, cutting the main road link.",
	"The county transport office said the crossing, which carries about eighteen thousand vehicles a day, would stay shut for at least three weeks while divers examined the foundations.",
	"Council leader Agnes Tollemache told a packed meeting at the town hall that the decision had been taken with great reluctance but that nobody could be asked to drive across it.",
	"A temporary ferry service between the harbour steps and the old grain wharf will begin running on Thursday morning, carrying foot passengers and bicycles every fifteen minutes.",
	"The bridge was built in 1962 and last underwent major repairs eleven years ago, when its deck was resurfaced and new expansion joints fitted at a cost of four million pounds.",
}

var chess = []string{
	"Fourteen-year-old Ilse Varga won the Northmoor open chess championship on Sunday, beating three grandmasters on her way to the title in a tournament of two hundred players.",
	"Varga, who learned the game from her grandfather in a village library, clinched first place with a quiet endgame win against the defending champion after six hours of play.",
}

func art(url, outlet, title string, paras ...string) *article.Article {
	a := &article.Article{URL: url, Source: article.Source{Name: outlet}, Title: title, Paragraphs: paras,
		Published: time.Date(2031, 5, 6, 8, 0, 0, 0, time.UTC)}
	a.Finalize()
	return a
}

// run ingests arts the way the pipeline's serial dedup stage would: detect,
// set DupGroup, then store the batch. Each run uses a fresh Catalog and
// Detector, as a new process would.
func run(t *testing.T, db string, arts ...*article.Article) []dedup.Result {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := New(st, dedup.Config{})
	d := dedup.NewDetector(c, dedup.Config{})
	var res []dedup.Result
	var es []store.Entry
	var ids []string
	for _, a := range arts {
		r, err := d.AddArticle(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		a.DupGroup = r.Group
		res = append(res, r)
		es = append(es, store.Entry{Article: a})
		ids = append(ids, a.ID)
	}
	bands, relabels := c.Take(ids)
	if _, err := st.PutBatch(ctx, store.Batch{Entries: es, Bands: bands, Relabels: relabels}); err != nil {
		t.Fatal(err)
	}
	return res
}

func TestIncrementalAcrossRuns(t *testing.T) {
	db := filepath.Join(t.TempDir(), "n.db")
	wire := art("https://gazette.example/bridge", "Harbour Gazette", "Kestrel Bridge closed", bridge...)
	excerpt := art("https://courier.example/bridge", "Valley Courier", "MARROWBY BRIDGE SHUT", bridge[:3]...)
	other := art("https://courier.example/chess", "Valley Courier", "Varga wins", chess...)

	// Run 1: an excerpt and an unrelated article, plus the wire story in
	// the same batch (found through the catalogue's cache before storing).
	r1 := run(t, db, excerpt, other, wire)
	if r1[2].Group != excerpt.ID || r1[2].Representative != wire.ID || r1[1].Group == excerpt.ID {
		t.Fatalf("run 1: %+v", r1)
	}

	// Run 2, a new process: a syndicated copy finds the stored group.
	copied := art("https://wire.example/bridge", "Northfield Wire", "Bridge closure: what we know",
		append([]string{"By Staff Reporter"}, append(bridge, bridge[2])...)...)
	r2 := run(t, db, copied)
	if r2[0].Group != excerpt.ID || r2[0].Representative != wire.ID || r2[0].New {
		t.Fatalf("run 2: %+v", r2[0])
	}

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	groups, err := st.DupGroups(ctx)
	if err != nil || len(groups) != 1 || len(groups[0].Members) != 3 {
		t.Fatalf("stored groups %+v, %v", groups, err)
	}
	c := New(st, dedup.Config{})
	if _, err := c.Lookup(ctx, "nope"); !errors.Is(err, dedup.ErrNotFound) {
		t.Errorf("Lookup(missing) = %v", err)
	}
	g, err := c.Group(ctx, excerpt.ID)
	if err != nil || g.Members != 3 || g.Rep != wire.ID && g.Rep != copied.ID {
		t.Errorf("rebuilt group %+v, %v", g, err)
	}
}

func TestMergeRelabels(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "n.db")
	a := art("https://a.example/1", "A", "one", bridge...)
	b := art("https://b.example/1", "B", "two", bridge[:4]...)
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Put(ctx, []store.Entry{{Article: a}, {Article: b}}); err != nil {
		t.Fatal(err)
	}
	// Two stored singleton groups that should be one (as if the band
	// index had missed the pair); a merge relabels b's record when the
	// relabel is stored.
	c := New(st, dedup.Config{})
	if err := c.PutGroup(ctx, dedup.Group{ID: b.ID, Parent: a.ID, Rep: b.ID, Members: 1}); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Get(ctx, b.ID); got.DupGroup == a.ID {
		t.Error("the catalog wrote to the store itself")
	}
	_, relabels := c.Take(nil)
	if _, err := st.PutBatch(ctx, store.Batch{Relabels: relabels}); err != nil {
		t.Fatal(err)
	}
	got, err := st.Get(ctx, b.ID)
	if err != nil || got.DupGroup != a.ID {
		t.Errorf("after merge b.DupGroup = %q, %v; want %q", got.DupGroup, err, a.ID)
	}
}

func TestStoryState(t *testing.T) {
	c := dedup.NewClusterer(dedup.StoryConfig{})
	d := dedup.StoryDoc{ID: "x", Title: "Kestrel Bridge closed", Paragraphs: bridge, Outlet: "Valley Courier", Published: time.Date(2031, 5, 6, 8, 0, 0, 0, time.UTC)}
	a := c.Add(d)
	c.AddCopy(a.Story, dedup.StoryDoc{ID: "y", Outlet: "Harbour Gazette", Published: d.Published.Add(time.Hour)})
	s, _ := c.Story(a.Story)
	ss, err := StoryState(&s)
	if err != nil {
		t.Fatal(err)
	}
	if ss.ID != a.Story || ss.Count != 2 || strings.Join(ss.Outlets, ",") != "Harbour Gazette,Valley Courier" || !ss.Last.Equal(d.Published.Add(time.Hour)) {
		t.Errorf("StoryState = %+v", ss)
	}
	var back dedup.Story
	if err := back.UnmarshalBinary(ss.State); err != nil || back.Articles != 2 {
		t.Errorf("state round trip: %+v %v", back, err)
	}
}
