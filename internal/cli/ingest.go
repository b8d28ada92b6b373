package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"time"

	"golang.org/x/term"

	"github.com/newsdesk/newsdesk/internal/annotate"
	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/queue"
	"github.com/newsdesk/newsdesk/internal/source"
	"github.com/newsdesk/newsdesk/internal/store"
	_ "github.com/newsdesk/newsdesk/internal/store/postgres"
	_ "github.com/newsdesk/newsdesk/internal/store/sqlite" // the embedded store
)

func init() {
	Register(&Command{
		Name:    "ingest",
		Summary: "store articles from files, directories, URLs, feeds, sitemaps and WARCs",
		Run:     runIngest,
	})
}

// dbFlag adds --db, defaulting to $NEWSDESK_DB, else the per-user data file.
func dbFlag(fs *flag.FlagSet, env *Env) *string {
	return fs.String("db", EnvDefault(env, "NEWSDESK_DB", store.DefaultPath(env.Getenv)),
		"database `path` (env NEWSDESK_DB; default $XDG_DATA_HOME/newsdesk/newsdesk.db)")
}

// openReader opens an existing database for a reading command, reporting
// a failure as "newsdesk NAME: ..." on stderr.
func openReader(ctx context.Context, env *Env, name, dsn string) (store.Store, bool) {
	st, err := openStore(ctx, env, dsn, false)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk %s: %v\n", name, err)
		return nil, false
	}
	return st, true
}

// openStore opens the database; readers (create false) refuse to create a
// missing file, so a mistyped --db is reported rather than read as empty.
func openStore(ctx context.Context, env *Env, dsn string, create bool) (store.Store, error) {
	if !create {
		if _, err := os.Stat(dsn); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no database at %s (run 'newsdesk ingest' first, or set --db / NEWSDESK_DB)", dsn)
		}
	}
	return store.Open(ctx, dsn)
}

// stderrTTY returns the terminal width when env.Stderr is a terminal.
func stderrTTY(w io.Writer) (int, bool) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0, false
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width <= 0 {
		width = 80
	}
	return width, true
}

func envInt(env *Env, key string, def int) int {
	if v, err := strconv.Atoi(env.Getenv(key)); err == nil && v > 0 {
		return v
	}
	return def
}

func envDuration(env *Env, key string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(env.Getenv(key)); err == nil {
		return v
	}
	return def
}

func runIngest(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "ingest", "[flags] SOURCE...\n\nSOURCE is a file, a directory (recursive), - for stdin, an http(s) URL,\nor a feed, sitemap or WARC given as a file or URL.")
	db := dbFlag(fs, env)
	jobs := fs.Int("j", envInt(env, "NEWSDESK_JOBS", runtime.NumCPU()), "concurrent `jobs` (env NEWSDESK_JOBS)")
	urls := fs.String("urls", "", "read URLs, one per line, from `file` (- for stdin)")
	quiet := fs.Bool("quiet", false, "no progress bar (the summary line is still printed)")
	var aopts annotate.Options
	fs.BoolVar(&aopts.NoEnrich, "no-enrich", false, "skip entity, quote and time extraction")
	fs.BoolVar(&aopts.NoStories, "no-stories", false, "skip story clustering (syndicated copies are still grouped)")
	ua := fs.String("user-agent", EnvDefault(env, "NEWSDESK_USER_AGENT", fetch.DefaultUserAgent()), "User-Agent for fetching (env NEWSDESK_USER_AGENT)")
	published := fs.String("published", env.Getenv("NEWSDESK_PUBLISHED"), "publication `date` (2006-01-02 or RFC 3339) of articles whose input and source give none, so relative times resolve (env NEWSDESK_PUBLISHED)")
	maxBytes := fs.Int64("max-bytes", envInt64(env, "NEWSDESK_MAX_BYTES", defaultMaxBytes), "largest accepted input in `bytes` (env NEWSDESK_MAX_BYTES)")
	timeout := fs.Duration("timeout", envDuration(env, "NEWSDESK_TIMEOUT", fetch.DefaultTimeout), "timeout of one fetch (env NEWSDESK_TIMEOUT)")
	delay := fs.Duration("per-host-delay", envDuration(env, "NEWSDESK_PER_HOST_DELAY", fetch.DefaultPerHostInterval), "minimum spacing of requests to one host (env NEWSDESK_PER_HOST_DELAY)")
	retries := fs.Int("retries", fetch.DefaultRetries, "retries of a transient fetch failure (HTTP 429, 502-504 honouring Retry-After, a reset, a timeout); 0 for none")
	noRobots := fs.Bool("ignore-robots", false, "do not fetch or obey robots.txt")
	offline := fs.Bool("offline", false, "no network: URLs fail, feed items use the feed's own content")
	input := fs.String("input", "auto", inputUsage)
	alias(env, fs, "ingest", "format", "input", input)
	logs := addLogFlags(fs)
	queueURL := queueFlag(fs, env, "publish the inputs to the work queue at `url` (nats://host:port) for 'newsdesk worker' instead of storing them")
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	setMemoryLimit(env, *maxBytes)
	pub, err := parseDate(*published)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk ingest: --published: %v\n", err)
		return ExitUsage
	}
	if err := logs.apply(env); err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk ingest: %v\n", err)
		return ExitUsage
	}
	if len(pos) == 0 && *urls == "" {
		fmt.Fprintln(env.Stderr, "newsdesk ingest: no sources given")
		fs.Usage()
		return ExitUsage
	}
	if !validInput(*input) {
		fmt.Fprintf(env.Stderr, "newsdesk ingest: --input %q: want auto, html or text\n", *input)
		return ExitUsage
	}
	if *jobs <= 0 {
		fmt.Fprintf(env.Stderr, "newsdesk ingest: -j %d: want at least 1\n", *jobs)
		return ExitUsage
	}

	sopts := source.Options{URLsFile: *urls, Stdin: env.Stdin, MaxBytes: *maxBytes, Log: env.Log}
	if !*offline {
		fopts := fetch.DefaultOptions()
		fopts.UserAgent, fopts.Timeout, fopts.MaxBytes, fopts.PerHostInterval = *ua, *timeout, *maxBytes, *delay
		fopts.RespectRobots = !*noRobots
		fopts.Retries = *retries
		if *retries <= 0 {
			fopts.Retries = -1 // the fetch package's "none"
		}
		sopts.Fetcher = fetch.New(fopts)
	}
	if *queueURL != "" {
		return runEnqueue(ctx, env, *queueURL, pos, sopts, *jobs, queue.Item{Format: *input, MaxBytes: *maxBytes, Published: pub})
	}

	st, err := openStore(ctx, env, *db, true)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk ingest: %v\n", err)
		return ExitPartial
	}
	if store.IsReadOnly(st) {
		// One line, before any input is read: every write would fail.
		st.Close()
		fmt.Fprintf(env.Stderr, "newsdesk ingest: %s: %v\n", *db, store.ErrReadOnly)
		return ExitPartial
	}

	produce := func(ctx context.Context, yield func(pipeline.Item) error, onErr func(string, error)) error {
		return source.Walk(ctx, pos, sopts, func(it source.Item) error {
			return yield(pipeline.Item{Name: it.Name, URL: it.URL, Date: it.Date, Load: func(ctx context.Context) (pipeline.Payload, error) {
				p, err := it.Load(ctx)
				pp := pipeline.Payload{Raw: p.Raw, ContentType: p.ContentType, URL: p.URL, Fetched: p.Fetched, Fallback: p.Fallback}
				if p.FallbackErr != nil {
					pp.Note = fmt.Errorf("the page failed, so the feed's own text was stored: %s", describe("", p.FallbackErr))
				}
				return pp, err
			}})
		}, onErr)
	}
	code = runPipeline(ctx, env, "ingest", st, pipeline.Options{Jobs: *jobs, Format: *input, MaxBytes: *maxBytes, Published: pub}, aopts, *quiet, produce)
	maintainIndex(ctx, env, "ingest", st)
	return closeStore(env, "ingest", st, code)
}

