// Command newsdesk turns raw scraped news into clean, de-duplicated,
// structured and searchable stories. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/newsdesk/newsdesk/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, a second one stops the process at once
		// (the store is crash-safe).
		<-ctx.Done()
		stop()
	}()
	code := cli.Main(ctx, &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, os.Args[1:])
	stop()
	os.Exit(code)
}
