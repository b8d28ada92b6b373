package enrich

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"golang.org/x/text/unicode/norm"
)

// checkOffsets asserts the record's offset contract: every entity mention,
// quote, speaker span and time slices a.Text, in code points, to exactly
// its text.
func checkOffsets(t *testing.T, a *article.Article) {
	t.Helper()
	text := a.Text
	if text == "" {
		text = strings.Join(a.Paragraphs, "\n\n")
	}
	runes := []rune(text)
	check := func(what, want string, start, end int) {
		t.Helper()
		if start < 0 || end > len(runes) || start > end {
			t.Errorf("%s %q: offsets [%d,%d) outside the text (%d code points)", what, want, start, end, len(runes))
			return
		}
		if got := string(runes[start:end]); got != want {
			t.Errorf("%s: text[%d:%d] = %q, want %q", what, start, end, got, want)
		}
	}
	for _, e := range a.Entities {
		if e.Key == "" {
			t.Errorf("entity %q has no key", e.Text)
		}
		for _, m := range e.Mentions {
			check("mention of "+e.Text, m.Text, m.Start, m.End)
		}
	}
	for _, q := range a.Quotes {
		check("quote", q.Text, q.Start, q.End)
		if q.SpeakerSpan != nil {
			check("speaker of quote", q.SpeakerSpan.Text, q.SpeakerSpan.Start, q.SpeakerSpan.End)
		}
	}
	for _, tr := range a.Times {
		check("time", tr.Text, tr.Start, tr.End)
	}
}

func TestOffsetsNonASCII(t *testing.T) {
	a := &article.Article{
		Paragraphs: []string{
			"Über den Fluss: « Le président » — Zoë Ångström arrived in Málaga on Monday.",
			"“We are ready,” said Zoë Ångström, the Málaga mayor, on 3 March 2024.",
			"Ångström told reporters in Málaga that the talks would resume next week.",
		},
		Published: time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC),
	}
	a.Finalize()
	Enrich(a, Options{})
	if len(a.Entities) == 0 || len(a.Quotes) == 0 || len(a.Times) == 0 {
		t.Fatalf("want entities, quotes and times; got %+v / %+v / %+v", a.Entities, a.Quotes, a.Times)
	}
	checkOffsets(t, a)
	// The speaker's name and the place both have more than one mention,
	// each with its own offsets.
	for _, e := range a.Entities {
		if e.Text == "Málaga" && len(e.Mentions) < 2 {
			t.Errorf("Málaga mentions = %+v, want 3", e.Mentions)
		}
	}
}

func TestCanonicalKey(t *testing.T) {
	for _, tc := range []struct{ typ, name, want string }{
		{"person", "Kim Jong-un", "person:kim-jong-un"},
		{"person", "Kim Jong Un", "person:kim-jong-un"},
		{"person", "Luiz Inácio Lula da Silva", "person:luiz-inacio-lula-da-silva"},
		{"org", "U.S. Embassy", "org:us-embassy"},
		{"place", "Málaga", "place:malaga"},
	} {
		if got := CanonicalKey(tc.typ, tc.name); got != tc.want {
			t.Errorf("CanonicalKey(%q, %q) = %q, want %q", tc.typ, tc.name, got, tc.want)
		}
	}
}

// TestKeyDecomposesPerRune checks that appendKey, which decomposes one
// rune at a time, gives the key of the fully NFD-normalized string.
func TestKeyDecomposesPerRune(t *testing.T) {
	for _, s := range []string{
		"Nguyễn Phú Trọng", "Luiz Inácio Lula da Silva", "Zoë Ångström", "Søren Kierkegaard",
		"Đặng Thị Ngọc Thịnh", "Ἀθῆναι", "Йёрк", "Çağlar Söyüncü", "Dvořák-Žižka", "Łódź", "e\u0301cole",
	} {
		if got, want := entityKey(s), entityKey(norm.NFD.String(s)); got != want {
			t.Errorf("entityKey(%q) = %q, want %q (the key of its NFD form)", s, got, want)
		}
	}
	if got := entityKey("Nguyễn Phú Trọng"); got != "nguyen phu trong" {
		t.Errorf("entityKey = %q", got)
	}
}

// TestEnrichPooledDocs enriches different articles from several
// goroutines at once: pooled docs must carry nothing from one text to
// the next.
func TestEnrichPooledDocs(t *testing.T) {
	texts := [][]string{
		{"“We are ready,” said Zoë Ångström, the Málaga mayor, on 3 March 2024.", "Ångström met Premier Tomas Vell in Oslo on Monday."},
		{"Harlow Rovers beat Kestrel City 3-1 on Tuesday night.", `"They never stopped," Gwen Tallis said.`},
		{"The Ostrava County Council lost its appeal in January 2020.", "Judge Renata Obi-Castellanos wrote that the council \"failed to show any harm.\""},
		{"Nothing to see here, only lower-case words and no names at all."},
	}
	ref := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	run := func(paras []string) *article.Article {
		a := &article.Article{Paragraphs: append([]string(nil), paras...), Published: ref}
		a.Finalize()
		Enrich(a, Options{})
		return a
	}
	want := make([]*article.Article, len(texts))
	for i, p := range texts {
		want[i] = run(p)
	}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func() {
			for r := 0; r < 50; r++ {
				i := (g + r) % len(texts)
				a := run(texts[i])
				if !reflect.DeepEqual(a.Entities, want[i].Entities) || !reflect.DeepEqual(a.Quotes, want[i].Quotes) || !reflect.DeepEqual(a.Times, want[i].Times) {
					done <- fmt.Errorf("text %d, round %d: result differs from the first run", i, r)
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
