package extract

import (
	"bytes"
	"mime"
	"strings"
	uni "unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/newsdesk/newsdesk/charset"
)

// prescanLimit bounds the search for a <meta charset>. Browsers look at the
// first 1024 bytes only, but pages declare it later often enough (after
// long scripts in the head) that reading the whole head is worth it.
const prescanLimit = 64 << 10

// decode returns raw as UTF-8 and the name of its encoding. The charsets of
// the Content-Type header and of a <meta> declaration are claims that
// internal/charset checks against the bytes, the header's first: a BOM
// wins, valid multi-byte UTF-8 is UTF-8 whatever is declared, a claim the
// bytes contradict (invalid sequences, or a reading that scores far worse
// than another) is dropped, and without a claim that holds the encoding is
// detected from the page's text.
func decode(raw []byte, contentType string) ([]byte, string) {
	var declared []string
	if cs := headerCharset(contentType); cs != "" {
		declared = append(declared, cs)
	}
	if cs := metaCharset(raw[:min(len(raw), prescanLimit)]); cs != "" {
		declared = append(declared, cs)
	}
	out, name, err := charset.DecodeHTML(raw, declared...)
	if err != nil {
		return bytes.ToValidUTF8(raw, []byte("\uFFFD")), "utf-8"
	}
	return out, name
}

// headerCharset returns the charset parameter of a Content-Type value.
func headerCharset(contentType string) string {
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return params["charset"]
	}
	// A malformed header ("text/html; charset=utf-8;;") still names it.
	i := strings.Index(strings.ToLower(contentType), "charset=")
	if i < 0 {
		return ""
	}
	v := contentType[i+len("charset="):]
	if j := strings.IndexAny(v, "; "); j >= 0 {
		v = v[:j]
	}
	return strings.Trim(v, `"'`)
}

// metaCharset returns the charset label declared in a <meta> tag of head.
func metaCharset(head []byte) string {
	if !containsFold(head, "charset") {
		return ""
	}
	z := html.NewTokenizer(bytes.NewReader(head))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			if string(name) == "body" {
				return ""
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
				cs = headerCharset(content)
			}
			if cs = strings.TrimSpace(cs); cs != "" {
				if _, _, ok := charset.Lookup(cs); ok {
					return cs
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

// isWordRune matches the \w class of the benchmark's tokenizer.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
	}
	return uni.IsLetter(r) || uni.IsNumber(r)
}
