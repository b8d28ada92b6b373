package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

func TestReprocessCommand(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	examples := filepath.Join(filepath.Dir(file), "..", "..", "examples")
	db := filepath.Join(t.TempDir(), "re.db")
	_, errOut, code := nd(t, db, "", "ingest", "--quiet", examples)
	if code != ExitOK {
		t.Fatalf("ingest: exit %d: %s", code, errOut)
	}
	var n int
	if i := strings.Index(errOut, "ingested "); i >= 0 {
		if _, err := fmt.Sscanf(errOut[i:], "ingested %d", &n); err != nil || n == 0 {
			t.Fatalf("cannot read summary %q", errOut)
		}
	}

	// Same code, same raw inputs: nothing changes.
	_, errOut, code = nd(t, db, "", "reprocess", "--quiet")
	if code != ExitOK || !strings.Contains(errOut, fmt.Sprintf("ingested 0, unchanged %d, updated 0, failed 0", n)) {
		t.Fatalf("reprocess: exit %d: %s", code, errOut)
	}

	// Simulate a record made by an older, worse extractor: reprocessing
	// rebuilds it from the stored raw input, as a new version.
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	var a *article.Article
	var origin store.Origin
	err = s.Each(context.Background(), store.Filter{Source: "harborpost.example"}, func(x *article.Article, o store.Origin) error {
		if strings.Contains(x.Title, "Kestrel") {
			a, origin = x, o
		}
		return nil
	})
	if err != nil || a == nil {
		t.Fatalf("no bridge article: %v", err)
	}
	raw, err := s.Raw(context.Background(), origin.RawSHA256)
	if err != nil {
		t.Fatal(err)
	}
	good := a.Text
	a.Paragraphs = append(a.Paragraphs, "Advertisement")
	a.Finalize()
	if _, err := s.Put(context.Background(), []store.Entry{{Article: a, Raw: raw, ContentType: origin.ContentType}}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	_, errOut, code = nd(t, db, "", "reprocess", "--quiet", "--source", "harborpost.example")
	if code != ExitOK || !strings.Contains(errOut, "ingested 0, unchanged 0, updated 1, failed 0") {
		t.Fatalf("reprocess after damage: exit %d: %s", code, errOut)
	}
	s, _ = store.Open(context.Background(), db)
	defer s.Close()
	fixed, _ := s.Get(context.Background(), a.ID)
	if fixed.Text != good {
		t.Errorf("reprocessed text differs from the original extraction")
	}
	vs, _ := s.Versions(context.Background(), a.ID)
	if len(vs) != 3 {
		t.Errorf("%d versions, want 3 (original, damaged, reprocessed)", len(vs))
	}
}
