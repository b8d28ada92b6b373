package sqlite

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/article"
)

// The stored record of an article is its JSON (encoding/json's bytes
// exactly) without Fetched, DupGroup and Story, which are columns: they
// change without the content changing. Its content hash is the sha256 of
// the same JSON with input.name empty: where an input was read from (a
// path, a WARC record's name) is not content, so the same bytes read by
// another path are unchanged.
//
// The record is written piece by piece: the small fields are marshalled
// by encoding/json, the paragraphs and text (nearly all of a large record)
// are escaped straight into the hash and the compressor, so a huge article
// never has its record, and the growing buffers that building it takes,
// in memory all at once.

// streamMin is the size from which blobs are compressed as an S2 stream,
// written in blocks, rather than as one S2 block, which needs the whole
// input and a worst-case output buffer at once.
const streamMin = 1 << 20

// recordMarker is where the paragraphs and text go in the JSON of an
// article whose Paragraphs are nil and Text empty. The sequence cannot
// occur inside an escaped string value (every quote there is escaped), so
// its first occurrence is the field.
var recordMarker = []byte(`"paragraphs":null,"text":"",`)

// recordParts is the record of an article in three parts: head and tail
// surround the paragraphs and text; hashTail is tail with input.name empty.
type recordParts struct {
	a                    *article.Article
	head, tail, hashTail []byte
	size                 int // the record's length, estimated from above for the middle
}

func splitRecord(a *article.Article) (recordParts, error) {
	c := *a
	c.Fetched = time.Time{}
	c.DupGroup, c.Story = "", ""
	c.Paragraphs, c.Text = nil, ""
	js, err := json.Marshal(&c)
	if err != nil {
		return recordParts{}, err
	}
	i := bytes.Index(js, recordMarker)
	if i < 0 {
		return recordParts{}, errors.New("record: paragraphs not found in the JSON")
	}
	p := recordParts{a: a, head: js[:i], tail: js[i+len(recordMarker)-1:]}
	if a.Input.Name == "" {
		p.hashTail = p.tail
	} else {
		c.Input.Name = ""
		js2, err := json.Marshal(&c)
		if err != nil {
			return recordParts{}, err
		}
		j := bytes.Index(js2, recordMarker)
		if j < 0 {
			return recordParts{}, errors.New("record: paragraphs not found in the JSON")
		}
		p.hashTail = js2[j+len(recordMarker)-1:]
	}
	mid := len(`"paragraphs":[],"text":""`) + len(a.Text) + len(a.Paragraphs)*3
	for _, s := range a.Paragraphs {
		mid += len(s)
	}
	p.size = len(p.head) + mid + len(p.tail)
	return p, nil
}

// recWriter appends JSON to buf and, when w is set, hands it on to w in
// pieces of about flushAt bytes.
type recWriter struct {
	buf []byte
	w   io.Writer
	n   int // bytes handed to w
	err error
}

const flushAt = 64 << 10

func (r *recWriter) flush(force bool) {
	if r.w == nil || r.err != nil || len(r.buf) == 0 || (!force && len(r.buf) < flushAt) {
		return
	}
	_, r.err = r.w.Write(r.buf)
	r.n += len(r.buf)
	r.buf = r.buf[:0]
}

func (r *recWriter) raw(b []byte) {
	r.buf = append(r.buf, b...)
	r.flush(false)
}

// str writes s as a JSON string, a piece at a time. Pieces end before a
// byte that starts a character, so invalid UTF-8 is replaced exactly as a
// whole-string encoding would.
func (r *recWriter) str(s string) {
	r.buf = append(r.buf, '"')
	for len(s) > 0 {
		n := len(s)
		if n > flushAt {
			n = flushAt
			for k := 0; k < utf8.UTFMax && n > 1 && !utf8.RuneStart(s[n]); k++ {
				n--
			}
		}
		r.buf = appendJSONEscaped(r.buf, s[:n])
		s = s[n:]
		r.flush(false)
	}
	r.buf = append(r.buf, '"')
}

