package repair

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzText checks that no input panics and that every output paragraph and
// every removed segment comes from the input.
func FuzzText(f *testing.F) {
	f.Add([]byte("Title\n\nBody paragraph one.\n\nBody paragraph one.\n\nAdvertisement\n"))
	f.Add([]byte("a\r\nb\rc\n\n\n\u00a0x  y\n"))
	f.Add([]byte("\xff\xfeh\x00i\x00"))
	f.Add([]byte("caf\xe9 \x93q\x94"))
	f.Add([]byte("Read more: x\n\n© 2020 Y\n\nFollow Z on Twitter."))
	f.Fuzz(func(t *testing.T, raw []byte) {
		a, err := Text(raw, Options{Name: "fuzz"})
		if err != nil {
			return
		}
		text, _, err := Decode(raw)
		if err != nil {
			t.Fatalf("Text succeeded but Decode failed: %v", err)
		}
		flat := collapse(text)
		for _, p := range append(append([]string{}, a.Paragraphs...), a.Title) {
			if !utf8.ValidString(p) {
				t.Fatalf("invalid UTF-8 in output %q", p)
			}
			if !strings.Contains(flat, collapse(p)) {
				t.Fatalf("output %q not in input %q", p, flat)
			}
		}
		for _, r := range a.Removed {
			if !strings.Contains(flat, collapse(r.Text)) {
				t.Fatalf("removed %q not in input", r.Text)
			}
		}
		if len(a.Paragraphs) == 0 {
			t.Fatal("success with no paragraphs")
		}
	})
}
