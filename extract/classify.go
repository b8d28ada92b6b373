package extract

import (
	"strings"

	"golang.org/x/net/html/atom"

	"github.com/newsdesk/newsdesk/article"
)

// nodeKind is what an element is to extraction, judged from its tag,
// role, visibility and class/id vocabulary.
type nodeKind int8

const (
	kindUnknown   nodeKind = iota // not yet classified
	kindContent                   // nothing against it
	kindHidden                    // invisible: dropped silently
	kindSkip                      // never text (controls, media): dropped silently
	kindNav                       // menus, headers, footers, bylines, captions
	kindAd                        // ad slots
	kindCTA                       // share, follow, newsletter, cookie boxes
	kindRelated                   // related stories, sidebars, comments
	kindCopyright                 // copyright lines
	kindDek                       // standfirst, kicker, subheadline: furniture above the body, a subheading within it
)

// definite reports kinds decided by tag, role or visibility, which no
// amount of text overrides; class-based kinds can be overridden when the
// element holds most of the page's text.
func (k nodeKind) reason() article.Reason {
	switch k {
	case kindAd:
		return article.ReasonAd
	case kindCTA:
		return article.ReasonCTA
	case kindRelated:
		return article.ReasonRelated
	case kindCopyright:
		return article.ReasonCopyright
	}
	return article.ReasonNav
}

// tagKind classifies by tag, role and visibility alone.
func tagKind(n *node) nodeKind {
	switch n.tag {
	case atom.Button, atom.Select, atom.Input, atom.Option, atom.Label, atom.Noscript,
		atom.Img, atom.Picture, atom.Video, atom.Audio, atom.Canvas, atom.Object, atom.Embed,
		atom.Map, atom.Dialog, atom.Head, atom.Meta, atom.Link, atom.Base:
		return kindSkip
	case atom.Nav, atom.Header, atom.Menu:
		return kindNav
	case atom.Footer:
		return kindNav
	case atom.Aside:
		return kindRelated
	case atom.Figure, atom.Figcaption:
		return kindNav
	}
	if n.tag == 0 && (strings.HasPrefix(n.name, "amp-") || strings.Contains(n.name, "-ad")) {
		if strings.Contains(n.name, "ad") && !strings.Contains(n.name, "accordion") {
			return kindAd
		}
		switch n.name {
		case "amp-img", "amp-anim", "amp-iframe", "amp-video", "amp-audio", "amp-analytics", "amp-pixel", "amp-lightbox":
			// Media and frames: what they hold is a loading placeholder.
			return kindSkip
		}
	}
	if n.hasAttr("placeholder") || n.hasAttr("fallback") {
		// AMP's stand-ins shown while an embed loads ("Loading poll...").
		return kindSkip
	}
	if n.hasAttr("hidden") {
		return kindHidden
	}
	if v := n.attr("aria-hidden"); v == "true" {
		return kindHidden
	}
	if st := n.attr("style"); st != "" && hiddenStyle(st) {
		return kindHidden
	}
	switch strings.ToLower(n.attr("role")) {
	case "navigation", "banner", "contentinfo", "menu", "menubar", "search", "dialog", "alert", "toolbar":
		return kindNav
	case "complementary":
		return kindRelated
	}
	return kindContent
}

// softTag reports an element whose tag or role alone classifies it as
// furniture (kindNav or kindRelated); unlike hidden elements, controls and
// ad slots, it can be overruled by the amount of article text it holds.
func softTag(n *node) bool {
	if n.kind == kindUnknown {
		n.kind = tagKind(n)
	}
	if n.kind != kindNav && n.kind != kindRelated {
		return false
	}
	return n.tag != 0 || n.attr("role") != ""
}

func hiddenStyle(st string) bool {
	st = strings.ToLower(st)
	st = strings.ReplaceAll(st, " ", "")
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden")
}

