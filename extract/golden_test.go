package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/golden"
)

// goldenMeta is a case's meta.json: what a fetcher would know about the page.
type goldenMeta struct {
	URL         string    `json:"url"`
	FetchTime   time.Time `json:"fetch_time"`
	ContentType string    `json:"content_type"`
}

// goldenView is the part of the record a golden case pins down. Removed
// and the hash are left out: repair owns the former and the latter only
// restates the input.
type goldenView struct {
	URL          string         `json:"url,omitempty"`
	CanonicalURL string         `json:"canonical_url,omitempty"`
	Source       article.Source `json:"source"`
	Title        string         `json:"title"`
	Authors      []string       `json:"authors"`
	Published    time.Time      `json:"published,omitzero"`
	Modified     time.Time      `json:"modified,omitzero"`
	Language     string         `json:"language,omitempty"`
	Description  string         `json:"description,omitempty"`
	Image        string         `json:"image,omitempty"`
	Paragraphs   []string       `json:"paragraphs"`
	Encoding     string         `json:"encoding"`
}

func runGolden(t *testing.T, dir string) (*article.Article, []byte) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "input.html"))
	if err != nil {
		t.Fatal(err)
	}
	var m goldenMeta
	if b, err := os.ReadFile(filepath.Join(dir, "meta.json")); err == nil {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s/meta.json: %v", dir, err)
		}
	}
	a, err := HTML(raw, Options{Name: filepath.Base(dir) + ".html", URL: m.URL, FetchTime: m.FetchTime, ContentType: m.ContentType})
	if err != nil {
		t.Fatalf("HTML: %v", err)
	}
	v := goldenView{
		URL: a.URL, CanonicalURL: a.CanonicalURL, Source: a.Source, Title: a.Title, Authors: a.Authors,
		Published: a.Published.UTC(), Modified: a.Modified.UTC(), Language: a.Language, Description: a.Description,
		Image: a.Image, Paragraphs: a.Paragraphs, Encoding: a.Input.Encoding,
	}
	if a.Published.IsZero() {
		v.Published = time.Time{}
	}
	if a.Modified.IsZero() {
		v.Modified = time.Time{}
	}
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return a, append(got, '\n')
}

// TestGolden runs every case under testdata/golden and compares the
// metadata and paragraphs with expected.json (go test -update rewrites it).
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/golden/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			_, got := runGolden(t, dir)
			golden.Check(t, filepath.Join(dir, "expected.json"), got)
		})
	}
}

