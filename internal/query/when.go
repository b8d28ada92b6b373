package query

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseDate reads a date or a timestamp as the filters take them:
// RFC 3339, "2006-01-02T15:04:05", "2006-01-02T15:04" or "2006-01-02"
// (UTC); "" is the zero time.
func ParseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (2006-01-02) or a timestamp (RFC 3339)", s)
}

// ParseWhen reads what --since and --until (and the API's since and
// until) take: a date or timestamp as ParseDate, a month ("2006-01"), or
// an age before now ("36h", "7d"); "" is the zero time.
func ParseWhen(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := ParseDate(s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01", s); err == nil {
		return t, nil
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if d, err := strconv.Atoi(n); err == nil && d >= 0 {
			return now.AddDate(0, 0, -d), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (2006-01-02), a timestamp (RFC 3339) or an age (36h, 7d)", s)
}
