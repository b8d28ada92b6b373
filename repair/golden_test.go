package repair

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/golden"
)

// TestGolden runs every case under testdata/golden: a folder with the raw
// input.txt and the expected.json record. Run with -update to regenerate
// after a deliberate change, then review the diff.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/golden/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, "input.txt"))
			if err != nil {
				t.Fatal(err)
			}
			a, err := Text(raw, Options{Name: "input.txt"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(a, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden.Check(t, filepath.Join(dir, "expected.json"), got)
			checkInvariants(t, raw, a)
		})
	}
}

// checkInvariants holds for every repair: paragraphs are non-empty, and every
// kept and removed segment is accounted for in the input.
func checkInvariants(t *testing.T, raw []byte, a *article.Article) {
	t.Helper()
	text, _, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	flat := collapse(text)
	for _, p := range a.Paragraphs {
		if p == "" {
			t.Error("empty paragraph in output")
		}
		if !bytes.Contains([]byte(flat), []byte(collapse(p))) {
			t.Errorf("paragraph not found in input: %q", p)
		}
	}
	for _, r := range a.Removed {
		if !bytes.Contains([]byte(flat), []byte(collapse(r.Text))) {
			t.Errorf("removed segment not found in input: %q", r.Text)
		}
	}
}

// collapse maps all white space runs to one space, so that re-flowed
// paragraphs can be found in the wrapped input.
func collapse(s string) string {
	var b bytes.Buffer
	space := false
	for _, r := range s {
		if isSpace(r) || r == '\n' || r == '\r' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
