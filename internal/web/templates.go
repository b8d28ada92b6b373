package web

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"strings"
	"time"
)

// The templates, as miniflux keeps them: a layout, common pieces and one
// file per view, each view defining "title" and "content". No function
// here returns template.HTML: everything a page shows is escaped.
//
//go:embed templates/*.html static/*
var assets embed.FS

type templates struct {
	views map[string]*template.Template
}

var funcs = template.FuncMap{
	"pathesc":  url.PathEscape,
	"queryesc": url.QueryEscape,
	"day": func(t time.Time) string {
		if t.IsZero() {
			return "unknown"
		}
		return t.UTC().Format("2 Jan 2006")
	},
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "unknown"
		}
		return t.UTC().Format("2 Jan 2006, 15:04 UTC")
	},
	"iso": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	},
	"join": strings.Join,
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, one)
		}
		return fmt.Sprintf("%d %s", n, many)
	},
	"typename": func(t string) string {
		switch t {
		case "person":
			return "Person"
		case "place":
			return "Place"
		case "org":
			return "Organisation"
		case "misc":
			return "Other"
		}
		return t
	},
	"typeplural": func(t string) string {
		switch t {
		case "person":
			return "People"
		case "place":
			return "Places"
		case "org":
			return "Organisations"
		}
		return "Other names"
	},
	"typeclass": func(t string) string {
		switch t {
		case "person", "place", "org":
			return t
		}
		return "misc"
	},
	"dur": func(d time.Duration) string {
		if d <= 0 {
			return "default"
		}
		return d.String()
	},
	"add":  func(a, b int) int { return a + b },
	"lang": langAttr,
}

func mustTemplates() *templates {
	t, err := parseTemplates(assets)
	if err != nil {
		panic(err)
	}
	return t
}

func parseTemplates(fsys fs.FS) (*templates, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(fsys, "templates/layout.html", "templates/common.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "templates/view_*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{views: map[string]*template.Template{}}
	for _, n := range names {
		v, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := v.ParseFS(fsys, n); err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/view_"), ".html")
		t.views[name] = v
	}
	return t, nil
}

func (t *templates) execute(w io.Writer, name string, data any) error {
	v, ok := t.views[name]
	if !ok {
		return fmt.Errorf("web: no view %q", name)
	}
	return v.ExecuteTemplate(w, "layout", data)
}
