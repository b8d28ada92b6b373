package pipeline

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// TestGateTakesTurns: two runs sharing a store and a Gate never run their
// serial stages or store a batch outside their turn, every batch is
// stored under it, and the turn is handed back at the end.
func TestGateTakesTurns(t *testing.T) {
	st := openStore(t)
	var state sync.Mutex
	var shared sync.Mutex
	holder := ""
	var violations []string
	gates := map[string]*gateProbe{}
	for _, name := range []string{"one", "two"} {
		gates[name] = &gateProbe{name: name, shared: &shared, state: &state, holder: &holder}
	}
	var wg sync.WaitGroup
	for _, name := range []string{"one", "two"} {
		g := gates[name]
		wg.Go(func() {
			docs := map[string]string{}
			for i := range 300 {
				docs[fmt.Sprintf("%s/%03d", name, i)] = doc(i) + " " + name
			}
			check := func(what string) {
				state.Lock()
				defer state.Unlock()
				if holder != name {
					violations = append(violations, fmt.Sprintf("%s: %s while %q holds the turn", name, what, holder))
				}
			}
			opts := Options{Store: &probeStore{Store: st, check: check}, Jobs: 2, Process: fakeProcess, BatchSize: 16, BatchDelay: time.Millisecond,
				Gate: g, Keeper: probeKeeper{check: check}}
			opts.Serial = []Stage{func(context.Context, *article.Article) error { check("serial stage"); return nil }}
			sum, err := Run(context.Background(), opts, itemsOf(docs))
			if err != nil || sum.Ingested != 300 {
				t.Errorf("%s: %+v, %v", name, sum, err)
			}
		})
	}
	wg.Wait()
	for _, v := range violations[:min(5, len(violations))] {
		t.Error(v)
	}
	if holder != "" {
		t.Errorf("the turn is still held by %q", holder)
	}
	for name, g := range gates {
		if g.enters < 2 {
			t.Errorf("%s took %d turns: the runs did not alternate", name, g.enters)
		}
	}
	if n := len(allIDs(t, st)); n != 600 {
		t.Errorf("%d articles stored, want 600", n)
	}
}

type gateProbe struct {
	name   string
	shared *sync.Mutex
	state  *sync.Mutex
	holder *string
	enters int
}

func (g *gateProbe) Enter(context.Context) error {
	g.shared.Lock()
	g.state.Lock()
	*g.holder = g.name
	g.enters++
	g.state.Unlock()
	return nil
}

func (g *gateProbe) Leave() {
	g.state.Lock()
	*g.holder = ""
	g.state.Unlock()
	g.shared.Unlock()
}

type probeStore struct {
	store.Store
	check func(string)
}

func (p *probeStore) PutBatch(ctx context.Context, b store.Batch) ([]store.Result, error) {
	p.check("storing a batch")
	return p.Store.PutBatch(ctx, b)
}

type probeKeeper struct{ check func(string) }

func (k probeKeeper) Snapshot(context.Context, []*article.Article, bool) (store.Batch, error) {
	k.check("snapshot")
	return store.Batch{}, nil
}
func (k probeKeeper) Committed([]*article.Article)   { k.check("committed") }
func (k probeKeeper) Rollback(context.Context) error { return nil }
