package repair

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// segment is one paragraph of the input with where it came from.
type segment struct {
	text   string // normalized: single spaces, no NBSP, re-flowed
	offset int    // byte offset of its first line in the decoded input
}

// maxWrapWidth is the widest line (in runes) that we still consider part of a
// hard-wrapped paragraph. Mail and feed wrappers use 60-80 columns; lines
// longer than this are whole paragraphs set one per line.
const maxWrapWidth = 110

type line struct {
	text   string
	raw    string // as in the input, for measuring its width
	offset int
	width  int // runes, set only for blocks of several lines
}

// splitParagraphs splits decoded text into paragraphs. Blank lines always
// separate paragraphs. Within a run of non-blank lines, a line break is kept
// as a paragraph break unless the run looks hard-wrapped: every line fits a
// common width and the first word of the next line would not have fitted on
// the line before it, which is what a greedy wrapper produces.
func splitParagraphs(text string) []segment {
	var segs []segment
	var block []line
	// A document without a single blank line has one paragraph per line,
	// unless its lines are consistently wrapped (see appendBlock).
	lineEach := !hasBlankLine(text)
	flush := func() {
		if len(block) > 0 {
			segs = appendBlock(segs, block, lineEach)
			block = block[:0]
		}
	}
	for pos := 0; pos < len(text); {
		end, next := lineEnd(text, pos)
		rawLine := text[pos:end]
		l := normalizeSpace(rawLine)
		if l == "" {
			flush()
		} else {
			block = append(block, line{text: l, raw: rawLine, offset: pos})
		}
		pos = next
	}
	flush()
	return segs
}

// hasBlankLine reports whether text has an empty or all-space line between
// two non-empty ones.
func hasBlankLine(text string) bool {
	seenText, blank := false, false
	for pos := 0; pos < len(text); {
		end, next := lineEnd(text, pos)
		if strings.TrimFunc(text[pos:end], isSpaceOrNL) == "" {
			blank = seenText
		} else {
			if blank {
				return true
			}
			seenText = true
		}
		pos = next
	}
	return false
}

func isSpaceOrNL(r rune) bool { return isSpace(r) || r == '\n' || r == '\r' }

func appendBlock(segs []segment, block []line, lineEach bool) []segment {
	if len(block) == 1 {
		return append(segs, segment{text: block[0].text, offset: block[0].offset})
	}
	// Width is measured on the line as wrapped, before white space is
	// collapsed, since that is what the wrapper counted.
	// A line with no space in it (a long URL) is not evidence of the width:
	// the wrapper could not break it.
	width := 0
	for i := range block {
		block[i].width = utf8.RuneCountInString(strings.TrimRightFunc(block[i].raw, isSpace))
		if strings.IndexByte(block[i].text, ' ') >= 0 {
			width = max(width, block[i].width)
		}
	}
	if width > maxWrapWidth || width < 25 || lineEach && !consistentlyWrapped(block, width) {
		for _, l := range block {
			segs = append(segs, segment{text: l.text, offset: l.offset})
		}
		return segs
	}
	var b strings.Builder
	start := block[0].offset
	b.WriteString(block[0].text)
	for i := 1; i < len(block); i++ {
		prev, cur := block[i-1], block[i]
		if endedEarly(prev, cur, width) {
			segs = append(segs, segment{text: b.String(), offset: start})
			b.Reset()
			start = cur.offset
			b.WriteString(cur.text)
			continue
		}
		joinWrapped(&b, prev.text, cur.text)
	}
	return append(segs, segment{text: b.String(), offset: start})
}

// consistentlyWrapped reports whether most lines of a block run close to its
// width, as the lines of a hard-wrapped text do; a list or a table of short
// lines, or one short paragraph per line, does not.
func consistentlyWrapped(block []line, width int) bool {
	if len(block) < 4 {
		return false
	}
	full, ends := 0, 0
	for _, l := range block {
		if l.width*4 >= width*3 {
			full++
		}
		if endsSentence(l.text) {
			ends++
		}
	}
	// Wrapped lines rarely end where a sentence does; one paragraph per line
	// nearly always does.
	return full*10 >= len(block)*6 && ends*2 < len(block)
}

// endsSentence reports whether s ends with sentence-final punctuation,
// closing quotes aside.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, "\"'”’»)")
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "…") || strings.HasSuffix(s, ":")
}

