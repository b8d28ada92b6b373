package store

import "context"

// Pinner is a store whose reads can share one connection for a while.
// A page that makes several reads then waits for a free connection once,
// not once per read: with every connection busy, a page of six reads
// queued six times behind other requests.
type Pinner interface {
	// Pin returns a context whose reads through this store all use one
	// connection, and the function that gives the connection back. Reads
	// under the returned context must not run concurrently, and none may
	// run after release.
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
