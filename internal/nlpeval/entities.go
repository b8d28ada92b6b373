package nlpeval

import (
	"fmt"
	"sort"
	"strings"

	"github.com/newsdesk/newsdesk/enrich"
)

// unerRecord is one document of a UNER-format JSONL file: text plus
// PER/LOC/ORG mentions with code-point offsets.
type unerRecord struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Entities []struct {
		Start int    `json:"start"`
		End   int    `json:"end"`
		Type  string `json:"type"`
		Text  string `json:"text"`
	} `json:"entities"`
}

// EntityReport holds CoNLL-style mention scores of enrich's entities
// against a UNER-format gold file.
//
// A predicted mention counts for Typed only when its span (start and end)
// and its type both equal a gold mention's (person=PER, place=LOC,
// org=ORG). Our misc type has no gold counterpart (UNER maps its "other"
// names to no entity), so a misc mention is scored as follows: where it
// overlaps a gold mention it is a false positive (a name we found but
// typed wrong or cut wrong); where the gold has no entity at all it is
// left out of the counts, because the gold does not annotate
// nationalities, products or events either way. MiscFP and MiscDropped
// count the two cases; StrictTyped counts every misc mention as a false
// positive, and Lenient leaves every misc mention out (the figure for
// "typed names only"), for comparison. Span counts exact spans whatever
// the type (misc included only where it overlaps a gold mention, as
// above).
type EntityReport struct {
	Docs        int
	Typed       PRF            // exact span and type, all types
	ByType      map[string]PRF // PER, LOC, ORG
	Span        PRF            // exact span, any type
	StrictTyped PRF            // as Typed, every misc mention a false positive
	Lenient     PRF            // as Typed, misc mentions left out everywhere
	MiscFP      int            // misc mentions overlapping a gold mention
	MiscDropped int            // misc mentions with no gold mention there
}

var goldType = map[string]string{enrich.TypePerson: "PER", enrich.TypePlace: "LOC", enrich.TypeOrg: "ORG"}

type mspan struct{ s, e int }

// ScoreEntities runs enrich over every document of the UNER-format JSONL
// file at path and scores the entity mentions.
func ScoreEntities(path string) (EntityReport, error) {
	r := EntityReport{ByType: map[string]PRF{}}
	err := ReadJSONL(path, func(rec unerRecord) error {
		r.Docs++
		doc := NewDoc(rec.Text)
		a := doc.Article()
		enrich.Enrich(a, enrich.Options{NoTitle: true})
		gold := map[mspan]string{}
		var goldSpans []mspan
		for _, g := range rec.Entities {
			gold[mspan{g.Start, g.End}] = g.Type
			goldSpans = append(goldSpans, mspan{g.Start, g.End})
		}
		pred := map[mspan]string{}
		for _, e := range a.Entities {
			for _, m := range e.Mentions {
				s := mspan{doc.Orig(m.Start), doc.Orig(m.End)}
				t, ok := goldType[e.Type]
				if !ok {
					t = "MISC"
				}
				pred[s] = t
			}
		}
		r.scoreDoc(gold, goldSpans, pred)
		return nil
	})
	return r, err
}

func (r *EntityReport) scoreDoc(gold map[mspan]string, goldSpans []mspan, pred map[mspan]string) {
	overlaps := func(s mspan) bool {
		for _, g := range goldSpans {
			if s.s < g.e && g.s < s.e {
				return true
			}
		}
		return false
	}
	add := func(t string, p PRF) {
		c := r.ByType[t]
		c.Add(p)
		r.ByType[t] = c
	}
	for s, t := range pred {
		gt, ok := gold[s]
		if t == "MISC" {
			r.StrictTyped.FP++
			if !ok && !overlaps(s) {
				r.MiscDropped++
				continue
			}
			r.MiscFP++
		}
		if ok {
			r.Span.TP++
		} else {
			r.Span.FP++
		}
		if t != "MISC" {
			if ok && gt == t {
				r.Lenient.TP++
			} else {
				r.Lenient.FP++
			}
		}
		if ok && gt == t {
			r.Typed.TP++
			r.StrictTyped.TP++
			add(t, PRF{TP: 1})
			continue
		}
		r.Typed.FP++
		if t != "MISC" {
			r.StrictTyped.FP++
			add(t, PRF{FP: 1})
		}
	}
	for s, gt := range gold {
		if _, ok := pred[s]; !ok {
			r.Span.FN++
		}
		if pred[s] != gt {
			r.Lenient.FN++
			r.Typed.FN++
			r.StrictTyped.FN++
			add(gt, PRF{FN: 1})
		}
	}
}

// Add adds the counts of o to r (folds of a cross-validation).
func (r *EntityReport) Add(o EntityReport) {
	r.Docs += o.Docs
	r.Typed.Add(o.Typed)
	r.Span.Add(o.Span)
	r.StrictTyped.Add(o.StrictTyped)
	r.Lenient.Add(o.Lenient)
	r.MiscFP += o.MiscFP
	r.MiscDropped += o.MiscDropped
	if r.ByType == nil {
		r.ByType = map[string]PRF{}
	}
	for t, p := range o.ByType {
		c := r.ByType[t]
		c.Add(p)
		r.ByType[t] = c
	}
}

// String is a readable multi-line report.
func (r EntityReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "entities over %d documents (exact span and type; misc: see EntityReport)\n", r.Docs)
	fmt.Fprintf(&b, "  all     %s\n", r.Typed)
	types := make([]string, 0, len(r.ByType))
	for t := range r.ByType {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		fmt.Fprintf(&b, "  %-7s %s\n", t, r.ByType[t])
	}
	fmt.Fprintf(&b, "  span    %s (exact span, any type)\n", r.Span)
	fmt.Fprintf(&b, "  strict  %s (every misc mention a false positive)\n", r.StrictTyped)
	fmt.Fprintf(&b, "  lenient %s (misc mentions left out)\n", r.Lenient)
	fmt.Fprintf(&b, "  misc mentions: %d overlap gold (false positives), %d elsewhere (not counted)\n", r.MiscFP, r.MiscDropped)
	return b.String()
}
