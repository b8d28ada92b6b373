package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// fixtureArticle builds a fictional finalized article.
func fixtureArticle(url, source, domain, lang, title string, published time.Time, authors []string, paras ...string) *article.Article {
	a := &article.Article{
		URL: url, Source: article.Source{Name: source, Domain: domain}, Language: lang, Title: title,
		Published: published, Authors: authors, Paragraphs: paras,
		Input: article.Input{Name: "fixtures/" + filepath.Base(url) + ".txt", Format: "text", Encoding: "utf-8"},
	}
	a.Finalize()
	return a
}

// fixtureDB stores four fictional articles and returns the database path
// and the articles.
func fixtureDB(t *testing.T) (string, []*article.Article) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "fixture.db")
	d := func(day int) time.Time { return time.Date(2031, 4, day, 8, 0, 0, 0, time.UTC) }
	arts := []*article.Article{
		fixtureArticle("https://harborpost.example/bridge", "The Harbor Post", "harborpost.example", "en", "Kestrel Bridge reopens", d(14), []string{"Lena Marsh"},
			"The Kestrel Bridge between Marrow and Isle Penn reopened to traffic on Monday.", "Mayor Tobias Wren cut the ribbon."),
		fixtureArticle("https://dailylantern.example/bridge", "Daily Lantern", "dailylantern.example", "en", "Island link restored", d(14), nil,
			"The bridge reopened after two years of repairs, restoring the road link to Isle Penn."),
		fixtureArticle("https://dailylantern.example/bakery", "Daily Lantern", "dailylantern.example", "en", "Bakery wins bread prize", d(2), nil,
			"A Quay Street bakery won the regional bread prize for its rye loaf."),
		fixtureArticle("https://gazette.example/marche", "La Gazette", "gazette.example", "fr", "Le marché couvert rouvre", d(20), nil,
			"Après dix-huit mois de travaux, le marché couvert a rouvert samedi."),
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var es []store.Entry
	for _, a := range arts {
		es = append(es, store.Entry{Article: a, Raw: []byte(a.Title + "\n\n" + a.Text)})
	}
	if _, err := s.Put(context.Background(), es); err != nil {
		t.Fatal(err)
	}
	return db, arts
}

