package enrich

import (
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/article"
)

// Time word classes.
const (
	twNone = iota
	twMonth
	twDay
	twToday
	twTonight
	twYesterday
	twTomorrow
	twLast
	twNext
	twThis
	twEarly // early, late
	twEarlier
	twPart  // morning, afternoon, evening
	twNight // night
	twUnit
	twWeekend
	twNum // number words and a/an
	twOn
	twThe
	twPrep // in, since, by, until ... before a year or a month
	twAgo  // ago, hence
	twBefore
	twAfter
	twFrom
)

type timeWord struct {
	class int
	val   int // month 1-12, weekday 0-6, unit, number, sign
}

// Units.
const (
	uMinute = iota + 1
	uHour
	uDay
	uWeek
	uMonth
	uYear
)

var timeLex = func() map[string]timeWord {
	m := map[string]timeWord{
		"today": {twToday, 0}, "tonight": {twTonight, 0}, "yesterday": {twYesterday, 0},
		"tomorrow": {twTomorrow, 0}, "last": {twLast, 0}, "past": {twLast, 0}, "next": {twNext, 0},
		"coming": {twNext, 0}, "this": {twThis, 0}, "early": {twEarly, 0}, "late": {twEarly, 0},
		"earlier": {twEarlier, -1}, "later": {twEarlier, 1},
		"morning": {twPart, 0}, "afternoon": {twPart, 0}, "evening": {twPart, 0}, "night": {twNight, 0},
		"minute": {twUnit, uMinute}, "minutes": {twUnit, uMinute}, "hour": {twUnit, uHour}, "hours": {twUnit, uHour},
		"day": {twUnit, uDay}, "days": {twUnit, uDay}, "week": {twUnit, uWeek}, "weeks": {twUnit, uWeek},
		"month": {twUnit, uMonth}, "months": {twUnit, uMonth}, "year": {twUnit, uYear}, "years": {twUnit, uYear},
		"weekend": {twWeekend, 0}, "a": {twNum, 1}, "an": {twNum, 1}, "one": {twNum, 1}, "two": {twNum, 2},
		"three": {twNum, 3}, "four": {twNum, 4}, "five": {twNum, 5}, "six": {twNum, 6}, "seven": {twNum, 7},
		"eight": {twNum, 8}, "nine": {twNum, 9}, "ten": {twNum, 10}, "eleven": {twNum, 11}, "twelve": {twNum, 12},
		"fifteen": {twNum, 15}, "twenty": {twNum, 20}, "thirty": {twNum, 30}, "several": {twNone, 0},
		"on": {twOn, 0}, "the": {twThe, 0}, "in": {twPrep, 0}, "since": {twPrep, 0}, "by": {twPrep, 0},
		"until": {twPrep, 0}, "till": {twPrep, 0}, "during": {twPrep, 0}, "through": {twPrep, 0},
		"throughout": {twPrep, 0}, "mid": {twPrep, 0}, "ago": {twAgo, -1}, "hence": {twAgo, 1},
		"before": {twBefore, -1}, "after": {twAfter, 1}, "from": {twFrom, 1}, "of": {twPrep, 0},
	}
	for w, n := range monthNums {
		m[w] = timeWord{twMonth, n}
	}
	for w, n := range dayNums {
		m[w] = timeWord{twDay, n}
	}
	return m
}()

// timeScan holds the state of the time pass over one paragraph.
type timeScan struct {
	d      *doc
	p      string
	a, b   int32
	ref    time.Time
	hasRef bool
	loc    *time.Location
}

// word returns the class of token k, or twNone.
func (s *timeScan) word(k int32) timeWord {
	if k < s.a || k >= s.b {
		return timeWord{}
	}
	t := &s.d.toks[k]
	if t.kind != kWord || t.e-t.s > 10 || t.flags&fASCII == 0 {
		return timeWord{}
	}
	w := s.p[t.s:t.e]
	if t.flags&fDot != 0 {
		w = w[:len(w)-1]
	}
	var buf [12]byte
	b, ok := lowerASCII(buf[:], w)
	if !ok {
		return timeWord{}
	}
	tw := timeLex[string(b)]
	switch tw.class {
	case twMonth:
		// Month names must be capitalized ("may", "march" are verbs) and
		// abbreviations need their period or a following day number.
		full := len(b) > 4 || string(b) == "may" || string(b) == "june" || string(b) == "july"
		if t.flags&fCap == 0 || !full && t.flags&fDot == 0 && s.dayNum(k+1) == 0 {
			return timeWord{}
		}
	case twDay:
		if len(b) <= 4 && t.flags&fDot == 0 {
			return timeWord{} // "Sun", "Sat": only with a period
		}
	}
	return tw
}

