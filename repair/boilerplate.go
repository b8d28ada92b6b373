package repair

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/article"
)

// The boilerplate rules judge a paragraph by its shape and by the kind of
// vocabulary it uses, never by whole known phrases: an ad slot is a few words
// all drawn from page-layout vocabulary; a call to action addresses the reader
// with an action verb and a channel to act on; a related link is a short label
// and a colon before a headline; a copyright line starts with its sign.

// adCore words mark an advertising or page-layout slot.
var adCore = wordSet(`advertisement advertisements advert adverts advertising advertorial ad ads sponsored promoted promotion
	anzeige werbung publicidad publicité publicite pubblicità pubblicita reklama advertentie annonce
	publicidade reclame 广告 광고 広告 реклама`)

// layoutWords may accompany an ad word in a slot ("Story continues below advertisement").
var layoutWords = wordSet(`story stories continues continue continued below above after the this skip scroll to
	content main article reading read rest of more page here down up for a an by from our partner partners
	paid feature featured post sponsor with tap click full links report feedback choices`)

// continueWords start a layout slot even without an ad word ("Continue reading the main story").
var continueWords = wordSet(`continue continues continued skip scroll`)

// ctaActions are verbs of a call to action.
var ctaActions = wordSet(`follow subscribe subscribed subscribing subscription sign register join download
	install share like click tap hit get want support donate bookmark save enable turn allow miss
	watch listen try upgrade unlock become
	folgen abonnieren abonnez suivez partagez síguenos suscríbete comparte segui iscriviti assine siga`)

// ctaChannels are what a call to action asks the reader to act on. Strong
// channels are about publishing itself; weak ones also occur in news text.
var ctaChannels = wordSet(`newsletter newsletters inbox app apps button twitter facebook instagram youtube
	tiktok linkedin whatsapp telegram pinterest snapchat bluesky notifications podcast subscription subscribers
	subscribe subscribed subscribing unlimited digest abonnement abo abonnieren abonnez suscríbete`)
var ctaWeakChannels = wordSet(`alerts feed channel email emails premium membership access article story stories
	updates page account briefing here`)

// readerWords address the reader or speak as the publisher.
var readerWords = wordSet(`you your you're our us we
	sie ihr uns vous nous votre tu te nos você`)

// relatedCore words head a related-link label ("Read more:", "RELATED:").
var relatedCore = wordSet(`read related see watch listen recommended trending popular more also latest
	further lire leia lee mehr auch leggi suggested must don't up`)

