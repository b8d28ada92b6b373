package postgres

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/newsdesk/newsdesk/internal/pgtest"
)

// TestMigrationsConcurrent: processes opening a fresh database at once
// (here goroutines, each with its own pool) all succeed and apply each
// migration exactly once; a database from a newer build is refused.
func TestMigrationsConcurrent(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	stores := make([]*Store, 6)
	errs := make([]error, len(stores))
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = Open(ctx, dsn) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	rows, err := stores[0].pool.Query(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	rows.Close()
	var want []int
	for _, m := range migrations {
		want = append(want, m.version)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("schema versions %v, want %v", got, want)
	}
	if _, err := stores[0].pool.Exec(ctx, `INSERT INTO schema_migrations(version, name) VALUES (99, 'future')`); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(ctx, dsn); err == nil || !strings.Contains(err.Error(), "newer") {
		if s != nil {
			s.Close()
		}
		t.Fatalf("open of a newer schema: %v, want a 'newer' error", err)
	}
}

// TestOpenErrors: a data source that does not parse or does not connect
// is an error that keeps the password to itself.
func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for _, dsn := range []string{
		"postgres://newsdesk:s3cret-pw@127.0.0.1:1/news?connect_timeout=2",
		"postgres://newsdesk:s3cret-pw@[::1/news",
	} {
		s, err := Open(ctx, dsn)
		if err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", dsn)
			continue
		}
		if strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("the error of Open shows the password: %v", err)
		}
		if !strings.HasPrefix(err.Error(), "postgres: ") {
			t.Errorf("error %q lacks the package prefix", err)
		}
	}
}
