// Package dedup recognises copies of one article (near-duplicates) and groups
// different articles about one event into stories, incrementally.
//
// # Copies
//
// A Shingler folds an article's text (case, quote characters, white space,
// as article.NormalizeText does), splits it into paragraphs and words, and
// hashes each run of DefaultShingleWords words once (FNV-1a words combined
// by a multiply-xorshift mix). Shingles stay inside a paragraph, so swapped
// paragraphs change nothing; a paragraph at least half of whose shingles
// were already seen (a doubled paragraph, even lightly edited) is dropped;
// short paragraphs (headers, bylines, "Read more" lines) are dropped when
// the long ones hold enough text. The result is the set of shingles of the
// repaired text: doubled paragraphs and boilerplate lines do not change it.
//
// Sign computes a MinHash Signature of NumHashes rows from that set, with
// permutations fixed by Seed (so signatures are reproducible and can be
// persisted), and Signature.Bands cuts it into NumBands LSH band keys of
// BandRows rows. Two articles of Jaccard similarity J share a band key with
// probability 1-(1-J^2)^32: 0.95 at J=0.3, 0.73 at J=0.2, 0.08 at J=0.05,
// 0.003 at J=0.01. DESIGN.md derives the choice.
//
// A Detector adds articles one at a time. Candidates come from a BandIndex
// (MemIndex in memory; a store adapts its band table) and are verified
// exactly on their Fingerprint (the sorted shingle set), fetched through the
// Catalog interface: two texts are copies when the share of the smaller
// one's shingles found in the larger (containment) is at least
// DefaultMinContainment and their Jaccard similarity at least
// DefaultMinJaccard, so a truncated excerpt still matches its full article
// while a short article quoted inside a long round-up does not. Groups are a
// union-find forest (Group.Parent) guarded against chaining: an article
// joins a group only if it verifies against the group's representative
// (the fullest copy) and, at the copy-to-copy bar (the thresholds squared),
// against its founder (the first copy, which names the group); two groups
// merge only when their anchors verify pairwise.
//
// # Stories
//
// A Clusterer assigns each article to the best open story it scores at
// least a threshold against, or starts one. The score weighs three cosines
// against the story's centroids: the article's top DefaultKeywords BM25
// terms (title words counted DefaultTitleBoost times, IDF from the corpus
// seen so far, smoothed by DefaultPriorDocs empty virtual documents), its
// entities (article.Entities when present, otherwise capitalized name
// sequences), and its lead (the headline and first DefaultLeadWords words,
// numbers kept), which names the event rather than its topic. When both are
// dated (publication date, else the URL's date: DateFromURL), the score fades
// with the days the article lies outside the story's span; beyond
// DefaultStoryWindow it cannot join. The threshold adapts to the story: it
// is the larger of DefaultStoryThreshold and DefaultSpread times the mean
// score at which the story's articles joined, so a tight story does not
// swallow its follow-ups. Merge joins stories that later coverage shows to
// be one event. The clusterer's state, and each Story, marshal to bytes for
// the store.
//
// # Scoring
//
// BenchSyndication and BenchStories score the development sets in
// ../shared/bench/dedup (pair precision, recall and F1; BCubed); run
//
//	go test ./dedup -run 'TestDev' -v
package dedup
