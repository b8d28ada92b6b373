package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/annotate"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Ingester stores submitted inputs through the same code path as
// `newsdesk ingest`: a pipeline run of one item (process → enrich →
// copies and stories → store), with the copy and story state written in
// the article's transaction.
//
// Concurrency: the copy and story stages must see articles one at a time,
// so Submit holds a mutex for the whole run and concurrent requests are
// serialized (each sees the state the one before it stored). The state is
// loaded from the store once and kept (annotate.Options.Resident): before
// each run it is loaded again only when another process (an ingest
// sharing the database) wrote state since, so that process's writes count
// as they would for two ingests. Fetching a submitted URL happens before,
// out of the lock. The feed poller shares the server's Ingester to join
// the same queue. Close saves what is kept in memory only.
type Ingester struct {
	Store    store.Store
	Annotate annotate.Options
	MaxBytes int64        // one input; 0 means process's default (32 MiB)
	Log      *slog.Logger // nil discards
	// KeepFor is how long the copy and story state stays loaded after the
	// last run (0 means DefaultKeepFor): it is the server's largest use of
	// memory (about 40 KB a story), and loading it again takes seconds.
	KeepFor time.Duration

	mu    sync.Mutex
	an    *annotate.Annotator // loaded by the first run
	runs  int                 // runs started, to tell whether one came since
	timer *time.Timer         // drops an when it is idle
}

// DefaultKeepFor is Ingester.KeepFor's default.
const DefaultKeepFor = 10 * time.Minute

// Input is one document to ingest.
type Input struct {
	Name        string // what errors call it
	URL         string
	Raw         []byte
	ContentType string
	Format      string    // auto, html or text
	Fetched     time.Time // when fetched, when it was
	Published   time.Time // the date of an input that gives none
}

// Outcome is what Submit stored.
type Outcome struct {
	Article *article.Article // the stored record (with copy group and story)
	Result  store.Result
}

// ErrUnprocessable wraps the failure of an input that does not make an
// article (not a page, nothing in it, too large).
var ErrUnprocessable = errors.New("input cannot be processed")

// start begins a pipeline run, with in.mu held: the copy and story state
// loaded, or refreshed from the store (see Ingester), and the run's
// logger.
func (in *Ingester) start(ctx context.Context) (*annotate.Annotator, *slog.Logger, error) {
	log := in.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	in.runs++
	if in.timer != nil {
		in.timer.Stop()
	}
	if _, turns := in.Store.(store.SerialLocker); turns && in.an != nil {
		return in.an, log, nil // the run's turns (Gate) refresh the state
	}
	if in.an != nil {
		if err := in.an.Refresh(ctx); err != nil {
			in.an = nil // load it whole next time
			return nil, log, err
		}
		return in.an, log, nil
	}
	opts := in.Annotate
	opts.Resident = true
	an, err := annotate.New(ctx, in.Store, opts)
	if err != nil {
		return nil, log, err
	}
	in.an = an
	return an, log, nil
}

// idle arranges, at the end of a run, for the state to be saved and
// dropped KeepFor later, unless another run started by then. in.mu is
// held.
func (in *Ingester) idle() {
	keep := in.KeepFor
	if keep <= 0 {
		keep = DefaultKeepFor
	}
	n := in.runs
	in.timer = time.AfterFunc(keep, func() {
		in.mu.Lock()
		defer in.mu.Unlock()
		if in.runs != n || in.an == nil {
			return
		}
		if err := in.an.SaveStats(context.Background()); err != nil {
			if in.Log != nil {
				in.Log.Warn("saving the story statistics of an idle server", "err", err)
			}
			return // kept, and saved at Close
		}
		in.an = nil
		// The state is most of the heap: give its pages back now rather
		// than when the runtime gets round to it.
		debug.FreeOSMemory()
	})
}

// Close saves the state kept in memory only (the story clusterer's corpus
// statistics), after the runs in progress. The Ingester can still be used.
func (in *Ingester) Close(ctx context.Context) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.timer != nil {
		in.timer.Stop()
	}
	if in.an == nil {
		return nil
	}
	return in.an.SaveStats(ctx)
}

// Submit processes and stores one input. A failure of the input itself
// wraps ErrUnprocessable; a store failure is returned as it is. When ctx is
// cancelled (the server shutting down), the article is stored whole with
// its state, or not at all.
func (in *Ingester) Submit(ctx context.Context, inp Input) (Outcome, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	defer in.idle()
	an, log, err := in.start(ctx)
	if err != nil {
		return Outcome{}, err
	}
	var (
		id      string
		failure error
	)
	opts := pipeline.Options{Store: in.Store, Jobs: 1, Format: inp.Format, MaxBytes: in.MaxBytes, Published: inp.Published,
		Log: log, BatchSize: 1, BatchDelay: time.Millisecond}
	opts.Stages, opts.Serial = an.Stages()
	opts.Serial = append(opts.Serial, func(_ context.Context, a *article.Article) error {
		id = a.ID
		return nil
	})
	opts.Keeper, opts.Gate = an, an.Gate()
	opts.OnFail = func(_ string, err error) { failure = err }
	opts.OnNote = func(string, error) {}
	name := inp.Name
	if name == "" {
		name = "api"
	}
	produce := func(ctx context.Context, yield func(pipeline.Item) error, _ func(string, error)) error {
		return yield(pipeline.Item{Name: name, URL: inp.URL, Load: func(context.Context) (pipeline.Payload, error) {
			return pipeline.Payload{Raw: inp.Raw, ContentType: inp.ContentType, URL: inp.URL, Fetched: inp.Fetched}, nil
		}})
	}
	sum, err := pipeline.Run(ctx, opts, produce)
	if err != nil {
		return Outcome{}, err
	}
	if failure != nil {
		if errors.Is(failure, store.ErrReadOnly) || id != "" {
			return Outcome{}, failure // processed, but not stored
		}
		return Outcome{}, fmt.Errorf("%w: %w", ErrUnprocessable, failure)
	}
	if sum.Skipped > 0 || id == "" {
		if ctx.Err() != nil {
			return Outcome{}, ctx.Err()
		}
		return Outcome{}, errors.New("the input was not stored")
	}
	res := store.Unchanged
	switch {
	case sum.Ingested > 0:
		res = store.Ingested
	case sum.Updated > 0:
		res = store.Updated
	}
	a, err := in.Store.Get(ctx, id)
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Article: a, Result: res}, nil
}
