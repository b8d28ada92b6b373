package charset

import (
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Penalties, in bits, for pairs of neighbouring characters that real text
// almost never has. They catch wrong readings that single letters do not:
// "Ñîâåò" is made of letters Western languages use, but "óÒ" changes case
// inside a word, "Cafй" mixes two scripts in a word, "Cz±stka" has a
// symbol where a letter belongs.
const (
	caseMixBits      = -6  // small letter then capital
	scriptMixBits    = -10 // letters of two scripts side by side
	symbolInWordBits = -3  // a rare symbol or control beside a letter

	// allCapsBits gives back half of upperBits for each ASCII capital
	// beside an accented capital.
	allCapsBits = -upperBits / 2
)

// A single is a single-byte candidate: a code page, the languages it
// serves and a prior, in bits for each byte it reads differently from
// windows-1252, that breaks near ties in favour of the code pages most
// used on the web.
type single struct {
	name   string
	cm     *charmap.Charmap
	langs  []*language
	prior  float64
	once   sync.Once
	tables *singleTables
}

type singleTables struct {
	runes    [128]rune
	langs    []*language
	w        [][128]float64 // per language, the score of each high byte
	cls      [pairN]uint8   // pair class of each byte index (see stats)
	nonLatin bool           // its letters are not Latin: pays the script prior
	// scriptLetter marks the high bytes that are letters of the script of
	// the candidate's languages.
	scriptLetter [128]bool
}

// singles are the single-byte candidates, in the order that breaks exact
// ties. ISO-8859-1 is not among them: like browsers, a page declared
// ISO-8859-1 is read as windows-1252, its superset.
var singles = []*single{
	{name: "windows-1252", cm: charmap.Windows1252, langs: western},
	{name: "windows-1251", cm: charmap.Windows1251, langs: cyrillic},
	{name: "windows-1250", cm: charmap.Windows1250, langs: central, prior: 0.3},
	{name: "iso-8859-2", cm: charmap.ISO8859_2, langs: central, prior: 0.4},
	{name: "windows-1254", cm: charmap.Windows1254, langs: []*language{langTR, langENTurkish}, prior: 0.3},
	{name: "koi8-r", cm: charmap.KOI8R, langs: russian, prior: 0.5},
	{name: "windows-1253", cm: charmap.Windows1253, langs: []*language{langEL}, prior: 0.2},
	{name: "iso-8859-7", cm: charmap.ISO8859_7, langs: []*language{langEL}, prior: 0.3},
	{name: "windows-1255", cm: charmap.Windows1255, langs: []*language{langHE}, prior: 0.2},
	{name: "windows-1256", cm: charmap.Windows1256, langs: []*language{langAR, langFA}, prior: 0.2},
	{name: "ibm866", cm: charmap.CodePage866, langs: russian, prior: 1},
	{name: "macintosh", cm: charmap.Macintosh, langs: western, prior: 8},
}

var cp1252Runes = func() (r [128]rune) {
	for i := range r {
		r[i] = charmap.Windows1252.DecodeByte(byte(0x80 + i))
	}
	return r
}()

// Pair classes: the script in the low three bits, then case and a flag
// for symbols that do not belong beside letters.
const (
	clsLower = 1 << 3
	clsUpper = 1 << 4
	clsBad   = 1 << 5
)

var pairPenalty = func() (t [64][64]float64) {
	for a := range 64 {
		for b := range 64 {
			sa, sb := script(a&7), script(b&7)
			p := 0.0
			if sa != scriptNone && sb != scriptNone {
				if sa != sb {
					p += scriptMixBits
				} else if a&clsLower != 0 && b&clsUpper != 0 {
					p += caseMixBits
				}
			}
			if a&clsBad != 0 && sb != scriptNone || sa != scriptNone && b&clsBad != 0 {
				p += symbolInWordBits
			}
			t[a][b] = p
		}
	}
	return t
}()

func (c *single) load() *singleTables {
	c.once.Do(func() {
		t := &singleTables{}
		scripts := map[script]int{}
		for i := range 128 {
			r := c.cm.DecodeByte(byte(0x80 + i))
			t.runes[i] = r
			t.cls[i] = pairClass(r)
			if isLetter(r) {
				scripts[scriptOf(r)]++
			}
		}
		t.cls[idxLower] = uint8(scriptLatin) | clsLower
		t.cls[idxUpper] = uint8(scriptLatin) | clsUpper
		langs := c.langs
		if langs == nil {
			langs = languagesFor(scripts)
		}
		t.langs = langs
		t.w = make([][128]float64, len(langs))
		for j, l := range langs {
			for i, r := range t.runes {
				t.w[j][i] = runeBits(r, l)
			}
			if l.script != scriptLatin {
				t.nonLatin = true
			}
		}
		for i, r := range t.runes {
			t.scriptLetter[i] = isLetter(r) && scriptOf(r) == langs[0].script
		}
		c.tables = t
	})
	return c.tables
}

// languagesFor picks the languages of a code page the model has no entry
// for, by the script most of its letters are in.
func languagesFor(scripts map[script]int) []*language {
	best, n := scriptLatin, 0
	for s, k := range scripts {
		if k > n || k == n && s < best {
			best, n = s, k
		}
	}
	switch best {
	case scriptLatin:
		return append(append([]*language{}, western...), central...)
	case scriptCyrillic:
		return cyrillic
	case scriptGreek:
		return []*language{langEL}
	case scriptHebrew:
		return []*language{langHE}
	case scriptArabic:
		return []*language{langAR, langFA}
	}
	return []*language{{name: "any", script: best, flat: true}}
}

// score returns the candidate's log-likelihood of the sample in bits.
// ascii holds the languages' relative ASCII scores (stats.asciiScores).
func (c *single) score(st *stats, ascii map[*language]float64, declared bool) float64 {
	t := c.load()
	best := math.Inf(-1)
	for j, l := range t.langs {
		s, ok := ascii[l]
		if !ok && l.script == scriptLatin {
			s = minASCII(ascii) // a Latin language without ASCII ranks
		}
		for _, i := range st.present {
			s += float64(st.hist[i]) * t.w[j][i]
		}
		best = max(best, s)
	}
	for _, k := range st.touched {
		a, b := t.cls[k/pairN], t.cls[k%pairN]
		p := pairPenalty[a][b]
		if k/pairN == idxUpper && b == uint8(scriptLatin)|clsUpper || k%pairN == idxUpper && a == uint8(scriptLatin)|clsUpper {
			p += allCapsBits // "CAFÉ": a capital is no surprise among capitals
		}
		best += float64(st.pairs[k]) * p
	}
	if !declared && c.prior != 0 {
		// The prior counts the bytes this code page reads differently
		// from windows-1252: where they agree, there is nothing to prefer.
		n := int32(0)
		for _, i := range st.present {
			if t.runes[i] != cp1252Runes[i] {
				n += st.hist[i]
			}
		}
		best -= c.prior * float64(n)
	}
	if t.nonLatin {
		if !declared {
			best -= st.asciiPrior(asciiPriorMax)
		}
		var letters, alone, distinct int32
		for _, i := range st.present {
			if t.scriptLetter[i] {
				letters += st.hist[i]
				alone += st.iso[i]
				distinct++
			}
		}
		if distinct < min(letters/3, minDistinct) {
			alone = letters // no words: "ааа" from NBSP runs
		}
		best += isolatedBits * max(0, float64(alone)-isolatedShare*float64(letters))
	}
	return best
}

func minASCII(ascii map[*language]float64) float64 {
	m := 0.0
	for _, v := range ascii {
		m = min(m, v)
	}
	return m
}

// sameReading reports whether a and b decode every high byte of the
// sample alike.
func sameReading(a, b *single, st *stats) bool {
	ta, tb := a.load(), b.load()
	for _, i := range st.present {
		if ta.runes[i] != tb.runes[i] {
			return false
		}
	}
	return true
}

// runeBits scores r, decoded from a high byte, as a character of l.
func runeBits(r rune, l *language) float64 {
	if !isLetter(r) && !unicode.IsMark(r) {
		return symbolBits(r)
	}
	lower := unicode.ToLower(r)
	up := 0.0
	if lower != r {
		up = upperBits
	}
	if r == 'İ' { // the capital of ASCII i in Turkish
		if l == langTR {
			return tierBits[0] + upperBits
		}
		return foreignBits + upperBits
	}
	if unicode.IsMark(r) {
		if t := tierOf(l, r); t >= 0 {
			return tierBits[t]
		}
		return tierBits[5]
	}
	if scriptOf(r) != l.script {
		return otherScriptBits + up
	}
	if l.flat {
		return tierBits[2] + up
	}
	if t := tierOf(l, lower); t >= 0 {
		return tierBits[t] + up
	}
	return foreignBits + up
}

func tierOf(l *language, r rune) int {
	for t, s := range l.tiers {
		if strings.ContainsRune(s, r) {
			return t
		}
	}
	return -1
}

func symbolBits(r rune) float64 {
	switch r {
	case '“', '”', '‘', '’', '„', '–', '—', '…', '«', '»', '\u00a0', '•', '·':
		return commonPunctBits
	case '€', '£', '©', '®', '°', '§', '¶', '™', '×', '¡', '¿', '‹', '›', '‚', '№', '´', '\u00ad', '¢', '¥',
		'ª', 'º', '½', '¼', '¾', '¹', '²', '³':
		return otherPunctBits
	}
	if r == utf8.RuneError || unicode.IsControl(r) {
		return badBits
	}
	return rareSymbolBits
}

// isLetter is unicode.IsLetter without the letter-like symbols single-byte
// code pages hold (ª º µ ƒ and modifier letters such as ˆ), which text
// uses as symbols.
func isLetter(r rune) bool {
	switch r {
	case 'ª', 'º', 'µ', 'ƒ':
		return false
	}
	return unicode.IsLetter(r) && !unicode.Is(unicode.Lm, r)
}

func scriptOf(r rune) script {
	switch {
	case r < utf8.RuneSelf:
		if 'a' <= r|0x20 && r|0x20 <= 'z' {
			return scriptLatin
		}
		return scriptNone
	case unicode.Is(unicode.Latin, r):
		return scriptLatin
	case unicode.Is(unicode.Cyrillic, r):
		return scriptCyrillic
	case unicode.Is(unicode.Greek, r):
		return scriptGreek
	case unicode.Is(unicode.Hebrew, r):
		return scriptHebrew
	case unicode.Is(unicode.Arabic, r):
		return scriptArabic
	case unicode.IsLetter(r):
		return scriptOther
	}
	return scriptNone
}

func pairClass(r rune) uint8 {
	if isLetter(r) {
		c := uint8(scriptOf(r))
		switch {
		case unicode.IsUpper(r) || unicode.IsTitle(r):
			c |= clsUpper
		case unicode.IsLower(r):
			c |= clsLower
		}
		return c
	}
	if unicode.IsMark(r) {
		return uint8(scriptOf(r))
	}
	if symbolBits(r) <= rareSymbolBits {
		return clsBad
	}
	return 0
}
