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
	speaker     int32 // entity root, or -1
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
			closed := false
			for j := i + 1; j < b; j++ {
				c := &d.toks[j]
				if c.kind == kPunct && doubleCloses(t.r, c.r) && (c.r == '\u00BB' || c.r == '\u201D' || closesAt(p, c)) {
					d.addSpan(pi, i, j)
					i = j
					closed = true
					break
				}
			}
			if !closed && i == a {
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
	d.spans = append(d.spans, qspan{para: pi, open: i, close: j, cs: int32(cs), ce: int32(ce), speaker: -1})
}

// quoteList finds quotations and their speakers.
func (d *doc) quoteList() []article.Quote {
	if d.quotesDone {
		return d.quotes
	}
	d.quotesDone = true
	d.extractEntities()
	d.findQuotes()
	var out []article.Quote
	for qi := range d.spans {
		q := &d.spans[qi]
		q.speaker = d.attribute(qi)
		p := d.paras[q.para]
		if q.speaker < 0 && !d.quoteLike(qi) {
			continue
		}
		aq := article.Quote{Text: p[q.cs:q.ce], Start: d.cp(q.para, q.cs), End: d.cp(q.para, q.ce), Paragraph: q.para}
		if q.speaker >= 0 {
			e := d.ents[q.speaker]
			aq.Speaker = e.text
			if e.typ == TypeMisc && len(e.words) >= 2 {
				e.typ = TypePerson // a name that speaks is a person's
			}
		}
		out = append(out, aq)
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

// attribute finds the speaker of quotation qi: a verb of saying in the
// quote's sentence, with its subject ("Putin said", "said Putin", "according
// to Putin") or a colon ("Putin: '...'"); else, for a quote that opens its
// sentence, the speaker of the adjacent sentence.
func (d *doc) attribute(qi int) int32 {
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
			if d.isSpeechVerb(p, k) || d.isAccording(p, k, b) {
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
		if d.isSpeechVerb(p, k) || d.isAccording(p, k, b) {
			cands = append(cands, cand{k, dist, false})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		ci, cj := cands[i], cands[j]
		// A verb right after the quote ('"...," said X') wins.
		ni, nj := ci.after && ci.dist <= 2, cj.after && cj.dist <= 2
		if ni != nj {
			return ni
		}
		return ci.dist < cj.dist
	})
	if len(cands) > 6 {
		cands = cands[:6]
	}
	for _, c := range cands {
		var e int32 = -1
		if d.isAccording(p, c.v, b) {
			hi := b
			if !c.after {
				hi = o
			}
			e = d.speakerRight(q.para, c.v+1, hi)
		} else if c.after {
			// "..., X said" / "..., X told reporters", else "..., said X".
			e = d.speakerLeft(q.para, c.v, afterStart)
			if e < 0 && c.dist == 1 && d.inverts(p, c.v) {
				e = d.speakerRight(q.para, c.v, afterEnd)
			}
		} else {
			// "X said ..." / "X told reporters: ...", else "said X: ...".
			e = d.speakerLeft(q.para, c.v, sentStart)
			if e < 0 && d.inverts(p, c.v) {
				e = d.speakerRight(q.para, c.v, o)
			}
		}
		if e >= 0 {
			return e
		}
	}
	// "Putin: '...'"
	if o-2 >= a {
		t := &d.toks[o-1]
		if t.kind == kPunct && t.r == ':' {
			if m := d.mend[o-2]; m >= 0 && !d.mentions[m].poss && !d.ents[d.root(d.mentions[m].ent)].dropped {
				return d.root(d.mentions[m].ent)
			}
		}
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
		return -1
	}
	// The previous quotation, if it is in this or the previous sentence.
	if qi > 0 {
		pq := &d.spans[qi-1]
		end := pq.close
		if end < 0 {
			end = d.pstart[pq.para+1] - 1
		}
		if pq.speaker >= 0 && d.toks[end].sent >= sentO-1 && (pq.para == q.para || pq.close < 0) {
			return pq.speaker
		}
	}
	// "He told reporters:" closing the previous sentence.
	if sentStart-1 >= a {
		last := sentStart - 1
		if t := &d.toks[last]; t.kind == kPunct && t.r == ':' {
			ps := d.toks[last].sent
			for k := last - 1; k >= a && d.toks[k].sent == ps; k-- {
				if d.isSpeechVerb(p, k) {
					if e := d.speakerLeft(q.para, k, a); e >= 0 {
						return e
					}
					if e := d.speakerRight(q.para, k, last); e >= 0 {
						return e
					}
					break
				}
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
	return -1
}

// inverts reports whether the verb at token k may come before its subject
// ("said Putin"); "told" and "called" take an object there instead.
func (d *doc) inverts(p string, k int32) bool {
	t := &d.toks[k]
	return d.lowIn(p[t.s:t.e], invertVerbs)
}

// isAccording reports whether token k starts "according to".
func (d *doc) isAccording(p string, k, b int32) bool {
	t := &d.toks[k]
	if t.kind != kWord || !strings.EqualFold(p[t.s:t.e], "according") || k+1 >= b {
		return false
	}
	n := &d.toks[k+1]
	return p[n.s:n.e] == "to"
}

// speakerLeft looks back from the verb at token v to token lo for its
// subject: the nearest name that is not a possessive ("Putin's visit") and
// not a place unless right before the verb ("Moscow said"), or a pronoun.
func (d *doc) speakerLeft(pi int, v, lo int32) int32 {
	p := d.paras[pi]
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
				return e
			}
			k = mm.ts
			continue
		}
		if t.kind == kWord && t.flags&fLower != 0 && pronouns[p[t.s:t.e]] || t.kind == kWord && t.flags&fAmbig != 0 && (p[t.s:t.e] == "He" || p[t.s:t.e] == "She") {
			return d.resolvePronoun(k)
		}
	}
	return -1
}

// speakerRight looks forward from the verb at token v (up to token hi, at
// most ten tokens) for a name or pronoun: "said Russian Ambassador to
// Vietnam Gennady Bezdetko".
func (d *doc) speakerRight(pi int, v, hi int32) int32 {
	p := d.paras[pi]
	sent := d.toks[v].sent
	n := 0
	for k := v + 1; k < hi && n < 10; k++ {
		t := &d.toks[k]
		if t.sent != sent || t.flags&fQuoted != 0 || t.kind == kPunct && (isQuoteRune(t.r) || t.r == ';' || t.r == ':' || t.r == '.') {
			break
		}
		n++
		if m := d.mstart[k]; m >= 0 {
			mm := &d.mentions[m]
			e := d.root(mm.ent)
			typ := d.ents[e].typ
			if !mm.poss && !d.ents[e].dropped && (typ != TypePlace || k == v+1) {
				return e
			}
			k = mm.te - 1
			continue
		}
		if t.kind == kWord && t.flags&fLower != 0 && pronouns[p[t.s:t.e]] {
			return d.resolvePronoun(k)
		}
		if t.kind == kWord && t.flags&fLower != 0 && d.isSpeechVerb(p, k) {
			break
		}
	}
	return -1
}

// resolvePronoun returns the person last named before token k, outside
// quotations, within the current and the two previous paragraphs.
func (d *doc) resolvePronoun(k int32) int32 {
	pi := d.paraOf(k)
	minPara := int32(pi - 2)
	i := sort.Search(len(d.mentions), func(i int) bool { return d.mentions[i].ts >= k })
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
		if d.ents[e].typ == TypePerson && !d.ents[e].dropped {
			return e
		}
	}
	return -1
}
