package sqlite

import (
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func TestFeedLease(t *testing.T) {
	storetest.CheckFeedLease(t, func(t *testing.T) store.Store { return openTest(t) })
}
