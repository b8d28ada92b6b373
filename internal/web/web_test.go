package web

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/newsdesk/newsdesk/article"
)

func get(t *testing.T, h http.Handler, path string) (int, http.Header, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, rec.Result().Header, string(body)
}

func newTestHandler(f *fakeStore) http.Handler {
	return New(f, Options{Now: func() time.Time { return fixedNow }})
}

func TestPages(t *testing.T) {
	t.Run("fake", func(t *testing.T) { testPages(t, newTestHandler(newFake())) })
	t.Run("sqlite", func(t *testing.T) {
		st := sqliteStore(t)
		testPages(t, New(st, Options{Now: func() time.Time { return fixedNow }}))
	})
}

func testPages(t *testing.T, h http.Handler) {
	cases := []struct {
		path string
		want []string
	}{
		{"/", []string{`<html lang="en">`, "Today&#39;s stories", `href="/stories/s000000000001"`, "3 outlets", "3 articles",
			"Coastline Daily, Harbour Gazette, Valley Post", `class="skip" href="#main"`}},
		{"/stories/s000000000001", []string{"Articles over time", "1 copy folded", "Main entities", `href="/entities/place:kestrel-bridge"`,
			"Quotes", "It saves me half an hour,", "Ines Corlett"}},
		{"/articles/u00000000000000000a01", []string{`<div class="text" id="text" lang="en">`, `class="entity entity-person"`,
			`<q class="quote"`, `<span class="time" title="DATE 2026-03-10">Tuesday</span>`, `<details class="removed" id="removed">`,
			"boilerplate:cta", "(repeats paragraph 4)", "Named in this article", "Tomas Reyn", `href="https://harbourgazette.example/kestrel-bridge" rel="noopener noreferrer"`, "Version 1"}},
		{"/articles/u00000000000000000a04", []string{`lang="en-GB"`, `href="http://coastline.example/fleet" rel="noopener noreferrer"`}},
		{"/search?q=kestrel", []string{"Coverage over time", "<svg", `<rect x=`, "<mark>Kestrel</mark>", `value="kestrel"`,
			`<label for="source">`, `<label for="since">`, `<label for="lang">`}},
		{"/search?q=kestrel&source=valleypost.example", []string{"Valley Post"}},
		{"/search", []string{`<form class="search"`}},
		{"/feeds", []string{"harbourgazette.example/rss", "status-ok", "status-error", "502 Bad Gateway", "3 failures in a row"}},
		{"/entities", []string{`href="/entities/place:kestrel-bridge"`, "Kestrel Bridge", "3 articles"}},
		{"/entities/person:mara-lindqvist", []string{"Mara Lindqvist", "Kestrel Bridge reopens"}},
		{"/entities?type=person", []string{"Mara Lindqvist", `<a href="/entities?type=person" aria-current="page">People</a>`}},
	}
	for _, c := range cases {
		code, hdr, body := get(t, h, c.path)
		if code != 200 {
			t.Errorf("%s: status %d", c.path, code)
		}
		if hdr.Get("Content-Security-Policy") != CSP || hdr.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: security headers %v", c.path, hdr)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q in the page", c.path, w)
			}
		}
		checkInert(t, c.path, body)
		checkStructure(t, c.path, body)
	}
	if _, _, body := get(t, h, "/search?q=kestrel&source=valleypost.example"); strings.Contains(body, "Harbour Gazette") {
		t.Error("the source filter was not applied")
	}
	if _, _, body := get(t, h, "/entities?type=person"); strings.Contains(body, "Kestrel Bridge") {
		t.Error("the type filter was not applied")
	}
	// An id prefix redirects to the article's one address.
	code, _, _ := get(t, h, "/articles/u00000000000000000a0")
	if code == http.StatusOK {
		t.Error("an ambiguous prefix shows an article")
	}
	code, hdr, _ := get(t, h, "/articles/u00000000000000000ba")
	if code != http.StatusFound || hdr.Get("Location") != "/articles/u00000000000000000bad" {
		t.Errorf("prefix: %d %q", code, hdr.Get("Location"))
	}
	// A damaged cursor is the visitor's mistake, not the server's.
	for _, path := range []string{"/?cursor=garbage", "/entities/place:kestrel-bridge?cursor=garbage"} {
		if code, _, body := get(t, h, path); code != http.StatusBadRequest || !strings.Contains(body, "out of date") {
			t.Errorf("%s: status %d", path, code)
		}
	}
	if code, _, _ := get(t, h, "/entities?type=robot"); code != http.StatusBadRequest {
		t.Errorf("unknown entity type: status %d", code)
	}
}

