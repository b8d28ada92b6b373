// Package migrate copies one newsdesk store into another with everything
// kept: every article with all its versions and raw inputs, the copy and
// story annotations on its record, the LSH band keys that copy detection
// looks up, the story states, the named state blobs, and the followed feeds.
//
// A migration is resumable: articles are written in batches, each with a
// checkpoint (a named state blob in the target, see CheckpointName) in the
// same transaction, so an interrupted run loses nothing committed, and a
// re-run skips what the checkpoint covers and checks the rest against the
// target before writing it, so nothing is stored twice.
//
// Only the store.Store and store.Newsroom interfaces are used: there is no
// listing of band keys or state blobs, so band keys are recomputed the way
// the copy detector computes them, and the state blobs copied are the names
// the code knows (StateNames and each feed's follow state).
package migrate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/dedup"
	"github.com/newsdesk/newsdesk/internal/store"
)

// StateNames are the named state blobs the code writes (internal/annotate's
// corpus statistics and generation token). The store cannot list its state
// blobs, so a new name must be added here to be migrated.
var StateNames = []string{"stories/stats", "annotate/generation"}

// feedStateName is internal/follow's name of the state of a followed feed
// (the items it has seen).
func feedStateName(feedURL string) string { return "follow.seen " + feedURL }

// CheckpointName is the name of the target's state blob that records how
// far a migration from source (a name without secrets) has come.
func CheckpointName(source string) string { return "migrate/from:" + source }

// Defaults.
const (
	DefaultBatchSize = 250
	DefaultWorkers   = 4
	// maxBatchBytes bounds the text and raw inputs a batch holds, so that a
	// batch of large documents does not take too much memory.
	maxBatchBytes = 64 << 20
	// storyChunk is how many story states go in one transaction.
	storyChunk = 500
)

// Options tune Run.
type Options struct {
	// Source names the source in the checkpoint: the same source must get
	// the same name on every run (a path, or an address without password).
	Source    string
	BatchSize int // articles per transaction; DefaultBatchSize when 0
	Workers   int // articles read from the source at once; DefaultWorkers when 0
	// Progress, when set, is called after each committed batch with the
	// articles done so far (skipped ones included) and the source's total.
	Progress func(done, total int)
}

// Summary is what Run did.
type Summary struct {
	Total     int // articles in the source when the run started
	Resumed   bool
	Skipped   int // articles the checkpoint covered
	Articles  int // articles written (new, or new versions of)
	Present   int // articles found complete in the target
	Versions  int // versions written
	RawInputs int // distinct raw inputs handed over with versions
	Stories   int
	States    int // named state blobs copied
	Feeds     int
	Elapsed   time.Duration
	// Problems are articles (or other items) that could not be copied
	// as they are; the run went on without them.
	Problems []string
	// Source and Target are the stores' statistics after the copy, and
	// Differences what Compare found between them.
	Source, Target store.Stats
	Differences    []string
}

// Rate is the articles per second of the run, skipped ones excluded.
func (s *Summary) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Articles+s.Present) / s.Elapsed.Seconds()
}

// OK reports whether everything was copied and the counts agree.
func (s *Summary) OK() bool { return len(s.Problems) == 0 && len(s.Differences) == 0 }

// ErrNotEmpty is returned when the target holds articles but no checkpoint
// of a migration from this source: its counts could not be compared.
var ErrNotEmpty = errors.New("the target database already holds articles, and no migration from this source")

// checkpoint is the value of the target's checkpoint blob. Each walks
// articles by publication date (undated last), then id; the checkpoint is
// the last article of the last committed batch.
type checkpoint struct {
	Published time.Time `json:"published,omitzero"`
	Undated   bool      `json:"undated,omitempty"`
	ID        string    `json:"id,omitempty"`
	// Done: the last pass finished; a run starts a new pass (which finds
	// everything present and copies only what changed).
	Done    bool      `json:"done,omitempty"`
	Updated time.Time `json:"updated"`
}

// covers reports whether the checkpoint is past a, so that a was committed
// before it. Dates compare by the second, stricter than any store's
// precision: an article in the checkpoint's second is not skipped but
// checked against the target.
func (c *checkpoint) covers(a *article.Article) bool {
	if c == nil || c.Done || c.ID == "" {
		return false
	}
	if c.Undated {
		return !a.Published.IsZero() || a.ID < c.ID
	}
	if a.Published.IsZero() {
		return false
	}
	return a.Published.Truncate(time.Second).Before(c.Published.Truncate(time.Second))
}

func readCheckpoint(ctx context.Context, dst store.Store, name string) (*checkpoint, error) {
	b, err := dst.State(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("target: checkpoint: %w", err)
	}
	var c checkpoint
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("target: checkpoint %s does not decode: %w", name, err)
	}
	return &c, nil
}

