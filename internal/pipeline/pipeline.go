// Package pipeline ingests raw inputs into a store:
//
//	source -> load -> process -> stages -> serial stages -> store
//
// A producer (normally source.Walk) yields items; a bounded pool of workers
// loads each item's bytes, turns them into an article with process.Article
// and runs the concurrent stages (e.g. enrichment); a single writer goroutine
// runs the serial stages (e.g. incremental dedup, which must see articles one
// at a time) and stores articles in batches, one transaction per batch, so a
// crash loses at most the batch in flight and never leaves a half-written
// article.
//
// The serial stages see the articles in the order the producer yielded
// them, whatever the number of workers and however long each item takes:
// the writer puts the workers' results back in order, with at most a
// bounded window of items in flight. So the same inputs give the same copy
// groups and stories at any -j and in every run.
//
// A serial stage that keeps state of its own (Keeper) hands it over with
// each batch, to be committed in the batch's transaction, and forgets what
// was not stored when a batch fails; the failed batch is then stored
// article by article, so that one bad article does not sink the others.
//
// A failure of one item (unreadable, malformed, too large, no article in it,
// a stage error, a store error) is logged with the item's name and counted;
// the others proceed. Only a store that cannot be written at all stops the
// run. Every input is counted once: as ingested, unchanged, updated or
// failed, or as skipped when the run was cancelled before it was done (an
// item whose loading the cancellation cut short is skipped, not failed).
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/process"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Item is one input to ingest. Load fetches or reads its bytes; it is
// called once, by a worker.
type Item struct {
	Name string    // what logs and errors call it: a path, a URL, "-"
	URL  string    // the page URL, when known
	Date time.Time // a date the source gave (feed item date, WARC-Date), when known
	Load func(ctx context.Context) (Payload, error)
}

// Payload is an item's loaded bytes.
type Payload struct {
	Raw         []byte
	ContentType string
	URL         string    // the final URL after redirects, when fetched
	Fetched     time.Time // when it was fetched or captured
	// Fallback marks a stand-in for the item's page (a feed's own text,
	// the page having failed); Note says why, when there is something to
	// tell. The item is counted in Summary.FromFeed once stored.
	Fallback bool
	Note     error
}

// Producer yields the items of a run. It calls onErr for inputs that fail
// before they become items (an unreadable directory, a malformed feed) and
// carries on; it returns early only when yield returns an error.
type Producer func(ctx context.Context, yield func(Item) error, onErr func(name string, err error)) error

// Stage transforms or annotates an article before it is stored. An error
// fails that article alone.
type Stage func(ctx context.Context, a *article.Article) error

// Keeper is implemented by serial stages that keep state of their own (copy
// groups, stories) in the store, so that the state and the articles it
// describes are committed together. The writer calls its methods from its
// own goroutine, between serial stages, never concurrently with them.
type Keeper interface {
	// Snapshot returns the state to write with a batch of articles, once
	// the serial stages have run on every article of it and on none after
	// it; the writer adds the batch's entries. final marks the run's last
	// batch, which may be empty.
	Snapshot(ctx context.Context, batch []*article.Article, final bool) (store.Batch, error)
	// Committed reports that a batch given to Snapshot was stored.
	Committed(batch []*article.Article)
	// Rollback makes the state that of the store again: everything the
	// serial stages recorded for articles of batches not committed is
	// forgotten. The writer then runs the serial stages on those articles
	// again, as they were before.
	Rollback(ctx context.Context) error
}

// Gate makes the serial stages of processes that share a store take
// turns: with a Gate, the writer gathers a batch's processed articles
// first, then calls Enter, runs their serial stages, stores the batch and
// calls Leave, so that between the two no other process decides or stores
// a batch, and the turn is not held while a batch fills. A Keeper that
// reloads what others stored in Enter then decides as one process would.
// Batches are stored one after another, without overlapping the serial
// stages of the next.
type Gate interface {
	Enter(ctx context.Context) error
	Leave()
}

