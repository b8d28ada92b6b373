package postgres

import (
	"strconv"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/query"
)

// FuzzCompile: every query that parses compiles without a panic, to a
// tsquery with balanced parentheses and conditions whose placeholders
// all have arguments. The corpus is in testdata/fuzz/FuzzCompile.
func FuzzCompile(f *testing.F) {
	for _, q := range []string{"bridge", `"road link" OR ferry*`, "-x source:y", "title:(a OR b) -lang:fr", "特許 한빛시장"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		n, err := query.Parse(q)
		if err != nil {
			return
		}
		p := build(n, fakeResolve(n), &args{})
		if strings.Count(p.match, "(") != strings.Count(p.match, ")") {
			t.Fatalf("%q: unbalanced tsquery %q", q, p.match)
		}
		for i := range p.args.vals {
			if !strings.Contains(p.where, "$"+strconv.Itoa(i+1)) {
				t.Fatalf("%q: argument %d unused in %q", q, i+1, p.where)
			}
		}
		if strings.Contains(p.where, "$"+strconv.Itoa(len(p.args.vals)+1)) {
			t.Fatalf("%q: a placeholder without an argument in %q", q, p.where)
		}
		for _, l := range leaves(n) {
			if lq := leafQuery(l); strings.ContainsAny(lq, "&|!()") {
				t.Fatalf("%q: leaf %q holds operators", q, lq)
			}
		}
	})
}
