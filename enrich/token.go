package enrich

import (
	"unicode"
	"unicode/utf8"
)

// Token kinds.
const (
	kWord  uint8 = iota + 1 // letters, possibly with digits, inner hyphens, apostrophes or periods
	kNum                    // starts with a digit
	kPunct                  // one punctuation rune
)

// Token flags.
const (
	fCap         uint16 = 1 << iota // first letter is upper case (or "al-X" with X upper case)
	fUpper                          // every letter upper case, at least two letters
	fLower                          // every letter lower case
	fAmbig                          // capitalization says nothing: sentence start, after a colon or an opening quote
	fPoss                           // followed by a possessive 's (not part of the span)
	fDot                            // the span ends with a period that is part of the word (U.S., S., Mr.)
	fInitial                        // a single capital letter with a period
	fAbbr                           // a known abbreviation with its period
	fHyph                           // contains a hyphen
	fASCII                          // only ASCII bytes
	fQuoted                         // inside a quotation span (set by the quote pass)
	fSpaceBefore                    // white space (or the paragraph start) right before
	fSpaceAfter                     // white space (or the paragraph end) right after
)

// tok is one token of a paragraph. Offsets are byte offsets in the paragraph.
type tok struct {
	s, e  int32
	sent  int32 // sentence number, counted over the whole document
	kind  uint8
	flags uint16
	r     rune // the folded rune of a punctuation token
}

func (t *tok) has(f uint16) bool { return t.flags&f != 0 }

// foldPunct maps typographic variants to a few canonical runes.
func foldPunct(r rune) rune {
	switch r {
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return '-'
	case '\u2026':
		return '.'
	}
	return r
}

func isQuoteRune(r rune) bool {
	switch r {
	case '"', '\'', '\u2018', '\u2019', '\u201A', '\u201B', '\u201C', '\u201D', '\u201E', '\u201F', '\u00AB', '\u00BB':
		return true
	}
	return false
}

// openingPunct reports whether punctuation r at p[i:] opens something (a
// quotation or a bracket), judged by its neighbours.
func openingPunct(p string, i, size int, r rune) bool {
	switch r {
	case '(', '[', '{', '\u201C', '\u201E', '\u00AB', '\u2018', '\u201A':
		return true
	case '"', '\'':
		before := i == 0 || isSpaceOrOpen(lastRune(p[:i]))
		after := i+size < len(p) && !isSpaceByte(p[i+size])
		return before && after
	}
	return false
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isSpaceOrOpen(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '(', '[', '{', '-', '\u2013', '\u2014', '"', '\u201C', '\u201E', '\u00AB', '\u00A0', '/':
		return true
	}
	return unicode.IsSpace(r)
}

