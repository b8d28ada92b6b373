package dedup

import "math"

// MinHash and banding parameters; DESIGN.md derives them.
const (
	// NumHashes is the number of MinHash permutations in a Signature.
	NumHashes = BandRows * NumBands
	// BandRows is the number of signature rows hashed into one band key.
	BandRows = 2
	// NumBands is the number of LSH bands, so of index keys per article.
	NumBands = 32
	// Seed fixes the permutations, so signatures are reproducible across
	// runs and machines and can be persisted.
	Seed uint64 = 0x6e657773646573 // "newsdes"
)

// Signature is the MinHash signature of a shingle set: for each of NumHashes
// fixed permutations, the smallest permuted shingle hash (32 bits). Two sets
// agree in a row with probability equal to their Jaccard similarity.
type Signature [NumHashes]uint32

// permMul and permAdd define NumHashes/2 multiply-add maps x -> x*mul+add
// (mod 2^64), bijections because every mul is odd, derived from Seed by
// SplitMix64. Each map yields two rows: the high 32 bits of the result, which
// depend on all bits of x, and the low 32 bits, a bijection of the low half
// of x. Shingle hashes are fully mixed, so the two halves rank a set
// independently.
var permMul, permAdd = func() (m, a [NumHashes / 2]uint64) {
	s := Seed
	next := func() uint64 {
		s += 0x9E3779B97F4A7C15
		return mix64(s)
	}
	for i := range m {
		m[i] = next() | 1
		a[i] = next()
	}
	return m, a
}()

// Sign returns the MinHash signature of a set of shingle hashes, such as
// Shingler returns. Each shingle was hashed once; one multiply-add per pair
// of rows derives the permutations, and nothing is allocated.
func Sign(shingles []uint64) Signature {
	const half = NumHashes / 2
	var hi, lo [half]uint32
	// Map by map over all shingles, so that the running minimums stay in
	// registers.
	for i := range half {
		m, a := permMul[i], permAdd[i]
		h, l := uint32(math.MaxUint32), uint32(math.MaxUint32)
		for _, x := range shingles {
			v := x*m + a
			h = min(h, uint32(v>>32))
			l = min(l, uint32(v))
		}
		hi[i], lo[i] = h, l
	}
	// High halves first, then low halves: a band of two rows takes halves
	// of two different maps.
	var sig Signature
	copy(sig[:half], hi[:])
	copy(sig[half:], lo[:])
	return sig
}

// Similarity estimates the Jaccard similarity of the sets behind a and b: the
// share of rows in which they agree.
func (s *Signature) Similarity(o *Signature) float64 {
	n := 0
	for i := range s {
		if s[i] == o[i] {
			n++
		}
	}
	return float64(n) / NumHashes
}

// Bands returns the NumBands LSH keys of s: band b hashes rows
// [b*BandRows, (b+1)*BandRows) together with b, so that equal rows in
// different bands give different keys. Two articles share a band key with
// probability 1-(1-J^BandRows)^NumBands in their Jaccard similarity J.
func (s *Signature) Bands() []uint64 {
	keys := make([]uint64, NumBands)
	s.AppendBands(keys[:0])
	return keys
}

// AppendBands appends the band keys of s to dst and returns it.
func (s *Signature) AppendBands(dst []uint64) []uint64 {
	for b := 0; b < NumBands; b++ {
		h := uint64(b+1) * 0xD6E8FEB86659FD93
		for r := 0; r < BandRows; r++ {
			h = mix64(h ^ uint64(s[b*BandRows+r]))
		}
		dst = append(dst, h)
	}
	return dst
}

// CandidateProbability is the LSH S-curve: the probability that two articles
// with Jaccard similarity j share at least one band key.
func CandidateProbability(j float64) float64 {
	return 1 - math.Pow(1-math.Pow(j, BandRows), NumBands)
}
