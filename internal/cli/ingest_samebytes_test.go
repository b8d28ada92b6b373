package cli

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ingestSummary runs newsdesk ingest with args in dir against db and
// returns its summary line.
func ingestSummary(t *testing.T, bin, dir, db string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"ingest", "--quiet", "--offline", "--db", db}, args...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ingest %v in %s: %v\n%s", args, dir, err, stderr.String())
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(l, "ingested ") {
			return l
		}
	}
	t.Fatalf("ingest %v: no summary in\n%s", args, stderr.String())
	return ""
}

const sameBytesText = `Ferry timetable changes at Port Alder from Monday

By Ilse Brandt

The harbour committee of Port Alder confirmed on Tuesday that the morning ferry to Kelmsford will leave twenty minutes earlier from next Monday, after a winter of complaints from commuters about missed rail connections.

"We listened to the people who ride the seven o'clock boat every day," said committee chair Tomas Okafor. The evening service is unchanged.

The change follows a survey of 1,200 passengers run by the committee in January.
`

// TestIngestSameBytesUnchanged ingests one file by three paths (relative,
// ./relative, a copy in another folder) and one WARC as .warc and as
// .warc.gz: only the first of each stores anything; the others are
// unchanged. Before input.name stopped feeding the content hash, every
// re-ingest said "updated 1" and stored a new version.
func TestIngestSameBytesUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := newsdeskBinary(t)
	root := t.TempDir()
	db := filepath.Join(root, "same.db")
	if err := os.MkdirAll(filepath.Join(root, "examples"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "elsewhere", "copy"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"examples/a.txt", "elsewhere/copy/a.txt"} {
		if err := os.WriteFile(filepath.Join(root, p), []byte(sameBytesText), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := ingestSummary(t, bin, root, db, "examples/a.txt"); !strings.Contains(got, "ingested 1,") {
		t.Fatalf("first ingest: %s", got)
	}
	for _, c := range []struct{ dir, arg string }{
		{root, "./examples/a.txt"},
		{filepath.Join(root, "examples"), "a.txt"},
		{root, "elsewhere/copy/a.txt"},
		{root, filepath.Join(root, "examples", "a.txt")},
	} {
		if got := ingestSummary(t, bin, c.dir, db, c.arg); !strings.Contains(got, "unchanged 1,") || !strings.Contains(got, "updated 0,") {
			t.Errorf("re-ingest of the same bytes as %s (in %s): %s", c.arg, c.dir, got)
		}
	}

	warc := sameBytesWARC()
	if err := os.WriteFile(filepath.Join(root, "crawl.warc"), warc, 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(warc)
	_ = zw.Close()
	if err := os.WriteFile(filepath.Join(root, "crawl.warc.gz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := ingestSummary(t, bin, root, db, "crawl.warc"); !strings.Contains(got, "ingested 1,") {
		t.Fatalf("WARC ingest: %s", got)
	}
	if got := ingestSummary(t, bin, root, db, "crawl.warc.gz"); !strings.Contains(got, "unchanged 1,") || !strings.Contains(got, "updated 0,") {
		t.Errorf("the same WARC as .warc.gz: %s", got)
	}
}

// sameBytesWARC is a WARC with one HTML response record.
func sameBytesWARC() []byte {
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kelmsford library extends its hours</title></head>
<body><article><h1>Kelmsford library extends its hours</h1>
<p>The Kelmsford public library will stay open until nine in the evening on weekdays from March, the district council said on Wednesday, after a pilot in the autumn drew more than four hundred extra visitors a week.</p>
<p>"Students asked for a quiet place to work after school," said librarian Greta Vallin. Weekend hours stay as they are.</p>
<p>The council will review the change at the end of the year.</p>
</article></body></html>`
	http := "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + fmt.Sprint(len(page)) + "\r\n\r\n" + page
	rec := "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:6f1c0e6a-0000-4000-8000-000000000001>\r\n" +
		"WARC-Date: 2024-03-06T09:00:00Z\r\nWARC-Target-URI: https://kelmsford-courier.example/library-hours\r\n" +
		"Content-Type: application/http; msgtype=response\r\nContent-Length: " + fmt.Sprint(len(http)) + "\r\n\r\n" + http + "\r\n\r\n"
	return []byte(rec)
}
