package query

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"trump biden", `("trump" AND "biden")`},
		{"trump -biden", `("trump" AND NOT "biden")`},
		{"trump NOT biden", `("trump" AND NOT "biden")`},
		{"NOT biden", `NOT "biden"`},
		{"-biden -harris", `(NOT "biden" AND NOT "harris")`},
		{"a OR b c", `("a" OR ("b" AND "c"))`},
		{"(a OR b) c", `(("a" OR "b") AND "c")`},
		{`"road link" ferr*`, `("road link" AND "ferr"*)`},
		{`"kestrel br"*`, `"kestrel br"*`},
		{"title:bridge author:marsh", `(title:"bridge" AND author:"marsh")`},
		{`title:(a OR "b c")`, `(title:"a" OR title:"b c")`},
		{`Source:"Daily Lantern" lang:fr`, `(source:"Daily Lantern" AND lang:"fr")`},
		{"C++", `"C++"`},
		{"+trump", `"trump"`},
		{"covid-19 vaccine", `("covid-19" AND "vaccine")`},
		{"bridge - repairs & more", `("bridge" AND "repairs" AND "more")`},
		{"NOT NOT a", `"a"`},
		{"a AND (b AND c)", `("a" AND "b" AND "c")`},
		{"or and not", `("or" AND "and" AND "not")`},
		{"Breaking: fire", `("Breaking:" AND "fire")`},
		{"10:30", `"10:30"`},
		{"NEAR", `"NEAR"`},
		{"特許", `"特許"`},
		{"-(a OR b)", `NOT ("a" OR "b")`},
	} {
		n, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := n.String(); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
		}
		// The canonical form reads back as the same tree.
		again, err := Parse(n.String())
		if err != nil || again.String() != n.String() {
			t.Errorf("round trip of %s: %v, %v", n, again, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`"unbalanced`, "unbalanced quote at column 1"},
		{`bridge "open`, "unbalanced quote at column 8"},
		{"NOT", "NOT at column 1 needs a word after it"},
		{"bridge NOT", "NOT at column 8 needs a word after it"},
		{"*", "* at column 1 needs letters before it"},
		{"*ump", "* at column 1: a search can match the start of words, not their end"},
		{"tr*mp", "* at column 3 must end the word"},
		{"title:", `title: at column 1 needs a word, a "phrase" or a (group) after it`},
		{"title: bridge", `title: at column 1 needs a word`},
		{"NEAR(", "( at column 5 is never closed"},
		{"trump AND", "AND at column 7 needs a word after it"},
		{"AND trump", "AND at column 1 needs a word before it"},
		{"a OR", "OR at column 3 needs a word after it"},
		{"a OR OR b", "OR at column 3 needs a word after it"},
		{"url:trump", "unknown field url: at column 1"},
		{"bridge)", ") at column 7 has no matching ("},
		{"()", "empty parentheses at column 1"},
		{`""`, "empty phrase at column 1"},
		{`"+++"`, "phrase at column 1 has no words"},
		{"", "empty query"},
		{"   ", "empty query"},
		{"& —", "nothing to search for"},
		{`title:(a author:b)`, "author: at column 10 is inside a title: group"},
		{"  特許 \"x", "unbalanced quote at column 6"},
		{strings.Repeat("(", 200) + "a" + strings.Repeat(")", 200), "nests too deeply"},
	} {
		_, err := Parse(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a SyntaxError", tt.in, err)
			continue
		}
		if !strings.Contains(se.Msg, tt.want) || !strings.HasPrefix(err.Error(), "query: ") {
			t.Errorf("Parse(%q): %q, want %q", tt.in, err, tt.want)
		}
	}
}

func TestPositiveAndTerms(t *testing.T) {
	for _, tt := range []struct {
		in    string
		pos   bool
		terms string
	}{
		{"a -b", true, "a"},
		{"-a -b", false, ""},
		{"a OR -b", false, "a"},
		{`title:x author:y source:z "p q" -r`, true, "x,p q"},
	} {
		n, err := Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		var terms []string
		for _, x := range n.Terms() {
			terms = append(terms, x.Text)
		}
		if n.Positive() != tt.pos || strings.Join(terms, ",") != tt.terms {
			t.Errorf("%q: Positive %v, Terms %q", tt.in, n.Positive(), terms)
		}
	}
}

// FuzzParse: no query panics; every parsed query has a canonical form that
// parses to the same tree, and every error is a SyntaxError with a column
// inside the query.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`trump -biden`, `"unbalanced`, `NOT`, `*`, `*ump`, `title:`, `NEAR(`, `trump AND`, `C++`, `+trump`,
		`url:trump`, `(a OR "b c"*) -title:(d e) source:x.example lang:en`, `特許業務法人 -"東京"`, `-(-(-a))`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		n, err := Parse(q)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: %v is not a SyntaxError", q, err)
			}
			if se.Col < 1 || se.Col > len([]rune(q))+1 {
				t.Fatalf("%q: column %d outside the query", q, se.Col)
			}
			return
		}
		again, err := Parse(n.String())
		if err != nil || again.String() != n.String() {
			t.Fatalf("%q: canonical %s reads back as %v, %v", q, n, again, err)
		}
	})
}