func (c *checkpoint) state(name string) store.NamedState {
	c.Updated = time.Now().UTC()
	b, _ := json.Marshal(c) // plain fields: cannot fail
	return store.NamedState{Name: name, Value: b}
}

// item is one source article on its way to the target.
type item struct {
	a *article.Article
	o store.Origin

	entries []store.Entry
	want    []store.Result // the result each entry must have
	raws    []string       // sha256 of the raw inputs of entries
	bands   []uint64
	present bool // complete in the target already
	problem string
}

// Run copies src into dst. It returns an error when the copy could not go
// on (a store failed, ctx was cancelled): what was committed stays, with
// its checkpoint, and a re-run continues. Articles that could not be
// copied are in the summary's Problems; Run then still finishes.
func Run(ctx context.Context, src, dst store.Store, opts Options) (sum *Summary, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("migrate: %w", err)
		}
	}()
	start := time.Now()
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if store.IsReadOnly(dst) {
		return nil, fmt.Errorf("target: %w", store.ErrReadOnly)
	}
	sum = &Summary{}
	srcStats, err := src.Stats(ctx)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	sum.Total = srcStats.Articles
	dstStats, err := dst.Stats(ctx)
	if err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	cpName := CheckpointName(opts.Source)
	cp, err := readCheckpoint(ctx, dst, cpName)
	if err != nil {
		return nil, err
	}
	if cp == nil && dstStats.Articles > 0 {
		return nil, fmt.Errorf("%w (%d articles)", ErrNotEmpty, dstStats.Articles)
	}
	sum.Resumed = cp != nil && !cp.Done
	// A target that had articles may hold any of the source's: each is
	// checked there first. An empty one holds none.
	check := dstStats.Articles > 0

	m := &migration{src: src, dst: dst, opts: opts, sum: sum, check: check, cpName: cpName,
		det: dedup.NewDetector(nil, dedup.Config{})}
	if err := m.articles(ctx, cp); err != nil {
		sum.Elapsed = time.Since(start)
		return sum, err
	}
	if err := m.rest(ctx); err != nil {
		sum.Elapsed = time.Since(start)
		return sum, err
	}
	sum.Elapsed = time.Since(start)
	if sum.Source, err = src.Stats(ctx); err != nil {
		return sum, fmt.Errorf("source: %w", err)
	}
	if sum.Target, err = dst.Stats(ctx); err != nil {
		return sum, fmt.Errorf("target: %w", err)
	}
	sum.Differences = Compare(sum.Source, sum.Target)
	return sum, nil
}

// Compare returns the counts that differ between two stores' statistics.
func Compare(src, dst store.Stats) []string {
	var out []string
	for _, c := range []struct {
		name     string
		src, dst int
	}{
		{"articles", src.Articles, dst.Articles},
		{"versions", src.Versions, dst.Versions},
		{"raw inputs", src.RawInputs, dst.RawInputs},
		{"dup groups", src.DupGroups, dst.DupGroups},
		{"duplicates", src.Duplicates, dst.Duplicates},
		{"stories", src.Stories, dst.Stories},
	} {
		if c.src != c.dst {
			out = append(out, fmt.Sprintf("%s: source %d, target %d", c.name, c.src, c.dst))
		}
	}
	return out
}

type migration struct {
	src, dst store.Store
	opts     Options
	sum      *Summary
	check    bool
	cpName   string
	det      *dedup.Detector // sketches only; never adds

	rawSeen map[string]bool // raw inputs handed over, for the summary
	done    atomic.Int64    // articles skipped or written, for Progress
}

// articles walks the source and writes its articles in batches: one
// batch is read (by Workers goroutines) while the one before is written.
func (m *migration) articles(ctx context.Context, cp *checkpoint) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	m.rawSeen = map[string]bool{}
	batches := make(chan []*item, 1)
	var wg sync.WaitGroup
	wg.Go(func() {
		for b := range batches {
			if ctx.Err() != nil {
				continue // drain
			}
			if err := m.write(ctx, b); err != nil {
				cancel(err)
			}
		}
	})

	var cur []*item
	curSize, skipped := 0, 0
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		m.prepareAll(ctx, cur)
		if err := context.Cause(ctx); err != nil {
			return err
		}
		select {
		case batches <- cur:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		cur, curSize = nil, 0
		return nil
	}
	err := m.src.Each(ctx, store.Filter{}, func(a *article.Article, o store.Origin) error {
		if cp.covers(a) {
			skipped++
			m.done.Add(1)
			return nil
		}
		cur = append(cur, &item{a: a, o: o})
		curSize += 2 * len(a.Text) // the text, and a raw input of about its size
		if len(cur) >= m.opts.BatchSize || curSize >= maxBatchBytes {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	close(batches)
	wg.Wait()
	m.sum.Skipped = skipped
	if cause := context.Cause(ctx); cause != nil {
		return cause // the writer's error, or the caller's cancellation
	}
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	if skipped > 0 && m.opts.Progress != nil {
		m.opts.Progress(int(m.done.Load()), m.sum.Total)
	}
	return nil
}

// prepareAll reads what the batch's articles need from the source (and
// the target, when it may hold them already).
func (m *migration) prepareAll(ctx context.Context, batch []*item) {
	sem := make(chan struct{}, m.opts.Workers)
	var wg sync.WaitGroup
	for _, it := range batch {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := m.prepare(ctx, it); err != nil {
				it.entries, it.want, it.bands, it.raws = nil, nil, nil, nil
				it.problem = fmt.Sprintf("%s: %v", it.a.ID, err)
			}
		})
	}
	wg.Wait()
}

