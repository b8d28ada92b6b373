package charset

import (
	"bytes"
	"encoding/binary"
	"math"
	"sync"
	"unicode/utf8"
)

// Byte indexes of the pair statistics: 0-127 for the high bytes, then one
// for every small ASCII letter, one for every capital, and one for every
// other ASCII byte. Only the case and script of an ASCII neighbour matter
// to the pair penalties.
const (
	idxLower = 128
	idxUpper = 129
	idxOther = 130
	pairN    = 131
)

var asciiIdx = func() (t [128]uint8) {
	for b := range 128 {
		switch {
		case 'a' <= b && b <= 'z':
			t[b] = idxLower
		case 'A' <= b && b <= 'Z':
			t[b] = idxUpper
		default:
			t[b] = idxOther
		}
	}
	return t
}()

// stats are the counts the single-byte candidates are scored from, taken
// in one pass over the sample: how often each high byte occurs, and how
// often each pair of neighbours with at least one high byte does.
type stats struct {
	high, asciiLetters int
	hist               [128]int32
	letters            [26]int32  // ASCII letters, a to z in any case
	iso                [128]int32 // high bytes alone between ASCII non-letters
	present            []uint8    // high bytes with hist > 0
	pairs              [pairN * pairN]uint32
	touched            []uint16 // pairs with a count
}

var statsPool = sync.Pool{New: func() any { return new(stats) }}

func getStats(s []byte) *stats {
	st := statsPool.Get().(*stats)
	st.collect(s)
	return st
}

func (st *stats) release() {
	for _, i := range st.present {
		st.hist[i], st.iso[i] = 0, 0
	}
	for _, k := range st.touched {
		st.pairs[k] = 0
	}
	st.present, st.touched = st.present[:0], st.touched[:0]
	st.high, st.asciiLetters = 0, 0
	st.letters = [26]int32{}
	statsPool.Put(st)
}

func (st *stats) collect(s []byte) {
	prev := idxOther
	for j, b := range s {
		var i int
		if b >= 0x80 {
			i = int(b - 0x80)
			if st.hist[i] == 0 {
				st.present = append(st.present, uint8(i))
			}
			st.hist[i]++
			st.high++
			if prev == idxOther && (j+1 == len(s) || s[j+1] < 0x80 && asciiIdx[s[j+1]] == idxOther) {
				st.iso[i]++
			}
		} else {
			i = int(asciiIdx[b])
			if i != idxOther {
				st.asciiLetters++
				st.letters[b|0x20-'a']++
			}
			if prev >= idxLower {
				prev = i
				continue
			}
		}
		k := prev*pairN + i
		if st.pairs[k] == 0 {
			st.touched = append(st.touched, uint16(k))
		}
		st.pairs[k]++
		prev = i
	}
}

// asciiPrior is what a non-Latin candidate pays for the sample's ASCII
// letters, at most limit bits (see asciiPriorMax).
func (st *stats) asciiPrior(limit float64) float64 {
	return min(asciiPriorPerLetter*float64(st.asciiLetters), limit)
}

// asciiScores returns each Latin language's score of the sample's ASCII
// letters relative to the best of them (so the best scores 0).
func (st *stats) asciiScores() map[*language]float64 {
	m := make(map[*language]float64, len(latinLangs))
	best := math.Inf(-1)
	for _, l := range latinLangs {
		bits := latinASCII[l]
		s := 0.0
		for i, n := range st.letters {
			s += float64(n) * bits[i]
		}
		m[l] = s
		best = max(best, s)
	}
	for l := range m {
		m[l] -= best
	}
	return m
}

