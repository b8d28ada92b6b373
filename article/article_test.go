package article

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestNormalizeURLSameID(t *testing.T) {
	same := []string{
		"https://example.org/news/story-1",
		"http://www.example.org/news/story-1/",
		"https://EXAMPLE.org:443/news/story-1#comments",
		"https://example.org/news/story-1?utm_source=x&utm_medium=y",
	}
	want := NormalizeURL(same[0])
	for _, u := range same[1:] {
		if got := NormalizeURL(u); got != want {
			t.Errorf("NormalizeURL(%q) = %q, want %q", u, got, want)
		}
	}
	if NormalizeURL("https://example.org/news/story-2") == want {
		t.Error("different pages share a normalized URL")
	}
	if got := NormalizeURL("https://example.org/a?id=7&utm_campaign=z"); got != "https://example.org/a?id=7" {
		t.Errorf("meaningful query dropped or tracking kept: %q", got)
	}
}

func TestIDFromBodyIgnoresTypography(t *testing.T) {
	a := &Article{Paragraphs: []string{"He said: “Go.”", "Next  line."}}
	b := &Article{Paragraphs: []string{"he said: \"go.\"", "next line."}}
	a.Finalize()
	b.Finalize()
	if a.ID != b.ID || !strings.HasPrefix(a.ID, "t") {
		t.Errorf("ids %q and %q should match and start with t", a.ID, b.ID)
	}
	c := &Article{Paragraphs: []string{"Something else entirely."}}
	c.Finalize()
	if c.ID == a.ID {
		t.Error("different bodies share an id")
	}
}

func TestCountWords(t *testing.T) {
	cases := map[string]int{
		"":                      0,
		"Hello, world!":         2,
		"don't well-known 2024": 3,
		"naïve café":            2,
		"日本語のテキスト":              8,
		"Привет мир":            2,
		"  spaced\u00a0out  ":   2,
		"エンジニア and engineers":   7,
	}
	for in, want := range cases {
		if got := CountWords(in); got != want {
			t.Errorf("CountWords(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestJSONShape(t *testing.T) {
	a := &Article{Title: "T", Paragraphs: []string{"p"}}
	a.Finalize()
	raw, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	for _, want := range []string{`"authors":[]`, `"removed":[]`, `"paragraphs":["p"]`, `"word_count":1`, `"source":{}`} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s: %s", want, s)
		}
	}
	if strings.Contains(s, `"published"`) {
		t.Errorf("unknown published date must be omitted: %s", s)
	}
	a.Published = time.Date(2024, 6, 19, 8, 30, 0, 0, time.UTC)
	raw, _ = json.Marshal(a)
	if !strings.Contains(string(raw), `"published":"2024-06-19T08:30:00Z"`) {
		t.Errorf("published not RFC 3339: %s", raw)
	}
}

// TestIDChunking: the body hash must not depend on where the long-text
// chunking falls.
func TestIDChunking(t *testing.T) {
	long := strings.Repeat("Word ", 3000) + "“End”"
	a := &Article{Paragraphs: []string{long}}
	a.Finalize()
	b := &Article{Paragraphs: []string{strings.ReplaceAll(long, " ", "  ")}}
	b.Finalize()
	if a.ID != b.ID {
		t.Errorf("ids differ with spacing: %s %s", a.ID, b.ID)
	}
	if got, want := NormalizeText("  Mixed  CASE\t“quote”  "), "mixed case \"quote\""; got != want {
		t.Errorf("NormalizeText = %q, want %q", got, want)
	}
}
