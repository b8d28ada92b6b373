package dedup

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// setsWithJaccard returns two sets of random hashes with Jaccard similarity j.
func setsWithJaccard(rng *rand.Rand, size int, j float64) ([]uint64, []uint64) {
	// |A|=|B|=size, |A∩B|=n with n/(2size-n)=j.
	n := int(math.Round(2 * float64(size) * j / (1 + j)))
	a := make([]uint64, 0, size)
	b := make([]uint64, 0, size)
	for range n {
		x := rng.Uint64()
		a, b = append(a, x), append(b, x)
	}
	for len(a) < size {
		a = append(a, rng.Uint64())
		b = append(b, rng.Uint64())
	}
	return a, b
}

func TestSignatureEstimatesJaccard(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, j := range []float64{0, 0.1, 0.3, 0.5, 0.8, 1} {
		// Average over trials: the estimator is unbiased with variance
		// j(1-j)/NumHashes per signature.
		// Rows from the high and low halves of one multiply must be as
		// good as independent rows: the variance must match too.
		const trials = 400
		sum, sum2 := 0.0, 0.0
		for range trials {
			a, b := setsWithJaccard(rng, 400, j)
			sa, sb := Sign(a), Sign(b)
			e := sa.Similarity(&sb)
			sum += e
			sum2 += e * e
		}
		mean := sum / trials
		variance := sum2/trials - mean*mean
		want := j * (1 - j) / NumHashes
		sd := math.Sqrt(want/trials) + 1e-9
		if math.Abs(mean-j) > 4*sd+0.005 {
			t.Errorf("J=%.2f: mean estimate %.4f, more than 4 sd (%.4f) off", j, mean, sd)
		}
		if want > 0 && (variance < want/1.5 || variance > want*1.5) {
			t.Errorf("J=%.2f: estimate variance %.5f, want about %.5f (independent rows)", j, variance, want)
		}
	}
}

func TestSignatureDeterministic(t *testing.T) {
	var sh Shingler
	s := sh.Text(join(bridgeParas))
	a := Sign(s)
	rev := make([]uint64, len(s))
	for i, x := range s {
		rev[len(s)-1-i] = x
	}
	b := Sign(rev)
	if a != b {
		t.Error("signature depends on shingle order")
	}
	// A fixed seed: this value must never change, or persisted band keys
	// stop matching new ones.
	if got := Sign([]uint64{1, 2, 3})[0]; got != 0x38b4d1b3 {
		t.Logf("Sign({1,2,3})[0] = %#x", got)
		t.Error("signature of a fixed set changed: persisted band indexes would break")
	}
	// The same for the whole path from text to band keys.
	keys := a.Bands()
	if keys[0] != 0x4090fbaa65a2a0fb || keys[NumBands-1] != 0xabf52bd9669ce7d1 {
		t.Errorf("band keys of a fixed text changed to %#x ... %#x: persisted band indexes would break", keys[0], keys[NumBands-1])
	}
}

func TestBands(t *testing.T) {
	var sh Shingler
	a := Sign(sh.Text(join(bridgeParas)))
	b := a
	if ka, kb := a.Bands(), b.Bands(); len(ka) != NumBands || !equalU64(ka, kb) {
		t.Fatalf("equal signatures must give equal %d band keys", NumBands)
	}
	// Change one row: exactly one band key changes.
	b[5]++
	ka, kb := a.Bands(), b.Bands()
	diff := 0
	for i := range ka {
		if ka[i] != kb[i] {
			diff++
		}
	}
	if diff != 1 {
		t.Errorf("one changed row changed %d band keys, want 1", diff)
	}
	// Equal rows in different bands give different keys.
	var z Signature
	keys := z.Bands()
	seen := map[uint64]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Fatal("two bands of a constant signature share a key")
		}
		seen[k] = true
	}
}

func equalU64(a, b []uint64) bool { return bytes.Equal(u64bytes(a), u64bytes(b)) }

func u64bytes(a []uint64) []byte {
	out := make([]byte, 0, 8*len(a))
	for _, x := range a {
		for i := range 8 {
			out = append(out, byte(x>>(8*i)))
		}
	}
	return out
}

func TestCandidateProbability(t *testing.T) {
	tests := []struct {
		j, lo, hi float64
	}{
		{0.01, 0, 0.005},
		{0.05, 0.07, 0.08},
		{0.15, 0.5, 0.55},
		{0.3, 0.95, 0.96},
		{0.5, 0.9998, 1},
		{1, 1, 1},
	}
	for _, tt := range tests {
		if p := CandidateProbability(tt.j); p < tt.lo || p > tt.hi {
			t.Errorf("P(candidate | J=%.2f) = %.4f, want in [%.4f, %.4f]", tt.j, p, tt.lo, tt.hi)
		}
	}
}

func TestFingerprintSimilarity(t *testing.T) {
	tests := []struct {
		name       string
		a, b       Fingerprint
		jacc, cont float64
	}{
		{"identical", Fingerprint{1, 2, 3, 4}, Fingerprint{1, 2, 3, 4}, 1, 1},
		{"excerpt", Fingerprint{1, 2}, Fingerprint{1, 2, 3, 4}, 0.5, 1},
		{"half overlap", Fingerprint{1, 2, 3, 4}, Fingerprint{3, 4, 5, 6}, 2.0 / 6, 0.5},
		{"disjoint", Fingerprint{1, 2}, Fingerprint{3, 4}, 0, 0},
		{"empty", Fingerprint{}, Fingerprint{1}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, c := tt.a.Similarity(tt.b)
			j2, c2 := tt.b.Similarity(tt.a)
			if math.Abs(j-tt.jacc) > 1e-12 || math.Abs(c-tt.cont) > 1e-12 || j != j2 || c != c2 {
				t.Errorf("got J=%v C=%v (reversed %v %v), want %v %v", j, c, j2, c2, tt.jacc, tt.cont)
			}
		})
	}
}

func TestNewFingerprint(t *testing.T) {
	fp := NewFingerprint([]uint64{5 << 32, 1 << 32, 5<<32 | 7, 3 << 32})
	want := Fingerprint{1, 3, 5}
	if len(fp) != len(want) || fp.Overlap(want) != 3 {
		t.Errorf("got %v, want %v", fp, want)
	}
}

func TestFingerprintBinary(t *testing.T) {
	var sh Shingler
	for _, fp := range []Fingerprint{{}, {0}, {0xffffffff}, {1, 2, 3, 1000, 0xfffffffe}, NewFingerprint(sh.Text(join(bridgeParas)))} {
		data, err := fp.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got Fingerprint
		if err := got.UnmarshalBinary(data); err != nil {
			t.Fatalf("%v: %v", fp, err)
		}
		if len(got) != len(fp) || got.Overlap(fp) != len(fp) {
			t.Errorf("round trip of %d shingles gave %d", len(fp), len(got))
		}
		if len(fp) > 100 && float64(len(data))/float64(len(fp)) > 4 {
			t.Errorf("encoding takes %.1f bytes a shingle, want < 4", float64(len(data))/float64(len(fp)))
		}
	}
	bad := map[string][]byte{
		"empty":            {},
		"unknown version":  {2, 0},
		"truncated":        {1, 3, 1, 1},
		"zero delta":       {1, 2, 5, 0},
		"overflow":         {1, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"trailing":         {1, 1, 5, 9},
		"huge count":       {1, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"bad count varint": {1, 0xff},
	}
	for name, data := range bad {
		var fp Fingerprint
		if err := fp.UnmarshalBinary(data); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: got %v, want ErrCorrupt", name, err)
		}
	}
}
