package sqlite

import (
	"strings"

	"github.com/newsdesk/newsdesk/internal/query"
)

// A plan is a parsed query compiled for SQLite: an FTS5 MATCH expression
// that ranks (empty when the query has nothing positive to rank by, such
// as "-biden"), and conditions on the articles table a for what FTS5
// cannot say (source: and lang:, negations standing alone, an OR mixing
// fields and words).
type plan struct {
	match string
	where string // " AND …" on articles a
	args  []any
	terms []string // snippet highlights, lower-cased; '*' marks a prefix
}

// compile turns a query tree into a plan. Every tree Parse returns
// compiles to statements SQLite accepts (FuzzSearchQuery checks this).
func compile(n *query.Node) plan {
	var p plan
	switch {
	case ftsOK(n):
		p.match = ftsExpr(n)
	case n.Kind == query.And:
		var pos, neg []*query.Node
		for _, k := range n.Kids {
			switch {
			case k.Kind != query.Not && ftsOK(k):
				pos = append(pos, k)
			case k.Kind == query.Not && ftsOK(k.Kids[0]):
				neg = append(neg, k)
			default:
				p.where += " AND " + p.pred(k)
			}
		}
		switch {
		case len(pos) > 0:
			p.match = ftsExpr(&query.Node{Kind: query.And, Kids: append(pos, neg...)})
		case len(neg) > 0:
			kids := make([]*query.Node, len(neg))
			for i, k := range neg {
				kids[i] = k.Kids[0]
			}
			p.where += ` AND a.pk NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)`
			p.args = append(p.args, ftsExpr(or(kids)))
		}
	default:
		p.where = " AND " + p.pred(n)
	}
	for _, t := range n.Terms() {
		p.terms = append(p.terms, highlightTerms(t)...)
	}
	return p
}

func or(kids []*query.Node) *query.Node {
	if len(kids) == 1 {
		return kids[0]
	}
	return &query.Node{Kind: query.Or, Kids: kids}
}

// ftsField reports whether words of field f are in the full-text index.
func ftsField(f query.Field) bool {
	return f == query.Any || f == query.Title || f == query.Body || f == query.Author
}

// ftsOK reports whether FTS5 can say n alone: FTS5's NOT is binary, so a
// negation must sit in an AND beside something positive, and an OR cannot
// hold one.
func ftsOK(n *query.Node) bool {
	switch n.Kind {
	case query.Word, query.Phrase:
		return ftsField(n.Field)
	case query.And:
		positive := false
		for _, k := range n.Kids {
			if k.Kind == query.Not {
				if !ftsOK(k.Kids[0]) {
					return false
				}
				continue
			}
			if !ftsOK(k) {
				return false
			}
			positive = true
		}
		return positive
	case query.Or:
		for _, k := range n.Kids {
			if k.Kind == query.Not || !ftsOK(k) {
				return false
			}
		}
		return true
	}
	return false
}

// ftsExpr writes n, for which ftsOK holds, as an FTS5 expression. Every
// word is a quoted string (FTS5 tokenizes it as the index was, so
// "covid-19" is the phrase covid 19), with CJK runs as bigrams.
func ftsExpr(n *query.Node) string {
	switch n.Kind {
	case query.Word, query.Phrase:
		// A word without a field has no column filter, so it also finds
		// bylines: a column filter makes FTS5 decode every position list
		// of the word, which doubled the p95 of common-word queries.
		col := ""
		switch n.Field {
		case query.Title:
			col = "title"
		case query.Body:
			col = "body"
		case query.Author:
			col = "authors"
		}
		text := cjkBigrams(n.Text)
		s := `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
		if col != "" {
			s = col + " : " + s
		}
		if n.Prefix || endsWithLoneCJK(n.Text) {
			s += "*"
		}
		return s
	case query.Or:
		parts := make([]string, len(n.Kids))
		for i, k := range n.Kids {
			parts[i] = ftsExpr(k)
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	case query.And:
		var pos, neg []string
		for _, k := range n.Kids {
			if k.Kind == query.Not {
				neg = append(neg, ftsExpr(k.Kids[0]))
			} else {
				pos = append(pos, ftsExpr(k))
			}
		}
		s := "(" + strings.Join(pos, " AND ") + ")"
		if len(neg) > 0 {
			s = "(" + s + " NOT (" + strings.Join(neg, " OR ") + "))"
		}
		return s
	}
	panic("sqlite: ftsExpr of " + n.Kind.String())
}

// pred writes n as an SQL condition on articles a, adding its arguments.
func (p *plan) pred(n *query.Node) string {
	if ftsOK(n) {
		p.args = append(p.args, ftsExpr(n))
		return `a.pk IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)`
	}
	switch n.Kind {
	case query.Not:
		return "NOT " + p.pred(n.Kids[0])
	case query.And, query.Or:
		parts := make([]string, len(n.Kids))
		for i, k := range n.Kids {
			parts[i] = p.pred(k)
		}
		return "(" + strings.Join(parts, " "+n.Kind.String()+" ") + ")"
	case query.Word, query.Phrase:
		v := strings.ToLower(strings.TrimSpace(n.Text))
		esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(v)
		switch n.Field {
		case query.Source:
			esc = strings.TrimPrefix(esc, "www.")
			v = strings.TrimPrefix(v, "www.")
			if n.Prefix {
				p.args = append(p.args, esc+"%", esc+"%", "% "+esc+"%")
				return `(lower(a.source_name) LIKE ? ESCAPE '\' OR lower(a.source_domain) LIKE ? ESCAPE '\' OR ' ' || lower(a.source_name) LIKE ? ESCAPE '\')`
			}
			// The name or domain, a word or words of the name, or a
			// domain it is a subdomain of.
			p.args = append(p.args, v, v, "%."+esc, "% "+esc+" %")
			return `(lower(a.source_name) = ? OR lower(a.source_domain) = ? OR lower(a.source_domain) LIKE ? ESCAPE '\' OR ' ' || lower(a.source_name) || ' ' LIKE ? ESCAPE '\')`
		case query.Lang:
			if n.Prefix {
				p.args = append(p.args, esc+"%")
				return `lower(a.language) LIKE ? ESCAPE '\'`
			}
			// "en" also matches "en-GB".
			p.args = append(p.args, v, esc+"-%")
			return `(lower(a.language) = ? OR lower(a.language) LIKE ? ESCAPE '\')`
		}
	}
	panic("sqlite: pred of " + n.String())
}

// highlightTerms returns the snippet terms of a word or phrase: its words,
// lower-cased, a trailing '*' for a prefix; a CJK run stays whole.
func highlightTerms(n *query.Node) []string {
	var out []string
	words := strings.FieldsFunc(n.Text, func(r rune) bool {
		return !query.HasWordChar(string(r))
	})
	for i, w := range words {
		out = append(out, splitCJK(strings.ToLower(w))...)
		if n.Prefix && i == len(words)-1 && len(out) > 0 {
			out[len(out)-1] += "*"
		}
	}
	return out
}

// splitCJK splits w where it changes between CJK and other letters.
func splitCJK(w string) []string {
	var out []string
	start, cjk := 0, false
	for i, r := range w {
		c := isCJK(r)
		if i > 0 && c != cjk {
			out = append(out, w[start:i])
			start = i
		}
		cjk = c
	}
	return append(out, w[start:])
}
