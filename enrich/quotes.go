package enrich

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/article"
)

// maxReach bounds, in tokens, how far attribution looks from a quote or
// verb, which keeps the work linear on pathological input.
const maxReach = 80

// qspan is one quotation: the tokens of its quote marks and its content.
type qspan struct {
	para        int
	open, close int32 // tokens of the quote marks; close is -1 when the quote runs to the paragraph end
	cs, ce      int32 // content bytes, trimmed
	speaker     speaker
}

func isDoubleOpen(r rune) bool  { return r == '"' || r == '\u201C' || r == '\u201E' || r == '\u00AB' }
func isSingleOpen(r rune) bool  { return r == '\'' || r == '\u2018' || r == '\u201A' }
func isSingleClose(r rune) bool { return r == '\'' || r == '\u2019' || r == '\u2018' }

func doubleCloses(open, r rune) bool {
	switch open {
	case '\u201E':
		return r == '\u201C' || r == '\u201D' || r == '"'
	case '\u00AB':
		return r == '\u00BB'
	}
	return r == '"' || r == '\u201D' || r == '\u201C'
}

// opensAt reports whether the quote token t stands where a quotation opens:
// after white space, an opening bracket, a dash or a colon, and before text.
func opensAt(p string, t *tok) bool {
	if int(t.e) >= len(p) || isSpaceByte(p[t.e]) {
		return false
	}
	if t.s == 0 {
		return true
	}
	r := lastRune(p[:t.s])
	return isSpaceOrOpen(r) || r == ':'
}

// closesAt reports whether the quote token t stands where a quotation
// closes: after text and before white space, punctuation or the end.
func closesAt(p string, t *tok) bool {
	if t.s == 0 || isSpaceByte(p[t.s-1]) {
		return false
	}
	return !isAlnumAt(p, int(t.e))
}

// auxiliaries may stand between a quote and its verb ("a dit", "hat gesagt").
var auxiliaries = set(`a|has|had|have|ha|hat|est|ont`)

// elisions are words that a leading apostrophe shortens ('em, 'til).
var elisions = set(`em|til|tis|twas|cause|n|bout|round|nuff|s`)

// findQuotes finds the quotation spans of every paragraph and marks the
// tokens inside them.
func (d *doc) findQuotes() {
	for pi, p := range d.paras {
		a, b := d.pstart[pi], d.pstart[pi+1]
		first := len(d.spans)
		// Double quotes.
		for i := a; i < b; i++ {
			t := &d.toks[i]
			if t.kind != kPunct || !isDoubleOpen(t.r) {
				continue
			}
			if (t.r == '"' || t.r == '\u201C') && !opensAt(p, t) {
				continue
			}
			if t.r == '"' && i+1 < b && d.toks[i+1].s == t.e && d.toks[i+1].r == '\u201C' {
				continue // a stray mark doubling a curly one: '"“We won,” she said."'
			}
			j := d.doubleClose(p, i, a, b)
			if j >= 0 {
				d.addSpan(pi, i, j)
				i = j
				continue
			}
			if i == a {
				// An unclosed quotation opening a paragraph runs to its end,
				// as when a quote continues into the next paragraph.
				d.addSpan(pi, i, -1)
				break
			}
		}
		// Single quotes, outside double ones.
		for i := a; i < b; i++ {
			t := &d.toks[i]
			if t.kind != kPunct || !isSingleOpen(t.r) || t.flags&fQuoted != 0 {
				continue
			}
			if !opensAt(p, t) || !isLetterAt(p, int(t.e)) {
				continue
			}
			if i+1 < b {
				n := &d.toks[i+1]
				if n.kind == kWord && n.s == t.e && elisions[p[n.s:n.e]] && n.flags&fLower != 0 {
					continue
				}
			}
			j := d.singleClose(p, i, b)
			if j < 0 {
				continue
			}
			d.addSpan(pi, i, j)
			i = j
		}
		if len(d.spans)-first > 1 {
			ss := d.spans[first:]
			sort.Slice(ss, func(x, y int) bool { return ss[x].open < ss[y].open })
		}
	}
}

// doubleClose finds the closing mark of the double quotation opened at
// token i, or -1. Inside a quotation opened with a straight mark, curly
// pairs are inner quotations ('"... its “Bathroom Bill,” which ..."'), and
// inside a curly one, straight pairs are: an inner mark that opens
// (after white space, before text) is matched by the next closing mark of
// its style. Text whose marks are mixed up (a straight mark closed by a
// curly one) still closes at the first closing mark when the nested
// reading finds none, except for an unclosed quotation opening its
// paragraph, which runs to the paragraph end (a quote continuing into the
// next paragraph).
func (d *doc) doubleClose(p string, i, a, b int32) int32 {
	open := d.toks[i].r
	straight := open == '"'
	curly := open == '\u201C'
	first := int32(-1)
	depth := 0
	for j := i + 1; j < b; j++ {
		c := &d.toks[j]
		if c.kind != kPunct || !isQuoteRune(c.r) {
			continue
		}
		closes := doubleCloses(open, c.r) && (c.r == '\u00BB' || c.r == '\u201D' || closesAt(p, c))
		if closes && first < 0 {
			first = j
		}
		// An inner mark of the other style.
		inner := straight && (c.r == '\u201C' || c.r == '\u201D') || curly && c.r == '"'
		if !inner {
			if closes {
				return j
			}
			continue
		}
		if depth == 0 && (c.r == '\u201C' || c.r == '"') && opensAt(p, c) {
			depth = 1
			continue
		}
		if depth > 0 && (c.r == '\u201D' || c.r == '"') && closesAt(p, c) {
			depth = 0
			continue
		}
		if depth == 0 && closes {
			return j // mixed-up marks: '"We won,” she said'
		}
	}
	if i == a {
		return -1
	}
	return first
}

// singleClose finds the closing mark of the single quotation opened at
// token i. An apostrophe after a plural ("the leaders' decision") looks
// like a closing quote; it is taken only when no better close follows in
// the same sentence.
func (d *doc) singleClose(p string, i, b int32) int32 {
	fallback := int32(-1)
	limit := i + 200
	for j := i + 1; j < b && j < limit; j++ {
		c := &d.toks[j]
		if fallback >= 0 && c.sent != d.toks[fallback].sent {
			break
		}
		if c.kind != kPunct {
			continue
		}
		if isDoubleOpen(c.r) && j+1 < b && d.toks[j+1].flags&fQuoted != 0 {
			break // a double quotation starts: the single one cannot cross it
		}
		if !isSingleClose(c.r) || !closesAt(p, c) {
			continue
		}
		e := int(c.e)
		possessive := c.s > 0 && (p[c.s-1] == 's' || p[c.s-1] == 'S') && e+1 < len(p) && p[e] == ' ' && p[e+1] >= 'a' && p[e+1] <= 'z'
		if possessive {
			if fallback < 0 {
				fallback = j
			}
			continue
		}
		return j
	}
	return fallback
}

// addSpan records the quotation between tokens i and j (j = -1: to the
// end of the paragraph) if it holds text, and marks its tokens.
func (d *doc) addSpan(pi int, i, j int32) {
	p := d.paras[pi]
	cs := int(d.toks[i].e)
	ce := len(p)
	end := d.pstart[pi+1]
	if j >= 0 {
		ce = int(d.toks[j].s)
		end = j
	}
	for cs < ce {
		r, size := utf8.DecodeRuneInString(p[cs:])
		if !isSpaceByte(p[cs]) && r != '\u00A0' && r != '\u202F' {
			break
		}
		cs += size
	}
	for ce > cs {
		c := p[ce-1]
		if isSpaceByte(c) || c == ',' {
			ce--
			continue
		}
		r, size := utf8.DecodeLastRuneInString(p[cs:ce])
		if r == '\u00A0' || r == '\u202F' {
			ce -= size
			continue
		}
		break
	}
	words := 0
	for k := i + 1; k < end; k++ {
		if d.toks[k].kind != kPunct {
			words++
		}
	}
	if words == 0 || ce-cs < 2 {
		return
	}
	for k := i + 1; k < end; k++ {
		d.toks[k].flags |= fQuoted
	}
	d.spans = append(d.spans, qspan{para: pi, open: i, close: j, cs: int32(cs), ce: int32(ce), speaker: noSpeaker})
}

// speaker is who a quotation is attributed to: an entity, or the words
// that describe them ("officials", "the minister"), and where the
// attribution names them.
type speaker struct {
	ent    int32 // entity root, or -1
	pi     int32 // paragraph of the span; -1: no speaker
	s, e   int32 // bytes of the span: the name, pronoun or description
	pron   bool  // the span is a pronoun
	ds, de int32 // bytes of the description a relative pronoun stands for, when de > ds
}

var noSpeaker = speaker{ent: -1, pi: -1}

func (s speaker) ok() bool { return s.pi >= 0 }

