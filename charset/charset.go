// Package charset decides the character encoding of scraped text from its
// bytes, taking declared charsets (an HTTP header, a <meta> tag) as
// claims to check rather than facts, and decodes the text to UTF-8.
//
// Declarations lie often: pages served as UTF-8 whose bytes are
// windows-1251, UTF-8 pages labelled ISO-8859-1, files saved with no label
// at all. Detect decides, in this order:
//
//   - A byte order mark wins.
//   - Pure ASCII keeps the first declaration (UTF-8 without one).
//   - Valid UTF-8 holding multi-byte sequences is UTF-8 whatever is
//     declared: legacy text is almost never valid UTF-8 by accident.
//     Mostly valid UTF-8 with a few stray legacy bytes is UTF-8 too, the
//     stray bytes read as windows-1252 (or the declared code page).
//   - Otherwise every candidate is scored on the sample: the multi-byte
//     encodings (Shift_JIS, EUC-JP, GB18030, Big5, EUC-KR) by the validity
//     of their byte sequences and the share of common characters (kana,
//     the common Hanzi, the common Hangul syllables); the single-byte code
//     pages by a small letter model of the languages each serves, plus
//     penalties for what real text does not do (control characters, case
//     changes and script changes inside words, symbols among letters). See
//     model.go for the model and where its numbers come from.
//   - A declaration is kept when the bytes agree with it: it decodes them
//     without invalid sequences and scores within a margin of the best
//     candidate. Declarations are tried in the order given (for HTML, the
//     header before the <meta>).
//
// Detection looks at a bounded sample (SampleSize bytes; for HTML the text
// outside markup, see HTMLSample) and costs well under a millisecond.
package charset

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// SampleSize bounds the bytes detection looks at.
const SampleSize = 64 << 10

// A declaration is kept unless the best candidate beats it by more than
// keepBits plus keepBitsPerByte for every high byte of the sample; that
// much worse, the declared reading garbles the text.
const (
	keepBits        = 12
	keepBitsPerByte = 0.5
)

// Detect returns the encoding of sample, its WHATWG name ("utf-8",
// "windows-1251", "shift_jis", …) and whether the bytes clearly support
// the choice. declared holds the charset labels the source claims, most
// authoritative first; unknown labels are ignored. Only the first
// SampleSize bytes of sample are looked at.
func Detect(sample []byte, declared ...string) (enc encoding.Encoding, name string, confident bool) {
	r := detect(sample, declared)
	return r.enc, r.name, r.confident
}

// Decode returns raw, plain text, as UTF-8 and the name of the encoding it
// was in, decided by Detect from its first SampleSize bytes. A byte order
// mark is dropped.
func Decode(raw []byte, declared ...string) ([]byte, string, error) {
	if e, name, n := bom(raw); e != nil {
		return transcode(raw[n:], result{enc: e, name: name})
	}
	if r, ok := validUTF8(raw, declared); ok {
		return transcode(raw, r)
	}
	return transcode(raw, detect(raw, declared))
}

// validUTF8 is the fast path for input that is valid UTF-8 as a whole,
// most of it: with a multi-byte sequence it is UTF-8, and pure ASCII
// keeps its declaration (see detect).
func validUTF8(raw []byte, declared []string) (result, bool) {
	if !utf8.Valid(raw) {
		return result{}, false
	}
	if firstHigh(raw) >= 0 {
		r := utf8Result
		r.confident = true
		return r, true
	}
	return detect(raw, declared), true
}

// DecodeHTML is Decode for an HTML page: detection looks at the page's
// text (HTMLSample), or, when that is all ASCII, at the bytes around the
// first non-ASCII byte of the markup.
func DecodeHTML(raw []byte, declared ...string) ([]byte, string, error) {
	if e, name, n := bom(raw); e != nil {
		return transcode(raw[n:], result{enc: e, name: name})
	}
	if r, ok := validUTF8(raw, declared); ok {
		return transcode(raw, r)
	}
	sample := HTMLSample(raw)
	if firstHigh(sample) < 0 {
		if i := firstHigh(raw[:min(len(raw), scanLimit)]); i >= 0 {
			sample = raw[max(0, i-1024):]
		}
	}
	return transcode(raw, detect(sample, declared))
}

