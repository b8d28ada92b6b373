package dedup

import (
	"errors"
	"github.com/newsdesk/newsdesk/repair"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
)

// storyDocs are fictional articles about three invented events.
var storyDocs = []struct {
	doc   StoryDoc
	event string
}{
	{StoryDoc{ID: "b1", Title: "Kestrel Bridge in Marrowby closed after cracks found", Paragraphs: bridgeParas, Outlet: "Harbour Gazette"}, "bridge"},
	{StoryDoc{ID: "c1", Title: "Ilse Varga, 14, wins Northmoor open chess championship", Paragraphs: chessParas, Outlet: "Valley Courier"}, "chess"},
	{StoryDoc{ID: "b2", Title: "Marrowby traders count cost of Kestrel Bridge closure", Paragraphs: bridgeOther, Outlet: "Coastline Daily"}, "bridge"},
	{StoryDoc{ID: "f1", Title: "Record crowds at Dunmere cheese festival", Text: strings.Join([]string{
		"More than thirty thousand visitors packed the market square in Dunmere over the weekend for the annual cheese festival, the largest attendance in its forty-year history.",
		"Organiser Bertram Oakes said the festival's cheese rolling race down Gallow Hill had drawn competitors from as far away as the southern islands, with the winner taking home a full wheel of aged Dunmere blue.",
		"Stallholders reported brisk trade in smoked and washed-rind cheeses, and the town's three inns were fully booked for both nights of the festival.",
	}, "\n\n"), Outlet: "Northfield Wire"}, "festival"},
	{StoryDoc{ID: "c2", Title: "Chess prodigy Varga beats grandmasters to take Northmoor title", Text: strings.Join([]string{
		"Ilse Varga became the youngest winner of the Northmoor open chess championship, finishing ahead of three grandmasters after a marathon final round at the corn exchange.",
		"The fourteen-year-old from the village of Edgecombe sealed the chess title with an endgame victory over the defending champion, her coach said, and will now target the continental youth championship.",
	}, "\n\n"), Outlet: "Harbour Gazette"}, "chess"},
	{StoryDoc{ID: "f2", Title: "Dunmere cheese rolling race won by island farmer", Text: strings.Join([]string{
		"A dairy farmer from the southern islands won the cheese rolling race down Gallow Hill at the Dunmere cheese festival, chasing a wheel of Dunmere blue to the bottom of the slope.",
		"Festival organiser Bertram Oakes said the race had never drawn so many competitors, and the market square stayed crowded with visitors until late on Sunday night.",
	}, "\n\n"), Outlet: "Valley Courier"}, "festival"},
	{StoryDoc{ID: "b3", Title: "Ferry to replace closed Kestrel Bridge in Marrowby", Text: strings.Join([]string{
		"A temporary ferry will carry foot passengers and bicycles across the river Wend in Marrowby from Thursday while the cracked Kestrel Bridge stays closed for inspection.",
		"Council leader Agnes Tollemache said divers would examine the bridge foundations and that the ferry would run from the harbour steps to the old grain wharf every fifteen minutes.",
	}, "\n\n"), Outlet: "Northfield Wire"}, "bridge"},
}

func TestClustererGroupsEvents(t *testing.T) {
	c := NewClusterer(StoryConfig{})
	storyOf := map[string]string{}
	for _, d := range storyDocs {
		a := c.Add(d.doc)
		storyOf[d.doc.ID] = a.Story
		if a.New != (a.Score == 0) {
			t.Errorf("%s: New=%v with score %.3f", d.doc.ID, a.New, a.Score)
		}
	}
	for _, a := range storyDocs {
		for _, b := range storyDocs {
			if same, want := storyOf[a.doc.ID] == storyOf[b.doc.ID], a.event == b.event; same != want {
				t.Errorf("%s and %s: same story %v, want %v", a.doc.ID, b.doc.ID, same, want)
			}
		}
	}
	stories := c.Stories()
	if len(stories) != 3 {
		t.Fatalf("%d stories, want 3", len(stories))
	}
	s, ok := c.Story(storyOf["b1"])
	if !ok || s.Articles != 3 || s.Headline != storyDocs[0].doc.Title || len(s.Outlets) != 3 {
		t.Errorf("bridge story: %+v", s)
	}
}

