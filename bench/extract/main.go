// Command extractbench scores and times newsdesk's HTML extraction against
// go-trafilatura and readeck/go-readability on the zyte article-extraction
// benchmark, and writes the results into docs/BENCHMARKS.md.
//
// Each tool runs in a child process of this command with GOMAXPROCS=1, so
// that its throughput is per core and its peak memory (rusage maxrss) is
// its own. Quality uses the benchmark's metric: 4-gram shingles of \w+
// tokens, counted as a multiset; precision and recall per page, averaged
// over pages; F1 of the averages; ± is the bootstrap standard deviation.
//
//	go run . -write ../../docs/BENCHMARKS.md     # full run, all tools
//	go run . -tools newsdesk -worst 20           # dev loop: newsdesk's worst pages
//	go run . -tools newsdesk -worst 20 -by para  # ... by paragraph F1 (or -by rouge)
//	go run . -tools newsdesk -show <id>          # one page: truth against output
//	go run . -show <id> -diff                    # one page: unmatched paragraphs only
//
// Next to the shingle metric it reports a paragraph F1 and a ROUGE-LSum
// F-measure (see metrics.go), the measures of the held-out sets.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"
	"unicode"

	readability "codeberg.org/readeck/go-readability/v2"
	trafilatura "github.com/markusmobius/go-trafilatura"

	"golang.org/x/net/html"

	"github.com/newsdesk/newsdesk/extract"
)

type page struct {
	ID  string
	URL string
	GZ  []byte // the page, still compressed: decompressed outside the timing
}

type truth struct {
	ArticleBody string `json:"articleBody"`
	URL         string `json:"url"`
}

// childResult is what a child process reports for one tool.
type childResult struct {
	Tool    string            `json:"tool"`
	Texts   map[string]string `json:"texts"`
	Paras   map[string]string `json:"paras,omitempty"` // one paragraph a line, when Texts has no line breaks
	Seconds []float64         `json:"seconds"`         // extraction time of each repetition
	Bytes   int64             `json:"bytes"`           // uncompressed HTML bytes per repetition
	Pages   int               `json:"pages"`
	Errors  int               `json:"errors"`
}

var tools = map[string]func(raw []byte, pageURL string) (string, error){
	"newsdesk": func(raw []byte, pageURL string) (string, error) {
		a, err := extract.HTML(raw, extract.Options{URL: pageURL, FetchTime: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return "", err
		}
		return a.Text, nil
	},
	"go-trafilatura": func(raw []byte, pageURL string) (string, error) {
		u, _ := url.Parse(pageURL)
		r, err := trafilatura.Extract(bytes.NewReader(raw), trafilatura.Options{OriginalURL: u})
		if err != nil {
			return "", err
		}
		lastTree = r.ContentNode
		return r.ContentText, nil
	},
	"go-trafilatura+fallback": func(raw []byte, pageURL string) (string, error) {
		u, _ := url.Parse(pageURL)
		r, err := trafilatura.Extract(bytes.NewReader(raw), trafilatura.Options{OriginalURL: u, EnableFallback: true})
		if err != nil {
			return "", err
		}
		lastTree = r.ContentNode
		return r.ContentText, nil
	},
	"go-readability": func(raw []byte, pageURL string) (string, error) {
		u, _ := url.Parse(pageURL)
		a, err := readability.FromReader(bytes.NewReader(raw), u)
		if err != nil {
			return "", err
		}
		var b strings.Builder
		if err := a.RenderText(&b); err != nil {
			return "", err
		}
		return b.String(), nil
	},
}

// lastTree is the content tree of go-trafilatura's last extraction. Its
// ContentText has no line breaks, so the paragraph metrics use the tree
// rendered one block a line (render.go), outside the timing.
var lastTree *html.Node

var toolOrder = []string{"newsdesk", "go-trafilatura", "go-trafilatura+fallback", "go-readability"}

func main() {
	data := flag.String("data", "../../../shared/bench/extraction/zyte", "the zyte benchmark directory")
	toolList := flag.String("tools", strings.Join(toolOrder, ","), "comma-separated tools to run")
	child := flag.String("child", "", "internal: run one tool and print its results as JSON")
	reps := flag.Int("reps", 3, "timed repetitions per tool; the median is reported")
	worst := flag.Int("worst", 0, "print newsdesk's N worst pages by F1")
	show := flag.String("show", "", "print the truth and newsdesk's output for one page id")
	by := flag.String("by", "shingle", "order of -worst: shingle, para or rouge")
	diff := flag.Bool("diff", false, "with -show: print only the paragraphs that do not match")
	seg := flag.Bool("seg", false, "print newsdesk's paragraph-boundary errors on every page (merged and split paragraphs)")
	write := flag.String("write", "", "rewrite the extract section of this BENCHMARKS.md")
	flag.Parse()

	pages, truths, err := load(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "extractbench:", err)
		os.Exit(1)
	}
	if *child != "" {
		runChild(*child, pages, *reps)
		return
	}
	if *show != "" {
		showPage(*show, pages, truths, *diff)
		return
	}
	names := strings.Split(*toolList, ",")
	for _, t := range names {
		if _, ok := tools[t]; !ok {
			fmt.Fprintf(os.Stderr, "extractbench: unknown tool %q\n", t)
			os.Exit(2)
		}
	}
	// Repetitions go round the tools, one child per tool and pass, so
	// that a change in the machine's load falls on every tool alike.
	results := make([]*childResult, len(names))
	rss := make([]int64, len(names))
	for rep := 0; rep < *reps; rep++ {
		for i, t := range names {
			r, maxrss, err := spawn(t, *data, 1)
			if err != nil {
				fmt.Fprintf(os.Stderr, "extractbench: %s: %v\n", t, err)
				os.Exit(1)
			}
			if results[i] == nil {
				results[i] = r
			} else {
				results[i].Seconds = append(results[i].Seconds, r.Seconds...)
			}
			rss[i] = max(rss[i], maxrss)
		}
	}
	pages181Bytes = results[0].Bytes
	var rows []row
	for i, r := range results {
		rows = append(rows, score(r, truths, pages, rss[i]))
	}
	table := render(rows) + ratios(rows)
	fmt.Print(table)
	if *worst > 0 {
		for _, r := range rows {
			if r.tool == "newsdesk" {
				printWorst(r, pages, *worst, *by)
			}
		}
	}
	if *seg {
		for _, r := range results {
			if r.Tool == "newsdesk" {
				printSeg(r, pages, truths)
			}
		}
	}
	if *write != "" {
		if err := writeSection(*write, table, *reps, *toolList); err != nil {
			fmt.Fprintln(os.Stderr, "extractbench:", err)
			os.Exit(1)
		}
	}
}