// Options configure a Run.
type Options struct {
	Store store.Store // required
	// Jobs bounds concurrent loading and processing; 0 means runtime.NumCPU().
	Jobs int
	// Stages run concurrently in the workers, after processing.
	Stages []Stage
	// Serial stages run in the writer goroutine, one article at a time in
	// the order the producer yielded the items, before the article's batch
	// is stored. A serial stage that fails must leave no trace of the
	// article in its state.
	Serial []Stage
	// Keeper, when set, is the serial stages' state, written with each
	// batch (see Keeper).
	Keeper Keeper
	// Gate, when set, is taken around each batch's serial stages and
	// storing (see Gate).
	Gate Gate
	// Process builds the article; nil means process.Article.
	Process func(process.Input) (*article.Article, error)
	// Format forces "html" or "text"; "" or "auto" detects.
	Format string
	// MaxBytes limits one input; 0 means process's default.
	MaxBytes int64
	// Published is the publication date of an article whose input and
	// source give none (newsdesk ingest --published), so that its relative
	// times ("yesterday", "on Friday") resolve. Zero means none.
	Published time.Time
	// BatchSize is the number of articles stored per transaction (default 256).
	BatchSize int
	// BatchDelay is the longest an article waits for its batch to fill (default 250ms).
	BatchDelay time.Duration
	// Log receives one record per failure when OnFail is nil; nil discards.
	Log *slog.Logger
	// OnFail, when set, is told of each failed input instead of Log: its
	// name and what went wrong. Calls are serialized.
	OnFail func(name string, err error)
	// OnNote, when set, is told of an item stored from a fallback, and
	// why (Payload.Note), instead of Log. Calls are serialized with OnFail.
	OnNote func(name string, note error)
	// Progress, when set, receives a redrawn progress bar (for a terminal).
	Progress io.Writer
	// Width is the progress bar's line width; 0 means 80.
	Width int
}

// Summary counts the outcome of a Run. Ingested, Unchanged, Updated,
// Failed and Skipped add up to Items.
type Summary struct {
	Items     int // inputs: items yielded, and inputs that failed before becoming items
	Ingested  int
	Unchanged int
	Updated   int
	Failed    int // items and inputs that failed, or were not stored because the store failed
	Skipped   int // items not processed because the run was cancelled
	// FromFeed counts the articles ingested or updated from a fallback
	// (a feed's own text, the page having failed).
	FromFeed int
	Elapsed  time.Duration
}

// Stored is the number of articles written new or as a new version.
func (s Summary) Stored() int { return s.Ingested + s.Updated }

// String is the final summary line.
func (s Summary) String() string {
	rate := ""
	if secs := s.Elapsed.Seconds(); secs > 0 {
		rate = fmt.Sprintf(", %.0f/s", float64(s.Ingested+s.Unchanged+s.Updated+s.Failed)/secs)
	}
	skipped := ""
	if s.Skipped > 0 {
		skipped = fmt.Sprintf(", skipped %d", s.Skipped)
	}
	if s.FromFeed > 0 {
		skipped += fmt.Sprintf(", %d from the feeds' own text", s.FromFeed)
	}
	return fmt.Sprintf("ingested %d, unchanged %d, updated %d, failed %d%s (%s%s)",
		s.Ingested, s.Unchanged, s.Updated, s.Failed, skipped, s.Elapsed.Round(time.Millisecond), rate)
}

// numbered is an item with its place in the producer's order.
type numbered struct {
	seq int
	Item
}

// done is a worker's result for one item, in the order of the items.
type done struct {
	seq     int
	name    string
	a       *article.Article // nil when the item failed (and was counted) or was skipped
	skipped bool             // not processed: the run was cancelled
	raw     []byte
	ct      string
	// fallback: the article was made from a stand-in for its page.
	fallback bool
	// orig is the article as the worker made it, for running the serial
	// stages again after a rollback.
	orig article.Article
}

type counters struct {
	items, ingested, unchanged, updated, failed, skipped, fromFeed atomic.Int64
	producing                                                      atomic.Bool
}

// run holds one Run's state.
type run struct {
	opts Options
	c    counters
	prog *progress
	mu   sync.Mutex // serializes reports
}

