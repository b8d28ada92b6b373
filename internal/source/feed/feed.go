// Package feed parses news feeds: RSS 2.0 (and RSS 1.0/RDF), Atom 1.0 and
// JSON Feed 1.0/1.1. XML feeds are read as a stream, one entry at a time, so
// a feed that breaks part-way still delivers the entries before the damage
// (then the error).
package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"github.com/newsdesk/newsdesk/internal/source/dates"
)

// Kinds of feed.
const (
	RSS      = "rss"
	RDF      = "rdf"
	Atom     = "atom"
	JSONFeed = "jsonfeed"
)

// XML namespaces the parser recognises.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsRSS1    = "http://purl.org/rss/1.0/"
	nsRDF     = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
)

// ErrMalformed is wrapped by errors for input that is not a well-formed feed.
var ErrMalformed = errors.New("malformed feed")

// Entry is one feed item.
type Entry struct {
	Index     int // 1-based position in the feed
	Title     string
	URL       string // the item's page, absolute when the feed's URL is known
	ID        string
	Authors   []string
	Published time.Time
	Updated   time.Time
	// Content is the fullest body the feed carries (content:encoded, Atom
	// content, content_html; else the description or summary). ContentText
	// says it is plain text rather than HTML.
	Content     string
	ContentText bool
	Summary     string
	// Feed is the feed's own title, when it comes before the entry (as it
	// does in every common feed).
	Feed string
}

// Date returns Published, or Updated when there is no publication date.
func (e *Entry) Date() time.Time {
	if !e.Published.IsZero() {
		return e.Published
	}
	return e.Updated
}

// Info describes the feed as a whole.
type Info struct {
	Kind  string
	Title string
	Link  string
}

// Sniff returns the kind of feed that head (the start of a document)
// begins, or "" when it is not one. It decides by content only.
func Sniff(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		if bytes.Contains(head, []byte("jsonfeed.org/version/")) {
			return JSONFeed
		}
		return ""
	}
	space, local := RootElement(head)
	switch {
	case local == "rss":
		return RSS
	case local == "RDF" && space == nsRDF:
		return RDF
	case local == "feed" && (space == nsAtom || space == ""):
		return Atom
	}
	return ""
}

// RootElement returns the name of the first element of an XML document
// prefix, skipping the declaration, comments, processing instructions and a
// DOCTYPE. It returns "" when head has no element or is not XML.
func RootElement(head []byte) (space, local string) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '<' {
		return "", ""
	}
	d := xml.NewDecoder(bytes.NewReader(trimmed))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	for i := 0; i < 64; i++ {
		tok, err := d.RawToken()
		if err != nil {
			return "", ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			local = se.Name.Local
			space = se.Name.Space
			// RawToken does not resolve prefixes: find the namespace
			// declared for this element's prefix.
			for _, a := range se.Attr {
				if (space == "" && a.Name.Space == "" && a.Name.Local == "xmlns") ||
					(space != "" && a.Name.Space == "xmlns" && a.Name.Local == space) {
					return a.Value, local
				}
			}
			return "", local
		}
	}
	return "", ""
}

// Parse reads the feed in r, calling yield for each entry in order. base
// is the feed's own URL, used to resolve relative links ("" when unknown).
// It returns the feed's Info, and the first error: from the input (wrapping
// ErrMalformed for a broken feed) or from yield, which stops the parse.
func Parse(r io.Reader, base string, yield func(Entry) error) (Info, error) {
	// Peek to choose between JSON and XML.
	head := make([]byte, 4096)
	n, err := io.ReadFull(r, head)
	head = head[:n]
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return Info{}, fmt.Errorf("feed: %w", err)
	}
	r = io.MultiReader(bytes.NewReader(head), r)
	switch Sniff(head) {
	case JSONFeed:
		return parseJSON(r, base, yield)
	case RSS, RDF, Atom:
		return parseXML(r, base, yield)
	}
	return Info{}, fmt.Errorf("feed: %w: not RSS, Atom or JSON Feed", ErrMalformed)
}

// text is an element whose namespace matters.
type text struct {
	XMLName xml.Name
	Type    string `xml:"type,attr"`
	Src     string `xml:"src,attr"`
	Chars   string `xml:",chardata"`
	Inner   string `xml:",innerxml"`
}

type link struct {
	XMLName xml.Name
	Href    string `xml:"href,attr"`
	Rel     string `xml:"rel,attr"`
	Type    string `xml:"type,attr"`
	Chars   string `xml:",chardata"`
}

