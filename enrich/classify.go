package enrich

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"math"
	"strings"
	"sync"
	"unicode/utf8"
)

// The mention classifier types the spans that the rule-based finder
// proposes. It is a linear model (multinomial logistic regression, see
// internal/tools/nertrain) over hashed features of the span (its words,
// their shapes and affixes, gazetteer and word-list hits) and of its
// context (the words around it and their form, the cues the finder saw: a
// title before it, a verb of saying next to it, a preposition of place).
// Classes are none (not a person, place or organisation), person, place
// and org. Every sub-span of a segment the finder proposes is scored, and
// the best non-overlapping set is kept (addMention). An entity's type is
// the class with the highest score summed over all its mentions, so a name
// is typed the same everywhere in an article (learnedType adds the word
// lists' and the rules' evidence). The weights (enrich/model/ner.bin) are
// loaded once; see enrich/model/LICENSE.md for their provenance.

// Classes of the mention classifier.
const (
	cNone = iota
	cPerson
	cPlace
	cOrg
	nClasses
)

var classType = [nClasses]string{cNone: "", cPerson: TypePerson, cPlace: TypePlace, cOrg: TypeOrg}

//go:embed model/ner.bin
var nerBin []byte

//go:embed model/gazetteer.txt
var gazetteerTxt string

// vocabTxt lists common lower-case words, one a line (see
// internal/tools/nertrain buildVocab).
//
//go:embed model/vocab.txt
var vocabTxt string

// Gazetteer bits in model/gazetteer.txt and the low four bits of
// nerModel.lex: 1 city, 2 country, 4 capital, 8 company (the features use
// them as a number).

type nerModel struct {
	gap     int32  // PickSpans' cost of a word left out after a kept span
	conf    int32  // a whole segment with this margin is kept without weighing its sub-spans
	buckets uint32 // a power of two
	w       []int16
	gaz     map[string]uint8
	// lex holds, for every key in a word list or the gazetteer, the
	// gazetteer bits (low four) and lx* flags, so that the features take
	// three look-ups instead of a dozen.
	lex map[string]uint32
}

// Word-list flags in nerModel.lex.
const (
	lxPlaces uint32 = 1 << (iota + 4)
	lxOrgs
	lxGiven
	lxGivenSSA
	lxFamily
	lxOrgSuf
	lxPlaceSuf
	lxCorpSuf
	lxOrgHead
	lxCommon
	lxDemonym
	lxVocab
	lxDemCompass // a nationality adjective or compass word
	lxRejectOne  // never a name alone: stop words, months, days, bare titles
)

var (
	modelOnce sync.Once
	model     *nerModel
)

func loadModel() *nerModel {
	modelOnce.Do(func() {
		m := &nerModel{gaz: make(map[string]uint8, 40000)}
		for line := range strings.Lines(gazetteerTxt) {
			line = strings.TrimRight(line, "\n")
			if i := strings.LastIndexByte(line, '\t'); i > 0 && i+1 < len(line) {
				m.gaz[line[:i]] |= line[i+1] - '0'
			}
		}
		m.lex = make(map[string]uint32, len(m.gaz)+8000)
		for k, g := range m.gaz {
			m.lex[k] = uint32(g)
		}
		for line := range strings.Lines(vocabTxt) {
			if w := strings.TrimSuffix(line, "\n"); w != "" {
				m.lex[w] |= lxVocab
			}
		}
		givenOnce.Do(loadGivenNames)
		for k := range givenMap {
			m.lex[k] |= lxGivenSSA
		}
		for _, l := range []struct {
			set  map[string]bool
			flag uint32
		}{
			{places, lxPlaces}, {orgs, lxOrgs}, {givenNames, lxGiven}, {familyFirst, lxFamily},
			{orgSuffix, lxOrgSuf}, {placeSuffix, lxPlaceSuf}, {corpSuffix, lxCorpSuf},
			{orgHead, lxOrgHead}, {common, lxCommon}, {demonyms, lxDemonym},
			{demonyms, lxDemCompass}, {compass, lxDemCompass}, {lowerStop, lxRejectOne}, {titlesCore, lxRejectOne},
		} {
			for k := range l.set {
				m.lex[k] |= l.flag
			}
		}
		for k, v := range monthNums {
			if v > 0 {
				m.lex[k] |= lxRejectOne
			}
		}
		for k := range dayNums {
			if len(k) > 3 {
				m.lex[k] |= lxRejectOne
			}
		}
		m.setWeights(nerBin)
		model = m
	})
	return model
}

