package extract

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html/atom"
)

// pageMeta is what the page says about itself, outside the body text.
type pageMeta struct {
	props     map[string]string // meta name/property/itemprop → content; first wins
	canonical string
	lang      string
	ld        ldArticle
	h1s       []*node
	times     []timeCand
	authorEls []*node // rel=author, itemprop=author and byline elements
}

type timeCand struct {
	value string
	hint  string // lowercased itemprop, class and pubdate of the element
	node  *node
}

// ldArticle holds the fields read from JSON-LD.
type ldArticle struct {
	found       bool
	headline    string
	authors     []string
	published   string
	modified    string
	publisher   string
	body        string
	description string
	image       string
	lang        string
	url         string
	page        map[string]any // a WebPage object, used when no article is found
}

// collectMeta walks the whole tree once, without recursion.
func collectMeta(d *document) *pageMeta {
	m := &pageMeta{props: make(map[string]string)}
	m.lang = d.root.attr("lang")
	for n := d.root.first; n != nil; n = nextNode(n, d.root) {
		if n.isText {
			continue
		}
		switch n.tag {
		case atom.Meta:
			content := strings.TrimSpace(n.attr("content"))
			if content == "" {
				continue
			}
			for _, k := range []string{"property", "name", "itemprop", "http-equiv"} {
				if key := strings.ToLower(strings.TrimSpace(n.attr(k))); key != "" {
					if _, ok := m.props[key]; !ok {
						m.props[key] = content
					}
				}
			}
		case atom.Link:
			rel := strings.ToLower(n.attr("rel"))
			if m.canonical == "" && hasToken(rel, "canonical") {
				m.canonical = strings.TrimSpace(n.attr("href"))
			}
		case atom.H1:
			m.h1s = append(m.h1s, n)
		case atom.Time:
			v := n.attr("datetime")
			if v == "" {
				v = textOf(n, 200)
			}
			if v != "" {
				m.times = append(m.times, timeCand{value: v, hint: strings.ToLower(n.attr("itemprop") + " " + n.cls + boolStr(n.hasAttr("pubdate"), " pubdate")), node: n})
			}
		}
		if ip := strings.ToLower(n.attr("itemprop")); ip == "datepublished" || ip == "datemodified" {
			if n.tag != atom.Meta && n.tag != atom.Time {
				if v := n.attr("content"); v != "" {
					m.times = append(m.times, timeCand{value: v, hint: ip, node: n})
				} else if v := n.attr("datetime"); v != "" {
					m.times = append(m.times, timeCand{value: v, hint: ip, node: n})
				} else if v := textOf(n, 80); v != "" {
					m.times = append(m.times, timeCand{value: v, hint: ip, node: n})
				}
			}
		}
		if n.tag != atom.Meta && n.tag != atom.Link {
			rel := n.attr("rel")
			ip := strings.ToLower(n.attr("itemprop"))
			if (n.tag == atom.A && hasToken(strings.ToLower(rel), "author")) || ip == "author" || ip == "creator" ||
				isBylineClass(n.cls) {
				m.authorEls = append(m.authorEls, n)
			}
		}
	}
	for _, src := range d.jsonLD {
		readJSONLD(src, &m.ld)
	}
	if !m.ld.found && m.ld.page != nil {
		m.ld.published = str(m.ld.page["datePublished"])
		m.ld.modified = str(m.ld.page["dateModified"])
	}
	return m
}

func boolStr(b bool, s string) string {
	if b {
		return s
	}
	return ""
}

// nextNode is the pre-order successor of n within root.
func nextNode(n, root *node) *node {
	if n.first != nil {
		return n.first
	}
	for n != nil && n != root {
		if n.next != nil {
			return n.next
		}
		n = n.parent
	}
	return nil
}

