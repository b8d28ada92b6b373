package enrich

import (
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/article"
)

// Offsets in the record are code points into the paragraphs joined by
// "\n\n" (article.Article.Text); the analysis works in bytes within one
// paragraph. cp converts, computing the paragraph starts on first use.
func (d *doc) cp(pi int, b int32) int {
	if d.cpStart == nil {
		d.cpStart = make([]int, len(d.paras))
		d.cpASCII = make([]bool, len(d.paras))
		off := 0
		for i, p := range d.paras {
			d.cpStart[i] = off
			n := utf8.RuneCountInString(p)
			d.cpASCII[i] = n == len(p)
			off += n + 2
		}
	}
	if pi < 0 || pi >= len(d.paras) {
		return 0
	}
	if d.cpASCII[pi] {
		return d.cpStart[pi] + int(b)
	}
	p := d.paras[pi]
	if int(b) > len(p) {
		b = int32(len(p))
	}
	return d.cpStart[pi] + utf8.RuneCountInString(p[:b])
}

// span returns the article.Span of bytes [s, e) of paragraph pi.
func (d *doc) span(pi int, s, e int32) article.Span {
	return article.Span{Text: d.paras[pi][s:e], Start: d.cp(pi, s), End: d.cp(pi, e)}
}
