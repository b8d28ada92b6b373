package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
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

// set is one benchmark set: its truths, and its pages when loaded with
// their HTML (children and -show only; the parent scores from the truths).
type set struct {
	name   string
	dir    string
	ids    []string // sorted
	truths map[string]truth
	pages  []page
	gzSize int64 // compressed bytes of its pages on disk
}

// findSets resolves -data and -sets to set folders: DIR itself when it
// holds ground-truth.json, else each of its sub-folders that does, by name.
func findSets(data, only string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(data, "ground-truth.json")); err == nil {
		if only != "" && only != filepath.Base(filepath.Clean(data)) {
			return nil, fmt.Errorf("-sets %s: -data %s is the one set %s", only, data, filepath.Base(filepath.Clean(data)))
		}
		return []string{data}, nil
	}
	entries, err := os.ReadDir(data)
	if err != nil {
		return nil, err
	}
	var dirs []string
	have := map[string]bool{}
	for _, e := range entries {
		d := filepath.Join(data, e.Name())
		if _, err := os.Stat(filepath.Join(d, "ground-truth.json")); err == nil {
			dirs = append(dirs, d)
			have[e.Name()] = true
		}
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("%s: neither a set (no ground-truth.json) nor a folder of sets", data)
	}
	if only == "" {
		return dirs, nil
	}
	var picked []string
	for _, name := range strings.Split(only, ",") {
		if !have[name] {
			return nil, fmt.Errorf("-sets: no set %q under %s", name, data)
		}
		picked = append(picked, filepath.Join(data, name))
	}
	return picked, nil
}

// loadSet reads a set's truths and, with withHTML, its compressed pages.
func loadSet(dir string, withHTML bool) (*set, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, err
	}
	s := &set{name: filepath.Base(filepath.Clean(dir)), dir: dir, truths: map[string]truth{}}
	if err := json.Unmarshal(raw, &s.truths); err != nil {
		return nil, fmt.Errorf("%s: ground-truth.json: %w", s.name, err)
	}
	for id := range s.truths {
		s.ids = append(s.ids, id)
	}
	sort.Strings(s.ids)
	for _, id := range s.ids {
		path := filepath.Join(dir, "html", id+".html.gz")
		if !withHTML {
			if st, err := os.Stat(path); err == nil {
				s.gzSize += st.Size()
			}
			continue
		}
		gz, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		s.gzSize += int64(len(gz))
		s.pages = append(s.pages, page{ID: id, URL: s.truths[id].URL, GZ: gz})
	}
	return s, nil
}

func gunzip(b []byte) []byte {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	out, _ := io.ReadAll(r)
	return out
}

// words counts the \w+ tokens of s.
func words(s string) int {
	n, in := 0, false
	for _, r := range s {
		w := isWord(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// gitState names the newsdesk commit measured: the short hash of root's
// HEAD, and whether the packages outside bench/ had uncommitted changes.
func gitState(root string) string {
	out, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown commit"
	}
	state := "commit " + strings.TrimSpace(string(out))
	st, err := exec.Command("git", "-C", root, "status", "--porcelain", "--", ".", ":!bench", ":!docs").Output()
	if err == nil && len(bytes.TrimSpace(st)) > 0 {
		state += " with uncommitted changes outside bench/ and docs/"
	}
	return state
}

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
