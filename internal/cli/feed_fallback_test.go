package cli

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/article"
)

// TestFeedFallbackMessages: a feed whose pages cannot be fetched (nothing
// listens on their port) stores its items from the feed's own text; the
// warning names the real cause (connection refused, not robots.txt), the
// articles take the feed's title as their source, and the summary counts
// them as stored from the feeds' own text. On the code before, the cause
// read "disallowed by robots.txt", the source was the page's domain and the
// summary did not tell.
func TestFeedFallbackMessages(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	var items strings.Builder
	for i := 1; i <= 2; i++ {
		fmt.Fprintf(&items, `<item><title>Evening ferry %d added</title><link>%s/ferry-%d</link>
<description>The harbour authority will add evening ferry %d between Marrow and Isle Penn from Monday, it said on Friday. The extra sailing runs until the end of the summer season, and tickets go on sale at the quay office.</description>
<pubDate>Mon, 14 Apr 2031 08:00:00 GMT</pubDate></item>`, i, dead, i, i)
	}
	feed := filepath.Join(t.TempDir(), "wire.xml")
	if err := os.WriteFile(feed, []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Marrow Evening Wire</title><link>https://wire.example/</link>`+items.String()+`</channel></rss>`), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "feed.db")
	_, errOut, code := nd(t, db, "", "ingest", "--quiet", "--retries", "0", "--per-host-delay", "1ms", feed)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "ingested 2, unchanged 0, updated 0, failed 0, 2 from the feeds' own text") {
		t.Errorf("summary does not count the items stored from the feed's text:\n%s", errOut)
	}
	for i := 1; i <= 2; i++ {
		var line string
		for _, l := range strings.Split(errOut, "\n") {
			if strings.HasPrefix(l, fmt.Sprintf("newsdesk ingest: %s#%d: ", feed, i)) {
				line = l
			}
		}
		if !strings.Contains(line, "connection refused") || strings.Contains(line, "robots") {
			t.Errorf("item %d: the page's failure is not named: %q\n%s", i, line, errOut)
		}
	}
	out, _, _ := nd(t, db, "", "export")
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var a article.Article
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("export: %v", err)
		}
		n++
		if a.Source.Name != "Marrow Evening Wire" {
			t.Errorf("%s: source %+v, want the feed's title", a.Title, a.Source)
		}
	}
	if n != 2 {
		t.Errorf("%d articles exported, want 2", n)
	}
}

// TestTooLargeFileMessage: a local file over --max-bytes is not called a
// "response" (on the code before: "response too large").
func TestTooLargeFileMessage(t *testing.T) {
	f := filepath.Join(t.TempDir(), "long.txt")
	if err := os.WriteFile(f, []byte(strings.Repeat("The harbour office posted a notice. ", 20)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"ingest", "clean"} {
		_, errOut, code := nd(t, filepath.Join(t.TempDir(), "big.db"), "", cmd, "--max-bytes", "100", f)
		want := fmt.Sprintf("newsdesk %s: %s: 720 bytes, over the 100-byte limit (see --max-bytes)\n", cmd, f)
		if code != ExitPartial || !strings.Contains(errOut, want) || strings.Contains(errOut, "response") {
			t.Errorf("%s: exit %d, stderr %q; want %q", cmd, code, errOut, want)
		}
	}
}
