// Command serve measures issue 12's targets against a running
// `newsdesk serve`: latency percentiles of the search API, the front page,
// story pages, the article list and coverage with 16 concurrent clients over
// 100,000 stored articles; the same while 1,000 new articles are written
// into the database; and the server's resident memory, idle and at peak.
//
//	go run ./bench/serve                    # prints the tables
//	go run ./bench/serve -write             # and updates docs/BENCHMARKS.md
//
// The database is generated once (storetest's deterministic articles with
// stories, entities, quotes and copies, dates over the last 30 days) and
// cached under os.TempDir() (-db); each run serves a fresh copy of it, so
// that the write scenario starts from the same state every time. A cached
// database older than -max-age is generated again, since the front page
// shows the stories of the last 24 hours by the clock.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

var (
	flagDB        = flag.String("db", filepath.Join(os.TempDir(), "newsdesk-bench-serve-"+corpusVersion+".db"), "cached database `path` (generated when absent or stale)")
	flagArticles  = flag.Int("articles", 100_000, "articles in the generated database")
	flagMaxAge    = flag.Duration("max-age", 12*time.Hour, "regenerate a cached database older than this (the front page shows the last day by the clock)")
	flagClients   = flag.Int("clients", 16, "concurrent clients")
	flagDuration  = flag.Duration("d", 15*time.Second, "duration of each read scenario")
	flagWarm      = flag.Duration("warm", 5*time.Second, "warm-up with the mixed load before measuring (not counted)")
	flagWrites    = flag.Int("writes", 1000, "new articles written in the write scenario")
	flagWriteMode = flag.String("write-load", "poll,ingest", "how the new articles are written, one scenario each, in order: ingest (a concurrent `newsdesk ingest` of files into the same database) post (POST /api/v1/articles, one after another) or poll (the server's feed poller reads a local RSS feed of them)")
	flagWriteMax  = flag.Duration("write-max", 20*time.Minute, "give up the write scenario after this long")
	flagIdleWait  = flag.Duration("idle-wait", 35*time.Second, "after the read scenarios, wait this long before reading the idle RSS (the server closes read connections idle for 15 s, on a sweep every 15 s, unmapping the database)")
	flagNice      = flag.Int("nice", 0, "run the ingest write scenario's `newsdesk ingest` under nice -n this (0: not niced, as the target is measured)")
	flagRoutes    = flag.String("routes", "", "comma-separated routes to measure alone (default all)")
	flagWrite     = flag.Bool("write", false, "update the \"## Server (newsdesk serve)\" section of docs/BENCHMARKS.md")
	flagDoc       = flag.String("doc", "docs/BENCHMARKS.md", "the benchmarks document, for -write")
	flagRev       = flag.String("rev", "HEAD", "build the server from this git `revision` (exported with git archive, so that others' uncommitted edits are not measured); empty builds the working tree")
	flagSerial    = flag.Duration("serial", 5*time.Second, "also measure each route with one client for this long (the service time without queueing); 0 skips it")
	flagPosts     = flag.Int("posts", 3, "after the write scenario, time this many POST /api/v1/articles submissions on the otherwise idle server")
	flagKeep      = flag.Bool("keep", false, "keep the working copy of the database and the server's log")
	flagProfile   = flag.String("profile-submit", "", "instead of the load: store -profile-n articles through the submission code in this process, on a copy of the database, with a CPU profile written to `file`")
	flagProfileN  = flag.Int("profile-n", 3, "submissions for -profile-submit")
)

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench/serve: "+format+"\n", args...)
}

func main() {
	flag.Parse()
	if err := run(); err != nil {
		logf("%v", err)
		os.Exit(1)
	}
}

