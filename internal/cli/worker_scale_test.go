package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/pgtest"
	"github.com/newsdesk/newsdesk/internal/queue/queuetest"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The scale benchmark runs its workers as subprocesses of the test binary
// (TestWorkerGateHelper) so that their CPU time is their own and the
// serial turn can be timed without touching the production code: the
// helper opens the database through the "timedpg" scheme, the PostgreSQL
// store with a LockSerial that records how long each turn waited and was
// held.

const (
	envGateHelper = "NEWSDESK_GATE_HELPER" // JSON arguments of the helper's command
	timedScheme   = "timedpg"
)

type gateStats struct {
	turns      atomic.Int64
	waitNanos  atomic.Int64
	holdNanos  atomic.Int64
	maxHoldNs  atomic.Int64
	firstEnter atomic.Int64 // unix nanos of the first turn
	lastLeave  atomic.Int64
	puts       atomic.Int64 // PutBatch calls with articles
	putArts    atomic.Int64
	putNanos   atomic.Int64
	readNanos  atomic.Int64 // the reads of the copy and story state (reloads, copy candidates)
}

var helperGate gateStats

// timedStore is a store whose serial lock is timed.
type timedStore struct {
	store.Store
	locker store.SerialLocker
}

func (s timedStore) LockSerial(ctx context.Context) (func(), error) {
	t0 := time.Now()
	unlock, err := s.locker.LockSerial(ctx)
	if err != nil {
		return nil, err
	}
	t1 := time.Now()
	helperGate.waitNanos.Add(int64(t1.Sub(t0)))
	helperGate.firstEnter.CompareAndSwap(0, t1.UnixNano())
	return func() {
		unlock()
		held := int64(time.Since(t1))
		helperGate.turns.Add(1)
		helperGate.holdNanos.Add(held)
		for {
			m := helperGate.maxHoldNs.Load()
			if held <= m || helperGate.maxHoldNs.CompareAndSwap(m, held) {
				break
			}
		}
		helperGate.lastLeave.Store(time.Now().UnixNano())
	}, nil
}

func (s timedStore) PutBatch(ctx context.Context, b store.Batch) ([]store.Result, error) {
	t0 := time.Now()
	res, err := s.Store.PutBatch(ctx, b)
	if len(b.Entries) > 0 {
		helperGate.puts.Add(1)
		helperGate.putArts.Add(int64(len(b.Entries)))
		helperGate.putNanos.Add(int64(time.Since(t0)))
	}
	return res, err
}

func (s timedStore) State(ctx context.Context, name string) ([]byte, error) {
	defer timeRead(time.Now())
	return s.Store.State(ctx, name)
}

func (s timedStore) Stories(ctx context.Context, since time.Time) ([]store.StoryState, error) {
	defer timeRead(time.Now())
	return s.Store.Stories(ctx, since)
}

// StoriesByID keeps the store's store.StoryGetter, which the Annotator
// uses to reload only the stories others changed.
func (s timedStore) StoriesByID(ctx context.Context, ids []string) ([]store.StoryState, error) {
	defer timeRead(time.Now())
	return s.Store.(store.StoryGetter).StoriesByID(ctx, ids)
}

func (s timedStore) BandCandidates(ctx context.Context, bands []uint64) ([]string, error) {
	defer timeRead(time.Now())
	return s.Store.BandCandidates(ctx, bands)
}

func (s timedStore) Get(ctx context.Context, id string) (*article.Article, error) {
	defer timeRead(time.Now())
	return s.Store.Get(ctx, id)
}

func (s timedStore) DupGroups(ctx context.Context) ([]store.DupGroup, error) {
	defer timeRead(time.Now())
	return s.Store.DupGroups(ctx)
}

func timeRead(t0 time.Time) { helperGate.readNanos.Add(int64(time.Since(t0))) }

func (s timedStore) ReadOnly() bool { return store.IsReadOnly(s.Store) }

var registerTimed sync.Once

// TestWorkerGateHelper is not a test: run by the scale benchmark with
// NEWSDESK_GATE_HELPER set, it runs one newsdesk command (as the binary's
// main does) and prints the serial turn's timings on stderr.
func TestWorkerGateHelper(t *testing.T) {
	spec := os.Getenv(envGateHelper)
	if spec == "" {
		t.Skip("a helper process of TestWorkerScaleThroughput")
	}
	var args []string
	if err := json.Unmarshal([]byte(spec), &args); err != nil {
		t.Fatal(err)
	}
	registerTimed.Do(func() {
		store.Register(timedScheme, func(ctx context.Context, dsn string) (store.Store, error) {
			st, err := store.Open(ctx, "postgres"+strings.TrimPrefix(dsn, timedScheme))
			if err != nil {
				return nil, err
			}
			l, ok := st.(store.SerialLocker)
			if !ok {
				st.Close()
				return nil, fmt.Errorf("%s: no serial lock to time", dsn)
			}
			if _, ok := st.(store.StoryGetter); !ok {
				st.Close()
				return nil, fmt.Errorf("%s: the store has no StoriesByID to pass on", dsn)
			}
			return timedStore{Store: st, locker: l}, nil
		})
	})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, args)
	stop()
	fmt.Fprintf(os.Stderr, "gate: turns %d wait_ns %d hold_ns %d max_hold_ns %d first_ns %d last_ns %d puts %d put_arts %d put_ns %d read_ns %d\n",
		helperGate.turns.Load(), helperGate.waitNanos.Load(), helperGate.holdNanos.Load(), helperGate.maxHoldNs.Load(),
		helperGate.firstEnter.Load(), helperGate.lastLeave.Load(), helperGate.puts.Load(), helperGate.putArts.Load(), helperGate.putNanos.Load(), helperGate.readNanos.Load())
	os.Exit(code)
}