// Lookup returns the encoding a charset label names, and its WHATWG name.
// Labels are matched as browsers match them, after trimming quotes, and
// with '_' read as '-' when the label is not known as written
// ("euc_kr"). ok is false for unknown labels and for the WHATWG
// "replacement" and "x-user-defined" encodings, which no text is in.
func Lookup(label string) (enc encoding.Encoding, name string, ok bool) {
	label = strings.ToLower(strings.Trim(label, " \t\r\n\f\"'"))
	if label == "" {
		return nil, "", false
	}
	e, err := htmlindex.Get(label)
	if err != nil {
		if e, err = htmlindex.Get(strings.ReplaceAll(label, "_", "-")); err != nil {
			return nil, "", false
		}
	}
	name, err = htmlindex.Name(e)
	if err != nil || name == "replacement" || name == "x-user-defined" {
		return nil, "", false
	}
	return e, name, true
}

type result struct {
	enc       encoding.Encoding
	name      string
	confident bool
	fallback  *charmap.Charmap // reads stray bytes in UTF-8
}

var utf8Result = result{enc: encoding.Nop, name: "utf-8", fallback: charmap.Windows1252}

func bom(raw []byte) (encoding.Encoding, string, int) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		return encoding.Nop, "utf-8", 3
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", 2
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", 2
	}
	return nil, "", 0
}

// A claim is a declared encoding and the candidate that scores it.
type claim struct {
	enc    encoding.Encoding
	name   string
	single *single
	multi  *multi
}

func claims(labels []string) []claim {
	var cs []claim
	for _, l := range labels {
		e, name, ok := Lookup(l)
		if !ok {
			continue
		}
		c := claim{enc: e, name: name}
		switch {
		case strings.HasPrefix(name, "utf-16"):
			// Only a BOM can make an ASCII-compatible document UTF-16:
			// browsers read the label as UTF-8.
			c = claim{enc: encoding.Nop, name: "utf-8"}
		case name == "utf-8":
			c.enc = encoding.Nop
		case name == "gbk":
			// WHATWG decodes GBK with the GB18030 decoder, its superset.
			c.enc, c.multi = mbGB.enc, mbGB
		default:
			for _, m := range multis {
				if m.name == name {
					c.multi = m
				}
			}
			if cm, ok := e.(*charmap.Charmap); ok {
				c.single = singleFor(name, cm)
			}
		}
		cs = append(cs, c)
	}
	return cs
}

var adhoc sync.Map // name → *single, for declared code pages not in singles

// singleFor returns the candidate for a declared single-byte code page:
// one of singles, or one scored by the languages of its script.
func singleFor(name string, cm *charmap.Charmap) *single {
	for _, s := range singles {
		if s.name == name {
			return s
		}
	}
	if s, ok := adhoc.Load(name); ok {
		return s.(*single)
	}
	s, _ := adhoc.LoadOrStore(name, &single{name: name, cm: cm, prior: 1})
	return s.(*single)
}

func detect(sample []byte, labels []string) result {
	if len(sample) > SampleSize {
		sample = sample[:SampleSize]
	}
	if e, name, _ := bom(sample); e != nil {
		return result{enc: e, name: name, confident: true}
	}
	cs := claims(labels)
	hi := firstHigh(sample)
	if hi < 0 {
		if isISO2022JP(sample) {
			return result{enc: japanese.ISO2022JP, name: "iso-2022-jp", confident: true}
		}
		if len(cs) > 0 {
			r := result{enc: cs[0].enc, name: cs[0].name, confident: true}
			if r.name == "utf-8" {
				r.fallback = charmap.Windows1252
			}
			return r
		}
		return utf8Result
	}
	body := trimIncomplete(sample[hi:])
	if utf8.Valid(body) {
		r := utf8Result
		r.confident = true
		return r
	}
	if m, k := utf8Counts(body); m >= 2 && m >= k {
		// UTF-8 with a few stray legacy bytes (a pasted quote, a
		// truncated string): UTF-8 is right for all the rest.
		r := utf8Result
		r.confident = m >= 4*k
		for _, c := range cs {
			if c.single != nil {
				r.fallback = c.single.cm
				break
			}
		}
		return r
	}
	return chooseLegacy(sample, cs)
}

