// Package article defines the record that every newsdesk stage reads and writes.
//
// An Article is produced by the extract (HTML) or repair (plain text) stages,
// annotated by dedup and enrich, then stored and served. Stages share this one
// type and never call into one another. The JSON field names are a stable
// contract (see docs/record.md): fields may be added, never renamed.
package article

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Reason says why a segment was removed from the input. The set is small and
// documented in docs/record.md so that downstream tools can filter on it.
type Reason string

// Removal reasons.
const (
	ReasonDuplicate     Reason = "duplicate"           // an exact repeat of an earlier paragraph
	ReasonNearDuplicate Reason = "near-duplicate"      // a repeat differing only in quotes, spacing or wrapping
	ReasonAd            Reason = "boilerplate:ad"      // an advertisement slot
	ReasonCTA           Reason = "boilerplate:cta"     // follow/subscribe/newsletter/share/app call to action
	ReasonRelated       Reason = "boilerplate:related" // "Read more:", "RELATED:" links to other stories
	ReasonCopyright     Reason = "boilerplate:copyright"
	ReasonBatch         Reason = "boilerplate:batch" // a line repeated across many inputs of a batch
	ReasonNav           Reason = "boilerplate:nav"   // navigation, menus, share bars (HTML)
	ReasonEmpty         Reason = "empty"             // nothing but punctuation or whitespace
	ReasonByline        Reason = "byline"            // a "By ..." line, moved to Authors
	ReasonTitle         Reason = "title"             // a repeat of the headline inside the body
)

// Source names the publisher.
type Source struct {
	Name   string `json:"name,omitempty"`
	Domain string `json:"domain,omitempty"`
}

// Removed records one segment that a repair dropped, so that nothing is lost:
// Index is the segment's position among the input's paragraphs (0-based, in
// input order, after splitting), Offset its byte offset in the decoded input.
type Removed struct {
	Text   string `json:"text"`
	Reason Reason `json:"reason"`
	Index  int    `json:"index"`
	Offset int    `json:"offset"`
	// Of is the index of the kept paragraph this segment duplicates, if any.
	Of *int `json:"of,omitempty"`
}

// Input describes the raw bytes an article was built from.
type Input struct {
	Name     string `json:"name"`
	SHA256   string `json:"sha256"`
	Bytes    int64  `json:"bytes"`
	Format   string `json:"format"`   // "text" or "html"
	Encoding string `json:"encoding"` // the detected source encoding, e.g. "utf-8", "windows-1252"
}

// Span is a stretch of the record's Text. Start and End are Unicode
// code-point offsets into Text, end-exclusive, so that
// []rune(Text)[Start:End] is the spanned text. Text holds the paragraphs
// joined by a blank line ("\n\n"); see docs/record.md.
type Span struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Entity is one named thing mentioned in the article, with every mention
// of it: "Putin" and "Vladimir Putin" are one entity.
type Entity struct {
	// Key identifies the entity across articles: the same canonical name
	// and type give the same key ("person:vladimir-putin").
	Key  string `json:"key"`
	Text string `json:"text"` // canonical name: the fullest form used
	Type string `json:"type"` // person, place, org, misc
	// Count is the number of mentions, in the body and the headline.
	Count int `json:"count"`
	// Mentions are the body's mentions in text order (the headline's are
	// counted but have no offsets, since the headline is not in Text).
	Mentions []Span `json:"mentions,omitempty"`
}

// Quote is a passage attributed to a speaker.
type Quote struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	// Speaker is the canonical name of the speaker, or the words naming
	// them when they are not a named entity ("officials", "the minister").
	Speaker string `json:"speaker,omitempty"`
	// SpeakerSpan is where the attribution names the speaker: a name, a
	// pronoun or a description.
	SpeakerSpan *Span `json:"speaker_span,omitempty"`
	// SpeakerKey is the speaker's Entity.Key when the speaker is one.
	SpeakerKey string `json:"speaker_key,omitempty"`
	Paragraph  int    `json:"paragraph"`
}

// Time expression types, after TIMEX3.
const (
	TimeDate     = "DATE"
	TimeTime     = "TIME"
	TimeDuration = "DURATION"
	TimeSet      = "SET"
)

