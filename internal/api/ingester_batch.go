package api

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/pipeline"
)

// BatchResult is what SubmitItems did.
type BatchResult struct {
	Summary pipeline.Summary
	// Stored maps the name of each item that is in the store now (new,
	// updated or unchanged) to its article's id.
	Stored map[string]string
	// Failed maps the name of each item that failed to why.
	Failed map[string]error
}

// SubmitItems runs the ingest pipeline over several items in one run,
// holding the Ingester's mutex like Submit (so the copy and story stages
// see them one at a time, after or before any submission). Items should be
// loaded already (their Load returning bytes in memory): the lock is held
// while they load. Item names must be unique within a call.
//
// The error is pipeline.Run's: a store that failed, or ctx cancelled. On
// cancellation the items processed before it are stored and listed in
// Stored, as for a successful run; after a store failure Stored is not to
// be trusted.
func (in *Ingester) SubmitItems(ctx context.Context, items []pipeline.Item) (BatchResult, error) {
	res := BatchResult{Stored: map[string]string{}, Failed: map[string]error{}}
	if len(items) == 0 {
		return res, nil
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	defer in.idle()
	an, log, err := in.start(ctx)
	if err != nil {
		return res, err
	}
	// One worker: a feed poll is background work, and readers of the
	// server must keep the other cores (a poll of 1,000 items takes about
	// twice as long; reads stay responsive).
	opts := pipeline.Options{Store: in.Store, Jobs: 1, MaxBytes: in.MaxBytes,
		Log: log, BatchSize: 64, BatchDelay: 50 * time.Millisecond}
	opts.Stages, opts.Serial = an.Stages()
	opts.Serial = append(opts.Serial, func(_ context.Context, a *article.Article) error {
		// Runs in the writer goroutine, one article at a time.
		res.Stored[a.Input.Name] = a.ID
		return nil
	})
	opts.Keeper, opts.Gate = an, an.Gate()
	// OnFail and OnNote calls are serialized with each other; the serial
	// stages run in another goroutine, so Failed is only merged at the end.
	failed := map[string]error{}
	opts.OnFail = func(name string, err error) { failed[name] = err }
	opts.OnNote = func(name string, note error) {
		log.Info("feed item stored from the feed's own text", "item", name, "why", note)
	}
	produce := func(ctx context.Context, yield func(pipeline.Item) error, _ func(string, error)) error {
		for _, it := range items {
			if err := yield(it); err != nil {
				return err
			}
		}
		return nil
	}
	sum, err := pipeline.Run(ctx, opts, produce)
	res.Summary = sum
	for name, ferr := range failed {
		// A store failure comes after the serial stages: not stored.
		delete(res.Stored, name)
		res.Failed[name] = ferr
	}
	return res, err
}