// setWeights decodes weights written by EncodeModel (nothing when bin is
// not such weights).
func (m *nerModel) setWeights(bin []byte) bool {
	if len(bin) < 16 || !bytes.Equal(bin[:4], []byte("NER3")) {
		return false
	}
	nb := binary.LittleEndian.Uint32(bin[4:8])
	if nb == 0 || nb&(nb-1) != 0 || len(bin) != 16+int(nb)*nClasses*2 {
		return false
	}
	m.buckets = nb
	m.gap = int32(binary.LittleEndian.Uint32(bin[8:12]))
	m.conf = int32(binary.LittleEndian.Uint32(bin[12:16]))
	m.w = make([]int16, nb*nClasses)
	for i := range m.w {
		m.w[i] = int16(binary.LittleEndian.Uint16(bin[16+2*i:]))
	}
	return true
}

// UseModelWeights replaces the mention classifier's weights with bin (as
// EncodeModel writes them) for the rest of the process. It exists for the
// training program's cross-validation (internal/tools/nertrain -cv), which
// scores a held-out fold with the whole pipeline; it is not safe to call
// while other goroutines enrich.
func UseModelWeights(bin []byte) bool {
	m := loadModel()
	return m.setWeights(bin)
}

// Feature tags (the first byte hashed).
const (
	ftBias byte = iota + 1
	ftKey
	ftWord
	ftFirst
	ftLast
	ftSuf3
	ftSuf2
	ftPre3
	ftShape
	ftLen
	ftPrev
	ftPrev2
	ftNext
	ftNext2
	ftPrevBi
	ftFlag
	ftGaz
	ftLastShapePrev
	ftFirstSuf
	ftCtxShape
	ftParaCase
	ftShapeNext
	ftLenPrev
)

const (
	fnvOff   uint32 = 2166136261
	fnvPrime uint32 = 16777619
)

// fhash hashes tag and s, ASCII letters folded to lower case.
func fhash(tag byte, s string) uint32 {
	h := (fnvOff ^ uint32(tag)) * fnvPrime
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint32(c)) * fnvPrime
	}
	return h
}

func fhashB(tag byte, b []byte) uint32 {
	h := (fnvOff ^ uint32(tag)) * fnvPrime
	for _, c := range b {
		h = (h ^ uint32(c)) * fnvPrime
	}
	return h
}

// fmix combines a hash with a small value.
func fmix(h, v uint32) uint32 { return (h ^ (v + 0x9e3779b9)) * fnvPrime }

// wordShape returns a one-byte summary of a word's form.
func wordShape(w string, flags uint16, joiner bool) byte {
	switch {
	case joiner:
		return 'j'
	case flags&fInitial != 0:
		return 'I'
	case flags&fUpper != 0:
		if len(w) <= 3 {
			return 'A'
		}
		return 'X'
	case flags&fHyph != 0:
		return 'H'
	}
	for i := 0; i < len(w); i++ {
		if isDigitByte(w[i]) {
			return 'd'
		}
	}
	for i := 1; i < len(w); i++ {
		if w[i] >= 'A' && w[i] <= 'Z' {
			return 'M' // McDonald, iPhone
		}
	}
	if w[len(w)-1] == '.' {
		return '.'
	}
	return 'C'
}

// lastRunes returns the last n runes of w.
func lastRunes(w string, n int) string {
	i := len(w)
	for k := 0; k < n && i > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(w[:i])
		i -= size
	}
	return w[i:]
}

func firstRunes(w string, n int) string {
	i := 0
	for k := 0; k < n && i < len(w); k++ {
		_, size := utf8.DecodeRuneInString(w[i:])
		i += size
	}
	return w[:i]
}

// Mention cue flags passed to the features.
const (
	cuePerson uint32 = 1 << iota
	cuePlace
	cueAmb
	cueSpeechBefore
	cueSpeechAfter
	cuePoss
	cueInRunBefore // a sub-span: more of the segment comes before it
	cueInRunAfter  // more of the segment comes after it
)

