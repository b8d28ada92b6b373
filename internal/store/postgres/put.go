package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// entry is one Put entry on its way into the database. The fields up to
// rawSHA are computed once, before the transaction; the rest again by each
// attempt of it.
type entry struct {
	a           *article.Article
	rec         []byte // compressed record
	recCodec    string
	hash        string
	raw         []byte
	rawSHA      string
	contentType string

	result  store.Result
	version int
}

// known is what a batch knows of one article id: its row as read (locked)
// and how the batch's entries change it, in order.
type known struct {
	pk       int64
	stored   bool // the row existed before the batch
	hash     string
	version  int
	dup      string
	story    string
	last     int  // the entry whose content the row ends with; -1: none
	annotate bool // an unchanged entry changed dup or story
}

// indexRow is an article's text as the search index takes it.
type indexRow struct {
	pk                           int64
	config, title, authors, body string
	head                         string
	// tsv, when built, is the tsvector made here (tsvector.go);
	// otherwise the server computes it. tried: built was decided.
	tsv          pgtype.TSVector
	built, tried bool
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

// Put implements store.Store.
func (s *Store) Put(ctx context.Context, entries []store.Entry) ([]store.Result, error) {
	return s.PutBatch(ctx, store.Batch{Entries: entries})
}

// PutBatch implements store.Store: in one transaction, the entries are
// written first, then the band keys, the dup group relabels (which so
// reach articles of this batch too), the stories, the story merges and
// the state blobs.
func (s *Store) PutBatch(ctx context.Context, b store.Batch) ([]store.Result, error) {
	if s.readOnly {
		return nil, s.errReadOnly("put")
	}
	if b.Empty() {
		return []store.Result{}, nil
	}
	es := make([]entry, len(b.Entries))
	errs := make([]error, len(b.Entries))
	parallel(len(es), func(i int) {
		in := b.Entries[i]
		if in.Article == nil || in.Article.ID == "" {
			errs[i] = store.ErrNoArticle
			return
		}
		e := &es[i]
		e.a, e.contentType = in.Article, in.ContentType
		rec, hash, err := record(in.Article)
		if err != nil {
			errs[i] = err
			return
		}
		e.hash = hash
		e.rec, e.recCodec = compress(rec)
		if in.Raw != nil {
			e.raw, e.rawSHA = in.Raw, sha256Hex(in.Raw)
		}
	})
	for i, err := range errs {
		if err != nil {
			name := ""
			if a := b.Entries[i].Article; a != nil {
				name = a.Input.Name
			}
			return nil, fmt.Errorf("postgres: put %q: %w", name, err)
		}
	}
	w := &writer{s: s, b: &b, es: es, rawZ: map[string]compressed{}, index: map[int]*indexRow{}, ctx: ctx}
	if err := s.inTx(ctx, w.run); err != nil {
		return nil, wrap("put", err)
	}
	for _, c := range w.configs {
		configsSeen.Store(s.location+"|"+c, true)
	}
	res := make([]store.Result, len(es))
	for i := range es {
		res[i] = es[i].result
	}
	return res, nil
}

type compressed struct {
	data  []byte
	codec string
	size  int
}

// writer is one PutBatch; run is its transaction, run again on a retry.
type writer struct {
	s  *Store
	b  *store.Batch
	es []entry
	// Work kept across attempts: compressed raw inputs by sha256, index
	// text by entry.
	mu    sync.Mutex
	rawZ  map[string]compressed
	index map[int]*indexRow
	// configs: text search configurations this attempt records.
	configs []string
	ctx     context.Context
}

func (w *writer) run(tx pgx.Tx) error {
	ctx := w.ctx
	w.configs = nil
	es := w.es
	ids := make([]string, 0, len(es))
	var shas []string
	for _, e := range es {
		ids = append(ids, e.a.ID)
		if e.raw != nil {
			shas = append(shas, e.rawSHA)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	slices.Sort(shas)
	shas = slices.Compact(shas)

	// The batch's articles, locked in id order (so that writers of
	// overlapping batches queue rather than deadlock), and the raw inputs
	// already stored.
	seen := map[string]*known{}
	if len(ids) > 0 {
		rows, err := tx.Query(ctx, `SELECT pk, id, content_hash, version, dup_group, story FROM articles
			WHERE id = ANY($1) ORDER BY id FOR UPDATE`, ids)
		if err != nil {
			return err
		}
		for rows.Next() {
			k := &known{stored: true, last: -1}
			var id string
			var dup, story *string
			if err := rows.Scan(&k.pk, &id, &k.hash, &k.version, &dup, &story); err != nil {
				rows.Close()
				return err
			}
			k.dup, k.story = deref(dup), deref(story)
			seen[id] = k
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	haveRaw := map[string]bool{}
	if len(shas) > 0 {
		rows, err := tx.Query(ctx, `SELECT sha256 FROM raw_inputs WHERE sha256 = ANY($1)`, shas)
		if err != nil {
			return err
		}
		for rows.Next() {
			var sha string
			if err := rows.Scan(&sha); err != nil {
				rows.Close()
				return err
			}
			haveRaw[sha] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}

	// Decide what each entry does, tracking earlier entries of the batch.
	for i := range es {
		e := &es[i]
		a := e.a
		k := seen[a.ID]
		switch {
		case k == nil:
			e.result, e.version = store.Ingested, 1
			seen[a.ID] = &known{hash: e.hash, version: 1, dup: a.DupGroup, story: a.Story, last: i}
			continue
		case k.hash == e.hash:
			e.result, e.version = store.Unchanged, 0
			if a.DupGroup != "" && a.DupGroup != k.dup {
				k.dup, k.annotate = a.DupGroup, true
			}
			if a.Story != "" && a.Story != k.story {
				k.story, k.annotate = a.Story, true
			}
			continue
		}
		e.result = store.Updated
		k.version++
		k.hash, e.version, k.last = e.hash, k.version, i
		// Annotations the new version carries replace the old; absent
		// ones keep what the dedup stage recorded.
		if a.DupGroup != "" {
			k.dup = a.DupGroup
		}
		if a.Story != "" {
			k.story = a.Story
		}
	}

	// What is written: raw inputs not stored yet, compressed once; the
	// index text of each article's last version.
	var rawNeed []string
	rawFrom := map[string][]byte{}
	for _, e := range es {
		if e.result != store.Unchanged && e.raw != nil && !haveRaw[e.rawSHA] {
			if _, dup := rawFrom[e.rawSHA]; !dup {
				rawNeed = append(rawNeed, e.rawSHA)
				rawFrom[e.rawSHA] = e.raw
			}
		}
	}
	var lasts []int
	for _, id := range ids {
		if k := seen[id]; k.last >= 0 {
			lasts = append(lasts, k.last)
		}
	}
	parallel(len(rawNeed)+len(lasts), func(j int) {
		if j < len(rawNeed) {
			sha := rawNeed[j]
			w.mu.Lock()
			_, done := w.rawZ[sha]
			w.mu.Unlock()
			if !done {
				data, codec := compress(rawFrom[sha])
				w.mu.Lock()
				w.rawZ[sha] = compressed{data, codec, len(rawFrom[sha])}
				w.mu.Unlock()
			}
			return
		}
		i := lasts[j-len(rawNeed)]
		w.mu.Lock()
		_, done := w.index[i]
		w.mu.Unlock()
		if !done {
			r := newIndexRow(es[i].a)
			w.mu.Lock()
			w.index[i] = r
			w.mu.Unlock()
		}
	})

	// New articles first: their pks are needed by the rest.
	now := nowMillis()
	// In the order of the batch: pks are the stored order that lists of
	// articles published at one time follow.
	var fresh []string
	listed := map[string]bool{}
	for _, e := range es {
		if k := seen[e.a.ID]; !k.stored && !listed[e.a.ID] {
			fresh, listed[e.a.ID] = append(fresh, e.a.ID), true
		}
	}
	// Raw inputs before the articles and versions that refer to them.
	if len(rawNeed) > 0 {
		datas := make([][]byte, len(rawNeed))
		codecs := make([]string, len(rawNeed))
		sizes := make([]int64, len(rawNeed))
		for j, sha := range rawNeed {
			z := w.rawZ[sha]
			datas[j], codecs[j], sizes[j] = z.data, z.codec, int64(z.size)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO raw_inputs(sha256, size, codec, data)
			SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[]) ON CONFLICT (sha256) DO NOTHING`,
			rawNeed, sizes, codecs, datas); err != nil {
			return err
		}
	}
	if len(fresh) > 0 {
		var c articleColumns
		for _, id := range fresh {
			k := seen[id]
			c.add(id, k, &es[k.last])
		}
		rows, err := tx.Query(ctx, `INSERT INTO articles(id, url, canonical_url, source_name, source_domain, title, description,
				published, language, word_count, dup_group, story, content_hash, raw_sha256, version, created, updated)
			SELECT u.id, u.url, u.curl, u.sname, u.sdomain, u.title, u.descr, u.pub, u.lang, u.words, u.dup, u.story, u.hash, u.raw, u.version,
				$16::bigint, $16::bigint
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
				$8::bigint[], $9::text[], $10::int[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int[])
				WITH ORDINALITY AS u(id, url, curl, sname, sdomain, title, descr, pub, lang, words, dup, story, hash, raw, version, n)
			ORDER BY u.n
			ON CONFLICT (id) DO NOTHING RETURNING id, pk`,
			append(c.args(), now)...)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var id string
			var pk int64
			if err := rows.Scan(&id, &pk); err != nil {
				rows.Close()
				return err
			}
			seen[id].pk = pk
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n != len(fresh) {
			return errRace
		}
	}

	batch := &pgx.Batch{}
	// Articles stored before: new content, or new annotations only.
	var upd articleColumns
	var annPK []int64
	var annDup, annStory []*string
	var replaced []int64
	for _, id := range ids {
		k := seen[id]
		switch {
		case !k.stored:
		case k.last >= 0:
			upd.add(id, k, &es[k.last])
			upd.pk = append(upd.pk, k.pk)
			replaced = append(replaced, k.pk)
		case k.annotate:
			annPK = append(annPK, k.pk)
			annDup, annStory = append(annDup, nullString(k.dup)), append(annStory, nullString(k.story))
		}
	}
	if len(upd.pk) > 0 {
		batch.Queue(`UPDATE articles a SET url = u.url, canonical_url = u.curl, source_name = u.sname, source_domain = u.sdomain,
				title = u.title, description = u.descr, published = u.pub, language = u.lang, word_count = u.words,
				dup_group = u.dup, story = u.story, content_hash = u.hash, raw_sha256 = u.raw, version = u.version, updated = $17
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
				$8::bigint[], $9::text[], $10::int[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int[], $16::bigint[])
				AS u(id, url, curl, sname, sdomain, title, descr, pub, lang, words, dup, story, hash, raw, version, pk)
			WHERE a.pk = u.pk`, append(append(upd.args(), upd.pk), now)...)
	}
	if len(annPK) > 0 {
		batch.Queue(`UPDATE articles a SET dup_group = u.dup, story = u.story
			FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(pk, dup, story) WHERE a.pk = u.pk`, annPK, annDup, annStory)
	}
	// Every version written, in order.
	var vPK []int64
	var vVersion []int32
	var vHash, vCT, vCodec []string
	var vRaw []*string
	var vFetched []*int64
	var vRec [][]byte
	for _, e := range es {
		if e.result == store.Unchanged {
			continue
		}
		vPK = append(vPK, seen[e.a.ID].pk)
		vVersion = append(vVersion, int32(e.version))
		vHash, vCT, vCodec = append(vHash, e.hash), append(vCT, e.contentType), append(vCodec, e.recCodec)
		vRaw, vFetched, vRec = append(vRaw, nullString(e.rawSHA)), append(vFetched, nullMillis(e.a.Fetched)), append(vRec, e.rec)
	}
	if len(vPK) > 0 {
		batch.Queue(`INSERT INTO article_versions(article_pk, version, content_hash, raw_sha256, content_type, fetched, stored, codec, record)
			SELECT u.pk, u.v, u.h, u.r, u.ct, u.f, $9, u.c, u.rec
			FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::bytea[])
				AS u(pk, v, h, r, ct, f, c, rec)`,
			vPK, vVersion, vHash, vRaw, vCT, vFetched, vCodec, vRec, now)
	}
	if len(lasts) > 0 {
		if err := w.buildVectors(tx, lasts); err != nil {
			return err
		}
		rows := make([]*indexRow, len(lasts))
		for j, i := range lasts {
			r := *w.index[i]
			r.pk = seen[es[i].a.ID].pk
			rows[j] = &r
		}
		queueIndex(batch, rows)
		w.configs = w.s.queueConfigs(batch, rows)
		queueEntities(batch, replaced, lasts, es, seen)
	}
	if err := queueState(batch, w.b); err != nil {
		return err
	}
	return tx.SendBatch(ctx, batch).Close()
}

// buildVectors builds the tsvectors of the index rows of entries lasts
// not tried yet, learning the words the lexicon lacks.
func (w *writer) buildVectors(tx pgx.Tx, lasts []int) error {
	var pending []*indexRow
	for _, i := range lasts {
		if r := w.index[i]; !r.tried {
			pending = append(pending, r)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	lex := &w.s.lexicon
	missing := make([][]string, len(pending))
	try := func(rows []*indexRow, missing [][]string) {
		parallel(len(rows), func(j int) {
			r := rows[j]
			r.tsv, missing[j], r.built = lex.build(r)
			r.tried = len(missing[j]) == 0
		})
	}
	try(pending, missing)
	// Words not seen before are learnt once, in one statement, and the
	// articles that had them built again.
	var confs, words []string
	var again []*indexRow
	asked := map[[2]string]bool{}
	for j, ws := range missing {
		if len(ws) == 0 {
			continue
		}
		again = append(again, pending[j])
		for _, w := range ws {
			if k := [2]string{pending[j].config, w}; !asked[k] {
				asked[k] = true
				confs, words = append(confs, k[0]), append(words, w)
			}
		}
	}
	if len(again) == 0 {
		return nil
	}
	if err := lex.learn(w.ctx, tx, confs, words); err != nil {
		return err
	}
	try(again, make([][]string, len(again)))
	for _, r := range again {
		r.tried = true // still missing: the lexicon started again; the server computes it
	}
	return nil
}

// articleColumns are the columns of article rows for unnest, in the
// order the statements above read them.
type articleColumns struct {
	id, url, curl, sname, sdomain, title, descr, lang, hash []string
	pub                                                     []*int64
	words, version                                          []int32
	dup, story, raw                                         []*string
	pk                                                      []int64
}

func (c *articleColumns) add(id string, k *known, e *entry) {
	a := e.a
	c.id, c.url, c.curl = append(c.id, id), append(c.url, a.URL), append(c.curl, a.CanonicalURL)
	c.sname, c.sdomain, c.title = append(c.sname, a.Source.Name), append(c.sdomain, a.Source.Domain), append(c.title, a.Title)
	c.descr, c.pub, c.lang = append(c.descr, a.Description), append(c.pub, nullMillis(a.Published)), append(c.lang, a.Language)
	c.words, c.dup, c.story = append(c.words, int32(a.WordCount)), append(c.dup, nullString(k.dup)), append(c.story, nullString(k.story))
	c.hash, c.raw, c.version = append(c.hash, k.hash), append(c.raw, nullString(e.rawSHA)), append(c.version, int32(k.version))
}

func (c *articleColumns) args() []any {
	return []any{c.id, c.url, c.curl, c.sname, c.sdomain, c.title, c.descr, c.pub, c.lang, c.words, c.dup, c.story, c.hash, c.raw, c.version}
}

// snippetHead is how many bytes of each body search_heads keeps: a
// search cuts its snippets from there, never reading a huge body whole.
const snippetHead = 64 << 10

func head(s string) string {
	if len(s) <= snippetHead {
		return s
	}
	i := snippetHead
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

func newIndexRow(a *article.Article) *indexRow {
	return &indexRow{
		config:  configFor(a.Language),
		title:   indexText(a.Title),
		authors: indexText(strings.Join(a.Authors, "\n")),
		body:    indexText(a.Text),
		head:    head(a.Text),
	}
}

// tsvectorSQL computes an article's tsvector from index text columns
// named config, title, authors and body of u.
const tsvectorSQL = `setweight(to_tsvector(u.config::regconfig, u.title), '` + weightTitle + `') ||
	setweight(to_tsvector(u.config::regconfig, u.authors), '` + weightAuthors + `') ||
	setweight(to_tsvector(u.config::regconfig, u.body), '` + weightBody + `')`

func queueIndex(batch *pgx.Batch, rows []*indexRow) {
	var builtPKs, pks []int64
	var tsvs []pgtype.TSVector
	var cfg, title, authors, body []string
	allPKs, heads := make([]int64, len(rows)), make([]string, len(rows))
	for j, r := range rows {
		allPKs[j], heads[j] = r.pk, r.head
		if r.built {
			builtPKs, tsvs = append(builtPKs, r.pk), append(tsvs, r.tsv)
			continue
		}
		pks, cfg, title = append(pks, r.pk), append(cfg, r.config), append(title, r.title)
		authors, body = append(authors, r.authors), append(body, r.body)
	}
	if len(builtPKs) > 0 {
		batch.Queue(`INSERT INTO search(pk, tsv) SELECT * FROM unnest($1::bigint[], $2::tsvector[])
			ON CONFLICT (pk) DO UPDATE SET tsv = excluded.tsv`, builtPKs, tsvs)
	}
	if len(pks) > 0 {
		batch.Queue(`INSERT INTO search(pk, tsv)
			SELECT u.pk, `+tsvectorSQL+`
			FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(pk, config, title, authors, body)
			ON CONFLICT (pk) DO UPDATE SET tsv = excluded.tsv`, pks, cfg, title, authors, body)
	}
	batch.Queue(`INSERT INTO search_heads(pk, head) SELECT * FROM unnest($1::bigint[], $2::text[])
		ON CONFLICT (pk) DO UPDATE SET head = excluded.head`, allPKs, heads)
}

// configsSeen caches the configurations known to be in search_configs
// (committed by someone); a miss only costs an insert that does nothing.
var configsSeen sync.Map

// queueConfigs records the configurations of rows, returning the ones
// to cache once committed.
func (s *Store) queueConfigs(batch *pgx.Batch, rows []*indexRow) []string {
	var add []string
	for _, r := range rows {
		if _, ok := configsSeen.Load(s.location + "|" + r.config); !ok && !slices.Contains(add, r.config) {
			add = append(add, r.config)
		}
	}
	if len(add) == 0 {
		return nil
	}
	slices.Sort(add)
	batch.Queue(`INSERT INTO search_configs(config) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, add)
	return add
}

// queueEntities replaces the entity rows of the articles written.
func queueEntities(batch *pgx.Batch, replaced []int64, lasts []int, es []entry, seen map[string]*known) {
	if len(replaced) > 0 {
		batch.Queue(`DELETE FROM article_entities WHERE article_pk = ANY($1)`, replaced)
	}
	var pks, mentions []int64
	var keys, types, texts []string
	var pubs []*int64
	for _, i := range lasts {
		a := es[i].a
		pk := seen[a.ID].pk
		at := map[string]int{}
		for _, e := range a.Entities {
			if e.Key == "" {
				continue
			}
			n := int64(max(e.Count, len(e.Mentions)))
			if j, ok := at[e.Key]; ok {
				mentions[j] += n
				continue
			}
			at[e.Key] = len(pks)
			pks, keys, types, texts = append(pks, pk), append(keys, e.Key), append(types, e.Type), append(texts, e.Text)
			mentions, pubs = append(mentions, n), append(pubs, nullMillis(a.Published))
		}
	}
	if len(pks) > 0 {
		batch.Queue(`INSERT INTO article_entities(article_pk, key, type, text, mentions, published)
			SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])`,
			pks, keys, types, texts, mentions, pubs)
	}
}

// queueState queues the stage state of a batch: bands, relabels in
// order, stories, story merges in order, state blobs.
func queueState(batch *pgx.Batch, b *store.Batch) error {
	if len(b.Bands) > 0 {
		last := map[string][]uint64{}
		for _, x := range b.Bands {
			last[x.ArticleID] = x.Keys
		}
		queueBands(batch, last)
	}
	for _, r := range b.Relabels {
		if r.From == r.To || r.From == "" {
			continue
		}
		batch.Queue(`UPDATE articles SET dup_group = $1 WHERE dup_group = $2 OR (id = $2 AND dup_group IS NULL)`, nullString(r.To), r.From)
	}
	if len(b.Stories) > 0 {
		if err := queueStories(batch, b.Stories); err != nil {
			return err
		}
	}
	for _, m := range b.StoryMerges {
		if m.From == m.To || m.From == "" || m.To == "" {
			continue
		}
		batch.Queue(`UPDATE articles SET story = $1 WHERE story = $2`, m.To, m.From)
		batch.Queue(`DELETE FROM stories WHERE id = $1`, m.From)
	}
	now := nowMillis()
	for _, st := range b.State {
		batch.Queue(`INSERT INTO state(name, value, updated) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated = excluded.updated`, st.Name, st.Value, now)
	}
	return nil
}

// queueBands replaces the band keys of each article of bands.
func queueBands(batch *pgx.Batch, bands map[string][]uint64) {
	ids := make([]string, 0, len(bands))
	type bandKey struct {
		key int64
		id  string
	}
	var rows []bandKey
	for id, ks := range bands {
		ids = append(ids, id)
		for _, k := range ks {
			rows = append(rows, bandKey{int64(k), id})
		}
	}
	slices.Sort(ids)
	// In the primary key's order, the inserts walk its b-tree once
	// rather than land on random pages.
	slices.SortFunc(rows, func(a, b bandKey) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	keys, bandIDs := make([]int64, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		keys[i], bandIDs[i] = r.key, r.id
	}
	batch.Queue(`DELETE FROM bands WHERE article_id = ANY($1)`, ids)
	if len(keys) > 0 {
		batch.Queue(`INSERT INTO bands(band, article_id) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING`, keys, bandIDs)
	}
}

// queueStories inserts or replaces stories; of two with one id, the later.
func queueStories(batch *pgx.Batch, stories []store.StoryState) error {
	at := map[string]int{}
	var ids, heads, outlets []string
	var first, last []*int64
	var counts []int32
	var states [][]byte
	for _, st := range stories {
		o := st.Outlets
		if o == nil {
			o = []string{}
		}
		js, err := json.Marshal(o)
		if err != nil {
			return fmt.Errorf("story %s: %w", st.ID, err)
		}
		j, ok := at[st.ID]
		if !ok {
			j = len(ids)
			at[st.ID] = j
			ids, heads, outlets = append(ids, ""), append(heads, ""), append(outlets, "")
			first, last, counts, states = append(first, nil), append(last, nil), append(counts, 0), append(states, nil)
		}
		ids[j], heads[j], outlets[j] = st.ID, st.Headline, string(js)
		first[j], last[j], counts[j], states[j] = nullMillis(st.First), nullMillis(st.Last), int32(st.Count), st.State
	}
	batch.Queue(`INSERT INTO stories(id, headline, first_seen, last_seen, count, outlets, state)
		SELECT u.id, u.h, u.f, u.l, u.c, u.o::jsonb, u.s
		FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::int[], $6::text[], $7::bytea[]) AS u(id, h, f, l, c, o, s)
		ORDER BY u.id
		ON CONFLICT (id) DO UPDATE SET headline = excluded.headline, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
			count = excluded.count, outlets = excluded.outlets, state = excluded.state`,
		ids, heads, first, last, counts, outlets, states)
	return nil
}
