package charset

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// Sentences written for these tests: short fictional news in each
// language the detector has to tell apart.
var sentences = map[string]string{
	"ru": "Вчера в городе открылась новая библиотека. Жители давно ждали этого события, и в первый день пришли сотни людей.",
	"uk": "Місцева рада схвалила ремонт мосту через річку. Роботи почнуться восени і триватимуть пів року.",
	"bg": "Общината обяви, че новият парк ще бъде открит през пролетта. Жителите се радват на промяната.",
	"el": "Το δημοτικό συμβούλιο ενέκρινε χθες το σχέδιο για τη νέα πλατεία. Τα έργα θα ξεκινήσουν τον Μάιο.",
	"tr": "Belediye meclisi dün yeni kütüphane projesini onayladı. İnşaat çalışmalarının ilkbaharda başlaması bekleniyor.",
	"he": "מועצת העיר אישרה אתמול את התוכנית לבניית ספרייה חדשה במרכז העיר. העבודות יתחילו בחורף.",
	"ar": "وافق المجلس البلدي أمس على خطة لبناء مكتبة جديدة في وسط المدينة. ومن المتوقع أن تبدأ الأعمال في الربيع.",
	"fr": "Le conseil municipal a approuvé mercredi la rénovation de la bibliothèque. Les travaux débuteront à l’automne.",
	"de": "Der Gemeinderat hat am Mittwoch die Erweiterung der Bücherei beschlossen. Die Arbeiten beginnen im Frühjahr.",
	"es": "El ayuntamiento aprobó ayer la reforma de la biblioteca. Las obras empezarán en otoño y durarán un año.",
	"pl": "Rada miejska zatwierdziła wczoraj budowę nowej biblioteki. Prace rozpoczną się wiosną przyszłego roku.",
	"cs": "Zastupitelstvo včera schválilo stavbu nové knihovny. Práce začnou příští jaro a potrvají zhruba rok, řekl starosta Šimek.",
	"hu": "A képviselő-testület tegnap jóváhagyta az új könyvtár építését. A munkálatok jövő tavasszal kezdődnek.",
	"ja": "市議会は昨日、駅前に新しい図書館を建てる計画を承認した。工事は来年の春に始まる予定だ。",
	"zh": "市议会昨天通过了在市中心兴建新图书馆的计划。工程预计将在明年春天开始，居民对此表示欢迎。",
	"zt": "市議會昨天通過了在市中心興建新圖書館的計畫。工程預計將在明年春天開始，居民對此表示歡迎。",
	"ko": "시의회는 어제 시내 중심가에 새 도서관을 짓는 계획을 승인했다. 공사는 내년 봄에 시작될 예정이다.",
}

func encode(t testing.TB, text, enc string) []byte {
	t.Helper()
	e, err := htmlindex.Get(enc)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatalf("encoding %q as %s: %v", text, enc, err)
	}
	return b
}

// sameText reports whether the encoding called name decodes raw to want:
// where two code pages read these bytes alike, either name is right.
func sameText(raw []byte, name, want string) bool {
	e, err := htmlindex.Get(name)
	if err != nil {
		return false
	}
	got, err := e.NewDecoder().Bytes(raw)
	return err == nil && string(got) == want
}