// checkInert parses a page and fails on anything active that the pages
// themselves do not put there: a script other than /static/app.js, an
// element that loads or runs something, an on* handler, a style
// attribute, or a javascript: URL in any attribute.
func checkInert(t *testing.T, name, page string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				if attr(n, "src") != "/static/app.js" || n.FirstChild != nil {
					t.Errorf("%s: a script element: %s", name, render(n))
				}
			case "img", "iframe", "object", "embed", "style", "base", "form":
				if n.Data != "form" || attr(n, "action") != "/search" {
					t.Errorf("%s: a %s element: %s", name, n.Data, render(n))
				}
			case "svg":
				if attr(n, "class") != "chart" {
					t.Errorf("%s: an svg element: %s", name, render(n))
				}
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(k, "on") || k == "style" || k == "srcdoc" {
					t.Errorf("%s: attribute %s=%q", name, a.Key, a.Val)
				}
				if strings.Contains(v, "javascript:") && (k == "href" || k == "src" || k == "action" || k == "formaction" || k == "xlink:href") {
					t.Errorf("%s: javascript: URL in %s=%q", name, a.Key, a.Val)
				}
				if k == "href" && !strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "#") && !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
					t.Errorf("%s: unexpected href %q", name, a.Val)
				}
				if k == "lang" && !langRE.MatchString(a.Val) {
					t.Errorf("%s: lang=%q", name, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// checkStructure checks what makes a page usable without seeing it: one
// h1, a label for every form field, a lang on the document, the skip
// link's target, and ids used once.
func checkStructure(t *testing.T, name, page string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	h1, labels, ids := 0, map[string]bool{}, map[string]int{}
	var fields []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "h1":
				h1++
			case "label":
				labels[attr(n, "for")] = true
			case "input", "select", "textarea":
				fields = append(fields, n)
			case "html":
				if attr(n, "lang") != "en" {
					t.Errorf("%s: <html lang=%q>", name, attr(n, "lang"))
				}
			}
			if id := attr(n, "id"); id != "" {
				ids[id]++
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if h1 != 1 {
		t.Errorf("%s: %d h1 headings", name, h1)
	}
	for _, f := range fields {
		if id := attr(f, "id"); id == "" || !labels[id] {
			t.Errorf("%s: a form field without a label: %s", name, render(f))
		}
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("%s: id %q used %d times", name, id, n)
		}
	}
	if ids["main"] != 1 {
		t.Errorf("%s: no #main for the skip link", name)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func render(n *html.Node) string {
	var b strings.Builder
	html.Render(&b, n)
	return b.String()
}

// textOf is the page's visible text, as a browser would show it.
func textOf(t *testing.T, page string) string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return b.String()
}

func TestHostileRecordIsInert(t *testing.T) {
	t.Run("fake", func(t *testing.T) { testHostile(t, newTestHandler(newFake())) })
	t.Run("sqlite", func(t *testing.T) {
		st := sqliteStore(t)
		testHostile(t, New(st, Options{Now: func() time.Time { return fixedNow }}))
	})
}

func testHostile(t *testing.T, h http.Handler) {
	for _, path := range []string{"/", "/stories/s000000000003", "/articles/u00000000000000000bad", "/search?q=harbour",
		"/feeds", "/entities", "/entities/" + "misc:%3Cimg-src=x-onerror=alert%289%29%3E"} {
		code, _, body := get(t, h, path)
		if code != 200 {
			t.Errorf("%s: status %d", path, code)
		}
		checkInert(t, path, body)
		for _, bad := range []string{"<script>alert", "<img", "<iframe", "<style>", "<svg onload", "<b onmouseover", "<a href=\"javascript"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: raw %q in the page", path, bad)
			}
		}
	}
	_, _, body := get(t, h, "/articles/u00000000000000000bad")
	text := textOf(t, body)
	for _, want := range []string{xssTitle, `<img src=x onerror=alert(1)>`, `<a href="javascript:alert(2)">click</a>`,
		`<script>alert(5)</script>`, `<script>alert(11)</script>`, "javascript:alert(1)", `<iframe src="javascript:alert(14)"></iframe>`} {
		if !strings.Contains(text, want) {
			t.Errorf("the hostile text %q is not shown as text", want)
		}
	}
	// The javascript: URL is shown, never linked.
	if !strings.Contains(body, `<span class="url-text">javascript:alert(1)</span> (not a web link)`) {
		t.Error("the javascript: URL is not shown as plain text")
	}
	// The hostile language is left out rather than escaped into lang
	// (checkInert checks every lang attribute).
	if strings.Contains(body, `lang="en&#34;`) {
		t.Error("the hostile language reached a lang attribute")
	}
}

func TestTemplatesHaveNoInlineScriptOrStyle(t *testing.T) {
	inline := []*regexp.Regexp{
		regexp.MustCompile(`(?i)<script(\s[^>]*)?>`),
		regexp.MustCompile(`(?i)<style`),
		regexp.MustCompile(`(?i)\sstyle\s*=`),
		regexp.MustCompile(`(?i)\son[a-z]+\s*=`),
		regexp.MustCompile(`(?i)javascript:`),
		regexp.MustCompile(`\btemplate\.HTML\b|\bsafeHTML\b`),
	}
	srcScript := regexp.MustCompile(`(?i)^<script\s+src="/static/[a-z]+\.js"( defer)?>$`)
	n := 0
	err := fs.WalkDir(assets, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		b, err := fs.ReadFile(assets, p)
		if err != nil {
			return err
		}
		for _, re := range inline {
			for _, m := range re.FindAllString(string(b), -1) {
				if srcScript.MatchString(m) {
					continue
				}
				t.Errorf("%s: inline %q", p, m)
			}
		}
		return nil
	})
	if err != nil || n < 5 {
		t.Fatalf("templates: %d read, %v", n, err)
	}
	// The CSP itself allows nothing inline.
	for _, part := range []string{"script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "default-src 'none'"} {
		if !strings.Contains(CSP, part) {
			t.Errorf("CSP lacks %q", part)
		}
	}
	if strings.Contains(CSP, "unsafe") {
		t.Error("CSP allows unsafe sources")
	}
}

