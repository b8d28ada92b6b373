package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPublishedFlag: --published dates an input that gives no date, before
// enrich, so its relative times resolve, in clean and in ingest; a bad date
// is a usage error.
func TestPublishedFlag(t *testing.T) {
	dir := t.TempDir()
	undated := filepath.Join(dir, "strike.txt")
	text := "Ferry crews walk out in Marrowby\n\nFerry crews in Marrowby walked out yesterday over the new rota, the seafarers' union said, and no crossings ran to Isle Penn.\n\nThe harbour authority said talks would resume on Friday."
	if err := os.WriteFile(undated, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := nd(t, filepath.Join(dir, "x.db"), "", "clean", "--format", "jsonl", "--published", "2031-04-14", undated)
	if code != ExitOK {
		t.Fatalf("clean: exit %d: %s", code, errOut)
	}
	var rec struct {
		Published time.Time `json:"published"`
		Times     []struct {
			Text     string    `json:"text"`
			Resolved time.Time `json:"resolved"`
		} `json:"times"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &rec); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !rec.Published.Equal(time.Date(2031, 4, 14, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("published %v, want 2031-04-14", rec.Published)
	}
	resolved := false
	for _, tm := range rec.Times {
		if strings.Contains(strings.ToLower(tm.Text), "yesterday") && tm.Resolved.Format("2006-01-02") == "2031-04-13" {
			resolved = true
		}
	}
	if !resolved {
		t.Errorf("yesterday not resolved against --published: %+v", rec.Times)
	}

	// ingest: the stored record carries the date.
	db := filepath.Join(dir, "i.db")
	if _, errOut, code := nd(t, db, "", "ingest", "--quiet", "--published", "2031-04-14T09:30:00Z", undated); code != ExitOK {
		t.Fatalf("ingest: exit %d: %s", code, errOut)
	}
	exported, _, _ := nd(t, db, "", "export")
	if !strings.Contains(exported, `"published":"2031-04-14T09:30:00Z"`) {
		t.Errorf("ingest --published not stored:\n%.300s", exported)
	}

	for _, cmd := range []string{"clean", "ingest"} {
		if _, errOut, code := nd(t, filepath.Join(dir, "y.db"), "", cmd, "--published", "last tuesday", undated); code != ExitUsage || !strings.Contains(errOut, "--published") {
			t.Errorf("%s --published 'last tuesday': exit %d, %q", cmd, code, errOut)
		}
	}
}