type report struct {
	Commit, Date, Machine, Command  string
	LoadStart, LoadEnd              string
	Meta                            corpusMeta
	DBBytes                         int64
	Routes                          []routeResult // each route alone
	Serial                          []routeResult // each route alone, one client
	Idle, Busy                      []routeResult // the mixed load without and with writes
	IdleAll                         routeResult
	Writes                          []writeRun
	Posts                           writeResult // a few submissions, no read load
	RSSReady, RSSWarm, RSSIdle      int64       // kB
	RSSLoaded, AnonLoaded, AnonIdle int64       // kB: 1 s after the read load, and RssAnon then and idle
	HWMRead, HWMEnd, RSSEnd         int64
	GOMAXPROCS                      int
}

// writeRun is one write scenario: the mixed load while articles are
// written.
type writeRun struct {
	Res     writeResult
	Busy    []routeResult
	BusyAll routeResult
}

type writeResult struct {
	Mode             string
	Wanted, Stored   int
	Seconds          float64
	PerArticleMS     []float64 // post mode: each submission's latency
	Err              string
	IngestSummary    string
	ServerErrorsSeen int
}

func run() error {
	ctx := context.Background()
	rep := &report{Date: time.Now().UTC().Format("2006-01-02"), GOMAXPROCS: runtime.GOMAXPROCS(0)}
	rep.Command = "go run ./bench/serve " + strings.Join(os.Args[1:], " ")
	rep.Machine = machine()
	rep.LoadStart = loadavg()
	if *flagRev != "" {
		out, err := exec.Command("git", "rev-parse", "--short", *flagRev).Output()
		if err != nil {
			return fmt.Errorf("git rev-parse %s: %v", *flagRev, err)
		}
		rep.Commit = "commit " + strings.TrimSpace(string(out))
	} else {
		rep.Commit = "the working tree"
		if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
			rep.Commit += " on " + strings.TrimSpace(string(out))
		}
		if out, _ := exec.Command("git", "status", "--porcelain", "--", "cmd", "internal", "article", "dedup", "enrich", "extract", "repair").Output(); len(out) > 0 {
			rep.Commit += " (with uncommitted changes)"
		}
	}

	// 1. The database.
	meta, ok := readMeta(*flagDB)
	if ok && (meta.Version != corpusVersion || meta.Articles != *flagArticles || time.Since(meta.End) > *flagMaxAge) {
		logf("cached %s is stale (%s, %d articles, newest %s): generating again", *flagDB, meta.Version, meta.Articles, meta.End.Format(time.RFC3339))
		ok = false
	}
	if !ok {
		logf("generating %d articles into %s", *flagArticles, *flagDB)
		var err error
		meta, err = buildCorpus(ctx, *flagDB, *flagArticles, time.Now().UTC().Truncate(time.Minute), logf)
		if err != nil {
			return fmt.Errorf("generating the database: %w", err)
		}
		logf("generated %d articles, %d stories in %.0f s", meta.Articles, meta.Stories, meta.Seconds)
	}
	rep.Meta = meta
	tmp, err := os.MkdirTemp("", "newsdesk-bench-serve-")
	if err != nil {
		return err
	}
	if !*flagKeep {
		defer os.RemoveAll(tmp)
	} else {
		logf("working files in %s", tmp)
	}
	work := filepath.Join(tmp, "work.db")
	if err := copyFile(*flagDB, work); err != nil {
		return err
	}
	if *flagProfile != "" {
		return profileSubmit(ctx, work, *flagProfile, *flagProfileN)
	}
	if fi, err := os.Stat(work); err == nil {
		rep.DBBytes = fi.Size()
	}

	// 2. The binary and the server.
	bin := filepath.Join(tmp, "newsdesk")
	src := "."
	if *flagRev != "" {
		src = filepath.Join(tmp, "src")
		if err := os.MkdirAll(src, 0o755); err != nil {
			return err
		}
		if out, err := exec.Command("sh", "-c", "git archive "+*flagRev+" | tar -x -C "+src).CombinedOutput(); err != nil {
			return fmt.Errorf("git archive %s: %v\n%s", *flagRev, err, out)
		}
	}
	logf("building %s from %s (%s)", bin, src, rep.Commit)
	build := exec.Command("go", "build", "-o", bin, "./cmd/newsdesk")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	slog, err := os.Create(filepath.Join(tmp, "serve.log"))
	if err != nil {
		return err
	}
	defer slog.Close()
	sargs := []string{"serve", "--db", work, "--addr", "127.0.0.1:" + strconv.Itoa(port)}
	if !strings.Contains(*flagWriteMode, "poll") {
		sargs = append(sargs, "--offline")
	}
	srv := exec.Command(bin, sargs...)
	srv.Stdout, srv.Stderr = slog, slog
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() {
		srv.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { srv.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			srv.Process.Kill()
		}
	}()
	pid := srv.Process.Pid
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256}}
	if err := waitReady(client, base+"/readyz", 60*time.Second); err != nil {
		return err
	}
	time.Sleep(2 * time.Second)
	rep.RSSReady, _ = procStatus(pid, "VmRSS")
	logf("server pid %d ready at %s; RSS %d MB", pid, base, rep.RSSReady/1024)

	// 3. The requests.
	reqs, err := makeRequests(client, base)
	if err != nil {
		return err
	}
	mixed := []string{"search", "front", "story", "articles", "coverage"}
	if *flagWarm > 0 {
		logf("warm-up: mixed load, %s", *flagWarm)
		runLoad(client, base, reqs, mixed, *flagClients, *flagWarm, nil, nil)
	}
	time.Sleep(3 * time.Second)
	rep.RSSWarm, _ = procStatus(pid, "VmRSS")

	routes := routeOrder
	if *flagRoutes != "" {
		routes = strings.Split(*flagRoutes, ",")
	}
	for _, rt := range routes {
		if reqs[rt] == nil {
			return fmt.Errorf("no route %q (have %s)", rt, strings.Join(routeOrder, ", "))
		}
		logf("route %s alone: %d clients, %s", rt, *flagClients, *flagDuration)
		res, _ := runLoad(client, base, reqs, []string{rt}, *flagClients, *flagDuration, nil, nil)
		rep.Routes = append(rep.Routes, res...)
		printRow(res[0])
	}
	if *flagSerial > 0 {
		for _, rt := range routes {
			res, _ := runLoad(client, base, reqs, []string{rt}, 1, *flagSerial, nil, nil)
			rep.Serial = append(rep.Serial, res...)
			logf("route %s, one client:", rt)
			printRow(res[0])
		}
	}
	logf("mixed load (%s), idle server: %d clients, %s", strings.Join(mixed, ", "), *flagClients, *flagDuration)
	rep.Idle, rep.IdleAll = runLoad(client, base, reqs, mixed, *flagClients, *flagDuration, nil, nil)
	rep.HWMRead, _ = procStatus(pid, "VmHWM")
	time.Sleep(time.Second)
	rep.RSSLoaded, _ = procStatus(pid, "VmRSS")
	rep.AnonLoaded, _ = procStatus(pid, "RssAnon")
	time.Sleep(*flagIdleWait)
	rep.RSSIdle, _ = procStatus(pid, "VmRSS")
	rep.AnonIdle, _ = procStatus(pid, "RssAnon")
	logf("after the read scenarios: RSS %d MB (%d MB anonymous) 1 s after, %d MB (%d MB anonymous) after %s idle; peak %d MB",
		rep.RSSLoaded/1024, rep.AnonLoaded/1024, rep.RSSIdle/1024, rep.AnonIdle/1024, *flagIdleWait, rep.HWMRead/1024)

	// 4. The write scenario.
	for i, mode := range strings.Split(*flagWriteMode, ",") {
		logf("mixed load while %d articles are written (%s)", *flagWrites, mode)
		w := &writer{mode: mode, n: *flagWrites, bin: bin, db: work, dir: filepath.Join(tmp, fmt.Sprintf("new%d", i)), base: base,
			client: client, seed: int64(i)}
		if err := w.prepare(); err != nil {
			return err
		}
		var wr writeRun
		wr.Busy, wr.BusyAll = runLoad(client, base, reqs, mixed, *flagClients, 0, w.run, &w.gate)
		wr.Res = w.res
		rep.Writes = append(rep.Writes, wr)
		logf("write scenario: %d of %d stored in %.1f s (%s) %s", w.res.Stored, w.res.Wanted, w.res.Seconds, w.res.Mode, w.res.Err)
		printRow(wr.BusyAll)
		time.Sleep(3 * time.Second)
	}
	rep.HWMEnd, _ = procStatus(pid, "VmHWM")
	rep.RSSEnd, _ = procStatus(pid, "VmRSS")
	rep.LoadEnd = loadavg()

	if *flagPosts > 0 {
		pw := &writer{mode: "post", n: *flagPosts, base: base, client: client, seed: 100}
		if err := pw.prepare(); err != nil {
			return err
		}
		logf("timing %d submissions (POST /api/v1/articles) on the idle server", *flagPosts)
		pw.run()
		rep.Posts = pw.res
		logf("  %v ms %s", pw.res.PerArticleMS, pw.res.Err)
	}

	md := render(rep)
	fmt.Println(md)
	if *flagWrite {
		if err := updateDoc(*flagDoc, md); err != nil {
			return err
		}
		logf("updated %s", *flagDoc)
	}
	return nil
}

