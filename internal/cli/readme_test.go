package cli

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// readmeBlocks returns the shell code blocks of README.md, each with the
// heading of its section.
func readmeBlocks(t *testing.T, readme string) (sections, blocks []string) {
	t.Helper()
	section := ""
	var cur *strings.Builder
	sc := bufio.NewScanner(strings.NewReader(readme))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "#"):
			section = strings.TrimSpace(strings.TrimLeft(line, "#"))
		case cur == nil && line == "```sh":
			cur = &strings.Builder{}
		case cur != nil && line == "```":
			sections, blocks = append(sections, section), append(blocks, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(line + "\n")
		}
	}
	return sections, blocks
}

// shellWords splits one command of a README line: words, "double" and
// 'single' quoted strings; a '#' word starts a comment.
func shellWords(s string) []string {
	var words []string
	for _, m := range regexp.MustCompile(`"([^"]*)"|'([^']*)'|(\S+)`).FindAllStringSubmatch(s, -1) {
		switch {
		case m[3] != "" && strings.HasPrefix(m[3], "#"):
			return words
		case m[3] != "":
			words = append(words, m[3])
		case m[1] != "":
			words = append(words, m[1])
		default:
			words = append(words, m[2])
		}
	}
	return words
}

// TestReadmeCommands checks README.md's commands against the program: every
// newsdesk command it shows names a command and flags that exist, and the
// commands of "The main job" run as written on a fresh clone: the binary
// they call is built by a command before them, and each exits 0. On the
// README before, the "look around" commands called newsdesk, which `go run`
// does not put on the PATH.
func TestReadmeCommands(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	db := filepath.Join(t.TempDir(), "readme.db")
	sections, blocks := readmeBlocks(t, string(data))
	ran := 0
	built := map[string]bool{} // binaries a README command builds
	for i, block := range blocks {
		main := sections[i] == "The main job"
		// A line ending in a backslash continues on the next.
		for _, line := range strings.Split(strings.ReplaceAll(block, "\\\n", " "), "\n") {
			for _, cmd := range strings.Split(line, "&&") {
				w := shellWords(cmd)
				if len(w) == 0 {
					continue
				}
				if w[0] == "cat" { // cat FILE | newsdesk ...
					if j := strings.Index(cmd, "|"); j >= 0 {
						w = shellWords(cmd[j+1:])
					}
				}
				switch {
				case len(w) >= 4 && w[0] == "go" && w[1] == "build" && w[2] == "-o":
					if _, err := os.Stat(w[len(w)-1]); err != nil {
						t.Errorf("README: %q builds a package that does not exist", cmd)
					}
					built["./"+w[3]] = true
					continue
				case w[0] == "go" || w[0] == "export" || w[0] == ".ci/run" || w[0] == "curl":
					continue
				case w[0] != "newsdesk" && w[0] != "./newsdesk":
					t.Errorf("README: %q: unknown program %s", strings.TrimSpace(cmd), w[0])
					continue
				}
				if main && !built[w[0]] {
					t.Errorf("README, %s: %q calls %s, which no command before it provides", sections[i], strings.TrimSpace(cmd), w[0])
				}
				c, ok := commands[w[1]]
				if !ok {
					t.Errorf("README: %q: no command %q", strings.TrimSpace(cmd), w[1])
					continue
				}
				// Every flag shown is one of the command's.
				for _, a := range w[2:] {
					if !strings.HasPrefix(a, "-") || a == "-" {
						continue
					}
					name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
					if _, ok := flagDefault(t, w[1], name); !ok {
						t.Errorf("README: %q: %s has no flag %s", strings.TrimSpace(cmd), w[1], a)
					}
				}
				if !main {
					continue
				}
				out, errOut, code := nd(t, db, "", w[1:]...)
				if code != ExitOK {
					t.Errorf("README: %q (%s): exit %d\n%s%s", strings.TrimSpace(cmd), c.Name, code, out, errOut)
				}
				ran++
			}
		}
	}
	if ran < 6 {
		t.Errorf("ran %d commands of the main job, want the ingest, the search and the look-around ones", ran)
	}
}
