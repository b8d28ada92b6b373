package repair

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/shared"
)

// benchInput is a ~10 KB scrape with the seed's defects: every paragraph
// doubled, an ad slot and a doubled call to action.
func benchInput() []byte {
	para := "The regional council approved the new ferry timetable on Monday after a debate that ran past midnight, with members split over the cost of the extra winter crossings and the fate of the old pier. "
	var b strings.Builder
	b.WriteString("Council approves winter ferry timetable\n\nAdvertisement\n\n")
	for i := 0; i < 12; i++ {
		p := strings.Repeat(para, 2) + strings.Repeat("x", i)
		b.WriteString(p + "\n\n" + p + "\n\n")
	}
	b.WriteString("Want more stories like this from the Harbour Post? Hit the follow button.\n\n")
	b.WriteString("Want more stories like this from the Harbour Post? Hit the follow button.\n")
	return []byte(b.String())
}

// BenchmarkText measures repair throughput on one core (run with -cpu 1).
func BenchmarkText(b *testing.B) {
	raw := benchInput()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Text(raw, Options{Name: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTextWrapped measures the hard-wrapped path.
func BenchmarkTextWrapped(b *testing.B) {
	words := strings.Fields(string(benchInput()))
	var sb strings.Builder
	col := 0
	for i, w := range words {
		if i%90 == 89 {
			sb.WriteString("\n\n")
			col = 0
		}
		if col+len(w) > 72 {
			sb.WriteByte('\n')
			col = 0
		} else if col > 0 {
			sb.WriteByte(' ')
			col++
		}
		sb.WriteString(w)
		col += len(w)
	}
	raw := []byte(sb.String())
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Text(raw, Options{Name: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSeed measures the reference scrape from ../shared (skipped when absent).
func BenchmarkSeed(b *testing.B) {
	raw, err := os.ReadFile(shared.Path(b, "seeds/000_e8f2ea9f2bcaae22.txt"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Text(raw, Options{Name: "seed"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDevSet measures the whole repair development set, one input after
// another (skipped when ../shared is absent).
func BenchmarkDevSet(b *testing.B) {
	f, err := os.Open(shared.Path(b, "bench/repair/dev.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var inputs [][]byte
	total := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var c devCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, []byte(c.Input))
		total += len(c.Input)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, raw := range inputs {
			if _, err := Text(raw, Options{Name: "dev"}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
