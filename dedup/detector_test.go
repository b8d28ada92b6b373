package dedup

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/newsdesk/newsdesk/article"
)

func TestMemIndex(t *testing.T) {
	ctx := context.Background()
	m := NewMemIndex()
	adds := []struct {
		id    string
		bands []uint64
	}{
		{"a", []uint64{1, 2, 3}},
		{"b", []uint64{3, 4}},
		{"c", []uint64{3, 5}},
		{"a", []uint64{6}}, // re-adding extends a's keys
		{"d", nil},
	}
	for _, a := range adds {
		if err := m.Add(ctx, a.id, a.bands); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		query []uint64
		want  []string
	}{
		{[]uint64{1}, []string{"a"}},
		{[]uint64{3}, []string{"a", "b", "c"}},
		{[]uint64{1, 2, 3, 3}, []string{"a", "b", "c"}},
		{[]uint64{4, 5}, []string{"b", "c"}},
		{[]uint64{6}, []string{"a"}},
		{[]uint64{7}, nil},
		{nil, nil},
	}
	for _, tt := range tests {
		got, err := m.Candidates(ctx, tt.query)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Candidates(%v) = %v, want %v", tt.query, got, tt.want)
		}
	}
	if m.Len() != 4 {
		t.Errorf("Len = %d, want 4", m.Len())
	}
	// Many articles on one key switch the candidate set to a map.
	for i := range 100 {
		m.Add(ctx, string(rune('A'+i)), []uint64{99})
	}
	got, _ := m.Candidates(ctx, []uint64{99, 99})
	if len(got) != 100 {
		t.Errorf("a key of 100 articles gave %d candidates", len(got))
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := m.Add(cctx, "x", []uint64{1}); !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "dedup: ") {
		t.Errorf("Add with a cancelled context: %v", err)
	}
	if _, err := m.Candidates(cctx, []uint64{1}); !errors.Is(err, context.Canceled) {
		t.Errorf("Candidates with a cancelled context: %v", err)
	}
}

// variant builds a copy of paras with a syndication edit.
func excerpt(paras []string, n int) []string { return slices.Clone(paras[:n]) }

func syndicated(paras []string, outlet string) []string {
	out := []string{"By Staff Reporter for " + outlet, "Published: 3 March"}
	out = append(out, paras...)
	out = slices.Insert(out, 5, paras[3]) // a doubled paragraph
	out[7] = strings.Replace(out[7], "the", "THE", 1)
	out[3], out[4] = out[4], out[3]
	return append(out, "Want more stories like this from "+outlet+"? Hit the follow button above for more of the news you need.")
}

func TestDetectorGroups(t *testing.T) {
	ctx := context.Background()
	docs := []struct {
		id, text, group string
	}{
		{"excerpt", join(excerpt(bridgeParas, 5)), "bridge"},
		{"chess", join(chessParas), "chess"},
		{"full", join(bridgeParas), "bridge"},
		{"other", join(bridgeOther), "other"},
		{"gazette", join(syndicated(bridgeParas, "Harbour Gazette")), "bridge"},
		{"empty", "", "empty"},
		{"chess-copy", "CHESS: " + join(chessParas) + "\n\nRead more from Valley Courier", "chess"},
		{"short-excerpt", join(excerpt(bridgeParas, 3)), "bridge"},
	}
	d := NewDetector(NewMemStore(), Config{})
	for _, doc := range docs {
		if _, err := d.AddText(ctx, doc.id, doc.text); err != nil {
			t.Fatal(err)
		}
	}
	groupOf := map[string]string{}
	for _, doc := range docs {
		g, err := d.GroupOf(ctx, doc.id)
		if err != nil {
			t.Fatal(err)
		}
		groupOf[doc.id] = g.ID
	}
	for _, a := range docs {
		for _, b := range docs {
			same := groupOf[a.id] == groupOf[b.id]
			if want := a.group == b.group; same != want {
				t.Errorf("%s and %s: same group %v, want %v", a.id, b.id, same, want)
			}
		}
	}
	g, _ := d.GroupOf(ctx, "excerpt")
	if g.Rep != "full" && g.Rep != "gazette" {
		t.Errorf("representative %q, want the full article or its full copy", g.Rep)
	}
	if g.Members != 4 {
		t.Errorf("bridge group has %d members, want 4", g.Members)
	}
}

