package dates

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339 in UTC, "" for no date
	}{
		{"Tue, 06 May 2031 09:30:00 +0200", "2031-05-06T07:30:00Z"},
		{"Tue, 6 May 2031 09:30:00 GMT", "2031-05-06T09:30:00Z"},
		{"Tue, 6 May 2031 09:30:00 EDT", "2031-05-06T13:30:00Z"},
		{"Tue,  6 May 2031 09:30 +0000", "2031-05-06T09:30:00Z"},
		{"Fri, 6 May 2031 09:30:00 +0000", "2031-05-06T09:30:00Z"}, // wrong weekday
		{"6 May 2031 09:30:00 +0000", "2031-05-06T09:30:00Z"},
		{"Tue, 06 May 31 09:30:00 +0000", "2031-05-06T09:30:00Z"},
		{"2031-05-06T09:30:00Z", "2031-05-06T09:30:00Z"},
		{"2031-05-06T09:30:00.123456+01:00", "2031-05-06T08:30:00.123456Z"},
		{"2031-05-06T09:30+01:00", "2031-05-06T08:30:00Z"},
		{"2031-05-06T09:30:00", "2031-05-06T09:30:00Z"},
		{"2031-05-06 09:30:00", "2031-05-06T09:30:00Z"},
		{"2031-05-06", "2031-05-06T00:00:00Z"},
		{"2031-05", "2031-05-01T00:00:00Z"},
		{"  2031-05-06T09:30:00Z\n", "2031-05-06T09:30:00Z"},
		{"", ""},
		{"yesterday", ""},
		{"0000-01-01", ""},
		{"2031-13-45", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := Parse(tt.in)
			if tt.want == "" {
				if ok {
					t.Errorf("Parse(%q) = %v, want no date", tt.in, got)
				}
				return
			}
			want, _ := time.Parse(time.RFC3339Nano, tt.want)
			if !ok || !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, got, ok, want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"Tue, 06 May 2031 09:30:00 +0200", "2031-05-06T09:30:00.5Z", "Mon, 5 May 2031 18:00 EDT", "2031-05", "x, y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tm, ok := Parse(s); ok && (tm.Location() != time.UTC || tm.Year() < 1900) {
			t.Fatalf("Parse(%q) = %v", s, tm)
		}
	})
}
