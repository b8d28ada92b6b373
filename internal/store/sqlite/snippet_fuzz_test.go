package sqlite

import (
	"strings"
	"testing"
)

// FuzzSnippet: any query and body give a snippet without panicking, made
// only of the body's words and the marks.
func FuzzSnippet(f *testing.F) {
	f.Add(`"kestrel bridge" OR ferr*`, "The Kestrel Bridge reopened; ferries stop.")
	f.Add(`title:storm NOT "sea wall"`, "Storm walls — «mer» 日本語 text…")
	f.Add(`*`, "")
	f.Add(`a:b:c ''' "`, "\xff\xfe broken utf8")
	f.Add(`kestrel`, "[a[[kestrel]]b] nest")
	f.Fuzz(func(t *testing.T, query, body string) {
		// Marks the body does not hold, so that taking them out leaves
		// only the body's text.
		mark, unmark := "", ""
		for _, m := range [][2]string{{"[[", "]]"}, {"⟦", "⟧"}, {"\x00<", ">\x00"}, {"\x01\x02", "\x02\x01"}} {
			if !strings.Contains(body, m[0]) && !strings.Contains(body, m[1]) {
				mark, unmark = m[0], m[1]
				break
			}
		}
		if mark == "" {
			t.Skip("the body holds every candidate mark")
		}
		s := snippet(body, queryTerms(query), mark, unmark, 12)
		plain := strings.NewReplacer(mark, "", unmark, "", "…", "").Replace(s)
		for _, w := range strings.Fields(plain) {
			if !strings.Contains(body, w) {
				t.Fatalf("snippet word %q not in body %q", w, body)
			}
		}
	})
}