// tokWord returns the text of token k of paragraph p for a context
// feature, or a placeholder past the paragraph's ends.
func (d *doc) tokWord(p string, pi int, k int32) string {
	if k < d.pstart[pi] {
		return "<s>"
	}
	if k >= d.pstart[pi+1] {
		return "</s>"
	}
	t := &d.toks[k]
	if t.kind == kNum {
		return "0"
	}
	return p[t.s:t.e]
}

// mentionFeatures returns the hashed features of the mention seg, whose
// key is kb, in d.feats (reused by the next call).
// lk is the key's entry in the model's lex table.
func (d *doc) mentionFeatures(pi int, seg []nameWord, kb []byte, lk uint32, cues uint32) []uint32 {
	p := d.paras[pi]
	if d.feats == nil {
		d.feats = make([]uint32, 0, 96) // about twice what a mention has
	}
	f := d.feats[:0]
	f = append(f, fhash(ftBias, ""))
	f = append(f, fhashB(ftKey, kb))
	nw := 0
	var shape [8]byte
	for i := range seg {
		w := seg[i]
		txt := p[w.s:w.e]
		if i < len(shape) {
			shape[i] = wordShape(txt, w.flags, w.joiner)
		}
		if w.joiner {
			continue
		}
		nw++
		if nw <= 5 {
			f = append(f, fhash(ftWord, strings.TrimSuffix(txt, ".")))
		}
	}
	n := min(len(seg), len(shape))
	f = append(f, fhashB(ftShape, shape[:n]))
	f = append(f, fmix(fhash(ftLen, ""), uint32(min(nw, 5))))
	firstW := p[seg[0].s:seg[0].e]
	lastW := strings.TrimSuffix(p[seg[len(seg)-1].s:seg[len(seg)-1].e], ".")
	f = append(f, fhash(ftFirst, firstW), fhash(ftLast, lastW))
	if utf8.RuneCountInString(lastW) >= 3 {
		f = append(f, fhash(ftSuf3, lastRunes(lastW, 3)), fhash(ftSuf2, lastRunes(lastW, 2)))
	}
	if utf8.RuneCountInString(firstW) > 3 {
		f = append(f, fhash(ftPre3, firstRunes(firstW, 3)), fhash(ftFirstSuf, lastRunes(firstW, 3)))
	}
	first, last := seg[0].ti, seg[len(seg)-1].ti
	prev := d.tokWord(p, pi, first-1)
	prev2 := d.tokWord(p, pi, first-2)
	next := d.tokWord(p, pi, last+1)
	if cues&cuePoss != 0 {
		next = "'s"
	}
	f = append(f, fhash(ftPrev, prev), fhash(ftPrev2, prev2), fhash(ftNext, next), fhash(ftNext2, d.tokWord(p, pi, last+2)))
	f = append(f, fmix(fhash(ftPrevBi, prev), fhash(0, prev2)))
	f = append(f, fmix(fmix(fhash(ftCtxShape, ""), uint32(d.ctxShape(pi, first-1))), uint32(d.ctxShape(pi, last+1))))
	f = append(f, fmix(fhash(ftParaCase, ""), uint32(d.paraCase(pi))))
	f = append(f, fmix(fhashB(ftShapeNext, shape[:n]), fhash(0, next)))
	f = append(f, fmix(fmix(fhash(ftLenPrev, prev), uint32(min(nw, 3))), uint32(cues&cueAmb)))
	f = append(f, fmix(fhashB(ftLastShapePrev, shape[:n]), fhash(0, prev)))
	for c := uint32(0); c < 8; c++ {
		if cues&(1<<c) != 0 {
			f = append(f, fmix(fhash(ftFlag, "cue"), c))
		}
	}
	// Word lists and gazetteers, looked up by the key and its first and
	// last words.
	w0, wl, multi := kb, kb, false
	if i := bytes.IndexByte(kb, ' '); i >= 0 {
		w0, wl, multi = kb[:i], kb[bytes.LastIndexByte(kb, ' ')+1:], true
	}
	flag := func(name string) { f = append(f, fhash(ftFlag, name)) }
	m := loadModel()
	l0, ll := lk, lk
	if multi {
		l0, ll = m.lex[string(w0)], m.lex[string(wl)]
	}
	for _, x := range [...]struct {
		bits uint32
		flag uint32
		name string
	}{
		{lk, lxPlaces, "places"}, {lk, lxOrgs, "orgs"}, {l0, lxGiven, "given"}, {l0, lxFamily, "family"},
		{ll, lxOrgSuf, "orgsuf"}, {ll, lxPlaceSuf, "placesuf"}, {ll, lxCorpSuf, "corpsuf"},
		{l0, lxOrgHead, "orghead"}, {lk, lxCommon, "common"}, {lk, lxDemonym, "demonym"},
	} {
		if x.bits&x.flag != 0 {
			flag(x.name)
		}
	}
	if l0&lxVocab != 0 {
		// A common word, capitalized: at a sentence start it is no
		// evidence of a name.
		f = append(f, fmix(fhash(ftFlag, "vocab0"), cues&cueAmb))
		if !multi {
			f = append(f, fmix(fhash(ftFlag, "vocab1"), uint32(d.ctxShape(pi, last+1))))
		}
	}
	if multi && ll&lxVocab != 0 {
		flag("vocabL")
	}
	if l0&lxGivenSSA != 0 {
		if !multi {
			flag("given1")
		} else {
			flag("givenN")
		}
	}
	if !multi && d.lower[string(kb)] {
		flag("lowerseen")
	}
	if d.midCap[firstW] > 0 {
		flag("midcap")
	}
	if multi && bytes.Contains(kb, []byte(" of ")) {
		flag("of")
	}
	f = append(f, fmix(fhash(ftGaz, ""), lk&15))
	if multi {
		f = append(f, fmix(fhash(ftGaz, "first"), l0&15))
		f = append(f, fmix(fhash(ftGaz, "last"), ll&15))
	}
	d.feats = f
	return f
}

