package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/queue"
	"github.com/newsdesk/newsdesk/internal/queue/queuetest"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// syncBuffer is a buffer that commands may write to from several
// goroutines while a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runQueueCmd runs a command in-process with ctx.
func runQueueCmd(ctx context.Context, args ...string) (stdout, stderr string, code int) {
	var out, errb syncBuffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code = Main(ctx, env, args)
	return out.String(), errb.String(), code
}

// startWorker runs a worker in-process in the background; its stderr
// collects in the buffer and its exit code arrives on the channel.
func startWorker(ctx context.Context, args ...string) (*syncBuffer, <-chan int) {
	errb := new(syncBuffer)
	env := &Env{Stdin: strings.NewReader(""), Stdout: new(syncBuffer), Stderr: errb, Getenv: func(string) string { return "" }}
	exited := make(chan int, 1)
	go func() { exited <- Main(ctx, env, append([]string{"worker"}, args...)) }()
	return errb, exited
}

func waitExit(t *testing.T, exited <-chan int, stderr fmt.Stringer) int {
	t.Helper()
	select {
	case code := <-exited:
		return code
	case <-time.After(3 * time.Minute):
		t.Fatalf("worker did not finish:\n%s", stderr)
		return -1
	}
}

func enqueue(t *testing.T, url string, sources ...string) string {
	t.Helper()
	_, errOut, code := runQueueCmd(context.Background(), append([]string{"ingest", "--queue", url}, sources...)...)
	if code != ExitOK {
		t.Fatalf("ingest --queue: exit %d\n%s", code, errOut)
	}
	return errOut
}

func deadLines(t *testing.T, url string) []deadLine {
	t.Helper()
	out, errOut, code := runQueueCmd(context.Background(), "dead", "list", "--queue", url)
	if code != ExitOK {
		t.Fatalf("dead list: exit %d\n%s", code, errOut)
	}
	var dls []deadLine
	for line := range strings.Lines(out) {
		var dl deadLine
		if err := json.Unmarshal([]byte(line), &dl); err != nil {
			t.Fatalf("dead list: %q: %v", line, err)
		}
		dls = append(dls, dl)
	}
	return dls
}

