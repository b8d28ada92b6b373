package follow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/source"
	"github.com/newsdesk/newsdesk/internal/source/feed"
	"github.com/newsdesk/newsdesk/internal/store"
)

// maxSeen bounds a feed's seen list.
const maxSeen = 10000

// feedError is a poll's failure, naming the feed once: "URL: what".
func feedError(url, what string, err error) error {
	msg := err.Error()
	for changed := true; changed; {
		changed = false
		for _, p := range []string{"fetch: ", "feed: ", "source: ", url + ": "} {
			if rest, ok := strings.CutPrefix(msg, p); ok && rest != "" {
				msg, changed = rest, true
			}
		}
	}
	return fmt.Errorf("%s: %s: %s", url, what, msg)
}

// fetchFeed fetches and parses f and stores its new entries.
func (p *Poller) fetchFeed(ctx context.Context, f store.Feed) result {
	r := result{status: StatusError, etag: f.ETag, lastMo: f.LastModified, seen: -1}
	cond := &conditional{etag: f.ETag, lastModified: f.LastModified}
	resp, err := p.o.Fetcher.Get(withConditional(ctx, cond), f.URL)
	now := p.o.Clock.Now()
	if err != nil {
		if ctx.Err() != nil {
			r.cancelled = true
			return r
		}
		var se *fetch.StatusError
		if errors.As(err, &se) && se.Code == http.StatusNotModified {
			r.status = StatusNotModified
			h := cond.responseHeader()
			r.hint = httpHint(h, now)
			if v := h.Get("ETag"); v != "" {
				r.etag = v
			}
			return r
		}
		if errors.As(err, &se) {
			r.retryAfter = se.RetryAfter
		}
		r.err = feedError(f.URL, "fetching the feed", err)
		return r
	}

	var entries []feed.Entry
	_, perr := feed.Parse(bytes.NewReader(resp.Body), resp.URL, func(e feed.Entry) error {
		entries = append(entries, e)
		return nil
	})
	r.seen = len(entries)
	if perr != nil {
		// The entries before the damage are still stored, as ingest
		// does; the validators stay, so the feed is read again in full.
		r.err = feedError(f.URL, "reading the feed", perr)
	}
	r.hint = max(httpHint(resp.Header, now), feedHint(resp.Body))

	stored, complete, err := p.storeNew(ctx, f.URL, entries)
	r.stored = stored
	switch {
	case ctx.Err() != nil:
		r.cancelled = true
		return r
	case err != nil:
		r.err = errors.Join(r.err, err)
	}
	if r.err != nil {
		return r
	}
	r.status = StatusOK
	if complete {
		r.etag, r.lastMo = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	}
	return r
}

// key is what identifies an entry across polls: its URL, normalized, else
// its id; "" when it has neither (the store's content hash then decides).
func key(e feed.Entry) string {
	if e.URL != "" {
		return article.NormalizeURL(e.URL)
	}
	if e.ID != "" {
		return "id:" + e.ID
	}
	return ""
}

type seenList struct {
	Keys []string `json:"keys"`
}

func seenState(feedURL string) string { return "follow.seen " + feedURL }

