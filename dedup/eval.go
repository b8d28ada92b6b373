package dedup

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"
)

// PairScores are precision, recall and F1 of "same cluster" over all pairs
// of items.
type PairScores struct {
	Precision, Recall, F1 float64
	TP, FP, FN            int64
}

// BCubedScores are the BCubed precision, recall and F1 of a clustering:
// per item, the share of its predicted cluster that truly belongs with it
// (precision) and the share of its true cluster predicted with it (recall),
// averaged over items.
type BCubedScores struct {
	Precision, Recall, F1 float64
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// ScorePairs scores predicted cluster labels against true ones, item by
// item (truth[i] and pred[i] label item i).
func ScorePairs(truth, pred []string) PairScores {
	both := map[[2]string]int64{}
	t := map[string]int64{}
	p := map[string]int64{}
	for i := range truth {
		both[[2]string{truth[i], pred[i]}]++
		t[truth[i]]++
		p[pred[i]]++
	}
	pairs := func(n int64) int64 { return n * (n - 1) / 2 }
	var tp, tpairs, ppairs int64
	for _, n := range both {
		tp += pairs(n)
	}
	for _, n := range t {
		tpairs += pairs(n)
	}
	for _, n := range p {
		ppairs += pairs(n)
	}
	s := PairScores{TP: tp, FP: ppairs - tp, FN: tpairs - tp, Precision: 1, Recall: 1}
	if ppairs > 0 {
		s.Precision = float64(tp) / float64(ppairs)
	}
	if tpairs > 0 {
		s.Recall = float64(tp) / float64(tpairs)
	}
	s.F1 = f1(s.Precision, s.Recall)
	return s
}

// ScoreBCubed scores predicted cluster labels against true ones.
func ScoreBCubed(truth, pred []string) BCubedScores {
	if len(truth) == 0 {
		return BCubedScores{}
	}
	both := map[[2]string]float64{}
	t := map[string]float64{}
	p := map[string]float64{}
	for i := range truth {
		both[[2]string{truth[i], pred[i]}]++
		t[truth[i]]++
		p[pred[i]]++
	}
	var ps, rs float64
	for i := range truth {
		n := both[[2]string{truth[i], pred[i]}]
		ps += n / p[pred[i]]
		rs += n / t[truth[i]]
	}
	s := BCubedScores{Precision: ps / float64(len(truth)), Recall: rs / float64(len(truth))}
	s.F1 = f1(s.Precision, s.Recall)
	return s
}

// BenchReport is the outcome of one development benchmark.
type BenchReport struct {
	Name     string
	Articles int
	Clusters int // predicted
	Truth    int // true clusters
	Pairs    PairScores
	BCubed   BCubedScores
	Elapsed  time.Duration
}

func (r BenchReport) String() string {
	return fmt.Sprintf("%s: %d articles, %d clusters (truth %d); pairs P=%.4f R=%.4f F1=%.4f (tp %d fp %d fn %d); BCubed P=%.4f R=%.4f F1=%.4f; %v",
		r.Name, r.Articles, r.Clusters, r.Truth, r.Pairs.Precision, r.Pairs.Recall, r.Pairs.F1, r.Pairs.TP, r.Pairs.FP, r.Pairs.FN,
		r.BCubed.Precision, r.BCubed.Recall, r.BCubed.F1, r.Elapsed.Round(time.Millisecond))
}

// BenchRecord is one line of a development set in ../shared/bench/dedup.
type BenchRecord struct {
	ID       string `json:"id"`
	DupGroup string `json:"dup_group"`
	Cluster  string `json:"cluster"`
	Event    string `json:"event"`
	Title    string `json:"title"`
	Text     string `json:"text"`
	URL      string `json:"url"`
}

// ReadBench reads a JSON-lines development set.
func ReadBench(path string) ([]BenchRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dedup: bench: %w", err)
	}
	defer f.Close()
	return decodeBench(f, path)
}

func decodeBench(r io.Reader, name string) ([]BenchRecord, error) {
	var out []BenchRecord
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var rec BenchRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("dedup: bench %s:%d: %w", name, line, err)
		}
		out = append(out, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("dedup: bench %s: %w", name, err)
	}
	return out, nil
}

func countDistinct(xs []string) int {
	m := map[string]struct{}{}
	for _, x := range xs {
		m[x] = struct{}{}
	}
	return len(m)
}

// BenchSyndication runs near-duplicate detection over a syndication set
// (records with dup_group), in file order, and scores the groups.
func BenchSyndication(ctx context.Context, recs []BenchRecord, cfg Config) (BenchReport, error) {
	start := time.Now()
	d := NewDetector(NewMemStore(), cfg)
	for _, r := range recs {
		if _, err := d.AddText(ctx, r.ID, r.Text); err != nil {
			return BenchReport{}, err
		}
	}
	truth := make([]string, len(recs))
	pred := make([]string, len(recs))
	for i, r := range recs {
		g, err := d.GroupOf(ctx, r.ID)
		if err != nil {
			return BenchReport{}, err
		}
		truth[i], pred[i] = r.DupGroup, g.ID
	}
	return BenchReport{
		Name: "syndication", Articles: len(recs), Clusters: countDistinct(pred), Truth: countDistinct(truth),
		Pairs: ScorePairs(truth, pred), BCubed: ScoreBCubed(truth, pred), Elapsed: time.Since(start),
	}, nil
}

// BenchStories clusters a stories set (records with cluster) in file order
// and scores the stories against the true clusters.
func BenchStories(recs []BenchRecord, cfg StoryConfig) BenchReport {
	start := time.Now()
	c := NewClusterer(cfg)
	truth := make([]string, len(recs))
	pred := make([]string, len(recs))
	for i, r := range recs {
		a := c.Add(benchDoc(r))
		truth[i], pred[i] = r.Cluster, a.Story
	}
	into := map[string]string{}
	for _, m := range c.Merge() {
		into[m.From] = m.Into
	}
	for i, s := range pred {
		if to, ok := into[s]; ok {
			pred[i] = to
		}
	}
	return BenchReport{
		Name: "stories", Articles: len(recs), Clusters: countDistinct(pred), Truth: countDistinct(truth),
		Pairs: ScorePairs(truth, pred), BCubed: ScoreBCubed(truth, pred), Elapsed: time.Since(start),
	}
}

// benchDoc is the StoryDoc of a benchmark record: raw text, the URL's host
// as the outlet and the URL's date as the publication date.
func benchDoc(r BenchRecord) StoryDoc {
	return StoryDoc{ID: r.ID, Title: r.Title, Text: r.Text, Outlet: hostOf(r.URL), Published: DateFromURL(r.URL)}
}

func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(p.Hostname()), "www.")
}
