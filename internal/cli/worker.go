package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/annotate"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/process"
	"github.com/newsdesk/newsdesk/internal/queue"
	"github.com/newsdesk/newsdesk/internal/store"
)

func init() {
	Register(&Command{
		Name:    "worker",
		Summary: "ingest the inputs queued by 'ingest --queue' from NATS JetStream",
		Run:     runWorker,
	})
}

// Worker defaults.
const (
	// defaultInFlight is four of the pipeline's batches: a worker acks a
	// batch only once it has committed, and at one batch in hand it idled
	// while each one did (174 articles/s against 446 at four).
	defaultInFlight = 1024
	// fetchBatch caps one fetch, so that a worker with room for many does
	// not take them all from its peers at once.
	fetchBatch = 64
	// fetchWait is the longest a fetch waits for work; it also bounds how
	// long a stop waits for the fetch in progress.
	fetchWait = time.Second
	// sameNameDelay is when an input already in this worker's hands under
	// the same name is offered again.
	sameNameDelay = time.Second
	// restartPause is the pause before a worker whose store failed starts
	// its pipeline again.
	restartPause = 5 * time.Second
)

// worker is one `newsdesk worker`: a queue consumer feeding the ingest
// pipeline.
type worker struct {
	env      *Env
	q        *queue.Queue
	cons     *queue.Consumer
	st       store.Store
	aopts    annotate.Options
	jobs     int
	inFlight int
	drain    bool
	quiet    bool
	held     *heldItems
}

func runWorker(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "worker", "[flags]\n\nIngests the inputs queued by 'newsdesk ingest --queue', acking each one once its\narticle is stored. Stops on SIGINT/SIGTERM after storing what it holds.")
	qurl := queueFlag(fs, env, "work queue `url` (nats://host:port)")
	db := dbFlag(fs, env)
	jobs := fs.Int("jobs", envInt(env, "NEWSDESK_JOBS", runtime.NumCPU()), "concurrent `jobs` (env NEWSDESK_JOBS)")
	fs.IntVar(jobs, "j", *jobs, "short for --jobs")
	inFlight := fs.Int("in-flight", envInt(env, "NEWSDESK_IN_FLIGHT", defaultInFlight), "most `items` this worker holds unacked (env NEWSDESK_IN_FLIGHT)")
	drain := fs.Bool("drain", false, "exit once the queue is empty instead of waiting for more work")
	quiet := fs.Bool("quiet", false, "no progress bar (the summary line is still printed)")
	var aopts annotate.Options
	fs.BoolVar(&aopts.NoEnrich, "no-enrich", false, "skip entity, quote and time extraction")
	fs.BoolVar(&aopts.NoStories, "no-stories", false, "skip story clustering (syndicated copies are still grouped)")
	ackWait := fs.Duration("ack-wait", envDuration(env, "NEWSDESK_QUEUE_ACK_WAIT", queue.DefaultAckWait), "redeliver an item whose worker went silent for this long (env NEWSDESK_QUEUE_ACK_WAIT)")
	maxDeliver := fs.Int("max-deliver", envInt(env, "NEWSDESK_QUEUE_MAX_DELIVER", queue.DefaultMaxDeliver), "`attempts` at an item before it becomes a dead letter (env NEWSDESK_QUEUE_MAX_DELIVER)")
	maxAckPending := fs.Int("max-ack-pending", envInt(env, "NEWSDESK_QUEUE_MAX_ACK_PENDING", queue.DefaultMaxAckPending), "most `items` delivered and unacked across all workers (env NEWSDESK_QUEUE_MAX_ACK_PENDING)")
	retryDelay := fs.Duration("retry-delay", envDuration(env, "NEWSDESK_QUEUE_RETRY_DELAY", queue.DefaultRetryDelay), "delay before retrying a transient failure, times the attempt (env NEWSDESK_QUEUE_RETRY_DELAY)")
	logs := addLogFlags(fs)
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	if !noArgs(env, "worker", pos) {
		return ExitUsage
	}
	if err := logs.apply(env); err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk worker: %v\n", err)
		return ExitUsage
	}
	switch {
	case *qurl == "":
		fmt.Fprintf(env.Stderr, "newsdesk worker: %v\n", errNoQueue)
		return ExitUsage
	case *jobs <= 0 || *inFlight <= 0:
		fmt.Fprintf(env.Stderr, "newsdesk worker: --jobs %d, --in-flight %d: want at least 1\n", *jobs, *inFlight)
		return ExitUsage
	}
	setMemoryLimit(env, defaultMaxBytes)

	st, err := openStore(ctx, env, *db, true)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk worker: %v\n", err)
		return ExitPartial
	}
	if store.IsReadOnly(st) {
		st.Close()
		fmt.Fprintf(env.Stderr, "newsdesk worker: %s: %v\n", *db, store.ErrReadOnly)
		return ExitPartial
	}
	cfg := queueConfig(env, "worker", *qurl)
	cfg.AckWait, cfg.MaxDeliver, cfg.MaxAckPending, cfg.RetryDelay = *ackWait, *maxDeliver, *maxAckPending, *retryDelay
	q, err := queue.Open(ctx, cfg)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk worker: %v\n", err)
		return closeStore(env, "worker", st, ExitPartial)
	}
	cons, err := q.Consumer(ctx)
	if err != nil {
		q.Close()
		fmt.Fprintf(env.Stderr, "newsdesk worker: %v\n", err)
		return closeStore(env, "worker", st, ExitPartial)
	}
	w := &worker{env: env, q: q, cons: cons, st: st, aopts: aopts, jobs: *jobs, inFlight: *inFlight,
		drain: *drain, quiet: *quiet, held: newHeldItems()}
	env.Log.Info("worker started", "queue", *qurl, "db", *db, "jobs", *jobs, "in_flight", *inFlight)

	var total pipeline.Summary
	for {
		sum, err := runWorkerPipeline(ctx, w)
		total = addSummaries(total, sum)
		if err == nil || ctx.Err() != nil {
			break
		}
		// The store failed: the items in hand were given back. The
		// store may come back (a full disk freed, a lock released).
		fmt.Fprintf(env.Stderr, "newsdesk worker: %v; starting again in %s\n", err, restartPause)
		select {
		case <-time.After(restartPause):
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	code = ExitOK
	if err := q.Close(); err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk worker: %v\n", err)
		code = ExitPartial
	}
	stopped := ""
	if ctx.Err() != nil {
		stopped = "stopped: "
	}
	fmt.Fprintf(env.Stderr, "newsdesk worker: %s%s\n", stopped, total)
	return closeStore(env, "worker", st, code)
}

