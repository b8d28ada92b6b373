package store

import "context"

// Pinner is a store whose reads can share one connection for a while.
// A page that makes several reads then waits for a free connection once,
// not once per read: with every connection busy, a page of six reads
// queued six times behind other requests.
type Pinner interface {
	// Pin returns a context whose reads through this store all use one
	// connection, and the function that gives the connection back (it
	// may be called more than once, and does not wait). Reads under the
	// returned context must not run concurrently; after release they use
	// the store's pool again.
	Pin(ctx context.Context) (pinned context.Context, release func(), err error)
}

// Pin pins st's reads when st is a Pinner. When it is not, or pinning
// fails (the reads will then report the failure themselves), it returns
// ctx unchanged and a release that does nothing.
func Pin(ctx context.Context, st any) (context.Context, func()) {
	p, ok := st.(Pinner)
	if !ok {
		return ctx, func() {}
	}
	pinned, release, err := p.Pin(ctx)
	if err != nil {
		return ctx, func() {}
	}
	return pinned, release
}

// IndexMaintainer is a store whose search index gets slower to query as
// writes add to it, until it is merged. MaintainIndex merges it when it
// is worth it, in steps that each hold the write lock briefly, and
// reports whether it did. Ingest calls it when a run ends, and the server
// now and then. Cancelling ctx stops between steps; the index stays sound.
type IndexMaintainer interface {
	MaintainIndex(ctx context.Context) (merged bool, err error)
}

// MaintainIndex runs st's index maintenance when st has any.
func MaintainIndex(ctx context.Context, st any) (bool, error) {
	if m, ok := st.(IndexMaintainer); ok {
		return m.MaintainIndex(ctx)
	}
	return false, nil
}