// prepare sets the entries of the article's versions the target lacks,
// the results they must have, and its band keys.
func (m *migration) prepare(ctx context.Context, it *item) error {
	id := it.a.ID
	versions, err := m.src.Versions(ctx, id)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	if len(versions) == 0 { // cannot happen in a sound store; copy what Each gave
		versions = []store.Version{{Version: 1, RawSHA256: it.o.RawSHA256}}
	}
	from := 1
	if m.check {
		if from, err = m.present(ctx, id, versions); err != nil {
			return err
		}
	}
	var first *article.Article
	raws := map[string][]byte{}
	for k := from; k <= len(versions); k++ {
		a := it.a
		if k < len(versions) {
			if a, err = m.src.GetVersion(ctx, id, versions[k-1].Version); err != nil {
				return fmt.Errorf("source: version %d: %w", versions[k-1].Version, err)
			}
		}
		if k == 1 {
			first = a
		}
		e := store.Entry{Article: a, ContentType: it.o.ContentType}
		if sha := versions[k-1].RawSHA256; sha != "" {
			raw, ok := raws[sha]
			if !ok {
				if raw, err = m.src.Raw(ctx, sha); err != nil {
					return fmt.Errorf("source: raw input of version %d: %w", k, err)
				}
				raws[sha] = raw
			}
			e.Raw = raw
			it.raws = append(it.raws, sha)
		}
		it.entries = append(it.entries, e)
		if k == 1 {
			it.want = append(it.want, store.Ingested)
		} else {
			it.want = append(it.want, store.Updated)
		}
	}
	if from > len(versions) {
		// Present: the current version again sets its dup group and story
		// should they differ (the store reports it unchanged).
		it.present, it.raws = true, nil
		it.entries = []store.Entry{{Article: it.a, ContentType: it.o.ContentType}}
		it.want = []store.Result{store.Unchanged}
	}
	if first == nil && len(versions) > 1 {
		if first, err = m.src.GetVersion(ctx, id, versions[0].Version); err != nil {
			return fmt.Errorf("source: version 1: %w", err)
		}
	}
	it.bands = m.bandKeys(it.a, first)
	return nil
}

