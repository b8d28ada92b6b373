package enrich

import (
	"strconv"
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
	twLast // last, past, previous
	twNext // next, coming
	twThis // this, current
	twEarly
	twEarlier // earlier, later (val -1, +1)
	twPart    // morning, afternoon, evening (val: part code index)
	twNight
	twUnit
	twWeekend
	twNum // number words and a/an (val: the number; -1 for few, several)
	twOn
	twThe
	twPrep // in, since, by, until ... before a year or a month
	twAgo  // ago, hence
	twBefore
	twAfter
	twFrom
	twRef    // now, currently, recently, soon (val: refPresent ...)
	twSeason // val 1-4: spring, summer, fall, winter
	twOrd    // first .. fourth (val)
	twEvery  // every, each, per
	twSetAdv // daily, weekly ... (val: unit)
	twApprox // nearly, about, some ... (a prefix of durations)
	twFiscal
	twAMPM   // a.m., p.m. (val 0, 12)
	twNoon   // noon, midnight (val: hour)
	twZone   // EST, GMT ...
	twRecent // recent
	twFor    // for
	twFuture // future, past as nouns after "the"
	twLead   // more, less, up, least, than: parts of "more than", "at least", "up to"
	twQtr    // Q1 .. Q4
)

type timeWord struct {
	class int
	val   int  // month 1-12, weekday 0-6, unit, number, sign
	pl    bool // plural form (units, weekdays)
}

// Units.
const (
	uSecond = iota + 1
	uMinute
	uHour
	uDay
	uWeek
	uMonth
	uQuarter
	uHalf
	uYear
	uDecade
	uCentury
)

// Reference values.
const (
	refPresent = iota + 1
	refPast
	refFuture
)

var unitCode = [...]string{uSecond: "S", uMinute: "M", uHour: "H", uDay: "D", uWeek: "W", uMonth: "M",
	uQuarter: "Q", uHalf: "H", uYear: "Y", uDecade: "E", uCentury: "C"}

var partCode = [...]string{"MO", "AF", "EV", "NI"}

var seasonCode = [...]string{"", "SP", "SU", "FA", "WI"}

var timeLex = func() map[string]timeWord {
	m := map[string]timeWord{
		"today": {twToday, 0, false}, "tonight": {twTonight, 0, false}, "yesterday": {twYesterday, 0, false},
		"tomorrow": {twTomorrow, 0, false}, "last": {twLast, 0, false}, "past": {twLast, 0, false},
		"previous": {twLast, 0, false}, "next": {twNext, 0, false}, "coming": {twNext, 0, false},
		"this": {twThis, 0, false}, "current": {twThis, 0, false},
		"early": {twEarly, 0, false}, "late": {twEarly, 0, false}, "mid": {twEarly, 0, false},
		"earlier": {twEarlier, -1, false}, "later": {twEarlier, 1, false},
		"morning": {twPart, 0, false}, "afternoon": {twPart, 1, false}, "evening": {twPart, 2, false},
		"night": {twNight, 3, false}, "overnight": {twNight, 3, false},
		"weekend": {twWeekend, 0, false},
		"on":      {twOn, 0, false}, "the": {twThe, 0, false}, "in": {twPrep, 0, false}, "since": {twPrep, 0, false},
		"by": {twPrep, 0, false}, "until": {twPrep, 0, false}, "till": {twPrep, 0, false},
		"during": {twPrep, 0, false}, "through": {twPrep, 0, false}, "throughout": {twPrep, 0, false},
		"of": {twPrep, 0, false}, "at": {twPrep, 0, false}, "between": {twPrep, 0, false},
		"to": {twPrep, 0, false}, "and": {twPrep, 0, false}, "or": {twPrep, 0, false},
		"ago": {twAgo, -1, false}, "hence": {twAgo, 1, false},
		"before": {twBefore, -1, false}, "after": {twAfter, 1, false}, "from": {twFrom, 1, false},
		"now": {twRef, refPresent, false}, "currently": {twRef, refPresent, false},
		"presently": {twRef, refPresent, false}, "nowadays": {twRef, refPresent, false},
		"recently": {twRef, refPast, false}, "lately": {twRef, refPast, false},
		"spring": {twSeason, 1, false}, "summer": {twSeason, 2, false}, "fall": {twSeason, 3, false},
		"autumn": {twSeason, 3, false}, "winter": {twSeason, 4, false},
		"first": {twOrd, 1, false}, "second": {twOrd, 2, false}, "third": {twOrd, 3, false},
		"fourth": {twOrd, 4, false}, "1st": {twOrd, 1, false}, "2nd": {twOrd, 2, false},
		"3rd": {twOrd, 3, false}, "4th": {twOrd, 4, false},
		"every": {twEvery, 0, false}, "each": {twEvery, 0, false}, "per": {twEvery, 1, false},
		"daily": {twSetAdv, uDay, false}, "nightly": {twSetAdv, uDay, false}, "weekly": {twSetAdv, uWeek, false},
		"monthly": {twSetAdv, uMonth, false}, "quarterly": {twSetAdv, uQuarter, false},
		"annually": {twSetAdv, uYear, false}, "yearly": {twSetAdv, uYear, false}, "hourly": {twSetAdv, uHour, false},
		"nearly": {twApprox, 0, false}, "almost": {twApprox, 0, false}, "about": {twApprox, 0, false},
		"around": {twApprox, 0, false}, "approximately": {twApprox, 0, false}, "roughly": {twApprox, 0, false},
		"some": {twApprox, 0, false}, "more": {twLead, 0, false}, "less": {twLead, 0, false},
		"fewer": {twLead, 0, false}, "up": {twLead, 0, false}, "least": {twLead, 0, false}, "than": {twLead, 0, false},
		"fiscal": {twFiscal, 0, false},
		"a.m":    {twAMPM, 0, false}, "am": {twAMPM, 0, false}, "p.m": {twAMPM, 12, false}, "pm": {twAMPM, 12, false},
		"noon": {twNoon, 12, false}, "midday": {twNoon, 12, false}, "midnight": {twNoon, 0, false},
		"recent": {twRecent, 0, false}, "for": {twFor, 0, false},
		"future": {twFuture, refFuture, false},
		"a":      {twNum, 1, false}, "an": {twNum, 1, false}, "one": {twNum, 1, false}, "two": {twNum, 2, false},
		"three": {twNum, 3, false}, "four": {twNum, 4, false}, "five": {twNum, 5, false}, "six": {twNum, 6, false},
		"seven": {twNum, 7, false}, "eight": {twNum, 8, false}, "nine": {twNum, 9, false}, "ten": {twNum, 10, false},
		"eleven": {twNum, 11, false}, "twelve": {twNum, 12, false}, "thirteen": {twNum, 13, false},
		"fourteen": {twNum, 14, false}, "fifteen": {twNum, 15, false}, "sixteen": {twNum, 16, false},
		"seventeen": {twNum, 17, false}, "eighteen": {twNum, 18, false}, "nineteen": {twNum, 19, false},
		"twenty": {twNum, 20, false}, "thirty": {twNum, 30, false}, "forty": {twNum, 40, false},
		"fifty": {twNum, 50, false}, "sixty": {twNum, 60, false}, "seventy": {twNum, 70, false},
		"eighty": {twNum, 80, false}, "ninety": {twNum, 90, false}, "hundred": {twNum, 100, false},
		"dozen": {twNum, 12, false}, "few": {twNum, -1, false}, "several": {twNum, -1, false},
		"many": {twNum, -1, false}, "couple": {twNum, 2, false},
	}
	units := map[string]int{"second": uSecond, "minute": uMinute, "hour": uHour, "day": uDay, "week": uWeek,
		"month": uMonth, "quarter": uQuarter, "year": uYear, "decade": uDecade}
	for w, u := range units {
		m[w] = timeWord{twUnit, u, false}
		m[w+"s"] = timeWord{twUnit, u, true}
	}
	m["century"] = timeWord{twUnit, uCentury, false}
	m["centuries"] = timeWord{twUnit, uCentury, true}
	m["half"] = timeWord{twUnit, uHalf, false}
	for i, q := range []string{"q1", "q2", "q3", "q4"} {
		m[q] = timeWord{twQtr, i + 1, false}
	}
	for _, z := range []string{"est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "gmt", "utc", "et", "pt", "bst", "cet", "cest"} {
		m[z] = timeWord{twZone, 0, false}
	}
	for w, n := range monthNums {
		m[w] = timeWord{twMonth, n, false}
	}
	for w, n := range dayNums {
		m[w] = timeWord{twDay, n, false}
		if len(w) > 4 {
			m[w+"s"] = timeWord{twDay, n, true}
		}
	}
	return m
}()

// timeLexShape has bit n of entry shapeIndex(c) set when a word of
// timeLex starts with c (either case) and has n bytes: most words are
// turned away by it before the map is asked.
var timeLexShape = func() (sh [27]uint16) {
	for w := range timeLex {
		if len(w) < 16 {
			sh[shapeIndex(w[0])] |= 1 << len(w)
		}
	}
	return sh
}()

// shapeIndex maps a first byte to a timeLexShape entry: letters by their
// lower case, everything else to 26.
func shapeIndex(c byte) int {
	c |= 0x20
	if c >= 'a' && c <= 'z' {
		return int(c - 'a')
	}
	return 26
}

