package cli

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/pgtest"
	"github.com/newsdesk/newsdesk/internal/queue/queuetest"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// syndicatedCorpus writes originals plain-text articles of about size
// bytes into dir, and after every step-th one a syndicated copy: the same
// text with another outlet's sign-off. It returns the copies' names by
// their originals'.
func syndicatedCorpus(t *testing.T, dir string, seed int64, originals, step, size int) map[string]string {
	t.Helper()
	g := storetest.New(seed)
	copies := map[string]string{}
	for i := range originals {
		body := string(g.TextFile(size))
		name := fmt.Sprintf("o-%05d.txt", i)
		writeFile(t, dir, name, body+fmt.Sprintf("\nFiled %d from the lanternwick desk.\n", i))
		if i%step == 0 {
			cp := fmt.Sprintf("o-%05d-copy.txt", i)
			writeFile(t, dir, cp, body+"\nSyndicated by the Brennock Echo wire service.\n")
			copies[name] = cp
		}
	}
	return copies
}

// pgCountQuery runs a counting query on the PostgreSQL database dsn; -1 when it
// fails (the schema is not created yet).
func pgCountQuery(t *testing.T, dsn, query string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, query).Scan(&n); err != nil {
		return -1
	}
	return n
}

// storedOnce checks that the database holds exactly one article of
// version 1 for each of the want inputs, and nothing else.
func storedOnce(t *testing.T, dsn string, want int) {
	t.Helper()
	if got := pgCountQuery(t, dsn, `SELECT count(*) FROM articles`); got != want {
		t.Errorf("%d articles stored, want %d", got, want)
	}
	if got := pgCountQuery(t, dsn, `SELECT count(*) FROM articles WHERE version <> 1`); got != 0 {
		t.Errorf("%d articles have a version other than 1 (stored twice)", got)
	}
	if got := pgCountQuery(t, dsn, `SELECT count(*) FROM (SELECT article_pk FROM article_versions GROUP BY article_pk HAVING count(*) <> 1) x`); got != 0 {
		t.Errorf("%d articles have more than one stored version", got)
	}
	if got := pgCountQuery(t, dsn, `SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_versions v WHERE v.article_pk = a.pk)`); got != 0 {
		t.Errorf("%d articles have no stored version", got)
	}
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	byInput := map[string]int{}
	err = st.Each(context.Background(), store.Filter{}, func(a *article.Article, _ store.Origin) error {
		byInput[filepath.Base(a.Input.Name)]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(byInput) != want {
		t.Errorf("articles of %d distinct inputs, want %d", len(byInput), want)
	}
	for name, n := range byInput {
		if n != 1 {
			t.Errorf("%s: %d articles from one input", name, n)
		}
	}
}

// pairF1 compares two partitions of the same names by their pairs: the
// precision and recall of got's same-set pairs against want's, and F1.
// Names alone in both count as agreeing (F1 1 when no pairs exist).
func pairF1(got, want map[string]string) (precision, recall, f1 float64) {
	pairs := func(label map[string]string) map[[2]string]bool {
		sets := map[string][]string{}
		for name, l := range label {
			sets[l] = append(sets[l], name)
		}
		out := map[[2]string]bool{}
		for _, names := range sets {
			slices.Sort(names)
			for i := range names {
				for j := i + 1; j < len(names); j++ {
					out[[2]string{names[i], names[j]}] = true
				}
			}
		}
		return out
	}
	g, w := pairs(got), pairs(want)
	both := 0
	for p := range g {
		if w[p] {
			both++
		}
	}
	precision, recall = 1, 1
	if len(g) > 0 {
		precision = float64(both) / float64(len(g))
	}
	if len(w) > 0 {
		recall = float64(both) / float64(len(w))
	}
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return precision, recall, f1
}

// checkAgainstSingle compares the workers' copy groups and stories in dsn
// with those of one plain ingest of dir by the binary bin: the copy groups must be equal,
// every copy must share its original's group and story, and every copy
// group must lie in one story; the stories' agreement is logged.
func checkAgainstSingle(t *testing.T, bin, dsn, dir string, copies map[string]string) {
	t.Helper()
	workers := groupsByInput(t, dsn)
	single := filepath.Join(t.TempDir(), "single.db")
	start := time.Now()
	// The binary, not in-process: under the race detector that took 96 s.
	if out, err := exec.Command(bin, "ingest", "--db", single, "--quiet", "-j", "2", dir).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	t.Logf("single-process ingest of the same files: %.1fs", time.Since(start).Seconds())
	one := groupsByInput(t, single)

	inStory := 0
	for orig, cp := range copies {
		if workers.group[orig] == "" || workers.group[orig] != workers.group[cp] {
			t.Errorf("%s: copy group %q, its original's %q", cp, workers.group[cp], workers.group[orig])
		}
		if workers.story[orig] != "" && workers.story[orig] == workers.story[cp] {
			inStory++
		}
	}
	t.Logf("copies in their original's story: %d of %d (%.1f%%)", inStory, len(copies), 100*float64(inStory)/float64(len(copies)))
	if inStory != len(copies) {
		t.Errorf("only %d of %d copies are in their original's story", inStory, len(copies))
	}
	for name, l := range []labels{workers, one} {
		storyOf := map[string]string{}
		for in, g := range l.group {
			if s, ok := storyOf[g]; ok && s != l.story[in] {
				t.Errorf("%s: copy group %s spans stories %q and %q", []string{"workers", "single"}[name], g, s, l.story[in])
			}
			storyOf[g] = l.story[in]
		}
	}

	wg, og := partition(workers.group), partition(one.group)
	if !slices.Equal(wg, og) {
		var onlyW, onlyO []string
		for _, s := range wg {
			if !slices.Contains(og, s) {
				onlyW = append(onlyW, s)
			}
		}
		for _, s := range og {
			if !slices.Contains(wg, s) {
				onlyO = append(onlyO, s)
			}
		}
		t.Errorf("copy groups differ from one process's: %d and %d groups; only the workers': %.20v; only the single's: %.20v", len(wg), len(og), onlyW, onlyO)
	}
	wsp, osp := partition(workers.story), partition(one.story)
	p, r, f1 := pairF1(workers.story, one.story)
	same := 0
	for _, s := range wsp {
		if _, found := slices.BinarySearch(osp, s); found {
			same++
		}
	}
	t.Logf("stories: %d from the workers, %d from one process; %d identical; pairwise precision %.4f, recall %.4f, F1 %.4f (order-dependent)",
		len(wsp), len(osp), same, p, r, f1)
	// Taken in another order a borderline article may found a story of
	// its own or join another, which moves a few stories; it does not
	// fold hundreds of unrelated articles into a few stories, as workers
	// deciding with stale corpus statistics did.
	if 4*len(wsp) < 3*len(osp) {
		t.Errorf("the workers made %d stories, one process %d: fewer than three quarters", len(wsp), len(osp))
	}
}

// TestWorkerCrashPostgres runs three worker processes over 5,000 queued
// inputs (4,500 originals and 500 syndicated copies) into one PostgreSQL
// database; one is killed with SIGKILL mid-run, another stopped with
// SIGTERM and started again. Every input must be stored exactly once, no
// item lost or dead-lettered, the queue empty, and the copy groups those
// of a single ingest of the same files.
func TestWorkerCrashPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs three workers over 5,000 inputs")
	}
	bin := newsdeskBinary(t)
	dsn := pgtest.DSN(t)
	srv := queuetest.Start(t)
	dir := t.TempDir()
	const originals, step, size = 4500, 9, 1500
	copies := syndicatedCorpus(t, dir, 13, originals, step, size)
	n := originals + len(copies)
	if n != 5000 {
		t.Fatalf("corpus of %d inputs, want 5,000", n)
	}
	start := time.Now()
	enqueue(t, srv.URL(), dir)
	t.Logf("queued %d inputs in %.1fs", n, time.Since(start).Seconds())

	stored := func() int { return pgCountQuery(t, dsn, `SELECT count(*) FROM articles`) }
	args := []string{"worker", "--queue", srv.URL(), "--quiet", "--drain", "-j", "1", "--in-flight", "64", "--ack-wait", "3s"}
	type proc struct {
		cmd    *exec.Cmd
		stderr fmt.Stringer
		exited <-chan error
	}
	startW := func() proc {
		cmd, stderr, exited := startNewsdesk(t, bin, dsn, args...)
		return proc{cmd, stderr, exited}
	}
	start = time.Now()
	ws := []proc{startW(), startW(), startW()}
	t.Cleanup(func() {
		for _, w := range ws {
			_ = w.cmd.Process.Kill() // any still running after a failure
		}
	})

	// Worker 0 dies at a fifth of the run: what it held unacked comes back
	// after the ack wait.
	if !waitFor(t, ws[0].exited, func() bool { return stored() >= n/5 }) {
		t.Fatalf("worker 0 ended before %d articles were stored:\n%s", n/5, ws[0].stderr)
	}
	if err := ws[0].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-ws[0].exited
	killed := stored()
	t.Logf("worker 0 killed at %d of %d stored (%.1fs)", killed, n, time.Since(start).Seconds())

	// Worker 1 stops gracefully at two fifths, then starts again.
	if !waitFor(t, ws[1].exited, func() bool { return stored() >= 2*n/5 }) {
		t.Fatalf("worker 1 ended before %d articles were stored:\n%s", 2*n/5, ws[1].stderr)
	}
	if err := ws[1].cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-ws[1].exited; err != nil || !strings.Contains(ws[1].stderr.String(), "stopped: ") {
		t.Fatalf("worker 1 after SIGTERM: %v\n%s", err, ws[1].stderr)
	}
	restarted := stored()
	t.Logf("worker 1 stopped at %d stored, restarting (%.1fs)", restarted, time.Since(start).Seconds())
	if restarted >= n {
		t.Fatal("the run was over before worker 1 restarted; the test needs a larger corpus")
	}
	ws[1] = startW()

	for i, w := range ws[1:] {
		select {
		case err := <-w.exited:
			if err != nil {
				t.Fatalf("worker %d: %v\n%s", i+1, err, w.stderr)
			}
		case <-time.After(3 * time.Minute):
			t.Fatalf("worker %d did not finish\n%s", i+1, w.stderr)
		}
	}
	t.Logf("all stored after %.1fs; worker 1 (restarted): %s; worker 2: %s", time.Since(start).Seconds(),
		lastLineOf(ws[1].stderr.String()), lastLineOf(ws[2].stderr.String()))

	storedOnce(t, dsn, n)
	if dls := deadLines(t, srv.URL()); len(dls) != 0 {
		t.Errorf("%d dead letters, first %+v", len(dls), dls[0])
	}
	if w, err := openTestQueue(t, srv.URL()).Waiting(context.Background()); err != nil || w != 0 {
		t.Errorf("%d items still in the work stream (%v)", w, err)
	}
	checkAgainstSingle(t, bin, dsn, dir, copies)
}