func (d *doc) mentionSpeaker(m int32) speaker {
	mm := &d.mentions[m]
	return speaker{ent: d.root(mm.ent), pi: mm.para, s: mm.s, e: mm.e}
}

// quoteList finds quotations and their speakers.
func (d *doc) quoteList() []article.Quote {
	if d.quotesDone {
		return d.quotes
	}
	d.quotesDone = true
	d.extractEntities()
	d.findQuotes()
	d.dropTitles()
	d.transcriptQuotes()
	var out []article.Quote
	var ents []int32
	for qi := range d.spans {
		q := &d.spans[qi]
		q.speaker = d.relative(qi, d.attribute(qi))
		p := d.paras[q.para]
		sp := q.speaker
		if (!sp.ok() || sp.pron && sp.ent < 0) && !d.quoteLike(qi) {
			continue
		}
		aq := article.Quote{Text: p[q.cs:q.ce], Start: d.cp(q.para, q.cs), End: d.cp(q.para, q.ce), Paragraph: q.para}
		ent := int32(-1)
		if sp.ok() {
			s := d.span(int(sp.pi), sp.s, sp.e)
			aq.SpeakerSpan = &s
			aq.Speaker = s.Text
			if sp.de > sp.ds {
				aq.Speaker = d.paras[sp.pi][sp.ds:sp.de]
			}
			if sp.ent >= 0 {
				e := d.ents[sp.ent]
				aq.Speaker = e.text
				if e.typ == TypeMisc && len(e.words) >= 2 {
					e.typ = TypePerson // a name that speaks is a person's
				}
				ent = sp.ent
			}
		}
		out = append(out, aq)
		ents = append(ents, ent)
	}
	// Keys last: a speaking name may have just become a person.
	for i, e := range ents {
		if e >= 0 && !d.ents[e].dropped && d.ents[e].into < 0 {
			out[i].SpeakerKey = d.ents[e].canonicalKey()
		}
	}
	d.quotes = out
	return out
}

// quoteLike reports whether an unattributed span reads as a quotation
// rather than a quoted word or a title ("Game of Thrones"): it has at
// least two words and not all of them capitalized.
func (d *doc) quoteLike(qi int) bool {
	q := &d.spans[qi]
	end := q.close
	if end < 0 {
		end = d.pstart[q.para+1]
	}
	words, caps := 0, 0
	for k := q.open + 1; k < end; k++ {
		t := &d.toks[k]
		if t.kind == kPunct {
			continue
		}
		words++
		if t.flags&fCap != 0 || t.kind == kNum {
			caps++
		}
	}
	if words < 2 {
		return false
	}
	return !(caps == words && words <= 6)
}

// titleSmall are the words that titles of works leave in lower case.
var titleSmall = set(`a|an|the|of|and|or|in|on|at|to|for|with|by|from|as|vs|nor|but|de|del|la|le|is`)

// dropTitles removes quotation spans that are titles of works ("Meet the
// Press", "The Art of the Deal"): two to ten words, every one capitalized
// but the small ones, no sentence inside, and either no closing
// punctuation inside the marks or a cue before them (a possessive, "on",
// "the book") and no verb of saying after ('"Not Now," Smith said').
func (d *doc) dropTitles() {
	out := d.spans[:0]
	for qi := range d.spans {
		q := &d.spans[qi]
		if !d.isTitle(q) {
			out = append(out, *q)
			continue
		}
		end := q.close
		if end < 0 {
			end = d.pstart[q.para+1]
		}
		for k := q.open + 1; k < end; k++ {
			d.toks[k].flags &^= fQuoted
		}
	}
	d.spans = out
}

func (d *doc) isTitle(q *qspan) bool {
	if q.close < 0 {
		return false
	}
	p := d.paras[q.para]
	words, caps := 0, 0
	endsPunct := false
	for k := q.open + 1; k < q.close; k++ {
		t := &d.toks[k]
		switch t.kind {
		case kPunct:
			switch t.r {
			case '.', '!', '?', ';', ',':
				if k != q.close-1 {
					return false // a sentence inside
				}
				endsPunct = true
			}
			continue
		case kNum:
			words++
			caps++
			continue
		}
		words++
		w := p[t.s:t.e]
		if t.flags&fCap != 0 {
			caps++
		} else if words == 1 || !d.lowIn(w, titleSmall) {
			return false
		}
	}
	if words < 2 || words > 10 || caps < 2 {
		return false
	}
	if !endsPunct {
		return true
	}
	// '"Not Now," Smith said' is a quotation; 'on NBC's "Meet the
	// Press."' is a title.
	b := d.pstart[q.para+1]
	for k, n := q.close+1, 0; k < b && n < 3; k++ {
		t := &d.toks[k]
		if t.kind == kPunct {
			continue
		}
		n++
		if d.isSpeechVerb(p, k) {
			return false
		}
	}
	if o := q.open - 1; o >= d.pstart[q.para] {
		t := &d.toks[o]
		if t.kind == kWord && (t.flags&fPoss != 0 || d.lowIn(p[t.s:t.e], workCues)) {
			return true
		}
	}
	return false
}

// workCues, right before a quotation, make it a title of a work.
var workCues = set(`on|in|titled|entitled|called|dubbed|named|book|show|program|programme|film|movie|series|song|
album|headline|article|column|op-ed|episode|segment|documentary|novel|play|memoir|essay|report|podcast|magazine|
newspaper|hashtag|slogan|campaign|bill|act|website|blog|video|speech|sketch`)

// transcriptQuotes reads a paragraph that opens with a speaker's tag in
// capitals ("MR. O'NEILL: ...", "SMITH: ...") as that speaker's words
// when it holds no quotation marks.
func (d *doc) transcriptQuotes() {
	for pi := range d.paras {
		a, b := d.pstart[pi], d.pstart[pi+1]
		c := d.transcriptTag(pi)
		if c < 0 || c+1 >= b {
			continue
		}
		quoted := false
		for k := a; k < b; k++ {
			if t := &d.toks[k]; t.kind == kPunct && isQuoteRune(t.r) && t.r != '\'' && t.r != '\u2019' {
				quoted = true
				break
			}
		}
		if quoted {
			continue
		}
		n := len(d.spans)
		d.addSpan(pi, c, -1)
		if len(d.spans) > n {
			// Keep the spans in text order.
			sort.SliceStable(d.spans, func(x, y int) bool { return d.spans[x].open < d.spans[y].open })
		}
	}
}

// transcriptTags are capitalized words ending in a colon that are not
// speakers ("UPDATE:", "WATCH:").
var transcriptTags = set(`update|updated|watch|read|related|photo|photos|video|videos|note|editors note|correction|
clarification|breaking|exclusive|warning|disclaimer|advertisement|caption|source|sources|transcript|question|
answer|q|a|ps|re|fw|fwd|subject|from|to|cc|date|sent|live|analysis|opinion|editorial|more|also|see|listen|
bottom line|background|context|why|what|who|how|when|where|note to editors|the|and|or|yes|no|ok|usa|us|uk|eu|un`)

// transcriptTag returns the colon token of a speaker's tag opening
// paragraph pi ("MR. O'NEILL:", "SEN. SMITH:", "SMITH:"), or -1: one to
// four words in capitals, the last of at least two letters.
func (d *doc) transcriptTag(pi int) int32 {
	p := d.paras[pi]
	a, b := d.pstart[pi], d.pstart[pi+1]
	for k := a; k < b && k < a+5; k++ {
		t := &d.toks[k]
		if t.kind == kPunct {
			if t.r == ':' && k > a && d.toks[k-1].kind == kWord && d.toks[k-1].flags&fUpper != 0 {
				if d.lowIn(strings.TrimRight(p[d.toks[a].s:d.toks[k-1].e], "."), transcriptTags) {
					return -1
				}
				return k
			}
			return -1
		}
		if t.kind != kWord || t.flags&(fUpper|fInitial) == 0 && !(t.flags&fCap != 0 && t.e-t.s == 1) {
			return -1
		}
	}
	return -1
}

// tagSpeaker is the speaker a transcript tag names: the name without
// its title, as an entity when it is one.
func (d *doc) tagSpeaker(pi int, c int32) speaker {
	a := d.pstart[pi]
	if m := d.mend[c-1]; m >= 0 && !d.ents[d.root(d.mentions[m].ent)].dropped {
		return d.mentionSpeaker(m)
	}
	return speaker{ent: -1, pi: int32(pi), s: d.toks[a].s, e: d.toks[c-1].e}
}

