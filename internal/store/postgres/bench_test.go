package postgres

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// benchBatch is the articles per PutBatch, as ingest writes them.
const benchBatch = 500

// putCorpus stores n synthetic articles of about size bytes of text from
// article first on, benchBatch at a time.
func putCorpus(tb testing.TB, s *Store, g *storetest.Gen, first, n, size int) {
	ctx := context.Background()
	for i := first; i < first+n; i += benchBatch {
		var es []store.Entry
		for j := i; j < min(first+n, i+benchBatch); j++ {
			a, raw := g.Article(j, size)
			es = append(es, store.Entry{Article: a, Raw: raw, ContentType: "text/plain"})
		}
		if _, err := s.PutBatch(ctx, store.Batch{Entries: es}); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkPutBatch measures ingest: batches of benchBatch new articles of
// about 5 KB of text each, with their raw inputs.
func BenchmarkPutBatch(b *testing.B) {
	s := openTest(b)
	g := storetest.New(1)
	putCorpus(b, s, g, 0, 2*benchBatch, 5000) // warm the tables and the index
	n := 0
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		putCorpus(b, s, g, 2*benchBatch+n, benchBatch, 5000)
		n += benchBatch
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "articles/s")
}

// searchCorpus is the size of BenchmarkSearch's corpus; NEWSDESK_BENCH_ARTICLES
// overrides it.
func searchCorpus() int {
	if n, err := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_ARTICLES")); err == nil && n > 0 {
		return n
	}
	return 100000
}

// BenchmarkSearch measures two-word queries of mid-frequency words over a
// corpus of 100,000 articles of about 5 KB, reporting the median and the
// 95th percentile latency.
//
// The corpus takes minutes to store: with NEWSDESK_BENCH_POSTGRES naming a
// database (not a test's: it is kept), it is stored there once and read
// again by later runs.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	if dsn := os.Getenv("NEWSDESK_BENCH_POSTGRES"); dsn != "" {
		var err error
		if s, err = Open(ctx, dsn); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
	}
	g := storetest.New(2)
	n := searchCorpus()
	var have int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	switch {
	case have == 0:
		t0 := time.Now()
		putCorpus(b, s, g, 0, n, 5000)
		b.Logf("stored %d articles in %s (%.0f/s)", n, time.Since(t0).Round(time.Second), float64(n)/time.Since(t0).Seconds())
		// Statistics and the visibility map, as autovacuum would have them.
		if _, err := s.pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
			b.Fatal(err)
		}
	case have != n:
		b.Fatalf("the kept database has %d articles, not %d", have, n)
	default:
		for range n { // the generator's state as after storing
			g.Article(0, 5000)
		}
	}
	queries := make([]string, 200)
	for i := range queries {
		queries[i] = g.Query()
	}
	for _, q := range queries[:20] { // warm the cache
		if _, err := s.Search(ctx, store.Query{Text: q}); err != nil {
			b.Fatal(err)
		}
	}
	var took []time.Duration
	hits := 0
	i := 0
	b.ResetTimer()
	for b.Loop() {
		q := queries[i%len(queries)]
		i++
		t := time.Now()
		res, err := s.Search(ctx, store.Query{Text: q})
		took = append(took, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
		hits += len(res)
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(hits)/float64(len(took)), "hits/query")
}