// ---- requests

var routeOrder = []string{"search", "front", "story", "articles", "coverage", "search-page"}

var routeLabel = map[string]string{
	"search":      "search API `GET /api/v1/search?q=…`",
	"front":       "front page `GET /`",
	"story":       "story page `GET /stories/{id}`",
	"articles":    "article list `GET /api/v1/articles?…`",
	"coverage":    "coverage `GET /api/v1/coverage?q=…`",
	"search-page": "search page `GET /search?q=…`",
}

// makeRequests returns, per route, the paths the clients go round.
func makeRequests(client *http.Client, base string) (map[string][]string, error) {
	g := storetest.New(7)
	reqs := map[string][]string{}
	for range 2000 {
		q := url.QueryEscape(g.Query())
		reqs["search"] = append(reqs["search"], "/api/v1/search?q="+q)
		reqs["search-page"] = append(reqs["search-page"], "/search?q="+q)
	}
	vocab := storetest.Vocabulary()
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		reqs["coverage"] = append(reqs["coverage"], "/api/v1/coverage?q="+url.QueryEscape(vocab[50+r.IntN(4950)]))
	}
	reqs["front"] = []string{"/"}
	// Story ids: the last day's biggest (the front page's links) and the
	// most recent ones.
	var ids []string
	for _, p := range []string{"/api/v1/stories?order=size&since=1d&limit=200", "/api/v1/stories?limit=500"} {
		var page struct {
			Stories []struct {
				ID string `json:"id"`
			} `json:"stories"`
			Next string `json:"next"`
		}
		if err := getJSON(client, base+p, &page); err != nil {
			return nil, err
		}
		for _, s := range page.Stories {
			ids = append(ids, s.ID)
		}
		if p2 := page.Next; p2 != "" && strings.Contains(p, "limit=500") {
			var more struct {
				Stories []struct {
					ID string `json:"id"`
				} `json:"stories"`
			}
			if err := getJSON(client, base+p+"&cursor="+url.QueryEscape(p2), &more); err != nil {
				return nil, err
			}
			for _, s := range more.Stories {
				ids = append(ids, s.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil, errors.New("the server lists no stories")
	}
	r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	for _, id := range ids {
		reqs["story"] = append(reqs["story"], "/stories/"+url.PathEscape(id))
	}
	// Article lists: the first page, by source, the last week, an entity's.
	for i := range 200 {
		var p string
		switch i % 4 {
		case 0:
			p = "/api/v1/articles?limit=50"
		case 1:
			p = "/api/v1/articles?limit=50&source=" + storetest.Sources[i/4%len(storetest.Sources)].Domain
		case 2:
			p = "/api/v1/articles?limit=50&since=7d"
		case 3:
			p = fmt.Sprintf("/api/v1/articles?limit=50&entity=%s:e%d", []string{"person", "place", "org", "misc"}[(i/4)%4], 4+(i/4)%200*4+(i/4)%4)
		}
		reqs["articles"] = append(reqs["articles"], p)
	}
	// Every path answers 200 before the load starts.
	for rt, ps := range reqs {
		resp, err := client.Get(base + ps[0])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rt, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s %s: %s: %.300s", rt, ps[0], resp.Status, body)
		}
	}
	logf("%d story ids, %d search queries", len(ids), len(reqs["search"]))
	return reqs, nil
}

type routeResult struct {
	Route    string
	N, Fails int
	Seconds  float64
	P50, P95 float64 // ms
	P99, Max float64
	Mean     float64
}

// runLoad runs clients that go round routes (client c starts at route
// c mod len(routes)) for d, or, when d is 0, until during returns, and
// returns each route's latencies and all of them together. With a gate,
// only requests sent at or after the time it holds (unix nanoseconds, 0:
// not yet) count.
func runLoad(client *http.Client, base string, reqs map[string][]string, routes []string, clients int, d time.Duration, during func(), gate *atomic.Int64) ([]routeResult, routeResult) {
	var stop atomic.Bool
	lat := make([][][]time.Duration, clients) // client, route
	fails := make([][]int, clients)
	var wg sync.WaitGroup
	t0 := time.Now()
	for c := range clients {
		lat[c] = make([][]time.Duration, len(routes))
		fails[c] = make([]int, len(routes))
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(c), 9))
			for k := c; !stop.Load(); k++ {
				ri := k % len(routes)
				ps := reqs[routes[ri]]
				p := ps[r.IntN(len(ps))]
				t := time.Now()
				resp, err := client.Get(base + p)
				ok := err == nil
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					ok = err == nil && resp.StatusCode == http.StatusOK
				}
				el := time.Since(t)
				if gate != nil {
					if g := gate.Load(); g == 0 || t.UnixNano() < g {
						continue
					}
				}
				if !ok {
					fails[c][ri]++
					if fails[c][ri] == 1 {
						status := ""
						if resp != nil {
							status = resp.Status
						}
						logf("%s %s: %v %s", routes[ri], p, err, status)
					}
					continue
				}
				lat[c][ri] = append(lat[c][ri], el)
			}
		})
	}
	if during != nil {
		during()
	} else {
		time.Sleep(d)
	}
	stop.Store(true)
	wg.Wait()
	if gate != nil {
		if g := gate.Load(); g > t0.UnixNano() {
			t0 = time.Unix(0, g)
		}
	}
	secs := time.Since(t0).Seconds()
	var out []routeResult
	var all []time.Duration
	allFails := 0
	for ri, rt := range routes {
		var ds []time.Duration
		nf := 0
		for c := range clients {
			ds = append(ds, lat[c][ri]...)
			nf += fails[c][ri]
		}
		all = append(all, ds...)
		allFails += nf
		out = append(out, summarize(rt, ds, nf, secs))
	}
	return out, summarize("all", all, allFails, secs)
}