// scoreFeatures adds the class scores of features f to s.
func scoreFeatures(f []uint32, s *[nClasses]int32) {
	m := loadModel()
	if m.buckets == 0 {
		return
	}
	mask := m.buckets - 1
	for _, h := range f {
		w := m.w[(h&mask)*nClasses : (h&mask)*nClasses+nClasses]
		for c := range nClasses {
			s[c] += int32(w[c])
		}
	}
}

// bestClass returns the class with the highest score (none on ties with
// it, else the lower class).
func bestClass(s [nClasses]int32) int {
	best := 0
	for c := 1; c < nClasses; c++ {
		if s[c] > s[best] {
			best = c
		}
	}
	return best
}

// NERCandidate is a span the entity finder proposed, with the hashed
// features the mention classifier sees. It exists for the training
// program (internal/tools/nertrain); Start and End are byte offsets in
// paragraph Para.
type NERCandidate struct {
	Para, Seg, Start, End int  // Seg numbers the finder's segments; sub-spans of one share it
	Keep                  bool // the whole segment, which enrich keeps without weighing its sub-spans
	I, J, N               int  // words [I,J) of the segment's N (N > MaxSub: not weighed)
	Features              []uint32
}

// NERCandidates returns the candidate spans of paragraphs with their
// features, in text order.
func NERCandidates(paragraphs []string) []NERCandidate {
	d := newDoc(paragraphs, "")
	d.train = true
	d.extractEntities()
	return d.cands
}

// ModelBuckets is the number of hash buckets of the shipped weights.
const ModelBuckets = 1 << 17

// EncodeModel serializes weights (ModelBuckets × 4 classes: none,
// person, place, org) quantized to int16 with the given scale, the
// PickSpans gap cost and the margin above which a whole segment is kept
// without weighing its sub-spans (both in the weights' units, scaled
// alike).
func EncodeModel(w []float64, scale, gap, conf float64) []byte {
	out := make([]byte, 16, 16+len(w)*2)
	copy(out, "NER3")
	binary.LittleEndian.PutUint32(out[4:], uint32(len(w)/nClasses))
	binary.LittleEndian.PutUint32(out[8:], uint32(int32(math.Round(gap*scale))))
	binary.LittleEndian.PutUint32(out[12:], uint32(int32(math.Round(min(conf*scale, math.MaxInt32)))))
	for _, x := range w {
		q := math.Round(x * scale)
		q = max(-32767, min(32767, q))
		out = binary.LittleEndian.AppendUint16(out, uint16(int16(q)))
	}
	return out
}