// Class and id vocabulary. Short words must match a whole token; long
// words match anywhere, catching compounds such as "relatedStories".
var (
	tokenVocab = map[string]nodeKind{
		"ad": kindAd, "ads": kindAd, "adv": kindAd, "advert": kindAd, "advertisement": kindAd, "dfp": kindAd,
		"gpt": kindAd, "sponsored": kindAd, "promo": kindAd, "promoted": kindAd, "adunit": kindAd,
		"nav": kindNav, "navbar": kindNav, "navigation": kindNav, "menu": kindNav, "breadcrumb": kindNav,
		"breadcrumbs": kindNav, "footer": kindNav, "masthead": kindNav, "skip": kindNav, "pagination": kindNav,
		"pager": kindNav, "tags": kindNav, "tag": kindNav, "topics": kindNav, "keywords": kindNav,
		"byline": kindNav, "bylines": kindNav, "dateline": kindNav, "timestamp": kindNav, "bio": kindNav,
		"caption": kindNav, "credit": kindNav, "credits": kindNav, "meta": kindNav, "toc": kindNav,
		"rail": kindRelated, "sidebar": kindRelated, "widget": kindRelated, "comments": kindRelated,
		"comment": kindRelated, "respond": kindRelated, "replies": kindRelated, "popular": kindRelated,
		"trending": kindRelated, "teaser": kindRelated, "teasers": kindRelated, "recirc": kindRelated,
		"share": kindCTA, "sharing": kindCTA, "social": kindCTA, "follow": kindCTA, "print": kindCTA,
		"newsletter": kindCTA, "subscribe": kindCTA, "subscription": kindCTA, "signup": kindCTA,
		"cookie": kindCTA, "cookies": kindCTA, "consent": kindCTA, "gdpr": kindCTA, "popup": kindCTA,
		"modal": kindCTA, "toolbar": kindCTA, "donate": kindCTA, "paywall": kindCTA,
		"copyright": kindCopyright, "dek": kindDek, "deck": kindDek, "standfirst": kindDek, "strapline": kindDek,
		"subheadline": kindDek, "subtitle": kindDek, "kicker": kindDek, "eyebrow": kindDek, "latest": kindRelated,
		// Other languages: French chapô, surtitre and auteur; Spanish and
		// Portuguese autor, entradilla, sumario; Italian autore, occhiello.
		"chapo": kindDek, "chapeau": kindDek, "surtitre": kindDek, "entradilla": kindDek, "sumario": kindDek,
		"occhiello": kindDek, "sommario": kindDek, "vorspann": kindDek,
		"author": kindNav, "authors": kindNav, "auteur": kindNav, "autor": kindNav, "autore": kindNav, "autores": kindNav,
		"hidden": kindHidden, "hide": kindHidden, "invisible": kindHidden, "offscreen": kindHidden,
	}
	substrVocab = []struct {
		s string
		k nodeKind
	}{
		{"advert", kindAd}, {"adslot", kindAd}, {"ad-slot", kindAd}, {"adsense", kindAd}, {"ad-container", kindAd},
		{"ad-wrapper", kindAd}, {"sponsor", kindAd}, {"googlead", kindAd}, {"gpt-ad", kindAd},
		{"taboola", kindRelated}, {"outbrain", kindRelated}, {"related", kindRelated}, {"recommend", kindRelated},
		{"more-stories", kindRelated}, {"morestories", kindRelated}, {"read-more", kindRelated},
		{"readmore", kindRelated}, {"most-popular", kindRelated}, {"mostpopular", kindRelated},
		{"most-read", kindRelated}, {"mostread", kindRelated}, {"also-read", kindRelated},
		{"further-reading", kindRelated}, {"more-from", kindRelated}, {"sidebar", kindRelated},
		{"disqus", kindRelated}, {"latest-", kindRelated}, {"sub-headline", kindDek}, {"key-points", kindNav},
		{"keypoints", kindNav}, {"rightrail", kindRelated}, {"right-rail", kindRelated}, {"leftrail", kindRelated},
		{"left-rail", kindRelated}, {"siderail", kindRelated}, {"side-rail", kindRelated}, {"comment-", kindRelated}, {"-comments", kindRelated},
		{"newsletter", kindCTA}, {"subscribe", kindCTA}, {"social", kindCTA}, {"share", kindCTA},
		{"sign-up", kindCTA}, {"signup", kindCTA}, {"cookie", kindCTA}, {"consent", kindCTA},
		{"breadcrumb", kindNav}, {"navigation", kindNav}, {"navbar", kindNav}, {"author-bio", kindNav},
		{"authorbio", kindNav}, {"about-author", kindNav}, {"author-info", kindNav}, {"byline", kindNav},
		{"caption", kindNav}, {"copyright", kindCopyright},
		{"sr-only", kindHidden}, {"visually-hidden", kindHidden}, {"visuallyhidden", kindHidden},
		{"screen-reader", kindHidden}, {"screenreader", kindHidden},
	}
	// positiveVocab marks article containers; a class list holding one is
	// never treated as boilerplate by vocabulary ("article-body share-on").
	positiveVocab = []string{"articlebody", "article-body", "article__body", "article_body", "story-body",
		"storybody", "entry-content", "post-content", "postcontent", "article-content", "articlecontent",
		"post-body", "postbody", "story-content", "article-text", "body-text", "main-content", "maincontent",
		"content-body", "article__content", "story__body", "node-content", "field-body", "articletext"}
)

// isPositive reports an element marked as the article body by its
// itemprop or class.
func isPositive(n *node) bool {
	if strings.EqualFold(n.attr("itemprop"), "articleBody") {
		return true
	}
	if n.cls == "" {
		return false
	}
	for _, p := range positiveVocab {
		if strings.Contains(n.cls, p) {
			return true
		}
	}
	return false
}

// classKind classifies an element by its class and id, once.
func classKind(n *node) nodeKind {
	if n.ckind == kindUnknown {
		n.ckind = classKindOf(n)
	}
	return n.ckind
}

func classKindOf(n *node) nodeKind {
	c := n.cls
	if ip := n.attr("itemprop"); ip != "" {
		switch strings.ToLower(ip) {
		case "articlebody", "text":
			return kindContent
		}
	}
	if c == "" {
		return kindContent
	}
	for _, p := range positiveVocab {
		if strings.Contains(c, p) {
			return kindContent
		}
	}
	// Embedded posts quoted by the article are part of it, though their
	// wrappers carry social-network names.
	if strings.Contains(c, "tweet") || strings.Contains(c, "embed") || strings.Contains(c, "instagram-media") {
		return kindContent
	}
	// Token pass: split on anything not a letter or digit, and at
	// camelCase is not possible here since cls is lowercased.
	start := -1
	for i := 0; i <= len(c); i++ {
		isWord := i < len(c) && (c[i] >= 'a' && c[i] <= 'z' || c[i] >= '0' && c[i] <= '9')
		if isWord {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if k, ok := tokenVocab[c[start:i]]; ok {
				return k
			}
			start = -1
		}
	}
	for _, v := range substrVocab {
		if strings.Contains(c, v.s) {
			return v.k
		}
	}
	return kindContent
}
