package store

import "errors"

// Errors of the Newsroom methods; they are wrapped with what was asked, so
// test with errors.Is.
var (
	// ErrBadCursor is returned for a page cursor this store did not make
	// for this kind of query (damaged, truncated, or from another list).
	ErrBadCursor = errors.New("store: bad page cursor")
	// ErrBadQuery is returned for a Newsroom query that cannot be answered
	// as asked: an unknown story order or bucket size, Until before Since,
	// or a coverage period of more buckets than MaxCoverageBuckets allows.
	ErrBadQuery = errors.New("store: bad query")
)

// Coverage limits: a series covers a period of at most this many
// buckets (one more when the period does not start at a bucket's start,
// such as the 14 days to now in hours).
const (
	MaxCoverageDays  = 366
	MaxCoverageHours = 24 * 14
)
