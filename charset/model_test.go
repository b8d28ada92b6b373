package charset

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestModelTables checks the hand-written tables: every Latin language
// ranks each ASCII letter once and is scored by its ASCII letters, no
// letter is in two bands of a language, and the letters are of the
// language's script.
func TestModelTables(t *testing.T) {
	seen := map[*language]bool{}
	for _, l := range latinLangs {
		seen[l] = true
		if len(l.ascii) != 26 {
			t.Errorf("%s: %d ASCII letters", l.name, len(l.ascii))
		}
		for c := 'a'; c <= 'z'; c++ {
			if strings.Count(l.ascii, string(c)) != 1 {
				t.Errorf("%s: %c ranked %d times", l.name, c, strings.Count(l.ascii, string(c)))
			}
		}
	}
	all := append(append(append([]*language{}, western...), central...), cyrillic...)
	all = append(all, langTR, langEL, langHE, langAR, langFA, langENTurkish)
	for _, l := range all {
		if l.script == scriptLatin && !seen[l] {
			t.Errorf("%s is not in latinLangs", l.name)
		}
		in := map[rune]int{}
		for band, s := range l.tiers {
			for _, r := range s {
				if b, ok := in[r]; ok {
					t.Errorf("%s: %c in bands T%d and T%d", l.name, r, b+1, band+1)
				}
				in[r] = band
				if !unicode.IsMark(r) && (scriptOf(r) != l.script || unicode.IsUpper(r)) {
					t.Errorf("%s: %c is not a small letter of its script", l.name, r)
				}
			}
		}
	}
}

// TestCommonSets checks that every common character is in the code set of
// its encoding, as one two-byte code of the class the scanner expects.
func TestCommonSets(t *testing.T) {
	for _, c := range []struct {
		name  string
		chars string
		set   *codeSet
		class func(code int) mbClass
	}{
		{"gb18030", commonHans, gbCommon(), func(code int) mbClass { return gbClass(code, gbCommon()) }},
		{"big5", commonHant, big5Common(), func(code int) mbClass { return big5Class(code, big5Common()) }},
		{"euc-kr", commonKo, krCommon(), func(code int) mbClass { return krClass(code, krCommon()) }},
	} {
		n := 0
		for _, w := range c.set {
			for ; w != 0; w &= w - 1 {
				n++
			}
		}
		if want := utf8.RuneCountInString(c.chars); n != want {
			t.Errorf("%s: %d codes for %d characters", c.name, n, want)
		}
		for code := range 1 << 16 {
			if c.set.has(code) {
				if got := c.class(code); got != mbZhCommon && got != mbKoCommon {
					t.Errorf("%s: common code %04X scans as class %d", c.name, code, got)
				}
			}
		}
	}
}
