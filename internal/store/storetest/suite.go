package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Run runs the conformance suite: every behaviour the store.Store (and
// store.Newsroom) documentation promises, each subtest on a fresh store
// from open. See the package documentation.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("Put", func(t *testing.T) { runPut(t, open) })
	t.Run("Get", func(t *testing.T) { runGet(t, open) })
	t.Run("Versions", func(t *testing.T) { checkVersions(t, open(t)) })
	t.Run("Raw", func(t *testing.T) { checkRaw(t, open(t)) })
	t.Run("Search", func(t *testing.T) { runSearch(t, open) })
	t.Run("Each", func(t *testing.T) { runEach(t, open) })
	t.Run("Bands", func(t *testing.T) { checkBands(t, open(t)) })
	t.Run("DupGroups", func(t *testing.T) { checkDupGroups(t, open(t)) })
	t.Run("Stories", func(t *testing.T) { checkStories(t, open(t)) })
	t.Run("StoriesByID", func(t *testing.T) { checkStoryGetter(t, open(t)) })
	t.Run("State", func(t *testing.T) { checkState(t, open(t)) })
	t.Run("Stats", func(t *testing.T) { checkStats(t, open(t)) })
	t.Run("PutBatch", func(t *testing.T) { CheckPutBatch(t, open(t)) })
	t.Run("PutBatchInOrder", func(t *testing.T) { checkPutBatchInOrder(t, open(t)) })
	t.Run("Check", func(t *testing.T) { checkSound(t, open(t)) })
	t.Run("Concurrent", func(t *testing.T) { checkConcurrent(t, open(t)) })
	t.Run("Newsroom", func(t *testing.T) {
		if _, ok := store.AsNewsroom(open(t)); !ok {
			t.Skip("the store is not a store.Newsroom")
		}
		CheckNewsroom(t, open)
	})
}

