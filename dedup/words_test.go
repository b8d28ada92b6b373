package dedup

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/newsdesk/newsdesk/article"
)

// referenceWords is the plain rune-by-rune definition of words.
func referenceWords(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		r = article.FoldQuote(r)
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return out
}

func collectWords(s string) []string {
	var out []string
	words(s, func(w string) { out = append(out, strings.Clone(w)) })
	return out
}

var wordsCases = []string{
	"", "a", "A", "Kestrel Bridge, closed: 14 cracks!", "MARROWBY'S Mayor", "don’t stop—now",
	"Café Ünal straße ÀÉÎ", "naïve co\u0301operation", "東京で特許業務法人が", "ひらがなカタカナ漢字",
	"Mixed東京Case", "x\xffy\xc3", "İstanbul ΣΊΣΥΦΟΣ", "tab\tnew\nline", "12,000 people; 3.5%",
	"ab\u00A0cd\u2009ef", "ǅemal ǈubljana",
}

func TestWordsMatchesReference(t *testing.T) {
	for _, s := range wordsCases {
		if got, want := collectWords(s), referenceWords(s); !slices.Equal(got, want) {
			t.Errorf("words(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range wordsCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collectWords(s), referenceWords(s); !slices.Equal(got, want) {
			t.Errorf("words(%q) = %q, want %q", s, got, want)
		}
	})
}
