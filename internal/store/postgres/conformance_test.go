package postgres

import (
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTest(t) })
}

// TestUndocumented runs the checks of what the SQLite store does beyond
// the interface's documents, which users of newsdesk see.
func TestUndocumented(t *testing.T) {
	storetest.RunUndocumented(t, func(t *testing.T) store.Store { return openTest(t) })
}