// mkArticle builds a finalized article; url may be empty for a text-only
// article. The source's domain is made from its name.
func mkArticle(url, source, title string, published time.Time, paras ...string) *article.Article {
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

// march returns 09:30 UTC on day d of March 2031.
func march(d int) time.Time { return time.Date(2031, 3, d, 9, 30, 0, 0, time.UTC) }

func mustPut(t testing.TB, s store.Store, entries ...store.Entry) []store.Result {
	t.Helper()
	res, err := s.Put(context.Background(), entries)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(entries) {
		t.Fatalf("Put of %d entries returned %d results", len(entries), len(res))
	}
	return res
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// requireSound fails unless Check finds nothing wrong.
func requireSound(t *testing.T, s store.Store) store.CheckReport {
	t.Helper()
	rep, err := s.Check(context.Background())
	if err != nil || !rep.OK() {
		t.Fatalf("Check of a sound store: %+v, %v", rep, err)
	}
	return rep
}

func stats(t *testing.T, s store.Store) store.Stats {
	t.Helper()
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func runPut(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("results", func(t *testing.T) {
		v1 := mkArticle("https://news.example/a/1", "Daily Lantern", "Bridge opens", march(1), "The new bridge opened on Monday.", "Traffic was light.")
		v1Again := mkArticle("https://news.example/a/1", "Daily Lantern", "Bridge opens", march(1), "The new bridge opened on Monday.", "Traffic was light.")
		v1Again.Fetched = march(5) // a later fetch of identical content is not a change
		v2 := mkArticle("https://news.example/a/1?utm_source=x", "Daily Lantern", "Bridge opens", march(1), "The new bridge opened on Monday.", "Traffic was heavy by noon.")
		other := mkArticle("", "Harbor Post", "Ferry delayed", march(2), "The morning ferry was delayed by fog.")
		if v1.ID != v2.ID {
			t.Fatal("the fixture's two versions have different ids")
		}
		type step struct {
			entries []store.Entry
			want    []store.Result
		}
		tests := []struct {
			name                        string
			steps                       []step
			articles, versions, rawSeen int
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
				s := open(t)
				for i, st := range tt.steps {
					if got := mustPut(t, s, st.entries...); !slices.Equal(got, st.want) {
						t.Fatalf("step %d: results %v, want %v", i, got, st.want)
					}
				}
				st := stats(t, s)
				if st.Articles != tt.articles || st.Versions != tt.versions || st.RawInputs != tt.rawSeen {
					t.Errorf("articles, versions, raw inputs = %d, %d, %d; want %d, %d, %d",
						st.Articles, st.Versions, st.RawInputs, tt.articles, tt.versions, tt.rawSeen)
				}
				// The index holds each article once, with its current text.
				hits, err := s.Search(context.Background(), store.Query{Text: "bridge OR ferry", AllCopies: true})
				if err != nil || len(hits) != tt.articles {
					t.Errorf("search finds %d articles, %v; want %d", len(hits), err, tt.articles)
				}
				requireSound(t, s)
			})
		}
	})

	// Where an input was read from is not content: the same article read
	// from another path is unchanged.
	t.Run("input name is not content", func(t *testing.T) {
		s := open(t)
		a := mkArticle("", "Port Alder Gazette", "Ferry", march(1), "The morning ferry leaves at seven.", "The evening one is unchanged.")
		a.Input.Name = "examples/a.txt"
		mustPut(t, s, store.Entry{Article: a, Raw: []byte("raw a")})
		for _, name := range []string{"./examples/a.txt", "/elsewhere/a.txt", "crawl.warc.gz#3"} {
			b := *a
			b.Input.Name = name
			if res := mustPut(t, s, store.Entry{Article: &b, Raw: []byte("raw a")}); res[0] != store.Unchanged {
				t.Errorf("same article read as %s: %v, want unchanged", name, res[0])
			}
		}
		if vs, err := s.Versions(context.Background(), a.ID); err != nil || len(vs) != 1 {
			t.Errorf("%d versions, %v; want 1", len(vs), err)
		}
		b := *a
		b.Title = "Ferry times change"
		if res := mustPut(t, s, store.Entry{Article: &b}); res[0] != store.Updated {
			t.Errorf("changed title: %v, want updated", res[0])
		}
	})

	// A batch with an entry that cannot be stored stores none of it.
	t.Run("all or nothing", func(t *testing.T) {
		s := open(t)
		ctx := context.Background()
		good := mkArticle("https://harborpost.example/pier", "Harbor Post", "Pier closed", march(2), "The north pier is closed for repairs.")
		noID := &article.Article{Title: "No id", Paragraphs: []string{"An article that was never finalized."}}
		for name, bad := range map[string]store.Entry{"no article": {}, "no id": {Article: noID}} {
			res, err := s.Put(ctx, []store.Entry{{Article: good, Raw: []byte("pier raw")}, bad})
			if !errors.Is(err, store.ErrNoArticle) {
				t.Errorf("%s: Put = %v, %v; want ErrNoArticle", name, res, err)
			}
			if _, err := s.Get(ctx, good.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: the good entry of a failed batch: %v, want ErrNotFound", name, err)
			}
			if _, err := s.Raw(ctx, sha256Hex([]byte("pier raw"))); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: the raw input of a failed batch: %v, want ErrNotFound", name, err)
			}
		}
		if st := stats(t, s); st.Articles != 0 || st.Versions != 0 || st.RawInputs != 0 {
			t.Errorf("stats after failed batches: %+v", st)
		}
		if hits, err := s.Search(ctx, store.Query{Text: "pier"}); err != nil || len(hits) != 0 {
			t.Errorf("a failed batch's article is searchable: %v, %v", hits, err)
		}
	})

	// Re-storing the same content without annotations keeps the dup group
	// and story and stores nothing: annotations are not content.
	t.Run("annotations survive a re-put", func(t *testing.T) {
		s := open(t)
		ctx := context.Background()
		a := mkArticle("https://lantern.example/tide", "Daily Lantern", "Spring tide", march(3), "The spring tide reached the quay steps.")
		mustPut(t, s, store.Entry{Article: a})
		if err := s.SetDupGroup(ctx, a.ID, "grp-1"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStory(ctx, a.ID, "story-9"); err != nil {
			t.Fatal(err)
		}
		again := *a
		again.DupGroup, again.Story = "", ""
		if res := mustPut(t, s, store.Entry{Article: &again}); res[0] != store.Unchanged {
			t.Errorf("re-put: %v, want unchanged", res[0])
		}
		got, err := s.Get(ctx, a.ID)
		if err != nil || got.DupGroup != "grp-1" || got.Story != "story-9" {
			t.Errorf("annotations after a re-put: %+v, %v", got, err)
		}
		if vs, err := s.Versions(ctx, a.ID); err != nil || len(vs) != 1 {
			t.Errorf("%d versions, %v; want 1", len(vs), err)
		}
	})
}

func runGet(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("round trip", func(t *testing.T) {
		ctx := context.Background()
		s := open(t)
		a := mkArticle("https://lantern.example/2031/03/quay", "Daily Lantern", "Quay repairs begin", march(4),
			"Crews began repairs on the old quay.", "“We expect to finish by summer,” said Mara Olsen.")
		a.Authors = []string{"Ivo Brandt"}
		a.Removed = []article.Removed{{Text: "Subscribe now", Reason: article.ReasonCTA, Index: 2, Offset: 80}}
		a.Entities = []article.Entity{{Text: "Mara Olsen", Type: "person", Count: 1}}
		a.Fetched = march(4).Add(time.Hour)
		a.DupGroup = "g1"
		a.Story = "s1"
		mustPut(t, s, store.Entry{Article: a, Raw: []byte("<p>Crews began repairs on the old quay.</p>")})
		for _, ref := range []string{a.ID, a.ID[:8], a.ID[:6]} {
			got, err := s.Get(ctx, ref)
			if err != nil {
				t.Fatalf("Get(%q): %v", ref, err)
			}
			if fmt.Sprintf("%+v", *got) != fmt.Sprintf("%+v", *a) {
				t.Errorf("Get(%q) =\n%+v\nwant\n%+v", ref, *got, *a)
			}
		}
		for _, ref := range []string{"u0000000000", "abc", "u" + strings.Repeat("0", len(a.ID)-1)} {
			if _, err := s.Get(ctx, ref); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Get(%q): %v, want ErrNotFound", ref, err)
			}
		}
	})

	t.Run("prefixes", func(t *testing.T) {
		ctx := context.Background()
		s := open(t)
		var es []store.Entry
		var ids []string
		for i := range 300 {
			a := mkArticle(fmt.Sprintf("https://many.example/%d", i), "Many", "t", march(1), "x")
			es = append(es, store.Entry{Article: a})
			ids = append(ids, a.ID)
		}
		mustPut(t, s, es...)
		slices.Sort(ids)
		// Every id starts with "u": a one-letter prefix names no single
		// article, and the error lists the first matches in order.
		var pe *store.PrefixError
		_, err := s.Get(ctx, "u")
		if !errors.As(err, &pe) || !errors.Is(err, store.ErrAmbiguous) {
			t.Fatalf("Get(\"u\") = %v, want a *PrefixError matching ErrAmbiguous", err)
		}
		if pe.Prefix != "u" || pe.Matches != 300 || pe.MinLen < 1 || pe.MinLen > 6 || pe.TooShort != (pe.MinLen > 1) ||
			len(pe.Candidates) == 0 || !slices.Equal(pe.Candidates, ids[:min(len(pe.Candidates), len(ids))]) {
			t.Errorf("Get(\"u\"): %+v", pe)
		}
		id := es[7].Article.ID
		if got, err := s.Get(ctx, id); err != nil || got.ID != id {
			t.Errorf("whole id: %v", err)
		}
		if got, err := s.Get(ctx, id[:12]); err != nil || got.ID != id {
			t.Errorf("prefix of an id: %v", err)
		}
		if _, err := s.Get(ctx, "u"+strings.Repeat("0", len(id)-1)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing whole id: %v", err)
		}
	})

	// Two ids sharing their first 6 characters: a 6-character prefix is
	// long enough but ambiguous.
	t.Run("ambiguous prefix", func(t *testing.T) {
		ctx := context.Background()
		s := open(t)
		a, b := prefixTwins()
		mustPut(t, s, store.Entry{Article: a}, store.Entry{Article: b})
		var pe *store.PrefixError
		_, err := s.Get(ctx, a.ID[:6])
		want := []string{a.ID, b.ID}
		slices.Sort(want)
		if !errors.As(err, &pe) || !errors.Is(err, store.ErrAmbiguous) || pe.TooShort || pe.Matches != 2 || !slices.Equal(pe.Candidates, want) {
			t.Errorf("Get(%q) = %v (%+v), want an ambiguous *PrefixError with both ids", a.ID[:6], err, pe)
		}
		for _, x := range []*article.Article{a, b} {
			n := 7
			for x.ID[:n] == a.ID[:n] && x.ID[:n] == b.ID[:n] {
				n++
			}
			if got, err := s.Get(ctx, x.ID[:n]); err != nil || got.ID != x.ID {
				t.Errorf("Get(%q) = %v, want %s", x.ID[:n], err, x.ID)
			}
		}
	})
}