type rssItem struct {
	About  string `xml:"about,attr"`
	Titles []text `xml:"title"`
	Links  []link `xml:"link"`
	GUID   struct {
		Value       string `xml:",chardata"`
		IsPermaLink string `xml:"isPermaLink,attr"`
	} `xml:"guid"`
	Descriptions []text   `xml:"description"`
	Encoded      []text   `xml:"encoded"`
	PubDate      string   `xml:"pubDate"`
	DCDates      []text   `xml:"date"`
	Creators     []text   `xml:"creator"`
	Authors      []text   `xml:"author"`
	Updated      []text   `xml:"updated"`
	Published    []text   `xml:"published"`
	Categories   []string `xml:"category"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Titles    []text       `xml:"title"`
	Links     []link       `xml:"link"`
	ID        string       `xml:"id"`
	Published string       `xml:"published"`
	Updated   string       `xml:"updated"`
	Contents  []text       `xml:"content"`
	Summaries []text       `xml:"summary"`
	Authors   []atomPerson `xml:"author"`
	DCDates   []text       `xml:"date"`
	Creators  []text       `xml:"creator"`
	Encoded   []text       `xml:"encoded"`
}

// pick returns the first element in one of the wanted namespaces ("" is the
// default namespace), or else nil.
func pick(ts []text, spaces ...string) *text {
	for _, want := range spaces {
		for i := range ts {
			if ts[i].XMLName.Space == want {
				return &ts[i]
			}
		}
	}
	return nil
}

func (t *text) value() string {
	if t == nil {
		return ""
	}
	return strings.TrimSpace(t.Chars)
}

// atomValue returns an Atom text construct as HTML (or text, with
// isText): xhtml content is its inner markup.
func (t *text) atomValue() (s string, isText bool) {
	if t == nil || t.Src != "" {
		return "", false
	}
	switch strings.ToLower(t.Type) {
	case "xhtml":
		return strings.TrimSpace(t.Inner), false
	case "html", "text/html":
		return strings.TrimSpace(t.Chars), false
	case "", "text", "text/plain":
		return strings.TrimSpace(t.Chars), true
	}
	return "", false // another media type: not a body we can use
}

func newDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.Strict = false // real feeds use HTML entities and sloppy markup
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	return d
}

func parseXML(r io.Reader, base string, yield func(Entry) error) (Info, error) {
	d := newDecoder(r)
	var info Info
	baseURL, _ := url.Parse(base)
	depth := 0
	rootSeen := false
	index := 0
	var stack []string // local names of open elements
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if !rootSeen {
				return info, fmt.Errorf("feed: %w: no root element", ErrMalformed)
			}
			if depth > 0 {
				return info, fmt.Errorf("feed: %w: the document ends inside <%s>", ErrMalformed, stack[len(stack)-1])
			}
			return info, nil
		}
		if err != nil {
			return info, fmt.Errorf("feed: %w: %w", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !rootSeen {
				rootSeen = true
				switch {
				case t.Name.Local == "rss":
					info.Kind = RSS
				case t.Name.Local == "RDF":
					info.Kind = RDF
				case t.Name.Local == "feed":
					info.Kind = Atom
				default:
					return info, fmt.Errorf("feed: %w: root element <%s> is not a feed", ErrMalformed, t.Name.Local)
				}
				if xb := attr(t, "base"); xb != "" {
					baseURL = resolveURL(baseURL, xb)
				}
			}
			if depth > 256 {
				return info, fmt.Errorf("feed: %w: elements nested over 256 deep", ErrMalformed)
			}
			var e *Entry
			switch {
			case t.Name.Local == "item" && info.Kind != Atom:
				var it rssItem
				if err := d.DecodeElement(&it, &t); err != nil {
					return info, fmt.Errorf("feed: %w: item %d: %w", ErrMalformed, index+1, err)
				}
				e = it.entry(baseURL)
			case t.Name.Local == "entry" && info.Kind == Atom:
				var it atomEntry
				if err := d.DecodeElement(&it, &t); err != nil {
					return info, fmt.Errorf("feed: %w: entry %d: %w", ErrMalformed, index+1, err)
				}
				e = it.entry(baseURL)
			case depth == 1 && info.Kind == Atom && t.Name.Local == "title",
				depth == 2 && info.Kind != Atom && t.Name.Local == "title" && len(stack) > 0 && stack[len(stack)-1] == "channel":
				var s string
				if err := d.DecodeElement(&s, &t); err != nil {
					return info, fmt.Errorf("feed: %w: %w", ErrMalformed, err)
				}
				if info.Title == "" {
					info.Title = strings.TrimSpace(s)
				}
			case depth == 1 && info.Kind == Atom && t.Name.Local == "link",
				depth == 2 && info.Kind != Atom && t.Name.Local == "link" && t.Name.Space == "":
				var l link
				if err := d.DecodeElement(&l, &t); err != nil {
					return info, fmt.Errorf("feed: %w: %w", ErrMalformed, err)
				}
				if info.Link == "" {
					if h := firstLink([]link{l}, baseURL); h != "" {
						info.Link = h
					}
				}
			default:
				depth++
				stack = append(stack, t.Name.Local)
				continue
			}
			if e != nil {
				index++
				e.Index = index
				e.Feed = info.Title
				if err := yield(*e); err != nil {
					return info, err
				}
			}
		case xml.EndElement:
			if depth > 0 {
				depth--
				stack = stack[:len(stack)-1]
			}
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func (it *rssItem) entry(base *url.URL) *Entry {
	e := &Entry{
		Title: htmlText(pick(it.Titles, "", nsRSS1).value()),
		ID:    strings.TrimSpace(it.GUID.Value),
	}
	e.URL = firstLink(it.Links, base)
	if e.URL == "" && it.GUID.Value != "" && !strings.EqualFold(strings.TrimSpace(it.GUID.IsPermaLink), "false") {
		if u := absURL(base, e.ID); u != "" {
			e.URL = u
		}
	}
	if e.URL == "" && it.About != "" {
		e.URL = absURL(base, it.About)
	}
	if t, ok := dates.Parse(it.PubDate); ok {
		e.Published = t
	} else if t, ok := dates.Parse(pick(it.DCDates, nsDC).value()); ok {
		e.Published = t
	} else if t, ok := dates.Parse(pick(it.Published, nsAtom, "").value()); ok {
		e.Published = t
	}
	if t, ok := dates.Parse(pick(it.Updated, nsAtom, "").value()); ok {
		e.Updated = t
	}
	for _, c := range it.Creators {
		if c.XMLName.Space == nsDC {
			e.Authors = appendAuthor(e.Authors, c.value())
		}
	}
	if len(e.Authors) == 0 {
		for _, a := range it.Authors {
			e.Authors = appendAuthor(e.Authors, rssAuthor(a.value()))
		}
	}
	desc := pick(it.Descriptions, "", nsRSS1).value()
	e.Summary = desc
	if c := pick(it.Encoded, nsContent).value(); c != "" {
		e.Content = c
	} else {
		e.Content = desc
	}
	return e
}

// rssAuthor turns the RSS "email (Name)" form into the name.
func rssAuthor(s string) string {
	if i := strings.IndexByte(s, '('); i >= 0 && strings.HasSuffix(s, ")") && strings.Contains(s[:i], "@") {
		return strings.TrimSpace(s[i+1 : len(s)-1])
	}
	if strings.Contains(s, "@") && !strings.Contains(s, " ") {
		return "" // a bare address names nobody
	}
	return s
}

func appendAuthor(list []string, name string) []string {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return list
	}
	for _, have := range list {
		if strings.EqualFold(have, name) {
			return list
		}
	}
	return append(list, name)
}

func (it *atomEntry) entry(base *url.URL) *Entry {
	title, isText := pick(it.Titles, nsAtom, "").atomValue()
	if !isText {
		title = htmlText(title)
	}
	e := &Entry{Title: title, ID: strings.TrimSpace(it.ID)}
	e.URL = firstLink(it.Links, base)
	if t, ok := dates.Parse(it.Published); ok {
		e.Published = t
	} else if t, ok := dates.Parse(pick(it.DCDates, nsDC).value()); ok {
		e.Published = t
	}
	if t, ok := dates.Parse(it.Updated); ok {
		e.Updated = t
	}
	for _, a := range it.Authors {
		e.Authors = appendAuthor(e.Authors, a.Name)
	}
	for _, c := range it.Creators {
		if c.XMLName.Space == nsDC {
			e.Authors = appendAuthor(e.Authors, c.value())
		}
	}
	sum, sumText := pick(it.Summaries, nsAtom, "").atomValue()
	e.Summary = sum
	if c, ok := pick(it.Contents, nsAtom, "").atomValue(); c != "" {
		e.Content, e.ContentText = c, ok
	} else if c := pick(it.Encoded, nsContent).value(); c != "" {
		e.Content = c
	} else {
		e.Content, e.ContentText = sum, sumText
	}
	return e
}

// firstLink returns the item's page link: an Atom-style link with rel
// "alternate" (or none) and an HTML-ish type, else an RSS text link.
func firstLink(links []link, base *url.URL) string {
	for _, l := range links {
		rel := strings.ToLower(strings.TrimSpace(l.Rel))
		if l.Href != "" && (rel == "" || rel == "alternate") && (l.Type == "" || strings.Contains(l.Type, "html")) {
			if u := absURL(base, l.Href); u != "" {
				return u
			}
		}
	}
	for _, l := range links {
		if l.Href == "" && strings.TrimSpace(l.Chars) != "" {
			if u := absURL(base, strings.TrimSpace(l.Chars)); u != "" {
				return u
			}
		}
	}
	return ""
}

func resolveURL(base *url.URL, ref string) *url.URL {
	r, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return base
	}
	if base != nil {
		return base.ResolveReference(r)
	}
	return r
}

// absURL resolves ref against base and returns it when the result is an
// absolute http(s) URL, else "".
func absURL(base *url.URL, ref string) string {
	if strings.TrimSpace(ref) == "" {
		return ""
	}
	u := resolveURL(base, ref)
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// htmlText strips tags and decodes the common entities of a title that a
// feed carries as escaped HTML.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(htmlUnescape(b.String()))
}

var entityReplacer = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&apos;", "'", "&nbsp;", " ")

func htmlUnescape(s string) string { return entityReplacer.Replace(s) }

// JSON Feed.

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonItem struct {
	ID            any          `json:"id"`
	URL           string       `json:"url"`
	ExternalURL   string       `json:"external_url"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html"`
	ContentText   string       `json:"content_text"`
	Summary       string       `json:"summary"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Author        *jsonAuthor  `json:"author"`
	Authors       []jsonAuthor `json:"authors"`
}

type jsonFeed struct {
	Version     string `json:"version"`
	Title       string `json:"title"`
	HomePageURL string `json:"home_page_url"`
	FeedURL     string `json:"feed_url"`
	Items       []json.RawMessage
}

func parseJSON(r io.Reader, base string, yield func(Entry) error) (Info, error) {
	var f jsonFeed
	dec := json.NewDecoder(r)
	if err := dec.Decode(&f); err != nil {
		return Info{}, fmt.Errorf("feed: %w: JSON Feed: %w", ErrMalformed, err)
	}
	if !strings.HasPrefix(f.Version, "https://jsonfeed.org/version/") {
		return Info{}, fmt.Errorf("feed: %w: JSON Feed version %q", ErrMalformed, f.Version)
	}
	baseURL, _ := url.Parse(base)
	if baseURL == nil || baseURL.Host == "" {
		if u, err := url.Parse(f.FeedURL); err == nil && u.Host != "" {
			baseURL = u
		}
	}
	info := Info{Kind: JSONFeed, Title: strings.TrimSpace(f.Title), Link: absURL(baseURL, f.HomePageURL)}
	for i, raw := range f.Items {
		var it jsonItem
		if err := json.Unmarshal(raw, &it); err != nil {
			return info, fmt.Errorf("feed: %w: JSON Feed item %d: %w", ErrMalformed, i+1, err)
		}
		e := Entry{Index: i + 1, Title: strings.TrimSpace(it.Title), Summary: strings.TrimSpace(it.Summary), Feed: info.Title}
		switch id := it.ID.(type) {
		case string:
			e.ID = id
		case float64:
			e.ID = fmt.Sprint(id)
		}
		e.URL = absURL(baseURL, it.URL)
		if e.URL == "" {
			e.URL = absURL(baseURL, it.ExternalURL)
		}
		if t, ok := dates.Parse(it.DatePublished); ok {
			e.Published = t
		}
		if t, ok := dates.Parse(it.DateModified); ok {
			e.Updated = t
		}
		for _, a := range it.Authors {
			e.Authors = appendAuthor(e.Authors, a.Name)
		}
		if it.Author != nil {
			e.Authors = appendAuthor(e.Authors, it.Author.Name)
		}
		switch {
		case strings.TrimSpace(it.ContentHTML) != "":
			e.Content = strings.TrimSpace(it.ContentHTML)
		case strings.TrimSpace(it.ContentText) != "":
			e.Content, e.ContentText = strings.TrimSpace(it.ContentText), true
		default:
			e.Content, e.ContentText = e.Summary, true
		}
		if err := yield(e); err != nil {
			return info, err
		}
	}
	return info, nil
}
