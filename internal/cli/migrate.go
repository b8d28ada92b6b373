package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdesk/newsdesk/internal/migrate"
	"github.com/newsdesk/newsdesk/internal/store"
)

func init() {
	Register(&Command{
		Name:    "migrate",
		Summary: "copy a database into another (an embedded one into PostgreSQL), everything kept; resumable",
		Run:     runMigrate,
	})
}

func runMigrate(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "migrate", "--from DB --to DB [flags]\n\nDB is a database file or a postgres://user:password@host:port/name URL.\nAn interrupted migration continues where it stopped when run again.")
	from := fs.String("from", EnvDefault(env, "NEWSDESK_DB", store.DefaultPath(env.Getenv)),
		"the database to copy, a `path` or URL (env NEWSDESK_DB; default $XDG_DATA_HOME/newsdesk/newsdesk.db)")
	to := fs.String("to", "", "the database to copy into, a `path` or URL (created when missing; it must be empty or hold an earlier migration from --from)")
	batch := fs.Int("batch", envInt(env, "NEWSDESK_MIGRATE_BATCH", migrate.DefaultBatchSize), "articles per transaction (env NEWSDESK_MIGRATE_BATCH)")
	jobs := fs.Int("j", migrate.DefaultWorkers, "articles read from --from at once")
	quiet := fs.Bool("quiet", false, "no progress bar (the summary is still printed)")
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	if !noArgs(env, "migrate", pos) {
		return ExitUsage
	}
	say := func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		fmt.Fprintf(env.Stderr, "newsdesk migrate: %s\n", scrubPasswords(msg, *from, *to))
	}
	fail := func(code int, format string, args ...any) int {
		say(format, args...)
		return code
	}
	switch {
	case *to == "":
		fs.Usage()
		return fail(ExitUsage, "--to is required: the database to copy into")
	case *batch <= 0:
		return fail(ExitUsage, "--batch %d: want at least 1", *batch)
	case *jobs <= 0:
		return fail(ExitUsage, "-j %d: want at least 1", *jobs)
	}
	fromName, toName := redactDSN(*from), redactDSN(*to)
	if sameDatabase(*from, *to) {
		return fail(ExitUsage, "--from and --to are the same database (%s)", fromName)
	}
	if path, ok := dsnFile(*from); ok {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return fail(ExitPartial, "--from %s: no database there", fromName)
		}
	}
	src, err := store.Open(ctx, *from)
	if err != nil {
		return fail(ExitPartial, "--from %s: %v", fromName, err)
	}
	defer src.Close()
	dst, err := store.Open(ctx, *to)
	if err != nil {
		return fail(ExitPartial, "--to %s: %v", toName, err)
	}
	if store.IsReadOnly(dst) {
		dst.Close()
		return fail(ExitPartial, "--to %s: %v", toName, store.ErrReadOnly)
	}

	opts := migrate.Options{Source: dsnIdentity(*from), BatchSize: *batch, Workers: *jobs}
	var bar *migrateProgress
	if width, tty := stderrTTY(env.Stderr); tty && !*quiet {
		bar = &migrateProgress{w: env.Stderr, width: width - 1, start: time.Now()}
		opts.Progress = bar.update
	}
	sum, err := migrate.Run(ctx, src, dst, opts)
	bar.clear()
	if cerr := dst.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("migrate: closing %s: %w", toName, cerr)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			done := 0
			if sum != nil {
				done = sum.Articles
			}
			return fail(ExitInterrupted, "interrupted: %d articles copied, re-run to continue", done)
		}
		if errors.Is(err, migrate.ErrNotEmpty) {
			return fail(ExitPartial, "--to %s: %s; migrate into an empty database", toName, strings.TrimPrefix(err.Error(), "migrate: "))
		}
		return fail(ExitPartial, "%s -> %s: %s", fromName, toName, strings.TrimPrefix(err.Error(), "migrate: "))
	}
	printMigrateSummary(env.Stderr, sum, fromName, toName)
	for _, p := range sum.Problems {
		say("not copied: %s", p)
	}
	for _, d := range sum.Differences {
		say("differs: %s", d)
	}
	if !sum.OK() {
		return fail(ExitPartial, "the target does not match the source (%d problems, %d counts differ)", len(sum.Problems), len(sum.Differences))
	}
	return ExitOK
}

