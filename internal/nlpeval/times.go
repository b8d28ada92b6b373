package nlpeval

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/enrich"
)

// timeDoc is one line of the tempeval JSONL sets.
type timeDoc struct {
	ID      string      `json:"id"`
	DCT     string      `json:"dct"`
	Text    string      `json:"text"`
	Timexes []goldTimex `json:"timexes"`
}

type goldTimex struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Type  string `json:"type"`
	Value string `json:"value"`
	Text  string `json:"text"`
}

// TimeTypes are the TIMEX3 types, in report order.
var TimeTypes = []string{article.TimeDate, article.TimeTime, article.TimeDuration, article.TimeSet}

// TimeReport holds the scores of enrich's times against a tempeval set.
type TimeReport struct {
	Path    string
	Docs    int
	Relaxed PRF // overlapping spans, one to one
	Exact   PRF // identical spans
	// ByType scores overlapping spans whose types agree, per gold type
	// (false positives by predicted type).
	ByType map[string]*PRF
	// TypeRight counts relaxed matches whose predicted type is the gold's.
	TypeRight int
	// Values counts relaxed matches whose gold is a DATE or TIME;
	// ValuesRight those whose resolved day falls inside the gold period
	// (or, for PRESENT_REF and the like, whose value is equal), ValuesEqual
	// those whose value string is the gold's.
	Values, ValuesRight, ValuesEqual int
}

// ValueShare is the share of matched DATE/TIME values that are right.
func (r TimeReport) ValueShare() float64 { return ratio(r.ValuesRight, r.Values) }

func (r TimeReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "times %s: %d docs\n", r.Path, r.Docs)
	fmt.Fprintf(&b, "  relaxed span  %s\n", r.Relaxed)
	fmt.Fprintf(&b, "  exact span    %s\n", r.Exact)
	for _, t := range TimeTypes {
		if p := r.ByType[t]; p != nil {
			fmt.Fprintf(&b, "  %-9s     %s\n", t, *p)
		}
	}
	fmt.Fprintf(&b, "  type right    %.3f (%d/%d matched)\n", ratio(r.TypeRight, r.Relaxed.TP), r.TypeRight, r.Relaxed.TP)
	fmt.Fprintf(&b, "  values right  %.3f (%d/%d matched DATE/TIME; value string equal %.3f)\n",
		r.ValueShare(), r.ValuesRight, r.Values, ratio(r.ValuesEqual, r.Values))
	return b.String()
}

// ScoreTimes runs enrich over every document of a tempeval JSONL set with
// its document creation time as the reference and scores the times.
func ScoreTimes(path string) (TimeReport, error) {
	rep := TimeReport{Path: path, ByType: map[string]*PRF{}}
	for _, t := range TimeTypes {
		rep.ByType[t] = &PRF{}
	}
	err := ReadJSONL(path, func(g timeDoc) error {
		ref, err := enrich.ParseRef(g.DCT)
		if err != nil {
			ref, err = time.Parse("2006-01-02T15:04:05", g.DCT)
			if err != nil {
				return fmt.Errorf("nlpeval: %s: dct %q: %w", g.ID, g.DCT, err)
			}
		}
		d := NewDoc(g.Text)
		a := d.Article()
		enrich.Enrich(a, enrich.Options{Ref: ref, Language: "en"})
		rep.Docs++
		rep.scoreDoc(d, g.Timexes, a.Times)
		return nil
	})
	return rep, err
}

func (r *TimeReport) scoreDoc(d *Doc, gold []goldTimex, pred []article.TimeRef) {
	ps := make([]Span, len(pred))
	for i, p := range pred {
		ps[i] = Span{Start: d.Orig(p.Start), End: d.Orig(p.End)}
	}
	for _, t := range TimeTypes {
		r.ByType[t].Add(matchTimes(gold, pred, ps, t, nil))
	}
	exact := PRF{}
	usedE := make([]bool, len(pred))
	for _, g := range gold {
		found := false
		for i, p := range ps {
			if !usedE[i] && p.Start == g.Start && p.End == g.End {
				usedE[i], found = true, true
				break
			}
		}
		if found {
			exact.TP++
		} else {
			exact.FN++
		}
	}
	exact.FP = len(pred) - exact.TP
	r.Exact.Add(exact)
	r.Relaxed.Add(matchTimes(gold, pred, ps, "", func(g goldTimex, p article.TimeRef) {
		if g.Type == p.Type {
			r.TypeRight++
		}
		if g.Type != article.TimeDate && g.Type != article.TimeTime {
			return
		}
		r.Values++
		if p.Value == g.Value {
			r.ValuesEqual++
		}
		if ValueRight(g.Value, p.Value, p.Resolved) {
			r.ValuesRight++
		}
	}))
}

// matchTimes pairs gold and predicted spans that overlap, one to one, in
// text order; with typ set only those of that type (gold and predicted)
// take part. fn sees each pair.
func matchTimes(gold []goldTimex, pred []article.TimeRef, ps []Span, typ string, fn func(goldTimex, article.TimeRef)) PRF {
	var c PRF
	used := make([]bool, len(pred))
	for _, g := range gold {
		if typ != "" && g.Type != typ {
			continue
		}
		gs := Span{Start: g.Start, End: g.End}
		found := false
		for i, p := range ps {
			if used[i] || typ != "" && pred[i].Type != typ || !p.Overlaps(gs) {
				continue
			}
			used[i], found = true, true
			if fn != nil {
				fn(g, pred[i])
			}
			break
		}
		if found {
			c.TP++
		} else {
			c.FN++
		}
	}
	for i := range pred {
		if !used[i] && (typ == "" || pred[i].Type == typ) {
			c.FP++
		}
	}
	return c
}