func TestDetectorRepresentativeIsFullest(t *testing.T) {
	ctx := context.Background()
	d := NewDetector(NewMemStore(), Config{})
	r1, _ := d.AddText(ctx, "e1", join(excerpt(bridgeParas, 6)))
	if !r1.New || r1.Representative != "e1" {
		t.Errorf("first copy: %+v", r1)
	}
	r2, _ := d.AddText(ctx, "full", join(bridgeParas))
	if r2.New || r2.Group != "e1" || r2.Representative != "full" || len(r2.Matches) != 1 {
		t.Errorf("full copy: %+v, want to join e1 and represent it", r2)
	}
	r3, _ := d.AddText(ctx, "e2", join(excerpt(bridgeParas, 7)))
	if r3.Group != "e1" || r3.Representative != "full" {
		t.Errorf("second excerpt: %+v", r3)
	}
	// Adding a known id again changes nothing.
	r4, err := d.AddText(ctx, "e2", join(chessParas))
	if err != nil || r4.Group != "e1" {
		t.Errorf("re-add: %+v %v", r4, err)
	}
	if g, _ := d.GroupOf(ctx, "e1"); g.Members != 3 {
		t.Errorf("group has %d members, want 3", g.Members)
	}
}

// TestDetectorChainingGuard: A~B and B~C must not put C with A when C is
// not a copy of the group's representative.
func TestDetectorChainingGuard(t *testing.T) {
	ctx := context.Background()
	p := append(slices.Clone(bridgeParas), chessParas...) // 15 paragraphs
	a := p[0:6]
	b := p[2:8] // shares 4 of 6 paragraphs with a
	c := p[4:10]
	d := NewDetector(NewMemStore(), Config{})
	if !d.IsCopy(d.SketchText(join(a)).Fingerprint, d.SketchText(join(b)).Fingerprint) ||
		!d.IsCopy(d.SketchText(join(b)).Fingerprint, d.SketchText(join(c)).Fingerprint) ||
		d.IsCopy(d.SketchText(join(a)).Fingerprint, d.SketchText(join(c)).Fingerprint) {
		t.Fatal("fixture: want A~B, B~C and not A~C")
	}
	ra, _ := d.AddText(ctx, "A", join(a))
	rb, _ := d.AddText(ctx, "B", join(b))
	rc, _ := d.AddText(ctx, "C", join(c))
	if rb.Group != ra.Group {
		t.Errorf("B did not join A's group")
	}
	if rc.Group == ra.Group {
		t.Errorf("C chained into A's group through B")
	}
}

// TestDetectorMerge: when the band index misses a pair of copies, they
// found two groups; a later copy that verifies against both merges them.
func TestDetectorMerge(t *testing.T) {
	ctx := context.Background()
	st := &failingStore{MemStore: NewMemStore()}
	d := NewDetector(st, Config{})
	d.AddText(ctx, "full", join(bridgeParas))
	d.AddText(ctx, "chess", join(chessParas))
	st.hide = "full"
	r, _ := d.AddText(ctx, "excerpt", join(bridgeParas[:7]))
	if !r.New {
		t.Fatalf("excerpt with the full article hidden: %+v, want a new group", r)
	}
	st.hide = ""
	r, err := d.AddText(ctx, "copy", join(syndicated(bridgeParas, "Valley Courier")))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Merged) != 1 || len(r.Matches) != 2 {
		t.Fatalf("copy: %+v, want one merge", r)
	}
	g1, _ := d.GroupOf(ctx, "full")
	g2, _ := d.GroupOf(ctx, "excerpt")
	g3, _ := d.GroupOf(ctx, "chess")
	if g1.ID != g2.ID || g1.ID != r.Group || g1.Members != 3 || g3.ID == g1.ID || g1.Rep == "excerpt" {
		t.Errorf("groups after merge: %+v %+v %+v", g1, g2, g3)
	}
}

