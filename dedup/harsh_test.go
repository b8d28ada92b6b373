package dedup

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// harshOutlets are fictional outlets whose boilerplate the harsh edit model
// wraps around articles; the same lines land on unrelated articles, the
// way one outlet's template does.
var harshOutlets = []string{"Harbour Gazette", "Coastline Daily", "Northfield Wire", "Valley Courier"}

// harshen applies a syndication edit model harsher than the development
// sets': another outlet's header, byline and footer, a new headline,
// truncation, doubled and swapped paragraphs, and word edits.
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
		title = outlet + ": " + title
	case 1:
		title = strings.ToUpper(title)
	default:
		w := strings.Fields(title)
		if len(w) > 4 {
			w = w[:len(w)-2]
		}
		title = "Watch: " + strings.Join(w, " ")
	}
	header := []string{
		title,
		fmt.Sprintf("By Staff Reporter for %s", outlet),
		fmt.Sprintf("Published: %d Mar 2014 | Updated %d Mar 2014", 1+rng.IntN(9), 10+rng.IntN(9)),
	}
	footer := []string{
		fmt.Sprintf("Want more stories like this from %s? Hit the follow button above for more of the news you need.", outlet),
		fmt.Sprintf("Copyright %s 2014. All rights reserved. This story was originally published by %s.", outlet, outlet),
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
			w = append(w[:i], append([]string{"reportedly"}, w[i:]...)...)
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
