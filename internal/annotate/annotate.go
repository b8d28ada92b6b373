// Package annotate runs the stages that follow extraction during ingest:
// enrich (entities, quotes, times) in the workers, then copy detection and
// story clustering one article at a time, with their state kept in the store
// so that detection is incremental across runs and across processes that
// share a database.
//
// Lifecycle: New loads the story state; Stages returns the pipeline stages,
// and the Annotator is the pipeline's Keeper: the state that describes a
// batch of articles (their band keys, merged copy groups, the stories they
// changed, now and then the clusterer's corpus statistics) is written in the
// batch's own transaction, so the stored state never counts an article that
// was not stored, and a crash loses both or neither. When a batch fails, the
// state is reloaded from the store and the pipeline runs the articles again.
package annotate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/dedup"
	"github.com/newsdesk/newsdesk/enrich"
	"github.com/newsdesk/newsdesk/internal/dedupstore"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
)

// statsKey names the clusterer's corpus statistics in the store's state table.
const statsKey = "stories/stats"

// statsEvery is how many articles go by between two saves of the corpus
// statistics: they only smooth term weights, and encoding them costs more
// as the vocabulary grows. They are saved with the last batch of a run
// too, so only a crash leaves them behind the stories (by at most this many
// articles' counts).
const statsEvery = 2048

// generationKey names the token that every batch carrying copy or story
// state writes: a resident Annotator that finds another token there knows
// another process wrote since, and reloads.
const generationKey = "annotate/generation"

// residentCacheLimit bounds the copy detector's cache of fingerprints in a
// resident Annotator: past it, Refresh drops the cache (everything in it is
// stored, so it is read again when needed).
const residentCacheLimit = 20000

// Annotator holds the dedup detector and the story clusterer of one run.
type Annotator struct {
	opts Options
	st   store.Store
	scfg dedup.StoryConfig
	cat  *dedupstore.Catalog
	det  *dedup.Detector
	clu  atomic.Pointer[dedup.Clusterer] // replaced by Rollback while workers Prepare

	prep sync.Map // *article.Article -> *prepared, from the workers

	// The serial state, used from the pipeline's writer.
	mu         sync.Mutex
	changed    map[string]bool   // stories changed since the last Snapshot
	stories    map[string]string // article id -> story, for articles not committed yet
	sinceStats int               // articles snapshotted since the statistics were

	// gen is the generation token of the state loaded or last committed;
	// pendingGen the one written with the batch in flight.
	gen, pendingGen string
	genPrefix       string
	genCount        int
	// pos is where gen puts the change log (changes.go); pendingPos where
	// the batch in flight puts it. inTurn is set inside a Gate's turn.
	pos, pendingPos position
	inTurn          bool
	caughtUp        int // catch-ups from the log, for tests
}

var _ pipeline.Keeper = (*Annotator)(nil)

// Options choose the stages. The zero value runs them all.
type Options struct {
	NoEnrich  bool // skip entities, quotes and times
	NoStories bool // skip story clustering (copies are still grouped)
	// Resident keeps the Annotator for many runs: a run's last snapshot
	// does not save the corpus statistics (they are saved every
	// statsEvery articles, and by SaveStats), which would cost more than
	// the articles of a small run.
	Resident bool
}

// New loads the story state of st: its corpus statistics and its stories.
func New(ctx context.Context, st store.Store, opts Options) (*Annotator, error) {
	cfg := dedup.Config{}
	an := &Annotator{
		opts:      opts,
		st:        st,
		cat:       dedupstore.New(st, cfg),
		changed:   map[string]bool{},
		stories:   map[string]string{},
		genPrefix: newGenPrefix(),
	}
	an.det = dedup.NewDetector(an.cat, cfg)
	clu, err := an.load(ctx)
	if err != nil {
		return nil, err
	}
	an.clu.Store(clu)
	return an, nil
}

