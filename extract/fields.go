package extract

import (
	"html"
	"net/url"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html/atom"
)

func (m *pageMeta) prop(keys ...string) string {
	for _, k := range keys {
		if v := m.props[k]; v != "" {
			return collapse(v)
		}
	}
	return ""
}

// collapse unescapes entities left in meta values (often escaped twice
// by the publishing system) and collapses white space.
func collapse(s string) string {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// siteName is the publisher's name: og:site_name, then JSON-LD publisher.
func (m *pageMeta) siteName() string {
	for _, v := range []string{m.prop("og:site_name"), collapse(m.ld.publisher), m.prop("application-name")} {
		if i := strings.Index(v, " | "); i > 0 {
			v = v[:i] // "Name | Slogan"
		}
		if v != "" && !strings.Contains(v, "://") && !strings.HasPrefix(v, "www.") {
			return v
		}
	}
	return ""
}

// title follows the order: JSON-LD headline, og:title, the
// article's h1, then <title> without the site suffix.
func (m *pageMeta) title(d *document, root *node, site, domain string) string {
	if t := collapse(m.ld.headline); t != "" {
		return stripSite(t, site, domain, false)
	}
	if t := m.prop("og:title", "twitter:title"); t != "" {
		return stripSite(t, site, domain, false)
	}
	var h1 string
	for _, h := range m.h1s {
		if root != nil && !within(h, root) && !within(root, h.parent) {
			continue
		}
		if t := textOf(h, 500); t != "" {
			h1 = t
			break
		}
	}
	if h1 == "" {
		for _, h := range m.h1s {
			if inFurniture(h) {
				continue
			}
			if t := textOf(h, 500); t != "" {
				h1 = t
				break
			}
		}
	}
	if h1 != "" {
		return h1
	}
	return stripSite(collapse(d.title), site, domain, true)
}

var titleSeps = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » ", " « "}

// stripSite removes a site name before or after a separator. With loose
// set (for <title>), a short trailing part is taken as the site name even
// when the site is unknown.
func stripSite(t, site, domain string, loose bool) string {
	same := func(part string) bool {
		p := strings.ToLower(strings.TrimSpace(part))
		if p == "" {
			return false
		}
		if site != "" && p == strings.ToLower(site) {
			return true
		}
		stem := strings.ToLower(domain)
		if i := strings.IndexByte(stem, '.'); i > 0 {
			stem = stem[:i]
		}
		squash := func(s string) string {
			return strings.Map(func(r rune) rune {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					return r
				}
				return -1
			}, s)
		}
		// "Valdora Press" names valdora-press.example.
		stem = squash(stem)
		return stem != "" && (squash(p) == stem || p == strings.ToLower(domain))
	}
	for _, sep := range titleSeps {
		if i := strings.LastIndex(t, sep); i > 0 {
			head, tail := t[:i], t[i+len(sep):]
			if same(tail) || (loose && len(strings.Fields(tail)) <= 4 && len(strings.Fields(head)) >= 3) {
				return strings.TrimSpace(head)
			}
		}
		if i := strings.Index(t, sep); i > 0 {
			head, tail := t[:i], t[i+len(sep):]
			if same(head) {
				return strings.TrimSpace(tail)
			}
		}
	}
	return t
}

// inFurniture reports whether n sits in a sidebar, menu, ad or related
// box: the places where names and dates belong to other stories.
func inFurniture(n *node) bool {
	for p := n.parent; p != nil; p = p.parent {
		if p.isText {
			continue
		}
		switch tagKind(p) {
		case kindRelated, kindAd, kindCTA:
			return true
		case kindNav:
			if p.tag == atom.Nav || p.tag == atom.Footer {
				return true
			}
		}
		switch classKind(p) {
		case kindRelated, kindAd, kindCTA:
			return true
		}
	}
	return false
}