// isLetterAt reports whether p[i:] starts with a letter or digit.
func isAlnumAt(p string, i int) bool {
	if i >= len(p) {
		return false
	}
	c := p[i]
	if c < utf8.RuneSelf {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	r, _ := utf8.DecodeRuneInString(p[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isLetterAt(p string, i int) bool {
	if i >= len(p) {
		return false
	}
	c := p[i]
	if c < utf8.RuneSelf {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(p[i:])
	return unicode.IsLetter(r)
}

func isUpperAt(p string, i int) bool {
	if i >= len(p) {
		return false
	}
	c := p[i]
	if c < utf8.RuneSelf {
		return c >= 'A' && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(p[i:])
	return unicode.IsUpper(r) || unicode.IsTitle(r)
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// lowerASCII writes the lower-case form of an ASCII word into buf and
// reports whether it fit; the caller looks it up with m[string(b)], which
// does not allocate.
func lowerASCII(buf []byte, w string) ([]byte, bool) {
	if len(w) > cap(buf) {
		return nil, false
	}
	b := buf[:len(w)]
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return nil, false
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return b, true
}

// tokenizer splits paragraphs into tokens and tracks sentences. It keeps
// state across paragraphs only for the sentence counter.
type tokenizer struct {
	sent int32
	buf  [24]byte
}

// appendTokens tokenizes p and appends to toks.
func (z *tokenizer) appendTokens(toks []tok, p string) []tok {
	amb := true       // the next word's capitalization is uninformative
	pendEnd := false  // a sentence ended; the next opening token starts a new one
	maybeEnd := false // the previous word was an abbreviation with a period
	first := len(toks)
	i := 0
	for i < len(p) {
		c := p[i]
		var r rune = rune(c)
		size := 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(p[i:])
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c >= utf8.RuneSelf && unicode.IsSpace(r)) {
			i += size
			continue
		}
		isAlnum := false
		if c < utf8.RuneSelf {
			isAlnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		} else {
			isAlnum = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		if !isAlnum {
			pr := foldPunct(r)
			open := openingPunct(p, i, size, r)
			if pendEnd && (open || (i > 0 && isSpaceByte(p[i-1]))) {
				z.sent++
				pendEnd = false
			}
			t := tok{s: int32(i), e: int32(i + size), sent: z.sent, kind: kPunct, r: pr}
			if i == 0 || isSpaceByte(p[i-1]) {
				t.flags |= fSpaceBefore
			}
			if i+size >= len(p) || isSpaceByte(p[i+size]) {
				t.flags |= fSpaceAfter
			}
			toks = append(toks, t)
			switch {
			case pr == '.' || pr == '!' || pr == '?':
				if sentenceEnds(p, i+size) {
					pendEnd = true
					amb = true
				}
			case pr == ':':
				amb = true
			case open && isQuoteRune(r):
				amb = true
			}
			maybeEnd = false
			i += size
			continue
		}
		// A word or number.
		t := z.scanWord(p, i)
		if pendEnd {
			z.sent++
			pendEnd = false
		}
		if maybeEnd && t.has(fCap) {
			// "... in the U.S. The talks" : a common word after an
			// abbreviation starts a new sentence.
			if b, ok := lowerASCII(z.buf[:], p[t.s:t.e]); ok && common[string(b)] {
				z.sent++
				amb = true
			}
		}
		t.sent = z.sent
		if amb {
			t.flags |= fAmbig
		}
		if t.s == 0 || isSpaceByte(p[t.s-1]) {
			t.flags |= fSpaceBefore
		}
		end := int(t.e)
		if t.has(fPoss) {
			end += possLen(p, end)
		}
		if end >= len(p) || isSpaceByte(p[end]) {
			t.flags |= fSpaceAfter
		}
		amb = false
		maybeEnd = t.has(fDot) && !t.has(fInitial) && !isTitleAbbr(p[t.s:t.e])
		if t.has(fInitial) && len(toks) > first && toks[len(toks)-1].kind == kWord && toks[len(toks)-1].has(fLower) {
			// "... of plan B. Then" : a capital letter after a lower-case
			// word may end the sentence.
			maybeEnd = true
		}
		toks = append(toks, t)
		i = end
	}
	z.sent++ // a paragraph always ends a sentence
	return toks
}

func isTitleAbbr(w string) bool {
	var buf [8]byte
	if len(w) > 0 && w[len(w)-1] == '.' {
		w = w[:len(w)-1]
	}
	b, ok := lowerASCII(buf[:], w)
	return ok && titleAbbrevs[string(b)]
}

// sentenceEnds reports whether a terminator just before p[i:] ends a
// sentence: it must be followed, after closing quotes and brackets, by the
// paragraph end or white space and then a capital letter, a digit or an
// opening quote.
func sentenceEnds(p string, i int) bool {
	for i < len(p) {
		r, size := utf8.DecodeRuneInString(p[i:])
		if r == ')' || r == ']' || r == '"' || r == '\'' || r == '\u2019' || r == '\u201D' || r == '\u00BB' || r == '.' {
			if r == '.' {
				return false // an ellipsis goes on; its last period decides
			}
			i += size
			continue
		}
		break
	}
	if i >= len(p) {
		return true
	}
	if !isSpaceByte(p[i]) {
		r, _ := utf8.DecodeRuneInString(p[i:])
		if !unicode.IsSpace(r) {
			return false
		}
	}
	for i < len(p) && isSpaceByte(p[i]) {
		i++
	}
	if i >= len(p) {
		return true
	}
	c := p[i]
	if isDigitByte(c) || isUpperAt(p, i) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(p[i:])
	return isQuoteRune(r) || r == '(' || r == '['
}

// scanWord reads the word or number starting at p[i].
func (z *tokenizer) scanWord(p string, i int) tok {
	t := tok{s: int32(i), kind: kWord, flags: fASCII}
	if isDigitByte(p[i]) {
		t.kind = kNum
	}
	j := i
	nUpper, nLower, nLetters := 0, 0, 0
	firstUpper := false
	for j < len(p) {
		c := p[j]
		if c < utf8.RuneSelf {
			switch {
			case c >= 'a' && c <= 'z':
				nLower++
				nLetters++
				j++
				continue
			case c >= 'A' && c <= 'Z':
				if j == i {
					firstUpper = true
				}
				nUpper++
				nLetters++
				j++
				continue
			case c >= '0' && c <= '9':
				j++
				continue
			case c == '-':
				if isAlnumAt(p, j+1) {
					t.flags |= fHyph
					if j-i == 2 && (p[i] == 'a' || p[i] == 'e') && p[i+1] == 'l' && isUpperAt(p, j+1) {
						firstUpper = true // al-Assad, el-Sisi
					}
					j++
					continue
				}
			case c == '\'':
				if j+1 < len(p) && (p[j+1] == 's' || p[j+1] == 'S') && !isAlnumAt(p, j+2) && j > i {
					t.flags |= fPoss
					goto done
				}
				if j > i && isLetterAt(p, j+1) {
					j++
					continue
				}
			case c == '.':
				if t.kind == kNum && isDigitByte(pByte(p, j+1)) {
					j++
					continue
				}
				if t.kind == kWord {
					w := j - i
					if w == 1 && isLetterAt(p, j+1) && pByte(p, j+2) == '.' {
						// U.S., U.K., e.g.
						j++
						for j+1 < len(p) && isLetterAt(p, j) && p[j+1] == '.' {
							j += 2
						}
						t.flags |= fDot
						goto done
					}
					if w == 1 && firstUpper {
						j++
						t.flags |= fDot | fInitial
						goto done
					}
					if b, ok := lowerASCII(z.buf[:], p[i:j]); ok && abbrevs[string(b)] {
						j++
						t.flags |= fDot | fAbbr
						goto done
					}
				}
			case c == ':' || c == '/' || c == ',':
				if t.kind == kNum && isDigitByte(pByte(p, j+1)) {
					if c != ',' || (isDigitByte(pByte(p, j+2)) && isDigitByte(pByte(p, j+3)) && !isDigitByte(pByte(p, j+4))) {
						j++
						continue
					}
				}
			}
			goto done
		}
		r, size := utf8.DecodeRuneInString(p[j:])
		switch {
		case unicode.IsLetter(r):
			t.flags &^= fASCII
			nLetters++
			if unicode.IsUpper(r) || unicode.IsTitle(r) {
				if j == i {
					firstUpper = true
				}
				nUpper++
			} else if unicode.IsLower(r) {
				nLower++
			}
			j += size
			continue
		case unicode.IsDigit(r) || unicode.IsMark(r):
			t.flags &^= fASCII
			j += size
			continue
		case r == '\u2019':
			if j+size < len(p) && (p[j+size] == 's' || p[j+size] == 'S') && !isAlnumAt(p, j+size+1) && j > i {
				t.flags |= fPoss
				goto done
			}
			if isLetterAt(p, j+size) {
				t.flags &^= fASCII
				j += size
				continue
			}
		case r == '\u2011' || r == '\u2010':
			if isAlnumAt(p, j+size) {
				t.flags = t.flags&^fASCII | fHyph
				j += size
				continue
			}
		}
		goto done
	}
done:
	t.e = int32(j)
	if t.e == t.s { // cannot happen for a letter start, but stay safe
		t.e = t.s + 1
	}
	if t.kind == kWord {
		if firstUpper {
			t.flags |= fCap
		}
		if nLetters >= 2 && nLower == 0 {
			t.flags |= fUpper
		}
		if nUpper == 0 && nLetters > 0 {
			t.flags |= fLower
		}
	}
	return t
}

// possLen is the length of the possessive suffix ('s or ’s) at p[i:].
func possLen(p string, i int) int {
	n := 2
	if p[i] != '\'' {
		n = 4 // U+2019 is three bytes
	}
	if i+n > len(p) {
		return len(p) - i
	}
	return n
}

func pByte(p string, i int) byte {
	if i < len(p) {
		return p[i]
	}
	return 0
}
