package postgres

import (
	"context"
	"testing"

	"github.com/newsdesk/newsdesk/internal/pgtest"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestSerialLock: two stores on one database take turns, as two processes
// would.
func TestSerialLock(t *testing.T) {
	dsn := pgtest.DSN(t)
	var stores []*Store
	for range 2 {
		s, err := Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	storetest.CheckSerialLock(t, stores[0], stores[1])
}
