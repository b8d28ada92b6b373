package sqlite

import (
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func openConformance(t *testing.T) store.Store { return openTest(t) }

func TestConformance(t *testing.T) { storetest.Run(t, openConformance) }

func TestUndocumented(t *testing.T) { storetest.RunUndocumented(t, openConformance) }

func TestPinConformance(t *testing.T) {
	s := openTest(t)
	storetest.CheckPin(t, s, s.r.Stats().MaxOpenConnections)
}
