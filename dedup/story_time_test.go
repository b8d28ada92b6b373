package dedup

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
)

func TestDateFromURL(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC) }
	tests := []struct {
		url  string
		want time.Time
	}{
		{"https://gazette.example/world/2014/02/26/bridge-closed/", day(2014, 2, 26)},
		{"https://gazette.example/world/2014/feb/28/bridge-closed", day(2014, 2, 28)},
		{"https://gazette.example/world/2014/September/3/bridge", day(2014, 9, 3)},
		{"https://gazette.example/news/2014-03-12/fire-at-the-wharf/5315696", day(2014, 3, 12)},
		{"https://gazette.example/nsw/fire-at-the-wharf-20140312-34m0z.html", day(2014, 3, 12)},
		{"https://wire.example/article/us-harbour-idUSBREA200OQ20140301", day(2014, 3, 1)},
		{"https://gazette.example/2014/3/1/ferry", day(2014, 3, 1)},
		// Not dates: a bare year, an id, impossible days, a host.
		{"https://gazette.example/world/2014/bridge-closed", time.Time{}},
		{"https://gazette.example/story/123456789012/", time.Time{}},
		{"https://gazette.example/2014/02/30/bridge", time.Time{}},
		{"https://gazette.example/2014/13/01/bridge", time.Time{}},
		{"https://20140301.example/bridge", time.Time{}},
		{"https://gazette.example/1850/01/01/archive", time.Time{}},
		{"not a url", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		if got := DateFromURL(tt.url); !got.Equal(tt.want) {
			t.Errorf("DateFromURL(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestDocFromArticleURLDate(t *testing.T) {
	a := &article.Article{ID: "x", Title: "T", Paragraphs: []string{"p"}, URL: "https://gazette.example/2025/03/04/kestrel-bridge"}
	if d := DocFromArticle(a); !d.Published.Equal(time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("published %v, want the URL's date", d.Published)
	}
}

func TestTimeFactor(t *testing.T) {
	day := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	c := NewClusterer(StoryConfig{})
	s := &Story{First: day, Last: day.Add(48 * time.Hour)}
	prev := 2.0
	for _, tt := range []struct {
		at   time.Time
		want float64 // 0: only check it falls
	}{
		{time.Time{}, 1},
		{day.Add(24 * time.Hour), 1},  // inside the span
		{day.Add(-20 * time.Hour), 1}, // within the day's grace
		{day.Add(72 * time.Hour), 1},  // a day after the last article
		{day.Add(5 * 24 * time.Hour), 0},
		{day.Add(10 * 24 * time.Hour), 0},
		{day.Add(400 * 24 * time.Hour), DefaultTimeFloor},
	} {
		f := c.timeFactor(s, tt.at)
		if tt.want != 0 && math.Abs(f-tt.want) > 1e-6 {
			t.Errorf("factor at %v = %.4f, want %.4f", tt.at, f, tt.want)
		}
		if f > prev+1e-9 && !tt.at.IsZero() {
			t.Errorf("factor at %v = %.4f rose from %.4f", tt.at, f, prev)
		}
		if !tt.at.IsZero() {
			prev = f
		}
		if f < DefaultTimeFloor-1e-9 || f > 1 {
			t.Errorf("factor at %v = %.4f outside [floor, 1]", tt.at, f)
		}
	}
	if f := NewClusterer(StoryConfig{TimeScale: -1}).timeFactor(s, day.Add(10*24*time.Hour)); f != 1 {
		t.Errorf("disabled fade gives %.4f", f)
	}
}

// TestStorySpread: a story whose articles joined at high scores asks more
// of the next one than a loose story does, but never less than the global
// threshold.
func TestStorySpread(t *testing.T) {
	c := NewClusterer(StoryConfig{})
	loose := &Story{Articles: 4, Joins: 3, ScoreSum: 3 * 0.15}
	tight := &Story{Articles: 4, Joins: 3, ScoreSum: 3 * 0.7}
	fresh := &Story{Articles: 1}
	if got := c.threshold(fresh); got != DefaultStoryThreshold {
		t.Errorf("a one-article story's threshold = %.3f, want the global %.3f", got, DefaultStoryThreshold)
	}
	if got := c.threshold(loose); got != DefaultStoryThreshold {
		t.Errorf("a loose story's threshold = %.3f, want the global %.3f", got, DefaultStoryThreshold)
	}
	if c.threshold(tight) <= c.threshold(loose)+0.05 {
		t.Errorf("tight story threshold %.3f, loose %.3f: cohesion must raise it", c.threshold(tight), c.threshold(loose))
	}
	if got := NewClusterer(StoryConfig{Spread: -1}).threshold(tight); got != DefaultStoryThreshold {
		t.Errorf("spread disabled: threshold %.3f", got)
	}
}

// TestClustererMerge: an event split at first (articles added under a
// threshold that lets nothing join) is merged back by Merge once its
// stories grew, which reports the merges and leaves one story with every
// article counted.
func TestClustererMerge(t *testing.T) {
	c := NewClusterer(StoryConfig{Threshold: 0.99})
	var ids []string
	for _, d := range storyDocs[:3] { // b1, c1, b2
		doc := d.doc
		doc.Paragraphs = bridgeParas
		if d.event == "chess" {
			doc.Paragraphs = chessParas
		}
		ids = append(ids, c.Add(doc).Story)
	}
	if len(c.Stories()) != 3 {
		t.Fatalf("%d stories before merging, want 3", len(c.Stories()))
	}
	// Merge looks at stories that grew: give each a copy.
	for _, id := range ids {
		if _, err := c.AddCopy(id, StoryDoc{ID: "copy-" + id, Outlet: "Northfield Wire"}); err != nil {
			t.Fatal(err)
		}
	}
	merged := c.Merge()
	if len(merged) != 1 || merged[0] != (Merged{From: ids[2], Into: ids[0]}) {
		t.Fatalf("merged %+v, want %s into %s", merged, ids[2], ids[0])
	}
	s, ok := c.Story(ids[0])
	if !ok || s.Articles != 4 || len(s.Merged) != 1 {
		t.Errorf("merged story %+v", s)
	}
	if _, ok := c.Story(ids[2]); ok {
		t.Error("the merged-away story is still there")
	}
	if again := c.Merge(); len(again) != 0 {
		t.Errorf("second Merge merged %+v", again)
	}
	// The merged state survives a save and restore.
	data, err := c.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	r := NewClusterer(StoryConfig{})
	if err := r.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if s2, _ := r.Story(ids[0]); s2.Articles != 4 || s2.Joins != s.Joins {
		t.Errorf("restored %+v", s2)
	}
}

func TestLeadTerms(t *testing.T) {
	body := "By Staff Reporter\n\nPublished 4 March\n\n" +
		"Twenty-four passengers died when a bus left the mountain road above Stenheim on Tuesday, the regional police said, and 13 were taken to hospital.\n\n" +
		"Rescuers worked through the night."
	lead := map[string]float64{}
	leadTerms(leadText(body, "Bus crash", 50), 50, lead)
	for _, want := range []string{"#13", "passenger", "stenheim"} {
		if lead[want] == 0 {
			t.Errorf("lead lacks %q: %v", want, lead)
		}
	}
	for _, not := range []string{"staff", "reporter", "#4", "rescuer"} {
		if lead[not] != 0 {
			t.Errorf("lead has %q from a byline, dateline or a short later line: %v", not, lead)
		}
	}
}

// TestClustererNamesAlone: an article that shares only a name with a story
// (here the town, in an article in another language) starts its own.
func TestClustererNamesAlone(t *testing.T) {
	c := NewClusterer(StoryConfig{})
	a := c.Add(StoryDoc{ID: "b1", Title: "Kestrel Bridge in Marrowby closed after cracks found", Paragraphs: bridgeParas,
		Entities: map[string]int{"marrowby": 3, "kestrel bridge": 2}})
	b := c.Add(StoryDoc{ID: "m1", Title: "Le marché couvert de Marrowby rouvre ses portes",
		Paragraphs: []string{
			"Après dix-huit mois de travaux, le marché couvert de Marrowby a rouvert samedi matin, avec une cinquantaine de commerçants sous la nouvelle charpente en bois.",
			"« Les clients sont revenus dès la première heure », se réjouit une fromagère installée depuis vingt ans sous la halle.",
			"La rénovation, financée en partie par la région, a coûté douze millions. Le bâtiment accueille désormais un café et un espace pour les producteurs de l'île.",
		},
		Entities: map[string]int{"marrowby": 2}})
	if a.Story == b.Story {
		t.Errorf("the market article joined the bridge story on the town's name alone (score %.3f)", b.Score)
	}
}

// TestHeaviest: selecting the n heaviest terms gives the set a full sort
// does, ties broken by term, for any n.
func TestHeaviest(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 200 {
		ws := make([]weighted, rng.IntN(60))
		for i := range ws {
			ws[i] = weighted{fmt.Sprintf("t%03d", rng.IntN(80)), float64(rng.IntN(6))} // many ties
		}
		n := rng.IntN(len(ws) + 2)
		want := slices.Clone(ws)
		slices.SortFunc(want, byWeight)
		want = want[:min(n, len(want))]
		got := heaviest(slices.Clone(ws), n)
		slices.SortFunc(got, byWeight) // heaviest leaves its selection unordered
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: heaviest(%d) = %v, want %v", round, n, got, want)
		}
	}
}
