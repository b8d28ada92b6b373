package charset

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDetect checks that no input or label panics, that Detect and Decode
// agree, and that every decoding is valid UTF-8. The seed corpus is in
// testdata/fuzz/FuzzDetect, plus the test sentences in each encoding.
func FuzzDetect(f *testing.F) {
	for lang, enc := range map[string]string{"ru": "windows-1251", "cs": "iso-8859-2", "ja": "shift_jis", "zh": "gb18030", "ko": "euc-kr", "el": "windows-1253"} {
		f.Add(encode(f, sentences[lang], enc), "")
		f.Add(encode(f, sentences[lang], enc), "utf-8")
	}
	f.Fuzz(func(t *testing.T, raw []byte, declared string) {
		enc, name, _ := Detect(raw, declared)
		if enc == nil || name == "" {
			t.Fatalf("Detect = %v, %q", enc, name)
		}
		out, name2, err := Decode(raw, declared)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "charset: ") {
				t.Fatalf("error %q without the package prefix", err)
			}
			return
		}
		if name2 != name {
			t.Fatalf("Decode says %s, Detect %s", name2, name)
		}
		if !utf8.Valid(out) {
			t.Fatalf("Decode as %s: invalid UTF-8 %q", name, out)
		}
		if out, _, err := DecodeHTML(raw, declared, "utf-8"); err == nil && !utf8.Valid(out) {
			t.Fatalf("DecodeHTML: invalid UTF-8 %q", out)
		}
		if s := HTMLSample(raw); len(s) > SampleSize {
			t.Fatalf("sample of %d bytes", len(s))
		}
	})
}
