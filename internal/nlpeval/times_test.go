package nlpeval

import (
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/shared"
)

// TestScoreTimes scores enrich's times on TempEval-3 TBAQ (TimeBank and
// AQUAINT, reported apart) and holds floors just under the current
// figures. Run with -v to see the reports.
func TestScoreTimes(t *testing.T) {
	if testing.Short() {
		t.Skip("scoring skipped in -short mode")
	}
	var all TimeReport
	defer func() {
		if all.Docs > 0 {
			t.Log("\n" + all.String())
		}
	}()
	for _, c := range []struct {
		file            string
		relaxed, values float64
	}{
		{"timebank.jsonl", 0.89, 0.91}, // development set: 0.905, 0.929
		{"aquaint.jsonl", 0.91, 0.92},  // held out: 0.924, 0.931
	} {
		path := shared.Path(t, "bench/nlp/tempeval3_tbaq/"+c.file)
		rep, err := ScoreTimes(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Log("\n" + rep.String())
		all.Add(rep)
		if f := rep.Relaxed.F1(); f < c.relaxed {
			t.Errorf("%s: relaxed span F1 %.3f, floor %.3f", c.file, f, c.relaxed)
		}
		if v := rep.ValueShare(); v < c.values {
			t.Errorf("%s: values right %.3f, floor %.3f", c.file, v, c.values)
		}
	}
}

func TestGoldPeriod(t *testing.T) {
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		v        string
		from, to time.Time
		ok       bool
	}{
		{"1998-01-08", d(1998, 1, 8), d(1998, 1, 9), true},
		{"1998-01-08T21:00", d(1998, 1, 8), d(1998, 1, 9), true},
		{"1998-01", d(1998, 1, 1), d(1998, 2, 1), true},
		{"1998", d(1998, 1, 1), d(1999, 1, 1), true},
		{"199", d(1990, 1, 1), d(2000, 1, 1), true},
		{"19", d(1900, 1, 1), d(2000, 1, 1), true},
		{"1998-W02", d(1998, 1, 5), d(1998, 1, 12), true},
		{"2024-W25", d(2024, 6, 17), d(2024, 6, 24), true},
		{"1998-Q1", d(1998, 1, 1), d(1998, 4, 1), true},
		{"1998-Q4", d(1998, 10, 1), d(1999, 1, 1), true},
		{"1998-H2", d(1998, 7, 1), d(1999, 1, 1), true},
		{"1998-SU", d(1998, 6, 1), d(1998, 9, 1), true},
		{"1989-WXX", d(1989, 1, 1), d(1990, 1, 1), true},
		{"1989-QX", d(1989, 1, 1), d(1990, 1, 1), true},
		{"1998-XX-XX", d(1998, 1, 1), d(1999, 1, 1), true},
		{"1998-10-XX", d(1998, 10, 1), d(1998, 11, 1), true},
		{"199X", d(1990, 1, 1), d(2000, 1, 1), true},
		{"199X-XX-XX", d(1990, 1, 1), d(2000, 1, 1), true},
		{"19XX", d(1900, 1, 1), d(2000, 1, 1), true},
		{"XXXX", time.Time{}, time.Time{}, false},
		{"PRESENT_REF", time.Time{}, time.Time{}, false},
		{"P3D", time.Time{}, time.Time{}, false},
		{"1998-XX", d(1998, 1, 1), d(1999, 1, 1), true},
		{"XXXX-WXX-1", time.Time{}, time.Time{}, false},
	} {
		from, to, ok := GoldPeriod(c.v)
		if ok != c.ok || ok && (!from.Equal(c.from) || !to.Equal(c.to)) {
			t.Errorf("GoldPeriod(%q) = %v %v %v, want %v %v %v", c.v, from, to, ok, c.from, c.to, c.ok)
		}
	}
	if !ValueRight("PRESENT_REF", "PRESENT_REF", time.Time{}) || ValueRight("PRESENT_REF", "PAST_REF", time.Time{}) {
		t.Error("reference values compare by equality")
	}
	if !ValueRight("1998-01", "1998-01-08", d(1998, 1, 8)) || ValueRight("1998-01", "1997-01", d(1997, 1, 1)) {
		t.Error("calendar values compare by period")
	}
}