// authors takes the names from the first source that has any: JSON-LD,
// meta tags, rel=author and byline elements. Names equal to the publisher
// are dropped.
func (m *pageMeta) authors(site, domain string) []string {
	publisher := []string{site, m.ld.publisher}
	var names []string
	add := func(raw string) {
		for _, n := range splitNames(collapse(raw)) {
			n = trimPublisher(n, publisher, domain)
			if n == "" || isPublisher(n, publisher, domain) {
				continue
			}
			n = fixCase(n)
			dup := false
			for _, e := range names {
				if strings.EqualFold(e, n) {
					dup = true
				}
			}
			if !dup {
				names = append(names, n)
			}
		}
	}
	for _, a := range m.ld.authors {
		add(a)
	}
	if len(names) > 0 {
		return names
	}
	for _, k := range []string{"author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "byl", "cxenseparse:author"} {
		if v := m.props[k]; v != "" && !strings.Contains(v, "://") {
			add(v)
		}
	}
	if len(names) > 0 {
		return names
	}
	for _, el := range m.authorEls {
		if inFurniture(el) {
			continue
		}
		// Only the innermost byline element: its ancestors repeat it.
		add(textOf(el, 300))
		if len(names) > 0 {
			break
		}
	}
	return names
}

func isPublisher(name string, publisher []string, domain string) bool {
	l := strings.ToLower(name)
	for _, p := range publisher {
		if p != "" && strings.EqualFold(strings.TrimSpace(p), name) {
			return true
		}
	}
	stem := strings.ToLower(domain)
	if i := strings.IndexByte(stem, '.'); i > 0 {
		stem = stem[:i]
	}
	squashed := strings.ReplaceAll(l, " ", "")
	return stem != "" && (squashed == stem || l == strings.ToLower(domain))
}

// trimPublisher drops a publisher name appended to a person's name
// ("Ann Lee Florida Today"), and returns "" if nothing else is left.
func trimPublisher(name string, publisher []string, domain string) string {
	words := strings.Fields(name)
	for k := len(words) - 1; k >= 2; k-- {
		if isPublisher(strings.Join(words[k:], " "), publisher, domain) {
			return strings.Join(words[:k], " ")
		}
	}
	return name
}

// fixCase turns an all-capitals name into title case.
func fixCase(name string) string {
	for _, r := range name {
		if unicode.IsLower(r) {
			return name
		}
	}
	words := strings.Fields(strings.ToLower(name))
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

var nameStop = map[string]bool{
	"staff": true, "writer": true, "reporter": true, "correspondent": true, "editor": true, "editors": true,
	"contributor": true, "columnist": true, "admin": true, "administrator": true, "newsroom": true,
	"press": true, "associated": true, "updated": true, "published": true, "posted": true, "photo": true,
	"photos": true, "video": true, "news": true, "desk": true, "team": true, "agency": true, "wire": true,
	"senior": true, "chief": true, "email": true, "follow": true, "read": true, "more": true, "contact": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true,
	"sunday": true, "january": true, "february": true, "march": true, "april": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true, "today": true,
	"yesterday": true, "ago": true, "min": true, "minutes": true, "hours": true,
}

// splitNames turns a byline ("By Ann Lee and Bo Park, Staff Writers")
// into names, keeping only strings shaped like a person's name.
func splitNames(s string) []string {
	s = collapse(s)
	for _, cut := range []string{"\n", " | ", " - ", " — ", " – ", " · ", " • ", "Updated", "Published", "Posted on", " on ",
		"Publié", "Mis à jour", "Publicado", "Actualizado", "Pubblicato", "Aggiornato", "Veröffentlicht", "Aktualisiert"} {
		if i := strings.Index(s, cut); i > 0 {
			s = s[:i]
		}
	}
	low := strings.ToLower(s)
	for _, p := range []string{"written by ", "words by ", "posted by ", "story by ", "reporting by ", "by: ", "by ", "von ", "par ", "por "} {
		if strings.HasPrefix(low, p) {
			s = s[len(p):]
			break
		}
	}
	s = strings.NewReplacer(" and ", ",", " & ", ",", " und ", ",", " et ", ",", " y ", ",", ";", ",").Replace(s)
	var out []string
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(strings.Trim(part, " .:·•"))
		low := strings.ToLower(part)
		for _, p := range []string{"by ", "dr. "} {
			if strings.HasPrefix(low, p) && p == "by " {
				part = part[len(p):]
			}
		}
		if looksLikeName(part) {
			out = append(out, part)
		}
	}
	return out
}