// middle writes the paragraphs and text fields.
func (r *recWriter) middle(a *article.Article) {
	if a.Paragraphs == nil {
		r.raw([]byte(`"paragraphs":null`))
	} else {
		r.raw([]byte(`"paragraphs":[`))
		for i, p := range a.Paragraphs {
			if i > 0 {
				r.buf = append(r.buf, ',')
			}
			r.str(p)
		}
		r.buf = append(r.buf, ']')
	}
	r.raw([]byte(`,"text":`))
	r.str(a.Text)
}

// write writes the whole record, with tail (the stored or the hashed one).
func (p *recordParts) write(r *recWriter, tail []byte) {
	r.raw(p.head)
	r.middle(p.a)
	r.raw(tail)
	r.flush(true)
}

// bytes returns the stored record in one buffer.
func (p *recordParts) bytes() []byte {
	r := recWriter{buf: make([]byte, 0, p.size+p.size/16+64)}
	p.write(&r, p.tail)
	return r.buf
}

// hash returns the content hash: the sha256 of the record with input.name
// empty. stored, when not nil, is the stored record, whose bytes differ
// from the hashed ones in the tail only.
func (p *recordParts) hash(stored []byte) string {
	h := sha256.New()
	if stored != nil {
		h.Write(stored[:len(stored)-len(p.tail)])
		h.Write(p.hashTail)
	} else {
		r := recWriter{buf: make([]byte, 0, flushAt+flushAt/4), w: h}
		p.write(&r, p.hashTail)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// legacyHash is the content hash records were stored with before
// input.name stopped counting: the sha256 of the whole record, name
// included, here with name in place of the article's own.
func (p *recordParts) legacyHash(name string) (string, error) {
	tail := p.tail
	if name != p.a.Input.Name {
		c := *p.a
		c.Fetched = time.Time{}
		c.DupGroup, c.Story = "", ""
		c.Paragraphs, c.Text = nil, ""
		c.Input.Name = name
		js, err := json.Marshal(&c)
		if err != nil {
			return "", err
		}
		j := bytes.Index(js, recordMarker)
		if j < 0 {
			return "", errors.New("record: paragraphs not found in the JSON")
		}
		tail = js[j+len(recordMarker)-1:]
	}
	h := sha256.New()
	r := recWriter{buf: make([]byte, 0, flushAt+flushAt/4), w: h}
	p.write(&r, tail)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// compressed returns the stored record compressed: small records as one
// S2 block, large ones as an S2 stream written from the pieces.
func (p *recordParts) compressed() ([]byte, string, error) {
	if p.size < streamMin {
		rec, codec := compress(p.bytes())
		return rec, codec, nil
	}
	out, err := compressStream(p.size/3, func(w io.Writer) (int, error) {
		r := recWriter{buf: make([]byte, 0, flushAt+flushAt/4), w: w}
		p.write(&r, p.tail)
		return r.n, r.err
	})
	if err != nil {
		return nil, "", fmt.Errorf("record: %w", err)
	}
	return out, codecS2Stream, nil
}

// hashRecord returns the content hash of a stored record (decompressed):
// the sha256 of its JSON with input.name empty, found by decoding the
// record. It is what check compares with content_hash.
func hashRecord(rec []byte) (string, error) {
	var a article.Article
	if err := json.Unmarshal(rec, &a); err != nil {
		return "", fmt.Errorf("record: %w", err)
	}
	p, err := splitRecord(&a)
	if err != nil {
		return "", err
	}
	return p.hash(nil), nil
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the ASCII bytes that encoding/json writes as they are
// (with HTML escaping on, its default).
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendJSONEscaped appends s as the inside of a JSON string, escaped
// byte for byte as encoding/json escapes it.
func appendJSONEscaped(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if jsonSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(dst, s[start:]...)
}
