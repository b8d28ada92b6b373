package extract

import (
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/atom"

	"github.com/newsdesk/newsdesk/article"
)

// A block is one paragraph of the page: the text between two block-level
// boundaries, with the element that holds it.
type block struct {
	text      string
	owner     *node // the innermost block-level element holding the text
	tag       atom.Atom
	linkLen   int
	offset    int
	kind      nodeKind // kindContent, or why an ancestor rules it out
	positive  bool     // inside an element marked as the article body
	leadLink  bool     // the text opens with a link, as a teaser headline does
	score     float64
	good      bool
	hintHits  int // how many of its shingles occur in a JSON-LD articleBody
	hintAll   int
	plainWord bool     // a word of three letters or more stands outside links
	plainHash uint64   // hash of the text outside links, to tell a template's items apart
	clsLen    int      // bytes of text inside inline elements classified by class (a caption span)
	clsKind   nodeKind // the class kind of those inline elements
}

// silent reports a block never shown and never listed as removed: hidden
// text, or the text of a control.
func (b *block) silent() bool { return b.kind == kindHidden || b.kind == kindSkip }

// blockTag reports elements that start a new paragraph.
func blockTag(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Ul,
		atom.Ol, atom.Dl, atom.Dt, atom.Dd, atom.Blockquote, atom.Pre, atom.Table, atom.Tr, atom.Tbody, atom.Thead, atom.Tfoot, atom.Caption, atom.Section, atom.Article,
		atom.Main, atom.Header, atom.Footer, atom.Aside, atom.Nav, atom.Figure, atom.Figcaption,
		atom.Form, atom.Fieldset, atom.Address, atom.Details, atom.Summary, atom.Br, atom.Hr,
		atom.Center, atom.Body, atom.Html, atom.Menu, atom.Legend, atom.Hgroup:
		return true
	}
	return false
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// segmenter walks the tree and cuts it into blocks.
type segmenter struct {
	blocks  []block
	buf     strings.Builder
	space   bool // a space is pending before the next word
	lead    bool // the first text of the block was inside a link
	link    int  // bytes of buf inside links
	owner   *node
	offset  int
	kind    nodeKind
	pos     bool
	inCls   nodeKind // class kind of the innermost classified inline element open, or 0
	clsLen  int      // bytes of buf inside such elements
	clsK    nodeKind
	relax   bool // structural tags are left to reclassify, see selectBody
	plain   bool // the block has a word of three letters outside links
	phash   uint64
	letters int // letters in a row outside links
}

func (s *segmenter) flush() {
	if s.buf.Len() > 0 {
		s.blocks = append(s.blocks, block{
			text: s.buf.String(), owner: s.owner, tag: s.owner.tag, linkLen: s.link,
			offset: s.offset, kind: s.kind, positive: s.pos, leadLink: s.lead,
			clsLen: s.clsLen, clsKind: s.clsK, plainWord: s.plain, plainHash: s.phash,
		})
	}
	s.plain, s.letters, s.phash = false, 0, 0
	s.buf.Reset()
	s.space = false
	s.link = 0
	s.offset = -1
	s.lead = false
	s.clsLen = 0
	s.clsK = kindUnknown
}

// addText appends text with white space collapsed.
func (s *segmenter) addText(t string, inLink bool, offset int) {
	before := s.buf.Len()
	for _, r := range t {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			s.space = s.buf.Len() > 0
			continue
		}
		if s.space {
			s.buf.WriteByte(' ')
			s.space = false
			s.letters = 0
		}
		if !inLink {
			s.phash = (s.phash ^ uint64(r)) * 1099511628211
		}
		if !inLink && !s.plain {
			if unicode.IsLetter(r) {
				s.letters++
				s.plain = s.letters >= 3
			} else {
				s.letters = 0
			}
		}
		if s.offset < 0 {
			s.offset = offset
			s.lead = inLink
		}
		s.buf.WriteRune(r)
	}
	if inLink {
		s.link += s.buf.Len() - before
	}
	if s.inCls != kindUnknown {
		s.clsLen += s.buf.Len() - before
		s.clsK = s.inCls
	}
}