// MaxSub is the longest segment (in words) whose sub-spans are weighed.
const MaxSub = 8

// PickSpans chooses among the sub-spans [i,j) of a segment of n words
// (n <= MaxSub) whose margins (best type over none) are m[i][j] (ok[i][j]
// false: not a candidate) the non-overlapping set of spans with positive
// margins whose total is largest, where every word left out after the
// first kept span costs gap (words before it are free: "Dallas Criminal
// Attorney Peter Barrett", "Dear Linda"). It appends the spans in order
// to out, or nothing when no set scores above zero.
func PickSpans[T int32 | float64](n int, m *[MaxSub][MaxSub + 1]T, ok *[MaxSub][MaxSub + 1]bool, gap T, out [][2]int) [][2]int {
	var a [MaxSub + 1]T
	var has, chain [MaxSub + 1]bool
	var from [MaxSub + 1]int8
	for k := 1; k <= n; k++ {
		if has[k-1] {
			a[k], has[k], from[k] = a[k-1]-gap, true, -1
		}
		for i := 0; i < k; i++ {
			if !ok[i][k] || m[i][k] <= 0 {
				continue
			}
			prev, ch := T(0), false
			if has[i] && a[i] > 0 {
				prev, ch = a[i], true
			}
			if v := prev + m[i][k]; !has[k] || v > a[k] {
				a[k], has[k], from[k], chain[k] = v, true, int8(i), ch
			}
		}
	}
	if !has[n] || a[n] <= 0 {
		return out
	}
	start := len(out)
	for k := n; k > 0; {
		if from[k] < 0 {
			k--
			continue
		}
		i := int(from[k])
		out = append(out, [2]int{i, k})
		if !chain[k] {
			break
		}
		k = i
	}
	for l, r := start, len(out)-1; l < r; l, r = l+1, r-1 {
		out[l], out[r] = out[r], out[l]
	}
	return out
}

// spanCues packs the finder's cues about a span for the features.
func (d *doc) spanCues(pi int, seg []nameWord, personCue, placeCue, amb, speechBefore, speechAfter bool) uint32 {
	var cues uint32
	if personCue {
		cues |= cuePerson
	}
	if placeCue {
		cues |= cuePlace
	}
	if amb {
		cues |= cueAmb
	}
	if speechBefore {
		cues |= cueSpeechBefore
	}
	if speechAfter {
		cues |= cueSpeechAfter
	}
	last := seg[len(seg)-1]
	if last.flags&fPoss != 0 && last.e == d.toks[last.ti].e {
		cues |= cuePoss
	}
	return cues
}

const maxSub = MaxSub