// timeScan holds the state of the time pass over one paragraph.
type timeScan struct {
	d      *doc
	p      string
	a, b   int32
	ref    time.Time
	hasRef bool
	loc    *time.Location
	cls    []timeWord // word class of each token of the paragraph
	// The last match that named a day, for a clock time after it
	// ("Tuesday at 9 a.m."), and the last quarter named.
	prevEnd int32
	prevDay time.Time
	lastQtr time.Time
	buf     [16]byte
}

// classify fills s.cls for the tokens of the current paragraph.
func (s *timeScan) classify() {
	n := int(s.b - s.a)
	if cap(s.cls) < n {
		s.cls = make([]timeWord, n, n+n/2)
	}
	s.cls = s.cls[:n]
	for k := s.a; k < s.b; k++ {
		s.cls[k-s.a] = s.lookup(k)
	}
}

// lookup returns the class of token k.
func (s *timeScan) lookup(k int32) timeWord {
	t := &s.d.toks[k]
	if t.kind == kPunct || t.e-t.s > 13 || t.flags&fASCII == 0 {
		return timeWord{}
	}
	w := s.p[t.s:t.e]
	if t.flags&fDot != 0 {
		w = w[:len(w)-1]
	}
	if w == "" || timeLexShape[shapeIndex(w[0])]&(1<<len(w)) == 0 {
		return timeWord{} // no time word starts so and is so long
	}
	b, ok := lowerASCII(s.buf[:], w)
	if !ok {
		return timeWord{}
	}
	tw, ok := timeLex[string(b)]
	if !ok {
		return timeWord{}
	}
	switch tw.class {
	case twMonth:
		// Month names must be capitalized ("may", "march" are verbs) and
		// abbreviations need their period or a following day number.
		full := len(b) > 4 || string(b) == "may" || string(b) == "june" || string(b) == "july"
		if t.flags&fCap == 0 || !full && t.flags&fDot == 0 && s.dayNum(k+1) == 0 {
			return timeWord{}
		}
		if string(b) == "may" && t.flags&fAmbig != 0 && s.dayNum(k+1) == 0 && s.year(k+1) == 0 {
			return timeWord{} // "May I ...": a sentence-initial May needs a date
		}
	case twDay:
		if len(b) <= 4 && t.flags&fDot == 0 {
			return timeWord{} // "Sun", "Sat": only with a period
		}
		if t.flags&fCap == 0 {
			return timeWord{}
		}
	case twZone:
		if t.flags&fUpper == 0 {
			return timeWord{}
		}
	case twAMPM:
		if len(b) == 2 && t.flags&fLower == 0 && t.flags&fUpper == 0 {
			return timeWord{}
		}
	}
	return tw
}

// word returns the class of token k, or twNone.
func (s *timeScan) word(k int32) timeWord {
	if k < s.a || k >= s.b {
		return timeWord{}
	}
	return s.cls[k-s.a]
}

func (s *timeScan) is(k int32, class int) bool { return s.word(k).class == class }

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

// lowerWord reports whether token k is a lower-case word.
func (s *timeScan) lowerWord(k int32) bool {
	return k >= s.a && k < s.b && s.d.toks[k].kind == kWord && s.d.toks[k].flags&fLower != 0
}

func (s *timeScan) date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, s.loc)
}

func (s *timeScan) day(n int) time.Time {
	return s.date(s.ref.Year(), s.ref.Month(), s.ref.Day()+n)
}

// monday returns the Monday of the week of t.
func monday(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day()-(int(t.Weekday())+6)%7, 0, 0, 0, 0, t.Location())
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d
}

// nearest returns the date with month m and day d in the year that puts it
// nearest to the reference, or, with a tense, the latest on or before it
// (dir -1) or the first on or after it (dir +1).
func (s *timeScan) nearest(m, d, dir int) (time.Time, bool) {
	if !s.hasRef {
		return time.Time{}, false
	}
	var best time.Time
	bestDist := time.Duration(1<<63 - 1)
	refDay := s.day(0)
	for y := s.ref.Year() - 1; y <= s.ref.Year()+1; y++ {
		if !validDate(y, m, d) {
			continue
		}
		t := s.date(y, time.Month(m), d)
		dist := t.Sub(refDay)
		if dir < 0 && dist > 0 || dir > 0 && dist < 0 || dir != 0 && (dist > 270*24*time.Hour || dist < -270*24*time.Hour) {
			continue
		}
		if dist < 0 {
			dist = -dist
		}
		if dist < bestDist {
			best, bestDist = t, dist
		}
	}
	if best.IsZero() && dir != 0 {
		return s.nearest(m, d, 0) // the tense points too far: the nearest
	}
	return best, !best.IsZero()
}

// nearestMonth returns the first day of month m in the year that puts the
// month nearest to the reference month, or by tense the latest up to it
// or the first from it.
func (s *timeScan) nearestMonth(m, dir int) time.Time {
	y, cur := s.ref.Year(), int(s.ref.Month())
	switch {
	case dir < 0:
		if m > cur {
			y--
		}
	case dir > 0:
		if m < cur {
			y++
		}
	default:
		// News looks back: a month up to eight months before the
		// reference is the past one, else the coming one.
		if m > cur {
			y--
		}
		if (cur-m+12)%12 > 9 {
			y++
		}
	}
	return s.date(y, time.Month(m), 1)
}

// tense judges the sentence around token k: +1 when it speaks of the
// future ("will meet on Tuesday", "a scan on Thursday would show", "is
// payable Dec. 15"), -1 of the past ("beat them on Tuesday", "was
// signed", "since March"), 0 when it cannot tell. The preposition before
// k decides first ("since" looks back); then the three words after k up
// to a clause boundary, then up to twelve before it, nearest first.
//
// A modal that may look either way ("would", "could", "might") gives
// tenseWeak, which counts as the future except for a weekday, where the
// nearer of the two is taken ("would miss Saturday's match" on a
// Wednesday is the coming one; "would look into Wednesday's ruling" on a
// Friday the past one).
func (s *timeScan) tense(k int32) int {
	if t := s.clauseTense(k); t != tensePresent {
		return t
	}
	return 0
}

// clauseTense is tense with tensePresent kept.
func (s *timeScan) clauseTense(k int32) int {
	if s.isWord(k-1, "since") || s.isWord(k-2, "since") && s.is(k-1, twEarly) {
		return -1
	}
	if s.isWord(k-1, "effective") || s.isWord(k-2, "effective") && s.isWord(k-1, "on") {
		return 1 // "effective June 1": when a rule starts
	}
	sent := s.d.toks[k].sent
	for i, n := k+1, 0; i < s.b && n < 3 && s.d.toks[i].sent == sent; i, n = i+1, n+1 {
		if s.d.toks[i].kind == kPunct || clauseBreak[s.tokText(i)] {
			break
		}
		if t := s.verbTense(i); t != 0 {
			return t
		}
	}
	for i, n := k-1, 0; i >= s.a && n < 12 && s.d.toks[i].sent == sent; i, n = i-1, n+1 {
		if t := s.verbTense(i); t != 0 {
			return t
		}
	}
	if s.isWord(k-1, "by") || s.isWord(k-1, "through") || s.isWord(k-1, "until") || s.isWord(k-1, "till") {
		return 1 // "by February": a deadline
	}
	return 0
}

var futureWords = set(`will|shall|would|going|plans|plan|planned|expected|expects|expect|due|scheduled|upcoming|wo|
intends|hopes|aims|next|until|begins|starts|opens|ahead|could|might|may|forecast|projected|is|are|payable|
expire|expires|supposed|tomorrow|must|should|can`)
var pastWords = set(`was|were|had|did|said|told|won|beat|lost|left|came|went|met|took|made|saw|gave|got|ran|
began|broke|fell|rose|led|held|kept|brought|bought|thought|found|sent|spent|stood|wrote|spoke|struck|hit|
shot|sank|drew|fought|flew|ago|last|earlier|since|became|sold|paid|grew|knew|heard|felt|
quit|shut|yesterday|been`)

var notPast = set(`need|needed|feed|seed|deed|bleed|breed|speed|proceed|exceed|succeed|indeed|red|bed|shed|
hundred|sacred|naked|wicked|kindred|rugged|wretched|ragged`)

// tenseWeak is the tense of a modal that may look either way;
// tensePresent that of a present-tense verb, which points forward for a
// weekday ("they travel on Saturday") and not otherwise.
const (
	tenseWeak    = 2
	tensePresent = 3
)

// clauseBreak words end the clause after a time expression: the verbs
// after them belong to another clause ("in February but we are back").
var clauseBreak = set(`that|but|while|when|because|although|though|whereas|unless|if|so`)

// weakModals point forward from a past or a hypothetical ("would",
// "could"): see tense.
var weakModals = set(`would|could|might|may|should|can`)

// subjects are pronouns that a present-tense verb follows.
var subjects = set(`they|we|he|she|i|who`)