// storeNew stores the entries not seen before. It returns how many articles
// were stored new or as new versions, and whether every new entry is in
// the store now. A failed entry is an error only when no entry could be
// stored (the feed's items are then all broken); otherwise it is logged
// and the entry tried again at the next poll.
func (p *Poller) storeNew(ctx context.Context, feedURL string, entries []feed.Entry) (stored int, complete bool, err error) {
	seen := map[string]bool{}
	if b, err := p.o.Store.State(ctx, seenState(feedURL)); err == nil {
		var l seenList
		if json.Unmarshal(b, &l) == nil {
			for _, k := range l.Keys {
				seen[k] = true
			}
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, false, feedError(feedURL, "reading what was seen", err)
	}
	var fresh []feed.Entry
	current := map[string]bool{}
	known := 0
	for _, e := range entries {
		k := key(e)
		if k != "" {
			if current[k] {
				continue // listed twice
			}
			current[k] = true
		}
		if k != "" && seen[k] {
			known++
			continue
		}
		if e.URL != "" {
			if _, err := p.o.Store.Get(ctx, article.ComputeID(&article.Article{URL: e.URL})); err == nil {
				known++
				seen[k] = true
				continue
			}
		}
		fresh = append(fresh, e)
	}
	if p.o.OnItems != nil {
		p.o.OnItems("known", known)
		p.o.OnItems("new", len(fresh))
	}
	complete = true
	var failures []error
	tried := 0
	for start := 0; start < len(fresh) && ctx.Err() == nil; start += p.o.Chunk {
		chunk := fresh[start:min(start+p.o.Chunk, len(fresh))]
		began := time.Now()
		items, keys, fails := p.load(ctx, feedURL, chunk)
		if ctx.Err() != nil {
			break // nothing of this chunk stored: fetched again next time
		}
		tried += len(chunk)
		failures = append(failures, fails...)
		res, err := p.o.Ingester.SubmitItems(ctx, items)
		if err != nil && ctx.Err() == nil {
			return stored, false, feedError(feedURL, "storing its items", err)
		}
		sum := res.Summary
		stored += sum.Ingested + sum.Updated
		if p.o.OnStored != nil {
			p.o.OnStored("ingested", sum.Ingested)
			p.o.OnStored("updated", sum.Updated)
			p.o.OnStored("unchanged", sum.Unchanged)
		}
		for name, ferr := range res.Failed {
			failures = append(failures, feedError(feedURL, "item "+name, ferr))
		}
		for name := range res.Stored {
			if k := keys[name]; k != "" {
				seen[k] = true
			}
		}
		// Mark what is stored even when shutting down: it is stored.
		if err := p.saveSeen(context.WithoutCancel(ctx), feedURL, seen, current); err != nil {
			p.o.Log.Warn("follow: saving what was seen", "feed", feedURL, "err", err)
		}
		if p.o.Pace != nil && start+p.o.Chunk < len(fresh) {
			p.o.Pace(ctx, time.Since(began))
		}
	}
	for _, ferr := range failures {
		p.o.Log.Warn("follow: item failed", "feed", feedURL, "err", ferr)
		if p.o.OnFailure != nil {
			p.o.OnFailure("item", ferr)
		}
	}
	if len(failures) > 0 {
		complete = false
		if len(failures) == tried && tried > 0 {
			return stored, false, fmt.Errorf("%w (and %d more failed items)", failures[0], len(failures)-1)
		}
	}
	return stored, complete && ctx.Err() == nil, nil
}

// saveSeen writes the seen keys still in the feed (or all, when the feed
// was not read whole), at most maxSeen.
func (p *Poller) saveSeen(ctx context.Context, feedURL string, seen, current map[string]bool) error {
	var l seenList
	for k := range seen {
		if current[k] {
			l.Keys = append(l.Keys, k)
		}
	}
	if len(l.Keys) > maxSeen {
		l.Keys = l.Keys[:maxSeen]
	}
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return p.o.Store.PutState(ctx, seenState(feedURL), b)
}

// load fetches a chunk of entries' pages (the feed's own content is the
// fallback, as for ingest), out of the Ingester's lock, a few at a time.
// It returns the items to store, their seen keys by item name, and the
// entries that failed.
func (p *Poller) load(ctx context.Context, feedURL string, chunk []feed.Entry) ([]pipeline.Item, map[string]string, []error) {
	type loaded struct {
		p   pipeline.Payload
		err error
	}
	out := make([]loaded, len(chunk))
	sem := make(chan struct{}, p.o.Concurrency)
	var wg sync.WaitGroup
	for i, e := range chunk {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				out[i].err = ctx.Err()
				return
			}
			defer func() { <-sem }()
			out[i].p, out[i].err = p.loadEntry(ctx, e)
		})
	}
	wg.Wait()
	var (
		items []pipeline.Item
		fails []error
	)
	keys := map[string]string{}
	for i, e := range chunk {
		name := fmt.Sprintf("%s#%d", feedURL, e.Index)
		if out[i].err != nil {
			fails = append(fails, feedError(feedURL, "item "+name, out[i].err))
			continue
		}
		pay := out[i].p
		keys[name] = key(e)
		items = append(items, pipeline.Item{Name: name, URL: e.URL, Date: e.Date(),
			Load: func(context.Context) (pipeline.Payload, error) { return pay, nil }})
	}
	return items, keys, fails
}

// loadEntry fetches an entry's page, or falls back to the feed's own
// content, as `newsdesk ingest` does for a feed's items.
func (p *Poller) loadEntry(ctx context.Context, e feed.Entry) (pipeline.Payload, error) {
	hasContent := strings.TrimSpace(e.Content) != ""
	var err error
	if e.URL != "" {
		resp, ferr := p.o.Fetcher.Get(ctx, e.URL)
		switch {
		case ferr == nil && textual(resp.ContentType):
			return pipeline.Payload{Raw: resp.Body, ContentType: resp.ContentType, URL: resp.URL, Fetched: resp.Fetched}, nil
		case ferr == nil:
			err = fmt.Errorf("%s: page is %s, not a document", e.URL, fetch.MediaType(resp.ContentType))
		case ctx.Err() != nil:
			return pipeline.Payload{}, ferr
		default:
			err = ferr
		}
	}
	if !hasContent {
		if err == nil {
			err = source.ErrNoContent
		}
		return pipeline.Payload{}, err
	}
	pay := pipeline.Payload{Raw: source.FallbackHTML(e), ContentType: "text/html; charset=utf-8", URL: e.URL,
		Fetched: p.o.Clock.Now().UTC(), Fallback: true}
	if err != nil {
		pay.Note = fmt.Errorf("the page failed, so the feed's own text was stored: %w", err)
	}
	return pay, nil
}

// textual reports whether a Content-Type can hold an article (as ingest
// decides).
func textual(ct string) bool {
	mt := fetch.MediaType(ct)
	return mt == "" || strings.HasPrefix(mt, "text/") || strings.Contains(mt, "html") || strings.Contains(mt, "xml")
}
