package repair

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Decode returns raw as UTF-8 text and the name of the encoding it was in:
// "utf-8", "utf-16le", "utf-16be", "windows-1252" or "iso-8859-1". A leading
// byte order mark is dropped. Binary data (NUL bytes, control characters,
// known binary signatures) is rejected with ErrBinary, and input holding
// nothing but white space with ErrEmpty.
func Decode(raw []byte) (string, string, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return "", "", ErrEmpty
	}
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		raw = raw[3:]
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}):
		return decodeWith(raw, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le")
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return decodeWith(raw, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be")
	}
	if kind := binaryKind(raw); kind != "" {
		return "", "", fmt.Errorf("%w (%s)", ErrBinary, kind)
	}
	if utf8.Valid(raw) {
		return string(raw), "utf-8", nil
	}
	// Not UTF-8: a legacy single-byte encoding. Bytes 0x80-0x9F are control
	// codes in ISO-8859-1 but printable (quotes, dashes, euro) in Windows-1252,
	// which is what browsers assume for "latin-1" anyway.
	enc, name := charmap.ISO8859_1, "iso-8859-1"
	for _, b := range raw {
		if b >= 0x80 && b <= 0x9F {
			enc, name = charmap.Windows1252, "windows-1252"
			break
		}
	}
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return "", "", fmt.Errorf("repair: decoding %s: %w", name, err)
	}
	return string(out), name, nil
}

func decodeWith(raw []byte, enc encoding.Encoding, name string) (string, string, error) {
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return "", "", fmt.Errorf("repair: decoding %s: %w", name, err)
	}
	if len(bytes.TrimSpace(out)) == 0 {
		return "", "", ErrEmpty
	}
	if kind := binaryKind(out); kind != "" {
		return "", "", fmt.Errorf("%w (%s)", ErrBinary, kind)
	}
	return string(out), name, nil
}

// binaryKind names the reason raw looks binary, or returns "" for text.
func binaryKind(raw []byte) string {
	for _, sig := range signatures {
		if bytes.HasPrefix(raw, sig.magic) {
			return sig.name + " data"
		}
	}
	if bytes.IndexByte(raw, 0) >= 0 {
		return "contains NUL bytes"
	}
	head := raw
	if len(head) > 16<<10 {
		head = head[:16<<10]
	}
	controls := 0
	for _, b := range head {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x1B {
			controls++
		}
	}
	// A few stray control characters happen in scraped text; many do not.
	if controls > 8 && controls*100 > len(head) {
		return "too many control characters"
	}
	return ""
}

var signatures = []struct {
	magic []byte
	name  string
}{
	{[]byte{0x1F, 0x8B}, "gzip"},
	{[]byte("PK\x03\x04"), "zip"},
	{[]byte("%PDF-"), "PDF"},
	{[]byte("\x89PNG"), "PNG"},
	{[]byte{0xFF, 0xD8, 0xFF}, "JPEG"},
	{[]byte("GIF8"), "GIF"},
	{[]byte("\x7FELF"), "ELF"},
	{[]byte{0xFD, '7', 'z', 'X', 'Z', 0}, "xz"},
	{[]byte{0x28, 0xB5, 0x2F, 0xFD}, "zstd"},
	{[]byte("SQLite format 3\x00"), "SQLite"},
}