// maintainIndex merges the store's search index when writes have split it
// up (see store.IndexMaintainer). What was stored is stored either way, so
// a failure is a warning and leaves the exit code alone; an interrupted
// run skips it.
func maintainIndex(ctx context.Context, env *Env, name string, st store.Store) {
	if ctx.Err() != nil {
		return
	}
	start := time.Now()
	merged, err := store.MaintainIndex(ctx, st)
	switch {
	case err != nil:
		env.Log.Warn(name+": merging the search index", "err", err)
	case merged:
		env.Log.Debug(name+": merged the search index", "took", time.Since(start).Round(time.Millisecond))
	}
}

// closeStore closes the database after a writing command: a failure (its
// last writes could not be flushed) is reported and makes the exit code
// non-zero.
func closeStore(env *Env, name string, st store.Store, code int) int {
	if err := st.Close(); err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk %s: closing the database: %v\n", name, err)
		if code == ExitOK {
			code = ExitPartial
		}
	}
	return code
}

// runPipeline runs a pipeline with the standard stages, progress and
// summary, and returns the exit code.
func runPipeline(ctx context.Context, env *Env, name string, st store.Store, opts pipeline.Options, aopts annotate.Options, quiet bool, produce pipeline.Producer) int {
	opts.Store = st
	opts.Log = env.Log
	opts.OnFail = func(source string, err error) { reportFailure(env, name, source, err) }
	opts.OnNote = func(source string, note error) { reportWarning(env, name, source, note) }
	an, err := annotate.New(ctx, st, aopts)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk %s: %v\n", name, err)
		return ExitPartial
	}
	opts.Stages, opts.Serial = an.Stages()
	// The copy and story state is written with the articles it describes,
	// deciding in turn with other processes writing the store.
	opts.Keeper, opts.Gate = an, an.Gate()
	if width, tty := stderrTTY(env.Stderr); tty && !quiet {
		opts.Progress, opts.Width = env.Stderr, width-1
	}
	sum, err := pipeline.Run(ctx, opts, produce)
	if err != nil && errors.Is(err, context.Canceled) && ctx.Err() != nil {
		// Interrupted (Ctrl-C): what was processed is stored; say so once.
		fmt.Fprintf(env.Stderr, "newsdesk %s: interrupted: %s, re-run to continue\n", name, interrupted(sum))
		return ExitInterrupted
	}
	fmt.Fprintf(env.Stderr, "newsdesk %s: %s\n", name, sum)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk %s: %v\n", name, err)
		return ExitPartial
	}
	if sum.Failed > 0 {
		return ExitPartial
	}
	return ExitOK
}

// interrupted says what an interrupted run did: "515 stored", with the
// unchanged and failed inputs when there were any.
func interrupted(sum pipeline.Summary) string {
	msg := fmt.Sprintf("%d stored", sum.Stored())
	if sum.Unchanged > 0 {
		msg += fmt.Sprintf(", %d unchanged", sum.Unchanged)
	}
	if sum.Failed > 0 {
		msg += fmt.Sprintf(", %d failed", sum.Failed)
	}
	return msg
}