// attribute finds the speaker of quotation qi: a verb of saying in the
// quote's sentence, with its subject ("Putin said", "said Putin", "according
// to Putin", "officials said") or a colon ("Putin: '...'", "X was blunt:
// '...'"); else, for a quote that opens its sentence, the speaker of the
// adjacent sentence.
func (d *doc) attribute(qi int) speaker {
	q := &d.spans[qi]
	p := d.paras[q.para]
	a, b := d.pstart[q.para], d.pstart[q.para+1]
	o := q.open
	sentO := d.toks[o].sent

	type cand struct {
		v     int32
		dist  int
		after bool
	}
	var cands []cand
	// After the quote, to the end of its sentence.
	afterStart, afterEnd := int32(-1), int32(-1)
	if q.close >= 0 {
		sentC := d.toks[q.close].sent
		dist := 0
		afterStart = q.close + 1
		afterEnd = afterStart
		for k := q.close + 1; k < b && d.toks[k].sent == sentC && k < q.close+maxReach; k++ {
			afterEnd = k + 1
			t := &d.toks[k]
			if t.flags&fQuoted != 0 || t.kind == kPunct || dist == 0 && d.lowIn(p[t.s:t.e], auxiliaries) {
				continue // "« ... », a dit Claire Moreau"
			}
			dist++
			if d.isQuoteVerb(p, k) || d.isAccording(p, k, b) {
				cands = append(cands, cand{k, dist, true})
			}
		}
	}
	// Before the quote, back to the start of its sentence.
	sentStart := o
	dist := 0
	for k := o - 1; k >= a && d.toks[k].sent == sentO && k > o-maxReach; k-- {
		sentStart = k
		t := &d.toks[k]
		if t.flags&fQuoted != 0 || t.kind == kPunct {
			continue
		}
		dist++
		if d.isQuoteVerb(p, k) || d.isAccording(p, k, b) {
			cands = append(cands, cand{k, dist, false})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		ci, cj := cands[i], cands[j]
		// "X said ..., according to CNN" is X speaking (see accordingRank).
		ai, aj := d.accordingRank(p, ci.v, b), d.accordingRank(p, cj.v, b)
		if ai != aj {
			return ai < aj
		}
		// A verb right after the quote ('"...," said X') wins; then the
		// verbs before it, nearest first; then the later ones after it.
		ni, nj := ci.after && ci.dist <= 2, cj.after && cj.dist <= 2
		if ni != nj {
			return ni
		}
		if !ni && ci.after != cj.after {
			return cj.after
		}
		return ci.dist < cj.dist
	})
	if len(cands) > 6 {
		cands = cands[:6]
	}
	for _, c := range cands {
		var s speaker
		if d.isAccording(p, c.v, b) {
			hi := b
			if !c.after {
				hi = o
			}
			s = d.speakerRight(q.para, c.v+1, hi)
		} else if c.after {
			// '"..." in the 2008 primary, said X': a verb of saying after a
			// comma comes before its subject, unless an appositive stands
			// there ("..., Smith, a spokesman, said").
			if c.dist > 1 && d.inverts(p, c.v) && d.commaBefore(p, c.v, afterStart) {
				if s = d.subjectLeft(q.para, c.v, afterStart); !s.ok() {
					s = d.speakerRight(q.para, c.v, afterEnd)
				}
				if s.ok() {
					return s
				}
			}
			// "..., X said" / "..., X told reporters", else "..., said X".
			s = d.speakerLeft(q.para, c.v, afterStart)
			if !s.ok() && c.dist == 1 && d.inverts(p, c.v) {
				s = d.speakerRight(q.para, c.v, afterEnd)
			}
		} else {
			// "X said ..." / "X told reporters: ...", else "said X: ...".
			s = d.speakerLeft(q.para, c.v, sentStart)
			if !s.ok() && d.inverts(p, c.v) {
				s = d.speakerRight(q.para, c.v, o)
			}
		}
		if s.ok() {
			return s
		}
	}
	if o-1 >= a {
		if t := &d.toks[o-1]; t.kind == kPunct && t.r == ':' {
			// "Putin: '...'"
			if o-2 >= a {
				if m := d.mend[o-2]; m >= 0 && !d.mentions[m].poss && !d.ents[d.root(d.mentions[m].ent)].dropped {
					return d.mentionSpeaker(m)
				}
			}
			// "Coach Paolo De Santis was blunt: '...'"
			if s := d.clauseSubject(q.para, sentStart, o-1, false); s.ok() {
				return s
			}
		}
	}
	// A transcript paragraph: "SMITH: '...'" or its continuation.
	if c := d.transcriptTag(q.para); c >= 0 && c < o {
		return d.tagSpeaker(q.para, c)
	}
	// A quote opening its sentence takes the speaker of the sentence
	// before or after it.
	opensSentence := true
	for k := o - 1; k >= a && d.toks[k].sent == sentO && k > o-maxReach; k-- {
		if d.toks[k].kind != kPunct && d.toks[k].flags&fQuoted == 0 {
			opensSentence = false
			break
		}
	}
	if !opensSentence {
		// "Sanders sent out a call, asking supporters to '...'": the
		// subject that opens the sentence; but "his 'fiery friend'" is a
		// label, not speech.
		if t := &d.toks[o-1]; t.kind == kWord && d.lowIn(p[t.s:t.e], possDets) {
			return noSpeaker
		}
		return d.clauseSubject(q.para, sentStart, o, false)
	}
	// The previous quotation, if it is in this or the previous sentence,
	// or ends the previous paragraph.
	if qi > 0 {
		pq := &d.spans[qi-1]
		end := pq.close
		if end < 0 {
			end = d.pstart[pq.para+1] - 1
		}
		if pq.speaker.ok() && (d.toks[end].sent >= sentO-1 && (pq.para == q.para || pq.close < 0) ||
			pq.para == q.para-1 && sentStart == a && (d.quoteEndsPara(pq) || !d.personAfter(pq)) ||
			pq.para == q.para && pq.close >= 0 && d.wordsBetween(pq.close, o) <= 10) {
			return pq.speaker
		}
	}
	// "He told reporters:" closing the previous sentence, or the
	// previous paragraph ("Cruz continued:").
	if sentStart-1 >= a {
		if t := &d.toks[sentStart-1]; t.kind == kPunct && t.r == ':' {
			if s := d.colonIntro(q.para, sentStart-1); s.ok() {
				return s
			}
		}
	} else if q.para > 0 && sentStart == a {
		if last := a - 1; last >= d.pstart[q.para-1] {
			if t := &d.toks[last]; t.kind == kPunct && t.r == ':' {
				if s := d.colonIntro(q.para-1, last); s.ok() {
					return s
				}
			}
		}
	}
	// A quotation that fills its paragraph after one that names its
	// subject ("Valastro praised the governor.\n\n'We need...'").
	if sentStart == a && q.para > 0 && d.quoteEndsPara(q) {
		pa := d.pstart[q.para-1]
		last := a - 1
		if last >= pa && !d.paraHasQuote(q.para-1) {
			ps := d.toks[last].sent
			start := last
			for start > pa && d.toks[start-1].sent == ps {
				start--
			}
			if s := d.clauseSubject(q.para-1, start, last, false); s.ok() {
				return s
			}
		}
	}
	// "He added." right after the quote's sentence.
	if afterEnd >= 0 && afterEnd < b {
		next := d.toks[afterEnd].sent
		k := afterEnd
		for n := 0; n < 5 && k < b && d.toks[k].sent == next; n, k = n+1, k+1 {
			if d.isSpeechVerb(p, k) {
				return d.speakerLeft(q.para, k, afterEnd)
			}
		}
	}
	// A quotation that ends its paragraph after a sentence of the same
	// paragraph that names its subject and quotes no one ("Clinton touted
	// her record. '...'").
	if sentStart > a && d.quoteEndsPara(q) {
		last := sentStart - 1
		ps := d.toks[last].sent
		start := last
		for start > a && d.toks[start-1].sent == ps {
			start--
		}
		quoted := false
		for k := start; k <= last; k++ {
			if d.toks[k].flags&fQuoted != 0 {
				quoted = true
				break
			}
		}
		if !quoted && (start == a || d.toks[start-1].flags&fQuoted == 0) {
			if s := d.clauseSubject(q.para, start, last, false); s.ok() {
				return s
			}
		}
	}
	return noSpeaker
}

// personAfter reports whether a person other than the speaker of
// quotation q is named outside quotations after it in its paragraph: the
// narrative that follows a quote keeps its speaker unless it brings in
// someone else.
func (d *doc) personAfter(q *qspan) bool {
	if q.close < 0 {
		return false
	}
	b := d.pstart[q.para+1]
	for k := q.close + 1; k < b; k++ {
		m := d.mstart[k]
		if m < 0 || d.toks[k].flags&fQuoted != 0 {
			continue
		}
		e := d.root(d.mentions[m].ent)
		if e != q.speaker.ent && d.personLike(e) {
			return true
		}
	}
	return false
}

// accordingRank ranks the candidate verb at token k: "according to" comes
// after every verb of saying, since in "X said ..., according to CNN" the
// words are still X's; CNN only relays them.
func (d *doc) accordingRank(p string, k, b int32) int {
	if d.isAccording(p, k, b) {
		return 2
	}
	return 1
}

