package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
)

// TestCancelSkipsInFlight: items whose loading the cancellation cuts short
// (a fetch answering "context canceled") are skipped, not failed, and
// nothing is logged for them; on the code before, each was logged as a
// failure and counted in Failed.
func TestCancelSkipsInFlight(t *testing.T) {
	s := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	produce := func(ctx context.Context, yield func(Item) error, _ func(string, error)) error {
		for i := 0; ; i++ {
			d := doc(i)
			load := func(context.Context) (Payload, error) { return Payload{Raw: []byte(d)}, nil }
			if i >= 10 {
				// A slow fetch: it ends only with the context.
				load = func(ctx context.Context) (Payload, error) {
					if i == 12 {
						cancel()
					}
					<-ctx.Done()
					return Payload{}, fmt.Errorf("fetch: item %d: %w", i, ctx.Err())
				}
			}
			if err := yield(Item{Name: fmt.Sprint(i), Load: load}); err != nil {
				return err
			}
		}
	}
	var logs bytes.Buffer
	sum, err := Run(ctx, Options{Store: s, Process: fakeProcess, Jobs: 4, Log: slog.New(slog.NewTextHandler(&logs, nil))}, produce)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if sum.Failed != 0 || sum.Skipped == 0 || sum.Ingested+sum.Skipped != sum.Items {
		t.Errorf("summary %+v: want nothing failed, the rest skipped", sum)
	}
	if n := len(allIDs(t, s)); n != sum.Ingested {
		t.Errorf("%d stored, summary says %d", n, sum.Ingested)
	}
	if logs.Len() != 0 {
		t.Errorf("logged on cancellation:\n%s", logs.String())
	}
}