// walk visits n's subtree; kind is the nearest definite classification of
// an ancestor (kindContent when none).
func (s *segmenter) walk(n *node, inLink bool, kind nodeKind) {
	for c := n.first; c != nil; c = c.next {
		if c.isText {
			s.addText(c.text, inLink, c.offset)
			continue
		}
		if c.kind == kindUnknown {
			c.kind = tagKind(c)
		}
		ck := kind
		switch c.kind {
		case kindHidden, kindSkip:
			if c.tag == atom.Br || c.tag == atom.Hr {
				break
			}
			continue
		case kindContent:
		default:
			// In the relaxed pass, structural tags (<aside>, <header>,
			// <nav>, roles) are judged with the class vocabulary in
			// reclassify, where an element holding most of the page's
			// text is exempt: some pages lay out their article in an
			// <aside>.
			if ck == kindContent && !(s.relax && softTag(c)) {
				ck = c.kind
			}
		}
		if blockTag(c.tag) {
			s.flush()
			prevOwner, prevKind, prevPos, prevCls := s.owner, s.kind, s.pos, s.inCls
			s.owner, s.kind = c, ck
			s.pos = s.pos || isPositive(c)
			// An inline wrapper around blocks (a <span> holding the
			// whole post) does not classify them: see the inline case.
			s.inCls = kindUnknown
			s.walk(c, inLink, ck)
			s.flush()
			s.owner, s.kind, s.pos, s.inCls = prevOwner, prevKind, prevPos, prevCls
			continue
		}
		if c.tag == atom.Td || c.tag == atom.Th {
			// Cells are words of their row: "1 Kyle Busch 5040".
			s.space = s.buf.Len() > 0
		}
		if s.kind != ck && s.buf.Len() > 0 {
			// An inline element with its own classification (an ad span
			// inside a paragraph) is cut out as a block of its own.
			s.flush()
		}
		prevKind, prevCls := s.kind, s.inCls
		s.kind = ck
		if s.inCls == kindUnknown && c.cls != "" {
			// Inline elements are not blocks, so the class vocabulary,
			// applied to blocks' ancestors, never sees them. Their text
			// is counted instead: a paragraph made only of a
			// <span class="caption"> is a caption (see reclassify).
			switch k := classKind(c); k {
			case kindNav, kindAd, kindCTA, kindRelated, kindCopyright:
				s.inCls = k
			}
		}
		s.walk(c, inLink || isLink(c), ck)
		s.inCls = prevCls
		if prevKind != ck {
			s.flush()
		}
		s.kind = prevKind
	}
}

// segment cuts the document into blocks. With relax, elements that only
// their tag or role marks as furniture are not yet classified.
func segment(d *document, relax bool) []block {
	s := &segmenter{owner: d.root, kind: kindContent, offset: -1, relax: relax}
	d.root.kind = kindContent
	s.walk(d.root, false, kindContent)
	s.flush()
	return s.blocks
}

// hasSentence reports whether t reads like running text rather than a
// label: it has sentence punctuation.
func hasSentence(t string) bool {
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '.', '!', '?', ',', ';', ':':
			return true
		case 0xE3: // CJK punctuation 。、 (U+3001, U+3002)
			if i+2 < len(t) && t[i+1] == 0x80 && (t[i+2] == 0x81 || t[i+2] == 0x82) {
				return true
			}
		}
	}
	return false
}

// rateBlocks decides which blocks look like article text and gives each a
// score: positive for text, negative for link lists and furniture.
func rateBlocks(blocks []block) {
	for i := range blocks {
		b := &blocks[i]
		b.good = false
		l := len(b.text)
		ld := float64(b.linkLen) / float64(max(l, 1))
		switch {
		case b.silent():
			b.score = 0
		case b.kind != kindContent:
			b.score = -0.5 * float64(l)
		case ld > 0.5:
			// Capped: a menu is many short links, while a fully linked
			// sentence inside an article should not sink its container.
			b.score = -float64(min(l, 60))
			if b.positive {
				b.score /= 4
			}
		case l >= 100 || l >= 40 && hasSentence(b.text):
			b.good = true
			b.score = float64(l) * (1 - ld)
			if ld >= 0.35 {
				// Link-rich text, as in news round-ups: text, but weak.
				b.score = float64(l) * (0.5 - ld) * 2
			}
		case b.positive:
			// Short lines in a marked article body: list items, captions
			// and subheadings, not evidence against the container.
			b.score = 0
		default:
			b.score = -0.25 * float64(min(l, 80))
		}
		if b.hintAll > 0 {
			frac := float64(b.hintHits) / float64(b.hintAll)
			switch {
			case frac >= 0.5:
				b.good = b.kind == kindContent || b.good
				b.score = 2 * float64(l)
			case frac < 0.1 && b.good:
				b.score *= 0.25
			}
		}
	}
}

