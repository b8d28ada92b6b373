package sqlite

import (
	"testing"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func TestPutBatch(t *testing.T) { storetest.CheckPutBatch(t, openTest(t)) }
