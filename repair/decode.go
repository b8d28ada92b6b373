package repair

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"

	"github.com/newsdesk/newsdesk/charset"
)

// Decode returns raw as UTF-8 text and the name of the encoding it was in:
// "utf-8", "utf-16le" or "utf-16be" (by the byte order mark, which is
// dropped), or the legacy encoding internal/charset detects from the
// bytes: a code page such as "windows-1252", "windows-1250", "iso-8859-2",
// "windows-1251", "koi8-r" or "windows-1253", or a multi-byte encoding
// such as "shift_jis", "euc-jp", "gb18030", "big5" or "euc-kr".
// Windows-1252 text without bytes 0x80-0x9F is reported as "iso-8859-1",
// which reads it the same. UTF-8 with a few stray legacy bytes stays UTF-8,
// the stray bytes read as Windows-1252. Binary data (NUL bytes, control
// characters, known binary signatures) is rejected with ErrBinary, and
// input holding nothing but white space with ErrEmpty.
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
	out, name, err := charset.Decode(raw)
	if err != nil {
		return "", "", fmt.Errorf("repair: %w", err)
	}
	if name == "windows-1252" && !hasC1(raw) {
		// Bytes 0x80-0x9F are control codes in ISO-8859-1 but printable
		// (quotes, dashes, euro) in Windows-1252; without them the two
		// read the same, and the text is most likely Latin-1.
		name = "iso-8859-1"
	}
	return string(out), name, nil
}

func hasC1(raw []byte) bool {
	for _, b := range raw {
		if b >= 0x80 && b <= 0x9F {
			return true
		}
	}
	return false
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