// rateRuns rates runs of short sibling blocks as one: the lines of a poem,
// an address or a list that is the article (award winners, a ranking) are
// each too short to look like text, but together they are, unless they
// are only links. A run is three or more consecutive content blocks with
// the same parent element (or the same element, for <br>-separated lines),
// none of them a heading, each with words of its own outside links (a menu
// item has none), holding 150 bytes or more, most of it outside links; a
// run with many links must also vary outside them (not a feed's template).
func rateRuns(blocks []block) {
	for i := 0; i < len(blocks); {
		j := i
		text, links := 0, 0
		for ; j < len(blocks); j++ {
			b := &blocks[j]
			if b.kind != kindContent || b.good || isHeading(b.tag) || b.linkLen*10 > len(b.text)*7 || !ownWords(b) {
				break
			}
			if j > i && b.owner != blocks[i].owner && b.owner.parent != blocks[i].owner.parent {
				break
			}
			text += len(b.text)
			links += b.linkLen
		}
		if j-i >= 3 && text >= 150 && links*10 < text*7 && (links*3 < text || distinctPlain(blocks[i:j])) {
			for k := i; k < j; k++ {
				b := &blocks[k]
				b.good = true
				b.score = 0.75 * float64(len(b.text))
			}
		}
		i = max(j, i+1)
	}
}

// distinctPlain reports whether the text outside links differs from item
// to item in most of the run: a list of winners names each category, while
// an activity feed repeats its template ("liked this", "reblogged this").
func distinctPlain(run []block) bool {
	seen := make(map[uint64]struct{}, len(run))
	for i := range run {
		seen[run[i].plainHash] = struct{}{}
	}
	return len(seen)*10 >= len(run)*6
}

// ownWords reports a block with a word of three letters or more outside
// its links ("for", "and", a name), which a menu item or a counter lacks.
func ownWords(b *block) bool { return b.linkLen == 0 || b.plainWord }

// countBlocks fills the per-node block, link-block and text counts.
func countBlocks(blocks []block) {
	for i := range blocks {
		b := &blocks[i]
		linky := b.linkLen*2 > len(b.text)
		for n := b.owner; n != nil; n = n.parent {
			n.blockN++
			n.linkB += b.linkLen
			n.textN += len(b.text)
			if linky {
				n.linkN++
			}
		}
	}
}

// markTeasers demotes text that sits in a repeated item holding a link:
// the description under a headline link in a list of other stories. Such
// lists are told from article text by the repetition of the item's
// element (same tag and class) among its siblings.
func markTeasers(blocks []block) {
	for i := range blocks {
		b := &blocks[i]
		if !b.good || b.positive {
			continue
		}
		item := b.owner
		if b.leadLink && b.linkLen*7 > len(b.text) && item.parent != nil {
			// A headline link and its summary in one element.
			if repeated(item) {
				b.good = false
				b.score = -0.3 * float64(len(b.text))
			}
			continue
		}
		for up := 0; up < 4 && item != nil; up++ {
			if item.blockN >= 2 {
				break
			}
			item = item.parent
		}
		if item == nil || item.blockN < 2 || item.linkN == 0 || item.textN > 1200 || item.parent == nil {
			continue
		}
		// Climb through wrappers that hold nothing else.
		for k := 0; k < 4 && item.parent.parent != nil && item.parent.blockN == item.blockN; k++ {
			item = item.parent
		}
		same := 0
		for c := item.parent.first; c != nil; c = c.next {
			if c != item && !c.isText && c.tag == item.tag && c.cls == item.cls && c.linkN > 0 {
				same++
			}
		}
		if same >= 2 {
			b.good = false
			b.score = -0.3 * float64(len(b.text))
		}
	}
}

// repeated reports whether item has two or more siblings of the same tag
// and class that also hold links.
func repeated(item *node) bool {
	same := 0
	for c := item.parent.first; c != nil; c = c.next {
		if c != item && !c.isText && c.tag == item.tag && c.cls == item.cls && c.linkB > 0 {
			same++
		}
	}
	return same >= 2
}

// candidate finds the element whose subtree holds the most article text
// net of furniture: the maximum-sum subtree over block scores.
func candidate(d *document, blocks []block) *node {
	for i := range blocks {
		b := &blocks[i]
		for n := b.owner; n != nil; n = n.parent {
			n.score += b.score
			if b.good {
				n.good += len(b.text)
				n.goodN++
			}
		}
	}
	var best *node
	bestScore := 0.0
	stamp := nextStamp()
	for i := range blocks {
		// Only ancestors of blocks can win. Each is visited once: the
		// climb stops at a node an earlier block already reached.
		for n := blocks[i].owner; n != nil && n.stamp != stamp; n = n.parent {
			n.stamp = stamp
			if n.score > bestScore || (n.score == bestScore && best != nil && n.depth > best.depth) {
				best, bestScore = n, n.score
			}
		}
	}
	return best
}

