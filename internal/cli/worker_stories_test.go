package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/pgtest"
	"github.com/newsdesk/newsdesk/internal/queue/queuetest"
)

// TestWorkersShareStories: two workers on one PostgreSQL database take
// turns every few items, so each turn starts by reloading the state the
// other wrote. Their stories must be those of one process up to the order
// (a borderline article may go elsewhere), not a few stories swallowing
// unrelated articles: 300 unrelated articles make about 300 stories in
// one ingest, and must make at least three quarters as many here.
func TestWorkersShareStories(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := newsdeskBinary(t)
	dsn := pgtest.DSN(t)
	srv := queuetest.Start(t)
	dir := t.TempDir()
	syndicatedCorpus(t, dir, 17, 450, 9, 1500)
	enqueue(t, srv.URL(), dir)
	waitWorkers(t, startDrainWorkers(t, bin, dsn, srv.URL(), 2))
	single := filepath.Join(t.TempDir(), "single.db")
	if _, errOut, code := runQueueCmd(context.Background(), "ingest", "--db", single, "--quiet", dir); code != ExitOK {
		t.Fatalf("ingest: exit %d\n%s", code, errOut)
	}
	w, one := groupsByInput(t, dsn), groupsByInput(t, single)
	ws, ones := partition(w.story), partition(one.story)
	largest := func(label map[string]string) int {
		n := map[string]int{}
		m := 0
		for _, s := range label {
			n[s]++
			m = max(m, n[s])
		}
		return m
	}
	_, _, f1 := pairF1(w.story, one.story)
	t.Logf("stories: %d from the workers (largest %d articles), %d from one process (largest %d); pairwise F1 %.3f",
		len(ws), largest(w.story), len(ones), largest(one.story), f1)
	if 4*len(ws) < 3*len(ones) {
		t.Errorf("the workers made %d stories of %d articles, one process %d: fewer than three quarters", len(ws), len(w.story), len(ones))
	}
}

// drainWorker is a `newsdesk worker --drain` process started by
// startDrainWorkers.
type drainWorker struct {
	stderr fmt.Stringer
	exited <-chan error
}

// startDrainWorkers starts n worker processes on the queue at url, one job
// and 16 items in flight each, that exit once the queue is empty; they
// are killed at the end of the test if still running. Processes, not
// in-process commands: commands running at once in one process race on
// package state (cli.Main sets fetch.Version).
func startDrainWorkers(t *testing.T, bin, dsn, url string, n int) []drainWorker {
	t.Helper()
	var ws []drainWorker
	for range n {
		cmd, stderr, exited := startNewsdesk(t, bin, dsn, "worker", "--queue", url, "--drain", "-j", "1", "--in-flight", "16", "--quiet")
		t.Cleanup(func() { _ = cmd.Process.Kill() })
		ws = append(ws, drainWorker{stderr: stderr, exited: exited})
	}
	return ws
}

// waitWorkers waits for each worker to exit cleanly, 3 minutes at most.
func waitWorkers(t *testing.T, ws []drainWorker) {
	t.Helper()
	for i, w := range ws {
		select {
		case err := <-w.exited:
			if err != nil {
				t.Fatalf("worker %d: %v\n%s", i, err, w.stderr)
			}
		case <-time.After(3 * time.Minute):
			t.Fatalf("worker %d did not finish", i)
		}
	}
}
