package enrich

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
)

// splitSeed splits a plain-text seed into its headline and its distinct
// body paragraphs, dropping repeats and ad markers the way the repair
// stage does before enrich runs.
func splitSeed(raw string) (string, []string) {
	var title string
	var paras []string
	seen := map[string]bool{}
	for i, p := range strings.Split(strings.ReplaceAll(raw, "\r\n", "\n"), "\n\n") {
		p = strings.TrimSpace(p)
		if p == "" || seen[p] || p == "Advertisement" {
			continue
		}
		seen[p] = true
		if i == 0 {
			title = p
			continue
		}
		paras = append(paras, p)
	}
	return title, paras
}

// TestSeed checks who, where, when and who-said-what on the shared seed
// article (Putin's visit to Pyongyang and Hanoi).
func TestSeed(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "seeds", "000_e8f2ea9f2bcaae22.txt")
	raw, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("seed missing in CI: %v", err)
		}
		t.Skipf("seed not available: %v", err)
	}
	title, paras := splitSeed(string(raw))
	a := &article.Article{Title: title, Paragraphs: paras, Published: time.Date(2024, 6, 20, 9, 0, 0, 0, time.UTC)}
	Enrich(a, Options{})

	ents := map[string]article.Entity{}
	for _, e := range a.Entities {
		ents[e.Text] = e
	}
	for _, w := range []struct {
		text, typ string
		min       int
	}{
		{"Vladimir Putin", TypePerson, 12}, // "Putin" merged into the full name; the headline counts
		{"Kim Jong Un", TypePerson, 8},     // "Kim" and the headline's "Kim Jong-un" merged
		{"To Lam", TypePerson, 2},          // "President To Lam" and "President Lam"
		{"Nguyen Phu Trong", TypePerson, 1},
		{"Gennady S. Bezdetko", TypePerson, 1},
		{"Pyongyang", TypePlace, 4},
		{"Hanoi", TypePlace, 4},
		{"Vietnam", TypePlace, 10},
		{"Russia", TypePlace, 8},
		{"North Korea", TypePlace, 4},
		{"Moscow", TypePlace, 2},
		{"Communist Party", TypeOrg, 1},
		{"U.S. Embassy", TypeOrg, 1},
		{"Kremlin", TypeOrg, 1},
	} {
		e, ok := ents[w.text]
		if !ok {
			t.Errorf("entity %q missing; got %+v", w.text, a.Entities)
			continue
		}
		if e.Type != w.typ || e.Count < w.min {
			t.Errorf("entity %q = %+v, want type %s, count >= %d", w.text, e, w.typ, w.min)
		}
	}
	for _, bad := range []string{"Putin", "Kim", "Lam", "Kim Jong-un", "Russian", "North Korean", "President", "Perhaps", "Moments", "Hit", "Want", "Like Kim", "Vietnamese"} {
		if _, ok := ents[bad]; ok {
			t.Errorf("unexpected entity %q", bad)
		}
	}
	if a.Entities[0].Text != "Vladimir Putin" {
		t.Errorf("most mentioned = %q, want Vladimir Putin", a.Entities[0].Text)
	}

	wantQuotes := []article.Quote{
		{Text: "fiery friend", Paragraph: 0},
		{Text: "close and effective cooperation", Speaker: "Gennady S. Bezdetko", Paragraph: 5},
		{Text: "friendly relations", Paragraph: 5},
		{Text: "strong supporter of a fair world order based on international law, on the principles of equality of all states and non-interference in their domestic affairs.", Speaker: "Vladimir Putin", Paragraph: 6},
		{Text: "Vietnamese friends for their balanced position on the Ukrainian crisis", Speaker: "Vladimir Putin", Paragraph: 6},
		{Text: "no country should give Putin a platform to promote his war of aggression and otherwise allow him to normalise his atrocities.", Speaker: "U.S. Embassy", Paragraph: 6},
		{Text: "strongest ever treaty", Speaker: "Kim Jong Un", Paragraph: 8},
		{Text: "fiery friendship", Speaker: "Kim Jong Un", Paragraph: 8},
		{Text: "really is a breakthrough document", Speaker: "Vladimir Putin", Paragraph: 8},
		{Text: "among other things, for mutual assistance in case of aggression against one of the parties to this treaty", Speaker: "Vladimir Putin", Paragraph: 8},
	}
	if len(a.Quotes) != len(wantQuotes) {
		t.Errorf("got %d quotes, want %d: %+v", len(a.Quotes), len(wantQuotes), a.Quotes)
	}
	for i := 0; i < len(a.Quotes) && i < len(wantQuotes); i++ {
		g, w := a.Quotes[i], wantQuotes[i]
		if g.Text != w.Text || g.Speaker != w.Speaker || g.Paragraph != w.Paragraph {
			t.Errorf("quote %d = %+v, want %+v", i, a.Quotes[i], wantQuotes[i])
		}
	}

	day := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 0, 0, 0, 0, time.UTC) }
	wantTimes := []article.TimeRef{
		{Text: "late last night", Type: article.TimeTime, Value: "2024-06-19TNI", Resolved: day(6, 19)},
		{Text: "two-day", Type: article.TimeDuration, Value: "P2D"},
		{Text: "yesterday", Type: article.TimeDate, Value: "2024-06-19", Resolved: day(6, 19)},
		{Text: "now", Type: article.TimeDate, Value: "PRESENT_REF", Resolved: day(6, 20)},
		{Text: "yesterday", Type: article.TimeDate, Value: "2024-06-19", Resolved: day(6, 19)},
		{Text: "now", Type: article.TimeDate, Value: "PRESENT_REF", Resolved: day(6, 20)},
		{Text: "today", Type: article.TimeDate, Value: "2024-06-20", Resolved: day(6, 20)},
		{Text: "two days earlier", Type: article.TimeDate, Value: "2024-06-18", Resolved: day(6, 18)},
		{Text: "1950", Type: article.TimeDate, Value: "1950", Resolved: time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Text: "this year", Type: article.TimeDate, Value: "2024", Resolved: day(1, 1)},
		{Text: "30 years", Type: article.TimeDuration, Value: "P30Y"},
		{Text: "yesterday", Type: article.TimeDate, Value: "2024-06-19", Resolved: day(6, 19)},
	}
	checkOffsets(t, a)
	if len(a.Times) != len(wantTimes) {
		t.Errorf("got times %+v, want %+v", a.Times, wantTimes)
	}
	for i := 0; i < len(a.Times) && i < len(wantTimes); i++ {
		g, w := a.Times[i], wantTimes[i]
		if g.Text != w.Text || g.Type != w.Type || g.Value != w.Value || !g.Resolved.Equal(w.Resolved) {
			t.Errorf("time %d = %+v, want %+v", i, a.Times[i], wantTimes[i])
		}
	}

	// Without a reference, relative expressions stay unresolved.
	for _, tr := range Times(paras, time.Time{}) {
		if tr.Text != "1950" && (!tr.Resolved.IsZero() || tr.Type == article.TimeDate && tr.Value != "" && tr.Value != "PRESENT_REF") {
			t.Errorf("%q resolved to %v without a reference", tr.Text, tr.Resolved)
		}
	}
}