// commaBefore reports whether a comma stands right before the verb at
// token v (past its adverbs: ", later said"), no earlier than token lo.
func (d *doc) commaBefore(p string, v, lo int32) bool {
	k := d.skipPreVerb(p, v-1, lo)
	return k >= lo && d.toks[k].kind == kPunct && d.toks[k].r == ','
}

// wordsBetween counts the words between tokens i and j.
func (d *doc) wordsBetween(i, j int32) int {
	n := 0
	for k := i + 1; k < j; k++ {
		if d.toks[k].kind == kWord {
			n++
		}
	}
	return n
}

// quoteEndsPara reports whether quotation q closes its paragraph (but for
// a few words: '..." he told the paper in an interview.').
func (d *doc) quoteEndsPara(q *qspan) bool {
	if q.close < 0 {
		return true
	}
	b := d.pstart[q.para+1]
	words := 0
	for k := q.close + 1; k < b; k++ {
		if d.toks[k].kind == kWord {
			words++
		}
	}
	return words <= 12
}

// paraHasQuote reports whether paragraph pi holds a quotation.
func (d *doc) paraHasQuote(pi int) bool {
	for k := d.pstart[pi]; k < d.pstart[pi+1]; k++ {
		if d.toks[k].flags&fQuoted != 0 {
			return true
		}
	}
	return false
}

// colonIntro finds the speaker of the sentence ending with the colon at
// token last of paragraph pi ("He told reporters:", "Cruz continued:",
// "Coach Jane Doe was blunt:").
func (d *doc) colonIntro(pi int, last int32) speaker {
	p := d.paras[pi]
	a := d.pstart[pi]
	ps := d.toks[last].sent
	start := last
	for start > a && d.toks[start-1].sent == ps {
		start--
	}
	for k := last - 1; k >= start; k-- {
		if d.toks[k].flags&fQuoted == 0 && (d.isQuoteVerb(p, k) || d.lowIn(p[d.toks[k].s:d.toks[k].e], colonVerbs)) {
			if s := d.speakerLeft(pi, k, start); s.ok() {
				return s
			}
			if s := d.speakerRight(pi, k, last); s.ok() {
				return s
			}
			break
		}
	}
	return d.clauseSubject(pi, start, last, true)
}

// quoteVerbs introduce quotations besides the verbs of saying.
var quoteVerbs = set(`observed|observes|echoed|echoes|notes|asserted|asserts|maintained|maintains|testified|
recounted|mused|wondered|retorted|snapped|scoffed|fumed|chimed|interjected|opined|cautioned|noting|observing|
asserting|explaining|suggesting|insist|suggest|tweets|texted|emailed|blasted|slammed|touted|added|adds|
recalls|recalling|reiterated|conceding|joking|quipping|vowing|barked|exclaimed|pleaded|demanded|reasoned|
surmised|speculated|hinted|teased|bragged|gushed|raved|ranted|railed|thundered|roared|bellowed|screamed|sighed|
laughed|chuckled|shrugged|agreed|offered|assured|assures|reassured|proclaimed|proclaims|affirmed|affirms|
declared|noted|insisted|warned|thanked|lamented|riffed|quipped|wrote|posted|tweeted`)

// colonVerbs introduce a quotation after a colon ("The headline reads:").
var colonVerbs = set(`reads|read|continued|continues|went|goes|began|begins|ends|concluded|wrote|stated|
responded|replied|explained|put|summed|offered|gave|issued|released|posted|shared|tweeted|included|includes`)

// isQuoteVerb reports whether token k of paragraph p introduces a
// quotation: a verb of saying or one of quoteVerbs.
func (d *doc) isQuoteVerb(p string, k int32) bool {
	if d.isSpeechVerb(p, k) {
		return true
	}
	t := &d.toks[k]
	if t.kind != kWord || t.flags&fLower == 0 {
		return false
	}
	w := p[t.s:t.e]
	// Two-word cues: "Trump went on", "as Smith pointed out", "as Smith
	// put it"; the next token is in the same paragraph when it starts
	// after t.
	var next string
	switch w {
	case "went", "goes":
		next = "on"
	case "pointed", "points":
		next = "out"
	case "put", "puts":
		next = "it"
	}
	if next != "" {
		if k+1 >= int32(len(d.toks)) || d.toks[k+1].kind != kWord {
			return false
		}
		n := &d.toks[k+1]
		return n.s > t.e && int(n.e) <= len(p) && p[n.s:n.e] == next
	}
	return d.lowIn(w, quoteVerbs)
}

// inverts reports whether the verb at token k may come before its subject
// ("said Putin"); "told" and "called" take an object there instead.
func (d *doc) inverts(p string, k int32) bool {
	t := &d.toks[k]
	return d.lowIn(p[t.s:t.e], invertVerbs) || d.lowIn(p[t.s:t.e], quoteVerbsInvert)
}

// quoteVerbsInvert are quoteVerbs that may come before their subject
// ("mused the host").
var quoteVerbsInvert = set(`observed|echoed|asserted|maintained|testified|recounted|mused|wondered|retorted|
snapped|scoffed|fumed|chimed|interjected|opined|cautioned|reiterated|barked|exclaimed|pleaded|demanded|reasoned|
surmised|speculated|hinted|teased|bragged|gushed|raved|ranted|railed|thundered|roared|bellowed|screamed|sighed|
laughed|chuckled|shrugged|texted|emailed|agreed|offered|suggested|pointed|notes|says|writes|tells|adds|recalls|
proclaimed|proclaims|affirmed|affirms|declares|insists|warns|notes|observes|tweets|assured`)

// isAccording reports whether token k starts "according to".
func (d *doc) isAccording(p string, k, b int32) bool {
	t := &d.toks[k]
	if t.kind != kWord || !strings.EqualFold(p[t.s:t.e], "according") || k+1 >= b {
		return false
	}
	n := &d.toks[k+1]
	return p[n.s:n.e] == "to"
}

// preVerb are words that stand between a subject and its verb of saying
// ("he also said", "officials have said").
var preVerb = set(`also|later|then|has|had|have|previously|once|again|would|will|did|does|do|just|never|often|
earlier|even|still|had|would|could|might|may|first|last|repeatedly|since|ultimately|initially|finally|subsequently|
quickly|publicly|privately|recently|reportedly|simply|only|already|further|angrily|bluntly|openly|flatly|
separately|specifically|previously|frequently|famously|has|always|once|now|meanwhile|however|instead|though|
too|therefore|nonetheless|nevertheless|likewise|moreover|in|turn|today|yesterday|tonight|recently|immediately|
yet|not|hadn't|hasn't|haven't|didn't|doesn't|don't|won't|wouldn't|can't|couldn't|isn't|wasn't|hadn’t|hasn’t|
haven’t|didn’t|doesn’t|don’t|won’t|wouldn’t|can’t|couldn’t|isn’t|wasn’t|is|are|was|were|been|be`)

// descDets open a description of a speaker ("the minister", "a source").
var descDets = set(`the|a|an|another|one|two|three|four|five|several|some|many|most|his|her|their|its|our|
both|other|those|these|this|that|each|few|all|no|senior|top|longtime|former`)

// objPreps before a noun phrase make it an object.
var objPreps = set(`to|by|into|about|than|like|as|under|over|after|before|during|since|through|against|toward|towards|
across|among|around|behind|beyond|without|within|upon|urging|asking|telling|calling`)

// possDets are possessive determiners.
var possDets = set(`his|her|their|its|my|our|your`)

// descPreps may join the words of a description ("a spokesman for the
// campaign", "officials at the ministry").
var descPreps = set(`of|for|at|with|from|in|on|close|familiar`)

// notHeads end no description: function words, pronouns and verbs that
// come before a verb of saying without being its subject.
var notHeads = set(`it|they|we|i|you|he|she|this|that|which|what|who|whom|whose|there|here|is|was|are|were|be|
been|being|am|and|or|but|nor|so|if|as|than|then|when|while|because|though|although|where|why|how|not|no|
to|of|for|at|with|from|in|on|by|about|into|over|after|before|also|just|has|have|had|do|does|did|will|would|
can|could|should|may|might|must|shall|said|says|told|asked|me|him|her|us|them|my|your|his|our|their|its|
the|a|an|again|once|later|now|too|very|yesterday|today|tonight|week|month|year|day|morning|afternoon|
evening|night|time|times|ago|statement's|interview|reporters|earlier|last|first|recently|previously|
repeatedly|publicly|privately|has|himself|herself|themselves|itself|who's|all|both|each|way|thing|things|
something|nothing|everything|anything|one|ones|someone|anyone|everyone|nobody|somebody|everybody|
that's|it's|he's|she's|there's|what's|also|even|still|never|always|only|simply|already|more|less|much|many|
most|some|any|few|several|such|other|others|same|own|new|old|good|bad|big|small|great|long|high|low|
right|wrong|true|false|sure|well|not|don't|didn't|doesn't|won't|can't|wasn't|isn't|aren't|weren't`)

