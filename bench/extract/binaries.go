package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Each child runs from a build of this command that links only its own
// tool: go-trafilatura's dependencies allocate 78 MB and take 0.4 s of one
// core when the process starts (go-dateparser's language data), which a
// child of newsdesk or of readeck would otherwise count as its own.

const benchPkg = "github.com/newsdesk/newsdesk/bench/extract"

// toolTags are the build tags that leave every other tool out.
var toolTags = map[string]string{
	"newsdesk":                "notrafilatura,noreadability",
	"go-trafilatura":          "noreadability",
	"go-trafilatura+fallback": "noreadability",
	"go-readability":          "notrafilatura",
}

type binaries struct {
	dir   string
	paths map[string]string // by tags
	self  string            // this binary: the fallback
}

// buildChildren builds, in parallel, one binary per set of tags that the
// tools need. A build that fails (say, outside the bench module) falls back
// to this binary, with a warning.
func buildChildren(toolNames []string) *binaries {
	b := &binaries{paths: map[string]string{}}
	b.self, _ = os.Executable()
	dir, err := os.MkdirTemp("", "extractbench-")
	if err != nil {
		return b
	}
	b.dir = dir
	var mu sync.Mutex
	var wg sync.WaitGroup
	seen := map[string]bool{}
	for _, t := range toolNames {
		tags := toolTags[t]
		if seen[tags] {
			continue
		}
		seen[tags] = true
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := filepath.Join(dir, "extractbench-"+strings.ReplaceAll(tags, ",", "-"))
			msg, err := exec.Command("go", "build", "-tags", tags, "-o", out, benchPkg).CombinedOutput()
			if err != nil {
				fmt.Fprintf(os.Stderr, "extractbench: building the %s child failed, using this binary (its peak RSS then includes the other tools' start-up): %v\n%s", tags, err, msg)
				return
			}
			mu.Lock()
			b.paths[tags] = out
			mu.Unlock()
		}()
	}
	wg.Wait()
	return b
}

// path is the binary to run tool's child from.
func (b *binaries) path(tool string) string {
	if p, ok := b.paths[toolTags[tool]]; ok {
		return p
	}
	return b.self
}

func (b *binaries) remove() {
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
}
