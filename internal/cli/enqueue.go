package cli

import (
	"context"
	"flag"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/queue"
	"github.com/newsdesk/newsdesk/internal/source"
)

// queueFlag adds --queue, defaulting to $NEWSDESK_QUEUE.
func queueFlag(fs *flag.FlagSet, env *Env, usage string) *string {
	return fs.String("queue", env.Getenv("NEWSDESK_QUEUE"), usage+" (env NEWSDESK_QUEUE)")
}

// queueConfig is the queue configuration of a command: the defaults, with
// the command's name on its connection and its log for connection events.
func queueConfig(env *Env, cmd, url string) queue.Config {
	return queue.Config{URL: url, ClientName: "newsdesk " + cmd, Log: env.Log}
}

// runEnqueue is ingest --queue: it expands the sources as ingest does,
// loads each input (reading or fetching it) and publishes it as a work
// item for the workers, with the run's format options. It prints what it
// queued and exits non-zero when an input failed.
func runEnqueue(ctx context.Context, env *Env, url string, specs []string, sopts source.Options, jobs int, format queue.Item) int {
	start := time.Now()
	q, err := queue.Open(ctx, queueConfig(env, "ingest", url))
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk ingest: %v\n", err)
		return ExitPartial
	}
	var (
		published, duplicates, objects, failed atomic.Int64
		mu                                     sync.Mutex // one report line at a time
	)
	fail := func(name string, err error) {
		failed.Add(1)
		mu.Lock()
		defer mu.Unlock()
		reportFailure(env, "ingest", name, err)
	}
	items := make(chan source.Item)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for it := range items {
				if ctx.Err() != nil {
					continue
				}
				p, err := it.Load(ctx)
				if err != nil {
					if ctx.Err() == nil {
						fail(it.Name, err)
					}
					continue
				}
				wi := format
				wi.Name, wi.URL, wi.Date = it.Name, it.URL, it.Date
				wi.ContentType, wi.FinalURL, wi.Fetched, wi.Fallback = p.ContentType, p.URL, p.Fetched, p.Fallback
				if p.FallbackErr != nil {
					wi.Note = describe("", p.FallbackErr)
				}
				res, err := q.Publish(ctx, wi, p.Raw)
				switch {
				case err != nil:
					fail(it.Name, err)
				case res.Duplicate:
					duplicates.Add(1)
				default:
					published.Add(1)
					if res.Object {
						objects.Add(1)
					}
				}
			}
		})
	}
	walkErr := source.Walk(ctx, specs, sopts, func(it source.Item) error {
		select {
		case items <- it:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}, fail)
	close(items)
	wg.Wait()
	closeErr := q.Close()

	summary := fmt.Sprintf("queued %d on %s (%d via the object store), %d already queued, failed %d (%s)",
		published.Load(), url, objects.Load(), duplicates.Load(), failed.Load(), time.Since(start).Round(time.Millisecond))
	if ctx.Err() != nil {
		fmt.Fprintf(env.Stderr, "newsdesk ingest: interrupted: %s, re-run to continue\n", summary)
		return ExitInterrupted
	}
	fmt.Fprintf(env.Stderr, "newsdesk ingest: %s\n", summary)
	code := ExitOK
	for _, err := range []error{walkErr, closeErr} {
		if err != nil {
			fmt.Fprintf(env.Stderr, "newsdesk ingest: %v\n", err)
			code = ExitPartial
		}
	}
	if failed.Load() > 0 {
		code = ExitPartial
	}
	return code
}
