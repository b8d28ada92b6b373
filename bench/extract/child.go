package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/newsdesk/newsdesk/extract"
)

// childResult is what a child process reports for one tool on one set.
type childResult struct {
	Tool    string            `json:"tool"`
	Texts   map[string]string `json:"texts,omitempty"`
	Paras   map[string]string `json:"paras,omitempty"` // one paragraph a line, when Texts has no line breaks
	Errs    map[string]string `json:"errs,omitempty"`  // the error of each page that failed
	Seconds []float64         `json:"seconds"`         // extraction time of each repetition
	Bytes   int64             `json:"bytes"`           // uncompressed HTML bytes per repetition
	Pages   int               `json:"pages"`
	PeakRSS int64             `json:"peak_rss"` // VmHWM of the child, bytes, read before its output is encoded
}

// tools are the extractors this binary holds: newsdesk always, the peers
// unless left out by the build tags notrafilatura and noreadability (see
// binaries.go: each child runs from a binary that links only its own tool,
// so that its start-up time and memory are its own).
var tools = map[string]func(raw []byte, pageURL string) (string, error){
	"newsdesk": func(raw []byte, pageURL string) (string, error) {
		a, err := extract.HTML(raw, extract.Options{URL: pageURL, FetchTime: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return "", err
		}
		return a.Text, nil
	},
}

// lastTree is the content tree of go-trafilatura's last extraction. Its
// ContentText has no line breaks, so the paragraph metrics use the tree
// rendered one block a line (render.go), outside the timing.
var lastTree *html.Node

// runChild extracts every page of the set in dir once, timing only the
// extraction, and prints its childResult as JSON.
func runChild(tool, dir string, texts, utf8peers bool) {
	fn := tools[tool]
	if fn == nil {
		fail(fmt.Errorf("unknown tool %q", tool))
	}
	s, err := loadSet(dir, true)
	if err != nil {
		fail(err)
	}
	res := &childResult{Tool: tool, Errs: map[string]string{}, Pages: len(s.pages)}
	if texts {
		res.Texts, res.Paras = map[string]string{}, map[string]string{}
	}
	var total time.Duration
	for _, p := range s.pages {
		raw := gunzip(p.GZ)
		if utf8peers && tool != "newsdesk" {
			raw = toUTF8(raw)
		}
		res.Bytes += int64(len(raw))
		lastTree = nil
		start := time.Now()
		text, err := fn(raw, p.URL)
		total += time.Since(start)
		if err != nil {
			res.Errs[p.ID] = err.Error()
		}
		if texts {
			if lastTree != nil {
				res.Paras[p.ID] = nodeText(lastTree, text)
			}
			res.Texts[p.ID] = text
		}
	}
	res.Seconds = []float64{total.Seconds()}
	res.PeakRSS = vmHWM()
	w := bufio.NewWriter(os.Stdout)
	json.NewEncoder(w).Encode(res)
	w.Flush()
}

// toUTF8 transcodes a page that is not valid UTF-8 from the encoding that
// x/net/html/charset.DetermineEncoding finds (BOM, <meta> in the first
// 1,024 bytes, else windows-1252).
func toUTF8(raw []byte) []byte {
	if utf8.Valid(raw) {
		return raw
	}
	enc, name, _ := charset.DetermineEncoding(raw, "")
	if name == "utf-8" {
		return raw
	}
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return raw
	}
	return out
}

// spawn runs one tool on the set in dir in a child process on one core
// and returns its results and peak resident memory in bytes.
func spawn(bin, tool, dir string, texts, utf8peers bool) (*childResult, int64, error) {
	args := []string{"-child", tool, "-data", dir, fmt.Sprintf("-texts=%v", texts)}
	if utf8peers {
		args = append(args, "-utf8peers")
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv()
	stderr := &tail{max: 4096}
	cmd.Stderr = stderr // peers log freely: keep the end, for errors
	out, err := cmd.Output()
	if err != nil {
		return nil, 0, fmt.Errorf("%v: %s", err, bytes.TrimSpace(stderr.buf))
	}
	var r childResult
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, 0, fmt.Errorf("child output: %w", err)
	}
	maxrss := r.PeakRSS
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && maxrss == 0 {
		maxrss = ru.Maxrss * 1024 // KiB on Linux; see vmHWM
	}
	return &r, maxrss, nil
}

// vmHWM is this process's peak resident memory in bytes, from
// /proc/self/status, or 0. The rusage maxrss that the parent gets from
// wait4 would do, were it not that Linux carries the parent's high-water
// mark over into the child: Go starts children with vfork (CLONE_VM), and
// exec folds the shared, old address space's peak into the child's
// maxrss. A child of this command, which holds every set's truths and the
// results so far, then reports 100 MB or more whatever it does. VmHWM
// belongs to the address space that exec made, so it is the child's own.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			if _, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &kb); err == nil {
				return kb * 1024
			}
		}
	}
	return 0
}

// childEnv is this process's environment with GOMAXPROCS=1.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOMAXPROCS=") {
			env = append(env, kv)
		}
	}
	return append(env, "GOMAXPROCS=1")
}

// tail keeps the last max bytes written to it.
type tail struct {
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}
