package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// feedServer serves an RSS feed of n new articles and their pages for the
// poll write scenario. The pages are spread over hosts (listeners on
// different loopback ports) so that the fetcher's per-host spacing (1 s)
// does not make the poll a thousand seconds of waiting: a real feed's items
// are on one host, but their pages are fetched at the poller's pace either
// way, and what the scenario measures is the server answering while the
// items are stored.
type feedServer struct {
	hosts   []string
	srvs    []*http.Server
	titles  []string
	paras   [][]string
	fetched atomic.Int64 // unix nanoseconds of the first feed request
	hits    atomic.Int64
}

func startFeedServer(n, hosts int, seed int64) (*feedServer, error) {
	fs := &feedServer{}
	g := storetest.New(20261202 + seed)
	for i := range n {
		t := g.Title()
		ps := g.Body(corpusSize)
		ps = append(ps, fmt.Sprintf("Dispatch %d of the poll scenario %d.", i, seed))
		fs.titles = append(fs.titles, t)
		fs.paras = append(fs.paras, ps)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed.xml", fs.feed)
	mux.HandleFunc("GET /a/{i}", fs.page)
	for range hosts {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fs.close()
			return nil, err
		}
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		fs.srvs = append(fs.srvs, srv)
		fs.hosts = append(fs.hosts, l.Addr().String())
		go srv.Serve(l)
	}
	return fs, nil
}

func (fs *feedServer) url() string { return "http://" + fs.hosts[0] + "/feed.xml" }

func (fs *feedServer) close() {
	for _, s := range fs.srvs {
		s.Close()
	}
}

func (fs *feedServer) feed(w http.ResponseWriter, r *http.Request) {
	fs.fetched.CompareAndSwap(0, time.Now().UnixNano())
	now := time.Now().UTC()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<rss version="2.0"><channel><title>Bench wire</title><link>http://` +
		fs.hosts[0] + `/</link><description>bench/serve poll scenario</description>` + "\n")
	for i, t := range fs.titles {
		link := fmt.Sprintf("http://%s/a/%d", fs.hosts[i%len(fs.hosts)], i)
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			html.EscapeString(t), link, link, now.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z),
			html.EscapeString(fs.paras[i][0]))
	}
	b.WriteString("</channel></rss>\n")
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Write([]byte(b.String()))
}

func (fs *feedServer) page(w http.ResponseWriter, r *http.Request) {
	var i int
	if _, err := fmt.Sscanf(r.PathValue("i"), "%d", &i); err != nil || i < 0 || i >= len(fs.titles) {
		http.NotFound(w, r)
		return
	}
	fs.hits.Add(1)
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s | Bench wire</title></head><body>\n"+
		"<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><main><article><h1>%s</h1><p class=\"byline\">By Bench Wire staff</p>\n",
		html.EscapeString(fs.titles[i]), html.EscapeString(fs.titles[i]))
	for _, p := range fs.paras[i] {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
	}
	b.WriteString("</article></main><footer>© Bench Wire</footer></body></html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(b.String()))
}

type feedStatus struct {
	URL         string    `json:"url"`
	LastPoll    time.Time `json:"last_poll"`
	LastStatus  string    `json:"last_status"`
	LastError   string    `json:"last_error"`
	ItemsSeen   int       `json:"items_seen"`
	ItemsStored int       `json:"items_stored"`
}

// pollOnce follows the feed through the API and waits until its first poll
// is over; gate is set when the poller first asks for the feed.
func (w *writer) pollOnce(ctx context.Context, gate *atomic.Int64) error {
	fs, err := startFeedServer(w.n, 40, w.seed)
	if err != nil {
		return err
	}
	defer fs.close()
	body, _ := json.Marshal(map[string]string{"url": fs.url(), "every": "24h"})
	resp, err := w.client.Post(w.base+"/api/v1/feeds", "application/json", strings.NewReader(string(body)))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST /api/v1/feeds: %s", resp.Status)
	}
	t0 := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("the poll did not finish: %w (%d pages fetched)", err, fs.hits.Load())
		}
		if ns := fs.fetched.Load(); ns != 0 && gate.Load() == 0 {
			gate.Store(ns)
			w.started = time.Unix(0, ns)
			logf("  the poller asked for the feed %s after it was added", time.Unix(0, ns).Sub(t0).Round(time.Millisecond))
		}
		var l struct {
			Feeds []feedStatus `json:"feeds"`
		}
		if err := getJSON(w.client, w.base+"/api/v1/feeds", &l); err != nil {
			return err
		}
		for _, f := range l.Feeds {
			if f.URL == fs.url() && !f.LastPoll.IsZero() {
				w.res.Stored = f.ItemsStored
				w.res.IngestSummary = fmt.Sprintf("status %s, %d items seen, %d stored, %d pages fetched", f.LastStatus, f.ItemsSeen, f.ItemsStored, fs.hits.Load())
				if f.LastError != "" {
					w.res.Err = f.LastError
				}
				return nil
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
}
