// Command nertrain trains the mention classifier of package enrich (a
// multinomial logistic regression by SGD, or with -algo perceptron an
// averaged perceptron, over the spans the rule-based finder proposes) and
// writes its weights and gazetteer to enrich/model:
//
//	go run ./internal/tools/nertrain
//
// It reads only the UNER English-EWT train split (and, when present,
// enrich/testdata/ner/train*.jsonl, fictional news written for this
// repository) from ../shared/bench/nlp; the dev split is used with -eval
// only to report figures, never to train. Training is deterministic: the
// same inputs give the same bytes. The gazetteer is rebuilt first; when it
// changed, the program stops and asks to be run again, because the
// features are computed by the compiled enrich package with its embedded
// gazetteer.
//
// -cv N reports an N-fold cross-validation figure over the train split
// (mention level, exact span and type, a name typed by its summed scores
// within a document; the fictional news is in every training fold and in
// no test fold) and writes nothing.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/enrich"
	"github.com/newsdesk/newsdesk/internal/nlpeval"
)

type record struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Entities []struct {
		Start int    `json:"start"`
		End   int    `json:"end"`
		Type  string `json:"type"`
	} `json:"entities"`
}

// writeJSONL writes the documents' sources to a temporary file.
func writeJSONL(docs []document) (string, error) {
	f, err := os.CreateTemp("", "nertrain-fold-*.jsonl")
	if err != nil {
		return "", err
	}
	enc := json.NewEncoder(f)
	for _, d := range docs {
		if err := enc.Encode(d.rec); err != nil {
			f.Close()
			return "", err
		}
	}
	return f.Name(), f.Close()
}

type span struct{ s, e int }

type example struct {
	feats []uint32
	label int
	group uint32 // the key hash: mentions of one name in one document
	seg   int    // the finder's segment; its sub-spans compete
	keep  bool   // the whole segment, kept without competition
	i, j  int    // words [i,j) of the segment's n
	n     int
	sp    span
	bs    span // byte span in the paragraph
}

type document struct {
	ex   []example
	gold map[span]int
	rec  record // the source, for the whole-pipeline CV figure
}

var classOf = map[string]int{"PER": 1, "LOC": 2, "ORG": 3}