// Run ingests every item of produce into opts.Store. The error is non-nil
// only when the run could not proceed (the store failed, or ctx was
// cancelled); the Summary counts what was done either way. On cancellation,
// articles already processed are still stored before Run returns; the items
// not processed, or whose loading the cancellation cut short, count as
// skipped and are not reported as failures.
func Run(ctx context.Context, opts Options, produce Producer) (Summary, error) {
	start := time.Now()
	if opts.Store == nil {
		return Summary{}, errors.New("pipeline: no store")
	}
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if opts.Process == nil {
		opts.Process = process.Article
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 256
	}
	if opts.BatchDelay <= 0 {
		opts.BatchDelay = 250 * time.Millisecond
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	r := &run{opts: opts}
	r.c.producing.Store(true)
	if opts.Progress != nil {
		r.prog = newProgress(opts.Progress, opts.Width, &r.c, start)
		defer r.prog.stop()
	}

	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The window bounds the items between the producer and the writer,
	// which waits for each item in turn: a slow item holds back at most
	// this many after it.
	window := make(chan struct{}, 2*opts.BatchSize+4*opts.Jobs)
	items := make(chan numbered, 4*opts.Jobs+64)
	out := make(chan done, cap(window))

	var prodErr error
	go func() {
		defer close(items)
		defer r.c.producing.Store(false)
		seq := 0
		prodErr = produce(ctx, func(it Item) error {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case items <- numbered{seq, it}:
				seq++
				r.c.items.Add(1)
				return nil
			case <-ctx.Done():
				<-window
				return ctx.Err()
			}
		}, func(name string, err error) {
			r.c.items.Add(1)
			r.fail(name, err)
		})
	}()

	var wg sync.WaitGroup
	for range opts.Jobs {
		wg.Go(func() {
			for it := range items {
				if ctx.Err() != nil {
					out <- done{seq: it.seq, name: it.Name, skipped: true}
					continue
				}
				d, ok := r.work(ctx, it.Item)
				if !ok {
					d = done{name: it.Name, skipped: d.skipped}
				}
				d.seq = it.seq
				out <- d
			}
		})
	}
	go func() { wg.Wait(); close(out) }()

	w := &writer{r: r, ctx: context.WithoutCancel(ctx), cancel: cancel, window: window}
	storeErr := w.run(out)
	s := Summary{
		Items:     int(r.c.items.Load()),
		Ingested:  int(r.c.ingested.Load()),
		Unchanged: int(r.c.unchanged.Load()),
		Updated:   int(r.c.updated.Load()),
		Failed:    int(r.c.failed.Load()),
		Skipped:   int(r.c.skipped.Load()),
		FromFeed:  int(r.c.fromFeed.Load()),
		Elapsed:   time.Since(start),
	}
	switch {
	case storeErr != nil:
		return s, storeErr
	case parent.Err() != nil:
		return s, fmt.Errorf("pipeline: %w", parent.Err())
	case prodErr != nil:
		return s, fmt.Errorf("pipeline: %w", prodErr)
	}
	return s, nil
}

// fail counts and reports a failed input.
func (r *run) fail(name string, err error) {
	r.c.failed.Add(1)
	r.report(name, err)
}

// report reports a failure, through OnFail or Log.
func (r *run) report(name string, err error) {
	r.tell(r.opts.OnFail, slog.LevelError, "ingest failed", "err", name, err)
}

// tell hands what happened to an input to hook, or logs it at level when
// there is none, with the progress bar cleared around it.
func (r *run) tell(hook func(string, error), level slog.Level, msg, key, name string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.prog != nil {
		r.prog.clear()
		defer r.prog.redraw()
	}
	if hook != nil {
		hook(name, err)
		return
	}
	r.opts.Log.Log(context.Background(), level, msg, "source", name, key, err)
}

