package sqlite

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// oldRecord is the record as Put built it before record.go: one
// json.Marshal of the article without Fetched, DupGroup and Story.
func oldRecord(a *article.Article) []byte {
	c := *a
	c.Fetched, c.DupGroup, c.Story = time.Time{}, "", ""
	js, err := json.Marshal(&c)
	if err != nil {
		panic(err)
	}
	return js
}

func recordFixtures() []*article.Article {
	odd := "quotes \" and \\ and <b>&amp;</b> \u2028\u2029 \x00\x01\x1f\b\f\t\r\n é 日本 \xff\xfe bad \xe2\x82 cut"
	a := mk("https://harbour-post.example/ferry", "Harbour Post", "Ferry \"times\" <change>", day(4),
		"The morning ferry leaves earlier.", odd, strings.Repeat("long paragraph é ", 9000))
	a.Removed = []article.Removed{{Text: "Subscribe <now>", Reason: article.ReasonCTA, Index: 3, Offset: 99}}
	a.Entities = []article.Entity{{Text: "Port Alder", Type: "place", Count: 2}}
	a.Fetched, a.DupGroup, a.Story = day(5), "g1", "s1"
	b := mk("", "", "empty", time.Time{})
	b.Paragraphs = nil
	c := mk("", "Kelmsford Courier", "text only", day(2), odd)
	c.Text = "a text that is not the paragraphs joined " + odd
	// Large enough for the streamed path.
	big := make([]string, 0, 200)
	for i := range 200 {
		big = append(big, strings.Repeat("Norrbyn council <votes> & \"budget\" \u2028 ", 200)+string(rune('a'+i%26)))
	}
	d := mk("", "Norrbyn Tidende", "big", day(3), big...)
	return []*article.Article{a, b, c, d}
}

// TestRecordBytes: the piecewise record is byte for byte the old one, so
// stored records read as before, and its hash ignores input.name only.
func TestRecordBytes(t *testing.T) {
	for _, a := range recordFixtures() {
		p, err := splitRecord(a)
		if err != nil {
			t.Fatal(err)
		}
		want := oldRecord(a)
		if got := p.bytes(); string(got) != string(want) {
			t.Errorf("%s: record differs from encoding/json's\n got %.200q\nwant %.200q", a.Title, got, want)
		}
		named := a.Input.Name
		c := *a
		c.Input.Name = ""
		if h := p.hash(nil); h != sha256Hex(oldRecord(&c)) || h != p.hash(p.bytes()) {
			t.Errorf("%s: hash is not that of the record without input.name", a.Title)
		}
		if lh, _ := p.legacyHash(named); lh != sha256Hex(want) {
			t.Errorf("%s: legacy hash differs from the sha256 of the whole record", a.Title)
		}
		rec, codec, err := p.compressed()
		if err != nil {
			t.Fatal(err)
		}
		data, err := decompress(rec, codec, len(want))
		if err != nil || string(data) != string(want) {
			t.Errorf("%s: compressed record (%s) does not round-trip: %v", a.Title, codec, err)
		}
		if p.size >= streamMin && codec != codecS2Stream {
			t.Errorf("%s: %d-byte record stored as %s", a.Title, p.size, codec)
		}
	}
}

// FuzzJSONEscape: appendJSONEscaped escapes as encoding/json does.
func FuzzJSONEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\<>&", "\u2028\u2029", "\xff\xe2\x82", "\x00\x1f\b\f\n\r\t", "日本語"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		got := append(appendJSONEscaped([]byte{'"'}, s), '"')
		if string(got) != string(want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
		var r recWriter
		r.str(strings.Repeat(s, 1+flushAt/(len(s)+1)))
		want, _ = json.Marshal(strings.Repeat(s, 1+flushAt/(len(s)+1)))
		if string(r.buf) != string(want) {
			t.Fatalf("%q repeated: pieces differ from encoding/json", s)
		}
	})
}

// TestLegacyHashSameContent: an article stored with a hash of the old
// kind, which counted input.name, is unchanged when read again from another
// path (storetest checks the same for hashes of the current kind).
func TestLegacyHashSameContent(t *testing.T) {
	s := openTest(t)
	// A database written before: content_hash is the sha256 of the whole
	// record, name included.
	c := mk("https://kelmsford-courier.example/library", "Kelmsford Courier", "Library", day(2), "The library opens late on weekdays.")
	c.Input.Name = "old/path/library.txt"
	put(t, s, store.Entry{Article: c})
	if _, err := s.w.Exec(`UPDATE articles SET content_hash = ? WHERE id = ?`, sha256Hex(oldRecord(c)), c.ID); err != nil {
		t.Fatal(err)
	}
	d := *c
	d.Input.Name = "new/place/library.txt"
	if res := put(t, s, store.Entry{Article: &d}); res[0] != store.Unchanged {
		t.Errorf("legacy-hashed article read from another path: %v, want unchanged", res[0])
	}
	d.Paragraphs = append([]string{}, "The library opens late on weekdays and Saturdays.")
	d.Finalize()
	if res := put(t, s, store.Entry{Article: &d}); res[0] != store.Updated {
		t.Errorf("legacy-hashed article with new text: %v, want updated", res[0])
	}
}
