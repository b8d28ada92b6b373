package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/newsdesk/newsdesk/internal/store"
)

var _ store.Pinner = (*Store)(nil)

// pinKey carries a pinned read connection in a context.
type pinKey struct{}

type pinnedConn struct {
	s        *Store
	c        *sql.Conn
	released atomic.Bool
}

// Pin implements store.Pinner: reads under the returned context use one
// read connection until release. Pinning again under a pinned context
// keeps the same connection.
func (s *Store) Pin(ctx context.Context) (context.Context, func(), error) {
	if s.pinned(ctx) != nil {
		return ctx, func() {}, nil
	}
	// Pins are handed out first come, first served (a channel's waiters
	// queue in order); the pool picks a waiter at random, which under
	// load gave some pages a long wait.
	select {
	case s.pins <- struct{}{}:
	case <-ctx.Done():
		return ctx, func() {}, fmt.Errorf("sqlite: %s: %w", s.path, ctx.Err())
	}
	c, err := s.r.Conn(ctx)
	if err != nil {
		<-s.pins
		return ctx, func() {}, fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	p := &pinnedConn{s: s, c: c}
	var once sync.Once
	release := func() {
		once.Do(func() {
			// Later reads under ctx go to the pool. The connection goes
			// back once any rows still open on it are closed (Close waits
			// for them), so a caller that releases while iterating
			// cannot deadlock itself.
			p.released.Store(true)
			go func() {
				_ = c.Close()
				<-s.pins
			}()
		})
	}
	return context.WithValue(ctx, pinKey{}, p), release, nil
}

// reader is what the read paths query: a pinned connection or the pool.
type reader interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// reader returns the connection pinned in ctx for this store, else the
// read pool. Every read goes through it: a pinned request that took a
// second connection from the pool could wait forever on requests that
// each hold one.
func (s *Store) reader(ctx context.Context) reader {
	if c := s.pinned(ctx); c != nil {
		return c
	}
	return s.r
}

// pinned returns the connection pinned in ctx for this store, or nil.
func (s *Store) pinned(ctx context.Context) *sql.Conn {
	if p, ok := ctx.Value(pinKey{}).(*pinnedConn); ok && p.s == s && !p.released.Load() {
		return p.c
	}
	return nil
}