// notPresent are words after a subject pronoun that are not a present
// tense of a scheduled event: adverbs, auxiliaries of the perfect, and
// verbs of saying and thinking ("he says Friday was...").
var notPresent = set(`also|still|now|then|all|both|just|only|never|always|often|usually|already|each|and|or|
have|has|do|does|am|say|says|tell|tells|think|thinks|believe|believes|know|knows|recall|recalls|remember|
remembers|add|adds|note|notes|explain|explains|argue|argues|insist|insists|claim|claims|admit|admits|feel|
feels|deny|denies|suspect|suspects|mean|means|seem|seems|recognize|recognizes|describe|describes|estimate|
estimates|expect|expects|hope|hopes|want|wants|on|in|at|to|for|with|from|by|about|over|into|after|before|
during|up|down|out|off|the|a|an|this|that|not|is|are|was|were|will|would|can|could|may|might|must|should`)

// verbTense returns +1, -1, tenseWeak or 0 for the word at token i.
func (s *timeScan) verbTense(i int32) int {
	t := &s.d.toks[i]
	if t.kind != kWord || t.flags&fLower == 0 {
		return 0
	}
	w := s.p[t.s:t.e]
	if s.isWord(i-1, "to") && w != "be" {
		return 0 // an infinitive: the verb that governs it decides ("was due to expire")
	}
	switch {
	case weakModals[w]:
		return tenseWeak
	case w == "set" && s.isWord(i+1, "to"):
		return 1 // "set to resume"
	case futureWords[w] || strings.HasSuffix(w, "'ll") || strings.HasSuffix(w, "\u2019ll"):
		if (w == "due" || w == "expected" || w == "scheduled" || w == "supposed") && (s.isWord(i-1, "was") || s.isWord(i-1, "were") || s.isWord(i-2, "had")) {
			return -1 // "had been due to expire Friday"
		}
		if w == "next" && s.isWord(i+1, "to") {
			return 0 // "next to the embassy"
		}
		return 1
	case pastWords[w]:
		if s.passive(i) && w != "been" && w != "had" && w != "was" && w != "were" && w != "did" {
			return 0 // "will be paid", "is held": the auxiliary decides
		}
		return -1
	case len(w) > 4 && strings.HasSuffix(w, "ed") && !notPast[w]:
		if s.is(i-1, twThe) || s.isWord(i-1, "a") || s.isWord(i-1, "an") || s.passive(i) {
			return 0 // "the reduced dividend", "is expected"
		}
		return -1
	case s.subject(i-1) && !notPresent[w] && len(w) > 2:
		return tensePresent // "they travel to Leeds on Saturday": the present of a scheduled event
	}
	return 0
}

// subject reports whether token i is a subject pronoun ("they", "They").
func (s *timeScan) subject(i int32) bool {
	if i < s.a || i >= s.b || s.d.toks[i].kind != kWord || s.d.toks[i].e-s.d.toks[i].s > 4 {
		return false
	}
	var buf [4]byte
	b, ok := lowerASCII(buf[:], s.tokText(i))
	return ok && subjects[string(b)]
}

// passive reports whether the participle at token i follows a present or
// infinitive "be" ("is held", "will be paid", "are being sold").
func (s *timeScan) passive(i int32) bool {
	j := i - 1
	if s.isWord(j, "being") {
		j--
	}
	return s.isWord(j, "is") || s.isWord(j, "are") || s.isWord(j, "be") || s.isWord(j, "am")
}

// Granularities of a resolved value.
const (
	gDay = iota + 1
	gMonth
	gYear
	gWeek
	gWeekend
	gQuarter
	gHalf
	gSeason
	gDecade
	gCentury
	gClock // a time of day
	gPart  // a part of the day
)

// match is a time expression found at a token.
type match struct {
	start, end int32 // its tokens
	typ        string
	value      string
	resolved   time.Time
	ago        bool // a shifted date ("two days ago"): approximators may lead it
	prefixOK   bool // "the" may lead it
}

