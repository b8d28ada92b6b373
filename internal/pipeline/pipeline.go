// Package pipeline ingests raw inputs into a store:
//
//	source -> load -> process -> stages -> serial stages -> store
//
// A producer (normally source.Walk) yields items; a bounded pool of workers
// loads each item's bytes, turns them into an article with process.Article
// and runs the concurrent stages (e.g. enrichment); a single writer goroutine
// runs the serial stages (e.g. incremental dedup, which must see articles one
// at a time in order) and stores articles in batches, one transaction per
// batch, so a crash loses at most the batch in flight and never leaves a
// half-written article.
//
// A failure of one item (unreadable, malformed, too large, no article in it,
// a stage error) is logged with the item's name and counted; the others
// proceed. Only a store that cannot be written at all stops the run.
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
}

// Producer yields the items of a run. It calls onErr for inputs that fail
// before they become items (an unreadable directory, a malformed feed) and
// carries on; it returns early only when yield returns an error.
type Producer func(ctx context.Context, yield func(Item) error, onErr func(name string, err error)) error

// Stage transforms or annotates an article before it is stored. An error
// fails that article alone.
type Stage func(ctx context.Context, a *article.Article) error

// Options configure a Run.
type Options struct {
	Store store.Store // required
	// Jobs bounds concurrent loading and processing; 0 means runtime.NumCPU().
	Jobs int
	// Stages run concurrently in the workers, after processing.
	Stages []Stage
	// Serial stages run in the writer goroutine, one article at a time in
	// the order articles reach it, before the article's batch is stored.
	Serial []Stage
	// Process builds the article; nil means process.Article.
	Process func(process.Input) (*article.Article, error)
	// Format forces "html" or "text"; "" or "auto" detects.
	Format string
	// MaxBytes limits one input; 0 means process's default.
	MaxBytes int64
	// BatchSize is the number of articles stored per transaction (default 256).
	BatchSize int
	// BatchDelay is the longest an article waits for its batch to fill (default 250ms).
	BatchDelay time.Duration
	// Log receives one record per failure; nil discards.
	Log *slog.Logger
	// Progress, when set, receives a redrawn progress bar (for a terminal).
	Progress io.Writer
	// Width is the progress bar's line width; 0 means 80.
	Width int
}

// Summary counts the outcome of a Run.
type Summary struct {
	Items     int // items yielded
	Ingested  int
	Unchanged int
	Updated   int
	Failed    int // items and inputs that failed
	Elapsed   time.Duration
}

// Stored is the number of articles written new or as a new version.
func (s Summary) Stored() int { return s.Ingested + s.Updated }

// String is the final summary line.
func (s Summary) String() string {
	rate := ""
	if secs := s.Elapsed.Seconds(); secs > 0 {
		rate = fmt.Sprintf(", %.0f/s", float64(s.Ingested+s.Unchanged+s.Updated+s.Failed)/secs)
	}
	return fmt.Sprintf("ingested %d, unchanged %d, updated %d, failed %d (%s%s)",
		s.Ingested, s.Unchanged, s.Updated, s.Failed, s.Elapsed.Round(time.Millisecond), rate)
}

type done struct {
	name string
	a    *article.Article
	raw  []byte
	ct   string
}

type counters struct {
	items, ingested, unchanged, updated, failed atomic.Int64
	producing                                   atomic.Bool
}

// run holds one Run's state.
type run struct {
	opts Options
	c    counters
	prog *progress
}