func (r *run) work(ctx context.Context, it Item) (done, bool) {
	if it.Load == nil {
		r.fail(it.Name, errors.New("pipeline: item has nothing to load"))
		return done{}, false
	}
	p, err := it.Load(ctx)
	if err != nil {
		if ctx.Err() != nil {
			// Cut short by the cancellation: not the item's failure.
			return done{skipped: true}, false
		}
		r.fail(it.Name, err)
		return done{}, false
	}
	url := p.URL
	if url == "" {
		url = it.URL
	}
	a, err := r.opts.Process(process.Input{
		Name: it.Name, URL: url, ContentType: p.ContentType, Raw: p.Raw,
		Fetched: p.Fetched, Format: r.opts.Format, MaxBytes: r.opts.MaxBytes,
	})
	if err != nil {
		r.fail(it.Name, err)
		return done{}, false
	}
	if a == nil || a.ID == "" {
		r.fail(it.Name, fmt.Errorf("pipeline: %s: processing produced no article", it.Name))
		return done{}, false
	}
	if a.Published.IsZero() && !it.Date.IsZero() && (p.Fetched.IsZero() || it.Date.Before(p.Fetched)) {
		// The source's own date (a feed item's) stands in for a page
		// that carries none; a capture date (WARC-Date, equal to
		// Fetched) is not a publication date.
		a.Published = it.Date.UTC()
	}
	if a.Published.IsZero() && !r.opts.Published.IsZero() {
		a.Published = r.opts.Published.UTC()
	}
	for _, st := range r.opts.Stages {
		if err := st(ctx, a); err != nil {
			if ctx.Err() != nil {
				return done{skipped: true}, false
			}
			r.fail(it.Name, fmt.Errorf("pipeline: %s: %w", it.Name, err))
			return done{}, false
		}
	}
	if p.Note != nil {
		r.note(it.Name, p.Note)
	}
	return done{name: it.Name, a: a, raw: p.Raw, ct: p.ContentType, fallback: p.Fallback}, true
}

// note reports an item made from a fallback, through OnNote or Log.
func (r *run) note(name string, note error) {
	r.tell(r.opts.OnNote, slog.LevelWarn, "stored from a fallback", "why", name, note)
}

// writer is the single writer: it puts the workers' results back in the
// producer's order, runs the serial stages and stores batches. Storing runs
// in a goroutine of its own, one batch at a time, so that the serial stages
// of the next batch overlap with the commit of the last.
type writer struct {
	r *run
	// ctx is not cancelled with the run: what was processed is stored.
	ctx    context.Context
	cancel context.CancelFunc
	window chan struct{}
	timer  *time.Timer

	batch  []*done // serial stages done, not yet handed over
	flight *flight // being stored
	inGate bool    // the Gate is entered
	// pending holds, with a Gate, the articles of the next batch before
	// their serial stages: those run in the turn, once the batch is full.
	pending []*done
	fatal   error // the store failed for good
	lost    int   // items processed but not stored after fatal
}

// flight is a batch handed to the storer.
type flight struct {
	batch []*done
	final bool
	res   []store.Result
	err   error
	done  chan struct{}
}

func (w *writer) run(out <-chan done) error {
	w.timer = time.NewTimer(w.r.opts.BatchDelay)
	defer w.timer.Stop()
	w.batch = make([]*done, 0, w.r.opts.BatchSize)
	early := map[int]*done{} // results that came before their turn
	next := 0
	for {
		select {
		case d, ok := <-out:
			if !ok {
				w.handoff(true)
				w.settle()
				w.leave()
				w.report()
				return w.fatal
			}
			early[d.seq] = &d
			for {
				x, ok := early[next]
				if !ok {
					break
				}
				delete(early, next)
				next++
				w.take(x)
				<-w.window
			}
		case <-w.timer.C:
			w.handoff(false)
			w.timer.Reset(w.r.opts.BatchDelay)
		}
	}
}

// report logs the items counted as failed without a record of their own.
// Items skipped on cancellation are only counted: the caller says that the
// run was interrupted.
func (w *writer) report() {
	if w.lost > 0 {
		w.r.report(fmt.Sprintf("%d items", w.lost), fmt.Errorf("not stored: %w", w.fatal))
	}
}

