// Package extract turns an HTML page into an article.Article.
//
// HTML finds the page's encoding (BOM, HTTP header, <meta charset> or
// detection) and transcodes it to UTF-8, builds a light tree straight from
// the tokenizer, and cuts the tree into blocks (paragraphs, headings, list
// items, quotes). Each block is rated as article text or page furniture by
// its length, link density and punctuation, and elements are classified by
// tag, role, visibility and class/id vocabulary (navigation, ads, share
// bars, related stories, comments, cookie and newsletter boxes). The body
// is the element whose subtree holds the most article text net of
// furniture; a JSON-LD articleBody, when present, weights the blocks it
// contains. The kept paragraphs then go through repair.Clean, which drops
// repeated copies and boilerplate lines; every dropped block is listed in
// Article.Removed with its reason.
//
// Metadata comes from JSON-LD, meta tags, <time> elements, bylines and the
// URL, in the orders documented on each field in the issue: see HTML.
package extract

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/atom"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/repair"
)

// Errors returned by HTML, wrapped with the input name: test with errors.Is.
var (
	// ErrNoArticle is returned for a page that holds no article.
	ErrNoArticle = errors.New("no article found")
	// ErrBinary is returned for input that is not text at all.
	ErrBinary = errors.New("binary input, not HTML")
	// ErrTooLarge is returned for input over Options.MaxBytes.
	ErrTooLarge = errors.New("input exceeds size limit")
)

// DefaultMaxBytes is the size limit when Options.MaxBytes is zero.
const DefaultMaxBytes = 64 << 20

// Options control an extraction.
type Options struct {
	Name        string    // input name for errors and Input.Name
	URL         string    // the page URL, when known
	ContentType string    // the HTTP Content-Type header, for its charset
	FetchTime   time.Time // no date after this is accepted; zero means now
	MaxBytes    int64     // 0 means DefaultMaxBytes
}

// minBodyBytes is the least text a page must hold to count as an article
// without a warning; minShortWords the least it must hold at all.
const (
	minBodyBytes  = 80
	minShortWords = 3
)

// HTML extracts the article from raw HTML.
//
// Title: JSON-LD headline, og:title, the article's h1, then <title> with
// the site name stripped. Authors: JSON-LD author, author meta tags,
// rel=author and byline elements, never the publisher or a name in a
// sidebar. Published and modified: JSON-LD, article:* and similar meta
// tags (including dc.date), <time> elements outside sidebars and ads, and
// a date in the URL last; never a date after the fetch time. Source: the
// og:site_name or JSON-LD publisher, and the domain of the URL. Language:
// <html lang>, meta tags, else detected from the text.
func HTML(raw []byte, opts Options) (*article.Article, error) {
	name := opts.Name
	if name == "" {
		name = "input"
	}
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	if int64(len(raw)) > limit {
		return nil, fmt.Errorf("extract: %s: %w (%d bytes > %d)", name, ErrTooLarge, len(raw), limit)
	}
	if isBinary(raw) {
		return nil, fmt.Errorf("extract: %s: %w", name, ErrBinary)
	}
	fetch := opts.FetchTime
	if fetch.IsZero() {
		fetch = time.Now()
	}
	src, enc := decode(raw, opts.ContentType)
	sum := sha256.Sum256(raw)
	a := &article.Article{
		Input: article.Input{
			Name: name, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(raw)),
			Format: "html", Encoding: enc,
		},
	}

	d := parse(src)
	m := collectMeta(d)

	// The URL first, since the domain helps to recognise the site name.
	a.URL = strings.TrimSpace(opts.URL)
	base := a.URL
	if base == "" {
		base = resolveURL("", m.prop("og:url"))
		if base == "" {
			base = resolveURL("", m.canonical)
		}
		a.URL = base
	}
	if c := resolveURL(base, m.canonical); c != "" {
		a.CanonicalURL = c
	} else if c := resolveURL(base, m.prop("og:url")); c != "" {
		a.CanonicalURL = c
	}
	a.Source.Domain = hostOf(a.URL)
	if a.Source.Domain == "" {
		a.Source.Domain = hostOf(a.CanonicalURL)
	}
	site := m.siteName()
	a.Source.Name = site

	paras, idx, removed, blocks, used := bestBody(d, m)
	if used != passStrict {
		a.Warnings = append(a.Warnings, "extract: the page's layout hid its article; kept the best text of a looser pass")
	}
	root := bodyRoot(d, blocks, idx)
	a.Title = m.title(d, root, site, a.Source.Domain)
	if a.Title != "" {
		// Drop a heading that repeats the title, now that it is known.
		paras, idx, removed = dropTitle(paras, idx, removed, blocks, a.Title)
	}
	a.Authors = m.authors(site, a.Source.Domain)
	dateURL := a.URL
	if dateURL == "" {
		dateURL = a.CanonicalURL
	}
	a.Published, a.Modified = m.dates(dateURL, fetch)
	a.Description = m.prop("og:description", "description", "twitter:description")
	if a.Description == "" {
		a.Description = collapse(m.ld.description)
	}
	if img := m.prop("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"); img != "" {
		a.Image = resolveURL(base, img)
	} else if m.ld.image != "" {
		a.Image = resolveURL(base, m.ld.image)
	}

	if len(paras) == 0 && len(m.ld.body) >= minBodyBytes {
		// The page's markup gave nothing (a script-rendered page), but
		// its JSON-LD carries the text.
		for _, p := range strings.Split(m.ld.body, "\n") {
			if p = collapse(p); p != "" {
				paras = append(paras, p)
				idx = append(idx, -1)
			}
		}
	}
	kept, dropped := repair.Clean(paras, repair.Options{Name: name, Markup: true})
	for _, r := range dropped {
		// repair indexes its own input; map back to page blocks.
		if r.Index >= 0 && r.Index < len(idx) && idx[r.Index] >= 0 {
			r.Index = idx[r.Index]
			r.Offset = blocks[r.Index].offset
		}
		if r.Of != nil && *r.Of >= 0 && *r.Of < len(idx) && idx[*r.Of] >= 0 {
			of := idx[*r.Of]
			r.Of = &of
		}
		removed = append(removed, r)
	}
	a.Paragraphs = kept
	slices.SortStableFunc(removed, func(x, y article.Removed) int { return x.Index - y.Index })
	a.Removed = collapseRuns(removed, blocks)
	a.Language = m.language()
	if a.Language == "" {
		a.Language = detectLanguage(kept)
	}
	a.Finalize()
	if len(a.Text) < minBodyBytes {
		// A short page (a note, an error page, a redirect) still gets its
		// best text, flagged, when it has a few words; nothing at all is
		// "no article".
		if a.WordCount < minShortWords {
			return nil, fmt.Errorf("extract: %s: %w", name, ErrNoArticle)
		}
		a.Warnings = append(a.Warnings, fmt.Sprintf("extract: the page holds only %d words of text outside its furniture", a.WordCount))
	}
	return a, nil
}

