package cli

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/process"
	"github.com/newsdesk/newsdesk/internal/source"
	"github.com/newsdesk/newsdesk/repair"
)

func init() {
	Register(&Command{Name: "clean", Summary: "turn raw text or HTML (files, stdin, URLs) into clean article records", Run: runClean})
}

type cleanConfig struct {
	format    string
	explain   bool
	maxBytes  int64
	input     string
	userAgent string
	timeout   time.Duration
	jobs      int
	batch     bool
	noEnrich  bool
	published time.Time
}

func runClean(ctx context.Context, env *Env, args []string) int {
	var cfg cleanConfig
	fs := NewFlagSet(env, "clean", "[flags] [FILE|URL|- ...]")
	fs.StringVar(&cfg.format, "format", EnvDefault(env, "NEWSDESK_FORMAT", "jsonl"), "output format: jsonl, json, text or markdown (env NEWSDESK_FORMAT)")
	fs.BoolVar(&cfg.explain, "explain", false, "list every removed segment and its reason on stderr")
	fs.Int64Var(&cfg.maxBytes, "max-bytes", envInt64(env, "NEWSDESK_MAX_BYTES", defaultMaxBytes), "largest accepted input in `bytes` (env NEWSDESK_MAX_BYTES)")
	fs.StringVar(&cfg.input, "input", "auto", inputUsage)
	fs.StringVar(&cfg.userAgent, "user-agent", EnvDefault(env, "NEWSDESK_USER_AGENT", ""), "User-Agent for URLs (env NEWSDESK_USER_AGENT)")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Second, "timeout for fetching one URL")
	fs.IntVar(&cfg.jobs, "j", runtime.NumCPU(), "inputs processed in parallel")
	fs.BoolVar(&cfg.batch, "batch-boilerplate", true, "with 4 or more text files, drop short lines that recur across many of them")
	fs.BoolVar(&cfg.noEnrich, "no-enrich", false, "skip entity, quote and time extraction")
	published := fs.String("published", env.Getenv("NEWSDESK_PUBLISHED"), "publication `date` (2006-01-02 or RFC 3339) of inputs that give none, so relative times resolve (env NEWSDESK_PUBLISHED)")
	logs := addLogFlags(fs)
	inputs, code, ok := ParseFlags(fs, args)
	if !ok {
		return code
	}
	setMemoryLimit(env, cfg.maxBytes)
	var err error
	if cfg.published, err = parseDate(*published); err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk clean: --published: %v\n", err)
		return ExitUsage
	}
	if err := logs.apply(env); err != nil {
		fmt.Fprintf(env.Stderr, "newsdesk clean: %v\n", err)
		return ExitUsage
	}
	switch cfg.format {
	case "jsonl", "json", "text", "markdown", "md":
	default:
		fmt.Fprintf(env.Stderr, "newsdesk clean: unknown --format %q (want jsonl, json, text or markdown)\n", cfg.format)
		return ExitUsage
	}
	if !validInput(cfg.input) {
		fmt.Fprintf(env.Stderr, "newsdesk clean: --input %q: want auto, html or text\n", cfg.input)
		return ExitUsage
	}
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	if cfg.jobs < 1 {
		cfg.jobs = 1
	}
	stdinUses := 0
	for _, in := range inputs {
		if in == "-" {
			stdinUses++
		}
	}
	if stdinUses > 1 {
		fmt.Fprintln(env.Stderr, "newsdesk clean: stdin (-) given more than once")
		return ExitUsage
	}

	fetcher := fetch.New(fetch.Options{UserAgent: cfg.userAgent, Timeout: cfg.timeout, MaxBytes: cfg.maxBytes, PerHostInterval: -1})
	var batch *repair.Batch
	if cfg.batch && cfg.input != "html" && countFiles(inputs) >= 4 {
		batch = observeBatch(inputs, cfg.maxBytes, cfg.input)
	}

	results := make([]chan cleanResult, len(inputs))
	for i := range results {
		results[i] = make(chan cleanResult, 1)
	}
	sem := make(chan struct{}, cfg.jobs)
	var wg sync.WaitGroup
	go func() {
		for i, name := range inputs {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				a, err := cleanOne(ctx, env, name, cfg, fetcher, batch)
				results[i] <- cleanResult{a, err}
			}()
		}
	}()

	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	failed := 0
	var all []*article.Article
	for i, name := range inputs {
		res := <-results[i]
		if res.err != nil {
			failed++
			reportFailure(env, "clean", name, res.err)
			continue
		}
		for _, w := range res.a.Warnings {
			// A best-effort record is still written; say so where people look.
			fmt.Fprintf(env.Stderr, "newsdesk clean: %s: warning: %s\n", name, w)
		}
		if cfg.explain {
			explain(env.Stderr, name, res.a)
		}
		if cfg.format == "json" {
			all = append(all, res.a)
			continue
		}
		if err := writeArticle(out, res.a, cfg.format, i); err != nil {
			fmt.Fprintf(env.Stderr, "newsdesk clean: writing output: %v\n", err)
			return ExitPartial
		}
		if cfg.format == "jsonl" {
			out.Flush() // stream records as they are ready
		}
	}
	wg.Wait()
	if cfg.format == "json" {
		if all == nil {
			all = []*article.Article{}
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(all); err != nil {
			fmt.Fprintf(env.Stderr, "newsdesk clean: writing output: %v\n", err)
			return ExitPartial
		}
	}
	if failed > 0 {
		if len(inputs) > 1 {
			fmt.Fprintf(env.Stderr, "newsdesk clean: %d of %d inputs failed\n", failed, len(inputs))
		}
		return ExitPartial
	}
	return ExitOK
}

