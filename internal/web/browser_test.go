package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// chromiumPath finds the browser: Debian's chromium package, or another
// Chrome named by NEWSDESK_CHROMIUM. Without one the browser tests skip,
// unless CI is set: there they fail, so that a CI run without a browser
// is never green by accident.
func chromiumPath(t *testing.T) string {
	t.Helper()
	cands := []string{os.Getenv("NEWSDESK_CHROMIUM"), "chromium", "chromium-browser", "/usr/bin/chromium"}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("browser tests: no chromium found (CI is set): install Debian's chromium package (.ci/run does)")
	}
	t.Skip("browser tests: no chromium on PATH (apt-get install chromium); skipped outside CI")
	return ""
}

// sqliteStore is the SQLite store with the fixtures stored (articles,
// stories, copy groups and feeds), as the browser tests read it.
func sqliteStore(t *testing.T) store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var s store.Store = st
	nr, ok := store.AsNewsroom(s)
	if !ok {
		t.Fatal("the SQLite store does not implement store.Newsroom")
	}
	arts, stories := fixtures()
	var entries []store.Entry
	for _, a := range arts {
		entries = append(entries, store.Entry{Article: a, Raw: []byte("raw " + a.ID), ContentType: "text/html"})
	}
	if _, err := s.Put(ctx, entries); err != nil {
		t.Fatal(err)
	}
	if err := s.PutStories(ctx, stories); err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if err := s.SetStory(ctx, a.ID, a.Story); err != nil {
			t.Fatal(err)
		}
		if a.DupGroup != "" {
			if err := s.SetDupGroup(ctx, a.ID, a.DupGroup); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range fixtureFeeds() {
		if err := nr.PutFeed(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// browser watches a tab for what must never happen on these pages: a
// JavaScript dialog, an uncaught exception, a console or browser-log error
// (a CSP violation is one).
type browser struct {
	ctx      context.Context
	base     string
	mu       sync.Mutex
	problems []string
}

func (b *browser) report(format string, args ...any) {
	b.mu.Lock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
	b.mu.Unlock()
}

func (b *browser) takeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	exe := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // CI containers run as root
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	b := &browser{ctx: ctx, base: base}

	// Start the browser and watch the tab before the first page loads.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("browser tests: chromium at %s does not start: %v", exe, err)
		}
		t.Fatalf("chromium at %s does not start: %v", exe, err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.report("console %s (%s)", m, m.URL)
			}
		}
	}()
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.report("a %s dialog opened: %q", ev.Type, ev.Message)
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return b
}

// do runs actions with a time limit, so that a wait for something that
// never comes fails one check and not the whole run.
func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	return chromedp.Do(ctx, steps...)
}

