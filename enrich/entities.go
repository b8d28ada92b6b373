package enrich

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/newsdesk/newsdesk/article"
)

// Entity types.
const (
	TypePerson = "person"
	TypePlace  = "place"
	TypeOrg    = "org"
	TypeMisc   = "misc"
)

// Vote slots.
const (
	vPerson = iota
	vPlace
	vOrg
)

// mention is one occurrence of a name in the text.
type mention struct {
	para   int32
	ts, te int32 // token range
	s, e   int32 // byte span in the paragraph
	ent    int32 // entity index (before merging; follow entity.into)
	poss   bool  // followed by a possessive 's
}

// entity gathers the mentions that share one key.
type entity struct {
	key      string
	words    []string
	variants []variant  // spellings seen in the body, in order of first use
	v0       [2]variant // variants' first backing array
	count    int
	votes    [3]int
	scores   [nClasses]int32 // mention classifier scores, summed over mentions
	// strong counts mentions with a cue that types a name whatever the
	// classifier says: an org noun after it ("Interfax news agency"), a
	// titled person's "of" before it ("President Ilsa Brandt-Kovac of
	// Marovia": a place).
	strong [3]int
	first  int  // index of the first mention
	upper  bool // written as an acronym
	// tentative counts mentions that are only capitalized words at a
	// sentence start; an entity with no other mention is dropped unless it
	// merges into a longer name.
	tentative int
	amb       int // mentions at a sentence start
	dropped   bool
	into      int // the entity this one was merged into, or -1
	typ       string
	text      string
	// ckey caches CanonicalKey(typ, text) for the quote and entity lists,
	// with the type and text it was made from.
	ckey, ckeyTyp, ckeyText string
}

// canonicalKey returns CanonicalKey(e.typ, e.text), made once.
func (e *entity) canonicalKey() string {
	if e.ckey == "" || e.ckeyTyp != e.typ || e.ckeyText != e.text {
		e.ckey, e.ckeyTyp, e.ckeyText = CanonicalKey(e.typ, e.text), e.typ, e.text
	}
	return e.ckey
}

type variant struct {
	text string
	n    int
}

// nameWord is one word of a candidate name: a token, or a part of a
// hyphenated token ("Russia-North" gives "Russia" and "North").
type nameWord struct {
	ti     int32
	s, e   int32
	flags  uint16
	joiner bool // a lower-case particle (van, de, of) or "&"
}

// personJoiners occur inside personal names only.
var personJoiners = set(`bin|bint|ibn|van|von|der|den|ter|ten|ben|abu|zu`)

// isName reports whether token k (of paragraph p) can be part of a name.
func (d *doc) isName(p string, k int32) bool {
	t := &d.toks[k]
	if t.kind != kWord || t.flags&fCap == 0 {
		return false
	}
	w := p[t.s:t.e]
	if w == "I" || strings.HasPrefix(w, "I'") || strings.HasPrefix(w, "I\u2019") {
		return false
	}
	if w == "AT" || w == "VS" {
		return false // "DENVER AT GREEN BAY": a fixture, not one name
	}
	return true
}

// extractEntities runs the entity pass once.
func (d *doc) extractEntities() {
	if d.entDone {
		return
	}
	d.entDone = true
	d.mstart = slices.Grow(d.mstart[:0], len(d.toks))[:len(d.toks)]
	d.mend = slices.Grow(d.mend[:0], len(d.toks))[:len(d.toks)]
	for i := range d.mstart {
		d.mstart[i] = -1
		d.mend[i] = -1
	}
	var run []nameWord
	for pi, p := range d.paras {
		a, b := d.pstart[pi], d.pstart[pi+1]
		for i := a; i < b; {
			if !d.isName(p, i) {
				i++
				continue
			}
			run = run[:0]
			j := i
			for j < b {
				t := &d.toks[j]
				if d.isName(p, j) && (len(run) == 0 || t.sent == d.toks[run[0].ti].sent) {
					if w, ok := d.hyphenHead(p, j); ok {
						// "Chechnya-based", "Kremlin-backed": the name
						// ends at the hyphen.
						run = append(run, w)
						j++
						break
					}
					if l, r, ok := d.hyphenSplit(p, j); ok {
						run = append(run, l)
						d.processRun(pi, run)
						run = append(run[:0], r)
					} else {
						run = append(run, nameWord{ti: j, s: t.s, e: t.e, flags: t.flags})
					}
					j++
					if t.flags&fPoss != 0 {
						break
					}
					continue
				}
				if len(run) > 0 && !run[len(run)-1].joiner {
					if n := d.joinerLen(p, j, b, run); n > 0 {
						for k := j; k < j+int32(n); k++ {
							tk := &d.toks[k]
							run = append(run, nameWord{ti: k, s: tk.s, e: tk.e, flags: tk.flags, joiner: true})
						}
						j += int32(n)
						continue
					}
				}
				break
			}
			d.processRun(pi, run)
			if j <= i {
				j = i + 1
			}
			i = j
		}
	}
	d.resolveEntities()
}

