package dedup

import (
	"slices"
	"strings"
	"testing"
)

// shingleSet returns a sorted copy of the shingles of text.
func shingleSet(sh *Shingler, text string) []uint64 {
	s := slices.Clone(sh.Text(text))
	slices.Sort(s)
	return s
}

func TestShinglerInvariance(t *testing.T) {
	base := join(bridgeParas)
	swapped := slices.Clone(bridgeParas)
	swapped[2], swapped[3] = swapped[3], swapped[2]
	doubled := slices.Insert(slices.Clone(bridgeParas), 4, bridgeParas[3])
	editedDouble := slices.Insert(slices.Clone(bridgeParas), 6, strings.Replace(bridgeParas[5], "major repairs", "major repairs again", 1))
	tests := []struct {
		name string
		text string
	}{
		{"upper case", strings.ToUpper(base)},
		{"curly quotes and dashes", strings.NewReplacer("'", "\u2019", "-", "\u2014").Replace(base)},
		{"re-wrapped lines and extra spaces", strings.ReplaceAll(strings.ReplaceAll(base, " the ", "  the\n"), ",", " ,")},
		{"CRLF line endings", strings.ReplaceAll(base, "\n", "\r\n")},
		{"blank lines with spaces", strings.ReplaceAll(base, "\n\n", "\n  \t\n\n")},
		{"swapped paragraphs", join(swapped)},
		{"doubled paragraph", join(doubled)},
		{"doubled paragraph with an edit", join(editedDouble)},
		{"header, byline and footer lines", "By Staff Reporter\n\nPublished: 3 March\n\n" + base + "\n\nRead more from Harbour Gazette"},
		{"whole text doubled", base + "\n\n" + base},
	}
	var sh Shingler
	want := shingleSet(&sh, base)
	if len(want) < 300 {
		t.Fatalf("base has %d shingles, want a full article", len(want))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shingleSet(&sh, tt.text)
			if tt.name == "doubled paragraph with an edit" {
				// The edited copy is dropped as a doubled paragraph.
				if !slices.Equal(got, want) {
					t.Errorf("got %d shingles, want the base %d", len(got), len(want))
				}
				return
			}
			if !slices.Equal(got, want) {
				fp, wp := NewFingerprint(got), NewFingerprint(want)
				j, c := fp.Similarity(wp)
				t.Errorf("shingles differ from the base: %d vs %d, J=%.3f C=%.3f", len(got), len(want), j, c)
			}
		})
	}
}

func TestShinglerDistinguishes(t *testing.T) {
	var sh Shingler
	a := NewFingerprint(sh.Text(join(bridgeParas)))
	tests := []struct {
		name    string
		text    string
		maxJacc float64
	}{
		{"unrelated article", join(chessParas), 0.01},
		{"same event, different article", join(bridgeOther), 0.1},
		{"word order changed", join(reverseWords(bridgeParas)), 0.01},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewFingerprint(sh.Text(tt.text))
			if j, _ := a.Similarity(b); j > tt.maxJacc {
				t.Errorf("Jaccard %.3f > %.3f", j, tt.maxJacc)
			}
		})
	}
}

func reverseWords(paras []string) []string {
	out := make([]string, len(paras))
	for i, p := range paras {
		w := strings.Fields(p)
		slices.Reverse(w)
		out[i] = strings.Join(w, " ")
	}
	return out
}

func TestShinglerEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int // number of shingles; -1 means "at least one"
	}{
		{"empty", "", 0},
		{"only punctuation and space", " ... !!! \n\n -- \n", 0},
		{"one word", "Marrowby", 1},
		{"three words", "the Kestrel Bridge", 1},
		{"four words", "the Kestrel Bridge closed", 1},
		{"five words", "the Kestrel Bridge closed today", 2},
		{"short paragraphs only are kept", "Bridge shut.\n\nFerry starts Thursday.\n\nTraders worried.", 3},
		{"accents fold by case", "ÉCOLE Café Ölmühle Straße Ærø", 2},
		{"CJK characters are words", "東京都の橋が閉鎖された", -1},
		{"invalid UTF-8", "bridge \xff\xfe closed after cracks found in piers", -1},
	}
	var sh Shingler
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := len(sh.Text(tt.text))
			if (tt.want < 0 && got == 0) || (tt.want >= 0 && got != tt.want) {
				t.Errorf("got %d shingles, want %d", got, tt.want)
			}
		})
	}
}

func TestShinglerFolding(t *testing.T) {
	var sh Shingler
	pairs := [][2]string{
		{"Ærø école CAFÉ des Ölmühle", "ærø ÉCOLE café DES ölmühle"},
		{"the bridge\u2019s piers were cracked", "the bridge's piers were cracked"},
		{"the\u00a0bridge piers were cracked", "the bridge piers were cracked"},
	}
	for _, p := range pairs {
		if a, b := shingleSet(&sh, p[0]), shingleSet(&sh, p[1]); !slices.Equal(a, b) {
			t.Errorf("%q and %q shingle differently", p[0], p[1])
		}
	}
}

func TestShinglerParagraphsMatchText(t *testing.T) {
	var sh Shingler
	a := slices.Clone(sh.Paragraphs(bridgeParas))
	b := sh.Text(join(bridgeParas))
	if !slices.Equal(a, b) {
		t.Errorf("Paragraphs and Text disagree: %d vs %d shingles", len(a), len(b))
	}
}

func TestShinglerNoAllocs(t *testing.T) {
	var sh Shingler
	text := join(bridgeParas)
	sh.Text(text) // warm the buffers
	if n := testing.AllocsPerRun(50, func() { Sign(sh.Text(text)) }); n != 0 {
		t.Errorf("shingling and signing allocate %.1f times per article, want 0", n)
	}
}

func TestShinglerOptions(t *testing.T) {
	text := "Bridge shut.\n\n" + join(bridgeParas)
	k3 := Shingler{K: 3}
	k4 := Shingler{}
	if a, b := len(k3.Text(text)), len(k4.Text(text)); a <= b {
		t.Errorf("3-word shingles (%d) should outnumber 4-word ones (%d)", a, b)
	}
	keep := Shingler{MinParaWords: -1}
	if a, b := len(keep.Text(text)), len(k4.Text(text)); a != b+1 {
		t.Errorf("keeping short paragraphs gave %d shingles, want %d+1", a, b)
	}
}
