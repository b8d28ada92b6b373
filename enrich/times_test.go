package enrich

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/article"
)

// TestTimeValues checks spans, types, TIMEX3 values and tense direction on
// fictional sentences, against Thursday 2024-06-20 09:30 UTC.
func TestTimeValues(t *testing.T) {
	ref := time.Date(2024, 6, 20, 9, 30, 0, 0, time.UTC)
	type want struct{ text, typ, value string }
	D, T, P, S := article.TimeDate, article.TimeTime, article.TimeDuration, article.TimeSet
	tests := []struct {
		text string
		want []want
	}{
		// dates and tense direction
		{"The Velmar board met on Friday.", []want{{"Friday", D, "2024-06-14"}}},
		{"The Velmar board will meet on Friday.", []want{{"Friday", D, "2024-06-21"}}},
		{"Orsolya Brandt told reporters in August that the plan was dead.", []want{{"August", D, "2023-08"}}},
		{"The Tarn festival will open in August.", []want{{"August", D, "2024-08"}}},
		{"Prices have risen since March.", []want{{"March", D, "2024-03"}}},
		{"The ferry sank on June 3.", []want{{"June 3", D, "2024-06-03"}}},
		{"Voting ends on 4 July 2024.", []want{{"4 July 2024", D, "2024-07-04"}}},
		{"Nothing changed this week.", []want{{"this week", D, "2024-W25"}}},
		{"Sales fell last month.", []want{{"last month", D, "2024-05"}}},
		{"A new mayor takes office next year.", []want{{"next year", D, "2025"}}},
		{"Membership grew over the past year.", []want{{"the past year", D, "2023"}}},
		{"Wages fell behind prices in the last decade.", []want{{"the last decade", D, "201"}}},
		{"The dam opened three years ago.", []want{{"three years ago", D, "2021"}}},
		{"Officers seized the boat two days ago.", []want{{"two days ago", D, "2024-06-18"}}},
		// modals, present tense, infinitives, passives
		{"The captain would miss Saturday's match.", []want{{"Saturday", D, "2024-06-22"}}},
		{"Relatives said they would look for ways around Tuesday's ruling.", []want{{"Tuesday", D, "2024-06-18"}}},
		{"They travel to Leeds on Saturday.", []want{{"Saturday", D, "2024-06-22"}}},
		{"Smoke rose from a depot next to the port on Friday.", []want{{"Friday", D, "2024-06-14"}}},
		{"The offer had been due to expire on Friday.", []want{{"Friday", D, "2024-06-14"}}},
		{"The dividend will be paid in January.", []want{{"January", D, "2025-01"}}},
		{"The board created the post, effective Jan. 1.", []want{{"Jan. 1", D, "2025-01-01"}}},
		{"The clinic closed last Oct. 23.", []want{{"last Oct. 23", D, "2023-10-23"}}},
		// bare years, decades, centuries
		{"It was a 2010 raid on the depot.", []want{{"2010", D, "2010"}}},
		{"In 2011 the council removed the statue.", []want{{"2011", D, "2011"}}},
		{"The line should be electric by 2030.", []want{{"2030", D, "2030"}}},
		{"The march drew 2010 people.", nil},
		{"Rents soared in the 1990s.", []want{{"the 1990s", D, "199"}}},
		// present and past references
		{"Kessler is now the chair.", []want{{"now", D, "PRESENT_REF"}}},
		{"The clinic is currently closed.", []want{{"currently", D, "PRESENT_REF"}}},
		{"The mill closed in recent years.", []want{{"recent years", D, "PAST_REF"}}},
		// seasons, quarters, fiscal years
		{"The bridge will reopen this summer.", []want{{"this summer", D, "2024-SU"}}},
		{"Work stopped last winter.", []want{{"last winter", D, "2023-WI"}}},
		{"Profit rose in the third quarter.", []want{{"the third quarter", D, "2023-Q3"}}},
		{"Profit in the 2023 second quarter fell.", []want{{"the 2023 second quarter", D, "2023-Q2"}}},
		{"Profit rose in the first quarter of 2024.", []want{{"the first quarter of 2024", D, "2024-Q1"}}},
		{"Revenue in Q2 2024 was flat.", []want{{"Q2 2024", D, "2024-Q2"}}},
		{"Losses narrowed in fiscal 2023.", []want{{"fiscal 2023", D, "2023"}}},
		// clock times
		{"The vote closes at 9 a.m. tomorrow.", []want{{"9 a.m. tomorrow", T, "2024-06-21T09:00"}}},
		{"The blast came at 21:00 on Tuesday.", []want{{"21:00 on Tuesday", T, "2024-06-18T21:00"}}},
		{"He called late last night.", []want{{"late last night", T, "2024-06-19TNI"}}},
		{"They landed this morning.", []want{{"this morning", T, "2024-06-20TMO"}}},
		// durations
		{"The strike lasted three years.", []want{{"three years", P, "P3Y"}}},
		{"Talks ran for 48 hours.", []want{{"48 hours", P, "PT48H"}}},
		{"The drought lasted a decade.", []want{{"a decade", P, "P1E"}}},
		{"It signed a two-year deal.", []want{{"two-year", P, "P2Y"}}},
		{"Fares doubled over the past three months.", []want{{"the past three months", P, "P3M"}}},
		{"The repairs took more than two weeks.", []want{{"more than two weeks", P, "P2W"}}},
		{"Crews worked for weeks.", []want{{"weeks", P, "PXW"}}},
		{"Fares have doubled over the past 20 years.", []want{{"the past 20 years", P, "P20Y"}}},
		// sets
		{"The market opens every Monday.", []want{{"every Monday", S, "XXXX-WXX-1"}}},
		{"The ferry sails daily.", []want{{"daily", S, "P1D"}}},
		{"The report is published weekly.", []want{{"weekly", S, "P1W"}}},
		{"Dues are paid annually.", []want{{"annually", S, "P1Y"}}},
		{"The fee is $40 a year.", []want{{"a year", S, "P1Y"}}},
		{"Inspectors visit every two weeks.", []want{{"every two weeks", S, "P2W"}}},
		// not times
		{"The plan may work; he will march on.", nil},
		{"He scored in 2000 games.", nil},
		{"Spring water and a fall in prices.", nil},
		{"The Daily Courier printed it.", nil},
		{"A 44-year-old man and his 6-month-old son were found.", nil},
		{"He spoke to \"60 Minutes\" about the film High Noon.", nil},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got := Times([]string{tc.text}, ref)
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Text != w.text || g.Type != w.typ || g.Value != w.value {
					t.Errorf("time %d = %q %s %s, want %q %s %s", i, g.Text, g.Type, g.Value, w.text, w.typ, w.value)
				}
			}
		})
	}
}

