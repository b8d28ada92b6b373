// Package warc reads WARC 1.0 and 1.1 web archives (ISO 28500), plain or
// gzip-compressed (one gzip member per record, or the whole file), as a
// stream: records are read one at a time and a record's block is never held
// in memory by the reader.
//
// A file cut short yields its complete records and then an error wrapping
// ErrTruncated; a file that is not WARC, or whose framing is broken, gives an
// error wrapping ErrMalformed.
package warc

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/source/dates"
)

// Errors wrapped by the reader.
var (
	ErrTruncated = errors.New("truncated")
	ErrMalformed = errors.New("malformed")
)

// maxHeaderBytes bounds a record's WARC header block and an HTTP header block.
const maxHeaderBytes = 1 << 20

// Record is one WARC record. Block is valid until the next call to Next.
type Record struct {
	Index         int // 1-based position in the file
	Type          string
	TargetURI     string
	Date          time.Time
	ContentType   string
	ContentLength int64
	Header        textproto.MIMEHeader
	Block         io.Reader
}

// Reader reads records from a WARC stream.
type Reader struct {
	br    *bufio.Reader
	block *blockReader
	n     int
	err   error
}

// NewReader returns a Reader for r, decompressing it if it is gzip.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("warc: gzip: %w: %w", ErrMalformed, err)
		}
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	return &Reader{br: br}, nil
}

// Next returns the next record, io.EOF at a clean end of the stream, or an
// error wrapping ErrTruncated or ErrMalformed. After an error other than
// io.EOF every later call returns the same error.
func (r *Reader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	rec, err := r.next()
	if err != nil {
		r.err = err
	}
	return rec, err
}

func (r *Reader) next() (*Record, error) {
	if r.block != nil {
		// Skip what the caller left of the previous block, then its
		// CRLF CRLF trailer.
		if _, err := io.Copy(io.Discard, r.block); err != nil {
			return nil, r.wrapIO(err, r.n)
		}
		r.block = nil
	}
	// Find the version line, allowing blank lines between records (the
	// trailer, or writers that add extra).
	var line string
	for {
		l, err := readLine(r.br, 4096)
		if err == io.EOF && l == "" {
			return nil, io.EOF
		}
		if err != nil {
			return nil, r.wrapIO(err, r.n+1)
		}
		if l != "" {
			line = l
			break
		}
	}
	idx := r.n + 1
	if !strings.HasPrefix(line, "WARC/") {
		return nil, fmt.Errorf("warc: record %d: %w: expected a WARC/1.x version line, found %q", idx, ErrMalformed, clip(line))
	}
	hdr, err := readHeader(r.br)
	if err != nil {
		return nil, r.wrapIO(err, idx)
	}
	cl := hdr.Get("Content-Length")
	n, perr := strconv.ParseInt(strings.TrimSpace(cl), 10, 64)
	if perr != nil || n < 0 {
		return nil, fmt.Errorf("warc: record %d: %w: bad Content-Length %q", idx, ErrMalformed, clip(cl))
	}
	r.n = idx
	rec := &Record{
		Index:         idx,
		Type:          strings.ToLower(strings.TrimSpace(hdr.Get("WARC-Type"))),
		TargetURI:     strings.Trim(strings.TrimSpace(hdr.Get("WARC-Target-URI")), "<>"),
		ContentType:   strings.TrimSpace(hdr.Get("Content-Type")),
		ContentLength: n,
		Header:        hdr,
	}
	if t, ok := dates.Parse(hdr.Get("WARC-Date")); ok {
		rec.Date = t
	}
	r.block = &blockReader{r: r.br, left: n, index: idx}
	rec.Block = r.block
	return rec, nil
}

func (r *Reader) wrapIO(err error, idx int) error {
	var re *recordError
	switch {
	case errors.As(err, &re):
		return err
	case errors.Is(err, ErrTruncated), errors.Is(err, ErrMalformed):
		return fmt.Errorf("warc: record %d: %w", idx, err)
	case err == io.EOF, errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("warc: record %d: %w: the file ends inside the record", idx, ErrTruncated)
	case isCorrupt(err):
		return fmt.Errorf("warc: record %d: %w: %w", idx, ErrMalformed, err)
	}
	return fmt.Errorf("warc: record %d: %w", idx, err)
}

// blockReader reads exactly one record's block and reports a short one as
// truncated.
type blockReader struct {
	r     *bufio.Reader
	left  int64
	index int
}

func (b *blockReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		if b.left > 0 {
			return n, &recordError{b.index, fmt.Errorf("%w: %d bytes of the block missing", ErrTruncated, b.left)}
		}
		err = nil
	}
	if err != nil && isCorrupt(err) {
		return n, &recordError{b.index, fmt.Errorf("%w: %w", ErrMalformed, err)}
	}
	return n, err
}

// isCorrupt reports whether err is damage found by the gzip decoder.
func isCorrupt(err error) bool {
	var ce flate.CorruptInputError
	return errors.As(err, &ce) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader)
}

