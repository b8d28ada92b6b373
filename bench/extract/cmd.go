package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Command-level timing (-cmd): the speed target is about the whole
// `newsdesk clean` command as users run it, process start, reading, repair,
// enrichment and JSON output included, not about extract.HTML. For each set
// this decompresses the pages into a temporary folder once, builds
// cmd/newsdesk and cmd/peerclean (the peers' equivalent command, one build
// per peer that links only that peer), and times
// on one core (taskset -c 1, GOMAXPROCS=1):
//
//	newsdesk clean --format jsonl FILES
//	newsdesk clean --format jsonl --no-enrich FILES
//	peerclean -tool go-trafilatura FILES
//	peerclean -tool go-readability FILES
//
// in rounds that go round the commands (see timeRounds), with hyperfine when
// it is installed, else with its own clock; one warm-up round, then
// -cmd-runs rounds, medians. One more run of each, outside the timing, gives
// its peak RSS (GNU time's %M), and its records' text is scored against the
// truth: as users run it, newsdesk clean judges by content whether an input
// is HTML, which the extraction benchmark (extract.HTML) skips. Files are
// passed by name, relative to the set's folder (newsdesk clean takes files,
// not folders; the names are 21 bytes each, far from any argument limit).

type cmdSpec struct {
	name string
	argv []string // without the files
}

type cmdTiming struct {
	name            string
	median, lo, hi  float64 // wall-clock seconds
	cpu             float64 // median user+sys seconds
	maxrss          int64
	records, failed int     // stdout lines, and files reported failed on stderr
	f1, p, r        float64 // the shingle metric of the records' text against the truth
}

type cmdSet struct {
	name    string
	files   int
	bytes   int64
	timings []cmdTiming
}

