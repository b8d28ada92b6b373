package store

import (
	"fmt"
	"net/url"
	"strings"
)

// NormalizeFeedURL checks and normalizes the URL of a followed feed, the
// key of Feed: absolute http or https with a host, no user name or
// password, scheme and host lower-cased, no fragment. The CLI and the API
// both call it, so a feed added by one is removed by the other.
func NormalizeFeedURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", fmt.Errorf("%q is not a URL: %v", raw, err)
	case s == "":
		return "", fmt.Errorf("%q is not a URL", raw)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%q: a feed URL must start with http:// or https://", raw)
	case u.Host == "" || u.Hostname() == "":
		return "", fmt.Errorf("%q: the URL has no host", raw)
	case u.User != nil:
		return "", fmt.Errorf("%q: a feed URL may not hold a user name or password", raw)
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	return u.String(), nil
}