func main() {
	shared := flag.String("shared", "../shared", "shared data directory")
	out := flag.String("out", "enrich/model", "output directory")
	epochs := flag.Int("epochs", 10, "training epochs")
	flag.Float64Var(&gapCost, "gap", 2, "cost of each word a segment's kept spans leave out after the first (chosen by cross-validation over train)")
	flag.Float64Var(&confMargin, "conf", 1, "margin above which a whole segment is kept without weighing its sub-spans (speed)")
	ownWeight := flag.Int("ownweight", 4, "how many times the fictional news counts")
	cv := flag.Int("cv", 0, "report N-fold cross-validation over train and write nothing")
	flag.Float64Var(&noneBias, "nonebias", 2, "subtract from the none score of every candidate (chosen by cross-validation over train)")
	flag.StringVar(&algo, "algo", "logreg", "perceptron or logreg")
	flag.Float64Var(&lrate, "lr", 0.2, "logreg: learning rate")
	flag.Float64Var(&l2, "l2", 1e-4, "logreg: L2 penalty")
	flag.BoolVar(&verbose, "v", false, "report the causes of false negatives")
	cvOut := flag.String("cvout", "", "with -cv: also write each held-out fold (foldK.jsonl) and the weights trained without it (foldK.bin) to this directory, for error analysis")
	eval := flag.String("eval", "", "also report the figure on this UNER file (e.g. dev), never trained on")
	flag.Parse()

	bench := filepath.Join(*shared, "bench", "nlp")
	gaz, err := buildGazetteer(filepath.Join(bench, "gazetteer", "gazetteer.tsv"))
	if err != nil {
		log.Fatal(err)
	}
	writeEmbedded(filepath.Join(*out, "gazetteer.txt"), gaz)

	vocab, err := buildVocab(filepath.Join(bench, "uner_en_ewt", "train.jsonl"))
	if err != nil {
		log.Fatal(err)
	}
	writeEmbedded(filepath.Join(*out, "vocab.txt"), vocab)

	docs, err := load(filepath.Join(bench, "uner_en_ewt", "train.jsonl"))
	if err != nil {
		log.Fatal(err)
	}
	// The fictional news is small beside the web text: it counts ownWeight
	// times.
	var own []document
	files, _ := filepath.Glob("enrich/testdata/ner/train*.jsonl")
	for _, f := range files {
		d, err := load(f)
		if err != nil {
			log.Fatal(err)
		}
		for range *ownWeight {
			own = append(own, d...)
		}
	}
	log.Printf("%d + %d documents, %d candidates", len(docs), len(own), countEx(docs)+countEx(own))

	if *cv > 1 {
		var total prf
		full := nlpeval.EntityReport{ByType: map[string]nlpeval.PRF{}}
		for k := 0; k < *cv; k++ {
			tr := append([]document(nil), own...)
			var te []document
			for i, d := range docs {
				if i%*cv == k {
					te = append(te, d)
				} else {
					tr = append(tr, d)
				}
			}
			w := fit(tr, *epochs)
			shiftNone(w, tr)
			r := evaluate(w, te)
			total.add(r)
			// The whole pipeline on the held-out fold, scored as the dev
			// figure is (nlpeval.ScoreEntities).
			if !enrich.UseModelWeights(quantize(w)) {
				log.Fatal("weights not accepted")
			}
			path, err := writeJSONL(te)
			if err != nil {
				log.Fatal(err)
			}
			if *cvOut != "" {
				raw, _ := os.ReadFile(path)
				os.WriteFile(filepath.Join(*cvOut, fmt.Sprintf("fold%d.jsonl", k)), raw, 0o644)
				os.WriteFile(filepath.Join(*cvOut, fmt.Sprintf("fold%d.bin", k)), quantize(w), 0o644)
			}
			er, err := nlpeval.ScoreEntities(path)
			os.Remove(path)
			if err != nil {
				log.Fatal(err)
			}
			log.Printf("fold %d: candidates %s; pipeline F1 %.3f", k, r, er.Typed.F1())
			full.Add(er)
		}
		fmt.Printf("%d-fold CV over train (candidates): %s\n", *cv, total)
		fmt.Printf("%d-fold CV over train, whole pipeline (as the dev figure):\n%s", *cv, full)
		return
	}
	docs = append(docs, own...)
	w := fit(docs, *epochs)
	shiftNone(w, docs)
	if *eval != "" {
		ev, err := load(*eval)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("eval %s: %s\n", *eval, evaluate(w, ev))
	}
	if err := os.WriteFile(filepath.Join(*out, "ner.bin"), quantize(w), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s", filepath.Join(*out, "ner.bin"))
}

// quantize encodes the weights as enrich loads them: the largest maps to
// 32767.
func quantize(w []float64) []byte {
	maxAbs := 0.0
	for _, x := range w {
		maxAbs = max(maxAbs, x, -x)
	}
	scale := 1.0
	if maxAbs > 0 {
		scale = 32767 / maxAbs
	}
	return enrich.EncodeModel(w, scale, gapCost, confMargin)
}

func countEx(docs []document) int {
	n := 0
	for _, d := range docs {
		n += len(d.ex)
	}
	return n
}

// load reads a UNER-format file and runs the candidate finder on it.
func load(path string) ([]document, error) {
	var docs []document
	err := nlpeval.ReadJSONL(path, func(r record) error {
		nd := nlpeval.NewDoc(r.Text)
		// Record offset of each paragraph (joined by "\n\n").
		join := make([]int, len(nd.Paragraphs))
		off := 0
		for i, p := range nd.Paragraphs {
			join[i] = off
			off += utf8.RuneCountInString(p) + 2
		}
		d := document{gold: map[span]int{}, rec: r}
		for _, g := range r.Entities {
			if c, ok := classOf[g.Type]; ok {
				d.gold[span{g.Start, g.End}] = c
			}
		}
		for _, c := range enrich.NERCandidates(nd.Paragraphs) {
			p := nd.Paragraphs[c.Para]
			s := nd.Orig(join[c.Para] + utf8.RuneCountInString(p[:c.Start]))
			e := nd.Orig(join[c.Para] + utf8.RuneCountInString(p[:c.End]))
			sp := span{s, e}
			d.ex = append(d.ex, example{feats: c.Features, label: d.gold[sp], group: c.Features[1], seg: c.Seg, keep: c.Keep, i: c.I, j: c.J, n: c.N, sp: sp, bs: span{c.Start, c.End}})
		}
		docs = append(docs, d)
		return nil
	})
	return docs, err
}

const nc = 4

var noneBias, gapCost, confMargin float64

var algo = "perceptron"

func fit(docs []document, epochs int) []float64 {
	if algo == "logreg" {
		return trainLogReg(docs, epochs)
	}
	return train(docs, epochs)
}

// trainLogReg fits a multinomial logistic regression by SGD with an L2
// penalty on the features each step touches.
func trainLogReg(docs []document, epochs int) []float64 {
	nb := uint32(enrich.ModelBuckets)
	mask := nb - 1
	w := make([]float64, int(nb)*nc)
	exs := examples(docs)
	rng := rand.New(rand.NewPCG(1, 2))
	step := 0
	for ep := 0; ep < epochs; ep++ {
		rng.Shuffle(len(exs), func(i, j int) { exs[i], exs[j] = exs[j], exs[i] })
		lr := lrate / (1 + float64(ep))
		for _, x := range exs {
			var s [nc]float64
			for _, h := range x.feats {
				b := int(h&mask) * nc
				for k := range nc {
					s[k] += w[b+k]
				}
			}
			m := max(s[0], s[1], s[2], s[3])
			z := 0.0
			for k := range nc {
				s[k] = math.Exp(s[k] - m)
				z += s[k]
			}
			for k := range nc {
				g := s[k] / z
				if k == x.label {
					g--
				}
				s[k] = g
			}
			for _, h := range x.feats {
				b := int(h&mask) * nc
				for k := range nc {
					w[b+k] -= lr * (s[k] + l2*w[b+k])
				}
			}
			step++
		}
	}
	return w
}

var lrate, l2 = 0.2, 1e-4

// train runs the averaged perceptron.
func train(docs []document, epochs int) []float64 {
	nb := uint32(enrich.ModelBuckets)
	mask := nb - 1
	w := make([]float64, int(nb)*nc)
	acc := make([]float64, len(w)) // sum of c*update, for averaging
	exs := examples(docs)
	rng := rand.New(rand.NewPCG(1, 2))
	c := 1.0
	for ep := 0; ep < epochs; ep++ {
		rng.Shuffle(len(exs), func(i, j int) { exs[i], exs[j] = exs[j], exs[i] })
		for _, x := range exs {
			var s [nc]float64
			for _, h := range x.feats {
				b := int(h&mask) * nc
				for k := range nc {
					s[k] += w[b+k]
				}
			}
			best := 0
			for k := 1; k < nc; k++ {
				if s[k] > s[best] {
					best = k
				}
			}
			if best != x.label {
				for _, h := range x.feats {
					b := int(h&mask) * nc
					w[b+x.label]++
					w[b+best]--
					acc[b+x.label] += c
					acc[b+best] -= c
				}
			}
			c++
		}
	}
	for i := range w {
		w[i] -= acc[i] / c
	}
	return w
}

// shiftNone lowers the none weight of the bias feature (the first feature
// of every candidate) by noneBias: the perceptron's none class wins too
// often for F1, since a name's type is split three ways.
func shiftNone(w []float64, docs []document) {
	for _, d := range docs {
		if len(d.ex) > 0 {
			b := int(d.ex[0].feats[0]&(enrich.ModelBuckets-1)) * nc
			w[b] -= noneBias
			return
		}
	}
}

type prf struct{ tp, fp, fn int }

func (p *prf) add(o prf) { p.tp += o.tp; p.fp += o.fp; p.fn += o.fn }

func (p prf) String() string {
	pr := float64(p.tp) / float64(max(1, p.tp+p.fp))
	r := float64(p.tp) / float64(max(1, p.tp+p.fn))
	f := 0.0
	if pr+r > 0 {
		f = 2 * pr * r / (pr + r)
	}
	return fmt.Sprintf("P %.3f R %.3f F1 %.3f (tp %d fp %d fn %d)", pr, r, f, p.tp, p.fp, p.fn)
}

// evaluate scores exact span and type as enrich decides them: in each
// segment the non-overlapping sub-spans with the largest total margin of
// a type over none (the whole segment when none has a positive margin),
// then each name typed by its scores summed over the document. Names
// typed none are not predictions.
func evaluate(w []float64, docs []document) prf {
	mask := uint32(enrich.ModelBuckets) - 1
	var r prf
	for _, d := range docs {
		scores := make([][nc]float64, len(d.ex))
		for i, x := range d.ex {
			for _, h := range x.feats {
				b := int(h&mask) * nc
				for k := range nc {
					scores[i][k] += w[b+k]
				}
			}
		}
		var chosen []int
		for a := 0; a < len(d.ex); {
			b := a
			for b < len(d.ex) && d.ex[b].seg == d.ex[a].seg {
				b++
			}
			chosen = append(chosen, pick(d.ex[a:b], scores[a:b], a)...)
			a = b
		}
		sum := map[uint32]*[nc]float64{}
		for _, i := range chosen {
			s := sum[d.ex[i].group]
			if s == nil {
				s = new([nc]float64)
				sum[d.ex[i].group] = s
			}
			for k := range nc {
				s[k] += scores[i][k]
			}
		}
		pred := map[span]int{}
		for _, i := range chosen {
			s := sum[d.ex[i].group]
			best := 0
			for k := 1; k < nc; k++ {
				if s[k] > s[best] {
					best = k
				}
			}
			if best != 0 {
				pred[d.ex[i].sp] = best
			}
		}
		for sp, c := range pred {
			if d.gold[sp] == c {
				r.tp++
			} else {
				r.fp++
			}
		}
		for sp, c := range d.gold {
			if pred[sp] != c {
				r.fn++
				if verbose {
					why := "nocand"
					for i, x := range d.ex {
						if x.sp == sp {
							why = "notchosen"
							for _, j := range chosen {
								if j == i {
									why = fmt.Sprintf("typed%d", pred[sp])
								}
							}
						}
					}
					fnWhy[why]++
				}
			}
		}
	}
	if verbose {
		log.Printf("false negatives by cause: %v", fnWhy)
	}
	return r
}

var (
	verbose bool
	fnWhy   = map[string]int{}
)

// pick returns the indexes (offset by base) of the sub-spans of one
// segment that enrich keeps (enrich.PickSpans, as addMention calls it).
func pick(ex []example, scores [][nc]float64, base int) []int {
	whole := 0
	for i, x := range ex {
		if x.keep {
			return []int{base + i}
		}
		if x.bs.e-x.bs.s > ex[whole].bs.e-ex[whole].bs.s {
			whole = i
		}
	}
	n := ex[0].n
	if n > enrich.MaxSub {
		return []int{base + whole}
	}
	for i, x := range ex {
		if x.i == 0 && x.j == n && max(scores[i][1], scores[i][2], scores[i][3])-scores[i][0] >= confMargin {
			return []int{base + i}
		}
	}
	var m [enrich.MaxSub][enrich.MaxSub + 1]float64
	var ok [enrich.MaxSub][enrich.MaxSub + 1]bool
	idx := map[[2]int]int{}
	for i, x := range ex {
		m[x.i][x.j] = max(scores[i][1], scores[i][2], scores[i][3]) - scores[i][0]
		ok[x.i][x.j] = true
		idx[[2]int{x.i, x.j}] = i
	}
	picks := enrich.PickSpans(n, &m, &ok, gapCost, nil)
	if len(picks) == 0 {
		if i, found := idx[[2]int{0, n}]; found {
			return []int{base + i}
		}
		return []int{base + whole}
	}
	var out []int
	for _, p := range picks {
		out = append(out, base+idx[p])
	}
	return out
}

// buildVocab lists the words written in lower case at least twice in the
// train split's text (ASCII letters, two or more): a feature tells a
// capitalized common word ("Witnesses", "Thanks") from a name.
func buildVocab(path string) ([]byte, error) {
	count := map[string]int{}
	err := nlpeval.ReadJSONL(path, func(r record) error {
		for _, w := range strings.FieldsFunc(r.Text, func(c rune) bool { return !unicode.IsLetter(c) }) {
			if len(w) >= 2 && strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") == "" {
				count[w]++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var words []string
	for w, n := range count {
		if n >= 2 {
			words = append(words, w)
		}
	}
	sort.Strings(words)
	return []byte(strings.Join(words, "\n") + "\n"), nil
}

// buildGazetteer turns the shared TSV into "key<TAB>bits" lines, sorted.
func buildGazetteer(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	bits := map[string]byte{}
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 {
			continue
		}
		var b byte
		switch cols[1] {
		case "CITY":
			b = 1
		case "COUNTRY":
			b = 2
		case "CAPITAL":
			b = 4
		case "COMPANY":
			b = 8
		default:
			continue
		}
		k := strings.ReplaceAll(strings.TrimPrefix(enrich.CanonicalKey("x", cols[0]), "x:"), "-", " ")
		if k == "" || strings.ContainsAny(k, "\t\n") {
			continue
		}
		bits[k] |= b
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(bits))
	for k := range bits {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out bytes.Buffer
	for _, k := range keys {
		fmt.Fprintf(&out, "%s\t%c\n", k, '0'+bits[k])
	}
	return out.Bytes(), nil
}

// writeEmbedded writes a file that package enrich embeds when its bytes
// changed, then stops: training must run on a build that embeds them.
func writeEmbedded(path string, data []byte) {
	if old, _ := os.ReadFile(path); bytes.Equal(old, data) {
		return
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Fatalf("wrote %s (%d bytes); run again to train with it", path, len(data))
}

// examples lists every training example of docs, in order, for shuffling.
func examples(docs []document) []*example {
	var exs []*example
	for i := range docs {
		for j := range docs[i].ex {
			exs = append(exs, &docs[i].ex[j])
		}
	}
	return exs
}
