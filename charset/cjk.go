package charset

import (
	"math"
	"sync"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Scores, in bits per character, of the multi-byte code pages. Each is the
// log2 of a class's share of the text divided by the number of characters
// in the class. The classes come from the structure of the standards: GB2312
// level 1, Big5's "frequently used" block and JIS level 1 were chosen as the
// common characters, level 2 as the rare ones; hiragana and katakana have
// rows of their own; KS X 1001 holds the 2,350 Hangul syllables modern
// Korean uses. The shares are round estimates of running news text, not
// measurements, e.g. hiragana about 40 % of Japanese over 83 characters:
// log2(0.40/83) ≈ -7.7.
const (
	zhCommonBits   = -7.8  // commonHans/commonHant: ~22 % over ~50 characters
	gbLevel1Bits   = -12.4 // GB2312 level 1, 3,755 characters: ~70 %
	gbLevel2Bits   = -18   // GB2312 level 2, 3,008 characters: ~1 %
	big5FreqBits   = -12.9 // Big5 frequent block, 5,401 characters: ~72 %
	big5RareBits   = -19.5 // Big5 less frequent block, 7,652 characters: ~1 %
	zhPunctBits    = -8.2  // full-width punctuation ，。、“”《》: ~7 % over ~20 marks
	jaHiraganaBits = -7.7  // 83 hiragana: ~40 %
	jaKatakanaBits = -9.1  // 86 katakana: ~10 %
	jaLevel1Bits   = -12.8 // JIS level 1, 2,965 kanji: ~42 %
	jaLevel2Bits   = -18.4 // JIS level 2, 3,390 kanji: ~1 %
	jaPunctBits    = -9    // row 1: 、。「」・ー and the like, ~6 % over ~30
	koCommonBits   = -7.2  // commonKo: ~40 % over ~60 syllables
	koHangulBits   = -12   // the other KS X 1001 syllables: ~55 % over ~2,300
	koPunctBits    = -9.7  // KS X 1001 rows 1-2: ~3 % over ~25
	fullwidthBits  = -13   // full-width Latin letters and digits
	symbolCJKBits  = -16   // Greek, Cyrillic and box-drawing rows, half-width kana
	rareCJKBits    = -20   // extensions, Hanja in Korean, kana in Chinese, user areas
)

// The classes of multi-byte characters the scanners count.
type mbClass uint8

const (
	mbUnmapped mbClass = iota // well-formed, but no character: decodes to U+FFFD
	mbZhCommon
	mbGBLevel1
	mbGBLevel2
	mbBig5Freq
	mbBig5Rare
	mbZhPunct
	mbHiragana
	mbKatakana
	mbJaLevel1
	mbJaLevel2
	mbJaPunct
	mbKoCommon
	mbKoHangul
	mbKoPunct
	mbFullwidth
	mbSymbol
	mbRare
	mbClasses
)

var classBits = [mbClasses]float64{
	mbUnmapped: invalidBits, mbZhCommon: zhCommonBits, mbGBLevel1: gbLevel1Bits, mbGBLevel2: gbLevel2Bits,
	mbBig5Freq: big5FreqBits, mbBig5Rare: big5RareBits, mbZhPunct: zhPunctBits,
	mbHiragana: jaHiraganaBits, mbKatakana: jaKatakanaBits, mbJaLevel1: jaLevel1Bits, mbJaLevel2: jaLevel2Bits,
	mbJaPunct: jaPunctBits, mbKoCommon: koCommonBits, mbKoHangul: koHangulBits, mbKoPunct: koPunctBits,
	mbFullwidth: fullwidthBits, mbSymbol: symbolCJKBits, mbRare: rareCJKBits,
}

// signature marks the classes that only real text in the language fills:
// kana, the common Hanzi, the common Hangul syllables.
var signature = [mbClasses]bool{mbZhCommon: true, mbHiragana: true, mbKatakana: true, mbKoCommon: true}

// punctuation marks the classes that may stand alone in other text.
var punctuation = [mbClasses]bool{mbZhPunct: true, mbJaPunct: true, mbKoPunct: true}

// A multi is a multi-byte candidate.
type multi struct {
	name   string
	enc    encoding.Encoding
	scan   func(s []byte, common *codeSet) mbResult
	common func() *codeSet
}

var (
	mbSJIS  = &multi{name: "shift_jis", enc: japanese.ShiftJIS, scan: scanSJIS}
	mbEUCJP = &multi{name: "euc-jp", enc: japanese.EUCJP, scan: scanEUCJP}
	mbGB    = &multi{name: "gb18030", enc: simplifiedchinese.GB18030, scan: scanGB18030, common: gbCommon}
	mbBig5  = &multi{name: "big5", enc: traditionalchinese.Big5, scan: scanBig5, common: big5Common}
	mbEUCKR = &multi{name: "euc-kr", enc: korean.EUCKR, scan: scanEUCKR, common: krCommon}
	multis  = []*multi{mbSJIS, mbEUCJP, mbGB, mbBig5, mbEUCKR}
)

// A codeSet is a set of two-byte codes (lead<<8 | trail).
type codeSet [1024]uint64

func (c *codeSet) has(code int) bool { return c[code>>6]&(1<<(code&63)) != 0 }

func newCodeSet(e encoding.Encoding, chars string) *codeSet {
	c := new(codeSet)
	enc := e.NewEncoder()
	for _, r := range chars {
		b, err := enc.Bytes([]byte(string(r)))
		if err == nil && len(b) == 2 {
			code := int(b[0])<<8 | int(b[1])
			c[code>>6] |= 1 << (code & 63)
		}
	}
	return c
}

var (
	gbCommon   = sync.OnceValue(func() *codeSet { return newCodeSet(simplifiedchinese.GB18030, commonHans) })
	big5Common = sync.OnceValue(func() *codeSet { return newCodeSet(traditionalchinese.Big5, commonHant) })
	krCommon   = sync.OnceValue(func() *codeSet { return newCodeSet(korean.EUCKR, commonKo) })
)

func (m *multi) score(s []byte) mbResult {
	var c *codeSet
	if m.common != nil {
		c = m.common()
	}
	return m.scan(s, c)
}

// mbResult is what a scanner found: the characters of each class, the
// bytes of invalid sequences, and the characters other than punctuation
// that stand between ASCII bytes.
type mbResult struct {
	counts  [mbClasses]int32
	chars   int // characters of two bytes or more (and half-width kana)
	invalid int // invalid sequences and unmapped characters
	alone   int
}

// invalidBits is the cost of an invalid sequence or an unmapped character:
// text in the encoding has none, so it weighs more than an unlikely one.
const invalidBits = -40

// add counts the character s[i:j] of class c.
func (r *mbResult) add(s []byte, i, j int, c mbClass) {
	if c == mbUnmapped {
		r.bad()
		return
	}
	r.counts[c]++
	r.chars++
	if (i == 0 || s[i-1] < 0x80) && (j == len(s) || s[j] < 0x80) && !punctuation[c] {
		r.alone++
	}
}

func (r *mbResult) bad() { r.invalid++ }

// hopeless reports a sample that is plainly not in this encoding, so the
// scan can stop early.
func (r *mbResult) hopeless() bool { return r.invalid > 16 && r.invalid*8 > r.chars }

func (r mbResult) total() float64 {
	if r.hopeless() {
		return math.Inf(-1)
	}
	bits := float64(r.invalid) * invalidBits
	sig := false
	for c, n := range r.counts {
		bits += float64(n) * classBits[c]
		sig = sig || signature[c] && n > 0
	}
	bits += isolatedBitsCJK * max(0, float64(r.alone)-isolatedShare*float64(r.chars))
	if !sig && r.chars >= 4 {
		bits += noSignatureBits * float64(r.chars)
	}
	return bits
}

// A CJK reading whose characters stand alone between ASCII bytes is no
// CJK text (Chinese and Japanese write no spaces; Korean words are mostly
// two syllables or more): "§§" and "¶¶" in a law report are one Big5
// character each. Such characters, beyond isolatedShare, cost
// isolatedBitsCJK; punctuation (Japanese quotes in English text) is
// exempt. A reading without a single kana, common Hanzi or common Hangul
// syllable in four characters or more costs noSignatureBits a character.
const (
	isolatedBitsCJK = -12
	noSignatureBits = -3
)

// The scanners follow the WHATWG decoders' byte ranges. A sequence cut
// off by the end of the sample is not counted.

func scanSJIS(s []byte, _ *codeSet) (r mbResult) {
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b < 0x80:
			continue
		case b >= 0xA1 && b <= 0xDF:
			r.add(s, i, i+1, mbSymbol) // half-width katakana
		case b >= 0x81 && b <= 0x9F || b >= 0xE0 && b <= 0xFC:
			if i+1 == len(s) {
				return r
			}
			t := s[i+1]
			if t < 0x40 || t == 0x7F || t > 0xFC {
				r.bad()
				continue
			}
			r.add(s, i, i+2, sjisClass(int(b)<<8|int(t)))
			i++
		default:
			r.bad()
		}
		if r.hopeless() {
			return r
		}
	}
	return r
}