// take runs the serial stages on the next result in order and adds it to
// the batch.
func (w *writer) take(x *done) {
	switch {
	case x.a == nil && !x.skipped: // failed and counted in the worker
	case w.fatal != nil: // skipped, if so, because the store failed
		w.lose()
	case x.skipped:
		w.r.c.skipped.Add(1)
	default:
		if w.r.opts.Keeper != nil {
			x.orig = *x.a
		}
		if w.r.opts.Gate != nil {
			// The turn is taken when the batch is full, not while it fills.
			w.pending = append(w.pending, x)
			if len(w.pending) >= w.r.opts.BatchSize {
				w.handoff(false)
				w.timer.Reset(w.r.opts.BatchDelay)
			}
			return
		}
		if w.serial(x) {
			w.batch = append(w.batch, x)
			if len(w.batch) >= w.r.opts.BatchSize {
				w.handoff(false)
				w.timer.Reset(w.r.opts.BatchDelay)
			}
		}
	}
}

// enter enters the Gate, if there is one and it is not entered; a Gate
// that cannot be entered is a store failure: the run stops.
func (w *writer) enter() bool {
	g := w.r.opts.Gate
	if g == nil || w.inGate {
		return true
	}
	if err := g.Enter(w.ctx); err != nil {
		w.stop(fmt.Errorf("pipeline: taking turns with other writers: %w", err))
		return false
	}
	w.inGate = true
	return true
}

// takeTurn enters the Gate for the pending articles (or, at the end, for
// the Keeper's final state) and runs their serial stages; it reports
// whether there is a batch to hand over.
func (w *writer) takeTurn(final bool) bool {
	if len(w.pending) == 0 && (!final || w.r.opts.Keeper == nil) {
		return false
	}
	if !w.enter() {
		for range w.pending {
			w.lose()
		}
		w.pending = nil
		return false
	}
	for _, x := range w.pending {
		if w.serial(x) {
			w.batch = append(w.batch, x)
		}
	}
	w.pending = w.pending[:0]
	return true
}

// leave leaves the Gate once nothing decided under it is unstored.
func (w *writer) leave() {
	if !w.inGate || len(w.batch) > 0 || w.flight != nil {
		return
	}
	w.inGate = false
	w.r.opts.Gate.Leave()
}

// lose counts an item that was processed but not stored.
func (w *writer) lose() {
	w.lost++
	w.r.c.failed.Add(1)
}

func (w *writer) serial(x *done) bool {
	for _, st := range w.r.opts.Serial {
		if err := st(w.ctx, x.a); err != nil {
			w.r.fail(x.name, fmt.Errorf("pipeline: %s: %w", x.name, err))
			return false
		}
	}
	return true
}

func articles(batch []*done) []*article.Article {
	arts := make([]*article.Article, len(batch))
	for i, x := range batch {
		arts[i] = x.a
	}
	return arts
}

// handoff hands the batch to the storer once the previous one is stored;
// final marks the run's last batch, which is handed over even when empty
// if the Keeper has state to write.
func (w *writer) handoff(final bool) {
	if w.r.opts.Gate != nil {
		if !w.takeTurn(final) {
			return
		}
		// Others wait for the turn: store now, then hand it over.
		defer func() {
			w.settle()
			w.leave()
		}()
	}
	w.settle()
	if w.fatal != nil {
		return
	}
	keeper := w.r.opts.Keeper
	if len(w.batch) == 0 && (!final || keeper == nil) {
		return
	}
	f := &flight{batch: w.batch, final: final, done: make(chan struct{})}
	w.batch = make([]*done, 0, w.r.opts.BatchSize)
	var b store.Batch
	if keeper != nil {
		var err error
		if b, err = keeper.Snapshot(w.ctx, articles(f.batch), final); err != nil {
			f.err = fmt.Errorf("pipeline: %w", err)
			w.recover(f)
			return
		}
	}
	b.Entries = make([]store.Entry, len(f.batch))
	for i, x := range f.batch {
		b.Entries[i] = store.Entry{Article: x.a, Raw: x.raw, ContentType: x.ct}
	}
	if b.Empty() {
		return
	}
	go func() {
		defer close(f.done)
		f.res, f.err = w.r.opts.Store.PutBatch(w.ctx, b)
	}()
	w.flight = f
}

