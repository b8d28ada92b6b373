package dedup

import (
	"strconv"
	"strings"
	"time"
)

// DateFromURL returns the publication day that a news URL spells out, as
// most outlets' article paths do: /2014/02/26/, /2014/feb/28/, /2014-02-26-,
// /20140301/ or an id like idUSBREA200OQ20140301. It returns the zero time
// when the URL holds no plausible date (years 1990 to 2100): a wrong date
// would keep an article out of its story, so anything ambiguous is refused.
func DateFromURL(u string) time.Time {
	u = strings.ToLower(u)
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexByte(u, '/'); i >= 0 {
		u = u[i:] // the path: a host never holds the date
	} else {
		return time.Time{}
	}
	for i := 0; i+4 <= len(u); i++ {
		if i > 0 && isDigit(u[i-1]) || !isDigit(u[i]) {
			continue
		}
		y, ok := number(u[i:], 4)
		if !ok || y < 1990 || y > 2100 {
			continue
		}
		rest := u[i+4:]
		// Eight digits in a row: yyyymmdd.
		if m, ok := number(rest, 2); ok {
			if d, ok := number(rest[2:], 2); ok && (len(rest) == 4 || !isDigit(rest[4])) {
				if t, ok := day(y, m, d); ok {
					return t
				}
			}
			continue
		}
		if len(rest) < 3 || (rest[0] != '/' && rest[0] != '-' && rest[0] != '_') {
			continue
		}
		sep := rest[0]
		rest = rest[1:]
		m, n := monthPart(rest)
		if n == 0 || len(rest) <= n || rest[n] != sep {
			continue
		}
		rest = rest[n+1:]
		if d, ok := number(rest, 2); ok && (len(rest) == 2 || !isDigit(rest[2])) {
			if t, ok := day(y, m, d); ok {
				return t
			}
		} else if d, ok := number(rest, 1); ok && (len(rest) == 1 || !isDigit(rest[1])) {
			if t, ok := day(y, m, d); ok {
				return t
			}
		}
	}
	return time.Time{}
}

var monthNames = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// monthPart reads a month at the start of s: two digits, one digit, or an
// English month name or its three-letter abbreviation. It returns the month
// and the bytes read, or 0, 0.
func monthPart(s string) (int, int) {
	if m, ok := number(s, 2); ok {
		return m, 2
	}
	if m, ok := number(s, 1); ok {
		return m, 1
	}
	for i, name := range monthNames {
		if !strings.HasPrefix(s, name) {
			continue
		}
		n := 3
		for n < len(s) && s[n] >= 'a' && s[n] <= 'z' {
			n++
		}
		full := time.Month(i + 1).String()
		if n == 3 || strings.EqualFold(s[:n], full) || (i == 8 && s[:n] == "sept") {
			return i + 1, n
		}
	}
	return 0, 0
}

func day(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false // 31 February
	}
	return t, true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// number parses exactly n digits at the start of s.
func number(s string, n int) (int, bool) {
	if len(s) < n {
		return 0, false
	}
	for i := range n {
		if !isDigit(s[i]) {
			return 0, false
		}
	}
	v, err := strconv.Atoi(s[:n])
	return v, err == nil
}
