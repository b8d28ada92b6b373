package dedup

import (
	"fmt"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// BenchmarkClusterer measures the serial part of story clustering as ingest
// runs it: Add for each of 2,000 articles (their text work done beforehand
// by Prepare, as ingest's workers do), then one Merge pass. "events" are
// newsdesk's own story sets repeated under new ids (many articles per
// story); "zipf" are the unrelated 5 KB texts of the ingest benchmark
// (a large vocabulary, a story per article).
func BenchmarkClusterer(b *testing.B) {
	const n = 2000
	var recs []BenchRecord
	for _, s := range ownStorySets(1) {
		recs = append(recs, s.Records...)
	}
	g := storetest.New(11)
	for _, bc := range []struct {
		name string
		doc  func(i int) StoryDoc
	}{
		{"events", func(i int) StoryDoc {
			r := recs[i%len(recs)]
			r.ID = fmt.Sprintf("%s/%d", r.ID, i)
			d := benchDoc(r)
			d.Paragraphs = splitParagraphs(r.Text)
			return d
		}},
		{"zipf", func(i int) StoryDoc {
			paras := strings.Split(strings.TrimSpace(string(g.TextFile(5000))), "\n\n")
			return StoryDoc{ID: fmt.Sprint(i), Title: paras[0], Paragraphs: paras[1:]}
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c0 := NewClusterer(StoryConfig{})
			docs := make([]StoryDoc, n)
			for i := range docs {
				docs[i] = bc.doc(i)
				c0.Prepare(&docs[i])
			}
			for b.Loop() {
				c := NewClusterer(StoryConfig{})
				for _, d := range docs {
					c.Add(d)
				}
				c.Merge()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