// relatedWords may fill out such a label ("Related coverage", "See also").
var relatedWords = wordSet(`read related see watch listen recommended trending popular more also latest
	further reading coverage stories story articles article news video videos photos gallery on this topic
	from the in our you may like might interested lire aussi leia também lee también mehr zum thema auch
	interessant leggi anche on for most must don't miss top editor's picks suggested next up now`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// maxBoilerplateWords bounds every boilerplate rule: no ad slot, call to
// action, related link or copyright notice is longer.
const maxBoilerplateWords = 45

// multiByteWordChar classifies the multi-byte character at s[i] by its
// bytes: a letter, except Latin-1 symbols (U+0080-U+00BF), the punctuation
// and symbol blocks (U+2000-U+2E7F) and CJK punctuation (U+3000-U+303F).
func multiByteWordChar(s string, i int) bool {
	c := s[i]
	var b1 byte
	if i+1 < len(s) {
		b1 = s[i+1]
	}
	switch {
	case c == 0xC2:
		return false
	case c == 0xE2 && b1 < 0xBA:
		return false
	case c == 0xE3 && b1 == 0x80:
		return false
	}
	return true
}

// lowerWords returns the lower-cased words of s: runs of letters, digits,
// apostrophes and marks. It allocates one slice, reused by the caller.
func lowerWords(s string, buf []string) []string {
	buf = buf[:0]
	start := -1
	for i, r := range s {
		var word bool
		if r < 0x80 {
			c := byte(r)
			word = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || (start >= 0 && c == '\'')
		} else {
			word = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || (start >= 0 && r == '’')
		}
		if word {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			buf = append(buf, toLower(s[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		buf = append(buf, toLower(s[start:]))
	}
	return buf
}

// toLower avoids strings.ToLower's allocation for words already in lower case.
func toLower(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 0x80 || c >= 'A' && c <= 'Z' {
			return strings.ToLower(w)
		}
	}
	return w
}

// mayBeBoilerplate is a cheap pre-check: it is false for paragraphs that no
// rule in classify can match, so that most body text is never split into
// lower-cased words. Each clause mirrors a rule's first requirement.
func mayBeBoilerplate(p string, nwords int) bool {
	return nwords <= 6 || // ad slots and bare related labels
		labelEnd(p) >= 0 || // "Read more: ..."
		opensWithAction(p) || // calls to action
		copyrightHint(p)
}

// copyrightHint reports whether p could be a copyright notice.
func copyrightHint(p string) bool {
	t := strings.TrimLeft(p, " ")
	return strings.HasPrefix(t, "©") || len(t) > 4 && strings.EqualFold(t[:4], "(c) ") ||
		len(t) >= 9 && strings.EqualFold(t[:9], "copyright") || containsFold(p, "rights reserved")
}

// containsFold reports whether s contains the lower-case ASCII word w in any case.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i]|0x20 == w[0] && strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// classify returns the boilerplate reason for paragraph p, or "" when p is
// content. pos and n place p among the document's paragraphs: rules that
// could touch real sentences demand that p sits near an edge.
func classify(p string, words []string, pos, n int) article.Reason {
	if len(words) == 0 {
		return ""
	}
	if isAdSlot(words) {
		return article.ReasonAd
	}
	if isCopyright(p, words) {
		return article.ReasonCopyright
	}
	if isRelated(p, words) {
		return article.ReasonRelated
	}
	if isCTA(p, words, pos, n) {
		return article.ReasonCTA
	}
	return ""
}

func isAdSlot(words []string) bool {
	if len(words) > 6 {
		return false
	}
	core := false
	for _, w := range words {
		switch {
		case adCore[w]:
			core = true
		case continueWords[w]:
			core = true
		case !layoutWords[w]:
			return false
		}
	}
	return core
}

func isCopyright(p string, words []string) bool {
	if len(words) > 40 {
		return false
	}
	// "© Reuters" under a photo is a credit, part of the article; a notice
	// names a year or reserves rights.
	t := strings.TrimSpace(p)
	if strings.HasPrefix(t, "©") || len(t) > 4 && strings.EqualFold(t[:4], "(c) ") || words[0] == "copyright" {
		for _, w := range words[:min(4, len(words))] {
			if isYear(w) {
				return true
			}
		}
	}
	for i := 0; i+2 < len(words); i++ {
		if words[i] == "all" && words[i+1] == "rights" && words[i+2] == "reserved" {
			return true
		}
	}
	return false
}

// isRelated matches a short label from the related vocabulary followed by a
// colon, a bar or a guillemet, then a headline; or a bare label line.
func isRelated(p string, words []string) bool {
	colon := labelEnd(p)
	if colon > 0 && colon <= 40 {
		label := lowerWords(p[:colon], nil)
		rest := len(words) - len(label)
		if len(label) > 0 && len(label) <= 5 && relatedCore[label[0]] && allIn(label, relatedWords) && rest >= 2 {
			return rest <= 25 || rest <= 40 && !strings.ContainsAny(p[colon+1:], "“\"")
		}
	}
	// "Read more at example.com", "See more from the Gazette".
	if len(words) >= 2 && len(words) <= 8 && (words[0] == "read" || words[0] == "see") && words[1] == "more" &&
		!strings.Contains(strings.TrimRight(p, ". "), ". ") && !strings.HasSuffix(strings.TrimSpace(p), ":") {
		return true
	}
	// A bare label: "Related Articles", "More on this story".
	return len(words) <= 5 && anyIn(words, relatedCore) && allIn(words, relatedWords) && !strings.ContainsAny(p, ".!?") && hasLabelWord(words)
}

// labelEnd returns the byte index of the first ':', '|', '»' or '›' within
// the first 48 bytes of p, where a label's end must be, or -1.
func labelEnd(p string) int {
	for i := 0; i < len(p) && i < 48; i++ {
		switch p[i] {
		case ':', '|':
			return i
		case 0xC2: // » is C2 BB
			if i+1 < len(p) && p[i+1] == 0xBB {
				return i
			}
		case 0xE2: // › is E2 80 BA
			if i+2 < len(p) && p[i+1] == 0x80 && p[i+2] == 0xBA {
				return i
			}
		}
	}
	return -1
}

// hasLabelWord keeps "More to come" or "Read on" from counting as labels.
func hasLabelWord(words []string) bool {
	for _, w := range words {
		switch w {
		case "related", "recommended", "trending", "popular", "stories", "articles", "coverage", "reading", "also", "read":
			return true
		}
	}
	return false
}

func anyIn(words []string, set map[string]bool) bool {
	for _, w := range words {
		if set[w] {
			return true
		}
	}
	return false
}

func allIn(words []string, set map[string]bool) bool {
	for _, w := range words {
		if !set[w] {
			return false
		}
	}
	return true
}

// isCTA matches a call to action: a sentence of it opens with an action verb
// ("Follow", "Sign up", "Click here", "Want more ...? Hit ..."), it names a
// channel to act on (newsletter, app, button, a social network), and it is
// not itself a quotation. Mid-article it needs stronger evidence than near
// the edges, where publishers put such lines.
func isCTA(p string, words []string, pos, n int) bool {
	if len(words) > maxBoilerplateWords || startsWithQuote(p) || !opensWithAction(p) {
		return false
	}
	actions, channels, reader, strong := 0, 0, 0, false
	for i, w := range words {
		if ctaActions[w] {
			actions++
		}
		switch {
		case ctaChannels[w]:
			channels += 2
			strong = true
		case w == "here" && i > 0 && (words[i-1] == "click" || words[i-1] == "tap"):
			channels += 2 // "click here" only ever points somewhere else
			strong = true
		case ctaWeakChannels[w] || (w == "us" && i > 0 && ctaActions[words[i-1]]):
			channels++
		}
		if readerWords[w] {
			reader++
		}
	}
	if channels == 0 {
		return false
	}
	strength := actions + channels + reader + 1
	if strings.Contains(p, "?") {
		strength++ // "Enjoyed this story? Share it ..." pitches with a question
	}
	switch {
	case len(words) <= 4:
		strength += 4
	case len(words) <= 8:
		strength++
	}
	edge := pos < 2 || pos >= n-4 || pos*5 >= n*4
	if edge {
		// Without a channel that only publishers talk about, demand more.
		return strength >= 6 || strong && strength >= 5
	}
	return strength >= 7
}

// opensWithAction reports whether p, or a sentence in it, starts with a
// call-to-action verb.
func opensWithAction(p string) bool {
	start, clause := true, false
	var buf []string
	for i := 0; i < len(p); i++ {
		c := p[i]
		if start && c != ' ' {
			end := i
			for end < len(p) && p[end] != ' ' && p[end] != '.' && p[end] != '?' && p[end] != '!' && p[end] != ',' {
				end++
			}
			buf = lowerWords(p[i:end], buf)
			if len(buf) > 0 {
				w := buf[0]
				if clause && clauseActions[w] || !clause && (ctaActions[w] || w == "don't" || w == "never" || w == "stay") {
					return true
				}
			}
			start = false
		}
		switch c {
		case '.', '?', '!':
			start, clause = true, false
		case ',', ':':
			// A call to action may follow a lead-in clause ("For the latest
			// news, follow us on Instagram"), but only an unambiguous verb
			// counts there: "like" or "get" after a comma is rarely one.
			start, clause = true, true
		}
	}
	return false
}

// clauseActions are the call-to-action verbs recognised after a comma.
var clauseActions = wordSet(`follow subscribe sign join download install share click tap`)

func startsWithQuote(p string) bool {
	r, _ := utf8.DecodeRuneInString(p)
	switch r {
	case '"', '“', '”', '„', '«', '»', '\'', '‘', '’', '「', '『':
		return true
	}
	return false
}
