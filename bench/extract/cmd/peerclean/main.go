// Command peerclean is the command-line equivalent, for newsdesk's peers,
// of `newsdesk clean --format jsonl FILE...`: it reads each HTML file,
// extracts its article with go-trafilatura or readeck/go-readability, and
// writes one JSON line per file to stdout, {"file", "title", "text"}.
// Errors go to stderr, and the exit code is 1 when any file failed.
//
//	peerclean -tool go-trafilatura FILE...
//	peerclean -tool go-readability FILE...
//
// It exists so that bench/extract -cmd can time whole commands, process
// start, reading and output included, side by side with newsdesk clean.
// Files are processed one after another: the timing runs on one core,
// where newsdesk clean's -j defaults to 1 as well.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

type record struct {
	File  string `json:"file"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// extractors are the peers this binary holds: both unless one is left out
// by the build tag notrafilatura or noreadability. bench/extract -cmd builds
// one binary per peer, so that neither pays for the other's start-up
// (go-trafilatura's dependencies allocate 78 MB and take 0.4 s when the
// process starts).
var extractors = map[string]func(raw []byte) (title, text string, err error){}

func main() {
	tool := flag.String("tool", "", "go-trafilatura, go-trafilatura+fallback or go-readability")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "Usage: peerclean -tool go-trafilatura|go-readability FILE...")
		flag.PrintDefaults()
	}
	flag.Parse()
	fn := extractors[*tool]
	if fn == nil || flag.NArg() == 0 {
		if *tool != "" && fn == nil {
			fmt.Fprintf(os.Stderr, "peerclean: tool %q not in this build\n", *tool)
		}
		flag.Usage()
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, name := range flag.Args() {
		raw, err := os.ReadFile(name)
		if err == nil {
			var rec record
			rec.File = name
			rec.Title, rec.Text, err = fn(raw)
			if err == nil {
				err = enc.Encode(rec)
				out.Flush() // stream records as they are ready, as newsdesk clean does
			}
		}
		if err != nil {
			failed++
			fmt.Fprintf(os.Stderr, "peerclean: %s: %v\n", name, err)
		}
	}
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "peerclean: %d of %d inputs failed\n", failed, flag.NArg())
		os.Exit(1)
	}
}
