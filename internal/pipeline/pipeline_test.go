package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/process"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// fakeProcess stands in for process.Article: the first line is the title,
// blank-line separated blocks the paragraphs; "BROKEN" fails.
func fakeProcess(in process.Input) (*article.Article, error) {
	text := string(in.Raw)
	if strings.Contains(text, "BROKEN") {
		return nil, fmt.Errorf("fake: %s: no article found", in.Name)
	}
	title, body, _ := strings.Cut(text, "\n\n")
	a := &article.Article{
		URL:        in.URL,
		Title:      title,
		Paragraphs: strings.Split(body, "\n\n"),
		Fetched:    in.Fetched,
		Source:     article.Source{Name: "Test Wire"},
		Input:      article.Input{Name: in.Name, Bytes: int64(len(in.Raw)), Format: "text", Encoding: "utf-8"},
	}
	a.Finalize()
	return a, nil
}

func itemsOf(docs map[string]string) Producer {
	return func(ctx context.Context, yield func(Item) error, onErr func(string, error)) error {
		for _, name := range sortedKeys(docs) {
			body := docs[name]
			it := Item{Name: name, Load: func(context.Context) (Payload, error) {
				if strings.HasPrefix(body, "UNREADABLE") {
					return Payload{}, fmt.Errorf("open %s: permission denied", name)
				}
				return Payload{Raw: []byte(body)}, nil
			}}
			if err := yield(it); err != nil {
				return err
			}
		}
		return nil
	}
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}

