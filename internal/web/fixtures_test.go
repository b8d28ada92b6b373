package web

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The fixtures are fictional: places, people and outlets invented for
// these tests.

// fixedNow is the clock of the page tests.
var fixedNow = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

// runeSpan finds the n-th (0-based) occurrence of sub in text as a
// code-point span.
func runeSpan(text, sub string, n int) article.Span {
	off := 0
	for {
		i := strings.Index(text[off:], sub)
		if i < 0 {
			panic("fixture: " + sub + " not in text")
		}
		if n == 0 {
			s := utf8.RuneCountInString(text[:off+i])
			return article.Span{Text: sub, Start: s, End: s + utf8.RuneCountInString(sub)}
		}
		n--
		off += i + len(sub)
	}
}

func newArticle(id, title, url string, src article.Source, pub time.Time, paras ...string) *article.Article {
	text := strings.Join(paras, "\n\n")
	return &article.Article{
		ID: id, Title: title, URL: url, Source: src, Published: pub, Language: "en", Authors: []string{},
		Paragraphs: paras, Text: text, WordCount: len(strings.Fields(text)), Removed: []article.Removed{},
		Input: article.Input{Name: id + ".html", Format: "html", Encoding: "utf-8"},
	}
}

// entity adds an entity whose mentions are the given substrings; "word#n"
// is the n-th (0-based) occurrence of word.
func entity(a *article.Article, key, name, typ string, subs ...string) {
	e := article.Entity{Key: key, Text: name, Type: typ, Count: len(subs)}
	for _, s := range subs {
		n := 0
		if i := strings.LastIndex(s, "#"); i > 0 {
			n = int(s[i+1] - '0')
			s = s[:i]
		}
		e.Mentions = append(e.Mentions, runeSpan(a.Text, s, n))
	}
	a.Entities = append(a.Entities, e)
}

func quote(a *article.Article, words, speaker, key string, para int) {
	sp := runeSpan(a.Text, words, 0)
	a.Quotes = append(a.Quotes, article.Quote{Text: words, Start: sp.Start, End: sp.End, Speaker: speaker, SpeakerKey: key, Paragraph: para})
}

func timeRef(a *article.Article, words, typ, value string) {
	sp := runeSpan(a.Text, words, 0)
	a.Times = append(a.Times, article.TimeRef{Text: words, Start: sp.Start, End: sp.End, Type: typ, Value: value})
}

const xssTitle = `<script>alert(1)</script> Harbour <img src=x onerror=alert(1)> row`