func TestSearchCommand(t *testing.T) {
	db, arts := fixtureDB(t)
	tests := []struct {
		name     string
		args     []string
		code     int
		want     []string
		wantNot  []string
		wantErr  string
		wantHits int // -1: do not count
	}{
		{"words", []string{"bridge", "reopened"}, ExitOK, []string{"Kestrel Bridge reopens", "Island link restored", "The Harbor Post (harborpost.example)", "2031-04-14", "**reopened**"}, nil, "", 2},
		{"phrase", []string{`"road link"`}, ExitOK, []string{"Island link restored", "**road link**"}, []string{"Kestrel"}, "", 1},
		{"boolean", []string{"bridge NOT ribbon"}, ExitOK, []string{"Island link restored"}, []string{"Kestrel"}, "", 1},
		{"prefix", []string{"bak*"}, ExitOK, []string{"Bakery wins bread prize"}, nil, "", 1},
		{"source filter", []string{"bridge", "--source", "daily lantern"}, ExitOK, []string{"Island link restored"}, []string{"Kestrel"}, "", 1},
		{"lang filter", []string{"rouvert OR bridge", "--lang", "fr"}, ExitOK, []string{"Le marché couvert rouvre"}, []string{"Kestrel"}, "", 1},
		{"since until", []string{"bridge OR bakery OR marche", "--since", "2031-04-10", "--until", "2031-04-15"}, ExitOK, []string{"Kestrel", "Island"}, []string{"Bakery", "marché"}, "", 2},
		{"limit", []string{"bridge", "--limit", "1"}, ExitOK, nil, nil, "", 1},
		{"no match", []string{"zeppelin"}, ExitOK, nil, nil, "no articles match", 0},
		{"syntax error", []string{`"unclosed`}, ExitUsage, nil, nil, "newsdesk search: unbalanced quote at column 1\n  \"unclosed\n  ^\n", 0},
		{"no query", nil, ExitUsage, nil, nil, "no query given", 0},
		{"bad since", []string{"bridge", "--since", "last tuesday"}, ExitUsage, nil, nil, "--since", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := nd(t, db, "", append([]string{"search"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
			if tt.wantErr != "" && !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr lacks %q: %s", tt.wantErr, errOut)
			}
			if tt.code == ExitOK {
				if n := strings.Count(out, "\n\n"); n != tt.wantHits {
					t.Errorf("%d hits, want %d:\n%s", n, tt.wantHits, out)
				}
			}
		})
	}

	out, _, code := nd(t, db, "", "search", "--json", "bridge")
	if code != ExitOK {
		t.Fatal(code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("--json: %d lines:\n%s", len(lines), out)
	}
	ids := map[string]bool{arts[0].ID: true, arts[1].ID: true}
	for _, l := range lines {
		var h store.Hit
		if err := json.Unmarshal([]byte(l), &h); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if !ids[h.ID] || h.Title == "" || h.Snippet == "" || h.Score <= 0 || h.Published.IsZero() {
			t.Errorf("hit %+v", h)
		}
	}

	if _, errOut, code := nd(t, filepath.Join(t.TempDir(), "none.db"), "", "search", "bridge"); code != ExitPartial || !strings.Contains(errOut, "no database at") {
		t.Errorf("missing database: exit %d, %s", code, errOut)
	}
}

func TestParseWhen(t *testing.T) {
	now := time.Date(2031, 5, 10, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{"", time.Time{}, false},
		{"2031-04-01", time.Date(2031, 4, 1, 0, 0, 0, 0, time.UTC), false},
		{"2031-04", time.Date(2031, 4, 1, 0, 0, 0, 0, time.UTC), false},
		{"2031-04-01T10:30:00+02:00", time.Date(2031, 4, 1, 8, 30, 0, 0, time.UTC), false},
		{"7d", now.AddDate(0, 0, -7), false},
		{"36h", now.Add(-36 * time.Hour), false},
		{"yesterday", time.Time{}, true},
		{"-3d", time.Time{}, true},
	} {
		got, err := parseWhen(tt.in, now)
		if (err != nil) != tt.bad || !got.Equal(tt.want) {
			t.Errorf("parseWhen(%q) = %v, %v", tt.in, got, err)
		}
	}
}

// TestSearchQueryLanguage: newsdesk's own query language, parsed before
// the store sees it: -word excludes, a query of only negations lists every
// other article, fields, and syntax errors that say what and where.
func TestSearchQueryLanguage(t *testing.T) {
	db, _ := fixtureDB(t)
	tests := []struct {
		name    string
		args    []string
		want    []string // titles, any order
		wantErr string   // stderr, exit 2
	}{
		{"minus excludes", []string{"bridge -ribbon"}, []string{"Island link restored"}, ""},
		{"minus phrase", []string{`bridge -"cut the ribbon"`}, []string{"Island link restored"}, ""},
		{"leading NOT", []string{"NOT bridge"}, []string{"Bakery wins bread prize", "Le marché couvert rouvre"}, ""},
		{"only negations with a filter", []string{"--lang", "en", "--", "-bridge -bakery"}, nil, ""},
		{"only negations", []string{"--", "-bridge", "-bakery"}, []string{"Le marché couvert rouvre"}, ""},
		{"grouping", []string{"(bakery OR ribbon) AND prize"}, []string{"Bakery wins bread prize"}, ""},
		{"title field", []string{"title:bridge"}, []string{"Kestrel Bridge reopens"}, ""},
		{"body field", []string{"body:ribbon"}, []string{"Kestrel Bridge reopens"}, ""},
		{"title field excludes body", []string{"title:ribbon"}, nil, ""},
		{"title phrase", []string{`title:"link restored"`}, []string{"Island link restored"}, ""},
		{"source field", []string{`bridge source:"daily lantern"`}, []string{"Island link restored"}, ""},
		{"source domain", []string{"source:harborpost.example"}, []string{"Kestrel Bridge reopens"}, ""},
		{"author field", []string{"author:marsh"}, []string{"Kestrel Bridge reopens"}, ""},
		{"lang field", []string{"lang:fr"}, []string{"Le marché couvert rouvre"}, ""},
		{"not lang", []string{"reopened -lang:fr"}, []string{"Kestrel Bridge reopens", "Island link restored"}, ""},
		{"plus means required", []string{"+bridge +ribbon"}, []string{"Kestrel Bridge reopens"}, ""},
		{"symbols ignored", []string{"C++ bread"}, nil, ""},
		{"prefix", []string{"reop*"}, []string{"Kestrel Bridge reopens", "Island link restored"}, ""},

		{"unbalanced quote", []string{`"unbalanced`}, nil, "unbalanced quote at column 1"},
		{"lone NOT", []string{"NOT"}, nil, "NOT at column 1 needs a word after it"},
		{"lone star", []string{"*"}, nil, "* at column 1"},
		{"suffix star", []string{"*ump"}, nil, "* at column 1"},
		{"empty field", []string{"title:"}, nil, "title: at column 1 needs a word"},
		{"NEAR paren", []string{"NEAR("}, nil, "( at column 5 is never closed"},
		{"dangling AND", []string{"bridge AND"}, nil, "AND at column 8 needs a word after it"},
		{"unknown field", []string{"url:bridge"}, nil, "unknown field url: at column 1"},
		{"stray close", []string{"bridge)"}, nil, ") at column 7 has no matching ("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"search", "--json"}, tt.args...)
			out, errOut, code := nd(t, db, "", args...)
			if tt.wantErr != "" {
				if code != ExitUsage || !strings.Contains(errOut, "newsdesk search: "+tt.wantErr) {
					t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, errOut, ExitUsage, tt.wantErr)
				}
				if strings.Contains(errOut, "SQL") || strings.Contains(errOut, "fts5") {
					t.Errorf("raw engine text in %q", errOut)
				}
				return
			}
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				if l == "" {
					continue
				}
				var h store.Hit
				if err := json.Unmarshal([]byte(l), &h); err != nil {
					t.Fatal(err)
				}
				got = append(got, h.Title)
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
