package sqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub", "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// mk builds a finalized article; url may be empty for a text-only article.
func mk(url, source, title string, published time.Time, paras ...string) *article.Article {
	a := &article.Article{
		URL:        url,
		Source:     article.Source{Name: source, Domain: strings.ToLower(strings.ReplaceAll(source, " ", "")) + ".example"},
		Title:      title,
		Published:  published,
		Language:   "en",
		Paragraphs: paras,
		Input:      article.Input{Name: "fixture/" + title, Format: "text", Encoding: "utf-8"},
	}
	a.Finalize()
	return a
}

func day(d int) time.Time { return time.Date(2031, 3, d, 9, 30, 0, 0, time.UTC) }

func put(t testing.TB, s *Store, entries ...store.Entry) []store.Result {
	t.Helper()
	res, err := s.Put(context.Background(), entries)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func count(t testing.TB, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.r.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	// Several processes opening a fresh database at once must all succeed
	// and apply each migration exactly once.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	stores := make([]*Store, 4)
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = Open(ctx, path) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	s := stores[0]
	rows, err := s.r.Query(`SELECT version, name FROM schema_version ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	rows.Close()
	if want := []int{1, 2, 3, 4, 5, 6}; !slices.Equal(got, want) {
		t.Fatalf("schema versions %v, want %v", got, want)
	}
	var mode string
	if err := s.w.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode %q, %v; want wal", mode, err)
	}
	var fk int
	if err := s.w.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys %d, %v; want 1", fk, err)
	}

	// A database written by a newer build is refused, not damaged.
	if _, err := s.w.Exec(`INSERT INTO schema_version(version, name, applied) VALUES (99, 'future', 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("open of newer schema: %v, want a 'newer' error", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "plain-file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	notDB := filepath.Join(dir, "not.db")
	if err := os.WriteFile(notDB, bytes.Repeat([]byte("this is not a database file "), 200), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"", filepath.Join(dir, "what?.db"), filepath.Join(file, "under", "x.db"), notDB} {
		s, err := Open(context.Background(), path)
		if err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", path)
			continue
		}
		if path != "" && !strings.Contains(err.Error(), path) {
			t.Errorf("Open(%q) error %q does not name the path", path, err)
		}
	}
}

func TestPutResults(t *testing.T) {
	v1 := mk("https://news.example/a/1", "Daily Lantern", "Bridge opens", day(1), "The new bridge opened on Monday.", "Traffic was light.")
	v1Again := mk("https://news.example/a/1", "Daily Lantern", "Bridge opens", day(1), "The new bridge opened on Monday.", "Traffic was light.")
	v1Again.Fetched = day(5) // a later fetch of identical content is not a change
	v2 := mk("https://news.example/a/1?utm_source=x", "Daily Lantern", "Bridge opens", day(1), "The new bridge opened on Monday.", "Traffic was heavy by noon.")
	other := mk("", "Harbor Post", "Ferry delayed", day(2), "The morning ferry was delayed by fog.")

	type step struct {
		entries []store.Entry
		want    []store.Result
	}
	tests := []struct {
		name         string
		steps        []step
		wantArticles int
		wantVersions int
		wantRaw      int
	}{
		{"new then same", []step{
			{[]store.Entry{{Article: v1, Raw: []byte("raw one")}}, []store.Result{store.Ingested}},
			{[]store.Entry{{Article: v1Again, Raw: []byte("raw one")}}, []store.Result{store.Unchanged}},
		}, 1, 1, 1},
		{"changed content is a new version", []step{
			{[]store.Entry{{Article: v1, Raw: []byte("raw one")}}, []store.Result{store.Ingested}},
			{[]store.Entry{{Article: v2, Raw: []byte("raw two")}}, []store.Result{store.Updated}},
			{[]store.Entry{{Article: v2, Raw: []byte("raw two")}}, []store.Result{store.Unchanged}},
			{[]store.Entry{{Article: v1, Raw: []byte("raw one")}}, []store.Result{store.Updated}},
		}, 1, 3, 2},
		{"same id twice in one batch", []step{
			{[]store.Entry{{Article: v1, Raw: []byte("raw one")}, {Article: v1Again, Raw: []byte("raw one")}, {Article: v2, Raw: []byte("raw two")}, {Article: other}},
				[]store.Result{store.Ingested, store.Unchanged, store.Updated, store.Ingested}},
		}, 2, 3, 2},
		{"shared raw stored once", []step{
			{[]store.Entry{{Article: v1, Raw: []byte("one feed")}, {Article: other, Raw: []byte("one feed")}}, []store.Result{store.Ingested, store.Ingested}},
		}, 2, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t)
			for i, st := range tt.steps {
				if got := put(t, s, st.entries...); !slices.Equal(got, st.want) {
					t.Fatalf("step %d: results %v, want %v", i, got, st.want)
				}
			}
			if n := count(t, s, "articles"); n != tt.wantArticles {
				t.Errorf("articles %d, want %d", n, tt.wantArticles)
			}
			if n := count(t, s, "article_versions"); n != tt.wantVersions {
				t.Errorf("versions %d, want %d", n, tt.wantVersions)
			}
			if n := count(t, s, "raw_inputs"); n != tt.wantRaw {
				t.Errorf("raw inputs %d, want %d", n, tt.wantRaw)
			}
			if n := count(t, s, "articles_fts"); n != tt.wantArticles {
				t.Errorf("index rows %d, want %d", n, tt.wantArticles)
			}
		})
	}
}

func TestVersionsHistory(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	texts := []string{"First report of the flood.", "Updated: the river peaked at dawn.", "Final: waters receded overnight."}
	for i, text := range texts {
		a := mk("https://river.example/flood", "River Gazette", "Flood", day(3), text)
		a.Fetched = day(3 + i)
		put(t, s, store.Entry{Article: a, Raw: []byte(text)})
	}
	vs, err := s.Versions(ctx, "https://river.example/flood")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 3 {
		t.Fatalf("%d versions, want 3", len(vs))
	}
	for i, v := range vs {
		if v.Version != i+1 || !v.Fetched.Equal(day(3+i)) || v.RawSHA256 != sha256Hex([]byte(texts[i])) {
			t.Errorf("version %d = %+v", i+1, v)
		}
		old, err := s.GetVersion(ctx, vs[0].ContentHash[:0]+"https://river.example/flood", v.Version)
		if err != nil {
			t.Fatal(err)
		}
		if old.Text != texts[i] {
			t.Errorf("version %d text %q, want %q", v.Version, old.Text, texts[i])
		}
	}
	cur, err := s.Get(ctx, "https://river.example/flood")
	if err != nil {
		t.Fatal(err)
	}
	if cur.Text != texts[2] {
		t.Errorf("current text %q", cur.Text)
	}
	// Only the current version is searchable.
	if hits, err := s.Search(ctx, store.Query{Text: "peaked"}); err != nil || len(hits) != 0 {
		t.Errorf("search for an old version's word: %v, %v", hits, err)
	}
	if hits, err := s.Search(ctx, store.Query{Text: "receded"}); err != nil || len(hits) != 1 {
		t.Errorf("search for the current word: %v, %v", hits, err)
	}
	if _, err := s.GetVersion(ctx, cur.ID, 4); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing version: %v", err)
	}
}

func TestGetRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mk("https://lantern.example/2031/03/quay", "Daily Lantern", "Quay repairs begin", day(4),
		"Crews began repairs on the old quay.", "“We expect to finish by summer,” said Mara Olsen.")
	a.Authors = []string{"Ivo Brandt"}
	a.Removed = []article.Removed{{Text: "Subscribe now", Reason: article.ReasonCTA, Index: 2, Offset: 80}}
	a.Entities = []article.Entity{{Text: "Mara Olsen", Type: "person", Count: 1}}
	a.Fetched = day(4).Add(time.Hour)
	a.DupGroup = "g1"
	a.Story = "s1"
	raw := bytes.Repeat([]byte("<p>Crews began repairs on the old quay.</p>\n"), 50)
	put(t, s, store.Entry{Article: a, Raw: raw})

	for _, ref := range []string{a.ID, a.ID[:8], "https://lantern.example/2031/03/quay/", "http://www.lantern.example/2031/03/quay?utm_medium=rss"} {
		got, err := s.Get(ctx, ref)
		if err != nil {
			t.Fatalf("Get(%q): %v", ref, err)
		}
		if fmt.Sprintf("%+v", *got) != fmt.Sprintf("%+v", *a) {
			t.Errorf("Get(%q) =\n%+v\nwant\n%+v", ref, *got, *a)
		}
	}
	back, err := s.Raw(ctx, sha256Hex(raw))
	if err != nil || !bytes.Equal(back, raw) {
		t.Fatalf("raw round trip: %v", err)
	}
	var stored int
	if err := s.r.QueryRow(`SELECT LENGTH(data) FROM raw_inputs`).Scan(&stored); err != nil || stored >= len(raw)/4 {
		t.Errorf("raw stored in %d bytes for %d: not compressed", stored, len(raw))
	}
	for _, ref := range []string{"u0000000000", "abc", "https://lantern.example/other"} {
		if _, err := s.Get(ctx, ref); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get(%q): %v, want ErrNotFound", ref, err)
		}
	}
	if _, err := s.Raw(ctx, strings.Repeat("0", 64)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing raw: %v", err)
	}
}

