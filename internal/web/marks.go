package web

import (
	"sort"
	"strings"

	"github.com/newsdesk/newsdesk/article"
)

// A paragraph of marked text is a run of segments that do not overlap:
// every boundary of every span (entity mentions, quotes, times) and of
// every paragraph cuts the text, and each piece carries the marks that
// cover it whole. Overlapping or nested spans thus never produce
// crossing elements: each segment is wrapped on its own, in a fixed
// order (quote, time, entity), and its text is escaped by the template.

// markPara is one paragraph of the clean text.
type markPara struct {
	Segs []markSeg
}

// markSeg is a piece of text with the marks covering it.
type markSeg struct {
	Text   string
	Entity *segEntity
	Quote  *segQuote
	Time   *segTime
}

type segEntity struct {
	Key, Name, Type string
}

type segQuote struct {
	Speaker string
}

type segTime struct {
	Type, Value string
}

// span is one mark over [start, end) code points of the text.
type span struct {
	start, end int
	ent        *segEntity
	quote      *segQuote
	tm         *segTime
}

// markText cuts a record's text into paragraphs of marked segments. Spans
// with offsets outside the text or empty are dropped; the text itself is
// never lost.
func markText(a *article.Article) []markPara {
	text := []rune(a.Text)
	n := len(text)
	var spans []span
	add := func(s, e int, sp span) {
		if s < 0 {
			s = 0
		}
		if e > n {
			e = n
		}
		if s >= e {
			return
		}
		sp.start, sp.end = s, e
		spans = append(spans, sp)
	}
	for i := range a.Entities {
		en := &a.Entities[i]
		m := &segEntity{Key: en.Key, Name: en.Text, Type: en.Type}
		for _, mn := range en.Mentions {
			add(mn.Start, mn.End, span{ent: m})
		}
	}
	for i := range a.Quotes {
		q := &a.Quotes[i]
		add(q.Start, q.End, span{quote: &segQuote{Speaker: q.Speaker}})
	}
	for i := range a.Times {
		t := &a.Times[i]
		add(t.Start, t.End, span{tm: &segTime{Type: t.Type, Value: t.Value}})
	}

	// Cuts: every span boundary and every paragraph break ("\n\n").
	cut := map[int]bool{0: true, n: true}
	for _, s := range spans {
		cut[s.start], cut[s.end] = true, true
	}
	type prange struct{ start, end int }
	var paras []prange
	start := 0
	for i := 0; i+1 < n; i++ {
		if text[i] == '\n' && text[i+1] == '\n' {
			paras = append(paras, prange{start, i})
			j := i
			for j < n && text[j] == '\n' {
				j++
			}
			start = j
			i = j - 1
		}
	}
	paras = append(paras, prange{start, n})
	for _, p := range paras {
		cut[p.start], cut[p.end] = true, true
	}
	points := make([]int, 0, len(cut))
	for c := range cut {
		points = append(points, c)
	}
	sort.Ints(points)

	// Spans by start, so that the covering set is found in one sweep.
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })

	var out []markPara
	for _, p := range paras {
		var para markPara
		lo := sort.SearchInts(points, p.start)
		for k := lo; k+1 < len(points) && points[k+1] <= p.end; k++ {
			s, e := points[k], points[k+1]
			if s >= e {
				continue
			}
			seg := markSeg{Text: string(text[s:e])}
			for i := range spans {
				sp := &spans[i]
				if sp.start > s {
					break
				}
				if sp.end < e {
					continue
				}
				// The first span of each kind wins (entities by the
				// record's order: most mentioned first).
				switch {
				case sp.ent != nil && seg.Entity == nil:
					seg.Entity = sp.ent
				case sp.quote != nil && seg.Quote == nil:
					seg.Quote = sp.quote
				case sp.tm != nil && seg.Time == nil:
					seg.Time = sp.tm
				}
			}
			if k := len(para.Segs) - 1; k >= 0 && sameMarks(para.Segs[k], seg) {
				para.Segs[k].Text += seg.Text // e.g. a name nested in the same entity's longer mention
				continue
			}
			para.Segs = append(para.Segs, seg)
		}
		if strings.TrimSpace(joinSegs(para.Segs)) != "" {
			out = append(out, para)
		}
	}
	return out
}

func sameMarks(a, b markSeg) bool {
	return a.Entity == b.Entity && a.Quote == b.Quote && a.Time == b.Time
}

func joinSegs(segs []markSeg) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Text)
	}
	return b.String()
}
