package dedup

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/article"
)

// Default story clustering parameters; DESIGN.md explains each choice and
// how the scores vary around them.
const (
	DefaultStoryThreshold = 0.12
	DefaultEntityWeight   = 0.3
	DefaultTitleBoost     = 3
	DefaultKeywords       = 40
	DefaultStoryWindow    = 7 * 24 * time.Hour
	DefaultPriorDocs      = 100
	DefaultCentroidTerms  = 300
	bm25K1                = 1.2
	bm25B                 = 0.75
)

// StoryConfig tunes a Clusterer. The zero value means the defaults.
type StoryConfig struct {
	// Threshold is the least score for an article to join a story.
	Threshold float64
	// EntityWeight is the weight of entity similarity in the score; text
	// similarity has the rest.
	EntityWeight float64
	// TitleBoost is how many body occurrences a title word counts as.
	TitleBoost float64
	// Keywords is how many top-weighted terms represent an article.
	Keywords int
	// Window is how long a story stays open after its last article: an
	// article published further than Window from a story's known dates
	// cannot join it. Articles without a date ignore the window.
	Window time.Duration
	// PriorDocs is the number of virtual documents, containing no term,
	// that smooth document frequencies while the corpus is small.
	PriorDocs float64
	// CentroidTerms caps the terms kept in a story centroid.
	CentroidTerms int
	// Clean, when set, removes boilerplate and repeats from the paragraphs
	// of a document given as raw Text (repair.Clean does this; dedup does
	// not import the earlier stage). Documents given as Paragraphs are
	// taken to be repaired already.
	Clean func(paragraphs []string) []string
}

func (c StoryConfig) withDefaults() StoryConfig {
	if c.Threshold == 0 {
		c.Threshold = DefaultStoryThreshold
	}
	if c.EntityWeight == 0 {
		c.EntityWeight = DefaultEntityWeight
	}
	if c.TitleBoost == 0 {
		c.TitleBoost = DefaultTitleBoost
	}
	if c.Keywords == 0 {
		c.Keywords = DefaultKeywords
	}
	if c.Window == 0 {
		c.Window = DefaultStoryWindow
	}
	if c.PriorDocs == 0 {
		c.PriorDocs = DefaultPriorDocs
	}
	if c.CentroidTerms == 0 {
		c.CentroidTerms = DefaultCentroidTerms
	}
	return c
}

// StoryDoc is what story clustering reads from an article.
type StoryDoc struct {
	ID         string
	Title      string
	Paragraphs []string // repaired; when empty, Text is split and cleaned (see body)
	Text       string
	// Entities are named entities with counts; when nil, NameSequences of
	// the title and body stand in.
	Entities  map[string]int
	Published time.Time // zero when unknown
	Outlet    string
	// TF holds the document's term counts (title boosted) when Prepare has
	// computed them; Add computes them otherwise.
	TF map[string]float64
}

// Prepare computes what Add needs from the text alone (term counts and
// stand-in entities), so that it can run in parallel before the serial Add.
func (c *Clusterer) Prepare(doc *StoryDoc) {
	body := ""
	if doc.TF == nil || doc.Entities == nil {
		body = doc.body(c.cfg.Clean)
	}
	if doc.TF == nil {
		doc.TF = map[string]float64{}
		terms(body, 1, doc.TF)
		terms(doc.Title, c.cfg.TitleBoost, doc.TF)
	}
	if doc.Entities == nil {
		doc.Entities = NameSequences(doc.Title + "\n" + body)
	}
}

// DocFromArticle builds the StoryDoc of a, using its extracted entities
// when it has any.
func DocFromArticle(a *article.Article) StoryDoc {
	d := StoryDoc{ID: a.ID, Title: a.Title, Paragraphs: a.Paragraphs, Text: a.Text, Published: a.Published, Outlet: a.Source.Name}
	if d.Outlet == "" {
		d.Outlet = a.Source.Domain
	}
	if d.Published.IsZero() {
		d.Published = a.Modified
	}
	if len(a.Entities) > 0 {
		d.Entities = map[string]int{}
		for _, e := range a.Entities {
			n := max(e.Count, 1)
			d.Entities[strings.ToLower(strings.Join(strings.Fields(e.Text), " "))] += n
		}
	}
	return d
}

