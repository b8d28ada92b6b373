package nlpeval

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/enrich"
)

// Quote scoring on PolNeAR (bench/nlp/polnear). Rules:
//
// Gold quote spans. For every attribution with has_direct_quote, the
// stretches of its content (each fragment) that stand between double
// quotation marks: from an opening mark (or the fragment start, when the
// first mark closes or the fragment is directly enclosed by quotes) to the
// next closing mark (or the fragment end). Stretches are cut at line breaks
// (enrich reads paragraphs), trimmed of white space and trailing commas,
// and the same stretch given by two attributions counts once.
//
// Quote-span match. A predicted quote matches a gold stretch when they
// share at least half the code points of the longer of the two; each is
// matched at most once (gold in text order, to the unmatched prediction
// with the largest overlap). Span P/R/F1 count these matches.
//
// Speakers, over matched quotes whose attribution has a source. The gold
// source is "named" when it holds a capitalized word that is not a
// pronoun or a determiner ("Trump", "Clinton spokesman Brian Fallon"),
// else it is a "pronoun or description" ("he", "officials", "a source").
// The predicted speaker is right when its SpeakerSpan overlaps the gold
// source span, or when the speaker entity (SpeakerKey) has a mention that
// overlaps it (without a SpeakerKey, the entity whose canonical name is
// the Speaker). A quote with no speaker is wrong. (PolNeAR gives no
// coreference, so a pronoun source counts as found when the attribution
// points at that pronoun.)

// QuoteReport holds the quote scores of one file.
type QuoteReport struct {
	Docs  int
	Spans PRF
	// Matched quotes with a gold source, by kind of source, and how many of
	// them got the right speaker (and how many got no speaker at all).
	Named, NamedRight, NamedNone int
	Desc, DescRight, DescNone    int
}

// NamedShare is the share of named-source quotes with the right speaker.
func (r QuoteReport) NamedShare() float64 { return ratio(r.NamedRight, r.Named) }

// DescShare is the share of pronoun- or description-source quotes with
// the right speaker.
func (r QuoteReport) DescShare() float64 { return ratio(r.DescRight, r.Desc) }

func (r QuoteReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "quotes: %d docs\n", r.Docs)
	fmt.Fprintf(&b, "  quote spans (half overlap): %s\n", r.Spans)
	fmt.Fprintf(&b, "  speaker, named source:            %.3f (%d/%d; %d without speaker)\n", r.NamedShare(), r.NamedRight, r.Named, r.NamedNone)
	fmt.Fprintf(&b, "  speaker, pronoun or description:  %.3f (%d/%d; %d without speaker)\n", r.DescShare(), r.DescRight, r.Desc, r.DescNone)
	return b.String()
}

type polSpan struct {
	Start     int     `json:"start"`
	End       int     `json:"end"`
	Text      string  `json:"text"`
	Fragments [][]int `json:"fragments"`
}

type polAttr struct {
	ID             string   `json:"id"`
	Source         *polSpan `json:"source"`
	Cue            *polSpan `json:"cue"`
	Content        polSpan  `json:"content"`
	HasDirectQuote bool     `json:"has_direct_quote"`
}

type polDoc struct {
	ID              string    `json:"id"`
	PublicationDate string    `json:"publication_date"`
	Text            string    `json:"text"`
	Attributions    []polAttr `json:"attributions"`
}

// QuoteCase is one scored quote, for inspecting errors.
type QuoteCase struct {
	DocID      string
	Gold       Span  // the gold quote stretch
	Source     *Span // the gold source, if any
	Cue        *Span // the gold cue, if any
	Named      bool
	Pred       *article.Quote // the matched prediction, if any
	PredSpan   *Span          // its speaker span in gold code points
	Right      bool
	Missed, FP bool   // a gold stretch without match; a prediction without match
	Context    string // the text around the quote
}

