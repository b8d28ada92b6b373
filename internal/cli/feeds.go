package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

func init() {
	Register(&Command{
		Name:    "feeds",
		Summary: "follow feeds for 'newsdesk serve' to poll: feeds add URL, feeds list, feeds remove URL",
		Run:     runFeeds,
	})
}

// Feed poll intervals: the default of feeds add, and the shortest allowed.
const (
	defaultFeedEvery = 15 * time.Minute
	minFeedEvery     = time.Minute
)

func feedsUsage(w io.Writer) {
	fmt.Fprintln(w, `Usage: newsdesk feeds COMMAND [flags]

Commands:
  add URL [--every 15m]     follow a feed (RSS, Atom or JSON Feed); again to change its interval
  list [--format table]     the followed feeds and their polling status (--format jsonl: one JSON object a line)
  remove URL                stop following a feed (its stored articles stay)

'newsdesk serve' polls the followed feeds. Run 'newsdesk feeds COMMAND -h' for a command's flags.`)
}

func runFeeds(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 {
		feedsUsage(env.Stderr)
		return ExitUsage
	}
	switch args[0] {
	case "add":
		return runFeedsAdd(ctx, env, args[1:])
	case "list", "ls":
		return runFeedsList(ctx, env, args[1:])
	case "remove", "rm":
		return runFeedsRemove(ctx, env, args[1:])
	case "-h", "--help", "help":
		feedsUsage(env.Stderr)
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "newsdesk feeds: unknown command %q (want add, list or remove)\n\n", args[0])
	feedsUsage(env.Stderr)
	return ExitUsage
}

// feedURLArg reads the one URL argument of feeds add and feeds remove.
func feedURLArg(env *Env, cmd string, pos []string) (string, bool) {
	if len(pos) != 1 {
		if len(pos) == 0 {
			fmt.Fprintf(env.Stderr, "newsdesk feeds %s: missing the feed URL\n", cmd)
		} else {
			fmt.Fprintf(env.Stderr, "newsdesk feeds %s: one URL at a time (got %d arguments)\n", cmd, len(pos))
		}
		return "", false
	}
	u, err := store.NormalizeFeedURL(pos[0])
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk feeds %s: %v\n", cmd, err)
		return "", false
	}
	return u, true
}

// openNewsroom opens the database for a feeds command; create makes a
// missing one (feeds add). It reports failures itself.
func openNewsroom(ctx context.Context, env *Env, cmd, dsn string, create, write bool) (store.Store, store.Newsroom, bool) {
	st, err := openStore(ctx, env, dsn, create)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk feeds %s: %v\n", cmd, err)
		return nil, nil, false
	}
	nr, ok := store.AsNewsroom(st)
	if !ok {
		st.Close()
		fmt.Fprintf(env.Stderr, "newsdesk feeds %s: %s: this store cannot follow feeds\n", cmd, dsn)
		return nil, nil, false
	}
	if write && store.IsReadOnly(st) {
		st.Close()
		fmt.Fprintf(env.Stderr, "newsdesk feeds %s: %s: %v\n", cmd, dsn, store.ErrReadOnly)
		return nil, nil, false
	}
	return st, nr, true
}

func runFeedsAdd(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "feeds add", "URL [flags]")
	db := dbFlag(fs, env)
	def := defaultFeedEvery
	if v := env.Getenv("NEWSDESK_FEED_EVERY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < minFeedEvery {
			fmt.Fprintf(env.Stderr, "newsdesk feeds add: NEWSDESK_FEED_EVERY=%q: want a duration of 1m or more, such as 15m or 2h\n", v)
			return ExitUsage
		}
		def = d
	}
	every := fs.Duration("every", def, "poll `interval`, 1m or more (env NEWSDESK_FEED_EVERY)")
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	if *every < minFeedEvery {
		fmt.Fprintf(env.Stderr, "newsdesk feeds add: --every %v: the shortest poll interval is %v\n", *every, minFeedEvery)
		return ExitUsage
	}
	u, ok := feedURLArg(env, "add", pos)
	if !ok {
		return ExitUsage
	}
	st, nr, ok := openNewsroom(ctx, env, "add", *db, true, true)
	if !ok {
		return ExitPartial
	}
	defer st.Close()
	f, err := nr.Feed(ctx, u)
	verb := "following"
	switch {
	case err == nil:
		verb = "updated"
		if f.Every == *every {
			verb = "already following"
		}
	case errors.Is(err, store.ErrNotFound):
		f = store.Feed{URL: u, Added: time.Now().UTC()}
	default:
		fmt.Fprintf(env.Stderr, "newsdesk feeds add: %s: %v\n", u, err)
		return ExitPartial
	}
	f.Every = *every
	if verb != "already following" {
		// A shorter interval applies from now: the next poll is at most
		// one interval away. A new feed is polled when the server starts.
		if next := time.Now().UTC().Add(*every); f.NextPoll.After(next) {
			f.NextPoll = next
		}
		if err := nr.PutFeed(ctx, f); err != nil {
			fmt.Fprintf(env.Stderr, "newsdesk feeds add: %s: %v\n", u, err)
			return ExitPartial
		}
	}
	fmt.Fprintf(env.Stdout, "%s %s every %s\n", verb, u, shortDuration(*every))
	return ExitOK
}

