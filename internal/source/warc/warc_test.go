package warc

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
)

var update = flag.Bool("update", false, "rewrite the testdata WARC fixtures")

// rec is a fixture record.
type rec struct {
	typ, uri, date string
	block          []byte
	extraHeader    string
}

func httpResp(status, headers, body string) []byte {
	return []byte("HTTP/1.1 " + status + "\r\n" + headers + "\r\n" + body)
}

func (r rec) bytes() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%08d-0000-4000-8000-000000000000>\r\n", r.typ, len(r.block))
	if r.uri != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", r.uri)
	}
	fmt.Fprintf(&b, "WARC-Date: %s\r\n", r.date)
	if r.typ == "response" {
		b.WriteString("Content-Type: application/http;msgtype=response\r\n")
	}
	b.WriteString(r.extraHeader)
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(r.block))
	b.Write(r.block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

const (
	storyA = `<html><head><title>Ferry timetable changes</title></head><body><article><p>The Lantern Bay ferry will run every forty minutes from June.</p></article></body></html>`
	storyB = `<html><head><meta charset="windows-1252"><title>Orchard harvest</title></head><body><p>Growers in Millbrook reported a record apple harvest.</p></body></html>`
	storyC = "Plain text bulletin: the Millbrook library reopens on Monday.\n"
)

func chunked(s string, size int) string {
	var b strings.Builder
	for len(s) > 0 {
		n := min(size, len(s))
		fmt.Fprintf(&b, "%x\r\n%s\r\n", n, s[:n])
		s = s[n:]
	}
	b.WriteString("0\r\n\r\n")
	return b.String()
}

// fixtureRecords is the fictional crawl used by the tests: a warcinfo, a
// request, three good responses (plain, chunked+gzip, text), a 404, a
// redirect, a revisit, a metadata record and a DNS response.
func fixtureRecords() []rec {
	return []rec{
		{typ: "warcinfo", date: "2031-05-06T09:00:00Z", block: []byte("software: fixture-writer/1.0\r\nformat: WARC File Format 1.1\r\n"), extraHeader: "Content-Type: application/warc-fields\r\n"},
		{typ: "request", uri: "https://gazette.example/2031/05/ferry", date: "2031-05-06T09:00:01Z", block: []byte("GET /2031/05/ferry HTTP/1.1\r\nHost: gazette.example\r\n\r\n"), extraHeader: "Content-Type: application/http;msgtype=request\r\n"},
		{typ: "response", uri: "https://gazette.example/2031/05/ferry", date: "2031-05-06T09:00:02Z",
			block: httpResp("200 OK", "Content-Type: text/html; charset=utf-8\r\nContent-Length: "+fmt.Sprint(len(storyA))+"\r\n", storyA)},
		{typ: "response", uri: "<https://gazette.example/2031/05/orchard>", date: "2031-05-06T09:00:03.250Z",
			block: httpResp("200 OK", "Content-Type: text/html; charset=windows-1252\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n", chunked(string(gzipBytes([]byte(storyB))), 40))},
		{typ: "response", uri: "https://gazette.example/missing", date: "2031-05-06T09:00:04Z",
			block: httpResp("404 Not Found", "Content-Type: text/html\r\n", "<p>Not here</p>")},
		{typ: "response", uri: "https://gazette.example/old", date: "2031-05-06T09:00:05Z",
			block: httpResp("301 Moved Permanently", "Location: https://gazette.example/new\r\n", "")},
		{typ: "revisit", uri: "https://gazette.example/2031/05/ferry", date: "2031-05-07T09:00:00Z",
			block: httpResp("200 OK", "Content-Type: text/html\r\n", "")},
		{typ: "metadata", uri: "https://gazette.example/2031/05/ferry", date: "2031-05-06T09:00:06Z", block: []byte("outlinks: https://gazette.example/\r\n")},
		{typ: "response", uri: "https://gazette.example/bulletin.txt", date: "2031-05-06T09:00:07Z",
			block: httpResp("200 OK", "Content-Type: text/plain\r\nContent-Encoding: gzip\r\n", storyC)}, // stored decoded
		{typ: "response", uri: "dns:gazette.example", date: "2031-05-06T09:00:08Z", block: []byte("20310506090008\ngazette.example. 300 IN A 192.0.2.7\n"), extraHeader: ""},
	}
}

func plainWARC() []byte {
	var b bytes.Buffer
	for _, r := range fixtureRecords() {
		b.Write(r.bytes())
	}
	return b.Bytes()
}

// perRecordGzip compresses each record as its own gzip member, as crawlers do.
func perRecordGzip() []byte {
	var b bytes.Buffer
	for _, r := range fixtureRecords() {
		b.Write(gzipBytes(r.bytes()))
	}
	return b.Bytes()
}

func TestWriteFixtures(t *testing.T) {
	files := map[string][]byte{
		"gazette.warc":    plainWARC(),
		"gazette.warc.gz": perRecordGzip(),
	}
	for name, want := range files {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if name == "gazette.warc" && !bytes.Equal(got, want) {
			t.Errorf("%s is stale; run go test -run TestWriteFixtures -update", path)
		}
	}
}

type got struct {
	index  int
	typ    string
	uri    string
	date   time.Time
	status int
	ctype  string
	body   string
	err    error
}

func readAll(t *testing.T, data []byte, maxBody int64) ([]got, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var out []got
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		g := got{index: rec.Index, typ: rec.Type, uri: rec.TargetURI, date: rec.Date}
		if rec.Type == "response" {
			head := make([]byte, 5)
			n, _ := io.ReadFull(rec.Block, head)
			if IsHTTP(head[:n]) {
				resp, err := ReadHTTPResponse(io.MultiReader(bytes.NewReader(head[:n]), rec.Block), maxBody)
				if err != nil {
					g.err = err
				} else {
					g.status, g.ctype, g.body = resp.StatusCode, resp.Header.Get("Content-Type"), string(resp.Body)
				}
			}
		}
		out = append(out, g)
	}
}

