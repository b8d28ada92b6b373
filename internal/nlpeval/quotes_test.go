package nlpeval

import (
	"testing"

	"github.com/newsdesk/newsdesk/internal/shared"
)

// TestScoreQuotes scores enrich's quotes on PolNeAR dev (held out: rules
// are developed on train) and holds floors just under the current
// figures. Run with -v to see the report.
func TestScoreQuotes(t *testing.T) {
	if testing.Short() {
		t.Skip("scoring skipped in -short mode")
	}
	path := shared.Path(t, "bench/nlp/polnear/dev.jsonl")
	rep, err := ScoreQuotes(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + rep.String())
	// PolNeAR dev at the time of writing: span F1 0.933, named 0.872,
	// pronoun/description 0.829 (train: 0.934, 0.898, 0.827).
	const spanF1, named, desc = 0.92, 0.86, 0.815
	if f := rep.Spans.F1(); f < spanF1 {
		t.Errorf("quote-span F1 %.3f, floor %.3f", f, spanF1)
	}
	if s := rep.NamedShare(); s < named {
		t.Errorf("named-source speakers right %.3f, floor %.3f", s, named)
	}
	if s := rep.DescShare(); s < desc {
		t.Errorf("pronoun/description speakers right %.3f, floor %.3f", s, desc)
	}
}

func TestGoldQuotes(t *testing.T) {
	text := `He said "we will win" and "soon." Then: “It is over,” she said, “truly.”`
	runes := []rune(text)
	idx := func(s string) int { return len([]rune(text[:indexOf(text, s)])) }
	attrs := []polAttr{
		{HasDirectQuote: true, Content: polSpan{Start: idx(`"we`), End: idx(` Then`)}},
		{HasDirectQuote: true, Content: polSpan{Start: idx(`It is`), End: len(runes), Fragments: [][]int{{idx(`It is`), idx(`,” she`)}, {idx(`“truly`), len(runes)}}}},
	}
	got := goldQuotes(runes, attrs)
	want := []string{"we will win", "soon.", "It is over", "truly."}
	if len(got) != len(want) {
		t.Fatalf("got %d stretches %+v, want %q", len(got), got, want)
	}
	for i, g := range got {
		if g.span.Text != want[i] {
			t.Errorf("stretch %d = %q, want %q", i, g.span.Text, want[i])
		}
	}
	for s, want := range map[string]bool{"he": false, "Trump": true, "The campaign": false, "Clinton spokesman Brian Fallon": true, "officials": false, "His aides": false} {
		if namedSource(s) != want {
			t.Errorf("namedSource(%q) = %v", s, !want)
		}
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