func load(dir string) ([]page, map[string]truth, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, nil, err
	}
	truths := map[string]truth{}
	if err := json.Unmarshal(raw, &truths); err != nil {
		return nil, nil, fmt.Errorf("ground-truth.json: %w", err)
	}
	ids := make([]string, 0, len(truths))
	for id := range truths {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var pages []page
	for _, id := range ids {
		gz, err := os.ReadFile(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			return nil, nil, err
		}
		pages = append(pages, page{ID: id, URL: truths[id].URL, GZ: gz})
	}
	return pages, truths, nil
}

func gunzip(b []byte) []byte {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	out, _ := io.ReadAll(r)
	return out
}

// runChild extracts every page reps times, timing only the extraction.
func runChild(tool string, pages []page, reps int) {
	fn := tools[tool]
	res := &childResult{Tool: tool, Texts: map[string]string{}, Paras: map[string]string{}, Pages: len(pages)}
	for rep := 0; rep < reps; rep++ {
		var total time.Duration
		var bytesSeen int64
		for _, p := range pages {
			raw := gunzip(p.GZ)
			bytesSeen += int64(len(raw))
			lastTree = nil
			start := time.Now()
			text, err := fn(raw, p.URL)
			total += time.Since(start)
			if rep == 0 {
				if err != nil {
					res.Errors++
				}
				if lastTree != nil {
					res.Paras[p.ID] = nodeText(lastTree, text)
				}
				res.Texts[p.ID] = text
			}
		}
		res.Seconds = append(res.Seconds, total.Seconds())
		res.Bytes = bytesSeen
		runtime.GC()
	}
	w := bufio.NewWriter(os.Stdout)
	json.NewEncoder(w).Encode(res)
	w.Flush()
}

// spawn runs one tool in a child process on one core and returns its
// results and peak resident memory in bytes.
func spawn(tool, data string, reps int) (*childResult, int64, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, 0, err
	}
	cmd := exec.Command(self, "-child", tool, "-data", data, "-reps", fmt.Sprint(reps))
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	cmd.Stderr = io.Discard // peers log freely
	out, err := cmd.Output()
	if err != nil {
		return nil, 0, err
	}
	var r childResult
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, 0, fmt.Errorf("child output: %w", err)
	}
	var maxrss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxrss = ru.Maxrss * 1024 // KiB on Linux
	}
	return &r, maxrss, nil
}

