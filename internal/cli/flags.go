package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"sync"

	"github.com/newsdesk/newsdesk/internal/source"
)

// defaultMaxBytes is the --max-bytes default of every command that reads
// inputs (clean, ingest): one limit, whichever command reads the file.
const defaultMaxBytes = source.DefaultMaxBytes

// inputUsage describes --input, the kind of the inputs, in every command.
const inputUsage = "input `kind`: auto (judged by content), html or text"

// validInput reports whether v is a value of --input.
func validInput(v string) bool { return v == "auto" || v == "html" || v == "text" }

// hidden holds the flags that parse but are not listed by -h (old names
// kept for compatibility).
var hidden sync.Map // *flag.FlagSet -> map[string]bool

func hide(fs *flag.FlagSet, name string) {
	m, _ := hidden.LoadOrStore(fs, map[string]bool{})
	m.(map[string]bool)[name] = true
}

// printDefaults is fs.PrintDefaults without the hidden flags.
func printDefaults(fs *flag.FlagSet) {
	m, ok := hidden.Load(fs)
	if !ok {
		fs.PrintDefaults()
		return
	}
	shown := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	shown.SetOutput(fs.Output())
	fs.VisitAll(func(f *flag.Flag) {
		if !m.(map[string]bool)[f.Name] {
			shown.Var(f.Value, f.Name, f.Usage)
			shown.Lookup(f.Name).DefValue = f.DefValue
		}
	})
	shown.PrintDefaults()
}

// aliasFlag is an old flag name that sets the value of the new one and
// says so once.
type aliasFlag struct {
	target   *string
	old, new string
	env      *Env
	cmd      string
}

func (a *aliasFlag) String() string {
	if a == nil || a.target == nil {
		return ""
	}
	return *a.target
}

func (a *aliasFlag) Set(v string) error {
	*a.target = v
	fmt.Fprintf(a.env.Stderr, "newsdesk %s: --%s is now --%s\n", a.cmd, a.old, a.new)
	return nil
}

// alias adds the hidden flag old as another name of the string flag new.
func alias(env *Env, fs *flag.FlagSet, cmd, old, new string, target *string) {
	fs.Var(&aliasFlag{target: target, old: old, new: new, env: env, cmd: cmd}, old, "old name of --"+new)
	hide(fs, old)
}

// logOptions are the logging flags of the commands that read inputs.
type logOptions struct {
	verbose bool
	format  string
}

func addLogFlags(fs *flag.FlagSet) *logOptions {
	var lo logOptions
	fs.BoolVar(&lo.verbose, "v", false, "verbose: log what happens (fetches, fallbacks) on stderr")
	fs.StringVar(&lo.format, "log-format", "", "report failures and log as `text` or json records (slog) instead of plain lines")
	return &lo
}

// apply sets up env.Log for the flags: slog output on stderr only under -v
// or --log-format (or NEWSDESK_LOG), where failures become records too. It
// returns an error for an unknown format.
func (lo *logOptions) apply(env *Env) error {
	level := slog.LevelInfo
	if v := env.Getenv("NEWSDESK_LOG"); v != "" {
		level = logLevel(v)
	}
	hopts := &slog.HandlerOptions{Level: level}
	switch lo.format {
	case "":
		if lo.verbose {
			env.Log = slog.New(slog.NewTextHandler(env.Stderr, hopts))
		}
		return nil
	case "text":
		env.Log = slog.New(slog.NewTextHandler(env.Stderr, hopts))
	case "json":
		env.Log = slog.New(slog.NewJSONHandler(env.Stderr, hopts))
	default:
		return fmt.Errorf("--log-format %q: want text or json", lo.format)
	}
	env.records = true
	return nil
}

// reportFailure reports a failed input: the plain line
// "newsdesk CMD: SOURCE: what went wrong", or under --log-format a record.
func reportFailure(env *Env, cmd, name string, err error) {
	if env.records {
		env.Log.Error(cmd+" failed", "source", name, "err", err)
		return
	}
	fmt.Fprintf(env.Stderr, "newsdesk %s: %s: %s\n", cmd, name, describe(name, err))
}

// reportWarning reports an input that succeeded with a caveat, as
// "newsdesk CMD: SOURCE: warning: ...", or under --log-format a record.
func reportWarning(env *Env, cmd, name string, note error) {
	if env.records {
		env.Log.Warn(cmd+" warning", "source", name, "warning", note)
		return
	}
	fmt.Fprintf(env.Stderr, "newsdesk %s: %s: warning: %s\n", cmd, name, describe(name, note))
}

// packagePrefixes are the package names errors carry, which say nothing
// to a user.
var packagePrefixes = []string{"fetch: ", "source: ", "pipeline: ", "process: ", "repair: ", "extract: ", "sqlite: ", "store: ", "annotate: ", "reprocess: "}

// describe says what went wrong with input name, without the package
// prefixes and the repeats of name that wrapping left in err.
func describe(name string, err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == name {
		return pe.Err.Error()
	}
	msg := err.Error()
	for changed := true; changed; {
		changed = false
		for _, p := range append(packagePrefixes, name+": ") {
			if rest, ok := strings.CutPrefix(msg, p); ok && rest != "" {
				msg, changed = rest, true
			}
		}
	}
	return msg
}