// hyphenHead returns the part before the hyphen of a capitalized word
// with a lower-case tail ("Chechnya-based", "US-led") when that part is
// not a common word ("Anti-war", "Self-made") and the tail is ("Kim
// Jong-un" is a name).
func (d *doc) hyphenHead(p string, k int32) (nameWord, bool) {
	t := &d.toks[k]
	if t.flags&fHyph == 0 {
		return nameWord{}, false
	}
	w := p[t.s:t.e]
	h := strings.IndexByte(w, '-')
	if h < 2 || h+2 >= len(w) {
		return nameWord{}, false
	}
	for i := h + 1; i < len(w); i++ {
		if c := w[i]; !(c >= 'a' && c <= 'z' || c == '-') {
			return nameWord{}, false
		}
	}
	mdl := loadModel()
	if len(w)-h-1 < 4 || mdl.lex[w[h+1:]]&lxVocab == 0 {
		return nameWord{}, false // "Kim Jong-un"
	}
	b, ok := lowerASCII(d.buf[:], w[:h])
	if !ok || d.lower[string(b)] || mdl.lex[string(b)]&(lxVocab|lxCommon|lxRejectOne|lxDemCompass) != 0 {
		return nameWord{}, false
	}
	fl := t.flags &^ (fHyph | fPoss)
	if isAllUpper(w[:h]) && h >= 2 {
		fl |= fUpper
	}
	return nameWord{ti: k, s: t.s, e: t.s + int32(h), flags: fl}, true
}

// hyphenSplit splits "Russia-North" when the part before the hyphen is a
// known place or organisation and the part after starts a new name.
func (d *doc) hyphenSplit(p string, k int32) (l, r nameWord, ok bool) {
	t := &d.toks[k]
	if t.flags&fHyph == 0 {
		return
	}
	w := p[t.s:t.e]
	h := strings.IndexByte(w, '-')
	if h <= 0 || !isUpperAt(w, h+1) {
		return
	}
	left := entityKey(w[:h])
	if !places[left] && !orgs[left] {
		return
	}
	if places[entityKey(w)] {
		return // Guinea-Bissau
	}
	l = nameWord{ti: k, s: t.s, e: t.s + int32(h), flags: t.flags &^ (fPoss | fHyph)}
	r = nameWord{ti: k, s: t.s + int32(h) + 1, e: t.e, flags: t.flags&^(fAmbig|fHyph) | fCap}
	return l, r, true
}

// joinerLen returns how many tokens from j on are particles joining the
// run to a following name word ("van der", "bin", "of the", "&").
func (d *doc) joinerLen(p string, j, b int32, run []nameWord) int {
	t := &d.toks[j]
	sent := d.toks[run[0].ti].sent
	if t.kind == kPunct && t.r == '&' && j+1 < b && d.isName(p, j+1) && d.toks[j+1].sent == sent {
		return 1
	}
	if t.kind != kWord || t.flags&fLower == 0 {
		return 0
	}
	w := p[t.s:t.e]
	if w == "of" {
		last := run[len(run)-1]
		if !d.lowIn(p[last.s:last.e], ofHeads) {
			return 0
		}
		k := j + 1
		if k < b && p[d.toks[k].s:d.toks[k].e] == "the" {
			k++
		}
		if k < b && d.isName(p, k) && d.toks[k].sent == sent {
			return int(k - j)
		}
		return 0
	}
	if !joiners[w] {
		return 0
	}
	if strings.HasPrefix(d.lang, "de") {
		// "Die Bürgermeisterin von Brenningen": von is a preposition unless
		// it follows a given name (Ursula von der Leyen).
		given := false
		for _, w := range run {
			if !w.joiner && d.lowIn(p[w.s:w.e], givenNames) {
				given = true
			}
		}
		if !given {
			return 0
		}
	}
	k := j + 1
	if k < b && d.toks[k].kind == kWord && joiners[p[d.toks[k].s:d.toks[k].e]] {
		k++ // van der, de la
	}
	if k < b && d.isName(p, k) && d.toks[k].sent == sent {
		return int(k - j)
	}
	return 0
}