func looksLikeName(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 5 || len(s) > 60 {
		return false
	}
	for _, w := range words {
		if nameStop[strings.ToLower(strings.Trim(w, ".,"))] {
			return false
		}
	}
	first := true
	for _, r := range s {
		if unicode.IsDigit(r) || r == '@' || r == '/' || r == ':' || r == '#' {
			return false
		}
		if first {
			if !unicode.IsUpper(r) && !unicode.Is(unicode.Lo, r) {
				return false
			}
			first = false
		}
	}
	return true
}

// dates returns the published and modified dates, never after fetch.
func (m *pageMeta) dates(pageURL string, fetch time.Time) (pub, mod time.Time) {
	ok := func(s string) (time.Time, bool) {
		t, good := parseDate(s)
		if !good || t.After(fetch) {
			return time.Time{}, false
		}
		return t, true
	}
	pubSources := []string{m.ld.published}
	for _, k := range []string{"article:published_time", "article:published", "og:published_time", "published_time",
		"datepublished", "pubdate", "publishdate", "publish-date", "publish_date", "publication_date",
		"parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
		"dcterms.created", "dc.date.created", "date", "article.published", "originalpublicationdate"} {
		pubSources = append(pubSources, m.props[k])
	}
	for _, s := range pubSources {
		if t, good := ok(s); good {
			pub = t
			break
		}
	}
	modSources := []string{m.ld.modified}
	for _, k := range []string{"article:modified_time", "og:updated_time", "modified_time", "datemodified",
		"dc.date.modified", "dcterms.modified", "last-modified", "lastmod", "article.updated"} {
		modSources = append(modSources, m.props[k])
	}
	for _, s := range modSources {
		if t, good := ok(s); good {
			mod = t
			break
		}
	}
	if pub.IsZero() || mod.IsZero() {
		// <time> elements outside sidebars and ads: the one marked as
		// the publication (or update) first, then the first plain one.
		var plain time.Time
		for _, tc := range m.times {
			if inFurniture(tc.node) {
				continue
			}
			t, good := ok(tc.value)
			if !good {
				continue
			}
			switch {
			case strings.Contains(tc.hint, "modified") || strings.Contains(tc.hint, "updated"):
				if mod.IsZero() {
					mod = t
				}
			case strings.Contains(tc.hint, "publish") || strings.Contains(tc.hint, "pubdate") || strings.Contains(tc.hint, "created"):
				if pub.IsZero() {
					pub = t
				}
			default:
				if plain.IsZero() {
					plain = t
				}
			}
		}
		if pub.IsZero() {
			pub = plain
		}
	}
	if pub.IsZero() && pageURL != "" {
		if t, good := urlDate(pageURL); good && !t.After(fetch) {
			pub = t
		}
	}
	if !mod.IsZero() && !pub.IsZero() && mod.Before(pub) {
		mod = time.Time{}
	}
	return pub, mod
}

// language is the page's declared language, primary subtag only.
func (m *pageMeta) language() string {
	for _, v := range []string{m.lang, m.props["content-language"], m.props["language"], m.props["dc.language"],
		m.props["og:locale"], m.ld.lang} {
		if l := primaryTag(v); l != "" {
			return l
		}
	}
	return ""
}

func primaryTag(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, "-_,; "); i >= 0 {
		v = v[:i]
	}
	v = strings.ToLower(v)
	if len(v) < 2 || len(v) > 3 {
		return ""
	}
	for _, r := range v {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return v
}

// hostOf returns the lowercased host of u without "www.".
func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	h := strings.ToLower(p.Hostname())
	return strings.TrimPrefix(h, "www.")
}
