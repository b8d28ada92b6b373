package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/newsdesk/newsdesk/internal/store"
)

func init() {
	Register(&Command{
		Name:    "stats",
		Summary: "summarize the store: articles, versions, sources, languages, size",
		Run:     runStats,
	})
}

func runStats(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "stats", "[flags]")
	db := dbFlag(fs, env)
	asJSON := fs.Bool("json", false, "print as JSON")
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	if !noArgs(env, "stats", pos) {
		return ExitUsage
	}
	st, ok := openReader(ctx, env, "stats", *db)
	if !ok {
		return ExitPartial
	}
	defer st.Close()
	s, err := st.Stats(ctx)
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk stats: %v\n", err)
		return ExitPartial
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(s)
		return ExitOK
	}
	w := env.Stdout
	fmt.Fprintf(w, "database    %s (schema v%d, %s)\n", s.Location, s.SchemaVer, bytesLabel(s.SizeBytes))
	fmt.Fprintf(w, "articles    %d (%d versions, %d words)\n", s.Articles, s.Versions, s.Words)
	if s.Articles > 0 {
		fmt.Fprintf(w, "per article %s on disk\n", bytesLabel(s.SizeBytes/int64(s.Articles)))
	}
	fmt.Fprintf(w, "raw inputs  %d (%s, stored in %s)\n", s.RawInputs, bytesLabel(s.RawBytes), bytesLabel(s.RawStored))
	if !s.Oldest.IsZero() {
		fmt.Fprintf(w, "published   %s .. %s\n", s.Oldest.Format("2006-01-02"), s.Newest.Format("2006-01-02"))
	}
	if !s.LastUpdated.IsZero() {
		fmt.Fprintf(w, "updated     %s\n", s.LastUpdated.Format("2006-01-02 15:04:05Z"))
	}
	fmt.Fprintf(w, "duplicates  %d in %d groups\n", s.Duplicates, s.DupGroups)
	fmt.Fprintf(w, "stories     %d\n", s.Stories)
	printCounts(w, "sources", s.Sources)
	printCounts(w, "languages", s.Languages)
	return ExitOK
}

func printCounts(w interface{ Write([]byte) (int, error) }, label string, cs []store.Count) {
	if len(cs) == 0 {
		return
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		v := c.Value
		if v == "" {
			v = "(unknown)"
		}
		parts[i] = fmt.Sprintf("%s %d", v, c.Count)
	}
	fmt.Fprintf(w, "%-11s %s\n", label, strings.Join(parts, ", "))
}

func bytesLabel(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