// processRun turns a run of capitalized words into mentions: it drops
// sentence-initial common words, splits off titles, and records each
// remaining segment with the cues around it.
func (d *doc) processRun(pi int, run []nameWord) {
	if len(run) == 0 {
		return
	}
	p := d.paras[pi]
	a := d.pstart[pi]
	before := run[0].ti - 1 // the token before the run, if >= a
	k := 0
	startAmb := false
	if run[0].flags&fAmbig != 0 {
		for k < len(run) {
			w := run[k]
			if w.joiner {
				k++
				continue
			}
			txt := p[w.s:w.e]
			kb := d.k(txt)
			keep := d.midCap[txt] > 0 || w.flags&fUpper != 0 && d.midCap[d.titleCase(txt)] > 0 || places[string(kb)] || orgs[string(kb)] || titlesCore[string(kb)]
			strip := common[string(kb)] || d.lower[string(kb)] || monthNums[string(kb)] > 0 || isDayB(kb)
			if !keep && titlesMod[string(kb)] && k+1 < len(run) && d.lowIn(p[run[k+1].s:run[k+1].e], titlesCore) {
				keep = true
			}
			if !keep && d.gazPrefix(p, run[k:]) > 1 {
				keep = true
			}
			if !keep && k == 0 && len(run) >= 3 && !lowerStop[string(kb)] && monthNums[string(kb)] == 0 && !isDayB(kb) {
				// "First Union Capital Markets Corp.": a run ending in a
				// company suffix keeps its first word.
				last := run[len(run)-1]
				keep = d.lowIn(strings.TrimSuffix(p[last.s:last.e], "."), corpSuffix)
			}
			if keep {
				break
			}
			if strip {
				k++
				continue
			}
			startAmb = k == 0
			break
		}
	}
	// Month and day names never start a name.
	for k < len(run) {
		kb := d.k(p[run[k].s:run[k].e])
		if monthNums[string(kb)] > 0 || isDayB(kb) || run[k].joiner {
			k++
			continue
		}
		break
	}
	if k >= len(run) {
		return
	}
	run = run[k:]
	if k > 0 {
		startAmb = false
		before = run[0].ti - 1
	}

	// Cues from the words before the run.
	personCue := false
	placeCue := false
	titlePrep := false
	if before >= a {
		bt := &d.toks[before]
		if bt.kind == kWord && bt.flags&fLower != 0 {
			bw := p[bt.s:bt.e]
			switch {
			case roleNouns[bw]:
				personCue = true
			case placePreps[bw]:
				placeCue = !(bw == "to" && before-1 >= a && strings.EqualFold(p[d.toks[before-1].s:d.toks[before-1].e], "according"))
			}
			if (bw == "to" || bw == "of" || bw == "for") && before-1 >= a {
				t2 := &d.toks[before-1]
				if t2.kind == kWord && d.lowIn(p[t2.s:t2.e], titlesCore) {
					titlePrep = true
				}
			}
		}
	}
	if before-1 >= a && d.toks[before].kind == kPunct && d.toks[before].r == ',' {
		// "Her spokesman, Dmitar Vuksan, said"
		if bt := &d.toks[before-1]; bt.kind == kWord && bt.flags&fLower != 0 && roleNouns[p[bt.s:bt.e]] {
			personCue = true
		}
	}
	speechBefore := before >= a && d.isSpeechVerb(p, before)
	d.holderTok = -1
	if before-1 >= a && p[d.toks[before].s:d.toks[before].e] == "of" {
		if mi := d.mend[before-1]; mi >= 0 {
			if e := d.ents[d.mentions[mi].ent]; e.votes[vPerson] >= 3 && len(e.words) >= 2 {
				d.holderTok = run[0].ti
			}
		}
	}

	if titlePrep {
		// "Ambassador to Vietnam Gennady Bezdetko", "Secretary of State
		// Antony Blinken": the place or domain first, then the holder.
		if n := d.gazPrefix(p, run); n > 0 && n < len(run) {
			d.addMention(pi, run[:n], false, true, false, false)
			d.emitSegments(pi, run[n:], true, false, false)
			return
		}
		m := 0
		for m < len(run) && d.lowIn(p[run[m].s:run[m].e], domainWords) {
			m++
		}
		if m > 0 && m < len(run) {
			d.emitSegments(pi, run[m:], true, false, false)
			return
		}
	}
	d.emitSegmentsCue(pi, run, personCue, placeCue, startAmb, speechBefore)
}