// dated returns a DATE (or TIME, for gClock and gPart) match of tokens
// [start, end) for the period of granularity g that holds t; code is the
// season or part-of-day index.
func (s *timeScan) dated(start, end int32, t time.Time, g, code int) match {
	m := match{start: start, end: end, typ: article.TimeDate}
	if g == gClock || g == gPart {
		m.typ = article.TimeTime
	}
	if t.IsZero() {
		return m
	}
	y := t.Year()
	day := time.Date(y, t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	switch g {
	case gDay:
		m.value, m.resolved = day.Format("2006-01-02"), day
	case gMonth:
		m.value, m.resolved = day.Format("2006-01"), s.date(y, t.Month(), 1)
	case gYear:
		m.value, m.resolved = pad(y, 4), s.date(y, 1, 1)
	case gWeek, gWeekend:
		mon := monday(day)
		wy, wn := mon.ISOWeek()
		m.value, m.resolved = pad(wy, 4)+"-W"+pad(wn, 2), mon
		if g == gWeekend {
			m.value += "-WE"
			m.resolved = mon.AddDate(0, 0, 5)
		}
	case gQuarter:
		q := (int(t.Month()) - 1) / 3
		m.value, m.resolved = pad(y, 4)+"-Q"+strconv.Itoa(q+1), s.date(y, time.Month(3*q+1), 1)
	case gHalf:
		h := (int(t.Month()) - 1) / 6
		m.value, m.resolved = pad(y, 4)+"-H"+strconv.Itoa(h+1), s.date(y, time.Month(6*h+1), 1)
	case gSeason:
		m.value, m.resolved = pad(y, 4)+"-"+seasonCode[code], s.date(y, time.Month(3*code), 1)
	case gDecade:
		m.value, m.resolved = pad(y/10, 3), s.date(y/10*10, 1, 1)
	case gCentury:
		m.value, m.resolved = pad(y/100, 2), s.date(y/100*100, 1, 1)
	case gClock:
		m.value, m.resolved = t.Format("2006-01-02T15:04"), t
	case gPart:
		m.value, m.resolved = day.Format("2006-01-02")+"T"+partCode[code], day
	}
	return m
}

// pad formats n with at least width digits, zeros in front ("0998").
func pad(n, width int) string {
	var b [12]byte
	d := strconv.AppendInt(b[:0], int64(n), 10)
	if len(d) >= width || n < 0 {
		return string(d)
	}
	var z [12]byte
	i := copy(z[:], "000000000000"[:width-len(d)])
	i += copy(z[i:], d)
	return string(z[:i])
}

// refMatch returns a DATE match for PRESENT_REF, PAST_REF or FUTURE_REF.
func (s *timeScan) refMatch(start, end int32, r int) match {
	m := match{start: start, end: end, typ: article.TimeDate}
	switch r {
	case refPresent:
		m.value = "PRESENT_REF"
		if s.hasRef {
			m.resolved = s.day(0)
		}
	case refPast:
		m.value = "PAST_REF"
	case refFuture:
		m.value = "FUTURE_REF"
	}
	return m
}

// duration returns a DURATION match of n units (n < 0: unknown).
func duration(start, end int32, n, unit int) match {
	m := match{start: start, end: end, typ: article.TimeDuration, prefixOK: true}
	m.value = period(n, unit)
	return m
}

// period formats n units as an ISO 8601 duration ("P3D", "PT2H", "PXY").
func period(n, unit int) string {
	if unit <= 0 || unit >= len(unitCode) {
		return ""
	}
	num := "X"
	if n >= 0 {
		num = strconv.Itoa(n)
	}
	switch unit {
	case uSecond, uMinute, uHour:
		return "PT" + num + unitCode[unit]
	case uQuarter:
		if n >= 0 {
			return "P" + strconv.Itoa(3*n) + "M"
		}
	case uHalf:
		if n >= 0 {
			return "P" + strconv.Itoa(6*n) + "M"
		}
	}
	return "P" + num + unitCode[unit]
}

// timeList finds the time expressions of the document.
func (d *doc) timeList(ref time.Time) []article.TimeRef {
	s := timeScan{d: d, ref: ref, hasRef: !ref.IsZero(), loc: time.UTC, prevEnd: -1}
	if s.hasRef {
		s.loc = ref.Location()
	}
	var out []article.TimeRef
	for pi, p := range d.paras {
		s.p = p
		s.a, s.b = d.pstart[pi], d.pstart[pi+1]
		s.classify()
		for k := s.a; k < s.b; {
			if d.toks[k].kind == kPunct && d.toks[k].r != '\'' || s.cls[k-s.a].class == twNone && d.toks[k].kind == kWord && d.toks[k].flags&fHyph == 0 {
				k++
				continue
			}
			m, ok := s.at(k)
			if !ok || m.end <= k || m.start < k {
				k++
				continue
			}
			st, e := d.toks[m.start].s, d.toks[m.end-1].e
			out = append(out, article.TimeRef{Text: p[st:e], Start: d.cp(pi, st), End: d.cp(pi, e),
				Type: m.typ, Value: m.value, Resolved: m.resolved})
			if m.typ == article.TimeDate && len(m.value) == 10 {
				s.prevEnd, s.prevDay = m.end, m.resolved
			}
			k = m.end
		}
	}
	return out
}

// at tries every pattern at token k, with the words that may lead a time
// expression ("the", "late", "fiscal", "nearly") included when the
// expression takes them.
func (s *timeScan) at(k int32) (match, bool) {
	if s.is(k, twThe) {
		if m, ok := s.core(k); ok {
			return m, true
		}
	}
	j := k
	for j < s.b && j-k < 4 && s.leader(j, j == k) {
		j++
	}
	if j == k {
		return s.core(k)
	}
	m, ok := s.core(j)
	if !ok {
		return m, false
	}
	for i := k; i < j; i++ {
		w := s.word(i)
		switch w.class {
		case twThe:
			if !m.prefixOK && m.typ != article.TimeDuration {
				return m, false
			}
		case twEarly:
			if m.typ != article.TimeDate && m.typ != article.TimeTime {
				return m, false
			}
		case twFiscal:
			if m.typ != article.TimeDate {
				return m, false
			}
		default: // approximators, "at least", "more than"
			if m.typ != article.TimeDuration && m.typ != article.TimeTime && !m.ago {
				return m, false
			}
		}
	}
	m.start = k
	return m, true
}

// leader reports whether token k may lead a time expression; first is
// whether it would be the first word of the expression.
func (s *timeScan) leader(k int32, first bool) bool {
	switch s.word(k).class {
	case twThe, twEarly, twFiscal, twApprox:
		return true
	case twLead:
		switch s.tokText(k) {
		case "least":
			return !first && s.isWord(k-1, "at")
		case "than":
			return !first && (s.isWord(k-1, "more") || s.isWord(k-1, "less") || s.isWord(k-1, "fewer"))
		case "up":
			return s.isWord(k+1, "to")
		case "more", "less", "fewer":
			return s.isWord(k+1, "than")
		}
	case twPrep:
		if s.isWord(k, "at") {
			return s.isWord(k+1, "least")
		}
		if s.isWord(k, "to") {
			return !first && s.isWord(k-1, "up")
		}
	}
	return false
}

// core tries the patterns that start at token k itself.
func (s *timeScan) core(k int32) (match, bool) {
	if k < s.a || k >= s.b {
		return match{}, false
	}
	w := s.word(k)
	switch w.class {
	case twThe:
		// the day before yesterday, the day after tomorrow, the past, the future
		if s.isWord(k+1, "day") {
			if s.isWord(k+2, "before") && s.is(k+3, twYesterday) {
				return s.rel(k, k+4, uDay, -2), true
			}
			if s.isWord(k+2, "after") && s.is(k+3, twTomorrow) {
				return s.rel(k, k+4, uDay, 2), true
			}
		}
		return match{}, false
	case twEarly:
		return match{}, false
	case twEarlier:
		// earlier today, later this week
		n := s.word(k + 1)
		if n.class == twToday || n.class == twTonight || n.class == twThis && s.word(k+2).class != twNone {
			m, ok := s.core(k + 1)
			m.start = k
			return m, ok
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
		part := -1
		if w.class == twTonight {
			part = 3
		}
		if n := s.word(k + 1); (n.class == twPart || n.class == twNight) && w.class != twTonight && !n.pl {
			end++
			part = n.val
		}
		if !s.hasRef {
			m := s.dated(k, end, time.Time{}, gDay, 0)
			if part >= 0 {
				m.typ = article.TimeTime
			}
			return m, true
		}
		if part >= 0 {
			return s.dated(k, end, s.day(off), gPart, part), true
		}
		return s.dated(k, end, s.day(off), gDay, 0), true
	case twRef:
		m := s.refMatch(k, k+1, w.val)
		if w.val == refPresent && s.isWord(k-1, "from") {
			return match{}, false // "two days from now" was tried at the number
		}
		return m, true
	case twFuture:
		if s.is(k-1, twThe) && !s.is(k+1, twUnit) && !s.lowerNoun(k+1) {
			m := s.refMatch(k, k+1, w.val)
			m.prefixOK = true
			return m, true
		}
		return match{}, false
	case twLast, twThis, twNext:
		return s.modified(k, w)
	case twRecent:
		if u := s.word(k + 1); u.class == twUnit && u.pl {
			return s.refMatch(k, k+2, refPast), true
		}
		return match{}, false
	case twFor:
		// "for years", "for decades": an unknown number of units.
		if u := s.word(k + 1); u.class == twUnit && u.pl && u.val >= uDay && !s.lowerNoun(k+2) {
			return duration(k+1, k+2, -1, u.val), true
		}
		return match{}, false
	case twNum:
		return s.counted(k)
	case twDay:
		return s.dayName(k, w, twNone)
	case twMonth:
		return s.monthFirst(k, w.val)
	case twSeason:
		return s.season(k, w.val, twNone)
	case twQtr:
		if s.d.toks[k].flags&fCap == 0 {
			return match{}, false
		}
		return s.quarterOf(k, k+1, w.val, uQuarter)
	case twOrd:
		if m, ok := s.ordinal(k, w.val); ok || s.d.toks[k].kind != kNum {
			return m, ok
		}
		return s.number(k)
	case twUnit:
		if s.isWord(k, "second") {
			return s.ordinal(k, 2)
		}
		return s.unitAlone(k, w)
	case twEvery:
		return s.every(k, w)
	case twSetAdv:
		if t := &s.d.toks[k]; t.flags&fLower == 0 && (t.flags&fAmbig == 0 || !s.lowerWord(k+1)) {
			return match{}, false // "the Daily Mail"
		}
		if w.val != uYear && s.lowerNoun(k+1) {
			return match{}, false // "a quarterly dividend", "daily life": an adjective
		}
		m := match{start: k, end: k + 1, typ: article.TimeSet, value: period(1, w.val)}
		return m, true
	case twNoon:
		if f := s.d.toks[k].flags; f&fCap != 0 && f&(fAmbig|fUpper) == 0 || s.isWord(k-1, "high") {
			return match{}, false // "High Noon", "high noon": a title, a figure of speech
		}
		return s.clock(k)
	case twWeekend:
		if s.is(k-1, twThe) {
			return s.weekend(k, k+1, twNone), true
		}
		return match{}, false
	}
	t := &s.d.toks[k]
	switch {
	case t.kind == kPunct:
		// '90s
		if t.r == '\'' && k+1 < s.b && s.d.toks[k+1].s == t.e {
			if w := s.tokText(k + 1); len(w) == 3 && w[2] == 's' && isDigitByte(w[0]) && isDigitByte(w[1]) {
				y := 1900 + atoi(w[:2])*1
				m := s.dated(k, k+2, s.date(y, 1, 1), gDecade, 0)
				m.prefixOK = true
				return m, true
			}
		}
		return match{}, false
	case t.kind == kNum:
		if t.flags&fHyph != 0 {
			if m, ok := s.number(k); ok {
				return m, true
			}
			return s.hyphen(k)
		}
		if m, ok := s.clock(k); ok {
			return m, true
		}
		if n := s.num(k); n > 0 && n < 1000 {
			if m, ok := s.counted(k); ok {
				return m, true
			}
		}
		return s.number(k)
	case t.flags&fHyph != 0:
		return s.hyphen(k)
	}
	return match{}, false
}

// tokText returns the text of token k.
func (s *timeScan) tokText(k int32) string {
	if k < s.a || k >= s.b {
		return ""
	}
	t := &s.d.toks[k]
	return s.p[t.s:t.e]
}

// lowerNoun reports whether token k is a lower-case word that is not a
// time word, a verb-like function word or punctuation: "the future
// growth", "for years old".
func (s *timeScan) lowerNoun(k int32) bool {
	if !s.lowerWord(k) {
		return false
	}
	switch s.tokText(k) {
	case "and", "or", "is", "was", "will", "to", "that", "as", "but", "of", "in", "on", "for", "with", "are",
		"were", "has", "have", "had", "when", "because", "if", "than", "at", "by", "so", "ago", "now", "he",
		"she", "it", "they", "we", "i", "you", "there", "this", "before", "after", "since", "until", "while":
		return false
	}
	return s.word(k).class == twNone
}

// rel resolves an offset of n units from the reference to a DATE (TIME
// for hours and minutes) of that unit's granularity; the resolved day is
// the shifted day itself.
func (s *timeScan) rel(start, end int32, unit, n int) match {
	g := gDay
	switch unit {
	case uSecond, uMinute, uHour:
		g = gClock
	case uWeek:
		g = gWeek
	case uMonth:
		g = gMonth
	case uQuarter:
		g = gQuarter
	case uHalf:
		g = gHalf
	case uYear, uDecade, uCentury:
		g = gYear
	}
	if !s.hasRef {
		return s.dated(start, end, time.Time{}, g, 0)
	}
	var t time.Time
	switch unit {
	case uSecond, uMinute, uHour:
		d := time.Duration(n) * time.Minute
		switch unit {
		case uHour:
			d = time.Duration(n) * time.Hour
		case uSecond:
			d = time.Duration(n) * time.Second
		}
		t = s.ref.Add(d).Truncate(time.Minute)
	case uDay:
		t = s.day(n)
	case uWeek:
		t = s.day(7 * n)
	case uMonth, uQuarter, uHalf:
		months := n
		if unit == uQuarter {
			months *= 3
		} else if unit == uHalf {
			months *= 6
		}
		t = s.date(s.ref.Year(), s.ref.Month()+time.Month(months), 1)
		if d := s.ref.Day(); validDate(t.Year(), int(t.Month()), d) {
			t = s.date(t.Year(), t.Month(), d)
		}
	case uYear, uDecade, uCentury:
		years := n
		if unit == uDecade {
			years *= 10
		} else if unit == uCentury {
			years *= 100
		}
		y := s.ref.Year() + years
		d := s.ref.Day()
		if !validDate(y, int(s.ref.Month()), d) {
			d = 28
		}
		t = s.date(y, s.ref.Month(), d)
	}
	m := s.dated(start, end, t, g, 0)
	if g != gClock {
		m.resolved = s.date(t.Year(), t.Month(), t.Day())
	}
	return m
}

// modified handles last/this/next + night, week, month, year, weekend, a
// weekday, a month, a season, a part of the day, and last/next + a count
// of units ("the last three years", a duration).
func (s *timeScan) modified(k int32, mod timeWord) (match, bool) {
	n := s.word(k + 1)
	end := k + 2
	the := s.is(k-1, twThe)
	if k+1 < s.b && s.d.toks[k+1].kind == kNum && mod.class != twThis {
		// the past 20 years, the next 18 months
		if c, j, ok := s.count(k + 1); ok && c > 1 {
			if u := s.word(j); u.class == twUnit && u.pl {
				return duration(k, j+1, c, u.val), true
			}
		}
	}
	switch n.class {
	case twNight:
		if s.isWord(k+1, "overnight") {
			return match{}, false
		}
		off := 1
		switch mod.class {
		case twLast:
			off = -1
		case twThis:
			off = 0
		}
		if !s.hasRef {
			return s.dated(k, end, time.Time{}, gPart, 3), true
		}
		return s.dated(k, end, s.day(off), gPart, 3), true
	case twPart:
		if mod.class == twThis && !n.pl {
			if !s.hasRef {
				return s.dated(k, end, time.Time{}, gPart, n.val), true
			}
			return s.dated(k, end, s.day(0), gPart, n.val), true
		}
		return match{}, false
	case twDay:
		if n.pl {
			return match{}, false
		}
		return s.dayName(k+1, n, mod.class)
	case twWeekend:
		return s.weekend(k, end, mod.class), true
	case twSeason:
		return s.season(k+1, n.val, mod.class)
	case twNum:
		// last three years, the next few days, the past couple of months
		if mod.class == twThis {
			return match{}, false
		}
		if c, j, ok := s.count(k + 1); ok {
			if u := s.word(j); u.class == twUnit && (u.pl || c == 1) {
				m := duration(k, j+1, c, u.val)
				return m, true
			}
		}
		return match{}, false
	case twUnit:
		if n.pl {
			// the coming months, the past weeks
			if mod.class == twThis || !the {
				return match{}, false
			}
			return duration(k, end, -1, n.val), true
		}
		// "the past year", "the last month": TimeML takes them as the
		// previous calendar period, like "last year" (DATE).
		sign := 0
		switch mod.class {
		case twLast:
			sign = -1
		case twNext:
			sign = 1
		}
		if s.isWord(k, "previous") && the {
			sign = -1
		}
		var g int
		switch n.val {
		case uWeek:
			g = gWeek
		case uMonth:
			g = gMonth
		case uYear:
			g = gYear
		case uQuarter:
			g = gQuarter
		case uHalf:
			g = gHalf
		case uDecade:
			if mod.class == twNext {
				return duration(k, end, 1, uDecade), true // "over the next decade"
			}
			g = gDecade
		case uCentury:
			g = gCentury
		case uDay:
			if mod.class == twThis {
				return s.dated(k, end, s.refOr(0), gDay, 0), true
			}
			return match{}, false
		default:
			return match{}, false
		}
		if !s.hasRef {
			return s.dated(k, end, time.Time{}, g, 0), true
		}
		var t time.Time
		switch g {
		case gWeek:
			t = s.day(7 * sign)
		case gMonth:
			t = s.date(s.ref.Year(), s.ref.Month()+time.Month(sign), 1)
		case gYear:
			t = s.date(s.ref.Year()+sign, 1, 1)
		case gQuarter:
			t = s.date(s.ref.Year(), s.ref.Month()+time.Month(3*sign), 1)
			if sign == 0 && !s.lastQtr.IsZero() && s.tense(k) <= 0 {
				t = s.lastQtr // "this quarter's loss" in a report on the quarter
			}
		case gHalf:
			t = s.date(s.ref.Year(), s.ref.Month()+time.Month(6*sign), 1)
		case gCentury:
			t = s.date(s.ref.Year()+100*sign, 1, 1)
		case gDecade:
			t = s.date(s.ref.Year()+10*sign, 1, 1)
		}
		m := s.dated(k, end, t, g, 0)
		m.prefixOK = true
		if g == gYear && s.d.toks[k+1].flags&fPoss != 0 {
			// this year's third quarter, last year's quarter
			if o := s.word(end); o.class == twOrd && s.is(end+1, twUnit) && s.word(end+1).val == uQuarter {
				q := s.dated(k, end+2, t.AddDate(0, 3*(o.val-1), 0), gQuarter, 0)
				q.prefixOK = true
				return q, true
			}
			if u := s.word(end); u.class == twUnit && u.val == uQuarter && !u.pl && !s.lastQtr.IsZero() {
				q := s.dated(k, end+1, s.date(t.Year(), s.lastQtr.Month(), 1), gQuarter, 0)
				q.prefixOK = true
				return q, true
			}
		}
		return m, true
	case twMonth:
		if dn := s.dayNum(k + 2); dn > 0 && s.year(k+2) == 0 && validDate(2024, n.val, dn) {
			// last Oct. 23, next June 4
			if !s.hasRef {
				return s.dated(k, k+3, time.Time{}, gDay, 0), true
			}
			dir := 0
			switch mod.class {
			case twLast:
				dir = -1
			case twNext:
				dir = 1
			}
			r, _ := s.nearest(n.val, dn, dir)
			return s.dated(k, k+3, r, gDay, 0), true
		}
		if !s.hasRef {
			return s.dated(k, end, time.Time{}, gMonth, 0), true
		}
		y := s.ref.Year()
		cur := int(s.ref.Month())
		switch mod.class {
		case twLast:
			if n.val >= cur {
				y--
			}
		case twNext:
			if n.val <= cur {
				y++
			}
		}
		return s.dated(k, end, s.date(y, time.Month(n.val), 1), gMonth, 0), true
	}
	if the && s.isWord(k, "past") && !s.lowerNoun(k+1) {
		m := s.refMatch(k, k+1, refPast)
		m.prefixOK = true
		return m, true
	}
	return match{}, false
}

// refOr returns the reference day shifted by n days, or zero without one.
func (s *timeScan) refOr(n int) time.Time {
	if !s.hasRef {
		return time.Time{}
	}
	return s.day(n)
}

// weekend resolves "the weekend", "last weekend", "this weekend" and
// "next weekend" to its Saturday.
func (s *timeScan) weekend(start, end int32, mod int) match {
	if !s.hasRef {
		return s.dated(start, end, time.Time{}, gWeekend, 0)
	}
	mon := monday(s.day(0))
	off := 0
	switch mod {
	case twLast:
		off = -7
	case twNext:
		off = 7
	case twNone:
		switch wd := s.ref.Weekday(); {
		case wd == time.Saturday || wd == time.Sunday:
		case s.tense(start) < 0 || s.tense(start) == 0 && wd <= time.Tuesday:
			off = -7 // "over the weekend", on a Monday
		}
	}
	m := s.dated(start, end, mon.AddDate(0, 0, off), gWeekend, 0)
	m.prefixOK = true
	return m
}

// count reads a number at token k: digits, number words ("twenty four",
// "a hundred"), "a", "a few", "several", "a couple of", "a dozen". It
// returns the number (-1 for an unknown one) and the token after it.
func (s *timeScan) count(k int32) (int, int32, bool) {
	if k < s.a || k >= s.b {
		return 0, k, false
	}
	if n := s.num(k); n >= 0 {
		j := k + 1
		// 2 1/2 years
		if t := s.tokText(j - 1); j < s.b && s.d.toks[j].kind == kNum && strings.Contains(s.tokText(j), "/") && len(t) < 4 {
			j++
		}
		return n, j, true
	}
	w := s.word(k)
	if w.class != twNum {
		// twenty-four
		if t := &s.d.toks[k]; t.flags&fHyph != 0 && t.kind == kWord {
			txt := s.tokText(k)
			if i := strings.IndexByte(txt, '-'); i > 0 {
				var lb, rb [12]byte
				l, ok1 := lowerASCII(lb[:], txt[:i])
				r, ok2 := lowerASCII(rb[:], txt[i+1:])
				if ok1 && ok2 {
					lw, rw := timeLex[string(l)], timeLex[string(r)]
					if lw.class == twNum && rw.class == twNum && lw.val >= 20 && lw.val%10 == 0 && rw.val > 0 && rw.val < 10 {
						return lw.val + rw.val, k + 1, true
					}
				}
			}
		}
		return 0, k, false
	}
	n, j := w.val, k+1
	if w.val == 1 && (s.isWord(k, "a") || s.isWord(k, "an")) {
		// a few, a couple of, a dozen, a hundred
		if x := s.word(j); x.class == twNum && (x.val < 0 || x.val >= 12 || s.isWord(j, "couple")) && !s.isWord(j, "one") {
			n, j = x.val, j+1
		}
	}
	if n == 2 && s.isWord(j-1, "couple") {
		if !s.isWord(j, "of") {
			return 0, k, false
		}
		j++
	}
	for n > 0 {
		x := s.word(j)
		if x.class != twNum || s.isWord(j, "a") || s.isWord(j, "an") || x.val < 0 {
			break
		}
		switch {
		case x.val == 100 && n < 100:
			n *= 100
		case n >= 20 && n%10 == 0 && n < 100 && x.val < 10:
			n += x.val
		default:
			return n, j, true
		}
		j++
	}
	return n, j, true
}

// counted handles a count followed by a unit: "two days ago", "a week
// earlier", "three years later", "five days from now" (DATE), "three
// years", "48 hours" (DURATION), "twice a year", "$5 a day" (SET).
func (s *timeScan) counted(k int32) (match, bool) {
	n, j, ok := s.count(k)
	if !ok {
		return match{}, false
	}
	// ranges: "two to three weeks", "12 to 18 months"
	if (s.isWord(j, "to") || s.isWord(j, "or")) && s.word(j+2).class == twUnit {
		if n2, j2, ok := s.count(j + 1); ok && j2 == j+2 && n2 > 0 {
			n, j = n2, j2
		}
	}
	u := s.word(j)
	if u.class != twUnit || u.val == uHalf {
		return match{}, false
	}
	if u.pl && n == 1 || u.val == uSecond && !u.pl {
		return match{}, false // "a second" is mostly an ordinal
	}
	if f := s.d.toks[j].flags; f&fCap != 0 && f&(fAmbig|fUpper) == 0 {
		return match{}, false // a title: "60 Minutes"
	}
	if s.d.toks[k].kind == kNum && (s.punct(k-1, '$') || s.punct(k-1, '\u20ac') || s.punct(k-1, '\u00a3')) {
		return match{}, false
	}
	// "a year or two", "a week or so"
	ue := j + 1
	if s.isWord(ue, "or") {
		if s.isWord(ue+1, "so") {
			ue += 2
		} else if _, j2, ok := s.count(ue + 1); ok && j2 == ue+2 && s.d.toks[ue+1].kind != kPunct {
			ue += 2
		}
	}
	d := s.word(ue)
	end := ue + 1
	// A set: "a year" right after an amount or "times".
	if n == 1 && !u.pl && j == k+1 && (s.isWord(k, "a") || s.isWord(k, "an")) && s.amountBefore(k) && d.class != twAgo && d.class != twEarlier {
		return match{start: k, end: j + 1, typ: article.TimeSet, value: period(1, u.val)}, true
	}
	// "will one day": some time in the future
	if n == 1 && u.val == uDay && !u.pl && s.isWord(k, "one") && s.verbTense(k-1) > 0 {
		return s.refMatch(k, j+1, refFuture), true
	}
	sign := 0
	switch d.class {
	case twAgo, twEarlier:
		sign = d.val
	case twBefore, twAfter:
		if s.lowerWord(ue+1) || ue+1 < s.b && s.d.toks[ue+1].kind != kPunct {
			// "two days before the vote" is relative to the vote.
			return duration(k, j+1, n, u.val), true
		}
		sign = d.val
	case twFrom:
		if !s.isWord(ue+1, "now") {
			return duration(k, ue, n, u.val), true
		}
		sign, end = 1, ue+2
	}
	if sign != 0 && n > 0 {
		m := s.rel(k, end, u.val, sign*n)
		if u.val == uYear && n == 1 && !s.lastQtr.IsZero() {
			// In a report on a quarter, "a year ago" is that quarter a year before.
			m = s.dated(k, end, s.lastQtr.AddDate(-1, 0, 0), gQuarter, 0)
		}
		m.ago = true
		return m, true
	}
	if sign == 0 && n > 0 && s.isWord(k-1, "in") && !s.isWord(ue, "of") && s.tense(k) > 0 {
		// "will be redeemed in five years": the date five years on
		m := s.rel(k, ue, u.val, n)
		m.ago = true
		return m, true
	}
	if sign != 0 {
		m := s.refMatch(k, end, refPast)
		if sign > 0 {
			m.value = "FUTURE_REF"
		}
		m.ago = true
		return m, true
	}
	return duration(k, j+1, n, u.val), true
}

// amountBefore reports whether the token before k is an amount or
// "times", "once", "twice": "$5 a day", "three times a week".
func (s *timeScan) amountBefore(k int32) bool {
	if k-1 < s.a {
		return false
	}
	t := &s.d.toks[k-1]
	if t.kind == kNum || t.kind == kPunct && t.r == '%' {
		return true
	}
	switch strings.ToLower(s.tokText(k - 1)) {
	case "times", "once", "twice", "percent", "million", "billion", "dollars", "cents":
		return true
	}
	return false
}

// unitAlone handles a bare unit: "the quarter" (the quarter last named,
// else the one before the reference's), "the year-earlier quarter".
func (s *timeScan) unitAlone(k int32, u timeWord) (match, bool) {
	if u.val == uQuarter && !u.pl && s.is(k-1, twThe) {
		t := s.lastQtr
		if t.IsZero() && s.hasRef {
			t = s.date(s.ref.Year(), s.ref.Month()-3, 1)
		}
		m := s.dated(k, k+1, t, gQuarter, 0)
		m.prefixOK = true
		return m, true
	}
	// "the year 2000"
	if u.val == uYear && !u.pl {
		if y := s.year(k + 1); y > 0 {
			m := s.dated(k, k+2, s.date(y, 1, 1), gYear, 0)
			m.prefixOK = true
			return m, true
		}
	}
	return match{}, false
}

// every handles sets: "every week", "each Monday", "every two months",
// "each July", "per year".
func (s *timeScan) every(k int32, w timeWord) (match, bool) {
	n := s.word(k + 1)
	m := match{start: k, end: k + 2, typ: article.TimeSet}
	switch n.class {
	case twUnit:
		if n.pl {
			return match{}, false
		}
		if w.val == 1 && !s.amountBefore(k) { // "per" only after an amount
			return match{}, false
		}
		m.value = period(1, n.val)
		return m, true
	case twDay:
		m.value = "XXXX-WXX-" + strconv.Itoa((n.val+6)%7+1)
		if p := s.word(k + 2); p.class == twPart || p.class == twNight {
			m.value += "T" + partCode[p.val]
			m.end++
		}
		return m, w.val == 0
	case twMonth:
		m.value = "XXXX-" + pad(n.val, 2)
		return m, w.val == 0
	case twSeason:
		m.value = "XXXX-" + seasonCode[n.val]
		return m, w.val == 0
	case twNum:
		if c, j, ok := s.count(k + 1); ok && c > 1 && w.val == 0 {
			if u := s.word(j); u.class == twUnit && u.pl {
				m.end, m.value = j+1, period(c, u.val)
				return m, true
			}
		}
	}
	if s.isWord(k+1, "other") {
		if u := s.word(k + 2); u.class == twUnit && !u.pl {
			m.end, m.value = k+3, period(2, u.val)
			return m, true
		}
	}
	return match{}, false
}

// dayName handles a weekday with an optional modifier, part of day and
// following date: "Tuesday", "last Friday", "Wednesday night",
// "Wednesday, June 19, 2024"; "Mondays" is a set.
func (s *timeScan) dayName(k int32, w timeWord, mod int) (match, bool) {
	wd := w.val
	t := &s.d.toks[k]
	if w.pl {
		if mod != twNone {
			return match{}, false
		}
		return match{start: k, end: k + 1, typ: article.TimeSet, value: "XXXX-WXX-" + strconv.Itoa((wd+6)%7+1)}, true
	}
	start := k
	if mod != twNone {
		start = k - 1
	}
	end := k + 1
	part := -1
	if n := s.word(end); (n.class == twPart || n.class == twNight) && !n.pl && !s.isWord(end, "overnight") {
		end++
		part = n.val
	}
	j := end
	if s.punct(j, ',') {
		j++
	}
	if mw := s.word(j); mw.class == twMonth {
		if m, ok := s.monthFirst(j, mw.val); ok && s.dayNum(j+1) > 0 {
			m.start = start
			return m, true
		}
	}
	if dn := s.dayNum(j); dn > 0 {
		if mw := s.word(j + 1); mw.class == twMonth {
			if m, ok := s.dayFirst(j, dn, mw.val); ok {
				m.start = start
				return m, true
			}
		}
	}
	if t.flags&fDot != 0 {
		return match{}, false // abbreviations only before a date
	}
	r, ok := s.weekday(wd, mod, k)
	if !ok {
		r = time.Time{}
	}
	if part >= 0 {
		return s.dated(start, end, r, gPart, part), true
	}
	return s.dated(start, end, r, gDay, 0), true
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
		return monday(s.day(0)).AddDate(0, 0, (wd+6)%7), true
	}
	ahead := (wd - cur + 7) % 7
	back := (cur - wd + 7) % 7
	switch s.clauseTense(k) {
	case 1, tensePresent:
		return s.day(ahead), true
	case -1:
		return s.day(-back), true
	case tenseWeak:
		if ahead <= back {
			return s.day(ahead), true
		}
		return s.day(-back), true
	}
	// No tense: news looks back, unless the day is tomorrow.
	if ahead == 1 {
		return s.day(ahead), true
	}
	return s.day(-back), true
}

// monthFirst handles "June 19, 2024", "June 19", "June 2024", "June of
// 2024" and a month alone after a preposition or a modifier ("in June",
// "early June"): past tense takes the latest such month, future the next.
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
			return s.dated(k, j+1, s.date(y, time.Month(mon), dn), gDay, 0), true
		}
		if !validDate(2024, mon, dn) {
			return match{}, false
		}
		r, _ := s.nearest(mon, dn, s.tense(k))
		return s.dated(k, end, r, gDay, 0), true
	}
	j := k + 1
	if s.punct(j, ',') || s.isWord(j, "of") {
		j++
	}
	if y := s.year(j); y > 0 {
		m := s.dated(k, j+1, s.date(y, time.Month(mon), 1), gMonth, 0)
		m.prefixOK = true
		return m, true
	}
	// A month alone only after a preposition or a modifier.
	if k-1 >= s.a {
		pw := s.word(k - 1)
		if pw.class == twPrep || pw.class == twEarly || pw.class == twLast || pw.class == twNext || pw.class == twThis || pw.class == twOn || pw.class == twBefore || pw.class == twAfter || pw.class == twFrom {
			t := &s.d.toks[k]
			if t.flags&fPoss != 0 {
				return match{}, false
			}
			var r time.Time
			if s.hasRef {
				r = s.nearestMonth(mon, s.tense(k))
			}
			return s.dated(k, k+1, r, gMonth, 0), true
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
		return s.dated(k, k+3, s.date(y, time.Month(mon), dn), gDay, 0), true
	}
	if !validDate(2024, mon, dn) {
		return match{}, false
	}
	r, _ := s.nearest(mon, dn, s.tense(k))
	return s.dated(k, k+2, r, gDay, 0), true
}

