package postgres

import (
	"strings"

	"github.com/newsdesk/newsdesk/internal/store"
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
	return store.SnippetWindow(body, hit, func(i int) (int, int) { return ws[i].start, ws[i].end }, n, mark, unmark)
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