// num returns the value of a plain number token k, or -1.
func (s *timeScan) num(k int32) int {
	if k < s.a || k >= s.b || s.d.toks[k].kind != kNum {
		return -1
	}
	t := &s.d.toks[k]
	w := s.p[t.s:t.e]
	n := 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c < '0' || c > '9' || n > 1e6 {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// dayNum returns the day of month of token k ("19", "19th"), or 0.
func (s *timeScan) dayNum(k int32) int {
	if k < s.a || k >= s.b || s.d.toks[k].kind != kNum {
		return 0
	}
	t := &s.d.toks[k]
	w := s.p[t.s:t.e]
	n, i := 0, 0
	for i < len(w) && i < 2 && w[i] >= '0' && w[i] <= '9' {
		n = n*10 + int(w[i]-'0')
		i++
	}
	switch w[i:] {
	case "", "st", "nd", "rd", "th":
	default:
		return 0
	}
	if n < 1 || n > 31 {
		return 0
	}
	return n
}

// year returns the year of token k (a four-digit number 1000-2999), or 0.
func (s *timeScan) year(k int32) int {
	n := s.num(k)
	if n < 1000 || n > 2999 || s.d.toks[k].e-s.d.toks[k].s != 4 {
		return 0
	}
	return n
}

func (s *timeScan) punct(k int32, r rune) bool {
	return k >= s.a && k < s.b && s.d.toks[k].kind == kPunct && s.d.toks[k].r == r
}

func (s *timeScan) isWord(k int32, w string) bool {
	if k < s.a || k >= s.b || s.d.toks[k].kind != kWord {
		return false
	}
	t := &s.d.toks[k]
	return strings.EqualFold(s.p[t.s:t.e], w)
}

func (s *timeScan) date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, s.loc)
}

func (s *timeScan) day(n int) time.Time {
	return s.date(s.ref.Year(), s.ref.Month(), s.ref.Day()+n)
}

// monday returns the Monday of the reference week.
func (s *timeScan) monday() time.Time {
	return s.day(-((int(s.ref.Weekday()) + 6) % 7))
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d
}

// nearest returns the date with month m and day d in the year that puts it
// nearest to the reference.
func (s *timeScan) nearest(m, d int) (time.Time, bool) {
	if !s.hasRef {
		return time.Time{}, false
	}
	var best time.Time
	bestDist := time.Duration(1<<63 - 1)
	for y := s.ref.Year() - 1; y <= s.ref.Year()+1; y++ {
		if !validDate(y, m, d) {
			continue
		}
		t := s.date(y, time.Month(m), d)
		dist := t.Sub(s.ref)
		if dist < 0 {
			dist = -dist
		}
		if dist < bestDist {
			best, bestDist = t, dist
		}
	}
	return best, !best.IsZero()
}

// tense judges the sentence around token k: +1 when it speaks of the
// future ("will meet on Tuesday", "a scan on Thursday would show"), -1 of
// the past ("beat them on Tuesday", "was signed"), 0 when it cannot tell.
// The three words after k are read first, then up to ten before it,
// nearest first.
func (s *timeScan) tense(k int32) int {
	sent := s.d.toks[k].sent
	for i, n := k+1, 0; i < s.b && n < 3 && s.d.toks[i].sent == sent; i, n = i+1, n+1 {
		if t := s.verbTense(i); t > 0 {
			return t
		}
	}
	for i, n := k-1, 0; i >= s.a && n < 10 && s.d.toks[i].sent == sent; i, n = i-1, n+1 {
		if t := s.verbTense(i); t != 0 {
			return t
		}
	}
	return 0
}

var futureWords = set(`will|shall|would|going|plans|plan|planned|expected|due|scheduled|set|upcoming|wo|
intends|hopes|aims|next`)
var pastWords = set(`was|were|had|did|said|told|won|beat|lost|left|came|went|met|took|made|saw|gave|got|ran|
began|broke|fell|rose|led|held|kept|brought|bought|thought|found|sent|spent|stood|wrote|spoke|struck|hit|
shot|sank|drew|fought|flew|ago|last|earlier`)

// verbTense returns +1, -1 or 0 for the word at token i.
func (s *timeScan) verbTense(i int32) int {
	t := &s.d.toks[i]
	if t.kind != kWord || t.flags&fLower == 0 {
		return 0
	}
	w := s.p[t.s:t.e]
	switch {
	case futureWords[w] || strings.HasSuffix(w, "'ll") || strings.HasSuffix(w, "\u2019ll"):
		return 1
	case pastWords[w] || len(w) > 4 && strings.HasSuffix(w, "ed"):
		return -1
	}
	return 0
}

