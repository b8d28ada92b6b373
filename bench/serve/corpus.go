package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/dedup"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// corpusVersion names the cached database; bump it when the generator or
// the schema changes.
const corpusVersion = "v3"

const (
	corpusEntities = 20_000 // distinct entity keys, drawn Zipf-like
	corpusStoryLen = 5      // articles per story, on average
	corpusDays     = 30     // publication dates spread over the last 30 days
	corpusSize     = 1500   // bytes of text an article
)

// corpusMeta is written next to the database once it is complete.
type corpusMeta struct {
	Version  string    `json:"version"`
	Articles int       `json:"articles"`
	Stories  int       `json:"stories"`
	End      time.Time `json:"end"` // the newest publication date
	Built    time.Time `json:"built"`
	Seconds  float64   `json:"seconds"`
}

func readMeta(path string) (corpusMeta, bool) {
	var m corpusMeta
	b, err := os.ReadFile(path + ".done")
	if err != nil || json.Unmarshal(b, &m) != nil {
		return m, false
	}
	return m, true
}

// buildCorpus writes n synthetic articles into a new database at path,
// through the store's PutBatch, with what the server browses: publication
// dates spread evenly over the 30 days ending at end; a story for every
// few articles (1 to 5 outlets, interleaved as real stories are), with a
// story state as the story stage stores it (centroids of the members'
// terms, entities and leads, so that a write loads what it would load in
// a real database); 8 to 16 entities an article (Zipf over 20,000 keys)
// and a quote or two; one article in ten a copy of the one before; and the
// clusterer's corpus statistics.
func buildCorpus(ctx context.Context, path string, n int, end time.Time, logf func(string, ...any)) (corpusMeta, error) {
	for _, suffix := range []string{"", "-wal", "-shm", ".done"} {
		os.Remove(path + suffix)
	}
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		return corpusMeta{}, err
	}
	start := time.Now()
	g := storetest.New(43)
	r := rand.New(rand.NewPCG(5, 6))
	zipf := rand.NewZipf(r, 1.1, 4, corpusEntities-1)
	step := time.Duration(corpusDays) * 24 * time.Hour / time.Duration(n)
	first := end.Add(-time.Duration(n-1) * step)
	clu := dedup.NewClusterer(dedup.StoryConfig{})

	stories := map[string]*dedup.Story{}
	stats := struct {
		Version int                `json:"version"`
		Docs    float64            `json:"docs"`
		Length  float64            `json:"length"`
		DF      map[string]float64 `json:"df"`
		EDF     map[string]float64 `json:"edf"`
	}{Version: 1, DF: map[string]float64{}, EDF: map[string]float64{}}
	const batch = 1000
	for i := 0; i < n; i += batch {
		es := make([]store.Entry, 0, batch)
		changed := map[string]bool{}
		for j := i; j < min(i+batch, n); j++ {
			a, raw := g.Article(j, corpusSize)
			a.Published = first.Add(time.Duration(j) * step).Truncate(time.Second)
			a.Finalize()
			a.Entities = append(a.Entities, storetest.Entities(r, zipf)...)
			if len(a.Paragraphs) > 1 && len(a.Entities) > 0 {
				p := a.Paragraphs[1]
				q := p[:min(len(p), 80)]
				if k := strings.LastIndexByte(q, ' '); k > 0 {
					q = q[:k]
				}
				start := strings.Index(a.Text, q)
				if start >= 0 {
					e := a.Entities[0]
					a.Quotes = append(a.Quotes, article.Quote{Text: q, Start: start, End: start + len(q),
						Speaker: e.Text, SpeakerKey: e.Key, Paragraph: 1})
				}
			}
			if j%10 == 9 && len(es) > 0 {
				a.DupGroup = es[len(es)-1].Article.ID
				es[len(es)-1].Article.DupGroup = a.DupGroup
			}
			id := fmt.Sprintf("st%019d", max(j/corpusStoryLen-r.IntN(3), 0))
			a.Story = id

			doc := dedup.DocFromArticle(a)
			clu.Prepare(&doc)
			stats.Docs++
			for t, c := range doc.TF {
				stats.DF[t]++
				stats.Length += c
			}
			for e := range doc.Entities {
				stats.EDF[e]++
			}
			st := stories[id]
			if st == nil {
				st = &dedup.Story{ID: id, Headline: a.Title, First: a.Published, Terms: map[string]float64{},
					Entities: map[string]float64{}, Lead: map[string]float64{}, Outlets: map[string]int{}}
				stories[id] = st
			}
			st.Articles++
			st.Outlets[doc.Outlet]++
			if a.Published.After(st.Last) {
				st.Last = a.Published
			}
			addUnit(st.Terms, doc.TF, dedup.DefaultKeywords)
			addUnit(st.Entities, intMap(doc.Entities), dedup.DefaultCentroidTerms)
			addUnit(st.Lead, doc.Lead, dedup.DefaultCentroidTerms)
			prune(st.Terms, dedup.DefaultCentroidTerms)
			prune(st.Entities, dedup.DefaultCentroidTerms)
			prune(st.Lead, dedup.DefaultCentroidTerms)
			if st.Articles > 1 {
				st.ScoreSum += 0.4
				st.Joins++
			}
			changed[id] = true
			es = append(es, store.Entry{Article: a, Raw: raw, ContentType: "text/plain; charset=utf-8"})
		}
		b := store.Batch{Entries: es}
		for _, id := range slices.Sorted(maps.Keys(changed)) {
			ss, err := storyState(stories[id])
			if err != nil {
				s.Close()
				return corpusMeta{}, err
			}
			b.Stories = append(b.Stories, ss)
		}
		if i+batch >= n {
			blob, err := json.Marshal(&stats)
			if err != nil {
				s.Close()
				return corpusMeta{}, err
			}
			b.State = append(b.State, store.NamedState{Name: "stories/stats", Value: blob})
		}
		if _, err := s.PutBatch(ctx, b); err != nil {
			s.Close()
			return corpusMeta{}, err
		}
		if (i/batch)%10 == 9 {
			logf("  %d articles stored (%s)", i+batch, time.Since(start).Round(time.Second))
		}
	}
	// As `newsdesk ingest` leaves a database at the end of a run.
	if _, err := s.MaintainIndex(ctx); err != nil {
		s.Close()
		return corpusMeta{}, err
	}
	if err := s.Close(); err != nil {
		return corpusMeta{}, err
	}
	m := corpusMeta{Version: corpusVersion, Articles: n, Stories: len(stories), End: end, Built: time.Now().UTC(),
		Seconds: time.Since(start).Seconds()}
	b, _ := json.Marshal(m)
	return m, os.WriteFile(path+".done", b, 0o644)
}

