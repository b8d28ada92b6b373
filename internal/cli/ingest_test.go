package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/pgtest"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// nd runs a newsdesk command in-process against the database db.
func nd(t *testing.T, db, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
		if k == "NEWSDESK_DB" {
			return db
		}
		return ""
	}}
	code = Main(context.Background(), env, args)
	return out.String(), errb.String(), code
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// newsdeskBinary builds cmd/newsdesk once per test run.
func newsdeskBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "newsdesk-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "newsdesk")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/newsdesk/newsdesk/cmd/newsdesk").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// corpus writes n plain-text articles of about 5 KB into dir; each carries
// the word "lanternwick" so that one search finds them all.
func corpus(t *testing.T, dir string, n int) {
	t.Helper()
	g := storetest.New(int64(n))
	for i := range n {
		data := append(g.TextFile(5000), []byte(fmt.Sprintf("\nFiled %d from the lanternwick desk.\n", i))...)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%05d.txt", i)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func countArticles(t *testing.T, db string) int {
	t.Helper()
	conn, err := sql.Open("sqlite", db+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(`SELECT COUNT(*) FROM articles`).Scan(&n); err != nil {
		return -1 // not created yet
	}
	return n
}

// waitFor polls until cond holds or the process exits; it reports whether
// cond held.
// startNewsdesk starts the binary with args against the database db, in
// the background; its stderr collects in the buffer, and its exit error
// arrives on the channel.
func startNewsdesk(t *testing.T, bin, db string, args ...string) (*exec.Cmd, *bytes.Buffer, <-chan error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "NEWSDESK_DB="+db)
	stderr := new(bytes.Buffer)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	return cmd, stderr, exited
}

func waitFor(t *testing.T, exited <-chan error, cond func() bool) bool {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return cond()
		default:
		}
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("timed out waiting for ingest")
	return false
}