// HTMLSample returns the text of an HTML page that detection should look
// at: what stands outside tags, comments, scripts and styles, up to
// SampleSize bytes, with a line break where markup was. Markup is mostly
// ASCII and says little about the encoding; scripts often hold strings in
// another one.
func HTMLSample(raw []byte) []byte {
	out := make([]byte, 0, min(len(raw), SampleSize))
	text := func(b []byte) {
		if len(b) == 0 {
			return
		}
		if n := SampleSize - len(out); len(b) > n {
			b = trimIncomplete(b[:n])
		}
		out = append(out, b...)
		if len(out) < SampleSize {
			out = append(out, '\n')
		}
	}
	seg := 0 // start of the text not yet copied
	for i := 0; i < len(raw) && i < scanLimit && len(out) < SampleSize; {
		j := bytes.IndexByte(raw[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := raw[i:]
		var end int // the end of the markup at i, or 0 if it is text
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			k := bytes.Index(rest[4:], []byte("-->"))
			if k < 0 {
				return out
			}
			end = i + 4 + k + 3
		case len(rest) > 1 && (isASCIILetter(rest[1]) || rest[1] == '/' || rest[1] == '!' || rest[1] == '?'):
			k := tagEnd(rest)
			if k < 0 {
				return out
			}
			end = i + k
			for _, el := range [...]string{"script", "style"} {
				if hasTagName(rest[1:], el) {
					k := indexFold(raw[end:], "</"+el)
					if k < 0 {
						text(raw[seg:i])
						return out
					}
					end += k
				}
			}
		default:
			i++ // a '<' in the text
			continue
		}
		text(raw[seg:i])
		i, seg = end, end
	}
	if seg < len(raw) && len(out) < SampleSize {
		text(raw[seg:min(len(raw), max(seg, scanLimit))])
	}
	return out
}

// tagEnd returns the index just past the '>' that closes the tag at the
// start of b, skipping quoted attribute values, or -1.
func tagEnd(b []byte) int {
	var quote byte
	for i := 1; i < len(b); i++ {
		switch c := b[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1
		}
	}
	return -1
}

// scanLimit bounds how much of an HTML page HTMLSample reads to fill its
// sample (pages with a megabyte of inline scripts before the text exist).
const scanLimit = 4 << 20

func isASCIILetter(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }

// hasTagName reports whether tag (after the '<') starts with the element
// name el, in any case, followed by the end of the name.
func hasTagName(tag []byte, el string) bool {
	if len(tag) <= len(el) || !hasPrefixFold(tag, el) {
		return false
	}
	switch tag[len(el)] {
	case ' ', '\t', '\n', '\r', '\f', '/', '>':
		return true
	}
	return false
}

func hasPrefixFold(b []byte, lower string) bool {
	if len(b) < len(lower) {
		return false
	}
	for i := range len(lower) {
		if b[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}

// indexFold returns the index of the lowercase ASCII string lower in b,
// in any case, or -1. lower starts with '<'.
func indexFold(b []byte, lower string) int {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return -1
		}
		i += j
		if hasPrefixFold(b[i:], lower) {
			return i
		}
		i++
	}
}

// trimIncomplete drops a UTF-8 sequence cut off at the end of s.
func trimIncomplete(s []byte) []byte {
	for k := 1; k <= 3 && k <= len(s); k++ {
		b := s[len(s)-k]
		if b < 0x80 {
			return s
		}
		if b >= 0xC0 {
			if !utf8.FullRune(s[len(s)-k:]) {
				return s[:len(s)-k]
			}
			return s
		}
	}
	return s
}

// firstHigh returns the index of the first byte ≥ 0x80 in s, or -1.
func firstHigh(s []byte) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if binary.LittleEndian.Uint64(s[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= 0x80 {
			return i
		}
	}
	return -1
}

// utf8Counts counts the valid multi-byte sequences and the bytes that are
// not valid UTF-8 in s, stopping early when invalid bytes plainly win. A three- or four-byte sequence cut short after a
// continuation byte ("\xe2\x80" then ASCII, a curly quote that lost its
// last byte) counts as a sequence: it is damaged UTF-8, which legacy text
// seldom looks like.
func utf8Counts(s []byte) (multi, invalid int) {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if r != utf8.RuneError || n > 1 {
			multi++
			i += n
			continue
		}
		if k := truncatedSeq(s[i:]); k > 0 {
			multi++
			i += k
			continue
		}
		invalid++
		i++
		if invalid >= 64 && invalid > 4*multi {
			break // plainly not UTF-8: the ratio will not turn
		}
	}
	return multi, invalid
}

// truncatedSeq returns the length of the cut-short UTF-8 sequence of three
// or four bytes at the start of s (a lead byte and one or two valid
// continuation bytes, then a byte that is not one), or 0.
func truncatedSeq(s []byte) int {
	need := 0
	switch b := s[0]; {
	case b >= 0xE0 && b <= 0xEF:
		need = 3
	case b >= 0xF0 && b <= 0xF4:
		need = 4
	default:
		return 0
	}
	lo, hi := byte(0x80), byte(0xBF)
	switch s[0] {
	case 0xE0:
		lo = 0xA0
	case 0xED:
		hi = 0x9F
	case 0xF0:
		lo = 0x90
	case 0xF4:
		hi = 0x8F
	}
	k := 1
	for k < need && k < len(s) && s[k] >= lo && s[k] <= hi {
		lo, hi = 0x80, 0xBF
		k++
	}
	if k == 1 || k == need || k == len(s) {
		return 0
	}
	return k
}
