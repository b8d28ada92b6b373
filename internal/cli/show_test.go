package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/article"
)

func TestShowCommand(t *testing.T) {
	db, arts := fixtureDB(t)
	a := arts[0]
	for _, ref := range []string{a.ID, a.ID[:7], a.URL, "http://www.harborpost.example/bridge/?utm_source=feed"} {
		out, errOut, code := nd(t, db, "", "show", ref)
		if code != ExitOK {
			t.Fatalf("show %s: exit %d: %s", ref, code, errOut)
		}
		var got article.Article
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("show %s: %v", ref, err)
		}
		if got.ID != a.ID || got.Text != a.Text || got.Title != a.Title || got.Authors[0] != "Lena Marsh" {
			t.Errorf("show %s = %+v", ref, got)
		}
	}
	out, _, code := nd(t, db, "", "show", "--format", "text", a.ID)
	for _, want := range []string{"Kestrel Bridge reopens\n======", "Source:    The Harbor Post (harborpost.example)", "Authors:   Lena Marsh", "Mayor Tobias Wren cut the ribbon."} {
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	out, _, code = nd(t, db, "", "show", "--history", "--format", "text", a.ID)
	if code != ExitOK || !strings.HasPrefix(out, "v1  stored ") || strings.Count(out, "\n") != 1 {
		t.Errorf("history: %q", out)
	}
	if out, _, code := nd(t, db, "", "show", "--version", "1", a.ID); code != ExitOK || !strings.Contains(out, a.Title) {
		t.Errorf("--version 1: exit %d: %s", code, out)
	}

	for _, tt := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"show", "u00000000000000000000"}, ExitPartial, "u00000000000000000000: no such article"},
		{[]string{"show", "--version", "2", a.ID}, ExitPartial, "no such article"},
		{[]string{"show"}, ExitUsage, "exactly one"},
		{[]string{"show", "a", "b"}, ExitUsage, "exactly one"},
		{[]string{"show", "--format", "yaml", a.ID}, ExitUsage, "--format"},
	} {
		_, errOut, code := nd(t, db, "", tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", tt.args, code, errOut, tt.code, tt.err)
		}
	}
}
