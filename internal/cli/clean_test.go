package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/article"
)

func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code = Main(context.Background(), env, args)
	return out.String(), errb.String(), code
}

const doubled = "Quarry reopens after flood repairs\n\nAdvertisement\n\nThe Brennock quarry reopened on Friday after six weeks of repairs to its flooded lower terraces, the operator said.\n\nThe Brennock quarry reopened on Friday after six weeks of repairs to its flooded lower terraces, the operator said.\n\nForty workers returned to the site, which supplies stone for the county's road programme.\n\nForty workers returned to the site, which supplies stone for the county's road programme.\n\nWant more stories like this from the Brennock Echo? Hit the follow button above.\n"

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCleanStdinJSONL(t *testing.T) {
	out, errOut, code := run(t, doubled, "clean")
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var a article.Article
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("output is not one JSON record: %v\n%s", err, out)
	}
	if a.Title != "Quarry reopens after flood repairs" || len(a.Paragraphs) != 2 || a.Source.Name != "Brennock Echo" {
		t.Errorf("record = %+v", a)
	}
	if a.Input.Name != "stdin" || a.Input.Format != "text" || a.Input.Encoding != "utf-8" || len(a.Input.SHA256) != 64 {
		t.Errorf("input = %+v", a.Input)
	}
	if len(a.Removed) != 4 {
		t.Errorf("removed = %+v", a.Removed)
	}
	found := false
	for _, e := range a.Entities {
		found = found || e.Text == "Brennock"
	}
	if !found {
		t.Errorf("enrich did not run: entities = %+v", a.Entities)
	}
	out, _, _ = run(t, doubled, "clean", "--no-enrich")
	if strings.Contains(out, `"entities"`) {
		t.Errorf("--no-enrich still enriched: %s", out)
	}
}

func TestCleanFormats(t *testing.T) {
	out, _, code := run(t, doubled, "clean", "--format", "text", "-")
	if code != ExitOK {
		t.Fatal(code)
	}
	want := "Quarry reopens after flood repairs\n\nThe Brennock quarry reopened on Friday after six weeks of repairs to its flooded lower terraces, the operator said.\n\nForty workers returned to the site, which supplies stone for the county's road programme.\n"
	if out != want {
		t.Errorf("text output:\n%q\nwant\n%q", out, want)
	}
	out, _, _ = run(t, doubled, "clean", "--format=markdown")
	if !strings.HasPrefix(out, "# Quarry reopens after flood repairs\n\n*Brennock Echo*\n\n") {
		t.Errorf("markdown output:\n%s", out)
	}
	out, _, _ = run(t, doubled, "clean", "--format=json")
	var arr []article.Article
	if err := json.Unmarshal([]byte(out), &arr); err != nil || len(arr) != 1 {
		t.Errorf("json output is not an array of one: %v\n%s", err, out)
	}
}

func TestCleanExplain(t *testing.T) {
	_, errOut, code := run(t, doubled, "clean", "--explain")
	if code != ExitOK {
		t.Fatal(code)
	}
	for _, want := range []string{"removed 4 segments", "boilerplate:ad", "duplicate of paragraph 0", "boilerplate:cta"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("--explain output lacks %q:\n%s", want, errOut)
		}
	}
}

// TestCleanBatchWithFailures: bad inputs are reported by name, the good ones
// still come out in order, and the exit code is 1.
func TestCleanBatchWithFailures(t *testing.T) {
	dir := t.TempDir()
	good1 := writeFile(t, dir, "good1.txt", doubled)
	empty := writeFile(t, dir, "empty.txt", "")
	binary := writeFile(t, dir, "photo.txt", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	good2 := writeFile(t, dir, "good2.txt", strings.Replace(doubled, "Quarry", "Mill", 1))
	big := writeFile(t, dir, "big.txt", strings.Repeat("word ", 400))
	missing := filepath.Join(dir, "missing.txt")
	out, errOut, code := run(t, "", "clean", "--max-bytes", "1000", "--batch-boilerplate=false", good1, empty, binary, missing, big, good2)
	if code != ExitPartial {
		t.Fatalf("exit %d, want %d", code, ExitPartial)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"Quarry reopens`) || !strings.Contains(lines[1], `"Mill reopens`) {
		t.Errorf("stdout:\n%s", out)
	}
	for _, want := range []string{"empty.txt: empty input", "photo.txt: binary input", "missing.txt", "big.txt: 2000 bytes, over the 1000-byte limit", "4 of 6 inputs failed"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestCleanUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"clean", "--format", "xml"}, {"clean", "--nope"}, {"clean", "-", "-"}, {"no-such-command"}, {}} {
		if _, _, code := run(t, "", args...); code != ExitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, ExitUsage)
		}
	}
}

func TestCleanLegacyEncoding(t *testing.T) {
	raw := "Caf\xe9 wins prize\n\nThe \x93best bread\x94 prize went to a caf\xe9 on the harbour front this year.\n"
	out, _, code := run(t, raw, "clean")
	if code != ExitOK {
		t.Fatal(code)
	}
	var a article.Article
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.Input.Encoding != "windows-1252" || a.Title != "Café wins prize" || !strings.Contains(a.Paragraphs[0], "“best bread”") {
		t.Errorf("record = %+v", a)
	}
}

func TestCleanURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone" {
			http.NotFound(w, r)
			return
		}
		if !strings.HasPrefix(r.Header.Get("User-Agent"), "tester/") {
			t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(doubled))
	}))
	defer srv.Close()
	out, errOut, code := run(t, "", "clean", "--user-agent", "tester/1.0", srv.URL+"/story", srv.URL+"/gone")
	if code != ExitPartial {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var a article.Article
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.URL != srv.URL+"/story" || a.Title != "Quarry reopens after flood repairs" {
		t.Errorf("record = %+v", a)
	}
	if !strings.Contains(errOut, srv.URL+"/gone") || !strings.Contains(errOut, "404") {
		t.Errorf("stderr should name the URL and status:\n%s", errOut)
	}
}

// A best-effort record (a short page) is written to stdout and its warning
// goes to stderr with the input's name; the exit code stays 0.
func TestCleanWarningsOnStderr(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "note.html", `<html><body><nav><a href="/">Home</a></nav><p>The ferry is cancelled today; back on Friday.</p></body></html>`)
	out, errOut, code := run(t, "", "clean", p)
	if code != ExitOK || !strings.Contains(out, `"warnings":[`) {
		t.Fatalf("exit %d, stdout %s", code, out)
	}
	if !strings.Contains(errOut, "note.html: warning: extract: the page holds only") {
		t.Errorf("stderr lacks the warning:\n%s", errOut)
	}
}
