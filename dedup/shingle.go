package dedup

import (
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/article"
)

// Default shingling parameters; see DESIGN.md for why.
const (
	// DefaultShingleWords is the number of consecutive words in a shingle.
	DefaultShingleWords = 4
	// DefaultMinParaWords is the length below which a paragraph is treated as
	// a header, byline, dateline or call to action and left out of the
	// fingerprint, unless the long paragraphs hold too little text.
	DefaultMinParaWords = 8
	// minBodyWords is the number of words the long paragraphs must hold for
	// the short ones to be dropped.
	minBodyWords = 40
	// fnvOffset and fnvPrime are the 64-bit FNV-1a constants.
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// Shingler turns text into the set of hashed word shingles that fingerprints
// it. Text is folded the way article.NormalizeText folds it (case, quote
// characters, white space) and split into words: runs of letters, digits and
// marks, with each Han, Hiragana or Katakana character a word of its own.
// Shingles never cross a paragraph boundary, so swapping two paragraphs
// changes nothing; a paragraph at least half of whose shingles were already
// seen in the text (a doubled paragraph, possibly lightly edited) is dropped;
// and short paragraphs (headers, bylines, "Read more" lines) are dropped when
// the long ones hold enough text.
//
// A Shingler reuses its buffers between calls and allocates nothing per
// shingle. It is not safe for concurrent use; use one per goroutine.
type Shingler struct {
	// K is the number of words per shingle (DefaultShingleWords when <= 0).
	K int
	// MinParaWords is the short-paragraph limit (DefaultMinParaWords when 0;
	// negative keeps every paragraph).
	MinParaWords int

	words []uint64 // word hashes of the current paragraph
	para  []uint64 // shingle hashes of the current paragraph
	short []uint64 // unique shingles of short paragraphs, kept aside
	out   []uint64 // unique shingles of kept long paragraphs
	seen  hashSet
	long  int // words in kept long paragraphs
}

func (s *Shingler) k() int {
	if s.K <= 0 {
		return DefaultShingleWords
	}
	return s.K
}

func (s *Shingler) minWords() int {
	switch {
	case s.MinParaWords == 0:
		return DefaultMinParaWords
	case s.MinParaWords < 0:
		return 0
	}
	return s.MinParaWords
}

func (s *Shingler) reset() {
	s.words = s.words[:0]
	s.para = s.para[:0]
	s.short = s.short[:0]
	s.out = s.out[:0]
	s.long = 0
	s.seen.reset()
}

// Text returns the unique shingle hashes of text, whose paragraphs are
// separated by blank lines. The slice is owned by s and valid until the next
// call.
func (s *Shingler) Text(text string) []uint64 {
	s.reset()
	s.scan(text)
	return s.finish()
}

// Paragraphs returns the unique shingle hashes of the given paragraphs. The
// slice is owned by s and valid until the next call.
func (s *Shingler) Paragraphs(paras []string) []uint64 {
	s.reset()
	for _, p := range paras {
		s.scan(p)
	}
	return s.finish()
}

// Article returns the unique shingle hashes of a's body: its paragraphs, or
// its Text when it has none. The title is left out, since syndicated copies
// often carry a new headline.
func (s *Shingler) Article(a *article.Article) []uint64 {
	if len(a.Paragraphs) > 0 {
		return s.Paragraphs(a.Paragraphs)
	}
	return s.Text(a.Text)
}

func (s *Shingler) finish() []uint64 {
	if s.long < minBodyWords {
		// Too little long text: the short paragraphs are the article.
		for _, h := range s.short {
			if s.seen.add(h) {
				s.out = append(s.out, h)
			}
		}
	}
	return s.out
}

// scan splits text into paragraphs at blank lines and feeds each one's words
// to endPara.
func (s *Shingler) scan(text string) {
	s.words = s.words[:0]
	h := uint64(fnvOffset)
	inWord := false
	newlines := 0    // consecutive line breaks, white space between them
	pending := false // a blank line was seen since the last word
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			if l := asciiFold[c]; l != 0 {
				if !inWord {
					if pending {
						s.endPara()
						pending = false
					}
					newlines = 0
					h = fnvOffset
					inWord = true
				}
				h = (h ^ uint64(l)) * fnvPrime
				continue
			}
			if inWord {
				s.words = append(s.words, h)
				inWord = false
			}
			if c == '\n' {
				newlines++
				pending = pending || newlines >= 2
			} else if asciiSpace[c] == 0 {
				newlines = 0
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		r = article.FoldQuote(r)
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			if inWord {
				s.words = append(s.words, h)
				inWord = false
			}
			if pending {
				s.endPara()
				pending = false
			}
			newlines = 0
			s.words = append(s.words, (fnvOffset^uint64(r))*fnvPrime)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if !inWord && pending {
				s.endPara()
				pending = false
			}
			newlines = 0
			if !inWord {
				h = fnvOffset
				inWord = true
			}
			h = (h ^ uint64(unicode.ToLower(r))) * fnvPrime
		default:
			if inWord {
				s.words = append(s.words, h)
				inWord = false
			}
			switch {
			case r == '\u2028' || r == '\u2029':
				pending = true
			case r == '\u0085':
				newlines++
				pending = pending || newlines >= 2
			case !unicode.IsSpace(r):
				newlines = 0
			}
		}
	}
	if inWord {
		s.words = append(s.words, h)
	}
	s.endPara()
}