// settle waits for the batch being stored and counts it, or recovers from
// its failure.
func (w *writer) settle() {
	f := w.flight
	if f == nil {
		return
	}
	<-f.done
	w.flight = nil
	if f.err != nil {
		w.recover(f)
		return
	}
	w.r.count(f.batch, f.res)
	if k := w.r.opts.Keeper; k != nil {
		k.Committed(articles(f.batch))
	}
}

// recover stores the articles of a failed batch one at a time, so that one
// bad article does not sink the others. With a Keeper, the serial stages'
// state is first rolled back to the store's, and the serial stages run
// again on each article before it is stored, and then on the articles of
// the batch being filled, which had seen the failed ones. When no article
// can be stored at all, the store has failed for good: the run stops.
func (w *writer) recover(f *flight) {
	keeper := w.r.opts.Keeper
	var again []*done
	if keeper != nil {
		again, w.batch = w.batch, make([]*done, 0, w.r.opts.BatchSize)
		if err := keeper.Rollback(w.ctx); err != nil {
			w.stop(fmt.Errorf("pipeline: store failed: %w; reloading the serial stages' state: %w", f.err, err), f.batch, again)
			return
		}
	}
	stored := 0
	last := f.err
	for i, x := range f.batch {
		var b store.Batch
		if keeper != nil {
			*x.a = x.orig
			if !w.serial(x) {
				continue
			}
			var err error
			if b, err = keeper.Snapshot(w.ctx, []*article.Article{x.a}, f.final); err != nil {
				err = fmt.Errorf("pipeline: %w", err)
				w.r.fail(x.name, err)
				last = err
				if err := keeper.Rollback(w.ctx); err != nil {
					w.stop(fmt.Errorf("pipeline: reloading the serial stages' state: %w", err), f.batch[i+1:], again)
					return
				}
				continue
			}
		}
		b.Entries = []store.Entry{{Article: x.a, Raw: x.raw, ContentType: x.ct}}
		res, err := w.r.opts.Store.PutBatch(w.ctx, b)
		if err != nil {
			w.r.fail(x.name, err)
			last = err
			if keeper != nil {
				if err := keeper.Rollback(w.ctx); err != nil {
					w.stop(fmt.Errorf("pipeline: reloading the serial stages' state: %w", err), f.batch[i+1:], again)
					return
				}
			}
			continue
		}
		stored++
		w.r.count([]*done{x}, res)
		if keeper != nil {
			keeper.Committed([]*article.Article{x.a})
		}
	}
	if stored == 0 && len(f.batch) != 1 {
		// Several articles and none stored, or the final state alone.
		w.stop(fmt.Errorf("pipeline: store failed: %w", last), nil, again)
		return
	}
	for _, x := range again {
		*x.a = x.orig
		if w.serial(x) {
			w.batch = append(w.batch, x)
		}
	}
}

// stop ends storing for good: the items of batches given are counted as
// not stored, as are all that follow, and the run is cancelled.
func (w *writer) stop(err error, batches ...[]*done) {
	w.fatal = err
	w.cancel()
	for _, b := range append(batches, w.batch) {
		for range b {
			w.lose()
		}
	}
	w.batch = w.batch[:0]
	for range w.pending {
		w.lose()
	}
	w.pending = nil
	w.leave()
}

// count counts the results of storing batch (res[i] is batch[i]'s).
func (r *run) count(batch []*done, res []store.Result) {
	for i, x := range res {
		switch x {
		case store.Ingested:
			r.c.ingested.Add(1)
		case store.Unchanged:
			r.c.unchanged.Add(1)
		case store.Updated:
			r.c.updated.Add(1)
		}
		if (x == store.Ingested || x == store.Updated) && i < len(batch) && batch[i].fallback {
			r.c.fromFeed.Add(1)
		}
	}
	if r.prog != nil {
		r.prog.redraw()
	}
}