// load builds the clusterer from the story state in the store, and notes
// the store's generation token. The token is read first: a write that
// lands during the load makes the next Refresh load again.
func (an *Annotator) load(ctx context.Context) (*dedup.Clusterer, error) {
	gen, err := an.storedGeneration(ctx)
	if err != nil {
		return nil, err
	}
	an.gen, an.pos = gen, parseToken(gen)
	stats, err := an.st.State(ctx, statsKey)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("annotate: %w", err)
	}
	// All stories are loaded: an archive may be ingested in any order, so
	// "open" is judged by the articles' dates, not by the clock.
	states, err := an.st.Stories(ctx, time.Time{})
	if err != nil {
		return nil, fmt.Errorf("annotate: %w", err)
	}
	stories := make([]dedup.Story, len(states))
	var dec dedup.StoryDecoder // shares the terms that stories have in common
	for i, s := range states {
		if err := dec.Decode(s.State, &stories[i]); err != nil {
			return nil, fmt.Errorf("annotate: story %s: %w", s.ID, err)
		}
	}
	clu, err := dedup.NewClustererFrom(an.scfg, stats, stories)
	if err != nil {
		return nil, fmt.Errorf("annotate: %w", err)
	}
	if err := an.replayStats(ctx, clu, an.pos); err != nil {
		return nil, err
	}
	clu.TakeStatsDelta() // track what this process adds, for the change log
	return clu, nil
}

// storedGeneration reads the store's generation token ("" when none).
func (an *Annotator) storedGeneration(ctx context.Context) (string, error) {
	gen, err := an.st.State(ctx, generationKey)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("annotate: %w", err)
	}
	return string(gen), nil
}

// newGenPrefix returns a token prefix that no other Annotator uses.
func newGenPrefix() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail
	return hex.EncodeToString(b[:])
}

// Refresh prepares a resident Annotator for its next run: when another
// process wrote copy or story state since this one loaded or committed
// its own, the state is loaded again; when the copy detector's cache has
// grown past residentCacheLimit, it is dropped. Call it between runs, or
// between batches under the store's serial lock (Gate).
func (an *Annotator) Refresh(ctx context.Context) error {
	an.mu.Lock()
	defer an.mu.Unlock()
	return an.refresh(ctx)
}

// refresh is Refresh with an.mu held: from the change log when it reaches
// back far enough, else by loading everything.
func (an *Annotator) refresh(ctx context.Context) error {
	gen, err := an.storedGeneration(ctx)
	if err != nil {
		return err
	}
	if gen == an.gen {
		an.cat.Trim(residentCacheLimit)
		return nil
	}
	to := parseToken(gen)
	err = an.catchUp(ctx, to)
	if err == nil {
		an.gen, an.pos = gen, to
		return nil
	}
	if !errors.Is(err, errNoLog) {
		return err
	}
	return an.reload(ctx)
}

// SaveStats stores the clusterer's corpus statistics (with a new
// generation token, as any state write): a resident Annotator calls it
// when its process stops.
func (an *Annotator) SaveStats(ctx context.Context) error {
	if an.opts.NoStories {
		return nil
	}
	// In a turn, when the store has them, so that the change log goes on.
	if l, ok := an.st.(store.SerialLocker); ok {
		unlock, err := l.LockSerial(ctx)
		if err != nil {
			return fmt.Errorf("annotate: %w", err)
		}
		defer unlock()
	}
	an.mu.Lock()
	defer an.mu.Unlock()
	if an.sinceStats == 0 {
		return nil
	}
	if _, ok := an.st.(store.SerialLocker); ok {
		if err := an.refresh(ctx); err != nil {
			return err
		}
		an.inTurn = true
		defer func() { an.inTurn = false }()
	}
	stats, err := an.clu.Load().MarshalStats()
	if err != nil {
		return fmt.Errorf("annotate: %w", err)
	}
	b := store.Batch{State: []store.NamedState{{Name: statsKey, Value: stats}}}
	an.logTurn(&b)
	if _, err := an.st.PutBatch(ctx, b); err != nil {
		an.pendingGen = ""
		return fmt.Errorf("annotate: %w", err)
	}
	an.gen, an.pos, an.pendingGen = an.pendingGen, an.pendingPos, ""
	an.sinceStats = 0
	return nil
}