func TestAmbiguousPrefix(t *testing.T) {
	s := openTest(t)
	var as []store.Entry
	for i := range 300 {
		as = append(as, store.Entry{Article: mk(fmt.Sprintf("https://many.example/%d", i), "Many", "t", day(1), "x")})
	}
	put(t, s, as...)
	// With 300 ids starting with "u", some 6-character prefixes... are
	// unlikely to collide; a 1-letter prefix must be refused as too short,
	// with candidates, and a forced ambiguous range reports ErrAmbiguous.
	var pe *store.PrefixError
	if _, err := s.Get(context.Background(), "u"); !errors.As(err, &pe) || !pe.TooShort || pe.Matches != 300 || len(pe.Candidates) != maxCandidates {
		t.Errorf("short prefix: %v", err)
	}
	_, _, err := s.unique(context.Background(), "u", `SELECT pk, id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 2`, "u", "u\x7f")
	if !errors.Is(err, store.ErrAmbiguous) {
		t.Errorf("ambiguous prefix: %v", err)
	}
	// Every id has idLen characters; a whole id resolves, a missing one
	// is not found, and a prefix still works.
	id := as[7].Article.ID
	if len(id) != idLen {
		t.Fatalf("id %q has %d characters, idLen is %d", id, len(id), idLen)
	}
	if got, err := s.Get(context.Background(), id); err != nil || got.ID != id {
		t.Errorf("whole id: %v", err)
	}
	if got, err := s.Get(context.Background(), id[:12]); err != nil || got.ID != id {
		t.Errorf("prefix of an id: %v", err)
	}
	if _, err := s.Get(context.Background(), "u"+strings.Repeat("0", idLen-1)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing whole id: %v", err)
	}
}

func searchFixture(t *testing.T) *Store {
	s := openTest(t)
	arts := []*article.Article{
		mk("https://lantern.example/election", "Daily Lantern", "Council election results announced", day(1),
			"Voters in Marrow County elected a new council on Sunday.", "Turnout reached a record high, officials said."),
		mk("https://harbor.example/election", "Harbor Post", "Record turnout in council vote", day(2),
			"Marrow County voters turned out in record numbers for the council election.", "The harbor district counted last."),
		mk("https://harbor.example/ferry", "Harbor Post", "Ferry service resumes", day(3),
			"The ferry between Marrow and Isle Penn resumed after repairs.", "Passengers praised the new schedule."),
		mk("https://lantern.example/bakery", "Daily Lantern", "Bakery wins prize", day(4),
			"A small bakery on Quay Street won the regional bread prize.", "Its rye loaf impressed the judges."),
	}
	fr := mk("https://gazette.example/elections", "La Gazette", "Élections municipales", day(5), "Les électeurs du comté ont voté dimanche. Le café était plein.")
	fr.Language = "fr"
	fr.Finalize()
	arts = append(arts, fr)
	var es []store.Entry
	for _, a := range arts {
		es = append(es, store.Entry{Article: a})
	}
	put(t, s, es...)
	return s
}

