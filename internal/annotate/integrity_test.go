package annotate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/dedup"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/process"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// Six paragraphs of one fictional report, of similar length, so that
// excerpts of it overlap by whole paragraphs.
var lighthouse = []string{
	"The Corran Point lighthouse will shine again next spring after volunteers raised the last of the money needed to replace its lantern, the Brackwater Heritage Trust said on Monday evening.",
	"The tower has stood dark for nine winters since a storm cracked the lantern glass and flooded the lamp room, leaving fishing crews to steer by the harbour lights alone.",
	"Trust chairwoman Odile Marchbank said more than four thousand people had given money, from schoolchildren who sold painted shells to a retired skipper who left his savings to the appeal.",
	"Glaziers from Fennick will cut the new panes over the winter, and a crane barge is booked for March to lift the lantern frame back onto the gallery in a single day.",
	"The keeper's cottage at the foot of the tower is to become a small museum of the coast, with the old brass lens shown in the room where the keepers once slept in shifts.",
	"Harbour master Tobias Quill said the light would be run from the harbour office by radio, so the cottage would no longer need anyone living in it through the winter storms.",
}

func mkArt(url, outlet, title string, paras []string) *article.Article {
	a := &article.Article{URL: url, Source: article.Source{Name: outlet}, Title: title, Paragraphs: paras,
		Published: time.Date(2031, 10, 6, 8, 0, 0, 0, time.UTC)}
	a.Finalize()
	return a
}

// items yields one item per article, in order; process hands back a fresh
// copy of the article the item names, as the processing stage would build
// it from the raw bytes.
func items(arts []*article.Article) (pipeline.Producer, func(process.Input) (*article.Article, error)) {
	byName := map[string]*article.Article{}
	for i, a := range arts {
		byName[fmt.Sprintf("in/%04d", i)] = a
	}
	produce := func(ctx context.Context, yield func(pipeline.Item) error, _ func(string, error)) error {
		for i, a := range arts {
			raw := []byte(a.Title + "\n\n" + a.Text)
			if err := yield(pipeline.Item{Name: fmt.Sprintf("in/%04d", i), URL: a.URL, Load: func(context.Context) (pipeline.Payload, error) {
				return pipeline.Payload{Raw: raw}, nil
			}}); err != nil {
				return err
			}
		}
		return nil
	}
	proc := func(in process.Input) (*article.Article, error) {
		a, ok := byName[in.Name]
		if !ok {
			return nil, fmt.Errorf("no article %s", in.Name)
		}
		c := *a
		c.Input.Name = in.Name
		return &c, nil
	}
	return produce, proc
}

// ingest runs the annotate stages through the pipeline over arts, as
// newsdesk ingest does.
func ingest(t *testing.T, st store.Store, opts pipeline.Options, arts ...*article.Article) (pipeline.Summary, error) {
	t.Helper()
	an, err := New(context.Background(), st, Options{NoEnrich: true})
	if err != nil {
		t.Fatal(err)
	}
	return ingestWith(st, an, opts, arts...)
}

// ingestWith is ingest with a given Annotator.
func ingestWith(st store.Store, an *Annotator, opts pipeline.Options, arts ...*article.Article) (pipeline.Summary, error) {
	ctx := context.Background()
	conc, serial := an.Stages()
	opts.Store = st
	opts.Stages = append(conc, opts.Stages...)
	opts.Serial = append(serial, opts.Serial...)
	opts.Keeper = an
	produce, proc := items(arts)
	opts.Process = proc
	return pipeline.Run(ctx, opts, produce)
}

func openDB(t *testing.T) (*sqlite.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "i.db")
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path
}

