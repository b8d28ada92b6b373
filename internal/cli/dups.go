package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/dedup"
	"github.com/newsdesk/newsdesk/internal/store"
)

func init() {
	Register(&Command{
		Name:    "dups",
		Summary: "list groups of duplicate copies with their members and outlets",
		Run:     runDups,
	})
}

// dupMember is one copy in a dup group, as printed.
type dupMember struct {
	ID             string    `json:"id"`
	Outlet         string    `json:"outlet,omitempty"`
	Title          string    `json:"title"`
	URL            string    `json:"url,omitempty"`
	Published      time.Time `json:"published,omitzero"`
	Words          int       `json:"words"`
	Representative bool      `json:"representative,omitempty"`
	size           int       // fingerprint size: how full the copy is
}

// dupGroup is one group of copies, as printed.
type dupGroup struct {
	Group          string      `json:"group"`
	Representative string      `json:"representative"`
	Copies         int         `json:"copies"`
	Outlets        []string    `json:"outlets"`
	Members        []dupMember `json:"members"`
}

func runDups(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "dups", "[flags]\n\nLists groups of two or more copies of one article, largest first. The representative\n(marked *) is the fullest copy.")
	db := dbFlag(fs, env)
	asJSON := fs.Bool("json", false, "print groups as JSON Lines")
	limit := fs.Int("limit", 0, "show at most `n` groups (0 for all)")
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	if !noArgs(env, "dups", pos) {
		return ExitUsage
	}
	if *limit < 0 {
		fmt.Fprintln(env.Stderr, "newsdesk dups: --limit must not be negative")
		return ExitUsage
	}
	st, ok := openReader(ctx, env, "dups", *db)
	if !ok {
		return ExitPartial
	}
	defer st.Close()
	groups, err := loadDupGroups(ctx, st)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk dups: %v\n", err)
		return ExitPartial
	}
	if *limit > 0 && len(groups) > *limit {
		groups = groups[:*limit]
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		for _, g := range groups {
			if err := enc.Encode(g); err != nil {
				fmt.Fprintf(env.Stderr, "newsdesk dups: %v\n", err)
				return ExitPartial
			}
		}
		return ExitOK
	}
	w := env.Stdout
	if len(groups) == 0 {
		fmt.Fprintln(w, "no duplicate groups")
		return ExitOK
	}
	for i, g := range groups {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "group %s: %d copies from %s\n", g.Group, g.Copies, strings.Join(g.Outlets, ", "))
		for _, m := range g.Members {
			mark := " "
			if m.Representative {
				mark = "*"
			}
			date := "          "
			if !m.Published.IsZero() {
				date = m.Published.UTC().Format("2006-01-02")
			}
			outlet := m.Outlet
			if outlet == "" {
				outlet = "(unknown)"
			}
			fmt.Fprintf(w, "  %s %s  %s  %5dw  %-20s  %s\n", mark, m.ID, date, m.Words, clip(outlet, 20), clip(m.Title, 60))
		}
	}
	return ExitOK
}

// loadDupGroups reads the groups and their members, marks each group's
// fullest copy, and sorts the groups largest first.
func loadDupGroups(ctx context.Context, st store.Store) ([]dupGroup, error) {
	groups, err := st.DupGroups(ctx)
	if err != nil {
		return nil, err
	}
	var sh dedup.Shingler
	out := make([]dupGroup, 0, len(groups))
	for _, g := range groups {
		dg := dupGroup{Group: g.ID, Copies: len(g.Members)}
		outlets := map[string]bool{}
		rep := -1
		for _, id := range g.Members {
			a, err := st.Get(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("group %s: %w", g.ID, err)
			}
			m := dupMember{ID: a.ID, Outlet: outletOf(a), Title: a.Title, URL: a.URL, Published: a.Published, Words: a.WordCount,
				size: len(sh.Article(a))}
			if m.Outlet != "" && !outlets[m.Outlet] {
				outlets[m.Outlet] = true
				dg.Outlets = append(dg.Outlets, m.Outlet)
			}
			dg.Members = append(dg.Members, m)
			if r := len(dg.Members) - 1; rep < 0 || m.size > dg.Members[rep].size {
				rep = r
			}
		}
		if rep >= 0 {
			dg.Members[rep].Representative = true
			dg.Representative = dg.Members[rep].ID
		}
		// The representative first, then the copies as they appeared.
		slices.SortStableFunc(dg.Members, func(a, b dupMember) int {
			switch {
			case a.Representative != b.Representative:
				if a.Representative {
					return -1
				}
				return 1
			case !a.Published.Equal(b.Published):
				return a.Published.Compare(b.Published)
			}
			return strings.Compare(a.ID, b.ID)
		})
		slices.Sort(dg.Outlets)
		if dg.Outlets == nil {
			dg.Outlets = []string{}
		}
		out = append(out, dg)
	}
	slices.SortStableFunc(out, func(a, b dupGroup) int {
		if a.Copies != b.Copies {
			return b.Copies - a.Copies
		}
		return strings.Compare(a.Group, b.Group)
	})
	return out, nil
}

// outletOf names an article's publisher.
func outletOf(a *article.Article) string {
	if a.Source.Name != "" {
		return a.Source.Name
	}
	return a.Source.Domain
}

// clip shortens s to n characters with an ellipsis.
func clip(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}
