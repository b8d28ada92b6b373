package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// report renders one run's rows as tables and as the BENCHMARKS.md section.
type report struct {
	sets               []*set
	tools              []string
	rows               []row // one per set and tool, sets outer
	opt                options
	loadStart, loadEnd string
	commit             string // newsdesk's, see gitState
}

func (rp *report) setRows(name string) []row {
	var out []row
	for _, r := range rp.rows {
		if r.set == name {
			out = append(out, r)
		}
	}
	return out
}

func (rp *report) pooledRows() []row {
	var out []row
	for _, t := range rp.tools {
		out = append(out, pooled(t, rp.rows))
	}
	return out
}

// tables is every table of the run, as Markdown.
func (rp *report) tables() string {
	var b strings.Builder
	pool := rp.pooledRows()
	var pages int
	var bytes, gz int64
	for _, s := range rp.sets {
		pages += len(s.ids)
		gz += s.gzSize
	}
	if len(pool) > 0 {
		bytes = pool[0].bytes
	}
	if len(rp.sets) > 1 {
		b.WriteString("### Summary\n\n")
		b.WriteString(rp.summary(pool))
		fmt.Fprintf(&b, "\n### All sets pooled (%d pages, %s of HTML)\n\n", pages, mb(bytes))
		b.WriteString("Quality averaged over all pages of all sets; throughput over the summed per-set median times;\n")
		b.WriteString("peak RSS the largest of the per-set children; errors summed.\n\n")
		b.WriteString(renderRows(pool))
		b.WriteString(ratios(pool))
	}
	for _, s := range rp.sets {
		rows := rp.setRows(s.name)
		var sb int64
		if len(rows) > 0 {
			sb = rows[0].bytes
		}
		fmt.Fprintf(&b, "\n### %s (%d pages, %s of HTML, %s compressed)\n\n", s.name, len(s.ids), mb(sb), mb(s.gzSize))
		b.WriteString(renderRows(rows))
		b.WriteString(ratios(rows))
	}
	return b.String()
}

func renderRows(rows []row) string {
	var b strings.Builder
	b.WriteString("| tool | F1 | precision | recall | paragraph F1 | ROUGE-LSum | pages/s | MB/s | peak RSS | errors | no article (truth ≥ 50 words) |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %.3f ± %.3f | %.3f ± %.3f | %.3f ± %.3f | %.3f ± %.3f | %.3f ± %.3f | %.1f | %.1f | %.0f MB | %d | %d |\n",
			r.tool, r.f1, r.f1sd, r.p, r.psd, r.r, r.rsd, r.paraF, r.paraSD, r.rougeF, r.rougeSD,
			r.pagesPerS, r.mbPer, float64(r.maxrss)/1e6, r.errors, r.empty)
	}
	return b.String()
}

// ratios states newsdesk's throughput against each peer, measured in the
// same run.
func ratios(rows []row) string {
	i := slices.IndexFunc(rows, func(r row) bool { return r.tool == "newsdesk" })
	if i < 0 || len(rows) < 2 {
		return ""
	}
	nd := rows[i]
	var parts []string
	for _, r := range rows {
		if r.tool != "newsdesk" && r.mbPer > 0 {
			parts = append(parts, fmt.Sprintf("%.1fx %s", nd.mbPer/r.mbPer, r.tool))
		}
	}
	return "\nnewsdesk extraction throughput per core: " + strings.Join(parts, ", ") + ".\n"
}

