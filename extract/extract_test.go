package extract

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
)

const storyHTML = `<html><head><title>Canal boats return to the basin</title></head><body>
<div class="story"><p>Narrowboats returned to the canal basin this weekend after the winter stoppage, when the locks were drained so that their gates could be replaced by the waterways trust.</p>
<p>Boaters said the new gates swing more easily and leak far less, and the lock keeper expects the basin to be busy through the Easter holidays.</p></div></body></html>`

func TestBadInput(t *testing.T) {
	deep := func(n int) []byte {
		var b bytes.Buffer
		b.WriteString("<html><body>")
		for i := 0; i < n; i++ {
			b.WriteString("<div>")
		}
		b.WriteString("<p>" + strings.Repeat("Deep inside the page there is a sentence that goes on for a while. ", 4) + "</p>")
		for i := 0; i < n; i++ {
			b.WriteString("</div>")
		}
		b.WriteString("</body></html>")
		return b.Bytes()
	}
	binary := func() []byte {
		r := rand.New(rand.NewPCG(7, 9))
		b := make([]byte, 4096)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		return append([]byte("\x89PNG\r\n\x1a\n\x00\x00"), b...)
	}
	menu := `<html><body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/weather">Weather</a></li></ul></nav><div class="menu"><a href="/a">About us</a> <a href="/b">Contact</a></div>
<footer>© 2024 Example Media. All rights reserved.</footer></body></html>`
	script := `<html><head><script>var a = "` + strings.Repeat("function body text that is long. ", 50) + `";</script></head>
<body><script>document.write("` + strings.Repeat("More script text, with commas. ", 40) + `")</script><noscript>Enable JavaScript.</noscript></body></html>`

	tests := []struct {
		name    string
		raw     []byte
		opts    Options
		wantErr error // nil: an article with wantText in it
		want    string
	}{
		{name: "truncated mid-tag", raw: []byte(storyHTML[:len(storyHTML)-40] + "<div cla"), want: "Boaters said the new gates"},
		{name: "truncated mid-paragraph", raw: []byte(storyHTML[:400]), want: "Narrowboats returned"},
		{name: "unclosed tags", raw: []byte(strings.NewReplacer("</p>", "", "</div>", "", "</body>", "", "</html>", "").Replace(storyHTML)), want: "lock keeper"},
		{name: "stray end tags", raw: []byte(strings.Repeat("</div></span></p>", 20000) + storyHTML), want: "Narrowboats returned"},
		{name: "nesting 100000 deep", raw: deep(100000), want: "Deep inside the page"},
		{name: "binary named .html", raw: binary(), opts: Options{Name: "photo.html"}, wantErr: ErrBinary},
		{name: "no article, only menus", raw: []byte(menu), wantErr: ErrNoArticle},
		{name: "all script", raw: []byte(script), wantErr: ErrNoArticle},
		{name: "empty", raw: nil, wantErr: ErrNoArticle},
		{name: "only white space", raw: []byte(" \n\t "), wantErr: ErrNoArticle},
		{name: "over the size limit", raw: []byte(storyHTML), opts: Options{MaxBytes: 100}, wantErr: ErrTooLarge},
		{name: "UTF-16 with BOM", raw: utf16LE(storyHTML), want: "Narrowboats returned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opts.Name == "" {
				tt.opts.Name = "case.html"
			}
			a, err := HTML(tt.raw, tt.opts)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "extract: "+tt.opts.Name+": ") {
					t.Errorf("error %q does not start with the package and input name", err)
				}
				if a != nil {
					t.Errorf("got an article with the error: %q", a.Text)
				}
				return
			}
			if err != nil {
				t.Fatalf("HTML: %v", err)
			}
			if !strings.Contains(a.Text, tt.want) {
				t.Errorf("text %q lacks %q", a.Text, tt.want)
			}
		})
	}
}

