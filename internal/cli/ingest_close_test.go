package cli

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// closeFailStore is the embedded store whose Close reports a failure, as
// when its last writes cannot be flushed to disk.
type closeFailStore struct{ *sqlite.Store }

func (s closeFailStore) Close() error {
	if err := s.Store.Close(); err != nil {
		return err
	}
	return errors.New("sqlite: close: disk I/O error")
}

func init() {
	store.Register("closefail", func(ctx context.Context, dsn string) (store.Store, error) {
		s, err := sqlite.Open(ctx, strings.TrimPrefix(dsn, "closefail://"))
		if err != nil {
			return nil, err
		}
		return closeFailStore{s}, nil
	})
}

// TestIngestCloseFailure: when the database cannot be closed cleanly
// (its final writes failed), ingest says so and exits non-zero.
func TestIngestCloseFailure(t *testing.T) {
	dir := t.TempDir()
	corpus(t, dir, 3)
	db := "closefail://" + filepath.Join(t.TempDir(), "c.db")
	_, errOut, code := nd(t, db, "", "ingest", "--quiet", dir)
	if code != ExitPartial {
		t.Errorf("exit %d, want %d: %s", code, ExitPartial, errOut)
	}
	if !strings.Contains(errOut, "ingested 3,") || !strings.Contains(errOut, "disk I/O error") {
		t.Errorf("stderr does not report the failed close:\n%s", errOut)
	}
}
