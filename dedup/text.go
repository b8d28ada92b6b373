package dedup

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopwords are English function words and news filler that say nothing
// about which event an article covers.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all am an and any are aren't as at be
		because been before being below between both but by can cannot could did do does doing don't down
		during each few for from further had has have having he her here hers herself him himself his how i
		if in into is it its itself let me more most my myself no nor not of off on once only or other ought
		our ours ourselves out over own same she should so some such than that the their theirs them
		themselves then there these they this those through to too under until up very was we were what when
		where which while who whom why will with would you your yours yourself yourselves said says say also
		one two three new year years time people just like told last first may might many much made make us
		per since it's he's she's i'm we're they're isn't wasn't didn't mr mrs ms s t according`) {
		m[w] = true
	}
	return m
}()

// stem strips one common English inflection, so "protests", "protested"
// and "protesting" meet. It is deliberately light: a wrong merge costs more
// than a missed one.
func stem(w string) string {
	for _, suf := range [...]string{"ing", "ed", "es", "s"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// words splits s into folded words: runs of letters, digits and marks,
// lower-cased, with each Han, Hiragana and Katakana character a word of
// its own. A word that folding leaves as it is (most of a text) is passed
// as a substring of s, without copying; fn must copy what it keeps.
func words(s string, fn func(w string)) {
	var buf []byte
	start := -1     // start of the current word while it is s[start:i] as is
	folded := false // the current word is in buf instead
	flush := func(end int) {
		if folded {
			fn(string(buf))
			buf, folded = buf[:0], false
		} else if start >= 0 {
			fn(s[start:end])
		}
		start = -1
	}
	// fold moves the current word into buf, from where it started to i.
	fold := func(i int) {
		if !folded {
			buf = buf[:0]
			if start >= 0 {
				buf = append(buf, s[start:i]...)
			}
			folded = true
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				if folded {
					buf = append(buf, c)
				} else if start < 0 {
					start = i
				}
			case 'A' <= c && c <= 'Z':
				fold(i)
				buf = append(buf, c+'a'-'A')
			default:
				flush(i)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			flush(i)
			fn(s[i : i+size])
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if lr := unicode.ToLower(r); lr != r || folded {
				fold(i)
				buf = utf8.AppendRune(buf, lr)
			} else if start < 0 {
				start = i
			}
		default:
			flush(i)
		}
		i += size
	}
	flush(len(s))
}

// terms adds the index terms of s to tf with weight w: stemmed words that
// are not stop words, and four-digit numbers (years); other numbers are
// left out.
func terms(s string, w float64, tf map[string]float64) {
	words(s, func(x string) {
		if stopwords[x] {
			return
		}
		if isNumber(x) {
			return
		}
		add(tf, stem(x), w)
	})
}

// isNumber reports whether w is all digits but not a four-digit year:
// story terms leave such numbers out (a lead keeps them apart).
func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return len(w) != 4
}

// add adds w to tf[k], copying k when it is new: words hands out
// substrings of the text, which a map key must not keep alive.
func add(tf map[string]float64, k string, w float64) {
	if n, ok := tf[k]; ok {
		tf[k] = n + w
	} else {
		tf[strings.Clone(k)] = w
	}
}

// leadTerms adds the terms of the first limit words of s (all of them when
// limit is 0) to tf: as terms does, but numbers are kept, as "#" and their
// digits, since a lead's figures (715 planets, 13 students) tell one event
// from its follow-ups.
func leadTerms(s string, limit int, tf map[string]float64) {
	n := 0
	words(s, func(x string) {
		if limit > 0 && n >= limit {
			return
		}
		n++
		if stopwords[x] {
			return
		}
		if isNumber(x) {
			tf["#"+x]++
			return
		}
		add(tf, stem(x), 1)
	})
}

// NameSequences returns the capitalized word sequences of text with their
// counts, folded to lower case: a cheap stand-in for named entities ("Sonja
// Gaudet", "Team Canada", "NBA") when none were extracted. A capitalized
// stop word opening a sentence is not a name.
func NameSequences(text string) map[string]int {
	out := map[string]int{}
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out[strings.Join(cur, " ")]++
			cur = cur[:0]
		}
	}
	sentenceStart := true
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += size
			switch r {
			case '.', '!', '?', '\n', ':', ';', '"', '\u201C', '\u201D':
				flush()
				sentenceStart = true
			case ' ', '\t', '\u00A0':
			default:
				if r != '-' && r != '\'' && r != '\u2019' {
					flush()
				}
			}
			continue
		}
		j := i
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if unicode.IsLetter(r2) || unicode.IsDigit(r2) || unicode.IsMark(r2) {
				j += s2
				continue
			}
			// Keep "O'Neill", "Phelps-Roper" and "don't" whole.
			if (r2 == '\'' || r2 == '\u2019' || r2 == '-') && j+s2 < len(text) {
				if r3, _ := utf8.DecodeRuneInString(text[j+s2:]); unicode.IsLetter(r3) {
					j += s2
					continue
				}
			}
			break
		}
		w := text[i:j]
		i = j
		lw := strings.ToLower(w)
		if unicode.IsUpper(r) && !(sentenceStart && stopwords[lw]) {
			cur = append(cur, lw)
		} else {
			flush()
		}
		sentenceStart = false
	}
	flush()
	return out
}

// splitParagraphs splits text at blank lines (lines of white space only)
// and trims each paragraph.
func splitParagraphs(text string) []string {
	var out []string
	start := -1 // offset of the current paragraph's first line
	end := 0    // end of its last non-blank line
	for off := 0; off < len(text); {
		line := text[off:]
		if j := strings.IndexByte(line, '\n'); j >= 0 {
			line = line[:j+1]
		}
		if strings.TrimSpace(line) == "" {
			if start >= 0 {
				out = append(out, strings.TrimSpace(text[start:end]))
				start = -1
			}
		} else {
			if start < 0 {
				start = off
			}
			end = off + len(line)
		}
		off += len(line)
	}
	if start >= 0 {
		out = append(out, strings.TrimSpace(text[start:end]))
	}
	return out
}
