package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// prefixDB stores articles chosen so that two ids share their first five
// characters, and returns the database and the ids: pair holds the two that
// collide, and lone one whose 4-character prefix is unique.
func prefixDB(t *testing.T) (db string, pair [2]string, lone string, all []string) {
	t.Helper()
	byPrefix := map[string]*article.Article{}
	var arts []*article.Article
	for i := 0; len(arts) < 2; i++ {
		a := &article.Article{
			URL: fmt.Sprintf("https://prefix.example/%d", i), Title: fmt.Sprintf("Harbour note %d", i),
			Source:     article.Source{Name: "Prefix Post", Domain: "prefix.example"},
			Paragraphs: []string{fmt.Sprintf("The harbour office posted note number %d on Monday.", i)},
			Published:  time.Date(2031, 4, 1, 8, 0, 0, 0, time.UTC),
		}
		a.Finalize()
		if o := byPrefix[a.ID[:5]]; o != nil {
			arts = append(arts, o, a)
			break
		}
		byPrefix[a.ID[:5]] = a
	}
	pair = [2]string{arts[0].ID, arts[1].ID}
	// Add a few whose 4-character prefixes differ from every other one.
	used := map[string]bool{pair[0][:4]: true}
	for i := 100000; len(arts) < 6; i++ {
		a := &article.Article{
			URL: fmt.Sprintf("https://prefix.example/%d", i), Title: fmt.Sprintf("Harbour note %d", i),
			Paragraphs: []string{fmt.Sprintf("The harbour office posted note number %d on Monday.", i)},
		}
		a.Finalize()
		if used[a.ID[:4]] {
			continue
		}
		used[a.ID[:4]] = true
		arts = append(arts, a)
	}
	lone = arts[2].ID
	db = filepath.Join(t.TempDir(), "prefix.db")
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var es []store.Entry
	for _, a := range arts {
		es = append(es, store.Entry{Article: a, Raw: []byte(a.Title + "\n\n" + a.Paragraphs[0])})
		all = append(all, a.ID)
	}
	if _, err := s.Put(context.Background(), es); err != nil {
		t.Fatal(err)
	}
	return db, pair, lone, all
}

// TestShowIDPrefix: a short but unique prefix finds its article; an
// ambiguous or too short one says so and lists the candidates, never
// "no such article" (on the code before, `show` of a unique 4-character
// prefix answered "no such article").
func TestShowIDPrefix(t *testing.T) {
	db, pair, lone, all := prefixDB(t)

	out, errOut, code := nd(t, db, "", "show", "--format", "text", lone[:4])
	if code != ExitOK || !strings.Contains(out, "ID:        "+lone) {
		t.Errorf("show %s (unique 4-character prefix): exit %d\n%s%s", lone[:4], code, out, errOut)
	}

	_, errOut, code = nd(t, db, "", "show", pair[0][:5])
	if code != ExitPartial || !strings.Contains(errOut, "ambiguous") || strings.Contains(errOut, "no such article") {
		t.Errorf("show %s (ambiguous): exit %d, %q", pair[0][:5], code, errOut)
	}
	for _, id := range pair {
		if !strings.Contains(errOut, id) {
			t.Errorf("ambiguous prefix: candidate %s not listed:\n%s", id, errOut)
		}
	}
	if !strings.Contains(errOut, "Harbour note") {
		t.Errorf("ambiguous prefix: candidates carry no titles:\n%s", errOut)
	}

	// "u" is shared by every id: too short, and the candidates are listed.
	_, errOut, code = nd(t, db, "", "show", "u")
	if code != ExitPartial || !strings.Contains(errOut, "too short") || strings.Contains(errOut, "no such article") {
		t.Errorf("show u: exit %d, %q", code, errOut)
	}
	for _, id := range all {
		if !strings.Contains(errOut, id) {
			t.Errorf("too short prefix: candidate %s not listed:\n%s", id, errOut)
		}
	}
	// --history resolves the same way.
	if out, errOut, code := nd(t, db, "", "show", "--history", "--format", "text", lone[:4]); code != ExitOK || !strings.HasPrefix(out, "v1") {
		t.Errorf("show --history %s: exit %d\n%s%s", lone[:4], code, out, errOut)
	}
	// A prefix that matches nothing is still "no such article".
	if _, errOut, code := nd(t, db, "", "show", "zzzz"); code != ExitPartial || !strings.Contains(errOut, "zzzz: no such article") {
		t.Errorf("show zzzz: exit %d, %q", code, errOut)
	}
}
