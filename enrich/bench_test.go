package enrich

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
)

// benchCorpus returns the paragraphs of every golden case, repeated to
// about 256 KiB, so the benchmark measures a realistic mix of prose.
func benchCorpus(b *testing.B) ([]string, int) {
	b.Helper()
	dirs, err := filepath.Glob(filepath.Join("testdata", "golden", "*", "input.txt"))
	if err != nil || len(dirs) == 0 {
		b.Fatalf("no golden inputs: %v", err)
	}
	var base []string
	for _, f := range dirs {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		c := parseCase(string(raw))
		base = append(base, c.paragraphs...)
	}
	var paras []string
	n := 0
	for n < 256<<10 {
		for _, p := range base {
			paras = append(paras, p)
			n += len(p)
		}
	}
	return paras, n
}

// BenchmarkEnrich measures the throughput of the whole pass (entities,
// quotes and times) over one large document.
func BenchmarkEnrich(b *testing.B) {
	paras, n := benchCorpus(b)
	ref := time.Date(2024, 6, 20, 9, 0, 0, 0, time.UTC)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		a := &article.Article{Paragraphs: paras, Published: ref}
		Enrich(a, Options{})
	}
	reportCPU(b, start, n)
}

// BenchmarkEnrichArticles measures throughput over article-sized inputs,
// where per-document setup counts.
func BenchmarkEnrichArticles(b *testing.B) {
	paras, _ := benchCorpus(b)
	var docs [][]string
	n := 0
	for i := 0; i < len(paras); i += 12 {
		j := min(i+12, len(paras))
		docs = append(docs, paras[i:j])
		for _, p := range paras[i:j] {
			n += len(p)
		}
	}
	ref := time.Date(2024, 6, 20, 9, 0, 0, 0, time.UTC)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		for _, d := range docs {
			a := &article.Article{Paragraphs: d, Published: ref}
			Enrich(a, Options{})
		}
	}
	reportCPU(b, start, n)
}

// cpuTime returns the CPU time the process has used (user + system). The
// benchmark machine is shared, so wall-clock MB/s understates the
// throughput; MB/cpu-s is the figure that does not depend on the load.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration, bytes int) {
	if used := cpuTime() - start; used > 0 {
		b.ReportMetric(float64(bytes)*float64(b.N)/used.Seconds()/1e6, "MB/cpu-s")
	}
}