// titleCase returns "Velgrad" for "VELGRAD" (ASCII only; "" otherwise),
// in a buffer that the next call reuses.
func (d *doc) titleCase(w string) string {
	b, ok := lowerASCII(d.buf[:], w)
	if !ok || len(b) == 0 {
		return ""
	}
	if b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	return string(b)
}

// gazPrefix returns the length of the longest prefix of run (up to four
// words) that is a known place or organisation.
func (d *doc) gazPrefix(p string, run []nameWord) int {
	best := 0
	n := len(run)
	if n > 4 {
		n = 4
	}
	for l := 1; l <= n; l++ {
		if run[l-1].joiner {
			continue
		}
		kb := d.k(p[run[0].s:run[l-1].e])
		if places[string(kb)] || orgs[string(kb)] {
			best = l
		}
	}
	return best
}

func isDay(key string) bool {
	_, ok := dayNums[key]
	return ok && len(key) > 3
}

func isDayB(key []byte) bool {
	_, ok := dayNums[string(key)]
	return ok && len(key) > 3
}

func (d *doc) emitSegments(pi int, run []nameWord, person, place, amb bool) {
	d.emitSegmentsCue(pi, run, person, place, amb, false)
}

// emitSegmentsCue splits run at titles ("Communist Party General Secretary
// Nguyen Phu Trong") and records the segments.
func (d *doc) emitSegmentsCue(pi int, run []nameWord, personCue, placeCue, startAmb, speechBefore bool) {
	p := d.paras[pi]
	segStart := 0
	first := true
	for m := 0; m < len(run); {
		n := d.titleLen(p, run[m:])
		if n == 0 {
			m++
			continue
		}
		rest := run[m+n:]
		if m == segStart && len(rest) > 0 && d.orgOrPlace(p, rest) {
			m++ // "General Assembly", "Queen Elizabeth Hospital"
			continue
		}
		if m > segStart {
			d.addMention(pi, run[segStart:m], personCue, placeCue && first, startAmb && first, speechBefore && first)
		}
		first = false
		personCue = true
		m += n
		segStart = m
	}
	if segStart < len(run) {
		d.addMention(pi, run[segStart:], personCue, placeCue && first, startAmb && first, speechBefore && first)
	}
}

// titleLen returns the length of the title (e.g. "President", "Prime
// Minister", "General Secretary") starting run, or 0.
func (d *doc) titleLen(p string, run []nameWord) int {
	n := 0
	lastCore := 0
	for n < len(run) && !run[n].joiner {
		w := p[run[n].s:run[n].e]
		w = strings.TrimSuffix(w, ".")
		kb := d.k(w)
		switch {
		case titlesCore[string(kb)]:
			n++
			lastCore = n
			continue
		case titlesMod[string(kb)]:
			n++
			continue
		}
		break
	}
	return lastCore
}

// orgOrPlace reports whether run names an organisation or place by itself.
func (d *doc) orgOrPlace(p string, run []nameWord) bool {
	kb := d.k(p[run[0].s:run[len(run)-1].e])
	if places[string(kb)] || orgs[string(kb)] {
		return true
	}
	kb = d.k(p[run[len(run)-1].s:run[len(run)-1].e])
	return orgSuffix[string(kb)] || placeSuffix[string(kb)]
}