// TestMetadataSources states, for each golden case, the rule it checks,
// so that a regenerated expected.json cannot silently accept a wrong value.
func TestMetadataSources(t *testing.T) {
	day := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		dir       string
		title     string
		authors   []string
		published time.Time
		modified  time.Time
		check     func(t *testing.T, a *article.Article)
	}{
		{dir: "jsonld", title: "Harbour bridge reopens after two years of repairs",
			authors: []string{"Petra Lindqvist", "Omar Haddad"}, published: day("2023-04-11T08:30:00+02:00"),
			modified: day("2023-04-12T10:00:00+02:00"),
			check: func(t *testing.T, a *article.Article) {
				want(t, "source.name", a.Source.Name, "The Lakeside Courier")
				want(t, "source.domain", a.Source.Domain, "lakeside-courier.example")
				want(t, "canonical", a.CanonicalURL, "https://lakeside-courier.example/news/harbour-bridge-reopens")
				want(t, "image", a.Image, "https://lakeside-courier.example/img/bridge.jpg")
				want(t, "language", a.Language, "en")
				want(t, "description", a.Description, "The old swing bridge carries traffic again.")
			}},
		{dir: "meta_tags", title: "Orchard growers try frost fans", authors: []string{"Hannah Brightwater"},
			published: day("2021-10-05T06:15:00Z"), modified: day("2021-10-06T09:00:00Z"),
			check: func(t *testing.T, a *article.Article) {
				want(t, "image", a.Image, "https://valley-gazette.example/media/frost-fans.jpg")
				want(t, "canonical", a.CanonicalURL, "https://valley-gazette.example/farming/orchard-frost-fans")
				want(t, "language", a.Language, "en")
				want(t, "source.name", a.Source.Name, "Valley Gazette")
			}},
		// The <time> of the article wins over the later one in the sidebar.
		{dir: "time_element", title: "Neue Fähre für den Bodensee", authors: []string{},
			published: day("2020-06-18T07:45:00+02:00"),
			check:     func(t *testing.T, a *article.Article) { want(t, "language", a.Language, "de") }},
		// The sidebar's byline is someone else's.
		{dir: "byline_sidebar", title: "Library extends weekend hours", authors: []string{"Grace Okafor", "Tomás Reyes"}},
		{dir: "url_date", title: "Robins return early to the marsh", authors: []string{}, published: day("2021-03-14T00:00:00Z"),
			check: func(t *testing.T, a *article.Article) { want(t, "language (detected)", a.Language, "en") }},
		// JSON-LD and meta name the publisher as author: the byline wins.
		{dir: "publisher_author", title: "Tram line gets night service", authors: []string{"Ines Carvalho"},
			published: day("2022-09-02T12:00:00Z")},
		// Dates inside scripts and an ad are not the article's.
		{dir: "date_in_script", title: "Town pool opens its new diving boards", authors: []string{}},
		// A future published_time, dateModified and expiry are refused.
		{dir: "future_dates", title: "Ferry timetable changes for winter", authors: []string{},
			published: day("2024-11-02T09:00:00Z")},
		{dir: "dc_date", title: "Annual report on river water quality", authors: []string{"Lena Marsh"},
			published: day("2018-07-23T00:00:00Z"),
			check:     func(t *testing.T, a *article.Article) { want(t, "language", a.Language, "en") }},
		{dir: "windows1252_late_meta", title: "Café owners “delighted” by market square plan", authors: []string{},
			check: func(t *testing.T, a *article.Article) {
				want(t, "encoding", a.Input.Encoding, "windows-1252")
				want(t, "first paragraph", a.Paragraphs[0], "Owners of the cafés around the market square say they are “delighted” with the council’s plan to close the square to traffic on weekends from May until the end of September.")
			}},
		{dir: "boilerplate", title: "Volunteers rebuild the old footbridge", authors: []string{},
			check: func(t *testing.T, a *article.Article) {
				if len(a.Paragraphs) != 3 {
					t.Errorf("paragraphs = %q, want the 3 of the story", a.Paragraphs)
				}
				reasons := map[article.Reason]bool{}
				for _, r := range a.Removed {
					reasons[r.Reason] = true
				}
				for _, r := range []article.Reason{article.ReasonNav, article.ReasonAd, article.ReasonCTA, article.ReasonRelated, article.ReasonCopyright} {
					if !reasons[r] {
						t.Errorf("no removal with reason %s in %+v", r, a.Removed)
					}
				}
			}},
		// Layouts of other CMSs; their bodies are pinned by paragraphs.txt.
		{dir: "wordpress_comments", title: "Community orchard brings in its first harvest", authors: []string{"Maren Holt"},
			published: day("2023-08-14T09:12:00Z")},
		{dir: "liveblog", title: "Storm Orla live: ferries cancelled and roads closed as gales hit the coast",
			authors: []string{"Declan Forde"}, published: day("2024-03-03T07:02:00Z"), modified: day("2024-03-03T11:48:00Z")},
		{dir: "amp", title: "Old cannery reopens as a food hall", authors: []string{"Rosa Lindgren"},
			published: day("2022-11-07T06:00:00-08:00"),
			check: func(t *testing.T, a *article.Article) {
				want(t, "canonical", a.CanonicalURL, "https://coastline-tribune.example/business/2022/11/07/cannery-reopens")
			}},
		{dir: "inline_ads", title: "City libraries to stay open until 9pm on weeknights", authors: []string{"Amara Osei"},
			published: day("2024-06-11T14:30:00Z")},
		// <title> with the site name before "::", which the domain names.
		{dir: "div_br", title: "Council approves new bus depot", authors: []string{}},
		// A French byline ("Par ... · Publié le ...") in an "auteur" element.
		{dir: "french", title: "La passerelle du Moulin rouvre après dix-huit mois de travaux", authors: []string{"Claire Dumas"},
			published: day("2023-10-05T08:00:00+02:00"),
			check:     func(t *testing.T, a *article.Article) { want(t, "language", a.Language, "fr") }},
		{dir: "duplicate_body", title: "Station Road bakery wins bread award", authors: []string{},
			check: func(t *testing.T, a *article.Article) {
				if len(a.Paragraphs) != 3 {
					t.Errorf("paragraphs = %d %q, want the 3 of one copy", len(a.Paragraphs), a.Paragraphs)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			a, _ := runGolden(t, filepath.Join("testdata/golden", tt.dir))
			want(t, "title", a.Title, tt.title)
			if len(a.Authors) != len(tt.authors) {
				t.Errorf("authors = %q, want %q", a.Authors, tt.authors)
			} else {
				for i := range tt.authors {
					want(t, "author", a.Authors[i], tt.authors[i])
				}
			}
			if !a.Published.Equal(tt.published) {
				t.Errorf("published = %v, want %v", a.Published, tt.published)
			}
			if !a.Modified.Equal(tt.modified) {
				t.Errorf("modified = %v, want %v", a.Modified, tt.modified)
			}
			if tt.check != nil {
				tt.check(t, a)
			}
		})
	}
}

// TestGoldenParagraphs compares the body of each golden case that has a
// paragraphs.txt, written by hand (one paragraph a line), with the
// extracted paragraphs: the boundaries must be exactly right, as the
// held-out sets score by paragraph. Unlike expected.json, -update never
// rewrites these files.
func TestGoldenParagraphs(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*/paragraphs.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no paragraphs.txt files: %v", err)
	}
	for _, f := range files {
		dir := filepath.Dir(f)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
			a, _ := runGolden(t, dir)
			if len(a.Paragraphs) != len(want) {
				t.Errorf("%d paragraphs, want %d", len(a.Paragraphs), len(want))
			}
			for i := 0; i < max(len(want), len(a.Paragraphs)); i++ {
				var g, w string
				if i < len(a.Paragraphs) {
					g = a.Paragraphs[i]
				}
				if i < len(want) {
					w = want[i]
				}
				if g != w {
					t.Errorf("paragraph %d:\n got %q\nwant %q", i, g, w)
				}
			}
		})
	}
}

func want(t *testing.T, field, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", field, got, want)
	}
}
