package sqlite

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
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
	// codecS2Stream is the decoded length as a uvarint, then the S2
	// stream format, written in blocks: blobs of streamMin bytes or more,
	// so that compressing them needs no buffer of their whole worst-case
	// size, and decompressing them one buffer of the exact size.
	codecS2Stream = "s2s"
)

var readers = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// compress returns data in S2 (the Snappy-compatible format of
// klauspost/compress), or data itself with codecNone when compression would
// not make it smaller. S2 compresses news text to about the size deflate's
// fastest level gave, at several times its speed: deflate was 8% of ingest's
// CPU time.
//
// Blobs of streamMin bytes or more become an S2 stream (codecS2Stream).
func compress(data []byte) ([]byte, string) {
	if len(data) < 64 {
		return data, codecNone
	}
	if len(data) >= streamMin || s2.MaxEncodedLen(len(data)) < 0 {
		out, err := compressStream(len(data)/3, func(w io.Writer) (int, error) { return w.Write(data) })
		if err != nil || len(out) >= len(data) {
			return data, codecNone
		}
		return out, codecS2Stream
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
	case codecS2Stream:
		n, k := binary.Uvarint(data)
		if k <= 0 || n > maxDecoded {
			return nil, errors.New("s2 stream: bad length")
		}
		out := make([]byte, n)
		r := s2.NewReader(bytes.NewReader(data[k:]))
		if _, err := io.ReadFull(r, out); err != nil {
			return nil, fmt.Errorf("s2 stream: %w", err)
		}
		var one [1]byte
		if m, err := r.Read(one[:]); m != 0 || err != io.EOF {
			return nil, fmt.Errorf("s2 stream: longer than its length %d", n)
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

// maxDecoded bounds the decoded length a stream blob may claim (64 GiB).
const maxDecoded = 1 << 36

// compressStream returns what write writes, as codecS2Stream: its length
// as a uvarint, then the S2 stream. est is the expected compressed size.
func compressStream(est int, write func(io.Writer) (int, error)) ([]byte, error) {
	// Room for the length in front, filled in once it is known.
	buf := bytes.NewBuffer(make([]byte, binary.MaxVarintLen64, binary.MaxVarintLen64+est))
	zw := s2.NewWriter(buf, s2.WriterConcurrency(1))
	n, err := write(zw)
	if err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	out := buf.Bytes()
	var l [binary.MaxVarintLen64]byte
	k := binary.PutUvarint(l[:], uint64(n))
	start := binary.MaxVarintLen64 - k
	copy(out[start:], l[:k])
	return out[start:], nil
}
