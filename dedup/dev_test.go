package dedup

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// benchDir is where the shared development sets live, relative to this package.
var benchDir = filepath.Join("..", "..", "shared", "bench", "dedup")

// devRecords reads a development set, skipping the test when the shared
// directory is missing (and failing loudly under CI).
func devRecords(t *testing.T, name string) []BenchRecord {
	t.Helper()
	path := filepath.Join(benchDir, name)
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("development set %s missing under CI: %v", path, err)
		}
		t.Skipf("development set %s not available: %v", path, err)
	}
	recs, err := ReadBench(path)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestDevBenchmarks(t *testing.T) {
	t.Run("syndication", func(t *testing.T) {
		recs := devRecords(t, "syndication-dev.jsonl")
		rep, err := BenchSyndication(context.Background(), recs, Config{})
		if err != nil {
			t.Fatal(err)
		}
		t.Log(rep)
		if rep.Pairs.F1 < 0.99 {
			t.Errorf("syndication pair F1 = %.4f, want >= 0.99", rep.Pairs.F1)
		}
	})
}

func TestDevStories(t *testing.T) {
	recs := devRecords(t, "stories-dev.jsonl")
	rep := BenchStories(recs, StoryConfig{Clean: repairClean})
	t.Log(rep)
	if rep.BCubed.F1 < 0.90 {
		t.Errorf("stories BCubed F1 = %.4f, want >= 0.90", rep.BCubed.F1)
	}
}

// TestDevRobustness reports how the scores vary around the chosen
// thresholds and with the input order, and fails when a nearby setting
// collapses: the defaults must sit on a plateau, not a spike.
func TestDevRobustness(t *testing.T) {
	if testing.Short() {
		t.Skip("sweeps take a few seconds")
	}
	ctx := context.Background()
	syn := devRecords(t, "syndication-dev.jsonl")
	for _, c := range []float64{0.6, 2.0 / 3, 0.7} {
		for _, j := range []float64{0.1, DefaultMinJaccard, 0.2} {
			rep, err := BenchSyndication(ctx, syn, Config{MinContainment: c, MinJaccard: j})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("syndication containment>=%.2f jaccard>=%.2f: pair F1 %.4f", c, j, rep.Pairs.F1)
			if rep.Pairs.F1 < 0.99 {
				t.Errorf("syndication F1 %.4f at containment %.2f, Jaccard %.2f", rep.Pairs.F1, c, j)
			}
		}
	}
	stories := devRecords(t, "stories-dev.jsonl")
	for _, th := range []float64{0.08, 0.10, DefaultStoryThreshold, 0.14, 0.16} {
		for _, ew := range []float64{0.2, DefaultEntityWeight, 0.4} {
			rep := BenchStories(stories, StoryConfig{Threshold: th, EntityWeight: ew, Clean: repairClean})
			t.Logf("stories threshold %.2f entity weight %.1f: BCubed P %.3f R %.3f F1 %.3f",
				th, ew, rep.BCubed.Precision, rep.BCubed.Recall, rep.BCubed.F1)
			if rep.BCubed.F1 < 0.87 {
				t.Errorf("stories BCubed F1 %.4f at threshold %.2f, entity weight %.1f", rep.BCubed.F1, th, ew)
			}
		}
	}
	for seed := range uint64(5) {
		rng := rand.New(rand.NewPCG(seed, 7))
		syn2 := slices.Clone(syn)
		rng.Shuffle(len(syn2), func(i, j int) { syn2[i], syn2[j] = syn2[j], syn2[i] })
		st2 := slices.Clone(stories)
		rng.Shuffle(len(st2), func(i, j int) { st2[i], st2[j] = st2[j], st2[i] })
		rs, err := BenchSyndication(ctx, syn2, Config{})
		if err != nil {
			t.Fatal(err)
		}
		rt := BenchStories(st2, StoryConfig{Clean: repairClean})
		t.Logf("shuffle %d: syndication pair F1 %.4f; stories BCubed P %.3f R %.3f F1 %.3f", seed, rs.Pairs.F1, rt.BCubed.Precision, rt.BCubed.Recall, rt.BCubed.F1)
		if rs.Pairs.F1 < 0.99 || rt.BCubed.F1 < 0.87 {
			t.Errorf("shuffle %d: syndication %.4f, stories %.4f", seed, rs.Pairs.F1, rt.BCubed.F1)
		}
	}
}

// TestStoryRobustnessSummary condenses the story sweeps into the figures a
// change must not worsen: BCubed F1 mean and minimum over the threshold ×
// entity-weight grid (file order), over shuffled input orders, over harsh
// copies (several edit seeds, shuffled), and on the two halves of the
// events (split by a hash of the event id, so no half was tuned on).
func TestStoryRobustnessSummary(t *testing.T) {
	if testing.Short() {
		t.Skip("sweeps take a few seconds")
	}
	stories := devRecords(t, "stories-dev.jsonl")
	type agg struct{ sum, min, n float64 }
	add := func(a *agg, f float64) {
		if a.n == 0 || f < a.min {
			a.min = f
		}
		a.sum += f
		a.n++
	}
	report := func(name string, a agg) {
		t.Logf("%-28s mean F1 %.4f  min %.4f  (%d runs)", name, a.sum/a.n, a.min, int(a.n))
	}
	var grid, orders, harsh agg
	for _, th := range []float64{0.08, 0.10, DefaultStoryThreshold, 0.14, 0.16} {
		for _, ew := range []float64{0.2, DefaultEntityWeight, 0.4} {
			add(&grid, BenchStories(stories, StoryConfig{Threshold: th, EntityWeight: ew, Clean: repairClean}).BCubed.F1)
		}
	}
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 99))
		st := slices.Clone(stories)
		rng.Shuffle(len(st), func(i, j int) { st[i], st[j] = st[j], st[i] })
		add(&orders, BenchStories(st, StoryConfig{Clean: repairClean}).BCubed.F1)
	}
	for seed := range uint64(10) {
		rng := rand.New(rand.NewPCG(seed, 123))
		st := make([]BenchRecord, len(stories))
		for i, r := range stories {
			r.Title, r.Text = harshen(r.Title, r.Text, rng)
			st[i] = r
		}
		rng.Shuffle(len(st), func(i, j int) { st[i], st[j] = st[j], st[i] })
		add(&harsh, BenchStories(st, StoryConfig{Clean: repairClean}).BCubed.F1)
	}
	t.Logf("dev file order: %v", BenchStories(stories, StoryConfig{Clean: repairClean}))
	report("grid (file order)", grid)
	report("shuffled orders", orders)
	report("harsh copies, shuffled", harsh)
	for half := range 2 {
		var part []BenchRecord
		for _, r := range stories {
			h := uint32(2166136261)
			for i := 0; i < len(r.Cluster); i++ {
				h = (h ^ uint32(r.Cluster[i])) * 16777619
			}
			if int(h%2) == half {
				part = append(part, r)
			}
		}
		var a agg
		for seed := range uint64(10) {
			rng := rand.New(rand.NewPCG(seed, 5))
			st := slices.Clone(part)
			rng.Shuffle(len(st), func(i, j int) { st[i], st[j] = st[j], st[i] })
			add(&a, BenchStories(st, StoryConfig{Clean: repairClean}).BCubed.F1)
		}
		report(fmt.Sprintf("half %d (%d articles), shuffled", half, len(part)), a)
	}
}