func sjisClass(code int) mbClass {
	lead, t := code>>8, code&0xFF
	switch {
	case lead == 0x81:
		return mbJaPunct
	case lead == 0x82 && t >= 0x9F && t <= 0xF1:
		return mbHiragana
	case lead == 0x82 && t >= 0x4F && t <= 0x9A:
		return mbFullwidth
	case lead == 0x83 && t <= 0x96:
		return mbKatakana
	case lead == 0x83 || lead == 0x84 || lead == 0x87:
		return mbSymbol
	case code >= 0x889F && code <= 0x9872:
		return mbJaLevel1
	case code >= 0x989F && code <= 0xEAA4:
		return mbJaLevel2
	case lead == 0x85 || lead == 0x86 || lead >= 0x88 && lead <= 0xEA || lead >= 0xEB && lead <= 0xEC ||
		lead >= 0xEF && lead <= 0xF9 || lead == 0xFC && t > 0x4B:
		return mbUnmapped
	}
	return mbRare // NEC and IBM extensions
}

func scanEUCJP(s []byte, _ *codeSet) (r mbResult) {
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b < 0x80:
			continue
		case b == 0x8E: // half-width katakana
			if i+1 == len(s) {
				return r
			}
			if t := s[i+1]; t < 0xA1 || t > 0xDF {
				r.bad()
				continue
			}
			r.add(s, i, i+2, mbSymbol)
			i++
		case b == 0x8F: // JIS X 0212
			if i+2 >= len(s) {
				return r
			}
			if !euc(s[i+1]) || !euc(s[i+2]) {
				r.bad()
				continue
			}
			r.add(s, i, i+3, mbRare)
			i += 2
		case euc(b):
			if i+1 == len(s) {
				return r
			}
			t := s[i+1]
			if !euc(t) {
				r.bad()
				continue
			}
			r.add(s, i, i+2, eucjpClass(int(b)-0xA0, t))
			i++
		default:
			r.bad()
		}
		if r.hopeless() {
			return r
		}
	}
	return r
}

