package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/query"
	"github.com/newsdesk/newsdesk/internal/store"
)

func init() {
	Register(&Command{
		Name:    "search",
		Summary: "full-text search of stored articles, ranked by relevance",
		Run:     runSearch,
	})
}

// filterFlags adds --source, --since, --until, --lang and --limit.
type filterFlags struct {
	source, since, until, lang *string
	limit                      *int
}

func addFilterFlags(fs *flag.FlagSet, defLimit int) *filterFlags {
	return &filterFlags{
		source: fs.String("source", "", "only articles from this source `name or domain`"),
		since:  fs.String("since", "", "only articles published at or after `date` (2006-01-02, RFC 3339, or an age like 36h, 7d)"),
		until:  fs.String("until", "", "only articles published before `date`"),
		lang:   fs.String("lang", "", "only articles in this language `code`, e.g. en"),
		limit:  fs.Int("limit", defLimit, "at most `n` results (0: no limit)"),
	}
}

func (f *filterFlags) filter(now time.Time) (store.Filter, error) {
	out := store.Filter{Source: *f.source, Lang: *f.lang, Limit: *f.limit}
	if *f.limit < 0 {
		return out, fmt.Errorf("--limit %d: want 0 or more", *f.limit)
	}
	var err error
	if out.Since, err = parseWhen(*f.since, now); err != nil {
		return out, fmt.Errorf("--since: %w", err)
	}
	if out.Until, err = parseWhen(*f.until, now); err != nil {
		return out, fmt.Errorf("--until: %w", err)
	}
	return out, nil
}

// parseDate is query.ParseDate of s without its surrounding spaces.
func parseDate(s string) (time.Time, error) { return query.ParseDate(strings.TrimSpace(s)) }

// parseWhen is query.ParseWhen of s without its surrounding spaces.
func parseWhen(s string, now time.Time) (time.Time, error) {
	return query.ParseWhen(strings.TrimSpace(s), now)
}

const (
	ansiBold  = "\x1b[1m"
	ansiReset = "\x1b[0m"
)

func runSearch(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "search", "[flags] QUERY\n\nQUERY: words (all must match, stemmed), \"exact phrases\", OR, AND, NOT or -word,\n(groups), prefix*, and fields title:, author:, source:, lang: (title:\"a phrase\",\nauthor:(a OR b)). Chinese, Japanese and Korean words are found inside longer\nruns. A query of only negations (-word, NOT word) lists every other article;\nput -- before a query that starts with -.\nResults are ranked by BM25, the title weighing most.")
	db := dbFlag(fs, env)
	ff := addFilterFlags(fs, store.DefaultSearchLimit)
	asJSON := fs.Bool("json", false, "print results as JSON Lines")
	allCopies := fs.Bool("all-copies", false, "list every syndicated copy instead of one hit per duplicate group")
	rankAll := fs.Bool("rank-all", false, "rank every match (slower for broad queries; by default a query matching\nmany articles ranks the most recently stored few hundred)")
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	qtext := strings.TrimSpace(strings.Join(pos, " "))
	if qtext == "" {
		fmt.Fprintln(env.Stderr, "newsdesk search: no query given")
		fs.Usage()
		return ExitUsage
	}
	// Parse before opening the database: a query that cannot be read is
	// a usage error, said in the query's own terms.
	if _, err := query.Parse(qtext); err != nil {
		printQueryError(env, err)
		return ExitUsage
	}
	f, err := ff.filter(time.Now())
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk search: %v\n", err)
		return ExitUsage
	}
	if f.Limit == 0 {
		f.Limit = 1 << 30
	}
	q := store.Query{Text: qtext, Filter: f, AllCopies: *allCopies, RankAll: *rankAll}
	_, tty := stdoutTTY(env)
	if tty && !*asJSON {
		q.MarkStart, q.MarkEnd = ansiBold, ansiReset
	}
	st, ok := openReader(ctx, env, "search", *db)
	if !ok {
		return ExitPartial
	}
	defer st.Close()
	hits, err := st.Search(ctx, q)
	if err != nil {
		if errors.Is(err, store.ErrQuerySyntax) {
			printQueryError(env, err)
			return ExitUsage
		}
		fmt.Fprintf(env.Stderr, "newsdesk search: %v\n", err)
		return ExitPartial
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		for _, h := range hits {
			if err := enc.Encode(h); err != nil {
				fmt.Fprintf(env.Stderr, "newsdesk search: %v\n", err)
				return ExitPartial
			}
		}
		return ExitOK
	}
	if len(hits) == 0 {
		fmt.Fprintf(env.Stderr, "newsdesk search: no articles match %q\n", qtext)
		return ExitOK
	}
	for i, h := range hits {
		title := h.Title
		if title == "" {
			title = "(untitled)"
		}
		if tty {
			title = ansiBold + title + ansiReset
		}
		fmt.Fprintf(env.Stdout, "%d. %s\n", i+1, title)
		meta := []string{}
		if src := sourceLabel(h.Source.Name, h.Source.Domain); src != "" {
			meta = append(meta, src)
		}
		if !h.Published.IsZero() {
			meta = append(meta, h.Published.Format("2006-01-02"))
		}
		meta = append(meta, h.ID)
		if h.Copies > 0 {
			meta = append(meta, fmt.Sprintf("+%d %s (--all-copies)", h.Copies, plural(h.Copies, "copy", "copies")))
		}
		fmt.Fprintf(env.Stdout, "   %s\n", strings.Join(meta, " · "))
		if h.URL != "" {
			fmt.Fprintf(env.Stdout, "   %s\n", h.URL)
		}
		if s := strings.Join(strings.Fields(h.Snippet), " "); s != "" {
			fmt.Fprintf(env.Stdout, "   %s\n", s)
		}
		fmt.Fprintln(env.Stdout)
	}
	return ExitOK
}

// printQueryError says what is wrong with a query and points at the
// column: "newsdesk search: unbalanced quote at column 1".
func printQueryError(env *Env, err error) {
	var se *query.SyntaxError
	if !errors.As(err, &se) {
		fmt.Fprintf(env.Stderr, "newsdesk search: %v\n", err)
		return
	}
	fmt.Fprintf(env.Stderr, "newsdesk search: %s\n", se.Msg)
	if q := se.Query; q != "" && !strings.ContainsAny(q, "\n\r\t") && utf8.RuneCountInString(q) <= 200 {
		fmt.Fprintf(env.Stderr, "  %s\n  %s^\n", q, strings.Repeat(" ", se.Col-1))
	}
}

func sourceLabel(name, domain string) string {
	switch {
	case name != "" && domain != "" && !strings.EqualFold(name, domain):
		return name + " (" + domain + ")"
	case name != "":
		return name
	}
	return domain
}

// stdoutTTY reports whether env.Stdout is a terminal, and its width.
func stdoutTTY(env *Env) (int, bool) { return stderrTTY(env.Stdout) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
