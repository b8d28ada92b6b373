package extract

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzHTML checks that no input panics, that an error is one of the
// package's, and that a returned article is well formed. The seed corpus
// is in testdata/fuzz/FuzzHTML, plus the golden inputs.
func FuzzHTML(f *testing.F) {
	dirs, _ := filepath.Glob("testdata/golden/*/input.html")
	for _, p := range dirs {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(storyHTML))
	f.Fuzz(func(t *testing.T, raw []byte) {
		a, err := HTML(raw, Options{Name: "fuzz.html", URL: "https://fuzz.example/2020/01/02/x"})
		if err != nil {
			if !errors.Is(err, ErrNoArticle) && !errors.Is(err, ErrBinary) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if a.Text == "" || a.ID == "" || a.Input.Format != "html" {
			t.Fatalf("malformed article %+v", a)
		}
		for _, p := range a.Paragraphs {
			if !utf8.ValidString(p) {
				t.Fatalf("invalid UTF-8 in paragraph %q", p)
			}
		}
		_ = LooksLikeHTML(raw)
	})
}
