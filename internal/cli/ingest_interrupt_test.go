package cli

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestIngestInterrupt sends a real SIGINT to an ingest that is fetching
// pages: it stops with one line saying how much was stored, exit code 130,
// and a re-run completes the set. On the code before, the pages in flight
// were logged as "level=ERROR ... context canceled" and counted as failed.
func TestIngestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := newsdeskBinary(t)
	const n = 400
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		select {
		case <-time.After(40 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		i := strings.TrimPrefix(r.URL.Path, "/story/")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "Harbour ferry notice %s\n\nThe harbour authority posted ferry notice %s on Monday, listing changes to the evening sailings between Marrow and Isle Penn.\n\nPassengers were asked to check the timetable for notice %s before travelling.\n", i, i, i)
	}))
	defer srv.Close()
	var list strings.Builder
	for i := range n {
		fmt.Fprintf(&list, "%s/story/%d\n", srv.URL, i)
	}
	urls := filepath.Join(t.TempDir(), "urls.txt")
	if err := os.WriteFile(urls, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "int.db")
	args := []string{"ingest", "--quiet", "-j", "8", "--per-host-delay", "1ms", "--urls", urls}
	cmd, stderr, exited := startNewsdesk(t, bin, db, args...)
	if !waitFor(t, exited, func() bool { return countArticles(t, db) >= 20 }) {
		t.Fatalf("ingest ended before 20 articles were stored: %s", stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-exited:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("ingest did not stop within 30s of SIGINT: %s", stderr.String())
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("exit: %v, want exit code 130", err)
	}
	out := stderr.String()
	m := regexp.MustCompile(`^newsdesk ingest: interrupted: (\d+) stored, re-run to continue\n$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("stderr after SIGINT is not one 'interrupted' line:\n%s", out)
	}
	stored, _ := strconv.Atoi(m[1])
	if got := countArticles(t, db); got != stored || stored >= n {
		t.Errorf("the line says %d stored; the database holds %d of %d", stored, got, n)
	}

	cmd = exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "NEWSDESK_DB="+db)
	res, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("re-run: %v\n%s", err, res)
	}
	want := fmt.Sprintf("ingested %d, unchanged %d, updated 0, failed 0", n-stored, stored)
	if !strings.Contains(string(res), want) {
		t.Errorf("re-run: %q, want %q", res, want)
	}
}
