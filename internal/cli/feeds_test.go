package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

func TestFeedsCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "feeds.db")
	// Listing needs a database; adding creates one.
	if _, errOut, code := nd(t, db, "", "feeds", "list"); code != ExitPartial || !strings.Contains(errOut, "no database at") {
		t.Errorf("list without a database: exit %d, %q", code, errOut)
	}
	out, errOut, code := nd(t, db, "", "feeds", "add", "https://HarborPost.example/feed.xml#top")
	if code != ExitOK || !strings.Contains(out, "following https://harborpost.example/feed.xml every 15m") {
		t.Fatalf("add: exit %d, %q, %q", code, out, errOut)
	}
	if out, errOut, code = nd(t, db, "", "feeds", "add", "--every", "1h30m", "http://dailylantern.example/rss"); code != ExitOK ||
		!strings.Contains(out, "every 1h30m") {
		t.Fatalf("add --every: exit %d, %q, %q", code, out, errOut)
	}
	if out, _, code = nd(t, db, "", "feeds", "add", "http://dailylantern.example/rss", "--every", "1h30m"); code != ExitOK ||
		!strings.Contains(out, "already following") {
		t.Errorf("add again: exit %d, %q", code, out)
	}
	if out, _, code = nd(t, db, "", "feeds", "add", "http://dailylantern.example/rss", "--every", "2h"); code != ExitOK ||
		!strings.Contains(out, "updated http://dailylantern.example/rss every 2h") {
		t.Errorf("add with a new interval: exit %d, %q", code, out)
	}

	out, errOut, code = nd(t, db, "", "feeds", "list")
	if code != ExitOK {
		t.Fatalf("list: exit %d, %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "URL") || !strings.Contains(lines[0], "LAST ERROR") ||
		!strings.HasPrefix(lines[1], "http://dailylantern.example/rss ") || !strings.Contains(lines[1], " 2h ") ||
		!strings.Contains(lines[1], "never") || !strings.HasPrefix(lines[2], "https://harborpost.example/feed.xml ") {
		t.Errorf("list:\n%s", out)
	}

	// The status the server records shows in both formats.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	nr, _ := store.AsNewsroom(st)
	f, err := nr.Feed(context.Background(), "https://harborpost.example/feed.xml")
	if err != nil || f.Every != 15*time.Minute || f.Added.IsZero() {
		t.Fatalf("stored feed %+v, %v", f, err)
	}
	f.LastPoll = time.Date(2031, 5, 1, 8, 0, 0, 0, time.UTC)
	f.LastStatus, f.LastError, f.Failures, f.ItemsSeen, f.ItemsStored = "error", "HTTP 503\nService Unavailable", 3, 20, 7
	if err := nr.PutFeed(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, _, _ = nd(t, db, "", "feeds", "list")
	if !strings.Contains(out, "2031-05-01 08:00Z") || !strings.Contains(out, "HTTP 503 Service Unavailable") || !strings.Contains(out, " error ") {
		t.Errorf("list with a status:\n%s", out)
	}
	out, errOut, code = nd(t, db, "", "feeds", "list", "--format", "jsonl")
	if code != ExitOK {
		t.Fatalf("list --format jsonl: exit %d, %s", code, errOut)
	}
	var got []store.Feed
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var x store.Feed
		if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
			t.Fatalf("jsonl line %q: %v", sc.Text(), err)
		}
		got = append(got, x)
	}
	if len(got) != 2 || got[1].URL != f.URL || got[1].Failures != 3 || got[1].ItemsStored != 7 || got[0].Every != 2*time.Hour {
		t.Errorf("jsonl feeds %+v", got)
	}

	if out, errOut, code = nd(t, db, "", "feeds", "remove", "https://harborpost.example/feed.xml"); code != ExitOK || !strings.Contains(out, "stopped following") {
		t.Errorf("remove: exit %d, %q, %q", code, out, errOut)
	}
	if _, errOut, code = nd(t, db, "", "feeds", "remove", "https://harborpost.example/feed.xml"); code != ExitPartial ||
		!strings.Contains(errOut, "https://harborpost.example/feed.xml: not followed") {
		t.Errorf("remove again: exit %d, %q", code, errOut)
	}
	out, _, _ = nd(t, db, "", "feeds", "list", "--format", "jsonl")
	if strings.Count(out, "\n") != 1 {
		t.Errorf("after remove:\n%s", out)
	}
}

func TestFeedsCommandErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "feeds.db")
	tests := []struct {
		args []string
		env  string // NEWSDESK_FEED_EVERY
		want string
	}{
		{[]string{"feeds"}, "", "Usage: newsdesk feeds COMMAND"},
		{[]string{"feeds", "follow", "https://x.example/"}, "", `unknown command "follow"`},
		{[]string{"feeds", "add"}, "", "missing the feed URL"},
		{[]string{"feeds", "add", "https://a.example/", "https://b.example/"}, "", "one URL at a time"},
		{[]string{"feeds", "add", "ftp://x.example/feed"}, "", `"ftp://x.example/feed": a feed URL must start with http:// or https://`},
		{[]string{"feeds", "add", "harborpost.example/feed"}, "", `"harborpost.example/feed": a feed URL must start with http://`},
		{[]string{"feeds", "add", "https:///feed"}, "", "has no host"},
		{[]string{"feeds", "add", "https://user:pw@x.example/feed"}, "", "user name or password"},
		{[]string{"feeds", "add", "http://x.example/%zz"}, "", "is not a URL"},
		{[]string{"feeds", "add", "--every", "30s", "https://x.example/feed"}, "", "--every 30s: the shortest poll interval is 1m0s"},
		{[]string{"feeds", "add", "--every", "soon", "https://x.example/feed"}, "", `invalid value "soon"`},
		{[]string{"feeds", "add", "https://x.example/feed"}, "10s", `NEWSDESK_FEED_EVERY="10s"`},
		{[]string{"feeds", "remove", "javascript:alert(1)"}, "", "a feed URL must start with http://"},
		{[]string{"feeds", "list", "extra"}, "", `unexpected argument "extra"`},
		{[]string{"feeds", "list", "--format", "csv"}, "", `--format "csv": want table or jsonl`},
	}
	for _, tt := range tests {
		var out, errb strings.Builder
		env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
			switch k {
			case "NEWSDESK_DB":
				return db
			case "NEWSDESK_FEED_EVERY":
				return tt.env
			}
			return ""
		}}
		code := Main(context.Background(), env, tt.args)
		if code != ExitUsage || !strings.Contains(errb.String(), tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tt.args, code, errb.String(), ExitUsage, tt.want)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a failed command created the database")
	}
	// The environment's interval is the default.
	var out strings.Builder
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: func(k string) string {
		return map[string]string{"NEWSDESK_DB": db, "NEWSDESK_FEED_EVERY": "45m"}[k]
	}}
	if code := Main(context.Background(), env, []string{"feeds", "add", "https://x.example/feed"}); code != ExitOK || !strings.Contains(out.String(), "every 45m") {
		t.Errorf("NEWSDESK_FEED_EVERY=45m: exit %d, %q", code, out.String())
	}
}
