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
// A Clusterer assigns each article to the best open story scoring at least
// DefaultStoryThreshold, or starts one. The score is 0.7 times the cosine of
// the article's top DefaultKeywords BM25 terms (title words counted
// DefaultTitleBoost times, IDF from the corpus seen so far, smoothed by
// DefaultPriorDocs empty virtual documents) with the story centroid, plus 0.3
// times the cosine of their entities (article.Entities when present,
// otherwise capitalized name sequences). A story is open to an article
// published within DefaultStoryWindow of the story's dates. The clusterer's
// state, and each Story, marshal to bytes for the store.
//
// # Scoring
//
// BenchSyndication and BenchStories score the development sets in
// ../shared/bench/dedup (pair precision, recall and F1; BCubed); run
//
//	go test ./dedup -run 'TestDev' -v
package dedup
