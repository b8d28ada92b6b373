package enrich

import (
	"testing"

	"github.com/newsdesk/newsdesk/article"
)

// entityByText returns the entity whose Text is text, or nil.
func entityByText(paras []string, text string) (*struct {
	Type     string
	Mentions []string
}, int) {
	ents := Entities(paras)
	for _, e := range ents {
		if e.Text == text {
			var ms []string
			for _, m := range e.Mentions {
				ms = append(ms, m.Text)
			}
			return &struct {
				Type     string
				Mentions []string
			}{e.Type, ms}, len(ents)
		}
	}
	return nil, len(ents)
}

func TestShortFormsJoinFullNames(t *testing.T) {
	for _, c := range []struct {
		paras    []string
		full     string
		typ      string
		mentions int
	}{
		{[]string{"Luiz Inácio Lula da Silva arrived in Brasília on Monday.", "Officials said Lula would speak later."}, "Luiz Inácio Lula da Silva", TypePerson, 2},
		{[]string{"Vladimir Putin met the delegation in Moscow.", "Later Putin said little."}, "Vladimir Putin", TypePerson, 2},
		{[]string{"The commissioner, Raymond Kelly, spoke first.", "Reporters asked Mr. Kelly about the budget."}, "Raymond Kelly", TypePerson, 2},
		{[]string{"Norvik Steel cut 300 jobs on Tuesday.", "Norvik said the cuts were unavoidable."}, "Norvik Steel", TypeOrg, 2},
	} {
		e, _ := entityByText(c.paras, c.full)
		if e == nil {
			t.Errorf("%q: no entity %q (%v)", c.paras, c.full, Entities(c.paras))
			continue
		}
		if e.Type != c.typ || len(e.Mentions) != c.mentions {
			t.Errorf("%q: %q is %s with mentions %q, want %s with %d", c.paras, c.full, e.Type, e.Mentions, c.typ, c.mentions)
		}
	}
}

func TestSentenceStartPluralsAreNoPeople(t *testing.T) {
	paras := []string{"Witnesses said the car was speeding.", "Dealers said prices rose in the afternoon."}
	for _, e := range Entities(paras) {
		if e.Text == "Witnesses" || e.Text == "Dealers" {
			t.Errorf("%q is an entity (%s)", e.Text, e.Type)
		}
	}
}

func TestPickSpans(t *testing.T) {
	var m [MaxSub][MaxSub + 1]int32
	var ok [MaxSub][MaxSub + 1]bool
	set := func(i, j int, v int32) { m[i][j], ok[i][j] = v, true }
	// "Dallas Criminal Attorney Peter Barrett": the name at the end wins.
	set(0, 1, 2)
	set(0, 5, -3)
	set(3, 5, 9)
	got := PickSpans(5, &m, &ok, 2, nil)
	if len(got) != 1 || got[0] != [2]int{3, 5} {
		t.Errorf("picks %v, want [[3 5]]", got)
	}
	// A later gap costs: "Kim Jong Un" is not cut to "Kim".
	m, ok = [MaxSub][MaxSub + 1]int32{}, [MaxSub][MaxSub + 1]bool{}
	set(0, 1, 3)
	set(0, 3, 1)
	got = PickSpans(3, &m, &ok, 2, nil)
	if len(got) != 1 || got[0] != [2]int{0, 3} {
		t.Errorf("picks %v, want [[0 3]]", got)
	}
	// Nothing positive: nothing picked.
	m, ok = [MaxSub][MaxSub + 1]int32{}, [MaxSub][MaxSub + 1]bool{}
	set(0, 2, -1)
	if got = PickSpans(2, &m, &ok, 2, nil); len(got) != 0 {
		t.Errorf("picks %v, want none", got)
	}
}

func TestModelLoaded(t *testing.T) {
	m := loadModel()
	if m.buckets != ModelBuckets || len(m.w) != ModelBuckets*nClasses || len(m.gaz) < 30000 {
		t.Fatalf("model: %d buckets, %d weights, %d gazetteer names", m.buckets, len(m.w), len(m.gaz))
	}
}

// FuzzNERCandidates checks that the candidate finder and its features
// hold on arbitrary text: spans inside their paragraph, on rune
// boundaries, features present.
func FuzzNERCandidates(f *testing.F) {
	f.Add("Dallas Criminal Attorney Peter Barrett said.\nLuiz Inácio Lula da Silva met Kim Jong Un.")
	f.Add("A B C D E F G H I J K L")
	f.Add("Ken Rice & Kevin Hannon\n12. Warwara Zelenskaja (Russia)")
	f.Fuzz(func(t *testing.T, s string) {
		paras := splitParas(s)
		for _, c := range NERCandidates(paras) {
			if c.Para < 0 || c.Para >= len(paras) {
				t.Fatalf("paragraph %d of %d", c.Para, len(paras))
			}
			p := paras[c.Para]
			if c.Start < 0 || c.End > len(p) || c.Start >= c.End {
				t.Fatalf("span %d-%d in %q", c.Start, c.End, p)
			}
			if len(c.Features) < 10 || c.I < 0 || c.J <= c.I || c.J > c.N {
				t.Fatalf("candidate %+v", c)
			}
		}
		Entities(paras)
	})
}

func splitParas(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// TestEntityCueRules checks the cues that type a name whatever the
// classifier says, and the name ending at a hyphen before a lower-case
// word.
func TestEntityCueRules(t *testing.T) {
	for _, c := range []struct{ para, text, typ string }{
		{"Interfax news agency quoted a source as saying the talks had stalled.", "Interfax", TypeOrg},
		{"The attack was blamed on Chechnya-based rebels, officials said.", "Chechnya", TypePlace},
		{"DENVER AT GREEN BAY", "DENVER", TypeOrg},
	} {
		a := &article.Article{Paragraphs: []string{c.para}}
		Enrich(a, Options{})
		found := false
		for _, e := range a.Entities {
			if e.Text == c.text {
				found = true
				if e.Type != c.typ {
					t.Errorf("%q: %s typed %s, want %s", c.para, e.Text, e.Type, c.typ)
				}
			}
		}
		if !found {
			t.Errorf("%q: no entity %q in %+v", c.para, c.text, a.Entities)
		}
	}
}
