// Package store keeps articles durably: the clean record with its indexed
// fields, every earlier version of it, the raw input it was built from
// (compressed and content-addressed, so one input shared by many articles is
// stored once), a full-text index for search, and the incremental state of the
// dedup and story stages.
//
// Store is the interface; implementations register an opener with Register
// and are chosen by Open from the data source name. The embedded SQLite
// implementation lives in internal/store/sqlite and handles plain file paths;
// a PostgreSQL implementation can register "postgres://" names behind the
// same interface.
//
// The default database is $XDG_DATA_HOME/newsdesk/newsdesk.db (falling back to
// ~/.local/share/newsdesk/newsdesk.db); --db PATH or NEWSDESK_DB override it.
package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/article"
)

// Errors returned by stores; they are wrapped with the input name, so test
// with errors.Is.
var (
	// ErrNotFound is returned when no article (or raw input) has the asked id.
	ErrNotFound = errors.New("store: not found")
	// ErrAmbiguous is returned when an id prefix matches more than one article.
	ErrAmbiguous = errors.New("store: ambiguous id prefix")
	// ErrQuerySyntax is returned for a search query the full-text engine cannot parse.
	ErrQuerySyntax = errors.New("store: search query syntax error")
	// ErrNoArticle is returned by Put for an entry without an article or id.
	ErrNoArticle = errors.New("store: entry has no article id")
	// ErrReadOnly is returned by every write to a store opened read-only
	// (a database this process cannot write, such as one in a read-only
	// folder).
	ErrReadOnly = errors.New("store: database is read-only")
)

// PrefixError is returned (wrapped) for an id prefix that names no single
// article: it matches several, or it is shorter than the store resolves.
// It matches ErrAmbiguous with errors.Is.
type PrefixError struct {
	Prefix   string
	TooShort bool // shorter than MinLen characters
	MinLen   int  // the shortest prefix resolved
	// Matches counts the articles whose id starts with Prefix;
	// Candidates holds the first of their ids, in order.
	Matches    int
	Candidates []string
}

func (e *PrefixError) Error() string {
	what := fmt.Sprintf("ambiguous id prefix %q", e.Prefix)
	if e.TooShort {
		what = fmt.Sprintf("id prefix %q is too short (%d characters at least)", e.Prefix, e.MinLen)
	}
	more := ""
	if e.Matches > len(e.Candidates) {
		more = ", …"
	}
	return fmt.Sprintf("store: %s: it matches %d articles: %s%s", what, e.Matches, strings.Join(e.Candidates, ", "), more)
}

// Is makes errors.Is(err, ErrAmbiguous) true for a *PrefixError.
func (e *PrefixError) Is(target error) bool { return target == ErrAmbiguous }

// Result says what a Put did with one entry.
type Result int

// Put results.
const (
	// Ingested: the article id was new; version 1 was stored.
	Ingested Result = iota + 1
	// Unchanged: the article was already stored with identical content.
	Unchanged
	// Updated: the content differed from the stored one; a new version was
	// stored and the earlier ones kept.
	Updated
)

func (r Result) String() string {
	switch r {
	case Ingested:
		return "ingested"
	case Unchanged:
		return "unchanged"
	case Updated:
		return "updated"
	}
	return fmt.Sprintf("Result(%d)", int(r))
}

// Entry is one article to store with the raw bytes it was built from. Raw may
// be nil when the input is not available (the article is then stored without
// one and cannot be reprocessed).
type Entry struct {
	Article *article.Article
	Raw     []byte
	// ContentType is the HTTP Content-Type the raw input came with, kept
	// so that reprocessing decodes it the same way.
	ContentType string
}

// Batch is what PutBatch writes in one transaction: articles and the stage
// state that describes them, so that neither is ever stored without the
// other (a crash loses both or neither).
type Batch struct {
	Entries []Entry
	// Bands replace the LSH band keys of articles (those of Entries, as a
	// rule).
	Bands []Bands
	// Relabels rename dup groups once Entries are written, in order: each
	// article whose dup group is From, stored earlier or in this batch,
	// gets To, and so does article From when it has no group (an article
	// without one is a group of its own).
	Relabels []Relabel
	// Stories are inserted or replaced.
	Stories []StoryState
	// StoryMerges move stories into others once Stories are written, in
	// order: each article whose story is From gets To, and story From is
	// deleted (To's new state is among Stories).
	StoryMerges []Relabel
	// State blobs are saved as PutState saves them.
	State []NamedState
}

// Empty reports whether b writes nothing.
func (b *Batch) Empty() bool {
	return len(b.Entries) == 0 && len(b.Bands) == 0 && len(b.Relabels) == 0 && len(b.Stories) == 0 &&
		len(b.StoryMerges) == 0 && len(b.State) == 0
}

// Bands are the LSH band keys of one article.
type Bands struct {
	ArticleID string
	Keys      []uint64
}

// Relabel renames a dup group or a story (one merged into another).
type Relabel struct {
	From, To string
}

// NamedState is a named blob of stage state (see Store.PutState).
type NamedState struct {
	Name  string
	Value []byte
}