func openTestQueue(t *testing.T, url string) *queue.Queue {
	t.Helper()
	q, err := queue.Open(context.Background(), queue.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

// TestWorkerQueueEndToEnd queues a directory (small articles, one large
// enough for the object store, one binary file), runs a worker until the
// queue is empty, and checks that every article is stored once, that the
// binary file is a dead letter with its error, and that queueing the same
// sources again adds nothing.
func TestWorkerQueueEndToEnd(t *testing.T) {
	srv := queuetest.Start(t)
	dir := t.TempDir()
	const n = 120
	corpus(t, dir, n)
	large := append(storetest.New(7).TextFile(150<<10), "\nFiled large from the lanternwick desk.\n"...)
	writeFile(t, dir, "large.txt", string(large))
	writeFile(t, dir, "poison.txt", "\x00\x01\x02 not text at all \xff\xfe")
	db := filepath.Join(t.TempDir(), "q.db")

	errOut := enqueue(t, srv.URL(), dir)
	if !strings.Contains(errOut, fmt.Sprintf("queued %d on %s (1 via the object store), 0 already queued, failed 0", n+2, srv.URL())) {
		t.Fatalf("ingest --queue summary:\n%s", errOut)
	}
	_, errOut, code := runQueueCmd(context.Background(), "worker", "--queue", srv.URL(), "--db", db, "--drain", "-j", "2")
	if code != ExitOK {
		t.Fatalf("worker: exit %d\n%s", code, errOut)
	}
	if got := countArticles(t, db); got != n+1 {
		t.Fatalf("%d articles stored, want %d\n%s", got, n+1, errOut)
	}
	if !strings.Contains(errOut, "poison.txt: binary input") || !strings.Contains(errOut, "now a dead letter") {
		t.Errorf("worker did not report the poison item:\n%s", errOut)
	}
	dls := deadLines(t, srv.URL())
	if len(dls) != 1 || !strings.HasSuffix(dls[0].Name, "poison.txt") || !strings.Contains(dls[0].Error, "binary input") || dls[0].Attempts != 1 {
		t.Fatalf("dead letters: %+v", dls)
	}

	// The same sources again: JetStream drops every duplicate.
	errOut = enqueue(t, srv.URL(), dir)
	if !strings.Contains(errOut, fmt.Sprintf("queued 0 on %s (0 via the object store), %d already queued, failed 0", srv.URL(), n+2)) {
		t.Fatalf("second ingest --queue summary:\n%s", errOut)
	}
	if w, err := openTestQueue(t, srv.URL()).Waiting(context.Background()); err != nil || w != 0 {
		t.Fatalf("%d items waiting after a repeated ingest --queue (%v), want 0", w, err)
	}

	// Retrying the dead letter queues it again; it fails again the same way.
	_, errOut, code = runQueueCmd(context.Background(), "dead", "retry", "--queue", srv.URL(), fmt.Sprint(dls[0].ID))
	if code != ExitOK || !strings.Contains(errOut, "queued 1 again, failed 0") {
		t.Fatalf("dead retry: exit %d\n%s", code, errOut)
	}
	if again := deadLines(t, srv.URL()); len(again) != 0 {
		t.Fatalf("dead letters after retry: %+v", again)
	}
	if w, _ := openTestQueue(t, srv.URL()).Waiting(context.Background()); w != 1 {
		t.Fatalf("%d items waiting after dead retry, want 1", w)
	}
	_, errOut, code = runQueueCmd(context.Background(), "worker", "--queue", srv.URL(), "--db", db, "--drain")
	if code != ExitOK || countArticles(t, db) != n+1 {
		t.Fatalf("worker after retry: exit %d, %d articles\n%s", code, countArticles(t, db), errOut)
	}
	if again := deadLines(t, srv.URL()); len(again) != 1 || again[0].ID == dls[0].ID {
		t.Fatalf("dead letters after the retried item failed again: %+v", again)
	}
	_, errOut, code = runQueueCmd(context.Background(), "dead", "retry", "--queue", srv.URL(), "999")
	if code != ExitPartial || !strings.Contains(errOut, "no such dead letter: 999") {
		t.Errorf("dead retry of a missing ID: exit %d\n%s", code, errOut)
	}
}

// TestWorkerRetriesTransientFailure: a large input whose object is not in
// the object store yet (a late upload) fails, is tried again after the
// retry delay, and is stored once the object is there.
func TestWorkerRetriesTransientFailure(t *testing.T) {
	srv := queuetest.Start(t)
	dir := t.TempDir()
	large := storetest.New(9).TextFile(100 << 10)
	writeFile(t, dir, "late.txt", string(large))
	enqueue(t, srv.URL(), dir)
	q := openTestQueue(t, srv.URL())
	key, err := q.PutRaw(context.Background(), large) // its key
	if err != nil {
		t.Fatal(err)
	}
	if err := q.DeleteRaw(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "q.db")
	stderr, exited := startWorker(context.Background(), "--queue", srv.URL(), "--db", db, "--drain", "--retry-delay", "200ms", "--max-deliver", "5")
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(stderr.String(), "trying again") {
		if time.Now().After(deadline) {
			t.Fatalf("no failed attempt:\n%s", stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := q.PutRaw(context.Background(), large); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, exited, stderr); code != ExitOK {
		t.Fatalf("worker: exit %d\n%s", code, stderr)
	}
	if got := countArticles(t, db); got != 1 {
		t.Fatalf("%d articles, want 1\n%s", got, stderr)
	}
	if dls := deadLines(t, srv.URL()); len(dls) != 0 {
		t.Fatalf("dead letters: %+v", dls)
	}
	if !strings.Contains(stderr.String(), "not in object store") {
		t.Errorf("the failure does not say what went wrong:\n%s", stderr)
	}
}

// TestWorkerSurvivesBrokerRestart stops the server mid-run and starts a
// new one on the same port and store: the worker reconnects and the run
// completes with every article stored.
func TestWorkerSurvivesBrokerRestart(t *testing.T) {
	srv := queuetest.Start(t)
	dir := t.TempDir()
	const n = 600
	corpus(t, dir, n)
	enqueue(t, srv.URL(), dir)
	db := filepath.Join(t.TempDir(), "q.db")
	stderr, exited := startWorker(context.Background(), "--queue", srv.URL(), "--db", db, "--drain", "-j", "2", "--in-flight", "32")
	deadline := time.Now().Add(2 * time.Minute)
	for countArticles(t, db) < 60 {
		if time.Now().After(deadline) {
			t.Fatalf("worker too slow:\n%s", stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv.Stop()
	stored := countArticles(t, db)
	time.Sleep(1500 * time.Millisecond)
	srv.Restart()
	if code := waitExit(t, exited, stderr); code != ExitOK {
		t.Fatalf("worker: exit %d\n%s", code, stderr)
	}
	if stored >= n {
		t.Fatalf("the run was over before the server stopped; the test needs a larger corpus")
	}
	if got := countArticles(t, db); got != n {
		t.Fatalf("%d articles after the restart, want %d\n%s", got, n, stderr)
	}
	t.Logf("server stopped with %d of %d stored", stored, n)
}

// TestWorkerGracefulStop cancels a worker mid-run (its SIGTERM): it
// stores what it holds and acks exactly what it stored, so the queue
// holds every input not stored; a second worker completes the set.
func TestWorkerGracefulStop(t *testing.T) {
	srv := queuetest.Start(t)
	dir := t.TempDir()
	const n = 600
	corpus(t, dir, n)
	enqueue(t, srv.URL(), dir)
	db := filepath.Join(t.TempDir(), "q.db")
	ctx, stop := context.WithCancel(context.Background())
	stderr, exited := startWorker(ctx, "--queue", srv.URL(), "--db", db, "-j", "2", "--in-flight", "64")
	deadline := time.Now().Add(2 * time.Minute)
	for countArticles(t, db) < 60 {
		if time.Now().After(deadline) {
			t.Fatalf("worker too slow:\n%s", stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	if code := waitExit(t, exited, stderr); code != ExitOK || !strings.Contains(stderr.String(), "stopped: ") {
		t.Fatalf("stopped worker: exit %d\n%s", code, stderr)
	}
	stored := countArticles(t, db)
	if stored >= n {
		t.Fatal("the run was over before the stop; the test needs a larger corpus")
	}
	waiting, err := openTestQueue(t, srv.URL()).Waiting(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if int(waiting) != n-stored {
		t.Fatalf("after the stop, %d stored and %d waiting: want them to add up to %d", stored, waiting, n)
	}
	_, errOut, code := runQueueCmd(context.Background(), "worker", "--queue", srv.URL(), "--db", db, "--drain")
	if code != ExitOK || countArticles(t, db) != n {
		t.Fatalf("second worker: exit %d, %d articles\n%s", code, countArticles(t, db), errOut)
	}
	if !strings.Contains(errOut, fmt.Sprintf("ingested %d, unchanged 0,", n-stored)) {
		t.Errorf("second worker stored something twice, or missed some:\n%s", errOut)
	}
}

// TestWorkerKilledMidRun kills a real worker process with SIGKILL mid-run
// and starts another: its unacked items come back after the ack wait, and
// every input ends up stored once, none lost, none twice.
func TestWorkerKilledMidRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and ingests a thousand files")
	}
	bin := newsdeskBinary(t)
	srv := queuetest.Start(t)
	dir := t.TempDir()
	const n = 1200
	corpus(t, dir, n)
	enqueue(t, srv.URL(), dir)
	db := filepath.Join(t.TempDir(), "q.db")
	args := []string{"worker", "--queue", srv.URL(), "--quiet", "-j", "2", "--in-flight", "64", "--ack-wait", "2s"}
	cmd, stderr, exited := startNewsdesk(t, bin, db, args...)
	if !waitFor(t, exited, func() bool { return countArticles(t, db) >= 150 }) {
		t.Fatalf("worker ended before 150 articles were stored: %s", stderr)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited
	killed := countArticles(t, db)
	if killed >= n {
		t.Fatalf("the worker finished (%d articles) before it was killed; the test needs a larger corpus", killed)
	}
	t.Logf("killed after %d of %d articles were committed", killed, n)

	cmd = exec.Command(bin, append(args, "--drain")...)
	cmd.Env = append(os.Environ(), "NEWSDESK_DB="+db)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("second worker: %v\n%s", err, out)
	}
	if got := countArticles(t, db); got != n {
		t.Fatalf("%d articles after the restart, want %d\n%s", got, n, out)
	}
	// What the killed worker had stored unacked comes back and is
	// unchanged; nothing is ingested twice.
	var ingested, unchanged int
	for line := range strings.Lines(string(out)) {
		if _, after, ok := strings.Cut(line, "newsdesk worker: ingested "); ok {
			fmt.Sscanf(after, "%d, unchanged %d", &ingested, &unchanged)
		}
	}
	if ingested+killed != n {
		t.Fatalf("second worker ingested %d (unchanged %d) after %d: want %d in all\n%s", ingested, unchanged, killed, n, out)
	}
	if dls := deadLines(t, srv.URL()); len(dls) != 0 {
		t.Fatalf("dead letters: %+v", dls)
	}
	if w, _ := openTestQueue(t, srv.URL()).Waiting(context.Background()); w != 0 {
		t.Fatalf("%d items still waiting", w)
	}
}

// TestWorkerThroughput measures workers over 2,000 plain-text articles of
// about 5 KB in SQLite, against a plain ingest of the same files. It runs
// only when asked:
//
//	NEWSDESK_QUEUE_THROUGHPUT=1 go test ./internal/cli -run TestWorkerThroughput -v
func TestWorkerThroughput(t *testing.T) {
	if os.Getenv("NEWSDESK_QUEUE_THROUGHPUT") == "" {
		t.Skip("set NEWSDESK_QUEUE_THROUGHPUT=1 to measure")
	}
	bin := newsdeskBinary(t)
	dir := t.TempDir()
	const n = 2000
	corpus(t, dir, n)
	timed := func(label, db string, cmds ...[]string) {
		t.Helper()
		start := time.Now()
		var wg sync.WaitGroup
		for _, args := range cmds {
			wg.Go(func() {
				cmd := exec.Command(bin, args...)
				cmd.Env = append(os.Environ(), "NEWSDESK_DB="+db)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("%s: %v\n%s", label, err, out)
				}
			})
		}
		wg.Wait()
		secs := time.Since(start).Seconds()
		if got := countArticles(t, db); got != n {
			t.Errorf("%s: %d articles, want %d", label, got, n)
		}
		t.Logf("%-34s %6.1fs  %5.0f articles/s", label, secs, n/secs)
	}
	timed("ingest -j 2 (no queue)", filepath.Join(t.TempDir(), "a.db"), []string{"ingest", "--quiet", "-j", "2", dir})
	for _, c := range []struct {
		label   string
		workers int
		jobs    string
	}{{"1 worker -j 2", 1, "2"}, {"2 workers -j 1", 2, "1"}, {"2 workers -j 2", 2, "2"}} {
		srv := queuetest.Start(t)
		start := time.Now()
		enqueue(t, srv.URL(), dir)
		t.Logf("%-34s %6.1fs", "ingest --queue ("+c.label+")", time.Since(start).Seconds())
		args := []string{"worker", "--queue", srv.URL(), "--quiet", "--drain", "-j", c.jobs}
		cmds := make([][]string, c.workers)
		for i := range cmds {
			cmds[i] = args
		}
		timed(c.label, filepath.Join(t.TempDir(), "w.db"), cmds...)
		srv.Stop()
	}
}
