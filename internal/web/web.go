// Package web serves newsdesk's reading pages: front page, story,
// article, search, feeds and entity pages, rendered on the server from
// embedded templates. Scraped text is untrusted: everything is escaped by
// html/template, and every response carries a strict Content-Security-
// Policy.
package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/newsdesk/newsdesk/internal/httppin"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Options configure the pages.
type Options struct {
	// Now returns the current time (tests fix it); nil means time.Now.
	Now func() time.Time
	// Log receives the errors behind 500 pages; nil discards them.
	Log *slog.Logger
}

// CSP is the Content-Security-Policy of every page: scripts, styles and
// images from this origin only, nothing inline, no framing.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Page sizes of the lists.
const (
	frontStories   = 50
	storyArticles  = 200 // articles of a story read for its page
	storyRecords   = 40  // records read at most for its quotes
	storyEntities  = 12
	storyQuotes    = 12
	searchHits     = 30
	topEntities    = 100
	entityArticles = 50
	coverageDays   = 30
)

type handler struct {
	st   store.Store
	nr   store.Newsroom
	now  func() time.Time
	log  *slog.Logger
	tmpl *templates
}

// New returns the handler of the web pages over st, to be mounted at "/".
// st must also implement store.Newsroom.
func New(st store.Store, opts Options) http.Handler {
	h := &handler{st: st, now: opts.Now, log: opts.Log, tmpl: mustTemplates()}
	h.nr, _ = store.AsNewsroom(st)
	if h.now == nil {
		h.now = time.Now
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", h.pinned(h.front))
	mux.Handle("GET /stories/{id}", h.pinned(h.story))
	mux.Handle("GET /articles/{id}", h.pinned(h.article))
	mux.Handle("GET /search", h.pinned(h.search))
	mux.Handle("GET /feeds", h.pinned(h.feeds))
	mux.Handle("GET /entities", h.pinned(h.entities))
	mux.Handle("GET /entities/{key}", h.pinned(h.entity))
	static, _ := fs.Sub(assets, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	mux.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if fi, err := fs.Stat(static, name); err != nil || fi.IsDir() || !fs.ValidPath(name) {
			h.notFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	}))
	mux.HandleFunc("/", h.notFound)
	return secure(mux)
}

// pinned runs a page's reads on one store connection (see store.Pinner)
// until the page is written: a page of several reads waits for a free
// connection once.
func (h *handler) pinned(page http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { httppin.Serve(h.st, w, r, page) })
}

// secure sets the security headers on every response.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", CSP)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// render executes a page into a buffer first, so that a failing template
// never sends half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := h.tmpl.execute(&buf, name, data); err != nil {
		h.log.Error("web: render", "page", name, "path", r.URL.Path, "err", err)
		if name != "error" {
			h.fail(w, r, err)
			return
		}
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

type errorPage struct {
	Title   string
	Nav     string
	Status  int
	Message string
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusNotFound, "error", errorPage{
		Title: "Page not found", Status: http.StatusNotFound,
		Message: "There is nothing at this address. It may have been mistyped, or the item is no longer stored.",
	})
}

func (h *handler) badRequest(w http.ResponseWriter, r *http.Request, msg string) {
	h.render(w, r, http.StatusBadRequest, "error", errorPage{Title: "Bad request", Status: http.StatusBadRequest, Message: msg})
}

// fail answers a store error: not found is a 404, anything else a 500
// that logs the cause and shows none of it.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrAmbiguous) {
		h.notFound(w, r)
		return
	}
	if errors.Is(err, store.ErrBadCursor) {
		h.badRequest(w, r, "This page link is out of date or damaged. Start again from the first page.")
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	h.log.Error("web: request failed", "path", r.URL.Path, "err", err)
	h.render(w, r, http.StatusInternalServerError, "error", errorPage{
		Title: "Something went wrong", Status: http.StatusInternalServerError,
		Message: "The page could not be built. Try again in a moment.",
	})
}

func (h *handler) newsroom(w http.ResponseWriter, r *http.Request) (store.Newsroom, bool) {
	if h.nr == nil {
		h.fail(w, r, errors.New("web: the store does not implement store.Newsroom"))
		return nil, false
	}
	return h.nr, true
}

// ---- front page

type frontData struct {
	Title   string
	Nav     string
	Since   time.Time
	Stories []store.StoryState
	Next    string
	More    bool // a later page of the list
}

