// Package postgres is the PostgreSQL implementation of store.Store and
// store.Newsroom, on a pgx connection pool.
//
// Several processes may use one database at once: every write is one
// transaction, retried when PostgreSQL reports a serialization failure or
// a deadlock, articles being written are locked in id order, and the
// schema is migrated under an advisory lock. Nothing that must hold across
// processes relies on locks in this one.
//
// Search runs in PostgreSQL: each article has a tsvector (title above
// bylines and body) stemmed by its language's Snowball stemmer, under a GIN
// index; ts_rank orders the hits. Text is folded and split into words here
// (text.go) before PostgreSQL sees it, so that articles and queries are
// read the same way whatever the server's locale, and queries in
// newsdesk's own language (internal/query) compile to tsquery (compile.go).
//
// Parameters of the data source name that pgx does not know itself are
// sent to the server as session settings. synchronous_commit=off (for
// example postgres://host/news?synchronous_commit=off) lets a commit
// return before its WAL is flushed: a server crash may then lose the
// last commits reported done (up to three times wal_writer_delay, 600 ms
// by default), though never leave the database inconsistent. newsdesk
// does not set it: by default every write is durable once it returns.
//
// Importing this package registers it with store.Open for "postgres://"
// and "postgresql://" names.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/newsdesk/newsdesk/internal/store"
)

func init() {
	open := func(ctx context.Context, dsn string) (store.Store, error) { return Open(ctx, dsn) }
	store.Register("postgres", open)
	store.Register("postgresql", open)
}

// Store is the PostgreSQL store. Create it with Open.
type Store struct {
	pool     *pgxpool.Pool
	location string // the data source without its password
	readOnly bool
	// lexicon: the lexemes of words seen, for building tsvectors.
	lexicon lexicon
}

var (
	_ store.Store    = (*Store)(nil)
	_ store.Newsroom = (*Store)(nil)
)

// minServerVersion is the oldest PostgreSQL the schema runs on (13: the
// Snowball stemmers of every configured language).
const minServerVersion = 130000

// Open connects to the database named by dsn (a postgres:// URL or a
// key=value string), applies pending migrations and returns the store.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's parse errors may quote the string, password and all.
		return nil, errors.New("postgres: the data source name does not parse as a postgres:// URL or key=value list")
	}
	s := &Store{location: location(cfg.ConnConfig)}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, s.errorf("connect: %w", err)
	}
	s.pool = pool
	var version int
	var encoding string
	if err := pool.QueryRow(ctx, `SELECT current_setting('server_version_num')::int, current_setting('server_encoding'),
		pg_is_in_recovery() OR current_setting('default_transaction_read_only') = 'on'`).Scan(&version, &encoding, &s.readOnly); err != nil {
		pool.Close()
		return nil, s.errorf("connect: %w", err)
	}
	switch {
	case version < minServerVersion:
		pool.Close()
		return nil, s.errorf("PostgreSQL %d.%d is too old (13 or later is needed)", version/10000, version%10000)
	case encoding != "UTF8":
		pool.Close()
		return nil, s.errorf("the database encoding is %s; newsdesk needs UTF8 (CREATE DATABASE … ENCODING 'UTF8')", encoding)
	}
	if s.readOnly {
		err = checkVersion(ctx, pool)
	} else {
		err = migrate(ctx, pool)
	}
	if err != nil {
		pool.Close()
		return nil, s.errorf("%w", err)
	}
	return s, nil
}

// checkVersion refuses a read-only database whose schema is not this
// build's: it cannot be migrated.
func checkVersion(ctx context.Context, pool *pgxpool.Pool) error {
	var v int
	if err := pool.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return fmt.Errorf("not a newsdesk database (opened read-only: %w)", store.ErrReadOnly)
	}
	if v != schemaVersion() {
		return fmt.Errorf("database schema version %d, this build needs %d, and a read-only database cannot be migrated (%w)", v, schemaVersion(), store.ErrReadOnly)
	}
	return nil
}

// location names the database without secrets.
func location(c *pgx.ConnConfig) string {
	host := c.Host
	if len(host) > 0 && host[0] != '/' {
		host = net.JoinHostPort(host, strconv.Itoa(int(c.Port)))
	} else {
		host = "[" + host + "]:" + strconv.Itoa(int(c.Port))
	}
	user := ""
	if c.User != "" {
		user = c.User + "@"
	}
	return "postgres://" + user + host + "/" + c.Database
}

// Location returns the database's address without its password.
func (s *Store) Location() string { return s.location }

// ReadOnly reports whether the database refuses writes (a standby, or
// default_transaction_read_only set).
func (s *Store) ReadOnly() bool { return s.readOnly }

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// errorf returns an error prefixed with the package and the database.
func (s *Store) errorf(format string, args ...any) error {
	return fmt.Errorf("postgres: %s: "+format, append([]any{s.location}, args...)...)
}

// wrap prefixes err with the package and op; a write refused by a
// read-only server matches store.ErrReadOnly.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "25006" {
		return fmt.Errorf("postgres: %s: %w: %w", op, store.ErrReadOnly, err)
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

func (s *Store) errReadOnly(op string) error {
	return fmt.Errorf("postgres: %s: %s: %w (a standby or a read-only session)", s.location, op, store.ErrReadOnly)
}

// errRace is the error of a transaction that lost a race with another
// writer in a way PostgreSQL does not report as a serialization failure
// (both inserted the same new article); it is retried.
var errRace = errors.New("another writer stored the same article meanwhile")

// maxAttempts bounds the tries of a transaction that keeps conflicting.
const maxAttempts = 12

// retryable reports whether a transaction that failed with err may
// succeed when run again.
func retryable(err error) bool {
	if errors.Is(err, errRace) {
		return true
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40001", "40P01": // serialization failure, deadlock
		return true
	case "23505": // unique violation: a concurrent insert of the same key
		return pe.ConstraintName == "articles_id_key"
	}
	return false
}

// inTx runs fn in a transaction, again (from the start) when it fails in
// a way that a retry may fix.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	backoff := 2 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := pgx.BeginFunc(ctx, s.pool, fn)
		if err == nil || !retryable(err) || attempt == maxAttempts || ctx.Err() != nil {
			return err
		}
		d := backoff/2 + rand.N(backoff)
		backoff = min(2*backoff, 500*time.Millisecond)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
		}
	}
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullMillis(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	ms := t.UnixMilli()
	return &ms
}

func millisTime(v *int64) time.Time {
	if v == nil {
		return time.Time{}
	}
	return time.UnixMilli(*v).UTC()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
