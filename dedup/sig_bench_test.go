package dedup

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// benchArticle builds a fictional ~4 KB article from a fixed vocabulary.
func benchArticle(rng *rand.Rand) string {
	var b strings.Builder
	for b.Len() < 4096 {
		n := 40 + rng.IntN(60)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			w := benchVocab[rng.IntN(len(benchVocab))]
			if i == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
		}
		b.WriteString(".\n\n")
	}
	return b.String()
}

var benchVocab = func() []string {
	base := strings.Fields("the council said on monday that harbour repairs would start in spring after a vote of nine to two " +
		"residents told reporters they feared the bridge closure would cut trade minister Orla Vance promised funds " +
		"police confirmed an inquiry into the fire at the depot where twelve buses were destroyed overnight")
	var v []string
	for i := 0; i < 3000; i++ {
		v = append(v, fmt.Sprintf("%s%d", base[i%len(base)], i/len(base)))
	}
	return append(v, base...)
}()

func BenchmarkSignature(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	docs := make([]string, 64)
	size := 0
	for i := range docs {
		docs[i] = benchArticle(rng)
		size += len(docs[i])
	}
	var sh Shingler
	b.SetBytes(int64(size / len(docs)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s := sh.Text(docs[i%len(docs)])
		sig := Sign(s)
		_ = sig
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkLookup measures one incremental step, Detector.Add of a new
// article (sketch, band candidates, exact verification, insertion), with
// benchIndexed articles already in an in-memory store. The pre-indexed
// articles get random band keys, as unrelated articles do; their catalogue
// entries carry a one-shingle fingerprint, so heap/article counts the index
// and catalogue overhead but not fingerprints (4 bytes a shingle, about
// 2.6 KB for a 4 KB article, when kept in memory).
func BenchmarkLookup(b *testing.B) {
	n := benchIndexed()
	ctx := context.Background()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	st := NewMemStore()
	rng := rand.New(rand.NewPCG(3, 4))
	bands := make([]uint64, NumBands)
	for i := range n {
		id := fmt.Sprintf("t%019d", i)
		for k := range bands {
			bands[k] = rng.Uint64()
		}
		if err := st.Add(ctx, id, bands); err != nil {
			b.Fatal(err)
		}
		st.PutEntry(ctx, Entry{ID: id, Group: id, Fingerprint: Fingerprint{uint32(i)}})
		st.PutGroup(ctx, Group{ID: id, Rep: id, RepSize: 1, Members: 1})
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perArticle := float64(after.HeapAlloc-before.HeapAlloc) / float64(n)

	d := NewDetector(st, Config{})
	docs := make([]string, 4096)
	for i := range docs {
		docs[i] = benchArticle(rng)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// One add in eight is a copy of a recent article, so candidate
		// verification and group joins are part of the measurement.
		j := i % len(docs)
		if i%8 == 7 {
			j -= 7
		}
		if _, err := d.AddText(ctx, fmt.Sprintf("q%d", i), docs[j]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "indexed")
	b.ReportMetric(perArticle, "heapB/article")
}

// benchIndexed is the number of articles indexed before BenchmarkLookup
// measures: 1,000,000, or NEWSDESK_BENCH_INDEXED.
func benchIndexed() int {
	if s := os.Getenv("NEWSDESK_BENCH_INDEXED"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return 1_000_000
}

// BenchmarkSignatureStdlib is the peer: a plain MinHash from the standard
// library, as commonly written: lower-case and split with strings, join
// word 4-grams into strings, and hash each shingle once per permutation
// with FNV-1a seeded by the permutation number.
func BenchmarkSignatureStdlib(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	docs := make([]string, 64)
	for i := range docs {
		docs[i] = benchArticle(rng)
	}
	b.SetBytes(int64(len(docs[0])))
	for i := 0; b.Loop(); i++ {
		words := strings.Fields(strings.ToLower(docs[i%len(docs)]))
		set := map[string]bool{}
		for j := 0; j+DefaultShingleWords <= len(words); j++ {
			set[strings.Join(words[j:j+DefaultShingleWords], " ")] = true
		}
		var sig [NumHashes]uint64
		for k := range sig {
			sig[k] = ^uint64(0)
		}
		h := fnv.New64a()
		for sh := range set {
			for k := range sig {
				h.Reset()
				h.Write([]byte{byte(k)})
				h.Write([]byte(sh))
				sig[k] = min(sig[k], h.Sum64())
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}
