// Package sitemap parses XML sitemaps (sitemaps.org 0.9): <urlset> lists of
// pages, including the Google News extension (news:publication_date,
// news:title), and <sitemapindex> lists of further sitemaps. The document is
// read as a stream: each <url> or <sitemap> is delivered as soon as it is
// decoded, so a sitemap that breaks part-way delivers the entries before the
// damage, then the error.
package sitemap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"github.com/newsdesk/newsdesk/internal/source/dates"
)

// Kinds of sitemap.
const (
	URLSet = "urlset"
	Index  = "sitemapindex"
)

// ErrMalformed is wrapped by errors for input that is not a well-formed sitemap.
var ErrMalformed = errors.New("malformed sitemap")

// Entry is one <url> of a urlset or one <sitemap> of an index.
type Entry struct {
	Index   int    // 1-based position in the document
	Loc     string // trimmed, as written
	LastMod time.Time
	// Google News fields (zero when absent).
	NewsTitle       string
	NewsPublished   time.Time
	NewsPublication string
	NewsLanguage    string
}

// Date returns the news publication date, else the last modification.
func (e *Entry) Date() time.Time {
	if !e.NewsPublished.IsZero() {
		return e.NewsPublished
	}
	return e.LastMod
}

// Sniff returns URLSet or Index when head (the start of a document) opens
// a sitemap, else "".
func Sniff(head []byte) string {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '<' {
		return ""
	}
	d := xml.NewDecoder(bytes.NewReader(trimmed))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	for i := 0; i < 64; i++ {
		tok, err := d.RawToken()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case URLSet:
				return URLSet
			case Index:
				return Index
			}
			return ""
		}
	}
	return ""
}

type news struct {
	Publication struct {
		Name     string `xml:"name"`
		Language string `xml:"language"`
	} `xml:"publication"`
	PublicationDate string `xml:"publication_date"`
	Title           string `xml:"title"`
}

type urlElem struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
	News    []news `xml:"news"`
}

// Parse reads the sitemap in r and calls yield for each entry in document
// order. It returns the sitemap's kind and the first error: from the input
// (wrapping ErrMalformed) or from yield, which stops the parse.
func Parse(r io.Reader, yield func(Entry) error) (kind string, err error) {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	depth := 0
	n := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			switch {
			case kind == "":
				return "", fmt.Errorf("sitemap: %w: no root element", ErrMalformed)
			case depth > 0:
				return kind, fmt.Errorf("sitemap: %w: the document ends inside <%s>", ErrMalformed, kind)
			}
			return kind, nil
		}
		if err != nil {
			return kind, fmt.Errorf("sitemap: %w: %w", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if kind == "" {
				switch t.Name.Local {
				case URLSet, Index:
					kind = t.Name.Local
				default:
					return "", fmt.Errorf("sitemap: %w: root element <%s> is not urlset or sitemapindex", ErrMalformed, t.Name.Local)
				}
				depth++
				continue
			}
			if depth == 1 && ((kind == URLSet && t.Name.Local == "url") || (kind == Index && t.Name.Local == "sitemap")) {
				var u urlElem
				if err := d.DecodeElement(&u, &t); err != nil {
					return kind, fmt.Errorf("sitemap: %w: entry %d: %w", ErrMalformed, n+1, err)
				}
				n++
				e := Entry{Index: n, Loc: strings.TrimSpace(u.Loc)}
				if tm, ok := dates.Parse(u.LastMod); ok {
					e.LastMod = tm
				}
				if len(u.News) > 0 {
					nw := u.News[0]
					e.NewsTitle = strings.Join(strings.Fields(nw.Title), " ")
					e.NewsPublication = strings.TrimSpace(nw.Publication.Name)
					e.NewsLanguage = strings.TrimSpace(nw.Publication.Language)
					if tm, ok := dates.Parse(nw.PublicationDate); ok {
						e.NewsPublished = tm
					}
				}
				if err := yield(e); err != nil {
					return kind, err
				}
				continue
			}
			if err := d.Skip(); err != nil {
				return kind, fmt.Errorf("sitemap: %w: %w", ErrMalformed, err)
			}
		case xml.EndElement:
			depth--
		}
	}
}