// weekday resolves a weekday name with an optional last/next/this.
func (s *timeScan) weekday(wd int, mod int, k int32) (time.Time, bool) {
	if !s.hasRef {
		return time.Time{}, false
	}
	cur := int(s.ref.Weekday())
	switch mod {
	case twLast:
		delta := (cur - wd + 7) % 7
		if delta == 0 {
			delta = 7
		}
		return s.day(-delta), true
	case twNext:
		delta := (wd - cur + 7) % 7
		if delta == 0 {
			delta = 7
		}
		return s.day(delta), true
	case twThis:
		return s.monday().AddDate(0, 0, (wd+6)%7), true
	}
	ahead := (wd - cur + 7) % 7
	back := (cur - wd + 7) % 7
	switch s.tense(k) {
	case 1:
		return s.day(ahead), true
	case -1:
		return s.day(-back), true
	}
	// No tense: the nearer of the two.
	if ahead < back {
		return s.day(ahead), true
	}
	return s.day(-back), true
}

// match is a time expression found at a token.
type match struct {
	end      int32 // one past its last token
	resolved time.Time
}

// at tries every pattern at token k.
func (s *timeScan) at(k int32) (match, bool) {
	w := s.word(k)
	switch w.class {
	case twOn:
		// "on Tuesday", "on June 19"
		if n := s.word(k + 1); n.class == twDay || n.class == twMonth || s.dayNum(k+1) > 0 && s.word(k+2).class == twMonth {
			if m, ok := s.at(k + 1); ok {
				return m, true
			}
		}
		return match{}, false
	case twThe:
		// the day before yesterday, the day after tomorrow
		if s.isWord(k+1, "day") {
			if s.isWord(k+2, "before") && s.word(k+3).class == twYesterday {
				return s.rel(k+4, uDay, -2), true
			}
			if s.isWord(k+2, "after") && s.word(k+3).class == twTomorrow {
				return s.rel(k+4, uDay, 2), true
			}
		}
		return match{}, false
	case twEarly:
		// late last night, early yesterday, late on Tuesday
		n := s.word(k + 1)
		switch n.class {
		case twLast, twYesterday, twToday, twTonight, twThis, twNext, twDay, twTomorrow:
			return s.at(k + 1)
		case twOn:
			return s.at(k + 1)
		case twMonth:
			return s.at(k + 1)
		}
		if y := s.year(k + 1); y > 0 {
			return match{end: k + 2, resolved: s.date(y, 1, 1)}, true
		}
		return match{}, false
	case twEarlier:
		// earlier today, later this week
		n := s.word(k + 1)
		if n.class == twToday || n.class == twTonight || n.class == twThis && s.word(k+2).class != twNone {
			return s.at(k + 1)
		}
		return match{}, false
	case twToday, twTonight, twYesterday, twTomorrow:
		off := 0
		switch w.class {
		case twYesterday:
			off = -1
		case twTomorrow:
			off = 1
		}
		end := k + 1
		if n := s.word(k + 1); n.class == twPart || n.class == twNight && w.class != twTonight {
			end++
		}
		return s.rel(end, uDay, off), true
	case twLast, twThis, twNext:
		return s.modified(k, w.class)
	case twNum:
		return s.ago(k, w.val)
	case twDay:
		return s.dayName(k, w.val, twNone)
	case twMonth:
		return s.monthFirst(k, w.val)
	}
	if s.d.toks[k].kind == kNum {
		if n := s.num(k); n > 0 && n <= 99 {
			if m, ok := s.ago(k, n); ok {
				return m, true
			}
		}
		return s.number(k)
	}
	return match{}, false
}

// rel resolves an offset of n units from the reference.
func (s *timeScan) rel(end int32, unit, n int) match {
	m := match{end: end}
	if !s.hasRef {
		return m
	}
	switch unit {
	case uMinute, uHour:
		d := time.Duration(n) * time.Minute
		if unit == uHour {
			d = time.Duration(n) * time.Hour
		}
		t := s.ref.Add(d)
		m.resolved = s.date(t.Year(), t.Month(), t.Day())
	case uDay:
		m.resolved = s.day(n)
	case uWeek:
		m.resolved = s.day(7 * n)
	case uMonth:
		m.resolved = s.date(s.ref.Year(), s.ref.Month()+time.Month(n), 1)
		if d := s.ref.Day(); validDate(m.resolved.Year(), int(m.resolved.Month()), d) {
			m.resolved = s.date(m.resolved.Year(), m.resolved.Month(), d)
		}
	case uYear:
		y := s.ref.Year() + n
		d := s.ref.Day()
		if !validDate(y, int(s.ref.Month()), d) {
			d = 28
		}
		m.resolved = s.date(y, s.ref.Month(), d)
	}
	return m
}