func addSummaries(a, b pipeline.Summary) pipeline.Summary {
	a.Items += b.Items
	a.Ingested += b.Ingested
	a.Unchanged += b.Unchanged
	a.Updated += b.Updated
	a.Failed += b.Failed
	a.Skipped += b.Skipped
	a.FromFeed += b.FromFeed
	a.Elapsed += b.Elapsed
	return a
}

// runWorkerPipeline runs the ingest pipeline on the queue's items until
// stop is cancelled (or, with --drain, the queue is empty): the same
// stages, Keeper and batching as ingest. Each item is acked only once the
// batch holding its article has committed (the Keeper's Committed); a
// failed item is retried or dead-lettered; whatever is still in hand when
// the run ends (not processed on a stop, or not stored because the store
// failed) is given back to the queue. stop ends fetching only: the items
// in hand are still processed and stored.
func runWorkerPipeline(stop context.Context, w *worker) (pipeline.Summary, error) {
	ctx := context.WithoutCancel(stop)
	an, err := annotate.New(ctx, w.st, w.aopts)
	if err != nil {
		return pipeline.Summary{}, err
	}
	opts := pipeline.Options{Store: w.st, Jobs: w.jobs, Log: w.env.Log, Process: w.process}
	opts.Stages, opts.Serial = an.Stages()
	opts.Keeper = ackingKeeper{Keeper: an, w: w}
	// Workers decide copies and stories in turn (the store's serial lock),
	// each reloading what the others stored before its turn.
	opts.Gate = an.Gate()
	opts.OnFail = w.failed
	opts.OnNote = func(name string, note error) { reportWarning(w.env, "worker", name, note) }
	if width, tty := stderrTTY(w.env.Stderr); tty && !w.quiet {
		opts.Progress, opts.Width = w.env.Stderr, width-1
	}
	beat, beating := context.WithCancel(ctx)
	go w.heartbeat(beat)
	sum, err := pipeline.Run(ctx, opts, w.produce(stop))
	beating()
	for _, d := range w.held.takeAll() {
		if rerr := d.Release(0); rerr != nil {
			w.env.Log.Warn("worker: giving an item back failed; it returns after the ack wait", "source", d.Name(), "err", rerr)
		}
	}
	return sum, err
}