// summary is one row per set (and the pooled row): each tool's F1,
// newsdesk's precision and recall, and newsdesk's margin over the better
// peer.
func (rp *report) summary(pool []row) string {
	var b strings.Builder
	hasND := slices.Contains(rp.tools, "newsdesk")
	b.WriteString("| set | pages |")
	for _, t := range rp.tools {
		fmt.Fprintf(&b, " %s F1 |", t)
		if t == "newsdesk" {
			b.WriteString(" newsdesk P | newsdesk R |")
		}
	}
	if hasND && len(rp.tools) > 1 {
		b.WriteString(" newsdesk − best peer (F1) |")
	}
	b.WriteString("\n|---|---|")
	for _, t := range rp.tools {
		b.WriteString("---|")
		if t == "newsdesk" {
			b.WriteString("---|---|")
		}
	}
	if hasND && len(rp.tools) > 1 {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	line := func(name string, n int, rows []row) {
		fmt.Fprintf(&b, "| %s | %d |", name, n)
		var nd, best *row
		for i := range rows {
			r := &rows[i]
			fmt.Fprintf(&b, " %.3f |", r.f1)
			if r.tool == "newsdesk" {
				nd = r
				fmt.Fprintf(&b, " %.3f | %.3f |", r.p, r.r)
			} else if best == nil || r.f1 > best.f1 {
				best = r
			}
		}
		if nd != nil && best != nil {
			fmt.Fprintf(&b, " %+.3f (%s) |", nd.f1-best.f1, best.tool)
		}
		b.WriteString("\n")
	}
	total := 0
	for _, s := range rp.sets {
		line(s.name, len(s.ids), rp.setRows(s.name))
		total += len(s.ids)
	}
	line("**all, pooled**", total, pool)
	return b.String()
}

// peerNote says what bytes the peers got.
func peerNote(utf8peers bool) string {
	if utf8peers {
		return "With -utf8peers, the peers got each page transcoded to UTF-8 beforehand, outside the timing\n" +
			"(x/net/html/charset.DetermineEncoding on pages that are not valid UTF-8), as for the peer figures in\n" +
			"shared/bench/extraction/README.md; newsdesk got the bytes as they are.\n"
	}
	return "Every tool gets each page's bytes as they are on disk, as newsdesk would from a crawler; the peers\n" +
		"detect the encoding themselves (go-shiori/dom's chardet). The peer figures in\n" +
		"shared/bench/extraction/README.md were measured on pages transcoded to UTF-8 beforehand; `-utf8peers`\n" +
		"measures them that way (on cleaneval, whose 738 pages include 269 that are not valid UTF-8, it changed\n" +
		"no peer's F1 when checked on 2026-12-02: their own detection finds the same encodings).\n"
}

// section is the extract section of BENCHMARKS.md for this run.
func (rp *report) section(tables string) string {
	var b strings.Builder
	var names []string
	pages := 0
	for _, s := range rp.sets {
		names = append(names, fmt.Sprintf("%s (%d pages)", s.name, len(s.ids)))
		pages += len(s.ids)
	}
	b.WriteString("Article-extraction benchmark sets of shared/bench/extraction (see its README):\n")
	fmt.Fprintf(&b, "%s; %d pages in all.\n", strings.Join(names, ", "), pages)
	b.WriteString("All tools in one run, each on each set in its own child process with GOMAXPROCS=1.\n")
	b.WriteString(`F1/precision/recall: the zyte benchmark's 4-gram shingle metric, averaged over pages, ± = bootstrap
standard deviation. Paragraph F1: the truth and the output split on newlines, matched as multisets of
paragraphs compared by their lowercased \w+ tokens, F1 per page, averaged. ROUGE-LSum: rouge-score's
summary-level LCS F-measure over those paragraphs, with lowercased Unicode \w+ tokens, averaged over
pages (see bench/extract/metrics.go); go-trafilatura's ContentText has no line breaks, so for these two
its content tree is rendered one block a line (render.go), which loses a little of its text.
`)
	fmt.Fprintf(&b, "Throughput: median of %d passes over each set, extraction only (decompression excluded); the passes\n", rp.opt.reps)
	b.WriteString(`go round the sets and tools so that load on the shared machine falls on all alike. Peak RSS: the
child's own peak resident memory (VmHWM) while extracting all pages of one set in one process,
including the set's compressed pages it holds (their size is in each set's heading); each child runs
from a build that links only its own tool (go-trafilatura's dependencies alone allocate 78 MB when
the process starts; tables before this one counted that, and the parent's memory, for every tool).
Errors: pages on which the tool returned an error; no article: pages whose truth has 50 words or
more on which the tool returned an error or an output without a word. cleaneval's truth is
hard-wrapped (its lines break inside paragraphs), so its paragraph F1 says little, and ROUGE-LSum
there compares lines.

`)
	b.WriteString(peerNote(rp.opt.utf8peers))
	b.WriteString("\n")
	b.WriteString(tables)
	fmt.Fprintf(&b, "\nnewsdesk at %s. Machine: %s, %d cores, %s, %s/%s, measured %s;\n",
		rp.commit, cpuModel(), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(&b, "load average %s when the run began and %s when it ended (the machine is shared, with other\n", rp.loadStart, rp.loadEnd)
	b.WriteString("work running, so absolute figures vary between runs; the ratios are measured side by side).\n\n")
	b.WriteString("go-trafilatura runs with default options and again with EnableFallback (its readability and\n")
	b.WriteString("dom-distiller fallbacks); go-readability is codeberg.org/readeck/go-readability/v2 v2.1.3.\n\n")
	b.WriteString("Reproduce (from the repository root):\n\n```\n")
	fmt.Fprintf(&b, "cd bench/extract && go run . %s\n", reproduceFlags())
	b.WriteString("```\n\nDev loop, newsdesk only, with its worst pages per set: `cd bench/extract && go run . -tools newsdesk -reps 1 -worst 10`\n")
	b.WriteString("(`-sets zyte` for one set, `-show <id prefix>` for one page of any set).\n")
	return b.String()
}

// reproduceFlags is the command line of this run, flags in the order
// flag.Visit gives (sorted), with -write last.
func reproduceFlags() string {
	var parts []string
	var write string
	flag.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "write":
			write = f.Value.String()
		case "worst", "by", "seg", "show", "diff":
		default:
			if f.Value.String() == "true" {
				parts = append(parts, "-"+f.Name)
			} else {
				parts = append(parts, "-"+f.Name, f.Value.String())
			}
		}
	})
	if write != "" {
		parts = append(parts, "-write", write)
	}
	return strings.Join(parts, " ")
}