// body returns the text to cluster on. Paragraphs come from a repaired
// article (DocFromArticle) and are used as they are. A raw Text is split at
// blank lines and passed through clean, when given, so that an outlet's
// calls to action, copyright lines and doubled paragraphs do not count as
// the article's words: boilerplate shared by one outlet's articles about
// different events would otherwise pull them together.
func (d *StoryDoc) body(clean func([]string) []string) string {
	if len(d.Paragraphs) > 0 {
		return strings.Join(d.Paragraphs, "\n\n")
	}
	if clean == nil {
		return d.Text
	}
	kept := clean(splitParagraphs(d.Text))
	if len(kept) == 0 {
		return d.Text
	}
	return strings.Join(kept, "\n\n")
}

// Story is one cluster of articles about the same event, with the state
// needed to extend it incrementally. It marshals to JSON.
type Story struct {
	ID       string             `json:"id"`
	Headline string             `json:"headline"`
	Articles int                `json:"articles"`
	Outlets  map[string]int     `json:"outlets,omitempty"`
	First    time.Time          `json:"first,omitzero"`
	Last     time.Time          `json:"last,omitzero"`
	Terms    map[string]float64 `json:"terms"`    // centroid: sum of members' unit BM25-IDF keyword vectors
	Entities map[string]float64 `json:"entities"` // sum of members' unit IDF-weighted entity vectors

	termNorm, entNorm float64 // Euclidean norms of Terms and Entities
}

// Assignment reports the story an article joined.
type Assignment struct {
	ID    string  `json:"id"`
	Story string  `json:"story"`
	New   bool    `json:"new"`
	Score float64 `json:"score"` // the joined story's score; 0 for a new story
}

// Clusterer groups articles into stories in a single incremental pass:
// each article joins the best-scoring open story at or above the threshold
// or starts a new one. The score is a weighted sum of two cosines, computed
// with the current document frequencies: the article's top keywords (BM25
// weights, title boosted) against the story centroid, and its entities
// against the story's entities. Methods are safe for concurrent use.
type Clusterer struct {
	mu  sync.Mutex
	cfg StoryConfig
	st  clusterState
	// postings maps a term or entity ("e:" prefixed) to the stories whose
	// centroid has it; rebuilt on load.
	postings map[string][]int
	shared   map[int]float64 // scratch for candidates
}

// clusterState is the persisted part of a Clusterer.
type clusterState struct {
	Version int                `json:"version"`
	Docs    float64            `json:"docs"`
	Length  float64            `json:"length"` // total term weight, for the BM25 average length
	DF      map[string]float64 `json:"df"`
	EDF     map[string]float64 `json:"edf"`
	Stories []*Story           `json:"stories"`
	Index   map[string]int     `json:"-"` // story id -> position
}

// NewClusterer returns an empty clusterer.
func NewClusterer(cfg StoryConfig) *Clusterer {
	c := &Clusterer{cfg: cfg.withDefaults()}
	c.st = clusterState{Version: 1, DF: map[string]float64{}, EDF: map[string]float64{}, Index: map[string]int{}}
	c.postings = map[string][]int{}
	return c
}

