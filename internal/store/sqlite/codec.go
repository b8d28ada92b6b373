package sqlite

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/s2"
)

// Codecs name how a blob is stored. They are recorded beside each blob so
// that the choice can change without rewriting old data.
const (
	codecNone    = "none"
	codecDeflate = "deflate" // written before S2; still read
	codecS2      = "s2"
)

var readers = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// compress returns data in S2 (the Snappy-compatible format of
// klauspost/compress), or data itself with codecNone when compression would
// not make it smaller. S2 compresses news text to about the size deflate's
// fastest level gave, at several times its speed: deflate was 8% of ingest's
// CPU time.
func compress(data []byte) ([]byte, string) {
	if len(data) < 64 || s2.MaxEncodedLen(len(data)) < 0 {
		return data, codecNone
	}
	out := s2.Encode(nil, data)
	if len(out) >= len(data) {
		return data, codecNone
	}
	return out, codecS2
}

// decompress reverses compress. sizeHint, when positive, is the expected
// decoded length.
func decompress(data []byte, codec string, sizeHint int) ([]byte, error) {
	switch codec {
	case codecNone:
		return data, nil
	case codecS2:
		n, err := s2.DecodedLen(data)
		if err != nil {
			return nil, fmt.Errorf("s2: %w", err)
		}
		out, err := s2.Decode(make([]byte, n), data)
		if err != nil {
			return nil, fmt.Errorf("s2: %w", err)
		}
		return out, nil
	case codecDeflate:
		r := readers.Get().(io.ReadCloser)
		defer readers.Put(r)
		if err := r.(flate.Resetter).Reset(bytes.NewReader(data), nil); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if sizeHint > 0 {
			buf.Grow(sizeHint)
		}
		if _, err := io.Copy(&buf, r); err != nil {
			return nil, fmt.Errorf("inflate: %w", err)
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("unknown codec %q", codec)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