// helperRun is one finished helper process.
type helperRun struct {
	cpu                   time.Duration // user + system
	turns                 int64
	wait, hold, maxHold   time.Duration
	firstEnter, lastLeave int64
	puts, putArts         int64
	put, read             time.Duration
	stderr                string
}

func startHelper(t *testing.T, args ...string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	spec, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^TestWorkerGateHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), envGateHelper+"="+string(spec))
	out := new(syncBuffer)
	cmd.Stderr = out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, out
}

func finishHelper(t *testing.T, cmd *exec.Cmd, out *syncBuffer) helperRun {
	t.Helper()
	if err := cmd.Wait(); err != nil {
		t.Errorf("%v: %v\n%s", cmd.Args, err, out)
	}
	r := helperRun{cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), stderr: out.String()}
	for line := range strings.Lines(r.stderr) {
		var w, h, m, p, rd int64
		if _, err := fmt.Sscanf(line, "gate: turns %d wait_ns %d hold_ns %d max_hold_ns %d first_ns %d last_ns %d puts %d put_arts %d put_ns %d read_ns %d",
			&r.turns, &w, &h, &m, &r.firstEnter, &r.lastLeave, &r.puts, &r.putArts, &p, &rd); err == nil {
			r.wait, r.hold, r.maxHold, r.put, r.read = time.Duration(w), time.Duration(h), time.Duration(m), time.Duration(p), time.Duration(rd)
		}
	}
	return r
}

// scaleUserHZ is the kernel's USER_HZ, the unit of /proc/PID/stat times.
const scaleUserHZ = 100

// scaleProcCPU returns a process's utime+stime, and with children the times of
// its waited-for children (cutime+cstime), from /proc/PID/stat.
func scaleProcCPU(pid int, children bool) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(data)
	// Fields after the command name in parentheses: state is field 3.
	rest := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	field := func(n int) int64 { v, _ := strconv.ParseInt(rest[n-3], 10, 64); return v }
	ticks := field(14) + field(15)
	if children {
		ticks += field(16) + field(17)
	}
	return time.Duration(ticks) * time.Second / scaleUserHZ, nil
}

// scalePostgresPIDs finds the postmaster listening on port and its children.
func scalePostgresPIDs(port string) (postmaster int, children []int) {
	ents, _ := os.ReadDir("/proc")
	ppid := map[int]int{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		args := strings.Split(string(cmdline), "\x00")
		if len(args) > 0 && filepath.Base(args[0]) == "postgres" {
			for i := range args[:len(args)-1] {
				if args[i] == "-p" && args[i+1] == port {
					postmaster = pid
				}
			}
		}
		stat, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if i := strings.LastIndexByte(string(stat), ')'); i > 0 {
			if f := strings.Fields(string(stat)[i+2:]); len(f) > 1 {
				ppid[pid], _ = strconv.Atoi(f[1])
			}
		}
	}
	for pid, pp := range ppid {
		if pp == postmaster && postmaster != 0 {
			children = append(children, pid)
		}
	}
	return postmaster, children
}

