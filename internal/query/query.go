// Package query is newsdesk's search language. Parse reads a query once into
// a tree that belongs to no store; each store compiles the tree to its own
// engine (SQLite FTS5 in internal/store/sqlite, and later PostgreSQL), so
// the language and its errors are the same whatever the store.
//
// The language:
//
//	bridge reopened        words: all must match (stemmed by the store)
//	"road link"            a phrase: the words in this order
//	ferry OR bridge        either
//	bridge AND ribbon      both (the same as two words)
//	bridge NOT ribbon      the first without the second; -ribbon is the same
//	NOT ribbon, -ribbon    alone: every article except those (with filters)
//	(ferry OR bridge) -toll  parentheses group
//	reop*                  a word prefix
//	title:bridge           a field: title:, author:, source:, lang:, body:; the
//	title:"road link"      value is a word, a "phrase" or a (group)
//	+bridge                the same as bridge (every word is required)
//
// Operators are upper-case; "or", "and" and "not" are ordinary words.
// Symbols that are not part of the language (C++, &, —) are read as the
// words they contain; a word made of symbols only is ignored. Every error is
// a *SyntaxError that says what is wrong and at which column.
package query

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is the kind of a node.
type Kind int

// Node kinds.
const (
	Word   Kind = iota + 1 // Text is one word as typed, Prefix for word*
	Phrase                 // Text is the words between the quotes
	And                    // Kids all match
	Or                     // any of Kids matches
	Not                    // Kids[0] does not match
)

func (k Kind) String() string {
	switch k {
	case Word:
		return "word"
	case Phrase:
		return "phrase"
	case And:
		return "AND"
	case Or:
		return "OR"
	case Not:
		return "NOT"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Field restricts a word or phrase to one part of an article.
type Field string

// Fields. Any searches an article's title and text.
const (
	Any    Field = ""
	Title  Field = "title"
	Body   Field = "body"
	Author Field = "author"
	Source Field = "source" // the source's name or domain
	Lang   Field = "lang"   // the language code
)

// Fields lists the fields a query may name, in the order help shows them.
var Fields = []Field{Title, Author, Source, Lang, Body}

// Node is one node of a parsed query.
type Node struct {
	Kind   Kind
	Field  Field  // Word and Phrase
	Text   string // Word and Phrase
	Prefix bool   // Word and Phrase: the last word is a prefix
	Kids   []*Node
	Col    int // 1-based column (in characters) where the node starts
}

// String writes n in a canonical, parseable form: operators explicit,
// groups parenthesized, words and phrases quoted.
func (n *Node) String() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *Node) write(b *strings.Builder) {
	switch n.Kind {
	case Word, Phrase:
		if n.Field != Any {
			b.WriteString(string(n.Field) + ":")
		}
		b.WriteString(`"` + strings.ReplaceAll(n.Text, `"`, " ") + `"`)
		if n.Prefix {
			b.WriteByte('*')
		}
	case Not:
		b.WriteString("NOT ")
		n.Kids[0].write(b)
	case And, Or:
		b.WriteByte('(')
		for i, k := range n.Kids {
			if i > 0 {
				b.WriteString(" " + n.Kind.String() + " ")
			}
			k.write(b)
		}
		b.WriteByte(')')
	}
}

// Positive reports whether n matches something by itself: false for a NOT,
// and for an AND or OR that is only negations (the "every article except"
// queries).
func (n *Node) Positive() bool {
	switch n.Kind {
	case Not:
		return false
	case And:
		for _, k := range n.Kids {
			if k.Positive() {
				return true
			}
		}
		return false
	case Or:
		for _, k := range n.Kids {
			if !k.Positive() {
				return false
			}
		}
	}
	return true
}

// Terms returns the words and phrases that a match contains: those of the
// fields Any, Title and Body that are not negated. Snippets highlight them.
func (n *Node) Terms() []*Node {
	var out []*Node
	var walk func(*Node, bool)
	walk = func(n *Node, neg bool) {
		switch n.Kind {
		case Word, Phrase:
			if !neg && (n.Field == Any || n.Field == Title || n.Field == Body) {
				out = append(out, n)
			}
		case Not:
			walk(n.Kids[0], !neg)
		default:
			for _, k := range n.Kids {
				walk(k, neg)
			}
		}
	}
	walk(n, false)
	return out
}

// SyntaxError is a query that cannot be parsed. Msg says what is wrong and
// where, in the words of the query ("unbalanced quote at column 1").
type SyntaxError struct {
	Query string
	Col   int // 1-based, in characters
	Msg   string
}

func (e *SyntaxError) Error() string { return "query: " + e.Msg }

// HasWordChar reports whether s has a letter or digit: words without one
// are symbols, ignored.
func HasWordChar(s string) bool {
	for _, r := range s {
		if isWordChar(r) {
			return true
		}
	}
	return false
}

func isWordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// token kinds of the lexer.
type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tPhrase
	tLParen
	tRParen
	tAnd
	tOr
	tNot
	tMinus
	tPlus
	tField // text is the field name; a value follows directly
)