// season handles "summer", "this summer", "last fall", "summer 2024",
// "the summer of 1998".
func (s *timeScan) season(k int32, c int, mod int) (match, bool) {
	start := k
	if mod != twNone {
		start = k - 1
	}
	j := k + 1
	if s.isWord(j, "of") || s.punct(j, ',') {
		j++
	}
	if y := s.year(j); y > 0 {
		m := s.dated(start, j+1, s.date(y, 1, 1), gSeason, c)
		m.prefixOK = true
		return m, true
	}
	if mod == twNone {
		// A season alone after "in", "the", "early", "late" ("fall" only
		// after "the", being also a verb).
		pw := s.word(k - 1)
		ok := pw.class == twThe || pw.class == twEarly || c != 3 && pw.class == twPrep && s.isWord(k-1, "in") || c != 3 && pw.class == twPrep && s.isWord(k-1, "during")
		if !ok || s.isWord(k+1, "of") || s.lowerNoun(k+1) && c != 3 {
			return match{}, false
		}
		if c == 3 && (s.isWord(k+1, "in") || s.isWord(k+1, "from") || s.isWord(k+1, "to") || s.isWord(k+1, "by") || s.isWord(k+1, "of")) {
			return match{}, false // "the fall in prices"
		}
		if s.d.toks[k].flags&fLower == 0 && s.d.toks[k].flags&fAmbig == 0 {
			return match{}, false
		}
	}
	if !s.hasRef {
		m := s.dated(start, k+1, time.Time{}, gSeason, c)
		m.prefixOK = true
		return m, true
	}
	// The instance in the reference year (winter: the one that started in
	// December before a January or February reference).
	y := s.ref.Year()
	if c == 4 && s.ref.Month() <= 2 {
		y--
	}
	st := func(y int) time.Time { return s.date(y, time.Month(3*c), 1) }
	ref := s.day(0)
	dir := 0
	switch mod {
	case twLast:
		dir = -1
	case twNext:
		dir = 1
	case twNone:
		dir = s.tense(k)
	}
	switch {
	case dir < 0 && mod == twLast:
		if !st(y).AddDate(0, 3, 0).After(ref) { // it is over
			break
		}
		y--
	case dir < 0:
		if st(y).After(ref) {
			y--
		}
	case dir > 0 && mod == twNext:
		if !st(y).After(ref) {
			y++
		}
	case dir > 0:
		if !st(y).AddDate(0, 3, 0).After(ref) {
			y++
		}
	}
	m := s.dated(start, k+1, st(y), gSeason, c)
	m.prefixOK = true
	return m, true
}