func TestSearch(t *testing.T) {
	s := searchFixture(t)
	ctx := context.Background()
	tests := []struct {
		name string
		q    store.Query
		want []string // URLs' last path element, in rank order when ordered
		ord  bool
	}{
		{"two words, implicit AND", store.Query{Text: "council turnout"}, []string{"election", "election"}, false},
		{"stemming and folding", store.Query{Text: "elections"}, []string{"election", "election", "elections"}, false},
		{"title weighs more", store.Query{Text: "ferry"}, []string{"ferry"}, true},
		{"phrase", store.Query{Text: `"record numbers"`}, []string{"election"}, false},
		{"phrase not matching scattered words", store.Query{Text: `"numbers record"`}, nil, false},
		{"OR", store.Query{Text: "bakery OR ferry"}, []string{"bakery", "ferry"}, false},
		{"NOT", store.Query{Text: "marrow NOT ferry"}, []string{"election", "election"}, false},
		{"prefix", store.Query{Text: "bak*"}, []string{"bakery"}, false},
		{"column filter", store.Query{Text: "title:record"}, []string{"election"}, false},
		{"diacritics folded", store.Query{Text: "cafe"}, []string{"elections"}, false},
		{"hyphenated plain query", store.Query{Text: "isle-penn"}, []string{"ferry"}, false},
		{"apostrophe plain query", store.Query{Text: "county's"}, nil, false},
		{"source filter by name", store.Query{Text: "council", Filter: store.Filter{Source: "harbor post"}}, []string{"election"}, false},
		{"source filter by domain", store.Query{Text: "council", Filter: store.Filter{Source: "www.dailylantern.example"}}, []string{"election"}, false},
		{"since", store.Query{Text: "marrow", Filter: store.Filter{Since: day(2)}}, []string{"election", "ferry"}, false},
		{"until", store.Query{Text: "marrow", Filter: store.Filter{Until: day(2)}}, []string{"election"}, false},
		{"lang", store.Query{Text: "comte OR council", Filter: store.Filter{Lang: "FR"}}, []string{"elections"}, false},
		{"limit", store.Query{Text: "marrow", Filter: store.Filter{Limit: 1}}, []string{"*"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := s.Search(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.URL[strings.LastIndex(h.URL, "/")+1:])
			}
			if len(tt.want) == 1 && tt.want[0] == "*" {
				if len(got) != 1 {
					t.Fatalf("got %v, want one hit", got)
				}
				return
			}
			if !tt.ord {
				slices.Sort(got)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := 1; i < len(hits); i++ {
				if hits[i].Score > hits[i-1].Score {
					t.Errorf("hits not ranked: %v", hits)
				}
			}
		})
	}
}

func TestSearchSnippet(t *testing.T) {
	s := searchFixture(t)
	hits, err := s.Search(context.Background(), store.Query{Text: "rye loaf", MarkStart: "<b>", MarkEnd: "</b>"})
	if err != nil || len(hits) != 1 {
		t.Fatalf("%v, %v", hits, err)
	}
	h := hits[0]
	if !strings.Contains(h.Snippet, "<b>rye loaf</b>") {
		t.Errorf("snippet %q lacks highlights", h.Snippet)
	}
	if h.Title != "Bakery wins prize" || h.Source.Name != "Daily Lantern" || !h.Published.Equal(day(4)) || h.Score <= 0 || h.ID == "" {
		t.Errorf("hit %+v", h)
	}
	hits, err = s.Search(context.Background(), store.Query{Text: "judges"})
	if err != nil || len(hits) != 1 || !strings.Contains(hits[0].Snippet, "**judges**") {
		t.Errorf("default marks: %v, %v", hits, err)
	}
}

func TestSearchSyntaxErrors(t *testing.T) {
	s := searchFixture(t)
	for _, q := range []string{`"unterminated phrase`, `council AND`, `(marrow OR`, `nosuchcolumn:council`, `   `, `NEAR(`} {
		_, err := s.Search(context.Background(), store.Query{Text: q})
		if !errors.Is(err, store.ErrQuerySyntax) {
			t.Errorf("Search(%q) = %v, want ErrQuerySyntax", q, err)
			continue
		}
		if strings.TrimSpace(q) != "" && !strings.Contains(err.Error(), q) {
			t.Errorf("error %q does not name the query", err)
		}
	}
}