// prefixTwins returns two articles whose ids share their first 6
// characters, found by trying URLs in a fixed order.
func prefixTwins() (*article.Article, *article.Article) {
	seen := map[string]string{}
	for i := 0; ; i++ {
		url := fmt.Sprintf("https://twins.example/%d", i)
		id := article.ComputeID(&article.Article{URL: url})
		if other, ok := seen[id[:6]]; ok {
			return mkArticle(other, "Twins", "First twin", march(1), "The first of two."),
				mkArticle(url, "Twins", "Second twin", march(2), "The second of two.")
		}
		seen[id[:6]] = url
	}
}

func checkVersions(t *testing.T, s store.Store) {
	ctx := context.Background()
	texts := []string{"First report of the flood.", "Updated: the river peaked at dawn.", "Final: waters receded overnight."}
	var id string
	for i, text := range texts {
		a := mkArticle("https://river.example/flood", "River Gazette", "Flood", march(3), text)
		a.Fetched = march(3 + i)
		id = a.ID
		before := time.Now()
		mustPut(t, s, store.Entry{Article: a, Raw: []byte(text)})
		vs, err := s.Versions(ctx, id)
		if err != nil || len(vs) != i+1 {
			t.Fatalf("after put %d: %d versions, %v", i+1, len(vs), err)
		}
		if v := vs[i]; v.Stored.Before(before.Add(-time.Minute)) || v.Stored.After(time.Now().Add(time.Minute)) {
			t.Errorf("version %d stored at %v, put at %v", i+1, v.Stored, before)
		}
	}
	vs, err := s.Versions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 3 {
		t.Fatalf("%d versions, want 3", len(vs))
	}
	hashes := map[string]bool{}
	for i, v := range vs {
		if v.Version != i+1 || !v.Fetched.Equal(march(3+i)) || v.RawSHA256 != sha256Hex([]byte(texts[i])) || len(v.ContentHash) != 64 {
			t.Errorf("version %d = %+v", i+1, v)
		}
		hashes[v.ContentHash] = true
		old, err := s.GetVersion(ctx, id, v.Version)
		if err != nil {
			t.Fatal(err)
		}
		if old.Text != texts[i] {
			t.Errorf("version %d text %q, want %q", v.Version, old.Text, texts[i])
		}
	}
	if len(hashes) != 3 {
		t.Errorf("three contents have %d content hashes", len(hashes))
	}
	cur, err := s.Get(ctx, id)
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
	for _, v := range []int{0, 4} {
		if _, err := s.GetVersion(ctx, cur.ID, v); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing version %d: %v", v, err)
		}
	}
	if _, err := s.Versions(ctx, "u"+strings.Repeat("0", len(id)-1)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("versions of a missing article: %v", err)
	}
}

