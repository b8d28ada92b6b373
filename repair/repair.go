// Package repair turns raw scraped plain text into a clean article.Article.
//
// Scrapers and syndication feeds damage text in a few recurring ways: every
// paragraph doubled, the whole body repeated, hard-wrapped lines, ad slots,
// calls to action, "Read more:" links and copyright lines. Text decodes the
// input (UTF-8, UTF-16 or a legacy single-byte encoding), splits and re-flows
// paragraphs, detects the headline and the publisher, and removes repeats and
// boilerplate with general rules. Nothing is lost: every removed paragraph is
// listed in Article.Removed with its reason and position, and the raw input's
// hash is kept, so a repair can always be re-run after a rule changes.
//
// When in doubt a paragraph is kept: deleting real content is the worst error
// since a reader cannot see what is missing.
package repair

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/langid"
)

// Errors returned for inputs that hold no usable article. They are wrapped
// with the input name, so test with errors.Is.
var (
	ErrEmpty     = errors.New("empty input")
	ErrBinary    = errors.New("binary input, not text")
	ErrTooLarge  = errors.New("input exceeds size limit")
	ErrNoArticle = errors.New("no article found")
)

// DefaultMaxBytes is the default input size limit.
const DefaultMaxBytes = 64 << 20

// Options control a repair.
type Options struct {
	Name     string // input name, used in errors and Input.Name
	MaxBytes int64  // 0 means DefaultMaxBytes
	// NoTitle tells Text that the input has no headline line, so the first
	// paragraph is body text.
	NoTitle bool
	// Markup tells Clean that the paragraphs are elements of a page rather
	// than lines of a scrape: a page repeats what its author repeated (a
	// refrain, a recurring sentence), so only a short line straight after
	// its copy (a gallery's title on every slide) and a second copy of the
	// whole body, rendering artifacts, are removed as repeats.
	Markup bool
	// Batch, when set, holds paragraph counts across a batch of inputs;
	// short lines seen in many of them are removed as boilerplate:batch.
	Batch *Batch
}

// Text repairs a whole plain-text input into an article.
func Text(raw []byte, opts Options) (*article.Article, error) {
	name := opts.Name
	if name == "" {
		name = "-"
	}
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	if int64(len(raw)) > limit {
		return nil, fmt.Errorf("repair: %s: %w (%d bytes > %d)", name, ErrTooLarge, len(raw), limit)
	}
	text, enc, err := Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("repair: %s: %w", name, err)
	}
	segs := splitParagraphs(text)
	r := cleanSegments(segs, opts, !opts.NoTitle)
	if len(r.kept) == 0 {
		return nil, fmt.Errorf("repair: %s: %w", name, ErrNoArticle)
	}
	sum := sha256.Sum256(raw)
	a := &article.Article{
		Title:      r.title,
		Source:     article.Source{Name: r.publisher},
		Authors:    r.authors,
		Language:   langid.Detect(r.kept),
		Paragraphs: r.kept,
		Removed:    r.removed,
		Input: article.Input{
			Name:     name,
			SHA256:   hex.EncodeToString(sum[:]),
			Bytes:    int64(len(raw)),
			Format:   "text",
			Encoding: enc,
		},
	}
	a.Finalize()
	return a, nil
}

// Clean removes repeated paragraphs and boilerplate from paras, keeping the
// first copy of each paragraph in place. It returns the kept paragraphs and
// every removed one with its reason; Removed.Index is the position in paras.
// It does not look for a headline: paras are all body candidates.
func Clean(paras []string, opts Options) ([]string, []article.Removed) {
	segs := make([]segment, 0, len(paras))
	for _, p := range paras {
		segs = append(segs, segment{text: normalizeSpace(p), offset: -1})
	}
	r := cleanSegments(segs, opts, false)
	return r.kept, r.removed
}

// Publisher returns the publisher named by a call-to-action or copyright
// line such as "Want more stories like this from the Daily Mail?", or "".
func Publisher(line string) string { return publisherIn(line) }

type result struct {
	title     string
	publisher string
	authors   []string
	kept      []string
	removed   []article.Removed
}