const (
	sectionBegin, sectionEnd = "<!-- extract:begin -->", "<!-- extract:end -->"
	cmdBegin, cmdEnd         = "<!-- extract-cmd:begin -->", "<!-- extract-cmd:end -->"
)

// writeSection replaces the text between the extract markers with body,
// keeping the command-timing block (written by -cmd) that the old section
// ends with.
func writeSection(path, body string) error {
	return editSection(path, func(old string) string {
		keep := ""
		if i, j := strings.Index(old, cmdBegin), strings.Index(old, cmdEnd); i >= 0 && j > i {
			keep = "\n" + old[i:j+len(cmdEnd)] + "\n"
		}
		return body + keep
	})
}

// writeCmdBlock replaces the command-timing block inside the extract
// section, or adds it at the section's end.
func writeCmdBlock(path, body string) error {
	block := cmdBegin + "\n" + body + cmdEnd
	return editSection(path, func(old string) string {
		if i, j := strings.Index(old, cmdBegin), strings.Index(old, cmdEnd); i >= 0 && j > i {
			return old[:i] + block + old[j+len(cmdEnd):]
		}
		return strings.TrimRight(old, "\n") + "\n\n" + block + "\n"
	})
}

func editSection(path string, edit func(old string) string) error {
	doc, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	i, j := bytes.Index(doc, []byte(sectionBegin)), bytes.Index(doc, []byte(sectionEnd))
	if i < 0 || j < i {
		return fmt.Errorf("%s: markers %s and %s not found", path, sectionBegin, sectionEnd)
	}
	old := string(doc[i+len(sectionBegin) : j])
	body := strings.Trim(edit(old), "\n")
	out := append([]byte{}, doc[:i]...)
	out = append(out, sectionBegin+"\n"+body+"\n"+sectionEnd...)
	out = append(out, doc[j+len(sectionEnd):]...)
	return os.WriteFile(path, out, 0o644)
}

func printWorst(r row, n int, by string) {
	ps := slices.Clone(r.pages)
	key := pageScore.f1
	switch by {
	case "para":
		key = func(s pageScore) float64 { return s.paraF }
	case "rouge":
		key = func(s pageScore) float64 { return s.rlF }
	}
	slices.SortStableFunc(ps, func(a, b pageScore) int { return cmpFloat(key(a), key(b)) })
	fmt.Printf("\nworst pages of %s (newsdesk) by %s: set id F1 P R paraF1 ROUGE truth-words output-words url\n", r.set, by)
	for _, s := range ps[:min(n, len(ps))] {
		errMark := ""
		if s.failed {
			errMark = " (error)"
		}
		fmt.Printf("%s %s %.3f %.3f %.3f %.3f %.3f %d %d%s %s\n", s.set, s.id[:min(12, len(s.id))], s.f1(), s.p, s.r, s.paraF, s.rlF,
			s.truthWords, s.outWords, errMark, s.url)
	}
}