type cleanResult struct {
	a   *article.Article
	err error
}

func isURL(s string) bool {
	ls := strings.ToLower(s)
	return strings.HasPrefix(ls, "http://") || strings.HasPrefix(ls, "https://")
}

func countFiles(inputs []string) int {
	n := 0
	for _, in := range inputs {
		if in != "-" && !isURL(in) {
			n++
		}
	}
	return n
}

// observeBatch reads every plain-text file input once to count lines that
// recur across them. HTML inputs are told by their first bytes and skipped
// unread: the batch rule is for text, and reading a page as lines of text
// cost as much as extracting it. Unreadable files are skipped here; the
// main pass reports them.
func observeBatch(inputs []string, maxBytes int64, format string) *repair.Batch {
	b := repair.NewBatch()
	for _, in := range inputs {
		if head := readHead(in); in == "-" || isURL(in) || isGzip(head) || process.Format(head, format) != "text" {
			continue
		}
		raw, err := readFileLimit(in, maxBytes)
		if err != nil {
			continue
		}
		b.Observe(raw)
	}
	return b
}

// readHead returns the first 4 KiB of a file, or nil.
func readHead(name string) []byte {
	f, err := os.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, _ := io.ReadFull(f, buf)
	return buf[:n]
}

// cleanOne reads one input (file, stdin or URL) and builds its article.
func cleanOne(ctx context.Context, env *Env, name string, cfg cleanConfig, fetcher *fetch.Client, batch *repair.Batch) (*article.Article, error) {
	in := process.Input{Name: name, Format: cfg.input, MaxBytes: cfg.maxBytes, Batch: batch, Enrich: !cfg.noEnrich, Published: cfg.published}
	switch {
	case isURL(name):
		resp, err := fetcher.Get(ctx, name)
		if err != nil {
			return nil, err
		}
		in.URL, in.ContentType, in.Raw, in.Fetched = resp.URL, resp.ContentType, resp.Body, resp.Fetched
	case name == "-":
		in.Name = "stdin"
		raw, err := readLimit(env.Stdin, cfg.maxBytes)
		if err != nil {
			return nil, fmt.Errorf("stdin: %w", err)
		}
		in.Raw = raw
	default:
		raw, err := readFileLimit(name, cfg.maxBytes)
		if err != nil {
			return nil, err
		}
		in.Raw = raw
	}
	// A gzip-compressed input (page.html.gz, or served as a .gz file) is
	// read as ingest reads it: decompressed, within the same limit.
	if isGzip(in.Raw) {
		raw, err := gunzip(in.Raw, cfg.maxBytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.Name, err)
		}
		in.Raw = raw
	}
	return process.Article(in)
}