func TestDetectLanguages(t *testing.T) {
	cases := []struct {
		lang, enc string
		declared  []string
		want      string // the name Detect must return ("" = enc)
	}{
		{lang: "ru", enc: "windows-1251"},
		{lang: "ru", enc: "koi8-r"},
		{lang: "ru", enc: "ibm866"},
		{lang: "uk", enc: "windows-1251"},
		{lang: "bg", enc: "windows-1251"},
		{lang: "el", enc: "windows-1253"},
		{lang: "el", enc: "iso-8859-7", declared: []string{"iso-8859-7"}},
		{lang: "tr", enc: "windows-1254"},
		{lang: "he", enc: "windows-1255"},
		{lang: "ar", enc: "windows-1256"},
		{lang: "fr", enc: "windows-1252"},
		{lang: "fr", enc: "macintosh"},
		{lang: "de", enc: "windows-1252"},
		{lang: "es", enc: "windows-1252"},
		{lang: "pl", enc: "windows-1250"},
		{lang: "pl", enc: "iso-8859-2"},
		{lang: "cs", enc: "windows-1250"},
		{lang: "cs", enc: "iso-8859-2"},
		{lang: "hu", enc: "iso-8859-2", declared: []string{"iso-8859-2"}},
		{lang: "ja", enc: "shift_jis"},
		{lang: "ja", enc: "euc-jp"},
		{lang: "zh", enc: "gb18030"},
		{lang: "zh", enc: "gbk", declared: []string{"gb2312"}},
		{lang: "zt", enc: "big5"},
		{lang: "ko", enc: "euc-kr"},
		// Lying declarations.
		{lang: "ru", enc: "windows-1251", declared: []string{"utf-8"}},
		{lang: "ru", enc: "windows-1251", declared: []string{"iso-8859-1"}},
		{lang: "ru", enc: "windows-1251", declared: []string{"koi8-r"}},
		{lang: "ru", enc: "koi8-r", declared: []string{"windows-1251"}},
		{lang: "cs", enc: "iso-8859-2", declared: []string{"windows-1252"}},
		{lang: "pl", enc: "windows-1250", declared: []string{"iso-8859-1"}},
		{lang: "tr", enc: "windows-1254", declared: []string{"iso-8859-1"}},
		{lang: "ja", enc: "shift_jis", declared: []string{"euc-jp"}},
		{lang: "ja", enc: "euc-jp", declared: []string{"shift_jis"}},
		{lang: "zh", enc: "gb18030", declared: []string{"big5"}},
		{lang: "zh", enc: "gb18030", declared: []string{"euc-kr"}},
		{lang: "zt", enc: "big5", declared: []string{"gbk"}},
		{lang: "ko", enc: "euc-kr", declared: []string{"gb2312"}},
		{lang: "ko", enc: "euc-kr", declared: []string{"windows-1252"}},
		// The first declaration the bytes agree with wins.
		{lang: "ru", enc: "windows-1251", declared: []string{"utf-8", "windows-1251"}},
		{lang: "de", enc: "windows-1252", declared: []string{"shift_jis", "windows-1250"}, want: "windows-1250"},
	}
	for _, c := range cases {
		name := c.lang + " " + c.enc + " declared " + strings.Join(c.declared, ",")
		t.Run(name, func(t *testing.T) {
			text := sentences[c.lang]
			raw := encode(t, text, c.enc)
			want := c.want
			if want == "" {
				want = c.enc
			}
			_, got, _ := Detect(raw, c.declared...)
			if got != want && !(c.want == "" && sameText(raw, got, text)) {
				t.Errorf("Detect = %s, want %s", got, want)
			}
			out, _, err := Decode(raw, c.declared...)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != text {
				t.Errorf("Decode = %q\nwant     %q", out, text)
			}
		})
	}
}

// TestDetectShort checks texts of a few words: less evidence, same answers.
func TestDetectShort(t *testing.T) {
	cases := []struct {
		text, enc string
		declared  []string
		want      string
	}{
		{"déjà vu", "windows-1252", nil, "windows-1252"},
		{"naïve café", "windows-1252", nil, "windows-1252"},
		{"Meet us à la carte", "windows-1252", nil, "windows-1252"},
		{"“quoted” – yes", "windows-1252", nil, "windows-1252"},
		{"CAFÉ CON PANNA", "windows-1252", nil, "windows-1252"},
		{"Zürich and Malmö", "windows-1252", nil, "windows-1252"},
		{"Совет утвердил план", "windows-1251", nil, "windows-1251"},
		{"Совет утвердил план", "windows-1251", []string{"utf-8"}, "windows-1251"},
		{"Łódź i Kraków", "iso-8859-2", []string{"iso-8859-2"}, "iso-8859-2"},
		{"Źródło: Gdańsk", "windows-1250", nil, "windows-1250"},
		{"東京の天気", "shift_jis", nil, "shift_jis"},
		{"北京天气预报", "gb18030", nil, "gb18030"},
		{"서울 날씨", "euc-kr", nil, "euc-kr"},
	}
	for _, c := range cases {
		t.Run(c.text+" "+c.enc, func(t *testing.T) {
			raw := encode(t, c.text, c.enc)
			if _, got, _ := Detect(raw, c.declared...); got != c.want && !sameText(raw, got, c.text) {
				t.Errorf("Detect = %s, want %s", got, c.want)
			}
			if out, _, _ := Decode(raw, c.declared...); string(out) != c.text {
				t.Errorf("Decode = %q, want %q", out, c.text)
			}
		})
	}
}

