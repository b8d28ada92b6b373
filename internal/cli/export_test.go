package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/article"
)

func TestExportCommand(t *testing.T) {
	db, arts := fixtureDB(t)
	tests := []struct {
		args []string
		want []string // titles, in order
	}{
		{nil, []string{"Bakery wins bread prize", "Kestrel Bridge reopens", "Island link restored", "Le marché couvert rouvre"}},
		{[]string{"--source", "dailylantern.example"}, []string{"Bakery wins bread prize", "Island link restored"}},
		{[]string{"--lang", "fr"}, []string{"Le marché couvert rouvre"}},
		{[]string{"--since", "2031-04-10", "--limit", "2"}, []string{"Kestrel Bridge reopens", "Island link restored"}},
	}
	for _, tt := range tests {
		out, errOut, code := nd(t, db, "", append([]string{"export"}, tt.args...)...)
		if code != ExitOK {
			t.Fatalf("export %v: exit %d: %s", tt.args, code, errOut)
		}
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var a article.Article
			if err := json.Unmarshal([]byte(line), &a); err != nil {
				t.Fatalf("export %v: line %q: %v", tt.args, line, err)
			}
			got = append(got, a.Title)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("export %v = %v, want %v", tt.args, got, tt.want)
		}
	}

	out, _, code := nd(t, db, "", "export", "--format", "jsonld", "--source", "The Harbor Post")
	if code != ExitOK {
		t.Fatal(code)
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(out), &ld); err != nil {
		t.Fatal(err)
	}
	a := arts[0]
	checks := map[string]any{
		"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.Title, "url": a.URL,
		"datePublished": "2031-04-14T08:00:00Z", "inLanguage": "en", "articleBody": a.Text, "identifier": a.ID,
	}
	for k, v := range checks {
		if ld[k] != v {
			t.Errorf("jsonld %s = %v, want %v", k, ld[k], v)
		}
	}
	if authors, _ := ld["author"].([]any); len(authors) != 1 || authors[0].(map[string]any)["name"] != "Lena Marsh" {
		t.Errorf("jsonld author = %v", ld["author"])
	}
	if pub, _ := ld["publisher"].(map[string]any); pub["name"] != "The Harbor Post" || pub["url"] != "https://harborpost.example" {
		t.Errorf("jsonld publisher = %v", ld["publisher"])
	}

	for _, args := range [][]string{{"export", "--format", "csv"}, {"export", "extra"}, {"export", "--until", "soon"}} {
		if _, _, code := nd(t, db, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}
