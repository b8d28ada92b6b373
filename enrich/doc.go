package enrich

import (
	"sync"

	"github.com/newsdesk/newsdesk/article"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// doc is one document prepared for analysis: its paragraphs, their tokens
// and the evidence gathered over the whole text. The three passes
// (entities, quotes, times) share it.
type doc struct {
	paras  []string
	toks   []tok
	pstart []int32 // tokens of paragraph i are toks[pstart[i]:pstart[i+1]]
	// lower holds every all-lower-case word of the text; midCap counts the
	// capitalized words seen where capitalization is informative.
	lower  map[string]bool
	midCap map[string]int
	lang   string
	buf    [24]byte
	kbuf   []byte

	// Code-point start of each paragraph in the joined text, and whether
	// it is all ASCII (see cp).
	cpStart []int
	cpASCII []bool

	// Filled by the entity pass.
	mentions  []mention
	ents      []*entity
	byKey     map[string]int32
	rejected  map[string]bool
	mstart    []int32 // mention starting at a token, or -1
	mend      []int32 // mention ending at a token, or -1
	entDone   bool
	feats     []uint32       // scratch for the mention classifier
	train     bool           // collect cands (NERCandidates)
	cands     []NERCandidate // candidate spans with their features
	segN      int            // segments seen (NERCandidate.Seg)
	pcase     []uint8        // paragraph case classes (paraCase), 0xff until computed
	wkeys     []byte         // scratch: the keys of a segment's words (addMention)
	entSlab   []entity       // entities are allocated from it (never grown in place: ents point into it)
	wordArena []string       // backing of entity words (splitKeyWords)
	holderTok int32          // first token of a name after "<titled person> of" (processRun), or -1

	// Filled by the quote pass.
	spans      []qspan
	quotes     []article.Quote
	quotesDone bool
	genders    []byte // per entity, 'm', 'f' or 0 (see gender)
}

// docPool recycles docs: their token slices, maps and arenas are most
// of what enriching an article allocates. Nothing a doc returns (the
// article's entities, quotes and times) points into these buffers.
var docPool = sync.Pool{New: func() any { return new(doc) }}

// maxPooledToks keeps a doc that read a huge text out of the pool, so
// that one such text does not pin its buffers for good.
const maxPooledToks = 1 << 16

// release returns d to the pool; d must not be used afterwards.
func (d *doc) release() {
	if cap(d.toks) > maxPooledToks {
		return
	}
	docPool.Put(d)
}

func newDoc(paras []string, lang string) *doc {
	old := docPool.Get().(*doc)
	// Keep the buffers, zero the rest; strings of the previous text are
	// dropped with the slices' lengths (entSlab and wordArena are
	// overwritten before they are read).
	d := old
	*d = doc{
		paras: paras, lang: lang,
		toks: old.toks[:0], pstart: old.pstart[:0], kbuf: old.kbuf[:0],
		lower: old.lower, midCap: old.midCap, byKey: old.byKey, rejected: old.rejected,
		mstart: old.mstart[:0], mend: old.mend[:0], mentions: old.mentions[:0], ents: old.ents[:0],
		feats: old.feats[:0], wkeys: old.wkeys[:0], entSlab: old.entSlab[:0], wordArena: old.wordArena[:0],
		spans: old.spans[:0],
	}
	total := 0
	for _, p := range paras {
		total += len(p)
	}
	if d.lower == nil {
		d.lower = make(map[string]bool)
		d.midCap = make(map[string]int, total/200+8)
		d.byKey = make(map[string]int32)
		d.rejected = make(map[string]bool)
	} else {
		clear(d.lower)
		clear(d.midCap)
		clear(d.byKey)
		clear(d.rejected)
	}
	if n := tokenEstimate(paras); cap(d.toks) < n {
		d.toks = make([]tok, 0, n)
	}
	// Words capitalized at sentence starts are checked against the lower-case
	// words of the text. Only those candidates are kept: a table of
	// (first byte, length) pairs screens the lower-case words cheaply.
	var sig [256]uint32
	cand := make(map[string]bool)
	var z tokenizer
	for _, p := range paras {
		d.pstart = append(d.pstart, int32(len(d.toks)))
		start := len(d.toks)
		d.toks = z.appendTokens(d.toks, p)
		for k := start; k < len(d.toks); k++ {
			t := &d.toks[k]
			if t.kind != kWord || t.flags&fCap == 0 {
				continue
			}
			w := p[t.s:t.e]
			if t.flags&fAmbig == 0 {
				// Count a word only where it starts a name: "Council" in
				// "Ostrava County Council" says nothing about "Council" alone.
				if k == start || d.toks[k-1].kind != kWord || d.toks[k-1].flags&fCap == 0 || d.toks[k-1].flags&fPoss != 0 {
					d.midCap[w]++
				}
			} else if t.flags&fASCII != 0 && len(w) < 32 {
				b, _ := lowerASCII(d.buf[:], w)
				if b != nil && !cand[string(b)] {
					cand[string(b)] = true
					sig[b[0]] |= 1 << len(b)
				}
			}
		}
	}
	d.pstart = append(d.pstart, int32(len(d.toks)))
	if len(cand) > 0 {
		for pi, p := range paras {
			for k := d.pstart[pi]; k < d.pstart[pi+1]; k++ {
				t := &d.toks[k]
				if t.flags&fLower == 0 || t.kind != kWord {
					continue
				}
				n := t.e - t.s
				if n >= 32 || sig[p[t.s]]&(1<<n) == 0 {
					continue
				}
				if w := p[t.s:t.e]; cand[w] {
					d.lower[w] = true
				}
			}
		}
	}
	return d
}

// lowIn reports whether word w is, ignoring case, in m.
func (d *doc) lowIn(w string, m map[string]bool) bool {
	if b, ok := lowerASCII(d.buf[:], w); ok {
		return m[string(b)]
	}
	if len(w) > 40 {
		return false
	}
	return m[string(d.k(w))]
}

// paraOf returns the paragraph holding token k.
func (d *doc) paraOf(k int32) int {
	lo, hi := 0, len(d.pstart)-2
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.pstart[mid] <= k {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// entityKey folds a name to the form under which variants are merged:
// lower case, diacritics removed, hyphens and white space as one space,
// periods and apostrophes dropped. "Kim Jong-un" and "Kim Jong Un" share
// the key "kim jong un"; "U.S." and "US" share "us".
func entityKey(s string) string { return string(appendKey(nil, s)) }

// k returns the key of s in a buffer that the next call reuses; use it
// for map look-ups (m[string(b)] does not allocate).
func (d *doc) k(s string) []byte {
	d.kbuf = appendKey(d.kbuf[:0], s)
	return d.kbuf
}

// appendKey appends the key form of s to b. Non-ASCII runes are
// decomposed one at a time (NFD), so that diacritics drop without
// normalizing a copy of the whole string.
func appendKey(b []byte, s string) []byte {
	k := keyWriter{b: b, start: len(b)}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			k.rune(rune(c))
			i++
			continue
		}
		p := norm.NFD.PropertiesString(s[i:])
		size := p.Size()
		if size == 0 {
			_, size = utf8.DecodeRuneInString(s[i:])
		}
		if dec := p.Decomposition(); dec != nil {
			for j := 0; j < len(dec); {
				r, n := utf8.DecodeRune(dec[j:])
				k.rune(r)
				j += n
			}
		} else {
			r, _ := utf8.DecodeRuneInString(s[i:])
			k.rune(r)
		}
		i += size
	}
	return k.b
}

// keyWriter appends runes in key form (see appendKey).
type keyWriter struct {
	b     []byte
	start int
	space bool
}

func (k *keyWriter) rune(r rune) {
	switch {
	case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
	case r >= 'A' && r <= 'Z':
		r += 'a' - 'A'
	case r == '.' || r == '\'' || r == '\u2019' || unicode.Is(unicode.Mn, r):
		return
	case r == '-' || r == ' ' || r == '\u2010' || r == '\u2011' || unicode.IsSpace(r):
		k.space = len(k.b) > k.start
		return
	case r == '&':
	default:
		if f, ok := foldSpecial[r]; ok {
			if k.space {
				k.b = append(k.b, ' ')
				k.space = false
			}
			k.b = append(k.b, f...)
			return
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return
		}
		r = unicode.ToLower(r)
	}
	if k.space {
		k.b = append(k.b, ' ')
		k.space = false
	}
	if r < utf8.RuneSelf {
		k.b = append(k.b, byte(r))
	} else {
		k.b = utf8.AppendRune(k.b, r)
	}
}

var foldSpecial = map[rune]string{
	'ß': "ss", 'đ': "d", 'Đ': "d", 'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'æ': "ae", 'Æ': "ae",
	'œ': "oe", 'Œ': "oe", 'ı': "i", 'þ': "th", 'ð': "d",
}

// tokenEstimate returns about how many tokens paras hold, a little over
// as a rule, so that the token slice is allocated once at about its size:
// for a huge article it is the largest thing enrich allocates (20 bytes a
// token), and a guess of a third of the bytes made it twice what a news
// text needs. It counts ASCII punctuation and the starts of words; a
// non-ASCII punctuation mark before a word counts once for the two.
func tokenEstimate(paras []string) int {
	n, total := 8, 0
	for _, p := range paras {
		total += len(p)
		inWord := false
		for i := 0; i < len(p); i++ {
			c := p[i]
			switch {
			case c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
				if !inWord {
					n++
					inWord = true
				}
			case c == ' ' || c == '\n' || c == '\t' || c == '\r':
				inWord = false
			default:
				n++
				inWord = false
			}
		}
	}
	return min(n+n/8, total/3+8)
}