// textOf returns the collapsed text of n, up to limit bytes.
func textOf(n *node, limit int) string {
	var b strings.Builder
	space := false
	for c := n.first; c != nil && b.Len() < limit; c = nextNode(c, n) {
		if !c.isText {
			if c.tag == atom.Br || blockTag(c.tag) {
				space = b.Len() > 0
			}
			continue
		}
		for _, r := range c.text {
			if unicode.IsSpace(r) {
				space = b.Len() > 0
				continue
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if f == tok {
			return true
		}
	}
	return false
}

func isBylineClass(cls string) bool {
	if cls == "" {
		return false
	}
	if strings.Contains(cls, "byline") {
		return true
	}
	for _, f := range strings.FieldsFunc(cls, func(r rune) bool { return r == ' ' || r == '_' || r == '-' }) {
		switch f {
		case "author", "authors", "byl", "writer", "auteur", "auteurs", "autor", "autores", "autore", "autori":
			return true
		}
	}
	return strings.Contains(cls, "author-name") || strings.Contains(cls, "authorname")
}

// readJSONLD merges the first article-like object of src into ld.
func readJSONLD(src string, ld *ldArticle) {
	if ld.found {
		return
	}
	clean := []byte(strings.TrimSpace(src))
	clean = []byte(strings.TrimSuffix(strings.TrimPrefix(string(clean), "<!--"), "-->"))
	// Raw control characters inside strings are common and invalid JSON;
	// outside strings they are white space either way.
	for i, c := range clean {
		if c < 0x20 {
			clean[i] = ' '
		}
	}
	var v any
	if err := json.Unmarshal(clean, &v); err != nil {
		return
	}
	obj := findArticle(v, 0)
	if obj == nil {
		// A page typed only as a WebPage still dates itself; keep it
		// unless a later script holds a real article.
		if page := findTyped(v, 0, isPageType); page != nil && ld.page == nil {
			ld.page = page
		}
		return
	}
	ld.found = true
	ld.headline = str(obj["headline"])
	if ld.headline == "" {
		ld.headline = str(obj["name"])
	}
	ld.published = str(obj["datePublished"])
	if ld.published == "" {
		ld.published = str(obj["dateCreated"])
	}
	ld.modified = str(obj["dateModified"])
	ld.body = str(obj["articleBody"])
	ld.description = str(obj["description"])
	ld.lang = str(obj["inLanguage"])
	ld.url = str(obj["url"])
	ld.image = imageOf(obj["image"])
	if p, ok := obj["publisher"].(map[string]any); ok {
		ld.publisher = str(p["name"])
	} else if s, ok := obj["publisher"].(string); ok {
		ld.publisher = s
	}
	for _, a := range asList(obj["author"]) {
		switch a := a.(type) {
		case string:
			ld.authors = append(ld.authors, a)
		case map[string]any:
			if t := typeOf(a); t == "organization" || t == "newsmediaorganization" || t == "corporation" {
				continue
			}
			if name := str(a["name"]); name != "" {
				ld.authors = append(ld.authors, name)
			}
		}
	}
}

func str(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case []any:
		if len(v) > 0 {
			return str(v[0])
		}
	case map[string]any:
		if s := str(v["@value"]); s != "" {
			return s
		}
	}
	return ""
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

func imageOf(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		for _, e := range v {
			if s := imageOf(e); s != "" {
				return s
			}
		}
	case map[string]any:
		if s := str(v["url"]); s != "" {
			return s
		}
		return str(v["contentUrl"])
	}
	return ""
}

// typeOf returns the first @type of obj, lowercased.
func typeOf(obj map[string]any) string {
	for _, t := range asList(obj["@type"]) {
		if s, ok := t.(string); ok {
			return strings.ToLower(s)
		}
	}
	return ""
}

func isArticleType(s string) bool {
	return strings.Contains(s, "article") || strings.Contains(s, "posting") || s == "report"
}

func isPageType(s string) bool { return strings.HasSuffix(s, "webpage") }

// findArticle returns the first object typed as an article, searching
// arrays, @graph and mainEntity.
func findArticle(v any, depth int) map[string]any { return findTyped(v, depth, isArticleType) }

func findTyped(v any, depth int, match func(string) bool) map[string]any {
	if depth > 6 {
		return nil
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if o := findTyped(e, depth+1, match); o != nil {
				return o
			}
		}
	case map[string]any:
		for _, t := range asList(v["@type"]) {
			if s, ok := t.(string); ok && match(strings.ToLower(s)) {
				return v
			}
		}
		for _, k := range []string{"@graph", "mainEntity", "mainEntityOfPage"} {
			if o := findTyped(v[k], depth+1, match); o != nil {
				return o
			}
		}
	}
	return nil
}

// parseDate reads the date formats found in meta tags, JSON-LD and
// <time datetime>. Times without a zone are taken as UTC.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1990 || t.Year() > 2200 {
				return time.Time{}, false
			}
			return t, true
		}
	}
	return time.Time{}, false
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"20060102",
	"20060102150405",
	time.RFC1123,
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05 -0700",
	time.RFC850,
	time.ANSIC,
	"January 2, 2006 3:04 PM",
	"January 2, 2006",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006",
	"Jan. 2, 2006",
	"2 January 2006",
	"2 Jan 2006",
	"Monday, January 2, 2006",
	"2 Jan 2006 15:04 MST",
	"2 January 2006 15:04 MST",
	"Mon Jan 02 2006 15:04:05 GMT-0700",
	"Mon 3:04 PM, Jan 2, 2006",
	"January 2, 2006, 3:04 PM",
	"Jan 2, 2006, 3:04 PM",
}

// urlDate finds a /yyyy/mm/dd/ or yyyy-mm-dd date in a URL path.
func urlDate(raw string) (time.Time, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return time.Time{}, false
	}
	p := u.Path
	digits := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	for i := 0; i+10 <= len(p); i++ {
		if p[i] != '/' && p[i] != '-' && p[i] != '_' && i != 0 {
			continue
		}
		j := i
		if p[j] == '/' || p[j] == '-' || p[j] == '_' {
			j++
		}
		if j+10 > len(p) {
			break
		}
		s := p[j : j+10]
		if !digits(s[0:4]) || (s[4] != '/' && s[4] != '-') || !digits(s[5:7]) || s[7] != s[4] || !digits(s[8:10]) {
			continue
		}
		if j+10 < len(p) && p[j+10] >= '0' && p[j+10] <= '9' {
			continue
		}
		t, err := time.Parse("2006-01-02", s[0:4]+"-"+s[5:7]+"-"+s[8:10])
		if err == nil && t.Year() >= 1990 {
			return t, true
		}
	}
	return time.Time{}, false
}

// resolveURL makes ref absolute against base when it can.
func resolveURL(base, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if r.IsAbs() {
		if r.Scheme != "http" && r.Scheme != "https" {
			return ""
		}
		return r.String()
	}
	b, err := url.Parse(base)
	if err != nil || !b.IsAbs() {
		if strings.HasPrefix(ref, "//") {
			return "https:" + ref
		}
		return ""
	}
	return b.ResolveReference(r).String()
}
