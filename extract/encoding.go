package extract

import (
	"bytes"
	"mime"
	"strings"
	uni "unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// prescanLimit bounds the search for a <meta charset>. Browsers look at the
// first 1024 bytes only, but pages declare it later often enough (after
// long scripts in the head) that reading the whole head is worth it.
const prescanLimit = 64 << 10

// decode returns raw as UTF-8 and the name of its encoding, found from the
// BOM, the Content-Type header, a <meta> declaration, or detection: valid
// UTF-8 is UTF-8, anything else windows-1252.
func decode(raw []byte, contentType string) ([]byte, string) {
	if e, name, n := bomEncoding(raw); e != nil {
		return transcode(raw[n:], e, name)
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if e, name := charset.Lookup(params["charset"]); e != nil {
			return transcode(raw, e, name)
		}
	}
	if e, name := metaCharset(raw[:min(len(raw), prescanLimit)]); e != nil {
		// A page declaring a single-byte charset but holding valid
		// multi-byte UTF-8 is UTF-8 that lies; the reverse is not checked.
		if name != "utf-8" && hasHighBit(raw) && utf8.Valid(raw) && name == "windows-1252" && looksUTF8(raw) {
			return raw, "utf-8"
		}
		return transcode(raw, e, name)
	}
	if utf8.Valid(raw) {
		return raw, "utf-8"
	}
	return transcode(raw, charmap.Windows1252, "windows-1252")
}

func bomEncoding(raw []byte) (encoding.Encoding, string, int) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		return encoding.Nop, "utf-8", 3
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", 2
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", 2
	}
	return nil, "", 0
}

func transcode(raw []byte, e encoding.Encoding, name string) ([]byte, string) {
	if name == "utf-8" {
		return raw, name
	}
	if name == "utf-16le" || name == "utf-16be" || strings.HasPrefix(name, "utf-16") {
		// A <meta> cannot truthfully declare UTF-16 in an ASCII-compatible
		// document; only a BOM can, and that path strips the BOM first.
		if !bytes.Contains(raw[:min(len(raw), 512)], []byte{0}) {
			return raw, "utf-8"
		}
	}
	out, err := e.NewDecoder().Bytes(raw)
	if err != nil {
		return bytes.ToValidUTF8(raw, []byte("\uFFFD")), "utf-8"
	}
	return out, name
}

// metaCharset finds a charset declared in a <meta> tag of head.
func metaCharset(head []byte) (encoding.Encoding, string) {
	if !containsFold(head, "charset") {
		return nil, ""
	}
	z := html.NewTokenizer(bytes.NewReader(head))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil, ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			if string(name) == "body" {
				return nil, ""
			}
			if string(name) != "meta" {
				continue
			}
			var cs, content string
			var httpEquiv bool
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "charset":
					cs = string(v)
				case "content":
					content = string(v)
				case "http-equiv":
					httpEquiv = strings.EqualFold(string(v), "content-type")
				}
			}
			if cs == "" && httpEquiv {
				if _, params, err := mime.ParseMediaType(content); err == nil {
					cs = params["charset"]
				}
			}
			if cs != "" {
				if e, n := charset.Lookup(strings.TrimSpace(cs)); e != nil {
					return e, n
				}
			}
		}
	}
}

// containsFold reports whether b holds the lowercase ASCII word w in any
// case, without copying b.
func containsFold(b []byte, w string) bool {
	for i := 0; i+len(w) <= len(b); i++ {
		j := 0
		for j < len(w) && b[i+j]|0x20 == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

func hasHighBit(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// looksUTF8 reports text whose multi-byte sequences decode to letters, as
// real UTF-8 does; windows-1252 text is almost never valid UTF-8 anyway.
func looksUTF8(b []byte) bool {
	multi := 0
	for len(b) > 0 {
		_, n := utf8.DecodeRune(b)
		if n > 1 {
			multi++
		}
		b = b[n:]
	}
	return multi > 0
}

// isWordRune matches the \w class of the benchmark's tokenizer.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
	}
	return uni.IsLetter(r) || uni.IsNumber(r)
}
