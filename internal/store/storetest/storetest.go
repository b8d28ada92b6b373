package storetest

import (
	"fmt"
	"math/rand"
	randv2 "math/rand/v2"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/article"
)

// VocabSize is the number of distinct words the generator draws from.
const VocabSize = 30000

var syllables = []string{
	"ka", "lo", "mer", "tan", "vi", "sol", "ra", "ben", "dor", "el", "fa", "gri", "hu", "is", "jo", "ku",
	"lan", "mo", "nor", "ost", "pa", "quin", "ru", "sta", "tor", "ul", "ven", "wil", "yar", "zo", "bri", "che",
	"dal", "fen", "gar", "hol", "ith", "kel", "mar", "nik", "ord", "pel", "rin", "sel", "tam", "ung", "vor", "wen",
}

// Sources are the fictional outlets articles are attributed to.
var Sources = []article.Source{
	{Name: "Harbor Post", Domain: "harborpost.example"},
	{Name: "Daily Lantern", Domain: "dailylantern.example"},
	{Name: "River Gazette", Domain: "rivergazette.example"},
	{Name: "Aldby Courier", Domain: "aldbycourier.example"},
	{Name: "Isle Penn Times", Domain: "islepenn.example"},
}

// Gen generates text; it is not safe for concurrent use.
type Gen struct {
	r     *rand.Rand
	zipf  *rand.Zipf
	vocab []string
}

// New returns a generator; the same seed gives the same output.
func New(seed int64) *Gen {
	r := rand.New(rand.NewSource(seed))
	return &Gen{r: r, zipf: rand.NewZipf(r, 1.07, 2, VocabSize-1), vocab: Vocabulary()}
}

// Vocabulary returns the word list, most frequent first; it does not depend
// on the seed.
func Vocabulary() []string {
	r := rand.New(rand.NewSource(1))
	seen := map[string]bool{}
	out := make([]string, 0, VocabSize)
	for len(out) < VocabSize {
		n := 1 + r.Intn(3)
		if len(out) > 200 {
			n++ // rare words are longer, as in English
		}
		var b strings.Builder
		for range n {
			b.WriteString(syllables[r.Intn(len(syllables))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// Word returns a word drawn with Zipf frequencies.
func (g *Gen) Word() string { return g.vocab[g.zipf.Uint64()] }

// Sentence returns a capitalized sentence of 8 to 24 words.
func (g *Gen) Sentence() string {
	n := 8 + g.r.Intn(17)
	words := make([]string, n)
	for i := range words {
		words[i] = g.Word()
	}
	words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
	if n > 12 {
		words[n/2] += ","
	}
	return strings.Join(words, " ") + "."
}

// Paragraph returns 2 to 5 sentences.
func (g *Gen) Paragraph() string {
	n := 2 + g.r.Intn(4)
	s := make([]string, n)
	for i := range s {
		s[i] = g.Sentence()
	}
	return strings.Join(s, " ")
}

// Body returns paragraphs totalling about size bytes.
func (g *Gen) Body(size int) []string {
	var paras []string
	total := 0
	for total < size {
		p := g.Paragraph()
		paras = append(paras, p)
		total += len(p) + 2
	}
	return paras
}

// Title returns a headline of 5 to 10 words.
func (g *Gen) Title() string {
	n := 5 + g.r.Intn(6)
	w := make([]string, n)
	for i := range w {
		w[i] = g.Word()
	}
	w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
	return strings.Join(w, " ")
}

// TextFile returns a plain-text news file of about size bytes: a headline,
// a blank line, then paragraphs separated by blank lines.
func (g *Gen) TextFile(size int) []byte {
	title := g.Title()
	return []byte(title + "\n\n" + strings.Join(g.Body(size-len(title)-2), "\n\n") + "\n")
}

// Article returns the i-th synthetic article of about size bytes of text,
// with a URL, a source, an English language tag and a publication date in
// 2031, and the raw input it notionally came from.
func (g *Gen) Article(i, size int) (*article.Article, []byte) {
	src := Sources[i%len(Sources)]
	a := &article.Article{
		URL:        fmt.Sprintf("https://%s/news/%d", src.Domain, i),
		Source:     src,
		Title:      g.Title(),
		Published:  time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i%(365*24)) * time.Hour),
		Language:   "en",
		Paragraphs: g.Body(size),
		Input:      article.Input{Name: fmt.Sprintf("synthetic/%d.txt", i), Format: "text", Encoding: "utf-8"},
	}
	a.Finalize()
	raw := []byte(a.Title + "\n\n" + a.Text + "\n")
	a.Input.Bytes = int64(len(raw))
	return a, raw
}

// Query returns a two-word query of mid-frequency words (ranks 50 to 5000),
// the kind a reader types.
func (g *Gen) Query() string {
	return g.vocab[50+g.r.Intn(4950)] + " " + g.vocab[50+g.r.Intn(4950)]
}

// Entities draws 8 to 16 distinct entities for one synthetic article:
// keys from zipf (so a few entities are in many articles), the type from
// the key, 1 to 4 mentions each. Benchmarks of the browsing queries and
// bench/serve build their corpora with it.
func Entities(r *randv2.Rand, zipf *randv2.Zipf) []article.Entity {
	types := [...]string{"person", "place", "org", "misc"}
	var out []article.Entity
	seen := map[uint64]bool{}
	for range 8 + r.IntN(9) {
		k := zipf.Uint64()
		if seen[k] {
			continue
		}
		seen[k] = true
		typ := types[k%4]
		out = append(out, article.Entity{Key: fmt.Sprintf("%s:e%d", typ, k), Text: fmt.Sprintf("Entity %d", k),
			Type: typ, Count: 1 + r.IntN(4)})
	}
	return out
}
