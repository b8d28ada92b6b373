package repair

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/newsdesk/newsdesk/internal/shared"
)

// metricNorm is the benchmark's comparison form: NFKC, straight quotes,
// collapsed white space.
func metricNorm(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case '‘', '’', '‚', '‛':
			return '\''
		case '“', '”', '„', '‟':
			return '"'
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

type devCase struct {
	ID         string   `json:"id"`
	Defect     string   `json:"defect"`
	Input      string   `json:"input"`
	Title      string   `json:"title"`
	Paragraphs []string `json:"paragraphs"`
}

type prf struct{ tp, fp, fn int }

func (c prf) scores() (p, r, f float64) {
	if c.tp+c.fp > 0 {
		p = float64(c.tp) / float64(c.tp+c.fp)
	}
	if c.tp+c.fn > 0 {
		r = float64(c.tp) / float64(c.tp+c.fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

// TestDevSet scores the repair benchmark (../shared/bench/repair/dev.jsonl)
// with its README's metric and asserts the targets. Run with -v to
// see the per-defect table; NEWSDESK_DEV_DIFF=1 prints every miss.
func TestDevSet(t *testing.T) {
	path := shared.Path(t, "bench/repair/dev.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var total prf
	var dump *json.Encoder
	if p := os.Getenv("NEWSDESK_DEV_DUMP"); p != "" {
		df, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer df.Close()
		dump = json.NewEncoder(df)
	}
	perDefect := map[string]*prf{}
	exact, titles, n := 0, 0, 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var c devCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		n++
		a, err := Text([]byte(c.Input), Options{Name: c.ID})
		var got []string
		title := ""
		if err == nil {
			got, title = a.Paragraphs, a.Title
		}
		want := map[string]int{}
		for _, p := range c.Paragraphs {
			want[metricNorm(p)]++
		}
		var cnt prf
		for _, p := range got {
			k := metricNorm(p)
			if want[k] > 0 {
				want[k]--
				cnt.tp++
			} else {
				cnt.fp++
			}
		}
		for _, v := range want {
			cnt.fn += v
		}
		isExact := len(got) == len(c.Paragraphs)
		for i := 0; isExact && i < len(got); i++ {
			isExact = metricNorm(got[i]) == metricNorm(c.Paragraphs[i])
		}
		if isExact {
			exact++
		}
		if metricNorm(title) == metricNorm(c.Title) {
			titles++
		}
		if dump != nil {
			_ = dump.Encode(map[string]any{"id": c.ID, "title": title, "paragraphs": got})
		}
		if (!isExact || metricNorm(title) != metricNorm(c.Title)) && os.Getenv("NEWSDESK_DEV_DIFF") != "" {
			t.Logf("MISS %s (%s) title=%q want %q", c.ID, c.Defect, title, c.Title)
			wantSet := map[string]bool{}
			for _, p := range c.Paragraphs {
				wantSet[metricNorm(p)] = true
			}
			gotSet := map[string]bool{}
			for _, p := range got {
				gotSet[metricNorm(p)] = true
				if !wantSet[metricNorm(p)] {
					t.Logf("   extra: %.160q", p)
				}
			}
			for _, p := range c.Paragraphs {
				if !gotSet[metricNorm(p)] {
					t.Logf("   missing: %.160q", p)
				}
			}
		}
		total.tp += cnt.tp
		total.fp += cnt.fp
		total.fn += cnt.fn
		d := perDefect[c.Defect]
		if d == nil {
			d = &prf{}
			perDefect[c.Defect] = d
		}
		d.tp += cnt.tp
		d.fp += cnt.fp
		d.fn += cnt.fn
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	p, r, f1 := total.scores()
	exactRate := float64(exact) / float64(n)
	titleAcc := float64(titles) / float64(n)
	var b strings.Builder
	fmt.Fprintf(&b, "repair dev set: %d articles\n", n)
	fmt.Fprintf(&b, "  paragraph P=%.4f R=%.4f F1=%.4f  exact=%.4f  title=%.4f\n", p, r, f1, exactRate, titleAcc)
	defects := make([]string, 0, len(perDefect))
	for d := range perDefect {
		defects = append(defects, d)
	}
	sort.Strings(defects)
	for _, d := range defects {
		dp, dr, df := perDefect[d].scores()
		fmt.Fprintf(&b, "  %-10s P=%.4f R=%.4f F1=%.4f\n", d, dp, dr, df)
	}
	t.Log("\n" + b.String())
	if f1 < 0.995 || exactRate < 0.95 || p < r {
		t.Errorf("targets missed: want F1>=0.995, exact>=0.95, P>=R; got F1=%.4f exact=%.4f P=%.4f R=%.4f", f1, exactRate, p, r)
	}
}
