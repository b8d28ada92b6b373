package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// BenchmarkIngestCommand measures `newsdesk ingest DIR` end to end, in
// process: walking 2,000 text files of about 5 KB, repairing, enriching,
// detecting copies and stories, and storing with the full-text index into a
// fresh database. It reports articles/s.
func BenchmarkIngestCommand(b *testing.B) {
	for _, bc := range []struct {
		name  string
		flags []string
	}{
		{"all-stages", nil},
		{"no-stories", []string{"--no-stories"}},
		{"copies-only", []string{"--no-stories", "--no-enrich"}},
	} {
		b.Run(bc.name, func(b *testing.B) { benchIngest(b, bc.flags) })
	}
}

func benchIngest(b *testing.B, flags []string) {
	const files = 2000
	dir := b.TempDir()
	g := storetest.New(11)
	for i := range files {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.txt", i)), g.TextFile(5000), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	round := 0
	for b.Loop() {
		db := filepath.Join(b.TempDir(), fmt.Sprintf("b%d.db", round))
		round++
		var errb bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errb, Getenv: func(k string) string {
			if k == "NEWSDESK_DB" {
				return db
			}
			return ""
		}}
		if code := Main(context.Background(), env, append(append([]string{"ingest", "--quiet"}, flags...), dir)); code != ExitOK {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
		if !strings.Contains(errb.String(), fmt.Sprintf("ingested %d,", files)) {
			b.Fatalf("unexpected summary: %s", errb.String())
		}
	}
	b.ReportMetric(float64(files*b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkCleanHTML measures `newsdesk clean --format jsonl` over 200
// fictional HTML pages of about 30 KB each (menus, sidebars, scripts and an
// article of a dozen paragraphs), in process, with and without enrich. It
// reports pages/s. Run it with -cpu 1 for the per-core figure.
func BenchmarkCleanHTML(b *testing.B) {
	const pages = 200
	dir := b.TempDir()
	var files []string
	for i := range pages {
		name := filepath.Join(dir, fmt.Sprintf("%03d.html", i))
		if err := os.WriteFile(name, benchPage(i), 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, name)
	}
	for _, bc := range []struct {
		name  string
		flags []string
	}{{"enrich", nil}, {"no-enrich", []string{"--no-enrich"}}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				var errb bytes.Buffer
				env := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errb, Getenv: func(string) string { return "" }}
				args := append(append([]string{"clean", "--format", "jsonl"}, bc.flags...), files...)
				if code := Main(context.Background(), env, args); code != ExitOK {
					b.Fatalf("exit %d: %s", code, errb.String())
				}
			}
			b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// benchPage returns a fictional news page of about 30 KB.
func benchPage(i int) []byte {
	var p strings.Builder
	fmt.Fprintf(&p, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harbour report %d | The Quay Courier</title>
<script>var config = {"section": "local", "ads": [1,2,3]};</script><style>.nav{display:flex}</style></head><body>
<header><nav><ul class="menu">`, i)
	for j := range 40 {
		fmt.Fprintf(&p, `<li><a href="/section/%d">Section %d</a></li>`, j, j)
	}
	fmt.Fprintf(&p, `</ul></nav></header><main><article><h1>Harbour report %d</h1><p class="byline">By Ada Fenwick</p>`, i)
	for j := range 12 {
		fmt.Fprintf(&p, `<p>The harbour master said on Tuesday that the %d boats moored at the north quay would move before the spring tides, and that the ferry to Saltash would run a reduced timetable for %d days while the wall is repaired. "We have no choice," she said.</p>`, i+j, j+2)
	}
	p.WriteString(`</article><aside class="sidebar"><h3>Most read</h3><ul>`)
	for j := range 30 {
		fmt.Fprintf(&p, `<li><a href="/story/%d">Another story from the coast, number %d</a><p>A short summary of the story that runs to a line or two.</p></li>`, j, j)
	}
	p.WriteString(`</ul></aside></main><footer><p>© The Quay Courier. All rights reserved.</p></footer></body></html>`)
	return []byte(p.String())
}