// Run ingests every item of produce into opts.Store. The error is non-nil
// only when the run could not proceed (the store failed, or ctx was
// cancelled); the Summary counts what was done either way. On cancellation,
// articles already processed are still stored before Run returns.
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
	items := make(chan Item, 4*opts.Jobs+64)
	out := make(chan done, 2*opts.BatchSize)

	var prodErr error
	go func() {
		defer close(items)
		defer r.c.producing.Store(false)
		prodErr = produce(ctx, func(it Item) error {
			select {
			case items <- it:
				r.c.items.Add(1)
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}, r.fail)
	}()

	var wg sync.WaitGroup
	for range opts.Jobs {
		wg.Go(func() {
			for it := range items {
				if ctx.Err() != nil {
					continue // drain without working
				}
				if d, ok := r.work(ctx, it); ok {
					out <- d
				}
			}
		})
	}
	go func() { wg.Wait(); close(out) }()

	storeErr := r.write(ctx, out, cancel)
	// Drain whatever the workers still send after a fatal store error.
	for range out {
	}
	s := Summary{
		Items:     int(r.c.items.Load()),
		Ingested:  int(r.c.ingested.Load()),
		Unchanged: int(r.c.unchanged.Load()),
		Updated:   int(r.c.updated.Load()),
		Failed:    int(r.c.failed.Load()),
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

// fail logs and counts a failed input.
func (r *run) fail(name string, err error) {
	r.c.failed.Add(1)
	if r.prog != nil {
		r.prog.clear()
		defer r.prog.redraw()
	}
	r.opts.Log.Error("ingest failed", "source", name, "err", err)
}

func (r *run) work(ctx context.Context, it Item) (done, bool) {
	if it.Load == nil {
		r.fail(it.Name, errors.New("pipeline: item has nothing to load"))
		return done{}, false
	}
	p, err := it.Load(ctx)
	if err != nil {
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
	for _, st := range r.opts.Stages {
		if err := st(ctx, a); err != nil {
			r.fail(it.Name, fmt.Errorf("pipeline: %s: %w", it.Name, err))
			return done{}, false
		}
	}
	return done{name: it.Name, a: a, raw: p.Raw, ct: p.ContentType}, true
}

// write is the single writer: it runs the serial stages and stores batches.
// Storing runs in a goroutine of its own, one batch at a time, so that the
// serial stages of the next batch overlap with the commit of the last.
func (r *run) write(ctx context.Context, out <-chan done, cancel context.CancelFunc) error {
	// Storing must finish even when the run is being cancelled, so that
	// processed articles are not lost.
	sctx := context.WithoutCancel(ctx)
	batches := make(chan []done)
	stored := make(chan error, 1)
	go func() {
		var err error
		for b := range batches {
			if err == nil {
				if err = r.flush(sctx, b); err != nil {
					cancel()
				}
			}
		}
		stored <- err
	}()
	finish := func() error {
		close(batches)
		return <-stored
	}
	batch := make([]done, 0, r.opts.BatchSize)
	timer := time.NewTimer(r.opts.BatchDelay)
	defer timer.Stop()
	send := func() {
		if len(batch) > 0 {
			// The storer gets its own copy of each record: serial stages
			// may still relabel an article (a dup group merged) while the
			// batch holding it is being written.
			for i := range batch {
				cp := *batch[i].a
				batch[i].a = &cp
			}
			batches <- batch
			batch = make([]done, 0, r.opts.BatchSize)
		}
	}
	for {
		select {
		case d, ok := <-out:
			if !ok {
				send()
				return finish()
			}
			if !r.serial(ctx, &d) {
				continue
			}
			batch = append(batch, d)
			if len(batch) >= r.opts.BatchSize {
				send()
				timer.Reset(r.opts.BatchDelay)
			}
		case <-timer.C:
			send()
			timer.Reset(r.opts.BatchDelay)
		}
	}
}

func (r *run) serial(ctx context.Context, d *done) bool {
	for _, st := range r.opts.Serial {
		if err := st(ctx, d.a); err != nil {
			r.fail(d.name, fmt.Errorf("pipeline: %s: %w", d.name, err))
			return false
		}
	}
	return true
}

// flush stores a batch. When the batch as a whole fails, each entry is
// retried alone so that one bad article does not sink the others; the
// error returned is fatal (nothing could be stored).
func (r *run) flush(ctx context.Context, batch []done) error {
	entries := make([]store.Entry, len(batch))
	for i, d := range batch {
		entries[i] = store.Entry{Article: d.a, Raw: d.raw, ContentType: d.ct}
	}
	res, err := r.opts.Store.Put(ctx, entries)
	if err == nil {
		r.count(res)
		return nil
	}
	if len(batch) == 1 {
		r.fail(batch[0].name, err)
		return nil
	}
	stored := 0
	var last error
	for i, e := range entries {
		res, err := r.opts.Store.Put(ctx, []store.Entry{e})
		if err != nil {
			r.fail(batch[i].name, err)
			last = err
			continue
		}
		stored++
		r.count(res)
	}
	if stored == 0 {
		return fmt.Errorf("pipeline: store failed: %w", last)
	}
	return nil
}

func (r *run) count(res []store.Result) {
	for _, x := range res {
		switch x {
		case store.Ingested:
			r.c.ingested.Add(1)
		case store.Unchanged:
			r.c.unchanged.Add(1)
		case store.Updated:
			r.c.updated.Add(1)
		}
	}
	if r.prog != nil {
		r.prog.redraw()
	}
}