func runCmdBench(dirs []string, root string, runs int, write string) error {
	runs = max(1, runs)
	loadStart := loadAvg()
	tmp, err := os.MkdirTemp("", "extractbench-cmd-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	nd := filepath.Join(tmp, "newsdesk")
	if out, err := exec.Command("go", "build", "-C", root, "-o", nd, "./cmd/newsdesk").CombinedOutput(); err != nil {
		return fmt.Errorf("go build cmd/newsdesk: %v\n%s", err, out)
	}
	// One peerclean per peer, each linking only its own peer.
	pcT, pcR := filepath.Join(tmp, "peerclean-go-trafilatura"), filepath.Join(tmp, "peerclean-go-readability")
	for _, b := range [][2]string{{pcT, "noreadability"}, {pcR, "notrafilatura"}} {
		if out, err := exec.Command("go", "build", "-tags", b[1], "-o", b[0], benchPkg+"/cmd/peerclean").CombinedOutput(); err != nil {
			return fmt.Errorf("go build cmd/peerclean: %v\n%s", err, out)
		}
	}
	pin := []string{}
	if ts, err := exec.LookPath("taskset"); err == nil {
		pin = []string{ts, "-c", "1"}
	} else {
		fmt.Fprintln(os.Stderr, "extractbench: taskset not found: the commands are not pinned to one core (GOMAXPROCS=1 still)")
	}
	hf, _ := exec.LookPath("hyperfine")
	specs := []cmdSpec{
		{"newsdesk clean", append(slices.Clone(pin), nd, "clean", "--format", "jsonl")},
		{"newsdesk clean --no-enrich", append(slices.Clone(pin), nd, "clean", "--format", "jsonl", "--no-enrich")},
		{"peerclean -tool go-trafilatura", append(slices.Clone(pin), pcT, "-tool", "go-trafilatura")},
		{"peerclean -tool go-readability", append(slices.Clone(pin), pcR, "-tool", "go-readability")},
	}
	env := childEnv()
	var results []cmdSet
	for _, d := range dirs {
		s, err := loadSet(d, true)
		if err != nil {
			return err
		}
		dir := filepath.Join(tmp, s.name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			return err
		}
		cs := cmdSet{name: s.name, files: len(s.pages)}
		var files []string
		want := map[string]string{} // truth by file name
		for _, p := range s.pages {
			name := p.ID[:min(16, len(p.ID))] + ".html"
			want[name] = s.truths[p.ID].ArticleBody
			raw := gunzip(p.GZ)
			cs.bytes += int64(len(raw))
			if err := os.WriteFile(filepath.Join(dir, name), raw, 0o644); err != nil {
				return err
			}
			files = append(files, name)
		}
		s.pages = nil
		fmt.Fprintf(os.Stderr, "extractbench: -cmd on %s: %d files, %s\n", s.name, cs.files, mb(cs.bytes))
		for _, sp := range specs {
			t, err := rusageRun(sp, files, dir, env, want)
			if err != nil {
				return fmt.Errorf("%s on %s: %w", sp.name, s.name, err)
			}
			cs.timings = append(cs.timings, t)
		}
		if err := timeRounds(hf, specs, files, dir, env, runs, cs.timings); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		os.RemoveAll(dir)
		results = append(results, cs)
		fmt.Print(cmdSetTable(cs))
	}
	summary := cmdSummary(results)
	fmt.Print("\n" + summary)
	if write == "" {
		return nil
	}
	timer := "hyperfine " + hyperfineVersion(hf)
	if hf == "" {
		timer = "its own clock (hyperfine not installed)"
	}
	var b strings.Builder
	b.WriteString("### Whole commands, one core\n\n")
	b.WriteString("The issue's speed target times the whole `newsdesk clean` command as users run it (process start,\n")
	b.WriteString("reading, extraction, repair, enrichment, JSON output), not extract.HTML. Each set's pages are\n")
	b.WriteString("decompressed into a temporary folder, and each command gets all of them as file arguments, pinned to\n")
	b.WriteString("one core (`taskset -c 1`, GOMAXPROCS=1; newsdesk clean's -j is then 1). The peers run as\n")
	b.WriteString("bench/extract/cmd/peerclean, their equivalent of `newsdesk clean --format jsonl`: read each file,\n")
	b.WriteString("extract, write one JSON line {file, title, text}; one build per peer, linking only that peer.\n")
	fmt.Fprintf(&b, "Output goes to /dev/null. Time: median wall-clock seconds of %d rounds after a warm-up round,\n", runs)
	b.WriteString("each round running every command once (so that the shared machine's changing load falls on all\n")
	fmt.Fprintf(&b, "alike), timed by %s; peak RSS: GNU time's maximum resident set size over one more run.\n", timer)
	b.WriteString("F1 of the records' text: the shingle metric of each command's output against the truth, a file\n")
	b.WriteString("without a record counting as empty; newsdesk clean judges by content whether an input is HTML\n")
	b.WriteString("(extract.LooksLikeHTML), which the extraction tables above skip by calling extract.HTML.\n")
	b.WriteString("Targets: newsdesk clean ≥ 2× faster than readeck and ≥ 3× faster than go-trafilatura, peak memory\n")
	b.WriteString("< 150 MB over all pages of a set.\n\n")
	b.WriteString(summary)
	for _, cs := range results {
		b.WriteString(cmdSetTable(cs))
	}
	fmt.Fprintf(&b, "\nnewsdesk at %s. Machine: %s, %d cores, %s, measured %s;\n",
		gitState(root), cpuModel(), runtime.NumCPU(), runtime.Version(), time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(&b, "load average %s when the run began and %s when it ended (shared machine, other work\n", loadStart, loadAvg())
	b.WriteString("running). Reproduce (from the repository root):\n\n```\n")
	fmt.Fprintf(&b, "cd bench/extract && go run . %s\n```\n", reproduceFlags())
	return writeCmdBlock(write, b.String())
}

// rusageRun runs the command once, outside the timing, for its peak RSS
// and a check of its output. The peak comes from GNU time (/usr/bin/time
// -f %M), a small C program that forks: the rusage maxrss of a command that
// this process started itself would count this process's own resident
// memory too (see vmHWM).
func rusageRun(sp cmdSpec, files []string, dir string, env []string, want map[string]string) (cmdTiming, error) {
	t := cmdTiming{name: sp.name}
	argv := append(slices.Clone(sp.argv), files...)
	gnuTime := ""
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		gnuTime = filepath.Join(dir, "time.out")
		argv = append([]string{"/usr/bin/time", "-f", "%M", "-o", gnuTime}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir, cmd.Env = dir, env
	var stdout bytes.Buffer
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		return t, err
	}
	// newsdesk clean exits 3 and peerclean 1 when some inputs failed.
	if code := cmd.ProcessState.ExitCode(); code != 0 && code != 1 && code != 3 {
		return t, fmt.Errorf("%v: %s", err, lastLines(stderr.String(), 5))
	}
	t.records = bytes.Count(stdout.Bytes(), []byte{'\n'})
	t.p, t.r, t.f1 = scoreRecords(stdout.Bytes(), want)
	for _, l := range strings.Split(stderr.String(), "\n") {
		// Warnings (a best-effort record, still written) are not failures.
		if l != "" && !strings.Contains(l, "inputs failed") && !strings.Contains(l, ": warning: ") && !strings.HasPrefix(l, "Command exited") {
			t.failed++
		}
	}
	if gnuTime != "" {
		b, err := os.ReadFile(gnuTime)
		if err != nil {
			return t, err
		}
		// The last line: GNU time may first note a non-zero exit status.
		var kb int64
		if _, err := fmt.Sscan(lastLines(string(b), 1), &kb); err != nil {
			return t, fmt.Errorf("/usr/bin/time: %q", b)
		}
		t.maxrss = kb * 1024
		return t, nil
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		t.maxrss = ru.Maxrss * 1024 // an upper bound: see above
	}
	return t, nil
}

// timeRounds times the commands in rounds, each round running every
// command once, so that the commands alternate and a change in the shared
// machine's load falls on all alike; one warm-up round comes first. With
// hyperfine, each round is one hyperfine call (-N: no shell; -i: newsdesk
// clean exits 3 when an input had no article); without it, wall-clock time
// of the command.
func timeRounds(hf string, specs []cmdSpec, files []string, dir string, env []string, runs int, ts []cmdTiming) error {
	times, cpus := make([][]float64, len(specs)), make([][]float64, len(specs))
	for round := -1; round < runs; round++ {
		var el, cpu []float64
		var err error
		if hf != "" {
			el, cpu, err = hyperfineRound(hf, specs, files, dir, env)
		} else {
			el, cpu, err = ownRound(specs, files, dir, env)
		}
		if err != nil {
			return err
		}
		if round >= 0 {
			for i := range specs {
				times[i] = append(times[i], el[i])
				cpus[i] = append(cpus[i], cpu[i])
			}
		}
	}
	for i := range ts {
		xs := slices.Clone(times[i])
		slices.Sort(xs)
		ts[i].median, ts[i].lo, ts[i].hi = median(xs), xs[0], xs[len(xs)-1]
		cs := slices.Clone(cpus[i])
		slices.Sort(cs)
		ts[i].cpu = median(cs)
	}
	return nil
}

func hyperfineRound(hf string, specs []cmdSpec, files []string, dir string, env []string) (wall, cpu []float64, err error) {
	out := filepath.Join(dir, "hyperfine.json")
	args := []string{"-N", "-i", "--runs", "1", "--style", "none", "--export-json", out}
	for _, sp := range specs {
		args = append(args, "-n", sp.name, strings.Join(append(slices.Clone(sp.argv), files...), " "))
	}
	cmd := exec.Command(hf, args...)
	cmd.Dir, cmd.Env = dir, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, nil, fmt.Errorf("hyperfine: %v: %s", err, lastLines(stderr.String(), 5))
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		return nil, nil, err
	}
	var res struct {
		Results []struct {
			Times  []float64 `json:"times"`
			User   float64   `json:"user"`
			System float64   `json:"system"`
		} `json:"results"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return nil, nil, fmt.Errorf("hyperfine json: %w", err)
	}
	if len(res.Results) != len(specs) {
		return nil, nil, fmt.Errorf("hyperfine json: %d results for %d commands", len(res.Results), len(specs))
	}
	for _, r := range res.Results {
		if len(r.Times) != 1 {
			return nil, nil, fmt.Errorf("hyperfine json: %d times", len(r.Times))
		}
		wall, cpu = append(wall, r.Times[0]), append(cpu, r.User+r.System)
	}
	return wall, cpu, nil
}

func ownRound(specs []cmdSpec, files []string, dir string, env []string) (wall, cpu []float64, err error) {
	wall, cpu = make([]float64, len(specs)), make([]float64, len(specs))
	for i, sp := range specs {
		argv := append(slices.Clone(sp.argv), files...)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir, cmd.Env = dir, env
		start := time.Now()
		err := cmd.Run()
		wall[i] = time.Since(start).Seconds()
		if cmd.ProcessState == nil {
			return nil, nil, fmt.Errorf("%s: %w", sp.name, err)
		}
		cpu[i] = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	}
	return wall, cpu, nil
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func cmdSetTable(cs cmdSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s: %d files, %s of HTML\n\n", cs.name, cs.files, mb(cs.bytes))
	b.WriteString("| command | median s | min–max s | MB/s | CPU s (user+sys, median) | peak RSS | records | failed inputs | F1 of the records' text (P, R) |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, t := range cs.timings {
		fmt.Fprintf(&b, "| `%s` | %.2f | %.2f–%.2f | %.1f | %.2f | %.0f MB | %d | %d | %.3f (%.3f, %.3f) |\n", t.name, t.median, t.lo, t.hi,
			float64(cs.bytes)/1e6/t.median, t.cpu, float64(t.maxrss)/1e6, t.records, t.failed, t.f1, t.p, t.r)
	}
	return b.String()
}

// cmdSummary is one row per set: the median seconds of each command and
// how many times faster newsdesk clean is than each peer.
func cmdSummary(sets []cmdSet) string {
	var b strings.Builder
	b.WriteString("| set | files | MB | clean s | clean --no-enrich s | go-trafilatura s | readeck s | readeck ÷ clean (target ≥ 2) | go-trafilatura ÷ clean (target ≥ 3) | readeck ÷ --no-enrich | go-trafilatura ÷ --no-enrich | newsdesk clean peak RSS (target < 150 MB) |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	var tot [4]float64
	var files int
	var bytes, rss int64
	for _, cs := range sets {
		t := cs.timings
		fmt.Fprintf(&b, "| %s | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f× | %.2f× | %.2f× | %.2f× | %.0f MB |\n", cs.name, cs.files, float64(cs.bytes)/1e6,
			t[0].median, t[1].median, t[2].median, t[3].median,
			t[3].median/t[0].median, t[2].median/t[0].median, t[3].median/t[1].median, t[2].median/t[1].median,
			float64(max(t[0].maxrss, t[1].maxrss))/1e6)
		for i := range tot {
			tot[i] += t[i].median
		}
		files += cs.files
		bytes += cs.bytes
		rss = max(rss, t[0].maxrss, t[1].maxrss)
	}
	if len(sets) > 1 {
		fmt.Fprintf(&b, "| **all (sum)** | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f× | %.2f× | %.2f× | %.2f× | %.0f MB |\n", files, float64(bytes)/1e6,
			tot[0], tot[1], tot[2], tot[3], tot[3]/tot[0], tot[2]/tot[0], tot[3]/tot[1], tot[2]/tot[1], float64(rss)/1e6)
	}
	return b.String()
}

func hyperfineVersion(hf string) string {
	if hf == "" {
		return ""
	}
	out, err := exec.Command(hf, "--version").Output()
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "hyperfine ")
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(l[max(0, len(l)-n):], "\n")
}

// scoreRecords scores the text of a command's JSON lines against the truth
// of each file, with the shingle metric averaged over all files (a file
// without a record scores as an empty output). The file is a newsdesk
// record's input.name or a peerclean record's file.
func scoreRecords(out []byte, want map[string]string) (p, r, f float64) {
	got := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var rec struct {
			File  string `json:"file"`
			Text  string `json:"text"`
			Input struct {
				Name string `json:"name"`
			} `json:"input"`
		}
		if err := dec.Decode(&rec); err != nil {
			break
		}
		name := rec.File
		if name == "" {
			name = rec.Input.Name
		}
		got[filepath.Base(name)] = rec.Text
	}
	var ps []pageScore
	for name, w := range want {
		tp, fp, fn := shingleMatch(w, got[name])
		ps = append(ps, pageScore{p: precision(tp, fp, fn), r: recall(tp, fp, fn)})
	}
	if len(ps) == 0 {
		return 0, 0, 0
	}
	return aggregate(ps)
}