type pageScore struct {
	id         string
	p, r       float64
	paraF, rlF float64 // paragraph F1 and ROUGE-LSum F-measure, see metrics.go
}

type row struct {
	tool             string
	f1, p, r         float64
	f1sd, psd, rsd   float64
	paraF, rougeF    float64 // averaged over pages
	paraSD, rougeSD  float64
	pagesPerS, mbPer float64
	maxrss           int64
	errors           int
	pages            []pageScore
}

func score(res *childResult, truths map[string]truth, pages []page, maxrss int64) row {
	rw := row{tool: res.Tool, maxrss: maxrss, errors: res.Errors}
	for _, p := range pages {
		tp, fp, fn := shingleMatch(truths[p.ID].ArticleBody, res.Texts[p.ID])
		paras := res.Texts[p.ID]
		if s, ok := res.Paras[p.ID]; ok {
			paras = s
		}
		_, _, pf := paraMatch(truths[p.ID].ArticleBody, paras)
		_, _, rf := rougeLsum(truths[p.ID].ArticleBody, paras)
		rw.pages = append(rw.pages, pageScore{p.ID, precision(tp, fp, fn), recall(tp, fp, fn), pf, rf})
	}
	rw.p, rw.r, rw.f1 = aggregate(rw.pages)
	rw.paraF, rw.rougeF = meanPara(rw.pages)
	// Bootstrap over pages.
	rng := rand.New(rand.NewPCG(1, 2))
	var fs, ps, rs, pfs, rfs []float64
	sample := make([]pageScore, len(rw.pages))
	for i := 0; i < 1000; i++ {
		for j := range sample {
			sample[j] = rw.pages[rng.IntN(len(rw.pages))]
		}
		p, r, f := aggregate(sample)
		ps, rs, fs = append(ps, p), append(rs, r), append(fs, f)
		pf, rf := meanPara(sample)
		pfs, rfs = append(pfs, pf), append(rfs, rf)
	}
	rw.psd, rw.rsd, rw.f1sd = stddev(ps), stddev(rs), stddev(fs)
	rw.paraSD, rw.rougeSD = stddev(pfs), stddev(rfs)
	secs := slices.Clone(res.Seconds)
	slices.Sort(secs)
	med := secs[len(secs)/2]
	rw.pagesPerS = float64(res.Pages) / med
	rw.mbPer = float64(res.Bytes) / 1e6 / med
	return rw
}