func (c *Clusterer) idf(df float64) float64 {
	n := c.st.Docs + c.cfg.PriorDocs
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

type weighted struct {
	term string
	w    float64
}

// vectors returns the article's keyword and entity vectors: IDF-weighted
// (with the corpus statistics as of this article) and of unit length.
func (c *Clusterer) vectors(doc *StoryDoc) (map[string]float64, map[string]float64) {
	c.Prepare(doc)
	tf, ents := doc.TF, doc.Entities

	// Update corpus statistics first, so the article counts itself.
	c.st.Docs++
	length := 0.0
	for t, n := range tf {
		c.st.DF[t]++
		length += n
	}
	c.st.Length += length
	for e := range ents {
		c.st.EDF[e]++
	}
	avg := c.st.Length / c.st.Docs

	kw := make([]weighted, 0, len(tf))
	for t, n := range tf {
		sat := n * (bm25K1 + 1) / (n + bm25K1*(1-bm25B+bm25B*length/avg))
		kw = append(kw, weighted{t, sat * c.idf(c.st.DF[t])})
	}
	slices.SortFunc(kw, byWeight)
	if len(kw) > c.cfg.Keywords {
		kw = kw[:c.cfg.Keywords]
	}
	tv := map[string]float64{}
	for _, x := range kw {
		tv[x.term] = x.w
	}
	ev := map[string]float64{}
	for e, n := range ents {
		ev[e] = math.Log1p(float64(n)) * c.idf(c.st.EDF[e])
	}
	normalize(tv)
	normalize(ev)
	return tv, ev
}

// normalize scales v to unit length.
func normalize(v map[string]float64) {
	if n := norm(v); n > 0 {
		for t := range v {
			v[t] /= n
		}
	}
}

func norm(v map[string]float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}

// cosine returns the cosine of a unit vector q and a centroid of norm n.
func cosine(q, centroid map[string]float64, n float64) float64 {
	if n == 0 {
		return 0
	}
	dot := 0.0
	for t, x := range q {
		dot += x * centroid[t]
	}
	return dot / n
}

// Candidate generation bounds the work per article as stories accumulate:
// a term or entity carried by more than maxPostings stories says little
// about which one an article belongs to and is not followed, and only the
// maxCandidates stories sharing the most weight with the article are scored.
const (
	maxPostings   = 500
	maxCandidates = 24
)

// candidates returns the stories that share a keyword or an entity with
// the article, the most promising first, at most maxCandidates of them.
func (c *Clusterer) candidates(tv, ev map[string]float64) []int {
	// The accumulator is reused across calls (Add holds c.mu): allocating
	// and growing a fresh map per article cost more than the scoring.
	if c.shared == nil {
		c.shared = map[int]float64{}
	}
	clear(c.shared)
	shared := c.shared
	add := func(key string, w float64) {
		post := c.postings[key]
		if len(post) > maxPostings {
			return
		}
		for _, i := range post {
			shared[i] += w
		}
	}
	for t, w := range tv {
		add(t, w)
	}
	for e, w := range ev {
		add("e:"+e, w)
	}
	// Keep the top maxCandidates in a small sorted slice: a full sort of
	// every story sharing a common word would cost more than scoring.
	better := func(a, b int) bool {
		return shared[a] > shared[b] || shared[a] == shared[b] && a < b
	}
	out := make([]int, 0, min(len(shared), maxCandidates))
	for i := range shared {
		if len(out) == maxCandidates && !better(i, out[len(out)-1]) {
			continue
		}
		pos, _ := slices.BinarySearchFunc(out, i, func(x, target int) int {
			if better(x, target) {
				return -1
			}
			return 1
		})
		if len(out) == maxCandidates {
			out = out[:len(out)-1]
		}
		out = slices.Insert(out, pos, i)
	}
	return out
}

// open reports whether an article published at t may join s.
func (c *Clusterer) open(s *Story, t time.Time) bool {
	if t.IsZero() || s.First.IsZero() {
		return true
	}
	return !t.After(s.Last.Add(c.cfg.Window)) && !t.Before(s.First.Add(-c.cfg.Window))
}

// Add assigns doc to a story and returns the assignment; the caller stores
// it in the article's Story field.
func (c *Clusterer) Add(doc StoryDoc) Assignment {
	c.mu.Lock()
	defer c.mu.Unlock()
	tv, ev := c.vectors(&doc)

	best, bestScore := -1, 0.0
	for _, i := range c.candidates(tv, ev) {
		s := c.st.Stories[i]
		if !c.open(s, doc.Published) {
			continue
		}
		score := (1-c.cfg.EntityWeight)*cosine(tv, s.Terms, s.termNorm) +
			c.cfg.EntityWeight*cosine(ev, s.Entities, s.entNorm)
		if score > bestScore || (score == bestScore && best >= 0 && s.ID < c.st.Stories[best].ID) {
			best, bestScore = i, score
		}
	}
	a := Assignment{ID: doc.ID}
	var s *Story
	if best >= 0 && bestScore >= c.cfg.Threshold {
		s = c.st.Stories[best]
		a.Score = bestScore
	} else {
		s = &Story{ID: "s" + doc.ID, Headline: strings.TrimSpace(doc.Title), Terms: map[string]float64{}, Entities: map[string]float64{}}
		if _, dup := c.st.Index[s.ID]; dup {
			s.ID = fmt.Sprintf("s%s-%d", doc.ID, len(c.st.Stories))
		}
		best = len(c.st.Stories)
		c.st.Stories = append(c.st.Stories, s)
		c.st.Index[s.ID] = best
		a.New = true
	}
	a.Story = s.ID
	c.extend(best, s, &doc, tv, ev)
	return a
}

// AddCopy records doc in the story of an earlier copy of it (its dup
// group's representative, say) without adding its text to the centroid
// again: copies count as articles and outlets of the story but do not
// outweigh the rest of its coverage.
func (c *Clusterer) AddCopy(story string, doc StoryDoc) (Assignment, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i, ok := c.st.Index[story]
	if !ok {
		return Assignment{}, fmt.Errorf("dedup: story %s: %w", story, ErrNotFound)
	}
	c.extend(i, c.st.Stories[i], &doc, nil, nil)
	return Assignment{ID: doc.ID, Story: story}, nil
}

// extend adds an article's vectors and metadata to story i.
func (c *Clusterer) extend(i int, s *Story, doc *StoryDoc, tv, ev map[string]float64) {
	s.Articles++
	if doc.Outlet != "" {
		if s.Outlets == nil {
			s.Outlets = map[string]int{}
		}
		s.Outlets[doc.Outlet]++
	}
	if s.Headline == "" {
		s.Headline = strings.TrimSpace(doc.Title)
	}
	if t := doc.Published; !t.IsZero() {
		if s.First.IsZero() || t.Before(s.First) {
			s.First = t
		}
		if t.After(s.Last) {
			s.Last = t
		}
	}
	for t, x := range tv {
		if _, ok := s.Terms[t]; !ok {
			c.postings[t] = append(c.postings[t], i)
		}
		s.Terms[t] += x
	}
	for e, x := range ev {
		if _, ok := s.Entities[e]; !ok {
			c.postings["e:"+e] = append(c.postings["e:"+e], i)
		}
		s.Entities[e] += x
	}
	prune(s.Terms, c.cfg.CentroidTerms)
	prune(s.Entities, c.cfg.CentroidTerms)
	s.termNorm, s.entNorm = norm(s.Terms), norm(s.Entities)
}

// byWeight orders heaviest first, then by term for determinism.
func byWeight(a, b weighted) int {
	if c := cmp.Compare(b.w, a.w); c != 0 {
		return c
	}
	return strings.Compare(a.term, b.term)
}

// prune keeps the n heaviest entries of v. Postings of dropped terms stay:
// they only cost a wasted candidate check.
func prune(v map[string]float64, n int) {
	if len(v) <= n {
		return
	}
	all := make([]weighted, 0, len(v))
	for t, x := range v {
		all = append(all, weighted{t, x})
	}
	slices.SortFunc(all, byWeight)
	for _, x := range all[n:] {
		delete(v, x.term)
	}
}

// Story returns a copy of the story with the given id.
func (c *Clusterer) Story(id string) (Story, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i, ok := c.st.Index[id]
	if !ok {
		return Story{}, false
	}
	return *c.st.Stories[i], true
}

// Stories returns the stories, most recently seen first (undated ones last,
// in creation order). The centroid maps are shared: do not modify them.
func (c *Clusterer) Stories() []Story {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Story, len(c.st.Stories))
	for i, s := range c.st.Stories {
		out[i] = *s
	}
	slices.SortStableFunc(out, func(a, b Story) int { return b.Last.Compare(a.Last) })
	return out
}

