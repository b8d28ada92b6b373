package dedup

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// harshOutlet is a fictional outlet's template: the lines it wraps around
// every article it republishes. The wordings are this test's own, so that
// the harsh copies do not share boilerplate with the development sets.
type harshOutlet struct {
	name      string
	byline    string   // %s: the outlet's name
	dateline  string   // %d: day of the month, then hour and minute
	ctas      []string // calls to action; one is used per article
	copyright string
}

// harshOutlets are the fictional outlets of the harsh edit model; the same
// lines land on unrelated articles, the way one outlet's template does.
var harshOutlets = []harshOutlet{
	{
		name:     "Harbour Gazette",
		byline:   "Reporting by the %s newsroom",
		dateline: "Filed %d March 2014, %02d:%02d GMT",
		ctas: []string{
			"Get the Harbour Gazette morning briefing in your inbox: sign up on our newsletters page, it takes less than a minute.",
			"Tell us what matters in your street. Our reporters read every message sent to the Harbour Gazette tip line.",
		},
		copyright: "© 2014 Harbour Gazette Media Ltd. Reproduction in whole or in part without written permission is prohibited.",
	},
	{
		name:     "Coastline Daily",
		byline:   "From %s correspondents",
		dateline: "Last modified %02d/03/2014 at %d.%02d",
		ctas: []string{
			"Spotted a mistake, or know something we should look into? Email the Coastline Daily desk.",
			"Coastline Daily is free to read thanks to readers like you. Chip in from one pound and keep it that way.",
		},
		copyright: "Coastline Daily is an independent regional publisher. Text and images are the property of Coastline Daily 2014.",
	},
	{
		name:     "Northfield Wire",
		byline:   "%s service",
		dateline: "Posted Mar %d 2014 · %d:%02d",
		ctas: []string{
			"Support local reporting: become a Northfield Wire member for less than the price of a coffee each week.",
			"Follow Northfield Wire on your favourite app to have headlines like these sent straight to your phone.",
		},
		copyright: "Northfield Wire copy may not be rebroadcast or redistributed without a licence. (c) 2014 Northfield Wire Cooperative.",
	},
	{
		name:     "Valley Courier",
		byline:   "Story by the %s news team",
		dateline: "March %d, 2014 / %d:%02d local time",
		ctas: []string{
			"What do you think? Join the discussion in the comments below and pass this article on to your neighbours.",
			"Never miss a Valley Courier story: turn on notifications from the bell icon at the top of the page.",
		},
		copyright: "Content copyright Valley Courier Inc. 2014, carried under a distribution agreement.",
	},
	{
		name:     "Lakeside Ledger",
		byline:   "Compiled by the %s digest team",
		dateline: "Updated: %d.03.2014 %02d:%02d",
		ctas: []string{
			"Download the Lakeside Ledger app to read offline and to get breaking-news alerts before anyone else.",
			"Our weekend edition rounds up the week in twelve stories. Subscribe today and the first month is on us.",
		},
		copyright: "Lakeside Ledger syndicated material. Use is subject to the Lakeside Ledger terms and conditions.",
	},
	{
		name:     "Ridgeway Post",
		byline:   "By a %s contributor",
		dateline: "%d Mar 2014 — %d hours %02d minutes ago",
		ctas: []string{
			"Hear today's top stories on The Ridgeway Post podcast, wherever you get your podcasts.",
			"Like this piece? Share it on social media with the buttons below, or send it to a friend by email.",
		},
		copyright: "Copyright © The Ridgeway Post Company 2014. Some rights reserved by contributing agencies.",
	},
}

// harshFillers are the words the harsh edit model slips into sentences.
var harshFillers = []string{"however", "meanwhile", "indeed", "notably", "officially", "now"}