// produce yields the queue's items to the pipeline, keeping at most
// inFlight in hand.
func (w *worker) produce(stop context.Context) pipeline.Producer {
	return func(ctx context.Context, yield func(pipeline.Item) error, _ func(string, error)) error {
		down := false // the server is away: say so once
		for stop.Err() == nil && ctx.Err() == nil {
			room := w.inFlight - w.held.len()
			if room <= 0 {
				w.held.waitRoom(stop, fetchWait)
				continue
			}
			ds, err := w.cons.Fetch(min(room, fetchBatch), fetchWait)
			for _, d := range ds {
				if err := w.take(ctx, d, yield); err != nil {
					return err
				}
			}
			if err != nil {
				if !down {
					w.env.Log.Warn("worker: queue unavailable, retrying", "err", err)
					down = true
				}
				select {
				case <-time.After(fetchWait):
				case <-stop.Done():
				}
				continue
			}
			if down {
				w.env.Log.Info("worker: queue available again")
				down = false
			}
			if len(ds) == 0 && w.drain && w.held.len() == 0 {
				if n, err := w.q.Waiting(ctx); err == nil && n == 0 {
					return nil
				}
			}
		}
		return nil
	}
}

// take yields one delivery to the pipeline, or settles at once one that
// cannot be processed.
func (w *worker) take(ctx context.Context, d *queue.Delivery, yield func(pipeline.Item) error) error {
	switch {
	case d.Err != nil:
		w.settleFailed(d, d.Err)
		return nil
	case d.Exhausted():
		w.settleFailed(d, queue.Permanent(fmt.Errorf("queue: %s: delivered %d times without an outcome (its workers stopped or timed out on it)", d.Name(), d.Attempt)))
		return nil
	case !w.held.add(d):
		// The same input is in hand already (queued again after the
		// duplicate window): one at a time, so it stores as unchanged.
		if err := d.Release(sameNameDelay); err != nil {
			w.env.Log.Warn("worker: giving an item back failed", "source", d.Name(), "err", err)
		}
		return nil
	}
	it := d.Item
	err := yield(pipeline.Item{Name: it.Name, URL: it.URL, Date: it.Date, Load: func(ctx context.Context) (pipeline.Payload, error) {
		raw, err := d.Raw(ctx)
		if err != nil {
			return pipeline.Payload{}, err
		}
		p := pipeline.Payload{Raw: raw, ContentType: it.ContentType, URL: it.FinalURL, Fetched: it.Fetched, Fallback: it.Fallback}
		if it.Note != "" {
			p.Note = fmt.Errorf("the page failed, so the feed's own text was stored: %s", it.Note)
		}
		return p, nil
	}})
	if err != nil {
		w.held.takeName(it.Name)
		d.Release(0)
	}
	return err
}

// process builds the article of an item with the format options it was
// queued with. Its failures are the input's own (not a page, binary, too
// large), which no retry cures.
func (w *worker) process(in process.Input) (*article.Article, error) {
	d := w.held.get(in.Name)
	if d != nil {
		if d.Item.Format != "" {
			in.Format = d.Item.Format
		}
		in.MaxBytes = d.Item.MaxBytes
	}
	a, err := process.Article(in)
	if err != nil {
		return nil, queue.Permanent(err)
	}
	if a == nil || d == nil {
		return a, nil
	}
	// The dates as ingest sets them: the source's date, unless it is the
	// capture's; then the run's --published.
	it := d.Item
	if a.Published.IsZero() && !it.Date.IsZero() && (in.Fetched.IsZero() || it.Date.Before(in.Fetched)) {
		a.Published = it.Date.UTC()
	}
	if a.Published.IsZero() && !it.Published.IsZero() {
		a.Published = it.Published.UTC()
	}
	w.held.bind(in.Name, a)
	return a, nil
}

// failed is the pipeline's OnFail: the item is tried again or becomes a
// dead letter.
func (w *worker) failed(name string, err error) {
	d := w.held.takeName(name)
	if d == nil {
		reportFailure(w.env, "worker", name, err)
		return
	}
	w.settleFailed(d, err)
}

