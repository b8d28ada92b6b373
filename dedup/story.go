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
	DefaultLeadWeight     = 0.3
	DefaultTimeScale      = 3 * 24 * time.Hour
	DefaultTimeFloor      = 0.5
	DefaultSpread         = 0.6
	DefaultTitleBoost     = 3
	DefaultKeywords       = 40
	DefaultStoryWindow    = 7 * 24 * time.Hour
	DefaultPriorDocs      = 100
	DefaultCentroidTerms  = 300
	DefaultLeadWords      = 50
	DefaultMergeThreshold = 0.5
	bm25K1                = 1.2
	bm25B                 = 0.75
)

// StoryConfig tunes a Clusterer. The zero value means the defaults.
type StoryConfig struct {
	// Threshold is the least score for an article to join a story.
	Threshold float64
	// EntityWeight and LeadWeight are the weights of entity and lead
	// similarity in the score; keyword similarity has the rest.
	EntityWeight, LeadWeight float64
	// TimeScale is how fast a story's pull fades for an article dated
	// outside its span: beyond a day's grace the score is multiplied by
	// TimeFloor + (1-TimeFloor)·exp(-gap/TimeScale). Negative disables it.
	TimeScale time.Duration
	// TimeFloor is the least the fade leaves of a score (negative: none).
	TimeFloor float64
	// Spread makes a story's threshold follow its cohesion: an article
	// must also score Spread times the mean score at which the story's
	// articles joined it. Events differ in how alike their coverage is;
	// one global threshold either splits loose events or lets a tight
	// story swallow its follow-ups. Negative disables it.
	Spread float64
	// TitleBoost is how many body occurrences a title word counts as.
	TitleBoost float64
	// Keywords is how many top-weighted terms represent an article.
	Keywords int
	// LeadWords is how many body words the lead takes after the headline:
	// the lead states the event (who did what, how many) rather than its
	// topic, and keeps its numbers.
	LeadWords int
	// Window is the longest an article may lie outside a story's span of
	// dates and still join it (within it, the model weighs the gap).
	// Articles without a date ignore it.
	Window time.Duration
	// PriorDocs is the number of virtual documents, containing no term,
	// that smooth document frequencies while the corpus is small.
	PriorDocs float64
	// CentroidTerms caps the terms kept in a story centroid.
	CentroidTerms int
	// MergeThreshold is the least score at which Merge joins two stories
	// (their centroids scored as an article would be); negative disables
	// merging.
	MergeThreshold float64
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
	if c.LeadWeight == 0 {
		c.LeadWeight = DefaultLeadWeight
	}
	if c.TimeScale == 0 {
		c.TimeScale = DefaultTimeScale
	}
	if c.TimeFloor == 0 {
		c.TimeFloor = DefaultTimeFloor
	}
	if c.Spread == 0 {
		c.Spread = DefaultSpread
	}
	if c.TitleBoost == 0 {
		c.TitleBoost = DefaultTitleBoost
	}
	if c.Keywords == 0 {
		c.Keywords = DefaultKeywords
	}
	if c.LeadWords == 0 {
		c.LeadWords = DefaultLeadWords
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
	if c.MergeThreshold == 0 {
		c.MergeThreshold = DefaultMergeThreshold
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
	// Lead holds the term counts of the headline and the body's first
	// words, numbers included (see StoryConfig.LeadWeight).
	Lead map[string]float64
}

// Prepare computes what Add needs from the text alone (term counts and
// stand-in entities), so that it can run in parallel before the serial Add.
func (c *Clusterer) Prepare(doc *StoryDoc) {
	body := ""
	if doc.TF == nil || doc.Entities == nil || doc.Lead == nil {
		body = doc.body(c.cfg.Clean)
	}
	if doc.TF == nil {
		doc.TF = map[string]float64{}
		terms(body, 1, doc.TF)
		terms(doc.Title, c.cfg.TitleBoost, doc.TF)
	}
	if doc.Lead == nil {
		doc.Lead = map[string]float64{}
		leadTerms(doc.Title, 0, doc.Lead)
		leadTerms(leadText(body, doc.Title, c.cfg.LeadWords), c.cfg.LeadWords, doc.Lead)
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
	if d.Published.IsZero() {
		for _, u := range []string{a.CanonicalURL, a.URL} {
			if t := DateFromURL(u); !t.IsZero() {
				d.Published = t
				break
			}
		}
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
		if len(d.Text) == joinedLen(d.Paragraphs) && strings.HasPrefix(d.Text, d.Paragraphs[0]) &&
			strings.HasSuffix(d.Text, d.Paragraphs[len(d.Paragraphs)-1]) {
			// An article's Text is its paragraphs joined (Finalize):
			// joining them again would copy a huge article once more.
			return d.Text
		}
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

// leadText returns the body's opening paragraphs of at least
// minLeadParaWords words, up to about limit words: bylines, datelines and
// a repeated headline are short lines that say nothing of the event, and an
// outlet puts them on every article.
func leadText(body, title string, limit int) string {
	var b strings.Builder
	n := 0
	for p := range strings.SplitSeq(body, "\n\n") {
		if n >= limit {
			break
		}
		w := len(strings.Fields(p))
		if w < minLeadParaWords || strings.EqualFold(strings.TrimSpace(p), strings.TrimSpace(title)) {
			continue
		}
		b.WriteString(p)
		b.WriteString("\n\n")
		n += w
	}
	return b.String()
}

const minLeadParaWords = 12

// joinedLen is the length of paragraphs joined by blank lines.
func joinedLen(paragraphs []string) int {
	n := 2 * (len(paragraphs) - 1)
	for _, p := range paragraphs {
		n += len(p)
	}
	return n
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
	Terms    map[string]float64 `json:"terms"`          // centroid: sum of members' unit BM25-IDF keyword vectors
	Entities map[string]float64 `json:"entities"`       // sum of members' unit IDF-weighted entity vectors
	Lead     map[string]float64 `json:"lead,omitempty"` // sum of members' unit IDF-weighted lead vectors
	// ScoreSum sums the scores at which articles joined (Joins of them,
	// the founder not counted): the story's cohesion.
	ScoreSum float64 `json:"score_sum,omitempty"`
	Joins    int     `json:"joins,omitempty"`
	// Merged lists the stories merged into this one (see Merge).
	Merged []string `json:"merged,omitempty"`

	termNorm, entNorm, leadNorm float64 // Euclidean norms of Terms, Entities and Lead
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
	// postings and entPostings map a term or an entity to the stories
	// whose centroid has it; rebuilt on load.
	postings, entPostings map[string][]int
	acc                   []float64 // scratch for candidates, by story
	hit                   []int     // scratch: the stories acc holds
	// touched holds the stories changed since the last Merge, by id: only
	// pairs with one of them can have become similar.
	touched map[string]bool
	// delta, when tracked, gathers the statistics added since it was last
	// taken (see TakeStatsDelta).
	delta *StatsDelta
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

// check rejects a decoded state that the clusterer cannot use and gives
// missing maps their empty value.
func (st *clusterState) check() error {
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
	return nil
}

// NewClusterer returns an empty clusterer.
func NewClusterer(cfg StoryConfig) *Clusterer {
	c := &Clusterer{cfg: cfg.withDefaults()}
	c.st = clusterState{Version: 1, DF: map[string]float64{}, EDF: map[string]float64{}, Index: map[string]int{}}
	c.postings, c.entPostings = map[string][]int{}, map[string][]int{}
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

// docVectors are an article's unit vectors, each sorted by term so that
// every sum over them runs in one order whatever the map iteration order.
type docVectors struct {
	terms, ents, lead []weighted
}

// vectors returns the article's keyword, entity and lead vectors:
// IDF-weighted (with the corpus statistics as of this article) and of unit
// length.
func (c *Clusterer) vectors(doc *StoryDoc) docVectors {
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
	for t := range doc.Lead {
		if _, ok := tf[t]; !ok {
			c.st.DF[t]++ // numbers, which only the lead keeps
		}
	}
	if d := c.delta; d != nil {
		d.add(tf, ents, doc.Lead, length)
	}
	avg := c.st.Length / c.st.Docs

	kw := make([]weighted, 0, len(tf))
	for t, n := range tf {
		sat := n * (bm25K1 + 1) / (n + bm25K1*(1-bm25B+bm25B*length/avg))
		kw = append(kw, weighted{t, sat * c.idf(c.st.DF[t])})
	}
	tv := sortedUnit(heaviest(kw, c.cfg.Keywords))
	ev := make([]weighted, 0, len(ents))
	for e, n := range ents {
		ev = append(ev, weighted{e, math.Log1p(float64(n)) * c.idf(c.st.EDF[e])})
	}
	lv := make([]weighted, 0, len(doc.Lead))
	for t, n := range doc.Lead {
		lv = append(lv, weighted{t, math.Log1p(n) * c.idf(c.st.DF[t])})
	}
	return docVectors{tv, sortedUnit(ev), sortedUnit(lv)}
}

// sortedUnit sorts v by term and scales it to unit length.
func sortedUnit(v []weighted) []weighted {
	slices.SortFunc(v, func(a, b weighted) int { return strings.Compare(a.term, b.term) })
	s := 0.0
	for _, x := range v {
		s += x.w * x.w
	}
	if n := math.Sqrt(s); n > 0 {
		for i := range v {
			v[i].w /= n
		}
	}
	return v
}

func norm(v map[string]float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}

// cosine returns the cosine of a unit vector q and a centroid of norm n.
func cosine(q []weighted, centroid map[string]float64, n float64) float64 {
	if n == 0 || len(centroid) == 0 {
		return 0
	}
	dot := 0.0
	for _, x := range q {
		dot += x.w * centroid[x.term]
	}
	return dot / n
}

// Candidate generation bounds the work per article as stories accumulate:
// a term or entity carried by more than maxPostings stories says little
// about which one an article belongs to and is not followed, and only the
// maxCandidates stories sharing the most weight with the article are scored.
const (
	maxPostings   = 500
	maxCandidates = 12
)

// candidates returns the stories that share a keyword or an entity with
// the article, the most promising first, at most maxCandidates of them.
func (c *Clusterer) candidates(v docVectors) []int {
	// The accumulator is a slice indexed by story, reused across calls
	// (callers hold c.mu), with the list of stories it touched: a map
	// per article cost more than the scoring.
	if len(c.acc) < len(c.st.Stories) {
		c.acc = make([]float64, len(c.st.Stories)+len(c.st.Stories)/4)
	}
	acc, hit := c.acc, c.hit[:0]
	add := func(post []int, w float64) {
		if len(post) > maxPostings || w <= 0 {
			return
		}
		for _, i := range post {
			if acc[i] == 0 {
				hit = append(hit, i)
			}
			acc[i] += w
		}
	}
	for _, x := range v.terms {
		add(c.postings[x.term], x.w)
	}
	for _, x := range v.ents {
		add(c.entPostings[x.term], x.w)
	}
	// Keep the top maxCandidates in a small sorted slice: a full sort of
	// every story sharing a common word would cost more than scoring.
	better := func(a, b int) bool {
		return acc[a] > acc[b] || acc[a] == acc[b] && a < b
	}
	out := make([]int, 0, min(len(hit), maxCandidates))
	for _, i := range hit {
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
	for _, i := range hit {
		acc[i] = 0
	}
	c.hit = hit
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
	v := c.vectors(&doc)

	best, bestScore := -1, 0.0
	for _, i := range c.candidates(v) {
		s := c.st.Stories[i]
		if !c.open(s, doc.Published) {
			continue
		}
		score, text := c.similarity(v, s)
		// Shared names alone (a town, a country) do not make one event:
		// the words must match too.
		if text < minTextCos {
			continue
		}
		score *= c.timeFactor(s, doc.Published)
		if score < c.threshold(s) {
			continue
		}
		if score > bestScore || (score == bestScore && best >= 0 && s.ID < c.st.Stories[best].ID) {
			best, bestScore = i, score
		}
	}
	a := Assignment{ID: doc.ID}
	var s *Story
	if best >= 0 {
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
	c.extend(best, s, &doc, v, a.Score)
	return a
}

// similarity scores an article's vectors against a story's centroids. It
// also returns text, the sum of the keyword and lead cosines alone (see
// minTextCos), so that each cosine is computed once.
func (c *Clusterer) similarity(v docVectors, s *Story) (score, text float64) {
	lw, ew := max(c.cfg.LeadWeight, 0), max(c.cfg.EntityWeight, 0)
	ct := cosine(v.terms, s.Terms, s.termNorm)
	cl := cosine(v.lead, s.Lead, s.leadNorm)
	return (1-ew-lw)*ct + ew*cosine(v.ents, s.Entities, s.entNorm) + lw*cl, ct + cl
}

// threshold is the least score for an article to join s.
func (c *Clusterer) threshold(s *Story) float64 {
	t := c.cfg.Threshold
	if c.cfg.Spread > 0 && s.Joins > 0 {
		// The mean is shrunk towards a typical join score by a few virtual
		// joins, so that one near-copy joining at 0.8 does not close a
		// two-article story to the rest of its coverage.
		t = max(t, c.cfg.Spread*(s.ScoreSum+priorJoins*priorJoinScore)/(float64(s.Joins)+priorJoins))
	}
	return t
}

// timeFactor fades a story's score for an article dated outside its span.
func (c *Clusterer) timeFactor(s *Story, t time.Time) float64 {
	if c.cfg.TimeScale < 0 || t.IsZero() || s.First.IsZero() {
		return 1
	}
	gap := daysOutside(s, t)
	if gap == 0 {
		return 1
	}
	floor := max(c.cfg.TimeFloor, 0)
	return floor + (1-floor)*math.Exp(-gap*float64(24*time.Hour)/float64(c.cfg.TimeScale))
}

// daysOutside is how many days t lies outside the span of s, after a day's
// grace (outlets date one event a day apart).
func daysOutside(s *Story, t time.Time) float64 {
	var gap time.Duration
	switch {
	case t.After(s.Last):
		gap = t.Sub(s.Last)
	case t.Before(s.First):
		gap = s.First.Sub(t)
	}
	gap -= 24 * time.Hour
	if gap <= 0 {
		return 0
	}
	return gap.Hours() / 24
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
	c.extend(i, c.st.Stories[i], &doc, docVectors{}, 0)
	return Assignment{ID: doc.ID, Story: story}, nil
}

// extend adds an article's vectors and metadata to story i.
// A joining article's score (0 for a founder or a copy) adds to the story's
// cohesion.
func (c *Clusterer) extend(i int, s *Story, doc *StoryDoc, v docVectors, score float64) {
	if c.touched == nil {
		c.touched = map[string]bool{}
	}
	c.touched[s.ID] = true
	if score > 0 {
		s.ScoreSum += score
		s.Joins++
	}
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
	for _, x := range v.terms {
		if _, ok := s.Terms[x.term]; !ok {
			c.postings[x.term] = append(c.postings[x.term], i)
		}
		s.Terms[x.term] += x.w
	}
	for _, x := range v.ents {
		if _, ok := s.Entities[x.term]; !ok {
			c.entPostings[x.term] = append(c.entPostings[x.term], i)
		}
		s.Entities[x.term] += x.w
	}
	if len(v.lead) > 0 && s.Lead == nil {
		s.Lead = map[string]float64{}
	}
	for _, x := range v.lead {
		s.Lead[x.term] += x.w
	}
	prune(s.Terms, c.cfg.CentroidTerms)
	prune(s.Entities, c.cfg.CentroidTerms)
	prune(s.Lead, c.cfg.CentroidTerms)
	s.termNorm, s.entNorm, s.leadNorm = norm(s.Terms), norm(s.Entities), norm(s.Lead)
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
	all := entries(v)
	quickselect(all, n)
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
	c.postings, c.entPostings = map[string][]int{}, map[string][]int{}
	for i, s := range c.st.Stories {
		c.st.Index[s.ID] = i
		s.termNorm, s.entNorm, s.leadNorm = norm(s.Terms), norm(s.Entities), norm(s.Lead)
		for t := range s.Terms {
			c.postings[t] = append(c.postings[t], i)
		}
		for e := range s.Entities {
			c.entPostings[e] = append(c.entPostings[e], i)
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
	if err := st.check(); err != nil {
		return err
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
// decoded with Story.UnmarshalBinary. The clusterer takes the stories over:
// it keeps pointers into the slice and updates their maps in place.
func NewClustererFrom(cfg StoryConfig, stats []byte, stories []Story) (*Clusterer, error) {
	state := clusterState{Version: 1}
	if stats != nil {
		if err := json.Unmarshal(stats, &state); err != nil {
			return nil, fmt.Errorf("dedup: story stats: %w: %w", ErrCorrupt, err)
		}
	}
	for i := range stories {
		state.Stories = append(state.Stories, &stories[i])
	}
	if err := state.check(); err != nil {
		return nil, err
	}
	c := NewClusterer(cfg)
	c.st = state
	c.reindex()
	return c, nil
}

// Merged reports a story merged into another by Merge: its articles now
// belong to Into.
type Merged struct {
	From string `json:"from"`
	Into string `json:"into"`
}

// Merge is the periodic repair pass of the single-pass clusterer: an event
// whose first articles used different words can start two stories that
// later coverage shows to be one. It joins every pair of stories whose
// centroids are at least MergeThreshold similar (time-faded as for an
// article), most similar first, into the older story, and returns what it
// merged so that the caller can relabel stored articles. Only pairs with a
// story changed since the last Merge (or since the clusterer was built) are
// considered, so calling it after every batch costs little. Merges are
// decided on the state alone, so they are deterministic.
func (c *Clusterer) Merge() []Merged {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cfg.MergeThreshold < 0 {
		return nil
	}
	type pair struct {
		a, b int // a < b: a is the older story
		sim  float64
	}
	var pairs []pair
	seen := map[[2]int]bool{}
	for i, s := range c.st.Stories {
		// Two one-article stories were compared when the second arrived;
		// a pair can have grown together only if one of them grew, so the
		// grown, touched stories drive the search.
		if !c.touched[s.ID] || s.Articles < 2 {
			continue
		}
		v := docVectors{top(s.Terms, c.cfg.Keywords), top(s.Entities, c.cfg.Keywords), top(s.Lead, c.cfg.Keywords)}
		for _, j := range c.candidates(v) {
			a, b := min(i, j), max(i, j)
			if a == b || seen[[2]int{a, b}] {
				continue
			}
			seen[[2]int{a, b}] = true
			if sim := c.mergeScore(c.st.Stories[a], c.st.Stories[b]); sim >= c.cfg.MergeThreshold {
				pairs = append(pairs, pair{a, b, sim})
			}
		}
	}
	clear(c.touched)
	if len(pairs) == 0 {
		return nil
	}
	slices.SortFunc(pairs, func(x, y pair) int {
		if c := cmp.Compare(y.sim, x.sim); c != 0 {
			return c
		}
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	})
	root := make([]int, len(c.st.Stories))
	for i := range root {
		root[i] = i
	}
	find := func(i int) int {
		for root[i] != i {
			root[i] = root[root[i]]
			i = root[i]
		}
		return i
	}
	var out []Merged
	for _, p := range pairs {
		a, b := find(p.a), find(p.b)
		if a == b {
			continue
		}
		if b < a {
			a, b = b, a
		}
		// Re-check against the merged centroids: a chain of merges must not
		// join two stories that are not similar themselves.
		sa, sb := c.st.Stories[a], c.st.Stories[b]
		if c.mergeScore(sa, sb) < c.cfg.MergeThreshold {
			continue
		}
		c.absorb(sa, sb)
		root[b] = a
		out = append(out, Merged{From: sb.ID, Into: sa.ID})
	}
	if len(out) == 0 {
		return nil
	}
	for _, m := range out {
		c.touched[m.Into] = true // it grew: the next Merge looks at it again
	}
	kept := c.st.Stories[:0]
	for i, s := range c.st.Stories {
		if find(i) == i {
			kept = append(kept, s)
		}
	}
	clear(c.st.Stories[len(kept):])
	c.st.Stories = kept
	c.reindex()
	// A story merged into one that was itself merged later reports the
	// final story.
	final := map[string]string{}
	for _, m := range out {
		final[m.From] = m.Into
	}
	for i := range out {
		into := out[i].Into
		for final[into] != "" {
			into = final[into]
		}
		out[i].Into = into
	}
	return out
}

// mergeScore scores story b against a as an article would be: b's unit
// centroids stand for the article, dated at b's end nearest to a.
func (c *Clusterer) mergeScore(a, b *Story) float64 {
	v := docVectors{unit(b.Terms), unit(b.Entities), unit(b.Lead)}
	t := b.First
	if b.Last.Before(a.First) {
		t = b.Last
	}
	score, _ := c.similarity(v, a)
	return score * c.timeFactor(a, t)
}

// absorb adds story b's articles and centroids to a.
func (c *Clusterer) absorb(a, b *Story) {
	a.Articles += b.Articles
	for o, n := range b.Outlets {
		if a.Outlets == nil {
			a.Outlets = map[string]int{}
		}
		a.Outlets[o] += n
	}
	if !b.First.IsZero() && (a.First.IsZero() || b.First.Before(a.First)) {
		a.First = b.First
	}
	if b.Last.After(a.Last) {
		a.Last = b.Last
	}
	for t, x := range b.Terms {
		a.Terms[t] += x
	}
	for e, x := range b.Entities {
		a.Entities[e] += x
	}
	if len(b.Lead) > 0 && a.Lead == nil {
		a.Lead = map[string]float64{}
	}
	for t, x := range b.Lead {
		a.Lead[t] += x
	}
	prune(a.Terms, c.cfg.CentroidTerms)
	prune(a.Entities, c.cfg.CentroidTerms)
	prune(a.Lead, c.cfg.CentroidTerms)
	a.Merged = append(append(a.Merged, b.ID), b.Merged...)
	a.ScoreSum += b.ScoreSum
	a.Joins += b.Joins
	a.termNorm, a.entNorm, a.leadNorm = norm(a.Terms), norm(a.Entities), norm(a.Lead)
}

// top returns the n heaviest entries of v, scaled to unit length.
func top(v map[string]float64, n int) []weighted {
	return sortedUnit(heaviest(entries(v), n))
}

// entries returns the entries of v, in no particular order.
func entries(v map[string]float64) []weighted {
	out := make([]weighted, 0, len(v))
	for t, x := range v {
		out = append(out, weighted{t, x})
	}
	return out
}

// heaviest returns the n heaviest of ws (all of them when there are no
// more), in no particular order; it reorders ws. Its callers sort the
// result by term: a full sort of every term of a long article, or a sort by
// weight first, cost more than the rest of Add.
func heaviest(ws []weighted, n int) []weighted {
	if len(ws) > n {
		quickselect(ws, n)
		ws = ws[:n]
	}
	return ws
}

// quickselect reorders ws so that its first n entries are the n heaviest
// (byWeight), in no particular order.
func quickselect(ws []weighted, n int) {
	lo, hi := 0, len(ws)-1
	for lo < hi {
		// Median of three as the pivot, for sorted and reversed input.
		mid := lo + (hi-lo)/2
		if byWeight(ws[mid], ws[lo]) < 0 {
			ws[mid], ws[lo] = ws[lo], ws[mid]
		}
		if byWeight(ws[hi], ws[lo]) < 0 {
			ws[hi], ws[lo] = ws[lo], ws[hi]
		}
		if byWeight(ws[hi], ws[mid]) < 0 {
			ws[hi], ws[mid] = ws[mid], ws[hi]
		}
		pivot := ws[mid]
		i, j := lo, hi
		for i <= j {
			for byWeight(ws[i], pivot) < 0 {
				i++
			}
			for byWeight(pivot, ws[j]) < 0 {
				j--
			}
			if i <= j {
				ws[i], ws[j] = ws[j], ws[i]
				i++
				j--
			}
		}
		switch {
		case n-1 <= j:
			hi = j
		case n-1 >= i:
			lo = i
		default:
			return
		}
	}
}

// unit returns v as a vector of unit length, sorted by term.
func unit(v map[string]float64) []weighted {
	return sortedUnit(entries(v))
}

// The cohesion prior: priorJoins virtual joins at priorJoinScore, about the
// median score at which articles join their true story in stories-dev.
const (
	priorJoins     = 3
	priorJoinScore = 0.2
)

// minTextCos is the least sum of the keyword and lead cosines for an
// article to join a story, whatever its entities: an article in another
// language that names the same town is not the same event. No article of
// the story sets joins its true story below 0.15.
const minTextCos = 0.1
