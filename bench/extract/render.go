package main

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// nodeText renders go-trafilatura's content tree as text with one
// paragraph a line. Its ContentText collapses all white space into single
// spaces, which would make every page one paragraph for the paragraph
// metrics; the tokens, and so the shingle score, are the same either way.
// fallback is returned when there is no tree.
func nodeText(n *html.Node, fallback string) string {
	if n == nil {
		return fallback
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				b.WriteString(c.Data)
			case html.ElementNode:
				block := false
				switch c.DataAtom {
				case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Ul, atom.Ol,
					atom.Blockquote, atom.Pre, atom.Table, atom.Tr, atom.Dl, atom.Dt, atom.Dd, atom.Section, atom.Article,
					atom.Figure, atom.Figcaption, atom.Details, atom.Summary, atom.Hr, atom.Caption:
					block = true
				case atom.Br:
					b.WriteByte('\n')
					continue
				case atom.Td, atom.Th:
					b.WriteByte(' ')
				}
				if block {
					b.WriteByte('\n')
				}
				walk(c)
				if block {
					b.WriteByte('\n')
				}
			}
		}
	}
	walk(n)
	var lines []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}