// strictEnough is the text a strict pass must keep for the looser passes
// not to be tried: as much as a page needs to count as an article.
const strictEnough = minBodyBytes

// bestBody runs selectBody strictly, then, when that keeps little text,
// more loosely, and returns the pass that kept the most. Pages that pass
// strictly pay for one pass only.
func bestBody(d *document, m *pageMeta) (paras []string, idx []int, removed []article.Removed, blocks []block, used pass) {
	bestLen := -1
	for p := passStrict; p <= passLoose; p++ {
		bl := segment(d, p >= passRelaxed)
		if len(m.ld.body) >= 200 {
			markHints(bl, m.ld.body)
		}
		ps, ix, rm := selectBody(d, bl, "", p)
		n := 0
		for _, t := range ps {
			n += len(t)
		}
		// A looser pass must find clearly more to be preferred: it
		// trades the page's own markup for text density alone.
		if bestLen < 0 || n > 2*bestLen && n >= minBodyBytes {
			paras, idx, removed, blocks, used, bestLen = ps, ix, rm, bl, p, n
		}
		if bestLen >= strictEnough {
			break
		}
	}
	return paras, idx, removed, blocks, used
}

// collapseRuns merges runs of removed furniture into one entry per page
// region, so that a menu of 300 links is one entry rather than 300: a run
// is consecutive blocks (hidden ones aside) removed for the same page-level
// reason whose elements share an ancestor below <body>. The entry keeps the
// first block's index and offset; its text is the blocks' lines joined by
// newlines, so nothing is lost.
func collapseRuns(removed []article.Removed, blocks []block) []article.Removed {
	out := make([]article.Removed, 0, len(removed))
	last := -1 // the last block index covered by out's last entry
	for _, r := range removed {
		if n := len(out); n > 0 && last >= 0 && r.Index > last && r.Index < len(blocks) && r.Of == nil &&
			out[n-1].Reason == r.Reason && collapsible(r.Reason) && onlyHiddenBetween(blocks, last, r.Index) &&
			sameRegion(blocks[last].owner, blocks[r.Index].owner) {
			out[n-1].Text += "\n" + r.Text
			last = r.Index
			continue
		}
		out = append(out, r)
		last = r.Index
		if r.Index >= len(blocks) || r.Of != nil {
			last = -1
		}
	}
	return out
}

func collapsible(r article.Reason) bool {
	switch r {
	case article.ReasonNav, article.ReasonRelated, article.ReasonAd, article.ReasonCTA:
		return true
	}
	return false
}

func onlyHiddenBetween(blocks []block, i, j int) bool {
	for k := i + 1; k < j; k++ {
		if !blocks[k].silent() {
			return false
		}
	}
	return true
}

// sameRegion reports whether a and b have a common ancestor below <body>.
func sameRegion(a, b *node) bool {
	for a != nil && b != nil && a != b {
		if a.depth >= b.depth {
			a = a.parent
		} else {
			b = b.parent
		}
	}
	return a != nil && a == b && a.tag != atom.Body && a.tag != atom.Html && a.parent != nil
}