// endedEarly reports whether prev was broken deliberately: the next line's
// first word would have fitted on it within the block's width.
func endedEarly(prev, cur line, width int) bool {
	first := cur.text
	if i := strings.IndexByte(first, ' '); i >= 0 {
		first = first[:i]
	}
	// A greedy wrapper moves a word down only when it does not fit; with
	// room to spare, the line break is the author's.
	// One column of slack absorbs a stray double space left by the wrapper.
	return prev.width+1+utf8.RuneCountInString(first) < width
}

// joinWrapped appends the continuation line cur to b. Scripts written
// without spaces (Chinese, Japanese) are joined directly.
func joinWrapped(b *strings.Builder, prev, cur string) {
	last, _ := utf8.DecodeLastRuneInString(prev)
	first, _ := utf8.DecodeRuneInString(cur)
	if isUnspaced(last) && isUnspaced(first) {
		b.WriteString(cur)
		return
	}
	b.WriteByte(' ')
	b.WriteString(cur)
}

func isUnspaced(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// normalizeSpace trims a line and collapses runs of white space, NBSP and
// other space characters into one ASCII space. Words are never changed.
func normalizeSpace(s string) string {
	// Fast path, with vectorised scans: single ASCII spaces, no trimming
	// needed, and no multi-byte space character.
	if s == "" || s[0] != ' ' && s[len(s)-1] != ' ' && !strings.Contains(s, "  ") &&
		!strings.ContainsAny(s, "\t\v\f") && !hasMultiByteSpace(s) {
		return s
	}
	// Byte-level: only space characters are recognised; every other rune is
	// copied whole without being decoded.
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); {
		if n := spaceLen(s, i); n > 0 {
			space = len(b) > 0
			i += n
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		n := min(runeLen(s[i]), len(s)-i)
		b = append(b, s[i:i+n]...)
		i += n
	}
	return string(b)
}

// runeLen is the length of the UTF-8 sequence that lead byte c starts.
func runeLen(c byte) int {
	switch {
	case c < 0xC0:
		return 1
	case c < 0xE0:
		return 2
	case c < 0xF0:
		return 3
	}
	return 4
}

// spaceLen returns the byte length of the space character that isSpace
// accepts at s[i], or 0.
func spaceLen(s string, i int) int {
	switch c := s[i]; {
	case c == ' ' || c == '\t' || c == '\v' || c == '\f':
		return 1
	case c >= 0xC2 && c <= 0xE3 && spaceAt(s, i):
		if c == 0xC2 {
			return 2
		}
		return 3
	}
	return 0
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\v', '\f', '\u00A0', '\u1680', '\u202F', '\u205F', '\u3000', '\u0085':
		return true
	}
	return r >= '\u2000' && r <= '\u200A'
}

// lineEnd returns the end of the line starting at pos and the start of the
// next one, accepting LF, CRLF and lone CR line endings.
func lineEnd(text string, pos int) (end, next int) {
	for i := pos; i < len(text); i++ {
		switch text[i] {
		case '\n':
			return i, i + 1
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				return i, i + 2
			}
			return i, i + 1
		}
	}
	return len(text), len(text)
}

// spaceAt reports whether a multi-byte space character that isSpace accepts
// starts at s[i]: NBSP and NEL (C2 A0, C2 85), U+1680, U+2000-U+200A,
// U+202F, U+205F and U+3000.
func spaceAt(s string, i int) bool {
	b1 := byte(0)
	if i+1 < len(s) {
		b1 = s[i+1]
	}
	b2 := byte(0)
	if i+2 < len(s) {
		b2 = s[i+2]
	}
	switch s[i] {
	case 0xC2:
		return b1 == 0xA0 || b1 == 0x85
	case 0xE1:
		return b1 == 0x9A && b2 == 0x80
	case 0xE2:
		return b1 == 0x80 && (b2 >= 0x80 && b2 <= 0x8A || b2 == 0xAF) || b1 == 0x81 && b2 == 0x9F
	case 0xE3:
		return b1 == 0x80 && b2 == 0x80
	}
	return false
}

// hasMultiByteSpace reports whether s holds a space character of two or
// three bytes (see spaceAt), looking only where their lead bytes occur.
func hasMultiByteSpace(s string) bool {
	for _, lead := range [...]byte{0xC2, 0xE1, 0xE2, 0xE3} {
		for i := 0; ; {
			j := strings.IndexByte(s[i:], lead)
			if j < 0 {
				break
			}
			if spaceAt(s, i+j) {
				return true
			}
			i += j + 1
		}
	}
	return false
}
