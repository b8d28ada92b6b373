package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/dedup"
	"github.com/newsdesk/newsdesk/internal/migrate"
	"github.com/newsdesk/newsdesk/internal/pgtest"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// migrateCorpus writes n fictional articles into dir: HTML pages with a
// canonical URL and a publication date (some sharing one), and every
// fourth a plain-text file without a date. It returns the generator's
// paragraphs of article 0, for copies of it.
func migrateCorpus(t *testing.T, dir string, n int) []string {
	t.Helper()
	g := storetest.New(7)
	var first []string
	for i := range n {
		title, body := g.Title(), g.Body(1500)
		if i == 0 {
			first = body
		}
		var data, name string
		if i%4 == 3 {
			name = fmt.Sprintf("%04d.txt", i)
			data = title + "\n\n" + strings.Join(body, "\n\n") + "\n"
		} else {
			name = fmt.Sprintf("%04d.html", i)
			pub := time.Date(2031, 5, 1+i%20, 8, 0, 0, 0, time.UTC) // the same date for several
			data = htmlPage(title, fmt.Sprintf("https://harborpost.example/news/%d", i), pub, body)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return first
}

func htmlPage(title, url string, published time.Time, paras []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<html><head><title>%s</title><link rel="canonical" href="%s">`, html.EscapeString(title), url)
	fmt.Fprintf(&b, `<meta property="article:published_time" content="%s"><meta property="og:site_name" content="Harbor Post"></head>`, published.Format(time.RFC3339))
	fmt.Fprintf(&b, "<body><article><h1>%s</h1>\n", html.EscapeString(title))
	for _, p := range paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
	}
	b.WriteString("</article></body></html>\n")
	return b.String()
}

// syndicated returns a copy of an article as another outlet runs it: its
// own headline and URL, an extra closing line.
func syndicated(outlet string, n int, paras []string) string {
	body := append(slices.Clone(paras), fmt.Sprintf("This story first appeared in the Harbor Post and is republished by the %s.", outlet))
	return htmlPage("Harbour news as carried by the "+outlet, fmt.Sprintf("https://%s.example/wire/%d", strings.ToLower(strings.ReplaceAll(outlet, " ", "")), n),
		time.Date(2031, 5, 2, 9, 0, 0, 0, time.UTC), body)
}

// buildMigrateSource ingests a corpus into the database db: n articles,
// a syndicated copy of the first, one article in three versions, and a
// followed feed. It returns the first article's paragraphs.
func buildMigrateSource(t *testing.T, db string, n int) []string {
	t.Helper()
	dir := t.TempDir()
	first := migrateCorpus(t, dir, n)
	writeFile(t, dir, "copy-bay.html", syndicated("Bay Courier", 1, first))
	if _, errOut, code := nd(t, db, "", "ingest", "--quiet", "-j", "2", dir); code != ExitOK {
		t.Fatalf("ingest: exit %d: %s", code, errOut)
	}
	vdir := t.TempDir()
	g := storetest.New(99)
	paras := g.Body(1200)
	for v := range 3 {
		paras = append(paras, fmt.Sprintf("Update %d: the harbour master confirmed the figures.", v+1))
		writeFile(t, vdir, "quay.html", htmlPage("Quay lights to be replaced", "https://harborpost.example/news/quay-lights",
			time.Date(2031, 5, 3, 8, 0, 0, 0, time.UTC), paras))
		if _, errOut, code := nd(t, db, "", "ingest", "--quiet", vdir); code != ExitOK {
			t.Fatalf("ingest version %d: exit %d: %s", v+1, code, errOut)
		}
	}
	if _, errOut, code := nd(t, db, "", "feeds", "add", "--every", "30m", "https://harborpost.example/feed.xml"); code != ExitOK {
		t.Fatalf("feeds add: exit %d: %s", code, errOut)
	}
	return first
}

func openStoreT(t *testing.T, dsn string) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// sameAnnotated compares two current records, annotations included.
func sameAnnotated(a, b *article.Article) bool {
	return migrate.SameRecord(a, b) && a.DupGroup == b.DupGroup && a.Story == b.Story
}

// compareStores checks that dst holds everything of src: each article's
// current record, versions, raw inputs and band keys, the dup groups,
// stories, state blobs and feeds, and that searches find the same ids.
func compareStores(t *testing.T, srcDSN, dstDSN string) {
	t.Helper()
	ctx := context.Background()
	src, dst := openStoreT(t, srcDSN), openStoreT(t, dstDSN)
	det := dedup.NewDetector(nil, dedup.Config{}) // sketches as the copy detector does
	n, multi := 0, 0
	err := src.Each(ctx, store.Filter{}, func(a *article.Article, o store.Origin) error {
		n++
		b, err := dst.Get(ctx, a.ID)
		if err != nil {
			return fmt.Errorf("target: %w", err)
		}
		if !sameAnnotated(a, b) {
			return fmt.Errorf("%s: current records differ:\n%+v\n%+v", a.ID, a, b)
		}
		sv, err := src.Versions(ctx, a.ID)
		if err != nil {
			return err
		}
		dv, err := dst.Versions(ctx, a.ID)
		if err != nil {
			return err
		}
		if len(sv) != len(dv) {
			return fmt.Errorf("%s: %d versions in the source, %d in the target", a.ID, len(sv), len(dv))
		}
		if len(sv) > 1 {
			multi++
		}
		for i := range sv {
			if sv[i].ContentHash != dv[i].ContentHash || sv[i].RawSHA256 != dv[i].RawSHA256 || !sv[i].Fetched.Equal(dv[i].Fetched) {
				return fmt.Errorf("%s: version %d: source %+v, target %+v", a.ID, i+1, sv[i], dv[i])
			}
			x, err := src.GetVersion(ctx, a.ID, sv[i].Version)
			if err != nil {
				return err
			}
			y, err := dst.GetVersion(ctx, a.ID, dv[i].Version)
			if err != nil {
				return err
			}
			if !sameAnnotated(x, y) {
				return fmt.Errorf("%s: version %d differs", a.ID, i+1)
			}
			if sv[i].RawSHA256 != "" {
				r1, err := src.Raw(ctx, sv[i].RawSHA256)
				if err != nil {
					return err
				}
				r2, err := dst.Raw(ctx, sv[i].RawSHA256)
				if err != nil {
					return fmt.Errorf("%s: raw input of version %d: %w", a.ID, i+1, err)
				}
				if string(r1) != string(r2) {
					return fmt.Errorf("%s: raw inputs of version %d differ", a.ID, i+1)
				}
			}
		}
		// The band keys are stored: the article is a candidate for them.
		if s := det.SketchArticle(a); len(s.Fingerprint) > 0 {
			ids, err := dst.BandCandidates(ctx, s.Signature.Bands())
			if err != nil {
				return err
			}
			if !slices.Contains(ids, a.ID) {
				return fmt.Errorf("%s: not a band candidate of its own text in the target", a.ID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if multi == 0 {
		t.Error("no article of the source has several versions")
	}
	s1, _ := src.Stats(ctx)
	s2, _ := dst.Stats(ctx)
	if d := migrate.Compare(s1, s2); len(d) > 0 || s1.Articles != n {
		t.Errorf("stats differ: %v (walked %d)", d, n)
	}

	g1, _ := src.DupGroups(ctx)
	g2, _ := dst.DupGroups(ctx)
	if fmt.Sprint(g1) != fmt.Sprint(g2) || len(g1) == 0 {
		t.Errorf("dup groups: source %v, target %v", g1, g2)
	}
	st1, _ := src.Stories(ctx, time.Time{})
	st2, _ := dst.Stories(ctx, time.Time{})
	if len(st1) != len(st2) || len(st1) == 0 {
		t.Fatalf("stories: %d in the source, %d in the target", len(st1), len(st2))
	}
	byID := map[string]store.StoryState{}
	for _, s := range st2 {
		byID[s.ID] = s
	}
	for _, s := range st1 {
		d, ok := byID[s.ID]
		if !ok || d.Headline != s.Headline || !d.First.Equal(s.First) || !d.Last.Equal(s.Last) || d.Count != s.Count ||
			!slices.Equal(d.Outlets, s.Outlets) || string(d.State) != string(s.State) {
			t.Errorf("story %s: source %+v, target %+v", s.ID, s, d)
		}
	}
	for _, name := range migrate.StateNames {
		v1, err1 := src.State(ctx, name)
		v2, err2 := dst.State(ctx, name)
		if err1 != nil || err2 != nil || string(v1) != string(v2) {
			t.Errorf("state %s: source %v, target %v", name, err1, err2)
		}
	}
	r1, _ := store.AsNewsroom(src)
	r2, _ := store.AsNewsroom(dst)
	f1, _ := r1.Feeds(ctx)
	f2, _ := r2.Feeds(ctx)
	if len(f1) != 1 || len(f2) != len(f1) || feedText(f1[0]) != feedText(f2[0]) {
		t.Errorf("feeds: source %+v, target %+v", f1, f2)
	}

	for _, q := range []string{"harbour", "quay lights", "the OR and", storetest.New(7).Query()} {
		h1, err1 := src.Search(ctx, store.Query{Text: q, Filter: store.Filter{Limit: 10000}, AllCopies: true, RankAll: true})
		h2, err2 := dst.Search(ctx, store.Query{Text: q, Filter: store.Filter{Limit: 10000}, AllCopies: true, RankAll: true})
		if err1 != nil || err2 != nil {
			t.Fatalf("search %q: %v, %v", q, err1, err2)
		}
		if a, b := hitIDs(h1), hitIDs(h2); !slices.Equal(a, b) {
			t.Errorf("search %q: source finds %d, target %d", q, len(a), len(b))
		}
	}
}

func feedText(f store.Feed) string {
	f.Added, f.LastPoll, f.NextPoll = f.Added.UTC(), f.LastPoll.UTC(), f.NextPoll.UTC()
	return fmt.Sprintf("%+v", f)
}

func hitIDs(hits []store.Hit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	slices.Sort(ids)
	return ids
}

// checkCopyJoins ingests another syndicated copy of the first article into
// db and checks that it joins the original's dup group.
func checkCopyJoins(t *testing.T, db string, first []string) {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "copy-gull.html", syndicated("Gull Gazette", 2, first))
	if _, errOut, code := nd(t, db, "", "ingest", "--quiet", dir); code != ExitOK {
		t.Fatalf("ingest into the target: exit %d: %s", code, errOut)
	}
	st := openStoreT(t, db)
	ctx := context.Background()
	orig, err := st.Get(ctx, article.ComputeID(&article.Article{URL: "https://harborpost.example/news/0"}))
	if err != nil {
		t.Fatal(err)
	}
	cp, err := st.Get(ctx, article.ComputeID(&article.Article{URL: "https://gullgazette.example/wire/2"}))
	if err != nil {
		t.Fatal(err)
	}
	if orig.DupGroup == "" || cp.DupGroup != orig.DupGroup {
		t.Errorf("the new copy's dup group is %q, the original's %q", cp.DupGroup, orig.DupGroup)
	}
}

func migrateCmd(t *testing.T, from, to string, extra ...string) (string, int) {
	t.Helper()
	_, errOut, code := nd(t, "", "", append([]string{"migrate", "--from", from, "--to", to}, extra...)...)
	return errOut, code
}

func TestMigrateSQLiteToSQLite(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src.db"), filepath.Join(dir, "dst.db")
	first := buildMigrateSource(t, src, 60)
	errOut, code := migrateCmd(t, src, dst, "--batch", "7")
	if code != ExitOK {
		t.Fatalf("migrate: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "copied 62 articles (64 versions, 64 raw inputs)") || !strings.Contains(errOut, "1 feed ") ||
		!strings.Contains(errOut, "articles/s") {
		t.Errorf("summary: %s", errOut)
	}
	compareStores(t, src, dst)

	// Again: everything is there; nothing is written twice.
	errOut, code = migrateCmd(t, src, dst)
	if code != ExitOK || !strings.Contains(errOut, "copied 0 articles") || !strings.Contains(errOut, "62 already in the target") {
		t.Errorf("second run: exit %d: %s", code, errOut)
	}
	compareStores(t, src, dst)
	checkCopyJoins(t, dst, first)
}

func TestMigrateSQLiteToPostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	src := filepath.Join(t.TempDir(), "src.db")
	first := buildMigrateSource(t, src, 60)
	errOut, code := migrateCmd(t, src, dsn)
	if code != ExitOK {
		t.Fatalf("migrate: exit %d: %s", code, errOut)
	}
	compareStores(t, src, dsn)
	checkCopyJoins(t, dsn, first)
}

// TestMigrateInterrupted cancels a migration after its first batches and
// runs it again: the result is an uninterrupted migration's.
func TestMigrateInterrupted(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src.db"), filepath.Join(dir, "dst.db")
	buildMigrateSource(t, src, 80)
	ctx, cancel := context.WithCancel(context.Background())
	s, d := openStoreT(t, src), openStoreT(t, dst)
	batches := 0
	sum, err := migrate.Run(ctx, s, d, migrate.Options{Source: dsnIdentity(src), BatchSize: 9, Progress: func(done, total int) {
		if batches++; batches == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	stats, _ := d.Stats(context.Background())
	if stats.Articles == 0 || stats.Articles >= 82 {
		t.Fatalf("after the interruption the target holds %d articles", stats.Articles)
	}
	t.Logf("interrupted after %d articles (%d committed)", sum.Articles, stats.Articles)
	d.Close()

	errOut, code := migrateCmd(t, src, dst, "--batch", "9")
	if code != ExitOK {
		t.Fatalf("re-run: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "resumed: ") {
		t.Errorf("re-run did not resume: %s", errOut)
	}
	compareStores(t, src, dst)
}

func TestMigrateErrors(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	buildMigrateSource(t, src, 8)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	if err := os.Symlink(src, filepath.Join(dir, "link.db")); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	if _, _, code := nd(t, other, "", "feeds", "add", "https://bay.example/rss"); code != ExitOK {
		t.Fatal("feeds add")
	}
	tests := []struct {
		from, to string
		code     int
		want     string
	}{
		{filepath.Join(dir, "missing.db"), filepath.Join(dir, "t.db"), ExitPartial, "--from " + filepath.Join(dir, "missing.db") + ": no database there"},
		{src, "postgres://newsdesk:hunter2@" + closed + "/news", ExitPartial, "--to postgres://newsdesk:xxxxx@" + closed + "/news: "},
		{src, src, ExitUsage, "--from and --to are the same database"},
		{src, "sqlite:" + filepath.Join(dir, "link.db"), ExitUsage, "--from and --to are the same database"},
		{src, "", ExitUsage, "--to is required"},
	}
	for _, tc := range tests {
		errOut, code := migrateCmd(t, tc.from, tc.to)
		if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "hunter2") {
			t.Errorf("migrate --from %s --to %s: exit %d, %q; want exit %d, %q", tc.from, tc.to, code, errOut, tc.code, tc.want)
		}
	}
	// A target with articles of its own is refused: it could not be
	// compared with the source.
	own := writeFile(t, t.TempDir(), "own.txt", doubled)
	if _, errOut, code := nd(t, other, "", "ingest", "--quiet", own); code != ExitOK {
		t.Fatalf("ingest: %s", errOut)
	}
	errOut, code := migrateCmd(t, src, other)
	if code != ExitPartial || !strings.Contains(errOut, "already holds articles") {
		t.Errorf("non-empty target: exit %d, %q", code, errOut)
	}
}

// TestMigrateKilled kills a real migrate with SIGKILL mid-run, then runs
// it again: no article is missing, none doubled, no version doubled.
func TestMigrateKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and migrates thousands of articles")
	}
	bin := newsdeskBinary(t)
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src.db"), filepath.Join(dir, "dst.db")
	buildMigrateSource(t, src, 40)
	// Bulk: synthetic articles stored directly, dated and undated.
	const bulk = 3000
	st := openStoreT(t, src)
	g := storetest.New(3)
	for i := 0; i < bulk; i += 500 {
		var entries []store.Entry
		for j := i; j < i+500; j++ {
			a, raw := g.Article(j, 1200)
			if j%5 == 0 {
				a.Published = time.Time{}
			}
			a.ID = article.ComputeID(a)
			entries = append(entries, store.Entry{Article: a, Raw: raw, ContentType: "text/plain; charset=utf-8"})
		}
		if _, err := st.Put(context.Background(), entries); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	cmd, stderr, exited := startNewsdesk(t, bin, src, "migrate", "--quiet", "--batch", "10", "-j", "1", "--to", dst)
	if !waitFor(t, exited, func() bool { return countArticles(t, dst) >= 200 }) {
		t.Fatalf("migrate ended before 200 articles were stored: %s", stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited
	committed := countArticles(t, dst)
	if committed >= bulk {
		t.Fatalf("migrate finished (%d articles) before it was killed; the test needs a larger corpus", committed)
	}
	t.Logf("killed after %d of %d articles were committed", committed, bulk+42)

	errOut, code := migrateCmd(t, src, dst)
	if code != ExitOK || !strings.Contains(errOut, "resumed: ") {
		t.Fatalf("re-run: exit %d: %s", code, errOut)
	}
	compareStores(t, src, dst)
}

// BenchmarkMigrate measures `newsdesk migrate` of an ingested database of
// 5,000 articles of about 5 KB (with their raw inputs, band keys and
// stories) into a fresh SQLite file and a fresh PostgreSQL database. It
// reports articles/s.
func BenchmarkMigrate(b *testing.B) {
	const n = 5000
	dir := b.TempDir()
	g := storetest.New(12)
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%05d.txt", i)), g.TextFile(5000), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	src := filepath.Join(b.TempDir(), "src.db")
	env := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	if code := Main(context.Background(), env, []string{"ingest", "--quiet", "--db", src, dir}); code != ExitOK {
		b.Fatalf("ingest: exit %d", code)
	}
	for _, target := range []string{"sqlite", "postgres"} {
		b.Run(target, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				to := filepath.Join(b.TempDir(), "dst.db")
				if target == "postgres" {
					to = pgtest.DSN(b)
				}
				var errb bytes.Buffer
				env := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errb, Getenv: func(string) string { return "" }}
				b.StartTimer()
				if code := Main(context.Background(), env, []string{"migrate", "--from", src, "--to", to}); code != ExitOK {
					b.Fatalf("migrate: exit %d: %s", code, errb.String())
				}
				b.Log(strings.TrimSpace(errb.String()))
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