// checkRaw: raw inputs are addressed by their sha256, stored once however
// many articles share one, and stored compressed.
func checkRaw(t *testing.T, s store.Store) {
	ctx := context.Background()
	raw := []byte(strings.Repeat("<p>Crews began repairs on the old quay.</p>\n", 50))
	a := mkArticle("https://lantern.example/quay", "Daily Lantern", "Quay repairs", march(4), "Crews began repairs on the old quay.")
	b := mkArticle("https://lantern.example/quay-2", "Daily Lantern", "Quay repairs, day two", march(5), "Crews went on with the repairs.")
	mustPut(t, s, store.Entry{Article: a, Raw: raw, ContentType: "text/html; charset=utf-8"}, store.Entry{Article: b, Raw: raw})
	back, err := s.Raw(ctx, sha256Hex(raw))
	if err != nil || string(back) != string(raw) {
		t.Fatalf("raw round trip: %d bytes, %v", len(back), err)
	}
	st := stats(t, s)
	if st.RawInputs != 1 || st.RawBytes != int64(len(raw)) || st.RawStored <= 0 || st.RawStored >= int64(len(raw))/4 {
		t.Errorf("one repetitive raw input of %d bytes: stats %d inputs, %d bytes, %d stored", len(raw), st.RawInputs, st.RawBytes, st.RawStored)
	}
	err = s.Each(ctx, store.Filter{}, func(x *article.Article, o store.Origin) error {
		want := store.Origin{RawSHA256: sha256Hex(raw)}
		if x.ID == a.ID {
			want.ContentType = "text/html; charset=utf-8"
		}
		if o != want {
			t.Errorf("%s: origin %+v, want %+v", x.Title, o, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Raw(ctx, strings.Repeat("0", 64)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing raw: %v", err)
	}
}

// eachFixture is searchFixture with an undated article.
func eachFixture(t *testing.T, s store.Store) {
	searchFixture(t, s)
	undated := mkArticle("", "Harbor Post", "Tide table", time.Time{}, "High tide at noon.")
	mustPut(t, s, store.Entry{Article: undated, Raw: []byte("High tide at noon.")})
}

func runEach(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	t.Run("filters", func(t *testing.T) {
		s := open(t)
		eachFixture(t, s)
		tests := []struct {
			f    store.Filter
			want []string
		}{
			{store.Filter{}, []string{"Council election results announced", "Record turnout in council vote", "Ferry service resumes", "Bakery wins prize", "Élections municipales", "Tide table"}},
			{store.Filter{Source: "Harbor Post"}, []string{"Record turnout in council vote", "Ferry service resumes", "Tide table"}},
			{store.Filter{Source: "HARBOR post"}, []string{"Record turnout in council vote", "Ferry service resumes", "Tide table"}},
			{store.Filter{Source: "lagazette.example"}, []string{"Élections municipales"}},
			{store.Filter{Since: march(3), Until: march(5)}, []string{"Ferry service resumes", "Bakery wins prize"}},
			{store.Filter{Lang: "fr"}, []string{"Élections municipales"}},
			{store.Filter{Limit: 2}, []string{"Council election results announced", "Record turnout in council vote"}},
		}
		for _, tt := range tests {
			var got []string
			err := s.Each(ctx, tt.f, func(a *article.Article, o store.Origin) error {
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
	})

	t.Run("stops on an error", func(t *testing.T) {
		s := open(t)
		eachFixture(t, s)
		stop := errors.New("stop")
		n := 0
		if err := s.Each(ctx, store.Filter{}, func(*article.Article, store.Origin) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
			t.Errorf("stopping walk: %v after %d", err, n)
		}
	})

	// Publication order, undated last, then by id: articles published at
	// the same time, and undated ones, come in id order whatever the
	// order they were stored in.
	t.Run("order", func(t *testing.T) {
		s := open(t)
		var arts []*article.Article
		for i := range 8 {
			var pub time.Time
			switch {
			case i < 3:
				pub = march(9)
			case i < 5:
				pub = march(8)
			}
			arts = append(arts, mkArticle(fmt.Sprintf("https://almanac.example/%d", i), "Almanac", fmt.Sprintf("Entry %d", i), pub, "An almanac entry."))
		}
		var es []store.Entry
		for _, i := range []int{7, 0, 5, 3, 1, 6, 2, 4} {
			es = append(es, store.Entry{Article: arts[i]})
		}
		mustPut(t, s, es...)
		want := slices.Clone(arts)
		slices.SortFunc(want, func(a, b *article.Article) int {
			if a.Published.IsZero() != b.Published.IsZero() {
				if a.Published.IsZero() {
					return 1
				}
				return -1
			}
			if c := a.Published.Compare(b.Published); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		wantIDs := make([]string, len(want))
		for i, a := range want {
			wantIDs[i] = a.ID
		}
		if slices.IsSorted(wantIDs) {
			t.Fatal("the fixture's publication order is its id order: it cannot tell them apart")
		}
		var got []string
		if err := s.Each(ctx, store.Filter{}, func(a *article.Article, _ store.Origin) error { got = append(got, a.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, wantIDs) {
			t.Errorf("Each order:\n got %v\nwant %v", got, wantIDs)
		}
	})
}

// fixtureIDs maps "source/title" to the id of each stored article.
func fixtureIDs(t *testing.T, s store.Store) map[string]string {
	t.Helper()
	ids := map[string]string{}
	if err := s.Each(context.Background(), store.Filter{}, func(a *article.Article, _ store.Origin) error {
		ids[a.Source.Name+"/"+a.Title] = a.ID
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func checkBands(t *testing.T, s store.Store) {
	ctx := context.Background()
	searchFixture(t, s)
	ids := fixtureIDs(t, s)
	a, b, c := ids["Daily Lantern/Council election results announced"], ids["Harbor Post/Record turnout in council vote"], ids["Harbor Post/Ferry service resumes"]
	must(t, s.PutBands(ctx, a, []uint64{1, 2, 1 << 63}))
	must(t, s.PutBands(ctx, b, []uint64{2, 3}))
	must(t, s.PutBands(ctx, c, []uint64{4}))
	must(t, s.PutBands(ctx, c, []uint64{5, 5})) // replaces, tolerates repeats
	for _, tt := range []struct {
		bands []uint64
		want  []string
	}{
		{[]uint64{2}, []string{a, b}},
		{[]uint64{1 << 63, 9}, []string{a}},
		{[]uint64{4}, nil},
		{[]uint64{5, 3}, []string{b, c}},
		{[]uint64{5, 5, 2}, []string{a, b, c}}, // distinct ids
		{nil, nil},
	} {
		got, err := s.BandCandidates(ctx, tt.bands)
		must(t, err)
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("BandCandidates(%v) = %v, want %v", tt.bands, got, want)
		}
	}
}

func checkDupGroups(t *testing.T, s store.Store) {
	ctx := context.Background()
	searchFixture(t, s)
	ids := fixtureIDs(t, s)
	a, b, c := ids["Daily Lantern/Council election results announced"], ids["Harbor Post/Record turnout in council vote"], ids["Harbor Post/Ferry service resumes"]
	if groups, err := s.DupGroups(ctx); err != nil || len(groups) != 0 {
		t.Errorf("DupGroups of a store without groups = %+v, %v", groups, err)
	}
	must(t, s.SetDupGroup(ctx, a, "grp-1"))
	must(t, s.SetDupGroup(ctx, b, "grp-1"))
	must(t, s.SetDupGroup(ctx, c, "grp-2")) // a group of one is not listed
	if err := s.SetDupGroup(ctx, "u-missing", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetDupGroup on a missing id: %v", err)
	}
	if err := s.SetStory(ctx, "u-missing", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetStory on a missing id: %v", err)
	}
	groups, err := s.DupGroups(ctx)
	must(t, err)
	wantMembers := []string{a, b}
	slices.Sort(wantMembers)
	if len(groups) != 1 || groups[0].ID != "grp-1" || !slices.Equal(groups[0].Members, wantMembers) {
		t.Errorf("DupGroups = %+v", groups)
	}
	must(t, s.SetStory(ctx, a, "story-9"))
	got, err := s.Get(ctx, a)
	must(t, err)
	if got.DupGroup != "grp-1" || got.Story != "story-9" {
		t.Errorf("annotations not applied: %q %q", got.DupGroup, got.Story)
	}
	// "" clears.
	must(t, s.SetDupGroup(ctx, b, ""))
	must(t, s.SetStory(ctx, a, ""))
	if groups, err := s.DupGroups(ctx); err != nil || len(groups) != 0 {
		t.Errorf("DupGroups after a member left = %+v, %v", groups, err)
	}
	if got, err := s.Get(ctx, b); err != nil || got.DupGroup != "" {
		t.Errorf("cleared dup group: %+v, %v", got, err)
	}
	if got, err := s.Get(ctx, a); err != nil || got.Story != "" || got.DupGroup != "grp-1" {
		t.Errorf("cleared story: %+v, %v", got, err)
	}
}

func checkStories(t *testing.T, s store.Store) {
	ctx := context.Background()
	if all, err := s.Stories(ctx, time.Time{}); err != nil || len(all) != 0 {
		t.Errorf("Stories of an empty store = %+v, %v", all, err)
	}
	st1 := store.StoryState{ID: "story-9", Headline: "Council election", First: march(1), Last: march(2), Count: 2, Outlets: []string{"Daily Lantern", "Harbor Post"}, State: []byte{1, 2, 3}}
	st2 := store.StoryState{ID: "story-10", Headline: "Ferry", First: march(3), Last: march(3), Count: 1}
	must(t, s.PutStories(ctx, []store.StoryState{st1, st2}))
	st1.Count, st1.Last = 3, march(6)
	must(t, s.PutStories(ctx, []store.StoryState{st1})) // replaces
	all, err := s.Stories(ctx, time.Time{})
	must(t, err)
	if len(all) != 2 || all[0].ID != "story-9" || all[0].Headline != st1.Headline || all[0].Count != 3 || !all[0].First.Equal(march(1)) ||
		!all[0].Last.Equal(march(6)) || !slices.Equal(all[0].Outlets, st1.Outlets) || string(all[0].State) != string(st1.State) ||
		all[1].ID != "story-10" || all[1].Count != 1 || len(all[1].Outlets) != 0 || len(all[1].State) != 0 {
		t.Errorf("Stories = %+v", all)
	}
	// Last seen at or after since: the bound is inclusive.
	for since, want := range map[time.Time][]string{march(4): {"story-9"}, march(3): {"story-9", "story-10"}, march(7): nil} {
		got, err := s.Stories(ctx, since)
		must(t, err)
		var ids []string
		for _, st := range got {
			ids = append(ids, st.ID)
		}
		if !slices.Equal(ids, want) {
			t.Errorf("Stories(%v) = %v, want %v", since, ids, want)
		}
	}
}

func checkState(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.State(ctx, "stories/stats"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing state: err = %v, want ErrNotFound", err)
	}
	for _, v := range []string{"first", "second"} {
		must(t, s.PutState(ctx, "stories/stats", []byte(v)))
		got, err := s.State(ctx, "stories/stats")
		if err != nil || string(got) != v {
			t.Fatalf("State = %q, %v; want %q", got, err, v)
		}
	}
	must(t, s.PutState(ctx, "other", []byte{0, 0xff, 1}))
	if got, err := s.State(ctx, "other"); err != nil || string(got) != "\x00\xff\x01" {
		t.Errorf("binary state = %q, %v", got, err)
	}
	if got, err := s.State(ctx, "stories/stats"); err != nil || string(got) != "second" {
		t.Errorf("a second name replaced the first: %q, %v", got, err)
	}
}

func checkStats(t *testing.T, s store.Store) {
	ctx := context.Background()
	if st := stats(t, s); st.Articles != 0 || st.Versions != 0 || st.RawInputs != 0 || !st.Oldest.IsZero() || len(st.Sources) != 0 {
		t.Errorf("Stats of an empty store = %+v", st)
	}
	arts := searchFixture(t, s)
	ids := fixtureIDs(t, s)
	a, b, c := ids["Daily Lantern/Council election results announced"], ids["Harbor Post/Record turnout in council vote"], ids["Harbor Post/Ferry service resumes"]
	must(t, s.SetDupGroup(ctx, a, "grp-1"))
	must(t, s.SetDupGroup(ctx, b, "grp-1"))
	must(t, s.SetDupGroup(ctx, c, "grp-2"))
	must(t, s.PutStories(ctx, []store.StoryState{{ID: "story-9", Count: 2}, {ID: "story-10", Count: 1}}))
	words := 0
	for _, x := range arts {
		words += x.WordCount
	}
	st := stats(t, s)
	if st.Articles != 5 || st.Versions != 5 || st.DupGroups != 1 || st.Duplicates != 1 || st.Stories != 2 ||
		len(st.Sources) != 3 || st.Sources[0] != (store.Count{Value: "Daily Lantern", Count: 2}) && st.Sources[0] != (store.Count{Value: "Harbor Post", Count: 2}) ||
		st.Sources[2] != (store.Count{Value: "La Gazette", Count: 1}) ||
		!slices.Equal(st.Languages, []store.Count{{Value: "en", Count: 4}, {Value: "fr", Count: 1}}) ||
		!st.Oldest.Equal(march(1)) || !st.Newest.Equal(march(5)) || st.Words != int64(words) || words == 0 {
		t.Errorf("Stats = %+v", st)
	}
}

// checkPutBatchInOrder: relabels and story merges apply in order, so a
// chain reaches its end, and Put is PutBatch with entries alone.
func checkPutBatchInOrder(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := mkArticle("https://harborpost.example/gale-1", "Harbor Post", "Gale warning", march(2), "A gale warning is out for the coast.")
	b := mkArticle("https://dailylantern.example/gale-2", "Daily Lantern", "Gale on the coast", march(2), "The coast expects a gale tonight.")
	c := mkArticle("https://rivergazette.example/gale-3", "River Gazette", "Gale warning issued", march(2), "A gale warning was issued for the coast.")
	a.DupGroup, b.DupGroup = "g-a", "g-b"
	a.Story, b.Story = "s-a", "s-b"
	res, err := s.PutBatch(ctx, store.Batch{Entries: []store.Entry{{Article: a}, {Article: b}},
		Stories: []store.StoryState{{ID: "s-a", Count: 1}, {ID: "s-b", Count: 1}}})
	if err != nil || !slices.Equal(res, []store.Result{store.Ingested, store.Ingested}) {
		t.Fatalf("PutBatch = %v, %v", res, err)
	}
	c.DupGroup, c.Story = "g-c", "s-c"
	if _, err := s.PutBatch(ctx, store.Batch{
		Entries:     []store.Entry{{Article: c}},
		Relabels:    []store.Relabel{{From: "g-a", To: "g-b"}, {From: "g-b", To: "g-c"}},
		Stories:     []store.StoryState{{ID: "s-c", Headline: "Gale", Count: 3}},
		StoryMerges: []store.Relabel{{From: "s-a", To: "s-b"}, {From: "s-b", To: "s-c"}},
	}); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*article.Article{a, b, c} {
		got, err := s.Get(ctx, x.ID)
		if err != nil || got.DupGroup != "g-c" || got.Story != "s-c" {
			t.Errorf("%s after chained relabels and merges: %+v, %v; want g-c and s-c", x.Title, got, err)
		}
	}
	if all, err := s.Stories(ctx, time.Time{}); err != nil || len(all) != 1 || all[0].ID != "s-c" || all[0].Count != 3 {
		t.Errorf("stories after chained merges = %+v, %v; want s-c alone", all, err)
	}
	groups, err := s.DupGroups(ctx)
	if err != nil || len(groups) != 1 || groups[0].ID != "g-c" || len(groups[0].Members) != 3 {
		t.Errorf("DupGroups = %+v, %v", groups, err)
	}
	if res, err := s.PutBatch(ctx, store.Batch{}); err != nil || len(res) != 0 {
		t.Errorf("an empty batch: %v, %v", res, err)
	}
	// Put(entries) is PutBatch(Batch{Entries: entries}).
	c2 := *c
	c2.Paragraphs = []string{"A gale warning was issued for the whole coast."}
	c2.Finalize()
	if res, err := s.Put(ctx, []store.Entry{{Article: &c2}, {Article: a}}); err != nil || !slices.Equal(res, []store.Result{store.Updated, store.Unchanged}) {
		t.Errorf("Put = %v, %v; want updated, unchanged", res, err)
	}
}

// checkSound: Check of a store written only through the interface finds
// nothing wrong and counts what it read.
func checkSound(t *testing.T, s store.Store) {
	ctx := context.Background()
	if rep := requireSound(t, s); rep.Articles != 0 || rep.Versions != 0 || rep.RawInputs != 0 {
		t.Errorf("Check of an empty store: %+v", rep)
	}
	a := mkArticle("https://port-alder-gazette.example/ferry", "Port Alder Gazette", "Ferry", march(1), "The morning ferry leaves at seven.")
	b := mkArticle("https://kelmsford-courier.example/library", "Kelmsford Courier", "Library", march(2), "The library opens late.")
	b.Story = "s-library"
	mustPut(t, s, store.Entry{Article: a, Raw: []byte("<p>The morning ferry leaves at seven.</p>")}, store.Entry{Article: b, Raw: []byte("The library opens late.")})
	must(t, s.PutStories(ctx, []store.StoryState{{ID: "s-library", Headline: "Library", Count: 1}}))
	if rep := requireSound(t, s); rep.Articles != 2 || rep.Versions != 2 || rep.RawInputs != 2 {
		t.Errorf("Check counted %+v; want 2 articles, 2 versions, 2 raw inputs", rep)
	}
	a2 := *a
	a2.Paragraphs = []string{"The morning ferry leaves at half past seven."}
	a2.Finalize()
	mustPut(t, s, store.Entry{Article: &a2, Raw: []byte("<p>The morning ferry leaves at half past seven.</p>")})
	must(t, s.PutBands(ctx, a.ID, []uint64{1, 2}))
	must(t, s.SetDupGroup(ctx, a.ID, "g"))
	must(t, s.SetDupGroup(ctx, b.ID, "g"))
	must(t, s.PutState(ctx, "x", []byte("y")))
	if rep := requireSound(t, s); rep.Articles != 2 || rep.Versions != 3 || rep.RawInputs != 3 {
		t.Errorf("Check counted %+v; want 2 articles, 3 versions, 3 raw inputs", rep)
	}
}

// checkConcurrent: writers and readers at once. Every write succeeds,
// readers never fail and never see the store shrink, and at the end every
// article is there.
func checkConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	const writers, perWriter = 3, 15
	var wg sync.WaitGroup
	var done atomic.Bool
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				a := mkArticle(fmt.Sprintf("https://busy.example/%d/%d", w, i), Sources[w].Name, fmt.Sprintf("Quayside notice %d-%d", w, i),
					march(1+i), fmt.Sprintf("Quayside works notice %d from writer %d.", i, w))
				if _, err := s.Put(ctx, []store.Entry{{Article: a, Raw: []byte(a.Text)}}); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				if err := s.PutState(ctx, fmt.Sprintf("writer/%d", w), []byte{byte(i)}); err != nil {
					t.Errorf("writer %d: state: %v", w, err)
					return
				}
				// A committed write is visible at once.
				if got, err := s.Get(ctx, a.ID); err != nil || got.Title != a.Title {
					t.Errorf("writer %d: reading back %s: %v", w, a.ID, err)
				}
			}
		})
	}
	var readers sync.WaitGroup
	for r := range 2 {
		readers.Go(func() {
			last := 0
			for !done.Load() {
				st, err := s.Stats(ctx)
				if err != nil {
					t.Errorf("reader %d: stats: %v", r, err)
					return
				}
				if st.Articles < last {
					t.Errorf("reader %d: %d articles after %d", r, st.Articles, last)
				}
				last = st.Articles
				if _, err := s.Search(ctx, store.Query{Text: "quayside", AllCopies: true, Filter: store.Filter{Limit: 100}}); err != nil {
					t.Errorf("reader %d: search: %v", r, err)
					return
				}
				n := 0
				if err := s.Each(ctx, store.Filter{}, func(*article.Article, store.Origin) error { n++; return nil }); err != nil {
					t.Errorf("reader %d: each: %v", r, err)
					return
				}
				if n < st.Articles {
					t.Errorf("reader %d: Each walked %d articles after Stats counted %d", r, n, st.Articles)
				}
			}
		})
	}
	wg.Wait()
	done.Store(true)
	readers.Wait()
	if st := stats(t, s); st.Articles != writers*perWriter || st.Versions != writers*perWriter {
		t.Errorf("after the writers: %+v; want %d articles", st, writers*perWriter)
	}
	hits, err := s.Search(ctx, store.Query{Text: "quayside", AllCopies: true, Filter: store.Filter{Limit: 100}})
	if err != nil || len(hits) != writers*perWriter {
		t.Errorf("search after the writers: %d hits, %v", len(hits), err)
	}
	for w := range writers {
		if v, err := s.State(ctx, fmt.Sprintf("writer/%d", w)); err != nil || len(v) != 1 || v[0] != perWriter-1 {
			t.Errorf("writer %d's state = %v, %v", w, v, err)
		}
	}
	requireSound(t, s)
}
