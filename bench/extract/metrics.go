package main

import (
	"strings"
)

// Paragraph-level metrics, next to the benchmark's shingle metric. The
// held-out sets are scored by paragraph and by ROUGE-LSum, which the
// shingle metric cannot see: it is blind to where paragraphs break.
//
// Paragraphs: the truth's articleBody and a tool's text are both split on
// newlines; lines without a word are dropped. Each paragraph is reduced to its
// lowercased word tokens (so white space, quotes and other punctuation do
// not count) and the two lists are matched as multisets. Per page this gives a precision, recall and F1; each is then
// averaged over pages. A page with neither truth nor output scores 1.
//
// ROUGE-LSum: as in rouge-score's rougeLsum, the summary-level LCS. For
// each truth paragraph, the union of its LCS with every output paragraph
// counts as hits, each token at most as often as it occurs on either
// side; precision = hits/output tokens, recall = hits/truth tokens.
// Tokens are lowercased \w+ runs (Unicode), not rouge-score's ASCII-only
// default, so that non-English pages count. F-measure per page, averaged.

// splitParas splits text into its lines that hold a word; lines of only
// white space, zero-width spaces or punctuation are not paragraphs.
func splitParas(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.IndexFunc(l, isWord) >= 0 {
			out = append(out, l)
		}
	}
	return out
}

// normPara is the comparison key of a paragraph: its lowercased \w+
// tokens, one space apart. Punctuation, quotes and white space are left
// out: the truth often has a space where an inline element began ("“ I
// Cavalieri“"), which says nothing about where paragraphs break.
func normPara(p string) string {
	return strings.Join(lowerTokens(p), " ")
}

// paraMatch scores the paragraphs of pred against those of truth.
func paraMatch(truthText, pred string) (p, r, f float64) {
	tp, pp := splitParas(truthText), splitParas(pred)
	if len(tp) == 0 && len(pp) == 0 {
		return 1, 1, 1
	}
	want := map[string]int{}
	for _, s := range tp {
		want[normPara(s)]++
	}
	hit := 0
	for _, s := range pp {
		k := normPara(s)
		if want[k] > 0 {
			want[k]--
			hit++
		}
	}
	if len(pp) > 0 {
		p = float64(hit) / float64(len(pp))
	}
	if len(tp) > 0 {
		r = float64(hit) / float64(len(tp))
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// paraDiff lists the truth paragraphs pred misses and the pred paragraphs
// the truth lacks, in order.
func paraDiff(truthText, pred string) (missed, extra []string) {
	tp, pp := splitParas(truthText), splitParas(pred)
	have := map[string]int{}
	for _, s := range pp {
		have[normPara(s)]++
	}
	want := map[string]int{}
	for _, s := range tp {
		k := normPara(s)
		want[k]++
		if have[k] > 0 {
			have[k]--
		} else {
			missed = append(missed, s)
		}
	}
	for _, s := range pp {
		k := normPara(s)
		if want[k] > 0 {
			want[k]--
		} else {
			extra = append(extra, s)
		}
	}
	return missed, extra
}

// lowerTokens returns the lowercased \w+ tokens of s.
func lowerTokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isWord(r) })
}