func TestClustererAddCopy(t *testing.T) {
	c := NewClusterer(StoryConfig{})
	day := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	d := storyDocs[0].doc
	d.Published = day
	a := c.Add(d)
	before, _ := c.Story(a.Story)
	terms := maps.Clone(before.Terms)
	cp := StoryDoc{ID: "copy", Title: "MARROWBY: " + d.Title, Paragraphs: d.Paragraphs, Outlet: "Northfield Wire", Published: day.Add(5 * time.Hour)}
	got, err := c.AddCopy(a.Story, cp)
	if err != nil || got.Story != a.Story {
		t.Fatalf("AddCopy = %+v, %v", got, err)
	}
	s, _ := c.Story(a.Story)
	if s.Articles != 2 || len(s.Outlets) != 2 || !s.Last.Equal(cp.Published) || !maps.Equal(s.Terms, terms) {
		t.Errorf("after AddCopy: %+v", s)
	}
	if _, err := c.AddCopy("nope", cp); !errors.Is(err, ErrNotFound) {
		t.Errorf("AddCopy to a missing story: %v", err)
	}
}

func TestClustererPrune(t *testing.T) {
	c := NewClusterer(StoryConfig{})
	day := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	for i, d := range storyDocs[:4] {
		d.doc.Published = day.Add(time.Duration(i) * 24 * time.Hour)
		if i == 3 {
			d.doc.Published = time.Time{}
		}
		c.Add(d.doc)
	}
	// Stories: bridge (days 0 and 2), chess (day 1), festival (undated).
	if n := c.Prune(day.Add(36 * time.Hour)); n != 1 {
		t.Errorf("pruned %d stories, want 1", n)
	}
	if len(c.Stories()) != 2 {
		t.Errorf("%d stories left, want 2", len(c.Stories()))
	}
	// The pruned chess story is gone: a chess article starts a new one.
	late := storyDocs[4].doc
	late.Published = day.Add(2 * 24 * time.Hour)
	if a := c.Add(late); !a.New {
		t.Errorf("chess article joined %s after its story was pruned", a.Story)
	}
	b := storyDocs[6].doc
	b.Published = day.Add(3 * 24 * time.Hour)
	if a := c.Add(b); a.New {
		t.Error("bridge article did not find the kept bridge story")
	}
}

func TestClustererWindow(t *testing.T) {
	day := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		gap     time.Duration
		undated bool
		same    bool
	}{
		{"same day", 2 * time.Hour, false, true},
		{"within the window", 6 * 24 * time.Hour, false, true},
		{"a year later", 365 * 24 * time.Hour, false, false},
		{"a year earlier", -365 * 24 * time.Hour, false, false},
		{"undated", 0, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewClusterer(StoryConfig{})
			first := storyDocs[0].doc
			first.Published = day
			a := c.Add(first)
			second := storyDocs[2].doc
			if !tt.undated {
				second.Published = day.Add(tt.gap)
			}
			b := c.Add(second)
			if (a.Story == b.Story) != tt.same {
				t.Errorf("same story = %v, want %v", a.Story == b.Story, tt.same)
			}
			s, _ := c.Story(a.Story)
			if !s.First.Equal(day) {
				t.Errorf("first seen %v, want %v", s.First, day)
			}
		})
	}
}

// TestClustererState: a clusterer restored from its saved state assigns
// the rest of the articles exactly as one that never stopped.
func TestClustererState(t *testing.T) {
	whole := NewClusterer(StoryConfig{})
	part := NewClusterer(StoryConfig{})
	var want, got []string
	for i, d := range storyDocs {
		want = append(want, whole.Add(d.doc).Story)
		if i == 3 {
			data, err := part.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			part = NewClusterer(StoryConfig{})
			if err := part.UnmarshalBinary(data); err != nil {
				t.Fatal(err)
			}
		}
		got = append(got, part.Add(d.doc).Story)
	}
	if !slices.Equal(got, want) {
		t.Errorf("restored clusterer assigned %v, want %v", got, want)
	}
	// The same through stats plus stories, as a store keeps them.
	half := NewClusterer(StoryConfig{})
	for _, d := range storyDocs[:4] {
		half.Add(d.doc)
	}
	stats, err := half.MarshalStats()
	if err != nil {
		t.Fatal(err)
	}
	var rows []Story
	for _, st := range half.Stories() {
		b, _ := st.MarshalBinary()
		var back Story
		if err := back.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, back)
	}
	again, err := NewClustererFrom(StoryConfig{}, stats, rows)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range storyDocs[4:] {
		if got := again.Add(d.doc).Story; got != want[4+i] {
			t.Errorf("restored from rows: %s went to %s, want %s", d.doc.ID, got, want[4+i])
		}
	}
	if _, err := NewClustererFrom(StoryConfig{}, []byte("{"), nil); !errors.Is(err, ErrCorrupt) {
		t.Errorf("bad stats: %v", err)
	}

	s, _ := whole.Story(want[0])
	data, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var s2 Story
	if err := s2.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if s2.ID != s.ID || s2.Articles != s.Articles || !maps.Equal(s2.Terms, s.Terms) {
		t.Errorf("story round trip: %+v", s2)
	}
	for _, bad := range []string{"", "{", `{"version":2}`, `{"version":1,"stories":[null]}`, `{"version":1,"stories":[{"id":""}]}`, `{"version":1,"stories":[{"id":"a"},{"id":"a"}]}`} {
		if err := NewClusterer(StoryConfig{}).UnmarshalBinary([]byte(bad)); err == nil {
			t.Errorf("UnmarshalBinary(%q) succeeded", bad)
		}
	}
	if err := s2.UnmarshalBinary([]byte("[")); err == nil {
		t.Error("Story.UnmarshalBinary of bad JSON succeeded")
	}
}