func TestNotFoundAndErrors(t *testing.T) {
	f := newFake()
	h := newTestHandler(f)
	for _, path := range []string{"/nope", "/articles/unknown", "/stories/unknown", "/entities/person:nobody", "/static/", "/static/missing.css"} {
		code, hdr, body := get(t, h, path)
		if code != 404 {
			t.Errorf("%s: status %d, want 404", path, code)
		}
		if !strings.Contains(body, "Page not found") || hdr.Get("Content-Security-Policy") == "" {
			t.Errorf("%s: not the 404 page", path)
		}
		if strings.Contains(body, "store:") {
			t.Errorf("%s: the page shows an internal error", path)
		}
		checkStructure(t, path, body)
	}
	f.fail = errors.New(`sqlite: SELECT secret FROM articles: disk I/O error at /var/lib/newsdesk.db`)
	for _, path := range []string{"/", "/articles/u00000000000000000a01", "/search?q=kestrel", "/feeds"} {
		code, _, body := get(t, h, path)
		if code != 500 {
			t.Errorf("%s: status %d, want 500", path, code)
		}
		if strings.Contains(body, "SELECT") || strings.Contains(body, "newsdesk.db") || !strings.Contains(body, "Something went wrong") {
			t.Errorf("%s: the error page leaks or is missing: %s", path, body)
		}
	}
	f.fail = nil
	code, _, body := get(t, h, `/search?q="unbalanced`)
	if code != 400 || !strings.Contains(body, "could not be understood") || strings.Contains(body, "fts:") {
		t.Errorf("syntax error: %d %s", code, body)
	}
	if code, _, _ := get(t, h, "/search?q=kestrel&since=yesterday"); code != 400 {
		t.Errorf("bad date: status %d", code)
	}
	code, hdr, body := get(t, h, "/static/style.css")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/css") || !strings.Contains(body, ":focus-visible") {
		t.Errorf("style.css: %d %s", code, hdr.Get("Content-Type"))
	}
}

