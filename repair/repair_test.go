package repair

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/shared"
)

// TestSeed checks the reference case: the doubled Daily Mail syndication scrape.
func TestSeed(t *testing.T) {
	raw, err := os.ReadFile(shared.Path(t, "seeds/000_e8f2ea9f2bcaae22.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Text(raw, Options{Name: "seed"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Putin waves at Kim Jong-un from his jet as he leaves for Vietnam"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
	if a.Source.Name != "Daily Mail" {
		t.Errorf("source.name = %q, want Daily Mail", a.Source.Name)
	}
	// The 9 distinct paragraphs, in input order: each is the first line of a
	// doubled pair in the raw text.
	text, _, _ := Decode(raw)
	var want []string
	blocks := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n")
	for i := 0; i+1 < len(blocks); i++ {
		if b := strings.TrimSpace(blocks[i]); len(b) > 200 && b == strings.TrimSpace(blocks[i+1]) {
			want = append(want, normalizeSpace(b))
			i++
		}
	}
	if len(want) != 9 {
		t.Fatalf("seed layout changed: found %d doubled paragraphs", len(want))
	}
	if len(a.Paragraphs) != 9 {
		t.Fatalf("got %d paragraphs, want 9", len(a.Paragraphs))
	}
	for i := range want {
		if a.Paragraphs[i] != want[i] {
			t.Errorf("paragraph %d = %.60q..., want %.60q...", i, a.Paragraphs[i], want[i])
		}
	}
	for _, p := range a.Paragraphs {
		for _, bad := range []string{"Advertisement", "follow button", "Want more stories"} {
			if strings.Contains(p, bad) {
				t.Errorf("boilerplate %q left in paragraph %.50q", bad, p)
			}
		}
	}
	// Every segment of the input is either the title, a kept paragraph or listed in removed.
	segs := splitParagraphs(text)
	if got := 1 + len(a.Paragraphs) + len(a.Removed); got != len(segs) {
		t.Errorf("title+kept+removed = %d, input has %d segments", got, len(segs))
	}
	reasons := map[article.Reason]int{}
	for _, r := range a.Removed {
		reasons[r.Reason]++
		if r.Text != normalizeSpace(segs[r.Index].text) {
			t.Errorf("removed #%d text does not match input segment", r.Index)
		}
		if r.Offset < 0 || r.Offset >= len(text) || !strings.HasPrefix(text[r.Offset:], r.Text[:min(20, len(r.Text))]) {
			t.Errorf("removed #%d offset %d does not point at its text", r.Index, r.Offset)
		}
	}
	if reasons[article.ReasonDuplicate] != 9 || reasons[article.ReasonAd] != 1 || reasons[article.ReasonCTA] != 2 {
		t.Errorf("removed reasons = %v, want 9 duplicate, 1 ad, 2 cta", reasons)
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name string
		raw  []byte
		opts Options
		want error
	}{
		{"empty", nil, Options{}, ErrEmpty},
		{"whitespace", []byte(" \n\t\r\n "), Options{}, ErrEmpty},
		{"nul bytes", []byte("text\x00\x00\x01binary"), Options{}, ErrBinary},
		{"png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...), Options{}, ErrBinary},
		{"gzip", []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0}, Options{}, ErrBinary},
		{"control noise", bytes.Repeat([]byte{0x01, 'a', 0x02, 'b'}, 100), Options{}, ErrBinary},
		{"too large", bytes.Repeat([]byte("word "), 100), Options{MaxBytes: 100}, ErrTooLarge},
		{"no article", []byte("Advertisement\n\nShare this article\n\n"), Options{}, ErrNoArticle},
		{"punctuation only", []byte("***\n\n---\n"), Options{NoTitle: true}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.opts.Name = "case.txt"
			_, err := Text(c.raw, c.opts)
			if c.want == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), "case.txt") {
				t.Errorf("error %q does not name the input", err)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	cases := []struct {
		name, enc, want string
		raw             []byte
	}{
		{"utf-8", "utf-8", "naïve café", []byte("naïve café")},
		{"utf-8 bom", "utf-8", "hello", []byte("\xef\xbb\xbfhello")},
		{"utf-16le bom", "utf-16le", "hi é", []byte{0xff, 0xfe, 'h', 0, 'i', 0, ' ', 0, 0xe9, 0}},
		{"utf-16be bom", "utf-16be", "hi", []byte{0xfe, 0xff, 0, 'h', 0, 'i'}},
		{"windows-1252 quotes", "windows-1252", "“quoted” – yes", []byte("\x93quoted\x94 \x96 yes")},
		{"latin-1", "iso-8859-1", "déjà vu", []byte("d\xe9j\xe0 vu")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, enc, err := Decode(c.raw)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want || enc != c.enc {
				t.Errorf("Decode = %q, %q; want %q, %q", got, enc, c.want, c.enc)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		text     string
		pos, n   int
		want     article.Reason
		whyShort string
	}{
		{"ADVERTISEMENT", 5, 10, article.ReasonAd, "ad slot"},
		{"Anzeige", 5, 10, article.ReasonAd, "German ad slot"},
		{"Scroll to continue with content", 5, 10, article.ReasonAd, "layout slot"},
		{"The main story", 5, 10, "", "subheading made of layout words"},
		{"Share this story", 5, 10, article.ReasonCTA, "short share bar"},
		{"Follow the money.", 9, 10, "", "imperative without a channel"},
		{"Join our WhatsApp channel for the day's top stories.", 9, 10, article.ReasonCTA, "channel CTA at the end"},
		{"Facebook said it would share user data with regulators.", 9, 10, "", "news about a platform"},
		{"\"Subscribe to my newsletter,\" she told the crowd.", 9, 10, "", "quoted speech"},
		{"MORE COVERAGE: Storm closes coastal road for a second day", 5, 10, article.ReasonRelated, "related label"},
		{"See more photos:", 5, 10, "", "a caption lead-in, no headline"},
		{"Related Articles", 9, 10, article.ReasonRelated, "bare related label"},
		{"More to come.", 9, 10, "", "not a label"},
		{"Copyright 2025 Northside Gazette", 9, 10, article.ReasonCopyright, "copyright notice"},
		{"© Staff photographer", 5, 10, "", "photo credit"},
		{"All rights reserved by the author.", 9, 10, article.ReasonCopyright, "rights reservation"},
		{"Yes.", 5, 10, "", "one-word answer"},
		{"Tap to continue reading", 5, 10, article.ReasonAd, "tap-to-continue slot"},
		{"Promoted Stories", 5, 10, article.ReasonAd, "promoted links box"},
		{"Don't miss out: subscribe now for just one crown a week.", 9, 10, article.ReasonCTA, "subscription pitch"},
		{"Click here to read the full story.", 9, 10, article.ReasonCTA, "click here"},
		{"Like us on Facebook", 5, 10, article.ReasonCTA, "social CTA mid-article"},
		{"Recommended for you", 9, 10, article.ReasonRelated, "recommendation box title"},
		{"Most read", 9, 10, article.ReasonRelated, "most-read box title"},
		{"ALSO READ | Council approves new ferry timetable", 5, 10, article.ReasonRelated, "related link with a bar"},
		{"Photo: Harbour Post", 5, 10, "", "photo caption"},
		{"Enjoyed this story? Share it with your friends.", 9, 10, article.ReasonCTA, "question then imperative"},
		{"For the latest updates, follow us on Instagram.", 9, 10, article.ReasonCTA, "CTA after a lead-in clause"},
		{"Read more at harbourpost.example", 9, 10, article.ReasonRelated, "read more at a site"},
		{"DON'T MISS: Ferry fares to rise in spring", 5, 10, article.ReasonRelated, "don't-miss label"},
		{"Up next: Island school wins quiz", 5, 10, article.ReasonRelated, "up-next label"},
		{"In the end, follow the money, investigators said.", 9, 10, "", "imperative clause without a channel"},
		{"Read more about the plan in the council's report, which runs to 40 pages.", 5, 10, "", "a sentence beginning read more"},
		{"The council will subscribe to a new weather service for the port, officials said on Monday.", 9, 10, "", "news sentence using subscribe"},
	}
	for _, c := range cases {
		t.Run(c.whyShort, func(t *testing.T) {
			if got := classify(c.text, lowerWords(c.text, nil), c.pos, c.n); got != c.want {
				t.Errorf("classify(%q) = %q, want %q", c.text, got, c.want)
			}
		})
	}
}

func TestPublisher(t *testing.T) {
	cases := map[string]string{
		"Want more stories like this from the Daily Mail? Hit the follow button above.": "Daily Mail",
		"Click here to subscribe to The Chronicle for unlimited access.":                "The Chronicle",
		"Follow Northside Gazette on Twitter and Facebook.":                             "Northside Gazette",
		"© 2024 Harbour Times Ltd. All rights reserved.":                                "Harbour Times Ltd",
		"Share this article": "",
		"Get Coastline Wire's morning briefing in your inbox: sign up for our newsletter.": "Coastline Wire",
		"Don't miss Today's top stories.":                                                  "",
	}
	for in, want := range cases {
		if got := Publisher(in); got != want {
			t.Errorf("Publisher(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanParagraphs(t *testing.T) {
	in := []string{"Lead paragraph with enough words to count as a real sentence here.", "Advertisement", "Lead paragraph with enough words to count as a real sentence here.", "Second   paragraph\u00a0text."}
	kept, removed := Clean(in, Options{})
	if len(kept) != 2 || kept[1] != "Second paragraph text." {
		t.Fatalf("kept = %q", kept)
	}
	if len(removed) != 2 || removed[0].Index != 1 || removed[0].Reason != article.ReasonAd || removed[1].Index != 2 || removed[1].Reason != article.ReasonDuplicate {
		t.Fatalf("removed = %+v", removed)
	}
}

func TestBatchBoilerplate(t *testing.T) {
	b := NewBatch()
	var inputs [][]byte
	for i := 0; i < 6; i++ {
		raw := []byte("Headline number " + strings.Repeat("x", i+1) + "\n\nA body paragraph that is unique to article " + strings.Repeat("y", i+1) + ".\n\nThe Harbour Post: news from the north shore\n")
		inputs = append(inputs, raw)
		b.Observe(raw)
	}
	a, err := Text(inputs[0], Options{Batch: b})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Paragraphs) != 1 || len(a.Removed) != 1 || a.Removed[0].Reason != article.ReasonBatch {
		t.Fatalf("paragraphs %q removed %+v", a.Paragraphs, a.Removed)
	}
}

func TestParseByline(t *testing.T) {
	cases := []struct {
		in      string
		authors []string
		outlet  string
	}{
		{"By Ivo Brandt, Daily Lantern", []string{"Ivo Brandt"}, "Daily Lantern"},
		{"By Ansel Moor and J. R. Mensah", []string{"Ansel Moor", "J. R. Mensah"}, ""},
		{"BY Lina Hove | Island Gazette", []string{"Lina Hove"}, "Island Gazette"},
		{"Von Greta Lind und Paul Ertl", []string{"Greta Lind", "Paul Ertl"}, ""},
		{"By Maria van der Berg", []string{"Maria van der Berg"}, ""},
		{"By the end of the day the river had risen.", nil, ""},
		{"By Tuesday", nil, ""},
		{"By then, nobody was listening.", nil, ""},
		{"Bystanders filmed the rescue", nil, ""},
	}
	for _, c := range cases {
		authors, outlet := parseByline(c.in)
		if strings.Join(authors, "|") != strings.Join(c.authors, "|") || outlet != c.outlet {
			t.Errorf("parseByline(%q) = %q, %q; want %q, %q", c.in, authors, outlet, c.authors, c.outlet)
		}
	}
}

func TestNormalizeSpace(t *testing.T) {
	cases := map[string]string{
		"plain line":                       "plain line",
		"  padded  ":                       "padded",
		"tab\there":                        "tab here",
		"nbsp\u00a0inside":                 "nbsp inside",
		"narrow\u202fnbsp and\u2009thin":   "narrow nbsp and thin",
		"ideographic\u3000space":           "ideographic space",
		"curly “quotes” and — dashes stay": "curly “quotes” and — dashes stay",
		"Кириллица и 日本語 stay":             "Кириллица и 日本語 stay",
		"double  space":                    "double space",
		"trailing nbsp\u00a0":              "trailing nbsp",
	}
	for in, want := range cases {
		if got := normalizeSpace(in); got != want {
			t.Errorf("normalizeSpace(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDedupKey(t *testing.T) {
	same := [][2]string{
		{"He said “go” and left.", "He said \"go\" and left."},
		{"It’s  here", "It's here"},
		{"«Oui», dit-il", "\"Oui\", dit-il"},
		{"Wrapped\u00a0text", "Wrapped text"},
		{"All...", "All"},
		{"CASE", "case"},
	}
	for _, p := range same {
		if dedupKey(p[0]) != dedupKey(p[1]) {
			t.Errorf("dedupKey(%q) != dedupKey(%q)", p[0], p[1])
		}
	}
	differ := [][2]string{
		{"32GB – Black", "32GB - Black"}, // dashes are content
		{"Привет мир", "Привет мир!"},
		{"one", "two"},
	}
	for _, p := range differ {
		if dedupKey(p[0]) == dedupKey(p[1]) {
			t.Errorf("dedupKey(%q) == dedupKey(%q)", p[0], p[1])
		}
	}
	if dedupKey("* * *") != 0 || dedupKey("日本") == 0 {
		t.Error("alnum detection wrong")
	}
}

func TestTitleRepeatedInBody(t *testing.T) {
	raw := []byte("Storm closes the coast road\n\nStorm closes the coast road\n\nThe coast road between Marrow and Aldby was closed on Sunday after waves carried stones onto it.\n")
	a, err := Text(raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Storm closes the coast road" || len(a.Paragraphs) != 1 || len(a.Removed) != 1 || a.Removed[0].Reason != article.ReasonTitle {
		t.Fatalf("title %q paragraphs %q removed %+v", a.Title, a.Paragraphs, a.Removed)
	}
}

// TestWrappedWithLongURL: an unbreakable long line inside a hard-wrapped
// paragraph does not turn the paragraph into one paragraph per line.
func TestWrappedWithLongURL(t *testing.T) {
	raw := "Council publishes ferry report\n\n" +
		"The full report on the winter ferry service, with the timetable and the\n" +
		"costs of each crossing, is published on the council website at\n" +
		"https://council.example/reports/2031/ferry-service-winter-timetable-and-costs-full-report.pdf\n" +
		"and in the library on Quay Street from Monday.\n"
	a, err := Text([]byte(raw), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Paragraphs) != 1 || !strings.HasSuffix(a.Paragraphs[0], "from Monday.") {
		t.Fatalf("paragraphs = %q", a.Paragraphs)
	}
}

// TestWrappedWithoutBlankLines: a hard-wrapped text whose paragraphs are not
// separated by blank lines is still re-flowed; a table is not.
func TestWrappedWithoutBlankLines(t *testing.T) {
	raw := "Harbour dredging to start in June\n" +
		"The harbour authority will begin dredging the silted inner basin in June,\n" +
		"its director said on Tuesday, after three winters in which larger trawlers\n" +
		"could not reach the fish market quay at low tide.\n" +
		"The work is expected to take eleven weeks and will close the north channel\n" +
		"to all traffic except the island ferry, which will use a temporary berth.\n"
	a, err := Text([]byte(raw), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Harbour dredging to start in June" || len(a.Paragraphs) != 2 {
		t.Fatalf("title %q paragraphs %q", a.Title, a.Paragraphs)
	}
	table := "League table after round nine\nPos Team Points\n1 Marrow Rovers 21\n2 Aldby Town 19\n3 Isle Penn 17\n4 Quay United 12\n"
	a, err = Text([]byte(table), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Paragraphs) != 5 {
		t.Fatalf("table rows merged: %q", a.Paragraphs)
	}
}

// TestShortParagraphPerLine: short one-line paragraphs of similar length are
// not mistaken for a hard-wrapped text.
func TestShortParagraphPerLine(t *testing.T) {
	raw := "Ferry notice\n" +
		"The first ferry of the day will leave ten minutes earlier from Monday.\n" +
		"Passengers with bicycles should board through the rear ramp only.\n" +
		"Tickets bought online remain valid for any crossing that same day.\n" +
		"The cafe on the upper deck will close for repairs until next month.\n" +
		"Questions can be sent to the harbour office on Quay Street in Marrow.\n"
	a, err := Text([]byte(raw), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Paragraphs) != 5 {
		t.Fatalf("paragraphs = %q", a.Paragraphs)
	}
}
