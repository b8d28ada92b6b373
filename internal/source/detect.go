package source

import (
	"bytes"

	"github.com/newsdesk/newsdesk/internal/source/feed"
	"github.com/newsdesk/newsdesk/internal/source/sitemap"
)

// kind is what a document holds, judged by content.
type kind int

const (
	kindDoc kind = iota
	kindGzip
	kindWARC
	kindFeed
	kindSitemap
	kindSitemapIndex
	kindURLList
)

func (k kind) String() string {
	return [...]string{"document", "gzip", "warc", "feed", "sitemap", "sitemap index", "url list"}[k]
}

// Kind reports what head, the start of a document, holds: "document",
// "gzip", "warc", "feed", "sitemap", "sitemap index" or "url list".
// complete says head is the whole document.
func Kind(head []byte, complete bool) string { return sniff(head, complete).String() }

func sniff(head []byte, complete bool) kind {
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		return kindGzip
	}
	h := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(h) >= 6 && bytes.HasPrefix(h, []byte("WARC/")) && '0' <= h[5] && h[5] <= '9' {
		return kindWARC
	}
	if len(h) == 0 {
		return kindDoc
	}
	switch h[0] {
	case '<':
		if looksHTML(h) {
			return kindDoc
		}
		if feed.Sniff(h) != "" {
			return kindFeed
		}
		switch sitemap.Sniff(h) {
		case sitemap.URLSet:
			return kindSitemap
		case sitemap.Index:
			return kindSitemapIndex
		}
		return kindDoc
	case '{':
		if feed.Sniff(h) != "" {
			return kindFeed
		}
		return kindDoc
	}
	if isURLList(h, complete) {
		return kindURLList
	}
	return kindDoc
}

// looksHTML is a quick check for the common openings of an HTML page, to
// spare the XML sniffers.
func looksHTML(h []byte) bool {
	prefix := h[:min(len(h), 15)]
	return bytes.HasPrefix(bytes.ToLower(prefix), []byte("<!doctype html")) || bytes.HasPrefix(bytes.ToLower(prefix), []byte("<html"))
}

// isURLList reports whether every non-blank, non-comment line of h (its last
// line dropped when h is not the whole document) is a single URL-like token
// ("scheme://..."), with at least one absolute http(s) URL among them. Lines
// that are not http(s) URLs are then reported one by one by the URL list
// reader. Only the first 1,000 lines are checked.
func isURLList(h []byte, complete bool) bool {
	if !complete {
		i := bytes.LastIndexByte(h, '\n')
		if i < 0 {
			return false
		}
		h = h[:i]
	}
	urls := 0
	for i := 0; len(h) > 0 && i < 1000; i++ {
		line := h
		if j := bytes.IndexByte(h, '\n'); j >= 0 {
			line, h = h[:j], h[j+1:]
		} else {
			h = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if bytes.ContainsAny(line, " \t") || !bytes.Contains(line, []byte("://")) {
			return false
		}
		if _, ok := absHTTP(string(line)); ok {
			urls++
		}
	}
	return urls > 0
}
