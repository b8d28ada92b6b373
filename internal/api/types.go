package api

import (
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// The response and request bodies. The OpenAPI document's schemas are
// derived from these types by reflection (see openapi.go), so the two
// cannot drift apart.

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
	// Candidates are the articles an ambiguous id prefix matches.
	Candidates []Candidate `json:"candidates,omitempty"`
	// Matches counts them (Candidates may hold only the first few).
	Matches int `json:"matches,omitempty"`
	// Column is where a query's syntax error is (1-based, in characters).
	Column int `json:"column,omitempty"`
}

// Candidate is an article an ambiguous id prefix matches.
type Candidate struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// VersionList is an article's stored versions, oldest first.
type VersionList struct {
	ID       string          `json:"id"`
	Versions []store.Version `json:"versions"`
}

// SubmitRequest submits one article: a URL to fetch, an HTML page (with
// its URL, when known) or plain text.
type SubmitRequest struct {
	URL  string `json:"url,omitempty"`
	HTML string `json:"html,omitempty"`
	Text string `json:"text,omitempty"`
	// Published dates an input that gives no date of its own
	// (2006-01-02 or RFC 3339), so that relative times resolve.
	Published string `json:"published,omitempty"`
}

// SearchResult is a page of search hits, best first.
type SearchResult struct {
	Query string      `json:"query"`
	Hits  []store.Hit `json:"hits"`
	// NextOffset, when present, is the offset of the next page.
	NextOffset int `json:"next_offset,omitempty"`
}

// Story is a story as lists show it.
type Story struct {
	ID        string    `json:"id"`
	Headline  string    `json:"headline"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Articles  int       `json:"articles"`
	Outlets   []string  `json:"outlets"`
}

// StoryList is a page of stories.
type StoryList struct {
	Stories []Story `json:"stories"`
	Next    string  `json:"next,omitempty"`
}

// StoryDetail is one story with a page of its articles, oldest first.
type StoryDetail struct {
	Story    Story           `json:"story"`
	Articles []store.Summary `json:"articles"`
	Next     string          `json:"next,omitempty"`
}

// CopyList is a page of copy groups (syndicated copies of one article).
type CopyList struct {
	Groups     []store.DupGroup `json:"groups"`
	Total      int              `json:"total"`
	NextOffset int              `json:"next_offset,omitempty"`
}

// EntityList is the most mentioned entities of a period.
type EntityList struct {
	Entities []store.EntityCount `json:"entities"`
}

// EntityDetail is one entity with a page of the articles mentioning it.
type EntityDetail struct {
	Entity   store.EntityCount `json:"entity"`
	Articles []store.Summary   `json:"articles"`
	Next     string            `json:"next,omitempty"`
}

// Coverage is the number of articles matching a query per period.
type Coverage struct {
	Query   string         `json:"query"`
	Bucket  string         `json:"bucket"` // day or hour
	Since   time.Time      `json:"since"`
	Until   time.Time      `json:"until"`
	Total   int            `json:"total"`
	Buckets []store.Bucket `json:"buckets"`
}

// Feed is a followed feed and its polling status.
type Feed struct {
	URL          string    `json:"url"`
	Every        string    `json:"every"` // a Go duration: 15m0s
	EverySeconds int64     `json:"every_seconds"`
	Added        time.Time `json:"added"`
	LastPoll     time.Time `json:"last_poll,omitzero"`
	LastStatus   string    `json:"last_status,omitempty"`
	LastError    string    `json:"last_error,omitempty"`
	NextPoll     time.Time `json:"next_poll,omitzero"`
	Failures     int       `json:"failures"`
	ItemsSeen    int       `json:"items_seen"`
	ItemsStored  int       `json:"items_stored"`
}

// FeedList is every followed feed, by URL.
type FeedList struct {
	Feeds []Feed `json:"feeds"`
}

// FeedRequest follows a feed, or changes its interval.
type FeedRequest struct {
	URL   string `json:"url"`
	Every string `json:"every,omitempty"` // a Go duration, default 15m, at least 1m
}

func feedView(f store.Feed) Feed {
	return Feed{URL: f.URL, Every: f.Every.String(), EverySeconds: int64(f.Every / time.Second), Added: f.Added,
		LastPoll: f.LastPoll, LastStatus: f.LastStatus, LastError: f.LastError, NextPoll: f.NextPoll,
		Failures: f.Failures, ItemsSeen: f.ItemsSeen, ItemsStored: f.ItemsStored}
}

func storyView(s store.StoryState) Story {
	out := Story{ID: s.ID, Headline: s.Headline, FirstSeen: s.First, LastSeen: s.Last, Articles: s.Count, Outlets: s.Outlets}
	if out.Outlets == nil {
		out.Outlets = []string{}
	}
	return out
}
