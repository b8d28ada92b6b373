package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/follow"
	"github.com/newsdesk/newsdesk/internal/server"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/web"
)

func init() {
	Register(&Command{
		Name:    "serve",
		Summary: "serve the JSON API, the web pages, health checks and metrics over HTTP",
		Run:     runServe,
	})
}

// serveHooks lets tests see the bound address (the server listens on
// --addr, which may ask for port 0).
var serveHooks struct {
	listening func(addr net.Addr)
}

func runServe(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "serve", "[flags]\n\nServes /api/v1 (the JSON API; /api/v1/openapi.json describes it), the web pages at /,\n/healthz, /readyz and /metrics (Prometheus). SIGINT or SIGTERM stops it gracefully.")
	db := dbFlag(fs, env)
	addr := fs.String("addr", EnvDefault(env, "NEWSDESK_ADDR", server.DefaultAddr), "listen `address` host:port (env NEWSDESK_ADDR); an address that is not loopback needs --token")
	token := fs.String("token", env.Getenv("NEWSDESK_TOKEN"), "API `token` that write requests must send as 'Authorization: Bearer TOKEN' (env NEWSDESK_TOKEN)")
	shutdown := fs.Duration("shutdown-timeout", envDuration(env, "NEWSDESK_SHUTDOWN_TIMEOUT", server.DefaultShutdownTimeout), "how long requests in flight may finish after SIGINT/SIGTERM")
	ua := fs.String("user-agent", EnvDefault(env, "NEWSDESK_USER_AGENT", fetch.DefaultUserAgent()), "User-Agent for fetching submitted URLs and followed feeds (env NEWSDESK_USER_AGENT)")
	maxBytes := fs.Int64("max-bytes", envInt64(env, "NEWSDESK_MAX_BYTES", defaultMaxBytes), "largest accepted input in `bytes` (env NEWSDESK_MAX_BYTES)")
	timeout := fs.Duration("timeout", envDuration(env, "NEWSDESK_TIMEOUT", fetch.DefaultTimeout), "timeout of one fetch (env NEWSDESK_TIMEOUT)")
	offline := fs.Bool("offline", false, "no network: submitted URLs are refused (pages can still be submitted as html) and feeds are not polled")
	noPoll := fs.Bool("no-poll", false, "do not poll the followed feeds (newsdesk feeds)")
	logFormat := fs.String("log-format", "text", "access and error log on stderr as `text` or json (slog)")
	quiet := fs.Bool("quiet", false, "no access log (errors are still logged)")
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	if !noArgs(env, "serve", pos) {
		return ExitUsage
	}
	level := slog.LevelInfo
	if *quiet {
		level = slog.LevelWarn
	}
	hopts := &slog.HandlerOptions{Level: level}
	var log *slog.Logger
	switch *logFormat {
	case "text":
		log = slog.New(slog.NewTextHandler(env.Stderr, hopts))
	case "json":
		log = slog.New(slog.NewJSONHandler(env.Stderr, hopts))
	default:
		fmt.Fprintf(env.Stderr, "newsdesk serve: --log-format %q: want text or json\n", *logFormat)
		return ExitUsage
	}
	if err := server.CheckAddr(*addr, *token); err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk serve: %v\n", err)
		return ExitUsage
	}

	st, err := openStore(ctx, env, *db, true)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk serve: %v\n", err)
		return ExitPartial
	}
	// The store is closed last, after every request has finished.
	if _, ok := store.AsNewsroom(st); !ok {
		fmt.Fprintf(env.Stderr, "newsdesk serve: %s: this store cannot be browsed (no store.Newsroom)\n", *db)
		return closeStore(env, "serve", st, ExitPartial)
	}
	if store.IsReadOnly(st) {
		log.Warn("the database is read-only: submissions and feed changes will be refused", "db", *db)
	}
	metrics := server.NewMetrics()
	// One Ingester for every writer of this process (submissions, and the
	// feed poller when it runs here): it serializes the copy and story
	// stages.
	ing := &api.Ingester{Store: st, MaxBytes: *maxBytes, Log: log}
	aopts := api.Options{Store: st, Token: *token, Log: log,
		Ingester:  ing,
		OnStored:  func(r string) { metrics.Ingested.WithLabelValues(r).Inc() },
		OnFailure: func(k string) { metrics.Failures.WithLabelValues(k).Inc() },
	}
	if !*offline {
		fopts := fetch.DefaultOptions()
		fopts.UserAgent, fopts.Timeout, fopts.MaxBytes, fopts.Log = *ua, *timeout, *maxBytes, log
		// One client for submissions and feed polls, so that they share
		// the per-host spacing; the poller's conditional requests pass
		// through its transport.
		aopts.Fetcher = fetch.New(follow.FetchOptions(fopts))
	}
	// Requests being served: a feed poll yields the CPU to them.
	var serving atomic.Int64
	counted := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			serving.Add(1)
			defer serving.Add(-1)
			h.ServeHTTP(w, r)
		})
	}
	var poller *follow.Poller
	if aopts.Fetcher != nil && !*noPoll && !store.IsReadOnly(st) {
		poller, err = follow.New(follow.Options{Store: st, Ingester: ing, Fetcher: aopts.Fetcher, Log: log,
			Pace:      follow.Yield(func() bool { return serving.Load() > 0 }, pollYieldMax),
			OnPoll:    func(o string) { metrics.Polls.WithLabelValues(o).Inc() },
			OnItems:   func(r string, n int) { metrics.PollItems.WithLabelValues(r).Add(float64(n)) },
			OnStored:  func(r string, n int) { metrics.Ingested.WithLabelValues(r).Add(float64(n)) },
			OnFailure: func(string, error) { metrics.Failures.WithLabelValues("poll").Inc() },
		})
		if err != nil {
			fmt.Fprintf(env.Stderr, "newsdesk serve: %v\n", err)
			return closeStore(env, "serve", st, ExitPartial)
		}
	}
	apiHandler, err := api.New(aopts)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk serve: %v\n", err)
		return closeStore(env, "serve", st, ExitPartial)
	}
	srv, err := server.New(server.Config{Addr: *addr, Token: *token, Store: st, API: counted(apiHandler),
		Web: counted(web.New(st, web.Options{Log: log})), Metrics: metrics, Log: log, ShutdownTimeout: *shutdown})
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk serve: %v\n", err)
		return closeStore(env, "serve", st, ExitUsage)
	}
	// The poller starts once the server listens, and stops (its polls in
	// flight cancelled: what they stored stays, the rest is fetched again
	// at the next start) before the store closes.
	pollCtx, stopPolls := context.WithCancel(ctx)
	var polls sync.WaitGroup
	err = srv.ListenAndServe(ctx, func(a net.Addr) {
		fmt.Fprintf(env.Stderr, "newsdesk serve: listening on http://%s/ (API: http://%s%s/openapi.json)\n", a, a, api.Prefix)
		if poller != nil {
			polls.Go(func() { poller.Run(pollCtx) })
		}
		if !store.IsReadOnly(st) {
			polls.Go(func() { maintainEvery(pollCtx, log, st, indexMaintenanceEvery) })
		}
		if serveHooks.listening != nil {
			serveHooks.listening(a)
		}
	})
	stopPolls()
	polls.Wait()
	code = ExitOK
	// The requests and polls are done: nothing else writes through ing.
	if cerr := ing.Close(context.WithoutCancel(ctx)); cerr != nil && !store.IsReadOnly(st) {
		log.Error("saving the story statistics", "err", cerr)
		code = ExitPartial
	}
	if err != nil && err != http.ErrServerClosed {
		fmt.Fprintf(env.Stderr, "newsdesk serve: %v\n", err)
		code = ExitPartial
	} else {
		fmt.Fprintln(env.Stderr, "newsdesk serve: stopped")
	}
	return closeStore(env, "serve", st, code)
}

// pollYieldMax caps a feed poll's wait after each chunk while requests are
// being served (see follow.Yield): the wait is as long as the chunk took.
const pollYieldMax = 2 * time.Second

// indexMaintenanceEvery is how often the server checks whether the search
// index wants merging (see store.IndexMaintainer): submissions, polls and
// other processes' ingests add to it.
const indexMaintenanceEvery = 10 * time.Minute

// maintainEvery runs the store's index maintenance every period until ctx
// ends.
func maintainEvery(ctx context.Context, log *slog.Logger, st store.Store, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		start := time.Now()
		merged, err := store.MaintainIndex(ctx, st)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("merging the search index", "err", err)
		case merged:
			log.Info("merged the search index", "took", time.Since(start).Round(time.Millisecond))
		}
	}
}