// TestIngestCrashSafety kills a real ingest with SIGKILL mid-run, then
// checks that every committed article is intact and that a re-run
// completes the set without duplicates.
func TestIngestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and ingests thousands of files")
	}
	bin := newsdeskBinary(t)
	dir := t.TempDir()
	const n = 4000
	corpus(t, filepath.Join(dir), n)
	db := filepath.Join(t.TempDir(), "crash.db")
	cmd, stderr, exited := startNewsdesk(t, bin, db, "ingest", "--quiet", "-j", "2", dir)
	if !waitFor(t, exited, func() bool { return countArticles(t, db) >= 300 }) {
		t.Fatalf("ingest ended before 300 articles were stored: %s", stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited
	committed := countArticles(t, db)
	if committed >= n {
		t.Fatalf("ingest finished (%d articles) before it was killed; the test needs a larger corpus", committed)
	}
	t.Logf("killed after %d of %d articles were committed", committed, n)

	// The database opens and is consistent.
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	var check string
	if err := conn.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q, %v", check, err)
	}
	// The story state was committed with the articles: every stored
	// article's story has a row counting exactly the stored articles.
	var bad int
	if err := conn.QueryRow(`SELECT COUNT(*) FROM (SELECT a.story, COUNT(*) AS n FROM articles a WHERE a.story IS NOT NULL GROUP BY a.story) x
		LEFT JOIN stories s ON s.id = x.story WHERE s.count IS NOT x.n`).Scan(&bad); err != nil || bad != 0 {
		t.Errorf("after the kill, %d stories of stored articles have no row or a wrong count (%v)", bad, err)
	}
	if _, err := conn.Exec(`INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("full-text index damaged: %v", err)
	}
	conn.Close()

	// Every committed article decodes, and its raw input is present and
	// hashes to the recorded value.
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	err = s.Each(context.Background(), store.Filter{}, func(a *article.Article, o store.Origin) error {
		seen++
		if a.ID == "" || a.Title == "" || len(a.Paragraphs) == 0 {
			return fmt.Errorf("article %q is incomplete", a.ID)
		}
		raw, err := s.Raw(context.Background(), o.RawSHA256) // verifies sha256 and size
		if err != nil {
			return err
		}
		if a.Input.SHA256 != "" && a.Input.SHA256 != o.RawSHA256 {
			return fmt.Errorf("%s: input sha256 %s, stored raw %s", a.ID, a.Input.SHA256, o.RawSHA256)
		}
		if !bytes.Contains(raw, []byte(a.Paragraphs[0][:20])) {
			return fmt.Errorf("%s: raw input does not hold the article text", a.ID)
		}
		return nil
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if seen != committed {
		t.Fatalf("walked %d articles, counted %d", seen, committed)
	}

	// A re-run completes the set: the committed ones are unchanged.
	cmd = exec.Command(bin, "ingest", "--quiet", dir)
	cmd.Env = append(os.Environ(), "NEWSDESK_DB="+db)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("re-run: %v\n%s", err, out)
	}
	want := fmt.Sprintf("ingested %d, unchanged %d, updated 0, failed 0", n-committed, committed)
	if !strings.Contains(string(out), want) {
		t.Errorf("re-run summary %q, want %q", out, want)
	}
	if got := countArticles(t, db); got != n {
		t.Errorf("%d articles after the re-run, want %d", got, n)
	}
	conn, _ = sql.Open("sqlite", db)
	defer conn.Close()
	var versions, raws, indexed int
	conn.QueryRow(`SELECT COUNT(*) FROM article_versions`).Scan(&versions)
	conn.QueryRow(`SELECT COUNT(*) FROM raw_inputs`).Scan(&raws)
	conn.QueryRow(`SELECT COUNT(*) FROM articles_fts`).Scan(&indexed)
	if versions != n || raws != n || indexed != n {
		t.Errorf("versions %d, raw inputs %d, index rows %d; want %d each", versions, raws, indexed, n)
	}
}

// TestSearchDuringIngest runs searches while a real ingest is writing.
func TestSearchDuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := newsdeskBinary(t)
	dir := t.TempDir()
	corpus(t, dir, 2500)
	db := filepath.Join(t.TempDir(), "busy.db")
	_, stderr, exited := startNewsdesk(t, bin, db, "ingest", "--quiet", "-j", "1", dir)
	if !waitFor(t, exited, func() bool { return countArticles(t, db) > 0 }) {
		t.Fatal("nothing stored")
	}
	searches, during := 0, 0
	for {
		running := true
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("ingest: %v\n%s", err, stderr.String())
			}
			running = false
		default:
		}
		out, errOut, code := nd(t, db, "", "search", "--json", "--limit", "5", "lanternwick")
		if code != 0 {
			t.Fatalf("search during ingest: exit %d: %s", code, errOut)
		}
		if lines := strings.Count(out, "\n"); lines != 5 {
			t.Fatalf("search returned %d hits, want 5:\n%s", lines, out)
		}
		searches++
		if !running {
			break
		}
		during++
		if during >= 3 {
			// Enough overlap shown; let the ingest finish.
			if err := <-exited; err != nil {
				t.Fatalf("ingest: %v\n%s", err, stderr.String())
			}
			break
		}
	}
	if during == 0 {
		t.Fatal("no search ran while the ingest was running")
	}
	if !strings.Contains(stderr.String(), "ingested 2500, unchanged 0, updated 0, failed 0") {
		t.Errorf("ingest summary: %s", stderr.String())
	}
}

func TestIngestBadSourcesInBatch(t *testing.T) {
	db := filepath.Join(t.TempDir(), "bad.db")
	dir := t.TempDir()
	corpus(t, dir, 5)
	// First, a clean run to have something stored.
	_, errOut, code := nd(t, db, "", "ingest", "--quiet", dir)
	if code != ExitOK || !strings.Contains(errOut, "ingested 5, unchanged 0, updated 0, failed 0") {
		t.Fatalf("first ingest: exit %d: %s", code, errOut)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n") })
	mux.HandleFunc("/ok", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "Ferry timetable changes from Monday\n\nThe harbor authority will add two evening sailings between Marrow and Isle Penn from Monday, it said on Friday.\n\nThe extra ferries run until the end of the summer season.\n")
	})
	mux.HandleFunc("/missing", http.NotFound)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	bad := t.TempDir()
	if os.Geteuid() != 0 { // root reads anything
		if err := os.WriteFile(filepath.Join(bad, "unreadable.txt"), []byte("secret"), 0o000); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(bad, "empty.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "feed.xml"), []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Broken`), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"ingest", "--quiet", "--per-host-delay", "1ms", dir, bad, srv.URL + "/ok", srv.URL + "/missing", srv.URL + "/private/x"}
	_, errOut, code = nd(t, db, "", args...)
	if code != ExitPartial {
		t.Fatalf("exit %d, want %d: %s", code, ExitPartial, errOut)
	}
	if !strings.Contains(errOut, "ingested 1, unchanged 5, updated 0") {
		t.Errorf("summary: %s", errOut)
	}
	for _, name := range []string{"empty.txt", "feed.xml", srv.URL + "/missing", srv.URL + "/private/x"} {
		if !strings.Contains(errOut, name) {
			t.Errorf("stderr does not name %s:\n%s", name, errOut)
		}
	}
	if os.Geteuid() != 0 && !strings.Contains(errOut, "unreadable.txt") {
		t.Errorf("stderr does not name the unreadable file:\n%s", errOut)
	}
	// Nothing already stored was touched.
	out, _, _ := nd(t, db, "", "stats", "--json")
	var st store.Stats
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.Articles != 6 || st.Versions != 6 {
		t.Errorf("after the bad batch: %d articles, %d versions; want 6, 6", st.Articles, st.Versions)
	}
}

func TestIngestUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	for _, args := range [][]string{
		{"ingest"},
		{"ingest", "--format", "pdf", "x"},
		{"ingest", "-j", "0", "x"},
		{"ingest", "--no-such-flag", "x"},
	} {
		if _, _, code := nd(t, db, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a usage error created the database")
	}
}

func TestIngestExamples(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	examples := filepath.Join(filepath.Dir(file), "..", "..", "examples")
	db := filepath.Join(t.TempDir(), "ex.db")
	_, errOut, code := nd(t, db, "", "ingest", "--quiet", examples)
	if code != ExitOK {
		t.Fatalf("ingest examples/: exit %d: %s", code, errOut)
	}
	out, errOut, code := nd(t, db, "", "search", "kestrel bridge")
	if code != ExitOK || !strings.Contains(out, "Harbor Post") || !strings.Contains(out, "**Kestrel Bridge**") {
		t.Errorf("search after ingesting examples/: exit %d\n%s%s", code, out, errOut)
	}
	// The syndicated copy folds into the original's hit unless asked for.
	if !strings.Contains(out, "+1 copy") || strings.Contains(out, "Coastline Wire") {
		t.Errorf("copies not collapsed:\n%s", out)
	}
	out, _, _ = nd(t, db, "", "search", "--all-copies", "kestrel bridge")
	if !strings.Contains(out, "Coastline Wire") || !strings.Contains(out, "Harbor Post") {
		t.Errorf("--all-copies did not list every copy:\n%s", out)
	}
	out, _, _ = nd(t, db, "", "dups")
	if !strings.Contains(out, "Coastline Wire") || !strings.Contains(out, "The Harbor Post") {
		t.Errorf("dups does not show the syndicated pair:\n%s", out)
	}
	out, _, _ = nd(t, db, "", "stories")
	// Three outlets cover the bridge; the French article on Marrow's market
	// names the same town but is another event.
	if !strings.Contains(out, "3 articles from 3 outlets: Coastline Wire, Daily Lantern, The Harbor Post") ||
		!strings.Contains(out, "1 article from La Gazette du Littoral") {
		t.Errorf("stories does not show the bridge coverage across outlets:\n%s", out)
	}
	// Ingesting the same examples again stores nothing new.
	_, errOut, code = nd(t, db, "", "ingest", "--quiet", examples)
	if code != ExitOK || !strings.Contains(errOut, "ingested 0, unchanged") || !strings.Contains(errOut, "updated 0, failed 0") {
		t.Errorf("second ingest: exit %d: %s", code, errOut)
	}
}

func TestIngestStageFlags(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	examples := filepath.Join(filepath.Dir(file), "..", "..", "examples")
	db := filepath.Join(t.TempDir(), "flags.db")
	if _, errOut, code := nd(t, db, "", "ingest", "--quiet", "--no-stories", "--no-enrich", examples); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out, _, _ := nd(t, db, "", "stories"); strings.Contains(out, "articles from") {
		t.Errorf("--no-stories still clustered:\n%s", out)
	}
	if out, _, _ := nd(t, db, "", "dups"); !strings.Contains(out, "Coastline Wire") {
		t.Errorf("copies must still be grouped with --no-stories:\n%s", out)
	}
	out, _, _ := nd(t, db, "", "export")
	if strings.Contains(out, `"entities"`) {
		t.Errorf("--no-enrich still extracted entities")
	}
}
