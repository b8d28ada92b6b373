// Package extract turns an HTML page into an article.Article.
package extract

import (
	"errors"
	"time"

	"github.com/newsdesk/newsdesk/article"
)

// ErrNoArticle is returned for a page that holds no article.
var ErrNoArticle = errors.New("extract: no article found")

// Options control an extraction.
type Options struct {
	Name        string    // input name for errors and Input.Name
	URL         string    // the page URL, when known
	ContentType string    // the HTTP Content-Type header, for its charset
	FetchTime   time.Time // no date after this is accepted; zero means now
	MaxBytes    int64     // 0 means a large default
}

// HTML extracts the article from raw HTML.
func HTML(raw []byte, opts Options) (*article.Article, error) { return nil, ErrNoArticle }

// LooksLikeHTML reports whether raw is HTML, judged by content, not name.
func LooksLikeHTML(raw []byte) bool { return false }