func euc(b byte) bool { return b >= 0xA1 && b <= 0xFE }

func eucjpClass(row int, t byte) mbClass {
	switch {
	case row <= 2:
		return mbJaPunct
	case row == 3:
		return mbFullwidth
	case row == 4 && t <= 0xF3:
		return mbHiragana
	case row == 5 && t <= 0xF6:
		return mbKatakana
	case row >= 6 && row <= 8 || row == 13:
		return mbSymbol
	case row >= 16 && row < 47 || row == 47 && t <= 0xD3:
		return mbJaLevel1
	case row >= 48 && row < 84 || row == 84 && t <= 0xA6:
		return mbJaLevel2
	case row >= 9 && row <= 12 || row == 14 || row == 15 || row >= 47 && row <= 88 || row >= 93:
		return mbUnmapped
	}
	return mbRare
}

func scanGB18030(s []byte, common *codeSet) (r mbResult) {
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b < 0x80:
			continue
		case b == 0x80: // the euro sign
			r.add(s, i, i+1, mbSymbol)
		case b == 0xFF:
			r.bad()
		default:
			if i+1 == len(s) {
				return r
			}
			t := s[i+1]
			switch {
			case t >= 0x30 && t <= 0x39: // four bytes
				if i+3 >= len(s) {
					return r
				}
				if s[i+2] < 0x81 || s[i+2] == 0xFF || s[i+3] < 0x30 || s[i+3] > 0x39 {
					r.bad()
					continue
				}
				r.add(s, i, i+4, mbRare)
				i += 3
			case t >= 0x40 && t != 0x7F && t != 0xFF:
				r.add(s, i, i+2, gbClass(int(b)<<8|int(t), common))
				i++
			default:
				r.bad()
				continue
			}
		}
		if r.hopeless() {
			return r
		}
	}
	return r
}

