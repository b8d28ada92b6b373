package api

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/query"
	"github.com/newsdesk/newsdesk/internal/store"
)

// params reads query parameters, remembering the first error.
type params struct {
	q   url.Values
	now time.Time
	err error
}

func (a *API) params(r *http.Request) *params {
	return &params{q: r.URL.Query(), now: a.opts.Now()}
}

func (p *params) str(name string) string { return strings.TrimSpace(p.q.Get(name)) }

func (p *params) int(name string, def, lo, hi int) int {
	s := p.str(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		if p.err == nil {
			p.err = badRequest("%s=%q: want a whole number from %d to %d", name, s, lo, hi)
		}
		return def
	}
	return n
}

func (p *params) bool(name string) bool {
	s := p.str(name)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil && p.err == nil {
		p.err = badRequest("%s=%q: want true or false", name, s)
	}
	return b
}

func (p *params) oneOf(name, def string, allowed ...string) string {
	s := p.str(name)
	if s == "" {
		return def
	}
	for _, v := range allowed {
		if s == v {
			return s
		}
	}
	if p.err == nil {
		p.err = badRequest("%s=%q: want one of %s", name, s, strings.Join(allowed, ", "))
	}
	return def
}

func (p *params) when(name string) time.Time {
	t, err := query.ParseWhen(p.str(name), p.now)
	if err != nil && p.err == nil {
		p.err = badRequest("%s: %v", name, err)
	}
	return t
}

func (p *params) limit() int { return p.int("limit", store.DefaultPageSize, 1, store.MaxPageSize) }

func (p *params) filter() store.Filter {
	return store.Filter{Source: p.str("source"), Lang: p.str("lang"), Since: p.when("since"), Until: p.when("until")}
}

func (a *API) listArticles(w http.ResponseWriter, r *http.Request) error {
	p := a.params(r)
	q := store.ArticleQuery{Filter: p.filter(), Story: p.str("story"), DupGroup: p.str("dup_group"), Entity: p.str("entity"), Cursor: p.str("cursor")}
	q.Limit = p.limit()
	if p.err != nil {
		return p.err
	}
	page, err := a.nr.Articles(r.Context(), q)
	if err != nil {
		return err
	}
	if page.Articles == nil {
		page.Articles = []store.Summary{}
	}
	return writeJSON(w, http.StatusOK, page)
}

func (a *API) getArticle(w http.ResponseWriter, r *http.Request) error {
	p := a.params(r)
	v := p.int("version", 0, 1, 1<<30)
	if p.err != nil {
		return p.err
	}
	id := r.PathValue("id")
	get := func() (any, error) { return a.st.Get(r.Context(), id) }
	if v > 0 {
		get = func() (any, error) { return a.st.GetVersion(r.Context(), id, v) }
	}
	art, err := get()
	if err != nil {
		return a.notFound(err, "no article %q", id)
	}
	return writeJSON(w, http.StatusOK, art)
}

// notFound gives ErrNotFound a message naming what was asked for.
func (a *API) notFound(err error, format string, args ...any) error {
	var pe *store.PrefixError
	if errors.Is(err, store.ErrNotFound) && !errors.As(err, &pe) {
		return &Error{Status: http.StatusNotFound, Detail: fmt.Sprintf(format, args...)}
	}
	return err
}

func (a *API) versions(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	art, err := a.st.Get(r.Context(), id)
	if err != nil {
		return a.notFound(err, "no article %q", id)
	}
	vs, err := a.st.Versions(r.Context(), art.ID)
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []store.Version{}
	}
	return writeJSON(w, http.StatusOK, VersionList{ID: art.ID, Versions: vs})
}

