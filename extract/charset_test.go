package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/charset"
)

// charsetPages are the fictional news items in testdata/charset, each with
// the legacy encoding it is served in, and a code page to claim falsely.
var charsetPages = []struct {
	lang, enc, wrong string
}{
	{"ru", "windows-1251", "iso-8859-1"},
	{"fr", "windows-1252", "windows-1251"},
	{"de", "windows-1252", "windows-1251"},
	{"en", "windows-1252", "koi8-r"},
	{"cs", "iso-8859-2", "windows-1252"},
	{"pl", "iso-8859-2", "windows-1252"},
	{"hu", "iso-8859-2", "windows-1251"},
	{"ja", "shift_jis", "euc-jp"},
	{"zh", "gb18030", "big5"},
	{"ko", "euc-kr", "gb2312"},
}

// loadCharsetText reads testdata/charset/LANG.txt: a title line, then
// paragraphs separated by blank lines.
func loadCharsetText(t *testing.T, lang string) (string, []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "charset", lang+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(strings.TrimSpace(string(b)), "\n\n")
	return parts[0], parts[1:]
}

func charsetHTML(head, title string, paras []string) string {
	var sb strings.Builder
	sb.WriteString("<!DOCTYPE html>\n<html><head>" + head + "<title>" + title + "</title></head>\n<body><article>\n<h1>" + title + "</h1>\n")
	for _, p := range paras {
		sb.WriteString("<p>" + p + "</p>\n")
	}
	sb.WriteString("</article></body></html>\n")
	return sb.String()
}

func encodeAs(t *testing.T, s, enc string) []byte {
	t.Helper()
	if enc == "utf-8" {
		return []byte(s)
	}
	e, _, ok := charset.Lookup(enc)
	if !ok {
		t.Fatalf("unknown encoding %s", enc)
	}
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding as %s: %v", enc, err)
	}
	return b
}

// readsAs reports whether the encoding called name decodes raw to want.
func readsAs(raw []byte, name, want string) bool {
	if name == "utf-8" {
		return string(raw) == want
	}
	e, _, ok := charset.Lookup(name)
	if !ok {
		return false
	}
	got, err := e.NewDecoder().Bytes(raw)
	return err == nil && string(got) == want
}

// TestCharsets serves each page with the right declaration, with wrong
// ones (HTTP header, <meta>, or both) and with none, in full and cut to a
// title and one paragraph: every time the title and paragraphs must come
// out exactly, without U+FFFD, and Input.Encoding must name an encoding
// that reads the bytes as they were written (the declared one when it was
// right and first).
func TestCharsets(t *testing.T) {
	for _, pg := range charsetPages {
		title, paras := loadCharsetText(t, pg.lang)
		_, canonical, _ := charset.Lookup(pg.enc)
		cases := []struct {
			name, header, meta string
			want               string // exact Input.Encoding, or "" for any that reads the page right
		}{
			{name: "header", header: pg.enc, want: canonical},
			{name: "meta", meta: `<meta charset="` + pg.enc + `">`, want: canonical},
			{name: "meta http-equiv", meta: `<meta http-equiv="Content-Type" content="text/html; charset=` + pg.enc + `">`, want: canonical},
			{name: "header utf-8", header: "utf-8"},
			{name: "header iso-8859-1", header: "iso-8859-1"},
			{name: "meta wrong", meta: `<meta charset="` + pg.wrong + `">`},
			{name: "header utf-8, meta right", header: "utf-8", meta: `<meta charset="` + pg.enc + `">`, want: canonical},
			{name: "header and meta wrong", header: "utf-8", meta: `<meta charset="` + pg.wrong + `">`},
			{name: "undeclared"},
		}
		for _, short := range []bool{false, true} {
			ps := paras
			if short {
				ps = paras[:1]
			}
			for _, c := range cases {
				name := pg.lang + " " + pg.enc + " " + c.name
				if short {
					name += " short"
				}
				t.Run(name, func(t *testing.T) {
					page := charsetHTML(c.meta, title, ps)
					raw := encodeAs(t, page, pg.enc)
					ct := "text/html"
					if c.header != "" {
						ct += "; charset=" + c.header
					}
					a, err := HTML(raw, Options{Name: name, ContentType: ct})
					if err != nil {
						t.Fatal(err)
					}
					if a.Title != title {
						t.Errorf("title = %q, want %q", a.Title, title)
					}
					for _, p := range ps {
						if !containsString(a.Paragraphs, p) {
							t.Errorf("paragraph missing: %q\ngot %q", p, a.Paragraphs)
						}
					}
					if strings.ContainsRune(a.Text+a.Title, utf8.RuneError) {
						t.Errorf("U+FFFD in the text: %q", a.Text)
					}
					if c.want != "" && a.Input.Encoding != c.want {
						t.Errorf("encoding = %s, want %s", a.Input.Encoding, c.want)
					}
					if !readsAs(raw, a.Input.Encoding, page) {
						t.Errorf("encoding %s does not read the page as written", a.Input.Encoding)
					}
				})
			}
		}
	}
}

// TestCharsetUTF8Declared checks UTF-8 pages labelled with a single-byte
// charset: the bytes win, and "Café" does not become "CafÃ©".
func TestCharsetUTF8Declared(t *testing.T) {
	for _, lang := range []string{"fr", "en", "de", "ru", "ja"} {
		title, paras := loadCharsetText(t, lang)
		for _, c := range []struct{ header, meta string }{
			{header: "iso-8859-1"},
			{meta: `<meta charset="windows-1252">`},
			{header: "windows-1252", meta: `<meta http-equiv="content-type" content="text/html; charset=iso-8859-1">`},
			{header: "shift_jis"},
		} {
			t.Run(lang+" "+c.header+c.meta, func(t *testing.T) {
				raw := []byte(charsetHTML(c.meta, title, paras))
				ct := "text/html"
				if c.header != "" {
					ct += "; charset=" + c.header
				}
				a, err := HTML(raw, Options{ContentType: ct})
				if err != nil {
					t.Fatal(err)
				}
				if a.Input.Encoding != "utf-8" || a.Title != title || !containsString(a.Paragraphs, paras[0]) {
					t.Errorf("got %s %q %q", a.Input.Encoding, a.Title, a.Paragraphs)
				}
			})
		}
	}
}

func TestHeaderCharset(t *testing.T) {
	for ct, want := range map[string]string{
		"text/html; charset=UTF-8":        "UTF-8",
		`text/html; charset="koi8-r"`:     "koi8-r",
		"text/html;charset=euc_kr;;":      "euc_kr",
		"text/html; charset=gbk; foo=bar": "gbk",
		"text/html":                       "",
		"":                                "",
	} {
		if got := headerCharset(ct); got != want {
			t.Errorf("headerCharset(%q) = %q, want %q", ct, got, want)
		}
	}
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
