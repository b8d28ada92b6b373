// Package annotate runs the stages that follow extraction during ingest:
// enrich (entities, quotes, times) in the workers, then copy detection and
// story clustering one article at a time, with their state kept in the store
// so that detection is incremental across runs and across processes that
// share a database.
//
// Lifecycle: New loads the story state, Stages returns the pipeline stages,
// and Close saves what changed. Flush may be called at any time to persist
// the story state early.
package annotate

import (
	"context"
	"errors"
	"fmt"
	"sync"
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

// flushEvery bounds how many articles' story changes stay unsaved; the
// corpus statistics are saved every statsEvery flushes and by Flush.
const (
	flushEvery = 256
	statsEvery = 8
)

// Annotator holds the dedup detector and the story clusterer of one run.
type Annotator struct {
	opts Options
	st   store.Store
	det  *dedup.Detector
	clu  *dedup.Clusterer

	prep sync.Map // *article.Article -> *prepared, from the workers

	mu      sync.Mutex
	changed map[string]bool // stories changed since the last flush
	pending int
	flushes int
	recent  map[string][]*article.Article // dup group -> articles not yet relabelled
}

// Options choose the stages. The zero value runs them all.
type Options struct {
	NoEnrich  bool // skip entities, quotes and times
	NoStories bool // skip story clustering (copies are still grouped)
}

// New loads the story state of st: its corpus statistics and the stories
// still open within the clusterer's window.
func New(ctx context.Context, st store.Store, opts Options) (*Annotator, error) {
	cfg := dedup.Config{}
	scfg := dedup.StoryConfig{}
	stats, err := st.State(ctx, statsKey)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("annotate: %w", err)
	}
	// All stories are loaded: an archive may be ingested in any order, so
	// "open" is judged by the articles' dates, not by the clock.
	states, err := st.Stories(ctx, time.Time{})
	if err != nil {
		return nil, fmt.Errorf("annotate: %w", err)
	}
	stories := make([]dedup.Story, 0, len(states))
	for _, s := range states {
		var story dedup.Story
		if err := story.UnmarshalBinary(s.State); err != nil {
			return nil, fmt.Errorf("annotate: story %s: %w", s.ID, err)
		}
		stories = append(stories, story)
	}
	clu, err := dedup.NewClustererFrom(scfg, stats, stories)
	if err != nil {
		return nil, fmt.Errorf("annotate: %w", err)
	}
	return &Annotator{
		opts:    opts,
		st:      st,
		det:     dedup.NewDetector(dedupstore.New(st, cfg), cfg),
		clu:     clu,
		changed: map[string]bool{},
		recent:  map[string][]*article.Article{},
	}, nil
}

// Stages returns the concurrent stages (enrich, and the text work of copy
// and story detection) and the serial one (joining groups and stories) for
// the ingest pipeline.
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
	p := &prepared{sketch: an.det.SketchArticle(a)}
	if !an.opts.NoStories {
		p.doc = dedup.DocFromArticle(a)
		an.clu.Prepare(&p.doc)
	}
	an.prep.Store(a, p)
	return nil
}

// dedupAndCluster sets a.DupGroup and a.Story. An article seen before keeps
// its story, so re-ingesting does not count it twice; a copy joins the story
// of its group's representative without adding its text again.
func (an *Annotator) dedupAndCluster(ctx context.Context, a *article.Article) error {
	var p *prepared
	if v, ok := an.prep.LoadAndDelete(a); ok {
		p = v.(*prepared)
	} else {
		p = &prepared{sketch: an.det.SketchArticle(a), doc: dedup.DocFromArticle(a)}
	}
	res, err := an.det.Add(ctx, a.ID, p.sketch)
	if err != nil {
		return fmt.Errorf("annotate: %w", err)
	}
	a.DupGroup = res.Group

	an.mu.Lock()
	defer an.mu.Unlock()
	// Copies merged into this group while their batch is still in flight
	// are relabelled here; stored ones were relabelled by the catalog.
	for _, m := range res.Merged {
		for _, other := range an.recent[m] {
			other.DupGroup = res.Group
		}
		an.recent[res.Group] = append(an.recent[res.Group], an.recent[m]...)
		delete(an.recent, m)
	}
	an.recent[res.Group] = append(an.recent[res.Group], a)

	if an.opts.NoStories {
		return nil
	}
	// An article the detector already knew (no new group, no match: it was
	// ingested before) keeps the story it has.
	if !res.New && len(res.Matches) == 0 {
		prev, err := an.st.Get(ctx, a.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("annotate: %s: %w", a.ID, err)
		}
		if prev != nil && prev.Story != "" {
			a.Story = prev.Story
			return nil
		}
	}
	doc := p.doc
	var asg dedup.Assignment
	if !res.New && res.Representative != a.ID {
		if story := an.storyOf(ctx, res.Group, res.Representative); story != "" {
			asg, err = an.clu.AddCopy(story, doc)
		}
	}
	if asg.Story == "" || err != nil {
		asg = an.clu.Add(doc)
	}
	a.Story = asg.Story
	an.changed[asg.Story] = true
	an.pending++
	if an.pending >= flushEvery {
		return an.flushLocked(ctx, false)
	}
	return nil
}

// storyOf finds the story of article id of dup group group: among the
// group's articles in flight, or stored.
func (an *Annotator) storyOf(ctx context.Context, group, id string) string {
	for _, a := range an.recent[group] {
		if a.ID == id {
			return a.Story
		}
	}
	if a, err := an.st.Get(ctx, id); err == nil {
		return a.Story
	}
	return ""
}

// Flush saves the changed stories and the corpus statistics.
func (an *Annotator) Flush(ctx context.Context) error {
	an.mu.Lock()
	defer an.mu.Unlock()
	return an.flushLocked(ctx, true)
}

func (an *Annotator) flushLocked(ctx context.Context, final bool) error {
	states := make([]store.StoryState, 0, len(an.changed))
	for id := range an.changed {
		s, ok := an.clu.Story(id)
		if !ok {
			continue
		}
		state, err := dedupstore.StoryState(&s)
		if err != nil {
			return fmt.Errorf("annotate: story %s: %w", id, err)
		}
		states = append(states, state)
	}
	if err := an.st.PutStories(ctx, states); err != nil {
		return fmt.Errorf("annotate: %w", err)
	}
	// The corpus statistics only smooth term weights, and encoding them
	// costs more as the vocabulary grows: they are saved less often.
	an.flushes++
	if final || an.flushes%statsEvery == 0 {
		stats, err := an.clu.MarshalStats()
		if err != nil {
			return fmt.Errorf("annotate: %w", err)
		}
		if err := an.st.PutState(ctx, statsKey, stats); err != nil {
			return fmt.Errorf("annotate: %w", err)
		}
	}
	an.changed = map[string]bool{}
	an.pending = 0
	// Articles flushed this far back have been handed to the writer's batch;
	// keep the map from growing without bound.
	if len(an.recent) > 4*flushEvery {
		an.recent = map[string][]*article.Article{}
	}
	return nil
}

// Close saves what changed.
func (an *Annotator) Close(ctx context.Context) error { return an.Flush(ctx) }