func runFeedsRemove(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "feeds remove", "URL [flags]")
	db := dbFlag(fs, env)
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	u, ok := feedURLArg(env, "remove", pos)
	if !ok {
		return ExitUsage
	}
	st, nr, ok := openNewsroom(ctx, env, "remove", *db, false, true)
	if !ok {
		return ExitPartial
	}
	defer st.Close()
	if err := nr.DeleteFeed(ctx, u); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			fmt.Fprintf(env.Stderr, "newsdesk feeds remove: %s: not followed (see 'newsdesk feeds list')\n", u)
		} else {
			fmt.Fprintf(env.Stderr, "newsdesk feeds remove: %s: %v\n", u, err)
		}
		return ExitPartial
	}
	fmt.Fprintf(env.Stdout, "stopped following %s (its stored articles stay)\n", u)
	return ExitOK
}

func runFeedsList(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "feeds list", "[flags]")
	db := dbFlag(fs, env)
	format := fs.String("format", "table", "output `format`: table or jsonl")
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	if !noArgs(env, "feeds list", pos) {
		return ExitUsage
	}
	if *format != "table" && *format != "jsonl" {
		fmt.Fprintf(env.Stderr, "newsdesk feeds list: --format %q: want table or jsonl\n", *format)
		return ExitUsage
	}
	st, nr, ok := openNewsroom(ctx, env, "list", *db, false, false)
	if !ok {
		return ExitPartial
	}
	defer st.Close()
	feeds, err := nr.Feeds(ctx)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk feeds list: %v\n", err)
		return ExitPartial
	}
	if *format == "jsonl" {
		enc := json.NewEncoder(env.Stdout)
		for _, f := range feeds {
			if err := enc.Encode(f); err != nil {
				return ExitPartial
			}
		}
		return ExitOK
	}
	if len(feeds) == 0 {
		fmt.Fprintln(env.Stderr, "no feeds followed (add one with 'newsdesk feeds add URL')")
		return ExitOK
	}
	writeFeedTable(env.Stdout, feeds, time.Now())
	return ExitOK
}

func writeFeedTable(w io.Writer, feeds []store.Feed, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "URL\tEVERY\tLAST POLL\tSTATUS\tNEXT POLL\tFAILURES\tSEEN\tSTORED\tLAST ERROR")
	for _, f := range feeds {
		status := f.LastStatus
		if status == "" {
			status = "-"
		}
		lastErr := strings.Join(strings.Fields(f.LastError), " ")
		if r := []rune(lastErr); len(r) > 60 {
			lastErr = string(r[:59]) + "…"
		}
		if lastErr == "" {
			lastErr = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", f.URL, shortDuration(f.Every), when(f.LastPoll, now, "never"), status,
			when(f.NextPoll, now, "on start"), f.Failures, f.ItemsSeen, f.ItemsStored, lastErr)
	}
	tw.Flush()
}

// when shows a time in UTC to the minute, or zero when it is zero.
func when(t, now time.Time, zero string) string {
	if t.IsZero() {
		return zero
	}
	layout := "2006-01-02 15:04Z"
	if t.UTC().Year() == now.UTC().Year() {
		layout = "Jan 02 15:04Z"
	}
	return t.UTC().Format(layout)
}

// shortDuration prints 15m0s as 15m and 1h30m0s as 1h30m.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