func TestDocFromArticle(t *testing.T) {
	pub := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	a := &article.Article{ID: "x", Title: "T", Paragraphs: []string{"p"}, Source: article.Source{Domain: "gazette.example"},
		Modified: pub, Entities: []article.Entity{{Text: "Agnes  Tollemache", Type: "person", Count: 2}, {Text: "Marrowby", Type: "place"}}}
	d := DocFromArticle(a)
	want := map[string]int{"agnes tollemache": 2, "marrowby": 1}
	if d.Outlet != "gazette.example" || !d.Published.Equal(pub) || !maps.Equal(d.Entities, want) {
		t.Errorf("DocFromArticle = %+v", d)
	}
}

func TestNameSequences(t *testing.T) {
	tests := []struct {
		text string
		want map[string]int
	}{
		{"Council leader Agnes Tollemache spoke in Marrowby.", map[string]int{"council": 1, "agnes tollemache": 1, "marrowby": 1}},
		{"The bridge closed. The NBA said so.", map[string]int{"nba": 1}},
		{"Megan Phelps-Roper and O'Neill met at the Blue Gull, in Dunmere.", map[string]int{"megan phelps-roper": 1, "o'neill": 1, "blue gull": 1, "dunmere": 1}},
		{"Sonja Gaudet, Sochi, Russia", map[string]int{"sonja gaudet": 1, "sochi": 1, "russia": 1}},
		{"no names here at all", map[string]int{}},
		{"", map[string]int{}},
	}
	for _, tt := range tests {
		if got := NameSequences(tt.text); !maps.Equal(got, tt.want) {
			t.Errorf("NameSequences(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{"protests": "protest", "protested": "protest", "protesting": "protest", "bus": "bus", "closes": "clos", "is": "is"} {
		if got := stem(in); got != want {
			t.Errorf("stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScores(t *testing.T) {
	tests := []struct {
		name        string
		truth, pred []string
		pair        PairScores
		bc          BCubedScores
	}{
		{"perfect", []string{"a", "a", "b"}, []string{"x", "x", "y"}, PairScores{Precision: 1, Recall: 1, F1: 1, TP: 1}, BCubedScores{1, 1, 1}},
		{"all split", []string{"a", "a", "a"}, []string{"x", "y", "z"}, PairScores{Precision: 1, Recall: 0, F1: 0, FN: 3}, BCubedScores{1, 1.0 / 3, 0.5}},
		{"all merged", []string{"a", "a", "b", "b"}, []string{"x", "x", "x", "x"}, PairScores{Precision: 2.0 / 6, Recall: 1, F1: 0.5, TP: 2, FP: 4}, BCubedScores{0.5, 1, 2.0 / 3}},
		{"singletons", []string{"a", "b"}, []string{"x", "y"}, PairScores{Precision: 1, Recall: 1, F1: 1}, BCubedScores{1, 1, 1}},
	}
	near := func(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ScorePairs(tt.truth, tt.pred)
			if !near(p.Precision, tt.pair.Precision) || !near(p.Recall, tt.pair.Recall) || !near(p.F1, tt.pair.F1) ||
				p.TP != tt.pair.TP || p.FP != tt.pair.FP || p.FN != tt.pair.FN {
				t.Errorf("pairs = %+v, want %+v", p, tt.pair)
			}
			b := ScoreBCubed(tt.truth, tt.pred)
			if !near(b.Precision, tt.bc.Precision) || !near(b.Recall, tt.bc.Recall) || !near(b.F1, tt.bc.F1) {
				t.Errorf("BCubed = %+v, want %+v", b, tt.bc)
			}
		})
	}
	if b := ScoreBCubed(nil, nil); b != (BCubedScores{}) {
		t.Errorf("BCubed of nothing = %+v", b)
	}
}

func TestReadBench(t *testing.T) {
	recs, err := decodeBench(strings.NewReader(`{"id":"1","cluster":"e1","title":"T","text":"x"}`+"\n\n"+`{"id":"2","dup_group":"g"}`), "mem")
	if err != nil || len(recs) != 2 || recs[0].Cluster != "e1" || recs[1].DupGroup != "g" {
		t.Errorf("decodeBench = %+v, %v", recs, err)
	}
	if _, err := decodeBench(strings.NewReader("{bad"), "mem"); err == nil || !strings.HasPrefix(err.Error(), "dedup: ") {
		t.Errorf("bad line: %v", err)
	}
	if _, err := ReadBench("testdata/does-not-exist.jsonl"); err == nil {
		t.Error("missing file: no error")
	}
}

// withBoilerplate wraps paragraphs in an outlet's header, call to action
// and copyright line, and doubles the first paragraph, as a raw feed does.
func withBoilerplate(outlet string, paras []string) string {
	out := []string{"By Staff Reporter for " + outlet, "Published: 4 March 2025"}
	out = append(out, paras...)
	out = append(out, paras[0],
		"Want more stories like this from "+outlet+"? Hit the follow button above for more of the news you need.",
		"Copyright "+outlet+" 2025. All rights reserved. This story was originally published by "+outlet+".")
	return strings.Join(out, "\n\n")
}

func TestStoryDocBodyCleansRawText(t *testing.T) {
	paras := []string{
		"A temporary ferry will carry foot passengers across the river Wend in Marrowby from Thursday while the cracked bridge stays closed.",
		"Council leader Agnes Tollemache said divers would examine the bridge foundations before any decision on reopening it to traffic.",
	}
	raw := StoryDoc{Text: withBoilerplate("Harbour Gazette", paras)}
	body := raw.body(repairClean)
	if !strings.Contains(body, paras[0]) || !strings.Contains(body, paras[1]) ||
		strings.Count(body, paras[0]) != 1 || strings.Contains(body, "follow button") || strings.Contains(body, "Copyright") {
		t.Errorf("raw body = %q: want the paragraphs once, without the call to action and copyright line", body)
	}
	// Paragraphs come from a repaired article and are used as they are.
	kept := StoryDoc{Paragraphs: []string{"Short line", paras[0]}, Text: "ignored"}
	if got, want := kept.body(repairClean), "Short line\n\n"+paras[0]; got != want {
		t.Errorf("paragraph body = %q, want %q", got, want)
	}
}

// TestClustererOutletBoilerplate wraps every article in its outlet's
// boilerplate: the outlets' shared lines must neither glue different events
// together nor enter the story centroids.
func TestClustererOutletBoilerplate(t *testing.T) {
	c := NewClusterer(StoryConfig{Clean: repairClean})
	storyOf := map[string]string{}
	for _, d := range storyDocs {
		doc := d.doc
		paras := doc.Paragraphs
		if len(paras) == 0 {
			paras = splitParagraphs(doc.Text)
		}
		doc.Paragraphs, doc.Text = nil, withBoilerplate(doc.Outlet, paras)
		storyOf[doc.ID] = c.Add(doc).Story
	}
	for _, a := range storyDocs {
		for _, b := range storyDocs {
			if same, want := storyOf[a.doc.ID] == storyOf[b.doc.ID], a.event == b.event; same != want {
				t.Errorf("%s and %s: same story %v, want %v", a.doc.ID, b.doc.ID, same, want)
			}
		}
	}
	for _, s := range c.Stories() {
		for _, w := range []string{"follow", "button", "copyright", "reserved"} {
			if _, ok := s.Terms[w]; ok {
				t.Errorf("story %s has boilerplate term %q", s.ID, w)
			}
		}
	}
}

func TestSplitParagraphs(t *testing.T) {
	for in, want := range map[string][]string{
		"":                        nil,
		"one":                     {"one"},
		"one\ntwo\n\nthree":       {"one\ntwo", "three"},
		"one\r\n \r\n\n\nthree\n": {"one", "three"},
		"\n\n  one  \n\n":         {"one"},
	} {
		if got := splitParagraphs(in); !slices.Equal(got, want) {
			t.Errorf("splitParagraphs(%q) = %q, want %q", in, got, want)
		}
	}
}

// repairClean is what the pipeline does before dedup: the text repair's
// removal of boilerplate and repeats.
func repairClean(paras []string) []string {
	kept, _ := repair.Clean(paras, repair.Options{})
	return kept
}
