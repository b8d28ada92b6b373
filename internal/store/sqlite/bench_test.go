package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// benchCorpusVersion names the cached benchmark database; bump it when the
// schema or the generator changes.
const benchCorpusVersion = "v1"

const (
	benchArticles = 100_000
	benchSize     = 5000 // bytes of text per article
)

// benchStore opens the 100,000-article database, generating it on first use
// and caching it under os.TempDir() for later runs.
func benchStore(b *testing.B) *Store {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), "newsdesk-bench-search-"+benchCorpusVersion+".db")
	if _, err := os.Stat(path + ".done"); err != nil {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
		b.Logf("generating %d articles into %s (once)", benchArticles, path)
		s, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		g := storetest.New(42)
		start := time.Now()
		const batch = 1000
		for i := 0; i < benchArticles; i += batch {
			es := make([]store.Entry, 0, batch)
			for j := i; j < i+batch; j++ {
				a, raw := g.Article(j, benchSize)
				es = append(es, store.Entry{Article: a, Raw: raw})
			}
			if _, err := s.Put(ctx, es); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
		s.Close()
		b.Logf("generated in %s", time.Since(start).Round(time.Second))
		if err := os.WriteFile(path+".done", nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkSearch measures two-word queries over 100,000 stored articles
// and reports the 95th-percentile latency, plus the store's size per article.
func BenchmarkSearch(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	vocab := storetest.Vocabulary()
	for _, bc := range []struct {
		name   string
		lo, hi int // word frequency ranks drawn from
	}{
		{"mid-frequency", 50, 5000},
		{"common", 2, 50},
		{"rare", 5000, 20000},
	} {
		b.Run(bc.name, func(b *testing.B) {
			g := storetest.New(7)
			_ = g
			queries := make([]string, 500)
			for i := range queries {
				r1 := bc.lo + (i*7919)%(bc.hi-bc.lo)
				r2 := bc.lo + (i*104729+13)%(bc.hi-bc.lo)
				queries[i] = vocab[r1] + " " + vocab[r2]
			}
			var lat []time.Duration
			hits := 0
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				t0 := time.Now()
				h, err := s.Search(ctx, store.Query{Text: queries[i%len(queries)]})
				lat = append(lat, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
				hits += len(h)
			}
			b.StopTimer()
			slices.Sort(lat)
			p := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(p(0.50), "p50-ms")
			b.ReportMetric(p(0.95), "p95-ms")
			b.ReportMetric(float64(hits)/float64(len(lat)), "hits/op")
		})
	}
	st, err := s.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("store: %d articles, %d bytes on disk, %d bytes/article (raw %d B -> %d B stored)",
		st.Articles, st.SizeBytes, st.SizeBytes/int64(st.Articles), st.RawBytes, st.RawStored)
}

// BenchmarkPut measures storing batches of 256 articles of about 5 KB,
// directly (without processing), and reports articles/s and bytes/article.
func BenchmarkPut(b *testing.B) {
	ctx := context.Background()
	g := storetest.New(3)
	const batch = 256
	var entries [][]store.Entry
	for range 8 {
		es := make([]store.Entry, batch)
		for j := range es {
			a, raw := g.Article(len(entries)*batch+j, benchSize)
			es[j] = store.Entry{Article: a, Raw: raw}
		}
		entries = append(entries, es)
	}
	s, err := Open(ctx, filepath.Join(b.TempDir(), "put.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	n := 0
	for i := 0; b.Loop(); i++ {
		es := entries[i%len(entries)]
		// Give each round new ids so that every Put stores.
		for j := range es {
			es[j].Article.ID = es[j].Article.ID[:len(es[j].Article.ID)-0] + "-" + string(rune('a'+i%26)) + string(rune('a'+(i/26)%26)) + string(rune('a'+(i/676)%26))
		}
		if _, err := s.Put(ctx, es); err != nil {
			b.Fatal(err)
		}
		n += len(es)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
	st, _ := s.Stats(ctx)
	if st.Articles > 0 {
		b.ReportMetric(float64(st.SizeBytes)/float64(st.Articles), "bytes/article")
	}
}