func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range s {
		if r > 0xFFFF {
			r = '?'
		}
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// TestHugePage extracts a 50 MB page: the article is found among a mass
// of link lists, within the default size limit.
func TestHugePage(t *testing.T) {
	if testing.Short() {
		t.Skip("50 MB page skipped in -short mode")
	}
	var b bytes.Buffer
	b.WriteString("<html><head><title>Big page</title></head><body>")
	filler := `<ul class="links"><li><a href="/x">Another link in a very long list</a></li><li><a href="/y">And one more link</a></li></ul>` + "\n"
	for b.Len() < 25<<20 {
		b.WriteString(filler)
	}
	b.WriteString(`<div class="article-body">`)
	for i := 0; i < 20; i++ {
		b.WriteString("<p>The harbour festival drew record crowds this year, with boats, music and food stalls along the quay, and the organisers said they would add a second weekend next summer.</p>")
	}
	b.WriteString(`</div>`)
	for b.Len() < 50<<20 {
		b.WriteString(filler)
	}
	b.WriteString("</body></html>")
	a, err := HTML(b.Bytes(), Options{Name: "huge.html"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Input.Bytes < 50<<20 || !strings.HasPrefix(a.Text, "The harbour festival") || strings.Contains(a.Text, "Another link") {
		t.Errorf("bytes %d, text starts %.80q", a.Input.Bytes, a.Text)
	}
}

func TestRecord(t *testing.T) {
	fetch := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	a, err := HTML([]byte(storyHTML), Options{Name: "canal.html", URL: "https://canal-news.example/2024/02/20/boats", FetchTime: fetch})
	if err != nil {
		t.Fatal(err)
	}
	if a.Input.Format != "html" || a.Input.Name != "canal.html" || a.Input.Bytes != int64(len(storyHTML)) || len(a.Input.SHA256) != 64 {
		t.Errorf("input = %+v", a.Input)
	}
	if a.ID == "" || a.WordCount == 0 || a.Text == "" || a.Removed == nil || a.Authors == nil {
		t.Errorf("Finalize not applied: id %q words %d", a.ID, a.WordCount)
	}
	if len(a.Paragraphs) != 2 {
		t.Errorf("paragraphs = %q", a.Paragraphs)
	}
	if !a.Published.Equal(time.Date(2024, 2, 20, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("published from URL = %v", a.Published)
	}
	if a.Title != "Canal boats return to the basin" {
		t.Errorf("title = %q", a.Title)
	}
	for _, r := range a.Removed {
		if r.Reason == "" {
			t.Errorf("removal without reason: %+v", r)
		}
	}
}

func TestLooksLikeHTML(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"<!DOCTYPE html><html><body>x</body></html>", true},
		{"\ufeff  \n<html lang=en>", true},
		{"<!-- generated --><html>", true},
		{"<div class=a>hello</div>", true},
		{"<p>one paragraph</p>", true},
		{"<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">", true},
		{"Some plain text\nwith a <b> in it but no page.", false},
		{"Headline\n\nBody text of a wire story.\n", false},
		{"<?xml version=\"1.0\"?><rss><channel></channel></rss>", false},
		// Regression: fragments of pages, as old crawls saved them, were
		// cleaned as plain text.
		{"<!-- saved page -->\n<table width=600><tr><td>Harbour news</td></tr></table>", true},
		{"<center><h1>Harbour news</h1></center>", true},
		{"<a name=top></a><h2>Harbour news</h2><p>The ferry runs.</p>", true},
		{"<script>var x=1;</script>\n<div>Harbour news</div>", true},
		{"Harbour news\n\nThe ferry runs <b>daily</b> from the quay, <i>weather</i> permitting.<br>", true},
		{"Use <b> for bold and <i> for italics, the guide says.", false},
		{"<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title><link href=\"y\"/></feed>", false},
		{"\x89PNG\r\n\x1a\n\x00\x00\x00<html>", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := LooksLikeHTML([]byte(tt.in)); got != tt.want {
			t.Errorf("LooksLikeHTML(%.40q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestStripSite(t *testing.T) {
	tests := []struct{ title, site, domain, want string }{
		{"Bridge reopens | The Courier", "The Courier", "courier.example", "Bridge reopens"},
		{"The Courier - Bridge reopens", "The Courier", "", "Bridge reopens"},
		{"Bridge reopens after repairs - Courier", "", "courier.example", "Bridge reopens after repairs"},
		{"Left - right: a debate", "", "", "Left - right: a debate"},
	}
	for _, tt := range tests {
		if got := stripSite(tt.title, tt.site, tt.domain, true); got != tt.want {
			t.Errorf("stripSite(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestSplitNames(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"By Ann Lee and Bo Park", []string{"Ann Lee", "Bo Park"}},
		{"By Ann Lee, Bo Park and Cy Young, Staff Writers", []string{"Ann Lee", "Bo Park", "Cy Young"}},
		{"Ann Lee | Published 3 May 2021", []string{"Ann Lee"}},
		{"By STAFF REPORTER", nil},
		{"admin", nil},
		{"https://www.facebook.com/someone", nil},
	}
	for _, tt := range tests {
		got := splitNames(tt.in)
		if strings.Join(got, ";") != strings.Join(tt.want, ";") {
			t.Errorf("splitNames(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2023-04-11T08:30:00+02:00", time.Date(2023, 4, 11, 6, 30, 0, 0, time.UTC), true},
		{"2023-04-11T08:30:00.123Z", time.Date(2023, 4, 11, 8, 30, 0, 123e6, time.UTC), true},
		{"2023-04-11 08:30:00", time.Date(2023, 4, 11, 8, 30, 0, 0, time.UTC), true},
		{"2023-04-11", time.Date(2023, 4, 11, 0, 0, 0, 0, time.UTC), true},
		{"Tue, 11 Apr 2023 08:30:00 GMT", time.Date(2023, 4, 11, 8, 30, 0, 0, time.UTC), true},
		{"April 11, 2023", time.Date(2023, 4, 11, 0, 0, 0, 0, time.UTC), true},
		{"yesterday", time.Time{}, false},
		{"1970-01-01", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v %v, want %v %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"The council said that the bridge would open in the spring and that it was on budget.", "en"},
		{"Der Rat sagte, dass die Brücke im Frühjahr öffnen wird und das Budget nicht überschritten ist.", "de"},
		{"Le conseil a dit que le pont sera ouvert au printemps et que les travaux sont dans le budget.", "fr"},
		{"El consejo dijo que el puente se abrirá en la primavera y que las obras están dentro del presupuesto.", "es"},
		{"東京都は来年の春に新しい橋を開通させると発表しました。工事は予算内で進んでいます。", "ja"},
		{"Совет сообщил, что мост откроется весной и что работы идут в рамках бюджета.", "ru"},
		{"12345", ""},
	}
	for _, tt := range tests {
		if got := detectLanguage([]string{tt.text}); got != tt.want {
			t.Errorf("detectLanguage(%.30q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// A short line straight after its copy is a rendering artifact (a
// gallery's title on every slide) and is removed, with its index among the
// page's blocks. (Other repeats are the author's and are kept: see
// TestPageRepeatsKept.)
func TestRemovedIndexesPageBlocks(t *testing.T) {
	page := `<html><body><div class="article-body">
<p>The first paragraph of the story is long enough to count as article text for the extractor.</p>
<p>Gallery: the bridge at dawn</p>
<p>Gallery: the bridge at dawn</p>
<p>The second paragraph of the story is also long enough to count as article text here.</p>
</div></body></html>`
	a, err := HTML([]byte(page), Options{Name: "dup.html"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Paragraphs) != 3 {
		t.Fatalf("paragraphs = %q, want the repeat removed", a.Paragraphs)
	}
	var dup *article.Removed
	for i := range a.Removed {
		if a.Removed[i].Reason == article.ReasonDuplicate {
			dup = &a.Removed[i]
		}
	}
	if dup == nil || dup.Index != 2 || dup.Offset <= 0 || !strings.HasPrefix(page[dup.Offset:], "Gallery: the bridge") {
		t.Errorf("duplicate removal = %+v", dup)
	}
}

// A page rendered by scripts has no text in its markup; its JSON-LD
// articleBody is used instead.
func TestJSONLDBodyFallback(t *testing.T) {
	page := `<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Night market returns",
"articleBody":"The night market returns to the old bus station on Friday, with forty stalls and a stage for local bands.\nTraders say the move from the car park gives them shelter when it rains, and more room for seating."}
</script></head><body><div id="app"></div><script>render()</script></body></html>`
	a, err := HTML([]byte(page), Options{Name: "spa.html"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Paragraphs) != 2 || !strings.HasPrefix(a.Paragraphs[1], "Traders say") || a.Title != "Night market returns" {
		t.Errorf("title %q, paragraphs %q", a.Title, a.Paragraphs)
	}
}

func TestAuthorCleanup(t *testing.T) {
	tests := []struct {
		byline string
		want   []string
	}{
		{"Elena Fairweather Valley Gazette", []string{"Elena Fairweather"}},
		{"MARTA KOWALSKA", []string{"Marta Kowalska"}},
		{"By Sam Reid Monday", nil},
		{"Valley Gazette", nil},
		{"Valley Gazette Staff", nil},
	}
	for _, tt := range tests {
		m := &pageMeta{props: map[string]string{"author": tt.byline, "og:site_name": "Valley Gazette"}}
		got := m.authors(m.siteName(), "valley-gazette.example")
		if strings.Join(got, ";") != strings.Join(tt.want, ";") {
			t.Errorf("authors(%q) = %q, want %q", tt.byline, got, tt.want)
		}
	}
}

// Regression: repeated paragraphs in a page were removed as scraping
// repeats, though a page repeats what its author repeated (a refrain).
func TestPageRepeatsKept(t *testing.T) {
	page := `<html><body><article><h1>The refrain</h1>
<p>We will rebuild the harbour wall, stone by stone, before the winter storms arrive on the coast.</p>
<p>The mayor repeated the line three times during her speech at the town hall on Tuesday evening.</p>
<p>We will rebuild the harbour wall, stone by stone, before the winter storms arrive on the coast.</p>
<p>We will rebuild the harbour wall, stone by stone, before the winter storms arrive on the coast.</p>
<p>Fishermen in the front row stood and applauded each time, and some of them joined in the words.</p>
</article></body></html>`
	a, err := HTML([]byte(page), Options{Name: "refrain.html"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Paragraphs) != 5 {
		t.Fatalf("paragraphs = %q, want all 5, the refrain three times", a.Paragraphs)
	}
}
