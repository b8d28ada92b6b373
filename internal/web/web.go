// Package web serves newsdesk's reading pages: front page, story,
// article, search, feeds and entity pages, rendered on the server from
// embedded templates. Scraped text is untrusted: everything is escaped by
// html/template, and every response carries a strict Content-Security-
// Policy.
package web

import (
	"net/http"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// Options configure the pages.
type Options struct {
	// Now returns the current time (tests fix it); nil means time.Now.
	Now func() time.Time
}

// New returns the handler of the web pages over st, to be mounted at "/".
// st must also implement store.Newsroom.
func New(st store.Store, opts Options) http.Handler {
	mux := http.NewServeMux()
	return mux
}