// TestTimesNoRef checks that without a reference only self-contained
// values are given.
func TestTimesNoRef(t *testing.T) {
	got := Times([]string{"On Friday, 12 May 2023, the depot closed for three days; it reopens next week."}, time.Time{})
	want := map[string]string{"12 May 2023": "2023-05-12", "three days": "P3D", "next week": ""}
	for _, g := range got {
		if v, ok := want[g.Text]; ok && g.Value != v {
			t.Errorf("%q = %q, want %q", g.Text, g.Value, v)
		}
		if g.Text == "next week" && !g.Resolved.IsZero() {
			t.Errorf("next week resolved without a reference: %v", g.Resolved)
		}
	}
}

// FuzzTimes runs the time pass over arbitrary text with and without a
// reference: it must not panic, and spans must be valid and in order.
func FuzzTimes(f *testing.F) {
	for _, s := range []string{
		"The Velmar board met on Friday and will meet again next Tuesday at 9 a.m.",
		"Profit rose in the third quarter of fiscal 2023, a year earlier than planned.",
		"Orsolya Brandt said in August that the 1990s were over; now the dam opens every Monday.",
		"a 2010 raid, 2010 people, by 2030, the mid-1990s, '90s, 20th century, year-end",
		"twenty-four hours, a couple of years, 2 1/2 years, two to three weeks, a week or so ago",
		"21:00 9:15 12 p.m. noon Thursday 5 p.m. EST, Nov. 6 midnight",
		"last summer this winter the fall in prices early spring mid-November late last night",
		"the day before yesterday, the past, the future, recent years, for decades",
		"$5 a day, twice a year, per year, each July, Mondays, every other week",
		"the", "a", "on", "-", "'", "2024-13-45", "Feb. 30", "31 February 2023", "May",
	} {
		f.Add(s, true)
	}
	ref := time.Date(2024, 2, 29, 23, 59, 0, 0, time.FixedZone("X", -11*3600))
	f.Fuzz(func(t *testing.T, text string, withRef bool) {
		if !utf8.ValidString(text) {
			return
		}
		r := time.Time{}
		if withRef {
			r = ref
		}
		a := &article.Article{Paragraphs: []string{text, text + " " + text}}
		a.Finalize()
		runes := []rune(a.Text)
		last := -1
		for _, tr := range Times(a.Paragraphs, r) {
			if tr.Start < 0 || tr.End > len(runes) || tr.Start >= tr.End {
				t.Fatalf("bad span %+v in %q", tr, a.Text)
			}
			if string(runes[tr.Start:tr.End]) != tr.Text {
				t.Fatalf("span %+v does not match %q", tr, string(runes[tr.Start:tr.End]))
			}
			if tr.Start < last {
				t.Fatalf("times out of order at %+v", tr)
			}
			last = tr.End
			switch tr.Type {
			case article.TimeDate, article.TimeTime, article.TimeDuration, article.TimeSet:
			default:
				t.Fatalf("bad type %+v", tr)
			}
		}
	})
}

// BenchmarkTimes measures the time pass alone (tokenizing included) over
// the corpus BenchmarkEnrich uses.
func BenchmarkTimes(b *testing.B) {
	paras, n := benchCorpus(b)
	ref := time.Date(2024, 6, 20, 9, 0, 0, 0, time.UTC)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		newDoc(paras, "en").timeList(ref)
	}
	reportCPU(b, start, n)
}

func TestPad(t *testing.T) {
	for _, c := range []struct {
		n, w int
		want string
	}{{998, 4, "0998"}, {2024, 4, "2024"}, {7, 2, "07"}, {19, 2, "19"}, {12345, 4, "12345"}, {0, 3, "000"}} {
		if got := pad(c.n, c.w); got != c.want {
			t.Errorf("pad(%d, %d) = %q, want %q", c.n, c.w, got, c.want)
		}
	}
}
