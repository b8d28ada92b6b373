package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// readOnlyRunner returns a function that runs the newsdesk binary as a
// user for whom dir is really read-only. Tests here run as root in CI,
// where permission bits stop nothing, so as root the commands run as
// nobody through setpriv(1); the test is skipped only when neither works.
func readOnlyRunner(t *testing.T, bin, dir string) func(args ...string) (string, string, int) {
	t.Helper()
	var prefix []string
	if os.Geteuid() == 0 {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Skip("running as root without setpriv(1): no way to make a folder read-only for the process")
		}
		prefix = []string{setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"}
		// nobody must reach the binary.
		if err := os.Chmod(filepath.Dir(bin), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (string, string, int) {
		argv := append(append([]string{}, prefix...), append([]string{bin}, args...)...)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), "HOME="+os.TempDir(), "NEWSDESK_DB=")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatalf("%v: %v", args, err)
			}
			code = ee.ExitCode()
		}
		return stdout.String(), stderr.String(), code
	}
	// Prove the folder is read-only for that user before trusting the test.
	if _, _, code := runTouch(prefix, filepath.Join(dir, "probe")); code == 0 {
		t.Skipf("cannot make %s read-only for the test process (a file could be created in it)", dir)
	}
	return run
}

func runTouch(prefix []string, path string) (string, string, int) {
	argv := append(append([]string{}, prefix...), "/bin/sh", "-c", `: > "$1"`, "sh", path)
	cmd := exec.Command(argv[0], argv[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", stderr.String(), 1
	}
	_ = os.Remove(path)
	return "", "", 0
}

// TestReadOnlyDatabase puts a database in a read-only folder (0555, file
// 0444): the reading commands answer as usual, a write fails once with one
// clear message, and no -wal or -shm file is left behind. Before read-only
// opening, stats and search failed with "attempt to write a readonly
// database".
func TestReadOnlyDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := newsdeskBinary(t)
	dir, err := os.MkdirTemp("", "newsdesk-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = os.Chmod(dir, 0o755)
		_ = os.RemoveAll(dir)
	})
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "src")
	if err := os.Mkdir(src, 0o755); err != nil {
		t.Fatal(err)
	}
	corpus(t, src, 12)
	archive := filepath.Join(dir, "archive")
	if err := os.Mkdir(archive, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(archive, "news.db")
	cmd := exec.Command(bin, "ingest", "--quiet", "--offline", "--db", db, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	// Several inputs: the read-only database must be reported once, not
	// once per input.
	for i := range 3 {
		extra := filepath.Join(dir, fmt.Sprintf("extra%d.txt", i))
		if err := os.WriteFile(extra, []byte(fmt.Sprintf("Extra dispatch %d\n\n%s", i, sameBytesText)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	more := filepath.Join(dir, "more.txt")
	if err := os.WriteFile(more, []byte(sameBytesText), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(archive, 0o555); err != nil {
		t.Fatal(err)
	}
	run := readOnlyRunner(t, bin, archive)

	noStray := func(after string) {
		t.Helper()
		for _, suffix := range []string{"-wal", "-shm", "-journal"} {
			if _, err := os.Stat(db + suffix); err == nil {
				t.Errorf("after %s: stray %s", after, filepath.Base(db+suffix))
			}
		}
	}
	for _, args := range [][]string{
		{"stats"},
		{"search", "lanternwick"},
		{"export"},
		{"dups"},
		{"stories"},
	} {
		out, errOut, code := run(append(args, "--db", db)...)
		if code != 0 || strings.Contains(errOut, "readonly") {
			t.Errorf("%v on a read-only database: exit %d\n%s", args, code, errOut)
		}
		if strings.TrimSpace(out) == "" && args[0] != "dups" && args[0] != "stories" {
			t.Errorf("%v printed nothing", args)
		}
		noStray(args[0])
	}
	if out, _, _ := run("search", "lanternwick", "--db", db); !strings.Contains(out, "lanternwick") && !strings.Contains(out, "Filed") {
		t.Logf("search output:\n%s", out)
	}

	_, errOut, code := run("ingest", "--quiet", "--offline", "--db", db, more,
		filepath.Join(dir, "extra0.txt"), filepath.Join(dir, "extra1.txt"), filepath.Join(dir, "extra2.txt"))
	if code == 0 {
		t.Errorf("ingest into a read-only database: exit 0\n%s", errOut)
	}
	if n := strings.Count(errOut, "read-only"); n != 1 {
		t.Errorf("ingest into a read-only database: want one message saying read-only, got %d:\n%s", n, errOut)
	}
	if strings.Contains(errOut, "level=ERROR") || strings.Contains(errOut, "attempt to write") {
		t.Errorf("ingest into a read-only database: raw errors:\n%s", errOut)
	}
	noStray("ingest")
}
