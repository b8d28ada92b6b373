package enrich

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/article"
)

// FuzzEnrich checks that Enrich never panics, that quote texts are
// substrings of their paragraph, that counts are positive and entity
// texts are non-empty. Paragraphs are split from the input at blank lines.
func FuzzEnrich(f *testing.F) {
	for _, s := range []string{
		"Vladimir Putin waved goodbye to his 'fiery friend' Kim Jong Un late last night.",
		"\"We will win,\" said Mr. Smith.\n\nHe added: \"Always.\"",
		"„Ja“, sagte Frau Meier am 1. Oktober. « Non », a dit M. Dupont.",
		"'unclosed 'quote' and the leaders' decision,' she said on Tuesday, June 19, 2024.",
		"U.S. Embassy in Hanoi said 2024-06-19 two days earlier; Russia-North Korea ties.",
		"\"", "'", "“”", "A.", "I'm", "al-", "van de", "Mr.", "2024-13-45", "the day before",
	} {
		f.Add(s)
	}
	ref := time.Date(2024, 6, 20, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		paras := strings.Split(s, "\n\n")
		a := &article.Article{Title: s, Paragraphs: paras, Published: ref}
		Enrich(a, Options{})
		for _, q := range a.Quotes {
			if q.Paragraph < 0 || q.Paragraph >= len(paras) {
				t.Fatalf("quote paragraph %d out of range", q.Paragraph)
			}
			if q.Text == "" || !strings.Contains(paras[q.Paragraph], q.Text) {
				t.Fatalf("quote %q not in paragraph %q", q.Text, paras[q.Paragraph])
			}
		}
		for _, e := range a.Entities {
			if e.Text == "" || e.Count <= 0 || e.Type == "" {
				t.Fatalf("bad entity %+v", e)
			}
			if utf8.ValidString(s) && !strings.Contains(s, e.Text) {
				t.Fatalf("entity %q not in the text", e.Text)
			}
		}
		for _, tr := range a.Times {
			if tr.Text == "" || !strings.Contains(s, tr.Text) {
				t.Fatalf("time %q not in the text", tr.Text)
			}
		}
		Entities(paras)
		Quotes(paras)
		Times(paras, time.Time{})
	})
}
