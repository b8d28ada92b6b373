package migrate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
	_ "github.com/newsdesk/newsdesk/internal/store/sqlite" // the embedded store
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func openT(t *testing.T, path string) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// versioned returns the versions of one article: the same id, a paragraph
// added each time.
func versioned(g *storetest.Gen, n int) []store.Entry {
	a, raw := g.Article(1, 800)
	var out []store.Entry
	for v := range n {
		c := *a
		c.Paragraphs = append(append([]string(nil), a.Paragraphs...), strings.Repeat("Update. ", v+1))
		c.Finalize()
		c.ID = article.ComputeID(&c)
		out = append(out, store.Entry{Article: &c, Raw: append(raw, byte('0'+v)), ContentType: "text/plain"})
	}
	return out
}

func putAll(t *testing.T, st store.Store, entries []store.Entry) {
	t.Helper()
	for _, e := range entries {
		if _, err := st.Put(context.Background(), []store.Entry{e}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestResumeWithinVersions: a target holding the first versions of an
// article (from an earlier run) gets the rest, not all of them again.
func TestResumeWithinVersions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src, dst := openT(t, filepath.Join(dir, "src.db")), openT(t, filepath.Join(dir, "dst.db"))
	vs := versioned(storetest.New(1), 3)
	putAll(t, src, vs)
	putAll(t, dst, vs[:1])
	opts := Options{Source: "src"}
	// The target holds articles: without a checkpoint of this source it is refused.
	if _, err := Run(ctx, src, dst, opts); err == nil || !strings.Contains(err.Error(), "already holds articles") {
		t.Fatalf("non-empty target: %v", err)
	}
	cp := checkpoint{ID: "0"} // an earlier run's, before every article
	if _, err := dst.PutBatch(ctx, store.Batch{State: []store.NamedState{cp.state(CheckpointName("src"))}}); err != nil {
		t.Fatal(err)
	}
	sum, err := Run(ctx, src, dst, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.OK() || sum.Versions != 2 || sum.Articles != 1 {
		t.Errorf("summary %+v", sum)
	}
	have, err := dst.Versions(ctx, vs[0].Article.ID)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := src.Versions(ctx, vs[0].Article.ID)
	if len(have) != 3 || have[1].ContentHash != want[1].ContentHash || have[2].ContentHash != want[2].ContentHash {
		t.Errorf("target versions %+v, source %+v", have, want)
	}
}

// TestConflict: a target whose version differs from the source's is
// reported, not overwritten.
func TestConflict(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src, dst := openT(t, filepath.Join(dir, "src.db")), openT(t, filepath.Join(dir, "dst.db"))
	vs := versioned(storetest.New(2), 2)
	putAll(t, src, vs)
	putAll(t, dst, vs[1:]) // the second version only: its version 1 differs
	cp := checkpoint{Done: true}
	if _, err := dst.PutBatch(ctx, store.Batch{State: []store.NamedState{cp.state(CheckpointName("src"))}}); err != nil {
		t.Fatal(err)
	}
	sum, err := Run(ctx, src, dst, Options{Source: "src"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.OK() || len(sum.Problems) != 1 || !strings.Contains(sum.Problems[0], "version 1 differs") {
		t.Errorf("problems %q, differences %q", sum.Problems, sum.Differences)
	}
	if vs, _ := dst.Versions(ctx, vs[0].Article.ID); len(vs) != 1 {
		t.Errorf("the target's article was written: %d versions", len(vs))
	}
}

func TestCheckpointCovers(t *testing.T) {
	at := time.Date(2031, 5, 1, 8, 0, 0, 500e6, time.UTC)
	art := func(id string, pub time.Time) *article.Article { return &article.Article{ID: id, Published: pub} }
	dated := &checkpoint{Published: at, ID: "u5"}
	undated := &checkpoint{Undated: true, ID: "u5"}
	tests := []struct {
		cp   *checkpoint
		a    *article.Article
		want bool
	}{
		{dated, art("u9", at.Add(-time.Second)), true},
		{dated, art("u1", at.Add(400*time.Millisecond)), false}, // the same second: checked, not skipped
		{dated, art("u5", at), false},
		{dated, art("u1", time.Time{}), false},
		{undated, art("u9", at), true},
		{undated, art("u4", time.Time{}), true},
		{undated, art("u5", time.Time{}), false},
		{undated, art("u6", time.Time{}), false},
		{&checkpoint{Done: true, ID: "u5", Undated: true}, art("u4", time.Time{}), false},
		{nil, art("u4", at), false},
	}
	for i, tc := range tests {
		if got := tc.cp.covers(tc.a); got != tc.want {
			t.Errorf("%d: covers(%s, %v) = %v", i, tc.a.ID, tc.a.Published, got)
		}
	}
}