// ordinal handles quarters and halves: "the third quarter", "first half
// of 2024", "the fourth quarter of fiscal 1989", "first-quarter".
func (s *timeScan) ordinal(k int32, n int) (match, bool) {
	u := s.word(k + 1)
	if u.class != twUnit || u.pl || u.val != uQuarter && u.val != uHalf || u.val == uHalf && n > 2 {
		// "the 20th century" is handled by the number.
		return match{}, false
	}
	if u.val == uHalf && s.year(k+2) == 0 && s.year(k+3) == 0 {
		return match{}, false // "the first half" of a match
	}
	return s.quarterOf(k, k+2, n, u.val)
}

// quarterOf resolves quarter (or half) n whose words end before token j,
// with an optional year after: "of 1990", "1990", "of fiscal 1990".
func (s *timeScan) quarterOf(start, j int32, n, unit int) (match, bool) {
	g, months := gQuarter, 3
	if unit == uHalf {
		g, months = gHalf, 6
	}
	i := j
	if s.isWord(i, "of") || s.punct(i, ',') {
		i++
	}
	if s.is(i, twFiscal) {
		i++
	}
	if y := s.year(i); y > 0 {
		m := s.dated(start, i+1, s.date(y, time.Month(1+(n-1)*months), 1), g, 0)
		m.prefixOK = true
		if g == gQuarter {
			s.lastQtr = m.resolved
		}
		return m, true
	}
	if !s.hasRef {
		m := s.dated(start, j, time.Time{}, g, 0)
		m.prefixOK = true
		return m, true
	}
	// The latest such period that has begun, or with a future tense the
	// next one that has not ended.
	// Quarters are reported after they end: the latest that has begun.
	t := s.date(s.ref.Year(), time.Month(1+(n-1)*months), 1)
	if t.After(s.ref) {
		t = t.AddDate(-1, 0, 0)
	}
	m := s.dated(start, j, t, g, 0)
	m.prefixOK = true
	if g == gQuarter {
		s.lastQtr = t
	}
	return m, true
}

