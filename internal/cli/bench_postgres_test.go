package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/pgtest"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// BenchmarkIngestPostgres measures `newsdesk ingest DIR` of 5,000 text
// files of about 5 KB (the corpus of the ingest tests), with every stage
// on and without stories, into a fresh SQLite file and a fresh PostgreSQL database, and, since
// both share the machine's cores, where the CPU went: this process's time
// and the PostgreSQL server's (the postmaster and its children, read from
// /proc) per article and as a share of the wall time. "postgres-async"
// connects with synchronous_commit=off.
func BenchmarkIngestPostgres(b *testing.B) {
	const files = 5000
	dir := b.TempDir()
	g := storetest.New(files)
	for i := range files {
		data := append(g.TextFile(5000), fmt.Appendf(nil, "\nFiled %d from the lanternwick desk.\n", i)...)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%05d.txt", i)), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for _, stages := range []struct {
		name  string
		flags []string
	}{{"all-stages", nil}, {"no-stories", []string{"--no-stories"}}} {
		for _, target := range []string{"sqlite", "postgres", "postgres-async"} {
			b.Run(stages.name+"/"+target, func(b *testing.B) { benchIngestInto(b, dir, files, target, stages.flags) })
		}
	}
}

func benchIngestInto(b *testing.B, dir string, files int, target string, flags []string) {
	var selfCPU, serverCPU time.Duration
	for b.Loop() {
		b.StopTimer()
		db := filepath.Join(b.TempDir(), "news.db")
		var postmaster int
		if target != "sqlite" {
			db = pgtest.DSN(b)
			postmaster = postmasterOf(b, db)
			if target == "postgres-async" {
				db += "&synchronous_commit=off"
			}
		}
		var errb bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errb, Getenv: func(string) string { return "" }}
		self0, server0 := processCPU(b), clusterCPU(b, postmaster)
		b.StartTimer()
		args := append(append([]string{"ingest", "--quiet", "--db", db}, flags...), dir)
		if code := Main(context.Background(), env, args); code != ExitOK {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
		b.StopTimer()
		selfCPU += processCPU(b) - self0
		serverCPU += clusterCPU(b, postmaster) - server0
		if !strings.Contains(errb.String(), fmt.Sprintf("ingested %d,", files)) {
			b.Fatalf("unexpected summary: %s", errb.String())
		}
		b.StartTimer()
	}
	n := float64(files * b.N)
	wall := b.Elapsed().Seconds()
	b.ReportMetric(n/wall, "articles/s")
	b.ReportMetric(selfCPU.Seconds()*1e6/n, "newsdesk-cpu-µs/article")
	b.ReportMetric(serverCPU.Seconds()*1e6/n, "server-cpu-µs/article")
	b.ReportMetric(100*selfCPU.Seconds()/wall, "newsdesk-cpu-%")
	b.ReportMetric(100*serverCPU.Seconds()/wall, "server-cpu-%")
}

// processCPU is this process's user and system time so far.
func processCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// postmasterOf returns the pid of the server of the database at dsn: the
// parent of a backend.
func postmasterOf(tb testing.TB, dsn string) int {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(ctx)
	var backend int
	if err := conn.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&backend); err != nil {
		tb.Fatal(err)
	}
	return procStat(tb, backend).ppid
}

type procTimes struct {
	ppid int
	// in clock ticks: the process's own, and its reaped children's
	own, children int64
}

// clockTick is USER_HZ, the unit of /proc/<pid>/stat times on Linux.
const clockTick = 10 * time.Millisecond

// procStat reads /proc/pid/stat; a process that is gone reads as zero.
func procStat(tb testing.TB, pid int) procTimes {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procTimes{}
	}
	// The command name is in parentheses and may hold spaces.
	rest := string(data[bytes.LastIndexByte(data, ')')+2:])
	f := strings.Fields(rest)
	num := func(i int) int64 { // i: the field's number in proc(5)
		v, err := strconv.ParseInt(f[i-3], 10, 64)
		if err != nil {
			tb.Fatalf("/proc/%d/stat field %d: %v", pid, i, err)
		}
		return v
	}
	return procTimes{ppid: int(num(4)), own: num(14) + num(15), children: num(16) + num(17)}
}

// clusterCPU is the CPU time of the server whose postmaster is pid: its
// own, its live children's and its exited children's (counted in its
// reaped-children time). 0 for no server.
func clusterCPU(tb testing.TB, pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	pm := procStat(tb, pid)
	ticks := pm.own + pm.children
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		child, err := strconv.Atoi(filepath.Base(p))
		if err != nil || child == pid {
			continue
		}
		if st := procStat(tb, child); st.ppid == pid {
			ticks += st.own
		}
	}
	return time.Duration(ticks) * clockTick
}
