package extract

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/article"
)

// Regression tests for the failure kinds of issue 8, each on a fictional
// page of its own. They are named after the failure.

// narrativeParas returns n distinct paragraphs of running prose, each
// about sixty words in several sentences.
func narrativeParas(n int) []string {
	places := []string{"the mill", "the ferry landing", "the old school", "the quarry", "the chapel", "the depot", "the weir", "the orchard"}
	var out []string
	for i := 0; i < n; i++ {
		p := places[i%len(places)]
		out = append(out, fmt.Sprintf("In the %s chapter of her account, the surveyor walked from %s to the river and counted %d boats drawn up on the shingle. "+
			"She wrote that the tide had turned an hour early, that the wind came hard from the east, and that nobody in the village could remember a spring like it. "+
			"Her notes from that day fill %d pages of the ledger.", ordinal(i+1), p, 3+i, 10+i))
	}
	return out
}

func ordinal(i int) string {
	return fmt.Sprintf("%dth", i)
}

func wrapP(paras []string) string {
	var b strings.Builder
	for _, p := range paras {
		b.WriteString("<p>" + p + "</p>\n")
	}
	return b.String()
}

func mustHTML(t *testing.T, page string) *article.Article {
	t.Helper()
	t.Cleanup(func() {
		if t.Failed() && testing.Verbose() {
			dumpBlocks([]byte(page))
		}
	})
	a, err := HTML([]byte(page), Options{Name: t.Name() + ".html", URL: "https://magazine.example/2026/05/long-read"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func assertKept(t *testing.T, a *article.Article, want []string) {
	t.Helper()
	got := strings.Join(a.Paragraphs, "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing from the body: %.70q", w)
		}
	}
}

// Narrative paragraphs inside paywall and marketing wrappers were removed
// as boilerplate:cta: a 60-word paragraph of narrative is never a call to
// action.
func TestNarrativeInPaywallWrapperNotCTA(t *testing.T) {
	paras := narrativeParas(12)
	page := `<html><head><title>The surveyor's spring | Tidewater Magazine</title></head><body>
<nav><a href="/">Home</a> <a href="/subscribe">Subscribe</a> <a href="/archive">Archive</a></nav>
<div class="paywall-wrapper subscriber-content">
<h1>The surveyor's spring</h1>
<div class="paywall-fade">` + wrapP(paras[:4]) + `</div>
<div class="subscribe-inline">` + wrapP(paras[4:8]) + `</div>
<div class="paywall-body">` + wrapP(paras[8:]) + `</div>
</div>
<div class="newsletter-signup"><p>Sign up for our newsletter and get the best stories every week.</p><button>Sign up</button></div>
</body></html>`
	a := mustHTML(t, page)
	assertKept(t, a, paras)
	for _, r := range a.Removed {
		if r.Reason == article.ReasonCTA && len(strings.Fields(r.Text)) > 45 {
			t.Errorf("narrative removed as a call to action: %.60q", r.Text)
		}
	}
	if strings.Contains(a.Text, "Sign up for our newsletter") {
		t.Error("the real call to action was kept")
	}
}

// Lists that are the article ("the full list of winners") were removed as
// boilerplate:nav, keeping only the introduction.
func TestListArticleNotNav(t *testing.T) {
	// Short items whose play titles are links: each too short to read as
	// text, and partly linked, like a menu.
	var items []string
	var list strings.Builder
	names := []string{"Marta Vell", "Oskar Brine", "Ada Fenwick", "Tom Quill", "Ines Harrow", "Rui Saltash", "Bea Lorne"}
	for i := 1; i <= 40; i++ {
		name, play := names[i%len(names)], fmt.Sprintf("Lantern Keeper %d", i)
		items = append(items, fmt.Sprintf("Award %d: %s for %s", i, name, play))
		fmt.Fprintf(&list, "<li>Award %d: %s for <a href=\"/plays/%d\">%s</a></li>\n", i, name, i, play)
	}
	var menu strings.Builder
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&menu, `<li><a href="/section/%d">Section %d</a></li>`, i, i)
	}
	page := `<html><body>
<div class="header"><ul class="menu">` + menu.String() + `</ul></div>
<div class="main">
<h1>Harbour theatre awards: the full list of winners</h1>
<p>The Harbour Theatre Awards were handed out on Saturday night in a ceremony at the Corn Exchange, and the Saltmarsh Players took home more prizes than any company in the awards' history.</p>
<p>Here is the full list of winners:</p>
<ul>` + list.String() + `</ul>
</div>
<div class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Ferry timetable changes</a></li><li><a href="/b">New bakery opens</a></li><li><a href="/c">Tide tables for June</a></li></ul></div>
</body></html>`
	a := mustHTML(t, page)
	assertKept(t, a, items)
	if strings.Contains(a.Text, "Ferry timetable") || strings.Contains(a.Text, "Section 3") {
		t.Errorf("navigation kept: %q", a.Text)
	}
	// The menu of 30 links is one removed entry, not 30.
	navs := 0
	for _, r := range a.Removed {
		if strings.Contains(r.Text, "Section 1") {
			navs++
			if !strings.Contains(r.Text, "Section 29") || r.Reason != article.ReasonNav {
				t.Errorf("menu entry = %+v, want all its lines in one boilerplate:nav entry", r)
			}
		}
	}
	if navs != 1 {
		t.Errorf("menu removed in %d entries, want 1", navs)
	}
}

