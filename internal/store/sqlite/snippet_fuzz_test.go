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
	f.Fuzz(func(t *testing.T, query, body string) {
		s := snippet(body, queryTerms(query), "[[", "]]", 12)
		plain := strings.NewReplacer("[[", "", "]]", "", "…", "").Replace(s)
		for _, w := range strings.Fields(plain) {
			if !strings.Contains(body, w) {
				t.Fatalf("snippet word %q not in body %q", w, body)
			}
		}
	})
}
