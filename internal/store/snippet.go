package store

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SnippetWindow cuts a search snippet from body: of its words (hit[i]
// says whether word i matched; bounds gives its byte offsets), the window
// of n words with the most matches, led by its first match when the last
// still fits, with the matches between mark and unmark (adjacent ones
// share one mark) and "…" where the body goes on. Stores decide what
// matches; the cut is the same for all.
func SnippetWindow(body string, hit []bool, bounds func(i int) (start, end int), n int, mark, unmark string) string {
	if len(hit) == 0 {
		return ""
	}
	// Slide a window of n words; keep the one with the most hits.
	best, bestHits, cur := 0, -1, 0
	for i := range hit {
		if hit[i] {
			cur++
		}
		if i >= n && hit[i-n] {
			cur--
		}
		if first := max(0, i-n+1); cur > bestHits {
			best, bestHits = first, cur
		}
	}
	// Start two words before the window's first match, when its last match
	// still fits, so the snippet leads with the match rather than ending on it.
	if bestHits > 0 {
		f, l := -1, -1
		for i := best; i < min(len(hit), best+n); i++ {
			if hit[i] {
				if f < 0 {
					f = i
				}
				l = i
			}
		}
		best = max(0, min(f, max(f-2, l-n+1)))
	}
	last := min(len(hit), best+n) - 1
	var b strings.Builder
	if best > 0 {
		b.WriteString("…")
	}
	pos, _ := bounds(best)
	open := false // a phrase of adjacent matches shares one mark
	for i := best; i <= last; i++ {
		start, end := bounds(i)
		gap := body[pos:start]
		if open && (!hit[i] || strings.TrimSpace(gap) != "") {
			b.WriteString(unmark)
			open = false
		}
		b.WriteString(gap)
		if hit[i] && !open {
			b.WriteString(mark)
			open = true
		}
		b.WriteString(body[start:end])
		pos = end
	}
	if open {
		b.WriteString(unmark)
	}
	if last < len(hit)-1 {
		// Keep closing punctuation attached to the last word.
		if r, size := utf8.DecodeRuneInString(body[pos:]); size > 0 && unicode.IsPunct(r) {
			b.WriteString(body[pos : pos+size])
		}
		b.WriteString("…")
	} else {
		b.WriteString(body[pos:])
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
