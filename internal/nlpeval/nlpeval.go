// Package nlpeval scores enrich against the gold language sets in
// ../shared/bench/nlp (entities, times, quotes) with the metrics their
// README names. bench/enrich prints the scores; tests hold floors.
package nlpeval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/article"
)

// PRF counts matches for precision, recall and F1.
type PRF struct{ TP, FP, FN int }

// Add adds o's counts to p.
func (p *PRF) Add(o PRF) { p.TP += o.TP; p.FP += o.FP; p.FN += o.FN }

// P is the precision (0 with nothing predicted).
func (p PRF) P() float64 { return ratio(p.TP, p.TP+p.FP) }

// R is the recall (0 with nothing gold).
func (p PRF) R() float64 { return ratio(p.TP, p.TP+p.FN) }

// F1 is the harmonic mean of P and R.
func (p PRF) F1() float64 {
	pr, r := p.P(), p.R()
	if pr+r == 0 {
		return 0
	}
	return 2 * pr * r / (pr + r)
}

func (p PRF) String() string {
	return fmt.Sprintf("P %.3f R %.3f F1 %.3f (tp %d fp %d fn %d)", p.P(), p.R(), p.F1(), p.TP, p.FP, p.FN)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// ReadJSONL decodes every line of path into a T and calls fn with it.
func ReadJSONL[T any](path string, fn func(T) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("nlpeval: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return fmt.Errorf("nlpeval: %s:%d: %w", path, line, err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("nlpeval: %s: %w", path, err)
	}
	return nil
}

// Doc is a gold text cut into the paragraphs enrich reads, with the map
// from record offsets (code points into the paragraphs joined by "\n\n")
// back to code points of the gold text.
type Doc struct {
	Text       string
	Paragraphs []string
	origStart  []int // code-point start of each paragraph in Text
	joinStart  []int // code-point start of each paragraph in the joined text
	runeLen    []int
}

// NewDoc splits text at line breaks; blank lines are dropped.
func NewDoc(text string) *Doc {
	d := &Doc{Text: text}
	cp, joined := 0, 0
	for _, line := range strings.SplitAfter(text, "\n") {
		n := utf8.RuneCountInString(line)
		body := strings.TrimRight(line, "\n")
		trimmed := strings.TrimLeft(body, " \t\r")
		lead := utf8.RuneCountInString(body) - utf8.RuneCountInString(trimmed)
		trimmed = strings.TrimRight(trimmed, " \t\r")
		if trimmed != "" {
			d.Paragraphs = append(d.Paragraphs, trimmed)
			d.origStart = append(d.origStart, cp+lead)
			d.joinStart = append(d.joinStart, joined)
			l := utf8.RuneCountInString(trimmed)
			d.runeLen = append(d.runeLen, l)
			joined += l + 2
		}
		cp += n
	}
	return d
}

// Article returns a finalized record of the document's paragraphs.
func (d *Doc) Article() *article.Article {
	a := &article.Article{Paragraphs: append([]string(nil), d.Paragraphs...)}
	a.Finalize()
	return a
}

// Orig maps a record offset to a code-point offset in Text.
func (d *Doc) Orig(off int) int {
	i := sort.Search(len(d.joinStart), func(i int) bool { return d.joinStart[i] > off }) - 1
	if i < 0 {
		return 0
	}
	in := off - d.joinStart[i]
	if in > d.runeLen[i] {
		in = d.runeLen[i]
	}
	return d.origStart[i] + in
}

// Span is a gold or predicted stretch of a gold text, in its code points.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Overlaps reports whether a and b share at least one code point.
func (a Span) Overlaps(b Span) bool { return a.Start < b.End && b.Start < a.End }
