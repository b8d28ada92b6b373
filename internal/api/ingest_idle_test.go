package api

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// TestIngesterDropsIdleState: the copy and story state stays loaded
// between submissions, is dropped once idle for KeepFor (with the corpus
// statistics saved first), and is loaded again by the next submission.
func TestIngesterDropsIdleState(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "idle.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in := &Ingester{Store: st, KeepFor: 200 * time.Millisecond}
	loaded := func() bool {
		in.mu.Lock()
		defer in.mu.Unlock()
		return in.an != nil
	}
	submit := func(name, text string) {
		t.Helper()
		if _, err := in.Submit(ctx, Input{Name: name, Raw: []byte(text), Format: "text"}); err != nil {
			t.Fatal(err)
		}
	}
	submit("one", "Ferry timetable changes\n\nThe island ferry will leave an hour earlier on Sundays from June, the harbour office said on Monday.")
	if !loaded() {
		t.Fatal("the state is not kept after a submission")
	}
	if _, err := st.State(ctx, "stories/stats"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("statistics saved before the server was idle: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for loaded() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if loaded() {
		t.Fatal("the state is still loaded after KeepFor idle")
	}
	if _, err := st.State(ctx, "stories/stats"); err != nil {
		t.Fatalf("statistics not saved when the state was dropped: %v", err)
	}
	submit("two", "Bridge repairs finished\n\nThe repairs to the old stone bridge over the river were finished a week early, the council said.")
	if !loaded() {
		t.Fatal("the next submission did not load the state again")
	}
	if err := in.Close(ctx); err != nil {
		t.Fatal(err)
	}
}
