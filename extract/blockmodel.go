package extract

import (
	"math"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/atom"

	"github.com/newsdesk/newsdesk/article"
)

// The block model is a logistic regression over the features of each
// block, trained on the development sets (see blockmodel_train_test.go)
// and shipped as weights in blockmodel_weights.go. It does not choose the
// body on its own: it reviews the rules' verdict, block by block, with the
// verdict among its features, and overturns it only when it is confident.
// So it corrects the rules where the data says they are wrong (comments
// inside a post's container, a caption kept, a paragraph left outside the
// chosen element) and otherwise leaves them alone.

// blockModel holds the weights of one trained model.
type blockModel struct {
	w    []float64 // one per feature, see blockFeatures
	bias float64
	drop float64 // a kept block goes when its probability is below drop
	keep float64 // a removed block comes back when its probability is above keep
}

// holdoutEnv names the development set whose fold model to use: the model
// trained without that set, so that bench/extract can score each set with
// a model that never saw it (cross-validation). Unset, the model trained on
// every set is used. NEWSDESK_EXTRACT_MODEL=off turns the model off.
const (
	holdoutEnv  = "NEWSDESK_EXTRACT_HOLDOUT"
	modelEnv    = "NEWSDESK_EXTRACT_MODEL"
	modelAllKey = "all"
)

var chosenModel = func() *blockModel {
	if strings.EqualFold(os.Getenv(modelEnv), "off") {
		return nil
	}
	key := modelAllKey
	if h := os.Getenv(holdoutEnv); h != "" {
		key = "without-" + h
	}
	if m, ok := blockModels[key]; ok {
		return m
	}
	return blockModels[modelAllKey]
}()

// modelOverride lets the training code score with a model of its own.
var modelOverride *blockModel

// activeModel is the model in use, or nil.
func activeModel() *blockModel {
	if modelOverride != nil {
		return modelOverride
	}
	return chosenModel
}

// capture, when set (by the training code), receives every verdict of
// selectBody with what the features need.
var capture func(blocks []block, reasons []article.Reason, in []bool, first, last int, p pass)

// apply reviews the rules' verdicts in reasons.
func (m *blockModel) apply(blocks []block, reasons []article.Reason, in []bool, first, last int, p pass) {
	f := make([]float64, numFeatures)
	rules := slices.Clone(reasons) // features see the rules' verdicts, not the model's
	for i := range blocks {
		r := rules[i]
		if !reviewable(r) {
			continue
		}
		blockFeatures(f, blocks, rules, in, i, first, last, p)
		prob := m.prob(f)
		switch {
		case r == "" && prob < m.drop:
			reasons[i] = article.ReasonClassifier
		case r != "" && in[i] && prob > m.keep:
			reasons[i] = ""
		}
	}
}

// reviewable reports verdicts the model may overturn: not hidden blocks,
// repeats of the title or empty ones.
func reviewable(r article.Reason) bool {
	return r != reasonHidden && r != reasonTitle && r != article.ReasonEmpty
}

func (m *blockModel) prob(f []float64) float64 {
	z := m.bias
	for k, x := range f {
		z += m.w[k] * x
	}
	return 1 / (1 + math.Exp(-z))
}

// numFeatures is the length of the feature vector.
const numFeatures = 46