// ScoreQuotes scores enrich's quotes on a PolNeAR JSONL file.
func ScoreQuotes(path string) (QuoteReport, error) {
	return scoreQuotes(path, nil)
}

// ScoreQuotesCases is ScoreQuotes that also hands every scored case to fn.
func ScoreQuotesCases(path string, fn func(QuoteCase)) (QuoteReport, error) {
	return scoreQuotes(path, fn)
}

type goldQuote struct {
	span   Span
	source *Span
	cue    *Span
}

func scoreQuotes(path string, fn func(QuoteCase)) (QuoteReport, error) {
	var rep QuoteReport
	err := ReadJSONL(path, func(g polDoc) error {
		rep.Docs++
		runes := []rune(g.Text)
		gold := goldQuotes(runes, g.Attributions)
		d := NewDoc(g.Text)
		a := d.Article()
		opts := enrich.Options{}
		if t, err := time.Parse("2006-01-02", g.PublicationDate); err == nil {
			opts.Ref = t
		}
		enrich.Enrich(a, opts)
		ents := make(map[string]*article.Entity, len(a.Entities))
		byName := make(map[string]*article.Entity, len(a.Entities))
		for i := range a.Entities {
			ents[a.Entities[i].Key] = &a.Entities[i]
			if byName[a.Entities[i].Text] == nil {
				byName[a.Entities[i].Text] = &a.Entities[i]
			}
		}
		preds := make([]Span, len(a.Quotes))
		for i, q := range a.Quotes {
			preds[i] = Span{Start: d.Orig(q.Start), End: d.Orig(q.End), Text: q.Text}
		}
		used := make([]bool, len(preds))
		for _, gq := range gold {
			best, bestOv := -1, 0
			for i, p := range preds {
				if used[i] {
					continue
				}
				ov := min(p.End, gq.span.End) - max(p.Start, gq.span.Start)
				need := max(p.End-p.Start, gq.span.End-gq.span.Start)
				if ov > 0 && 2*ov >= need && ov > bestOv {
					best, bestOv = i, ov
				}
			}
			c := QuoteCase{DocID: g.ID, Gold: gq.span, Source: gq.source, Cue: gq.cue}
			if fn != nil {
				c.Context = string(runes[max(0, gq.span.Start-200):min(len(runes), gq.span.End+120)])
			}
			if best < 0 {
				rep.Spans.FN++
				c.Missed = true
				if fn != nil {
					fn(c)
				}
				continue
			}
			used[best] = true
			rep.Spans.TP++
			q := &a.Quotes[best]
			c.Pred = q
			if gq.source == nil {
				if fn != nil {
					fn(c)
				}
				continue
			}
			c.Named = namedSource(gq.source.Text)
			right := false
			if q.SpeakerSpan != nil {
				ps := Span{Start: d.Orig(q.SpeakerSpan.Start), End: d.Orig(q.SpeakerSpan.End), Text: q.SpeakerSpan.Text}
				c.PredSpan = &ps
				right = ps.Overlaps(*gq.source)
			}
			e := ents[q.SpeakerKey]
			if q.SpeakerKey == "" {
				e = byName[q.Speaker]
			}
			if !right && e != nil {
				for _, m := range e.Mentions {
					if (Span{Start: d.Orig(m.Start), End: d.Orig(m.End)}).Overlaps(*gq.source) {
						right = true
						break
					}
				}
			}
			none := q.Speaker == ""
			c.Right = right
			if c.Named {
				rep.Named++
				if right {
					rep.NamedRight++
				}
				if none {
					rep.NamedNone++
				}
			} else {
				rep.Desc++
				if right {
					rep.DescRight++
				}
				if none {
					rep.DescNone++
				}
			}
			if fn != nil {
				fn(c)
			}
		}
		for i, u := range used {
			if !u {
				rep.Spans.FP++
				if fn != nil {
					fn(QuoteCase{DocID: g.ID, Pred: &a.Quotes[i], Gold: preds[i], FP: true})
				}
			}
		}
		return nil
	})
	return rep, err
}

