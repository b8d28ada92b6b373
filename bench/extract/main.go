// Command extractbench scores and times newsdesk's HTML extraction against
// go-trafilatura and readeck/go-readability on the article-extraction
// benchmark sets under shared/bench/extraction (zyte, dragnet, cleaneval,
// readability, and any other folder in their layout), and writes the
// results into docs/BENCHMARKS.md.
//
// A set is a folder with ground-truth.json ({id: {"articleBody", "url"?}})
// and html/<id>.html.gz. -data names one set, or a folder of sets (told
// apart by whether DIR/ground-truth.json exists); -sets a,b picks some.
//
// Each tool runs on each set in a child process of this command with
// GOMAXPROCS=1, so that its throughput is per core and its peak memory
// (rusage maxrss) is its own and per set. The child holds its set's pages
// compressed and decompresses each outside the timing. Quality uses the
// zyte benchmark's metric: 4-gram shingles of \w+ tokens, counted as a
// multiset; precision and recall per page, averaged over pages; F1 of the
// averages; ± is the bootstrap standard deviation. The pooled table
// averages over all pages of all sets.
//
//	go run . -reps 3 -write ../../docs/BENCHMARKS.md  # full run, all tools, all sets
//	go run . -tools newsdesk -reps 1 -worst 10         # dev loop: newsdesk's worst pages per set
//	go run . -tools newsdesk -sets zyte -worst 20 -by para  # ... one set, by paragraph F1 (or -by rouge)
//	go run . -show <id>                                # one page of any set: truth against output
//	go run . -show <id> -diff                          # one page: unmatched paragraphs only
//	go run . -cmd                                      # whole commands timed: newsdesk clean against peerclean
//
// Next to the shingle metric it reports a paragraph F1 and a ROUGE-LSum
// F-measure (see metrics.go), the measures of the held-out sets.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

var toolOrder = []string{"newsdesk", "go-trafilatura", "go-trafilatura+fallback", "go-readability"}

type options struct {
	data      string
	sets      string
	tools     []string
	reps      int
	worst     int
	by        string
	seg       bool
	utf8peers bool
	nocache   bool
	write     string
	root      string
}

func main() {
	data := flag.String("data", "../../../shared/bench/extraction", "a set folder (with ground-truth.json) or a folder of sets")
	sets := flag.String("sets", "", "comma-separated set names to run (default: every set under -data)")
	toolList := flag.String("tools", strings.Join(toolOrder, ","), "comma-separated tools to run")
	child := flag.String("child", "", "internal: run one tool on the one set -data names and print its results as JSON")
	texts := flag.Bool("texts", true, "internal: with -child, report the extracted texts")
	reps := flag.Int("reps", 3, "timed repetitions per tool and set; the median is reported")
	worst := flag.Int("worst", 0, "print newsdesk's N worst pages of each set")
	show := flag.String("show", "", "print the truth and newsdesk's output for the page whose id starts with this, in any set")
	by := flag.String("by", "shingle", "order of -worst: shingle, para or rouge")
	diff := flag.Bool("diff", false, "with -show: print only the paragraphs that do not match")
	seg := flag.Bool("seg", false, "print newsdesk's paragraph-boundary errors on every page (merged and split paragraphs)")
	utf8peers := flag.Bool("utf8peers", false, "transcode each page to UTF-8 for the peers, outside the timing (x/net/html/charset.DetermineEncoding), as the README's peer figures were measured; newsdesk always gets the bytes as they are")
	cmdMode := flag.Bool("cmd", false, "time whole commands instead: newsdesk clean (with and without --no-enrich) against peerclean for each peer, on one core, per set (see cmd.go)")
	cmdRuns := flag.Int("cmd-runs", 5, "with -cmd: timed runs of each command (after one warm-up)")
	root := flag.String("root", "../..", "the newsdesk repository root: -cmd builds its cmd/newsdesk; the report names its commit")
	nocache := flag.Bool("nocache", false, "score every page afresh, without the page-score cache (see cache.go)")
	write := flag.String("write", "", "rewrite the extract section of this BENCHMARKS.md (with -cmd, only its command-timing block)")
	flag.Parse()

	if *child != "" {
		runChild(*child, *data, *texts, *utf8peers)
		return
	}
	dirs, err := findSets(*data, *sets)
	if err != nil {
		fail(err)
	}
	if *show != "" {
		showPage(*show, dirs, *diff)
		return
	}
	if *cmdMode {
		if err := runCmdBench(dirs, *root, *cmdRuns, *write); err != nil {
			fail(err)
		}
		return
	}
	opt := options{data: *data, sets: *sets, reps: max(1, *reps), worst: *worst, by: *by, seg: *seg, utf8peers: *utf8peers, nocache: *nocache, write: *write, root: *root}
	for _, t := range strings.Split(*toolList, ",") {
		if _, ok := toolTags[t]; !ok {
			fail(fmt.Errorf("unknown tool %q", t))
		}
		opt.tools = append(opt.tools, t)
	}
	runBench(dirs, opt)
}