// addNameSpan records one segment as a mention of the entity with its key.
func (d *doc) addNameSpan(pi int, seg []nameWord, personCue, placeCue, amb, speechBefore bool, pre *[nClasses]int32) {
	for len(seg) > 0 && seg[0].joiner {
		seg = seg[1:]
	}
	for len(seg) > 0 && seg[len(seg)-1].joiner {
		seg = seg[:len(seg)-1]
	}
	if len(seg) == 0 {
		return
	}
	p := d.paras[pi]
	first, last := seg[0], seg[len(seg)-1]
	txt := p[first.s:last.e]
	kb := d.k(txt)
	if len(kb) == 0 || d.rejected[string(kb)] {
		return
	}
	ei, known := d.byKey[string(kb)]
	var words []string
	var key string
	if known {
		words, key = d.ents[ei].words, d.ents[ei].key
	} else {
		key = string(kb)
		words = d.splitKeyWords(key)
		if rejectKey(key, words) {
			d.rejected[key] = true
			return
		}
	}
	gaz := places[key] || orgs[key]
	if len(words) == 1 && !gaz && common[key] && first.flags&fUpper == 0 {
		return
	}
	nextTok := last.ti + 1
	end := d.pstart[pi+1]
	speechAfter := nextTok < end && last.flags&fPoss == 0 && last.e == d.toks[last.ti].e && d.isSpeechVerb(p, nextTok)
	// A capitalized word at a sentence start, seen nowhere else mid-sentence,
	// is kept only if it turns out to be part of a longer name.
	tentative := amb && len(seg) == 1 && !gaz && !speechAfter
	var votes [3]int
	if personCue {
		votes[vPerson] += 3
	}
	if (speechAfter || speechBefore) && !placeCue {
		votes[vPerson] += 2 // but "many in Grimsby said" speaks of the people there
	}
	if placeCue {
		votes[vPlace]++
	}
	if len(words) >= 2 {
		if givenNames[words[0]] {
			votes[vPerson] += 2
		} else if familyFirst[words[0]] && len(words) <= 3 {
			votes[vPerson]++
		}
		for i := 1; i < len(seg)-1; i++ {
			if seg[i].joiner && personJoiners[p[seg[i].s:seg[i].e]] {
				votes[vPerson] += 2
				break
			}
			if seg[i].flags&fInitial != 0 {
				votes[vPerson] += 2
				break
			}
		}
	}
	var strong [3]int
	if first.ti == d.holderTok {
		strong[vPlace]++
	}
	if (nextTok < end && p[d.toks[nextTok].s:d.toks[nextTok].e] == "AT" ||
		first.ti > d.pstart[pi] && p[d.toks[first.ti-1].s:d.toks[first.ti-1].e] == "AT") && d.paraCase(pi) == 3 {
		strong[vOrg]++ // "DENVER AT GREEN BAY": teams in a fixture list
	}
	if last.flags&fPoss == 0 && last.e == d.toks[last.ti].e && d.orgNounAt(p, nextTok, end) {
		strong[vOrg]++
		tentative = false
	}
	if !known {
		ei = int32(len(d.ents))
		d.byKey[key] = ei
		if len(d.entSlab) == cap(d.entSlab) {
			d.entSlab = make([]entity, 0, max(16, 2*cap(d.entSlab)))
		}
		d.entSlab = append(d.entSlab, entity{key: key, words: words, first: len(d.mentions), into: -1})
		ne := &d.entSlab[len(d.entSlab)-1]
		ne.variants = ne.v0[:0]
		d.ents = append(d.ents, ne)
	}
	e := d.ents[ei]
	e.count++
	if pre != nil {
		for c := range pre {
			e.scores[c] += pre[c]
		}
	} else {
		var sc [nClasses]int32
		kb := d.k(txt)
		scoreFeatures(d.mentionFeatures(pi, seg, kb, loadModel().lex[string(kb)], d.spanCues(pi, seg, personCue, placeCue, amb, speechBefore, speechAfter)), &sc)
		for c := range sc {
			e.scores[c] += sc[c]
		}
	}
	if tentative {
		e.tentative++
	}
	if amb {
		e.amb++
	}
	for i := range votes {
		e.votes[i] += votes[i]
		e.strong[i] += strong[i]
	}
	if len(seg) == 1 && first.flags&fUpper != 0 {
		e.upper = true
	}
	found := false
	for i := range e.variants {
		if e.variants[i].text == txt {
			e.variants[i].n++
			found = true
			break
		}
	}
	if !found {
		e.variants = append(e.variants, variant{text: txt, n: 1})
	}
	mi := int32(len(d.mentions))
	d.mentions = append(d.mentions, mention{
		para: int32(pi), ts: first.ti, te: last.ti + 1, s: first.s, e: last.e, ent: ei,
		poss: last.flags&fPoss != 0 && last.e == d.toks[last.ti].e,
	})
	if d.mstart[first.ti] < 0 {
		d.mstart[first.ti] = mi
	}
	d.mend[last.ti] = mi
}

// orgNouns after a name make it an organisation ("Interfax news agency",
// "the Herald newspaper").
var orgNouns = set(`agency|newspaper|broadcaster|tabloid|newsweekly`)

