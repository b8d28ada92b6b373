package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

const sectionHeading = "## Server (newsdesk serve)"

func mb(kb int64) string { return fmt.Sprintf("%d MB", (kb*1024+500_000)/1_000_000) }

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

func find(rs []routeResult, route string) routeResult {
	for _, r := range rs {
		if r.Route == route {
			return r
		}
	}
	return routeResult{}
}

func table(b *strings.Builder, rs []routeResult) {
	b.WriteString("| route | requests | failed | req/s | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|\n")
	for _, r := range rs {
		label := routeLabel[r.Route]
		if r.Route == "all" {
			label = "**all**"
		}
		fmt.Fprintf(b, "| %s | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f |\n", label, r.N, r.Fails, float64(r.N)/r.Seconds,
			r.P50, r.P95, r.P99, r.Max)
	}
}

// render returns the section, heading included.
func render(r *report) string {
	var b strings.Builder
	b.WriteString(sectionHeading + "\n\n")
	fmt.Fprintf(&b, "Issue 12's targets, measured with a load generator (`bench/serve`) against `newsdesk serve` running as a child\n"+
		"process on a loopback port, over a database of %d synthetic articles (%d stories, %.0f MB on disk).\n"+
		"The clients and the server share the machine's %d cores.\n\n", r.Meta.Articles, r.Meta.Stories, float64(r.DBBytes)/1e6, r.GOMAXPROCS)

	search, front, story := find(r.Routes, "search"), find(r.Routes, "front"), find(r.Routes, "story")
	msearch, mfront, mstory := find(r.Idle, "search"), find(r.Idle, "front"), find(r.Idle, "story")
	rssIdle := max(r.RSSReady, r.RSSIdle)

	b.WriteString("| target | measured | met? |\n|---|---|---|\n")
	fmt.Fprintf(&b, "| search API p95 ≤ 30 ms, %d clients | %.1f ms (the route alone); %.1f ms in the mixed load | %s |\n",
		*flagClients, search.P95, msearch.P95, verdict(search.P95 <= 30 && msearch.P95 <= 30))
	fmt.Fprintf(&b, "| front page p95 ≤ 50 ms, same load | %.1f ms alone; %.1f ms mixed | %s |\n",
		front.P95, mfront.P95, verdict(front.P95 <= 50 && mfront.P95 <= 50))
	fmt.Fprintf(&b, "| story page p95 ≤ 50 ms, same load | %.1f ms alone; %.1f ms mixed | %s |\n",
		story.P95, mstory.P95, verdict(story.P95 <= 50 && mstory.P95 <= 50))
	for _, w := range r.Writes {
		ratio := 0.0
		if r.IdleAll.P95 > 0 {
			ratio = w.BusyAll.P95 / r.IdleAll.P95
		}
		worst, worstRoute := 0.0, ""
		for _, x := range w.Busy {
			if i := find(r.Idle, x.Route); i.P95 > 0 && x.P95/i.P95 > worst {
				worst, worstRoute = x.P95/i.P95, x.Route
			}
		}
		done := w.Res.Stored >= w.Res.Wanted && w.Res.Err == ""
		fmt.Fprintf(&b, "| p95 within 2× of idle while %s | mixed p95 %.1f ms against %.1f ms idle: **%.2f×** (worst route: %s %.2f×); %d of %d stored in %.1f s | %s |\n",
			writeLabel(w.Res), w.BusyAll.P95, r.IdleAll.P95, ratio, worstRoute, worst, w.Res.Stored, w.Res.Wanted, w.Res.Seconds,
			verdict(ratio <= 2 && done))
	}
	fmt.Fprintf(&b, "| idle RSS over %d articles ≤ 150 MB | %s when ready; %s (%s anonymous) %s after the read scenarios; "+
		"1 s after them %s, of which %s anonymous and the rest the mapped database file (peak under load %s; %s after the writes, peak %s) | %s |\n\n",
		r.Meta.Articles, mb(r.RSSReady), mb(r.RSSIdle), mb(r.AnonIdle), *flagIdleWait, mb(r.RSSLoaded), mb(r.AnonLoaded),
		mb(r.HWMRead), mb(r.RSSEnd), mb(r.HWMEnd), verdict(rssIdle <= 150*1024))

	fmt.Fprintf(&b, "Each route alone, %d clients for %s each (after a %s warm-up of the mixed load):\n\n", *flagClients, *flagDuration, *flagWarm)
	table(&b, r.Routes)
	if len(r.Serial) > 0 {
		fmt.Fprintf(&b, "\nEach route alone with one client for %s (the service time without queueing; with %d clients on %d cores a\n"+
			"request waits for about %d others):\n\n", *flagSerial, *flagClients, r.GOMAXPROCS, *flagClients/max(r.GOMAXPROCS, 1))
		table(&b, r.Serial)
	}
	fmt.Fprintf(&b, "\nThe mixed load (each client goes round search, front page, story page, article list and coverage), idle server, %s:\n\n", *flagDuration)
	table(&b, append(slices.Clone(r.Idle), r.IdleAll))
	for _, w := range r.Writes {
		fmt.Fprintf(&b, "\nThe same mixed load while %s (%.1f s; only requests sent once the writes began count):\n\n", writeLabel(w.Res), w.Res.Seconds)
		table(&b, append(slices.Clone(w.Busy), w.BusyAll))
		if w.Res.IngestSummary != "" {
			who := "`newsdesk ingest`"
			if w.Res.Mode == "poll" {
				who = "The feed's status after the poll"
			}
			fmt.Fprintf(&b, "\n%s reported: `%s`.", who, w.Res.IngestSummary)
		}
		if len(w.Res.PerArticleMS) > 0 {
			ms := slices.Clone(w.Res.PerArticleMS)
			slices.Sort(ms)
			fmt.Fprintf(&b, "\nEach submission took p50 %.0f ms, p95 %.0f ms, max %.0f ms (%.1f articles/s).",
				ms[len(ms)/2], ms[len(ms)*95/100], ms[len(ms)-1], float64(len(ms))/w.Res.Seconds)
		}
		if w.Res.Err != "" {
			fmt.Fprintf(&b, "\nThe write load did not finish: %s.", strings.ReplaceAll(w.Res.Err, "\n", " "))
		}
		b.WriteString("\n")
	}
	if p := r.Posts; len(p.PerArticleMS) > 0 || p.Err != "" {
		fmt.Fprintf(&b, "\nSubmissions through the API (`POST /api/v1/articles` with a 1.5 KB text, one after another, no read\n"+
			"load) took %s each", msList(p.PerArticleMS))
		if p.Err != "" {
			fmt.Fprintf(&b, " (%s)", p.Err)
		}
		b.WriteString(": the first loads the copy and story state of every story (decoding them is most of it),\n" +
			"and the server keeps it for the next ones (`api.Ingester`, reloaded only when another process wrote, dropped\n" +
			"after 10 idle minutes); `go run ./bench/serve -profile-submit cpu.prof` profiles the submission path.")
	}
	b.WriteString("\n\n")

	fmt.Fprintf(&b, "The database: %d articles of about 1.5 KB of text from `storetest` (seed 43), written with the store's\n"+
		"`PutBatch` in batches of 1,000 (%.0f s); publication dates evenly over the 30 days before the run, so the\n"+
		"front page has a day of stories; a story for every five articles or so, interleaved, with one to five\n"+
		"outlets and a story state as the story stage stores it (centroids of the members' keywords, entities\n"+
		"and leads, and the clusterer's corpus statistics, so a write loads what it would load in a real\n"+
		"database); 8 to 16 entities an article (Zipf over 20,000 keys), one quote, and one article in ten a copy\n"+
		"of the one before. Search queries: two mid-frequency words each (`storetest` `Query`); coverage: one\n"+
		"word over the default 30 days; article lists: the first page, by source, the last week, an entity's;\n"+
		"story pages: the last day's biggest stories and the 1,000 most recent. Latency is the client's, from\n"+
		"sending the request to reading the whole body, over keep-alive connections; RSS is the server process's\n"+
		"own (`/proc/PID/status` VmRSS, peak VmHWM). The server runs with its default access log (to a file) and\n"+
		"`--offline`.\n\n", r.Meta.Articles, r.Meta.Seconds)

	fmt.Fprintf(&b, "newsdesk at %s. Machine: %s, measured %s; load average %s when the run began and %s when it\n"+
		"ended (shared machine, other work running). Reproduce (from the repository root; the database is\n"+
		"generated once and cached in the temporary folder, `-db` names another):\n\n```\n%s\n```\n",
		r.Commit, r.Machine, r.Date, r.LoadStart, r.LoadEnd, strings.TrimSpace(r.Command))
	return b.String()
}

