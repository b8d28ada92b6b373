package sitemap

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

func parseFile(t *testing.T, name string) (string, []Entry, error) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var got []Entry
	kind, err := Parse(bytes.NewReader(b), func(e Entry) error { got = append(got, e); return nil })
	return kind, got, err
}

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		kind string
		want []Entry
	}{
		{"pages.xml", URLSet, []Entry{
			{Index: 1, Loc: "https://gazette.example/2031/05/ferry-timetable", LastMod: ts("2031-05-06T07:30:00Z")},
			{Index: 2, Loc: "https://gazette.example/2031/05/library?ref=home&page=2", LastMod: ts("2031-05-05T00:00:00Z")},
			{Index: 3, Loc: "https://gazette.example/about"},
		}},
		{"news.xml", URLSet, []Entry{
			{Index: 1, Loc: "https://courier.example/news/2031/05/orchard", NewsTitle: "Orchard growers report record harvest",
				NewsPublished: ts("2031-05-06T07:00:00Z"), NewsPublication: "Millbrook Courier", NewsLanguage: "en"},
			{Index: 2, Loc: "https://courier.example/news/2031/05/bridge", LastMod: ts("2031-05-05T17:00:00Z"), NewsTitle: "Council votes on bridge repairs",
				NewsPublished: ts("2031-05-05T00:00:00Z"), NewsPublication: "Millbrook Courier", NewsLanguage: "en"},
		}},
		{"index.xml", Index, []Entry{
			{Index: 1, Loc: "https://gazette.example/sitemaps/pages.xml", LastMod: ts("2031-05-06T00:00:00Z")},
			{Index: 2, Loc: "https://gazette.example/sitemaps/news.xml.gz"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			kind, got, err := parseFile(t, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if kind != tt.kind {
				t.Errorf("kind = %q, want %q", kind, tt.kind)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("entries:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
	if e := (Entry{LastMod: ts("2031-01-01T00:00:00Z"), NewsPublished: ts("2031-01-02T00:00:00Z")}); !e.Date().Equal(e.NewsPublished) {
		t.Error("Date prefers lastmod over the news date")
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		data     string
		wantN    int
		contains string
	}{
		{name: "truncated keeps the first url", file: "truncated.xml", wantN: 1},
		{name: "HTML page", data: "<!DOCTYPE html><html><body>hi</body></html>", contains: "<html> is not urlset"},
		{name: "RSS feed", data: `<rss version="2.0"><channel></channel></rss>`, contains: "<rss>"},
		{name: "empty", data: "", contains: "no root"},
		{name: "text", data: "just some words", contains: "no root"},
		{name: "unclosed root", data: `<urlset><url><loc>https://a.example/</loc></url>`, wantN: 1, contains: "unexpected EOF"},
		{name: "broken entry", data: `<urlset><url><loc>https://a.example/</loc></url><url><loc>x</url></loc>`, wantN: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n int
			var err error
			if tt.file != "" {
				var got []Entry
				_, got, err = parseFile(t, tt.file)
				n = len(got)
			} else {
				_, err = Parse(strings.NewReader(tt.data), func(Entry) error { n++; return nil })
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			if !strings.HasPrefix(err.Error(), "sitemap: ") || !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("err = %q, want it to contain %q", err, tt.contains)
			}
			if n != tt.wantN {
				t.Errorf("%d entries before the error, want %d", n, tt.wantN)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	tests := []struct{ head, want string }{
		{`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`, URLSet},
		{"\xef\xbb\xbf<!-- generated --><sitemapindex>", Index},
		{`<urlset`, ""}, // too short to tell
		{`<rss>`, ""},
		{`https://a.example/`, ""},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head)); got != tt.want {
			t.Errorf("Sniff(%q) = %q, want %q", tt.head, got, tt.want)
		}
	}
}

func TestYieldStops(t *testing.T) {
	stop := errors.New("stop")
	b, _ := os.ReadFile("testdata/pages.xml")
	n := 0
	if _, err := Parse(bytes.NewReader(b), func(Entry) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("err = %v after %d", err, n)
	}
}

func FuzzSitemap(f *testing.F) {
	for _, name := range []string{"pages.xml", "news.xml", "index.xml", "truncated.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		_, err := Parse(bytes.NewReader(data), func(e Entry) error {
			n++
			if e.Index != n {
				t.Fatalf("index %d for entry %d", e.Index, n)
			}
			return nil
		})
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("unclassified error %v", err)
		}
		Sniff(data)
	})
}