func (d *doc) isPronoun(p string, k int32) (byte, bool) {
	t := &d.toks[k]
	if t.kind != kWord {
		return 0, false
	}
	w := p[t.s:t.e]
	lowerOK := t.flags&fLower != 0 || t.flags&fAmbig != 0 || t.flags&fQuoted == 0 && k > 0 && d.toks[k-1].kind == kPunct && isQuoteRune(d.toks[k-1].r)
	if !lowerOK {
		return 0, false
	}
	if i := strings.IndexAny(w, "'\u2019"); i > 0 {
		w = w[:i] // "he'd", "she’s"
	}
	switch w {
	case "he", "He":
		return gMale, true
	case "she", "She":
		return gFemale, true
	}
	return 0, false
}

// pronounSpeaker resolves the pronoun at token k of paragraph pi.
func (d *doc) pronounSpeaker(pi int, k int32, g byte) speaker {
	// Unresolved, the pronoun itself names the speaker.
	t := &d.toks[k]
	return speaker{ent: d.resolvePronoun(k, g), pi: int32(pi), s: t.s, e: t.e, pron: true}
}

// speakerLeft finds the subject of the verb at token v, looking back no
// further than token lo: the name, pronoun or description right before the
// verb ("Putin said", "he also said", "officials said", "a spokesman for
// the ministry said"), the name before an appositive ("Smith, 45, said",
// "Smith, the team's captain, said") or a relative pronoun ("Smith, who
// said"); failing those, the nearest name before the verb that is not a
// possessive ("Putin's visit") and not a place.
func (d *doc) speakerLeft(pi int, v, lo int32) speaker {
	p := d.paras[pi]
	// "Smith praised the plan but said", "..., saying": the subject of
	// the sentence.
	if j := d.skipPreVerb(p, v-1, lo); j >= lo {
		t := &d.toks[j]
		w := d.toks[v]
		ing := w.e-w.s > 4 && strings.HasSuffix(p[w.s:w.e], "ing")
		if t.kind == kWord && t.flags&fLower != 0 && d.lowIn(p[t.s:t.e], coordinators) || ing && (t.kind == kPunct && t.r == ',' || t.kind == kWord && t.flags&fLower != 0 && d.lowIn(p[t.s:t.e], ingIntro)) {
			if s := d.clauseSubject(pi, lo, v, false); s.ok() {
				return s
			}
		}
	}
	if s := d.subjectLeft(pi, v, lo); s.ok() {
		// "Smith issued a statement saying": the statement is the verb's
		// object; the speaker is the clause's subject.
		if st := d.statementObject(pi, s, lo); st >= 0 {
			if c := d.clauseSubject(pi, lo, st, true); c.ok() {
				return c
			}
		}
		return s
	}
	if v-1 >= lo {
		// "that states can", "the claims": not a verb of saying.
		if t := &d.toks[v-1]; t.kind == kWord && (d.lowIn(p[t.s:t.e], descDets) || d.lowIn(p[t.s:t.e], nounMarkers)) {
			return noSpeaker
		}
	}
	if w := &d.toks[v]; w.e-w.s > 4 && strings.HasSuffix(p[w.s:w.e], "ing") || v-1 >= lo && d.toks[v-1].kind == kWord && p[d.toks[v-1].s:d.toks[v-1].e] == "and" {
		// "Trump went after Bush, calling him 'a stiff'", "Wilson praised
		// him and said": the sentence's subject.
		if s := d.clauseSubject(pi, lo, v, false); s.ok() {
			return s
		}
	}
	if lo < v-maxReach {
		lo = v - maxReach
	}
	for k := v - 1; k >= lo; k-- {
		t := &d.toks[k]
		if t.flags&fQuoted != 0 || t.kind == kPunct && isQuoteRune(t.r) {
			continue
		}
		if m := d.mend[k]; m >= 0 {
			mm := &d.mentions[m]
			e := d.root(mm.ent)
			typ := d.ents[e].typ
			if !mm.poss && !d.ents[e].dropped && (typ != TypePlace || k == v-1) {
				return d.mentionSpeaker(m)
			}
			k = mm.ts
			continue
		}
		if g, ok := d.isPronoun(p, k); ok {
			return d.pronounSpeaker(pi, k, g)
		}
	}
	return noSpeaker
}

// statementNouns are the documents and messages that carry a speaker's
// words ("a statement", "an email").
var statementNouns = set(`statement|statements|release|email|e-mail|letter|tweet|post|message|memo|note|video|
op-ed|interview|report|announcement|speech|filing|brief|complaint|ruling|opinion|decision`)

// statementObject returns the first token of description s when it is a
// statement noun that follows a lower-case word of its own sentence, past
// token lo ("issued a statement", "released an email"), which makes it an
// object rather than a subject; else -1.
func (d *doc) statementObject(pi int, s speaker, lo int32) int32 {
	if s.ent >= 0 || s.pron || s.de > s.ds || int(s.pi) != pi {
		return -1
	}
	p := d.paras[pi]
	a, b := d.pstart[pi], d.pstart[pi+1]
	// The tokens of the description.
	k := sort.Search(int(b-a), func(i int) bool { return d.toks[a+int32(i)].s >= s.s }) + int(a)
	st := int32(k)
	if st >= b || d.toks[st].s != s.s {
		return -1
	}
	end := st
	for end+1 < b && d.toks[end+1].e <= s.e {
		end++
	}
	h := &d.toks[end]
	if !d.lowIn(p[h.s:h.e], statementNouns) || st-1 < lo {
		return -1
	}
	c := &d.toks[st-1]
	if c.kind != kWord || c.flags&fLower == 0 || c.sent != h.sent || d.lowIn(p[c.s:c.e], descPreps) || d.lowIn(p[c.s:c.e], coordinators) {
		return -1
	}
	return st
}

// nounMarkers before a verb of saying make it a noun ("whose claims").
var nounMarkers = set(`whose|to|of|in|on|for|by|with|united|these|those`)

// ingIntro before a participle leave its subject to the sentence ("by
// saying", "after telling").
var ingIntro = set(`by|after|before|while|when|in|without|since|on|upon|through|also|again|then`)

// coordinators join a second verb to the sentence's subject.
var coordinators = set(`and|but|or|then|yet`)

// skipPreVerb returns the token before k's adverbs and auxiliaries.
func (d *doc) skipPreVerb(p string, k, lo int32) int32 {
	for n := 0; k >= lo && n < 3; n++ {
		t := &d.toks[k]
		if t.kind == kWord && t.flags&fLower != 0 && t.flags&fQuoted == 0 && (d.lowIn(p[t.s:t.e], preVerb) || strings.HasSuffix(p[t.s:t.e], "ly")) {
			k--
			continue
		}
		break
	}
	return k
}

// subjectLeft finds the subject standing right before the verb at token v.
func (d *doc) subjectLeft(pi int, v, lo int32) speaker {
	p := d.paras[pi]
	k := v - 1
	for n := 0; k >= lo && n < 3; n++ {
		t := &d.toks[k]
		if t.kind == kWord && t.flags&fLower != 0 && t.flags&fQuoted == 0 && (d.lowIn(p[t.s:t.e], preVerb) || strings.HasSuffix(p[t.s:t.e], "ly")) {
			k--
			continue
		}
		break
	}
	// "Sen. Jane Doe (D-MA) said": skip the parenthesis.
	if k-2 >= lo && d.toks[k].kind == kPunct && d.toks[k].r == ')' {
		for j := k - 1; j >= lo && j > k-8; j-- {
			if c := &d.toks[j]; c.kind == kPunct && c.r == '(' {
				k = j - 1
				break
			}
		}
	}
	if k < lo {
		return noSpeaker
	}
	t := &d.toks[k]
	if t.flags&fQuoted != 0 {
		return noSpeaker
	}
	if m := d.mend[k]; m >= 0 {
		if mm := &d.mentions[m]; !mm.poss && !d.ents[d.root(mm.ent)].dropped {
			return d.mentionSpeaker(m)
		}
		if d.mentions[m].poss {
			return noSpeaker
		}
		return d.capsSpeaker(pi, k, -1, lo) // "Witnesses said"
	}
	if g, ok := d.isPronoun(p, k); ok {
		return d.pronounSpeaker(pi, k, g)
	}
	if s := d.capsSpeaker(pi, k, -1, lo); s.ok() {
		return s // "Cuban said": a name the entity pass did not keep
	}
	if t.kind == kPunct {
		if t.r != ',' {
			return noSpeaker
		}
		// "Smith, 45, said" / "Smith, a spokesman for the campaign, said"
		for j := k - 1; j >= lo && j > k-16; j-- {
			c := &d.toks[j]
			if c.flags&fQuoted != 0 || c.kind == kPunct && c.r != ',' && c.r != '-' && c.r != '.' && c.r != '\'' {
				break
			}
			if c.kind == kPunct && c.r == ',' {
				if j-1 >= lo {
					if m := d.mend[j-1]; m >= 0 && !d.mentions[m].poss && d.personLike(d.root(d.mentions[m].ent)) {
						return d.mentionSpeaker(m)
					}
				}
				break
			}
		}
		return noSpeaker
	}
	if t.kind != kWord {
		return noSpeaker
	}
	w := p[t.s:t.e]
	if (w == "who" || w == "which") && k-1 >= lo {
		// "Smith, who said", "officials, who said": the relative pronoun
		// names the speaker and stands for the name or description
		// before it.
		j := k - 1
		comma := false
		if c := &d.toks[j]; c.kind == kPunct && c.r == ',' {
			j--
			comma = true
		}
		if j >= lo {
			if m := d.mend[j]; m >= 0 && !d.mentions[m].poss && !d.ents[d.root(d.mentions[m].ent)].dropped {
				m = d.relHead(m, lo)
				return speaker{ent: d.root(d.mentions[m].ent), pi: int32(pi), s: t.s, e: t.e, pron: true}
			}
			// "Democrats in the state, who": not "told a woman who".
			if c := &d.toks[j]; comma && c.kind == kWord && c.flags&fLower != 0 && w == "who" {
				if ds := d.nounPhrase(pi, j, lo); ds >= 0 {
					return speaker{ent: -1, pi: int32(pi), s: t.s, e: t.e, ds: d.toks[ds].s, de: d.toks[j].e}
				}
			}
		}
		return noSpeaker
	}
	if t.flags&fLower == 0 {
		return noSpeaker
	}
	return d.descLeft(pi, k, lo)
}