// modified handles last/this/next + night, week, month, year, weekend, a
// weekday, a month or a part of the day.
func (s *timeScan) modified(k int32, mod int) (match, bool) {
	n := s.word(k + 1)
	end := k + 2
	m := match{end: end}
	switch n.class {
	case twNight:
		if mod != twLast {
			if mod == twThis {
				return s.rel(end, uDay, 0), true
			}
			return s.rel(end, uDay, 1), true
		}
		return s.rel(end, uDay, -1), true
	case twPart:
		if mod == twThis {
			return s.rel(end, uDay, 0), true
		}
		return match{}, false
	case twDay:
		return s.dayName(k+1, n.val, mod)
	case twWeekend:
		if s.hasRef {
			off := 5
			switch mod {
			case twLast:
				off = -2
			case twNext:
				off = 12
			}
			m.resolved = s.monday().AddDate(0, 0, off)
		}
		return m, true
	case twUnit:
		if !s.hasRef {
			return m, n.val >= uWeek
		}
		sign := 0
		switch mod {
		case twLast:
			sign = -1
		case twNext:
			sign = 1
		}
		switch n.val {
		case uWeek:
			m.resolved = s.monday().AddDate(0, 0, 7*sign)
		case uMonth:
			m.resolved = s.date(s.ref.Year(), s.ref.Month()+time.Month(sign), 1)
		case uYear:
			m.resolved = s.date(s.ref.Year()+sign, 1, 1)
		default:
			return match{}, false
		}
		return m, true
	case twMonth:
		if s.hasRef {
			y := s.ref.Year()
			cur := int(s.ref.Month())
			switch mod {
			case twLast:
				if n.val >= cur {
					y--
				}
			case twNext:
				if n.val <= cur {
					y++
				}
			}
			m.resolved = s.date(y, time.Month(n.val), 1)
		}
		return m, true
	}
	return match{}, false
}

// ago handles "two days ago", "a week earlier", "three years later",
// "five days from now", starting at a number at token k.
func (s *timeScan) ago(k int32, n int) (match, bool) {
	u := s.word(k + 1)
	if u.class != twUnit {
		return match{}, false
	}
	d := s.word(k + 2)
	sign := 0
	end := k + 3
	switch d.class {
	case twAgo, twBefore, twAfter:
		sign = d.val
	case twEarlier:
		sign = d.val
	case twFrom:
		if !s.isWord(k+3, "now") {
			return match{}, false
		}
		sign, end = 1, k+4
	default:
		return match{}, false
	}
	if (d.class == twBefore || d.class == twAfter) && k+3 < s.b && s.d.toks[k+3].kind != kPunct {
		// "two days before the vote" is relative to the vote, not to now.
		return match{}, false
	}
	return s.rel(end, u.val, sign*n), true
}

// dayName handles a weekday with an optional modifier, part of day and
// following date: "Tuesday", "last Friday", "Wednesday night",
// "Wednesday, June 19, 2024".
func (s *timeScan) dayName(k int32, wd int, mod int) (match, bool) {
	end := k + 1
	if n := s.word(end); n.class == twPart || n.class == twNight {
		end++
	}
	j := end
	if s.punct(j, ',') {
		j++
	}
	if mw := s.word(j); mw.class == twMonth {
		if m, ok := s.monthFirst(j, mw.val); ok && s.dayNum(j+1) > 0 {
			return m, true
		}
	}
	if dn := s.dayNum(j); dn > 0 {
		if mw := s.word(j + 1); mw.class == twMonth {
			if m, ok := s.dayFirst(j, dn, mw.val); ok {
				return m, true
			}
		}
	}
	t := &s.d.toks[k]
	if t.flags&fDot != 0 || t.flags&fCap == 0 {
		return match{}, false // abbreviations only before a date; lower case is not a day name
	}
	r, ok := s.weekday(wd, mod, k)
	m := match{end: end}
	if ok {
		m.resolved = r
	}
	return m, true
}

