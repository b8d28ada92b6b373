package nlpeval

import "testing"

func TestDocOrig(t *testing.T) {
	text := "Première ligne.\n  Second line here\n\nThird — end.\n"
	d := NewDoc(text)
	if len(d.Paragraphs) != 3 {
		t.Fatalf("paragraphs = %q", d.Paragraphs)
	}
	a := d.Article()
	runes, orig := []rune(a.Text), []rune(text)
	for _, w := range []string{"ligne", "Second", "here", "end"} {
		for i := 0; i+len([]rune(w)) <= len(runes); i++ {
			if string(runes[i:i+len([]rune(w))]) == w {
				s, e := d.Orig(i), d.Orig(i+len([]rune(w)))
				if got := string(orig[s:e]); got != w {
					t.Errorf("%q maps to %q", w, got)
				}
				break
			}
		}
	}
}

func TestPRF(t *testing.T) {
	p := PRF{TP: 3, FP: 1, FN: 2}
	if p.P() != 0.75 || p.R() != 0.6 {
		t.Errorf("P %v R %v", p.P(), p.R())
	}
	if f := p.F1(); f < 0.666 || f > 0.667 {
		t.Errorf("F1 %v", f)
	}
	if (PRF{}).F1() != 0 {
		t.Error("empty F1 not 0")
	}
}
