package api

import (
	"net/http"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Route is one endpoint: it registers the handler and describes the
// endpoint in the OpenAPI document.
type Route struct {
	Method, Path string // Path with {name} parameters, under Prefix
	ID           string // operationId
	Summary      string
	Params       []Param // query parameters (path parameters come from Path and PathParams)
	Body         any     // the request body's type (a zero value), nil for none
	Status       []int   // success statuses
	Resp         any     // the success body's type (a zero value); nil for none
	// RespType is the success body's media type when it is not JSON.
	RespType string
	Write    bool  // needs the token, when one is set
	MaxBody  int64 // request body limit
	handle   func(*API, http.ResponseWriter, *http.Request) error
}

// Param is a query parameter.
type Param struct {
	Name, Type, Desc string // Type: string, integer, boolean
	Enum             []string
	Required         bool
}

// PathParams describes the path parameters by name.
var PathParams = map[string]string{
	"id":  "an article id, an unambiguous prefix of one, or the article's URL (percent-encoded)",
	"key": "an entity key, such as person:ada-quist",
	"url": "the feed's URL, percent-encoded as one path segment",
}

// Body limits.
const (
	// maxSubmitBody is a submitted page of 32 MiB (ingest's --max-bytes
	// default) as a JSON string, with room for escaping.
	maxSubmitBody = 80 << 20
	maxFeedBody   = 64 << 10
)

var (
	pLimit  = Param{Name: "limit", Type: "integer", Desc: "page size (default 50, at most 500)"}
	pCursor = Param{Name: "cursor", Type: "string", Desc: "the previous page's next value"}
	pSince  = Param{Name: "since", Type: "string", Desc: "published at or after: a date (2006-01-02), an RFC 3339 time, or an age such as 36h or 7d"}
	pUntil  = Param{Name: "until", Type: "string", Desc: "published before (same forms as since)"}
	pSource = Param{Name: "source", Type: "string", Desc: "source name or domain"}
	pLang   = Param{Name: "lang", Type: "string", Desc: "language code, such as en"}
)

// Routes is the route table: every endpoint of the API.
func Routes() []Route {
	return []Route{
		{Method: "GET", Path: Prefix + "/openapi.json", ID: "openapi", Summary: "This API's OpenAPI 3.1 document",
			Status: []int{200}, Resp: map[string]any{}, handle: (*API).openapi},
		{Method: "GET", Path: Prefix + "/articles", ID: "listArticles", Summary: "List articles, newest first (a story's oldest first), with filters",
			Params: []Param{pSource, pSince, pUntil, pLang,
				{Name: "story", Type: "string", Desc: "only this story's articles, in time order"},
				{Name: "dup_group", Type: "string", Desc: "only this copy group's articles"},
				{Name: "entity", Type: "string", Desc: "only articles mentioning this entity key"},
				pCursor, pLimit},
			Status: []int{200}, Resp: store.ArticlePage{}, handle: (*API).listArticles},
		{Method: "POST", Path: Prefix + "/articles", ID: "submitArticle",
			Summary: "Process and store one article: a URL to fetch, an HTML page, or plain text; returns the record (201 when stored new or as a new version, 200 when unchanged)",
			Body:    SubmitRequest{}, Status: []int{201, 200}, Resp: article.Article{}, Write: true, MaxBody: maxSubmitBody, handle: (*API).submit},
		{Method: "GET", Path: Prefix + "/articles/{id}", ID: "getArticle", Summary: "One article's record (its current version, or ?version=N)",
			Params: []Param{{Name: "version", Type: "integer", Desc: "a stored version number (see /versions)"}},
			Status: []int{200}, Resp: article.Article{}, handle: (*API).getArticle},
		{Method: "GET", Path: Prefix + "/articles/{id}/versions", ID: "listVersions", Summary: "An article's stored versions, oldest first",
			Status: []int{200}, Resp: VersionList{}, handle: (*API).versions},
		{Method: "GET", Path: Prefix + "/articles/{id}/raw", ID: "getRaw", Summary: "The raw input the article was built from, as an attachment",
			Status: []int{200}, RespType: "application/octet-stream", handle: (*API).raw},
		{Method: "GET", Path: Prefix + "/search", ID: "search", Summary: "Full-text search in newsdesk's query language, copies folded",
			Params: []Param{{Name: "q", Type: "string", Required: true, Desc: `the query: words, "phrases", OR, AND, NOT, -word, (groups), prefix*, title:, author:, source:, lang:, body:`},
				pSource, pSince, pUntil, pLang,
				{Name: "all_copies", Type: "boolean", Desc: "list every syndicated copy instead of one hit per copy group"},
				{Name: "rank_all", Type: "boolean", Desc: "rank every match, not only the most recently stored few hundred"},
				{Name: "limit", Type: "integer", Desc: "hits per page (default 20, at most 500)"},
				{Name: "offset", Type: "integer", Desc: "hits to skip (at most 10000)"}},
			Status: []int{200}, Resp: SearchResult{}, handle: (*API).search},
		{Method: "GET", Path: Prefix + "/stories", ID: "listStories", Summary: "Stories by recency (last seen) or size (outlets)",
			Params: []Param{{Name: "order", Type: "string", Enum: []string{"recent", "size"}, Desc: "recent (default) or size"},
				{Name: "since", Type: "string", Desc: "last seen at or after (a date, a time or an age)"},
				{Name: "until", Type: "string", Desc: "last seen before"}, pCursor, pLimit},
			Status: []int{200}, Resp: StoryList{}, handle: (*API).listStories},
		{Method: "GET", Path: Prefix + "/stories/{id}", ID: "getStory", Summary: "One story with its articles in time order",
			Params: []Param{pCursor, pLimit}, Status: []int{200}, Resp: StoryDetail{}, handle: (*API).getStory},
		{Method: "GET", Path: Prefix + "/copies", ID: "listCopies", Summary: "Copy groups: articles judged copies of one another",
			Params: []Param{{Name: "limit", Type: "integer", Desc: "groups per page (default 50, at most 500)"}, {Name: "offset", Type: "integer", Desc: "groups to skip"}},
			Status: []int{200}, Resp: CopyList{}, handle: (*API).listCopies},
		{Method: "GET", Path: Prefix + "/entities", ID: "listEntities", Summary: "The entities mentioned in the most articles published in a period",
			Params: []Param{pSince, pUntil, {Name: "type", Type: "string", Enum: []string{"person", "place", "org", "misc"}, Desc: "only this type"},
				{Name: "story", Type: "string", Desc: "only the articles of this story"}, pLimit},
			Status: []int{200}, Resp: EntityList{}, handle: (*API).listEntities},
		{Method: "GET", Path: Prefix + "/entities/{key}", ID: "getEntity", Summary: "One entity with the articles mentioning it",
			Params: []Param{pCursor, pLimit}, Status: []int{200}, Resp: EntityDetail{}, handle: (*API).getEntity},
		{Method: "GET", Path: Prefix + "/stats", ID: "stats", Summary: "Statistics of the database",
			Status: []int{200}, Resp: store.Stats{}, handle: (*API).stats},
		{Method: "GET", Path: Prefix + "/coverage", ID: "coverage", Summary: "The number of articles matching a query per day or hour",
			Params: []Param{{Name: "q", Type: "string", Desc: "a search query; empty counts every article"},
				{Name: "bucket", Type: "string", Enum: []string{"day", "hour"}, Desc: "day (default, UTC) or hour"},
				{Name: "since", Type: "string", Desc: "the first bucket (default: 30 days, or 48 hours, before until)"},
				{Name: "until", Type: "string", Desc: "the end of the last bucket (default: now)"},
				pSource, pLang, {Name: "all_copies", Type: "boolean", Desc: "count every copy (by default a copy group counts once)"}},
			Status: []int{200}, Resp: Coverage{}, handle: (*API).coverage},
		{Method: "GET", Path: Prefix + "/feeds", ID: "listFeeds", Summary: "The followed feeds with their polling status",
			Status: []int{200}, Resp: FeedList{}, handle: (*API).listFeeds},
		{Method: "POST", Path: Prefix + "/feeds", ID: "followFeed", Summary: "Follow a feed, or change its interval (201 when new, 200 when updated)",
			Body: FeedRequest{}, Status: []int{201, 200}, Resp: Feed{}, Write: true, MaxBody: maxFeedBody, handle: (*API).followFeed},
		{Method: "DELETE", Path: Prefix + "/feeds/{url}", ID: "unfollowFeed", Summary: "Stop following a feed (its articles stay)",
			Status: []int{204}, Write: true, handle: (*API).unfollowFeed},
	}
}

func (a *API) openapi(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	_, err := w.Write(a.doc)
	return err
}