// monthFirst handles "June 19, 2024", "June 19", "June 2024" and a month
// alone after a preposition ("in June").
func (s *timeScan) monthFirst(k int32, mon int) (match, bool) {
	if dn := s.dayNum(k + 1); dn > 0 && s.year(k+1) == 0 {
		end := k + 2
		j := end
		if s.punct(j, ',') {
			j++
		}
		if y := s.year(j); y > 0 {
			if !validDate(y, mon, dn) {
				return match{}, false
			}
			return match{end: j + 1, resolved: s.date(y, time.Month(mon), dn)}, true
		}
		m := match{end: end}
		if r, ok := s.nearest(mon, dn); ok {
			m.resolved = r
		}
		return m, validDate(2024, mon, dn)
	}
	j := k + 1
	if s.punct(j, ',') {
		j++
	}
	if y := s.year(j); y > 0 {
		return match{end: j + 1, resolved: s.date(y, time.Month(mon), 1)}, true
	}
	// A month alone only after a preposition or a modifier.
	if k-1 >= s.a {
		pw := s.word(k - 1)
		if pw.class == twPrep || pw.class == twEarly || pw.class == twLast || pw.class == twNext || pw.class == twThis {
			t := &s.d.toks[k]
			if t.flags&fPoss != 0 {
				return match{}, false
			}
			m := match{end: k + 1}
			if s.hasRef {
				m.resolved, _ = s.nearest(mon, 1)
			}
			return m, true
		}
	}
	return match{}, false
}

// dayFirst handles "19 June 2024" and "19 June".
func (s *timeScan) dayFirst(k int32, dn, mon int) (match, bool) {
	if y := s.year(k + 2); y > 0 {
		if !validDate(y, mon, dn) {
			return match{}, false
		}
		return match{end: k + 3, resolved: s.date(y, time.Month(mon), dn)}, true
	}
	if !validDate(2024, mon, dn) {
		return match{}, false
	}
	m := match{end: k + 2}
	if r, ok := s.nearest(mon, dn); ok {
		m.resolved = r
	}
	return m, true
}

// number handles a number token: "19 June", "2024-06-19", "2024/06/19"
// and a year after a preposition ("since 1950").
func (s *timeScan) number(k int32) (match, bool) {
	if dn := s.dayNum(k); dn > 0 {
		if mw := s.word(k + 1); mw.class == twMonth {
			return s.dayFirst(k, dn, mw.val)
		}
	}
	t := &s.d.toks[k]
	w := s.p[t.s:t.e]
	if len(w) == 10 && (w[4] == '-' && w[7] == '-' || w[4] == '/' && w[7] == '/') {
		y, m, d := atoi(w[:4]), atoi(w[5:7]), atoi(w[8:])
		if y >= 1000 && validDate(y, m, d) {
			return match{end: k + 1, resolved: s.date(y, time.Month(m), d)}, true
		}
		return match{}, false
	}
	if y := s.year(k); y > 0 && k-1 >= s.a {
		pw := s.word(k - 1)
		if (pw.class == twPrep && !s.isWord(k-1, "of") && !s.isWord(k-1, "by")) || pw.class == twBefore || pw.class == twAfter || pw.class == twFrom {
			if k+1 < s.b {
				nt := &s.d.toks[k+1]
				if nt.kind == kWord && nt.flags&fLower != 0 {
					switch s.p[nt.s:nt.e] {
					case "and", "or", "to", "when", "as", "until", "but", "through", "with", "after", "before", "onwards", "on":
					default:
						return match{}, false // "in 2000 cases"
					}
				}
				if nt.kind == kPunct && nt.r == '%' {
					return match{}, false
				}
			}
			return match{end: k + 1, resolved: s.date(y, 1, 1)}, true
		}
	}
	return match{}, false
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// timeList finds the time expressions of the document. Repeats of the
// same expression with the same resolution are listed once.
func (d *doc) timeList(ref time.Time) []article.TimeRef {
	s := timeScan{d: d, ref: ref, hasRef: !ref.IsZero(), loc: time.UTC}
	if s.hasRef {
		s.loc = ref.Location()
	}
	var out []article.TimeRef
	for pi, p := range d.paras {
		s.p = p
		s.a, s.b = d.pstart[pi], d.pstart[pi+1]
		for k := s.a; k < s.b; {
			t := &d.toks[k]
			if t.kind == kPunct {
				k++
				continue
			}
			m, ok := s.at(k)
			if !ok || m.end <= k {
				k++
				continue
			}
			e := d.toks[m.end-1].e
			out = append(out, article.TimeRef{Text: p[t.s:e], Start: d.cp(pi, t.s), End: d.cp(pi, e), Resolved: m.resolved})
			k = m.end
		}
	}
	return out
}