func (w *worker) settleFailed(d *queue.Delivery, cause error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dead, err := d.Fail(ctx, cause)
	maxDeliver := w.q.Config().MaxDeliver
	switch {
	case err != nil:
		reportFailure(w.env, "worker", d.Name(), fmt.Errorf("%w (attempt %d of %d; settling it failed, so it returns after the ack wait: %v)", cause, d.Attempt, maxDeliver, err))
	case dead:
		reportFailure(w.env, "worker", d.Name(), fmt.Errorf("%w (attempt %d of %d; now a dead letter)", cause, d.Attempt, maxDeliver))
	default:
		reportFailure(w.env, "worker", d.Name(), fmt.Errorf("%w (attempt %d of %d; trying again in %s)", cause, d.Attempt, maxDeliver, d.RetryDelay()))
	}
}

// heartbeat tells JetStream that the items in hand are still being worked
// on, so that a long queue inside the worker does not outlast AckWait.
func (w *worker) heartbeat(ctx context.Context) {
	t := time.NewTicker(w.q.Config().AckWait / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for _, d := range w.held.all() {
				d.InProgress() // a lost signal only risks a redelivery, stored as unchanged
			}
		}
	}
}

// ackingKeeper is the annotator as the pipeline's Keeper, acking the
// items of each batch once it has committed.
type ackingKeeper struct {
	pipeline.Keeper
	w *worker
}

func (k ackingKeeper) Committed(batch []*article.Article) {
	k.Keeper.Committed(batch)
	// Each ack waits for the broker's confirmation; they go out together
	// so that a batch costs one round trip, not one per item.
	var wg sync.WaitGroup
	for _, a := range batch {
		d := k.w.held.takeArticle(a)
		if d == nil {
			continue
		}
		wg.Go(func() {
			if err := d.Ack(); err != nil {
				// Stored all the same: the redelivery stores as unchanged.
				k.w.env.Log.Warn("worker: ack failed", "source", d.Name(), "err", err)
			}
		})
	}
	wg.Wait()
}

// heldItems are the deliveries a worker has and has not settled, by input
// name (unique in hand) and, once processed, by article.
type heldItems struct {
	mu        sync.Mutex
	byName    map[string]*heldItem
	byArticle map[*article.Article]*heldItem
	room      chan struct{} // a token when an item is settled
}

type heldItem struct {
	d *queue.Delivery
	a *article.Article // once processed
}

func newHeldItems() *heldItems {
	return &heldItems{byName: map[string]*heldItem{}, byArticle: map[*article.Article]*heldItem{}, room: make(chan struct{}, 1)}
}

func (h *heldItems) len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.byName)
}

// add takes d in hand, unless an item of the same name is.
func (h *heldItems) add(d *queue.Delivery) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, dup := h.byName[d.Item.Name]; dup {
		return false
	}
	h.byName[d.Item.Name] = &heldItem{d: d}
	return true
}

func (h *heldItems) get(name string) *queue.Delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	if x := h.byName[name]; x != nil {
		return x.d
	}
	return nil
}

func (h *heldItems) bind(name string, a *article.Article) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if x := h.byName[name]; x != nil {
		x.a = a
		h.byArticle[a] = x
	}
}

// remove forgets x; h.mu is held.
func (h *heldItems) remove(x *heldItem) *queue.Delivery {
	delete(h.byName, x.d.Item.Name)
	if x.a != nil {
		delete(h.byArticle, x.a)
	}
	select { // room for one more
	case h.room <- struct{}{}:
	default:
	}
	return x.d
}

// takeName removes and returns the item of that name.
func (h *heldItems) takeName(name string) *queue.Delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	if x := h.byName[name]; x != nil {
		return h.remove(x)
	}
	return nil
}

// takeArticle removes and returns the item whose article a is.
func (h *heldItems) takeArticle(a *article.Article) *queue.Delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	if x := h.byArticle[a]; x != nil {
		return h.remove(x)
	}
	return nil
}

// takeAll removes and returns every item in hand.
func (h *heldItems) takeAll() []*queue.Delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	ds := make([]*queue.Delivery, 0, len(h.byName))
	for _, x := range h.byName {
		ds = append(ds, h.remove(x))
	}
	return ds
}

func (h *heldItems) all() []*queue.Delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	ds := make([]*queue.Delivery, 0, len(h.byName))
	for _, x := range h.byName {
		ds = append(ds, x.d)
	}
	return ds
}

// waitRoom waits until an item is settled, stop is cancelled or d passes.
func (h *heldItems) waitRoom(stop context.Context, d time.Duration) {
	select {
	case <-h.room:
	case <-stop.Done():
	case <-time.After(d):
	}
}

// errNoQueue is the usage error of a queue command without a queue.
var errNoQueue = errors.New("no queue: give --queue nats://host:port or set NEWSDESK_QUEUE")