// scalePostgresCPU is the CPU time of the cluster on port: the postmaster's
// own and its reaped children's, plus its live children's.
func scalePostgresCPU(t *testing.T, port string) time.Duration {
	t.Helper()
	pm, kids := scalePostgresPIDs(port)
	if pm == 0 {
		t.Fatalf("no postmaster on port %s", port)
	}
	total, err := scaleProcCPU(pm, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kids {
		if c, err := scaleProcCPU(k, false); err == nil {
			total += c
		}
	}
	return total
}

func scaleLoadAvg() string {
	data, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// TestWorkerScaleThroughput measures plain ingest and 1 or 2 workers
// (each -j 1 and -j 2) over 3,000 plain-text articles of about 5 KB into
// PostgreSQL, with the CPU time of the workers, the NATS server (embedded
// in this test process, which does nothing else meanwhile) and
// PostgreSQL, and the serial turn's wait and hold times. It runs only when
// asked:
//
//	NEWSDESK_SCALE_THROUGHPUT=1 go test ./internal/cli -run TestWorkerScaleThroughput -v -timeout 30m
func TestWorkerScaleThroughput(t *testing.T) {
	if os.Getenv("NEWSDESK_SCALE_THROUGHPUT") == "" {
		t.Skip("set NEWSDESK_SCALE_THROUGHPUT=1 to measure")
	}
	n := 3000
	if v, err := strconv.Atoi(os.Getenv("NEWSDESK_SCALE_N")); err == nil && v > 0 {
		n = v
	}
	dir := t.TempDir()
	corpus(t, dir, n)
	t.Logf("%d articles of about 5 KB; wall-clock from the first start to the last exit; per article (/a): CPU ms of the newsdesk processes (proc), PostgreSQL (pg) and the embedded NATS server (nats); "+
		"the serial turn: turns taken, articles per turn, ms held per turn, ms held per article (hold/a), of which PutBatch (put/a); reads of copy and story state (read/a, mostly in the turn); busy: turn held / (last leave - first enter)", n)
	t.Logf("%-16s %6s %5s | %7s %6s %7s | %5s %6s %7s %6s %6s %6s %5s | %s",
		"run", "wall s", "art/s", "proc ms", "pg ms", "nats ms", "turns", "art/tn", "hold ms", "hold/a", "put/a", "read/a", "busy", "load avg (1 5 15)")

	selfCPU := func() time.Duration { c, _ := scaleProcCPU(os.Getpid(), false); return c }
	run := func(label string, workers int, jobs string) {
		t.Helper()
		dsn := pgtest.DSN(t)
		port := dsn[strings.LastIndexByte(dsn[:strings.LastIndexByte(dsn, '/')], ':')+1 : strings.LastIndexByte(dsn, '/')]
		// Create the schema before measuring.
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
		tdsn := timedScheme + strings.TrimPrefix(dsn, "postgres")
		var cmds [][]string
		var srv *queuetest.Server
		if workers == 0 {
			cmds = [][]string{{"ingest", "--db", tdsn, "--quiet", "-j", jobs, dir}}
		} else {
			srv = queuetest.Start(t)
			enqueue(t, srv.URL(), dir)
			for range workers {
				cmds = append(cmds, []string{"worker", "--queue", srv.URL(), "--db", tdsn, "--quiet", "--drain", "-j", jobs})
			}
		}
		pg0, self0 := scalePostgresCPU(t, port), selfCPU()
		start := time.Now()
		type proc struct {
			cmd *exec.Cmd
			out *syncBuffer
		}
		var ps []proc
		for _, args := range cmds {
			cmd, out := startHelper(t, args...)
			ps = append(ps, proc{cmd, out})
		}
		var runs []helperRun
		for _, p := range ps {
			runs = append(runs, finishHelper(t, p.cmd, p.out))
		}
		wall := time.Since(start)
		pg, self := scalePostgresCPU(t, port)-pg0, selfCPU()-self0
		if srv != nil {
			srv.Stop()
		}
		if got := pgCountQuery(t, dsn, `SELECT count(*) FROM articles`); got != n {
			t.Errorf("%s: %d articles, want %d", label, got, n)
		}
		var cpu, hold, wait, put, read time.Duration
		var turns int64
		first, last := int64(0), int64(0)
		for _, r := range runs {
			cpu += r.cpu
			hold += r.hold
			wait += r.wait
			turns += r.turns
			put += r.put
			read += r.read
			if first == 0 || (r.firstEnter != 0 && r.firstEnter < first) {
				first = r.firstEnter
			}
			last = max(last, r.lastLeave)
		}
		ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(n) }
		busy := 0.0
		if last > first {
			busy = float64(hold) / float64(last-first)
		}
		nats := "-"
		if srv != nil {
			nats = fmt.Sprintf("%.2f", ms(self))
		}
		t.Logf("%-16s %6.1f %5.0f | %7.2f %6.2f %7s | %5d %6.0f %7.1f %6.2f %6.2f %6.2f %5.2f | %s",
			label, wall.Seconds(), float64(n)/wall.Seconds(), ms(cpu), ms(pg), nats,
			turns, float64(n)/float64(max(turns, 1)), float64(hold)/float64(time.Millisecond)/float64(max(turns, 1)), ms(hold), ms(put), ms(read), busy, scaleLoadAvg())
		if testing.Verbose() {
			for i, r := range runs {
				t.Logf("  process %d: cpu %.1fs, turns %d, waited %.1fs, held %.1fs (longest %.0f ms); %s", i, r.cpu.Seconds(), r.turns,
					r.wait.Seconds(), r.hold.Seconds(), float64(r.maxHold)/float64(time.Millisecond), lastLineOf(r.stderr[:max(0, strings.LastIndex(r.stderr, "gate: "))]))
			}
		}
	}
	run("ingest -j 2", 0, "2")
	run("1 worker -j 1", 1, "1")
	run("1 worker -j 2", 1, "2")
	run("2 workers -j 1", 2, "1")
	run("2 workers -j 2", 2, "2")
}
