package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// searchFixture stores four English articles from two outlets and one
// French one, and returns them.
func searchFixture(t *testing.T, s store.Store) []*article.Article {
	t.Helper()
	arts := []*article.Article{
		mkArticle("https://lantern.example/election", "Daily Lantern", "Council election results announced", march(1),
			"Voters in Marrow County elected a new council on Sunday.", "Turnout reached a record high, officials said."),
		mkArticle("https://harbor.example/election", "Harbor Post", "Record turnout in council vote", march(2),
			"Marrow County voters turned out in record numbers for the council election.", "The harbor district counted last."),
		mkArticle("https://harbor.example/ferry", "Harbor Post", "Ferry service resumes", march(3),
			"The ferry between Marrow and Isle Penn resumed after repairs.", "Passengers praised the new schedule."),
		mkArticle("https://lantern.example/bakery", "Daily Lantern", "Bakery wins prize", march(4),
			"A small bakery on Quay Street won the regional bread prize.", "Its rye loaf impressed the judges."),
	}
	arts[3].Authors = []string{"Ivo Brandt"}
	fr := mkArticle("https://gazette.example/elections", "La Gazette", "Élections municipales", march(5), "Les électeurs du comté ont voté dimanche. Le café était plein.")
	fr.Language = "fr"
	fr.Finalize()
	arts = append(arts, fr)
	var es []store.Entry
	for _, a := range arts {
		es = append(es, store.Entry{Article: a})
	}
	mustPut(t, s, es...)
	return arts
}

// lastPathElems returns the last path element of each hit's URL.
func lastPathElems(hits []store.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.URL[strings.LastIndex(h.URL, "/")+1:])
	}
	return out
}

// searchCase is a query and the last path elements of the URLs it finds,
// sorted unless ordered (then in rank order); nil wants no hit.
type searchCase struct {
	name    string
	q       store.Query
	want    []string
	ordered bool
}

func runSearchCases(t *testing.T, s store.Store, tests []searchCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := s.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := lastPathElems(hits)
			if !tt.ordered {
				slices.Sort(got)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("%q: got %v, want %v", tt.q.Text, got, tt.want)
			}
			for i := 1; i < len(hits); i++ {
				if hits[i].Score > hits[i-1].Score {
					t.Errorf("hits not ranked: %+v", hits)
				}
			}
		})
	}
}