// asciiFold maps an ASCII letter or digit to its lower case and anything
// else to 0; asciiSpace marks ASCII white space.
var asciiFold, asciiSpace = func() (f, sp [utf8.RuneSelf]byte) {
	for c := 0; c < utf8.RuneSelf; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			f[c] = byte(c)
		case c >= 'A' && c <= 'Z':
			f[c] = byte(c) + 'a' - 'A'
		}
	}
	for _, c := range " \t\n\r\f\v" {
		sp[c] = 1
	}
	return f, sp
}()

// endPara turns the pending words into shingles and keeps or drops them.
func (s *Shingler) endPara() {
	w := s.words
	s.words = s.words[:0]
	if len(w) == 0 {
		return
	}
	k := s.k()
	s.para = s.para[:0]
	if len(w) < k {
		s.para = append(s.para, shingleHash(w))
	} else {
		for i := 0; i+k <= len(w); i++ {
			s.para = append(s.para, shingleHash(w[i:i+k]))
		}
	}
	if len(w) < s.minWords() {
		s.short = append(s.short, s.para...)
		return
	}
	old := 0
	for _, h := range s.para {
		if s.seen.has(h) {
			old++
		}
	}
	if 2*old >= len(s.para) {
		return // a doubled paragraph
	}
	s.long += len(w)
	for _, h := range s.para {
		if s.seen.add(h) {
			s.out = append(s.out, h)
		}
	}
}

// shingleHash combines word hashes, in order, into one well-mixed hash.
func shingleHash(w []uint64) uint64 {
	h := uint64(len(w))
	for _, x := range w {
		h = (h^x)*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
		h ^= h >> 29
	}
	return mix64(h)
}

// mix64 is the SplitMix64 finalizer.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hashSet is an open-addressing set of uint64 hashes, reused across
// documents without reallocation.
type hashSet struct {
	slots []uint64 // 0 means empty; a hash h is stored as key(h)
	n     int
	mask  uint64
}

// key maps h to a non-zero slot value. Two hashes differing only in the low
// bit collide here; at 2^-63 odds per pair that is harmless.
func key(h uint64) uint64 { return h | 1 }

func (t *hashSet) reset() {
	if t.n > 0 {
		clear(t.slots)
		t.n = 0
	}
}

func (t *hashSet) has(h uint64) bool {
	if t.slots == nil {
		return false
	}
	k := key(h)
	for i := k & t.mask; ; i = (i + 1) & t.mask {
		switch t.slots[i] {
		case k:
			return true
		case 0:
			return false
		}
	}
}

// add inserts h and reports whether it was new.
func (t *hashSet) add(h uint64) bool {
	if 4*(t.n+1) > 3*len(t.slots) {
		t.grow()
	}
	k := key(h)
	for i := k & t.mask; ; i = (i + 1) & t.mask {
		switch t.slots[i] {
		case k:
			return false
		case 0:
			t.slots[i] = k
			t.n++
			return true
		}
	}
}

func (t *hashSet) grow() {
	old := t.slots
	size := 2 * len(old)
	if size < 1024 {
		size = 1024
	}
	t.slots = make([]uint64, size)
	t.mask = uint64(size - 1)
	t.n = 0
	for _, k := range old {
		if k != 0 {
			for i := k & t.mask; ; i = (i + 1) & t.mask {
				if t.slots[i] == 0 {
					t.slots[i] = k
					t.n++
					break
				}
			}
		}
	}
}
