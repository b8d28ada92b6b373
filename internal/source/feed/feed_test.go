package feed

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func parseFile(t *testing.T, name, base string) (Info, []Entry, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []Entry
	info, err := Parse(f, base, func(e Entry) error {
		got = append(got, e)
		return nil
	})
	return info, got, err
}

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		base string
		info Info
		want []Entry
	}{
		{"gazette-rss.xml", "https://gazette.example/feed.xml", Info{RSS, "Lantern Bay Gazette & Courier", "https://gazette.example/"}, []Entry{
			{Index: 1, Title: "Ferry timetable changes & new fares", URL: "https://gazette.example/2031/05/ferry-timetable", ID: "gazette-1001",
				Authors: []string{"Mara Quill", "Tobias Fenn"}, Published: ts("2031-05-06T07:30:00Z"),
				Content: "<p>The Lantern Bay ferry will run every forty minutes from June.</p><p>Fares rise by ten cents.</p>",
				Summary: "The ferry will run every forty minutes."},
			{Index: 2, Title: "Library reopens\u00a0Monday", URL: "https://gazette.example/2031/05/library",
				Authors: []string{"Ines Marlow"}, Published: ts("2031-05-05T18:00:00Z"),
				Content: "<p>The Millbrook library reopens on Monday after repairs.</p>",
				Summary: "<p>The Millbrook library reopens on Monday after repairs.</p>"},
			{Index: 3, Title: "Harbour lights festival", URL: "https://gazette.example/2031/05/lights", ID: "https://gazette.example/2031/05/lights",
				Published: ts("2031-05-04T20:15:00Z"),
				Content:   "Lanterns lined the quay on Saturday night.", Summary: "Lanterns lined the quay on Saturday night."},
			{Index: 4, Title: "Editorial note without a link",
				Content: "Corrections are printed on page two.", Summary: "Corrections are printed on page two."},
		}},
		{"gazette-rss.xml", "", Info{RSS, "Lantern Bay Gazette & Courier", "https://gazette.example/"}, nil}, // checked below: relative link dropped
		{"gazette-atom.xml", "https://courier.example/atom.xml", Info{Atom, "Millbrook Courier", "https://courier.example/"}, []Entry{
			{Index: 1, Title: "Orchard growers report record harvest", URL: "https://courier.example/news/2031/05/orchard", ID: "tag:courier.example,2031:orchard",
				Authors: []string{"Odile Brandt", "Kasimir Holt"}, Published: ts("2031-05-06T07:00:00Z"), Updated: ts("2031-05-06T10:00:00Z"),
				Content: `<div xmlns="http://www.w3.org/1999/xhtml"><p>Growers in Millbrook reported a record apple harvest.</p></div>`,
				Summary: "Apples everywhere."},
			{Index: 2, Title: "Council votes on bridge repairs", URL: "https://courier.example/news/2031/05/bridge", ID: "tag:courier.example,2031:bridge",
				Updated: ts("2031-05-05T16:00:00Z"),
				Content: "The council approved the repairs by seven votes to two.", ContentText: true,
				Summary: "The council approved the repairs by seven votes to two."},
		}},
		{"gazette-feed.json", "", Info{JSONFeed, "Quayside Weekly", "https://quayside.example/"}, []Entry{
			{Index: 1, Title: "Regatta returns to the quay", URL: "https://quayside.example/2031/05/regatta", ID: "q-77",
				Authors: []string{"Pell Amsel"}, Published: ts("2031-05-03T18:00:00Z"), Content: "<p>Forty boats raced in the annual regatta.</p>"},
			{Index: 2, Title: "Fish market hours", URL: "https://quayside.example/2031/05/market", ID: "78",
				Authors: []string{"Rune Tallis"}, Updated: ts("2031-05-02T09:00:00Z"),
				Content: "The fish market opens at six.\n\nIt closes at noon on Sundays.", ContentText: true},
			{Index: 3, URL: "https://elsewhere.example/story", ID: "q-79", Summary: "A story on another site.",
				Content: "A story on another site.", ContentText: true},
		}},
		{"gazette-rdf.xml", "", Info{RDF, "Tidings", ""}, []Entry{
			{Index: 1, Title: "New tide tables published", URL: "https://tidings.example/2031/05/tide-tables",
				Authors: []string{"Wren Okafor"}, Published: ts("2031-05-01T07:00:00Z"),
				Content: "The harbour office published new tide tables.", Summary: "The harbour office published new tide tables."},
		}},
		{"latin1-rss.xml", "", Info{RSS, "Café Chronicle", ""}, []Entry{
			{Index: 1, Title: "Café opens on the quay", URL: "https://chronicle.example/cafe",
				Content: "The café serves crêpes.", Summary: "The café serves crêpes."},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"@"+tt.base, func(t *testing.T) {
			info, got, err := parseFile(t, tt.file, tt.base)
			if err != nil {
				t.Fatal(err)
			}
			if info != tt.info {
				t.Errorf("info = %+v, want %+v", info, tt.info)
			}
			if tt.want == nil {
				if got[1].URL != "" {
					t.Errorf("relative link without a base resolved to %q", got[1].URL)
				}
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%d entries, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if got[i].Feed != info.Title {
					t.Errorf("entry %d: Feed %q, want the feed's title %q", i+1, got[i].Feed, info.Title)
				}
				got[i].Feed = ""
				if !reflect.DeepEqual(got[i], tt.want[i]) {
					t.Errorf("entry %d:\n got %+v\nwant %+v", i+1, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		data     string
		wantN    int // entries delivered before the error
		contains string
	}{
		{name: "truncated RSS keeps the first item", file: "truncated-rss.xml", wantN: 1},
		{name: "truncated JSON Feed", file: "truncated-feed.json", wantN: 0, contains: "JSON Feed"},
		{name: "HTML page", data: "<!DOCTYPE html><html><body><p>Not a feed</p></body></html>", contains: "not RSS, Atom or JSON Feed"},
		{name: "empty", data: "", contains: "not RSS"},
		{name: "plain JSON", data: `{"items": []}`, contains: "not RSS"},
		{name: "wrong JSON Feed version", data: `{"version": "https://example.com/jsonfeed.org/version/1", "items": []}`, contains: "version"},
		{name: "JSON Feed item of the wrong type", data: `{"version": "https://jsonfeed.org/version/1.1", "items": [{"title": "a"}, {"title": 5}]}`, wantN: 1, contains: "item 2"},
		{name: "only a root", data: "<rss version=\"2.0\">", contains: "EOF"},
		{name: "deep nesting", data: "<rss><channel>" + strings.Repeat("<x>", 300), contains: "nested"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n int
			var err error
			if tt.file != "" {
				_, got, e := parseFile(t, tt.file, "https://gazette.example/feed.xml")
				n, err = len(got), e
			} else {
				_, err = Parse(strings.NewReader(tt.data), "", func(Entry) error { n++; return nil })
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			if !strings.HasPrefix(err.Error(), "feed: ") || !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("err = %q, want it to contain %q", err, tt.contains)
			}
			if n != tt.wantN {
				t.Errorf("%d entries before the error, want %d", n, tt.wantN)
			}
		})
	}
}

// TestLenient checks that the sloppy markup common in real feeds is read
// rather than rejected: mismatched tags, HTML entities, unquoted attributes.
func TestLenient(t *testing.T) {
	_, got, err := parseFile(t, "mismatched-rss.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].URL != "https://broken.example/1" || got[2].URL != "https://broken.example/3" || got[2].Title != "Third" {
		t.Errorf("entries = %+v", got)
	}
	var titles []string
	_, err = Parse(strings.NewReader(`<rss version="2.0"><channel><item><title>Caf&eacute; &mdash; &copy; news</title><guid isPermaLink=true>https://x.example/a</guid></item></channel></rss>`), "",
		func(e Entry) error { titles = append(titles, e.Title+" "+e.URL); return nil })
	if err != nil || len(titles) != 1 || titles[0] != "Café — © news https://x.example/a" {
		t.Errorf("titles = %q, err = %v", titles, err)
	}
}

func TestYieldStops(t *testing.T) {
	stop := errors.New("enough")
	for _, file := range []string{"gazette-rss.xml", "gazette-feed.json"} {
		f, _ := os.ReadFile(filepath.Join("testdata", file))
		n := 0
		_, err := Parse(bytes.NewReader(f), "", func(Entry) error { n++; return stop })
		if err != stop || n != 1 {
			t.Errorf("%s: err = %v after %d entries", file, err, n)
		}
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		head string
		want string
	}{
		{`<?xml version="1.0"?><rss version="2.0">`, RSS},
		{"\xef\xbb\xbf  <rss>", RSS},
		{`<!-- c --><?xml-stylesheet href="x"?><feed xmlns="http://www.w3.org/2005/Atom">`, Atom},
		{`<feed>`, Atom},
		{`<feed xmlns="http://example.com/other">`, ""},
		{`<a:feed xmlns:a="http://www.w3.org/2005/Atom">`, Atom},
		{`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">`, RDF},
		{`<!DOCTYPE html><html><head><title>rss</title>`, ""},
		{`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`, ""},
		{`{"version": "https://jsonfeed.org/version/1.1", "items": []}`, JSONFeed},
		{`{"title": "not a feed"}`, ""},
		{`The rss of the story`, ""},
		{``, ""},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head)); got != tt.want {
			t.Errorf("Sniff(%q) = %q, want %q", tt.head, got, tt.want)
		}
	}
}

func FuzzFeed(f *testing.F) {
	for _, name := range []string{"gazette-rss.xml", "gazette-atom.xml", "gazette-feed.json", "gazette-rdf.xml", "latin1-rss.xml", "truncated-rss.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		_, err := Parse(bytes.NewReader(data), "https://fuzz.example/feed", func(e Entry) error {
			n++
			if e.Index != n {
				t.Fatalf("index %d for entry %d", e.Index, n)
			}
			if e.URL != "" && !strings.HasPrefix(e.URL, "http") {
				t.Fatalf("non-http URL %q", e.URL)
			}
			return nil
		})
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("unclassified error %v", err)
		}
		Sniff(data)
	})
}