// checkConsistent checks that the stage state in the database at path
// describes exactly the stored articles: each story row counts the stored
// articles carrying it (and every such story has a row), every dup group
// is named after a stored member of it, and band rows exist for stored
// articles only.
func checkConsistent(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	query := func(q string) map[string]int {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[string]int{}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			m[k] = n
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return m
	}
	stored := query(`SELECT story, COUNT(*) FROM articles WHERE story IS NOT NULL GROUP BY story`)
	rows := query(`SELECT id, count FROM stories`)
	for id, n := range stored {
		if rows[id] != n {
			t.Errorf("story %s: %d stored articles, story row counts %d", id, n, rows[id])
		}
	}
	for id, n := range rows {
		if _, ok := stored[id]; !ok {
			t.Errorf("story %s: row counts %d articles, none stored", id, n)
		}
	}
	for g, n := range query(`SELECT dup_group, COUNT(*) FROM articles a WHERE dup_group IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM articles b WHERE b.id = a.dup_group AND b.dup_group = a.dup_group) GROUP BY dup_group`) {
		t.Errorf("dup group %s (%d articles) is not named after a stored member", g, n)
	}
	for id, n := range query(`SELECT article_id, COUNT(*) FROM bands WHERE article_id NOT IN (SELECT id FROM articles) GROUP BY article_id`) {
		t.Errorf("%d band rows of %s, which was not stored", n, id)
	}
}

// hookStore wraps a store to fail or hold its writes.
type hookStore struct {
	store.Store
	put  func(b store.Batch) error // before each write; an error fails it
	puts atomic.Int64
}

func (h *hookStore) PutBatch(ctx context.Context, b store.Batch) ([]store.Result, error) {
	h.puts.Add(1)
	if h.put != nil {
		if err := h.put(b); err != nil {
			return nil, err
		}
	}
	return h.Store.PutBatch(ctx, b)
}