// orgNounAt reports whether token k (before end) starts an org noun, or
// "news" and one ("news agency", "news service").
func (d *doc) orgNounAt(p string, k, end int32) bool {
	if k >= end || d.toks[k].kind != kWord || d.toks[k].flags&fLower == 0 {
		return false
	}
	w := p[d.toks[k].s:d.toks[k].e]
	if orgNouns[w] {
		return true
	}
	if w == "news" && k+1 < end && d.toks[k+1].kind == kWord {
		w2 := p[d.toks[k+1].s:d.toks[k+1].e]
		return w2 == "agency" || w2 == "service" || w2 == "channel" || w2 == "network" || w2 == "website"
	}
	return false
}

// splitKeyWords is splitKey with the slices carved from one arena.
func (d *doc) splitKeyWords(key string) []string {
	n := strings.Count(key, " ") + 1
	if cap(d.wordArena)-len(d.wordArena) < n {
		d.wordArena = make([]string, 0, max(64, n))
	}
	start := len(d.wordArena)
	for {
		i := strings.IndexByte(key, ' ')
		if i < 0 {
			break
		}
		d.wordArena = append(d.wordArena, key[:i])
		key = key[i+1:]
	}
	d.wordArena = append(d.wordArena, key)
	return d.wordArena[start:len(d.wordArena):len(d.wordArena)]
}

// rejectKey reports whether a name key is never an entity: nationality
// adjectives, pronouns, month and day names, bare titles.
func rejectKey(key string, words []string) bool {
	if places[key] || orgs[key] {
		return false
	}
	allDemonym := true
	for _, w := range words {
		if !demonyms[w] && !compass[w] {
			allDemonym = false
			break
		}
	}
	if allDemonym {
		return true
	}
	return len(words) == 1 && (lowerStop[key] || monthNums[key] > 0 || isDay(key) || titlesCore[key])
}

// isSpeechVerb reports whether token k of paragraph p is a verb of saying.
func (d *doc) isSpeechVerb(p string, k int32) bool {
	t := &d.toks[k]
	if t.kind != kWord || t.flags&fLower == 0 {
		return false
	}
	return d.lowIn(p[t.s:t.e], speechVerbs)
}

// root follows merges to the entity that absorbed e.
func (d *doc) root(e int32) int32 {
	for d.ents[e].into >= 0 {
		e = int32(d.ents[e].into)
	}
	return e
}

// intrinsicType is the type a name has by itself, or "".
func intrinsicType(e *entity) string {
	key := e.key
	switch {
	case orgs[key]:
		return TypeOrg
	case places[key]:
		return TypePlace
	}
	w := e.words
	last := w[len(w)-1]
	if len(w) >= 2 {
		if orgSuffix[last] {
			return TypeOrg
		}
		for i := 1; i+1 < len(w); i++ {
			if w[i] == "of" && orgHead[w[i-1]] {
				return TypeOrg
			}
		}
		if placeSuffix[last] {
			return TypePlace
		}
		if w[0] == "republic" || w[0] == "kingdom" || w[0] == "mount" || w[0] == "lake" || w[0] == "gulf" ||
			w[0] == "cape" || w[0] == "isle" || w[0] == "fort" || w[0] == "port" || w[0] == "san" || w[0] == "santa" {
			return TypePlace
		}
	}
	if e.upper && len(w) == 1 && len(last) >= 2 && len(last) <= 6 {
		return TypeOrg
	}
	return ""
}