// cleanSegments is the heart of the repair: classify each segment as title,
// boilerplate, repeat or content.
func cleanSegments(segs []segment, opts Options, findTitle bool) result {
	var r result
	n := len(segs)
	// First pass: boilerplate and keys, so that repeats can be judged with
	// knowledge of the whole input.
	reasons := make([]article.Reason, n)
	keys := make([]key, n)
	nwords := make([]int, n)
	var words []string
	for i, s := range segs {
		// Boilerplate is short: only paragraphs of up to maxBoilerplateWords
		// are split into words and judged, which keeps long bodies cheap.
		k, nw := scanSegment(s.text)
		nwords[i] = min(nw, maxBoilerplateWords+1)
		if nwords[i] <= maxBoilerplateWords {
			if mayBeBoilerplate(s.text, nwords[i]) {
				words = lowerWords(s.text, words)
				reasons[i] = classify(s.text, words, i, n)
			}
			if reasons[i] == "" && opts.Batch != nil && opts.Batch.isBoilerplate(s.text, nwords[i]) {
				reasons[i] = article.ReasonBatch
			}
		}
		if reasons[i] == "" {
			keys[i] = k
		}
	}
	counts := occurrences(keys, reasons)
	bodyCopy := repeatedBody(keys, reasons)

	seen := make(map[key]int, n)        // key -> index in r.kept
	prevOfFirst := make(map[key]int, n) // key -> content segment before its first copy
	var titleKey key
	// A byline names the outlet that wrote the story; on a syndicated copy
	// the publisher's own lines name the outlet that carries it, so the
	// byline's outlet is only the fallback.
	bylineOutlet := ""
	prevContent := -1 // previous non-boilerplate segment
	for i, s := range segs {
		remove := func(reason article.Reason, of int) {
			rm := article.Removed{Text: s.text, Reason: reason, Index: i, Offset: s.offset}
			if of >= 0 {
				rm.Of = &of
			}
			r.removed = append(r.removed, rm)
		}
		if reason := reasons[i]; reason != "" {
			if r.publisher == "" && (reason == article.ReasonCTA || reason == article.ReasonCopyright) {
				r.publisher = publisherIn(s.text)
			}
			remove(reason, -1)
			continue
		}
		key := keys[i]
		prev := prevContent
		prevContent = i
		if key == 0 { // separators such as "___" or "* * *" are content...
			if prev >= 0 && keys[prev] == 0 && segs[prev].text == s.text {
				remove(article.ReasonDuplicate, len(r.kept)-1) // ...but not doubled ones
				continue
			}
			r.kept = append(r.kept, s.text)
			continue
		}
		if findTitle && r.title == "" && len(r.kept) == 0 {
			if looksLikeTitle(s.text, nwords[i]) && hasBodyAfter(keys, reasons, i) {
				r.title = s.text
				titleKey = key
				continue
			}
			findTitle = false
		}
		if len(r.kept) <= 1 && r.authors == nil && nwords[i] <= maxBylineWords {
			if authors, outlet := parseByline(s.text); authors != nil {
				r.authors = authors
				bylineOutlet = outlet
				remove(article.ReasonByline, -1)
				continue
			}
		}
		if key == titleKey && len(r.kept) == 0 {
			remove(article.ReasonTitle, -1)
			continue
		}
		if k, ok := seen[key]; ok && (bodyCopy[i] || opts.Markup && markupRepeat(i, prev, keys, nwords) ||
			!opts.Markup && isRepeat(i, prev, keys, counts, nwords, prevOfFirst[key])) {
			remove(reasonFor(s.text, r.kept[k]), k)
			continue
		}
		if _, ok := seen[key]; !ok {
			seen[key] = len(r.kept)
			prevOfFirst[key] = prev
		}
		r.kept = append(r.kept, s.text)
	}
	if r.publisher == "" {
		r.publisher = bylineOutlet
	}
	return r
}

// occurrences counts each key, counting a run of adjacent copies once: the
// number of places a paragraph stands in the input.
func occurrences(keys []key, reasons []article.Reason) map[key]int {
	counts := make(map[key]int, len(keys))
	var last key
	for i, k := range keys {
		if reasons[i] != "" {
			continue
		}
		if k != 0 && k != last {
			counts[k]++
		}
		last = k
	}
	return counts
}

// longRepeatWords is the length from which a paragraph seen again further on
// is taken for a scraping repeat on its own: authors do not write the same
// long paragraph twice, but listicles and recipes do repeat short lines.
const minRepeatWords = 8

// isRepeat decides whether segment i, whose key was seen before, is a
// scraping repeat. A copy straight after its original (ad slots aside) always
// is. A copy further on is one when it is long, the paragraph stands in
// exactly two places, and its context differs from the first copy's:
// listicles and recipes repeat short lines ("Buy now") and whole blocks of
// structure (the same item under the same heading), but authors do not write
// a long paragraph twice in different places. prevFirst is the content
// segment that preceded the first copy.
func isRepeat(i, prev int, keys []key, counts map[key]int, nwords []int, prevFirst int) bool {
	if prev >= 0 && keys[prev] == keys[i] {
		return true
	}
	if counts[keys[i]] != 2 || nwords[i] < minRepeatWords {
		return false
	}
	sameContext := prev >= 0 && prevFirst >= 0 && keys[prev] != 0 && keys[prev] == keys[prevFirst]
	return !sameContext
}

// markupRepeat is isRepeat for the paragraphs of a page (Options.Markup):
// only a short line straight after its copy is an artifact (a gallery's
// title on every slide); a page repeats what its author repeated.
func markupRepeat(i, prev int, keys []key, nwords []int) bool {
	return prev >= 0 && keys[prev] == keys[i] && nwords[i] < minRepeatWords
}

