package enrich

import (
	"github.com/newsdesk/newsdesk/article"
	"strings"
	"testing"
	"time"
)

// TestPathological checks that degenerate inputs (thousands of quotes in
// one sentence, chains of particles) stay fast: the passes are linear.
func TestPathological(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("'a b' said Kim ", 3000),
		strings.Repeat("\"x y\" ", 5000),
		strings.Repeat("late ", 5000),
		strings.Repeat("on ", 5000) + "Tuesday",
		strings.Repeat("Ab Cd ", 5000),
		strings.Repeat("said he ", 5000) + "'a b'",
		strings.Repeat("Mr. ", 5000),
		strings.Repeat("van ", 5000) + "Ab",
		strings.Repeat("'", 10000),
		strings.Repeat("‘a ", 5000),
		strings.Repeat("A-", 5000),
		strings.Repeat("Russia-", 3000) + "North",
	} {
		st := time.Now()
		a := &article.Article{Paragraphs: []string{s}}
		Enrich(a, Options{})
		if d := time.Since(st); d > time.Second {
			t.Errorf("%q...: %v", s[:20], d)
		}
	}
}