func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// gunzip decompresses raw, failing past limit bytes.
func gunzip(raw []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	defer zr.Close()
	out, err := readLimit(zr, limit)
	if err != nil && !errors.Is(err, source.ErrTooLarge) {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return out, err
}

func readFileLimit(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err // *PathError names the file
	}
	defer f.Close()
	size := int64(0)
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			return nil, fmt.Errorf("%s: is a directory (use 'newsdesk ingest' for directories)", name)
		}
		size = st.Size()
		if limit > 0 && size > limit {
			return nil, fmt.Errorf("%s: %w", name, &source.SizeError{Size: size, Max: limit})
		}
	}
	// A regular file is read into a buffer of its size at once, rather
	// than one grown by doubling (4% of the clean command's time).
	raw, err := readLimitSized(f, limit, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return raw, nil
}

// readLimit reads r whole, failing instead of truncating past limit bytes.
func readLimit(r io.Reader, limit int64) ([]byte, error) { return readLimitSized(r, limit, 0) }

// readLimitSized is readLimit for a reader of about size bytes (0 when
// unknown), read into one buffer of that size.
func readLimitSized(r io.Reader, limit, size int64) ([]byte, error) {
	if limit <= 0 {
		limit = defaultMaxBytes
	}
	var buf bytes.Buffer
	if size > 0 && size <= limit {
		buf.Grow(int(size) + bytes.MinRead) // ReadFrom wants MinRead spare at the end
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
		return nil, err
	}
	raw := buf.Bytes()
	if int64(len(raw)) > limit {
		return nil, &source.SizeError{Max: limit}
	}
	return raw, nil
}

func writeArticle(w *bufio.Writer, a *article.Article, format string, i int) error {
	switch format {
	case "jsonl":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(a)
	case "text":
		if i > 0 {
			w.WriteString("\n")
		}
		if a.Title != "" {
			w.WriteString(a.Title)
			w.WriteString("\n\n")
		}
		for j, p := range a.Paragraphs {
			if j > 0 {
				w.WriteString("\n")
			}
			w.WriteString(p)
			w.WriteString("\n")
		}
	case "markdown", "md":
		if i > 0 {
			w.WriteString("\n---\n\n")
		}
		if a.Title != "" {
			fmt.Fprintf(w, "# %s\n\n", a.Title)
		}
		if meta := markdownMeta(a); meta != "" {
			fmt.Fprintf(w, "*%s*\n\n", meta)
		}
		for _, p := range a.Paragraphs {
			w.WriteString(p)
			w.WriteString("\n\n")
		}
	}
	return nil
}

func markdownMeta(a *article.Article) string {
	var parts []string
	if a.Source.Name != "" {
		parts = append(parts, a.Source.Name)
	}
	if len(a.Authors) > 0 {
		parts = append(parts, "by "+strings.Join(a.Authors, ", "))
	}
	if !a.Published.IsZero() {
		parts = append(parts, a.Published.Format("2006-01-02"))
	}
	if a.URL != "" {
		parts = append(parts, "<"+a.URL+">")
	}
	return strings.Join(parts, " · ")
}

// explain writes one line per removed segment: where it stood, why it went,
// and its text, shortened.
func explain(w io.Writer, name string, a *article.Article) {
	fmt.Fprintf(w, "%s: kept %d paragraphs, removed %d segments\n", name, len(a.Paragraphs), len(a.Removed))
	for _, r := range a.Removed {
		why := string(r.Reason)
		if r.Of != nil {
			why += fmt.Sprintf(" of paragraph %d", *r.Of)
		}
		text := r.Text
		if len([]rune(text)) > 80 {
			text = string([]rune(text)[:77]) + "..."
		}
		fmt.Fprintf(w, "  #%-4d %-26s %q\n", r.Index, why, text)
	}
}

func envInt64(env *Env, key string, def int64) int64 {
	v := env.Getenv(key)
	if v == "" {
		return def
	}
	var n int64
	if _, err := fmt.Sscan(v, &n); err != nil || n <= 0 {
		return def
	}
	return n
}