// repeatedBody marks the segments of a second copy of the body: a run of
// content paragraphs, in order, that repeats the run at the start of the
// body and is long enough (three paragraphs, a third of the body) not to be
// a coincidence of structure. Inside such a run, short paragraphs and
// paragraphs that also stand elsewhere are repeats too.
func repeatedBody(keys []key, reasons []article.Reason) []bool {
	out := make([]bool, len(keys))
	var content []int
	for i, k := range keys {
		if reasons[i] == "" && k != 0 && (len(content) == 0 || keys[content[len(content)-1]] != k) {
			content = append(content, i)
		}
	}
	// The body may start after a headline line, so try the first two paragraphs
	// as the start of the original.
	for start := 0; start < 2 && start < len(content); start++ {
		first := keys[content[start]]
		for m := start + 1; m < len(content); m++ {
			if keys[content[m]] != first {
				continue
			}
			run := 0
			for m+run < len(content) && start+run < m && keys[content[m+run]] == keys[content[start+run]] {
				run++
			}
			// A long run, or one that repeats everything before it.
			if run >= 3 && run*3 >= m-start || run >= 2 && run >= m-start {
				for t := 0; t < run; t++ {
					out[content[m+t]] = true
				}
				return out
			}
		}
	}
	return out
}

func reasonFor(text, kept string) article.Reason {
	if text == kept {
		return article.ReasonDuplicate
	}
	return article.ReasonNearDuplicate
}

// key identifies a paragraph up to typography: a 64-bit FNV-1a hash of its
// text with ASCII case, quote style and all white space folded away. 0 means the
// paragraph has no letters or digits. At 64 bits a collision between two
// paragraphs of one article is vanishingly unlikely.
type key uint64

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// dedupKey returns the key of s. Trailing periods and ellipses are ignored so
// that "All..." and "All" match.
func dedupKey(s string) key {
	k, _ := scanSegment(s)
	return k
}

// scanSegment computes, in one pass over s, its key (see dedupKey) and its
// word count: runs of letters, digits and marks, with an apostrophe inside a
// word. A run of Han or kana characters is one word here, unlike in
// article.CountWords: a headline of 40 Chinese characters is still short.
func scanSegment(s string) (key, int) {
	s = strings.TrimRight(strings.TrimRightFunc(s, isSpace), ".…")
	h := uint64(fnvOffset)
	alnum := false
	words, in := 0, false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			word := false
			switch {
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
				alnum, word = true, true
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
				alnum, word = true, true
			case c == ' ' || c == '\t' || c == '\v' || c == '\f':
				in = false
				continue
			case c == '`':
				c = '\''
			case c == '\'':
				word = in
			}
			if word && !in {
				words++
			}
			in = word
			h = (h ^ uint64(c)) * fnvPrime
			continue
		}
		if n := spaceLen(s, i); n > 0 {
			in = false
			i += n
			continue
		}
		if q, n := quoteAt(s, i); n > 0 {
			in = in && q == '\'' && s[i+1] == 0x80 && s[i+2] == 0x99 // ’ inside a word
			h = (h ^ uint64(q)) * fnvPrime
			i += n
			continue
		}
		// Other runes are hashed as their bytes: copies differ in
		// typography, not in the case of non-ASCII letters.
		n := min(runeLen(c), len(s)-i)
		if !alnum {
			r, _ := utf8.DecodeRuneInString(s[i:])
			alnum = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		word := multiByteWordChar(s, i)
		if word && !in {
			words++
		}
		in = word
		for _, b := range []byte(s[i : i+n]) {
			h = (h ^ uint64(b)) * fnvPrime
		}
		i += n
	}
	if !alnum {
		return 0, words
	}
	if h == 0 {
		h = 1
	}
	return key(h), words
}

// looksLikeTitle judges a first line: a headline is short and is not a run of
// sentences.
func looksLikeTitle(s string, nwords int) bool {
	return nwords > 0 && nwords <= 30 && utf8.RuneCountInString(s) <= 250
}

// hasBodyAfter reports whether a real paragraph follows segment i, so that a
// one-paragraph input is not emptied by taking its text as the headline.
func hasBodyAfter(keys []key, reasons []article.Reason, i int) bool {
	for j := i + 1; j < len(keys); j++ {
		if reasons[j] == "" && keys[j] != 0 && keys[j] != keys[i] {
			return true
		}
	}
	return false
}

// quoteAt folds a typographic quote at s[i] to its ASCII form and returns
// it with the quote's byte length, or 0, 0: ‘ ’ ‚ ‛ ′ ´ give ', and “ ” „ ‟ ″
// « » give ".
func quoteAt(s string, i int) (byte, int) {
	if i+1 >= len(s) {
		return 0, 0
	}
	switch s[i] {
	case 0xC2:
		switch s[i+1] {
		case 0xAB, 0xBB:
			return '"', 2
		case 0xB4:
			return '\'', 2
		}
	case 0xE2:
		if i+2 >= len(s) || s[i+1] != 0x80 {
			return 0, 0
		}
		switch b := s[i+2]; {
		case b >= 0x98 && b <= 0x9B || b == 0xB2:
			return '\'', 3
		case b >= 0x9C && b <= 0x9F || b == 0xB3:
			return '"', 3
		}
	}
	return 0, 0
}
