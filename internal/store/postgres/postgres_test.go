package postgres

import (
	"context"
	"testing"

	"github.com/newsdesk/newsdesk/internal/pgtest"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// openTest opens a store on a fresh database, closed when t ends.
func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPutBatchContract(t *testing.T) {
	storetest.CheckPutBatch(t, openTest(t))
}

func TestNewsroomContract(t *testing.T) {
	storetest.CheckNewsroom(t, func(t *testing.T) store.Store { return openTest(t) })
}