// Origin is what an article was built from: its raw input, by sha256 (""
// when none was stored), and the Content-Type it came with.
type Origin struct {
	RawSHA256   string
	ContentType string
}

// Version describes one stored version of an article.
type Version struct {
	Version int `json:"version"`
	// ContentHash is the sha256 of the stored record with input.name
	// empty (before, of the whole record): where an input was read from
	// is not content.
	ContentHash string    `json:"content_hash"`
	RawSHA256   string    `json:"raw_sha256,omitempty"`
	Stored      time.Time `json:"stored"`
	Fetched     time.Time `json:"fetched,omitzero"`
}

// Filter selects articles for search, export and reprocessing. Zero fields
// do not filter.
type Filter struct {
	Source string    // source name or domain, case-insensitive
	Since  time.Time // published at or after
	Until  time.Time // published before
	Lang   string    // language code, e.g. "en"
	Limit  int       // 0 means no limit (search applies its own default)
}

// Query is a full-text search.
type Query struct {
	// Text is a query in newsdesk's own language (internal/query): words
	// (all must match), "phrases", OR, AND, NOT and -word, (groups),
	// prefix*, and the fields title:, body:, author:, source:, lang:. A
	// store parses it with query.Parse and compiles the tree to its own
	// syntax; a query that does not parse is an error matching
	// ErrQuerySyntax.
	Text string
	Filter
	// Mark surrounds each matched term in the snippet; zero means "**".
	MarkStart, MarkEnd string
	// AllCopies lists every copy of a syndicated article; by default the
	// copies in one dup group collapse into their best-ranked hit.
	AllCopies bool
	// RankAll ranks every match by BM25. By default a query matching more
	// than a few hundred articles ranks only the most recently stored of
	// them, which keeps broad queries fast.
	RankAll bool
}

// DefaultSearchLimit is the number of hits a search returns when Limit is 0.
const DefaultSearchLimit = 20

// Hit is one search result, best first.
type Hit struct {
	ID        string         `json:"id"`
	Title     string         `json:"title"`
	URL       string         `json:"url,omitempty"`
	Source    article.Source `json:"source"`
	Published time.Time      `json:"published,omitzero"`
	Language  string         `json:"language,omitempty"`
	Snippet   string         `json:"snippet"`
	// Score is the BM25 relevance, higher is better.
	Score float64 `json:"score"`
	// DupGroup is the article's duplicate group, when it has copies.
	DupGroup string `json:"dup_group,omitempty"`
	// Copies counts the other articles of DupGroup folded into this hit.
	Copies int `json:"copies,omitempty"`
}

// Count is a value and how many articles have it.
type Count struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Stats summarizes a store.
type Stats struct {
	Articles    int       `json:"articles"`
	Versions    int       `json:"versions"`
	RawInputs   int       `json:"raw_inputs"`
	RawBytes    int64     `json:"raw_bytes"`  // uncompressed
	RawStored   int64     `json:"raw_stored"` // compressed, as stored
	Words       int64     `json:"words"`      // total word count
	DupGroups   int       `json:"dup_groups"` // groups with two or more members
	Duplicates  int       `json:"duplicates"` // articles in such groups beyond the first
	Stories     int       `json:"stories"`    // story states stored
	Oldest      time.Time `json:"oldest,omitzero"`
	Newest      time.Time `json:"newest,omitzero"`
	Sources     []Count   `json:"sources"`    // top sources by article count
	Languages   []Count   `json:"languages"`  // by article count
	SizeBytes   int64     `json:"size_bytes"` // on-disk size, 0 when unknown
	SchemaVer   int       `json:"schema_version"`
	Location    string    `json:"location"`
	LastUpdated time.Time `json:"last_updated,omitzero"`
}

// StoryState is the incremental state of one story cluster, owned by the
// dedup stage. State is opaque to the store (e.g. an encoded centroid).
type StoryState struct {
	ID       string
	Headline string
	First    time.Time
	Last     time.Time
	Count    int
	Outlets  []string
	State    []byte
}

// DupGroup is a set of articles judged to be copies of one another.
type DupGroup struct {
	ID      string   `json:"id"`
	Members []string `json:"members"` // article ids, sorted
}

