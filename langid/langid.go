// Package langid guesses the language of a text from its script and, for
// Latin script, from frequent short words.
//
// Detect returns an ISO 639-1 code, or "" when the text is too short or the
// evidence is mixed. Non-Latin scripts are told apart by their characters:
// Han ("zh", or "ja" with enough Kana), Kana ("ja"), Hangul ("ko"), Cyrillic
// ("ru"), Arabic ("ar"), Devanagari ("hi"), Greek ("el"), Hebrew ("he") and
// Thai ("th"); a script shared by several languages gives the code listed,
// so Ukrainian reads as "ru" and Persian as "ar". Latin-script text is scored
// against the stop words of English, German, French, Spanish, Italian,
// Portuguese, Dutch, Swedish, Polish, Turkish and Indonesian, and a language
// must clearly lead the others.
//
// Only the first 2 KiB of text are read, so the cost does not grow with the
// document. The package uses the standard library only and needs no model
// files. newsdesk's HTML extractor and text repair call it when a page or
// file does not declare its language.
package langid

import (
	"unicode"
	"unicode/utf8"
)

// stopwords are frequent short words that identify a Latin-script language.
var stopwords = map[string][]string{
	"en": {"the", "and", "of", "to", "in", "is", "that", "for", "was", "with", "on", "as", "it", "he", "she", "said"},
	"de": {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "ein", "eine", "auf", "sich", "auch", "dem", "zu"},
	"fr": {"le", "la", "les", "et", "des", "est", "une", "dans", "que", "pour", "du", "pas", "sur", "qui", "au"},
	"es": {"el", "la", "los", "las", "y", "que", "del", "en", "por", "una", "con", "para", "es", "se", "como"},
	"it": {"il", "di", "che", "e", "la", "per", "un", "una", "non", "sono", "della", "del", "con", "gli", "nel"},
	"pt": {"o", "a", "os", "que", "de", "do", "da", "em", "um", "uma", "não", "para", "com", "se", "no", "ao"},
	"nl": {"de", "het", "een", "en", "van", "is", "niet", "dat", "op", "te", "zijn", "met", "voor", "ook", "die"},
	"sv": {"och", "att", "det", "som", "en", "är", "på", "för", "med", "av", "inte", "den", "till", "har", "jag"},
	"pl": {"i", "w", "nie", "na", "się", "że", "z", "do", "jest", "to", "jak", "ale", "po", "od", "przez"},
	"tr": {"ve", "bir", "bu", "da", "de", "için", "ile", "çok", "olarak", "daha", "gibi", "ama", "en", "olan"},
	"id": {"yang", "dan", "di", "ini", "itu", "dengan", "untuk", "tidak", "dari", "dalam", "akan", "pada", "juga"},
}

const maxStopLen = 8

var stopIndex = func() map[string][]string {
	idx := map[string][]string{}
	for lang, words := range stopwords {
		for _, w := range words {
			idx[w] = append(idx[w], lang)
		}
	}
	return idx
}()

// sampleBytes is how much text Detect reads.
const sampleBytes = 2 << 10

// Detect guesses the language of paras from its script, and for
// Latin script from stop words. It returns "" when unsure.
func Detect(paras []string) string {
	var scripts [10]int
	counts := map[string]int{}
	words := 0
	const (
		latin = iota
		han
		kana
		hangul
		cyrillic
		arabic
		devanagari
		greek
		hebrew
		thai
	)
	// A sample is enough to tell a language: judge the first sampleBytes.
	budget := sampleBytes
	var word []byte
	flush := func() {
		// No stop word is longer than maxStopLen bytes; skip the lookup.
		if len(word) > 0 && len(word) <= maxStopLen && words < 2000 {
			words++
			for _, l := range stopIndex[string(word)] {
				counts[l]++
			}
		}
		word = word[:0]
	}
	for _, p := range paras {
		if budget <= 0 {
			break
		}
		if len(p) > budget {
			p = p[:budget]
		}
		budget -= len(p)
		for _, r := range p {
			if r < 0x80 {
				c := byte(r)
				switch {
				case c >= 'a' && c <= 'z':
					scripts[latin]++
					word = append(word, c)
				case c >= 'A' && c <= 'Z':
					scripts[latin]++
					word = append(word, c+'a'-'A')
				default:
					flush()
				}
				continue
			}
			if !unicode.IsLetter(r) {
				flush()
				continue
			}
			word = utf8.AppendRune(word, unicode.ToLower(r))
			switch {
			case unicode.Is(unicode.Latin, r):
				scripts[latin]++
			case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
				scripts[kana]++
			case unicode.Is(unicode.Han, r):
				scripts[han]++
			case unicode.Is(unicode.Hangul, r):
				scripts[hangul]++
			case unicode.Is(unicode.Cyrillic, r):
				scripts[cyrillic]++
			case unicode.Is(unicode.Arabic, r):
				scripts[arabic]++
			case unicode.Is(unicode.Devanagari, r):
				scripts[devanagari]++
			case unicode.Is(unicode.Greek, r):
				scripts[greek]++
			case unicode.Is(unicode.Hebrew, r):
				scripts[hebrew]++
			case unicode.Is(unicode.Thai, r):
				scripts[thai]++
			}
		}
		flush()
	}
	best, bestN := 0, 0
	for i, n := range scripts {
		if n > bestN {
			best, bestN = i, n
		}
	}
	if bestN < 20 {
		return ""
	}
	switch best {
	case han:
		if scripts[kana]*10 > bestN {
			return "ja"
		}
		return "zh"
	case kana:
		return "ja"
	case hangul:
		return "ko"
	case cyrillic:
		return "ru"
	case arabic:
		return "ar"
	case devanagari:
		return "hi"
	case greek:
		return "el"
	case hebrew:
		return "he"
	case thai:
		return "th"
	}
	lang, n, second := "", 0, 0
	for l, c := range counts {
		if c > n || (c == n && l < lang) {
			lang, n, second = l, c, n
		} else if c > second {
			second = c
		}
	}
	if words < 10 || n*100 < words*8 || n < second*3/2 {
		return ""
	}
	return lang
}
