package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

func init() {
	Register(&Command{
		Name:    "export",
		Summary: "write stored articles as JSON Lines or schema.org NewsArticle JSON-LD",
		Run:     runExport,
	})
}

func runExport(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "export", "[flags]\n\nWrites one record per line, oldest first, to standard output.")
	db := dbFlag(fs, env)
	ff := addFilterFlags(fs, 0)
	format := fs.String("format", "jsonl", "output `format`: jsonl (the newsdesk record) or jsonld (schema.org NewsArticle, one per line)")
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	if !noArgs(env, "export", pos) {
		return ExitUsage
	}
	if *format != "jsonl" && *format != "jsonld" {
		fmt.Fprintf(env.Stderr, "newsdesk export: --format %q: want jsonl or jsonld\n", *format)
		return ExitUsage
	}
	f, err := ff.filter(time.Now())
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk export: %v\n", err)
		return ExitUsage
	}
	st, ok := openReader(ctx, env, "export", *db)
	if !ok {
		return ExitPartial
	}
	defer st.Close()
	bw := bufio.NewWriterSize(env.Stdout, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	err = st.Each(ctx, f, func(a *article.Article, _ store.Origin) error {
		if *format == "jsonld" {
			return enc.Encode(NewsArticle(a))
		}
		return enc.Encode(a)
	})
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk export: %v\n", err)
		return ExitPartial
	}
	return ExitOK
}

// NewsArticle renders a as a schema.org NewsArticle JSON-LD object.
func NewsArticle(a *article.Article) map[string]any {
	m := map[string]any{
		"@context":   "https://schema.org",
		"@type":      "NewsArticle",
		"identifier": a.ID,
		"headline":   a.Title,
		"wordCount":  a.WordCount,
	}
	if u := firstNonEmpty(a.CanonicalURL, a.URL); u != "" {
		m["@id"] = u
		m["url"] = u
		m["mainEntityOfPage"] = u
	} else {
		m["@id"] = "urn:newsdesk:" + a.ID
	}
	if a.Text != "" {
		m["articleBody"] = a.Text
	}
	if a.Description != "" {
		m["description"] = a.Description
	}
	if a.Image != "" {
		m["image"] = a.Image
	}
	if a.Language != "" {
		m["inLanguage"] = a.Language
	}
	if !a.Published.IsZero() {
		m["datePublished"] = a.Published.Format(time.RFC3339)
	}
	if !a.Modified.IsZero() {
		m["dateModified"] = a.Modified.Format(time.RFC3339)
	}
	if len(a.Authors) > 0 {
		authors := make([]map[string]string, len(a.Authors))
		for i, name := range a.Authors {
			authors[i] = map[string]string{"@type": "Person", "name": name}
		}
		m["author"] = authors
	}
	if a.Source.Name != "" || a.Source.Domain != "" {
		pub := map[string]string{"@type": "Organization", "name": firstNonEmpty(a.Source.Name, a.Source.Domain)}
		if a.Source.Domain != "" {
			pub["url"] = "https://" + strings.TrimPrefix(a.Source.Domain, "https://")
		}
		m["publisher"] = pub
	}
	var about []map[string]string
	for _, e := range a.Entities {
		typ := map[string]string{"person": "Person", "place": "Place", "org": "Organization"}[e.Type]
		if typ == "" {
			typ = "Thing"
		}
		about = append(about, map[string]string{"@type": typ, "name": e.Text})
	}
	if len(about) > 0 {
		m["mentions"] = about
	}
	return m
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