// TimeRef is a temporal expression found in the text, resolved where possible.
type TimeRef struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Type  string `json:"type"` // DATE, TIME, DURATION or SET
	// Value is the TIMEX3-style ISO 8601 value: "2024-06-20", "2024-06",
	// "2024-W25", "2024-Q3", "2024-SU", "2024-06-20T21:00", "P3D",
	// "XXXX-WXX-1" (every Monday), "PRESENT_REF", "PAST_REF",
	// "FUTURE_REF"; empty when it cannot be resolved.
	Value string `json:"value,omitempty"`
	// Resolved is the start of the period a DATE or TIME refers to.
	Resolved time.Time `json:"resolved,omitzero"`
}

// Article is the clean record of one news article.
type Article struct {
	ID           string    `json:"id"`
	URL          string    `json:"url,omitempty"`
	CanonicalURL string    `json:"canonical_url,omitempty"`
	Source       Source    `json:"source"`
	Title        string    `json:"title"`
	Authors      []string  `json:"authors"`
	Published    time.Time `json:"published,omitzero"`
	Modified     time.Time `json:"modified,omitzero"`
	Language     string    `json:"language,omitempty"`
	Description  string    `json:"description,omitempty"`
	Image        string    `json:"image,omitempty"`
	Paragraphs   []string  `json:"paragraphs"`
	Text         string    `json:"text"`
	WordCount    int       `json:"word_count"`
	Removed      []Removed `json:"removed"`
	// Warnings say where the record is a best effort rather than a sure
	// result: "no article container found; kept the page's best text".
	Warnings []string `json:"warnings,omitempty"`
	Input    Input    `json:"input"`

	// Filled by later stages.
	DupGroup string    `json:"dup_group,omitempty"`
	Story    string    `json:"story,omitempty"`
	Entities []Entity  `json:"entities,omitempty"`
	Quotes   []Quote   `json:"quotes,omitempty"`
	Times    []TimeRef `json:"times,omitempty"`
	Fetched  time.Time `json:"fetched,omitzero"`
}

// Finalize derives Text, WordCount and ID from the other fields and makes the
// list fields non-nil so that JSON shows [] rather than null. Call it after the
// paragraphs or URL change.
//
// The paragraphs are then slices of Text, so that a record holds its body
// once: the buffer they were cut from (a whole decoded input) is no longer
// kept alive by them.
func (a *Article) Finalize() {
	a.Text = strings.Join(a.Paragraphs, "\n\n")
	off := 0
	for i, p := range a.Paragraphs {
		a.Paragraphs[i] = a.Text[off : off+len(p)]
		off += len(p) + 2
	}
	// Nor by the title, bylines and removed segments, often cut from
	// the same buffer: they get their own copies.
	a.Title = strings.Clone(a.Title)
	for i := range a.Authors {
		a.Authors[i] = strings.Clone(a.Authors[i])
	}
	for i := range a.Removed {
		a.Removed[i].Text = strings.Clone(a.Removed[i].Text)
	}
	a.WordCount = CountWords(a.Text)
	if a.Authors == nil {
		a.Authors = []string{}
	}
	if a.Paragraphs == nil {
		a.Paragraphs = []string{}
	}
	if a.Removed == nil {
		a.Removed = []Removed{}
	}
	a.ID = ComputeID(a)
}

// ComputeID returns the stable identifier of a: a hash of the canonical URL
// when one is known, else of the normalized body (and title when there is no body).
func ComputeID(a *Article) string {
	if u := a.CanonicalURL; u != "" {
		return "u" + shortHash(NormalizeURL(u))
	}
	if u := a.URL; u != "" {
		return "u" + shortHash(NormalizeURL(u))
	}
	body := a.Text
	if body == "" {
		body = strings.Join(a.Paragraphs, "\n\n")
	}
	if strings.TrimSpace(body) == "" {
		body = a.Title
	}
	// Normalize a paragraph-sized chunk at a time into one reused buffer.
	h := sha256.New()
	var buf []byte
	started := false
	for len(body) > 0 {
		chunk := body
		if len(chunk) > 4096 {
			// Cut at a space so that no rune or space run is split.
			cut := strings.LastIndexByte(chunk[:4096], ' ')
			if cut <= 0 {
				cut = strings.IndexByte(chunk, ' ')
				if cut < 0 {
					cut = len(chunk)
				}
			}
			chunk = chunk[:cut]
		}
		body = body[len(chunk):]
		buf = appendNormalized(buf[:0], chunk, &started)
		h.Write(buf)
	}
	return "t" + hex.EncodeToString(h.Sum(nil)[:10])
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:10])
}