func printMigrateSummary(w io.Writer, sum *migrate.Summary, fromName, toName string) {
	if sum.Skipped > 0 {
		fmt.Fprintf(w, "newsdesk migrate: resumed: skipped %s copied before\n", counted(sum.Skipped, "article", "articles"))
	}
	present := ""
	if sum.Present > 0 {
		present = fmt.Sprintf(", %d already in the target", sum.Present)
	}
	fmt.Fprintf(w, "newsdesk migrate: copied %s (%s, %s)%s, %s, %s, %s from %s to %s in %s, %.0f articles/s\n",
		counted(sum.Articles, "article", "articles"), counted(sum.Versions, "version", "versions"), counted(sum.RawInputs, "raw input", "raw inputs"), present,
		counted(sum.Stories, "story", "stories"), counted(sum.States, "state blob", "state blobs"), counted(sum.Feeds, "feed", "feeds"), fromName, toName,
		sum.Elapsed.Round(time.Millisecond), sum.Rate())
	if len(sum.Differences) == 0 {
		t := sum.Target
		fmt.Fprintf(w, "newsdesk migrate: both hold %d articles, %d versions, %d raw inputs, %d dup groups, %d stories\n",
			t.Articles, t.Versions, t.RawInputs, t.DupGroups, t.Stories)
	}
}

// counted says "1 story", "2 stories".
func counted(n int, one, many string) string { return fmt.Sprintf("%d %s", n, plural(n, one, many)) }

// migrateProgress draws a one-line progress bar on a terminal.
type migrateProgress struct {
	mu     sync.Mutex
	w      io.Writer
	width  int
	start  time.Time
	shown  bool
	last   time.Time
	closed bool
}

func (p *migrateProgress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.closed || now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	total = max(total, done)
	rate := float64(done) / max(now.Sub(p.start).Seconds(), 1e-3)
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(total-done)/rate) * time.Second).Round(time.Second).String()
	}
	text := fmt.Sprintf(" %d/%d articles  %.0f/s  ETA %s", done, total, rate, eta)
	line := strings.TrimSpace(text)
	if barW := p.width - len(text) - 2; barW >= 5 {
		filled := 0
		if total > 0 {
			filled = barW * done / total
		}
		line = "[" + strings.Repeat("#", filled) + strings.Repeat(".", barW-filled) + "]" + text
	}
	fmt.Fprint(p.w, "\r"+line+"\x1b[K")
	p.shown = true
}

// clear erases the bar; a nil bar does nothing.
func (p *migrateProgress) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// isPostgres reports whether dsn names a PostgreSQL database (store.Open's
// schemes for it).
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// dsnFile returns the file of an embedded database's name.
func dsnFile(dsn string) (string, bool) {
	if strings.Contains(dsn, "://") {
		return "", false
	}
	return strings.TrimPrefix(dsn, "sqlite:"), true
}

// redactDSN returns dsn fit to print: a URL without its password.
func redactDSN(dsn string) string {
	if !strings.Contains(dsn, "://") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		// Unparsable: keep the scheme and host part only.
		scheme, rest, _ := strings.Cut(dsn, "://")
		if i := strings.LastIndex(rest, "@"); i >= 0 {
			rest = rest[i+1:]
		}
		return scheme + "://" + rest
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// scrubPasswords removes the passwords of the DSNs from msg, wherever an
// error may have quoted them.
func scrubPasswords(msg string, dsns ...string) string {
	for _, dsn := range dsns {
		u, err := url.Parse(dsn)
		if err != nil || !strings.Contains(dsn, "://") {
			continue
		}
		pw, _ := u.User.Password()
		if q := u.Query().Get("password"); q != "" {
			msg = strings.ReplaceAll(msg, q, "xxxxx")
		}
		if pw != "" {
			msg = strings.ReplaceAll(msg, url.PathEscape(pw), "xxxxx")
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

// pgAddress returns the server and database a PostgreSQL DSN names,
// whoever connects.
func pgAddress(dsn string) (string, bool) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return "", false
	}
	return fmt.Sprintf("postgres://%s:%d/%s", cfg.Host, cfg.Port, cfg.Database), true
}

// dsnIdentity names a database the same way on every run, without secrets:
// the checkpoint of a migration from it is stored under this name.
func dsnIdentity(dsn string) string {
	if isPostgres(dsn) {
		if addr, ok := pgAddress(dsn); ok {
			return addr
		}
		return redactDSN(dsn)
	}
	path, ok := dsnFile(dsn)
	if !ok {
		return redactDSN(dsn)
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	return path
}

// sameDatabase reports whether two DSNs name one database: one file (by
// its identity on disk, when both exist), or one server's database.
func sameDatabase(a, b string) bool {
	pa, fa := dsnFile(a)
	pb, fb := dsnFile(b)
	if fa && fb {
		sa, errA := os.Stat(pa)
		sb, errB := os.Stat(pb)
		if errA == nil && errB == nil {
			return os.SameFile(sa, sb)
		}
		return dsnIdentity(a) == dsnIdentity(b)
	}
	if isPostgres(a) && isPostgres(b) {
		x, okA := pgAddress(a)
		y, okB := pgAddress(b)
		return okA && okB && x == y
	}
	return false
}
