package cli

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/dedup"
	"github.com/newsdesk/newsdesk/internal/shared"
)

// TestDevStoriesThroughIngest scores stories the way a user gets them:
// the development set written out one file per article, ingested with
// `newsdesk ingest` at -j 1 and -j 2, the stories read back with export.
// Plain text files carry no date; HTML files carry the article's URL as
// their canonical link, so its date is known. The partitions must not
// depend on -j.
func TestDevStoriesThroughIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests the development set")
	}
	recs, err := dedup.ReadBench(shared.Path(t, "bench/dedup/stories-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	floors := map[string]float64{"txt": 0.89, "html": 0.875}
	for _, format := range []string{"txt", "html"} {
		dir := t.TempDir()
		truth := map[string]string{}
		for i, r := range recs {
			name := fmt.Sprintf("%04d.%s", i, format)
			truth[name] = r.Cluster
			body := r.Title + "\n\n" + r.Text
			if format == "html" {
				var b strings.Builder
				fmt.Fprintf(&b, "<html><head><title>%s</title><link rel=\"canonical\" href=\"%s\"></head><body><article><h1>%s</h1>",
					html.EscapeString(r.Title), html.EscapeString(r.URL), html.EscapeString(r.Title))
				for _, p := range strings.Split(r.Text, "\n\n") {
					fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(p))
				}
				b.WriteString("</article></body></html>")
				body = b.String()
			}
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var first map[string]string
		for _, jobs := range []string{"1", "2"} {
			db := filepath.Join(t.TempDir(), "s.db")
			if _, errOut, code := nd(t, db, "", "ingest", "--quiet", "-j", jobs, dir); code != ExitOK {
				t.Fatalf("ingest: exit %d: %s", code, errOut)
			}
			out, errOut, code := nd(t, db, "", "export")
			if code != ExitOK {
				t.Fatalf("export: exit %d: %s", code, errOut)
			}
			pred := map[string]string{}
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				var a struct {
					ID    string `json:"id"`
					Story string `json:"story"`
					Input struct {
						Name string `json:"name"`
					} `json:"input"`
				}
				if err := json.Unmarshal([]byte(line), &a); err != nil {
					t.Fatal(err)
				}
				pred[filepath.Base(a.Input.Name)] = a.Story
			}
			var tr, pr []string
			for name, c := range truth {
				if pred[name] == "" {
					t.Fatalf("%s: no story", name)
				}
				tr, pr = append(tr, c), append(pr, pred[name])
			}
			sc := dedup.ScoreBCubed(tr, pr)
			t.Logf("%s, -j %s: BCubed P %.4f R %.4f F1 %.4f", format, jobs, sc.Precision, sc.Recall, sc.F1)
			if sc.F1 < floors[format] {
				t.Errorf("%s, -j %s: F1 %.4f, want >= %.3f", format, jobs, sc.F1, floors[format])
			}
			if first == nil {
				first = pred
				continue
			}
			for name, s := range pred {
				if first[name] != s {
					t.Errorf("%s: %s in story %s at -j 1, %s at -j %s", format, name, first[name], s, jobs)
				}
			}
		}
	}
}