func TestEachFilters(t *testing.T) {
	s := searchFixture(t)
	undated := mk("", "Harbor Post", "Tide table", time.Time{}, "High tide at noon.")
	put(t, s, store.Entry{Article: undated, Raw: []byte("High tide at noon.")})
	tests := []struct {
		f    store.Filter
		want []string
	}{
		{store.Filter{}, []string{"Council election results announced", "Record turnout in council vote", "Ferry service resumes", "Bakery wins prize", "Élections municipales", "Tide table"}},
		{store.Filter{Source: "Harbor Post"}, []string{"Record turnout in council vote", "Ferry service resumes", "Tide table"}},
		{store.Filter{Since: day(3), Until: day(5)}, []string{"Ferry service resumes", "Bakery wins prize"}},
		{store.Filter{Lang: "fr"}, []string{"Élections municipales"}},
		{store.Filter{Limit: 2}, []string{"Council election results announced", "Record turnout in council vote"}},
	}
	for _, tt := range tests {
		var got []string
		err := s.Each(context.Background(), tt.f, func(a *article.Article, o store.Origin) error {
			got = append(got, a.Title)
			if a.Title == "Tide table" && o.RawSHA256 != sha256Hex([]byte("High tide at noon.")) {
				t.Errorf("raw sha %q", o.RawSHA256)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Each(%+v) = %v, want %v", tt.f, got, tt.want)
		}
	}
	stop := errors.New("stop")
	n := 0
	if err := s.Each(context.Background(), store.Filter{}, func(*article.Article, store.Origin) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("stopping walk: %v after %d", err, n)
	}
}

func TestDedupState(t *testing.T) {
	ctx := context.Background()
	s := searchFixture(t)
	ids := map[string]string{}
	if err := s.Each(ctx, store.Filter{}, func(a *article.Article, _ store.Origin) error { ids[a.Source.Name+"/"+a.Title] = a.ID; return nil }); err != nil {
		t.Fatal(err)
	}
	a, b, c := ids["Daily Lantern/Council election results announced"], ids["Harbor Post/Record turnout in council vote"], ids["Harbor Post/Ferry service resumes"]
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.PutBands(ctx, a, []uint64{1, 2, 1 << 63}))
	must(s.PutBands(ctx, b, []uint64{2, 3}))
	must(s.PutBands(ctx, c, []uint64{4}))
	must(s.PutBands(ctx, c, []uint64{5, 5})) // replaces, tolerates repeats
	for _, tt := range []struct {
		bands []uint64
		want  []string
	}{
		{[]uint64{2}, []string{a, b}},
		{[]uint64{1 << 63, 9}, []string{a}},
		{[]uint64{4}, nil},
		{[]uint64{5, 3}, []string{b, c}},
		{nil, nil},
	} {
		got, err := s.BandCandidates(ctx, tt.bands)
		must(err)
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("BandCandidates(%v) = %v, want %v", tt.bands, got, want)
		}
	}

	must(s.SetDupGroup(ctx, a, "grp-1"))
	must(s.SetDupGroup(ctx, b, "grp-1"))
	must(s.SetDupGroup(ctx, c, "grp-2")) // a group of one is not listed
	if err := s.SetDupGroup(ctx, "u-missing", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetDupGroup on a missing id: %v", err)
	}
	groups, err := s.DupGroups(ctx)
	must(err)
	wantMembers := []string{a, b}
	slices.Sort(wantMembers)
	if len(groups) != 1 || groups[0].ID != "grp-1" || !slices.Equal(groups[0].Members, wantMembers) {
		t.Errorf("DupGroups = %+v", groups)
	}
	must(s.SetStory(ctx, a, "story-9"))
	got, err := s.Get(ctx, a)
	must(err)
	if got.DupGroup != "grp-1" || got.Story != "story-9" {
		t.Errorf("annotations not applied: %q %q", got.DupGroup, got.Story)
	}
	// Re-storing the same content keeps the annotations and stores nothing.
	again := *got
	again.DupGroup, again.Story = "", ""
	if res := put(t, s, store.Entry{Article: &again}); res[0] != store.Unchanged {
		t.Errorf("re-put: %v", res)
	}
	got, _ = s.Get(ctx, a)
	if got.DupGroup != "grp-1" || got.Story != "story-9" {
		t.Errorf("annotations lost on re-put: %q %q", got.DupGroup, got.Story)
	}

	st1 := store.StoryState{ID: "story-9", Headline: "Council election", First: day(1), Last: day(2), Count: 2, Outlets: []string{"Daily Lantern", "Harbor Post"}, State: []byte{1, 2, 3}}
	st2 := store.StoryState{ID: "story-10", Headline: "Ferry", First: day(3), Last: day(3), Count: 1}
	must(s.PutStories(ctx, []store.StoryState{st1, st2}))
	st1.Count, st1.Last = 3, day(6)
	must(s.PutStories(ctx, []store.StoryState{st1})) // replaces
	all, err := s.Stories(ctx, time.Time{})
	must(err)
	if len(all) != 2 || all[0].ID != "story-9" || all[0].Count != 3 || !all[0].Last.Equal(day(6)) ||
		!slices.Equal(all[0].Outlets, st1.Outlets) || !bytes.Equal(all[0].State, st1.State) || all[1].Outlets == nil {
		t.Errorf("Stories = %+v", all)
	}
	recent, err := s.Stories(ctx, day(4))
	must(err)
	if len(recent) != 1 || recent[0].ID != "story-9" {
		t.Errorf("Stories(since) = %+v", recent)
	}

	stats, err := s.Stats(ctx)
	must(err)
	if stats.Articles != 5 || stats.Versions != 5 || stats.DupGroups != 1 || stats.Duplicates != 1 || stats.Stories != 2 ||
		stats.SizeBytes == 0 || len(stats.Sources) != 3 || stats.Sources[0] != (store.Count{Value: "Daily Lantern", Count: 2}) && stats.Sources[0] != (store.Count{Value: "Harbor Post", Count: 2}) ||
		!stats.Oldest.Equal(day(1)) || !stats.Newest.Equal(day(5)) || stats.Words == 0 {
		t.Errorf("Stats = %+v", stats)
	}
}

