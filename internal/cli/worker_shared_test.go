package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/pgtest"
	"github.com/newsdesk/newsdesk/internal/queue/queuetest"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestWorkersShareCopyGroups: two workers on one PostgreSQL database take
// items in small turns, so that an original and its syndicated copy are
// often decided by different workers at the same moment. Every copy must
// still join its original's group and story, and the copy groups must be
// those of one `newsdesk ingest` over the same files.
func TestWorkersShareCopyGroups(t *testing.T) {
	dsn := pgtest.DSN(t)
	srv := queuetest.Start(t)
	dir := t.TempDir()
	const pairs = 60
	g := storetest.New(11)
	for i := range pairs {
		body := string(g.TextFile(3000))
		writeFile(t, dir, fmt.Sprintf("a-%03d.txt", i), body+fmt.Sprintf("\nFiled %d from the lanternwick desk.\n", i))
		// The copy: the same story with another outlet's sign-off, queued
		// right after its original.
		writeFile(t, dir, fmt.Sprintf("a-%03d-copy.txt", i), body+"\nSyndicated by the Brennock Echo wire service.\n")
	}
	enqueue(t, srv.URL(), dir)
	ctx := context.Background()
	var bufs []*syncBuffer
	var exits []<-chan int
	for range 2 {
		b, e := startWorker(ctx, "--queue", srv.URL(), "--db", dsn, "--drain", "-j", "1", "--in-flight", "2", "--quiet")
		bufs, exits = append(bufs, b), append(exits, e)
	}
	for i := range exits {
		if code := waitExit(t, exits[i], bufs[i]); code != ExitOK {
			t.Fatalf("worker %d: exit %d\n%s", i, code, bufs[i])
		}
	}
	for i, b := range bufs {
		if !strings.Contains(b.String(), "ingested") {
			t.Logf("worker %d:\n%s", i, b)
		}
	}

	workers := groupsByInput(t, dsn)
	if len(workers.group) != 2*pairs {
		t.Fatalf("%d articles stored by the workers, want %d", len(workers.group), 2*pairs)
	}
	for i := range pairs {
		orig, cp := fmt.Sprintf("a-%03d.txt", i), fmt.Sprintf("a-%03d-copy.txt", i)
		if workers.group[orig] == "" || workers.group[orig] != workers.group[cp] {
			t.Errorf("pair %d: copy group %q, original's %q", i, workers.group[cp], workers.group[orig])
		}
		if workers.story[orig] == "" || workers.story[orig] != workers.story[cp] {
			t.Errorf("pair %d: copy in story %q, original in %q", i, workers.story[cp], workers.story[orig])
		}
	}

	single := filepath.Join(t.TempDir(), "single.db")
	if _, errOut, code := runQueueCmd(ctx, "ingest", "--db", single, "--quiet", dir); code != ExitOK {
		t.Fatalf("ingest: exit %d\n%s", code, errOut)
	}
	one := groupsByInput(t, single)
	if a, b := partition(workers.group), partition(one.group); !slices.Equal(a, b) {
		t.Errorf("copy groups differ from one process's:\nworkers %v\n single %v", a, b)
	}
	if a, b := partition(workers.story), partition(one.story); !slices.Equal(a, b) {
		// Stories are decided one article at a time: taken in another
		// order, a borderline article can found a story of its own.
		t.Logf("stories differ from one process's (order-dependent): %d stories from the workers, %d from one process", len(a), len(b))
	}
}

type labels struct{ group, story map[string]string }

// groupsByInput reads every article's copy group and story by its input's
// file name (an article alone in its group gets its own id).
func groupsByInput(t *testing.T, dsn string) labels {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l := labels{group: map[string]string{}, story: map[string]string{}}
	err = st.Each(context.Background(), store.Filter{}, func(a *article.Article, _ store.Origin) error {
		name := filepath.Base(a.Input.Name)
		l.group[name] = a.DupGroup
		if a.DupGroup == "" {
			l.group[name] = a.ID
		}
		l.story[name] = a.Story
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// partition lists the sets of names sharing a label, each sorted, in
// order: comparable whatever the labels are.
func partition(label map[string]string) []string {
	sets := map[string][]string{}
	for name, l := range label {
		sets[l] = append(sets[l], name)
	}
	var out []string
	for _, names := range sets {
		slices.Sort(names)
		out = append(out, strings.Join(names, "+"))
	}
	slices.Sort(out)
	return out
}