func (h *handler) front(w http.ResponseWriter, r *http.Request) {
	nr, ok := h.newsroom(w, r)
	if !ok {
		return
	}
	since := h.now().Add(-24 * time.Hour)
	cursor := r.URL.Query().Get("cursor")
	page, err := nr.StoryList(r.Context(), store.StoryQuery{Since: since, Order: store.BySize, Limit: frontStories, Cursor: cursor})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "front", frontData{Title: "Today's stories", Nav: "front", Since: since, Stories: page.Stories,
		Next: page.Next, More: cursor != ""})
}

// ---- story page

type copyGroup struct {
	Main   store.Summary
	Copies []store.Summary
}

type entityRef struct {
	Key, Text, Type string
	Articles        int
}

type quoteRef struct {
	Text, Speaker, SpeakerKey string
	ArticleID, ArticleTitle   string
	Lang                      string
}

type storyData struct {
	Title    string
	Nav      string
	Story    store.StoryState
	Articles []store.Summary
	Groups   []copyGroup
	Entities []entityRef
	Quotes   []quoteRef
}

func (h *handler) story(w http.ResponseWriter, r *http.Request) {
	nr, ok := h.newsroom(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	st, err := nr.Story(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := nr.Articles(ctx, store.ArticleQuery{Story: st.ID, Filter: store.Filter{Limit: storyArticles}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := storyData{Title: st.Headline, Nav: "front", Story: st, Articles: page.Articles}
	if d.Title == "" {
		d.Title = "Story"
	}

	// Copies: articles sharing a dup group fold under the first of them.
	byGroup := map[string]int{}
	for _, a := range page.Articles {
		if a.DupGroup == "" {
			d.Groups = append(d.Groups, copyGroup{Main: a})
			continue
		}
		if i, ok := byGroup[a.DupGroup]; ok {
			d.Groups[i].Copies = append(d.Groups[i].Copies, a)
			continue
		}
		byGroup[a.DupGroup] = len(d.Groups)
		d.Groups = append(d.Groups, copyGroup{Main: a})
	}

	// Entities from the store's counts over the story's articles; quotes
	// from the records of the first articles of each group (copies repeat
	// them), read until the page has its quotes.
	ents, err := nr.TopEntities(ctx, store.EntityQuery{Story: st.ID, Limit: storyEntities})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, e := range ents {
		d.Entities = append(d.Entities, entityRef{Key: e.Key, Text: e.Text, Type: e.Type, Articles: e.Articles})
	}
	seenQuote := map[string]bool{}
	for i, g := range d.Groups {
		if i >= storyRecords || len(d.Quotes) >= storyQuotes {
			break
		}
		a, err := h.st.Get(ctx, g.Main.ID)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			h.fail(w, r, err)
			return
		}
		for _, q := range a.Quotes {
			if len(d.Quotes) >= storyQuotes {
				break
			}
			// One quote reported by several outlets is shown once.
			k := quoteKey(q.Text)
			if seenQuote[k] {
				continue
			}
			seenQuote[k] = true
			d.Quotes = append(d.Quotes, quoteRef{Text: q.Text, Speaker: q.Speaker, SpeakerKey: q.SpeakerKey,
				ArticleID: a.ID, ArticleTitle: a.Title, Lang: langAttr(a.Language)})
		}
	}
	h.render(w, r, http.StatusOK, "story", d)
}

// quoteKey folds a quote to its letters and digits, lower-cased, so that
// the same words with other punctuation or spacing are one quote.
func quoteKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ---- article page

type articleData struct {
	Title    string
	Nav      string
	A        *article.Article
	Lang     string
	Original string // the http(s) link to the original, or ""
	ShownURL string // the URL as text when it is not a safe link
	Paras    []markPara
	Versions []store.Version
	Counts   markCounts
	Removed  []removedView
}

// removedView is a removed segment with the kept paragraph it repeats.
type removedView struct {
	article.Removed
	Repeats int // 1-based paragraph number, 0 when none
}

type markCounts struct{ Entities, Quotes, Times int }

func (h *handler) article(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := h.st.Get(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if a.ID != r.PathValue("id") {
		// An id prefix: the page has one address.
		http.Redirect(w, r, "/articles/"+url.PathEscape(a.ID), http.StatusFound)
		return
	}
	vs, err := h.st.Versions(ctx, a.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.fail(w, r, err)
		return
	}
	d := articleData{Title: a.Title, Nav: "", A: a, Lang: langAttr(a.Language), Paras: markText(a), Versions: vs}
	if d.Title == "" {
		d.Title = "Article"
	}
	link := a.URL
	if link == "" {
		link = a.CanonicalURL
	}
	if safeURL(link) {
		d.Original = link
	} else {
		d.ShownURL = link
	}
	for _, p := range d.Paras {
		for _, s := range p.Segs {
			if s.Entity != nil {
				d.Counts.Entities++
			}
		}
	}
	d.Counts.Quotes, d.Counts.Times = len(a.Quotes), len(a.Times)
	for _, rm := range a.Removed {
		v := removedView{Removed: rm}
		if rm.Of != nil && *rm.Of >= 0 {
			v.Repeats = *rm.Of + 1
		}
		d.Removed = append(d.Removed, v)
	}
	h.render(w, r, http.StatusOK, "article", d)
}

// safeURL reports whether u is an absolute http(s) URL with a host: the
// only kind of link to an original the pages make.
func safeURL(u string) bool {
	if u == "" || strings.ContainsAny(u, " \t\r\n\x00") {
		return false
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || p.Opaque != "" {
		return false
	}
	s := strings.ToLower(p.Scheme)
	return s == "http" || s == "https"
}

var langRE = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

// langAttr returns a BCP 47 tag fit for a lang attribute, or "" (the
// attribute is then left out).
func langAttr(tag string) string {
	if len(tag) > 35 || !langRE.MatchString(tag) {
		return ""
	}
	return tag
}

// ---- search page

type searchForm struct {
	Q, Source, Since, Until, Lang string
}

type snippetPart struct {
	Text string
	Hit  bool
}

type hitView struct {
	store.Hit
	Lang    string
	Snippet []snippetPart
}

type searchData struct {
	Title    string
	Nav      string
	Form     searchForm
	Searched bool
	Error    string
	Hits     []hitView
	Chart    *chart
}

// Snippet marks: private-use characters that no article is expected to
// hold; what they surround is shown as a match, and everything is escaped.
const markOpen, markClose = "\ue000", "\ue001"

func (h *handler) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := searchForm{
		Q: strings.TrimSpace(q.Get("q")), Source: strings.TrimSpace(q.Get("source")),
		Since: strings.TrimSpace(q.Get("since")), Until: strings.TrimSpace(q.Get("until")),
		Lang: strings.TrimSpace(q.Get("lang")),
	}
	d := searchData{Title: "Search", Nav: "search", Form: f}
	if f.Q != "" {
		d.Title = "Search: " + f.Q
	}
	since, err1 := parseDay(f.Since)
	until, err2 := parseDay(f.Until)
	if err1 != nil || err2 != nil {
		d.Error = "Dates are written as YYYY-MM-DD, for example 2026-03-01."
		h.render(w, r, http.StatusBadRequest, "search", d)
		return
	}
	if !until.IsZero() {
		until = until.Add(24 * time.Hour) // the until day is included
	}
	if f.Q == "" {
		h.render(w, r, http.StatusOK, "search", d)
		return
	}
	d.Searched = true
	filter := store.Filter{Source: f.Source, Since: since, Until: until, Lang: f.Lang, Limit: searchHits}
	hits, err := h.st.Search(r.Context(), store.Query{Text: f.Q, Filter: filter, MarkStart: markOpen, MarkEnd: markClose})
	if errors.Is(err, store.ErrQuerySyntax) {
		d.Error = "The query could not be understood. Check its quotation marks and parentheses."
		h.render(w, r, http.StatusBadRequest, "search", d)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, hit := range hits {
		d.Hits = append(d.Hits, hitView{Hit: hit, Lang: langAttr(hit.Language), Snippet: splitSnippet(hit.Snippet)})
	}
	if nr, ok := store.AsNewsroom(h.st); ok {
		cs, cu := since, until
		if cu.IsZero() {
			cu = h.now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
		}
		if cs.IsZero() || cu.Sub(cs) > 366*24*time.Hour {
			cs = cu.Add(-coverageDays * 24 * time.Hour)
		}
		filter.Since, filter.Until, filter.Limit = cs, cu, 0
		buckets, err := nr.Coverage(r.Context(), store.CoverageQuery{Query: store.Query{Text: f.Q, Filter: filter}, Bucket: 24 * time.Hour})
		if err != nil && !errors.Is(err, store.ErrQuerySyntax) && !errors.Is(err, store.ErrBadQuery) {
			h.fail(w, r, err)
			return
		}
		if err == nil {
			d.Chart = newChart(buckets)
		}
	}
	h.render(w, r, http.StatusOK, "search", d)
}

func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse("2006-01-02", s)
}

// splitSnippet cuts a snippet at its match marks.
func splitSnippet(s string) []snippetPart {
	var out []snippetPart
	for s != "" {
		i := strings.Index(s, markOpen)
		if i < 0 {
			out = append(out, snippetPart{Text: s})
			break
		}
		if i > 0 {
			out = append(out, snippetPart{Text: s[:i]})
		}
		s = s[i+len(markOpen):]
		j := strings.Index(s, markClose)
		if j < 0 {
			out = append(out, snippetPart{Text: s, Hit: true})
			break
		}
		out = append(out, snippetPart{Text: s[:j], Hit: true})
		s = s[j+len(markClose):]
	}
	for i := range out {
		out[i].Text = strings.NewReplacer(markOpen, "", markClose, "").Replace(out[i].Text)
	}
	return out
}

// chart is a coverage series drawn as SVG bars; every number is computed
// here and every text is escaped by the template.
type chart struct {
	Width, Height int
	Bars          []bar
	Max, Total    int
	First, Last   time.Time
	Baseline      int
	Label         string
}

type bar struct {
	X, Y, W, H int
	Day        time.Time
	Count      int
}

func newChart(bs []store.Bucket) *chart {
	if len(bs) == 0 {
		return nil
	}
	const width, height, top, bottom = 600, 142, 10, 141
	c := &chart{Width: width, Height: height, Baseline: bottom, First: bs[0].Start, Last: bs[len(bs)-1].Start}
	for _, b := range bs {
		c.Total += b.Count
		c.Max = max(c.Max, b.Count)
	}
	step := width / len(bs)
	if step < 1 {
		step = 1
	}
	w := max(step-2, 1)
	for i, b := range bs {
		hgt := 0
		if c.Max > 0 {
			hgt = b.Count * (bottom - top) / c.Max
		}
		if b.Count > 0 && hgt < 2 {
			hgt = 2
		}
		c.Bars = append(c.Bars, bar{X: i * step, Y: bottom - hgt, W: w, H: hgt, Day: b.Start, Count: b.Count})
	}
	c.Label = fmt.Sprintf("Matching articles per day, %s to %s: %d in all, at most %d in a day.",
		c.First.UTC().Format("2 Jan 2006"), c.Last.UTC().Format("2 Jan 2006"), c.Total, c.Max)
	return c
}

// ---- feeds page

type feedsData struct {
	Title string
	Nav   string
	Feeds []store.Feed
}

func (h *handler) feeds(w http.ResponseWriter, r *http.Request) {
	nr, ok := h.newsroom(w, r)
	if !ok {
		return
	}
	fs, err := nr.Feeds(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "feeds", feedsData{Title: "Feeds", Nav: "feeds", Feeds: fs})
}

// ---- entity pages

type entitiesData struct {
	Title    string
	Nav      string
	Since    time.Time
	Type     string
	Types    []string
	Entities []store.EntityCount
}

func (h *handler) entities(w http.ResponseWriter, r *http.Request) {
	nr, ok := h.newsroom(w, r)
	if !ok {
		return
	}
	since := h.now().Add(-7 * 24 * time.Hour)
	typ := r.URL.Query().Get("type")
	types := []string{"person", "place", "org", "misc"}
	if typ != "" && !slices.Contains(types, typ) {
		h.badRequest(w, r, "Entity types are person, place, org and misc.")
		return
	}
	es, err := nr.TopEntities(r.Context(), store.EntityQuery{Since: since, Type: typ, Limit: topEntities})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "entities", entitiesData{Title: "People, places and organisations", Nav: "entities",
		Since: since, Type: typ, Types: types, Entities: es})
}

type entityData struct {
	Title    string
	Nav      string
	Entity   store.EntityCount
	Articles []store.Summary
	Next     string
}

func (h *handler) entity(w http.ResponseWriter, r *http.Request) {
	nr, ok := h.newsroom(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	e, err := nr.Entity(ctx, r.PathValue("key"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := nr.Articles(ctx, store.ArticleQuery{Entity: e.Key, Cursor: r.URL.Query().Get("cursor"), Filter: store.Filter{Limit: entityArticles}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	title := e.Text
	if title == "" {
		title = e.Key
	}
	h.render(w, r, http.StatusOK, "entity", entityData{Title: title, Nav: "entities", Entity: e, Articles: page.Articles, Next: page.Next})
}
