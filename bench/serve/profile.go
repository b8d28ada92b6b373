package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// profileSubmit stores n articles in a copy of the database through
// api.Ingester.Submit, the code behind POST /api/v1/articles, in this
// process, with a CPU profile written to out: a dev loop for the write
// path (-profile-submit).
func profileSubmit(ctx context.Context, db, out string, n int) error {
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	ing := &api.Ingester{Store: st}
	g := storetest.New(777)
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	defer pprof.StopCPUProfile()
	for i := range n {
		t := time.Now()
		o, err := ing.Submit(ctx, api.Input{Name: fmt.Sprintf("profile-%d", i), Raw: g.TextFile(corpusSize), Format: "text",
			ContentType: "text/plain; charset=utf-8", Published: time.Now().UTC()})
		if err != nil {
			return err
		}
		logf("submission %d: %s in %s", i, o.Result, time.Since(t).Round(time.Millisecond))
	}
	return nil
}
