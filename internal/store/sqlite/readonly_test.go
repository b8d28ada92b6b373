package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
)

// TestReadOnlyStore opens a database the way Open does when the process
// cannot write it (the real read-only folder is in the cli tests, which
// run as another user under root): reads answer, every write fails with
// ErrReadOnly, and nothing is created beside the file.
func TestReadOnlyStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ro.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	a := mk("https://norrbyn-tidende.example/bridge", "Norrbyn Tidende", "Bridge", day(3), "The bridge reopens on Friday.")
	put(t, s, store.Entry{Article: a, Raw: []byte("The bridge reopens on Friday.")})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := openReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if !store.IsReadOnly(ro) {
		t.Error("IsReadOnly is false")
	}
	if got, err := ro.Get(ctx, a.ID); err != nil || got.Title != "Bridge" {
		t.Errorf("Get: %v, %v", got, err)
	}
	if st, err := ro.Stats(ctx); err != nil || st.Articles != 1 {
		t.Errorf("Stats: %+v, %v", st, err)
	}
	if rep, err := ro.Check(ctx); err != nil || !rep.OK() || len(rep.Skipped) != 1 {
		t.Errorf("Check: %+v, %v", rep, err)
	}
	for name, err := range map[string]error{
		"Put":        func() error { _, err := ro.Put(ctx, []store.Entry{{Article: a}}); return err }(),
		"SetStory":   ro.SetStory(ctx, a.ID, "s1"),
		"PutState":   ro.PutState(ctx, "x", []byte("y")),
		"PutStories": ro.PutStories(ctx, []store.StoryState{{ID: "s1"}}),
	} {
		if !errors.Is(err, store.ErrReadOnly) {
			t.Errorf("%s on a read-only store: %v, want ErrReadOnly", name, err)
		}
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Errorf("%s created beside a read-only database", suffix)
		}
	}
}