// A body split into several blocks (text, a promotion, more text) kept
// only one of them.
func TestSplitBodyKeepsAllParts(t *testing.T) {
	paras := narrativeParas(8)
	var teasers strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&teasers, `<li><a href="/story/%d">Another story from the coast, number %d, with a long headline here</a></li>`, i, i)
	}
	page := `<html><body><div class="page">
<div class="story-part">` + wrapP(paras[:3]) + `</div>
<div class="inline-promo"><a href="/shop">Visit our shop</a></div>
<div class="story-part">` + wrapP(paras[3:6]) + `</div>
<figure><img src="x.jpg"><figcaption>The quarry at dawn.</figcaption></figure>
<div class="story-part">` + wrapP(paras[6:]) + `</div>
<div class="more"><ul>` + teasers.String() + `</ul></div>
</div></body></html>`
	a := mustHTML(t, page)
	assertKept(t, a, paras)
	if strings.Contains(a.Text, "Another story from the coast") {
		t.Error("teaser links kept")
	}
}

// Real articles failed with "no article found" when the page laid its
// article out in <aside> elements or classed it as a widget. The best
// available text is kept, with a warning.
func TestAsideLayoutNotNoArticle(t *testing.T) {
	paras := narrativeParas(3)
	page := `<html><body>
<header><a href="/">Lantern Gossip</a></header>
<section class="content">
<aside class="post">
<h1>The surveyor's spring</h1>
<div class="postbody">` + wrapP(paras) + `</div>
</aside>
<aside class="rightcolumn"><h3>Top stories</h3><ul><li><a href="/1">One</a></li><li><a href="/2">Two</a></li></ul></aside>
</section>
<footer><p>Lantern Gossip, 12 Quay Street.</p></footer>
</body></html>`
	a := mustHTML(t, page)
	assertKept(t, a, paras)
	if len(a.Warnings) == 0 {
		t.Error("no warning that the looser pass was used")
	}
	// A page with next to no text is still "no article found".
	_, err := HTML([]byte(`<html><body><aside><p>Short note.</p></aside></body></html>`), Options{Name: "short.html"})
	if err == nil {
		t.Error("a page with no article gave no error")
	}
}

// A documentation-style anchor id made of a heading's words ("sharing-
// with-a-single-developer") classified its section as a share bar.
func TestHeadingSlugIDNotVocabulary(t *testing.T) {
	paras := narrativeParas(4)
	page := `<html><body><div class="document">
<div class="section" id="keeping-notes-in-the-field"><h1>Keeping notes in the field</h1>` + wrapP(paras[:2]) + `</div>
<div class="section" id="sharing-with-a-second-surveyor"><h2>Sharing with a second surveyor</h2>` + wrapP(paras[2:]) + `</div>
</div></body></html>`
	a := mustHTML(t, page)
	assertKept(t, a, paras)
}

// Old pages leave <a name> anchors open, so that one holds the rest of the
// page; its text was counted as link text and the page had "no article".
func TestOpenNameAnchorIsNotALink(t *testing.T) {
	paras := narrativeParas(4)
	page := `<html><body><h1>Field notes</h1><a name="part1"><h2>Part one</h2>` + wrapP(paras[:2]) +
		`<a name="part2"><h2>Part two</h2>` + wrapP(paras[2:]) + `</body></html>`
	a := mustHTML(t, page)
	assertKept(t, a, paras)
}

// Blog engines put a post's categories and tags in its class list
// ("category-social-media", "entry-author-jane_roe"); a post filed under
// "social" was dropped as a share bar and one by an author as a byline.
func TestTaxonomyClassesNotVocabulary(t *testing.T) {
	paras := narrativeParas(2) // two paragraphs: too few for the rule that exempts a container of most of the text
	page := `<html><body><div class="blog">
<div class="post hentry entry-category-social-sharing category-newsletter tag-advertising">
<h3 class="entry-header">Field notes</h3><div class="entry-content">` + wrapP(paras) + `</div></div>
<div class="sidebar"><p>About this blog: notes from the coast, the harbour and the people who work there, written since the spring of the flood year.</p><ul><li><a href="/a">Archive</a></li><li><a href="/b">About</a></li></ul></div>
</div></body></html>`
	a := mustHTML(t, page)
	assertKept(t, a, paras)
	if len(a.Warnings) != 0 {
		t.Errorf("warnings %q: the strict pass should find this post", a.Warnings)
	}
}