// blockFeatures fills f with the features of block i. The rules' verdict
// (kept, and why not) comes first; then the block's own text; then its
// place among its neighbours and in the body.
func blockFeatures(f []float64, blocks []block, reasons []article.Reason, in []bool, i, first, last int, p pass) {
	for k := range f {
		f[k] = 0
	}
	b := &blocks[i]
	bit := func(c bool) float64 {
		if c {
			return 1
		}
		return 0
	}
	r := reasons[i]
	f[0] = bit(r == "")
	f[1] = bit(in[i])
	switch r {
	case article.ReasonNav:
		f[2] = 1
	case article.ReasonRelated:
		f[3] = 1
	case article.ReasonCTA, article.ReasonAd:
		f[4] = 1
	case article.ReasonCopyright:
		f[5] = 1
	}
	f[6] = bit(b.good)
	f[7] = bit(b.positive)
	f[8] = bit(b.leadLink)
	l := len(b.text)
	f[9] = math.Log1p(float64(l)) / 8
	ld := float64(b.linkLen) / float64(max(l, 1))
	f[10] = ld
	f[11] = bit(ld > 0.5)
	switch b.kind {
	case kindNav:
		f[12] = 1
	case kindRelated:
		f[13] = 1
	case kindCTA, kindAd:
		f[14] = 1
	case kindDek:
		f[15] = 1
	case kindCopyright:
		f[16] = 1
	}
	switch b.tag {
	case atom.P:
		f[17] = 1
	case atom.Div, atom.Section, atom.Article, atom.Main, atom.Body, atom.Html:
		f[18] = 1
	case atom.Li, atom.Dd, atom.Dt:
		f[19] = 1
	case atom.H1, atom.H2, atom.H3:
		f[20] = 1
	case atom.H4, atom.H5, atom.H6:
		f[21] = 1
	case atom.Tr, atom.Table, atom.Tbody, atom.Caption:
		f[22] = 1
	case atom.Blockquote, atom.Pre:
		f[23] = 1
	default:
		f[24] = 1
	}
	words, ends, commas, digits, upper, letters := 0, 0, 0, 0, 0, 0
	space := true
	for _, c := range b.text {
		switch {
		case c == ' ':
			space = true
			continue
		case c == '.' || c == '!' || c == '?' || c == '。':
			ends++
		case c == ',' || c == '、':
			commas++
		case c >= '0' && c <= '9':
			digits++
		case unicode.IsUpper(c):
			upper++
			letters++
		case unicode.IsLetter(c):
			letters++
		}
		if space {
			words++
			space = false
		}
	}
	f[25] = math.Log1p(float64(words)) / 6
	f[26] = math.Log1p(float64(ends)) / 3
	f[27] = float64(commas) / float64(max(words, 1))
	f[28] = float64(digits) / float64(max(utf8.RuneCountInString(b.text), 1))
	f[29] = float64(upper) / float64(max(letters, 1))
	last1, _ := utf8.DecodeLastRuneInString(b.text)
	f[30] = bit(strings.ContainsRune(".!?。\"”'’", last1))
	f[31] = bit(isDateline(b.text) || isCounter(b.text))
	f[32] = bit(isCopyright(b.text))
	n := len(blocks)
	f[33] = float64(i) / float64(max(n, 1))
	if first >= 0 {
		switch {
		case i < first:
			f[34] = 1
			f[35] = math.Log1p(float64(first-i)) / 4
		case i > last:
			f[36] = 1
			f[35] = math.Log1p(float64(i-last)) / 4
		default:
			f[37] = 1
		}
	}
	prevKept, nextKept := false, false
	for j := i - 1; j >= 0; j-- {
		if reasons[j] != reasonHidden {
			prevKept = reasons[j] == ""
			f[40] = bit(blocks[j].owner.parent == b.owner.parent || blocks[j].owner == b.owner)
			break
		}
	}
	for j := i + 1; j < n; j++ {
		if reasons[j] != reasonHidden {
			nextKept = reasons[j] == ""
			f[41] = bit(blocks[j].owner.parent == b.owner.parent || blocks[j].owner == b.owner)
			break
		}
	}
	f[38] = bit(prevKept)
	f[39] = bit(nextKept)
	if par := b.owner.parent; par != nil {
		f[42] = float64(par.linkB) / float64(max(par.textN, 1))
		f[43] = math.Log1p(float64(par.blockN)) / 5
	}
	f[44] = bit(p != passStrict)
	f[45] = bit(b.plainWord)
}
