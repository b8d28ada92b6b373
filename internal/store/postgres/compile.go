package postgres

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/query"
)

// A query tree becomes SQL in two steps. Each word or phrase of the
// indexed fields is a leaf: leafQuery writes it in to_tsquery's syntax
// (weights for the fields, :* for a prefix, <-> between a phrase's
// words), and the database stems it with every configuration in use
// (resolve, in search.go), since the query does not say its language.
// Then build combines the stemmed leaves into one tsquery for the index
// and the ranking, and writes as SQL conditions what a tsquery cannot
// say (source:, lang:, and whatever mixes them with words).

// Weights of the parts of an article in its tsvector; ts_rank's weights
// array (rankWeights) orders them D, C, B, A.
const (
	weightTitle   = "A"
	weightAuthors = "B"
	weightBody    = "D"
)

// rankWeights weighs a title match four times a body or byline match.
const rankWeights = "{0.25, 0, 0.25, 1.0}"

// indexed reports whether words of field f are in the tsvector.
func indexed(f query.Field) bool {
	return f == query.Any || f == query.Title || f == query.Body || f == query.Author
}

// leafQuery writes a word or phrase of an indexed field for to_tsquery,
// or "" when it has no words the index could hold.
func leafQuery(n *query.Node) string {
	toks := tokens(n.Text)
	if len(toks) == 0 {
		return ""
	}
	label := ""
	switch n.Field {
	case query.Title:
		label = weightTitle
	case query.Author:
		label = weightAuthors
	case query.Body:
		label = weightBody
	}
	parts := make([]string, len(toks))
	for i, t := range toks {
		suffix := label
		if i == len(toks)-1 && (n.Prefix || endsWithLoneCJK(n.Text)) {
			suffix = "*" + label
		}
		if suffix != "" {
			suffix = ":" + suffix
		}
		parts[i] = "'" + strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(t) + "'" + suffix
	}
	return strings.Join(parts, " <-> ")
}

// leaves returns the leaves of n to resolve, each once, in order.
func leaves(n *query.Node) []*query.Node {
	var out []*query.Node
	var walk func(*query.Node)
	walk = func(n *query.Node) {
		switch n.Kind {
		case query.Word, query.Phrase:
			if indexed(n.Field) {
				out = append(out, n)
			}
		default:
			for _, k := range n.Kids {
				walk(k)
			}
		}
	}
	walk(n)
	return out
}

// ftsOK reports whether a tsquery can say all of n: its words are all
// of indexed fields.
func ftsOK(n *query.Node) bool {
	switch n.Kind {
	case query.Word, query.Phrase:
		return indexed(n.Field)
	}
	for _, k := range n.Kids {
		if !ftsOK(k) {
			return false
		}
	}
	return true
}

// tsq is a tsquery under construction; a constant when the leaves left
// nothing to match (a word of no indexable characters matches nothing).
type tsq struct {
	text  string
	konst int // 0: text; 1: matches everything; -1: nothing
}

// tsqOf writes n, for which ftsOK holds, as tsquery text; resolved holds
// each leaf's stemmed tsquery ("" for none).
func tsqOf(n *query.Node, resolved map[*query.Node]string) tsq {
	switch n.Kind {
	case query.Word, query.Phrase:
		if r := resolved[n]; r != "" {
			return tsq{text: "(" + r + ")"}
		}
		return tsq{konst: -1}
	case query.Not:
		k := tsqOf(n.Kids[0], resolved)
		if k.konst != 0 {
			return tsq{konst: -k.konst}
		}
		return tsq{text: "!" + k.text}
	}
	op, absorbing := " & ", -1
	if n.Kind == query.Or {
		op, absorbing = " | ", 1
	}
	var parts []string
	for _, k := range n.Kids {
		t := tsqOf(k, resolved)
		switch t.konst {
		case absorbing:
			return t
		case 0:
			parts = append(parts, t.text)
		}
	}
	switch len(parts) {
	case 0:
		return tsq{konst: -absorbing}
	case 1:
		return tsq{text: parts[0]}
	}
	return tsq{text: "(" + strings.Join(parts, op) + ")"}
}

// args collects the arguments of a statement, numbering them.
type args struct{ vals []any }

// add returns the placeholder of v.
func (a *args) add(v any) string {
	a.vals = append(a.vals, v)
	return "$" + strconv.Itoa(len(a.vals))
}

// plan is a compiled query: match, a tsquery for the GIN index and the
// ranking ("" when the query has nothing positive to rank by), and where,
// further conditions on articles a and search s, whose arguments are in
// args.
type plan struct {
	match string
	where string // " AND …"
	args  *args
	// none: the query can match nothing.
	none  bool
	terms []string // snippet highlights: folded words, '*' marking a prefix
	// usesSearch: where refers to s.
	usesSearch bool
}

