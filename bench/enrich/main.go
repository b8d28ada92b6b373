// Command enrichbench scores enrich against the gold language sets in
// ../shared/bench/nlp with the metrics their README names, and times it:
//
//   - entities: uner_en_ewt (dev; -all adds test and train), mention-level
//     P/R/F1 with exact span and type, per type, and exact span any type;
//     plus newsdesk's own fictional held-out fold (enrich/testdata/ner);
//   - times: tempeval3_tbaq (timebank and aquaint apart and pooled),
//     relaxed and exact span F1 and the share of matched values right;
//   - quotes: polnear (dev; -all adds train), quote-span F1 and speaker
//     accuracy for named and for pronoun/description sources;
//   - newsdesk's own held-out news (enrich/testdata/heldout: 24 fictional
//     articles annotated by hand for all three tasks, never tuned on).
//
// Usage, from the repository root:
//
//	go run ./bench/enrich                # every set
//	go run ./bench/enrich -sets times    # one task (entities, times, quotes)
//	go run ./bench/enrich -all           # also the training splits
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/nlpeval"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "enrichbench:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("enrichbench", flag.ContinueOnError)
	shared := fs.String("shared", defaultShared(), "the shared data directory (env NEWSDESK_SHARED)")
	sets := fs.String("sets", "entities,times,quotes", "tasks to score, comma-separated")
	all := fs.Bool("all", false, "also score the training splits")
	if err := fs.Parse(args); err != nil {
		return err
	}
	nlp := filepath.Join(*shared, "bench", "nlp")
	if _, err := os.Stat(nlp); err != nil {
		return fmt.Errorf("shared language sets: %w", err)
	}
	want := map[string]bool{}
	for _, s := range strings.Split(*sets, ",") {
		want[strings.TrimSpace(s)] = true
	}
	fmt.Fprintf(out, "# enrich on the language sets (%s, %s/%s, %d cores)\n\n", time.Now().UTC().Format("2006-01-02"), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())

	heldout := filepath.Join(repoRoot(), "enrich", "testdata", "heldout")
	type job struct {
		task, name, path string
		score            func(string) (fmt.Stringer, error)
	}
	entities := func(p string) (fmt.Stringer, error) { return nlpeval.ScoreEntities(p) }
	times := func(p string) (fmt.Stringer, error) { return nlpeval.ScoreTimes(p) }
	quotes := func(p string) (fmt.Stringer, error) { return nlpeval.ScoreQuotes(p) }
	jobs := []job{
		{"entities", "uner_en_ewt dev", filepath.Join(nlp, "uner_en_ewt", "dev.jsonl"), entities},
		{"entities", "own fictional news, small fold beside the training news (held out)", filepath.Join(repoRoot(), "enrich", "testdata", "ner", "own.jsonl"), entities},
		{"entities", "own held-out news (24 fictional articles, never tuned on)", filepath.Join(heldout, "entities.jsonl"), entities},
		{"times", "own held-out news", filepath.Join(heldout, "times.jsonl"), times},
		{"quotes", "own held-out news", filepath.Join(heldout, "quotes.jsonl"), quotes},
		{"times", "tempeval3 timebank", filepath.Join(nlp, "tempeval3_tbaq", "timebank.jsonl"), times},
		{"times", "tempeval3 aquaint", filepath.Join(nlp, "tempeval3_tbaq", "aquaint.jsonl"), times},
		{"quotes", "polnear dev", filepath.Join(nlp, "polnear", "dev.jsonl"), quotes},
	}
	if *all {
		jobs = append(jobs,
			job{"entities", "uner_en_ewt test", filepath.Join(nlp, "uner_en_ewt", "test.jsonl"), entities},
			job{"entities", "uner_en_ewt train (trained on)", filepath.Join(nlp, "uner_en_ewt", "train.jsonl"), entities},
			job{"times", "tempeval3 silver (machine labels)", filepath.Join(nlp, "tempeval3_silver", "silver.jsonl"), times},
			job{"quotes", "polnear train", filepath.Join(nlp, "polnear", "train.jsonl"), quotes},
		)
	}
	failed := 0
	for _, j := range jobs {
		if !want[j.task] {
			continue
		}
		if _, err := os.Stat(j.path); err != nil {
			fmt.Fprintf(out, "## %s: %s\n\nmissing: %v\n\n", j.task, j.name, err)
			failed++
			continue
		}
		start := time.Now()
		r, err := j.score(j.path)
		if err != nil {
			fmt.Fprintf(out, "## %s: %s\n\nerror: %v\n\n", j.task, j.name, err)
			failed++
			continue
		}
		fmt.Fprintf(out, "## %s: %s (%.1fs)\n\n%s\n\n", j.task, j.name, time.Since(start).Seconds(), strings.TrimRight(r.String(), "\n"))
	}
	if failed > 0 {
		return fmt.Errorf("%d set(s) could not be scored", failed)
	}
	return nil
}

// repoRoot is the module root: this file's directory, two levels up.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func defaultShared() string {
	if s := os.Getenv("NEWSDESK_SHARED"); s != "" {
		return s
	}
	return filepath.Join(repoRoot(), "..", "shared")
}
