package postgres

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Snippets are cut here from the head of the body, not by ts_headline:
// the text PostgreSQL indexed is folded and split (text.go), and a
// snippet must show the original. A word matches a term when their folded
// forms are equal, when the term is a prefix (term*) of it, or when they
// differ in an inflection only (a shared stem of four letters or more
// and at most three letters more or less), which is what the stemmers
// make of most news words.

// termMatches reports whether the folded word w matches one of terms.
func termMatches(w string, terms []string) bool {
	for _, t := range terms {
		if p, ok := strings.CutSuffix(t, "*"); ok {
			if p != "" && strings.HasPrefix(w, p) {
				return true
			}
			continue
		}
		if w == t {
			return true
		}
		if len(t) < 4 || len(w) < 4 {
			continue
		}
		common := 0
		for common < len(t) && common < len(w) && t[common] == w[common] {
			common++
		}
		if common >= 4 && common >= len(t)-3 && common >= len(w)-3 {
			return true
		}
	}
	return false
}

// snippet returns the window of n words of body with the most matches of
// terms, matches (a run of adjacent ones together) between mark and
// unmark, and an ellipsis where the body was cut.
func snippet(body string, terms []string, mark, unmark string, n int) string {
	var ws []word
	words(body, func(w word) { ws = append(ws, w) })
	if len(ws) == 0 {
		return ""
	}
	hit := make([]bool, len(ws))
	var cjkTerms [][]string
	var plain []string
	for _, t := range terms {
		var chars []string
		for _, r := range strings.TrimSuffix(t, "*") {
			if isCJK(r) {
				chars = append(chars, string(r))
			}
		}
		if len(chars) > 0 {
			cjkTerms = append(cjkTerms, chars)
		} else {
			plain = append(plain, t)
		}
	}
	for i, w := range ws {
		if !w.cjk {
			hit[i] = hit[i] || termMatches(w.folded, plain)
			continue
		}
		for _, chars := range cjkTerms {
			if spells(ws, i, chars) {
				for k := range chars {
					hit[i+k] = true
				}
			}
		}
	}
	// The window of n words with the most hits.
	best, bestHits, cur := 0, -1, 0
	for i := range ws {
		if hit[i] {
			cur++
		}
		if i >= n && hit[i-n] {
			cur--
		}
		if cur > bestHits {
			best, bestHits = max(0, i-n+1), cur
		}
	}
	// Lead with the first match (two words before it) when the last still fits.
	if bestHits > 0 {
		first, last := -1, -1
		for i := best; i < min(len(ws), best+n); i++ {
			if hit[i] {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		best = max(0, min(first, max(first-2, last-n+1)))
	}
	end := min(len(ws), best+n) - 1
	var b strings.Builder
	if best > 0 {
		b.WriteString("…")
	}
	pos := ws[best].start
	open := false
	for i := best; i <= end; i++ {
		w := ws[i]
		gap := body[pos:w.start]
		if open && (!hit[i] || strings.TrimSpace(gap) != "") {
			b.WriteString(unmark)
			open = false
		}
		b.WriteString(gap)
		if hit[i] && !open {
			b.WriteString(mark)
			open = true
		}
		b.WriteString(body[w.start:w.end])
		pos = w.end
	}
	if open {
		b.WriteString(unmark)
	}
	if end < len(ws)-1 {
		if r, size := utf8.DecodeRuneInString(body[pos:]); size > 0 && unicode.IsPunct(r) {
			b.WriteString(body[pos : pos+size])
		}
		b.WriteString("…")
	} else {
		b.WriteString(body[pos:])
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// spells reports whether the words from i on are the CJK characters
// chars, each directly after the one before.
func spells(ws []word, i int, chars []string) bool {
	if i+len(chars) > len(ws) {
		return false
	}
	for k, c := range chars {
		w := ws[i+k]
		if !w.cjk || w.folded != c || k > 0 && ws[i+k-1].end != w.start {
			return false
		}
	}
	return true
}