func (p *plan) arg(v any) string { return p.args.add(v) }

// build compiles n with its resolved leaves, adding arguments to a.
func build(n *query.Node, resolved map[*query.Node]string, a *args) *plan {
	p := &plan{args: a}
	switch {
	case ftsOK(n) && n.Positive():
		t := tsqOf(n, resolved)
		switch t.konst {
		case -1:
			p.none = true
		case 0:
			p.match = t.text
		}
	case n.Kind == query.And:
		var pos []string
		var rest []*query.Node
		for _, k := range n.Kids {
			if !ftsOK(k) {
				rest = append(rest, k)
				continue
			}
			t := tsqOf(k, resolved)
			switch {
			case t.konst == -1:
				p.none = true
			case t.konst == 1:
			case k.Positive() || len(pos) > 0:
				pos = append(pos, t.text)
			default:
				// Negative: held until something positive comes.
				rest = append(rest, k)
			}
		}
		if len(pos) > 0 {
			// Negations join the tsquery once it has something positive.
			var still []*query.Node
			for _, k := range rest {
				if ftsOK(k) {
					if t := tsqOf(k, resolved); t.konst == 0 {
						pos = append(pos, t.text)
					}
					continue
				}
				still = append(still, k)
			}
			rest = still
			p.match = strings.Join(pos, " & ")
			if len(pos) > 1 {
				p.match = "(" + p.match + ")"
			}
		}
		for _, k := range rest {
			p.where += " AND " + p.pred(k, resolved)
		}
	default:
		p.where = " AND " + p.pred(n, resolved)
	}
	for _, t := range n.Terms() {
		p.terms = append(p.terms, highlightTerms(t)...)
	}
	return p
}

// pred writes n as an SQL condition on articles a and search s.
func (p *plan) pred(n *query.Node, resolved map[*query.Node]string) string {
	if ftsOK(n) {
		t := tsqOf(n, resolved)
		switch t.konst {
		case 1:
			return "TRUE"
		case -1:
			return "FALSE"
		}
		p.usesSearch = true
		return "s.tsv @@ " + p.arg(t.text) + "::tsquery"
	}
	switch n.Kind {
	case query.Not:
		return "NOT " + p.pred(n.Kids[0], resolved)
	case query.And, query.Or:
		parts := make([]string, len(n.Kids))
		for i, k := range n.Kids {
			parts[i] = p.pred(k, resolved)
		}
		return "(" + strings.Join(parts, " "+n.Kind.String()+" ") + ")"
	case query.Word, query.Phrase:
		v := strings.ToLower(strings.TrimSpace(n.Text))
		esc := likeEscape(v)
		switch n.Field {
		case query.Source:
			v, esc = strings.TrimPrefix(v, "www."), strings.TrimPrefix(esc, "www.")
			if n.Prefix {
				return fmt.Sprintf(`(lower(a.source_name) LIKE %s OR lower(a.source_domain) LIKE %[1]s OR ' ' || lower(a.source_name) LIKE %s)`,
					p.arg(esc+"%"), p.arg("% "+esc+"%"))
			}
			// The name or domain, a word or words of the name, or a domain
			// it is a subdomain of.
			return fmt.Sprintf(`(lower(a.source_name) = %s OR lower(a.source_domain) = %[1]s OR lower(a.source_domain) LIKE %s OR ' ' || lower(a.source_name) || ' ' LIKE %s)`,
				p.arg(v), p.arg("%."+esc), p.arg("% "+esc+" %"))
		case query.Lang:
			if n.Prefix {
				return `lower(a.language) LIKE ` + p.arg(esc+"%")
			}
			// "en" also matches "en-GB".
			return fmt.Sprintf(`(lower(a.language) = %s OR lower(a.language) LIKE %s)`, p.arg(v), p.arg(esc+"-%"))
		}
	}
	panic("postgres: no condition for " + n.String())
}

// likeEscape escapes LIKE's wildcards (backslash is LIKE's default escape).
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// highlightTerms returns the snippet terms of a word or phrase: its folded
// words, a trailing '*' on the last for a prefix. CJK runs stay whole.
func highlightTerms(n *query.Node) []string {
	var out []string
	var run strings.Builder
	lastEnd := -1
	words(n.Text, func(w word) {
		if w.cjk && w.start == lastEnd && run.Len() > 0 {
			run.WriteString(w.folded)
		} else {
			if run.Len() > 0 {
				out = append(out, run.String())
				run.Reset()
			}
			if w.cjk {
				run.WriteString(w.folded)
			} else {
				out = append(out, w.folded)
			}
		}
		lastEnd = w.end
	})
	if run.Len() > 0 {
		out = append(out, run.String())
	}
	if n.Prefix && len(out) > 0 {
		out[len(out)-1] += "*"
	}
	return out
}