func TestMarkText(t *testing.T) {
	arts, _ := fixtures()
	for _, a := range arts {
		paras := markText(a)
		var got []string
		for _, p := range paras {
			got = append(got, joinSegs(p.Segs))
		}
		if strings.Join(got, "\n\n") != a.Text {
			t.Errorf("%s: the marked text differs from the text:\n%q\n%q", a.ID, strings.Join(got, "\n\n"), a.Text)
		}
	}
	// Nested and crossing spans, code-point offsets, spans out of range.
	a := &article.Article{Text: "Málaga said «sí» on Friday.\n\nSecond para."}
	// "Málaga" 0-6, "said «sí» on" 7-19, "Friday" 20-26.
	a.Entities = []article.Entity{{Key: "place:malaga", Text: "Málaga", Type: "place", Mentions: []article.Span{{Start: 0, End: 6}, {Start: 50, End: 99}, {Start: 5, End: 2}}}}
	a.Quotes = []article.Quote{{Start: 3, End: 16, Speaker: "x"}}   // crosses the entity's end
	a.Times = []article.TimeRef{{Start: 15, End: 35, Type: "DATE"}} // crosses the quote's end and the paragraph break
	paras := markText(a)
	if len(paras) != 2 {
		t.Fatalf("paragraphs %d", len(paras))
	}
	type seg struct {
		text      string
		e, q, tim bool
	}
	var got []seg
	for _, s := range paras[0].Segs {
		got = append(got, seg{s.Text, s.Entity != nil, s.Quote != nil, s.Time != nil})
	}
	want := []seg{{"Mál", true, false, false}, {"aga", true, true, false}, {" said «sí", false, true, false}, {"»", false, true, true}, {" on Friday.", false, false, true}}
	if len(got) != len(want) {
		t.Fatalf("segments %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("segment %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if s := paras[1].Segs; len(s) != 2 || s[0].Text != "Second" || s[0].Time == nil || s[1].Time != nil {
		t.Errorf("second paragraph %+v", s)
	}
}

func TestQuoteKey(t *testing.T) {
	if quoteKey("The island is part of the town again.") != quoteKey("the island is part of the town  again") {
		t.Error("the same words with other punctuation are two quotes")
	}
	if quoteKey("We waited") == quoteKey("We waited long") {
		t.Error("different quotes are one")
	}
}

func TestSafeURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://a.example/x": true, "HTTP://a.example": true, "javascript:alert(1)": false, "JavaScript:alert(1)": false,
		" javascript:alert(1)": false, "data:text/html,x": false, "//a.example/x": false, "/local": false, "": false,
		"https:alert(1)": false, "vbscript:x": false, "https://a.example/\nx": false,
	} {
		if got := safeURL(u); got != want {
			t.Errorf("safeURL(%q) = %v", u, got)
		}
	}
}
