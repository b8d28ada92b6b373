// Package enrich finds who, where, when and who-said-what in an article:
// named entities, attributed quotations and time expressions. It is rule
// based with a small embedded classifier for entity types, needs no
// network, and is deterministic: the same
// paragraphs always give the same result in the same order.
//
// # Entities
//
// A name is a run of capitalized words, joined by lower-case particles
// (de, van, von, bin, al-, "of" after University, Ministry, Bank ...).
// A word capitalized only because it opens a sentence, follows a colon or
// opens a quotation is taken only with evidence: it is seen capitalized
// mid-sentence elsewhere, is in the small built-in gazetteer, is followed
// by a verb of saying, or starts a longer name. Common words, pronouns,
// month and day names, titles and nationality adjectives ("Russian",
// "North Korean") are never entities on their own.
//
// Titles (President, Mr, Dr, Minister, General Secretary, Ambassador, ...)
// are cut off and make the following name a person: "Communist Party
// General Secretary Nguyen Phu Trong" gives the org "Communist Party" and
// the person "Nguyen Phu Trong"; "Ambassador to Vietnam Gennady S.
// Bezdetko" gives the place "Vietnam" and the person "Gennady S. Bezdetko".
//
// Variants share a key (case, diacritics, hyphens and periods folded), so
// "Kim Jong-un" and "Kim Jong Un" are one entity. A shorter name that ends
// (or, for one word, starts or sits inside) exactly one longer person's
// name is merged into it: "Putin" counts for "Vladimir Putin", "Kim" for
// "Kim Jong Un", "Lula" for "Luiz Inácio Lula da Silva"; the entity lists
// every mention.
// The entity's Text is its most frequent full spelling in the body and
// Count counts every mention, partial ones included.
//
// Types come from a learned mention classifier (enrich/model, trained by
// internal/tools/nertrain on UNER English-EWT and fictional news): every
// span the finder proposes, and every sub-span of it, is scored as none,
// person, place or org from its words, their shapes and affixes, the
// gazetteer (GeoNames places, S&P 500 companies, the built-in lists), the
// words around it and the rules' cues (a title or role noun before it, a
// verb of saying next to it, a preposition of place before it). The best
// non-overlapping sub-spans are kept ("Dallas Criminal Attorney Peter
// Barrett" gives "Peter Barrett"); a segment joined across a particle is
// kept whole. A name's type is the class with the highest score summed
// over all its mentions, so it is the same everywhere in the article. The
// built-in organisation list and telling suffixes (Party, Ministry, Inc,
// River ...) still decide, a place-list name or place suffix yields to an
// org verdict (a club named after its town), a particle (van, bin) makes a
// person, and a name the classifier calls none is a person after a title,
// else misc; a name of that kind seen only at sentence starts ("Witnesses
// said") is dropped. Short forms join their full name in the article: a
// surname ("Putin", "Mr. Kelly"), a first or middle word ("Lula" of "Luiz
// Inácio Lula da Silva"), the first or last word of an organisation
// ("Norvik" of "Norvik Steel", "Rovers" of "Harlow Rovers").
// For German (Options.Language "de"), which capitalizes every noun, single
// words of type misc are dropped.
//
// # Quotes
//
// Quotations are text in straight or typographic double quotes („…“, «…»
// included) and, outside those, in single quotes when the marks stand
// where quotation marks do (after a space, before a letter; the closing one
// after text, before a space or punctuation) rather than as apostrophes.
// An unclosed double quote that opens a paragraph runs to its end. The
// speaker comes from a verb of saying in the quote's sentence: "said X",
// "X said", "X told", "according to X", "X, the minister, said" and
// participles ("saying", "adding") whose subject is the nearest preceding
// name that is not a possessive; from "X: '...'"; or, for a quote that
// opens its sentence, from the previous quote or the sentence before or
// after. "He" and "she" are resolved to the last person named before.
// Speakers are reported by their entity's full name. An unattributed span
// of one word, or of a few capitalized words (a title), is not a quote.
// Quote texts are exact substrings of their paragraph.
//
// # Times
//
// Absolute dates ("June 19, 2024", "19 June 2024", "Wednesday, June 19",
// "2024-06-19", "2024/06/19", "June 2024", "since 1950") and relative
// expressions ("today", "tonight", "yesterday", "tomorrow", "last night",
// "late last night", "this morning", "the day before yesterday", "two days
// earlier", "a week ago", "three years later", "last week", "next month",
// "this year", "last weekend", "on Tuesday", "last Friday", "in June") are
// found and resolved to a day (midnight in the reference time's location)
// by these rules:
//
//   - today, tonight, this morning/evening: the reference day; yesterday
//     and last night: the day before; tomorrow: the day after.
//   - N days/weeks/months/years ago, earlier or before: N units before the
//     reference; later, after or from now: N units after. ("earlier" is
//     read relative to the reference, the publication time.)
//   - last/this/next week: the Monday of that week; month: its first day;
//     year: January 1; weekend: its Saturday.
//   - A weekday alone or with "on": the next such day on or after the
//     reference when the sentence speaks of the future (will, would,
//     plans, expected, scheduled ... in the three words after it or the
//     ten before), the latest on or before it when it speaks of the past
//     (was, said, a verb in -ed ...), else the nearer of the two; "last Friday"
//     is strictly before, "next Friday" strictly after, "this Friday" in
//     the reference's Monday-to-Sunday week.
//   - A date without a year takes the year that puts it nearest to the
//     reference; a month alone ("in June") its first day likewise; "last
//     June" the latest June before the reference month.
//   - A bare year after a preposition ("since 1950"): January 1.
//
// Without a reference time only expressions that carry their own year are
// resolved. Repeats of an expression with the same resolution are listed
// once, in order of first appearance.
package enrich

