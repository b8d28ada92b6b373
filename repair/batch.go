package repair

import "sync"

// Batch counts short paragraphs across the inputs of a batch. A line that
// recurs in many different inputs ("Get our app", a site's slogan) is site
// furniture, whatever its wording. Feed every input with Observe before
// cleaning any of them.
type Batch struct {
	mu     sync.Mutex
	inputs int
	counts map[key]int
}

// batchMaxWords bounds the paragraphs Batch tracks: body paragraphs are long
// and unique, and tracking them would only cost memory.
const batchMaxWords = 25

// NewBatch returns an empty batch.
func NewBatch() *Batch { return &Batch{counts: map[key]int{}} }

// Observe records the short paragraphs of one input's raw text.
func (b *Batch) Observe(raw []byte) {
	text, _, err := Decode(raw)
	if err != nil {
		return
	}
	segs := splitParagraphs(text)
	uniq := map[key]bool{}
	var words []string
	for _, s := range segs {
		words = lowerWords(s.text, words)
		if len(words) == 0 || len(words) > batchMaxWords {
			continue
		}
		uniq[dedupKey(s.text)] = true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.inputs++
	for k := range uniq {
		b.counts[k]++
	}
}

// isBoilerplate reports whether a short paragraph recurs across the batch:
// in at least 4 inputs and in at least a fifth of them. Same-story copies in
// a batch rarely reach that, and the dedup stage handles them anyway.
func (b *Batch) isBoilerplate(text string, nwords int) bool {
	if nwords == 0 || nwords > batchMaxWords {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.counts[dedupKey(text)]
	return c >= 4 && c*5 >= b.inputs
}
