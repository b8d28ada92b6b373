// Package pgtest gives tests a fresh, empty PostgreSQL database each.
//
// DSN uses the server named by NEWSDESK_TEST_POSTGRES (a postgres:// URL
// or key=value string of a user allowed to create databases) when it is
// set. Otherwise it starts a throwaway cluster once per test process:
// initdb into a temporary folder, then pg_ctl start on a free loopback
// port with the socket in that folder. initdb and pg_ctl are looked up on
// PATH, then in /usr/lib/postgresql/*/bin; as root they run as the
// postgres system user, since PostgreSQL refuses to run as root.
//
// Without PostgreSQL installed, tests that ask for a database are skipped,
// or fail when the CI environment variable is set. A package whose tests
// use DSN stops the cluster at the end with a TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvServer names the environment variable of an existing server to use.
const EnvServer = "NEWSDESK_TEST_POSTGRES"

var (
	once    sync.Once
	admin   string // DSN of the server's maintenance database
	missing string // what is not installed, when nothing could start
	failure error  // why the cluster did not start
	stop    func()
)

// DSN returns the data source name of a new, empty database, dropped when
// the test ends.
func DSN(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	switch {
	case missing != "":
		if os.Getenv("CI") != "" {
			t.Fatalf("pgtest: PostgreSQL is not installed: %s (install the postgresql package, or set %s)", missing, EnvServer)
		}
		t.Skipf("pgtest: PostgreSQL is not installed (%s); set %s to use a server", missing, EnvServer)
	case failure != nil:
		t.Fatalf("pgtest: %v", failure)
	}
	ctx := context.Background()
	name := "newsdesk_test_" + randomHex(6)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	dsn, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return dsn
}

// Main runs the tests and stops the cluster DSN started, if any.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Stop stops the cluster DSN started and removes its folder.
func Stop() {
	if stop != nil {
		stop()
		stop = nil
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// withDatabase returns dsn naming database name instead of its own.
func withDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("%s does not parse as a URL", EnvServer)
		}
		u.Path = "/" + name
		return u.String(), nil
	}
	return dsn + " dbname=" + name, nil
}

func setup() {
	if dsn := os.Getenv(EnvServer); dsn != "" {
		admin = dsn
		return
	}
	initdb, err := find("initdb")
	if err != nil {
		missing = err.Error()
		return
	}
	bin := filepath.Dir(initdb)
	pgctl := filepath.Join(bin, "pg_ctl")
	if _, err := os.Stat(pgctl); err != nil {
		if pgctl, err = find("pg_ctl"); err != nil {
			missing = err.Error()
			return
		}
	}
	failure = start(initdb, pgctl)
}

// find looks for a PostgreSQL program on PATH, then in the Debian
// layout's folders, newest version first.
func find(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return real, nil
		}
		return p, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return vb - va
	})
	for _, d := range dirs {
		p := filepath.Join(d, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no %s on PATH nor in /usr/lib/postgresql/*/bin", name)
}

// superuser is the role initdb creates.
const superuser = "pgtest"

func start(initdb, pgctl string) error {
	dir, err := os.MkdirTemp("", "newsdesk-pgtest-")
	if err != nil {
		return err
	}
	run := func(name string, args ...string) *exec.Cmd { return exec.Command(name, args...) }
	if os.Getuid() == 0 {
		// PostgreSQL will not run as root: as the postgres system user,
		// which must own the folder.
		u, err := user.Lookup("postgres")
		if err != nil {
			_ = os.RemoveAll(dir)
			return fmt.Errorf("running as root, and there is no postgres system user to run PostgreSQL as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			_ = os.RemoveAll(dir)
			return err
		}
		if runuser, err := exec.LookPath("runuser"); err == nil {
			run = func(name string, args ...string) *exec.Cmd {
				return exec.Command(runuser, append([]string{"-u", "postgres", "--", name}, args...)...)
			}
		} else {
			run = func(name string, args ...string) *exec.Cmd {
				quoted := make([]string, 0, len(args)+1)
				for _, a := range append([]string{name}, args...) {
					quoted = append(quoted, "'"+strings.ReplaceAll(a, "'", `'\''`)+"'")
				}
				return exec.Command("su", "postgres", "-s", "/bin/sh", "-c", strings.Join(quoted, " "))
			}
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := run(initdb, "-D", data, "-U", superuser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return fmt.Errorf("initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		_ = os.RemoveAll(dir)
		return err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB", port, dir)
	logFile := filepath.Join(dir, "postgres.log")
	if out, err := run(pgctl, "-D", data, "-l", logFile, "-w", "-t", "60", "-o", opts, "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(logFile)
		_ = os.RemoveAll(dir)
		return fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	stop = func() {
		_ = run(pgctl, "-D", data, "-m", "immediate", "-w", "stop").Run()
		_ = os.RemoveAll(dir)
	}
	admin = fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", superuser, port)
	// The server accepts connections once pg_ctl -w returns; a moment's
	// grace for a loaded machine.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, admin)
		if err == nil {
			_ = conn.Close(ctx)
			return nil
		}
		if ctx.Err() != nil {
			return errors.Join(fmt.Errorf("the cluster in %s does not accept connections", dir), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