// cleanups run before fail exits.
var cleanups []func()

func fail(err error) {
	for _, f := range cleanups {
		f()
	}
	fmt.Fprintln(os.Stderr, "extractbench:", err)
	os.Exit(1)
}

// run is one tool on one set: its children's results, merged over the
// repetitions.
type run struct {
	set    *set
	tool   string
	res    *childResult
	maxrss int64
}

func runBench(dirs []string, opt options) {
	loadStart := loadAvg()
	var sets []*set
	for _, d := range dirs {
		s, err := loadSet(d, false)
		if err != nil {
			fail(err)
		}
		sets = append(sets, s)
	}
	// Repetitions go round the sets and tools, one child per tool, set
	// and pass, so that a change in the machine's load falls on every
	// tool alike. Only the first pass reports texts.
	bins := buildChildren(opt.tools)
	defer bins.remove()
	cleanups = append(cleanups, bins.remove)
	runs := make([]*run, 0, len(sets)*len(opt.tools))
	for _, s := range sets {
		for _, t := range opt.tools {
			runs = append(runs, &run{set: s, tool: t})
		}
	}
	for rep := 0; rep < opt.reps; rep++ {
		for _, r := range runs {
			res, maxrss, err := spawn(bins.path(r.tool), r.tool, r.set.dir, rep == 0, opt.utf8peers)
			if err != nil {
				fail(fmt.Errorf("%s on %s: %w", r.tool, r.set.name, err))
			}
			if r.res == nil {
				r.res = res
			} else {
				r.res.Seconds = append(r.res.Seconds, res.Seconds...)
			}
			r.maxrss = max(r.maxrss, maxrss)
		}
	}
	loadEnd := loadAvg()
	commit := gitState(opt.root)

	// Scoring is not timed: it runs in parallel once the children are done.
	cache := openCache()
	if opt.nocache {
		cache = nil
	}
	rows := scoreAll(runs, cache)
	if err := cache.save(); err != nil {
		fmt.Fprintln(os.Stderr, "extractbench: score cache:", err)
	}
	rep := &report{sets: sets, tools: opt.tools, rows: rows, opt: opt, loadStart: loadStart, loadEnd: loadEnd, commit: commit}
	text := rep.tables()
	fmt.Print(text)
	if opt.worst > 0 {
		for _, r := range rows {
			if r.tool == "newsdesk" {
				printWorst(r, opt.worst, opt.by)
			}
		}
	}
	if opt.seg {
		for _, r := range runs {
			if r.tool == "newsdesk" {
				printSeg(r.res, r.set)
			}
		}
	}
	if opt.write != "" {
		if err := writeSection(opt.write, rep.section(text)); err != nil {
			fail(err)
		}
	}
}