// Gate returns the pipeline.Gate through which this Annotator takes turns
// with the other processes writing its store, or nil when the store has no
// store.SerialLocker. Entering takes the store's lock, then reloads the
// state when another process wrote some since (see Refresh); leaving
// releases the lock.
func (an *Annotator) Gate() pipeline.Gate {
	l, ok := an.st.(store.SerialLocker)
	if !ok {
		return nil
	}
	return &gate{an: an, locker: l}
}

type gate struct {
	an     *Annotator
	locker store.SerialLocker
	unlock func()
}

func (g *gate) Enter(ctx context.Context) error {
	unlock, err := g.locker.LockSerial(ctx)
	if err != nil {
		return fmt.Errorf("annotate: %w", err)
	}
	g.an.mu.Lock()
	err = g.an.refresh(ctx)
	g.an.inTurn = err == nil
	g.an.mu.Unlock()
	if err != nil {
		unlock()
		return err
	}
	g.unlock = unlock
	return nil
}

func (g *gate) Leave() {
	g.an.mu.Lock()
	g.an.inTurn = false
	g.an.mu.Unlock()
	if g.unlock != nil {
		g.unlock()
		g.unlock = nil
	}
}

// nextGeneration returns a new token of this Annotator's.
func (an *Annotator) nextGeneration() string {
	an.genCount++
	return fmt.Sprintf("%s-%d", an.genPrefix, an.genCount)
}

// Stages returns the concurrent stages (enrich, and the text work of copy
// and story detection) and the serial one (joining groups and stories) for
// the ingest pipeline; the Annotator itself is the pipeline's Keeper.
func (an *Annotator) Stages() (concurrent, serial []pipeline.Stage) {
	if !an.opts.NoEnrich {
		concurrent = append(concurrent, Enrich)
	}
	return append(concurrent, an.prepare), []pipeline.Stage{an.dedupAndCluster}
}

// Enrich is the enrich stage: entities, quotes and times.
func Enrich(_ context.Context, a *article.Article) error {
	enrich.Enrich(a, enrich.Options{})
	return nil
}

// prepared is the text work done for an article in the workers.
type prepared struct {
	sketch dedup.Sketch
	doc    dedup.StoryDoc
}

// prepare sketches the article and counts its story terms, in parallel.
func (an *Annotator) prepare(_ context.Context, a *article.Article) error {
	an.prep.Store(a, an.prepared(a))
	return nil
}

func (an *Annotator) prepared(a *article.Article) *prepared {
	p := &prepared{sketch: an.det.SketchArticle(a)}
	if !an.opts.NoStories {
		p.doc = dedup.DocFromArticle(a)
		an.clu.Load().Prepare(&p.doc)
	}
	return p
}

// dedupAndCluster sets a.DupGroup and a.Story. An article seen before keeps
// its story, so re-ingesting does not count it twice; a copy joins the story
// of its group's representative without adding its text again. It fails
// only before recording anything of the article.
func (an *Annotator) dedupAndCluster(ctx context.Context, a *article.Article) error {
	var p *prepared
	if v, ok := an.prep.LoadAndDelete(a); ok {
		p = v.(*prepared)
	} else { // run again after a rollback
		p = an.prepared(a)
	}
	res, err := an.det.Add(ctx, a.ID, p.sketch)
	if err != nil {
		return fmt.Errorf("annotate: %w", err)
	}
	an.mu.Lock()
	defer an.mu.Unlock()
	a.DupGroup = res.Group
	if an.opts.NoStories {
		return nil
	}
	// An article the detector already knew (no new group, no match: it was
	// ingested before; the detector recorded nothing) keeps the story it has.
	if !res.New && len(res.Matches) == 0 {
		story, err := an.storyOf(ctx, a.ID)
		if err != nil {
			return fmt.Errorf("annotate: %s: %w", a.ID, err)
		}
		if story != "" {
			a.Story = story
			return nil
		}
	}
	clu := an.clu.Load()
	var asg dedup.Assignment
	if !res.New && res.Representative != a.ID {
		// From here on the article is recorded by the detector: a failed
		// look-up of the representative's story founds or joins a story
		// by the text instead of failing the article.
		if story, err := an.storyOf(ctx, res.Representative); err == nil && story != "" {
			asg, err = clu.AddCopy(story, p.doc)
			if err != nil {
				asg = dedup.Assignment{}
			}
		}
	}
	if asg.Story == "" {
		asg = clu.Add(p.doc)
	}
	a.Story = asg.Story
	an.changed[asg.Story] = true
	an.stories[a.ID] = asg.Story
	return nil
}