// resolveEntities merges partial mentions into full names and types the
// entities.
func (d *doc) resolveEntities() {
	learned := loadModel().buckets > 0
	for _, e := range d.ents {
		e.typ = intrinsicType(e)
	}
	// mtyp is the type a name has from the classifier, before merging.
	mtyp := func(e *entity) string {
		if !learned {
			if e.typ != "" {
				return e.typ
			}
			if vt := voteType(e.votes); vt != TypeMisc {
				return vt
			}
			return ""
		}
		return learnedType(e)
	}
	personLike := func(e *entity) bool {
		if !learned {
			return e.typ == "" && voteType(e.votes) != TypePlace && voteType(e.votes) != TypeOrg
		}
		return mtyp(e) == TypePerson
	}
	// Longer names first, so that "Putin" finds "Vladimir Putin".
	order := make([]int, len(d.ents))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return len(d.ents[order[i]].words) > len(d.ents[order[j]].words) })
	byLast := make(map[string][]int)
	byFirst := make(map[string][]int)
	byMid := make(map[string][]int)      // "lula" -> "Luiz Inácio Lula da Silva"
	byStem := make(map[string]int)       // "quillfeather" -> "Quillfeather Inc."
	byOrgFirst := make(map[string][]int) // "norvik" -> "Norvik Steel"
	byOrgLast := make(map[string][]int)  // "rovers" -> "Harlow Rovers"
	for _, i := range order {
		e := d.ents[i]
		if len(e.words) < 2 {
			continue
		}
		if personLike(e) {
			byLast[e.words[len(e.words)-1]] = append(byLast[e.words[len(e.words)-1]], i)
			byFirst[e.words[0]] = append(byFirst[e.words[0]], i)
			for _, w := range e.words[1 : len(e.words)-1] {
				if !joiners[w] && len(w) > 2 {
					byMid[w] = append(byMid[w], i)
				}
			}
		}
		if learned && mtyp(e) == TypeOrg && !joiners[e.words[0]] {
			byOrgFirst[e.words[0]] = append(byOrgFirst[e.words[0]], i)
			if w := e.words[len(e.words)-1]; !corpSuffix[w] {
				byOrgLast[w] = append(byOrgLast[w], i)
			}
		}
		if corpSuffix[e.words[len(e.words)-1]] {
			stem := strings.Join(e.words[:len(e.words)-1], " ")
			if _, dup := byStem[stem]; dup {
				byStem[stem] = -1
			} else {
				byStem[stem] = i
			}
		}
	}
	for _, i := range order {
		s := d.ents[i]
		// A lone word typed org by its suffix may still be the short form
		// of a longer org: "Rovers" of "Harlow Rovers".
		suffixOrg := learned && s.typ == TypeOrg && len(s.words) == 1 && !orgs[s.key]
		if s.typ != "" && !suffixOrg || len(s.words) > 3 {
			continue
		}
		var cands []int
		add := func(c int) {
			r := int(d.root(int32(c)))
			if r == i {
				return
			}
			for _, x := range cands {
				if x == r {
					return
				}
			}
			cands = append(cands, r)
		}
		st := mtyp(s)
		if suffixOrg {
			// only the org-last rule below
		} else if c, ok := byStem[s.key]; ok && c >= 0 {
			if st != TypePlace {
				add(c)
			}
		} else if learned || st != TypePlace && st != TypeOrg {
			// The classifier's type of a lone surname is weaker evidence
			// than its ending a person's full name in the same article.
			for _, c := range byLast[s.words[len(s.words)-1]] {
				l := d.ents[c]
				if len(l.words) > len(s.words) && hasSuffix(l.words, s.words) {
					add(c)
				}
			}
			if len(cands) == 0 && len(s.words) == 1 {
				for _, c := range byFirst[s.words[0]] {
					add(c)
				}
			}
			if len(cands) == 0 && len(s.words) == 1 {
				for _, c := range byMid[s.words[0]] {
					add(c)
				}
			}
		}
		if len(cands) == 0 && len(s.words) == 1 && st == TypeOrg && !suffixOrg {
			// "Norvik" after "Norvik Steel".
			for _, c := range byOrgFirst[s.words[0]] {
				add(c)
			}
		}
		if len(cands) == 0 && len(s.words) == 1 && (st == TypeOrg || st == "") {
			// "Rovers" after "Harlow Rovers".
			for _, c := range byOrgLast[s.words[0]] {
				add(c)
			}
		}
		if len(cands) != 1 {
			continue
		}
		l := d.ents[cands[0]]
		s.into = cands[0]
		l.count += s.count
		for v := range s.votes {
			l.votes[v] += s.votes[v]
			l.strong[v] += s.strong[v]
		}
		for c := range s.scores {
			l.scores[c] += s.scores[c]
		}
		if s.first < l.first {
			l.first = s.first
		}
	}
	for _, e := range d.ents {
		if e.into >= 0 {
			continue
		}
		if learned {
			e.typ = learnedType(e)
			if strings.HasPrefix(d.lang, "de") && len(e.words) == 1 {
				// The classifier learned English, and German capitalizes
				// every noun: a word alone is typed by the rules.
				e.typ = intrinsicType(e)
				if e.typ == "" && voteType(e.votes) != TypeMisc {
					e.typ = voteType(e.votes)
				}
			}
		}
		if e.typ == "" && (e.tentative == e.count || learned && e.amb == e.count && len(e.words) == 1) {
			// Only ever at a sentence start and no known type: "Witnesses
			// said", "Dealers said".
			e.dropped = true
			continue
		}
		if e.tentative == e.count && e.typ == "" {
			e.dropped = true
			continue
		}
		if e.typ == "" {
			e.typ = voteType(e.votes)
			if learned {
				e.typ = TypeMisc
			}
		}
		best := 0
		for i, vr := range e.variants {
			if vr.n > e.variants[best].n || vr.n == e.variants[best].n && isAllUpper(e.variants[best].text) && !isAllUpper(vr.text) {
				best = i
			}
		}
		e.text = e.variants[best].text
	}
}

