package extract

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The tree is built straight from the tokenizer rather than with html.Parse:
// the full HTML5 tree construction is several times slower, allocates a
// node per attribute, and scans the whole stack of open elements for every
// start tag, which is quadratic on deeply nested pages. Extraction needs
// only a faithful block structure, so a small set of implied-end rules and a
// depth cap suffice.

// maxDepth caps the element nesting; deeper elements are flattened into
// their ancestor at the cap, keeping their text.
const maxDepth = 256

// endTagSearch bounds how far up the stack an end tag looks for its start
// tag, so that runs of stray end tags stay linear.
const endTagSearch = 64

type node struct {
	tag    atom.Atom // 0 for text nodes and unknown elements
	isText bool
	parent *node
	first  *node
	last   *node
	next   *node
	text   string // text nodes: the raw (unescaped) text
	name   string // unknown elements: the tag name
	cls    string // elements: lowercased class and id, space separated
	attrs  []html.Attribute
	offset int // byte offset of a text node in the decoded input

	// Extraction state.
	kind   nodeKind // cached classification by tag, see tagKind
	ckind  nodeKind // cached classification by class, see classKind
	depth  int32
	stamp  int32   // last pass that visited the node
	score  float64 // sum of block scores in the subtree
	good   int     // bytes of good blocks in the subtree
	goodN  int     // number of good blocks in the subtree
	blockN int     // blocks in the subtree
	linkN  int     // link-heavy blocks in the subtree
	linkB  int     // link text bytes in the subtree
	textN  int     // text bytes in the subtree
}

func (n *node) attr(key string) string {
	for _, a := range n.attrs {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func (n *node) hasAttr(key string) bool {
	for _, a := range n.attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}

func (n *node) appendChild(c *node) {
	c.parent = n
	if n.last == nil {
		n.first = c
	} else {
		n.last.next = c
	}
	n.last = c
}

// document is the parsed page: the tree plus what the head and scripts
// held, collected in the same pass.
type document struct {
	root   *node
	title  string
	jsonLD []string
	nodes  []node // arena, grown in chunks
}

func (d *document) newNode() *node {
	if len(d.nodes) == cap(d.nodes) {
		d.nodes = make([]node, 0, 1024)
	}
	d.nodes = append(d.nodes, node{})
	return &d.nodes[len(d.nodes)-1]
}

// keptAttrs lists the attributes extraction reads; the rest are dropped to
// save memory.
func keepAttr(key string) bool {
	switch key {
	case "class", "id", "role", "itemprop", "itemtype", "href", "rel", "property", "name",
		"content", "datetime", "style", "hidden", "aria-hidden", "lang", "type", "charset",
		"http-equiv", "src", "pubdate", "itemscope", "placeholder", "fallback":
		return true
	}
	return false
}

// taxonomyPrefixes start the class names that blog engines derive from a
// post's categories, tags and author ("category-social-media",
// "tag-share", "entry-author-jane_roe"): they name the post's subject, not
// the element's role, so a category called "social" or "sharing" must not
// make the post a share bar.
var taxonomyPrefixes = []string{"category-", "tag-", "post-tag-", "entry-category-", "entry-author-", "entry-tag-", "topic-"}

// postClasses reports the class list of a blog post's container, where
// engines add "author-NAME" beside "hentry" or "type-post".
func postClasses(classes []string) bool {
	for _, c := range classes {
		switch c {
		case "hentry", "post", "type-post", "status-publish", "entry":
			return true
		}
	}
	return false
}

// dropTaxonomy removes taxonomy class names from a lowercased class list.
func dropTaxonomy(classes string) string {
	if !strings.Contains(classes, "-") {
		return classes
	}
	names := strings.Fields(classes)
	post := postClasses(names)
	keep := names[:0]
	for _, c := range names {
		if !taxonomy(c, post) {
			keep = append(keep, c)
		}
	}
	if len(keep) == len(names) {
		return classes
	}
	return strings.Join(keep, " ")
}

// taxonomy reports a class name derived from a post's taxonomy; "author-X"
// counts only on a post's container (post), not as "author-bio".
func taxonomy(c string, post bool) bool {
	for _, p := range taxonomyPrefixes {
		if strings.HasPrefix(c, p) && len(c) > len(p) {
			return true
		}
	}
	rest, ok := strings.CutPrefix(c, "author-")
	return ok && rest != "" && post
}

// headingSlug reports an id made from a heading's words, as documentation
// generators and blog engines make anchors ("sharing-with-a-single-
// developer"): prose, not a styling name, so its words ("sharing") say
// nothing about the element. It has four or more words, one of them a
// function word that style names do not use.
func headingSlug(id string) bool {
	words, function := 0, false
	for _, w := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' }) {
		words++
		switch strings.ToLower(w) {
		case "a", "an", "the", "and", "of", "with", "to", "for", "in", "is", "are", "how", "what", "why", "when", "your", "you", "from", "by":
			function = true
		}
	}
	return words >= 4 && function
}

// voidTag reports elements that never have content.
func voidTag(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr, atom.Keygen:
		return true
	}
	return false
}

// closesP reports block elements whose start tag ends an open <p>.
func closesP(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Details, atom.Div, atom.Dl,
		atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.H1, atom.H2,
		atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hr, atom.Main, atom.Nav, atom.Ol,
		atom.P, atom.Pre, atom.Section, atom.Table, atom.Ul, atom.Li, atom.Dd, atom.Dt:
		return true
	}
	return false
}

