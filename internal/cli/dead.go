package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/newsdesk/newsdesk/internal/queue"
)

func init() {
	Register(&Command{
		Name:    "dead",
		Summary: "list or retry the queued inputs that failed for good (dead letters)",
		Run:     runDead,
	})
}

const deadUsage = "list|retry [flags] [ID...]\n\n" +
	"  list        print the dead letters as JSON Lines: id, subject, name, url, error, attempts, time\n" +
	"  retry ID... queue those dead letters' inputs again and remove them (--all: every one)"

func runDead(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "dead", deadUsage)
	qurl := queueFlag(fs, env, "work queue `url` (nats://host:port)")
	all := fs.Bool("all", false, "retry: every dead letter")
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) == 0 || (pos[0] != "list" && pos[0] != "retry") {
		fmt.Fprintln(env.Stderr, "newsdesk dead: want 'list' or 'retry'")
		fs.Usage()
		return ExitUsage
	}
	verb, rest := pos[0], pos[1:]
	var ids []uint64
	for _, a := range rest {
		id, err := strconv.ParseUint(a, 10, 64)
		if err != nil || id == 0 {
			fmt.Fprintf(env.Stderr, "newsdesk dead: %q is not a dead letter ID (see 'newsdesk dead list')\n", a)
			return ExitUsage
		}
		ids = append(ids, id)
	}
	switch {
	case *qurl == "":
		fmt.Fprintf(env.Stderr, "newsdesk dead: %v\n", errNoQueue)
		return ExitUsage
	case verb == "list" && (len(ids) > 0 || *all):
		fmt.Fprintln(env.Stderr, "newsdesk dead list: takes no IDs and no --all")
		return ExitUsage
	case verb == "retry" && len(ids) > 0 == *all:
		fmt.Fprintln(env.Stderr, "newsdesk dead retry: give dead letter IDs or --all")
		return ExitUsage
	}
	q, err := queue.Open(ctx, queueConfig(env, "dead", *qurl))
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk dead: %v\n", err)
		return ExitPartial
	}
	if verb == "list" {
		code = listDead(ctx, env, q)
	} else {
		code = retryDead(ctx, env, q, ids, *all)
	}
	if err := q.Close(); err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk dead: %v\n", err)
		code = max(code, ExitPartial)
	}
	return code
}

// deadLine is one line of 'dead list'.
type deadLine struct {
	ID       uint64    `json:"id"`
	Subject  string    `json:"subject"`
	Name     string    `json:"name"`
	URL      string    `json:"url,omitempty"`
	Error    string    `json:"error"`
	Attempts int       `json:"attempts"`
	Time     time.Time `json:"time"`
}

func listDead(ctx context.Context, env *Env, q *queue.Queue) int {
	enc := json.NewEncoder(env.Stdout)
	err := q.DeadLetters(ctx, func(dl queue.DeadLetter) error {
		return enc.Encode(deadLine{ID: dl.ID, Subject: dl.Subject, Name: dl.Name, URL: dl.URL, Error: dl.Error, Attempts: dl.Attempts, Time: dl.Time})
	})
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk dead list: %v\n", err)
		return ExitPartial
	}
	return ExitOK
}

func retryDead(ctx context.Context, env *Env, q *queue.Queue, ids []uint64, all bool) int {
	if all {
		err := q.DeadLetters(ctx, func(dl queue.DeadLetter) error {
			ids = append(ids, dl.ID)
			return nil
		})
		if err != nil {
			fmt.Fprintf(env.Stderr, "newsdesk dead retry: %v\n", err)
			return ExitPartial
		}
	}
	retried, failed := 0, 0
	for _, id := range ids {
		dl, err := q.RetryDead(ctx, id)
		if err != nil {
			failed++
			fmt.Fprintf(env.Stderr, "newsdesk dead retry: %v\n", err)
			continue
		}
		retried++
		env.Log.Info("dead letter queued again", "id", id, "source", dl.Name)
	}
	fmt.Fprintf(env.Stderr, "newsdesk dead retry: queued %d again, failed %d\n", retried, failed)
	if failed > 0 {
		return ExitPartial
	}
	return ExitOK
}
