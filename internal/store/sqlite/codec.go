package sqlite

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
)

// Codecs name how a blob is stored. They are recorded beside each blob so
// that the choice can change without rewriting old data.
const (
	codecNone    = "none"
	codecDeflate = "deflate"
)

// compressLevel trades a little size for speed: level 1 keeps the writer
// well ahead of the rest of the ingest pipeline.
const compressLevel = flate.BestSpeed

var writers = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, compressLevel)
	return w
}}

var readers = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// compress returns data deflated, or data itself with codecNone when
// compression would not make it smaller.
func compress(data []byte) ([]byte, string) {
	if len(data) < 64 {
		return data, codecNone
	}
	var buf bytes.Buffer
	buf.Grow(len(data)/2 + 64)
	w := writers.Get().(*flate.Writer)
	w.Reset(&buf)
	_, _ = w.Write(data) // writes to a bytes.Buffer cannot fail
	_ = w.Close()
	writers.Put(w)
	if buf.Len() >= len(data) {
		return data, codecNone
	}
	return buf.Bytes(), codecDeflate
}

// decompress reverses compress. sizeHint, when positive, is the expected
// decoded length.
func decompress(data []byte, codec string, sizeHint int) ([]byte, error) {
	switch codec {
	case codecNone:
		return data, nil
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