func runSearch(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	t.Run("language", func(t *testing.T) {
		s := open(t)
		searchFixture(t, s)
		q := func(text string) store.Query { return store.Query{Text: text} }
		runSearchCases(t, s, []searchCase{
			{name: "two words, implicit AND", q: q("council turnout"), want: []string{"election", "election"}},
			{name: "AND", q: q("council AND turnout"), want: []string{"election", "election"}},
			{name: "plus", q: q("+council +turnout"), want: []string{"election", "election"}},
			{name: "every word must match", q: q("council bakery"), want: nil},
			{name: "stemming", q: q("councils"), want: []string{"election", "election"}},
			{name: "case", q: q("MARROW Ferry"), want: []string{"ferry"}},
			{name: "phrase", q: q(`"record numbers"`), want: []string{"election"}},
			{name: "phrase not matching scattered words", q: q(`"numbers record"`), want: nil},
			{name: "phrase prefix", q: q(`"record num"*`), want: []string{"election"}},
			{name: "OR", q: q("bakery OR ferry"), want: []string{"bakery", "ferry"}},
			{name: "lower-case or is a word", q: q("bakery or ferry"), want: nil},
			{name: "NOT", q: q("marrow NOT ferry"), want: []string{"election", "election"}},
			{name: "minus", q: q("marrow -ferry"), want: []string{"election", "election"}},
			{name: "NOT alone", q: q("NOT ferry"), want: []string{"bakery", "election", "election", "elections"}},
			{name: "minus alone", q: q("-marrow"), want: []string{"bakery", "elections"}},
			{name: "minus alone with a filter", q: store.Query{Text: "-marrow", Filter: store.Filter{Lang: "en"}}, want: []string{"bakery"}},
			{name: "group", q: q("(bakery OR ferry) marrow"), want: []string{"ferry"}},
			{name: "negated group", q: q("council -(harbor OR bakery)"), want: []string{"election"}},
			{name: "prefix", q: q("bak*"), want: []string{"bakery"}},
			{name: "title", q: q("title:record"), want: []string{"election"}},
			{name: "title phrase", q: q(`title:"council vote"`), want: []string{"election"}},
			{name: "title group", q: q("title:(bakery OR ferry)"), want: []string{"bakery", "ferry"}},
			{name: "body", q: q("body:record"), want: []string{"election", "election"}},
			{name: "body is not the title", q: q("body:bakery prize"), want: []string{"bakery"}},
			{name: "body only", q: q("body:announced"), want: nil},
			{name: "author", q: q("author:brandt"), want: []string{"bakery"}},
			{name: "source is not the host of the URL", q: q("council source:harbor.example"), want: nil},
			{name: "source by its domain", q: q("council source:harborpost.example"), want: []string{"election"}},
			{name: "source by name", q: q(`source:"Daily Lantern"`), want: []string{"bakery", "election"}},
			{name: "source alone or a word", q: q(`source:lagazette.example OR ferry`), want: []string{"elections", "ferry"}},
			{name: "lang", q: q("lang:fr"), want: []string{"elections"}},
			{name: "lang and a word", q: q("council -lang:fr"), want: []string{"election", "election"}},
			{name: "hyphenated words", q: q("isle-penn"), want: []string{"ferry"}},
			{name: "apostrophe", q: q("county's"), want: nil},
			{name: "symbols ignored", q: q("ferry & —"), want: []string{"ferry"}},
		})
	})

	t.Run("filters", func(t *testing.T) {
		s := open(t)
		searchFixture(t, s)
		f := func(text string, f store.Filter) store.Query { return store.Query{Text: text, Filter: f} }
		runSearchCases(t, s, []searchCase{
			{name: "source by name", q: f("council", store.Filter{Source: "harbor post"}), want: []string{"election"}},
			{name: "source by domain", q: f("council", store.Filter{Source: "DailyLantern.Example"}), want: []string{"election"}},
			{name: "since", q: f("marrow", store.Filter{Since: march(2)}), want: []string{"election", "ferry"}},
			{name: "until", q: f("marrow", store.Filter{Until: march(2)}), want: []string{"election"}},
			{name: "lang", q: f("dimanche OR council", store.Filter{Lang: "fr"}), want: []string{"elections"}},
		})
		for _, limit := range []int{1, 2} {
			hits, err := s.Search(ctx, store.Query{Text: "marrow", Filter: store.Filter{Limit: limit}})
			if err != nil || len(hits) != limit {
				t.Errorf("limit %d: %d hits, %v", limit, len(hits), err)
			}
		}
	})

	t.Run("default limit", func(t *testing.T) {
		s := open(t)
		var es []store.Entry
		for i := range store.DefaultSearchLimit + 5 {
			es = append(es, store.Entry{Article: mkArticle(fmt.Sprintf("https://almanac.example/tide/%d", i), "Almanac", fmt.Sprintf("Tide %d", i),
				march(1+i%20), fmt.Sprintf("Tidewater table number %d.", i))})
		}
		mustPut(t, s, es...)
		if hits, err := s.Search(ctx, store.Query{Text: "tidewater"}); err != nil || len(hits) != store.DefaultSearchLimit {
			t.Errorf("no limit: %d hits, %v; want %d", len(hits), err, store.DefaultSearchLimit)
		}
		if hits, err := s.Search(ctx, store.Query{Text: "tidewater", Filter: store.Filter{Limit: 100}}); err != nil || len(hits) != len(es) {
			t.Errorf("limit 100: %d hits, %v; want %d", len(hits), err, len(es))
		}
	})

	t.Run("hit and snippet", func(t *testing.T) {
		s := open(t)
		searchFixture(t, s)
		hits, err := s.Search(ctx, store.Query{Text: "rye loaf", MarkStart: "<b>", MarkEnd: "</b>"})
		if err != nil || len(hits) != 1 {
			t.Fatalf("%v, %v", hits, err)
		}
		h := hits[0]
		if got := markedWords(h.Snippet, "<b>", "</b>"); !slices.Contains(got, "rye") || !slices.Contains(got, "loaf") {
			t.Errorf("snippet %q does not mark rye and loaf", h.Snippet)
		}
		want := mkArticle("https://lantern.example/bakery", "Daily Lantern", "Bakery wins prize", march(4))
		if h.ID != want.ID || h.Title != "Bakery wins prize" || h.URL != want.URL || h.Source != want.Source || !h.Published.Equal(march(4)) ||
			h.Language != "en" || h.Score <= 0 || h.DupGroup != "" || h.Copies != 0 {
			t.Errorf("hit %+v", h)
		}
		hits, err = s.Search(ctx, store.Query{Text: "judges"})
		if err != nil || len(hits) != 1 || !strings.Contains(hits[0].Snippet, "**judges**") {
			t.Errorf("default marks: %v, %v", hits, err)
		}
		// Negated words are not marked.
		hits, err = s.Search(ctx, store.Query{Text: "ferry -bakery", MarkStart: "[", MarkEnd: "]"})
		if err != nil || len(hits) != 1 || !slices.Contains(markedWords(hits[0].Snippet, "[", "]"), "ferry") {
			t.Errorf("snippet of ferry: %v, %v", hits, err)
		}
	})

	t.Run("syntax errors", func(t *testing.T) {
		s := open(t)
		searchFixture(t, s)
		for _, q := range []string{`"unterminated phrase`, `council AND`, `(marrow OR`, `nosuchcolumn:council`, `   `, `NEAR(`, `OR ferry`, `title:`} {
			_, err := s.Search(ctx, store.Query{Text: q})
			if !errors.Is(err, store.ErrQuerySyntax) {
				t.Errorf("Search(%q) = %v, want ErrQuerySyntax", q, err)
				continue
			}
			if strings.TrimSpace(q) != "" && !strings.Contains(err.Error(), q) {
				t.Errorf("error %q does not name the query", err)
			}
		}
	})

	// A text that says a word more often, in a shorter text, ranks first.
	t.Run("ranking", func(t *testing.T) {
		s := open(t)
		filler := strings.Repeat("The harbour board discussed the budget, the moorings and the dredging schedule at length. ", 4)
		mustPut(t, s,
			store.Entry{Article: mkArticle("https://x.example/notes", "Gazette", "Harbour notes", march(1), filler+"A lighthouse was mentioned once.")},
			store.Entry{Article: mkArticle("https://x.example/lamp", "Gazette", "Lighthouse lamp relit", march(2), "The lighthouse lamp was relit; the lighthouse keeper cheered.")},
		)
		hits, err := s.Search(ctx, store.Query{Text: "lighthouse"})
		if got := lastPathElems(hits); err != nil || !slices.Equal(got, []string{"lamp", "notes"}) || hits[0].Score <= hits[1].Score {
			t.Errorf("ranking: %+v, %v; want lamp then notes", hits, err)
		}
	})

	// RankAll ranks every match: the best one is first however many match.
	t.Run("rank all", func(t *testing.T) {
		s := open(t)
		entries := []store.Entry{{Article: mkArticle("https://x.example/0", "Gazette", "Harbour harbour harbour", march(1), "harbour harbour harbour harbour")}}
		for i := 1; i <= 350; i++ {
			entries = append(entries, store.Entry{Article: mkArticle(fmt.Sprintf("https://x.example/%d", i), "Gazette", fmt.Sprintf("Notice %d", i), march(2),
				fmt.Sprintf("Routine notice number %d about the harbour and other matters of the town council.", i))})
		}
		mustPut(t, s, entries...)
		hits, err := s.Search(ctx, store.Query{Text: "harbour", RankAll: true, Filter: store.Filter{Limit: 3}})
		if err != nil || len(hits) != 3 || hits[0].Title != "Harbour harbour harbour" {
			t.Errorf("RankAll did not rank every match: %+v %v", hits, err)
		}
	})

	// Copies in a dup group fold into one hit unless AllCopies.
	t.Run("copies", func(t *testing.T) {
		s := open(t)
		var group []string
		var es []store.Entry
		for i, outlet := range []string{"Harbor Post", "Daily Lantern", "River Gazette"} {
			a := mkArticle(fmt.Sprintf("https://copies.example/lighthouse-%d", i), outlet, "Lighthouse to be restored", march(3),
				"The old lighthouse on the point is to be restored next spring.", strings.Repeat("The work takes a year. ", i))
			a.DupGroup = "g-light"
			group = append(group, a.ID)
			es = append(es, store.Entry{Article: a})
		}
		solo := mkArticle("https://copies.example/keeper", "Aldby Courier", "The last keeper", march(4), "The lighthouse keeper retired in 1990.")
		es = append(es, store.Entry{Article: solo})
		mustPut(t, s, es...)

		hits, err := s.Search(ctx, store.Query{Text: "lighthouse"})
		if err != nil || len(hits) != 2 {
			t.Fatalf("folded: %+v, %v; want the group and the other article", hits, err)
		}
		for _, h := range hits {
			switch {
			case h.ID == solo.ID:
				if h.DupGroup != "" || h.Copies != 0 {
					t.Errorf("an article without copies: %+v", h)
				}
			case slices.Contains(group, h.ID):
				if h.DupGroup != "g-light" || h.Copies != 2 {
					t.Errorf("the group's hit: %+v; want dup group g-light, 2 copies", h)
				}
			default:
				t.Errorf("unexpected hit %+v", h)
			}
		}
		if hits, err := s.Search(ctx, store.Query{Text: "lighthouse", Filter: store.Filter{Limit: 2}}); err != nil || len(hits) != 2 || hits[0].ID == hits[1].ID {
			t.Errorf("folded, limit 2: %+v, %v; want two different hits", hits, err)
		}
		// Folding never leaves a page short: 10 groups of 5 copies, every
		// copy matching, still fill a page of 5, and the default page.
		var more []store.Entry
		for g := range 10 {
			for c := range 5 {
				// A group's copies rank alike, so they come together in
				// the ranking, and groups apart (more beacons, higher).
				a := mkArticle(fmt.Sprintf("https://copies.example/beacon-%d-%d", g, c), fmt.Sprintf("Outlet %d", c),
					"Beacon relit", march(5), "The beacon on the breakwater was relit on the night of the storm.",
					strings.Repeat("Beacon. ", g+1))
				a.DupGroup = fmt.Sprintf("g-beacon-%d", g)
				more = append(more, store.Entry{Article: a})
			}
		}
		mustPut(t, s, more...)
		for _, limit := range []int{5, 0} {
			want := min(10, store.DefaultSearchLimit)
			if limit > 0 {
				want = limit
			}
			hits, err := s.Search(ctx, store.Query{Text: "beacon breakwater", Filter: store.Filter{Limit: limit}})
			groups := map[string]bool{}
			for _, h := range hits {
				groups[h.DupGroup] = true
				if h.Copies != 4 || h.DupGroup == "" {
					t.Errorf("limit %d: hit %s has %d copies, want 4", limit, h.ID, h.Copies)
				}
			}
			if err != nil || len(hits) != want || len(groups) != want {
				t.Errorf("limit %d: %d hits in %d groups, %v; want %d", limit, len(hits), len(groups), err, want)
			}
		}

		all, err := s.Search(ctx, store.Query{Text: "lighthouse", AllCopies: true})
		var ids []string
		for _, h := range all {
			ids = append(ids, h.ID)
			if h.Copies != 0 || (h.ID != solo.ID && h.DupGroup != "g-light") {
				t.Errorf("all copies: hit %+v", h)
			}
		}
		slices.Sort(ids)
		want := append(slices.Clone(group), solo.ID)
		slices.Sort(want)
		if err != nil || !slices.Equal(ids, want) {
			t.Errorf("all copies: %v, %v; want %v", ids, err, want)
		}
	})
}

// markedWords returns the lower-cased words between start and end marks
// in a snippet.
func markedWords(snippet, start, end string) []string {
	var out []string
	for {
		i := strings.Index(snippet, start)
		if i < 0 {
			return out
		}
		snippet = snippet[i+len(start):]
		j := strings.Index(snippet, end)
		if j < 0 {
			return out
		}
		out = append(out, strings.Fields(strings.ToLower(snippet[:j]))...)
		snippet = snippet[j+len(end):]
	}
}