func TestStoreOpenViaRegistry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reg.db")
	for _, dsn := range []string{path, "sqlite:" + path} {
		s, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatalf("store.Open(%q): %v", dsn, err)
		}
		s.Close()
	}
	if _, err := store.Open(context.Background(), "postgres://localhost/news"); err == nil {
		t.Error("store.Open of an unregistered scheme succeeded")
	}
}

func TestStageState(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if _, err := s.State(ctx, "stories/stats"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing state: err = %v, want ErrNotFound", err)
	}
	for _, v := range []string{"first", "second"} {
		if err := s.PutState(ctx, "stories/stats", []byte(v)); err != nil {
			t.Fatal(err)
		}
		got, err := s.State(ctx, "stories/stats")
		if err != nil || string(got) != v {
			t.Fatalf("State = %q, %v; want %q", got, err, v)
		}
	}
}

func TestSnippet(t *testing.T) {
	body := "The council met on Monday. After a long debate, the Kestrel Bridge reopened to traffic and bridges across the county were inspected. Nothing else happened that week at all."
	got := snippet(body, queryTerms(`"kestrel" AND bridge`), "[", "]", 10)
	want := "…debate, the [Kestrel Bridge] reopened to traffic and [bridges] across…"
	if got != want {
		t.Errorf("snippet = %q\nwant      %q", got, want)
	}
	if got := snippet("Short text.", queryTerms("absent"), "[", "]", 10); got != "Short text." {
		t.Errorf("whole short body expected, got %q", got)
	}
	if got := queryTerms(`title:storm OR flood* NOT "sea wall"`); strings.Join(got, ",") != "storm,flood*,sea,wall" {
		t.Errorf("queryTerms = %q", got)
	}
}

// TestSearchRankCandidates: a broad query ranks only the most recently
// stored matches unless RankAll is set.
func TestSearchRankCandidates(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	// The oldest article is the best match by far.
	entries := []store.Entry{{Article: mk("https://x.example/0", "Gazette", "Harbour harbour harbour", day(1), "harbour harbour harbour harbour")}}
	for i := 1; i <= rankCandidates+50; i++ {
		entries = append(entries, store.Entry{Article: mk(fmt.Sprintf("https://x.example/%d", i), "Gazette", fmt.Sprintf("Notice %d", i), day(2),
			fmt.Sprintf("Routine notice number %d about the harbour and other matters of the town council.", i))})
	}
	put(t, s, entries...)
	hits, err := s.Search(ctx, store.Query{Text: "harbour", Filter: store.Filter{Limit: 3}})
	if err != nil || len(hits) != 3 {
		t.Fatalf("%v %v", hits, err)
	}
	if hits[0].Title == "Harbour harbour harbour" {
		t.Error("the oldest match was ranked although the query matches more than rankCandidates articles")
	}
	hits, err = s.Search(ctx, store.Query{Text: "harbour", RankAll: true, Filter: store.Filter{Limit: 3}})
	if err != nil || len(hits) == 0 || hits[0].Title != "Harbour harbour harbour" {
		t.Errorf("RankAll did not rank every match: %+v %v", hits, err)
	}
}
