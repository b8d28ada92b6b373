package sqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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
	if want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9}; !slices.Equal(got, want) {
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

// TestPutTableRows: a batch with one id three times and a shared raw input
// writes one row per article, version and input, and indexes each article
// once (storetest's Put results check the same through the interface).
func TestPutTableRows(t *testing.T) {
	s := openTest(t)
	v1 := mk("https://news.example/a/1", "Daily Lantern", "Bridge opens", day(1), "The new bridge opened on Monday.", "Traffic was light.")
	v1Again := *v1
	v2 := mk("https://news.example/a/1", "Daily Lantern", "Bridge opens", day(1), "The new bridge opened on Monday.", "Traffic was heavy by noon.")
	other := mk("", "Harbor Post", "Ferry delayed", day(2), "The morning ferry was delayed by fog.")
	res := put(t, s, store.Entry{Article: v1, Raw: []byte("raw one")}, store.Entry{Article: &v1Again, Raw: []byte("raw one")},
		store.Entry{Article: v2, Raw: []byte("raw two")}, store.Entry{Article: other, Raw: []byte("raw one")})
	if !slices.Equal(res, []store.Result{store.Ingested, store.Unchanged, store.Updated, store.Ingested}) {
		t.Fatalf("results %v", res)
	}
	for table, want := range map[string]int{"articles": 2, "article_versions": 3, "raw_inputs": 2, "articles_fts": 2, "fts_head": 2} {
		if n := count(t, s, table); n != want {
			t.Errorf("%s: %d rows, want %d", table, n, want)
		}
	}
}

// TestPrefixLimits: the SQLite store's own bounds on prefixes: minPrefix,
// maxCandidates listed, ids of idLen characters, and unique's ambiguity.
func TestPrefixLimits(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	var as []store.Entry
	for i := range 300 {
		as = append(as, store.Entry{Article: mk(fmt.Sprintf("https://many.example/%d", i), "Many", "t", day(1), "x")})
	}
	put(t, s, as...)
	var pe *store.PrefixError
	if _, err := s.Get(ctx, "u"); !errors.As(err, &pe) || !pe.TooShort || pe.MinLen != minPrefix || pe.Matches != 300 || len(pe.Candidates) != maxCandidates {
		t.Errorf("short prefix: %v", err)
	}
	_, _, err := s.unique(ctx, "u", `SELECT pk, id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 2`, "u", "u\x7f")
	if !errors.Is(err, store.ErrAmbiguous) {
		t.Errorf("ambiguous prefix: %v", err)
	}
	if id := as[7].Article.ID; len(id) != idLen {
		t.Fatalf("id %q has %d characters, idLen is %d", id, len(id), idLen)
	}
}

// TestRawCompressed: raw inputs are stored compressed in raw_inputs.
func TestRawCompressed(t *testing.T) {
	s := openTest(t)
	raw := bytes.Repeat([]byte("<p>Crews began repairs on the old quay.</p>\n"), 50)
	put(t, s, store.Entry{Article: mk("https://lantern.example/quay", "Daily Lantern", "Quay", day(4), "Crews began repairs."), Raw: raw})
	var stored int
	if err := s.r.QueryRow(`SELECT LENGTH(data) FROM raw_inputs`).Scan(&stored); err != nil || stored >= len(raw)/4 {
		t.Errorf("raw stored in %d bytes for %d: not compressed (%v)", stored, len(raw), err)
	}
}

// TestStatsFile: Stats gives the database's path and size on disk.
func TestStatsFile(t *testing.T) {
	s := openTest(t)
	put(t, s, store.Entry{Article: mk("https://lantern.example/quay", "Daily Lantern", "Quay", day(4), "Crews began repairs.")})
	st, err := s.Stats(context.Background())
	if err != nil || st.SizeBytes == 0 || st.Location != s.path || st.SchemaVer != schemaVersion() {
		t.Errorf("Stats = %+v, %v", st, err)
	}
}

// TestSearchSnippetJoinsMarks: adjacent matched words share one pair of
// marks.
func TestSearchSnippetJoinsMarks(t *testing.T) {
	s := openTest(t)
	put(t, s, store.Entry{Article: mk("https://lantern.example/bakery", "Daily Lantern", "Bakery wins prize", day(4),
		"A small bakery on Quay Street won the regional bread prize.", "Its rye loaf impressed the judges.")})
	hits, err := s.Search(context.Background(), store.Query{Text: "rye loaf", MarkStart: "<b>", MarkEnd: "</b>"})
	if err != nil || len(hits) != 1 || !strings.Contains(hits[0].Snippet, "<b>rye loaf</b>") {
		t.Errorf("snippet: %+v, %v", hits, err)
	}
}

// Read connections map the file (see readerPragmas); SQLite clamps a size
// beyond what it was built to map, which would show here.
func TestReadersMapTheFile(t *testing.T) {
	s := openTest(t)
	var size int64
	if err := s.r.QueryRowContext(context.Background(), `PRAGMA mmap_size`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	if want, _ := strconv.ParseInt(mmapSize, 10, 64); size != want {
		t.Errorf("mmap_size = %d, want %d", size, want)
	}
}
