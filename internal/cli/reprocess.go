package cli

import (
	"context"
	"fmt"
	"github.com/newsdesk/newsdesk/internal/annotate"
	"runtime"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
)

func init() {
	Register(&Command{
		Name:    "reprocess",
		Summary: "re-run extraction and repair on the stored raw inputs (no refetching)",
		Run:     runReprocess,
	})
}

func runReprocess(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "reprocess", "[flags]\n\nRebuilds every stored article (or the filtered ones) from its stored raw\ninput; a changed result is stored as a new version.")
	db := dbFlag(fs, env)
	ff := addFilterFlags(fs, 0)
	jobs := fs.Int("j", envInt(env, "NEWSDESK_JOBS", runtime.NumCPU()), "concurrent `jobs` (env NEWSDESK_JOBS)")
	quiet := fs.Bool("quiet", false, "no progress bar (the summary line is still printed)")
	logs := addLogFlags(fs)
	pos, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	if err := logs.apply(env); err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk reprocess: %v\n", err)
		return ExitUsage
	}
	if !noArgs(env, "reprocess", pos) {
		return ExitUsage
	}
	f, err := ff.filter(time.Now())
	if err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk reprocess: %v\n", err)
		return ExitUsage
	}
	if *jobs <= 0 {
		fmt.Fprintf(env.Stderr, "newsdesk reprocess: -j %d: want at least 1\n", *jobs)
		return ExitUsage
	}
	st, ok := openReader(ctx, env, "reprocess", *db)
	if !ok {
		return ExitPartial
	}
	produce := func(ctx context.Context, yield func(pipeline.Item) error, onErr func(string, error)) error {
		return st.Each(ctx, f, func(a *article.Article, o store.Origin) error {
			name := a.Input.Name
			if name == "" {
				name = a.ID
			}
			if o.RawSHA256 == "" {
				onErr(name, fmt.Errorf("reprocess: %s: no raw input stored", a.ID))
				return nil
			}
			// The stored publication date stands in for a source date
			// (a feed's) that the page itself does not carry.
			return yield(pipeline.Item{Name: name, URL: a.URL, Date: a.Published, Load: func(ctx context.Context) (pipeline.Payload, error) {
				raw, err := st.Raw(ctx, o.RawSHA256)
				return pipeline.Payload{Raw: raw, ContentType: o.ContentType, Fetched: a.Fetched}, err
			}})
		})
	}
	code = runPipeline(ctx, env, "reprocess", st, pipeline.Options{Jobs: *jobs}, annotate.Options{}, *quiet, produce)
	return closeStore(env, "reprocess", st, code)
}