func isAllUpper(s string) bool {
	letter := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			letter = true
		}
	}
	return letter
}

// voteType decides a type from context votes.
func voteType(v [3]int) string {
	switch {
	case v[vOrg] > 0 && v[vOrg] >= v[vPerson] && v[vOrg] >= v[vPlace]:
		return TypeOrg
	case v[vPerson] >= 2 && v[vPerson] >= v[vPlace]:
		return TypePerson
	case v[vPlace] > v[vPerson]:
		return TypePlace
	}
	return TypeMisc
}

func hasSuffix(long, short []string) bool {
	off := len(long) - len(short)
	for i, w := range short {
		if long[off+i] != w {
			return false
		}
	}
	return true
}

// entityList returns the entities in their final order: by count, then
// by first mention.
func (d *doc) entityList() []article.Entity {
	d.quoteList() // speakers of quotes are persons
	var idx []*entity
	for _, e := range d.ents {
		if e.into >= 0 || e.dropped {
			continue
		}
		if strings.HasPrefix(d.lang, "de") && e.typ == TypeMisc && len(e.words) == 1 {
			continue // German capitalizes every noun
		}
		idx = append(idx, e)
	}
	sort.SliceStable(idx, func(i, j int) bool {
		if idx[i].count != idx[j].count {
			return idx[i].count > idx[j].count
		}
		return idx[i].first < idx[j].first
	})
	if len(idx) == 0 {
		return nil
	}
	pos := make(map[*entity]int, len(idx))
	out := make([]article.Entity, len(idx))
	for i, e := range idx {
		pos[e] = i
		out[i] = article.Entity{Key: e.canonicalKey(), Text: e.text, Type: e.typ, Count: e.count}
	}
	for _, m := range d.mentions {
		if m.ent < 0 {
			continue
		}
		i, ok := pos[d.ents[d.root(m.ent)]]
		if !ok {
			continue
		}
		out[i].Mentions = append(out[i].Mentions, d.span(int(m.para), m.s, m.e))
	}
	return out
}

// CanonicalKey is the cross-article key of an entity of type typ whose
// canonical name is name: the type, a colon, and the name folded to lower
// case without diacritics, words joined by hyphens ("person:kim-jong-un").
func CanonicalKey(typ, name string) string {
	var buf [64]byte
	k := append(buf[:0], typ...)
	k = append(k, ':')
	k = appendKey(k, name)
	for i := len(typ) + 1; i < len(k); i++ {
		if k[i] == ' ' {
			k[i] = '-'
		}
	}
	return string(k)
}

// countTitle adds the mentions in a headline of entities already found in
// the body. Headlines are often in title case, so they are matched
// against known names only, never mined for new ones.
func (d *doc) countTitle(title string) {
	if strings.TrimSpace(title) == "" || len(d.ents) == 0 {
		return
	}
	byKey := make(map[string]int32, len(d.ents))
	for i, e := range d.ents {
		byKey[e.key] = int32(i)
	}
	var z tokenizer
	toks := z.appendTokens(nil, title)
	for i := 0; i < len(toks); {
		if toks[i].kind != kWord || toks[i].flags&fCap == 0 {
			i++
			continue
		}
		matched := 0
		var ent int32 = -1
		for l := 1; l <= 5 && i+l <= len(toks); l++ {
			last := toks[i+l-1]
			if last.kind != kWord {
				break
			}
			if e, ok := byKey[entityKey(title[toks[i].s:last.e])]; ok {
				matched, ent = l, e
			}
			if last.flags&fPoss != 0 {
				break
			}
		}
		if matched == 0 {
			i++
			continue
		}
		if r := d.ents[d.root(ent)]; !r.dropped {
			r.count++
		}
		i += matched
	}
}
