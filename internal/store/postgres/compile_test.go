package postgres

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/query"
)

// fakeResolve stands in for the database: each leaf "resolves" to its own
// to_tsquery text, so that the tree's shape shows in the result.
func fakeResolve(n *query.Node) map[*query.Node]string {
	r := map[*query.Node]string{}
	for _, l := range leaves(n) {
		r[l] = leafQuery(l)
	}
	return r
}

func TestCompile(t *testing.T) {
	tests := []struct {
		q     string
		match string
		where string // with $n placeholders
		args  []any
		terms []string
	}{
		{q: "bridge", match: "('bridge')", terms: []string{"bridge"}},
		{q: "bridge reopened", match: "(('bridge') & ('reopened'))", terms: []string{"bridge", "reopened"}},
		{q: "Élections CAFÉ", match: "(('elections') & ('cafe'))", terms: []string{"elections", "cafe"}},
		{q: `"road link"`, match: "('road' <-> 'link')", terms: []string{"road", "link"}},
		{q: "ferry OR bridge", match: "(('ferry') | ('bridge'))", terms: []string{"ferry", "bridge"}},
		{q: "bridge NOT ribbon", match: "(('bridge') & !('ribbon'))", terms: []string{"bridge"}},
		{q: "-ribbon bridge", match: "(!('ribbon') & ('bridge'))", terms: []string{"bridge"}},
		{q: "(ferry OR bridge) -toll", match: "((('ferry') | ('bridge')) & !('toll'))", terms: []string{"ferry", "bridge"}},
		{q: "reop*", match: "('reop':*)", terms: []string{"reop*"}},
		{q: "title:bridge", match: "('bridge':A)", terms: []string{"bridge"}},
		{q: `title:"road link"*`, match: "('road':A <-> 'link':*A)", terms: []string{"road", "link*"}},
		{q: "author:lind body:quay", match: "(('lind':B) & ('quay':D))", terms: []string{"quay"}},
		{q: "isle-penn", match: "('isle' <-> 'penn')", terms: []string{"isle", "penn"}},
		{q: "county's", match: "('county' <-> 's')", terms: []string{"county", "s"}},
		{q: "特許", match: "('特許')", terms: []string{"特許"}},
		{q: "業務法人", match: "('業務' <-> '務法' <-> '法人')", terms: []string{"業務法人"}},
		{q: "特", match: "('特':*)", terms: []string{"特"}},
		{q: "NOT ribbon", where: " AND s.tsv @@ $1::tsquery", args: []any{"!('ribbon')"}},
		{q: "source:harborpost.example", where: " AND (lower(a.source_name) = $1 OR lower(a.source_domain) = $1 OR lower(a.source_domain) LIKE $2 OR ' ' || lower(a.source_name) || ' ' LIKE $3)",
			args: []any{"harborpost.example", `%.harborpost.example`, `% harborpost.example %`}},
		{q: "ferry lang:fr", match: "('ferry')", where: " AND (lower(a.language) = $1 OR lower(a.language) LIKE $2)", args: []any{"fr", "fr-%"}, terms: []string{"ferry"}},
		{q: "lang:e*", where: " AND lower(a.language) LIKE $1", args: []any{"e%"}},
		{q: "ferry OR source:x", where: " AND (s.tsv @@ $1::tsquery OR (lower(a.source_name) = $2 OR lower(a.source_domain) = $2 OR lower(a.source_domain) LIKE $3 OR ' ' || lower(a.source_name) || ' ' LIKE $4))",
			args: []any{"('ferry')", "x", "%.x", "% x %"}, terms: []string{"ferry"}},
		{q: "ferry -source:x", match: "('ferry')", where: " AND NOT (lower(a.source_name) = $1 OR lower(a.source_domain) = $1 OR lower(a.source_domain) LIKE $2 OR ' ' || lower(a.source_name) || ' ' LIKE $3)",
			args: []any{"x", "%.x", "% x %"}, terms: []string{"ferry"}},
		{q: "ferry OR -bridge", where: " AND s.tsv @@ $1::tsquery", args: []any{"(('ferry') | !('bridge'))"}, terms: []string{"ferry"}},
	}
	for _, tt := range tests {
		n, err := query.Parse(tt.q)
		if err != nil {
			t.Fatalf("%s: %v", tt.q, err)
		}
		p := build(n, fakeResolve(n), &args{})
		if p.match != tt.match || p.where != tt.where || !slices.Equal(p.args.vals, tt.args) || !slices.Equal(p.terms, tt.terms) {
			t.Errorf("%s:\n got match %q where %q args %q terms %q\nwant match %q where %q args %q terms %q",
				tt.q, p.match, p.where, p.args.vals, p.terms, tt.match, tt.where, tt.args, tt.terms)
		}
	}
}

// TestCompileNothingToMatch: a leaf the database resolves to nothing
// matches nothing, and its negation everything.
func TestCompileNothingToMatch(t *testing.T) {
	n, err := query.Parse("ferry OR bridge")
	if err != nil {
		t.Fatal(err)
	}
	r := fakeResolve(n)
	r[n.Kids[1]] = ""
	if p := build(n, r, &args{}); p.match != "('ferry')" || p.none {
		t.Errorf("OR with an empty leaf: %+v", p)
	}
	n, _ = query.Parse("ferry bridge")
	r = fakeResolve(n)
	r[n.Kids[1]] = ""
	if p := build(n, r, &args{}); !p.none {
		t.Errorf("AND with an empty leaf can match: %+v", p)
	}
	n, _ = query.Parse("ferry -bridge")
	r = fakeResolve(n)
	r[n.Kids[1].Kids[0]] = ""
	if p := build(n, r, &args{}); p.match != "('ferry')" || p.none {
		t.Errorf("NOT of an empty leaf: %+v", p)
	}
}

// TestResolve: the database stems each leaf with every configuration
// articles were indexed with, and a title field keeps its weight.
func TestResolve(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if _, err := s.pool.Exec(ctx, `INSERT INTO search_configs VALUES ('newsdesk_english'), ('newsdesk_french')`); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ q, want string }{
		{"elections", "(('elect') | ('elections'))"},
		{"title:running", "(('run':A) | ('running':A))"},
		{`"the harbour"`, "(('the' <-> 'harbour'))"}, // no stop words
	} {
		n, err := query.Parse(tt.q)
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.compile(ctx, s.pool, n, &args{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.ReplaceAll(p.match, " ", "") != strings.ReplaceAll(tt.want, " ", "") {
			t.Errorf("%s: tsquery %s, want %s", tt.q, p.match, tt.want)
		}
	}
}
