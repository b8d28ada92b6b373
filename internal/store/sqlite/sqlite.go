// Package sqlite is the embedded implementation of store.Store: one database
// file, no server, built on the pure-Go modernc.org/sqlite driver.
//
// The database runs in WAL mode with synchronous=NORMAL, so a committed
// transaction survives a crash of the process (not necessarily a power cut
// in the last moment) and readers never block the writer. Writes go through
// a single connection that begins transactions IMMEDIATE, so concurrent
// writers queue on the busy timeout instead of failing on lock upgrades;
// reads use a separate pool of read-only connections.
//
// A database that this process cannot write (the file, or the folder that
// would hold its -wal and -shm files, is not writable) opens read-only: the
// reading methods work, every write fails with store.ErrReadOnly, and no
// file is created beside the database. Without -wal and -shm files to
// share, it is opened immutable (SQLite takes no locks); that is sound
// because nobody can be writing a database in a folder no one can create
// a -wal file in.
//
// Importing this package registers it with store.Open for plain paths and
// "sqlite:PATH" names.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

func init() {
	store.Register("", func(ctx context.Context, dsn string) (store.Store, error) { return Open(ctx, dsn) })
}

// BusyTimeoutMillis is how long a connection waits for a lock held by
// another writer before failing.
const BusyTimeoutMillis = 30000

// pageSize is the page size of new databases.
const pageSize = 16384

// Store is the SQLite store. Create it with Open.
type Store struct {
	path string
	w    *sql.DB // the single write connection; nil when read-only
	r    *sql.DB // read-only connections
	// readOnly: the database was opened read-only (see the package doc);
	// writes fail with store.ErrReadOnly.
	readOnly bool

	stmts map[string]*sql.Stmt // writeQueries prepared on w, read-only after Open
	pins  chan struct{}        // a token per pinned read connection (see Pin)
	ss    searchStmts          // prepared on r (useReaders)

	bandsMu      sync.Mutex
	pendingBands map[string][]uint64 // article id -> bands not yet written
	pendingIndex map[uint64][]string // band -> article ids, for BandCandidates
	// The bands of the transaction being committed, still answered from
	// memory since readers cannot see them yet.
	inflightBands map[string][]uint64
	inflightIndex map[uint64][]string
	bandStmts     map[int]*sql.Stmt // candidate queries by number of bands, on r
}

var _ store.Store = (*Store)(nil)

