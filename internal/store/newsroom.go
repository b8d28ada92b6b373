package store

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/article"
)

// Newsroom is what the server reads to browse a store: pages of
// articles, stories and entities, coverage over time, and the feeds it
// follows. Stores implement it beside Store (the SQLite store does);
// callers get it with AsNewsroom.
//
// Lists are pages: a query's Limit caps a page (0 means DefaultPageSize,
// and no page is longer than MaxPageSize) and a page's Next, when not
// empty, is the opaque cursor of the page after it. Cursors stay valid
// while articles are added: a page never repeats an item of an earlier
// page of the same query.
type Newsroom interface {
	// Articles lists stored articles, newest first by publication date
	// (then by stored time and id), or a story's in time order.
	Articles(ctx context.Context, q ArticleQuery) (ArticlePage, error)
	// StoryList lists stories by recency or size.
	StoryList(ctx context.Context, q StoryQuery) (StoryPage, error)
	// Story returns one story (without its clusterer state), or ErrNotFound.
	Story(ctx context.Context, id string) (StoryState, error)
	// TopEntities counts entities over articles published in a period:
	// the number of articles mentioning each, most first.
	TopEntities(ctx context.Context, q EntityQuery) ([]EntityCount, error)
	// Entity returns one entity by key with its counts, or ErrNotFound.
	Entity(ctx context.Context, key string) (EntityCount, error)
	// Coverage counts the articles matching a search per day or hour:
	// every bucket from Since to Until, zeros included.
	Coverage(ctx context.Context, q CoverageQuery) ([]Bucket, error)

	// PutFeed adds a followed feed or updates it (keyed by URL).
	PutFeed(ctx context.Context, f Feed) error
	// Feeds lists the followed feeds by URL.
	Feeds(ctx context.Context) ([]Feed, error)
	// Feed returns one feed, or ErrNotFound.
	Feed(ctx context.Context, url string) (Feed, error)
	// DeleteFeed stops following a feed (ErrNotFound when not followed);
	// its articles stay.
	DeleteFeed(ctx context.Context, url string) error
}

// AsNewsroom returns st's Newsroom, or false when st has none.
func AsNewsroom(st Store) (Newsroom, bool) {
	n, ok := st.(Newsroom)
	return n, ok
}

// Page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// ArticleQuery selects articles. Filter.Limit is the page size.
type ArticleQuery struct {
	Filter
	Story    string // only this story's articles, oldest first
	DupGroup string // only this copy group's articles
	Entity   string // only articles mentioning this entity key
	Cursor   string // from the previous page's Next
}

// Summary is an article as a list shows it.
type Summary struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	URL         string         `json:"url,omitempty"`
	Source      article.Source `json:"source"`
	Published   time.Time      `json:"published,omitzero"`
	Stored      time.Time      `json:"stored"`
	Language    string         `json:"language,omitempty"`
	Description string         `json:"description,omitempty"`
	WordCount   int            `json:"word_count"`
	DupGroup    string         `json:"dup_group,omitempty"`
	Story       string         `json:"story,omitempty"`
}

// ArticlePage is one page of articles.
type ArticlePage struct {
	Articles []Summary `json:"articles"`
	Next     string    `json:"next,omitempty"`
}

// Story orders.
const (
	ByRecency = "recent" // last seen, newest first
	BySize    = "size"   // most outlets, then most articles, then recency
)

// StoryQuery selects stories last seen in [Since, Until) (zero: open).
type StoryQuery struct {
	Since, Until time.Time
	Order        string // ByRecency (default) or BySize
	Limit        int
	Cursor       string
}

// StoryPage is one page of stories; their State is left empty.
type StoryPage struct {
	Stories []StoryState `json:"stories"`
	Next    string       `json:"next,omitempty"`
}

// EntityQuery selects entities mentioned in articles published in
// [Since, Until) (zero: open), of one type when Type is set, and of one
// story's articles when Story is set.
type EntityQuery struct {
	Since, Until time.Time
	Type         string // person, place, org, misc
	Story        string // only the articles of this story
	Limit        int    // 0 means DefaultPageSize
}

// EntityCount is an entity with how much it is mentioned.
type EntityCount struct {
	Key      string `json:"key"`
	Text     string `json:"text"` // the canonical name
	Type     string `json:"type"`
	Articles int    `json:"articles"` // articles mentioning it
	Mentions int    `json:"mentions"` // mentions in them
}

// CoverageQuery counts the articles matching Query.Text and its filter
// (an empty Text matches every article) per Bucket: 24h (days, UTC) or
// 1h. Copies count once unless Query.AllCopies.
type CoverageQuery struct {
	Query
	Bucket time.Duration
}

// Bucket is one period of a coverage series.
type Bucket struct {
	Start time.Time `json:"start"`
	Count int       `json:"count"`
}

// Feed is a followed source and its polling state.
type Feed struct {
	URL          string        `json:"url"`
	Every        time.Duration `json:"every"` // the poll interval asked for
	Added        time.Time     `json:"added"`
	ETag         string        `json:"etag,omitempty"`
	LastModified string        `json:"last_modified,omitempty"`
	LastPoll     time.Time     `json:"last_poll,omitzero"`
	LastStatus   string        `json:"last_status,omitempty"` // "ok", "not-modified", "error"
	LastError    string        `json:"last_error,omitempty"`
	NextPoll     time.Time     `json:"next_poll,omitzero"`
	Failures     int           `json:"failures"` // consecutive failed polls
	ItemsSeen    int           `json:"items_seen"`
	ItemsStored  int           `json:"items_stored"`
}
