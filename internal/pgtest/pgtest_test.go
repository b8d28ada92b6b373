package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { Main(m) }

// TestDSN: each call is a database of its own, empty and in UTF-8.
func TestDSN(t *testing.T) {
	ctx := context.Background()
	a, b := DSN(t), DSN(t)
	if a == b {
		t.Fatalf("two calls gave one database: %s", a)
	}
	for _, dsn := range []string{a, b} {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		var tables int
		var encoding string
		err = conn.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'), current_setting('server_encoding')`).Scan(&tables, &encoding)
		conn.Close(ctx)
		if err != nil || tables != 0 || encoding != "UTF8" {
			t.Errorf("%s: %d tables, encoding %s, %v; want an empty UTF8 database", dsn, tables, encoding, err)
		}
	}
	if _, err := withDatabase("host=/tmp user=x dbname=postgres", "other"); err != nil {
		t.Error(err)
	}
	if got, _ := withDatabase("postgres://u:p@h:5/postgres?sslmode=disable", "other"); got != "postgres://u:p@h:5/other?sslmode=disable" {
		t.Errorf("withDatabase = %s", got)
	}
}