func TestDetectorArticle(t *testing.T) {
	ctx := context.Background()
	d := NewDetector(NewMemStore(), Config{})
	a := &article.Article{Title: "Bridge shut", Paragraphs: bridgeParas}
	a.Finalize()
	b := &article.Article{Title: "MARROWBY BRIDGE CLOSED", Paragraphs: syndicated(bridgeParas, "Valley Courier")}
	b.Finalize()
	ra, err := d.AddArticle(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := d.AddArticle(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if ra.Group != rb.Group {
		t.Errorf("syndicated article with a new headline not grouped: %+v %+v", ra, rb)
	}
	if _, err := d.AddArticle(ctx, &article.Article{}); err == nil || !strings.HasPrefix(err.Error(), "dedup: ") {
		t.Errorf("article without ID: %v", err)
	}
}

// failingStore fails the operation named by fail.
type failingStore struct {
	*MemStore
	fail string
	hide string // an id left out of candidates
}

var errBoom = errors.New("boom")

func (f *failingStore) Candidates(ctx context.Context, b []uint64) ([]string, error) {
	if f.fail == "candidates" {
		return nil, errBoom
	}
	c, err := f.MemStore.Candidates(ctx, b)
	return slices.DeleteFunc(c, func(id string) bool { return id == f.hide }), err
}

func (f *failingStore) Lookup(ctx context.Context, id string) (Entry, error) {
	if f.fail == "lookup" && id != "new" {
		return Entry{}, errBoom
	}
	return f.MemStore.Lookup(ctx, id)
}

func (f *failingStore) PutGroup(ctx context.Context, g Group) error {
	if f.fail == "putgroup" {
		return errBoom
	}
	return f.MemStore.PutGroup(ctx, g)
}

func (f *failingStore) Add(ctx context.Context, id string, b []uint64) error {
	if f.fail == "add" {
		return errBoom
	}
	return f.MemStore.Add(ctx, id, b)
}

func TestDetectorStoreErrors(t *testing.T) {
	ctx := context.Background()
	for _, fail := range []string{"candidates", "lookup", "putgroup", "add"} {
		t.Run(fail, func(t *testing.T) {
			st := &failingStore{MemStore: NewMemStore()}
			d := NewDetector(st, Config{})
			if _, err := d.AddText(ctx, "old", join(bridgeParas)); err != nil {
				t.Fatal(err)
			}
			st.fail = fail
			_, err := d.AddText(ctx, "new", join(bridgeParas))
			if !errors.Is(err, errBoom) || !strings.HasPrefix(err.Error(), "dedup: ") {
				t.Errorf("got %v, want a dedup: error wrapping boom", err)
			}
		})
	}
	d := NewDetector(NewMemStore(), Config{})
	if _, err := d.GroupOf(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("GroupOf(missing) = %v, want ErrNotFound", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	d := NewDetector(NewMemStore(), Config{})
	c := NewClusterer(StoryConfig{})
	outlets := []string{"Harbour Gazette", "Valley Courier", "Northfield Wire", "Coastline Daily"}
	var wg sync.WaitGroup
	for i, o := range outlets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("copy%d", i)
			if _, err := d.AddText(ctx, id, join(syndicated(bridgeParas, o))); err != nil {
				t.Error(err)
			}
			if _, err := d.AddText(ctx, "chess"+id, join(chessParas)); err != nil {
				t.Error(err)
			}
			c.Add(StoryDoc{ID: id, Title: "Kestrel Bridge closed", Paragraphs: bridgeParas, Outlet: o})
		}()
	}
	wg.Wait()
	g, err := d.GroupOf(ctx, "copy0")
	if err != nil || g.Members != len(outlets) {
		t.Errorf("group of copies: %+v, %v", g, err)
	}
	if n := len(c.Stories()); n != 1 {
		t.Errorf("%d stories, want 1", n)
	}
}