// capsSpeaker reads, as a speaker without an entity, the capitalized
// words that end (dir -1) or start (dir +1) at token k, bounded by token
// lim: a name the entity pass did not keep ("Cuban said", "said Baron").
// A word that capitalization says nothing about (a sentence start) must
// not be a common word ("This said").
func (d *doc) capsSpeaker(pi int, k int32, dir int32, lim int32) speaker {
	p := d.paras[pi]
	a, b := d.pstart[pi], d.pstart[pi+1]
	ok := func(j int32) bool {
		if j < a || j >= b || dir < 0 && j < lim || dir > 0 && j >= lim {
			return false
		}
		t := &d.toks[j]
		if t.kind != kWord || t.flags&fCap == 0 || t.flags&(fLower|fQuoted|fPoss) != 0 {
			return false
		}
		w := p[t.s:t.e]
		if t.flags&fAmbig != 0 && d.lowIn(w, common) || d.lowIn(w, notHeads) && t.flags&fAmbig != 0 {
			return false
		}
		return !d.lowIn(w, pronouns)
	}
	if !ok(k) {
		return noSpeaker
	}
	e := k
	for n := 1; n < 4 && ok(e+dir); n++ {
		e += dir
	}
	s, t := k, e
	if dir < 0 {
		s, t = e, k
	}
	for j := s; j <= t; j++ {
		if w := strings.ToLower(p[d.toks[j].s:d.toks[j].e]); len(w) > 3 && isDay(w) {
			return noSpeaker // "Sunday said"
		}
		// A name the entity pass kept is read as such ("said Mayor
		// Lotte Amsel").
		for _, m := range [2]int32{d.mstart[j], d.mend[j]} {
			if m >= 0 && !d.ents[d.root(d.mentions[m].ent)].dropped {
				return noSpeaker
			}
		}
	}
	// The name stands alone: after punctuation, a conjunction or "the"
	// (which it takes along), not after another determiner or a
	// preposition ("many Asian states", "of Americans say", "on Sunday
	// told"); before punctuation or lower case when it follows the verb.
	if dir < 0 && s-1 >= a {
		c := &d.toks[s-1]
		if c.kind == kWord && c.flags&fLower != 0 && p[c.s:c.e] == "the" {
			s--
		} else if c.kind == kWord && (c.flags&fLower == 0 || !d.lowIn(p[c.s:c.e], coordinators)) || c.kind == kNum {
			return noSpeaker
		}
	}
	if dir > 0 && t+1 < b {
		if c := &d.toks[t+1]; c.kind == kNum || c.kind == kWord && c.flags&fLower == 0 {
			return noSpeaker
		}
	}
	return speaker{ent: -1, pi: int32(pi), s: d.toks[s].s, e: d.toks[t].e}
}

// nounPhrase returns the first token of the short noun phrase that ends
// with the lower-case noun at token j ("residents", "the local
// officials", "a spokesman for the campaign", "Democrats across the
// country"), or -1. It crosses a preposition only after a capitalized
// word or a noun with its determiner, not after a verb ("heard from
// residents").
func (d *doc) nounPhrase(pi int, j, lo int32) int32 {
	p := d.paras[pi]
	if t := &d.toks[j]; t.kind != kWord || len(p[t.s:t.e]) < 3 || d.lowIn(p[t.s:t.e], notHeads) || strings.HasSuffix(p[t.s:t.e], "ly") {
		return -1
	}
	start := j
	for k, n := j-1, 0; k >= lo && n < 6; k, n = k-1, n+1 {
		c := &d.toks[k]
		if c.kind != kWord || c.flags&fQuoted != 0 {
			break
		}
		w := p[c.s:c.e]
		if d.lowIn(w, descDets) {
			start = k
			break
		}
		if c.flags&fLower != 0 && (d.lowIn(w, descPreps) || w == "across" || w == "around") {
			if k-1 < lo {
				break
			}
			b := &d.toks[k-1]
			capWord := b.kind == kWord && b.flags&fCap != 0 && b.flags&fAmbig == 0
			detNoun := b.kind == kWord && b.flags&fLower != 0 && k-2 >= lo && d.toks[k-2].kind == kWord && d.lowIn(p[d.toks[k-2].s:d.toks[k-2].e], descDets)
			if !capWord && !detNoun {
				break
			}
			continue
		}
		if c.flags&fLower != 0 && d.lowIn(w, notHeads) {
			break
		}
		start = k
	}
	return start
}

// relHead returns, for the mention m of a place that follows "of" or
// "from" after a person's name ("Sen. Jane Roe of Ohio, who"), the
// person's mention; else m.
func (d *doc) relHead(m, lo int32) int32 {
	mm := &d.mentions[m]
	if d.ents[d.root(mm.ent)].typ != TypePlace || mm.ts-2 < lo {
		return m
	}
	p := d.paras[mm.para]
	if t := &d.toks[mm.ts-1]; t.kind != kWord || p[t.s:t.e] != "of" && p[t.s:t.e] != "from" {
		return m
	}
	if h := d.mend[mm.ts-2]; h >= 0 && !d.mentions[h].poss && d.personLike(d.root(d.mentions[h].ent)) {
		return h
	}
	return m
}

// relative moves the span of speaker s of quotation qi to the relative
// pronoun that opens the clause holding the quotation ("Roe, who has
// long called the plan 'a fraud'"): that pronoun is where the
// attribution names the speaker.
func (d *doc) relative(qi int, s speaker) speaker {
	q := &d.spans[qi]
	if s.ent < 0 || s.pron || s.pi != int32(q.para) {
		return s
	}
	p := d.paras[q.para]
	a := d.pstart[q.para]
	// The token that ends the name.
	k := q.open - 1
	for k >= a && d.toks[k].e > s.e {
		k--
	}
	if k < a || d.toks[k].e != s.e {
		return s
	}
	r := k + 1
	if r < q.open && d.toks[r].kind == kPunct && d.toks[r].r == ',' {
		r++
	}
	if r >= q.open {
		return s
	}
	t := &d.toks[r]
	if t.kind != kWord || t.flags&fLower == 0 || p[t.s:t.e] != "who" && p[t.s:t.e] != "which" || t.sent != d.toks[q.open].sent {
		return s
	}
	// Within the clause: no punctuation but a comma right before the
	// quotation.
	for j := r + 1; j < q.open; j++ {
		if c := &d.toks[j]; c.kind == kPunct && !(j == q.open-1 && c.r == ',') && c.r != '-' && c.r != '\'' && c.r != '’' {
			return s
		}
	}
	return speaker{ent: s.ent, pi: s.pi, s: t.s, e: t.e, pron: true}
}

// personLike reports whether entity e may be a person.
func (d *doc) personLike(e int32) bool {
	x := d.ents[e]
	return !x.dropped && (x.typ == TypePerson || x.typ == TypeMisc)
}

