package dedup

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzShingler checks that shingling never panics, that doubling the whole
// text changes nothing (every second paragraph is a repeat), and that the
// result is a set.
func FuzzShingler(f *testing.F) {
	f.Add(join(bridgeParas))
	f.Add("")
	f.Add("a\n\nb\n\n\n\nc")
	f.Add("Bridge shut.\r\n\r\nFerry starts Thursday.")
	f.Add("東京都の橋が閉鎖された。\n\n橋")
	f.Add("\xff\xfe\u2028x\u2029y\u0085z")
	f.Fuzz(func(t *testing.T, text string) {
		var sh Shingler
		once := slices.Clone(sh.Text(text))
		sorted := slices.Clone(once)
		slices.Sort(sorted)
		if len(slices.Compact(sorted)) != len(once) {
			t.Fatalf("shingles of %q repeat", text)
		}
		Sign(once)
		twice := slices.Clone(sh.Text(text + "\n\n" + text))
		slices.Sort(twice)
		if !slices.Equal(sorted, twice) {
			t.Fatalf("doubling %q changed the shingles: %d vs %d", text, len(sorted), len(twice))
		}
		paras := strings.Split(text, "\n\n")
		sh.Paragraphs(paras)
		if utf8.ValidString(text) {
			NameSequences(text)
		}
	})
}

// FuzzFingerprint checks that decoding never panics and that whatever
// decodes re-encodes to the same bytes.
func FuzzFingerprint(f *testing.F) {
	var sh Shingler
	good, _ := NewFingerprint(sh.Text(join(chessParas))).MarshalBinary()
	f.Add(good)
	f.Add([]byte{1, 0})
	f.Add([]byte{1, 2, 5, 0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		var fp Fingerprint
		if err := fp.UnmarshalBinary(data); err != nil {
			return
		}
		if !slices.IsSorted(fp) {
			t.Fatalf("decoded fingerprint is not sorted: %v", fp)
		}
		again, err := fp.MarshalBinary()
		if err != nil || string(again) != string(data) {
			t.Fatalf("re-encoding differs: %x vs %x", again, data)
		}
	})
}

// FuzzStoryState checks that restoring arbitrary state never panics and
// that a restored clusterer can keep working.
func FuzzStoryState(f *testing.F) {
	c := NewClusterer(StoryConfig{})
	for _, d := range storyDocs[:3] {
		c.Add(d.doc)
	}
	good, _ := c.MarshalBinary()
	f.Add(good)
	f.Add([]byte(`{"version":1,"docs":-5,"stories":[{"id":"s","terms":{"x":1e308}}]}`))
	f.Add([]byte(`{"version":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := NewClusterer(StoryConfig{})
		if err := c.UnmarshalBinary(data); err != nil {
			return
		}
		c.Add(storyDocs[3].doc)
		c.Stories()
		if _, err := c.MarshalBinary(); err != nil {
			// NaN or Inf weights from hostile state cannot be encoded as
			// JSON; reporting that is fine, panicking is not.
			return
		}
	})
}
