package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckFindsGarbage ingests a small corpus, checks it (exit 0), then
// writes garbage into the middle of the database file: check must report
// the damage and exit non-zero. Before the check command, the damaged
// database still answered stats and search without a word.
func TestCheckFindsGarbage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := newsdeskBinary(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	if err := os.Mkdir(src, 0o755); err != nil {
		t.Fatal(err)
	}
	corpus(t, src, 300)
	db := filepath.Join(dir, "news.db")
	if out, err := exec.Command(bin, "ingest", "--quiet", "--offline", "--db", db, src).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	run := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return out.String(), ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), 0
	}
	if out, code := run("check", "--db", db); code != 0 {
		t.Fatalf("check of a sound database: exit %d\n%s", code, out)
	}

	f, err := os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	garbage := bytes.Repeat([]byte("fictional garbage \xde\xad\xbe\xef "), 2048)
	if _, err := f.WriteAt(garbage, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	f.Close()

	out, code := run("check", "--db", db)
	if code == 0 {
		t.Fatalf("check of a damaged database: exit 0\n%s", out)
	}
	if !strings.Contains(out, "newsdesk check:") || len(strings.TrimSpace(out)) == 0 {
		t.Errorf("check of a damaged database says too little:\n%s", out)
	}
	t.Logf("check output on the damaged database:\n%s", out)
}