// descLeft reads the description that ends with the lower-case word at
// token k ("the minister", "a spokesman for the campaign", "officials").
func (d *doc) descLeft(pi int, k, lo int32) speaker {
	p := d.paras[pi]
	t := &d.toks[k]
	head := p[t.s:t.e]
	if len(head) < 3 || d.lowIn(head, notHeads) || strings.HasSuffix(head, "ly") || strings.HasSuffix(head, "ing") || strings.HasSuffix(head, "ed") {
		return noSpeaker
	}
	start := k
	for j, n := k-1, 0; j >= lo && n < 8; j, n = j-1, n+1 {
		c := &d.toks[j]
		if c.kind == kPunct && (c.r == '\'' || c.r == '\u2019') && c.flags&fSpaceBefore == 0 && c.flags&fQuoted == 0 {
			continue // "the teams' coaches"
		}
		if c.flags&fQuoted != 0 || c.kind != kWord {
			break
		}
		w := p[c.s:c.e]
		if d.lowIn(w, descDets) {
			start = j
			// "a spokesman for the campaign": go on past the preposition.
			if j-2 >= lo && d.toks[j-1].kind == kWord && d.lowIn(p[d.toks[j-1].s:d.toks[j-1].e], descPreps) && d.toks[j-2].kind == kWord && d.toks[j-2].flags&fLower != 0 && !d.lowIn(p[d.toks[j-2].s:d.toks[j-2].e], notHeads) {
				j -= 1
				n++
				continue
			}
			break
		}
		if d.lowIn(w, descPreps) {
			continue
		}
		if c.flags&fLower != 0 && (d.lowIn(w, notHeads) || len(w) > 4 && strings.HasSuffix(w, "ing")) {
			break
		}
		if c.flags&fAmbig != 0 && c.flags&fCap != 0 && d.mend[j] < 0 && d.lowIn(w, common) {
			break
		}
		start = j
	}
	// Never start on a preposition; after one, the words are its object
	// ("into the polls saying"), not a subject.
	for start < k && d.toks[start].kind == kWord && d.lowIn(p[d.toks[start].s:d.toks[start].e], descPreps) {
		start++
	}
	if start-1 >= lo {
		if c := &d.toks[start-1]; c.kind == kWord && c.flags&fLower != 0 && (d.lowIn(p[c.s:c.e], descPreps) || d.lowIn(p[c.s:c.e], objPreps)) {
			return noSpeaker
		}
	}
	return speaker{ent: -1, pi: int32(pi), s: d.toks[start].s, e: t.e}
}

// speakerRight looks forward from the verb at token v (up to token hi, at
// most ten tokens) for a name, pronoun or description: "said Russian
// Ambassador to Vietnam Gennady Bezdetko", "said Nigeria coach Finidi
// George", "said officials".
func (d *doc) speakerRight(pi int, v, hi int32) speaker {
	p := d.paras[pi]
	sent := d.toks[v].sent
	n := 0
	// A capitalized name the entity pass did not keep ("said Baron"),
	// unless a kept name follows before any punctuation ("said Russian
	// Ambassador to Vietnam Gennady S. Bezdetko").
	caps := noSpeaker
	for k := v + 1; k < hi && n < 10; k++ {
		t := &d.toks[k]
		if t.sent != sent || t.flags&fQuoted != 0 || t.kind == kPunct && (isQuoteRune(t.r) || t.r == ';' || t.r == ':' || t.r == '.') {
			break
		}
		if caps.ok() && t.kind == kPunct {
			return caps
		}
		n++
		if m := d.mstart[k]; m >= 0 {
			mm := &d.mentions[m]
			e := d.root(mm.ent)
			typ := d.ents[e].typ
			// "said Nigeria coach Finidi George": the person after the role.
			if typ != TypePerson || mm.poss || n == 1 {
				if pm := d.roleThenPerson(pi, mm.te, hi, sent, typ == TypePerson && !mm.poss); pm >= 0 {
					return d.mentionSpeaker(pm)
				}
			}
			if !mm.poss && !d.ents[e].dropped && (typ != TypePlace || n == 1) {
				return d.mentionSpeaker(m)
			}
			if n == 1 && !mm.poss && d.ents[e].dropped {
				caps = d.capsSpeaker(pi, k, 1, hi)
			}
			k = mm.te - 1
			continue
		}
		if g, ok := d.isPronoun(p, k); ok && t.flags&fLower != 0 {
			return d.pronounSpeaker(pi, k, g)
		}
		if n == 1 {
			caps = d.capsSpeaker(pi, k, 1, hi)
		}
		if t.kind == kWord && t.flags&fLower != 0 && d.isSpeechVerb(p, k) {
			break
		}
		if n == 1 && t.kind == kWord && t.flags&fLower != 0 {
			return d.descRight(pi, k, hi, sent)
		}
	}
	return caps
}

// roleThenPerson returns the mention of a person that follows token k of
// paragraph pi after at most four words of a role ("coach", "campaign
// manager", "Gov."), or -1. With needRole, a lower-case role word must be
// among them ("said Clinton spokesman Brian Fallon").
func (d *doc) roleThenPerson(pi int, k, hi, sent int32, needRole bool) int32 {
	p := d.paras[pi]
	role := false
	for n := 0; k < hi && n <= 4; k, n = k+1, n+1 {
		t := &d.toks[k]
		if t.sent != sent || t.flags&fQuoted != 0 || t.kind != kWord {
			return -1
		}
		if m := d.mstart[k]; m >= 0 {
			x := d.ents[d.root(d.mentions[m].ent)]
			if !d.mentions[m].poss && !x.dropped && (x.typ == TypePerson || x.typ == TypeMisc && len(x.words) >= 2) && (role || !needRole) {
				return m
			}
			return -1
		}
		if t.flags&fLower != 0 {
			if !d.lowIn(p[t.s:t.e], roleWords) && !d.lowIn(p[t.s:t.e], roleAdj) {
				return -1
			}
			role = true
		}
	}
	return -1
}

// roleAdj may qualify a role ("presidential candidate", "head coach").
var roleAdj = set(`presidential|national|republican|democratic|assistant|interim|acting|associate|press|campaign|
communications|policy|security|legal|political|executive|managing|head|first|second|running|junior|front-runner|
frontrunner|hopeful|rival|fellow|sitting|outgoing|incoming|retired|elected|designate|spokesperson|representative|
correspondent|reporter|host|anchor|editor|columnist|writer|founder|owner|pastor|rabbi|imam|priest|judge|justice|
senator|congressman|congresswoman|lawmaker|legislator|strategist|pollster|consultant|donor|supporter|activist`)

// descRight reads a description that starts at token k ("said the
// minister", "said officials at the ministry"); a name after its role
// words wins ("said the party's leader Jane Doe").
func (d *doc) descRight(pi int, k, hi, sent int32) speaker {
	p := d.paras[pi]
	end := int32(-1)
	for j, n := k, 0; j < hi && n < 8; j, n = j+1, n+1 {
		t := &d.toks[j]
		if t.sent != sent || t.flags&fQuoted != 0 || t.kind != kWord {
			break
		}
		if m := d.mstart[j]; m >= 0 {
			mm := &d.mentions[m]
			if !mm.poss && d.personLike(d.root(mm.ent)) && n > 0 {
				return d.mentionSpeaker(m)
			}
			end = mm.te - 1
			j = mm.te - 1
			continue
		}
		w := p[t.s:t.e]
		if j > k && !d.lowIn(w, descPreps) && (d.lowIn(w, notHeads) || d.isSpeechVerb(p, j)) {
			break
		}
		if j == k && d.lowIn(w, notHeads) && !d.lowIn(w, descDets) {
			return noSpeaker
		}
		end = j
	}
	// End on the head word, not a preposition or determiner.
	for end >= k && d.toks[end].kind == kWord && (d.lowIn(p[d.toks[end].s:d.toks[end].e], descPreps) || d.lowIn(p[d.toks[end].s:d.toks[end].e], descDets)) {
		end--
	}
	if end < k {
		return noSpeaker
	}
	return speaker{ent: -1, pi: int32(pi), s: d.toks[k].s, e: d.toks[end].e}
}

// clauseSubject finds the subject of the clause from token from to the
// colon at token c ("Coach Paolo De Santis was blunt:"): a person's name
// or a pronoun among its first words.
func (d *doc) clauseSubject(pi int, from, c int32, anyName bool) speaker {
	p := d.paras[pi]
	// "As the race turned south, Clinton ...", "Speaking to reporters on
	// Monday, which ..., Bush ...": the subject after the opening clause.
	if t := &d.toks[from]; from < c && t.kind == kWord && (d.lowIn(p[t.s:t.e], introWords) || t.e-t.s > 4 && strings.HasSuffix(p[t.s:t.e], "ing")) {
		for j, n := from+1, 0; j < c && n < 40; j, n = j+1, n+1 {
			if u := &d.toks[j]; u.kind == kPunct && u.r == ',' && j+1 < c {
				if s := d.subjectAt(pi, j+1, c, anyName); s.ok() {
					return s
				}
			}
		}
		return noSpeaker
	}
	return d.subjectAt(pi, from, c, anyName)
}