// bandKeys returns the LSH band keys of a as the copy detector computes
// them. The detector records an article's bands when it first sees it and
// keeps them when the article changes, while it verifies copies against the
// current text: the keys of the first version are kept beside the current
// ones, so the target finds every candidate the source would.
func (m *migration) bandKeys(current, first *article.Article) []uint64 {
	var keys []uint64
	for _, a := range []*article.Article{current, first} {
		if a == nil {
			continue
		}
		if s := m.det.SketchArticle(a); len(s.Fingerprint) > 0 {
			keys = append(keys, s.Signature.Bands()...)
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// present compares the versions the target holds of article id with the
// source's and returns the first version to write (past the last when the
// target has them all). A target version with another content hash is
// compared record by record (a hash of an older kind differs for the same
// content).
func (m *migration) present(ctx context.Context, id string, versions []store.Version) (int, error) {
	have, err := m.dst.Versions(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return 1, nil
	}
	if err != nil {
		return 0, fmt.Errorf("target: %w", err)
	}
	if len(have) > len(versions) {
		return 0, fmt.Errorf("the target has %d versions, the source %d", len(have), len(versions))
	}
	for i, v := range have {
		if v.ContentHash == versions[i].ContentHash {
			continue
		}
		same, err := m.sameVersion(ctx, id, versions[i].Version, v.Version)
		if err != nil {
			return 0, err
		}
		if !same {
			return 0, fmt.Errorf("the target's version %d differs from the source's", v.Version)
		}
	}
	return len(have) + 1, nil
}

// sameVersion compares a version's records in the source and the target.
func (m *migration) sameVersion(ctx context.Context, id string, srcVersion, dstVersion int) (bool, error) {
	a, err := m.src.GetVersion(ctx, id, srcVersion)
	if err != nil {
		return false, fmt.Errorf("source: version %d: %w", srcVersion, err)
	}
	b, err := m.dst.GetVersion(ctx, id, dstVersion)
	if err != nil {
		return false, fmt.Errorf("target: version %d: %w", dstVersion, err)
	}
	return SameRecord(a, b), nil
}

// SameRecord reports whether two versions hold the same content: their
// records are equal but for the dup group and story (annotations of the
// article, not of a version).
func SameRecord(a, b *article.Article) bool {
	ca, cb := *a, *b
	ca.DupGroup, ca.Story, cb.DupGroup, cb.Story = "", "", "", ""
	ja, err1 := json.Marshal(&ca)
	jb, err2 := json.Marshal(&cb)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

// write stores one batch with its checkpoint.
func (m *migration) write(ctx context.Context, batch []*item) error {
	var b store.Batch
	type owner struct {
		it *item
		k  int // the entry's index in it.entries
	}
	var owners []owner
	for _, it := range batch {
		if it.problem != "" {
			m.sum.Problems = append(m.sum.Problems, it.problem)
			continue
		}
		for k, e := range it.entries {
			b.Entries = append(b.Entries, e)
			owners = append(owners, owner{it, k})
		}
		if len(it.bands) > 0 {
			b.Bands = append(b.Bands, store.Bands{ArticleID: it.a.ID, Keys: it.bands})
		}
	}
	last := batch[len(batch)-1].a
	cp := checkpoint{Published: last.Published, Undated: last.Published.IsZero(), ID: last.ID}
	b.State = []store.NamedState{cp.state(m.cpName)}
	res, err := m.dst.PutBatch(ctx, b)
	if err != nil {
		return fmt.Errorf("target: %w", err)
	}
	for i, r := range res {
		it, want := owners[i].it, owners[i].it.want[owners[i].k]
		if r != want && it.problem == "" {
			it.problem = fmt.Sprintf("%s: a version was %s in the target, not %s (it repeats the version before it)", it.a.ID, r, want)
			m.sum.Problems = append(m.sum.Problems, it.problem)
		}
	}
	for _, it := range batch {
		if it.problem != "" {
			continue
		}
		if it.present {
			m.sum.Present++
			continue
		}
		m.sum.Articles++
		m.sum.Versions += len(it.entries)
		for _, sha := range it.raws {
			m.rawSeen[sha] = true
		}
	}
	m.sum.RawInputs = len(m.rawSeen)
	done := m.done.Add(int64(len(batch)))
	if m.opts.Progress != nil {
		m.opts.Progress(int(done), m.sum.Total)
	}
	return nil
}

// rest copies what follows the articles: the story states, the feeds with
// their follow state, and last, with the checkpoint marking the pass done,
// the named state blobs.
func (m *migration) rest(ctx context.Context) error {
	stories, err := m.src.Stories(ctx, time.Time{})
	if err != nil {
		return fmt.Errorf("source: stories: %w", err)
	}
	for chunk := range slices.Chunk(stories, storyChunk) {
		if _, err := m.dst.PutBatch(ctx, store.Batch{Stories: chunk}); err != nil {
			return fmt.Errorf("target: stories: %w", err)
		}
	}
	m.sum.Stories = len(stories)

	var final store.Batch
	for _, name := range StateNames {
		v, err := m.src.State(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("source: state %s: %w", name, err)
		}
		final.State = append(final.State, store.NamedState{Name: name, Value: v})
	}

	srcRoom, ok1 := store.AsNewsroom(m.src)
	dstRoom, ok2 := store.AsNewsroom(m.dst)
	if ok1 && ok2 {
		feeds, err := srcRoom.Feeds(ctx)
		if err != nil {
			return fmt.Errorf("source: feeds: %w", err)
		}
		for _, f := range feeds {
			if err := dstRoom.PutFeed(ctx, f); err != nil {
				return fmt.Errorf("target: feed %s: %w", f.URL, err)
			}
			v, err := m.src.State(ctx, feedStateName(f.URL))
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("source: state of feed %s: %w", f.URL, err)
			}
			final.State = append(final.State, store.NamedState{Name: feedStateName(f.URL), Value: v})
		}
		m.sum.Feeds = len(feeds)
	} else if ok1 {
		if feeds, err := srcRoom.Feeds(ctx); err == nil && len(feeds) > 0 {
			m.sum.Problems = append(m.sum.Problems, fmt.Sprintf("%d followed feeds not copied: the target keeps no feeds", len(feeds)))
		}
	}
	m.sum.States = len(final.State)
	cp := checkpoint{Done: true}
	final.State = append(final.State, cp.state(m.cpName))
	if _, err := m.dst.PutBatch(ctx, final); err != nil {
		return fmt.Errorf("target: state: %w", err)
	}
	return nil
}
