//go:build unix

package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestSerialLock: two stores on one file take turns, as two processes
// would.
func TestSerialLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "serial.db")
	var stores []*Store
	for range 2 {
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	storetest.CheckSerialLock(t, stores[0], stores[1])
}