// Prune drops the stories last seen before cutoff (older than the window,
// say) from the clusterer, so its state stays the size of the open news;
// they can no longer take dated articles. Undated stories are kept. It
// returns the number dropped.
func (c *Clusterer) Prune(cutoff time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	kept := c.st.Stories[:0]
	for _, s := range c.st.Stories {
		if s.Last.IsZero() || !s.Last.Before(cutoff) {
			kept = append(kept, s)
		}
	}
	n := len(c.st.Stories) - len(kept)
	clear(c.st.Stories[len(kept):])
	c.st.Stories = kept
	c.reindex()
	return n
}

// reindex rebuilds the story positions and postings from the stories.
func (c *Clusterer) reindex() {
	c.st.Index = map[string]int{}
	c.postings = map[string][]int{}
	for i, s := range c.st.Stories {
		c.st.Index[s.ID] = i
		s.termNorm, s.entNorm = norm(s.Terms), norm(s.Entities)
		for t := range s.Terms {
			c.postings[t] = append(c.postings[t], i)
		}
		for e := range s.Entities {
			c.postings["e:"+e] = append(c.postings["e:"+e], i)
		}
	}
}

// MarshalBinary returns the clusterer's whole state (corpus statistics and
// stories) for persisting; UnmarshalBinary restores it.
func (c *Clusterer) MarshalBinary() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := json.Marshal(&c.st)
	if err != nil {
		return nil, fmt.Errorf("dedup: story state: %w", err)
	}
	return b, nil
}