func gbClass(code int, common *codeSet) mbClass {
	lead, t := code>>8, code&0xFF
	if t < 0xA1 {
		if lead >= 0xA1 && lead <= 0xA7 {
			return mbUnmapped // user-defined
		}
		return mbRare // GBK extensions
	}
	if lead < 0xA1 {
		return mbRare
	}
	switch {
	case lead == 0xA1 || lead == 0xA3:
		return mbZhPunct
	case lead == 0xA2:
		return mbFullwidth
	case lead >= 0xA6 && lead <= 0xA9:
		return mbSymbol
	case lead >= 0xB0 && lead <= 0xD7 && code < 0xD7FA:
		if common.has(code) {
			return mbZhCommon
		}
		return mbGBLevel1
	case lead >= 0xD8 && lead <= 0xF7:
		return mbGBLevel2
	case lead >= 0xAA && lead <= 0xAF || lead >= 0xF8:
		return mbUnmapped // user-defined
	}
	return mbRare // kana rows, GB18030 additions
}

func scanBig5(s []byte, common *codeSet) (r mbResult) {
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b < 0x80:
			continue
		case b == 0x80 || b == 0xFF:
			r.bad()
		default:
			if i+1 == len(s) {
				return r
			}
			t := s[i+1]
			if t < 0x40 || t > 0x7E && t < 0xA1 || t == 0xFF {
				r.bad()
				continue
			}
			r.add(s, i, i+2, big5Class(int(b)<<8|int(t), common))
			i++
		}
		if r.hopeless() {
			return r
		}
	}
	return r
}

func big5Class(code int, common *codeSet) mbClass {
	switch {
	case code >= 0xA140 && code <= 0xA3BF:
		return mbZhPunct
	case code >= 0xA440 && code <= 0xC67E:
		if common.has(code) {
			return mbZhCommon
		}
		return mbBig5Freq
	case code >= 0xC940 && code <= 0xF9D5:
		return mbBig5Rare
	case code >= 0xF9D6 && code <= 0xF9FE:
		return mbSymbol
	case code < 0x8740:
		return mbUnmapped
	}
	return mbRare // HKSCS
}

func scanEUCKR(s []byte, common *codeSet) (r mbResult) {
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b < 0x80:
			continue
		case b == 0x80 || b == 0xFF:
			r.bad()
		default:
			if i+1 == len(s) {
				return r
			}
			t := s[i+1]
			if t < 0x41 || t > 0x5A && t < 0x61 || t > 0x7A && t < 0x81 || t == 0xFF || b > 0xC6 && t < 0xA1 {
				r.bad()
				continue
			}
			r.add(s, i, i+2, krClass(int(b)<<8|int(t), common))
			i++
		}
		if r.hopeless() {
			return r
		}
	}
	return r
}

func krClass(code int, common *codeSet) mbClass {
	lead, t := code>>8, code&0xFF
	if lead < 0xA1 || t < 0xA1 {
		return mbRare // the extra syllables of windows-949
	}
	switch {
	case lead <= 0xA2:
		return mbKoPunct
	case lead == 0xA3:
		return mbFullwidth
	case lead <= 0xAC:
		return mbSymbol
	case lead <= 0xAF || lead == 0xC9 || lead == 0xFE:
		return mbUnmapped // empty and user-defined rows
	case lead <= 0xC8:
		if common.has(code) {
			return mbKoCommon
		}
		return mbKoHangul
	}
	return mbRare // Hanja
}