// storyOf returns the story of article id: from this run's articles not
// yet committed, else from the store ("" when it has none).
func (an *Annotator) storyOf(ctx context.Context, id string) (string, error) {
	if s, ok := an.stories[id]; ok {
		return s, nil
	}
	a, err := an.st.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return a.Story, nil
}

func ids(batch []*article.Article) []string {
	out := make([]string, len(batch))
	for i, a := range batch {
		out[i] = a.ID
	}
	return out
}

// Snapshot implements pipeline.Keeper: the band keys of the batch's
// articles, the copy groups merged and the stories changed since the last
// snapshot, and every statsEvery articles (and at the end) the corpus
// statistics. The run's last snapshot also carries the stories that the
// clusterer's merge pass joined, so stored articles move with them.
func (an *Annotator) Snapshot(_ context.Context, batch []*article.Article, final bool) (store.Batch, error) {
	an.mu.Lock()
	defer an.mu.Unlock()
	b, err := an.snapshot(batch, final)
	if err != nil || (len(batch) == 0 && b.Empty()) {
		return b, err
	}
	an.logTurn(&b)
	return b, nil
}

// snapshot is Snapshot without the generation token, with an.mu held.
func (an *Annotator) snapshot(batch []*article.Article, final bool) (store.Batch, error) {
	var b store.Batch
	b.Bands, b.Relabels = an.cat.Take(ids(batch))
	if an.opts.NoStories {
		return b, nil
	}
	clu := an.clu.Load()
	if final {
		// The merge pass runs once a run, at its end: at batch boundaries
		// (which timing decides) it would make stories depend on timing.
		for _, m := range clu.Merge() {
			b.StoryMerges = append(b.StoryMerges, store.Relabel{From: m.From, To: m.Into})
			delete(an.changed, m.From)
			an.changed[m.Into] = true
		}
	}
	changed := make([]string, 0, len(an.changed))
	for id := range an.changed {
		changed = append(changed, id)
	}
	slices.Sort(changed)
	for _, id := range changed {
		s, ok := clu.Story(id)
		if !ok {
			continue
		}
		state, err := dedupstore.StoryState(&s)
		if err != nil {
			return store.Batch{}, fmt.Errorf("annotate: story %s: %w", id, err)
		}
		b.Stories = append(b.Stories, state)
	}
	an.sinceStats += len(batch)
	if (final && !an.opts.Resident) || an.sinceStats >= statsEvery {
		stats, err := clu.MarshalStats()
		if err != nil {
			return store.Batch{}, fmt.Errorf("annotate: %w", err)
		}
		b.State = append(b.State, store.NamedState{Name: statsKey, Value: stats})
		an.sinceStats = 0
	}
	an.changed = map[string]bool{}
	return b, nil
}

// Committed implements pipeline.Keeper.
func (an *Annotator) Committed(batch []*article.Article) {
	an.mu.Lock()
	defer an.mu.Unlock()
	ids := ids(batch)
	an.cat.Committed(ids)
	if an.pendingGen != "" {
		an.gen, an.pos, an.pendingGen = an.pendingGen, an.pendingPos, ""
	}
	for _, id := range ids {
		delete(an.stories, id)
	}
}

// Rollback implements pipeline.Keeper: the copy and story state is
// reloaded from the store, forgetting every article not stored.
func (an *Annotator) Rollback(ctx context.Context) error {
	an.mu.Lock()
	defer an.mu.Unlock()
	return an.reload(ctx)
}

// reload forgets everything not stored and loads the state again, with
// an.mu held.
func (an *Annotator) reload(ctx context.Context) error {
	an.cat.Reset()
	clu, err := an.load(ctx)
	if err != nil {
		return err
	}
	an.clu.Store(clu)
	an.changed = map[string]bool{}
	an.stories = map[string]string{}
	an.pendingGen = ""
	an.sinceStats = 0
	return nil
}