// TestMergedGroupRelabelledInFlight: two copy groups formed in one run are
// merged by a third copy while the batch holding the first two is being
// stored; afterwards all three carry the surviving group in the database.
func TestMergedGroupRelabelledInFlight(t *testing.T) {
	ctx := context.Background()
	a := mkArt("https://harborpost.example/light", "Harbor Post", "Corran Point light to shine again", lighthouse[0:4])
	b := mkArt("https://lantern.example/light", "Daily Lantern", "Lighthouse lantern appeal closes", lighthouse[2:6])
	c := mkArt("https://wire.example/light", "Coastline Wire", "Corran Point lighthouse to be relit", lighthouse[0:6])
	det := dedup.NewDetector(dedup.NewMemStore(), dedup.Config{})
	if ra, _ := det.Add(ctx, a.ID, det.SketchArticle(a)); !ra.New {
		t.Fatal("fixture: a")
	}
	if rb, _ := det.Add(ctx, b.ID, det.SketchArticle(b)); !rb.New {
		t.Fatalf("fixture: b must found its own group (%+v)", rb)
	}
	if rc, _ := det.Add(ctx, c.ID, det.SketchArticle(c)); len(rc.Merged) != 1 {
		t.Fatalf("fixture: c must merge the groups of a and b: %+v", rc)
	}

	st, path := openDB(t)
	// The batch of a and b is held in the storer until c has been
	// through the serial stages (and merged their groups).
	merged := make(chan struct{})
	var first atomic.Bool
	hs := &hookStore{Store: st, put: func(store.Batch) error {
		if first.CompareAndSwap(false, true) {
			select {
			case <-merged:
			case <-time.After(10 * time.Second):
			}
		}
		return nil
	}}
	seen := func(_ context.Context, x *article.Article) error {
		if x.ID == c.ID {
			close(merged)
		}
		return nil
	}
	sum, err := ingest(t, hs, pipeline.Options{Jobs: 1, BatchSize: 2, BatchDelay: time.Hour, Serial: []pipeline.Stage{seen}}, a, b, c)
	if err != nil || sum.Ingested != 3 {
		t.Fatalf("%+v, %v", sum, err)
	}
	groups := map[string]string{}
	for _, x := range []*article.Article{a, b, c} {
		got, err := st.Get(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		groups[x.Source.Name] = got.DupGroup
	}
	if groups["Harbor Post"] != groups["Coastline Wire"] || groups["Daily Lantern"] != groups["Coastline Wire"] {
		t.Errorf("merged group not relabelled everywhere: %v", groups)
	}
	checkConsistent(t, path)
}

// synthetic returns n fictional articles of pseudo-words.
func synthetic(n int) []*article.Article {
	g := storetest.New(7)
	arts := make([]*article.Article, n)
	for i := range arts {
		arts[i], _ = g.Article(i, 600)
	}
	return arts
}

// TestFailedArticleLeavesNoState: an article that cannot be stored leaves
// no trace in the copy or story state, and its later copy is not grouped
// with it.
func TestFailedArticleLeavesNoState(t *testing.T) {
	arts := synthetic(40)
	bad := arts[12]
	cp := *bad
	cp.URL = "https://copies.example/of-12"
	cp.Source = article.Source{Name: "Copy Desk"}
	cp.ID = ""
	cp.Finalize()
	arts = append(arts, &cp)
	st, path := openDB(t)
	hs := &hookStore{Store: st, put: func(b store.Batch) error {
		for _, e := range b.Entries {
			if e.Article.ID == bad.ID {
				return errors.New("disk says no")
			}
		}
		return nil
	}}
	sum, err := ingest(t, hs, pipeline.Options{Jobs: 2, BatchSize: 8, BatchDelay: time.Hour}, arts...)
	if err != nil || sum.Ingested != len(arts)-1 || sum.Failed != 1 {
		t.Fatalf("%+v, %v", sum, err)
	}
	checkConsistent(t, path)
}

// TestStoryStateFailureLeavesNoState: when the write of the story state
// fails, no article's story or copy state is recorded without the article.
func TestStoryStateFailureLeavesNoState(t *testing.T) {
	st, path := openDB(t)
	var failed atomic.Bool
	fs := &hookStore{Store: st, put: func(b store.Batch) error {
		if len(b.Stories) > 0 && failed.CompareAndSwap(false, true) {
			return errors.New("story table locked")
		}
		return nil
	}}
	sum, err := ingest(t, fs, pipeline.Options{Jobs: 2, BatchSize: 32, BatchDelay: time.Hour}, synthetic(300)...)
	if !failed.Load() {
		t.Fatal("story state was never written")
	}
	// The batch is stored again article by article: nothing is lost.
	if err != nil || sum.Ingested != 300 || sum.Failed != 0 {
		t.Errorf("%+v, %v; want all 300 stored", sum, err)
	}
	checkConsistent(t, path)
}

// TestCrashKeepsStoryStateWithArticles: a process that dies after some
// batches were stored (its writes fail from then on and it never closes
// the annotator) leaves story state that matches the stored articles, and
// a new run over the same database completes it consistently.
func TestCrashKeepsStoryStateWithArticles(t *testing.T) {
	st, path := openDB(t)
	arts := synthetic(60)
	var crashed atomic.Bool
	hs := &hookStore{Store: st}
	hs.put = func(store.Batch) error {
		if hs.puts.Load() > 3 {
			crashed.Store(true)
			return errors.New("process killed")
		}
		return nil
	}
	sum, err := ingest(t, hs, pipeline.Options{Jobs: 2, BatchSize: 10, BatchDelay: time.Hour}, arts...)
	if err == nil || !crashed.Load() || sum.Ingested != 30 {
		t.Fatalf("crash run: %+v, %v", sum, err)
	}
	checkConsistent(t, path)
	if t.Failed() {
		return
	}
	// The next run, on the same database.
	sum, err = ingest(t, st, pipeline.Options{Jobs: 2, BatchSize: 10, BatchDelay: time.Hour}, arts...)
	if err != nil || sum.Ingested != 30 || sum.Unchanged != 30 {
		t.Fatalf("second run: %+v, %v", sum, err)
	}
	checkConsistent(t, path)
}
