// Package repair turns raw scraped plain text into a clean article.Article.
package repair

import (
	"errors"

	"github.com/newsdesk/newsdesk/article"
)

// Errors returned for inputs that hold no usable article. They are wrapped
// with the input name, so test with errors.Is.
var (
	ErrEmpty     = errors.New("repair: empty input")
	ErrBinary    = errors.New("repair: binary input, not text")
	ErrTooLarge  = errors.New("repair: input exceeds size limit")
	ErrNoArticle = errors.New("repair: no article found")
)

// DefaultMaxBytes is the default input size limit.
const DefaultMaxBytes = 64 << 20

// Options control a repair.
type Options struct {
	Name     string // input name, used in errors and Input.Name
	MaxBytes int64  // 0 means DefaultMaxBytes
}

// Decode returns raw as UTF-8 text and the name of the encoding it was in.
func Decode(raw []byte) (string, string, error) { return string(raw), "utf-8", nil }

// Clean removes repeated paragraphs and boilerplate from paras, keeping the
// first copy of each paragraph in place. It returns the kept paragraphs and
// every removed one with its reason; Removed.Index is the position in paras.
func Clean(paras []string, opts Options) ([]string, []article.Removed) { return paras, nil }

// Text repairs a whole plain-text input into an article.
func Text(raw []byte, opts Options) (*article.Article, error) { return nil, ErrNoArticle }