func TestReadFixtures(t *testing.T) {
	for _, name := range []string{"gazette.warc", "gazette.warc.gz"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			recs, err := readAll(t, data, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 10 {
				t.Fatalf("%d records, want 10", len(recs))
			}
			checks := []struct {
				i      int
				typ    string
				uri    string
				status int
				ctype  string
				body   string
			}{
				{0, "warcinfo", "", 0, "", ""},
				{2, "response", "https://gazette.example/2031/05/ferry", 200, "text/html; charset=utf-8", storyA},
				{3, "response", "https://gazette.example/2031/05/orchard", 200, "text/html; charset=windows-1252", storyB},
				{4, "response", "https://gazette.example/missing", 404, "text/html", "<p>Not here</p>"},
				{5, "response", "https://gazette.example/old", 301, "", ""},
				{8, "response", "https://gazette.example/bulletin.txt", 200, "text/plain", storyC},
				{9, "response", "dns:gazette.example", 0, "", ""},
			}
			for _, c := range checks {
				g := recs[c.i]
				if g.err != nil || g.index != c.i+1 || g.typ != c.typ || g.uri != c.uri || g.status != c.status || g.ctype != c.ctype || g.body != c.body {
					t.Errorf("record %d = %+v, want %+v", c.i+1, g, c)
				}
			}
			if want := time.Date(2031, 5, 6, 9, 0, 3, 250e6, time.UTC); !recs[3].date.Equal(want) {
				t.Errorf("date = %v, want %v", recs[3].date, want)
			}
		})
	}
}