func TestDetectRules(t *testing.T) {
	cases := []struct {
		name      string
		raw       []byte
		declared  []string
		want      string
		confident bool
		text      string // what Decode returns, when checked
	}{
		{"utf-8 bom beats declaration", []byte("\xef\xbb\xbfCaf\xc3\xa9"), []string{"windows-1251"}, "utf-8", true, "Café"},
		{"utf-16le bom", []byte{0xff, 0xfe, 'h', 0, 0xe9, 0}, nil, "utf-16le", true, "hé"},
		{"utf-16be bom", []byte{0xfe, 0xff, 0, 'h', 0, 0xe9}, nil, "utf-16be", true, "hé"},
		{"ascii keeps declaration", []byte("plain words"), []string{"windows-1251"}, "windows-1251", true, "plain words"},
		{"ascii without declaration", []byte("plain words"), nil, "utf-8", false, "plain words"},
		{"ascii declared utf-16", []byte("plain words"), []string{"utf-16"}, "utf-8", true, "plain words"},
		{"unknown label ignored", []byte("plain words"), []string{"x-no-such-charset", "koi8-r"}, "koi8-r", true, "plain words"},
		{"label with underscore", []byte("plain words"), []string{"EUC_KR"}, "euc-kr", true, "plain words"},
		{"iso-2022-jp by its escapes", []byte("\x1b$B$3$s$K$A$O\x1b(B"), nil, "iso-2022-jp", true, "こんにちは"},
		{"utf-8 declared latin-1", []byte("Caf\xc3\xa9 \xe2\x80\x9cnew\xe2\x80\x9d"), []string{"iso-8859-1"}, "utf-8", true, "Café “new”"},
		{"utf-8 declared windows-1252", []byte("na\xc3\xafve"), []string{"windows-1252"}, "utf-8", true, "naïve"},
		{"utf-8 declared shift_jis", []byte("\xd0\xa1\xd0\xbe\xd0\xb2\xd0\xb5\xd1\x82"), []string{"shift_jis"}, "utf-8", true, "Совет"},
		{"utf-8 with a stray windows-1252 byte", []byte("\xe2\x80\x9cYes\xe2\x80\x9d, it\x92s caf\xc3\xa9"), []string{"utf-8"}, "utf-8", false, "“Yes”, it’s café"},
		{"utf-8 cut off in the sample", []byte("Caf\xc3\xa9 ol\xc3"), nil, "utf-8", true, ""},
		{"windows-1252 declared utf-8", []byte("It\x92s a caf\xe9"), []string{"utf-8"}, "windows-1252", false, "It’s a café"},
		{"latin-1 declared, consistent", []byte("d\xe9j\xe0 vu"), []string{"iso-8859-1"}, "windows-1252", true, "déjà vu"},
		{"german declared windows-1250 is kept", []byte("Gr\xfc\xdfe aus K\xf6ln"), []string{"windows-1250"}, "windows-1250", true, "Grüße aus Köln"},
		{"mac roman page", []byte("La Belle et la B\x90te, Orph\x8ee aux enfers"), nil, "macintosh", false, "La Belle et la Bête, Orphée aux enfers"},
		{"shift_jis punctuation in english", []byte("He told me: \x81gMy orders were to shoot.\x81h \x81@Then he left."), nil, "shift_jis", false, "He told me: “My orders were to shoot.” \u3000Then he left."},
		{"nbsp runs are not cyrillic", []byte(strings.Repeat("Overview \xa0 | \xa0 Organisation \xa0\xa0\xa0 and more text here. ", 20)), nil, "windows-1252", false, ""},
		{"legal symbols are not korean", []byte(strings.Repeat("See 15 U.S.C. \xa7\xa7 18a; Trade Reg. Rep. (CCH) \xb6\xb6 13,104 (1984). ", 5)), []string{"iso-8859-1"}, "windows-1252", true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, got, conf := Detect(c.raw, c.declared...)
			if got != c.want {
				t.Errorf("Detect = %s, want %s", got, c.want)
			}
			if c.confident && !conf {
				t.Errorf("Detect not confident")
			}
			if c.text == "" {
				return
			}
			out, name, err := Decode(c.raw, c.declared...)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != c.text || name != c.want {
				t.Errorf("Decode = %q, %s; want %q, %s", out, name, c.text, c.want)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	for label, want := range map[string]string{
		"UTF-8": "utf-8", "utf8": "utf-8", `"iso-8859-1"`: "windows-1252", "latin1": "windows-1252",
		"gb2312": "gbk", "x-sjis": "shift_jis", "ks_c_5601-1987": "euc-kr", "euc_kr": "euc-kr",
		" Windows-1251 ": "windows-1251", "iso-8859-9": "windows-1254",
	} {
		if _, got, ok := Lookup(label); !ok || got != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", label, got, ok, want)
		}
	}
	for _, label := range []string{"", "no-such", "x-user-defined", "hz-gb-2312", "iso-2022-kr"} {
		if _, got, ok := Lookup(label); ok {
			t.Errorf("Lookup(%q) = %q, want not found", label, got)
		}
	}
}

func TestHTMLSample(t *testing.T) {
	page := "<!DOCTYPE html><html><head><title>T\xe9l\xe9</title>\n" +
		"<script>var s = \"\xd0\xa1\xd0\xbe</p>\";</script><STYLE>p{content:\"\xff\"}</STYLE>\n" +
		"<!-- a comment with \x81\x82 --></head><body><p class=\"a>b\">Caf\xe9 &amp; 1 < 2</p>\n" +
		"<img alt=\"\xc0\xc1\"><script type=\"x\">if (a<b) {}</SCRIPT >end</body></html>"
	got := string(HTMLSample([]byte(page)))
	for _, want := range []string{"T\xe9l\xe9", "Caf\xe9 &amp; 1 < 2", "end"} {
		if !strings.Contains(got, want) {
			t.Errorf("sample %q lacks %q", got, want)
		}
	}
	for _, not := range []string{"\xd0", "\xff", "\x81", "\xc0", "var s", "if (a"} {
		if strings.Contains(got, not) {
			t.Errorf("sample %q holds %q", got, not)
		}
	}
	// A page whose only non-ASCII bytes are in its markup is judged by them.
	raw := []byte(`<html><head><meta name="description" content="Caf` + "\xc3\xa9" + `"></head><body><p>plain</p></body></html>`)
	if _, name, _ := DecodeHTML(raw, "iso-8859-1"); name != "utf-8" {
		t.Errorf("DecodeHTML = %s, want utf-8", name)
	}
	if len(HTMLSample(bytes.Repeat([]byte("a"), 2*SampleSize))) > SampleSize {
		t.Error("sample over SampleSize")
	}
}

func TestLenientUTF8(t *testing.T) {
	raw := []byte("ok \xe2\x80\x9cq\xe2\x80\x9d \x93x\x94 \xef\xbf\xbd \xe2\x80")
	out, name, err := Decode(raw, "utf-8")
	if err != nil || name != "utf-8" {
		t.Fatal(name, err)
	}
	if want := "ok “q” “x” \uFFFD â€"; string(out) != want {
		t.Errorf("Decode = %q, want %q", out, want)
	}
	if !utf8.Valid(out) {
		t.Error("invalid UTF-8 out")
	}
}

// benchPages are typical inputs: a Russian page in windows-1251, an
// English one with a few windows-1252 bytes, a Japanese one in Shift_JIS
// and a UTF-8 one, each about 20 KB of text.
func benchPages(b *testing.B) map[string][]byte {
	pages := map[string][]byte{}
	for name, p := range map[string]struct{ lang, enc string }{
		"windows-1251": {"ru", "windows-1251"}, "shift_jis": {"ja", "shift_jis"},
		"euc-kr": {"ko", "euc-kr"}, "utf-8": {"fr", "utf-8"},
	} {
		var page bytes.Buffer
		for page.Len() < 20<<10 {
			page.WriteString(sentences[p.lang] + " 2024.\n")
		}
		pages[name] = encode(b, page.String(), p.enc)
	}
	en := strings.Repeat("The council’s plan for the café was “approved” on Monday, officials said. ", 260)
	pages["windows-1252"] = encode(b, en, "windows-1252")
	return pages
}

func BenchmarkDetect(b *testing.B) {
	for name, raw := range benchPages(b) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				Detect(raw)
			}
		})
	}
}

func BenchmarkDetectDeclared(b *testing.B) {
	pages := benchPages(b)
	b.Run("windows-1251 declared", func(b *testing.B) {
		raw := pages["windows-1251"]
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			Detect(raw, "windows-1251")
		}
	})
	b.Run("windows-1251 declared utf-8", func(b *testing.B) {
		raw := pages["windows-1251"]
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			Detect(raw, "utf-8")
		}
	})
}
