package sqlite

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/store"
)

// queryTerms returns the words of a full-text query, lower-cased, without
// operators, column filters or quotes. A trailing '*' is kept as a prefix
// marker.
func queryTerms(q string) []string {
	var terms []string
	for _, f := range strings.FieldsFunc(q, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '*' && r != ':' && r != '\''
	}) {
		if i := strings.LastIndexByte(f, ':'); i >= 0 {
			f = f[i+1:] // title:word
		}
		switch f {
		case "AND", "OR", "NOT", "NEAR", "":
			continue
		}
		terms = append(terms, strings.ToLower(strings.Trim(f, "'")))
	}
	return terms
}

// stemPrefix cuts common English inflections so that a body word and a
// query word with the same stem match, as the index's porter stemmer does.
func stemPrefix(w string) string {
	for _, suf := range []string{"ing", "ies", "ed", "es", "s", "ly"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

func termMatches(token string, terms []string) bool {
	for _, t := range terms {
		if p, ok := strings.CutSuffix(t, "*"); ok {
			if p != "" && strings.HasPrefix(token, p) {
				return true
			}
			continue
		}
		if token == t || len(t) >= 4 && strings.HasPrefix(token, stemPrefix(t)) && len(token)-len(t) <= 3 {
			return true
		}
	}
	return false
}

type span struct {
	start, end int
	cjk        bool // one CJK character
}

// snippet returns the window of n words of body with the most query matches,
// matches wrapped in mark and unmark, and an ellipsis where text was cut.
func snippet(body string, terms []string, mark, unmark string, n int) string {
	var words []span
	var hit []bool
	start := -1
	for i, r := range body {
		if isCJK(r) {
			// Each CJK character is a word of its own: a run has no spaces.
			if start >= 0 {
				words = append(words, span{start: start, end: i})
				start = -1
			}
			words = append(words, span{i, i + utf8.RuneLen(r), true})
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			words = append(words, span{start: start, end: i})
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, span{start: start, end: len(body)})
	}
	if len(words) == 0 {
		return ""
	}
	hit = make([]bool, len(words))
	var cjkTerms [][]string
	for _, t := range terms {
		if hasCJK(t) {
			var chars []string
			for _, r := range strings.TrimSuffix(t, "*") {
				chars = append(chars, string(r))
			}
			cjkTerms = append(cjkTerms, chars)
		}
	}
	for i, w := range words {
		if w.cjk {
			// A CJK term marks the characters that spell it, adjacent.
			for _, chars := range cjkTerms {
				if cjkAt(body, words, i, chars) {
					for k := range chars {
						hit[i+k] = true
					}
				}
			}
			continue
		}
		hit[i] = hit[i] || termMatches(strings.ToLower(body[w.start:w.end]), terms)
	}
	return store.SnippetWindow(body, hit, func(i int) (int, int) { return words[i].start, words[i].end }, n, mark, unmark)
}

// cjkAt reports whether words from i on are the characters chars, each
// directly after the one before.
func cjkAt(body string, words []span, i int, chars []string) bool {
	if i+len(chars) > len(words) {
		return false
	}
	for k, c := range chars {
		w := words[i+k]
		if body[w.start:w.end] != c || k > 0 && words[i+k-1].end != w.start {
			return false
		}
	}
	return len(chars) > 0
}
