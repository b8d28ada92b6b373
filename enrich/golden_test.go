package enrich

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/golden"
)

// goldenCase is one fictional article: a header of "key: value" lines
// (published, language, title), a blank line, then paragraphs separated
// by blank lines.
type goldenCase struct {
	published  time.Time
	language   string
	title      string
	paragraphs []string
}

func parseCase(raw string) goldenCase {
	var c goldenCase
	raw = strings.ReplaceAll(raw, "\r\n", "\n")
	head, body, _ := strings.Cut(raw, "\n\n")
	for _, line := range strings.Split(head, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "published":
			t, err := ParseRef(v)
			if err == nil {
				c.published = t
			}
		case "language":
			c.language = v
		case "title":
			c.title = v
		}
	}
	for _, p := range strings.Split(body, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			c.paragraphs = append(c.paragraphs, p)
		}
	}
	return c
}

type goldenResult struct {
	Entities []article.Entity  `json:"entities"`
	Quotes   []article.Quote   `json:"quotes"`
	Times    []article.TimeRef `json:"times"`
}

// TestGolden runs Enrich on every case under testdata/golden and compares
// with want.json. Run with -update to rewrite the files after a deliberate
// change, then review the diff: every golden file was checked by hand.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no golden cases")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, "input.txt"))
			if err != nil {
				t.Fatal(err)
			}
			c := parseCase(string(raw))
			a := &article.Article{Title: c.title, Paragraphs: c.paragraphs, Published: c.published, Language: c.language}
			Enrich(a, Options{})
			checkOffsets(t, a)
			got, err := json.MarshalIndent(goldenResult{a.Entities, a.Quotes, a.Times}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden.Check(t, filepath.Join(dir, "want.json"), got)
			for _, q := range a.Quotes {
				if !strings.Contains(c.paragraphs[q.Paragraph], q.Text) {
					t.Errorf("quote %q is not in paragraph %d", q.Text, q.Paragraph)
				}
			}
		})
	}
}