func (b *browser) open(t *testing.T, path string) {
	t.Helper()
	if err := b.do(chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("footer.site"))); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func evalT[T any](t *testing.T, b *browser, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// settle gives late events (console messages, dialogs) time to arrive,
// then fails on any.
func (b *browser) settle(t *testing.T, what string) {
	t.Helper()
	time.Sleep(300 * time.Millisecond)
	for _, p := range b.takeProblems() {
		if strings.HasSuffix(what, "(404)") && strings.Contains(p, "status of 404") {
			continue // the 404 page's own status
		}
		t.Errorf("%s: %s", what, p)
	}
}

func TestBrowser(t *testing.T) {
	chromiumPath(t)
	st := sqliteStore(t)
	srv := httptest.NewServer(New(st, Options{Now: func() time.Time { return fixedNow }}))
	defer srv.Close()
	b := newBrowser(t, srv.URL)

	// The watcher is not blind: a dialog and an exception are reported.
	t.Run("watcher sees dialogs and exceptions", func(t *testing.T) {
		b.open(t, "/")
		b.do(chromedp.Evaluate[chromedp.Void](`alert("probe")`))
		b.do(chromedp.Evaluate[chromedp.Void](`setTimeout(() => { throw new Error("probe") }, 0)`))
		time.Sleep(300 * time.Millisecond)
		got := strings.Join(b.takeProblems(), "\n")
		if !strings.Contains(got, "dialog opened") || !strings.Contains(got, "probe") || !strings.Contains(got, "exception") {
			t.Errorf("the watcher missed a dialog or an exception: %q", got)
		}
	})

	t.Run("front page lists stories", func(t *testing.T) {
		b.open(t, "/")
		n := evalT[int](t, b, `document.querySelectorAll("ol.stories > li").length`)
		if n < 2 {
			t.Errorf("%d stories listed", n)
		}
		first := evalT[string](t, b, `document.querySelector("ol.stories > li h2").textContent`)
		if !strings.Contains(first, "Kestrel Bridge") {
			t.Errorf("the story with most outlets is not first: %q", first)
		}
		if lang := evalT[string](t, b, `document.documentElement.lang`); lang != "en" {
			t.Errorf("html lang %q", lang)
		}
		// The stylesheet loaded (same origin, allowed by the CSP).
		if pos := evalT[string](t, b, `getComputedStyle(document.querySelector(".skip")).position`); pos != "absolute" {
			t.Errorf("the stylesheet is not applied: .skip position %q", pos)
		}
		b.settle(t, "/")
	})

	t.Run("keyboard: skip link first", func(t *testing.T) {
		b.open(t, "/")
		if err := b.do(chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		if cls := evalT[string](t, b, `document.activeElement.className`); cls != "skip" {
			t.Errorf("the first Tab focuses %q, not the skip link", cls)
		}
		outline := evalT[string](t, b, `getComputedStyle(document.activeElement).outlineStyle`)
		if outline == "none" {
			t.Error("the focused skip link has no visible outline")
		}
		if err := b.do(chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		if id := evalT[string](t, b, `document.activeElement.id`); id != "main" {
			t.Errorf("the skip link moves focus to %q, not #main", id)
		}
		// The next Tab reaches the first story's link, past the header.
		if err := b.do(chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		if href := evalT[string](t, b, `document.activeElement.getAttribute("href") || ""`); !strings.HasPrefix(href, "/stories/") {
			t.Errorf("Tab after the skip link focuses %q, not a story", href)
		}
		b.settle(t, "keyboard")
	})

	t.Run("search returns results", func(t *testing.T) {
		b.open(t, "/search")
		if err := b.do(
			chromedp.SendKeys(chromedp.ID("q"), "kestrel"+kb.Enter),
			chromedp.WaitVisible(chromedp.CSS("ol.hits > li")),
		); err != nil {
			t.Fatal(err)
		}
		n := evalT[int](t, b, `document.querySelectorAll("ol.hits > li").length`)
		if n < 1 {
			t.Errorf("%d hits", n)
		}
		if loc := evalT[string](t, b, `location.search`); !strings.Contains(loc, "q=kestrel") {
			t.Errorf("the form did not submit: %q", loc)
		}
		bars := evalT[int](t, b, `document.querySelectorAll("svg.chart rect.bar").length`)
		if bars < 7 {
			t.Errorf("the coverage chart has %d bars", bars)
		}
		tall := evalT[int](t, b, `[...document.querySelectorAll("svg.chart rect.bar")].filter(r => r.getAttribute("height") > 0).length`)
		if tall < 1 {
			t.Error("no day of the coverage chart has articles")
		}
		b.settle(t, "/search")
	})

	t.Run("article marks and removed segments", func(t *testing.T) {
		b.open(t, "/articles/u00000000000000000a01")
		for sel, min := range map[string]int{"#text .entity-person": 2, "#text .entity-place": 3, "#text .entity-org": 1, "#text q.quote": 2, "#text .time": 3} {
			if n := evalT[int](t, b, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)); n < min {
				t.Errorf("%s: %d marks, want %d or more", sel, n, min)
			}
		}
		if lang := evalT[string](t, b, `document.getElementById("text").lang`); lang != "en" {
			t.Errorf("text lang %q", lang)
		}
		if open := evalT[bool](t, b, `document.getElementById("removed").open`); open {
			t.Error("the removed segments are open before a click")
		}
		if vis := evalT[bool](t, b, `document.querySelector("#removed li").checkVisibility()`); vis {
			t.Error("a removed segment is visible while collapsed")
		}
		if err := b.do(chromedp.Click(chromedp.CSS("#removed summary"))); err != nil {
			t.Fatal(err)
		}
		if open := evalT[bool](t, b, `document.getElementById("removed").open`); !open {
			t.Error("the removed segments did not open on click")
		}
		if vis := evalT[bool](t, b, `document.querySelector("#removed li").checkVisibility()`); !vis {
			t.Error("a removed segment is not visible once open")
		}
		text := evalT[string](t, b, `document.getElementById("removed").textContent`)
		if !strings.Contains(text, "boilerplate:ad") || !strings.Contains(text, "Subscribe to the Harbour Gazette") {
			t.Errorf("removed segments: %q", text)
		}
		// The script (same origin) enhances: a button hides the marks.
		if err := b.do(chromedp.Click(chromedp.CSS("button.marks-toggle"))); err != nil {
			t.Fatal(err)
		}
		if !evalT[bool](t, b, `document.getElementById("text").classList.contains("plain")`) {
			t.Error("the marks toggle did nothing")
		}
		rel := evalT[string](t, b, `document.querySelector("a.original").rel`)
		if rel != "noopener noreferrer" {
			t.Errorf("original link rel %q", rel)
		}
		b.settle(t, "article")
	})

	t.Run("hostile record is plain text", func(t *testing.T) {
		for _, path := range []string{"/articles/u00000000000000000bad", "/", "/stories/s000000000003", "/search?q=harbour", "/feeds", "/entities"} {
			b.open(t, path)
			bad := evalT[int](t, b, `document.querySelectorAll("script:not([src]), img, iframe, style, object, embed, b, i, svg:not(.chart)").length`)
			if bad != 0 {
				t.Errorf("%s: %d injected elements", path, bad)
			}
			js := evalT[int](t, b, `[...document.querySelectorAll("[href],[src],[action]")].filter(e => /^\s*javascript:/i.test(e.getAttribute("href") || e.getAttribute("src") || e.getAttribute("action"))).length`)
			if js != 0 {
				t.Errorf("%s: %d javascript: links", path, js)
			}
			handlers := evalT[int](t, b, `[...document.querySelectorAll("*")].filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length`)
			if handlers != 0 {
				t.Errorf("%s: %d elements with event handlers", path, handlers)
			}
			b.settle(t, path)
		}
		b.open(t, "/articles/u00000000000000000bad")
		if h1 := evalT[string](t, b, `document.querySelector("h1").textContent`); h1 != xssTitle {
			t.Errorf("title shown as %q", h1)
		}
		body := evalT[string](t, b, `document.getElementById("text").textContent`)
		for _, want := range []string{`<img src=x onerror=alert(1)>`, `<a href="javascript:alert(2)">click</a>`, `<style>body{display:none}</style>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the text does not show %q as text", want)
			}
		}
		if n := evalT[int](t, b, `document.querySelectorAll("a.original").length`); n != 0 {
			t.Error("the javascript: URL is a link")
		}
		b.settle(t, "hostile")
	})

	t.Run("works with JavaScript off", func(t *testing.T) {
		// The same pages with every script refused by their CSP: the
		// browser runs none of the page's own scripts, as with JavaScript
		// off (the test still reads the page through the protocol).
		h := New(st, Options{Now: func() time.Time { return fixedNow }})
		noJS := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Security-Policy", strings.Replace(CSP, "script-src 'self'", "script-src 'none'", 1))
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		}))
		defer noJS.Close()
		base := b.base
		b.base = noJS.URL
		defer func() { b.base = base }()
		b.open(t, "/search")
		if err := b.do(
			chromedp.SendKeys(chromedp.ID("q"), "bridge"+kb.Enter),
			chromedp.WaitVisible(chromedp.CSS("ol.hits > li")),
			chromedp.Click(chromedp.CSS("ol.hits > li a.title")),
			chromedp.WaitVisible(chromedp.ID("text")),
		); err != nil {
			t.Fatal(err)
		}
		if n := evalT[int](t, b, `document.querySelectorAll("button.marks-toggle").length`); n != 0 {
			t.Error("the script ran with JavaScript off")
		}
		if n := evalT[int](t, b, `document.querySelectorAll("#text .entity").length`); n == 0 {
			t.Error("no marks with JavaScript off")
		}
		b.open(t, "/articles/u00000000000000000a01")
		if err := b.do(chromedp.Click(chromedp.CSS("#removed summary"))); err != nil {
			t.Fatal(err)
		}
		if !evalT[bool](t, b, `document.getElementById("removed").open`) {
			t.Error("the removed segments do not open with JavaScript off")
		}
		time.Sleep(300 * time.Millisecond)
		for _, p := range b.takeProblems() {
			if !strings.Contains(p, "Content Security Policy") {
				t.Errorf("JavaScript off: %s", p)
			}
		}
	})

	t.Run("phone viewport", func(t *testing.T) {
		if err := b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(3))); err != nil {
			t.Fatal(err)
		}
		defer b.do(chromedp.ResetViewport())
		for _, path := range []string{"/", "/stories/s000000000001", "/articles/u00000000000000000a01", "/articles/u00000000000000000bad",
			"/search?q=kestrel", "/feeds", "/entities", "/entities/person:mara-lindqvist", "/nope"} {
			b.open(t, path)
			w := evalT[[]int](t, b, `[document.documentElement.scrollWidth, window.innerWidth]`)
			if w[1] > 400 {
				t.Fatalf("viewport not phone-sized: innerWidth %d", w[1])
			}
			if w[0] > w[1] {
				t.Errorf("%s: horizontal overflow at 390px: scrollWidth %d > innerWidth %d", path, w[0], w[1])
			}
			if path == "/nope" {
				b.settle(t, path+" (404)")
			} else {
				b.settle(t, path+" (phone)")
			}
		}
		b.open(t, "/articles/u00000000000000000a01")
		if err := b.do(chromedp.Click(chromedp.CSS("#removed summary"))); err != nil {
			t.Fatal(err)
		}
		if !evalT[bool](t, b, `document.getElementById("removed").open`) {
			t.Error("phone: the removed segments did not open")
		}
		if w := evalT[[]int](t, b, `[document.documentElement.scrollWidth, window.innerWidth]`); w[0] > w[1] {
			t.Errorf("phone: open removed segments overflow: %v", w)
		}
	})
}
