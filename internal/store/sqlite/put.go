package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Write statements, prepared once at Open (see writeQueries).
const (
	qFindArticle   = `SELECT pk, content_hash, version, dup_group, story FROM articles WHERE id = ?`
	qHaveRaw       = `SELECT 1 FROM raw_inputs WHERE sha256 = ?`
	qSetDupGroup   = `UPDATE articles SET dup_group = ? WHERE id = ?`
	qSetStory      = `UPDATE articles SET story = ? WHERE id = ?`
	qInsertRaw     = `INSERT INTO raw_inputs(sha256, size, codec, data) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`
	qInsertArticle = `INSERT INTO articles(id, url, canonical_url, source_name, source_domain, title, published,
			language, word_count, dup_group, story, content_hash, raw_sha256, version, created, updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING pk`
	qUpdateArticle = `UPDATE articles SET url = ?, canonical_url = ?, source_name = ?, source_domain = ?,
			title = ?, published = ?, language = ?, word_count = ?, dup_group = COALESCE(?, dup_group), story = COALESCE(?, story),
			content_hash = ?, raw_sha256 = ?, version = ?, updated = ? WHERE pk = ?`
	qInsertVersion = `INSERT INTO article_versions(article_pk, version, content_hash, raw_sha256, content_type, fetched, stored, codec, record)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qBandsDelete = `DELETE FROM bands WHERE article_id = ?`
	qBandsInsert = `INSERT INTO bands(band, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING`
	qRelabel     = `UPDATE articles SET dup_group = ? WHERE dup_group = ? OR (id = ? AND dup_group IS NULL)`
	qStoryMerge  = `UPDATE articles SET story = ? WHERE story = ?`
	qStoryDelete = `DELETE FROM stories WHERE id = ?`
	qPutStory    = `INSERT INTO stories(id, headline, first_seen, last_seen, count, outlets, state)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET headline = excluded.headline, first_seen = excluded.first_seen,
			last_seen = excluded.last_seen, count = excluded.count, outlets = excluded.outlets, state = excluded.state`
	qPutState = `INSERT INTO state (name, value, updated) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated = excluded.updated`
)

var writeQueries = []string{qFindArticle, qHaveRaw, qSetDupGroup, qSetStory, qInsertRaw, qInsertArticle, qUpdateArticle,
	qInsertVersion, qBandsDelete, qBandsInsert, qFTSDelete, qRelabel, qStoryMerge, qStoryDelete, qPutStory, qPutState}

// entry is one Put entry on its way into the database.
type entry struct {
	a           *article.Article
	parts       recordParts // the record, see record.go
	record      []byte      // the record when small (under streamMin), else nil
	hash        string      // the content hash (record.go)
	raw         []byte
	rawSHA      string
	contentType string
	fetched     sql.NullInt64

	result   store.Result
	version  int
	storeRaw bool

	rec, rawZ          []byte
	recCodec, rawCodec string
	dupGroup, story    string // annotations to apply to an unchanged article
	setDup, setStory   bool
}

// parallel runs fn(i) for i in [0, n) on up to GOMAXPROCS goroutines.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}

type known struct {
	pk              int64
	hash            string
	version         int
	dupGroup, story string
	// stored: hash was read from the database, and may be a legacy hash
	// (record.go's legacyHash).
	stored bool
}

// Put implements store.Store.
func (s *Store) Put(ctx context.Context, entries []store.Entry) ([]store.Result, error) {
	return s.PutBatch(ctx, store.Batch{Entries: entries})
}

// PutBatch implements store.Store: the entries are written first, then the
// band keys, the dup group relabels (which so reach articles of this batch
// too), the stories and the state blobs, and all commit together.
func (s *Store) PutBatch(ctx context.Context, b store.Batch) ([]store.Result, error) {
	if s.readOnly {
		return nil, s.errReadOnly()
	}
	entries := b.Entries
	es := make([]entry, len(entries))
	errs := make([]error, len(entries))
	parallel(len(entries), func(i int) {
		in := entries[i]
		if in.Article == nil || in.Article.ID == "" {
			errs[i] = store.ErrNoArticle
			return
		}
		parts, err := splitRecord(in.Article)
		if err != nil {
			errs[i] = err
			return
		}
		e := &es[i]
		e.a, e.parts, e.contentType = in.Article, parts, in.ContentType
		if parts.size < streamMin {
			e.record = parts.bytes()
		}
		e.hash = parts.hash(e.record)
		if in.Raw != nil {
			e.raw, e.rawSHA = in.Raw, sha256Hex(in.Raw)
		}
		if !in.Article.Fetched.IsZero() {
			e.fetched = sql.NullInt64{Int64: in.Article.Fetched.UnixMilli(), Valid: true}
		}
	})
	for i, err := range errs {
		if err != nil {
			name := ""
			if a := entries[i].Article; a != nil {
				name = a.Input.Name
			}
			return nil, fmt.Errorf("sqlite: put %q: %w", name, err)
		}
	}

	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: begin: %w", s.path, err)
	}
	defer func() { _ = tx.Rollback() }()

	// Decide what each entry does, tracking entries earlier in the batch.
	seen := map[string]*known{}
	rawSeen := map[string]bool{}
	for i := range es {
		e := &es[i]
		k, ok := seen[e.a.ID]
		if !ok {
			k = &known{}
			var dup, story sql.NullString
			err := s.stmt(ctx, tx, qFindArticle).
				QueryRowContext(ctx, e.a.ID).Scan(&k.pk, &k.hash, &k.version, &dup, &story)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				k = nil
			case err != nil:
				return nil, fmt.Errorf("sqlite: put %s: %w", e.a.ID, err)
			default:
				k.dupGroup, k.story, k.stored = dup.String, story.String, true
				seen[e.a.ID] = k
			}
		}
		same := k != nil && k.hash == e.hash
		if k != nil && !same && k.stored {
			legacy, err := s.sameAsLegacy(ctx, tx, k, &e.parts)
			if err != nil {
				return nil, fmt.Errorf("sqlite: put %s: %w", e.a.ID, err)
			}
			same = legacy
		}
		switch {
		case k == nil:
			e.result, e.version = store.Ingested, 1
			seen[e.a.ID] = &known{hash: e.hash, version: 1, dupGroup: e.a.DupGroup, story: e.a.Story}
		case same:
			e.result = store.Unchanged
			if e.a.DupGroup != "" && e.a.DupGroup != k.dupGroup {
				e.setDup, e.dupGroup, k.dupGroup = true, e.a.DupGroup, e.a.DupGroup
			}
			if e.a.Story != "" && e.a.Story != k.story {
				e.setStory, e.story, k.story = true, e.a.Story, e.a.Story
			}
			continue
		default:
			e.result = store.Updated
			k.version++
			k.hash, k.stored = e.hash, false
			e.version = k.version
		}
		if e.raw != nil && !rawSeen[e.rawSHA] {
			var one int
			err := s.stmt(ctx, tx, qHaveRaw).QueryRowContext(ctx, e.rawSHA).Scan(&one)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				e.storeRaw = true
			case err != nil:
				return nil, fmt.Errorf("sqlite: put %s: raw: %w", e.a.ID, err)
			}
			rawSeen[e.rawSHA] = true
		}
	}

	// Compress what will be written, in parallel, while holding the lock:
	// there is only one writer anyway.
	cerrs := make([]error, len(es))
	parallel(len(es), func(i int) {
		e := &es[i]
		if e.result == store.Unchanged {
			e.record = nil
			return
		}
		if e.record != nil {
			e.rec, e.recCodec = compress(e.record)
		} else {
			e.rec, e.recCodec, cerrs[i] = e.parts.compressed()
		}
		e.record = nil
		if e.storeRaw {
			e.rawZ, e.rawCodec = compress(e.raw)
		}
	})
	if err := errors.Join(cerrs...); err != nil {
		return nil, fmt.Errorf("sqlite: put: %w", err)
	}

	now := time.Now().UnixMilli()
	var idx ftsBatch
	var nb newsroomBatch
	for i := range es {
		if err := s.write(ctx, tx, &es[i], seen[es[i].a.ID], now, &idx, &nb); err != nil {
			return nil, fmt.Errorf("sqlite: put %s (%s): %w", es[i].a.ID, es[i].a.Input.Name, err)
		}
	}
	// The index is written last, in few statements: FTS5 flushes its
	// pending terms at every statement savepoint, and many small flushes
	// cost more than the rest of the batch.
	if err := s.ftsApply(ctx, tx, &idx); err != nil {
		return nil, fmt.Errorf("sqlite: put: %w", err)
	}
	if err := s.applyNewsroom(ctx, tx, &nb); err != nil {
		return nil, fmt.Errorf("sqlite: put: %w", err)
	}
	pending := s.takePendingBands()
	defer s.doneBands()
	if err := s.writeBands(ctx, tx, pending); err != nil {
		s.restorePendingBands(pending)
		return nil, fmt.Errorf("sqlite: put: %w", err)
	}
	if err := s.writeState(ctx, tx, &b); err != nil {
		s.restorePendingBands(pending)
		return nil, fmt.Errorf("sqlite: put: %w", err)
	}
	if err := tx.Commit(); err != nil {
		s.restorePendingBands(pending)
		return nil, fmt.Errorf("sqlite: %s: commit: %w", s.path, err)
	}
	res := make([]store.Result, len(es))
	for i := range es {
		res[i] = es[i].result
	}
	return res, nil
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func nullTime(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func (s *Store) write(ctx context.Context, tx *sql.Tx, e *entry, k *known, now int64, idx *ftsBatch, nb *newsroomBatch) error {
	a := e.a
	switch e.result {
	case store.Unchanged:
		if e.setDup {
			if _, err := s.stmt(ctx, tx, qSetDupGroup).ExecContext(ctx, e.dupGroup, a.ID); err != nil {
				return err
			}
		}
		if e.setStory {
			if _, err := s.stmt(ctx, tx, qSetStory).ExecContext(ctx, e.story, a.ID); err != nil {
				return err
			}
		}
		return nil
	}
	if e.storeRaw {
		if _, err := s.stmt(ctx, tx, qInsertRaw).
			ExecContext(ctx, e.rawSHA, len(e.raw), e.rawCodec, e.rawZ); err != nil {
			return fmt.Errorf("raw input: %w", err)
		}
	}
	rawSHA := nullString(e.rawSHA)
	var pk int64
	if e.result == store.Ingested && e.version == 1 {
		err := s.stmt(ctx, tx, qInsertArticle).
			QueryRowContext(ctx, a.ID, a.URL, a.CanonicalURL, a.Source.Name, a.Source.Domain, a.Title, nullTime(a.Published),
				a.Language, a.WordCount, nullString(a.DupGroup), nullString(a.Story), e.hash, rawSHA, now, now).Scan(&pk)
		if err != nil {
			return fmt.Errorf("insert article: %w", err)
		}
		k.pk = pk
	} else {
		pk = k.pk
		// Annotations carried by the new version replace the old; absent
		// ones keep what the dedup stage recorded earlier.
		if _, err := s.stmt(ctx, tx, qUpdateArticle).
			ExecContext(ctx, a.URL, a.CanonicalURL, a.Source.Name, a.Source.Domain, a.Title, nullTime(a.Published),
				a.Language, a.WordCount, nullString(a.DupGroup), nullString(a.Story), e.hash, rawSHA, e.version, now, pk); err != nil {
			return fmt.Errorf("update article: %w", err)
		}
		idx.delete(pk)
	}
	if _, err := s.stmt(ctx, tx, qInsertVersion).
		ExecContext(ctx, pk, e.version, e.hash, rawSHA, e.contentType, e.fetched, now, e.recCodec, e.rec); err != nil {
		return fmt.Errorf("insert version: %w", err)
	}
	idx.insert(pk, a.Title, a.Text, strings.Join(a.Authors, "\n"))
	nb.add(pk, a, e.result == store.Ingested && e.version == 1)
	return nil
}

// writeState writes the stage state of a batch in its transaction.
func (s *Store) writeState(ctx context.Context, tx *sql.Tx, b *store.Batch) error {
	if len(b.Bands) > 0 {
		bands := make(map[string][]uint64, len(b.Bands))
		for _, x := range b.Bands {
			bands[x.ArticleID] = x.Keys
		}
		if err := s.writeBands(ctx, tx, bands); err != nil {
			return err
		}
	}
	for _, r := range b.Relabels {
		if r.From == r.To || r.From == "" {
			continue
		}
		if _, err := s.stmt(ctx, tx, qRelabel).ExecContext(ctx, nullString(r.To), r.From, r.From); err != nil {
			return fmt.Errorf("relabel dup group %s: %w", r.From, err)
		}
	}
	if err := s.writeStories(ctx, tx, b.Stories); err != nil {
		return err
	}
	for _, m := range b.StoryMerges {
		if m.From == m.To || m.From == "" || m.To == "" {
			continue
		}
		if _, err := s.stmt(ctx, tx, qStoryMerge).ExecContext(ctx, m.To, m.From); err != nil {
			return fmt.Errorf("merge story %s into %s: %w", m.From, m.To, err)
		}
		if _, err := s.stmt(ctx, tx, qStoryDelete).ExecContext(ctx, m.From); err != nil {
			return fmt.Errorf("merge story %s into %s: %w", m.From, m.To, err)
		}
	}
	now := time.Now().UnixMilli()
	for _, st := range b.State {
		if _, err := s.stmt(ctx, tx, qPutState).ExecContext(ctx, st.Name, st.Value, now); err != nil {
			return fmt.Errorf("state %s: %w", st.Name, err)
		}
	}
	return nil
}

// writeStories inserts or replaces story states in tx.
func (s *Store) writeStories(ctx context.Context, tx *sql.Tx, stories []store.StoryState) error {
	for _, st := range stories {
		outlets := st.Outlets
		if outlets == nil {
			outlets = []string{}
		}
		js, err := json.Marshal(outlets)
		if err != nil {
			return fmt.Errorf("story %s: %w", st.ID, err)
		}
		if _, err := s.stmt(ctx, tx, qPutStory).ExecContext(ctx, st.ID, st.Headline, nullTime(st.First), nullTime(st.Last), st.Count, string(js), st.State); err != nil {
			return fmt.Errorf("story %s: %w", st.ID, err)
		}
	}
	return nil
}

// sameAsLegacy reports whether the article of k, stored with a content hash
// of the old kind (the whole record, input.name included), has the content
// of parts: the stored record's input name put into parts gives k's hash.
// Only then is the stored record read; new hashes compare directly.
func (s *Store) sameAsLegacy(ctx context.Context, tx *sql.Tx, k *known, parts *recordParts) (bool, error) {
	var codec string
	var rec []byte
	err := tx.QueryRowContext(ctx, `SELECT codec, record FROM article_versions WHERE article_pk = ? AND version = ?`, k.pk, k.version).
		Scan(&codec, &rec)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("stored record: %w", err)
	}
	data, err := decompress(rec, codec, len(rec)*4)
	if err != nil {
		return false, nil // a damaged record is not the same content
	}
	var named struct {
		Input struct {
			Name string `json:"name"`
		} `json:"input"`
	}
	if err := json.Unmarshal(data, &named); err != nil {
		return false, nil
	}
	h, err := parts.legacyHash(named.Input.Name)
	if err != nil {
		return false, err
	}
	return h == k.hash, nil
}