// hyphen handles hyphenated words: "two-year", "10-day" (durations),
// "third-quarter", "mid-November", "mid-1990s", "year-earlier",
// "year-end".
func (s *timeScan) hyphen(k int32) (match, bool) {
	w := s.tokText(k)
	i := strings.IndexAny(w, "-\u2010\u2011")
	if i <= 0 || len(w) > 24 || s.d.toks[k].flags&fASCII == 0 {
		return match{}, false
	}
	var lb, rb [24]byte
	l, ok1 := lowerASCII(lb[:], w[:i])
	r, ok2 := lowerASCII(rb[:], w[i+1:])
	if !ok1 || !ok2 {
		return match{}, false
	}
	// The right part may run on: "two-year-long". An age ("8-month-old",
	// "a 44-year-old") describes a person, not a time of the story: the
	// TimeML corpora leave ages untagged.
	if j := strings.IndexByte(string(r), '-'); j >= 0 {
		if string(r[j+1:]) != "long" {
			return match{}, false
		}
		r = r[:j]
	}
	lw, rw := timeLex[string(l)], timeLex[string(r)]
	switch {
	case string(l) == "mid":
		if rw.class == twMonth {
			if y := s.year(k + 1); y > 0 {
				return s.dated(k, k+2, s.date(y, time.Month(rw.val), 1), gMonth, 0), true
			}
			var t time.Time
			if s.hasRef {
				t = s.nearestMonth(rw.val, s.tense(k))
			}
			return s.dated(k, k+1, t, gMonth, 0), true
		}
		if y := atoi(string(r)); len(r) == 4 && y >= 1000 {
			m := s.dated(k, k+1, s.date(y, 1, 1), gYear, 0)
			m.prefixOK = true
			return m, true
		}
		if len(r) == 5 && r[4] == 's' && atoi(string(r[:4])) >= 1000 {
			m := s.dated(k, k+1, s.date(atoi(string(r[:4])), 1, 1), gDecade, 0)
			m.prefixOK = true
			return m, true
		}
	case rw.class == twUnit && !rw.pl && (lw.class == twNum && lw.val > 0 || atoi(string(l)) > 0):
		n := lw.val
		if lw.class != twNum {
			n = atoi(string(l))
		}
		if rw.val == uQuarter || rw.val == uHalf {
			return match{}, false
		}
		return duration(k, k+1, n, rw.val), true
	case lw.class == twOrd && rw.class == twUnit && !rw.pl && (rw.val == uQuarter || rw.val == uHalf && lw.val <= 2):
		return s.quarterOf(k, k+1, lw.val, rw.val)
	case string(l) == "year" && (string(r) == "earlier" || string(r) == "ago"):
		end := k + 1
		if u := s.word(k + 1); u.class == twUnit && !u.pl && u.val == uQuarter || s.isWord(k+1, "period") {
			end++
		}
		if !s.hasRef {
			return s.dated(k, end, time.Time{}, gYear, 0), true
		}
		m := s.dated(k, end, s.date(s.ref.Year()-1, 1, 1), gYear, 0)
		if !s.lastQtr.IsZero() {
			m = s.dated(k, end, s.lastQtr.AddDate(-1, 0, 0), gQuarter, 0)
		}
		m.prefixOK = true
		return m, true
	case lw.class == twNum && timeLex[string(r)].class == twNum:
		return s.counted(k)
	case string(l) == "year" && string(r) == "end":
		if !s.hasRef {
			return s.dated(k, k+1, time.Time{}, gYear, 0), true
		}
		y := s.ref.Year()
		if s.tense(k) < 0 {
			y--
		}
		m := s.dated(k, k+1, s.date(y, 12, 31), gDay, 0)
		m.prefixOK = true
		return m, true
	}
	return match{}, false
}