// addMention records the mentions of one segment the finder proposed.
// Every sub-span of it is a candidate ("Dallas Criminal Attorney Peter
// Barrett" holds the person "Peter Barrett"; "Malaysian Yazid Sufaat" the
// person "Yazid Sufaat"): the classifier scores each, and the
// non-overlapping set with the largest total margin of a type over none
// is kept. When no sub-span has a positive margin the whole segment is
// kept, to be typed by the scores of all the name's mentions.
func (d *doc) addMention(pi int, seg []nameWord, personCue, placeCue, amb, speechBefore bool) {
	for len(seg) > 0 && seg[0].joiner {
		seg = seg[1:]
	}
	for len(seg) > 0 && seg[len(seg)-1].joiner {
		seg = seg[:len(seg)-1]
	}
	n := len(seg)
	if n == 0 {
		return
	}
	if (n == 1 || n > maxSub || loadModel().buckets == 0) && !d.train {
		d.addNameSpan(pi, seg, personCue, placeCue, amb, speechBefore, nil)
		return
	}
	p := d.paras[pi]
	last := seg[n-1]
	nextTok := last.ti + 1
	speechAfter := nextTok < d.pstart[pi+1] && last.flags&fPoss == 0 && last.e == d.toks[last.ti].e && d.isSpeechVerb(p, nextTok)
	// A segment the finder joined across a particle ("Luiz Inácio Lula da
	// Silva", "Bank of England") is kept whole.
	whole := false
	for k := 1; k+1 < n; k++ {
		if seg[k].joiner {
			whole = true
			break
		}
	}
	if whole && !d.train {
		d.addNameSpan(pi, seg, personCue, placeCue, amb, speechBefore, nil)
		return
	}
	var margin [maxSub][maxSub + 1]int32
	var valid [maxSub][maxSub + 1]bool
	var scores [maxSub][maxSub + 1][nClasses]int32
	d.segN++
	mdl := loadModel()
	// The keys of the words joined by spaces: a sub-span's key is a slice
	// of it (as appendKey of its text would give).
	kbuf := d.wkeys[:0]
	var ks, ke [maxSub]int
	sliced := true
	for w := 0; w < n && w < maxSub; w++ {
		if w > 0 {
			kbuf = append(kbuf, ' ')
		}
		ks[w] = len(kbuf)
		kbuf = appendKey(kbuf, p[seg[w].s:seg[w].e])
		ke[w] = len(kbuf)
		if ke[w] == ks[w] {
			sliced = false
		}
	}
	d.wkeys = kbuf
	cand := func(i, j int) {
		if seg[i].joiner || seg[j-1].joiner {
			return
		}
		sub := seg[i:j]
		var kb []byte
		if sliced {
			kb = kbuf[ks[i]:ke[j-1]]
		} else {
			kb = d.k(p[sub[0].s:sub[len(sub)-1].e])
		}
		if len(kb) == 0 {
			return
		}
		lk := mdl.lex[string(kb)]
		if mdl.rejectKeyB(kb, lk, sub[0].flags) {
			return
		}
		cues := d.spanCues(pi, sub, personCue && i == 0, placeCue && i == 0, amb && i == 0, speechBefore && i == 0, speechAfter && j == n)
		if i > 0 {
			cues |= cueInRunBefore
		}
		if j < n {
			cues |= cueInRunAfter
		}
		f := d.mentionFeatures(pi, sub, kb, lk, cues)
		if d.train {
			d.cands = append(d.cands, NERCandidate{Para: pi, Seg: d.segN, Start: int(sub[0].s), End: int(sub[len(sub)-1].e), Keep: whole && i == 0 && j == n, I: i, J: j, N: n, Features: append([]uint32(nil), f...)})
		}
		s := &scores[i][j]
		scoreFeatures(f, s)
		valid[i][j] = true
		margin[i][j] = max(s[cPerson], s[cPlace], s[cOrg]) - s[cNone]
	}
	if n <= maxSub {
		// The whole segment first: when it is typed with confidence its
		// sub-spans need no weighing.
		cand(0, n)
		if !d.train && valid[0][n] && margin[0][n] >= mdl.conf {
			d.addNameSpan(pi, seg, personCue, placeCue, amb, speechBefore, &scores[0][n])
			return
		}
	}
	for i := 0; i < n && i < maxSub; i++ {
		for j := i + 1; j <= n && j <= maxSub; j++ {
			if i > 0 || j < n {
				cand(i, j)
			}
		}
	}
	if n > maxSub || whole {
		d.addNameSpan(pi, seg, personCue, placeCue, amb, speechBefore, nil)
		return
	}
	var buf [MaxSub][2]int
	picks := PickSpans(n, &margin, &valid, mdl.gap, buf[:0])
	if len(picks) == 0 {
		var pre *[nClasses]int32
		if valid[0][n] {
			pre = &scores[0][n]
		}
		d.addNameSpan(pi, seg, personCue, placeCue, amb, speechBefore, pre)
		return
	}
	for _, p := range picks {
		i, j := p[0], p[1]
		d.addNameSpan(pi, seg[i:j], personCue && i == 0, placeCue && i == 0, amb && i == 0, speechBefore && i == 0, &scores[i][j])
	}
}