// Open opens (creating when missing) the database at path, applies pending
// schema migrations and returns the store.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite: %s: database path may not contain '?' or '#'", path)
	}
	if !writable(path) {
		return openReadOnly(ctx, path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", path, err)
		}
	}
	common := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)", BusyTimeoutMillis)
	w, err := sql.Open("sqlite", path+"?"+common+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{path: path, w: w, stmts: map[string]*sql.Stmt{}}
	// A new file gets 16 KiB pages, which hold several compressed records
	// each where 4 KiB pages would waste a third of the file; then WAL
	// (persistent, so readers need not set it). Both are no-ops on an
	// existing database.
	var mode string
	if _, err := w.ExecContext(ctx, `PRAGMA page_size = `+fmt.Sprint(pageSize)); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	// Switching to WAL takes an exclusive lock and does not wait on the busy
	// handler, so processes opening a fresh database together retry here.
	err = retryBusy(ctx, func() error { return w.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode) })
	if err != nil || mode != "wal" {
		_ = w.Close()
		if err == nil {
			err = fmt.Errorf("cannot switch to WAL mode (journal_mode is %q)", mode)
		}
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	if err := s.migrate(ctx); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	if err := s.prepare(ctx); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", path+"?"+common+readerPragmas)
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	if err := s.useReaders(ctx, r); err != nil {
		_ = r.Close()
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return s, nil
}

// useReaders makes r the store's read pool, sized and with its search
// statements prepared (while no connection is pinned).
func (s *Store) useReaders(ctx context.Context, r *sql.DB) error {
	// Four readers at least: with eight, searches spread over more page
	// caches and served a quarter fewer requests a second (measured
	// alternately, 16 clients on 2 cores), for no gain on story pages.
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(readerMaxIdle)
	ss, err := prepareSearch(ctx, r)
	if err != nil {
		return err
	}
	s.r, s.pins, s.ss = r, make(chan struct{}, n), ss
	return nil
}

// readerPragmas set up each read connection. Reads map the database file
// (up to mmapSize bytes) instead of copying each page out of the OS cache
// with a read call: under load those calls were a third of the server's
// CPU (a pprof profile of the mixed load), and coverage queries, which
// look up every match's date, served 2.7 times as many requests mapped.
// A mapped page counts in the process's RSS (once per connection) while
// it stays the OS's shared, reclaimable file cache; see readerMaxIdle.
// What SQLite's documentation warns of: an I/O error on a mapped page is
// a fault rather than an error code, so a failing disk stops the process.
const readerPragmas = "&_pragma=query_only(1)&_pragma=mmap_size(" + mmapSize + ")"

// mmapSize is the most of the database file each read connection maps:
// SQLite's own ceiling on 64-bit Linux; the rest of a larger file is read.
const mmapSize = "2147418112"

// readerMaxIdle closes a read connection unused this long, which unmaps
// its view of the file: an idle server gives the mapped pages back within
// twice this (database/sql sweeps idle connections once a period).
const readerMaxIdle = 15 * time.Second

// writable reports whether this process may write the database at path:
// true when it does not exist yet (creating it reports any problem), else
// when both the file and its folder, where SQLite keeps the -wal and -shm
// files, are writable. Root passes permission bits; a read-only mount
// stops it too.
func writable(path string) bool {
	if _, err := os.Stat(path); err != nil {
		return true
	}
	return canWrite(path) && canWrite(filepath.Dir(path))
}

// openReadOnly opens an existing database that this process cannot write.
func openReadOnly(ctx context.Context, path string) (*Store, error) {
	// With -wal and -shm present, SQLite reads the WAL's committed pages
	// through them without writing; else there is no WAL to read and the
	// file is opened immutable, so that SQLite creates nothing beside it.
	params := "mode=ro"
	if !exists(path+"-wal") || !exists(path+"-shm") {
		params += "&immutable=1"
	}
	uri := "file:" + uriPath(path) + "?" + params + fmt.Sprintf("&_pragma=busy_timeout(%d)", BusyTimeoutMillis) + readerPragmas
	r, err := sql.Open("sqlite", uri)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	var cur sql.NullInt64
	if err := r.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&cur); err != nil {
		_ = r.Close()
		if strings.Contains(err.Error(), "no such table") {
			return nil, fmt.Errorf("sqlite: %s: not a newsdesk database (opened read-only: %w)", path, store.ErrReadOnly)
		}
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	if v := int(cur.Int64); v != schemaVersion() {
		_ = r.Close()
		if v > schemaVersion() {
			return nil, fmt.Errorf("sqlite: %s: database schema version %d is newer than this build supports (%d); upgrade newsdesk", path, v, schemaVersion())
		}
		return nil, fmt.Errorf("sqlite: %s: database schema version %d needs upgrading to %d, which a read-only database cannot be (%w); open it once where it is writable", path, v, schemaVersion(), store.ErrReadOnly)
	}
	s := &Store{path: path, readOnly: true, stmts: map[string]*sql.Stmt{}}
	if err := s.useReaders(ctx, r); err != nil {
		_ = r.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return s, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// uriPath escapes path for a file: URI.
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
}

// errReadOnly is the error of a write to a read-only store.
func (s *Store) errReadOnly() error {
	return fmt.Errorf("sqlite: %s: %w (the file or its folder is not writable)", s.path, store.ErrReadOnly)
}

// ReadOnly reports whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Path returns the database file name.
func (s *Store) Path() string { return s.path }

// Close closes the connections; SQLite checkpoints the WAL when the last
// connection to the database closes.
func (s *Store) Close() error {
	ferr := s.flushBands(context.Background())
	s.ss.close()
	for _, st := range s.stmts {
		_ = st.Close()
	}
	for _, st := range s.bandStmts {
		_ = st.Close()
	}
	err := s.r.Close()
	if s.w != nil {
		if err2 := s.w.Close(); err == nil {
			err = err2
		}
	}
	if err != nil {
		err = fmt.Errorf("sqlite: %s: close: %w", s.path, err)
	}
	if ferr != nil {
		// Band keys given to PutBands and not yet written with a Put:
		// copy detection would miss those articles.
		ferr = fmt.Errorf("sqlite: %s: close: writing pending band keys: %w", s.path, ferr)
	}
	return errors.Join(ferr, err)
}

// txStmt is a statement bound to a write transaction: the cached prepared
// statement when preparing succeeded, else the plain query (which then
// reports the preparation error from its first use).
type txStmt struct {
	tx *sql.Tx
	st *sql.Stmt
	q  string
}

func (x txStmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	if x.st == nil {
		return x.tx.ExecContext(ctx, x.q, args...)
	}
	return x.st.ExecContext(ctx, args...)
}

func (x txStmt) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	if x.st == nil {
		return x.tx.QueryRowContext(ctx, x.q, args...)
	}
	return x.st.QueryRowContext(ctx, args...)
}

// stmt returns q bound to tx, using the statement prepared at Open when q
// is one of writeQueries.
func (s *Store) stmt(ctx context.Context, tx *sql.Tx, q string) txStmt {
	st, ok := s.stmts[q]
	if !ok {
		return txStmt{tx: tx, q: q}
	}
	return txStmt{tx: tx, st: tx.StmtContext(ctx, st), q: q}
}

// prepare prepares the write statements on the write connection. It must
// run before any transaction: the connection is the pool's only one.
func (s *Store) prepare(ctx context.Context) error {
	for _, q := range writeQueries {
		st, err := s.w.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %.40s…: %w", q, err)
		}
		s.stmts[q] = st
	}
	return nil
}

// retryBusy runs fn until it succeeds, fails with an error other than a busy
// database, or the busy timeout passes.
func retryBusy(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(BusyTimeoutMillis * time.Millisecond)
	for {
		err := fn()
		if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}
