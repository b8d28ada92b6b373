package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

func init() {
	Register(&Command{
		Name:    "show",
		Summary: "print one stored article (by id, id prefix or URL)",
		Run:     runShow,
	})
}

func runShow(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "show", "[flags] ID|URL")
	db := dbFlag(fs, env)
	format := fs.String("format", "json", "output `format`: json or text")
	version := fs.Int("version", 0, "show this stored `version` instead of the current one")
	history := fs.Bool("history", false, "list the stored versions instead")
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(env.Stderr, "newsdesk show: want exactly one article id or URL")
		fs.Usage()
		return ExitUsage
	}
	if *format != "json" && *format != "text" {
		fmt.Fprintf(env.Stderr, "newsdesk show: --format %q: want json or text\n", *format)
		return ExitUsage
	}
	st, ok := openReader(ctx, env, "show", *db)
	if !ok {
		return ExitPartial
	}
	defer st.Close()
	ref := pos[0]
	if *history {
		vs, err := st.Versions(ctx, ref)
		if err != nil {
			return showErr(ctx, env, st, ref, err)
		}
		if *format == "json" {
			enc := json.NewEncoder(env.Stdout)
			for _, v := range vs {
				_ = enc.Encode(v)
			}
			return ExitOK
		}
		for _, v := range vs {
			fmt.Fprintf(env.Stdout, "v%d  stored %s  content %s  raw %s\n", v.Version, v.Stored.Format("2006-01-02 15:04:05Z"), v.ContentHash[:12], short(v.RawSHA256))
		}
		return ExitOK
	}
	var a *article.Article
	var err error
	if *version > 0 {
		a, err = st.GetVersion(ctx, ref, *version)
	} else {
		a, err = st.Get(ctx, ref)
	}
	if err != nil {
		return showErr(ctx, env, st, ref, err)
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(a); err != nil {
			fmt.Fprintf(env.Stderr, "newsdesk show: %s: %v\n", ref, err)
			return ExitPartial
		}
		return ExitOK
	}
	writeText(env.Stdout, a)
	return ExitOK
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	if s == "" {
		return "-"
	}
	return s
}

func showErr(ctx context.Context, env *Env, st store.Store, ref string, err error) int {
	var pe *store.PrefixError
	switch {
	case errors.As(err, &pe):
		what := "ambiguous id prefix"
		if pe.TooShort {
			what = fmt.Sprintf("id prefix too short (give %d characters or more)", pe.MinLen)
		}
		fmt.Fprintf(env.Stderr, "newsdesk show: %s: %s; it matches %d articles:\n", ref, what, pe.Matches)
		for _, id := range pe.Candidates {
			title := ""
			if a, err := st.Get(ctx, id); err == nil {
				title = a.Title
			}
			fmt.Fprintf(env.Stderr, "  %s  %s\n", id, title)
		}
		if rest := pe.Matches - len(pe.Candidates); rest > 0 {
			fmt.Fprintf(env.Stderr, "  … and %d more\n", rest)
		}
	case errors.Is(err, store.ErrNotFound):
		fmt.Fprintf(env.Stderr, "newsdesk show: %s: no such article\n", ref)
	case errors.Is(err, store.ErrAmbiguous):
		fmt.Fprintf(env.Stderr, "newsdesk show: %s: %v (give more of the id)\n", ref, err)
	default:
		fmt.Fprintf(env.Stderr, "newsdesk show: %s: %v\n", ref, err)
	}
	return ExitPartial
}

// writeText prints an article for reading.
func writeText(w io.Writer, a *article.Article) {
	fmt.Fprintln(w, a.Title)
	fmt.Fprintln(w, strings.Repeat("=", min(72, max(3, len([]rune(a.Title))))))
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-10s %s\n", k+":", v)
		}
	}
	line("ID", a.ID)
	line("Source", sourceLabel(a.Source.Name, a.Source.Domain))
	line("Authors", strings.Join(a.Authors, ", "))
	if !a.Published.IsZero() {
		line("Published", a.Published.Format("2006-01-02 15:04 MST"))
	}
	line("URL", a.URL)
	if a.CanonicalURL != a.URL {
		line("Canonical", a.CanonicalURL)
	}
	line("Language", a.Language)
	line("Words", fmt.Sprint(a.WordCount))
	line("Dup group", a.DupGroup)
	line("Story", a.Story)
	fmt.Fprintln(w)
	for _, p := range a.Paragraphs {
		fmt.Fprintln(w, p)
		fmt.Fprintln(w)
	}
	if len(a.Removed) > 0 {
		counts := map[article.Reason]int{}
		var order []article.Reason
		for _, r := range a.Removed {
			if counts[r.Reason] == 0 {
				order = append(order, r.Reason)
			}
			counts[r.Reason]++
		}
		parts := make([]string, len(order))
		for i, r := range order {
			parts[i] = fmt.Sprintf("%s %d", r, counts[r])
		}
		fmt.Fprintf(w, "[removed %d segments: %s]\n", len(a.Removed), strings.Join(parts, ", "))
	}
}