func aggregate(ps []pageScore) (p, r, f float64) {
	for _, s := range ps {
		p += s.p
		r += s.r
	}
	p /= float64(len(ps))
	r /= float64(len(ps))
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// meanPara averages the paragraph F1 and the ROUGE-LSum F-measure.
func meanPara(ps []pageScore) (pf, rf float64) {
	for _, s := range ps {
		pf += s.paraF
		rf += s.rlF
	}
	return pf / float64(len(ps)), rf / float64(len(ps))
}

func stddev(xs []float64) float64 {
	var mean, v float64
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	return math.Sqrt(v / float64(len(xs)))
}

func precision(tp, fp, fn int) float64 {
	if fp == 0 && fn == 0 {
		return 1
	}
	if tp == 0 && fp == 0 {
		return 0
	}
	return float64(tp) / float64(tp+fp)
}

func recall(tp, fp, fn int) float64 {
	if fp == 0 && fn == 0 {
		return 1
	}
	if tp == 0 && fn == 0 {
		return 0
	}
	return float64(tp) / float64(tp+fn)
}

func isWord(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// shingles returns the multiset of 4-grams of \w+ tokens; a text with
// fewer than four tokens is one shingle of them all.
func shingles(text string) map[string]int {
	var toks []string
	start := -1
	for i, r := range text {
		if isWord(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			toks = append(toks, text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, text[start:])
	}
	m := map[string]int{}
	for i := 0; i < max(1, len(toks)-3); i++ {
		s := strings.Join(toks[i:min(i+4, len(toks))], " ")
		if s != "" {
			m[s]++
		}
	}
	return m
}

func shingleMatch(truthText, pred string) (tp, fp, fn int) {
	t, p := shingles(truthText), shingles(pred)
	for k, pc := range p {
		tc := t[k]
		tp += min(tc, pc)
		fp += max(0, pc-tc)
	}
	for k, tc := range t {
		fn += max(0, tc-p[k])
	}
	return tp, fp, fn
}

func render(rows []row) string {
	var b strings.Builder
	b.WriteString("| tool | F1 | precision | recall | paragraph F1 | ROUGE-LSum | pages/s | MB/s | peak RSS | errors |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %.3f ± %.3f | %.3f ± %.3f | %.3f ± %.3f | %.3f ± %.3f | %.3f ± %.3f | %.1f | %.1f | %.0f MB | %d |\n",
			r.tool, r.f1, r.f1sd, r.p, r.psd, r.r, r.rsd, r.paraF, r.paraSD, r.rougeF, r.rougeSD,
			r.pagesPerS, r.mbPer, float64(r.maxrss)/1e6, r.errors)
	}
	return b.String()
}

// ratios states newsdesk's throughput against each peer, measured in the
// same run.
func ratios(rows []row) string {
	var nd *row
	for i := range rows {
		if rows[i].tool == "newsdesk" {
			nd = &rows[i]
		}
	}
	if nd == nil || len(rows) < 2 {
		return ""
	}
	var parts []string
	for _, r := range rows {
		if r.tool != "newsdesk" && r.mbPer > 0 {
			parts = append(parts, fmt.Sprintf("%.1fx %s", nd.mbPer/r.mbPer, r.tool))
		}
	}
	return "\nnewsdesk throughput per core: " + strings.Join(parts, ", ") + ".\n"
}

func printWorst(r row, pages []page, n int, by string) {
	ps := slices.Clone(r.pages)
	f := func(s pageScore) float64 {
		if s.p+s.r == 0 {
			return 0
		}
		return 2 * s.p * s.r / (s.p + s.r)
	}
	key := f
	switch by {
	case "para":
		key = func(s pageScore) float64 { return s.paraF }
	case "rouge":
		key = func(s pageScore) float64 { return s.rlF }
	}
	slices.SortFunc(ps, func(a, b pageScore) int { return cmpFloat(key(a), key(b)) })
	urls := map[string]string{}
	for _, p := range pages {
		urls[p.ID] = p.URL
	}
	fmt.Printf("\nworst pages (newsdesk) by %s: F1 P R paraF1 ROUGE id url\n", by)
	for _, s := range ps[:min(n, len(ps))] {
		fmt.Printf("%.3f %.3f %.3f %.3f %.3f %s %s\n", f(s), s.p, s.r, s.paraF, s.rlF, s.id[:12], urls[s.id])
	}
}

// printSeg lists, page by page, the output paragraphs that join several
// truth paragraphs and the truth paragraphs the output splits.
func printSeg(r *childResult, pages []page, truths map[string]truth) {
	nm, ns := 0, 0
	clip := func(s string) string {
		if len(s) > 90 {
			return s[:90] + "…"
		}
		return s
	}
	for _, p := range pages {
		merged, split := segErrors(truths[p.ID].ArticleBody, r.Texts[p.ID])
		for _, m := range merged {
			nm++
			fmt.Printf("%s MERGED %d truth paragraphs into: %s\n", p.ID[:12], len(m)-1, clip(m[0]))
			for _, s := range m[1:] {
				fmt.Printf("      | %s\n", clip(s))
			}
		}
		for _, m := range split {
			ns++
			fmt.Printf("%s SPLIT into %d: %s\n", p.ID[:12], len(m)-1, clip(m[0]))
			for _, s := range m[1:] {
				fmt.Printf("      | %s\n", clip(s))
			}
		}
	}
	fmt.Printf("\n%d merged, %d split\n", nm, ns)
	if os.Getenv("ALLDIFF") != "" {
		for _, p := range pages {
			missed, extra := paraDiff(truths[p.ID].ArticleBody, r.Texts[p.ID])
			for _, s := range missed {
				fmt.Printf("%s - %s\n", p.ID[:8], clip(s))
			}
			for _, s := range extra {
				fmt.Printf("%s + %s\n", p.ID[:8], clip(s))
			}
		}
	}
	if os.Getenv("NEAR") != "" {
		for _, p := range pages {
			missed, extra := paraDiff(truths[p.ID].ArticleBody, r.Texts[p.ID])
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
					fmt.Printf("%s NEAR %.2f\n  + %s\n  - %s\n", p.ID[:12], best, clip(e), clip(missed[bi]))
				}
			}
		}
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func showPage(prefix string, pages []page, truths map[string]truth, diffOnly bool) {
	for _, p := range pages {
		if !strings.HasPrefix(p.ID, prefix) {
			continue
		}
		text, err := tools["newsdesk"](gunzip(p.GZ), p.URL)
		want := truths[p.ID].ArticleBody
		tp, fp, fn := shingleMatch(want, text)
		pp, pr, pf := paraMatch(want, text)
		_, _, rf := rougeLsum(want, text)
		fmt.Printf("== %s %s\nP %.3f R %.3f | paragraphs P %.3f R %.3f F1 %.3f | ROUGE-LSum %.3f | err %v\n", p.ID, p.URL,
			precision(tp, fp, fn), recall(tp, fp, fn), pp, pr, pf, rf, err)
		if !diffOnly {
			fmt.Printf("== TRUTH\n%s\n== NEWSDESK\n%s\n", want, text)
			return
		}
		missed, extra := paraDiff(want, text)
		fmt.Println("== MISSED (truth paragraphs not in the output)")
		for _, s := range missed {
			fmt.Printf("- %s\n", s)
		}
		fmt.Println("== EXTRA (output paragraphs not in the truth)")
		for _, s := range extra {
			fmt.Printf("+ %s\n", s)
		}
		return
	}
}

// writeSection replaces the text between the extract markers.
func writeSection(path, table string, reps int, toolList string) error {
	doc, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	const begin, end = "<!-- extract:begin -->", "<!-- extract:end -->"
	i, j := bytes.Index(doc, []byte(begin)), bytes.Index(doc, []byte(end))
	if i < 0 || j < i {
		return fmt.Errorf("%s: markers %s and %s not found", path, begin, end)
	}
	var b strings.Builder
	b.WriteString(begin + "\n")
	fmt.Fprintf(&b, "Zyte article-extraction benchmark (181 pages, %s of HTML), all tools in one run, each in its own\n", mb(pages181Bytes))
	b.WriteString("child process with GOMAXPROCS=1. F1/precision/recall: the benchmark's 4-gram shingle metric,\n")
	b.WriteString("averaged over pages, ± = bootstrap standard deviation. Paragraph F1: the truth and the output split\n")
	b.WriteString("on newlines, matched as multisets of paragraphs compared by their lowercased \\w+ tokens, F1 per\n")
	b.WriteString("page, averaged. ROUGE-LSum: rouge-score's summary-level LCS F-measure over those paragraphs, with\n")
	b.WriteString("lowercased Unicode \\w+ tokens, averaged over pages (see bench/extract/metrics.go); go-trafilatura's\n")
	b.WriteString("ContentText has no line breaks, so for these two its content tree is rendered one block a line\n")
	b.WriteString("(render.go), which loses a little of its text. Throughput: median of ")
	fmt.Fprintf(&b, "%d passes over all pages, extraction only\n", reps)
	b.WriteString("(decompression excluded); the passes go round the tools so that load on the shared machine falls on all\n")
	b.WriteString("alike. Peak RSS: the largest maxrss of a child extracting all 181 pages in one process, including the\n")
	b.WriteString("6 MB of compressed pages it holds.\n\n")
	b.WriteString(table)
	fmt.Fprintf(&b, "\nMachine: %s, %d cores, %s, %s/%s, measured %s; load average %s when the run ended\n",
		cpuModel(), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, time.Now().UTC().Format("2006-01-02"), loadAvg())
	b.WriteString("(the machine is shared, so absolute figures vary between runs; the ratios are measured side by side).\n\n")
	b.WriteString("go-trafilatura runs with default options and again with EnableFallback (its readability and\n")
	b.WriteString("dom-distiller fallbacks); go-readability is codeberg.org/readeck/go-readability/v2 v2.1.3.\n\n")
	b.WriteString("Reproduce (from the repository root):\n\n```\n")
	fmt.Fprintf(&b, "cd bench/extract && go run . -reps %d -tools %s -write ../../docs/BENCHMARKS.md\n", reps, toolList)
	b.WriteString("```\n\nDev loop, newsdesk only, with its worst pages: `cd bench/extract && go run . -tools newsdesk -reps 1 -worst 20`.\n")
	b.WriteString(end)
	out := append([]byte{}, doc[:i]...)
	out = append(out, b.String()...)
	out = append(out, doc[j+len(end):]...)
	return os.WriteFile(path, out, 0o644)
}

var pages181Bytes int64

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "model name") {
			if i := strings.IndexByte(line, ':'); i > 0 {
				return strings.TrimSpace(line[i+1:])
			}
		}
	}
	return runtime.GOARCH
}
