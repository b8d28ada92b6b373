package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

func init() {
	Register(&Command{
		Name:    "stories",
		Summary: "list stories: headline, article count, outlets, first and last seen",
		Run:     runStories,
	})
}

// storyLine is one story, as printed.
type storyLine struct {
	ID       string    `json:"id"`
	Headline string    `json:"headline"`
	Articles int       `json:"articles"`
	Outlets  []string  `json:"outlets"`
	First    time.Time `json:"first_seen,omitzero"`
	Last     time.Time `json:"last_seen,omitzero"`
}

func runStories(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "stories", "[flags]\n\nLists stories (articles about one event), most recently seen first.")
	db := dbFlag(fs, env)
	since := fs.String("since", "", "only stories last seen at or after `when`: a date (2006-01-02), a timestamp (RFC 3339) or an age (36h, 7d)")
	asJSON := fs.Bool("json", false, "print stories as JSON Lines")
	limit := fs.Int("limit", 0, "show at most `n` stories (0 for all)")
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	if !noArgs(env, "stories", pos) {
		return ExitUsage
	}
	if *limit < 0 {
		fmt.Fprintln(env.Stderr, "newsdesk stories: --limit must not be negative")
		return ExitUsage
	}
	from, err := parseWhen(*since, time.Now())
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk stories: --since: %v\n", err)
		return ExitUsage
	}
	st, ok := openReader(ctx, env, "stories", *db)
	if !ok {
		return ExitPartial
	}
	defer st.Close()
	states, err := st.Stories(ctx, from)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk stories: %v\n", err)
		return ExitPartial
	}
	if *limit > 0 && len(states) > *limit {
		states = states[:*limit]
	}
	w := env.Stdout
	if *asJSON {
		enc := json.NewEncoder(w)
		for _, s := range states {
			outlets := s.Outlets
			if outlets == nil {
				outlets = []string{}
			}
			line := storyLine{ID: s.ID, Headline: s.Headline, Articles: s.Count, Outlets: outlets, First: s.First, Last: s.Last}
			if err := enc.Encode(line); err != nil {
				fmt.Fprintf(env.Stderr, "newsdesk stories: %v\n", err)
				return ExitPartial
			}
		}
		return ExitOK
	}
	if len(states) == 0 {
		fmt.Fprintln(w, "no stories")
		return ExitOK
	}
	for i, s := range states {
		if i > 0 {
			fmt.Fprintln(w)
		}
		headline := s.Headline
		if headline == "" {
			headline = "(no headline)"
		}
		fmt.Fprintln(w, headline)
		articles := "articles"
		if s.Count == 1 {
			articles = "article"
		}
		fmt.Fprintf(w, "  %d %s", s.Count, articles)
		switch len(s.Outlets) {
		case 0:
		case 1:
			fmt.Fprintf(w, " from %s", s.Outlets[0])
		default:
			fmt.Fprintf(w, " from %d outlets: %s", len(s.Outlets), strings.Join(s.Outlets, ", "))
		}
		fmt.Fprintf(w, "  [%s]\n", s.ID)
		if !s.First.IsZero() {
			fmt.Fprintf(w, "  first seen %s, last seen %s\n", stamp(s.First), stamp(s.Last))
		}
	}
	return ExitOK
}

// stamp formats a time to the minute, in UTC.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}