func writeLabel(w writeResult) string {
	return fmt.Sprintf("%d articles are written by %s", w.Wanted, writeModeText(w.Mode))
}

func writeModeText(mode string) string {
	switch mode {
	case "ingest":
		if *flagNice > 0 {
			return fmt.Sprintf("a concurrent `nice -n %d newsdesk ingest` of text files into the same database", *flagNice)
		}
		return "a concurrent `newsdesk ingest` of text files into the same database"
	case "post":
		return "`POST /api/v1/articles`, one after another"
	case "poll":
		return "the server's feed poller (one poll of a local RSS feed of 1,000 new items, their pages fetched from 40 loopback hosts)"
	}
	return mode
}

// updateDoc replaces the section in path, or appends it at the end.
func updateDoc(path, section string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	doc := string(b)
	start := strings.Index(doc, "\n"+sectionHeading+"\n")
	if start < 0 {
		doc = strings.TrimRight(doc, "\n") + "\n\n" + section
	} else {
		start++
		end := len(doc)
		if i := strings.Index(doc[start+len(sectionHeading):], "\n## "); i >= 0 {
			end = start + len(sectionHeading) + i + 1
		}
		tail := doc[end:]
		if tail != "" {
			section += "\n"
		}
		doc = doc[:start] + section + tail
	}
	return os.WriteFile(path, []byte(doc), 0o644)
}

func msList(ms []float64) string {
	var parts []string
	for _, m := range ms {
		if m >= 1000 {
			parts = append(parts, fmt.Sprintf("%.1f s", m/1000))
		} else {
			parts = append(parts, fmt.Sprintf("%.0f ms", m))
		}
	}
	return strings.Join(parts, ", ")
}
