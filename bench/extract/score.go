package main

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"
)

type pageScore struct {
	set, id, url         string
	p, r                 float64
	paraF, rlF           float64 // paragraph F1 and ROUGE-LSum F-measure, see metrics.go
	truthWords, outWords int
	failed               bool // the tool returned an error
}

func (s pageScore) f1() float64 {
	if s.p+s.r == 0 {
		return 0
	}
	return 2 * s.p * s.r / (s.p + s.r)
}

// emptyTruthWords is the least number of truth words for which an error or
// an empty output counts as a missed article ("no article found").
const emptyTruthWords = 50

type row struct {
	set, tool        string
	f1, p, r         float64
	f1sd, psd, rsd   float64
	paraF, rougeF    float64 // averaged over pages
	paraSD, rougeSD  float64
	seconds          float64 // median extraction time over the repetitions (pooled: the sum over sets)
	bytes            int64   // uncompressed HTML bytes
	pagesPerS, mbPer float64
	maxrss           int64 // peak RSS of a child (pooled: the largest of the sets)
	errors           int   // pages on which the tool returned an error
	empty            int   // pages with a truth of ≥ emptyTruthWords words and an error or no output word
	pages            []pageScore
}

// scorePage scores one page of a run, through the cache.
func scorePage(rn *run, id string, cache *scoreCache) pageScore {
	res, s := rn.res, rn.set
	want := s.truths[id].ArticleBody
	text := res.Texts[id]
	paras := text
	if p, ok := res.Paras[id]; ok {
		paras = p
	}
	k := cacheKey(want, text, paras)
	v, ok := cache.get(k)
	if !ok {
		tp, fp, fn := shingleMatch(want, text)
		_, _, pf := paraMatch(want, paras)
		_, _, rf := rougeLsum(want, paras)
		v = scores{precision(tp, fp, fn), recall(tp, fp, fn), pf, rf}
		cache.put(k, v)
	}
	_, failed := res.Errs[id]
	return pageScore{set: s.name, id: id, url: s.truths[id].URL, p: v[0], r: v[1], paraF: v[2], rlF: v[3],
		truthWords: words(want), outWords: words(text), failed: failed}
}

// scoreAll scores the runs' pages on all cores and returns one row per
// run, in the runs' order.
func scoreAll(runs []*run, cache *scoreCache) []row {
	rows := make([]row, len(runs))
	type job struct{ run, page int }
	jobs := make(chan job, 256)
	var wg sync.WaitGroup
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				rows[j.run].pages[j.page] = scorePage(runs[j.run], runs[j.run].set.ids[j.page], cache)
			}
		}()
	}
	for i, rn := range runs {
		rows[i] = row{set: rn.set.name, tool: rn.res.Tool, maxrss: rn.maxrss, errors: len(rn.res.Errs), bytes: rn.res.Bytes,
			pages: make([]pageScore, len(rn.set.ids))}
		secs := slices.Clone(rn.res.Seconds)
		slices.Sort(secs)
		rows[i].seconds = secs[len(secs)/2]
	}
	for i, rn := range runs {
		for p := range rn.set.ids {
			jobs <- job{i, p}
		}
	}
	close(jobs)
	wg.Wait()
	for i := range rows {
		for _, ps := range rows[i].pages {
			if ps.truthWords >= emptyTruthWords && (ps.failed || ps.outWords == 0) {
				rows[i].empty++
			}
		}
		finish(&rows[i])
	}
	return rows
}

// pooled merges one tool's rows of every set: quality over all their pages
// (macro over the pooled pages), time and bytes summed, the largest peak
// RSS.
func pooled(tool string, rows []row) row {
	p := row{set: "all", tool: tool}
	for _, r := range rows {
		if r.tool != tool {
			continue
		}
		p.pages = append(p.pages, r.pages...)
		p.seconds += r.seconds
		p.bytes += r.bytes
		p.maxrss = max(p.maxrss, r.maxrss)
		p.errors += r.errors
		p.empty += r.empty
	}
	finish(&p)
	return p
}

// finish computes a row's averages, throughput and bootstrap deviations
// from its pages.
func finish(rw *row) {
	if len(rw.pages) == 0 {
		return
	}
	rw.p, rw.r, rw.f1 = aggregate(rw.pages)
	rw.paraF, rw.rougeF = meanPara(rw.pages)
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 1000
	fs, ps, rs, pfs, rfs := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	sample := make([]pageScore, len(rw.pages))
	for i := 0; i < n; i++ {
		for j := range sample {
			sample[j] = rw.pages[rng.IntN(len(rw.pages))]
		}
		ps[i], rs[i], fs[i] = aggregate(sample)
		pfs[i], rfs[i] = meanPara(sample)
	}
	rw.psd, rw.rsd, rw.f1sd = stddev(ps), stddev(rs), stddev(fs)
	rw.paraSD, rw.rougeSD = stddev(pfs), stddev(rfs)
	if rw.seconds > 0 {
		rw.pagesPerS = float64(len(rw.pages)) / rw.seconds
		rw.mbPer = float64(rw.bytes) / 1e6 / rw.seconds
	}
}

func aggregate(ps []pageScore) (p, r, f float64) {
	for _, s := range ps {
		p += s.p
		r += s.r
	}
	p /= float64(len(ps))
	r /= float64(len(ps))
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// meanPara averages the paragraph F1 and the ROUGE-LSum F-measure.
func meanPara(ps []pageScore) (pf, rf float64) {
	for _, s := range ps {
		pf += s.paraF
		rf += s.rlF
	}
	return pf / float64(len(ps)), rf / float64(len(ps))
}

func stddev(xs []float64) float64 {
	var mean, v float64
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	return math.Sqrt(v / float64(len(xs)))
}

func precision(tp, fp, fn int) float64 {
	if fp == 0 && fn == 0 {
		return 1
	}
	if tp == 0 && fp == 0 {
		return 0
	}
	return float64(tp) / float64(tp+fp)
}

func recall(tp, fp, fn int) float64 {
	if fp == 0 && fn == 0 {
		return 1
	}
	if tp == 0 && fn == 0 {
		return 0
	}
	return float64(tp) / float64(tp+fn)
}

func isWord(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// shingles returns the multiset of 4-grams of \w+ tokens; a text with
// fewer than four tokens is one shingle of them all.
func shingles(text string) map[string]int {
	var toks []string
	start := -1
	for i, r := range text {
		if isWord(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			toks = append(toks, text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, text[start:])
	}
	m := map[string]int{}
	for i := 0; i < max(1, len(toks)-3); i++ {
		s := strings.Join(toks[i:min(i+4, len(toks))], " ")
		if s != "" {
			m[s]++
		}
	}
	return m
}

func shingleMatch(truthText, pred string) (tp, fp, fn int) {
	t, p := shingles(truthText), shingles(pred)
	for k, pc := range p {
		tc := t[k]
		tp += min(tc, pc)
		fp += max(0, pc-tc)
	}
	for k, tc := range t {
		fn += max(0, tc-p[k])
	}
	return tp, fp, fn
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