// recordError is an error inside a record's block, already naming it.
type recordError struct {
	index int
	err   error
}

func (e *recordError) Error() string { return fmt.Sprintf("warc: record %d: %v", e.index, e.err) }
func (e *recordError) Unwrap() error { return e.err }

// readLine reads one line without its CR LF, failing beyond max bytes.
func readLine(br *bufio.Reader, max int) (string, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > max {
			return "", fmt.Errorf("%w: line longer than %d bytes", ErrMalformed, max)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			if err == io.EOF && len(buf) > 0 {
				return "", io.ErrUnexpectedEOF
			}
			return "", err
		}
		return strings.TrimRight(string(buf), "\r\n"), nil
	}
}

// readHeader reads "Name: value" lines up to a blank line, joining folded
// continuation lines, within maxHeaderBytes.
func readHeader(br *bufio.Reader) (textproto.MIMEHeader, error) {
	hdr := textproto.MIMEHeader{}
	total := 0
	var last string
	for {
		line, err := readLine(br, maxHeaderBytes)
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		total += len(line) + 2
		if total > maxHeaderBytes {
			return nil, fmt.Errorf("%w: header block over %d bytes", ErrMalformed, maxHeaderBytes)
		}
		if line == "" {
			return hdr, nil
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" {
			vs := hdr[last]
			vs[len(vs)-1] += " " + strings.TrimSpace(line)
			continue
		}
		name, val, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("%w: header line %q has no name", ErrMalformed, clip(line))
		}
		last = textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(name))
		hdr.Add(last, strings.TrimSpace(val))
	}
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// HTTPResponse is an HTTP response read from a response record's block.
type HTTPResponse struct {
	StatusCode int
	Status     string // e.g. "200 OK"
	Header     http.Header
	Body       []byte // de-chunked and decoded (gzip, deflate)
}

// IsHTTP reports whether a block starts like an HTTP response.
func IsHTTP(head []byte) bool {
	return bytes.HasPrefix(head, []byte("HTTP/"))
}

// ReadHTTPResponse parses the HTTP response stored in a response record's
// block. The body is taken as the rest of the block (the record's length is
// authoritative, not the HTTP Content-Length); chunked transfer coding and
// gzip or deflate content coding are undone when the bytes really are so
// encoded (archivers sometimes store decoded bodies with the original
// headers). A body over maxBody bytes (raw or decoded) fails with an error
// wrapping fetch.ErrTooLarge; maxBody <= 0 means no cap.
func ReadHTTPResponse(block io.Reader, maxBody int64) (*HTTPResponse, error) {
	br := bufio.NewReaderSize(block, 16<<10)
	line, err := readLine(br, 8192)
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("warc: HTTP status line: %w", err)
	}
	proto, status, _ := strings.Cut(line, " ")
	if !strings.HasPrefix(proto, "HTTP/") {
		return nil, fmt.Errorf("warc: %w: not an HTTP response: %q", ErrMalformed, clip(line))
	}
	status = strings.TrimSpace(status)
	codeStr, _, _ := strings.Cut(status, " ")
	code, err := strconv.Atoi(codeStr)
	if err != nil || code < 100 || code > 999 {
		return nil, fmt.Errorf("warc: %w: bad HTTP status line %q", ErrMalformed, clip(line))
	}
	mh, err := readHeader(br)
	if err != nil {
		return nil, fmt.Errorf("warc: HTTP header: %w", err)
	}
	resp := &HTTPResponse{StatusCode: code, Status: status, Header: http.Header(mh)}
	var rest io.Reader = br
	if maxBody > 0 {
		rest = io.LimitReader(br, maxBody+1)
	}
	raw, err := io.ReadAll(rest)
	if err != nil {
		return nil, err
	}
	if maxBody > 0 && int64(len(raw)) > maxBody {
		return nil, fmt.Errorf("warc: HTTP body: %w: over %d bytes", fetch.ErrTooLarge, maxBody)
	}
	if te := strings.ToLower(resp.Header.Get("Transfer-Encoding")); strings.Contains(te, "chunked") {
		if dechunked, err := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(raw))); err == nil {
			raw = dechunked
		}
	}
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	switch {
	case enc == "" || enc == "identity":
	case (enc == "gzip" || enc == "x-gzip") && !bytes.HasPrefix(raw, []byte{0x1f, 0x8b}):
		// Stored already decoded.
	default:
		dec, err := fetch.DecodeBody(bytes.NewReader(raw), enc, maxBody)
		if err != nil {
			if errors.Is(err, fetch.ErrTooLarge) {
				return nil, fmt.Errorf("warc: HTTP body: %w", err)
			}
			if enc != "deflate" {
				return nil, fmt.Errorf("warc: HTTP body: %w", err)
			}
			// A deflate body that does not decode was probably stored
			// decoded; keep the raw bytes.
			dec = raw
		}
		raw = dec
	}
	resp.Body = raw
	return resp, nil
}
