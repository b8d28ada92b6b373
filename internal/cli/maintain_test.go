package cli

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

type countingMaintainer struct {
	store.Store
	calls atomic.Int32
}

func (m *countingMaintainer) MaintainIndex(context.Context) (bool, error) {
	m.calls.Add(1)
	return true, nil
}

// The server's maintenance runs once a period and stops with its context.
func TestMaintainEveryRunsUntilStopped(t *testing.T) {
	m := &countingMaintainer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		maintainEvery(ctx, slog.New(slog.DiscardHandler), m, 10*time.Millisecond)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for m.calls.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("maintenance did not stop with its context")
	}
	if n := m.calls.Load(); n < 3 {
		t.Errorf("%d maintenance runs, want 3 or more", n)
	}
}