// parse builds the tree of src, which must be UTF-8.
func parse(src []byte) *document {
	d := &document{}
	d.root = d.newNode()
	d.root.tag = atom.Html
	z := html.NewTokenizer(bytes.NewReader(src))
	z.SetMaxBuf(0)
	stack := make([]*node, 1, 64)
	stack[0] = d.root
	depthOverflow := 0 // elements opened beyond maxDepth, not on the stack
	var inTitle, inJSONLD, inSkip bool
	pos := 0
	for {
		tt := z.Next()
		start := pos
		pos += len(z.Raw())
		switch tt {
		case html.ErrorToken:
			return d
		case html.TextToken:
			raw := z.Text()
			switch {
			case inTitle:
				if d.title == "" {
					d.title = string(raw)
				}
				continue
			case inJSONLD:
				if len(d.jsonLD) < 32 {
					d.jsonLD = append(d.jsonLD, string(raw))
				}
				continue
			case inSkip:
				continue
			}
			n := d.newNode()
			n.isText = true
			n.text = string(raw)
			n.offset = start
			stack[len(stack)-1].appendChild(n)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			var attrs []html.Attribute
			var cls string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				key := string(k) // the tokenizer lowercases keys
				if !keepAttr(key) {
					continue
				}
				val := string(v)
				if key == "class" || key == "id" && !headingSlug(val) {
					v := strings.ToLower(val)
					if key == "class" {
						v = dropTaxonomy(v)
					}
					if cls == "" {
						cls = v
					} else if v != "" {
						cls += " " + v
					}
				}
				attrs = append(attrs, html.Attribute{Key: key, Val: val})
			}
			switch a {
			case atom.Title:
				inTitle = tt == html.StartTagToken
				continue
			case atom.Script, atom.Style, atom.Textarea, atom.Xmp, atom.Iframe, atom.Noembed,
				atom.Noframes, atom.Noscript, atom.Plaintext, atom.Template, atom.Svg, atom.Math:
				if tt == html.SelfClosingTagToken {
					continue
				}
				if a == atom.Script {
					for _, at := range attrs {
						if at.Key == "type" && strings.EqualFold(strings.TrimSpace(at.Val), "application/ld+json") {
							inJSONLD = true
						}
					}
				}
				// svg, math and template hold markup, not raw text; their
				// content is skipped until the matching end tag.
				inSkip = true
				if a == atom.Svg || a == atom.Math || a == atom.Template {
					skipUntilEnd(z, name)
					inSkip = false
				}
				continue
			case atom.Html:
				// Keep <html lang> on the root.
				d.root.attrs = append(d.root.attrs, attrs...)
				continue
			case atom.Head, atom.Body:
				if a == atom.Body {
					d.root.attrs = append(d.root.attrs, html.Attribute{Key: "body-class", Val: cls})
				}
				continue
			}
			top := stack[len(stack)-1]
			// Implied end tags.
			if closesP(a) && top.tag == atom.P && depthOverflow == 0 {
				stack = stack[:len(stack)-1]
			}
			switch a {
			case atom.Li:
				stack = closeOpen(stack, atom.Li, atom.Ul, atom.Ol)
			case atom.Dd, atom.Dt:
				stack = closeOpen(stack, atom.Dd, atom.Dl, 0)
				stack = closeOpen(stack, atom.Dt, atom.Dl, 0)
			case atom.Tr:
				stack = closeOpen(stack, atom.Tr, atom.Table, 0)
			case atom.Td, atom.Th:
				stack = closeOpen(stack, atom.Td, atom.Tr, atom.Table)
				stack = closeOpen(stack, atom.Th, atom.Tr, atom.Table)
			case atom.Option:
				stack = closeOpen(stack, atom.Option, atom.Select, 0)
			}
			n := d.newNode()
			n.tag = a
			if a == 0 {
				n.name = string(name)
			}
			n.cls = cls
			n.attrs = attrs
			n.depth = int32(len(stack))
			stack[len(stack)-1].appendChild(n)
			if tt == html.SelfClosingTagToken || voidTag(a) {
				continue
			}
			if len(stack) >= maxDepth {
				depthOverflow++
				continue
			}
			stack = append(stack, n)
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Title:
				inTitle = false
				continue
			case atom.Script, atom.Style, atom.Textarea, atom.Xmp, atom.Iframe, atom.Noembed, atom.Noframes, atom.Noscript:
				inJSONLD, inSkip = false, false
				continue
			case atom.Html, atom.Head, atom.Body:
				continue
			}
			if depthOverflow > 0 {
				depthOverflow--
				continue
			}
			for i, lim := len(stack)-1, max(1, len(stack)-endTagSearch); i >= lim; i-- {
				if stack[i].tag == a && (a != 0 || stack[i].name == string(name)) {
					stack = stack[:i]
					break
				}
			}
		}
	}
}

// closeOpen pops an open element tag when it is found before a scope
// boundary (b1 or b2), as a new sibling implies its end.
func closeOpen(stack []*node, tag, b1, b2 atom.Atom) []*node {
	for i, lim := len(stack)-1, max(1, len(stack)-endTagSearch); i >= lim; i-- {
		t := stack[i].tag
		if t == tag {
			return stack[:i]
		}
		if t == b1 || (b2 != 0 && t == b2) {
			break
		}
	}
	return stack
}

// skipUntilEnd consumes tokens up to the end tag matching name, counting
// nested elements of the same name.
func skipUntilEnd(z *html.Tokenizer, name []byte) {
	want := string(name)
	depth := 1
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken:
			if n, _ := z.TagName(); string(n) == want {
				depth++
			}
		case html.EndTagToken:
			if n, _ := z.TagName(); string(n) == want {
				depth--
				if depth == 0 {
					return
				}
			}
		}
	}
}