// A body whose best element is a single paragraph kept only that
// paragraph when a list of links below sank their common container.
func TestParagraphRootKeepsSiblings(t *testing.T) {
	var links strings.Builder
	for i := 0; i < 25; i++ {
		fmt.Fprintf(&links, `<li><a href="/episode/%d">Earlier episode number %d of the harbour podcast series</a></li>`, i, i)
	}
	page := `<html><body><div class="podcast">
<p>What does the harbour sound like at night?</p>
<p>Ada Fenwick believes that many visitors miss the best of the quay, which only wakes after dark, when the boats come back and the fish market opens its doors to the restaurants of the old town.</p>
<p>In the latest episode, Tom Quill walks the quay with her from dusk to dawn.</p>
<p>Stream or download this fourteen-minute episode.</p>
<ul>` + links.String() + `</ul></div></body></html>`
	a := mustHTML(t, page)
	assertKept(t, a, []string{"What does the harbour sound like", "In the latest episode, Tom Quill", "Stream or download"})
}

// A comment thread longer than the post it discusses was kept as the
// article: it held most of the page's text, which exempted it from its
// "comments" class.
func TestLongCommentThreadNotArticle(t *testing.T) {
	paras := narrativeParas(3)
	var thread strings.Builder
	for i, p := range narrativeParas(10) {
		fmt.Fprintf(&thread, `<li><p class="who">Reader %d said:</p><p>I disagree. %s</p></li>`, i, p)
	}
	page := `<html><body><div class="post"><h1>Field notes</h1><div class="entry">` + wrapP(paras) + `</div>
<div class="comments"><h3>Comments</h3><ol>` + thread.String() + `</ol></div></div></body></html>`
	a := mustHTML(t, page)
	assertKept(t, a, paras)
	if strings.Contains(a.Text, "I disagree") {
		t.Error("the comment thread was kept")
	}
}

// Old pages lay a story out as rows of a table that also holds rows of
// related links, or as <br>-separated lines of one cell; no element holds
// the story alone, and the page gave "no article found".
func TestStoryInRowsAndLines(t *testing.T) {
	paras := narrativeParas(5)
	var related strings.Builder
	for i := 0; i < 80; i++ {
		fmt.Fprintf(&related, `<tr><td><a href="/story/%d">Another reader's story from the harbour, number %d</a></td></tr>`, i, i)
	}
	rows := ""
	for _, p := range paras {
		rows += "<tr><td>" + p + "</td></tr>\n"
	}
	t.Run("rows", func(t *testing.T) {
		page := `<html><body><h1>A reader's story</h1><table>` + rows + `<tr><td>Related stories:</td></tr>` + related.String() + `</table></body></html>`
		a := mustHTML(t, page)
		assertKept(t, a, paras)
		if strings.Contains(a.Text, "Another reader's story") {
			t.Error("related links kept")
		}
	})
	t.Run("lines", func(t *testing.T) {
		var links strings.Builder
		for i := 0; i < 80; i++ {
			fmt.Fprintf(&links, `<a href="/story/%d">Another reader's story from the harbour, number %d</a><br>`, i, i)
		}
		page := `<html><body><h1>A reader's story</h1><table><tr><td>` + strings.Join(paras, "<br><br>") +
			`<br><br>Related stories:<br>` + links.String() + `</td></tr></table></body></html>`
		a := mustHTML(t, page)
		assertKept(t, a, paras)
		if strings.Contains(a.Text, "Another reader's story") {
			t.Error("related links kept")
		}
	})
}

// A short page (a note of a dozen words) gave "no article found"; users
// want its text, flagged, and an error only for a page with no words.
func TestShortPageKeptWithWarning(t *testing.T) {
	a := mustHTML(t, `<html><body><nav><a href="/">Home</a></nav><div class="note"><p>The ferry is cancelled today; back on Friday.</p></div></body></html>`)
	if a.Text != "The ferry is cancelled today; back on Friday." || len(a.Warnings) == 0 {
		t.Errorf("text %q, warnings %q: want the note, flagged", a.Text, a.Warnings)
	}
	if _, err := HTML([]byte(`<html><body><nav><a href="/">Home</a></nav><p>OK</p></body></html>`), Options{Name: "empty.html"}); !errors.Is(err, ErrNoArticle) {
		t.Errorf("a page of one word: err %v, want ErrNoArticle", err)
	}
}