func summarize(route string, ds []time.Duration, fails int, secs float64) routeResult {
	res := routeResult{Route: route, N: len(ds), Fails: fails, Seconds: secs}
	if len(ds) == 0 {
		return res
	}
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	q := func(p float64) float64 { return ms(ds[min(len(ds)-1, int(p*float64(len(ds))))]) }
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	res.P50, res.P95, res.P99, res.Max = q(0.50), q(0.95), q(0.99), ms(ds[len(ds)-1])
	res.Mean = ms(sum / time.Duration(len(ds)))
	return res
}

func printRow(r routeResult) {
	logf("  %-12s n=%d fails=%d %.0f req/s  p50 %.1f  p95 %.1f  p99 %.1f  max %.1f ms", r.Route, r.N, r.Fails,
		float64(r.N)/r.Seconds, r.P50, r.P95, r.P99, r.Max)
}

// ---- the write scenario

type writer struct {
	mode, bin, db, dir, base string
	n                        int
	seed                     int64
	gate                     atomic.Int64 // when the writes began
	started                  time.Time
	client                   *http.Client
	texts                    [][]byte
	res                      writeResult
}

// prepare generates the new articles: storetest text files from a seed
// the database does not use, dated today.
func (w *writer) prepare() error {
	if w.mode == "poll" {
		return nil // the feed server makes its own
	}
	g := storetest.New(20261202 + w.seed)
	for i := range w.n {
		t := g.TextFile(corpusSize)
		// A line that makes each text unique even if the generator repeats.
		t = append(t, fmt.Sprintf("\nDispatch %d of the write scenario %d.\n", i, w.seed)...)
		w.texts = append(w.texts, t)
	}
	if w.mode != "ingest" {
		return nil
	}
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		return err
	}
	for i, t := range w.texts {
		if err := os.WriteFile(filepath.Join(w.dir, fmt.Sprintf("new-%04d.txt", i)), t, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) run() {
	w.res = writeResult{Mode: w.mode, Wanted: w.n}
	t0 := time.Now()
	if w.mode != "poll" {
		w.gate.Store(t0.UnixNano())
	}
	w.started = t0
	defer func() { w.res.Seconds = time.Since(w.started).Seconds() }()
	today := time.Now().UTC().Format(time.RFC3339)
	switch w.mode {
	case "ingest":
		ctx, cancel := context.WithTimeout(context.Background(), *flagWriteMax)
		defer cancel()
		args := []string{w.bin, "ingest", "--quiet", "--db", w.db, "--published", today, w.dir}
		if *flagNice > 0 {
			args = append([]string{"nice", "-n", strconv.Itoa(*flagNice)}, args...)
		}
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		for line := range strings.SplitSeq(out.String(), "\n") {
			if i := strings.Index(line, "ingested "); i >= 0 {
				w.res.IngestSummary = strings.TrimSpace(line)
				fmt.Sscanf(line[i:], "ingested %d", &w.res.Stored)
			}
		}
		if err != nil {
			w.res.Err = fmt.Sprintf("%v: %.500s", err, out.String())
		}
	case "post":
		deadline := t0.Add(*flagWriteMax)
		for i, t := range w.texts {
			if time.Now().After(deadline) {
				w.res.Err = fmt.Sprintf("stopped after %s", *flagWriteMax)
				break
			}
			body, _ := json.Marshal(map[string]string{"text": string(t), "published": today})
			s := time.Now()
			resp, err := w.client.Post(w.base+"/api/v1/articles", "application/json", bytes.NewReader(body))
			if err != nil {
				w.res.Err = err.Error()
				break
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
				w.res.Err = fmt.Sprintf("article %d: %s: %.300s", i, resp.Status, b)
				break
			}
			w.res.PerArticleMS = append(w.res.PerArticleMS, float64(time.Since(s).Microseconds())/1000)
			w.res.Stored++
			if (i+1)%100 == 0 {
				logf("  %d submitted (%s)", i+1, time.Since(t0).Round(time.Second))
			}
		}
	case "poll":
		ctx, cancel := context.WithTimeout(context.Background(), *flagWriteMax)
		defer cancel()
		if err := w.pollOnce(ctx, &w.gate); err != nil {
			w.res.Err = err.Error()
		}
	default:
		w.res.Err = "unknown -write-load " + w.mode
	}
}

// ---- helpers

func getJSON(client *http.Client, u string, v any) error {
	resp, err := client.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("GET %s: %s: %.300s", u, resp.Status, b)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func waitReady(client *http.Client, u string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := client.Get(u)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s: not ready after %s", u, limit)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// procStatus reads a field of /proc/PID/status, in kB.
func procStatus(pid int, field string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("%s: no %s", f.Name(), field)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func machine() string {
	cpu := "?"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.TrimPrefix(strings.SplitN(string(b), "\n", 2)[0], "MemTotal:"), "%d", &kb)
		mem = fmt.Sprintf(", %.0f GiB", float64(kb)/1024/1024)
	}
	return fmt.Sprintf("%s, %d cores%s, %s, %s/%s", cpu, runtime.NumCPU(), mem, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