// firstArticle narrows a root holding several <article> elements with
// text, as listing pages do, to the one with the most article text.
func firstArticle(root *node, blocks []block) *node {
	if root == nil || inArticle(root) {
		return root
	}
	var best, parent *node
	count, siblings, heads := 0, true, false
	seen := nextStamp()
	for i := range blocks {
		if !blocks[i].good || !within(blocks[i].owner, root) {
			continue
		}
		var art *node // the innermost article
		for n := blocks[i].owner; n != root && art == nil; n = n.parent {
			if n.tag == atom.Article {
				art = n
			}
		}
		if art == nil || art.stamp == seen {
			continue
		}
		art.stamp = seen
		count++
		if parent == nil {
			parent = art.parent
		}
		siblings = siblings && art.parent == parent
		heads = heads || hasTitle(art)
		if best == nil || art.score > best.score {
			best = art
		}
	}
	if count >= 3 && siblings && !heads {
		// Sibling <article>s without headline links or titles of their
		// own are the entries of one page: a live blog's posts.
		return root
	}
	if count >= 2 && best != nil && best.score > 0 {
		return best
	}
	return root
}

// hasTitle reports an <h1>, or a heading that is a link, inside n: the
// title of an article of its own or of a teaser.
func hasTitle(n *node) bool {
	for c := n.first; c != nil; c = c.next {
		if c.isText {
			continue
		}
		if c.tag == atom.H1 || isHeading(c.tag) && c.linkB*2 > c.textN || hasTitle(c) {
			return true
		}
	}
	return false
}

var stampCounter atomic.Int32

// nextStamp returns a pass number never zero, the value of fresh nodes.
func nextStamp() int32 {
	for {
		if s := stampCounter.Add(1); s != 0 {
			return s
		}
	}
}

func within(n, root *node) bool {
	for ; n != nil; n = n.parent {
		if n == root {
			return true
		}
	}
	return false
}

// reclassify applies the class/id vocabulary to the blocks, except for
// elements that hold most of the page's article text: a class such as
// "has-sidebar" or "tag-politics" on the article container itself must not
// drop the article.
func reclassify(d *document, blocks []block, relax bool) {
	total := d.root.good
	for i := range blocks {
		b := &blocks[i]
		if b.kind != kindContent {
			continue
		}
		if b.clsKind != kindUnknown && b.clsLen*10 >= len(b.text)*9 && len(b.text) < 400 {
			// The whole paragraph is inside a classified inline element.
			b.kind = b.clsKind
			continue
		}
		dek := false
		for n := b.owner; n != nil && n != d.root; n = n.parent {
			k := classKind(n)
			if relax && softTag(n) {
				k = n.kind
			}
			if k == kindContent || k == kindDek && dek {
				continue
			}
			if total > 0 && n.good*2 > total && n.goodN >= 3 && !(k == kindRelated && commentRegion(n)) {
				continue
			}
			if k == kindNav && n.good > 600 && n.good*5 > total && len(b.text) >= 100 {
				// A "meta" or "tags" class on a container of real text.
				continue
			}
			if (k == kindCTA || k == kindAd) && n.goodN >= 3 && n.good >= 1000 && narrative(b) {
				// Calls to action and ads are pitches of a sentence or
				// two; several paragraphs of narrative under such a class
				// are an article in a paywall or promotion wrapper.
				continue
			}
			b.kind = k
			if k != kindDek {
				break
			}
			// A kicker or subheadline may sit in a related box or an ad:
			// the outer classification wins.
			dek = true
		}
	}
}

// commentRegion reports an element whose class or id names a comment
// thread outright. A long discussion can hold more text than the post it
// discusses, so such an element is never taken for the article for the
// amount of text it holds.
func commentRegion(n *node) bool {
	for _, c := range strings.Fields(n.cls) {
		switch c {
		case "comments", "comment", "commentlist", "comment-list", "comments-list", "comments-area",
			"comment-section", "comments-section", "comments-container", "disqus_thread", "respond", "replies":
			return true
		}
	}
	return false
}

// narrative reports a block of running prose: forty words or more in two
// or more sentences, with few links.
func narrative(b *block) bool {
	if len(b.text) < 200 || b.linkLen*5 > len(b.text) {
		return false
	}
	words, ends := 1, 0
	t := b.text
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case ' ':
			words++
		case '.', '!', '?':
			if i+1 == len(t) || t[i+1] == ' ' || t[i+1] == '"' || t[i+1] == 0xE2 {
				ends++
			}
		}
	}
	return words >= 40 && ends >= 2
}