// UnmarshalBinary restores state saved by MarshalBinary, replacing the
// current one. The configuration is kept.
func (c *Clusterer) UnmarshalBinary(data []byte) error {
	var st clusterState
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("dedup: story state: %w: %w", ErrCorrupt, err)
	}
	if st.Version != 1 {
		return fmt.Errorf("dedup: story state: version %d: %w", st.Version, ErrCorrupt)
	}
	if st.DF == nil {
		st.DF = map[string]float64{}
	}
	if st.EDF == nil {
		st.EDF = map[string]float64{}
	}
	seen := map[string]bool{}
	for i, s := range st.Stories {
		if s == nil || s.ID == "" {
			return fmt.Errorf("dedup: story state: story %d has no id: %w", i, ErrCorrupt)
		}
		if seen[s.ID] {
			return fmt.Errorf("dedup: story state: duplicate story %s: %w", s.ID, ErrCorrupt)
		}
		seen[s.ID] = true
		if s.Terms == nil {
			s.Terms = map[string]float64{}
		}
		if s.Entities == nil {
			s.Entities = map[string]float64{}
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st = st
	c.reindex()
	return nil
}

// MarshalStats returns the corpus statistics (document frequencies) without
// the stories, for a store that keeps stories as rows: restore with
// NewClustererFrom.
func (c *Clusterer) MarshalStats() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.st
	st.Stories = nil
	b, err := json.Marshal(&st)
	if err != nil {
		return nil, fmt.Errorf("dedup: story stats: %w", err)
	}
	return b, nil
}

// NewClustererFrom rebuilds a clusterer from statistics saved by
// MarshalStats (nil starts them afresh) and the stories still open, as
// decoded with Story.UnmarshalBinary.
func NewClustererFrom(cfg StoryConfig, stats []byte, stories []Story) (*Clusterer, error) {
	state := clusterState{Version: 1}
	if stats != nil {
		if err := json.Unmarshal(stats, &state); err != nil {
			return nil, fmt.Errorf("dedup: story stats: %w: %w", ErrCorrupt, err)
		}
	}
	for i := range stories {
		s := stories[i]
		state.Stories = append(state.Stories, &s)
	}
	data, err := json.Marshal(&state)
	if err != nil {
		return nil, fmt.Errorf("dedup: story state: %w", err)
	}
	c := NewClusterer(cfg)
	if err := c.UnmarshalBinary(data); err != nil {
		return nil, err
	}
	return c, nil
}

// MarshalBinary encodes one story (for a store that keeps stories as rows).
func (s *Story) MarshalBinary() ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("dedup: story %s: %w", s.ID, err)
	}
	return b, nil
}

// UnmarshalBinary decodes what Story.MarshalBinary encoded.
func (s *Story) UnmarshalBinary(data []byte) error {
	if err := json.Unmarshal(data, s); err != nil {
		return fmt.Errorf("dedup: story: %w: %w", ErrCorrupt, err)
	}
	return nil
}
