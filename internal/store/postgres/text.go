package postgres

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text reaches PostgreSQL's full-text functions already split into words
// here, the same way for articles and for queries: lower-cased, diacritics
// of Latin, Greek and Cyrillic letters removed ("café" is "cafe"), every
// run of other characters a separator, and runs of Chinese, Japanese and
// Korean characters (written without spaces) as overlapping bigrams, so
// that a word inside a run is found. PostgreSQL's parser then sees plain
// words only (no hosts, paths or hyphenated compounds of its own), and
// its dictionaries stem them by the article's language. The database's
// locale does not matter: nothing is left for it to lower-case or fold.

// isWordChar reports whether r is part of a word: letters, digits,
// private-use characters (as package query reads them) and combining
// marks (which Indic scripts need inside words).
func isWordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r) || unicode.IsMark(r)
}

// isCJK reports whether r belongs to a script written without spaces
// between words, which is indexed as bigrams.
func isCJK(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7A3, r >= 0x3040 && r <= 0x30FF:
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || r == 0xFF70
}

// foldable reports whether marks on r are diacritics to remove.
func foldable(r rune) bool {
	return r < 0x530 || r >= 0x1E00 && r < 0x2000 // Latin, Greek, Cyrillic and their extensions
}

// foldRune appends r lower-cased without diacritics.
func foldRune(dst []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, byte(r))
	}
	if foldable(r) {
		var buf [utf8.UTFMax]byte
		n := utf8.EncodeRune(buf[:], r)
		if d := norm.NFD.Properties(buf[:n]).Decomposition(); d != nil {
			for len(d) > 0 {
				c, size := utf8.DecodeRune(d)
				d = d[size:]
				if !unicode.Is(unicode.Mn, c) {
					dst = utf8.AppendRune(dst, unicode.ToLower(c))
				}
			}
			return dst
		}
	}
	return utf8.AppendRune(dst, unicode.ToLower(r))
}

// word is one word of a text: its bytes in the original and its folded form.
type word struct {
	start, end int
	folded     string
	cjk        bool // a single CJK character
}

// words splits s into words. A CJK character is a word of its own; a
// combining mark after a foldable letter is dropped with it.
func words(s string, fn func(w word)) {
	var buf []byte
	start := -1
	var prev rune
	flush := func(end int) {
		if start >= 0 && len(buf) > 0 {
			// Most words fold to themselves: no copy for those.
			folded := s[start:end]
			if string(buf) != folded {
				folded = string(buf)
			}
			fn(word{start: start, end: end, folded: folded})
		}
		start, buf = -1, buf[:0]
	}
	for i, r := range s {
		switch {
		case isCJK(r):
			flush(i)
			fn(word{start: i, end: i + utf8.RuneLen(r), folded: s[i : i+utf8.RuneLen(r)], cjk: true})
		case unicode.IsMark(r) && start >= 0 && foldable(prev):
			// A diacritic written apart from its letter.
		case isWordChar(r):
			if start < 0 {
				start = i
			}
			buf = foldRune(buf, r)
			prev = r
		default:
			flush(i)
		}
	}
	flush(len(s))
}

// tokens returns the words of s as the index holds them: folded, with
// CJK runs as bigrams (a run of one character stays one).
func tokens(s string) []string {
	var out []string
	var run []string
	endRun := func() {
		if len(run) == 1 {
			out = append(out, run[0])
		}
		for i := 0; i+1 < len(run); i++ {
			out = append(out, run[i]+run[i+1])
		}
		run = run[:0]
	}
	lastEnd := -1
	words(s, func(w word) {
		if !w.cjk || w.start != lastEnd {
			endRun()
		}
		if w.cjk {
			run = append(run, w.folded)
		} else {
			out = append(out, w.folded)
		}
		lastEnd = w.end
	})
	endRun()
	return out
}

// indexText is s as the index reads it: its tokens separated by spaces.
func indexText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, t := range tokens(s) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t)
	}
	return b.String()
}

// endsWithLoneCJK reports whether the last token of s is a CJK run of one
// character, which must match as a prefix to find the bigrams it starts.
func endsWithLoneCJK(s string) bool {
	var last []word
	words(s, func(w word) { last = append(last, w) })
	n := len(last)
	if n == 0 || !last[n-1].cjk {
		return false
	}
	return n == 1 || !last[n-2].cjk || last[n-2].end != last[n-1].start
}

// configs maps language codes (ISO 639-1, the part before any region) to
// PostgreSQL's Snowball stemmers. Every one gets a text search
// configuration of its own, newsdesk_<name>, without stop words: a query
// for "the who" must find what it says.
var configs = map[string]string{
	"ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch",
	"en": "english", "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
	"hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian", "ne": "nepali",
	"no": "norwegian", "nb": "norwegian", "nn": "norwegian", "pt": "portuguese", "ro": "romanian",
	"ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish",
	"yi": "yiddish",
}

// simpleConfig indexes the languages without a stemmer: words as they are.
const simpleConfig = "newsdesk_simple"

// configFor returns the text search configuration for a language code.
func configFor(lang string) string {
	code := strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(code, "-_"); i >= 0 {
		code = code[:i]
	}
	if name, ok := configs[code]; ok {
		return "newsdesk_" + name
	}
	return simpleConfig
}