// harshen applies a syndication edit model harsher than the development
// sets': another outlet's header, byline and footer, a call to action, a new
// headline, truncation, doubled and swapped paragraphs, and word edits.
func harshen(title, text string, rng *rand.Rand) (string, string) {
	outlet := harshOutlets[rng.IntN(len(harshOutlets))]
	paras := strings.Split(strings.TrimSpace(text), "\n\n")
	// Drop the title line that the development texts start with.
	if len(paras) > 1 && strings.TrimSpace(paras[0]) == strings.TrimSpace(title) {
		paras = paras[1:]
	}
	if n := len(paras); n > 4 && rng.IntN(2) == 0 { // truncate to 45-85%
		keep := max(2, n*(45+rng.IntN(41))/100)
		paras = paras[:keep]
	}
	if n := len(paras); n > 3 { // swap a pair
		i := rng.IntN(n - 1)
		paras[i], paras[i+1] = paras[i+1], paras[i]
	}
	var out []string
	for _, p := range paras {
		p = editWords(p, rng)
		out = append(out, p)
		if rng.IntN(5) == 0 { // doubled, itself edited
			out = append(out, editWords(p, rng))
		}
	}
	switch rng.IntN(3) { // new headline
	case 0:
		title = title + " | " + outlet.name
	case 1:
		title = strings.ToUpper(title)
	default:
		w := strings.Fields(title)
		if len(w) > 4 {
			w = w[:len(w)-2]
		}
		title = "Update: " + strings.Join(w, " ")
	}
	header := []string{
		title,
		fmt.Sprintf(outlet.byline, outlet.name),
		fmt.Sprintf(outlet.dateline, 1+rng.IntN(28), rng.IntN(24), rng.IntN(60)),
	}
	cta := outlet.ctas[rng.IntN(len(outlet.ctas))]
	footer := []string{outlet.copyright}
	if rng.IntN(4) == 0 { // the call to action under the header
		header = append(header, cta)
	} else {
		footer = append([]string{cta}, footer...)
	}
	return title, strings.Join(append(append(header, out...), footer...), "\n\n")
}

// editWords inserts, deletes and upper-cases a few words of p.
func editWords(p string, rng *rand.Rand) string {
	w := strings.Fields(p)
	edits := len(w) / 25
	for e := 0; e < edits && len(w) > 3; e++ {
		i := rng.IntN(len(w))
		switch rng.IntN(3) {
		case 0:
			f := harshFillers[rng.IntN(len(harshFillers))]
			w = append(w[:i], append([]string{f}, w[i:]...)...)
		case 1:
			w = append(w[:i], w[i+1:]...)
		default:
			w[i] = strings.ToUpper(w[i])
		}
	}
	return strings.Join(w, " ")
}

// TestHarshSyndication adds harsh copies of every development base article
// and checks that they still group with their originals and nothing else.
func TestHarshSyndication(t *testing.T) {
	recs := devRecords(t, "syndication-dev.jsonl")
	rng := rand.New(rand.NewPCG(11, 5))
	var all []BenchRecord
	for _, r := range recs {
		all = append(all, r)
		if strings.HasSuffix(r.ID, "#0") {
			for k := range 2 {
				title, text := harshen(r.Title, r.Text, rng)
				all = append(all, BenchRecord{ID: fmt.Sprintf("%s#h%d", r.ID, k), DupGroup: r.DupGroup, Title: title, Text: text})
			}
		}
	}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	rep, err := BenchSyndication(context.Background(), all, Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(rep)
	if rep.Pairs.F1 < 0.98 {
		t.Errorf("harsh syndication pair F1 = %.4f, want >= 0.98", rep.Pairs.F1)
	}
}

// TestHarshStories clusters harsh copies of the stories set (each article
// replaced by an edited copy from a fictional outlet) and checks that the
// outlet boilerplate does not glue different events together.
func TestHarshStories(t *testing.T) {
	recs := devRecords(t, "stories-dev.jsonl")
	base := BenchStories(recs, StoryConfig{Clean: repairClean})
	rng := rand.New(rand.NewPCG(3, 8))
	harsh := make([]BenchRecord, len(recs))
	for i, r := range recs {
		r.Title, r.Text = harshen(r.Title, r.Text, rng)
		harsh[i] = r
	}
	rep := BenchStories(harsh, StoryConfig{Clean: repairClean})
	t.Logf("clean: %v", base)
	t.Logf("harsh: %v", rep)
	if rep.BCubed.F1 < base.BCubed.F1-0.03 {
		t.Errorf("harsh BCubed F1 %.4f dropped more than 0.03 below clean %.4f", rep.BCubed.F1, base.BCubed.F1)
	}
}
