package dedup

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

var urlDate = regexp.MustCompile(`/(\d{4}/\d{2}/\d{2})/`)

func TestOwnStorySets(t *testing.T) {
	a, b := ownStorySets(7), ownStorySets(7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("ownStorySets(7) differs between two calls")
	}
	if reflect.DeepEqual(a, ownStorySets(8)) {
		t.Error("ownStorySets ignores its seed")
	}
	names := map[string]bool{}
	for _, s := range a {
		if names[s.Name] {
			t.Errorf("set name %q repeated", s.Name)
		}
		names[s.Name] = true
		if len(s.Records) < 100 {
			t.Errorf("%s: only %d records", s.Name, len(s.Records))
		}
		ids := map[string]bool{}
		clusters := map[string]int{}
		for _, r := range s.Records {
			if r.ID == "" || ids[r.ID] {
				t.Errorf("%s: empty or repeated id %q", s.Name, r.ID)
			}
			ids[r.ID] = true
			if r.Cluster == "" || r.Title == "" || r.Text == "" {
				t.Errorf("%s: %s lacks a cluster, title or text", s.Name, r.ID)
			}
			clusters[r.Cluster]++
			if n := len(strings.Split(r.Text, "\n\n")); n < 4 || n > 12 {
				t.Errorf("%s: %s has %d paragraphs", s.Name, r.ID, n)
			}
			if strings.ContainsAny(r.Title+r.Text, "[]{}") || strings.Contains(r.Text, "|") {
				t.Errorf("%s: %s has template residue: %q", s.Name, r.ID, r.Title)
			}
			m := urlDate.FindStringSubmatch(r.URL)
			if dated := !strings.HasSuffix(s.Name, "-nodate"); dated != (m != nil) {
				t.Errorf("%s: %s: URL %s: dated %v", s.Name, r.ID, r.URL, m != nil)
			} else if m != nil {
				if _, err := time.Parse("2006/01/02", m[1]); err != nil {
					t.Errorf("%s: %s: URL %s: %v", s.Name, r.ID, r.URL, err)
				}
			}
		}
		if len(clusters) < 20 {
			t.Errorf("%s: only %d clusters", s.Name, len(clusters))
		}
		for c, n := range clusters {
			if n < 1 {
				t.Errorf("%s: cluster %s is empty", s.Name, c)
			}
		}
	}
}

// TestWriteOwnStorySets writes the sets as DIR/<name>.jsonl, in the format
// of stories-dev, when NEWSDESK_WRITE_SETS=DIR.
func TestWriteOwnStorySets(t *testing.T) {
	dir := os.Getenv("NEWSDESK_WRITE_SETS")
	if dir == "" {
		t.Skip("set NEWSDESK_WRITE_SETS=DIR to write the sets")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	type line struct {
		ID      string `json:"id"`
		Cluster string `json:"cluster"`
		Title   string `json:"title"`
		Text    string `json:"text"`
		URL     string `json:"url"`
	}
	for _, s := range ownStorySets(1) {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		for _, r := range s.Records {
			if err := enc.Encode(line{r.ID, r.Cluster, r.Title, r.Text, r.URL}); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(dir, s.Name+".jsonl")
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d records)", path, len(s.Records))
	}
}
