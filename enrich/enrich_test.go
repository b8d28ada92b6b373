package enrich

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
)

func findEntity(ents []article.Entity, text string) (article.Entity, bool) {
	for _, e := range ents {
		if e.Text == text {
			return e, true
		}
	}
	return article.Entity{}, false
}

func TestEntities(t *testing.T) {
	tests := []struct {
		name  string
		paras []string
		want  []article.Entity // each must be present with this type and count
		not   []string         // texts that must not be entities
	}{
		{
			name:  "hyphen variant and partial merge into full name",
			paras: []string{"Officials met Kim Jong Un in the capital. Later Kim Jong-un spoke again, and Kim left."},
			want:  []article.Entity{{Text: "Kim Jong Un", Type: TypePerson, Count: 3}},
			not:   []string{"Kim", "Kim Jong-un", "Later"},
		},
		{
			name:  "title split and org before title",
			paras: []string{"Talks included Labour Party Chairman Ottoline Brisk and Dr. Haruki Sato of Osaka."},
			want: []article.Entity{
				{Text: "Labour Party", Type: TypeOrg, Count: 1},
				{Text: "Ottoline Brisk", Type: TypePerson, Count: 1},
				{Text: "Haruki Sato", Type: TypePerson, Count: 1},
				{Text: "Osaka", Type: TypePlace, Count: 1},
			},
			not: []string{"Chairman", "Dr.", "Labour Party Chairman Ottoline Brisk"},
		},
		{
			name:  "joiners",
			paras: []string{"The deal was signed by Hendrik van der Molen and Khalid bin Tariq al-Mansour in Doha."},
			want: []article.Entity{
				{Text: "Hendrik van der Molen", Type: TypePerson, Count: 1},
				{Text: "Khalid bin Tariq al-Mansour", Type: TypePerson, Count: 1},
				{Text: "Doha", Type: TypePlace, Count: 1},
			},
		},
		{
			name:  "sentence start needs evidence",
			paras: []string{"Yesterday the council met. Nevertheless the vote failed. Grimsby voters were angry, and many in Grimsby said so."},
			want:  []article.Entity{{Text: "Grimsby", Type: TypePlace, Count: 2}},
			not:   []string{"Yesterday", "Nevertheless"},
		},
		{
			name:  "org suffix and of-names",
			paras: []string{"Researchers at the University of Tarvell and Brightwell Analytics Ltd said the Ministry of Fisheries erred."},
			want: []article.Entity{
				{Text: "University of Tarvell", Type: TypeOrg, Count: 1},
				{Text: "Brightwell Analytics Ltd", Type: TypeOrg, Count: 1},
				{Text: "Ministry of Fisheries", Type: TypeOrg, Count: 1},
			},
		},
		{
			name:  "nationality adjectives, months and days are not entities",
			paras: []string{"The Russian and North Korean delegations arrived on Monday in June, not in May."},
			not:   []string{"Russian", "North Korean", "Monday", "June", "May"},
		},
		{
			name:  "hyphenated place pair",
			paras: []string{"The Russia-Ukraine talks resumed in Istanbul."},
			want: []article.Entity{
				{Text: "Russia", Type: TypePlace, Count: 1},
				{Text: "Ukraine", Type: TypePlace, Count: 1},
				{Text: "Istanbul", Type: TypePlace, Count: 1},
			},
		},
		{
			name:  "possessive ends a name",
			paras: []string{"Marovia's Foreign Ministry rejected the claim, said Anneliese Krohn."},
			want: []article.Entity{
				{Text: "Foreign Ministry", Type: TypeOrg, Count: 1},
				{Text: "Anneliese Krohn", Type: TypePerson, Count: 1},
			},
			not: []string{"Marovia's Foreign Ministry"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Entities(tc.paras)
			for _, w := range tc.want {
				e, ok := findEntity(got, w.Text)
				if !ok || e.Text != w.Text || e.Type != w.Type || e.Count != w.Count {
					t.Errorf("want %+v, got %+v (all: %+v)", w, e, got)
				}
			}
			for _, n := range tc.not {
				if _, ok := findEntity(got, n); ok {
					t.Errorf("unexpected entity %q in %+v", n, got)
				}
			}
		})
	}
}

