package repair

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/charset"
)

// TestDecodeLegacy decodes the fictional news items of
// ../extract/testdata/charset saved as plain text in legacy encodings
// with no declaration, as a scraper or an old archive leaves them.
func TestDecodeLegacy(t *testing.T) {
	cases := []struct{ lang, enc, want string }{
		{"ru", "windows-1251", "windows-1251"},
		{"fr", "windows-1252", "windows-1252"},
		{"de", "windows-1252", "windows-1252"},
		{"en", "windows-1252", "windows-1252"},
		{"fr", "macintosh", "macintosh"},
		{"cs", "iso-8859-2", "iso-8859-2"},
		{"pl", "iso-8859-2", "iso-8859-2"},
		{"pl", "windows-1250", "windows-1250"},
		{"hu", "iso-8859-2", ""}, // reads the same as windows-1250
		{"ja", "shift_jis", "shift_jis"},
		{"ja", "euc-jp", "euc-jp"},
		{"zh", "gb18030", "gb18030"},
		{"ko", "euc-kr", "euc-kr"},
	}
	for _, c := range cases {
		t.Run(c.lang+" "+c.enc, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("..", "extract", "testdata", "charset", c.lang+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			text := strings.ReplaceAll(string(b), "\n", "\r\n")
			if c.enc == "macintosh" {
				text = strings.ReplaceAll(text, "\r\n", "\r")
			}
			e, _, _ := charset.Lookup(c.enc)
			raw, err := e.NewEncoder().Bytes([]byte(text))
			if err != nil {
				t.Fatal(err)
			}
			got, enc, err := Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			if got != text {
				t.Errorf("Decode = %q\nwant     %q", got, text)
			}
			if c.want != "" && enc != c.want {
				t.Errorf("encoding = %s, want %s", enc, c.want)
			}
		})
	}
}

func TestDecodeMixed(t *testing.T) {
	cases := []struct {
		name, enc, want string
		raw             []byte
	}{
		{"utf-8 with a stray windows-1252 quote", "utf-8", "“Yes”, it’s the café", []byte("\xe2\x80\x9cYes\xe2\x80\x9d, it\x92s the caf\xc3\xa9")},
		{"windows-1251 mojibake case", "windows-1251", "Совет утвердил план", []byte("\xd1\xee\xe2\xe5\xf2 \xf3\xf2\xe2\xe5\xf0\xe4\xe8\xeb \xef\xeb\xe0\xed")},
		{"nul bytes stay binary", "", "", []byte("\xd1\xee\x00\xe2\xe5")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, enc, err := Decode(c.raw)
			if c.enc == "" {
				if err == nil {
					t.Fatalf("Decode = %q, want ErrBinary", got)
				}
				return
			}
			if err != nil || got != c.want || enc != c.enc {
				t.Errorf("Decode = %q, %s, %v; want %q, %s", got, enc, err, c.want, c.enc)
			}
		})
	}
}
