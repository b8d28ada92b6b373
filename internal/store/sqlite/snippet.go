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

// termMatcher tells which body words a query's terms match. A snippet
// tests every word of up to snippetHead bytes of body against the terms,
// so each term's stem is cut once, and a word whose first letter starts
// no term is turned down before it is lower-cased.
type termMatcher struct {
	terms    []matchTerm
	first    [utf8.RuneSelf]bool // ASCII first bytes of the terms
	nonASCII bool                // a term starts with a non-ASCII letter
}

type matchTerm struct {
	word   string // the term, or a prefix term without its '*'
	stem   string // stemPrefix(word), when word is 4 bytes or more
	prefix bool
}

func newTermMatcher(terms []string) *termMatcher {
	m := &termMatcher{}
	for _, t := range terms {
		mt := matchTerm{word: t}
		if p, ok := strings.CutSuffix(t, "*"); ok {
			mt = matchTerm{word: p, prefix: true}
		} else if len(t) >= 4 {
			mt.stem = stemPrefix(t)
		}
		if mt.word == "" {
			continue // a bare '*' matches nothing
		}
		if b := mt.word[0]; b < utf8.RuneSelf {
			m.first[b] = true
		} else {
			m.nonASCII = true
		}
		m.terms = append(m.terms, mt)
	}
	return m
}

// match reports whether word (as written in the body) matches a term: the
// same word lower-cased, a word starting with a prefix term, or, for a term
// of 4 bytes or more, a word starting with its stem and at most 3 bytes
// longer than it.
func (m *termMatcher) match(word string) bool {
	if b := word[0]; b < utf8.RuneSelf {
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if !m.first[b] {
			return false
		}
	} else if !m.nonASCII {
		// A non-ASCII letter lower-cases to ASCII only rarely (the Kelvin
		// sign): check those words in full.
		if r, _ := utf8.DecodeRuneInString(word); unicode.ToLower(r) >= utf8.RuneSelf {
			return false
		}
	}
	token := strings.ToLower(word)
	for _, t := range m.terms {
		if t.prefix {
			if strings.HasPrefix(token, t.word) {
				return true
			}
			continue
		}
		if token == t.word || t.stem != "" && strings.HasPrefix(token, t.stem) && len(token)-len(t.word) <= 3 {
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
	words := make([]span, 0, len(body)/6)
	start := -1
	for i, r := range body {
		if r < utf8.RuneSelf {
			// ASCII: letters and digits make words, the rest splits them.
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
				if start < 0 {
					start = i
				}
				continue
			}
		} else if isCJK(r) {
			// Each CJK character is a word of its own: a run has no spaces.
			if start >= 0 {
				words = append(words, span{start: start, end: i})
				start = -1
			}
			words = append(words, span{i, i + utf8.RuneLen(r), true})
			continue
		} else if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
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
	hit := make([]bool, len(words))
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
	m := newTermMatcher(terms)
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
		hit[i] = hit[i] || m.match(body[w.start:w.end])
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