type scored struct {
	single *single
	multi  *multi
	bits   float64
}

func (s scored) result() result {
	if s.multi != nil {
		return result{enc: s.multi.enc, name: s.multi.name}
	}
	return result{enc: s.single.cm, name: s.single.name}
}

// chooseLegacy scores every candidate on a sample that is not UTF-8 and
// keeps the first claim the bytes agree with, or else the best candidate.
func chooseLegacy(sample []byte, cs []claim) result {
	st := getStats(sample)
	defer st.release()

	declared := func(s *single) bool {
		for _, c := range cs {
			if c.single == s {
				return true
			}
		}
		return false
	}
	ascii := st.asciiScores()
	var all []scored
	for _, s := range singles {
		all = append(all, scored{single: s, bits: s.score(st, ascii, declared(s))})
	}
	for _, c := range cs {
		if c.single != nil && !contains(singles, c.single) {
			all = append(all, scored{single: c.single, bits: c.single.score(st, ascii, true)})
		}
	}
	mb := map[*multi]mbResult{}
	for _, m := range multis {
		r := m.score(sample)
		mb[m] = r
		all = append(all, scored{multi: m, bits: r.total() - st.asciiPrior(asciiPriorMaxCJK)})
	}
	best := 0
	for i, s := range all {
		if s.bits > all[best].bits {
			best = i
		}
	}
	top := all[best]
	margin := keepBits + keepBitsPerByte*float64(st.high)
	for _, c := range cs {
		var bits float64
		switch {
		case c.multi != nil:
			r := mb[c.multi]
			if r.invalid > 0 {
				continue
			}
			bits = r.total()
		case c.single != nil:
			for _, s := range all {
				if s.single == c.single {
					bits = s.bits
				}
			}
		default:
			continue // UTF-8 that is not, ISO-2022-JP with 8-bit bytes
		}
		if top.bits-bits <= margin {
			enc := c.enc
			if c.single != nil {
				enc = c.single.cm
			}
			return result{enc: enc, name: c.name, confident: true}
		}
	}
	// Confident when no other reading of the bytes comes close.
	second := math.Inf(-1)
	for i, s := range all {
		if i == best || s.multi == nil && top.multi == nil && sameReading(s.single, top.single, st) {
			continue
		}
		second = max(second, s.bits)
	}
	r := top.result()
	r.confident = top.bits-second > margin
	return r
}

func contains(ss []*single, s *single) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// isISO2022JP reports 7-bit text with the escape sequences of ISO-2022-JP
// (ESC $ @, ESC $ B: switch to JIS X 0208).
func isISO2022JP(s []byte) bool {
	return bytes.Contains(s, []byte("\x1b$B")) || bytes.Contains(s, []byte("\x1b$@"))
}

// transcode decodes raw as r says. UTF-8 is returned as is when valid;
// otherwise each byte that is not part of a valid sequence is read with the
// fallback code page, so one stray byte does not become U+FFFD.
func transcode(raw []byte, r result) ([]byte, string, error) {
	if r.name == "utf-8" {
		if utf8.Valid(raw) {
			return raw, r.name, nil
		}
		fb := r.fallback
		if fb == nil {
			fb = charmap.Windows1252
		}
		return lenientUTF8(raw, fb), r.name, nil
	}
	out, err := r.enc.NewDecoder().Bytes(raw)
	if err != nil {
		return nil, "", fmt.Errorf("charset: decoding %s: %w", r.name, err)
	}
	return out, r.name, nil
}

func lenientUTF8(raw []byte, fb *charmap.Charmap) []byte {
	out := make([]byte, 0, len(raw)+len(raw)/16)
	for i := 0; i < len(raw); {
		if raw[i] < utf8.RuneSelf {
			j := i + 1
			for j < len(raw) && raw[j] < utf8.RuneSelf {
				j++
			}
			out = append(out, raw[i:j]...)
			i = j
			continue
		}
		r, n := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && n == 1 {
			out = utf8.AppendRune(out, fb.DecodeByte(raw[i]))
		} else {
			out = append(out, raw[i:i+n]...)
		}
		i += n
	}
	return out
}
