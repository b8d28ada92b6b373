package pipeline

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress draws a one-line progress bar, redrawn in place with \r, at most
// every redrawEvery and on a ticker so that the rate and ETA stay current.
type progress struct {
	mu     sync.Mutex
	w      io.Writer
	width  int
	c      *counters
	start  time.Time
	last   time.Time
	shown  bool
	ticker *time.Ticker
	quit   chan struct{}
	wg     sync.WaitGroup
}

const redrawEvery = 100 * time.Millisecond

func newProgress(w io.Writer, width int, c *counters, start time.Time) *progress {
	if width <= 0 {
		width = 80
	}
	p := &progress{w: w, width: width, c: c, start: start, ticker: time.NewTicker(500 * time.Millisecond), quit: make(chan struct{})}
	p.wg.Go(func() {
		for {
			select {
			case <-p.ticker.C:
				p.draw(true)
			case <-p.quit:
				return
			}
		}
	})
	return p
}

// redraw draws the bar unless it was drawn very recently.
func (p *progress) redraw() { p.draw(false) }

func (p *progress) draw(force bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if !force && now.Sub(p.last) < redrawEvery {
		return
	}
	p.last = now
	fmt.Fprint(p.w, "\r"+p.line(now)+"\x1b[K")
	p.shown = true
}

// clear erases the bar so that a log line can be written cleanly.
func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
		p.last = time.Time{}
	}
}

func (p *progress) stop() {
	p.ticker.Stop()
	close(p.quit)
	p.wg.Wait()
	p.clear()
}

// line renders e.g.
//
//	[#########.........]  1520/3000  ok 1500 same 0 upd 0 fail 20  812/s  ETA 2s
//
// The total is marked with "+" while the sources are still being read.
func (p *progress) line(now time.Time) string {
	items := p.c.items.Load()
	ok, same, upd, fail := p.c.ingested.Load(), p.c.unchanged.Load(), p.c.updated.Load(), p.c.failed.Load()
	doneN := ok + same + upd + fail
	total := max(items, doneN)
	more := ""
	if p.c.producing.Load() {
		more = "+"
	}
	elapsed := now.Sub(p.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(doneN) / elapsed
	}
	eta := "?"
	if rate > 0 && more == "" {
		eta = (time.Duration(float64(total-doneN)/rate) * time.Second).Round(time.Second).String()
	}
	text := fmt.Sprintf(" %d/%d%s  ok %d same %d upd %d fail %d  %.0f/s  ETA %s", doneN, total, more, ok, same, upd, fail, rate, eta)
	barW := p.width - len(text) - 2
	if barW < 5 {
		return strings.TrimSpace(text)
	}
	filled := 0
	if total > 0 {
		filled = int(float64(barW) * float64(doneN) / float64(total))
	}
	return "[" + strings.Repeat("#", filled) + strings.Repeat(".", barW-filled) + "]" + text
}
