package fetch

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestRobotsRules(t *testing.T) {
	tests := []struct {
		name   string
		robots string
		token  string
		path   string
		want   bool
	}{
		{"empty file", "", "newsdesk", "/a", true},
		{"empty disallow", "User-agent: *\nDisallow:\n", "newsdesk", "/a", true},
		{"disallow all", "User-agent: *\nDisallow: /\n", "newsdesk", "/a", false},
		{"robots.txt itself always allowed", "User-agent: *\nDisallow: /\n", "newsdesk", "/robots.txt", true},
		{"rules before any agent ignored", "Disallow: /\nUser-agent: *\nAllow: /\n", "newsdesk", "/a", true},
		{"case-insensitive agent", "User-agent: NEWSDESK\nDisallow: /x\n", "newsdesk", "/x/1", false},
		{"other agent only", "User-agent: otherbot\nDisallow: /\n", "newsdesk", "/x", true},
		{"groups merged", "User-agent: newsdesk\nDisallow: /a\n\nUser-agent: newsdesk\nDisallow: /b\n", "newsdesk", "/b/1", false},
		{"comments stripped", "User-agent: * # all\nDisallow: /tmp # scratch\n", "newsdesk", "/tmp/x", false},
		{"case-sensitive path", "User-agent: *\nDisallow: /Private\n", "newsdesk", "/private", true},
		{"longest wins allow", "User-agent: *\nDisallow: /news\nAllow: /news/public\n", "newsdesk", "/news/public/1", true},
		{"longest wins disallow", "User-agent: *\nAllow: /news\nDisallow: /news/locked\n", "newsdesk", "/news/locked/1", false},
		{"tie goes to allow", "User-agent: *\nDisallow: /page\nAllow: /page\n", "newsdesk", "/page", true},
		{"wildcard middle", "User-agent: *\nDisallow: /*/print\n", "newsdesk", "/2031/05/story/print", false},
		{"wildcard end anchor", "User-agent: *\nDisallow: /*.json$\n", "newsdesk", "/feed.json", false},
		{"wildcard end anchor miss", "User-agent: *\nDisallow: /*.json$\n", "newsdesk", "/feed.json?x=1", true},
		{"dollar exact", "User-agent: *\nDisallow: /$\n", "newsdesk", "/", false},
		{"dollar exact other", "User-agent: *\nDisallow: /$\n", "newsdesk", "/index", true},
		{"percent case folded", "User-agent: *\nDisallow: /caf%c3%a9\n", "newsdesk", "/caf%C3%A9/menu", false},
		{"utf-8 pattern", "User-agent: *\nDisallow: /café\n", "newsdesk", "/caf%C3%A9", false},
		{"crlf lines", "User-agent: *\r\nDisallow: /x\r\n", "newsdesk", "/x", false},
		{"no colon junk", "garbage line\nUser-agent *\nDisallow /\n", "newsdesk", "/x", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseRobots([]byte(tt.robots), tt.token)
			if got := r.allowed(tt.path); got != tt.want {
				t.Errorf("allowed(%q) = %v, want %v (rules %+v)", tt.path, got, tt.want, r.rules)
			}
		})
	}
}

func TestRobotsCrawlDelay(t *testing.T) {
	r := parseRobots([]byte("User-agent: *\nCrawl-delay: 2.5\nCrawl-delay: nonsense\n"), "newsdesk")
	if r.crawlDelay != 2500*time.Millisecond {
		t.Errorf("crawlDelay = %v", r.crawlDelay)
	}
}

func TestRobotsPathological(t *testing.T) {
	// A long run of stars against a long path must finish quickly.
	robots := "User-agent: *\nDisallow: /" + strings.Repeat("*a", 2000) + "b$\n"
	r := parseRobots([]byte(robots), "newsdesk")
	start := time.Now()
	if !r.allowed("/" + strings.Repeat("a", 4000)) {
		t.Error("path without b disallowed")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("match took %v", d)
	}
}

func FuzzRobots(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /private/\nAllow: /private/ok$\nCrawl-delay: 3\n"), "/private/ok")
	f.Add([]byte("User-agent: newsdesk\nDisallow: /*.pdf$\n"), "/a.pdf")
	f.Add([]byte("\xff\xfe%%%\nuser-agent:\ndisallow:*$*$\n"), "/%zz")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		r := parseRobots(body, "newsdesk")
		r.allowed(path)
		r.allowed("/" + path)
		if r.crawlDelay < 0 {
			t.Fatalf("negative crawl delay %v", r.crawlDelay)
		}
	})
}

func FuzzReadBody(f *testing.F) {
	f.Add([]byte("plain body"), "")
	f.Add([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"), "gzip")
	f.Add([]byte("x\x9c\xcbH\xcd\xc9\xc9\a\x00\x06,\x02\x15"), "deflate")
	f.Fuzz(func(t *testing.T, body []byte, enc string) {
		out, err := readBody(bytes.NewReader(body), enc, 1<<16)
		if err == nil && len(out) > 1<<16 {
			t.Fatalf("body of %d bytes passed the cap", len(out))
		}
	})
}
