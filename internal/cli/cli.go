// Package cli implements the newsdesk command line. Each subcommand lives in
// its own file and registers itself with Register from an init function, so
// that commands can be added without touching a shared switch.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"github.com/newsdesk/newsdesk/internal/fetch"
)

// Exit codes.
const (
	ExitOK      = 0 // every input succeeded
	ExitPartial = 1 // some input failed; the others were still processed
	ExitUsage   = 2 // bad flags or arguments
	// ExitInterrupted is the shell's code for a process stopped by SIGINT
	// (128+2): the command stopped early and cleanly, storing what it had.
	ExitInterrupted = 130
)

// Env is what a command runs with: its streams and the environment lookup,
// injectable so commands can be tested in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Log receives slog records; it discards them unless NEWSDESK_LOG is
	// set or a command's -v or --log-format asks for them.
	Log *slog.Logger
	// records: failures are reported as Log records (--log-format)
	// rather than plain lines.
	records bool
}

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	// Run executes the command with its arguments (after the name) and
	// returns the process exit code.
	Run func(ctx context.Context, env *Env, args []string) int
}

var commands = map[string]*Command{}

// Register adds a subcommand. It panics on a duplicate name, a programming error.
func Register(c *Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: duplicate command " + c.Name)
	}
	commands[c.Name] = c
}

// ErrUsage marks a usage error; commands return ExitUsage for it.
var ErrUsage = errors.New("usage error")

// Main runs the command line and returns the exit code.
func Main(ctx context.Context, env *Env, args []string) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Log == nil {
		if lv := env.Getenv("NEWSDESK_LOG"); lv != "" {
			env.Log = slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: logLevel(lv)}))
		} else {
			env.Log = slog.New(slog.DiscardHandler)
		}
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stderr)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintln(env.Stdout, "newsdesk", Version)
		return ExitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "newsdesk: unknown command %q\n\n", args[0])
		usage(env.Stderr)
		return ExitUsage
	}
	return c.Run(ctx, env, args[1:])
}

// Version is set at build time with -ldflags "-X .../internal/cli.Version=...".
var Version = "dev"

// The User-Agent names the version. Set once: commands run concurrently
// in one process (tests, an embedding program) must not race on it.
func init() { fetch.Version = Version }

func usage(w io.Writer) {
	fmt.Fprintln(w, "newsdesk turns raw scraped news into clean, de-duplicated, searchable stories.")
	fmt.Fprintln(w, "\nUsage: newsdesk COMMAND [flags] [args]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintln(w, "\nRun 'newsdesk COMMAND -h' for a command's flags.")
}

func logLevel(s string) slog.Level {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// NewFlagSet returns a flag set that reports errors to env.Stderr without exiting.
func NewFlagSet(env *Env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: newsdesk %s %s\n\nFlags:\n", name, usageLine)
		printDefaults(fs)
	}
	return fs
}

// ParseFlags parses args, returning (exit code, false) when the command must stop.
// Flags may follow positional arguments, as users expect from GNU tools.
func ParseFlags(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, ExitOK, false
			}
			return nil, ExitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		// flag.Parse consumes a "--" that ends the flags: everything after
		// it is positional, even words that start with "-".
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		if rest[0] == "--" {
			pos = append(pos, rest[1:]...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	return pos, ExitOK, true
}

// noArgs reports a usage error for a command that takes no positional
// arguments but was given some.
func noArgs(env *Env, name string, pos []string) bool {
	if len(pos) != 0 {
		fmt.Fprintf(env.Stderr, "newsdesk %s: unexpected argument %q\n", name, pos[0])
		return false
	}
	return true
}

// EnvDefault returns the environment variable key, or def when unset.
func EnvDefault(env *Env, key, def string) string {
	if v := env.Getenv(key); v != "" {
		return v
	}
	return def
}