// subjectAt reads the subject that starts at token from, before token c.
func (d *doc) subjectAt(pi int, from, c int32, anyName bool) speaker {
	p := d.paras[pi]
	for k, n := from, 0; k < c && n < 8; k, n = k+1, n+1 {
		t := &d.toks[k]
		if t.flags&fQuoted != 0 {
			return noSpeaker
		}
		if m := d.mstart[k]; m >= 0 {
			mm := &d.mentions[m]
			x := d.ents[d.root(mm.ent)]
			if x.dropped {
				return noSpeaker
			}
			if !mm.poss && (x.typ == TypePerson || x.typ == TypeMisc && len(x.words) >= 2) {
				return d.mentionSpeaker(m)
			}
			// "Former Arkansas Gov. Mike Huckabee"
			if pm := d.roleThenPerson(pi, mm.te, c, t.sent, false); pm >= 0 {
				return d.mentionSpeaker(pm)
			}
			if anyName && !mm.poss && x.typ != TypePlace {
				return d.mentionSpeaker(m)
			}
			return noSpeaker
		}
		if g, ok := d.isPronoun(p, k); ok {
			return d.pronounSpeaker(pi, k, g)
		}
		if t.kind == kPunct || t.kind == kWord && t.flags&fLower != 0 && !d.lowIn(p[t.s:t.e], descDets) && n > 0 && !d.lowIn(p[t.s:t.e], roleWords) {
			return noSpeaker
		}
	}
	return noSpeaker
}

// introWords open a clause that comes before a sentence's subject.
var introWords = set(`as|when|after|before|while|although|though|since|because|if|in|at|on|during|despite|
following|with|without|for|from|asked|pressed|questioned|earlier|later|last|this|on|upon|once|unlike|like|amid|
under|over|by|through|speaking|responding|writing|appearing|addressing|reacting|according`)

// roleWords may stand between a sentence start and a name ("coach",
// "striker", "spokesman").
var roleWords = set(`coach|manager|striker|captain|spokesman|spokeswoman|spokesperson|minister|president|chairman|
chairwoman|director|chief|executive|leader|head|secretary|senator|governor|mayor|candidate|nominee|adviser|advisor|
aide|lawyer|attorney|official|analyst|economist|professor|expert|author|founder|ceo|player|defender|midfielder|
goalkeeper|forward|winger|star|champion|campaign|party|team|club|veteran|former|new|general|deputy|vice|state|
foreign|prime|chief|senior|top|team-mate|teammate|colleague|partner|wife|husband|son|daughter|mother|father`)

// resolvePronoun returns the person a pronoun of gender g at token k
// stands for: among the persons named before it, outside quotations, in
// the current and the three previous paragraphs, whose gender does not
// contradict g, the most recent one that is a subject (opens its sentence
// or speaks) in that sentence or the one before; else the most recent.
func (d *doc) resolvePronoun(k int32, g byte) int32 {
	pi := d.paraOf(k)
	minPara := int32(pi - 3)
	i := sort.Search(len(d.mentions), func(i int) bool { return d.mentions[i].ts >= k })
	best, bestSent := int32(-1), int32(-1)
	for n := 0; i > 0 && n < 200; n++ {
		i--
		m := &d.mentions[i]
		if m.para < minPara {
			break
		}
		if d.toks[m.ts].flags&fQuoted != 0 {
			continue
		}
		e := d.root(m.ent)
		if d.ents[e].typ != TypePerson || d.ents[e].dropped {
			continue
		}
		if eg := d.gender(e); g != 0 && eg != 0 && eg != g {
			continue
		}
		sent := d.toks[m.ts].sent
		if best >= 0 && sent < bestSent-1 {
			break
		}
		if best == e {
			continue
		}
		if d.subjectLike(int32(i)) {
			return e
		}
		if best < 0 {
			best, bestSent = e, sent
		}
	}
	return best
}

// subjectPreps before a name make it an object, not a subject.
var subjectPreps = set(`of|to|for|with|about|against|by|on|at|in|from|than|and|or|that|who|whom|which|into|over|
under|after|before|like|between|among|toward|towards|under|via|per|beat|defeated|called|named|appointed|
accused|attacked|criticized|criticised|endorsed|praised|thanked|asked|told|met|replaced|fired|hired`)

// subjectLike reports whether mention mi stands as a subject: not a
// possessive, and either opening its sentence (after at most a few
// capitalized or role words) or next to a verb of saying.
func (d *doc) subjectLike(mi int32) bool {
	m := &d.mentions[mi]
	if m.poss {
		return false
	}
	p := d.paras[m.para]
	b := d.pstart[m.para+1]
	// Next to a verb of saying.
	if m.te < b {
		k := m.te
		for n := 0; k < b && n < 2 && d.toks[k].kind == kWord && d.toks[k].flags&fLower != 0 && d.lowIn(p[d.toks[k].s:d.toks[k].e], preVerb); n++ {
			k++
		}
		if k < b && d.isSpeechVerb(p, k) {
			return true
		}
	}
	if m.ts > d.pstart[m.para] && d.isSpeechVerb(p, m.ts-1) && d.inverts(p, m.ts-1) {
		return true
	}
	// Opening its sentence.
	sent := d.toks[m.ts].sent
	for k, n := m.ts-1, 0; k >= d.pstart[m.para] && d.toks[k].sent == sent; k, n = k-1, n+1 {
		t := &d.toks[k]
		if n >= 5 || t.kind == kPunct && !isQuoteRune(t.r) && t.r != '-' && t.r != '.' {
			return false
		}
		if t.kind == kWord && t.flags&fLower != 0 && d.lowIn(p[t.s:t.e], subjectPreps) {
			return false
		}
	}
	return true
}

// Gender cues before a name.
var (
	maleCues   = set(`mr|sir|lord|king|prince|duke|baron|father|brother|mister|monsieur|herr|senor|signor|don|congressman|businessman|spokesman|chairman|husband|son|uncle|nephew|grandfather|actor|boyfriend|sheikh|emir|sultan|pope|cardinal|bishop|archbishop`)
	femaleCues = set(`mrs|ms|miss|lady|dame|queen|princess|duchess|baroness|mother|sister|madam|madame|mme|mlle|frau|senora|signora|congresswoman|businesswoman|spokeswoman|chairwoman|wife|daughter|aunt|niece|grandmother|actress|girlfriend|countess|empress`)
)

// gender returns the gender of person entity e ('m', 'f' or 0 when
// unknown): from titles before its mentions ("Mrs. Obi", "Sir Keir"),
// the given name that starts it, and the pronouns that follow it where it
// is the only person in its sentence.
func (d *doc) gender(e int32) byte {
	if d.genders == nil {
		d.computeGenders()
	}
	if int(e) < len(d.genders) {
		return d.genders[e]
	}
	return 0
}

func (d *doc) computeGenders() {
	votes := make([][2]int, len(d.ents))
	// Titles and role words right before mentions.
	for mi := range d.mentions {
		m := &d.mentions[mi]
		e := d.root(m.ent)
		if m.ts > d.pstart[m.para] {
			t := &d.toks[m.ts-1]
			if t.kind == kWord {
				w := d.paras[m.para][t.s:t.e]
				w = strings.TrimSuffix(w, ".")
				if d.lowIn(w, maleCues) {
					votes[e][0] += 3
				} else if d.lowIn(w, femaleCues) {
					votes[e][1] += 3
				}
			}
		}
	}
	// Pronouns after a sentence's only person, up to the next person.
	d.pronounVotes(votes)
	d.genders = make([]byte, len(d.ents))
	for i, x := range d.ents {
		if x.into >= 0 || x.typ != TypePerson && x.typ != TypeMisc {
			continue
		}
		v := votes[i]
		if len(x.words) >= 2 || x.typ == TypePerson {
			if g, ok := givenNameGender(x.text); ok && !isAllUpper(x.text) {
				if g == gMale {
					v[0] += 2
				} else {
					v[1] += 2
				}
			}
		}
		switch {
		case v[0] > v[1]:
			d.genders[i] = gMale
		case v[1] > v[0]:
			d.genders[i] = gFemale
		}
	}
}

// pronounVotes counts, for each person mention that is its sentence's
// first person, the gendered pronouns (he, his, him; she, her) outside
// quotations in the rest of that sentence and the next, up to the next
// person named.
func (d *doc) pronounVotes(votes [][2]int) {
	for mi := 0; mi < len(d.mentions); mi++ {
		m := &d.mentions[mi]
		e := d.root(m.ent)
		if d.ents[e].typ != TypePerson || d.toks[m.ts].flags&fQuoted != 0 {
			continue
		}
		stop := d.pstart[m.para+1]
		if mi+1 < len(d.mentions) && d.mentions[mi+1].para == m.para && d.mentions[mi+1].ts < stop {
			stop = d.mentions[mi+1].ts
		}
		sent := d.toks[m.ts].sent
		p := d.paras[m.para]
		for k := m.te; k < stop && k < m.te+40; k++ {
			t := &d.toks[k]
			if t.sent > sent+1 {
				break
			}
			if t.kind != kWord || t.flags&fQuoted != 0 || t.e-t.s > 3 {
				continue
			}
			switch p[t.s:t.e] {
			case "he", "He", "his", "His", "him":
				votes[e][0]++
			case "she", "She", "her", "Her":
				votes[e][1]++
			}
		}
	}
}