import (
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/article"
)

// Options control Enrich.
type Options struct {
	// Ref is the reference time for relative expressions. When zero,
	// Enrich uses the article's Published time, else its Fetched time,
	// else leaves relative expressions unresolved.
	Ref time.Time
	// Language is a BCP 47 tag ("en", "de"); empty means the article's
	// Language. It only changes how single capitalized words are judged.
	Language string
	// NoTitle leaves the headline out of entity counts.
	NoTitle bool
}

// Enrich fills a.Entities, a.Quotes and a.Times from a.Paragraphs. Mentions
// in a.Title of entities found in the body count too. Fields are replaced,
// not appended to; with nothing found they are set to nil.
func Enrich(a *article.Article, opts Options) {
	if a == nil {
		return
	}
	lang := opts.Language
	if lang == "" {
		lang = a.Language
	}
	ref := opts.Ref
	if ref.IsZero() {
		ref = a.Published
	}
	if ref.IsZero() {
		ref = a.Fetched
	}
	d := newDoc(a.Paragraphs, strings.ToLower(lang))
	d.extractEntities()
	if !opts.NoTitle {
		d.countTitle(a.Title)
	}
	a.Quotes = d.quoteList()
	a.Entities = d.entityList()
	a.Times = d.timeList(ref)
	d.release()
}

// Entities returns the named entities of paragraphs, most mentioned first
// (ties in order of first mention).
func Entities(paragraphs []string) []article.Entity {
	d := newDoc(paragraphs, "")
	defer d.release()
	return d.entityList()
}

// Quotes returns the quotations of paragraphs in text order, with their
// speakers where found.
func Quotes(paragraphs []string) []article.Quote {
	d := newDoc(paragraphs, "")
	defer d.release()
	return d.quoteList()
}

// Times returns the time expressions of paragraphs in text order, resolved
// against ref where possible (ref may be zero).
func Times(paragraphs []string, ref time.Time) []article.TimeRef {
	d := newDoc(paragraphs, "")
	defer d.release()
	return d.timeList(ref)
}

// ParseRef parses a reference time given on a command line or in a
// configuration: RFC 3339 ("2024-06-20T08:00:00+07:00"), a date and time
// ("2024-06-20 08:00", in UTC) or a date ("2024-06-20", midnight UTC).
func ParseRef(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var firstErr error
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		t, err := time.Parse(layout, s)
		if err == nil {
			return t, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return time.Time{}, fmt.Errorf("enrich: reference time %q: %w", s, firstErr)
}
