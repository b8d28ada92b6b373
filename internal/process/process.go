// Package process turns one raw input (HTML or plain text) into an article,
// choosing the extractor by content. It is the single entry point that both
// `newsdesk clean` and the ingest pipeline use.
package process

import (
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/enrich"
	"github.com/newsdesk/newsdesk/extract"
	"github.com/newsdesk/newsdesk/repair"
)

// Input is one raw document.
type Input struct {
	Name        string // what errors call it: a path, a URL, "-" for stdin
	URL         string // the page URL, when known
	ContentType string // HTTP Content-Type, when known
	Raw         []byte
	Fetched     time.Time
	Format      string // "auto" (default), "html" or "text"
	MaxBytes    int64  // 0 means the default limit
	// Batch, when set, holds line counts across a batch of text inputs so
	// that lines recurring in many of them are dropped as boilerplate.
	Batch *repair.Batch
	// Enrich runs entity, quote and time extraction on the result.
	Enrich bool
	// Published is the publication date to use when the input gives none
	// (newsdesk clean --published); it is set before enrich, so that
	// relative times resolve against it.
	Published time.Time
}

// Format returns the format raw will be processed as: "html" or "text"
// for auto (or empty) format, judged by content; format itself otherwise.
// The judgement needs only the first 4 KiB of raw.
func Format(raw []byte, format string) string {
	if format == "" || format == "auto" {
		if extract.LooksLikeHTML(raw) {
			return "html"
		}
		return "text"
	}
	return format
}

// Article builds the clean article for in.
func Article(in Input) (*article.Article, error) {
	format := Format(in.Raw, in.Format)
	var a *article.Article
	var err error
	switch format {
	case "html":
		a, err = extract.HTML(in.Raw, extract.Options{Name: in.Name, URL: in.URL, ContentType: in.ContentType, FetchTime: in.Fetched, MaxBytes: in.MaxBytes})
	case "text":
		a, err = repair.Text(in.Raw, repair.Options{Name: in.Name, MaxBytes: in.MaxBytes, Batch: in.Batch})
		if a != nil && in.URL != "" {
			a.URL = in.URL
			a.Finalize()
		}
	default:
		return nil, fmt.Errorf("process: %s: unknown format %q", in.Name, format)
	}
	if err != nil {
		return nil, err
	}
	if !in.Fetched.IsZero() && a.Fetched.IsZero() {
		a.Fetched = in.Fetched
	}
	if a.Published.IsZero() && !in.Published.IsZero() {
		a.Published = in.Published.UTC()
	}
	if in.Enrich {
		enrich.Enrich(a, enrich.Options{})
	}
	return a, nil
}
