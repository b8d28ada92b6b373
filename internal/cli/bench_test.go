package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// BenchmarkIngestCommand measures `newsdesk ingest DIR` end to end, in
// process: walking 2,000 text files of about 5 KB, repairing, enriching,
// detecting copies and stories, and storing with the full-text index into a
// fresh database. It reports articles/s.
func BenchmarkIngestCommand(b *testing.B) {
	for _, bc := range []struct {
		name  string
		flags []string
	}{
		{"all-stages", nil},
		{"no-stories", []string{"--no-stories"}},
		{"copies-only", []string{"--no-stories", "--no-enrich"}},
	} {
		b.Run(bc.name, func(b *testing.B) { benchIngest(b, bc.flags) })
	}
}

func benchIngest(b *testing.B, flags []string) {
	const files = 2000
	dir := b.TempDir()
	g := storetest.New(11)
	for i := range files {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.txt", i)), g.TextFile(5000), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	round := 0
	for b.Loop() {
		db := filepath.Join(b.TempDir(), fmt.Sprintf("b%d.db", round))
		round++
		var errb bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errb, Getenv: func(k string) string {
			if k == "NEWSDESK_DB" {
				return db
			}
			return ""
		}}
		if code := Main(context.Background(), env, append(append([]string{"ingest", "--quiet"}, flags...), dir)); code != ExitOK {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
		if !strings.Contains(errb.String(), fmt.Sprintf("ingested %d,", files)) {
			b.Fatalf("unexpected summary: %s", errb.String())
		}
	}
	b.ReportMetric(float64(files*b.N)/b.Elapsed().Seconds(), "articles/s")
}
