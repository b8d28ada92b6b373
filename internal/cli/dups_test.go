package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// dedupFixtureDB stores fictional articles with dup groups and stories set,
// as the ingest pipeline leaves them, and returns the database path.
func dedupFixtureDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "dedup.db")
	day := func(d, h int) time.Time { return time.Date(2031, 5, d, h, 0, 0, 0, time.UTC) }
	bridge := []string{
		"Engineers closed the Kestrel Bridge in Marrowby on Tuesday after inspectors found cracks spreading through two steel piers.",
		"The county said the crossing would stay shut for at least three weeks while divers examined the foundations.",
		"A temporary ferry between the harbour steps and the grain wharf will run every fifteen minutes from Thursday.",
	}
	mk := func(url, outlet, title string, pub time.Time, group, story string, paras ...string) *article.Article {
		a := &article.Article{URL: url, Source: article.Source{Name: outlet}, Title: title, Published: pub, Paragraphs: paras}
		a.Finalize()
		a.DupGroup, a.Story = group, story
		return a
	}
	wire := mk("https://gazette.example/bridge", "Harbour Gazette", "Kestrel Bridge closed after cracks found", day(6, 8), "", "", bridge...)
	wire.DupGroup = wire.ID
	arts := []*article.Article{
		wire,
		mk("https://courier.example/b", "Valley Courier", "MARROWBY BRIDGE SHUT", day(6, 11), wire.ID, "", bridge[:2]...),
		mk("https://wire.example/b", "Northfield Wire", "Bridge closure: what we know", day(7, 9), wire.ID, "", append([]string{"By Staff Reporter"}, bridge...)...),
		mk("https://courier.example/chess", "Valley Courier", "Varga wins Northmoor chess title", day(9, 18), "", "",
			"Fourteen-year-old Ilse Varga won the Northmoor open chess championship on Sunday."),
	}
	for _, a := range arts[1:3] {
		a.Story = "s" + wire.ID
	}
	wire.Story = "s" + wire.ID
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var es []store.Entry
	for _, a := range arts {
		es = append(es, store.Entry{Article: a})
	}
	if _, err := s.Put(ctx, es); err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if a.DupGroup != "" {
			if err := s.SetDupGroup(ctx, a.ID, a.DupGroup); err != nil {
				t.Fatal(err)
			}
		}
	}
	stories := []store.StoryState{
		{ID: "s" + wire.ID, Headline: wire.Title, First: day(6, 8), Last: day(7, 9), Count: 3,
			Outlets: []string{"Harbour Gazette", "Northfield Wire", "Valley Courier"}, State: []byte(`{}`)},
		{ID: "schess", Headline: "Varga wins Northmoor chess title", First: day(9, 18), Last: day(9, 18), Count: 1,
			Outlets: []string{"Valley Courier"}, State: []byte(`{}`)},
	}
	for _, st := range stories {
		if err := s.PutStories(ctx, []store.StoryState{st}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestDupsCommand(t *testing.T) {
	db := dedupFixtureDB(t)
	out, errOut, code := nd(t, db, "", "dups")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		": 3 copies from Harbour Gazette, Northfield Wire, Valley Courier",
		"2031-05-06", "Kestrel Bridge closed after cracks found", "MARROWBY BRIDGE SHUT",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dups lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "chess") {
		t.Errorf("dups lists a single article:\n%s", out)
	}
	// The representative is a full copy, not the excerpt.
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "  * ") && strings.Contains(line, "MARROWBY") {
			t.Errorf("the excerpt is marked representative:\n%s", out)
		}
	}

	out, _, code = nd(t, db, "", "dups", "--json")
	var g dupGroup
	if err := json.Unmarshal([]byte(out), &g); err != nil || code != ExitOK {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if g.Copies != 3 || len(g.Members) != 3 || g.Representative == "" || len(g.Outlets) != 3 {
		t.Errorf("group %+v", g)
	}

	for _, args := range [][]string{{"dups", "extra"}, {"dups", "--limit", "-1"}, {"dups", "--bogus"}} {
		if _, _, code := nd(t, db, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
	if _, errOut, code := nd(t, filepath.Join(t.TempDir(), "none.db"), "", "dups"); code != ExitPartial || !strings.Contains(errOut, "no database") {
		t.Errorf("missing database: exit %d, %s", code, errOut)
	}
}

func TestStoriesCommand(t *testing.T) {
	db := dedupFixtureDB(t)
	tests := []struct {
		name    string
		args    []string
		want    []string
		notWant []string
	}{
		{"all", []string{"stories"}, []string{
			"Kestrel Bridge closed after cracks found\n  3 articles from 3 outlets: Harbour Gazette, Northfield Wire, Valley Courier",
			"first seen 2031-05-06 08:00Z, last seen 2031-05-07 09:00Z",
			"Varga wins Northmoor chess title\n  1 article from Valley Courier",
		}, nil},
		{"since a date", []string{"stories", "--since", "2031-05-08"}, []string{"Varga"}, []string{"Kestrel"}},
		{"limit", []string{"stories", "--limit", "1"}, []string{"Varga"}, []string{"Kestrel"}},
		{"none", []string{"stories", "--since", "2032-01-01"}, []string{"no stories"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := nd(t, db, "", tt.args...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
	out, _, code := nd(t, db, "", "stories", "--json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var s storyLine
	if code != ExitOK || len(lines) != 2 || json.Unmarshal([]byte(lines[1]), &s) != nil || s.Articles != 3 || len(s.Outlets) != 3 || s.First.IsZero() {
		t.Errorf("--json: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"stories", "--since", "yesterday-ish"}, {"stories", "x"}, {"stories", "--limit", "-2"}} {
		if _, _, code := nd(t, db, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}
