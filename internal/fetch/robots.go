package fetch

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxRobotsBytes is how much of a robots.txt is read; RFC 9309 asks
// crawlers to parse at least 500 KiB and lets them ignore the rest.
const maxRobotsBytes = 512 << 10

// robotsRules is the group of a robots.txt that applies to one user agent.
type robotsRules struct {
	rules       []robotsRule
	crawlDelay  time.Duration
	disallowAll bool   // robots.txt unreachable: RFC 9309 says assume full disallow
	reason      string // why disallowAll is set
	// unreachable is the transport error (connection refused, a timeout)
	// that kept robots.txt from being fetched: the host itself cannot be
	// reached, which is what a refused page is told.
	unreachable error
}

type robotsRule struct {
	allow   bool
	pattern string // normalized: percent-encoded, upper-case hex
}

// allowed reports whether path (escaped path plus "?query") may be fetched:
// the longest matching rule wins and allow wins a tie.
func (r *robotsRules) allowed(path string) bool {
	if r == nil {
		return true
	}
	if r.disallowAll {
		return false
	}
	if path == "/robots.txt" {
		return true
	}
	path = normalizeRobotsPath(path)
	best, allow := -1, true
	for _, rule := range r.rules {
		if len(rule.pattern) < best {
			continue
		}
		if !robotsMatch(rule.pattern, path) {
			continue
		}
		if len(rule.pattern) > best || rule.allow {
			best, allow = len(rule.pattern), rule.allow
		}
	}
	return allow
}

// parseRobots reads a robots.txt body and keeps the rules for token (a
// lower-case product token): the groups naming it, or else the "*" groups.
func parseRobots(body []byte, token string) *robotsRules {
	type group struct {
		agents []string
		rules  []robotsRule
		delay  time.Duration
		hasDly bool
	}
	var groups []*group
	var cur *group
	inAgents := false
	for line := range strings.Lines(string(body)) {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch key {
		case "user-agent", "useragent", "user agent":
			if !inAgents || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			inAgents = true
			cur.agents = append(cur.agents, strings.ToLower(val))
		case "allow", "disallow":
			inAgents = false
			if cur == nil || val == "" {
				continue // an empty disallow allows everything
			}
			cur.rules = append(cur.rules, robotsRule{allow: key == "allow", pattern: normalizeRobotsPath(val)})
		case "crawl-delay":
			inAgents = false
			if cur == nil {
				continue
			}
			if f, err := strconv.ParseFloat(val, 64); err == nil && f > 0 && f < 1e6 {
				cur.delay = time.Duration(f * float64(time.Second))
				cur.hasDly = true
			}
		default:
			// Sitemap and unknown lines do not end a group's agent list
			// per RFC 9309, but they are not rules either.
		}
	}
	pick := func(match func(agent string) bool) *robotsRules {
		var out *robotsRules
		for _, g := range groups {
			for _, a := range g.agents {
				if match(a) {
					if out == nil {
						out = &robotsRules{}
					}
					out.rules = append(out.rules, g.rules...)
					if g.hasDly && g.delay > out.crawlDelay {
						out.crawlDelay = g.delay
					}
					break
				}
			}
		}
		return out
	}
	if token != "" {
		if r := pick(func(a string) bool { return a == token }); r != nil {
			return r
		}
	}
	if r := pick(func(a string) bool { return a == "*" }); r != nil {
		return r
	}
	return &robotsRules{}
}

// robotsMatch matches a robots pattern ('*' any run, trailing '$' end
// anchor) against path. It runs in O(len(pattern)*len(path)) at worst.
func robotsMatch(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	// Greedy wildcard matching with backtracking to the last star.
	p, s := 0, 0
	star, mark := -1, 0
	for s < len(path) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, s
			p++
		case p < len(pattern) && pattern[p] == path[s]:
			p++
			s++
		case p == len(pattern) && !anchored:
			return true // pattern is a prefix of the rest
		case star >= 0:
			p = star + 1
			mark++
			s = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// normalizeRobotsPath percent-encodes bytes outside printable ASCII and
// upper-cases existing %xx escapes, so patterns and paths compare alike.
func normalizeRobotsPath(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte('%')
			b.WriteByte(upper(s[i+1]))
			b.WriteByte(upper(s[i+2]))
			i += 2
		case c <= 0x20 || c >= 0x7f:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func productToken(ua string) string {
	tok, _, _ := strings.Cut(ua, "/")
	tok, _, _ = strings.Cut(tok, " ")
	return strings.ToLower(strings.TrimSpace(tok))
}

func robotsURL(u *url.URL) string {
	return u.Scheme + "://" + u.Host + "/robots.txt"
}

func robotsPath(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// robotsFor returns the cached rules for u's scheme and host, fetching
// robots.txt once. Concurrent callers share one fetch; a caller whose ctx
// ends stops waiting without cancelling the fetch for the others.
func (c *Client) robotsFor(ctx context.Context, u *url.URL) (*robotsRules, error) {
	key := strings.ToLower(u.Scheme + "://" + u.Host)
	c.mu.Lock()
	res, ok := c.robots[key]
	if !ok {
		res = &robotsResult{done: make(chan struct{})}
		c.robots[key] = res
	}
	c.mu.Unlock()
	if !ok {
		go func() {
			defer close(res.done)
			res.rules, res.err = c.fetchRobots(context.WithoutCancel(ctx), u)
		}()
	}
	select {
	case <-res.done:
		return res.rules, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *Client) fetchRobots(ctx context.Context, u *url.URL) (*robotsRules, error) {
	// robots.txt is one small request per host and run; it does not take a
	// slot of the per-host rate limit, so a single page is not delayed.
	ru := robotsURL(u)
	timeout := c.opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ru, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	resp, err := c.robotHC.Do(req)
	if err != nil {
		// RFC 9309: an unreachable robots.txt means full disallow.
		c.log.Debug("robots.txt unreachable", "url", ru, "err", err)
		return &robotsRules{disallowAll: true, reason: "robots.txt unreachable: " + err.Error(), unreachable: err}, nil
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode <= 299:
		r, closeAll, err := decodeReader(resp.Body, resp.Header.Get("Content-Encoding"))
		if err != nil {
			return &robotsRules{disallowAll: true, reason: "robots.txt: " + err.Error()}, nil
		}
		defer closeAll()
		body, err := io.ReadAll(io.LimitReader(r, maxRobotsBytes))
		if err != nil {
			return &robotsRules{disallowAll: true, reason: "robots.txt: " + err.Error()}, nil
		}
		rules := parseRobots(body, c.token)
		c.log.Debug("robots.txt", "url", ru, "rules", len(rules.rules), "crawl_delay", rules.crawlDelay)
		return rules, nil
	case resp.StatusCode >= 400 && resp.StatusCode <= 499 && resp.StatusCode != http.StatusTooManyRequests:
		c.log.Debug("robots.txt absent", "url", ru, "status", resp.StatusCode)
		return &robotsRules{}, nil
	default:
		c.log.Debug("robots.txt unavailable", "url", ru, "status", resp.StatusCode)
		return &robotsRules{disallowAll: true, reason: "robots.txt answered HTTP " + resp.Status}, nil
	}
}
