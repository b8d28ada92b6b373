package enrich

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/article"
)

// TestGoldenReview checks the facts in each golden case's review.txt,
// written by reading input.txt by hand: what a careful reader says the
// entities, speakers and times are. want.json locks in whatever the code
// gives, mistakes included; review.txt says what is right. A line marked
// "known" is a mistake the code still makes: it is logged, not failed,
// so that the list of known mistakes stays visible and honest.
//
//	entity NAME | TYPE        an entity with this canonical name and type
//	speaker QUOTE | SPEAKER   the quote starting with QUOTE has this speaker
//	time TEXT | TYPE | VALUE  a time with this text, type and value
//	notime TEXT               no time has this text
func TestGoldenReview(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	reviewed := 0
	for _, dir := range dirs {
		f, err := os.Open(filepath.Join(dir, "review.txt"))
		if err != nil {
			t.Errorf("%s: no review.txt: every golden case is reviewed by hand", dir)
			continue
		}
		reviewed++
		raw, err := os.ReadFile(filepath.Join(dir, "input.txt"))
		if err != nil {
			t.Fatal(err)
		}
		c := parseCase(string(raw))
		a := &article.Article{Title: c.title, Paragraphs: c.paragraphs, Published: c.published, Language: c.language}
		Enrich(a, Options{})
		sc := bufio.NewScanner(f)
		n, known, fixed := 0, 0, 0
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			isKnown := strings.HasPrefix(line, "known ")
			line = strings.TrimPrefix(line, "known ")
			kind, rest, _ := strings.Cut(line, " ")
			f := strings.Split(rest, "|")
			for i := range f {
				f[i] = strings.TrimSpace(f[i])
			}
			got, ok := reviewFact(a, kind, f)
			n++
			switch {
			case ok && isKnown:
				fixed++
				t.Logf("%s: fixed, drop its \"known\": %s", filepath.Base(dir), line)
			case !ok && isKnown:
				known++
			case !ok:
				t.Errorf("%s: %s; got %s", filepath.Base(dir), line, got)
			}
		}
		f.Close()
		t.Logf("%s: %d reviewed facts, %d known mistakes, %d fixed", filepath.Base(dir), n, known, fixed)
	}
	if reviewed == 0 {
		t.Fatal("no reviewed golden cases")
	}
}

// reviewFact checks one review line, returning what was found instead
// when it does not hold.
func reviewFact(a *article.Article, kind string, f []string) (string, bool) {
	switch kind {
	case "entity":
		if len(f) != 2 {
			return "a malformed line", false
		}
		for _, e := range a.Entities {
			if e.Text == f[0] {
				return e.Type, e.Type == f[1]
			}
		}
		return "no such entity", false
	case "speaker":
		if len(f) != 2 {
			return "a malformed line", false
		}
		for _, q := range a.Quotes {
			if strings.HasPrefix(q.Text, f[0]) {
				return "speaker " + q.Speaker, q.Speaker == f[1]
			}
		}
		return "no such quote", false
	case "time":
		if len(f) != 3 {
			return "a malformed line", false
		}
		for _, tr := range a.Times {
			if tr.Text == f[0] && tr.Type == f[1] && tr.Value == f[2] {
				return "", true
			}
		}
		var seen []string
		for _, tr := range a.Times {
			if strings.Contains(tr.Text, f[0]) || strings.Contains(f[0], tr.Text) {
				seen = append(seen, tr.Text+" "+tr.Type+" "+tr.Value)
			}
		}
		return "[" + strings.Join(seen, "; ") + "]", false
	case "notime":
		for _, tr := range a.Times {
			if tr.Text == f[0] {
				return "a time " + tr.Type + " " + tr.Value, false
			}
		}
		return "", true
	}
	return "an unknown kind " + kind, false
}