// Store is a durable article store. Implementations are safe for concurrent
// use; writes from one process are serialized, and readers see committed
// data while a writer works.
type Store interface {
	// Put stores a batch of entries in one transaction and returns one result
	// per entry. Either all of the batch is committed or none of it.
	Put(ctx context.Context, entries []Entry) ([]Result, error)
	// PutBatch stores a batch of entries with the stage state that goes
	// with them, all in one transaction, and returns one result per entry.
	// Put(ctx, entries) is PutBatch(ctx, Batch{Entries: entries}).
	PutBatch(ctx context.Context, b Batch) ([]Result, error)
	// Get returns the current version of the article with this id. An
	// unambiguous id prefix of at least 6 characters is accepted.
	Get(ctx context.Context, id string) (*article.Article, error)
	// Versions lists the stored versions of an article, oldest first.
	Versions(ctx context.Context, id string) ([]Version, error)
	// GetVersion returns one version of an article.
	GetVersion(ctx context.Context, id string, version int) (*article.Article, error)
	// Raw returns the raw input with this sha256 (hex).
	Raw(ctx context.Context, sha256 string) ([]byte, error)
	// Search runs a full-text query ranked by BM25.
	Search(ctx context.Context, q Query) ([]Hit, error)
	// Each calls fn for the current version of each article matching f, in
	// publication order (undated last, then by id), with the origin of that
	// version. Returning an error from fn stops the walk.
	Each(ctx context.Context, f Filter, fn func(a *article.Article, o Origin) error) error
	// Stats summarizes the store.
	Stats(ctx context.Context) (Stats, error)

	// PutBands replaces the LSH band keys of an article. An implementation
	// may hold them until the next Put (they are written with the article)
	// or Close; BandCandidates sees them at once. Ingest writes bands with
	// their articles through PutBatch instead.
	PutBands(ctx context.Context, articleID string, bands []uint64) error
	// BandCandidates returns the distinct ids of articles sharing any of bands.
	BandCandidates(ctx context.Context, bands []uint64) ([]string, error)
	// SetDupGroup records the duplicate group of an article ("" clears it).
	SetDupGroup(ctx context.Context, id, group string) error
	// SetStory records the story an article belongs to ("" clears it).
	SetStory(ctx context.Context, id, story string) error
	// PutStories inserts or replaces story states, all or none.
	PutStories(ctx context.Context, stories []StoryState) error
	// Stories returns the stories last seen at or after since, most recent first.
	Stories(ctx context.Context, since time.Time) ([]StoryState, error)
	// PutState saves a named blob of stage state (the story clusterer's
	// corpus statistics, say), replacing any earlier value.
	PutState(ctx context.Context, name string, value []byte) error
	// State returns a blob saved with PutState, or an error wrapping
	// ErrNotFound.
	State(ctx context.Context, name string) ([]byte, error)
	// DupGroups lists duplicate groups that have two or more members.
	DupGroups(ctx context.Context) ([]DupGroup, error)

	// Check verifies the store: the database's own integrity, the
	// full-text index against the articles, every raw input and record
	// against its hash, and the references between tables. What is wrong
	// is in the report; the error is for a check that could not run.
	Check(ctx context.Context) (CheckReport, error)

	// Close releases the store.
	Close() error
}

// CheckReport is what Store.Check found.
type CheckReport struct {
	Problems []Problem `json:"problems"`
	// What was checked: rows read and verified.
	Articles  int `json:"articles"`
	Versions  int `json:"versions"`
	RawInputs int `json:"raw_inputs"`
	// Skipped names checks that could not run (on a read-only database,
	// say) and why.
	Skipped []string `json:"skipped,omitempty"`
}

// OK reports whether the check found nothing wrong.
func (r *CheckReport) OK() bool { return len(r.Problems) == 0 }

// Problem is one thing found wrong: Area is "integrity", "index", "raw",
// "record" or "reference".
type Problem struct {
	Area   string `json:"area"`
	Detail string `json:"detail"`
}

// IsReadOnly reports whether st was opened read-only (a database this
// process cannot write): its writes fail with ErrReadOnly, so a writing
// command can say so once, before it starts.
func IsReadOnly(st Store) bool {
	ro, ok := st.(interface{ ReadOnly() bool })
	return ok && ro.ReadOnly()
}

// Opener opens a store for a data source name.
type Opener func(ctx context.Context, dsn string) (Store, error)

var (
	mu      sync.Mutex
	openers = map[string]Opener{}
)

// Register makes an implementation available to Open under scheme ("" for
// plain file paths). It panics on a duplicate, a programming error.
func Register(scheme string, open Opener) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := openers[scheme]; dup {
		panic("store: duplicate scheme " + scheme)
	}
	openers[scheme] = open
}

// Open opens the store named by dsn: "scheme://..." selects a registered
// implementation by scheme, "sqlite:PATH" or a plain path the embedded one.
func Open(ctx context.Context, dsn string) (Store, error) {
	scheme := ""
	if i := strings.Index(dsn, "://"); i > 0 && !strings.ContainsAny(dsn[:i], `/\`) {
		scheme = dsn[:i]
	} else if rest, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		dsn = rest
	}
	mu.Lock()
	open, ok := openers[scheme]
	mu.Unlock()
	if !ok {
		names := make([]string, 0, len(openers))
		for k := range openers {
			names = append(names, k)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("store: %s: no implementation for scheme %q (have %q)", dsn, scheme, names)
	}
	return open(ctx, dsn)
}

// DefaultPath returns the default database path:
// $XDG_DATA_HOME/newsdesk/newsdesk.db, else ~/.local/share/newsdesk/newsdesk.db.
// getenv looks up environment variables (os.Getenv when nil).
func DefaultPath(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	dir := getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home := getenv("HOME")
		if home == "" {
			if h, err := os.UserHomeDir(); err == nil {
				home = h
			}
		}
		if home == "" {
			home = "."
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "newsdesk", "newsdesk.db")
}