// bodyRoot is the lowest common ancestor of the kept blocks.
func bodyRoot(d *document, blocks []block, idx []int) *node {
	if len(idx) == 0 {
		return nil
	}
	r := blocks[idx[0]].owner
	for _, i := range idx[1:] {
		for r != nil && !within(blocks[i].owner, r) {
			r = r.parent
		}
	}
	if r == nil {
		return d.root
	}
	return r
}

func dropTitle(paras []string, idx []int, removed []article.Removed, blocks []block, title string) ([]string, []int, []article.Removed) {
	nt := article.NormalizeText(title)
	for k := 0; k < len(paras) && k < 3; k++ {
		if isHeading(blocks[idx[k]].tag) && article.NormalizeText(paras[k]) == nt {
			removed = append(removed, article.Removed{Text: paras[k], Reason: reasonTitle, Index: idx[k], Offset: blocks[idx[k]].offset})
			paras = append(paras[:k:k], paras[k+1:]...)
			idx = append(idx[:k:k], idx[k+1:]...)
			break
		}
	}
	return paras, idx, removed
}

// LooksLikeHTML reports whether raw is HTML, judged by content, not name:
// after any BOM, white space and comments, it opens with a doctype or the
// tag of an HTML element (a saved page or a fragment of one: "<table",
// "<center", "<h1"), or its first 4 KiB hold three or more tags of HTML
// elements. Plain text that mentions a tag or two is not HTML, nor is XML
// such as a feed.
func LooksLikeHTML(raw []byte) bool {
	head := raw[:min(len(raw), 4096)]
	if isBinary(head) {
		return false
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	lower := bytes.ToLower(bytes.TrimLeft(head, " \t\r\n\f"))
	if bytes.HasPrefix(lower, []byte("<?xml")) {
		// XHTML says so; other XML (feeds, sitemaps) is not a page.
		return bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<body"))
	}
	// Skip leading comments, as generators write them before the page.
	for bytes.HasPrefix(lower, []byte("<!--")) {
		end := bytes.Index(lower, []byte("-->"))
		if end < 0 {
			break
		}
		lower = bytes.TrimLeft(lower[end+3:], " \t\r\n\f")
	}
	if bytes.HasPrefix(lower, []byte("<!doctype html")) || htmlTagAt(lower, 0) {
		return true
	}
	tags := 0
	for i := bytes.IndexByte(lower, '<'); i >= 0 && i < len(lower); {
		if htmlTagAt(lower, i) {
			tags++
			if tags >= 3 {
				return true
			}
		}
		next := bytes.IndexByte(lower[i+1:], '<')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

// htmlTagAt reports a start or end tag of a known HTML element at b[i],
// which must be '<' (b is lower-cased).
func htmlTagAt(b []byte, i int) bool {
	if i >= len(b) || b[i] != '<' {
		return false
	}
	j := i + 1
	if j < len(b) && b[j] == '/' {
		j++
	}
	k := j
	for k < len(b) && (b[k] >= 'a' && b[k] <= 'z' || b[k] >= '0' && b[k] <= '9') {
		k++
	}
	if k == j || k < len(b) && b[k] != '>' && b[k] != ' ' && b[k] != '/' && b[k] != '\t' && b[k] != '\n' && b[k] != '\r' {
		return false
	}
	switch a := atom.Lookup(b[j:k]); a {
	case 0, atom.Title, atom.Link, atom.Source, atom.Image, atom.Data, atom.Time, atom.Summary, atom.Label:
		// Names feeds and other XML share with HTML do not count.
		return false
	}
	return true
}

// isBinary reports input that no text encoding explains: NUL bytes or
// many control characters in its first 8 KiB.
func isBinary(raw []byte) bool {
	if bytes.HasPrefix(raw, []byte{0xFF, 0xFE}) || bytes.HasPrefix(raw, []byte{0xFE, 0xFF}) {
		return false // UTF-16 holds NULs legitimately
	}
	head := raw[:min(len(raw), 8192)]
	ctl := 0
	for _, c := range head {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b {
			ctl++
		}
	}
	return ctl*20 > len(head)
}

// markHints counts, for each block, how many of its word 3-grams occur in
// the JSON-LD articleBody.
func markHints(blocks []block, body string) {
	set := make(map[uint64]struct{}, len(body)/5)
	forShingles(body, func(h uint64) { set[h] = struct{}{} })
	for i := range blocks {
		b := &blocks[i]
		forShingles(b.text, func(h uint64) {
			b.hintAll++
			if _, ok := set[h]; ok {
				b.hintHits++
			}
		})
	}
}

// forShingles calls f with a hash of each run of three words of s.
func forShingles(s string, f func(uint64)) {
	var w [3]uint64
	n := 0
	h := uint64(14695981039346656037)
	inWord := false
	flush := func() {
		w[0], w[1], w[2] = w[1], w[2], h
		n++
		if n >= 3 {
			f(w[0]*31*31 + w[1]*31 + w[2])
		}
		h = 14695981039346656037
	}
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if isWordRune(r) {
			inWord = true
			h ^= uint64(r)
			h *= 1099511628211
		} else if inWord {
			inWord = false
			flush()
		}
		i += size
	}
	if inWord {
		flush()
	}
}
