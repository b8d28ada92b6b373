package extract

import (
	"strings"
	"testing"
)

// TestParagraphRules checks the rules that decide single paragraphs at the
// edges of the body: captions made of inline elements, gallery counters,
// credits, labels whose list was dropped, and subheadings classed as a
// standfirst.
func TestParagraphRules(t *testing.T) {
	const p1 = "The river authority opened the new fish pass at the weir on Tuesday, the first change to the structure since it was rebuilt after the floods of the nineteen sixties."
	const p2 = "Salmon and sea trout have struggled to climb the old weir in dry summers, when the flow over the stone lip is too shallow for them to get any purchase at all."
	const p3 = "Volunteers will count the fish that use the pass each autumn, and the first figures are expected in the spring, when the authority reports to the county council."
	page := func(body string) string {
		return `<html><head><title>Fish pass opens at the weir</title></head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><div class="article-body">` +
			body + `</div><footer><a href="/about">About us</a></footer></body></html>`
	}
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"inline caption", `<p>` + p1 + `</p><p><span class="image-caption">The new pass, seen from the footbridge. <span class="credit">River Authority</span></span></p><p>` + p2 + `</p>`,
			[]string{p1, p2}},
		{"inline classed text stays whole", `<p>` + p1 + ` It cost <span class="meta-figure">£1.2m</span>, shared with the county.</p><p>` + p2 + `</p>`,
			[]string{p1 + " It cost £1.2m, shared with the county.", p2}},
		{"gallery counters", `<p>` + p1 + `</p><div class="gallery"><p>Image 1 of 3</p><p>2 of 3</p></div><p>` + p2 + `</p>`,
			[]string{p1, p2}},
		{"credit line", `<p>` + p1 + `</p><p>© Jo Marsh / River Authority</p><p>` + p2 + `</p>`,
			[]string{p1, p2}},
		{"label over dropped links", `<p>` + p1 + `</p><h4>More:</h4><ul><li><a href="/a">Weir repairs finished ahead of schedule this spring</a></li><li><a href="/b">Anglers welcome plan for the upper river and its tributaries</a></li></ul><p>` + p2 + `</p>`,
			[]string{p1, p2}},
		{"subheading kept before text", `<p>` + p1 + `</p><h2>Counting the fish</h2><p>` + p2 + `</p>`,
			[]string{p1, "Counting the fish", p2}},
		{"trailing heading", `<p>` + p1 + `</p><p>` + p2 + `</p><h3>Comments</h3>`,
			[]string{p1, p2}},
		{"trailing credit line kept", `<p>` + p1 + `</p><p>` + p2 + `</p><p>With wire services</p>`,
			[]string{p1, p2, "With wire services"}},
		{"subheadline class inside the body", `<p>` + p1 + `</p><div class="pf_subheadline">What happens next?</div><p>` + p2 + `</p><p>` + p3 + `</p>`,
			[]string{p1, "What happens next?", p2, p3}},
		{"subheadline class above the body", `<div class="subheadline">A new route for salmon at the old weir</div><p>` + p1 + `</p><p>` + p2 + `</p>`,
			[]string{p1, p2}},
		{"amp placeholder", `<p>` + p1 + `</p><amp-iframe src="https://poll.example/1"><p placeholder>Loading poll...</p></amp-iframe><p>` + p2 + `</p>`,
			[]string{p1, p2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := HTML([]byte(page(tt.body)), Options{Name: tt.name})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(a.Paragraphs, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("paragraphs:\n%s\nwant:\n%s", strings.Join(a.Paragraphs, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestLiveBlogEntries(t *testing.T) {
	entry := func(h, p string) string {
		return `<article class="entry"><time>10.1` + h[:1] + `</time><h3>` + h + `</h3><p>` + p + `</p></article>`
	}
	const a1 = "The first train of the morning left the junction on time, but was held outside the tunnel for forty minutes while engineers checked the signals."
	const a2 = "Buses are replacing trains between the junction and the coast until at least noon, and the operator says tickets will be accepted on both."
	const a3 = "The signalling fault has been found and fixed, and trains are running again, although some services will be late for the rest of the morning."
	html := `<html><body><main><h1>Rail disruption live</h1><div class="live">` + entry("Fault fixed", a3) + entry("Buses replace trains", a2) + entry("Delays at the tunnel", a1) + `</div></main></body></html>`
	got, err := HTML([]byte(html), Options{Name: "live"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Fault fixed", a3, "Buses replace trains", a2, "Delays at the tunnel", a1}
	if strings.Join(got.Paragraphs, "\n") != strings.Join(want, "\n") {
		t.Errorf("live blog entries:\n%s\nwant all of them:\n%s", strings.Join(got.Paragraphs, "\n"), strings.Join(want, "\n"))
	}
	// A listing of teasers, each headed by a link, still narrows to one.
	teaser := func(h, p string) string {
		return `<article class="card"><h2><a href="/x">` + h + `</a></h2><p>` + p + `</p></article>`
	}
	listing := `<html><body><main>` + teaser("Fault fixed", a3) + teaser("Buses replace trains", a2) + teaser("Delays at the tunnel", a1) + `</main></body></html>`
	if got, err := HTML([]byte(listing), Options{Name: "listing"}); err == nil && len(got.Paragraphs) > 2 {
		t.Errorf("teaser listing: %d paragraphs %q, want one teaser at most", len(got.Paragraphs), got.Paragraphs)
	}
}