// resetScores clears the per-node sums before a second rating pass.
func resetScores(blocks []block) {
	for i := range blocks {
		for n := blocks[i].owner; n != nil; n = n.parent {
			n.score, n.good, n.goodN = 0, 0, 0
		}
	}
}

// pass is how strictly selectBody applies the furniture vocabulary. A
// page whose strict pass keeps little text is tried again more loosely,
// since a page that lays out its article in an <aside>, or in a
// container whose class says "widget", still has an article.
type pass int8

const (
	passStrict  pass = iota // tags, roles and classes all classify
	passRelaxed             // tags and roles are overruled like classes, by the amount of text held
	passLoose               // only visibility and controls classify, teasers are not demoted; text density decides
)

// resetNodes clears every per-node sum along the blocks' ancestors.
func resetNodes(blocks []block) {
	for i := range blocks {
		for n := blocks[i].owner; n != nil; n = n.parent {
			n.score, n.good, n.goodN = 0, 0, 0
			n.blockN, n.linkN, n.linkB, n.textN = 0, 0, 0, 0
		}
	}
}

// selectBody picks the article's paragraphs and records the rest.
func selectBody(d *document, blocks []block, title string, p pass) (paras []string, idx []int, removed []article.Removed) {
	resetNodes(blocks)
	countBlocks(blocks)
	rateBlocks(blocks)
	rateRuns(blocks)
	markTeasers(blocks)
	if p < passLoose {
		candidate(d, blocks) // fills node.good for reclassify
		reclassify(d, blocks, p == passRelaxed)
	}
	resetScores(blocks)
	rateBlocks(blocks)
	rateRuns(blocks)
	if p < passLoose {
		// In the loose pass a table laid out as rows of links and text
		// is the page, not a list of teasers.
		markTeasers(blocks)
	}
	root := candidate(d, blocks)
	root = firstArticle(root, blocks)
	if root == nil || root.good == 0 {
		// No element holds more text than furniture; the story may
		// still be a run of lines in one element among many links.
		root = &node{}
	}
	lineFrom, lineTo := bestLines(blocks, root)
	if root.good == 0 && lineFrom < 0 {
		for i, b := range blocks {
			if b.silent() {
				continue
			}
			reason := article.ReasonNav
			if b.kind != kindContent {
				reason = b.kind.reason()
			}
			removed = append(removed, article.Removed{Text: b.text, Reason: reason, Index: i, Offset: b.offset})
		}
		return nil, nil, removed
	}
	var parts []*node // the body's elements; none when it is a run of lines
	if lineFrom < 0 {
		parts = bodyParts(root)
		if run := bestRun(blocks, root); run != nil {
			parts = run
		}
	}
	inBody := func(n *node) bool {
		for _, r := range parts {
			if within(n, r) {
				return true
			}
		}
		return false
	}
	inBlock := func(i int) bool { return inBody(blocks[i].owner) || i >= lineFrom && i <= lineTo }
	first, last := -1, -1
	for i, b := range blocks {
		if inBlock(i) && b.good {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	normTitle := article.NormalizeText(title)
	for i, b := range blocks {
		if b.silent() {
			continue
		}
		if reason := ruleReason(blocks, i, inBlock(i), first, last, normTitle); reason != "" {
			removed = append(removed, article.Removed{Text: b.text, Reason: reason, Index: i, Offset: b.offset})
			continue
		}
		paras = append(paras, b.text)
		idx = append(idx, i)
	}
	return dropOrphanLabels(blocks, paras, idx, removed)
}

// ruleReason is the rules' verdict on block i: "" to keep it, else why it
// goes. in says whether it lies in the body's elements; first and last are
// the first and last good blocks of the body.
func ruleReason(blocks []block, i int, in bool, first, last int, normTitle string) article.Reason {
	b := &blocks[i]
	reason := article.Reason("")
	switch {
	case !in:
		reason = article.ReasonNav
		if b.kind != kindContent {
			reason = b.kind.reason()
		}
	case b.kind == kindDek && i > first && i < last && len(b.text) < 200:
		// A "subheadline" between paragraphs of the body is one of
		// its subheadings, not the standfirst above it.
	case b.kind != kindContent:
		reason = b.kind.reason()
	case float64(b.linkLen) > 0.5*float64(len(b.text)) && !b.good && (len(b.text) < 150 || !hasSentence(b.text)):
		reason = article.ReasonRelated
	case normTitle != "" && isHeading(b.tag) && article.NormalizeText(b.text) == normTitle:
		reason = reasonTitle
	case (i < first || i > last) && !b.good && !isHeading(b.tag) && !b.positive && b.tag != atom.Tr:
		reason = article.ReasonNav
	case i < first && isHeading(b.tag) && b.tag == atom.H1:
		reason = reasonTitle
	case len(b.text) < 100 && isDateline(b.text):
		reason = article.ReasonNav
	case len(b.text) < 40 && isCounter(b.text):
		reason = article.ReasonNav
	case len(b.text) < 300 && opensWithCopyright(b.text):
		// A credit ("© Jane Roe / Agency") or a notice, never text.
		reason = article.ReasonCopyright
	case !hasWord(b.text):
		reason = article.ReasonEmpty
	}
	if reason == article.ReasonNav && isCopyright(b.text) {
		reason = article.ReasonCopyright
	}
	return reason
}

// bestRun looks for a run of consecutive sibling elements that holds more
// article text net of furniture than root: the rows of a table laid out as
// a page, where the story's rows and the rows of related links share one
// <table>, so that no single element holds the story. It is the maximum-sum
// run of children (Kadane's algorithm) of each element, taken when it beats
// root's score by a clear margin and holds twice root's article text; nil
// when root stands.
func bestRun(blocks []block, root *node) []*node {
	if inArticle(root) {
		return nil // the page marked its article
	}
	stamp := nextStamp()
	best := runThreshold(root)
	var bestParent *node
	var bestFrom, bestTo *node
	for i := range blocks {
		for n := blocks[i].owner.parent; n != nil && n.stamp != stamp; n = n.parent {
			n.stamp = stamp
			var sum float64
			var from *node
			for c := n.first; c != nil; c = c.next {
				if c.isText || c.blockN == 0 {
					continue
				}
				if from == nil || sum <= 0 {
					from, sum = c, 0
				}
				sum += c.score
				if sum > best {
					best, bestParent, bestFrom, bestTo = sum, n, from, c
				}
			}
		}
	}
	if bestParent == nil {
		return nil
	}
	var run []*node
	for c := bestFrom; c != nil; c = c.next {
		if !c.isText && c.blockN > 0 {
			if c.score > 0 && c.linkB*2 > c.textN || c.tag == atom.Article {
				// A run of link lists is not a story, and a run of
				// <article>s is a listing.
				return nil
			}
			run = append(run, c)
		}
		if c == bestTo {
			break
		}
	}
	good := 0
	for _, c := range run {
		good += c.good
	}
	if len(run) < 2 || good < 2*root.good {
		// One element, which the subtree search has seen; or a run that
		// adds little text to root, where root's boundary is the better
		// judge.
		return nil
	}
	return run
}

// inArticle reports whether n is, or lies inside, an <article> element.
func inArticle(n *node) bool {
	for ; n != nil; n = n.parent {
		if n.tag == atom.Article {
			return true
		}
	}
	return false
}

// runThreshold is the score a run must beat to replace root: root's own,
// by a clear margin.
func runThreshold(root *node) float64 { return root.score + max(100, 0.2*root.score) }

// bestLines is bestRun for lines: a run of consecutive blocks of one
// element, as a page that separates its paragraphs and its links with <br>
// in a single cell produces. It returns the first and last block of the
// run, or -1, -1 when root stands.
func bestLines(blocks []block, root *node) (from, to int) {
	if inArticle(root) {
		return -1, -1
	}
	from, to = -1, -1
	best := runThreshold(root)
	bestGood := 0
	for i := 0; i < len(blocks); {
		j, sum, start, good := i, 0.0, i, 0
		for ; j < len(blocks) && blocks[j].owner == blocks[i].owner; j++ {
			if sum <= 0 {
				start, sum, good = j, 0, 0
			}
			sum += blocks[j].score
			if blocks[j].good {
				good += len(blocks[j].text)
			}
			if sum > best && good >= 2*root.good {
				best, from, to, bestGood = sum, start, j, good
			}
		}
		i = max(j, i+1)
	}
	if from >= 0 && to-from < 2 || bestGood == 0 {
		return -1, -1
	}
	return from, to
}

// bodyParts returns root and those of its siblings that continue the
// article: a body split into several elements (text, an ad or a figure,
// more text) leaves the best-scoring part as root when the common parent
// also holds a sidebar. A sibling joins when it holds real text net of
// furniture, is not link-heavy and has no headline of its own (a teaser).
func bodyParts(root *node) []*node {
	parts := []*node{root}
	p := root.parent
	if p == nil || root.tag == atom.Article {
		return parts
	}
	// A root that is a single paragraph is never the whole body: its
	// sibling paragraphs of text join it however short they are.
	leaf := root.blockN <= 1
	for c := p.first; c != nil; c = c.next {
		if c == root || c.isText || c.good == 0 || c.good < 200 && !leaf {
			continue
		}
		if (leaf && c.score > 0 || c.score >= max(100, 0.1*root.score)) && c.linkB*3 < c.textN && !hasTitle(c) {
			parts = append(parts, c)
		}
	}
	return parts
}

// isLabel reports a heading or a short line that reads as one: a few
// words without closing punctuation. List items and cells are not labels.
func isLabel(b *block) bool {
	if isHeading(b.tag) {
		return true
	}
	switch b.tag {
	case atom.Li, atom.Dd, atom.Dt, atom.Td, atom.Th, atom.Tr:
		return false
	}
	t := strings.TrimSpace(b.text)
	if len(t) == 0 || len(t) > 40 || strings.Count(t, " ") >= 5 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(t)
	switch r {
	case '.', '!', '?', '"', '\'', '”', '’', ')', '…', '。', '！', '？':
		return false
	}
	return true
}

// isShout reports text with letters, all in upper case ("DON'T MISS").
func isShout(t string) bool {
	letters := false
	for _, r := range t {
		if unicode.IsLower(r) {
			return false
		}
		letters = letters || unicode.IsUpper(r)
	}
	return letters
}

// dropOrphanLabels removes headings and labels whose content was dropped:
// a label that heads a removed list of links ("More:", "DON'T MISS"), and
// labels left at the end of the body with nothing after them
// ("Comments", "About the author", "You may also like").
func dropOrphanLabels(blocks []block, paras []string, idx []int, removed []article.Removed) ([]string, []int, []article.Removed) {
	drop := func(k int, reason article.Reason) {
		b := &blocks[idx[k]]
		removed = append(removed, article.Removed{Text: b.text, Reason: reason, Index: idx[k], Offset: b.offset})
		paras = append(paras[:k], paras[k+1:]...)
		idx = append(idx[:k], idx[k+1:]...)
	}
	for k := 0; k < len(idx); k++ {
		b := &blocks[idx[k]]
		if !isLabel(b) {
			continue
		}
		// The next visible block, if it was dropped, and link-dense.
		j := idx[k] + 1
		for j < len(blocks) && blocks[j].silent() {
			j++
		}
		if j >= len(blocks) || (k+1 < len(idx) && idx[k+1] == j) {
			continue
		}
		nb := &blocks[j]
		if nb.linkLen*2 <= len(nb.text) && nb.kind != kindRelated {
			continue
		}
		t := strings.TrimSpace(b.text)
		if strings.HasSuffix(t, ":") || isShout(t) || isHeading(b.tag) && (k+1 == len(idx) || isLabel(&blocks[idx[k+1]])) {
			drop(k, article.ReasonRelated)
			k--
		}
	}
	// At the end: headings, shouted labels, and a word or two before a
	// dropped list of links ("Topics", "comments"), but not a longer line,
	// which may be a credit ("With wire services").
	for n, prevDropped := 0, false; n < 3 && len(idx) > 1; n++ {
		b := &blocks[idx[len(idx)-1]]
		if !isLabel(b) {
			break
		}
		if !isHeading(b.tag) && !isShout(b.text) {
			j := idx[len(idx)-1] + 1
			for j < len(blocks) && blocks[j].silent() {
				j++
			}
			linky := j < len(blocks) && blocks[j].linkLen*2 > len(blocks[j].text)
			if len(strings.Fields(b.text)) > 2 || !linky && !prevDropped {
				break
			}
		}
		drop(len(idx)-1, article.ReasonNav)
		prevDropped = true
	}
	return paras, idx, removed
}

// isCounter reports a gallery or pager counter: "Image 2 of 5", "1 of 6",
// "1 - 5 of 36".
func isCounter(t string) bool {
	w := strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(w) > 0 {
		switch w[0] {
		case "image", "images", "photo", "photos", "picture", "slide", "foto", "fotos", "bild", "imagen", "gallery":
			w = w[1:]
		}
	}
	num := func(s string) bool {
		for _, r := range s {
			if r < '0' || r > '9' {
				return false
			}
		}
		return s != ""
	}
	sep := func(s string) bool {
		switch s {
		case "of", "de", "von", "di", "sur", "из", "van", "från", "z":
			return true
		}
		return false
	}
	switch len(w) {
	case 2:
		return num(w[0]) && num(w[1]) && strings.Contains(t, "/") && len(t) < 16
	case 3:
		return num(w[0]) && sep(w[1]) && num(w[2])
	case 4:
		return num(w[0]) && num(w[1]) && sep(w[2]) && num(w[3])
	}
	return false
}

// opensWithCopyright reports a line that opens with a copyright sign, or
// with "Copyright" and a sign: a notice or a photo credit.
func opensWithCopyright(t string) bool {
	t = strings.TrimSpace(t)
	for _, p := range []string{"©", "ⓒ", "(c) ", "(C) "} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	if len(t) > 10 && strings.EqualFold(t[:9], "copyright") {
		r := strings.TrimSpace(t[9:])
		return strings.HasPrefix(r, "©") || strings.HasPrefix(r, "ⓒ") || strings.HasPrefix(r, "(c)") || strings.HasPrefix(r, "(C)")
	}
	return false
}

var datelineWords = map[string]bool{
	"jan": true, "feb": true, "mar": true, "apr": true, "may": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "january": true, "february": true,
	"march": true, "april": true, "june": true, "july": true, "august": true, "september": true,
	"october": true, "november": true, "december": true, "am": true, "pm": true, "gmt": true, "utc": true,
	"et": true, "est": true, "edt": true, "pt": true, "pst": true, "bst": true, "ist": true, "at": true,
	"on": true, "published": true, "updated": true, "posted": true, "first": true, "last": true,
	"min": true, "mins": true, "read": true, "minute": true, "minutes": true, "ago": true, "hours": true,
	"hour": true, "monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true, "mon": true, "tue": true, "wed": true, "thu": true, "fri": true,
	"sat": true, "sun": true, "modified": true,
	// Portuguese, Spanish, French, German and Italian.
	"de": true, "del": true, "às": true, "a": true, "as": true, "le": true, "à": true, "um": true, "uhr": true,
	"alle": true, "ore": true, "janeiro": true, "fevereiro": true, "março": true, "abril": true, "maio": true,
	"junho": true, "julho": true, "agosto": true, "setembro": true, "outubro": true, "novembro": true,
	"dezembro": true, "segunda": true, "terça": true, "quarta": true, "quinta": true, "sexta": true,
	"feira": true, "sábado": true, "domingo": true, "enero": true, "febrero": true, "marzo": true,
	"mayo": true, "junio": true, "julio": true, "septiembre": true, "octubre": true, "noviembre": true,
	"diciembre": true, "lunes": true, "martes": true, "miércoles": true, "jueves": true, "viernes": true,
	"janvier": true, "février": true, "mars": true, "avril": true, "mai": true, "juin": true, "juillet": true,
	"août": true, "septembre": true, "octobre": true, "novembre": true, "décembre": true, "lundi": true,
	"mardi": true, "mercredi": true, "jeudi": true, "vendredi": true, "samedi": true, "dimanche": true,
	"januar": true, "februar": true, "märz": true, "juni": true, "juli": true, "oktober": true,
	"dezember": true, "montag": true, "dienstag": true, "mittwoch": true, "donnerstag": true, "freitag": true,
	"samstag": true, "sonntag": true, "gennaio": true, "febbraio": true, "aprile": true, "maggio": true,
	"giugno": true, "luglio": true, "settembre": true, "ottobre": true, "dicembre": true,
	"publicado": true, "pubblicato": true, "publié": true, "veröffentlicht": true, "actualizado": true,
	"atualizado": true, "aggiornato": true, "aktualisiert": true,
}

// isDateline reports a line made only of a date, a time and words such
// as "Published" or "min read".
func isDateline(t string) bool {
	words, digits := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		words++
		if w[0] >= '0' && w[0] <= '9' {
			digits++
			continue
		}
		if !datelineWords[w] {
			return false
		}
	}
	return digits > 0 && words >= 2
}

// isCopyright reports a copyright line.
func isCopyright(t string) bool {
	if len(t) > 300 {
		return false
	}
	l := strings.ToLower(t)
	return strings.Contains(l, "©") || strings.Contains(l, "copyright") || strings.Contains(l, "all rights reserved")
}

func hasWord(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// reasonTitle marks a heading dropped because it repeats the title, which
// the record holds in Title.
const reasonTitle = article.ReasonDuplicate

// isLink reports an <a> that is a link: not a bare <a name> anchor, which
// old pages leave open so that it holds the rest of the page.
func isLink(n *node) bool {
	return n.tag == atom.A && (n.hasAttr("href") || !n.hasAttr("name"))
}