func isDoubleQuote(r rune) bool {
	switch r {
	case '"', '\u201C', '\u201D', '\u201E', '\u00AB', '\u00BB':
		return true
	}
	return false
}

// opening reports whether the quotation mark at runes[i] opens a quote.
func opening(runes []rune, i int) bool {
	switch runes[i] {
	case '\u201C', '\u201E', '\u00AB':
		return true
	case '\u201D', '\u00BB':
		return false
	}
	if i == 0 {
		return true
	}
	p := runes[i-1]
	return unicode.IsSpace(p) || strings.ContainsRune("([{-\u2013\u2014:/", p)
}

// goldQuotes returns the quoted stretches of the direct-quote attributions.
func goldQuotes(runes []rune, attrs []polAttr) []goldQuote {
	var out []goldQuote
	seen := make(map[[2]int]bool)
	add := func(s, e int, src, cue *Span) {
		// Cut at line breaks, trim.
		for s < e {
			k := s
			for k < e && runes[k] != '\n' {
				k++
			}
			a, b := s, k
			for a < b && unicode.IsSpace(runes[a]) {
				a++
			}
			for b > a && (unicode.IsSpace(runes[b-1]) || runes[b-1] == ',') {
				b--
			}
			if b > a && !seen[[2]int{a, b}] {
				seen[[2]int{a, b}] = true
				out = append(out, goldQuote{span: Span{Start: a, End: b, Text: string(runes[a:b])}, source: src, cue: cue})
			}
			s = k + 1
		}
	}
	for _, at := range attrs {
		if !at.HasDirectQuote {
			continue
		}
		var src *Span
		if at.Source != nil {
			src = &Span{Start: at.Source.Start, End: at.Source.End, Text: at.Source.Text}
		}
		var cue *Span
		if at.Cue != nil {
			cue = &Span{Start: at.Cue.Start, End: at.Cue.End, Text: at.Cue.Text}
		}
		frags := at.Content.Fragments
		if len(frags) == 0 {
			frags = [][]int{{at.Content.Start, at.Content.End}}
		}
		for _, f := range frags {
			if len(f) != 2 || f[0] < 0 || f[1] > len(runes) || f[0] >= f[1] {
				continue
			}
			s, e := f[0], f[1]
			var marks []int
			for i := s; i < e; i++ {
				if isDoubleQuote(runes[i]) {
					marks = append(marks, i)
				}
			}
			if len(marks) == 0 {
				if s > 0 && isDoubleQuote(runes[s-1]) || e < len(runes) && isDoubleQuote(runes[e]) {
					add(s, e, src, cue)
				}
				continue
			}
			start := -1
			if !opening(runes, marks[0]) {
				start = s
			}
			for _, m := range marks {
				if opening(runes, m) && start < 0 {
					start = m + 1
				} else if start >= 0 && !opening(runes, m) {
					add(start, m, src, cue)
					start = -1
				}
			}
			if start >= 0 {
				add(start, e, src, cue)
			}
		}
	}
	return out
}

// nonNames are capitalized words that do not make a source a name.
var nonNames = map[string]bool{
	"i": true, "he": true, "she": true, "we": true, "they": true, "you": true, "it": true,
	"the": true, "a": true, "an": true, "his": true, "her": true, "their": true, "our": true,
	"my": true, "its": true, "this": true, "that": true, "these": true, "those": true,
	"some": true, "many": true, "one": true, "other": true, "others": true, "both": true,
	"several": true, "another": true, "most": true, "all": true, "who": true,
}

// namedSource reports whether a gold source names someone: it holds a
// capitalized word that is not a pronoun or a determiner.
func namedSource(s string) bool {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '\u2019' }) {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) && !nonNames[strings.ToLower(w)] {
			return true
		}
	}
	return false
}