// learnedType is an entity's final type: the curated word lists decide
// organisations and names with a telling suffix ("U.S. Embassy", "Volga
// River"); a name in the place list is a place unless the classifier
// makes it an organisation (a football club named after its city); a
// particle inside a name makes a person; otherwise the classifier
// decides, and a name it calls none is still a person after a title or
// role noun ("General Secretary To Lam") or with a known given name
// first, and a place when mentioned more than once and after a
// preposition of place. "" means none of the three types.
func learnedType(e *entity) string {
	in := intrinsicType(e)
	if in == TypeOrg && len(e.words) == 1 && !orgs[e.key] {
		in = "" // an acronym: the classifier knows better
	}
	c := bestClass(e.scores)
	switch {
	case in == "" && e.strong[vOrg] > 0 && e.strong[vOrg] >= e.strong[vPlace]:
		return TypeOrg
	case in == "" && e.strong[vPlace] > 0 && c != cOrg:
		return TypePlace
	case in == TypePlace:
		if c == cOrg {
			return TypeOrg // a club named after its town: "Kestrel City"
		}
		return TypePlace
	case in != "":
		return in
	case hasParticle(e.words):
		return TypePerson
	case c == cNone && (e.votes[vPerson] >= 3 || personShaped(e.words)):
		// The rules' evidence: a title or role noun before the name, a
		// known given name opening it.
		return TypePerson
	case c == cNone && e.count >= 2 && voteType(e.votes) == TypePlace:
		// A name mentioned again, after a preposition of place ("in
		// Grimsby").
		return TypePlace
	}
	return classType[c]
}

// rejectKeyB is rejectKey (and the rule that a lone common word is no
// name unless written in capitals) on a key in a buffer, with the key's
// lex bits lk.
func (m *nerModel) rejectKeyB(kb []byte, lk uint32, flags uint16) bool {
	if lk&(lxPlaces|lxOrgs) != 0 {
		return false
	}
	if bytes.IndexByte(kb, ' ') < 0 {
		return lk&(lxDemCompass|lxRejectOne) != 0 || lk&lxCommon != 0 && flags&fUpper == 0
	}
	for w := range bytes.SplitSeq(kb, []byte(" ")) {
		if m.lex[string(w)]&lxDemCompass == 0 {
			return false
		}
	}
	return true
}

// personShaped reports whether a name of two or more words starts with a
// known given name or holds a particle of personal names ("Hendrik van
// der Molen", "Khalid bin Tariq").
func personShaped(words []string) bool {
	if len(words) < 2 || len(words) > 5 {
		return false
	}
	givenOnce.Do(loadGivenNames)
	if givenNames[words[0]] {
		return true
	}
	if _, ok := givenMap[words[0]]; ok {
		return true
	}
	return hasParticle(words)
}

// hasParticle reports whether a name holds a particle of personal names
// inside it (van, von, bin, ibn ...).
func hasParticle(words []string) bool {
	if len(words) < 3 {
		return false
	}
	for _, w := range words[1 : len(words)-1] {
		if personJoiners[w] {
			return true
		}
	}
	return false
}

// ctxShape is a small code for the form of token k next to a mention:
// 0 outside the paragraph, 1 lower-case word, 2 capitalized word, 3
// number, 4 sentence punctuation, 5 comma, 6 other punctuation.
func (d *doc) ctxShape(pi int, k int32) uint8 {
	if k < d.pstart[pi] || k >= d.pstart[pi+1] {
		return 0
	}
	t := &d.toks[k]
	switch t.kind {
	case kWord:
		if t.flags&fCap != 0 {
			return 2
		}
		return 1
	case kNum:
		return 3
	}
	switch t.r {
	case '.', '!', '?':
		return 4
	case ',':
		return 5
	}
	return 6
}

// paraCase classes paragraph pi by its words' case: 1 mostly lower case
// (capitals are informative), 2 many capitalized words (a heading, a
// list of names), 3 shouting (most words in capitals), 0 too short to
// tell. Computed once per paragraph.
func (d *doc) paraCase(pi int) uint8 {
	if d.pcase == nil {
		d.pcase = make([]uint8, len(d.paras))
		for i := range d.pcase {
			d.pcase[i] = 0xff
		}
	}
	if c := d.pcase[pi]; c != 0xff {
		return c
	}
	var words, caps, upper int
	for k := d.pstart[pi]; k < d.pstart[pi+1]; k++ {
		t := &d.toks[k]
		if t.kind != kWord {
			continue
		}
		words++
		if t.flags&fUpper != 0 {
			upper++
		} else if t.flags&fCap != 0 {
			caps++
		}
	}
	var c uint8
	switch {
	case words < 4:
		c = 0
	case upper*2 > words:
		c = 3
	case (caps+upper)*2 > words:
		c = 2
	default:
		c = 1
	}
	d.pcase[pi] = c
	return c
}
