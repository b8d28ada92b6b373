package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/source"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// BenchmarkIngest measures the whole ingest path from files: walking a
// directory of plain-text articles of about 5 KB, reading, repairing
// (process.Article), and storing with raw input and full-text index into a
// fresh embedded store. It reports articles/s and the store's bytes/article.
func BenchmarkIngest(b *testing.B) {
	const files = 2000
	dir := b.TempDir()
	g := storetest.New(11)
	var total int64
	for i := range files {
		data := g.TextFile(5000)
		total += int64(len(data))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.txt", i)), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	produce := func(ctx context.Context, yield func(Item) error, onErr func(string, error)) error {
		return source.Walk(ctx, []string{dir}, source.Options{}, func(it source.Item) error {
			return yield(Item{Name: it.Name, URL: it.URL, Date: it.Date, Load: func(ctx context.Context) (Payload, error) {
				p, err := it.Load(ctx)
				return Payload{Raw: p.Raw, ContentType: p.ContentType, URL: p.URL, Fetched: p.Fetched}, err
			}})
		}, onErr)
	}
	var stored, size int64
	round := 0
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), fmt.Sprintf("ingest-%d.db", round))
		round++
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum, err := Run(ctx, Options{Store: s}, produce)
		if err != nil {
			b.Fatal(err)
		}
		if sum.Ingested != files {
			b.Fatalf("ingested %d of %d (%s)", sum.Ingested, files, sum)
		}
		stored += int64(sum.Ingested)
		b.StopTimer()
		// Closing checkpoints the WAL into the file; measure it then.
		s.Close()
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		size = fi.Size()
		b.StartTimer()
	}
	b.ReportMetric(float64(stored)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(size)/files, "bytes/article")
	b.ReportMetric(float64(total)/files, "input-bytes/article")
}
