package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// TestServePollsFeeds follows a feed, runs `newsdesk serve`, and waits for
// the poller to store its item and count the poll in the metrics.
func TestServePollsFeeds(t *testing.T) {
	mux := http.NewServeMux()
	var srvURL string
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"1"`)
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Quay Times</title><item><title>Crane arrives</title><link>%s/a/1</link></item></channel></rss>`, srvURL)
	})
	mux.HandleFunc("/a/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html lang="en"><head><title>Crane arrives</title></head><body><article><h1>Crane arrives</h1><p>A new crane for the container quay arrived by barge on Tuesday, the port authority said, after a week at sea.</p><p>It will lift its first containers next month, when the quay reopens to ships from the northern ports.</p></article></body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	srvURL = srv.URL

	db := filepath.Join(t.TempDir(), "serve.db")
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	nr, ok := store.AsNewsroom(st)
	if !ok {
		st.Close()
		t.Skip("no store.Newsroom")
	}
	if err := nr.PutFeed(context.Background(), store.Feed{URL: srv.URL + "/feed.xml", Every: time.Hour, Added: time.Now()}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	base, stop, stderr := startServe(t, db, "--quiet")
	get := func(path string) string {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(get("/api/v1/feeds"), `"items_stored":1`) {
		if time.Now().After(deadline) {
			t.Fatalf("the feed was not polled: %s\n%s", get("/api/v1/feeds"), stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if f := get("/api/v1/feeds"); !strings.Contains(f, `"last_status":"ok"`) || !strings.Contains(f, `"etag"`) && !strings.Contains(f, `"next_poll"`) {
		t.Errorf("feed status: %s", f)
	}
	m := get("/metrics")
	for _, want := range []string{`newsdesk_feed_polls_total{outcome="ok"} 1`, `newsdesk_feed_items_total{result="new"} 1`, `newsdesk_articles_ingested_total{result="ingested"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if s := get("/api/v1/search?q=crane"); !strings.Contains(s, "Crane arrives") {
		t.Errorf("search: %.300s", s)
	}
	stop()
}