// NormalizeURL lowercases scheme and host, drops the fragment, default ports,
// common tracking parameters and a trailing slash, so that the same page
// reached by different links gets one ID.
func NormalizeURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme == "http" {
		u.Scheme = "https"
	}
	host := strings.ToLower(u.Host)
	host = strings.TrimSuffix(host, ":80")
	host = strings.TrimSuffix(host, ":443")
	host = strings.TrimPrefix(host, "www.")
	u.Host = host
	u.Fragment = ""
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || lk == "fbclid" || lk == "gclid" || lk == "ocid" || lk == "cmpid" || lk == "ref" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u.String()
}

// NormalizeText folds case, unifies quote characters and collapses white
// space, so that copies differing only in typography compare equal.
func NormalizeText(s string) string {
	started := false
	return string(appendNormalized(make([]byte, 0, len(s)), s, &started))
}

// appendNormalized appends the normalized form of s to dst. started carries
// across calls whether any text was written, so that s may come in chunks:
// white space between chunks still collapses to one space.
func appendNormalized(dst []byte, s string, started *bool) []byte {
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
				space = *started
				continue
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			}
			if space {
				dst = append(dst, ' ')
				space = false
			}
			dst = append(dst, c)
			*started = true
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		r = FoldQuote(r)
		if unicode.IsSpace(r) {
			space = *started
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		*started = true
	}
	return dst
}

// FoldQuote maps typographic quotes and dashes to their ASCII forms.
func FoldQuote(r rune) rune {
	switch r {
	case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032', '\u00B4', '`':
		return '\''
	case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u00AB', '\u00BB':
		return '"'
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return '-'
	case '\u00A0', '\u202F', '\u2007':
		return ' '
	}
	return r
}

// CountWords counts words: runs of letters or digits, with each Han, Hiragana
// or Katakana character counted as a word since those scripts use no spaces.
// Apostrophes and hyphens do not break a word ("don't", "well-known").
func CountWords(s string) int { return CountWordsUpTo(s, -1) }

// CountWordsUpTo is CountWords that stops counting at limit (when >= 0), for
// callers that only need to know whether a text is short.
//
// It classifies bytes rather than decoded runes, which is several times
// faster on non-Latin text: every multi-byte character is a letter except
// the Latin-1 symbols (U+0080-U+00BF), the punctuation and symbol blocks
// U+2000-U+2E7F, and CJK punctuation (U+3000-U+303F), which separate words;
// Han and kana characters are words of their own.
func CountWordsUpTo(s string, limit int) int {
	n := 0
	in := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
				if !in {
					n++
					in = true
				}
			case c == '\'' || c == '-':
			default:
				in = false
			}
		} else {
			size := min(runeSize(c), len(s)-i)
			var b1 byte
			if i+1 < len(s) {
				b1 = s[i+1]
			}
			switch {
			case c == 0xC2: // U+0080-U+00BF: NBSP, «, », ¿, ©, ...
				in = false
			case c == 0xE2 && b1 == 0x80 && i+2 < len(s) && (s[i+2] == 0x99 || s[i+2] == 0x90 || s[i+2] == 0x91):
				// ’ and hyphens inside a word
			case c == 0xE2 && b1 < 0xBA: // U+2000-U+2E7F: punctuation, symbols
				in = false
			case c == 0xE3 && b1 == 0x80: // CJK punctuation and space
				in = false
			case c >= 0xE4 && c <= 0xE9 || c == 0xE3 && b1 >= 0x81 && b1 != 0x80 && (b1 <= 0x83 || b1 >= 0x90):
				// Han (U+4000-U+9FFF, U+3400-U+3FFF) and kana (U+3040-U+30FF)
				n++
				in = false
			default:
				if !in {
					n++
					in = true
				}
			}
			i += size
		}
		if limit >= 0 && n >= limit {
			return n
		}
	}
	return n
}

// runeSize is the length of the UTF-8 sequence that lead byte c starts.
func runeSize(c byte) int {
	switch {
	case c < 0xC0:
		return 1
	case c < 0xE0:
		return 2
	case c < 0xF0:
		return 3
	}
	return 4
}
