package sqlite

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chinese, Japanese and Korean text is written without spaces between
// words, and FTS5's unicode61 tokenizer makes each run of such characters
// one token: "特許" would never find "青葉特許業務法人". The index therefore
// holds every run as overlapping bigrams ("青葉 葉特 特許 許業 …"), as
// Lucene's CJK analyzer does, and a query word is turned into the same
// bigrams as a phrase, so any word inside a run is found. A run of one
// character stays a unigram; a one-character query word is a prefix, so
// that it finds the bigrams it starts.

// isCJK reports whether r belongs to a script written without spaces that
// the index bigrams.
func isCJK(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7A3, r >= 0x3040 && r <= 0x30FF:
		return true // the common blocks: Han, Hangul syllables, kana
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r == 0x30FC || r == 0xFF70 // prolonged sound marks (script Common)
}

// hasCJK reports whether s has any character isCJK accepts.
func hasCJK(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < utf8.RuneSelf {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isCJK(r) {
			return true
		}
		i += size - 1
	}
	return false
}

// cjkBigrams returns s with every run of CJK characters replaced by its
// overlapping bigrams, separated by spaces; other text is unchanged. It
// returns s itself when there is no CJK text.
func cjkBigrams(s string) string {
	if !hasCJK(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) * 2)
	var run []rune
	flush := func() {
		if len(run) == 0 {
			return
		}
		b.WriteByte(' ')
		if len(run) == 1 {
			b.WriteRune(run[0])
		}
		for i := 0; i+1 < len(run); i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(run[i])
			b.WriteRune(run[i+1])
		}
		b.WriteByte(' ')
		run = run[:0]
	}
	for _, r := range s {
		if isCJK(r) {
			run = append(run, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

// endsWithLoneCJK reports whether s ends with a run of exactly one CJK
// character (after cjkBigrams, a unigram that must be a prefix to match).
func endsWithLoneCJK(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool { return !isCJK(r) && !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	r, size := utf8.DecodeLastRuneInString(s)
	if size == 0 || !isCJK(r) {
		return false
	}
	p, _ := utf8.DecodeLastRuneInString(s[:len(s)-size])
	return !isCJK(p)
}