// rougeLsum is the summary-level ROUGE-L F-measure of pred against truth,
// both split into paragraphs. Tokens are numbered per page, so that the
// LCS tables compare integers.
func rougeLsum(truthText, pred string) (p, r, f float64) {
	ids := map[string]int32{}
	var ref, cand [][]int32
	refN, candN := 0, 0
	var cntR, cntC []int
	tokenize := func(text string, cnt *[]int, n *int) [][]int32 {
		var out [][]int32
		for _, s := range splitParas(text) {
			toks := lowerTokens(s)
			if len(toks) == 0 {
				continue
			}
			t := make([]int32, len(toks))
			for i, w := range toks {
				id, ok := ids[w]
				if !ok {
					id = int32(len(ids))
					ids[w] = id
					cntR, cntC = append(cntR, 0), append(cntC, 0)
				}
				t[i] = id
				(*cnt)[id]++
			}
			out = append(out, t)
			*n += len(t)
		}
		return out
	}
	ref = tokenize(truthText, &cntR, &refN)
	cand = tokenize(pred, &cntC, &candN)
	if refN == 0 && candN == 0 {
		return 1, 1, 1
	}
	if refN == 0 || candN == 0 {
		return 0, 0, 0
	}
	// inCand marks, for each candidate paragraph, the tokens it holds: a
	// pair of paragraphs without a common token has an empty LCS.
	inCand := make([]map[int32]bool, len(cand))
	for k, cs := range cand {
		inCand[k] = map[int32]bool{}
		for _, w := range cs {
			inCand[k][w] = true
		}
	}
	var table []int32
	hits := 0
	for _, rs := range ref {
		union := make([]bool, len(rs))
		for k, cs := range cand {
			common := false
			for _, w := range rs {
				if inCand[k][w] {
					common = true
					break
				}
			}
			if common {
				table = lcsMark(rs, cs, table, union)
			}
		}
		for i, in := range union {
			if !in {
				continue
			}
			w := rs[i]
			if cntC[w] > 0 && cntR[w] > 0 {
				hits++
				cntC[w]--
				cntR[w]--
			}
		}
	}
	p, r = float64(hits)/float64(candN), float64(hits)/float64(refN)
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// lcsMark marks in union the positions of a that one longest common
// subsequence of a and b uses (the backtrack of rouge-score's _find_union).
func lcsMark(a, b []int32, table []int32, union []bool) []int32 {
	n, m := len(a), len(b)
	w := m + 1
	need := (n + 1) * w
	if cap(table) < need {
		table = make([]int32, need)
	}
	table = table[:need]
	for j := 0; j <= m; j++ {
		table[j] = 0
	}
	for i := 1; i <= n; i++ {
		row, prev := table[i*w:(i+1)*w], table[(i-1)*w:i*w]
		row[0] = 0
		ai := a[i-1]
		for j := 1; j <= m; j++ {
			switch {
			case ai == b[j-1]:
				row[j] = prev[j-1] + 1
			case prev[j] >= row[j-1]:
				row[j] = prev[j]
			default:
				row[j] = row[j-1]
			}
		}
	}
	i, j := n, m
	for i > 0 && j > 0 {
		switch {
		case a[i-1] == b[j-1]:
			union[i-1] = true
			i--
			j--
		case table[i*w+j-1] > table[(i-1)*w+j]:
			j--
		default:
			i--
		}
	}
	return table
}

// segErrors finds paragraph-boundary errors between truth and pred: an
// output paragraph that joins two or more truth paragraphs (merged), and a
// truth paragraph that the output cuts into two or more (split). Only
// unmatched paragraphs are considered, compared by their token keys.
func segErrors(truthText, pred string) (merged, split [][]string) {
	missed, extra := paraDiff(truthText, pred)
	merged = joins(extra, missed)
	split = joins(missed, extra)
	return merged, split
}

// joins finds each whole in wholes that is a run of consecutive parts.
func joins(wholes, parts []string) [][]string {
	var out [][]string
	for _, w := range wholes {
		wk := normPara(w)
		for i := range parts {
			k := normPara(parts[i])
			if k == "" || !strings.HasPrefix(wk, k) {
				continue
			}
			acc, run := k, []string{w, parts[i]}
			for j := i + 1; j < len(parts) && len(acc) < len(wk); j++ {
				next := acc + " " + normPara(parts[j])
				if !strings.HasPrefix(wk, next) {
					break
				}
				acc = next
				run = append(run, parts[j])
			}
			if acc == wk && len(run) > 2 {
				out = append(out, run)
				break
			}
		}
	}
	return out
}
