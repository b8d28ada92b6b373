package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// printSeg lists, page by page, the output paragraphs that join several
// truth paragraphs and the truth paragraphs the output splits.
func printSeg(r *childResult, s *set) {
	nm, ns := 0, 0
	clip := func(s string) string {
		if len(s) > 90 {
			return s[:90] + "…"
		}
		return s
	}
	fmt.Printf("\nparagraph-boundary errors of newsdesk on %s\n", s.name)
	for _, id := range s.ids {
		merged, split := segErrors(s.truths[id].ArticleBody, r.Texts[id])
		for _, m := range merged {
			nm++
			fmt.Printf("%s %s MERGED %d truth paragraphs into: %s\n", s.name, id[:12], len(m)-1, clip(m[0]))
			for _, s := range m[1:] {
				fmt.Printf("      | %s\n", clip(s))
			}
		}
		for _, m := range split {
			ns++
			fmt.Printf("%s %s SPLIT into %d: %s\n", s.name, id[:12], len(m)-1, clip(m[0]))
			for _, s := range m[1:] {
				fmt.Printf("      | %s\n", clip(s))
			}
		}
	}
	fmt.Printf("%s: %d merged, %d split\n", s.name, nm, ns)
	if os.Getenv("ALLDIFF") != "" {
		for _, id := range s.ids {
			missed, extra := paraDiff(s.truths[id].ArticleBody, r.Texts[id])
			for _, m := range missed {
				fmt.Printf("%s - %s\n", id[:8], clip(m))
			}
			for _, e := range extra {
				fmt.Printf("%s + %s\n", id[:8], clip(e))
			}
		}
	}
	if os.Getenv("NEAR") != "" {
		for _, id := range s.ids {
			missed, extra := paraDiff(s.truths[id].ArticleBody, r.Texts[id])
			for _, e := range extra {
				et := lowerTokens(e)
				best, bi := 0.0, -1
				for i, m := range missed {
					mt := lowerTokens(m)
					set := map[string]bool{}
					for _, w := range mt {
						set[w] = true
					}
					c := 0
					for _, w := range et {
						if set[w] {
							c++
						}
					}
					if j := float64(c) / float64(max(len(et), len(mt))); j > best {
						best, bi = j, i
					}
				}
				if best > 0.3 {
					fmt.Printf("%s NEAR %.2f\n  + %s\n  - %s\n", id[:12], best, clip(e), clip(missed[bi]))
				}
			}
		}
	}
}

// showPage runs newsdesk in this process on the first page, in any of the
// sets, whose id starts with prefix, and prints the truth against the
// output (or, with diffOnly, the unmatched paragraphs).
func showPage(prefix string, dirs []string, diffOnly bool) {
	type hit struct {
		set *set
		id  string
	}
	var hits []hit
	for _, d := range dirs {
		s, err := loadSet(d, false)
		if err != nil {
			fail(err)
		}
		for _, id := range s.ids {
			if strings.HasPrefix(id, prefix) {
				hits = append(hits, hit{s, id})
			}
		}
	}
	if len(hits) == 0 {
		fail(fmt.Errorf("-show %s: no page id starts with it in %d sets", prefix, len(dirs)))
	}
	if len(hits) > 1 {
		fmt.Printf("(%d pages match %q; showing the first)\n", len(hits), prefix)
	}
	s, id := hits[0].set, hits[0].id
	gz, err := os.ReadFile(filepath.Join(s.dir, "html", id+".html.gz"))
	if err != nil {
		fail(err)
	}
	t := s.truths[id]
	text, err := tools["newsdesk"](gunzip(gz), t.URL)
	want := t.ArticleBody
	tp, fp, fn := shingleMatch(want, text)
	pp, pr, pf := paraMatch(want, text)
	_, _, rf := rougeLsum(want, text)
	fmt.Printf("== %s %s %s\nP %.3f R %.3f | paragraphs P %.3f R %.3f F1 %.3f | ROUGE-LSum %.3f | words truth %d output %d | err %v\n",
		s.name, id, t.URL, precision(tp, fp, fn), recall(tp, fp, fn), pp, pr, pf, rf, words(want), words(text), err)
	if !diffOnly {
		fmt.Printf("== TRUTH\n%s\n== NEWSDESK\n%s\n", want, text)
		return
	}
	missed, extra := paraDiff(want, text)
	fmt.Println("== MISSED (truth paragraphs not in the output)")
	for _, m := range missed {
		fmt.Printf("- %s\n", m)
	}
	fmt.Println("== EXTRA (output paragraphs not in the truth)")
	for _, e := range extra {
		fmt.Printf("+ %s\n", e)
	}
}