func TestQuotes(t *testing.T) {
	tests := []struct {
		name  string
		paras []string
		want  []article.Quote
	}{
		{
			name:  "said after, straight quotes",
			paras: []string{`"We will rebuild," said Mayor Lotte Amsel.`},
			want:  []article.Quote{{Text: "We will rebuild", Speaker: "Lotte Amsel"}},
		},
		{
			name:  "name said, curly quotes, partial name resolved",
			paras: []string{"Inspector Bram Oduya led the search.", "“The river is rising,” Oduya said. “Stay away.”"},
			want: []article.Quote{
				{Text: "The river is rising", Speaker: "Bram Oduya", Paragraph: 1},
				{Text: "Stay away.", Speaker: "Bram Oduya", Paragraph: 1},
			},
		},
		{
			name:  "told is not inverted",
			paras: []string{`"It was chaos," Priya Nandakumar told reporters at Harwick Station.`},
			want:  []article.Quote{{Text: "It was chaos", Speaker: "Priya Nandakumar"}},
		},
		{
			name:  "colon and according to",
			paras: []string{`Senator Vance Idowu: "No deal." According to Ruth Kessling, the plan is "dead on arrival".`},
			want: []article.Quote{
				{Text: "No deal.", Speaker: "Vance Idowu"},
				{Text: "dead on arrival", Speaker: "Ruth Kessling"},
			},
		},
		{
			name:  "pronoun speaker",
			paras: []string{"Chef Amadou Keita opened his restaurant in 2020. He said the menu was 'a love letter to Dakar'."},
			want:  []article.Quote{{Text: "a love letter to Dakar", Speaker: "Amadou Keita"}},
		},
		{
			name:  "single quotes vs apostrophes",
			paras: []string{"The teams' coaches called it 'a fair result' after the players' meeting."},
			want:  []article.Quote{{Text: "a fair result", Speaker: "The teams' coaches"}},
		},
		{
			name:  "German and French marks",
			paras: []string{"„Wir bleiben hier“, sagte Jonas Feld.", "« Nous partons », a dit Claire Moreau."},
			want: []article.Quote{
				{Text: "Wir bleiben hier", Speaker: "Jonas Feld"},
				{Text: "Nous partons", Speaker: "Claire Moreau", Paragraph: 1},
			},
		},
		{
			name:  "quoted title and single word are not quotes",
			paras: []string{`She loved "Midnight Harbour" and called the sequel "awful".`},
			want:  nil,
		},
		{
			name:  "unclosed quote runs to paragraph end",
			paras: []string{`"We will not give up. The vote is only the start`},
			want:  []article.Quote{{Text: "We will not give up. The vote is only the start"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Quotes(tc.paras)
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if g, w := got[i], tc.want[i]; g.Text != w.Text || g.Speaker != w.Speaker || g.Paragraph != w.Paragraph {
					t.Errorf("quote %d = %+v, want %+v", i, got[i], tc.want[i])
				}
				if !strings.Contains(tc.paras[got[i].Paragraph], got[i].Text) {
					t.Errorf("quote %q not in its paragraph", got[i].Text)
				}
			}
		})
	}
}