// ValueRight reports whether a predicted value is right for a gold TIMEX3
// value: the predicted day (resolved) falls inside the gold period, for
// gold values that name a calendar period ("1998-01-08", "1998-01",
// "1998", "199", "1998-W02", "1998-Q1", "1998-H1", "1998-SU",
// "1998-01-08T21:00", and underspecified ones such as "1989-WXX" or
// "199X" for the period their known digits name); otherwise the two
// values are equal ("PRESENT_REF").
func ValueRight(gold, value string, resolved time.Time) bool {
	from, to, ok := GoldPeriod(gold)
	if !ok {
		return gold == value
	}
	if resolved.IsZero() {
		return false
	}
	day := time.Date(resolved.Year(), resolved.Month(), resolved.Day(), 0, 0, 0, 0, time.UTC)
	return !day.Before(from) && day.Before(to)
}

// GoldPeriod returns the days [from, to) that a TIMEX3 calendar value
// covers, or false when it is not one (durations, references, values
// whose year is unknown). Trailing underspecified parts widen the period
// to the one the known digits name: "1989-WXX" and "1989-XX-XX" are 1989,
// "1998-10-XX" is October 1998, "199X" the 1990s.
func GoldPeriod(v string) (from, to time.Time, ok bool) {
	if i := strings.IndexByte(v, 'T'); i >= 0 {
		v = v[:i] // a time of day: its day
	}
	parts := strings.Split(v, "-")
	// Underspecified parts ("1989-WXX", "1998-10-XX", "199X", "19XX")
	// leave the period that the known digits name.
	for len(parts) > 1 && strings.Contains(parts[len(parts)-1], "X") {
		parts = parts[:len(parts)-1]
	}
	if y := strings.TrimRight(parts[0], "X"); len(parts) == 1 && len(y) < len(parts[0]) {
		if len(y) < 2 {
			return from, to, false
		}
		parts[0] = y
	}
	num := func(s string, n int) (int, bool) {
		if len(s) != n {
			return 0, false
		}
		x, err := strconv.Atoi(s)
		return x, err == nil && x >= 0
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	switch len(parts[0]) {
	case 2, 3: // century, decade
		x, ok := num(parts[0], len(parts[0]))
		if !ok || len(parts) != 1 {
			return from, to, false
		}
		if len(parts[0]) == 2 {
			return day(x*100, 1, 1), day(x*100+100, 1, 1), true
		}
		return day(x*10, 1, 1), day(x*10+10, 1, 1), true
	case 4:
	default:
		return from, to, false
	}
	y, ok := num(parts[0], 4)
	if !ok {
		return from, to, false
	}
	if len(parts) == 1 {
		return day(y, 1, 1), day(y+1, 1, 1), true
	}
	p := parts[1]
	switch {
	case len(p) == 2 && p[0] >= '0' && p[0] <= '9':
		m, ok := num(p, 2)
		if !ok || m < 1 || m > 12 {
			return from, to, false
		}
		if len(parts) == 2 {
			return day(y, time.Month(m), 1), day(y, time.Month(m)+1, 1), true
		}
		d, ok := num(parts[2], 2)
		if !ok || d < 1 || d > 31 || len(parts) != 3 {
			return from, to, false
		}
		return day(y, time.Month(m), d), day(y, time.Month(m), d+1), true
	case len(p) >= 2 && p[0] == 'W':
		w, ok := num(p[1:], len(p)-1)
		if !ok || w < 1 || w > 53 {
			return from, to, false
		}
		// ISO week 1 holds January 4.
		jan4 := day(y, 1, 4)
		mon := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)).AddDate(0, 0, 7*(w-1))
		if len(parts) == 3 && parts[2] == "WE" {
			return mon.AddDate(0, 0, 5), mon.AddDate(0, 0, 7), true
		}
		if len(parts) != 2 {
			return from, to, false
		}
		return mon, mon.AddDate(0, 0, 7), true
	case len(p) == 2 && (p[0] == 'Q' || p[0] == 'H'):
		n, ok := num(p[1:], 1)
		if !ok || n < 1 || p[0] == 'Q' && n > 4 || p[0] == 'H' && n > 2 || len(parts) != 2 {
			return from, to, false
		}
		months := 3
		if p[0] == 'H' {
			months = 6
		}
		s := day(y, time.Month(1+(n-1)*months), 1)
		return s, s.AddDate(0, months, 0), true
	case len(parts) == 2:
		// Seasons, northern hemisphere, by whole months.
		var s time.Time
		n := 3
		switch p {
		case "SP":
			s = day(y, 3, 1)
		case "SU":
			s = day(y, 6, 1)
		case "FA":
			s = day(y, 9, 1)
		case "WI":
			s = day(y, 12, 1)
		default:
			return from, to, false
		}
		// A winter may be named by either of its years: take both ends.
		if p == "WI" {
			return day(y, 1, 1), day(y, 12, 1).AddDate(0, 3, 0), true
		}
		return s, s.AddDate(0, n, 0), true
	}
	return from, to, false
}

// Add adds the counts of o to r (for a figure over several sets).
func (r *TimeReport) Add(o TimeReport) {
	if r.ByType == nil {
		r.ByType = map[string]*PRF{}
	}
	if r.Path == "" {
		r.Path = o.Path
	} else {
		r.Path += " + " + o.Path
	}
	r.Docs += o.Docs
	r.Relaxed.Add(o.Relaxed)
	r.Exact.Add(o.Exact)
	for t, p := range o.ByType {
		if r.ByType[t] == nil {
			r.ByType[t] = &PRF{}
		}
		r.ByType[t].Add(*p)
	}
	r.TypeRight += o.TypeRight
	r.Values += o.Values
	r.ValuesRight += o.ValuesRight
	r.ValuesEqual += o.ValuesEqual
}