func storyState(s *dedup.Story) (store.StoryState, error) {
	state, err := s.MarshalBinary()
	if err != nil {
		return store.StoryState{}, err
	}
	outlets := slices.Sorted(maps.Keys(s.Outlets))
	return store.StoryState{ID: s.ID, Headline: s.Headline, First: s.First, Last: s.Last, Count: s.Articles,
		Outlets: outlets, State: state}, nil
}

func intMap(m map[string]int) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = float64(v)
	}
	return out
}

// addUnit adds the unit vector of v's n heaviest entries to c, as the
// story stage adds an article's vectors to a centroid.
func addUnit(c, v map[string]float64, n int) {
	keys := slices.SortedFunc(maps.Keys(v), func(a, b string) int {
		if v[a] != v[b] {
			if v[a] > v[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	keys = keys[:min(n, len(keys))]
	sum := 0.0
	for _, k := range keys {
		sum += v[k] * v[k]
	}
	if sum == 0 {
		return
	}
	norm := math.Sqrt(sum)
	for _, k := range keys {
		c[k] += v[k] / norm
	}
}

func prune(v map[string]float64, n int) {
	if len(v) <= n {
		return
	}
	keys := slices.SortedFunc(maps.Keys(v), func(a, b string) int {
		if v[a] > v[b] {
			return -1
		}
		if v[a] < v[b] {
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, k := range keys[n:] {
		delete(v, k)
	}
}
