package sqlite

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// cjkEvery: one benchmark article in cjkEvery is CJK (10,000 of 100,000).
const cjkEvery = 10

const cjkVocabSize = 8000

// cjkVocab is a fictional vocabulary of two- and three-character words:
// Han for Chinese and Japanese, Hangul syllables for Korean (every third
// word), drawn from fixed ranges.
var cjkVocab = func() []string {
	r := rand.New(rand.NewPCG(11, 12))
	seen := map[string]bool{}
	var v []string
	for len(v) < cjkVocabSize {
		base, span := 0x4E00, 2500 // common CJK unified ideographs
		if len(v)%3 == 2 {
			base, span = 0xAC00, 2000 // Hangul syllables
		}
		n := 2 + r.IntN(2)
		var b strings.Builder
		for range n {
			b.WriteRune(rune(base + r.IntN(span)))
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			v = append(v, w)
		}
	}
	return v
}()

// cjkArticle replaces a's title and text with CJK text of about the same
// number of characters as its English text has bytes / 3, words drawn
// Zipf-like from cjkVocab (rank 1 commonest), Han words run together with
// a kana particle between some, Hangul words separated by spaces.
func cjkArticle(a *article.Article, seed int) {
	r := rand.New(rand.NewPCG(uint64(seed), 99))
	word := func() string {
		return cjkVocab[int(float64(cjkVocabSize)*r.Float64()*r.Float64()*r.Float64())]
	}
	sentence := func() string {
		var b strings.Builder
		for i := range 8 + r.IntN(10) {
			w := word()
			b.WriteString(w)
			switch {
			case w[0] >= 0xEA: // Hangul
				b.WriteString(" ")
			case i%4 == 3:
				b.WriteString([]string{"の", "は", "を", "に"}[r.IntN(4)])
			}
		}
		return strings.TrimSpace(b.String()) + "。"
	}
	var paras []string
	n := 0
	for n < benchSize {
		p := sentence() + sentence() + sentence()
		paras = append(paras, p)
		n += len(p)
	}
	a.Title = sentence()
	a.Paragraphs = paras
	a.Language = "zh"
	a.Finalize()
}

// benchCorpusVersion names the cached benchmark database; bump it when the
// schema or the generator changes.
const benchCorpusVersion = "v2"

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
				if j%cjkEvery == 0 {
					// One article in cjkEvery is Chinese, Japanese or
					// Korean, of the same size in characters.
					cjkArticle(a, j)
					raw = []byte(a.Title + "\n\n" + a.Text)
				}
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
		{"cjk-mid-frequency", 50, 2000},
		{"cjk-common", 2, 50},
		{"cjk-rare", 2000, cjkVocabSize},
	} {
		b.Run(bc.name, func(b *testing.B) {
			g := storetest.New(7)
			_ = g
			queries := make([]string, 500)
			for i := range queries {
				r1 := bc.lo + (i*7919)%(bc.hi-bc.lo)
				r2 := bc.lo + (i*104729+13)%(bc.hi-bc.lo)
				queries[i] = vocab[r1] + " " + vocab[r2]
				if strings.HasPrefix(bc.name, "cjk-") {
					queries[i] = cjkVocab[r1] + " " + cjkVocab[r2]
				}
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