func doc(i int) string {
	return fmt.Sprintf("Story number %d\n\nThe council met on day %d to discuss the harbor.\n\nResidents asked about item %d.", i, i, i)
}

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func allIDs(t *testing.T, s store.Store) map[string]*article.Article {
	t.Helper()
	m := map[string]*article.Article{}
	if err := s.Each(context.Background(), store.Filter{}, func(a *article.Article, _ store.Origin) error { m[a.ID] = a; return nil }); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRunCountsFailuresAndContinues(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	// Something already stored must not be touched by a failing batch.
	stage := func(_ context.Context, a *article.Article) error {
		if a.Title == "Reject me" {
			return errors.New("stage refused")
		}
		a.Entities = []article.Entity{{Text: "Council", Type: "org", Count: 1}}
		return nil
	}
	first := map[string]string{"old/1.txt": doc(1000), "old/2.txt": doc(1001)}
	if sum, err := Run(ctx, Options{Store: s, Process: fakeProcess, Stages: []Stage{stage}}, itemsOf(first)); err != nil || sum.Ingested != 2 {
		t.Fatalf("first run: %+v, %v", sum, err)
	}
	before := allIDs(t, s)

	docs := map[string]string{}
	for i := range 50 {
		docs[fmt.Sprintf("in/%03d.txt", i)] = doc(i)
	}
	docs["in/bad-load.txt"] = "UNREADABLE"
	docs["in/bad-process.txt"] = "BROKEN input"
	docs["in/bad-stage.txt"] = "Reject me\n\nThis one the stage refuses."
	docs["old/1.txt"] = doc(1000) // unchanged
	var logBuf bytes.Buffer
	var logMu sync.Mutex
	log := slog.New(slog.NewTextHandler(lockedWriter{&logBuf, &logMu}, nil))
	produce := func(ctx context.Context, yield func(Item) error, onErr func(string, error)) error {
		onErr("feeds/broken.xml", errors.New("feed: malformed XML"))
		return itemsOf(docs)(ctx, yield, onErr)
	}
	sum, err := Run(ctx, Options{Store: s, Process: fakeProcess, Jobs: 3, BatchSize: 7, Stages: []Stage{stage}, Log: log}, produce)
	if err != nil {
		t.Fatal(err)
	}
	// The feed that failed before yielding counts as an input too.
	want := Summary{Items: 55, Ingested: 50, Unchanged: 1, Updated: 0, Failed: 4}
	sum.Elapsed = 0
	if sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	for _, name := range []string{"in/bad-load.txt", "in/bad-process.txt", "in/bad-stage.txt", "feeds/broken.xml"} {
		if !strings.Contains(logBuf.String(), "source="+name) {
			t.Errorf("log does not name %s:\n%s", name, logBuf.String())
		}
	}
	after := allIDs(t, s)
	if len(after) != 52 {
		t.Errorf("%d articles stored, want 52", len(after))
	}
	for id, a := range before {
		vs, err := s.Versions(ctx, id)
		if err != nil || len(vs) != 1 {
			t.Errorf("old article %s versions %v, %v", id, vs, err)
		}
		if after[id].Text != a.Text {
			t.Errorf("old article %s changed", id)
		}
	}
	for _, a := range after {
		if len(a.Entities) != 1 {
			t.Errorf("stage did not run on %s", a.Title)
		}
	}
	if !strings.Contains(sum.String(), "ingested 50, unchanged 1, updated 0, failed 4") {
		t.Errorf("summary line %q", sum.String())
	}

	// Again: nothing new; a changed document is a new version.
	docs["in/000.txt"] = doc(0) + "\n\nA correction was appended."
	delete(docs, "in/bad-load.txt")
	delete(docs, "in/bad-process.txt")
	delete(docs, "in/bad-stage.txt")
	sum, err = Run(ctx, Options{Store: s, Process: fakeProcess, Stages: []Stage{stage}}, itemsOf(docs))
	if err != nil {
		t.Fatal(err)
	}
	// in/000.txt has no URL, so its id is its text: a changed text is a new article.
	if sum.Ingested != 1 || sum.Unchanged != 50 || sum.Failed != 0 {
		t.Errorf("rerun summary %+v", sum)
	}
}

type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func TestRunVersionsByURL(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	body := "Tide report\n\nHigh water at noon."
	produce := func(ctx context.Context, yield func(Item) error, _ func(string, error)) error {
		return yield(Item{Name: "https://tides.example/today", URL: "https://tides.example/today", Date: time.Date(2031, 5, 1, 6, 0, 0, 0, time.UTC),
			Load: func(context.Context) (Payload, error) {
				return Payload{Raw: []byte(body), Fetched: time.Date(2031, 5, 1, 7, 0, 0, 0, time.UTC)}, nil
			}})
	}
	want := []Summary{{Items: 1, Ingested: 1}, {Items: 1, Unchanged: 1}, {Items: 1, Updated: 1}}
	for i, w := range want {
		if i == 2 {
			body = "Tide report\n\nHigh water at 12:40, later than forecast."
		}
		sum, err := Run(ctx, Options{Store: s, Process: fakeProcess}, produce)
		if err != nil {
			t.Fatal(err)
		}
		sum.Elapsed = 0
		if sum != w {
			t.Errorf("run %d: %+v, want %+v", i, sum, w)
		}
	}
	a, err := s.Get(ctx, "https://tides.example/today")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Published.Equal(time.Date(2031, 5, 1, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("item date not used as published: %v", a.Published)
	}
	if vs, _ := s.Versions(ctx, a.ID); len(vs) != 2 {
		t.Errorf("%d versions, want 2", len(vs))
	}
}

// TestSerialStagesInOrder: the serial stages see the articles one at a time
// in the order the producer yielded them, though the workers finish them in
// another order, and failed items do not hold the others back.
func TestSerialStagesInOrder(t *testing.T) {
	for _, jobs := range []int{1, 4} {
		s := openStore(t)
		var names []string
		produce := func(ctx context.Context, yield func(Item) error, _ func(string, error)) error {
			for i := range 60 {
				name := fmt.Sprintf("%02d", i)
				names = append(names, name)
				body := doc(i)
				if i%9 == 4 {
					body = "BROKEN"
				}
				err := yield(Item{Name: name, Load: func(context.Context) (Payload, error) {
					time.Sleep(time.Duration((i*7)%5) * time.Millisecond) // out of order
					return Payload{Raw: []byte(body)}, nil
				}})
				if err != nil {
					return err
				}
			}
			return nil
		}
		var seen []string
		serial := func(_ context.Context, a *article.Article) error {
			// Serial stages never run concurrently; appending without a lock
			// is what the race detector checks.
			seen = append(seen, a.Input.Name)
			a.DupGroup = "g-" + a.Input.Name[:1]
			return nil
		}
		sum, err := Run(context.Background(), Options{Store: s, Process: fakeProcess, Jobs: jobs, BatchSize: 8, Serial: []Stage{serial}}, produce)
		if err != nil || sum.Ingested != 53 || sum.Failed != 7 {
			t.Fatalf("-j %d: %+v, %v", jobs, sum, err)
		}
		var want []string
		for i, n := range names {
			if i%9 != 4 {
				want = append(want, n)
			}
		}
		if !slices.Equal(seen, want) {
			t.Errorf("-j %d: serial stages saw %v, want %v", jobs, seen, want)
		}
		groups, err := s.DupGroups(context.Background())
		if err != nil || len(groups) != 6 {
			t.Errorf("dup groups from the serial stage: %v, %v", groups, err)
		}
	}
}

func TestCancelStoresProcessed(t *testing.T) {
	s := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	var yielded int
	produce := func(ctx context.Context, yield func(Item) error, _ func(string, error)) error {
		for i := 0; ; i++ {
			if i == 30 {
				cancel()
			}
			d := doc(i)
			if err := yield(Item{Name: fmt.Sprint(i), Load: func(context.Context) (Payload, error) { return Payload{Raw: []byte(d)}, nil }}); err != nil {
				return err
			}
			yielded++
		}
	}
	sum, err := Run(ctx, Options{Store: s, Process: fakeProcess, Jobs: 2, BatchDelay: time.Hour}, produce)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	n := len(allIDs(t, s))
	if n != sum.Ingested || sum.Ingested+sum.Failed > yielded {
		t.Errorf("summary %+v but %d stored, %d yielded", sum, n, yielded)
	}
}

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	c := &counters{}
	c.items.Store(100)
	c.ingested.Store(40)
	c.failed.Store(10)
	p := &progress{w: &buf, width: 100, c: c, start: time.Now().Add(-10 * time.Second)}
	line := p.line(time.Now())
	for _, want := range []string{"50/100", "ok 40", "fail 10", "5/s", "ETA 10s", "[#"} {
		if !strings.Contains(line, want) {
			t.Errorf("line %q lacks %q", line, want)
		}
	}
	if len(line) != 100 {
		t.Errorf("line is %d wide, want 100", len(line))
	}
	c.producing.Store(true)
	if line := p.line(time.Now()); !strings.Contains(line, "50/100+") || !strings.Contains(line, "ETA ?") {
		t.Errorf("while producing: %q", line)
	}
}

// failAfter is a store whose writes fail once n of them have succeeded.
type failAfter struct {
	store.Store
	n, puts int
	mu      sync.Mutex
}

func (f *failAfter) PutBatch(ctx context.Context, b store.Batch) ([]store.Result, error) {
	f.mu.Lock()
	f.puts++
	ok := f.puts <= f.n
	f.mu.Unlock()
	if !ok {
		return nil, errors.New("disk full")
	}
	return f.Store.PutBatch(ctx, b)
}

// TestStoreFailureCountsEveryItem: after the store fails for good, every
// item is still counted once, as stored or failed.
func TestStoreFailureCountsEveryItem(t *testing.T) {
	docs := map[string]string{}
	for i := range 200 {
		docs[fmt.Sprintf("in/%03d.txt", i)] = doc(i)
	}
	for _, jobs := range []int{1, 3} {
		s := &failAfter{Store: openStore(t), n: 2}
		sum, err := Run(context.Background(), Options{Store: s, Process: fakeProcess, Jobs: jobs, BatchSize: 10, BatchDelay: time.Hour}, itemsOf(docs))
		if err == nil {
			t.Fatalf("-j %d: no error from a failed store", jobs)
		}
		if sum.Ingested != 20 || sum.Ingested+sum.Unchanged+sum.Updated+sum.Failed != sum.Items {
			t.Errorf("-j %d: %d items, %+v: not counted once each", jobs, sum.Items, sum)
		}
	}
}

// countKeeper is serial state kept in the store: the number of articles
// the serial stage has seen, which numbers each article it sees.
type countKeeper struct {
	s                  store.Store
	committed, pending int
	rollbacks          int
}

func (k *countKeeper) stage(_ context.Context, a *article.Article) error {
	if a.Story != "" {
		return fmt.Errorf("%s: serial stage run again on an article it already numbered", a.Input.Name)
	}
	k.pending++
	a.Story = fmt.Sprintf("n%d", k.committed+k.pending)
	return nil
}

func (k *countKeeper) Snapshot(_ context.Context, batch []*article.Article, _ bool) (store.Batch, error) {
	if len(batch) != k.pending {
		return store.Batch{}, fmt.Errorf("snapshot of %d articles after %d serial", len(batch), k.pending)
	}
	k.committed += k.pending // as it will be once committed
	k.pending = 0
	return store.Batch{State: []store.NamedState{{Name: "n", Value: []byte(fmt.Sprint(k.committed))}}}, nil
}

func (k *countKeeper) Committed([]*article.Article) {}

func (k *countKeeper) Rollback(ctx context.Context) error {
	k.rollbacks++
	k.pending = 0
	v, err := k.s.State(ctx, "n")
	if errors.Is(err, store.ErrNotFound) {
		k.committed = 0
		return nil
	}
	if err != nil {
		return err
	}
	_, err = fmt.Sscan(string(v), &k.committed)
	return err
}

// flakyStore fails one whole batch once, and any batch holding a bad item.
type flakyStore struct {
	store.Store
	mu   sync.Mutex
	puts int
	bad  string
}

func (f *flakyStore) PutBatch(ctx context.Context, b store.Batch) ([]store.Result, error) {
	f.mu.Lock()
	f.puts++
	n := f.puts
	f.mu.Unlock()
	for _, e := range b.Entries {
		if e.Article.Input.Name == f.bad {
			return nil, errors.New("bad article")
		}
	}
	if n == 2 {
		return nil, errors.New("database is locked")
	}
	return f.Store.PutBatch(ctx, b)
}

// TestKeeperRollback: when a batch fails, the serial state is rolled back
// to the store's and the serial stages run again on the articles as they
// were, so that the stored state counts exactly the stored articles.
func TestKeeperRollback(t *testing.T) {
	docs := map[string]string{}
	for i := range 40 {
		docs[fmt.Sprintf("in/%03d.txt", i)] = doc(i)
	}
	s := &flakyStore{Store: openStore(t), bad: "in/013.txt"}
	k := &countKeeper{s: s}
	sum, err := Run(context.Background(), Options{Store: s, Process: fakeProcess, Jobs: 3, BatchSize: 6, BatchDelay: time.Hour,
		Serial: []Stage{k.stage}, Keeper: k}, itemsOf(docs))
	if err != nil || sum.Ingested != 39 || sum.Failed != 1 || sum.Items != 40 {
		t.Fatalf("%+v, %v", sum, err)
	}
	if k.rollbacks < 2 {
		t.Errorf("%d rollbacks, want one per failed batch and failed article", k.rollbacks)
	}
	v, err := s.State(context.Background(), "n")
	if err != nil || string(v) != "39" {
		t.Errorf("stored count %q, %v; want 39", v, err)
	}
	seen := map[string]bool{}
	for _, a := range allIDs(t, s) {
		if seen[a.Story] {
			t.Errorf("number %s given twice", a.Story)
		}
		seen[a.Story] = true
	}
	for i := 1; i <= 39; i++ {
		if !seen[fmt.Sprintf("n%d", i)] {
			t.Errorf("no stored article numbered %d", i)
		}
	}
}
