package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const agreePage = `<!DOCTYPE html><html><head><title>Kestrel Bridge reopens</title></head><body><article>
<h1>Kestrel Bridge reopens</h1>
<p>The Kestrel Bridge between Marrow and Isle Penn reopened to traffic on Monday after two years of repairs, officials said.</p>
<p>Mayor Tobias Wren cut the ribbon in front of a crowd of residents who had waited since dawn.</p>
</article></body></html>`

// flagDefault returns the default of flag name as `newsdesk CMD -h` prints
// it, and whether the flag is listed.
func flagDefault(t *testing.T, cmd, name string) (string, bool) {
	t.Helper()
	_, help, _ := nd(t, filepath.Join(t.TempDir(), "h.db"), "", cmd, "-h")
	m := regexp.MustCompile(`(?m)^  -` + regexp.QuoteMeta(name) + `\b.*\n(?:    .*\n)*`).FindString(help)
	if m == "" {
		return "", false
	}
	d := regexp.MustCompile(`\(default ([^)]*)\)`).FindStringSubmatch(m)
	if d == nil {
		return "", true
	}
	return d[1], true
}

// TestCleanIngestAgree: clean and ingest share the --max-bytes default and
// the name of the input-kind flag, both read .gz inputs, and report a
// failed input with the same plain line, "newsdesk CMD: SOURCE: what went
// wrong", with slog records only under --log-format. On the code before,
// the defaults were 64 MiB and 32 MiB, ingest called the flag --format,
// clean page.html.gz failed as binary, and ingest printed level=ERROR
// records.
func TestCleanIngestAgree(t *testing.T) {
	ci, _ := flagDefault(t, "clean", "max-bytes")
	ii, _ := flagDefault(t, "ingest", "max-bytes")
	if ci == "" || ci != ii {
		t.Errorf("--max-bytes defaults: clean %q, ingest %q", ci, ii)
	}
	for _, cmd := range []string{"clean", "ingest"} {
		if _, ok := flagDefault(t, cmd, "input"); !ok {
			t.Errorf("%s has no --input flag", cmd)
		}
	}
	if _, ok := flagDefault(t, "ingest", "format"); ok {
		t.Errorf("ingest still lists --format for the input kind")
	}

	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(agreePage))
	zw.Close()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	page := write("page.html", []byte(agreePage))
	pageGz := write("page.html.gz", gz.Bytes())
	empty := write("empty.txt", nil)
	bin := write("bin.dat", append([]byte("abc\x00\x01\x02"), bytes.Repeat([]byte{0, 0xff, 0x13}, 300)...))
	missing := filepath.Join(dir, "missing.txt")

	// .gz is read by both.
	out, errOut, code := nd(t, "", "", "clean", "--input", "html", pageGz)
	if code != ExitOK || !strings.Contains(out, "Mayor Tobias Wren") {
		t.Errorf("clean page.html.gz: exit %d\n%s%s", code, out, errOut)
	}
	db := filepath.Join(t.TempDir(), "agree.db")
	if _, errOut, code := nd(t, db, "", "ingest", "--quiet", "--input", "html", pageGz); code != ExitOK {
		t.Errorf("ingest --input html page.html.gz: exit %d\n%s", code, errOut)
	}
	// The old name still works.
	if _, errOut, code := nd(t, db, "", "ingest", "--quiet", "--format", "html", page); code != ExitOK {
		t.Errorf("ingest --format html: exit %d\n%s", code, errOut)
	}

	// The same failures, the same lines.
	lines := func(cmd, stderr string) map[string]string {
		got := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
			rest, ok := strings.CutPrefix(l, "newsdesk "+cmd+": ")
			if !ok {
				t.Errorf("%s: stderr line %q is not plain", cmd, l)
				continue
			}
			for _, in := range []string{empty, bin, missing, page} {
				if msg, ok := strings.CutPrefix(rest, in+": "); ok {
					got[in] = msg
				}
			}
		}
		return got
	}
	_, cleanErr, _ := nd(t, "", "", "clean", "--max-bytes", "300", empty, bin, missing, page)
	_, ingestErr, _ := nd(t, filepath.Join(t.TempDir(), "f.db"), "", "ingest", "--quiet", "--max-bytes", "300", empty, bin, missing, page)
	cl, il := lines("clean", cleanErr), lines("ingest", ingestErr)
	for _, in := range []string{empty, bin, missing, page} {
		if cl[in] == "" || cl[in] != il[in] {
			t.Errorf("%s: clean says %q, ingest %q", filepath.Base(in), cl[in], il[in])
		}
		for _, bad := range []string{"repair:", "source:", "fetch:", "response"} {
			if strings.Contains(il[in], bad) {
				t.Errorf("%s: message %q carries %q", filepath.Base(in), il[in], bad)
			}
		}
	}
	if strings.Contains(ingestErr, "level=") || strings.Contains(cleanErr, "level=") {
		t.Errorf("slog records without --log-format:\n%s%s", ingestErr, cleanErr)
	}

	// --log-format json: the failures are JSON records.
	for _, cmd := range []string{"clean", "ingest"} {
		_, errOut, _ := nd(t, filepath.Join(t.TempDir(), "j.db"), "", cmd, "--log-format", "json", missing)
		var rec map[string]any
		first, _, _ := strings.Cut(errOut, "\n")
		if err := json.Unmarshal([]byte(first), &rec); err != nil || rec["source"] != missing {
			t.Errorf("%s --log-format json: %q", cmd, errOut)
		}
	}
}
