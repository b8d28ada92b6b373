package extract

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func nodePath(n *node) string {
	var parts []string
	for ; n != nil; n = n.parent {
		t := n.tag.String()
		if t == "" {
			t = n.name
		}
		if n.cls != "" {
			c := n.cls
			if len(c) > 30 {
				c = c[:30]
			}
			t += "." + strings.ReplaceAll(c, " ", ".")
		}
		parts = append(parts, t)
	}
	if len(parts) > 6 {
		parts = parts[:6]
	}
	return strings.Join(parts, "<")
}

// TestDumpBlocks is a development aid: it prints every block of one zyte
// page with its rating and whether it was kept (K), to see why a page
// scores badly in bench/extract's worst list:
//
//	[SET=dragnet] DUMP=<id prefix> go test ./extract -run TestDumpBlocks -v
func TestDumpBlocks(t *testing.T) {
	id := os.Getenv("DUMP")
	if id == "" {
		t.Skip("set DUMP to a zyte page id prefix")
	}
	dir := zyteDir
	if set := os.Getenv("SET"); set != "" {
		dir = filepath.Join(filepath.Dir(zyteDir), set)
	}
	m, _ := filepath.Glob(filepath.Join(dir, "html", id+"*.html.gz"))
	if len(m) == 0 {
		t.Skipf("no zyte page %s*", id)
	}
	f, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatal(err)
	}
	r, _ := gzip.NewReader(bytes.NewReader(f))
	raw, _ := io.ReadAll(r)
	dumpBlocks(raw)
}

// dumpBlocks prints every block of a page with its rating and whether it
// was kept (K).
func dumpBlocks(raw []byte) {
	src, _ := decode(raw, "")
	d := parse(src)
	mt := collectMeta(d)
	paras, idx, _, blocks, used := bestBody(d, mt)
	fmt.Println("PASS", used)
	_ = paras
	kept := map[int]bool{}
	for _, i := range idx {
		kept[i] = true
	}
	root := bodyRoot(d, blocks, idx)
	fmt.Println("ROOT", nodePath(root), "ldbody", len(mt.ld.body))
	for i, b := range blocks {
		if b.silent() {
			continue
		}
		txt := b.text
		if len(txt) > 70 {
			txt = txt[:70]
		}
		k := " "
		if kept[i] {
			k = "K"
		}
		fmt.Printf("%s %3d k%d g%v s%6.0f h%d/%d %-50.50s | %s\n", k, i, b.kind, b.good, b.score, b.hintHits, b.hintAll, nodePath(b.owner), txt)
	}
}
