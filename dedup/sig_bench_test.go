package dedup

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"math"
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

// stdlibMul and stdlibAdd are the peer's NumHashes permutations
// x -> x*mul+add (mod 2^64), bijections because every mul is odd, drawn once
// from a fixed PCG.
var stdlibMul, stdlibAdd = func() (m, a [NumHashes]uint64) {
	rng := rand.New(rand.NewPCG(7, 11))
	for k := range m {
		m[k] = rng.Uint64() | 1
		a[k] = rng.Uint64()
	}
	return m, a
}()

// stdlibSignature is the peer: a plain MinHash written with the standard
// library only. It lower-cases and splits the text with strings, joins word
// 4-grams into strings, hashes each distinct shingle once with FNV-1a
// (hash/fnv), and derives the NumHashes rows from that one hash with a
// multiply-add permutation each, keeping the smallest value per row.
func stdlibSignature(doc string) [NumHashes]uint64 {
	words := strings.Fields(strings.ToLower(doc))
	set := make(map[uint64]struct{}, len(words))
	h := fnv.New64a()
	for j := 0; j+DefaultShingleWords <= len(words); j++ {
		h.Reset()
		io.WriteString(h, strings.Join(words[j:j+DefaultShingleWords], " "))
		set[h.Sum64()] = struct{}{}
	}
	var sig [NumHashes]uint64
	for k := range sig {
		sig[k] = math.MaxUint64
	}
	for x := range set {
		for k := range sig {
			sig[k] = min(sig[k], x*stdlibMul[k]+stdlibAdd[k])
		}
	}
	return sig
}

// stdlibSink keeps the peer's result alive in the benchmark.
var stdlibSink [NumHashes]uint64

// BenchmarkSignatureStdlib measures the peer on the articles
// BenchmarkSignature signs.
func BenchmarkSignatureStdlib(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	docs := make([]string, 64)
	size := 0
	for i := range docs {
		docs[i] = benchArticle(rng)
		size += len(docs[i])
	}
	b.SetBytes(int64(size / len(docs)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		stdlibSink = stdlibSignature(docs[i%len(docs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// TestSignatureStdlibPeer checks that the benchmark's peer is a working
// MinHash, so that the comparison is with a usable implementation: its
// estimate of the Jaccard similarity of two texts' word 4-gram sets lies
// close to the exact value.
func TestSignatureStdlibPeer(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	shingles := func(doc string) map[string]bool {
		words := strings.Fields(strings.ToLower(doc))
		set := map[string]bool{}
		for j := 0; j+DefaultShingleWords <= len(words); j++ {
			set[strings.Join(words[j:j+DefaultShingleWords], " ")] = true
		}
		return set
	}
	for _, keep := range []int{0, 2, 4, 6, 8} {
		// a and b share keep of ten paragraphs, the rest their own.
		var pa, pb []string
		for i := range 10 {
			p := benchArticle(rng)[:400]
			pa = append(pa, p)
			if i < keep {
				pb = append(pb, p)
			} else {
				pb = append(pb, benchArticle(rng)[:400])
			}
		}
		a, b := strings.Join(pa, "\n\n"), strings.Join(pb, "\n\n")
		sa, sb := shingles(a), shingles(b)
		inter := 0
		for s := range sa {
			if sb[s] {
				inter++
			}
		}
		exact := float64(inter) / float64(len(sa)+len(sb)-inter)
		siga, sigb := stdlibSignature(a), stdlibSignature(b)
		agree := 0
		for k := range siga {
			if siga[k] == sigb[k] {
				agree++
			}
		}
		est := float64(agree) / NumHashes
		t.Logf("%d shared paragraphs: exact Jaccard %.3f, peer estimate %.3f", keep, exact, est)
		// With 64 rows the estimate's standard deviation is at most 0.0625.
		if math.Abs(est-exact) > 0.2 {
			t.Errorf("%d shared paragraphs: peer estimates Jaccard %.3f, exact %.3f", keep, est, exact)
		}
	}
}
