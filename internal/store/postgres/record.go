package postgres

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/klauspost/compress/s2"
	"github.com/newsdesk/newsdesk/article"
)

// The stored record of an article is its JSON (encoding/json's bytes)
// without Fetched, DupGroup and Story, which are columns: they change
// without the content changing. Its content hash is the sha256 of the
// same JSON with input.name empty, so the same content read by another
// path is unchanged; the SQLite store hashes the same bytes, so hashes
// compare across stores.

// record returns the stored record of a and its content hash.
func record(a *article.Article) (rec []byte, hash string, err error) {
	c := *a
	c.Fetched = time.Time{}
	c.DupGroup, c.Story = "", ""
	rec, err = json.Marshal(&c)
	if err != nil {
		return nil, "", fmt.Errorf("record: %w", err)
	}
	if c.Input.Name == "" {
		return rec, sha256Hex(rec), nil
	}
	c.Input.Name = ""
	unnamed, err := json.Marshal(&c)
	if err != nil {
		return nil, "", fmt.Errorf("record: %w", err)
	}
	return rec, sha256Hex(unnamed), nil
}

// hashRecord returns the content hash of a stored record (decompressed),
// which check compares with the stored hash.
func hashRecord(rec []byte) (string, error) {
	var a article.Article
	if err := json.Unmarshal(rec, &a); err != nil {
		return "", fmt.Errorf("record: %w", err)
	}
	_, h, err := record(&a)
	return h, err
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Codecs name how a blob is stored, beside it, so that the choice can
// change without rewriting old data. They are the SQLite store's names.
const (
	codecNone = "none"
	codecS2   = "s2" // one S2 block (klauspost/compress), Snappy-compatible
)

// compress returns data as S2, or as it is when that is not smaller.
func compress(data []byte) ([]byte, string) {
	if len(data) < 64 {
		return data, codecNone
	}
	out := s2.Encode(nil, data)
	if len(out) >= len(data) {
		return data, codecNone
	}
	return out, codecS2
}

// maxDecoded bounds the length a stored block may claim (4 GiB).
const maxDecoded = 1 << 32

// decompress reverses compress.
func decompress(data []byte, codec string) ([]byte, error) {
	switch codec {
	case codecNone:
		return data, nil
	case codecS2:
		n, err := s2.DecodedLen(data)
		if err != nil {
			return nil, fmt.Errorf("s2: %w", err)
		}
		if n > maxDecoded {
			return nil, errors.New("s2: bad length")
		}
		out, err := s2.Decode(make([]byte, n), data)
		if err != nil {
			return nil, fmt.Errorf("s2: %w", err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown codec %q", codec)
}

// decodeRecord reads a stored record with its columns.
func decodeRecord(codec string, rec []byte, fetched *int64, dup, story *string) (*article.Article, error) {
	data, err := decompress(rec, codec)
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	var a article.Article
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	if fetched != nil {
		a.Fetched = time.UnixMilli(*fetched).UTC()
	}
	if dup != nil {
		a.DupGroup = *dup
	}
	if story != nil {
		a.Story = *story
	}
	return &a, nil
}