func (a *API) raw(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	art, err := a.st.Get(r.Context(), id)
	if err != nil {
		return a.notFound(err, "no article %q", id)
	}
	sha := art.Input.SHA256
	if vs, err := a.st.Versions(r.Context(), art.ID); err == nil && len(vs) > 0 && vs[len(vs)-1].RawSHA256 != "" {
		sha = vs[len(vs)-1].RawSHA256
	}
	if sha == "" {
		return &Error{Status: http.StatusNotFound, Detail: fmt.Sprintf("article %s was stored without its raw input", art.ID)}
	}
	raw, err := a.st.Raw(r.Context(), sha)
	if err != nil {
		return a.notFound(err, "the raw input of article %s is not stored", art.ID)
	}
	ct, ext := "text/plain", "txt"
	if art.Input.Format == "html" {
		ct, ext = "text/html", "html"
	}
	if enc := art.Input.Encoding; enc != "" {
		ct = mime.FormatMediaType(ct, map[string]string{"charset": enc})
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": art.ID + "." + ext}))
	h.Set("X-Content-Type-Options", "nosniff")
	// Never run or render it, even if a browser displays it.
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox")
	h.Set("Content-Length", strconv.Itoa(len(raw)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(raw)
	return err
}

func (a *API) submit(w http.ResponseWriter, r *http.Request) error {
	var req SubmitRequest
	if err := readJSON(r, &req); err != nil {
		a.fail("request")
		return err
	}
	n := 0
	for _, s := range []string{req.URL, req.HTML, req.Text} {
		if s != "" {
			n++
		}
	}
	if req.URL != "" && req.HTML != "" {
		n-- // an HTML page with its URL
	}
	if n != 1 {
		a.fail("request")
		return badRequest(`give one of {"url"}, {"html", "url"?} or {"text", "published"?}`)
	}
	if req.URL != "" {
		u, err := url.Parse(req.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			a.fail("request")
			return badRequest("url %q: want an absolute http or https URL", req.URL)
		}
	}
	pub, err := query.ParseWhen(strings.TrimSpace(req.Published), a.opts.Now())
	if err != nil {
		a.fail("request")
		return badRequest("published: %v", err)
	}
	ctx, cancel := context.WithTimeout(r.Context(), a.opts.SubmitTimeout)
	defer cancel()
	in := Input{Name: req.URL, URL: req.URL, Published: pub}
	switch {
	case req.HTML != "":
		in.Raw, in.Format, in.ContentType = []byte(req.HTML), "html", "text/html; charset=utf-8"
	case req.Text != "":
		in.Raw, in.Format, in.ContentType = []byte(req.Text), "text", "text/plain; charset=utf-8"
	default:
		if a.opts.Fetcher == nil {
			return &Error{Status: http.StatusServiceUnavailable, Detail: "this server does not fetch URLs: submit the page as html"}
		}
		resp, err := a.opts.Fetcher.Get(ctx, req.URL)
		if err != nil {
			a.fail("fetch")
			return fetchError(req.URL, err)
		}
		in.Raw, in.ContentType, in.URL, in.Fetched, in.Format = resp.Body, resp.ContentType, resp.URL, resp.Fetched, "auto"
	}
	if in.Name == "" {
		in.Name = "api"
	}
	out, err := a.opts.Ingester.Submit(ctx, in)
	if err != nil {
		if errors.Is(err, ErrUnprocessable) {
			a.fail("process")
			return &Error{Status: http.StatusUnprocessableEntity, Detail: describe(err), err: err}
		}
		a.fail("store")
		return err
	}
	if a.opts.OnStored != nil {
		a.opts.OnStored(out.Result.String())
	}
	code := http.StatusCreated
	if out.Result == store.Unchanged {
		code = http.StatusOK
	}
	w.Header().Set("Location", Prefix+"/articles/"+out.Article.ID)
	w.Header().Set("Newsdesk-Result", out.Result.String())
	return writeJSON(w, code, out.Article)
}

// describe is an error's message without the package prefixes.
func describe(err error) string {
	msg := err.Error()
	for changed := true; changed; {
		changed = false
		for _, p := range []string{ErrUnprocessable.Error() + ": ", "store: ", "fetch: ", "source: ", "pipeline: ", "process: ", "repair: ", "extract: ", "api: "} {
			if rest, ok := strings.CutPrefix(msg, p); ok && rest != "" {
				msg, changed = rest, true
			}
		}
	}
	return msg
}

func fetchError(u string, err error) error {
	status := http.StatusBadGateway
	var se *fetch.StatusError
	switch {
	case errors.As(err, &se):
		return &Error{Status: status, Detail: fmt.Sprintf("fetching %s: the site answered %s", u, se.Status), err: err}
	case errors.Is(err, context.DeadlineExceeded):
		status = http.StatusGatewayTimeout
	}
	return &Error{Status: status, Detail: "fetching " + u + ": " + describe(err), err: err}
}

func (a *API) search(w http.ResponseWriter, r *http.Request) error {
	p := a.params(r)
	text := p.str("q")
	if text == "" {
		return badRequest("q: give a query")
	}
	if _, err := query.Parse(text); err != nil {
		return err
	}
	f := p.filter()
	limit := p.int("limit", store.DefaultSearchLimit, 1, store.MaxPageSize)
	offset := p.int("offset", 0, 0, 10000)
	q := store.Query{Text: text, Filter: f, AllCopies: p.bool("all_copies"), RankAll: p.bool("rank_all"), MarkStart: "**", MarkEnd: "**"}
	if p.err != nil {
		return p.err
	}
	q.Limit = offset + limit + 1
	hits, err := a.st.Search(r.Context(), q)
	if err != nil {
		return err
	}
	res := SearchResult{Query: text, Hits: []store.Hit{}}
	if offset < len(hits) {
		hits = hits[offset:]
		if len(hits) > limit {
			hits = hits[:limit]
			res.NextOffset = offset + limit
		}
		res.Hits = hits
	}
	return writeJSON(w, http.StatusOK, res)
}

func (a *API) listStories(w http.ResponseWriter, r *http.Request) error {
	p := a.params(r)
	q := store.StoryQuery{Order: p.oneOf("order", store.ByRecency, store.ByRecency, store.BySize), Since: p.when("since"), Until: p.when("until"),
		Cursor: p.str("cursor"), Limit: p.limit()}
	if p.err != nil {
		return p.err
	}
	page, err := a.nr.StoryList(r.Context(), q)
	if err != nil {
		return err
	}
	out := StoryList{Stories: make([]Story, 0, len(page.Stories)), Next: page.Next}
	for _, s := range page.Stories {
		out.Stories = append(out.Stories, storyView(s))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) getStory(w http.ResponseWriter, r *http.Request) error {
	p := a.params(r)
	id := r.PathValue("id")
	q := store.ArticleQuery{Story: id, Cursor: p.str("cursor")}
	q.Limit = p.limit()
	if p.err != nil {
		return p.err
	}
	s, err := a.nr.Story(r.Context(), id)
	if err != nil {
		return a.notFound(err, "no story %q", id)
	}
	page, err := a.nr.Articles(r.Context(), q)
	if err != nil {
		return err
	}
	out := StoryDetail{Story: storyView(s), Articles: page.Articles, Next: page.Next}
	if out.Articles == nil {
		out.Articles = []store.Summary{}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) listCopies(w http.ResponseWriter, r *http.Request) error {
	p := a.params(r)
	limit, offset := p.limit(), p.int("offset", 0, 0, 1<<30)
	if p.err != nil {
		return p.err
	}
	groups, err := a.st.DupGroups(r.Context())
	if err != nil {
		return err
	}
	out := CopyList{Groups: []store.DupGroup{}, Total: len(groups)}
	if offset < len(groups) {
		groups = groups[offset:]
		if len(groups) > limit {
			groups = groups[:limit]
			out.NextOffset = offset + limit
		}
		out.Groups = groups
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) listEntities(w http.ResponseWriter, r *http.Request) error {
	p := a.params(r)
	q := store.EntityQuery{Since: p.when("since"), Until: p.when("until"), Type: p.oneOf("type", "", "person", "place", "org", "misc"),
		Story: p.str("story"), Limit: p.limit()}
	if p.err != nil {
		return p.err
	}
	es, err := a.nr.TopEntities(r.Context(), q)
	if err != nil {
		return err
	}
	if es == nil {
		es = []store.EntityCount{}
	}
	return writeJSON(w, http.StatusOK, EntityList{Entities: es})
}

func (a *API) getEntity(w http.ResponseWriter, r *http.Request) error {
	p := a.params(r)
	key := r.PathValue("key")
	q := store.ArticleQuery{Entity: key, Cursor: p.str("cursor")}
	q.Limit = p.limit()
	if p.err != nil {
		return p.err
	}
	e, err := a.nr.Entity(r.Context(), key)
	if err != nil {
		return a.notFound(err, "no entity %q", key)
	}
	page, err := a.nr.Articles(r.Context(), q)
	if err != nil {
		return err
	}
	out := EntityDetail{Entity: e, Articles: page.Articles, Next: page.Next}
	if out.Articles == nil {
		out.Articles = []store.Summary{}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) stats(w http.ResponseWriter, r *http.Request) error {
	s, err := a.st.Stats(r.Context())
	if err != nil {
		return err
	}
	s.Location = "" // the server's file system is none of the client's business
	if s.Sources == nil {
		s.Sources = []store.Count{}
	}
	if s.Languages == nil {
		s.Languages = []store.Count{}
	}
	return writeJSON(w, http.StatusOK, s)
}

// maxBuckets bounds a coverage series, as the store does.
func maxBuckets(step time.Duration) int {
	if step == time.Hour {
		return store.MaxCoverageHours
	}
	return store.MaxCoverageDays
}

func (a *API) coverage(w http.ResponseWriter, r *http.Request) error {
	p := a.params(r)
	text := p.str("q")
	if text != "" {
		if _, err := query.Parse(text); err != nil {
			return err
		}
	}
	bucket := p.oneOf("bucket", "day", "day", "hour")
	step, back := 24*time.Hour, 30*24*time.Hour
	if bucket == "hour" {
		step, back = time.Hour, 48*time.Hour
	}
	until := p.when("until")
	since := p.when("since")
	f := store.Filter{Source: p.str("source"), Lang: p.str("lang")}
	all := p.bool("all_copies")
	if p.err != nil {
		return p.err
	}
	if until.IsZero() {
		until = p.now.UTC().Truncate(step).Add(step)
	}
	if since.IsZero() {
		since = until.Add(-back)
	}
	if !since.Before(until) {
		return badRequest("since must be before until")
	}
	if max := maxBuckets(step); until.Sub(since)/step > time.Duration(max) {
		return badRequest("the period holds more than %d buckets of a %s: narrow it (or use bucket=day)", max, bucket)
	}
	f.Since, f.Until = since, until
	bs, err := a.nr.Coverage(r.Context(), store.CoverageQuery{Query: store.Query{Text: text, Filter: f, AllCopies: all}, Bucket: step})
	if err != nil {
		return err
	}
	out := Coverage{Query: text, Bucket: bucket, Since: since, Until: until, Buckets: bs}
	if out.Buckets == nil {
		out.Buckets = []store.Bucket{}
	}
	for _, b := range bs {
		out.Total += b.Count
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) listFeeds(w http.ResponseWriter, r *http.Request) error {
	fs, err := a.nr.Feeds(r.Context())
	if err != nil {
		return err
	}
	out := FeedList{Feeds: make([]Feed, 0, len(fs))}
	for _, f := range fs {
		out.Feeds = append(out.Feeds, feedView(f))
	}
	return writeJSON(w, http.StatusOK, out)
}

// Feed intervals.
const (
	DefaultFeedEvery = 15 * time.Minute
	MinFeedEvery     = time.Minute
)

// feedURL is store.NormalizeFeedURL with its error as a 400 problem.
func feedURL(raw string) (string, error) {
	u, err := store.NormalizeFeedURL(raw)
	if err != nil {
		return "", badRequest("url %v", err)
	}
	return u, nil
}

func (a *API) followFeed(w http.ResponseWriter, r *http.Request) error {
	var req FeedRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	u, err := feedURL(req.URL)
	if err != nil {
		return err
	}
	every := DefaultFeedEvery
	if req.Every != "" {
		if every, err = time.ParseDuration(req.Every); err != nil || every < MinFeedEvery {
			return badRequest("every %q: want a duration of 1m or more, such as 15m or 2h", req.Every)
		}
	}
	ctx := r.Context()
	now := a.opts.Now().UTC()
	f, err := a.nr.Feed(ctx, u)
	code := http.StatusOK
	switch {
	case errors.Is(err, store.ErrNotFound):
		// A new feed is polled as soon as the poller sees it.
		f = store.Feed{URL: u, Added: now}
		code = http.StatusCreated
	case err != nil:
		return err
	}
	if f.Every != every || code == http.StatusCreated {
		f.Every = every
		// A shorter interval applies from now: the next poll is at most
		// one interval away (as `newsdesk feeds add` does).
		if next := now.Add(every); f.NextPoll.After(next) {
			f.NextPoll = next
		}
		if err := a.nr.PutFeed(ctx, f); err != nil {
			return err
		}
	}
	if saved, err := a.nr.Feed(ctx, f.URL); err == nil {
		f = saved
	}
	w.Header().Set("Location", Prefix+"/feeds/"+url.PathEscape(f.URL))
	return writeJSON(w, code, feedView(f))
}

func (a *API) unfollowFeed(w http.ResponseWriter, r *http.Request) error {
	u, err := feedURL(r.PathValue("url"))
	if err != nil {
		return err
	}
	if err := a.nr.DeleteFeed(r.Context(), u); err != nil {
		return a.notFound(err, "not following %q", u)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