func TestTimes(t *testing.T) {
	ref := time.Date(2024, 6, 20, 9, 30, 0, 0, time.UTC) // a Thursday
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		text string
		ref  time.Time
		want []article.TimeRef
	}{
		{"It happened on June 19, 2024.", time.Time{}, []article.TimeRef{{Text: "June 19, 2024", Resolved: d(2024, 6, 19)}}},
		{"It happened 19 June 2024.", time.Time{}, []article.TimeRef{{Text: "19 June 2024", Resolved: d(2024, 6, 19)}}},
		{"Filed 2024-06-19 and 2024/06/18.", time.Time{}, []article.TimeRef{{Text: "2024-06-19", Resolved: d(2024, 6, 19)}, {Text: "2024/06/18", Resolved: d(2024, 6, 18)}}},
		{"The vote was on Wednesday, June 19, 2024.", ref, []article.TimeRef{{Text: "Wednesday, June 19, 2024", Resolved: d(2024, 6, 19)}}},
		{"They met yesterday and again today.", ref, []article.TimeRef{{Text: "yesterday", Resolved: d(2024, 6, 19)}, {Text: "today", Resolved: d(2024, 6, 20)}}},
		{"He left late last night.", ref, []article.TimeRef{{Text: "late last night", Resolved: d(2024, 6, 19)}}},
		{"Two days earlier it rained.", ref, []article.TimeRef{{Text: "Two days earlier", Resolved: d(2024, 6, 18)}}},
		{"She will visit next week.", ref, []article.TimeRef{{Text: "next week", Resolved: d(2024, 6, 24)}}},
		{"The council voted on Tuesday.", ref, []article.TimeRef{{Text: "Tuesday", Resolved: d(2024, 6, 18)}}},
		{"The council will vote on Tuesday.", ref, []article.TimeRef{{Text: "Tuesday", Resolved: d(2024, 6, 25)}}},
		{"It closed last Thursday.", ref, []article.TimeRef{{Text: "last Thursday", Resolved: d(2024, 6, 13)}}},
		{"It opened three years ago.", ref, []article.TimeRef{{Text: "three years ago", Resolved: d(2021, 6, 20)}}},
		{"Sales fell last month and this year.", ref, []article.TimeRef{{Text: "last month", Resolved: d(2024, 5, 1)}, {Text: "this year", Resolved: d(2024, 1, 1)}}},
		{"Relations date from 1950.", ref, []article.TimeRef{{Text: "1950", Resolved: d(1950, 1, 1)}}},
		{"The fair opens in December.", ref, []article.TimeRef{{Text: "December", Resolved: d(2024, 12, 1)}}},
		{"The plan may work; he will march on.", ref, nil},
		{"He scored in 2000 games.", ref, nil},
		{"They met yesterday.", time.Time{}, []article.TimeRef{{Text: "yesterday"}}},
		{"The day before yesterday was calm.", ref, []article.TimeRef{{Text: "The day before yesterday", Resolved: d(2024, 6, 18)}}},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got := Times([]string{tc.text}, tc.ref)
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i].Text != tc.want[i].Text || !got[i].Resolved.Equal(tc.want[i].Resolved) {
					t.Errorf("time %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestEnrichReference(t *testing.T) {
	pub := time.Date(2024, 6, 20, 9, 0, 0, 0, time.UTC)
	fetched := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	opt := time.Date(2024, 1, 10, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		a    article.Article
		opts Options
		want time.Time
	}{
		{"options first", article.Article{Published: pub, Fetched: fetched}, Options{Ref: opt}, time.Date(2024, 1, 9, 0, 0, 0, 0, time.UTC)},
		{"published", article.Article{Published: pub, Fetched: fetched}, Options{}, time.Date(2024, 6, 19, 0, 0, 0, 0, time.UTC)},
		{"fetched", article.Article{Fetched: fetched}, Options{}, time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)},
		{"none", article.Article{}, Options{}, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.a
			a.Paragraphs = []string{"It rained yesterday in Oslo."}
			Enrich(&a, tc.opts)
			if len(a.Times) != 1 || !a.Times[0].Resolved.Equal(tc.want) {
				t.Errorf("times = %+v, want yesterday = %v", a.Times, tc.want)
			}
			if len(a.Entities) != 1 || a.Entities[0].Text != "Oslo" {
				t.Errorf("entities = %+v", a.Entities)
			}
		})
	}
	Enrich(nil, Options{}) // must not panic
}

func TestEnrichDeterministic(t *testing.T) {
	paras := []string{
		"Ada Brennan met Colm Ferris and Ines Duarte in Lisbon on Monday.",
		`"It went well," said Brennan. Ferris said the talks would resume in Porto.`,
	}
	var first *article.Article
	for i := 0; i < 20; i++ {
		a := &article.Article{Paragraphs: paras, Published: time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)}
		Enrich(a, Options{})
		if first == nil {
			first = a
			continue
		}
		for j := range a.Entities {
			if !reflect.DeepEqual(a.Entities[j], first.Entities[j]) {
				t.Fatalf("run %d: entity order changed: %+v vs %+v", i, a.Entities, first.Entities)
			}
		}
	}
}

func TestParseRef(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"2024-06-20", time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC), false},
		{"2024-06-20 08:15", time.Date(2024, 6, 20, 8, 15, 0, 0, time.UTC), false},
		{"2024-06-20T08:15:00+07:00", time.Date(2024, 6, 20, 1, 15, 0, 0, time.UTC), false},
		{"yesterday", time.Time{}, true},
	}
	for _, tc := range tests {
		got, err := ParseRef(tc.in)
		if tc.err {
			var pe *time.ParseError
			if err == nil || !strings.HasPrefix(err.Error(), "enrich: ") || !errors.As(err, &pe) {
				t.Errorf("ParseRef(%q) error = %v, want a wrapped *time.ParseError prefixed enrich:", tc.in, err)
			}
			continue
		}
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseRef(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}