// TestWorkerBrokerRestartPostgres: two workers share a PostgreSQL
// database, and the NATS server stops mid-run (a worker may hold the
// serial turn meanwhile) and comes back on the same port and store. The
// workers reconnect and finish; every input is stored once, and the copy
// groups are those of a single ingest.
func TestWorkerBrokerRestartPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	// Worker processes: in-process commands running at once race on
	// package state (cli.Main sets fetch.Version).
	bin := newsdeskBinary(t)
	dsn := pgtest.DSN(t)
	srv := queuetest.Start(t)
	dir := t.TempDir()
	copies := syndicatedCorpus(t, dir, 17, 450, 9, 1500)
	n := 450 + len(copies)
	enqueue(t, srv.URL(), dir)
	ctx := context.Background()
	ws := startDrainWorkers(t, bin, dsn, srv.URL(), 2)
	deadline := time.Now().Add(2 * time.Minute)
	for pgCountQuery(t, dsn, `SELECT count(*) FROM articles`) < n/5 {
		if time.Now().After(deadline) {
			t.Fatal("workers too slow")
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv.Stop()
	before := pgCountQuery(t, dsn, `SELECT count(*) FROM articles`)
	time.Sleep(1500 * time.Millisecond)
	srv.Restart()
	waitWorkers(t, ws)
	if before >= n {
		t.Fatal("the run was over before the server stopped; the test needs a larger corpus")
	}
	t.Logf("server stopped with %d of %d stored; %s; %s", before, n, lastLineOf(ws[0].stderr.String()), lastLineOf(ws[1].stderr.String()))
	storedOnce(t, dsn, n)
	if dls := deadLines(t, srv.URL()); len(dls) != 0 {
		t.Errorf("%d dead letters, first %+v", len(dls), dls[0])
	}
	if w, err := openTestQueue(t, srv.URL()).Waiting(ctx); err != nil || w != 0 {
		t.Errorf("%d items still in the work stream (%v)", w, err)
	}
	checkAgainstSingle(t, bin, dsn, dir, copies)
}

func lastLineOf(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