// clock handles a time of day at token k: "9 a.m.", "10:35 p.m.",
// "21:00", "9pm", "noon", with an optional zone and day after it ("10
// p.m. Wednesday", "noon Thursday", "5 p.m. EST Nov. 9").
func (s *timeScan) clock(k int32) (match, bool) {
	h, mi := -1, 0
	end := k + 1
	if w := s.word(k); w.class == twNoon {
		h = w.val
	} else {
		txt := s.tokText(k)
		i := 0
		for i < len(txt) && i < 2 && isDigitByte(txt[i]) {
			i++
		}
		if i == 0 {
			return match{}, false
		}
		h = atoi(txt[:i])
		rest := txt[i:]
		hasMin := false
		if len(rest) >= 3 && (rest[0] == ':' || rest[0] == '.') && isDigitByte(rest[1]) && isDigitByte(rest[2]) {
			mi = atoi(rest[1:3])
			rest = rest[3:]
			hasMin = true
		}
		ampm := -1
		switch strings.ToLower(rest) {
		case "":
		case "am", "a.m":
			ampm = 0
		case "pm", "p.m":
			ampm = 12
		default:
			return match{}, false
		}
		if ampm < 0 {
			if a := s.word(k + 1); a.class == twAMPM {
				ampm = a.val
				end++
			}
		}
		if ampm < 0 && (!hasMin || rest != "" || txt[i] != ':' || i != 2 && h > 9) {
			return match{}, false // "21:00" needs its colon; "9" alone is a number
		}
		if ampm < 0 && i == 1 {
			// "9:15" alone could be a score or a ratio: only after "at".
			if !s.isWord(k-1, "at") && !s.isWord(k-1, "by") {
				return match{}, false
			}
		}
		if h > 23 || mi > 59 || ampm >= 0 && (h > 12 || h == 0) {
			return match{}, false
		}
		if ampm >= 0 {
			h = h%12 + ampm
		}
	}
	if s.is(end, twZone) {
		end++
	}
	// A day after the time: "10 p.m. Wednesday", "noon Thursday",
	// "5 p.m. EST, Nov. 6", "9 a.m. tomorrow".
	var day time.Time
	j := end
	if s.punct(j, ',') {
		j++
	}
	if s.isWord(j, "on") {
		j++
	}
	if w := s.word(j); w.class == twDay || w.class == twMonth || w.class == twToday || w.class == twYesterday || w.class == twTomorrow || s.dayNum(j) > 0 && s.is(j+1, twMonth) {
		if m, ok := s.core(j); ok && m.typ == article.TimeDate && len(m.value) == 10 {
			day, end = m.resolved, m.end
		} else if ok && !s.hasRef && m.typ == article.TimeDate {
			end = m.end
		}
	}
	if day.IsZero() && s.prevEnd >= 0 && s.prevEnd >= k-2 && s.prevEnd <= k && !s.prevDay.IsZero() {
		day = s.prevDay
	}
	if day.IsZero() && s.hasRef {
		day = s.day(0)
	}
	if day.IsZero() {
		return match{start: k, end: end, typ: article.TimeTime}, true
	}
	t := time.Date(day.Year(), day.Month(), day.Day(), h, mi, 0, 0, day.Location())
	return s.dated(k, end, t, gClock, 0), true
}

// number handles a number token: "19 June", "2024-06-19", "2024/06/19",
// a decade ("1990s"), a century ("20th century") and a year ("in 2010",
// "a 2010 raid", "2011 removed"), but not an amount ("2010 people").
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
			return s.dated(k, k+1, s.date(y, time.Month(m), d), gDay, 0), true
		}
		return match{}, false
	}
	// 1990s
	if len(w) == 5 && w[4] == 's' && w[3] == '0' {
		if y := atoi(w[:4]); y >= 1000 && y < 2100 {
			m := s.dated(k, k+1, s.date(y, 1, 1), gDecade, 0)
			m.prefixOK = true
			return m, true
		}
	}
	// 20th century
	if len(w) == 4 && (w[2:] == "th" || w[2:] == "st" || w[2:] == "nd") && s.word(k+1).class == twUnit && s.word(k+1).val == uCentury && !s.word(k+1).pl {
		c := atoi(w[:2])
		if c > 0 && c <= 30 {
			m := s.dated(k, k+2, s.date((c-1)*100, 1, 1), gCentury, 0)
			m.prefixOK = true
			return m, true
		}
	}
	y := s.year(k)
	if y == 0 || !s.yearLike(k, y) {
		return match{}, false
	}
	if o := s.word(k + 1); (o.class == twOrd || s.isWord(k+1, "second")) && s.is(k+2, twUnit) && s.word(k+2).val == uQuarter && !s.word(k+2).pl {
		if o.class != twOrd {
			o.val = 2 // "second" is also a unit
		}
		q := s.dated(k, k+3, s.date(y, time.Month(3*o.val-2), 1), gQuarter, 0)
		q.prefixOK = true
		s.lastQtr = q.resolved
		return q, true
	}
	if !s.lastQtr.IsZero() && (s.isWord(k+1, "quarter") || s.isWord(k+1, "period")) {
		q := s.dated(k, k+2, s.date(y, s.lastQtr.Month(), 1), gQuarter, 0)
		q.prefixOK = true
		return q, true
	}
	m := s.dated(k, k+1, s.date(y, 1, 1), gYear, 0)
	m.prefixOK = true
	return m, true
}

// yearLike judges whether the four-digit number y at token k is a year.
func (s *timeScan) yearLike(k int32, y int) bool {
	t := &s.d.toks[k]
	if k-1 >= s.a {
		pt := &s.d.toks[k-1]
		if pt.kind == kPunct && (pt.r == '$' || pt.r == '#' || pt.r == '\u20ac' || pt.r == '\u00a3' || pt.r == '+' || pt.r == '-' && pt.flags&fSpaceAfter == 0) {
			return false
		}
		if pt.kind == kNum {
			return false
		}
	}
	if k+1 < s.b {
		nt := &s.d.toks[k+1]
		if nt.kind == kPunct && nt.r == '%' {
			return false
		}
		if nt.kind == kNum {
			return false
		}
	}
	pw := s.word(k - 1)
	if pw.class == twApprox || pw.class == twLead {
		return false // "about 2000", "more than 1500"
	}
	prep := false
	switch pw.class {
	case twPrep, twBefore, twAfter, twFrom, twOn, twFiscal, twEarly, twThe:
		prep = !s.isWord(k-1, "of") || y >= 1900 && y <= 2100
	}
	if !prep && (y < 1900 || y > 2100) {
		return false
	}
	if !s.lowerWord(k + 1) {
		return t.flags&fPoss != 0 || prep || y >= 1900 && y <= 2100
	}
	// A lower-case word after: "in 2000 cases" is an amount unless the
	// word is a function word or a verb; "a 2010 raid" is a year.
	nw := s.tokText(k + 1)
	switch nw {
	case "and", "or", "to", "when", "as", "until", "but", "through", "with", "after", "before", "onwards",
		"on", "was", "is", "will", "had", "has", "saw", "ended", "that", "the", "a", "in", "at", "for", "by",
		"from", "compared", "levels", "level", "figures", "season", "election", "elections", "budget", "census",
		"period", "quarter", "crisis", "war", "model", "models", "deadline", "olympics":
		return true
	case "people", "times", "years", "days", "miles", "men", "women", "children", "troops", "soldiers",
		"jobs", "units", "shares", "tons", "votes", "acres", "feet", "meters", "metres", "km", "kilometers",
		"cases", "deaths", "workers", "employees", "homes", "households", "members", "students", "residents":
		return false
	}
	if s.word(k+1).class != twNone {
		return true
	}
	pp := s.isWord(k-1, "a") || s.isWord(k-1, "an") || pw.class == twThe
	if strings.HasSuffix(nw, "s") && !strings.HasSuffix(nw, "ss") && !strings.HasSuffix(nw, "us") && len(nw) > 3 {
		// a plural: a count, unless a determiner makes it a year's ("the 2010 elections")
		return pw.class == twThe
	}
	if pp {
		return true // "a 2010 raid"
	}
	if len(nw) > 4 && strings.HasSuffix(nw, "ed") {
		return true // "2011 removed"
	}
	return prep && !s.isWord(k-1, "of")
}

func atoi(s string) int {
	n := 0
	if s == "" {
		return -1
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' || n > 1e8 {
			return -1
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}
