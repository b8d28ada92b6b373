package annotate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/dedup"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Processes that take turns on one store (Gate) keep a log of what each
// turn changed, so that the next process to take a turn reloads only the
// stories changed since its own last one. The generation token then reads
// "v2 CHAIN SEQ WRITER": turns of one chain number their entries 1, 2, …,
// and entry SEQ lives in the state blob changeKey(SEQ), a ring of
// changeLogSize. A writer outside any turn, or one that lost track, starts
// a new chain; a reader on another chain, or too far behind, reloads
// everything, as before the log.
const changeLogSize = 256

func changeKey(seq int64) string {
	return fmt.Sprintf("annotate/changes/%03d", seq%changeLogSize)
}

// change is one turn's entry of the log.
type change struct {
	Chain   string   `json:"chain"`
	Seq     int64    `json:"seq"`
	Stories []string `json:"stories,omitempty"` // written (founded or grown)
	Removed []string `json:"removed,omitempty"` // merged into others
	Stats   bool     `json:"stats,omitempty"`   // corpus statistics saved
	// Delta is what the turn's articles added to the corpus statistics.
	Delta *dedup.StatsDelta `json:"delta,omitempty"`
}

// position is where a generation token says the log is.
type position struct {
	chain string
	seq   int64 // -1 when not on a chain
}

func parseToken(tok string) position {
	f := strings.Fields(tok)
	if len(f) != 4 || f[0] != "v2" {
		return position{seq: -1}
	}
	seq, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || seq < 0 {
		return position{seq: -1}
	}
	return position{chain: f[1], seq: seq}
}

func (p position) token(writer string) string {
	return fmt.Sprintf("v2 %s %d %s", p.chain, p.seq, writer)
}

// logTurn adds to b the log entry of the turn that writes it and the
// generation token after it, with an.mu held. Inside a turn the entry
// continues the chain the Annotator is on (or starts one); outside, the
// token starts a chain of its own with no entries, which sends every
// reader to a full reload.
func (an *Annotator) logTurn(b *store.Batch) {
	writer := an.nextGeneration()
	var delta dedup.StatsDelta
	if !an.opts.NoStories {
		delta = an.clu.Load().TakeStatsDelta()
	}
	next := position{chain: an.genPrefix + "-" + strconv.Itoa(an.genCount), seq: 0}
	if an.inTurn {
		if an.pos.seq >= 0 {
			next = position{chain: an.pos.chain, seq: an.pos.seq + 1}
		}
		c := change{Chain: next.chain, Seq: next.seq}
		for _, s := range b.Stories {
			c.Stories = append(c.Stories, s.ID)
		}
		for _, m := range b.StoryMerges {
			c.Removed = append(c.Removed, m.From)
		}
		for _, st := range b.State {
			c.Stats = c.Stats || st.Name == statsKey
		}
		if delta.Docs > 0 {
			c.Delta = &delta
		}
		entry, err := json.Marshal(c)
		if err == nil { // counts that are not numbers (NaN) leave the turn out of the log
			b.State = append(b.State, store.NamedState{Name: changeKey(next.seq), Value: entry})
		}
	}
	an.pendingGen, an.pendingPos = next.token(writer), next
	b.State = append(b.State, store.NamedState{Name: generationKey, Value: []byte(an.pendingGen)})
}

// errNoLog says the log cannot bring this Annotator up to date.
var errNoLog = errors.New("annotate: the change log does not reach back")

// catchUp applies the log's entries from an.pos to to, with an.mu held:
// the stories they wrote are read again, those they merged away dropped,
// and the statistics read again if a turn saved them.
func (an *Annotator) catchUp(ctx context.Context, to position) error {
	getter, ok := an.st.(store.StoryGetter)
	if !ok || an.opts.NoStories || an.pos.seq < 0 || to.chain != an.pos.chain || to.seq < an.pos.seq || to.seq-an.pos.seq > changeLogSize {
		return errNoLog
	}
	changed := map[string]bool{}
	removed := map[string]bool{}
	// The statistics: the last saved in these turns, if any, and what the
	// turns after it added.
	stats := false
	var delta dedup.StatsDelta
	for seq := an.pos.seq + 1; seq <= to.seq; seq++ {
		raw, err := an.st.State(ctx, changeKey(seq))
		if errors.Is(err, store.ErrNotFound) {
			return errNoLog
		}
		if err != nil {
			return fmt.Errorf("annotate: %w", err)
		}
		var c change
		if json.Unmarshal(raw, &c) != nil || c.Chain != to.chain || c.Seq != seq {
			return errNoLog // overwritten by a later lap of the ring, or foreign
		}
		for _, id := range c.Stories {
			changed[id] = true
		}
		for _, id := range c.Removed {
			removed[id] = true
			delete(changed, id)
		}
		if c.Stats {
			stats, delta = true, dedup.StatsDelta{}
		} else if c.Delta != nil {
			delta.Merge(*c.Delta)
		}
	}
	ids := make([]string, 0, len(changed))
	for id := range changed {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	states, err := getter.StoriesByID(ctx, ids)
	if err != nil {
		return fmt.Errorf("annotate: %w", err)
	}
	stories := make([]dedup.Story, len(states))
	var dec dedup.StoryDecoder
	for i, s := range states {
		if err := dec.Decode(s.State, &stories[i]); err != nil {
			return fmt.Errorf("annotate: story %s: %w", s.ID, err)
		}
	}
	gone := make([]string, 0, len(removed))
	for id := range removed {
		gone = append(gone, id)
	}
	slices.Sort(gone)
	clu := an.clu.Load()
	if err := clu.Update(stories, gone); err != nil {
		return fmt.Errorf("annotate: %w", err)
	}
	if stats {
		data, err := an.st.State(ctx, statsKey)
		if err != nil {
			return fmt.Errorf("annotate: %w", err)
		}
		if err := clu.SetStats(data); err != nil {
			return fmt.Errorf("annotate: %w", err)
		}
	}
	if err := clu.AddStats(delta); err != nil {
		return fmt.Errorf("annotate: %w", err)
	}
	// Copy groups come from the store on demand; drop what was cached.
	an.cat.Reset()
	an.caughtUp++
	return nil
}

// replayStats adds to a clusterer just loaded the statistics that the
// change log's turns added after the last saved statistics (saved only
// every statsEvery articles), walking back from pos. With an.mu held, or
// before the Annotator is shared.
func (an *Annotator) replayStats(ctx context.Context, clu *dedup.Clusterer, pos position) error {
	if an.opts.NoStories || pos.seq < 0 {
		return nil
	}
	var delta dedup.StatsDelta
	for seq := pos.seq; seq >= 0 && pos.seq-seq < changeLogSize; seq-- {
		raw, err := an.st.State(ctx, changeKey(seq))
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if err != nil {
			return fmt.Errorf("annotate: %w", err)
		}
		var c change
		if json.Unmarshal(raw, &c) != nil || c.Chain != pos.chain || c.Seq != seq || c.Stats {
			break // the saved statistics count this turn and those before
		}
		if c.Delta != nil {
			delta.Merge(*c.Delta)
		}
	}
	if err := clu.AddStats(delta); err != nil {
		return fmt.Errorf("annotate: %w", err)
	}
	return nil
}
