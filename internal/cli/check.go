package cli

import (
	"context"
	"encoding/json"
	"fmt"
)

func init() {
	Register(&Command{
		Name:    "check",
		Summary: "verify the database: integrity, full-text index, raw inputs, references",
		Run:     runCheck,
	})
}

// runCheck verifies a database and exits 1 when anything is wrong.
func runCheck(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "check", "[flags]\n\nVerifies the database: SQLite's integrity check, the full-text index against the\narticles, every raw input and stored record against its hash, and the references\nbetween tables. Prints what is wrong and exits 1 if anything is.")
	db := dbFlag(fs, env)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	if !noArgs(env, "check", pos) {
		return ExitUsage
	}
	st, ok := openReader(ctx, env, "check", *db)
	if !ok {
		return ExitPartial
	}
	defer st.Close()
	rep, err := st.Check(ctx)
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	} else {
		for _, p := range rep.Problems {
			fmt.Fprintf(env.Stdout, "newsdesk check: %s: %s\n", p.Area, p.Detail)
		}
		for _, s := range rep.Skipped {
			fmt.Fprintf(env.Stdout, "newsdesk check: skipped %s\n", s)
		}
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk check: %v\n", err)
		return ExitPartial
	}
	if !rep.OK() {
		fmt.Fprintf(env.Stderr, "newsdesk check: %s: %d problems found (%d articles, %d versions, %d raw inputs read)\n",
			*db, len(rep.Problems), rep.Articles, rep.Versions, rep.RawInputs)
		return ExitPartial
	}
	if !*asJSON {
		fmt.Fprintf(env.Stdout, "newsdesk check: %s: ok (%d articles, %d versions, %d raw inputs)\n", *db, rep.Articles, rep.Versions, rep.RawInputs)
	}
	return ExitOK
}