type token struct {
	kind   tokKind
	text   string
	prefix bool
	col    int
}

// maxDepth bounds nesting, so that a query of ten thousand parentheses is
// an error rather than a deep recursion.
const maxDepth = 100

// maxLen bounds the query length in bytes.
const maxLen = 4096

type parser struct {
	q     string
	toks  []token
	i     int
	depth int
}

// Parse reads a query. A query without anything to search for (empty, or
// only symbols) is an error.
func Parse(q string) (*Node, error) {
	p := &parser{q: q}
	if len(q) > maxLen {
		return nil, p.errAt(1, "query is too long (%d bytes; at most %d)", len(q), maxLen)
	}
	if !utf8.ValidString(q) {
		return nil, p.errAt(1, "query is not valid UTF-8")
	}
	if err := p.lex(); err != nil {
		return nil, err
	}
	if len(p.toks) == 1 {
		if strings.TrimSpace(q) == "" {
			return nil, p.errAt(1, "empty query")
		}
		return nil, p.errAt(1, "nothing to search for in %q (only symbols)", q)
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	switch t := p.peek(); t.kind {
	case tEOF:
	case tRParen:
		return nil, p.errAt(t.col, ") at column %d has no matching (", t.col)
	default:
		return nil, p.errAt(t.col, "unexpected %s at column %d", p.describe(t), t.col)
	}
	return simplify(n), nil
}

func (p *parser) errAt(col int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Query: p.q, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) describe(t token) string {
	switch t.kind {
	case tRParen:
		return ")"
	case tLParen:
		return "("
	case tAnd:
		return "AND"
	case tOr:
		return "OR"
	case tNot:
		return "NOT"
	}
	return fmt.Sprintf("%q", t.text)
}

// startsOperand reports whether t can begin an operand.
func startsOperand(t token) bool {
	switch t.kind {
	case tWord, tPhrase, tLParen, tNot, tMinus, tPlus, tField:
		return true
	}
	return false
}

func (p *parser) or() (*Node, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	kids := []*Node{left}
	for p.peek().kind == tOr {
		op := p.next()
		if !startsOperand(p.peek()) {
			return nil, p.errAt(op.col, "OR at column %d needs a word after it", op.col)
		}
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		kids = append(kids, right)
	}
	if len(kids) == 1 {
		return left, nil
	}
	return &Node{Kind: Or, Kids: kids, Col: left.Col}, nil
}

func (p *parser) and() (*Node, error) {
	t := p.peek()
	if t.kind == tAnd || t.kind == tOr {
		return nil, p.errAt(t.col, "%s at column %d needs a word before it", p.describe(t), t.col)
	}
	if !startsOperand(t) {
		if t.kind == tRParen {
			return nil, p.errAt(t.col, ") at column %d has no matching (", t.col)
		}
		return nil, p.errAt(t.col, "expected a word at column %d", t.col)
	}
	first, err := p.unary()
	if err != nil {
		return nil, err
	}
	kids := []*Node{first}
	for {
		t := p.peek()
		if t.kind == tAnd {
			p.next()
			if !startsOperand(p.peek()) {
				return nil, p.errAt(t.col, "AND at column %d needs a word after it", t.col)
			}
		} else if !startsOperand(t) {
			break
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &Node{Kind: And, Kids: kids, Col: first.Col}, nil
}

func (p *parser) unary() (*Node, error) {
	t := p.peek()
	switch t.kind {
	case tNot, tMinus:
		p.next()
		if !startsOperand(p.peek()) {
			name := "NOT"
			if t.kind == tMinus {
				name = "-"
			}
			return nil, p.errAt(t.col, "%s at column %d needs a word after it", name, t.col)
		}
		if err := p.enter(t.col); err != nil {
			return nil, err
		}
		n, err := p.unary()
		p.depth--
		if err != nil {
			return nil, err
		}
		return &Node{Kind: Not, Kids: []*Node{n}, Col: t.col}, nil
	case tPlus:
		p.next()
		return p.unary()
	}
	return p.primary(Any)
}

func (p *parser) enter(col int) error {
	p.depth++
	if p.depth > maxDepth {
		return p.errAt(col, "query nests too deeply at column %d (at most %d levels)", col, maxDepth)
	}
	return nil
}

// primary reads a word, a phrase, a field or a group; field is the field of
// an enclosing field group.
func (p *parser) primary(field Field) (*Node, error) {
	t := p.next()
	switch t.kind {
	case tWord, tPhrase:
		k := Word
		if t.kind == tPhrase {
			k = Phrase
		}
		return &Node{Kind: k, Field: field, Text: t.text, Prefix: t.prefix, Col: t.col}, nil
	case tField:
		f := Field(t.text)
		if field != Any && field != f {
			return nil, p.errAt(t.col, "%s: at column %d is inside a %s: group", f, t.col, field)
		}
		v := p.peek()
		if v.kind != tWord && v.kind != tPhrase && v.kind != tLParen {
			return nil, p.errAt(t.col, `%s: at column %d needs a word, a "phrase" or a (group) after it`, f, t.col)
		}
		n, err := p.primary(f)
		if err != nil {
			return nil, err
		}
		n.Col = t.col
		return n, nil
	case tLParen:
		if err := p.enter(t.col); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		if p.peek().kind == tRParen {
			return nil, p.errAt(t.col, "empty parentheses at column %d", t.col)
		}
		if p.peek().kind == tEOF {
			return nil, p.errAt(t.col, "( at column %d is never closed", t.col)
		}
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek().kind != tRParen {
			return nil, p.errAt(t.col, "( at column %d is never closed", t.col)
		}
		p.next()
		if field != Any {
			if err := setField(p, n, field); err != nil {
				return nil, err
			}
		}
		return n, nil
	}
	return nil, p.errAt(t.col, "expected a word at column %d", t.col)
}

func setField(p *parser, n *Node, f Field) error {
	switch n.Kind {
	case Word, Phrase:
		if n.Field != Any && n.Field != f {
			return p.errAt(n.Col, "%s: at column %d is inside a %s: group", n.Field, n.Col, f)
		}
		n.Field = f
	default:
		for _, k := range n.Kids {
			if err := setField(p, k, f); err != nil {
				return err
			}
		}
	}
	return nil
}

// simplify flattens nested ANDs and ORs and removes double negations.
func simplify(n *Node) *Node {
	switch n.Kind {
	case Not:
		k := simplify(n.Kids[0])
		if k.Kind == Not {
			return k.Kids[0]
		}
		n.Kids[0] = k
	case And, Or:
		var kids []*Node
		for _, k := range n.Kids {
			k = simplify(k)
			if k.Kind == n.Kind {
				kids = append(kids, k.Kids...)
			} else {
				kids = append(kids, k)
			}
		}
		n.Kids = kids
	}
	return n
}

// lex splits the query into tokens, ending with tEOF.
func (p *parser) lex() error {
	q := p.q
	col := 1
	for i := 0; i < len(q); {
		r, size := utf8.DecodeRuneInString(q[i:])
		switch {
		case space(r):
			i += size
			col++
		case r == '"':
			start := col
			end := strings.IndexByte(q[i+1:], '"')
			if end < 0 {
				return p.errAt(start, "unbalanced quote at column %d", start)
			}
			text := q[i+1 : i+1+end]
			i += end + 2
			col += utf8.RuneCountInString(text) + 2
			text = strings.Map(func(r rune) rune {
				if space(r) {
					return ' '
				}
				return r
			}, text)
			t := token{kind: tPhrase, text: text, col: start}
			if i < len(q) && q[i] == '*' {
				t.prefix = true
				i++
				col++
			}
			if !HasWordChar(text) {
				if strings.TrimSpace(text) == "" {
					return p.errAt(start, "empty phrase at column %d", start)
				}
				return p.errAt(start, "phrase at column %d has no words (only symbols)", start)
			}
			if err := p.checkAfter(i, col); err != nil {
				return err
			}
			p.toks = append(p.toks, t)
		case r == '(':
			p.toks = append(p.toks, token{kind: tLParen, col: col})
			i++
			col++
		case r == ')':
			p.toks = append(p.toks, token{kind: tRParen, col: col})
			i++
			col++
		case (r == '-' || r == '+') && p.opensOperand(q[i+1:]):
			k := tMinus
			if r == '+' {
				k = tPlus
			}
			p.toks = append(p.toks, token{kind: k, col: col})
			i++
			col++
		default:
			j := i
			for j < len(q) {
				r, size := utf8.DecodeRuneInString(q[j:])
				if space(r) || r == '"' || r == '(' || r == ')' {
					break
				}
				// A field: letters and a colon; its value follows directly.
				if r == ':' && j > i && isFieldName(q[i:j]) {
					name := strings.ToLower(q[i:j])
					value := j+1 < len(q) && !space(rune(q[j+1]))
					switch {
					case known(name) && !value:
						return p.errAt(col, `%s: at column %d needs a word, a "phrase" or a (group) after it`, name, col)
					case known(name):
						p.toks = append(p.toks, token{kind: tField, text: name, col: col})
						col += utf8.RuneCountInString(q[i:j]) + 1
						i = j + 1
						goto next
					case value:
						return p.errAt(col, "unknown field %s: at column %d (fields are %s; put the text in \"quotes\" to search for it)", q[i:j], col, fieldList())
					}
				}
				j += size
			}
			if err := p.word(q[i:j], col); err != nil {
				return err
			}
			col += utf8.RuneCountInString(q[i:j])
			i = j
		}
	next:
	}
	p.toks = append(p.toks, token{kind: tEOF, col: col})
	return nil
}

// checkAfter rejects text glued to a closing quote ("a"b).
func (p *parser) checkAfter(i, col int) error {
	if i >= len(p.q) {
		return nil
	}
	r, _ := utf8.DecodeRuneInString(p.q[i:])
	if space(r) || r == '(' || r == ')' {
		return nil
	}
	if r == '"' {
		return p.errAt(col, "a phrase at column %d runs into another; put a space between them", col)
	}
	if isWordChar(r) {
		return p.errAt(col, "a phrase must be followed by a space, not %q, at column %d", r, col)
	}
	return nil
}

// opensOperand reports whether rest, after a - or +, starts a word, a
// phrase or a group; otherwise the sign is a symbol of the text.
func (p *parser) opensOperand(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	if r == '"' || r == '(' || isWordChar(r) {
		return true
	}
	// -*ump and -title: go on to the word, which reports its own errors.
	if r == '*' {
		return true
	}
	return false
}

// word adds the token for a run of text without spaces, quotes or
// parentheses.
func (p *parser) word(w string, col int) error {
	if w == "-" || w == "+" {
		return nil // a sign on its own: punctuation
	}
	switch w {
	case "AND":
		p.toks = append(p.toks, token{kind: tAnd, col: col})
		return nil
	case "OR":
		p.toks = append(p.toks, token{kind: tOr, col: col})
		return nil
	case "NOT":
		p.toks = append(p.toks, token{kind: tNot, col: col})
		return nil
	}
	if star := strings.IndexByte(w, '*'); star >= 0 {
		c := col + utf8.RuneCountInString(w[:star])
		switch {
		case !HasWordChar(w):
			return p.errAt(c, "* at column %d needs letters before it (a prefix search such as elect*)", c)
		case !HasWordChar(w[:star]):
			return p.errAt(c, "* at column %d: a search can match the start of words, not their end (write a prefix such as elect*)", c)
		case star != len(w)-1:
			return p.errAt(c, "* at column %d must end the word (a prefix search such as elect*)", c)
		}
		p.toks = append(p.toks, token{kind: tWord, text: w[:star], prefix: true, col: col})
		return nil
	}
	if !HasWordChar(w) {
		return nil // symbols only: not searchable, ignored
	}
	p.toks = append(p.toks, token{kind: tWord, text: w, col: col})
	return nil
}

// space reports whether r separates words: white space, and control
// characters (a NUL would end the query early in a C engine).
func space(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

func isFieldName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

func known(name string) bool {
	for _, f := range Fields {
		if string(f) == name {
			return true
		}
	}
	return false
}

func fieldList() string {
	var s []string
	for _, f := range Fields {
		s = append(s, string(f)+":")
	}
	return strings.Join(s, ", ")
}
