// Package dates parses the timestamps found in feeds, sitemaps and web
// archives: RFC 822/1123 (RSS pubDate, with the usual sloppiness), RFC 3339
// and W3C datetime (Atom, JSON Feed, sitemaps, WARC-Date).
package dates

import (
	"strings"
	"time"
)

var layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z0700",
	"2006-01-02 15:04:05",
	"2006-01-02",
	"2006-01",
	"2006",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04 MST",
	"Mon, _2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"Mon, 2 January 2006 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 MST",
	time.RFC850,
	time.ANSIC,
	time.UnixDate,
}

// Parse returns the time in s, in UTC, and whether s held one. Named zones
// other than UTC/GMT and the US zones of RFC 822 are read as UTC, since Go
// cannot resolve them reliably.
func Parse(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	s = strings.Join(strings.Fields(s), " ")
	s = fixZone(s)
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() < 1900 || t.Year() > 9999 {
				return time.Time{}, false
			}
			return t.UTC(), true
		}
	}
	// Some feeds omit the weekday or give a wrong one.
	if i := strings.Index(s, ", "); i > 0 && i <= 10 {
		return Parse(s[i+2:])
	}
	return time.Time{}, false
}

var usZones = map[string]string{
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
	"UT": "+0000", "GMT": "+0000", "UTC": "+0000", "Z": "+0000",
}

// fixZone replaces a trailing RFC 822 zone name with its offset, which
// time.Parse would otherwise read as an unknown zone at offset zero.
func fixZone(s string) string {
	i := strings.LastIndexByte(s, ' ')
	if i < 0 {
		return s
	}
	if off, ok := usZones[strings.ToUpper(s[i+1:])]; ok {
		return s[:i+1] + off
	}
	return s
}
