// Command heldoutgen writes the gold files of the held-out news fold
// (enrich/testdata/heldout/{entities,times,quotes}.jsonl) from its
// marked-up sources (enrich/testdata/heldout/src/*.txt; the markup is
// described in internal/nlpeval/heldout.go).
//
//	go run ./internal/nlpeval/heldoutgen [-dir enrich/testdata/heldout]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/newsdesk/newsdesk/internal/nlpeval"
)

func main() {
	dir := flag.String("dir", "enrich/testdata/heldout", "held-out fold directory (with src/)")
	flag.Parse()
	arts, err := nlpeval.LoadHeldout(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heldoutgen:", err)
		os.Exit(1)
	}
	files, err := nlpeval.BuildHeldout(arts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heldoutgen:", err)
		os.Exit(1)
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(*dir, name), b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "heldoutgen:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("heldoutgen: %d articles -> %s\n", len(arts), *dir)
}