func TestDamaged(t *testing.T) {
	plain := plainWARC()
	gz := perRecordGzip()
	// Offsets inside record 3 (the first response) of the plain file.
	r3 := bytes.Index(plain, []byte("WARC/1.1\r\nWARC-Type: response"))
	r3body := bytes.Index(plain[r3:], []byte("Lantern Bay ferry")) + r3
	tests := []struct {
		name     string
		data     []byte
		wantRecs int // complete records before the error
		wantErr  error
	}{
		{"cut inside a block", plain[:r3body], 2, ErrTruncated},
		{"cut inside a header", plain[:r3+30], 2, ErrTruncated},
		{"cut after version line", plain[:r3+10], 2, ErrTruncated},
		{"gzip cut mid-member", gz[:len(gz)-40], 9, ErrTruncated},
		{"gzip cut at byte 100", gz[:100], 0, ErrTruncated},
		{"not a WARC", []byte("<html><body>hello</body></html>\n"), 0, ErrMalformed},
		{"garbage between records", append(append(append([]byte{}, plain[:r3]...), "junk line\r\n"...), plain[r3:]...), 2, ErrMalformed},
		{"bad content length", []byte("WARC/1.0\r\nWARC-Type: response\r\nContent-Length: lots\r\n\r\n"), 0, ErrMalformed},
		{"negative content length", []byte("WARC/1.0\r\nContent-Length: -5\r\n\r\n"), 0, ErrMalformed},
		{"header without colon", []byte("WARC/1.0\r\nthis is not a header\r\n\r\n"), 0, ErrMalformed},
		{"corrupt gzip", append(gzipBytes([]byte("WARC/1.0\r\nContent-Length: 0\r\n\r\n\r\n\r\n")), append([]byte{0x1f, 0x8b, 9}, make([]byte, 30)...)...), 1, ErrMalformed},
		{"huge header line", append([]byte("WARC/1.0\r\nX: "), bytes.Repeat([]byte("a"), 2<<20)...), 0, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := readAll(t, tt.data, 1<<20)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "warc: ") {
				t.Errorf("err = %q lacks the package prefix", err)
			}
			complete := 0
			for _, g := range recs {
				if g.err == nil {
					complete++
				}
			}
			if complete != tt.wantRecs {
				t.Errorf("%d complete records before the error, want %d", complete, tt.wantRecs)
			}
		})
	}
}

func TestEmptyAndBlankLines(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("\r\n\r\n"), append([]byte("\r\n"), fixtureRecords()[0].bytes()...)} {
		recs, err := readAll(t, data, 0)
		if err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		if len(data) > 4 && len(recs) != 1 {
			t.Errorf("%d records", len(recs))
		}
	}
}

func TestHTTPBodies(t *testing.T) {
	tests := []struct {
		name    string
		block   []byte
		max     int64
		want    string
		wantErr error
	}{
		{"plain", httpResp("200 OK", "Content-Type: text/html\r\n", "<p>x</p>"), 0, "<p>x</p>", nil},
		{"http content-length ignored", httpResp("200 OK", "Content-Length: 3\r\n", "<p>longer than 3</p>"), 0, "<p>longer than 3</p>", nil},
		{"chunked stored dechunked", httpResp("200 OK", "Transfer-Encoding: chunked\r\n", "<p>already plain</p>"), 0, "<p>already plain</p>", nil},
		{"folded header", httpResp("200 OK", "Content-Type: text/html;\r\n charset=utf-8\r\n", "b"), 0, "b", nil},
		{"over cap", httpResp("200 OK", "", strings.Repeat("a", 100)), 50, "", fetch.ErrTooLarge},
		{"gzip bomb over cap", httpResp("200 OK", "Content-Encoding: gzip\r\n", string(gzipBytes(bytes.Repeat([]byte{'a'}, 10000)))), 500, "", fetch.ErrTooLarge},
		{"corrupt gzip", httpResp("200 OK", "Content-Encoding: gzip\r\n", "\x1f\x8b\x08\x00garbage"), 0, "", fetch.ErrEncoding},
		{"bad status", []byte("HTTP/1.1 OK fine\r\n\r\n"), 0, "", ErrMalformed},
		{"not http", []byte("SMTP 250\r\n\r\n"), 0, "", ErrMalformed},
		{"headers cut", []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"), 0, "", io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := ReadHTTPResponse(bytes.NewReader(tt.block), tt.max)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(resp.Body) != tt.want {
				t.Errorf("body = %q, want %q", resp.Body, tt.want)
			}
		})
	}
}

func FuzzWARC(f *testing.F) {
	f.Add(plainWARC())
	f.Add(perRecordGzip()[:300])
	f.Add(fixtureRecords()[2].bytes())
	f.Add([]byte("WARC/1.0\r\nContent-Length: 5\r\n\r\nHTTP/"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for i := 0; i < 1000; i++ {
			rec, err := r.Next()
			if err != nil {
				if err != io.EOF && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrMalformed) {
					t.Fatalf("unclassified error %v", err)
				}
				return
			}
			if rec.ContentLength < 0 {
				t.Fatal("negative length")
			}
			if rec.Type == "response" {
				resp, err := ReadHTTPResponse(rec.Block, 1<<16)
				if err == nil && len(resp.Body) > 1<<16 {
					t.Fatal("body over cap")
				}
			}
		}
	})
}