// fixtures returns the articles and stories of the page tests: a story
// of three articles from two outlets (two of them copies), a second
// story, and a hostile record.
func fixtures() ([]*article.Article, []store.StoryState) {
	gazette := article.Source{Name: "Harbour Gazette", Domain: "harbourgazette.example"}
	valley := article.Source{Name: "Valley Post", Domain: "valleypost.example"}
	coast := article.Source{Name: "Coastline Daily", Domain: "coastline.example"}

	a1 := newArticle("u00000000000000000a01", "Kestrel Bridge reopens to traffic after repairs", "https://harbourgazette.example/kestrel-bridge",
		gazette, fixedNow.Add(-10*time.Hour),
		"The Kestrel Bridge in Port Aldren reopened on Tuesday after eleven weeks of repairs, the Aldren Transit Authority said.",
		"\u201cThe deck is sound and the lanes are open again,\u201d said Mara Lindqvist, the authority's chief engineer.",
		"Lindqvist said night crews replaced forty joints and that the footpath will follow in two weeks.",
		"Traders on Quay Street welcomed the news.")
	a1.Authors = []string{"Tomas Reyn"}
	three := 3
	entity(a1, "place:kestrel-bridge", "Kestrel Bridge", "place", "Kestrel Bridge")
	entity(a1, "place:port-aldren", "Port Aldren", "place", "Port Aldren")
	entity(a1, "org:aldren-transit-authority", "Aldren Transit Authority", "org", "Aldren Transit Authority")
	entity(a1, "person:mara-lindqvist", "Mara Lindqvist", "person", "Mara Lindqvist", "Lindqvist#1", "Lindqvist#0")
	entity(a1, "place:quay-street", "Quay Street", "place", "Quay Street")
	// A quote that holds an entity (nested) and a time overlapping an
	// entity's end (crossing spans).
	quote(a1, "The deck is sound and the lanes are open again,", "Mara Lindqvist", "person:mara-lindqvist", 1)
	quote(a1, "night crews replaced forty joints and that the footpath will follow in two weeks", "Mara Lindqvist", "person:mara-lindqvist", 2)
	timeRef(a1, "Tuesday", article.TimeDate, "2026-03-10")
	timeRef(a1, "eleven weeks", article.TimeDuration, "P11W")
	timeRef(a1, "two weeks", article.TimeDuration, "P2W")
	a1.Removed = []article.Removed{
		{Text: "Advertisement", Reason: article.ReasonAd, Index: 1, Offset: -1},
		{Text: "Traders on Quay Street welcomed the news.", Reason: article.ReasonDuplicate, Index: 5, Offset: -1, Of: &three},
		{Text: "Subscribe to the Harbour Gazette newsletter for daily updates", Reason: article.ReasonCTA, Index: 6, Offset: -1},
	}

	a2 := newArticle("u00000000000000000a02", "Kestrel Bridge reopens to traffic after repairs", "https://valleypost.example/news/kestrel-bridge",
		valley, fixedNow.Add(-8*time.Hour), a1.Paragraphs...)
	a2.Entities, a2.Quotes, a2.Times = a1.Entities, a1.Quotes, a1.Times
	a3 := newArticle("u00000000000000000a03", "Port Aldren commuters return to the Kestrel Bridge", "https://coastline.example/aldren/commuters",
		coast, fixedNow.Add(-6*time.Hour),
		"Commuters crossed the Kestrel Bridge in Port Aldren on Wednesday morning for the first time since January.",
		"\u201cIt saves me half an hour,\u201d said Ines Corlett, a nurse.")
	entity(a3, "place:kestrel-bridge", "Kestrel Bridge", "place", "Kestrel Bridge")
	entity(a3, "place:port-aldren", "Port Aldren", "place", "Port Aldren")
	entity(a3, "person:ines-corlett", "Ines Corlett", "person", "Ines Corlett")
	quote(a3, "It saves me half an hour,", "Ines Corlett", "person:ines-corlett", 1)
	timeRef(a3, "Wednesday morning", article.TimeTime, "2026-03-11TMO")
	for _, a := range []*article.Article{a1, a2, a3} {
		a.Story = "s000000000001"
	}
	a1.DupGroup, a2.DupGroup = "u00000000000000000a01", "u00000000000000000a01"

	a4 := newArticle("u00000000000000000a04", "Fishing fleet counts a record spring catch", "http://coastline.example/fleet",
		coast, fixedNow.Add(-3*time.Hour),
		"The Marsh Point fleet landed its largest spring catch in a decade, the harbour master said on Friday.")
	entity(a4, "place:marsh-point", "Marsh Point", "place", "Marsh Point")
	timeRef(a4, "Friday", article.TimeDate, "2026-03-13")
	a4.Story = "s000000000002"
	a4.Language = "en-GB"

	// A hostile record: markup everywhere a scraper could put it.
	x := newArticle("u00000000000000000bad", xssTitle, "javascript:alert(1)",
		article.Source{Name: `<b onmouseover=alert(1)>Evil</b>`, Domain: "evil.example"}, fixedNow.Add(-2*time.Hour),
		`Harbour officials found <img src=x onerror=alert(1)> in the filing.`,
		`"<a href="javascript:alert(2)">click</a> <script>alert(3)</script>," said the <i>clerk</i>.`,
		`Visit javascript:alert(4) for <style>body{display:none}</style> more.`)
	x.Authors = []string{`<script>alert(5)</script>`, `Ann <img src=x onerror=alert(6)>`}
	x.Language = `en" onmouseover="alert(7)`
	x.Description = `<svg onload=alert(8)>`
	entity(x, `misc:<img-src=x-onerror=alert(9)>`, `<img src=x onerror=alert(9)>`, "misc", `<img src=x onerror=alert(1)>`)
	quote(x, `<a href="javascript:alert(2)">click</a> <script>alert(3)</script>,`, `<i>clerk</i>`, "", 1)
	timeRef(x, "javascript:alert(4)", article.TimeDate, `"><script>alert(10)</script>`)
	x.Removed = []article.Removed{{Text: `<script>alert(11)</script><img src=x onerror=alert(12)>`, Reason: `boilerplate:ad"><script>alert(13)</script>`, Index: 3, Offset: -1}}
	x.Warnings = []string{`<iframe src="javascript:alert(14)"></iframe>`}
	x.Story = "s000000000003"

	stories := []store.StoryState{
		{ID: "s000000000001", Headline: "Kestrel Bridge reopens to traffic after repairs", First: a1.Published, Last: a3.Published, Count: 3,
			Outlets: []string{"Coastline Daily", "Harbour Gazette", "Valley Post"}},
		{ID: "s000000000002", Headline: "Fishing fleet counts a record spring catch", First: a4.Published, Last: a4.Published, Count: 1,
			Outlets: []string{"Coastline Daily"}},
		{ID: "s000000000003", Headline: xssTitle, First: x.Published, Last: x.Published, Count: 1,
			Outlets: []string{`<b onmouseover=alert(1)>Evil</b>`}},
	}
	return []*article.Article{a1, a2, a3, a4, x}, stories
}

func fixtureFeeds() []store.Feed {
	return []store.Feed{
		{URL: "https://harbourgazette.example/rss", Every: 15 * time.Minute, LastPoll: fixedNow.Add(-5 * time.Minute),
			LastStatus: "ok", NextPoll: fixedNow.Add(10 * time.Minute), ItemsSeen: 40, ItemsStored: 12},
		{URL: "https://evil.example/feed?<script>alert(1)</script>", Every: time.Hour, LastPoll: fixedNow.Add(-time.Hour),
			LastStatus: "error", LastError: `<img src=x onerror=alert(1)> 502 Bad Gateway`, Failures: 3, NextPoll: fixedNow.Add(time.Hour)},
	}
}

func newFake() *fakeStore {
	arts, stories := fixtures()
	return &fakeStore{arts: arts, stories: stories, feeds: fixtureFeeds()}
}
