package dedup

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// A story is stored as a row of its own and every one is decoded when a
// clusterer is loaded, so its encoding is binary: JSON decoding was most of
// the cost of loading tens of thousands of stories. The first byte tells the
// formats apart: JSON starts with '{' (or space), the binary one with
// storyFormat.
const storyFormat byte = 0x01

// MarshalBinary encodes one story (for a store that keeps stories as rows):
// a format byte, then its fields, each map sorted by key so that one story
// always encodes to the same bytes.
func (s *Story) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 64+16*(len(s.Terms)+len(s.Entities)+len(s.Lead)))
	b = append(b, storyFormat)
	b = appendString(b, s.ID)
	b = appendString(b, s.Headline)
	b = binary.AppendVarint(b, int64(s.Articles))
	keys := sortedKeys(s.Outlets)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendString(b, k)
		b = binary.AppendVarint(b, int64(s.Outlets[k]))
	}
	b = appendTime(b, s.First)
	b = appendTime(b, s.Last)
	for _, m := range []map[string]float64{s.Terms, s.Entities, s.Lead} {
		b = appendWeights(b, m)
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.ScoreSum))
	b = binary.AppendVarint(b, int64(s.Joins))
	b = binary.AppendUvarint(b, uint64(len(s.Merged)))
	for _, m := range s.Merged {
		b = appendString(b, m)
	}
	return b, nil
}

// appendTime encodes a time as JSON kept it: the instant and the zone's
// offset (not its name).
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	_, offset := t.Zone()
	b = append(b, 1)
	b = binary.AppendVarint(b, t.Unix())
	b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	return binary.AppendVarint(b, int64(offset))
}

// UnmarshalBinary decodes what Story.MarshalBinary encoded, in either the
// binary format or the JSON one that earlier versions stored.
func (s *Story) UnmarshalBinary(data []byte) error {
	var d StoryDecoder
	return d.Decode(data, s)
}

// StoryDecoder decodes many stories, sharing one copy of each term among
// them: a clusterer's stories have most of their terms in common.
// The zero value is ready to use; it is not safe for concurrent use.
type StoryDecoder struct {
	strings map[string]string
}

// Decode decodes one story into s, replacing its contents.
func (d *StoryDecoder) Decode(data []byte, s *Story) error {
	if len(data) > 0 && data[0] != storyFormat {
		*s = Story{}
		if err := json.Unmarshal(data, s); err != nil {
			return fmt.Errorf("dedup: story: %w: %w", ErrCorrupt, err)
		}
		return nil
	}
	r := storyReader{data: data, d: d}
	if r.byte() != storyFormat {
		return fmt.Errorf("dedup: story: unknown format: %w", ErrCorrupt)
	}
	var out Story
	out.ID = r.string(false)
	out.Headline = r.string(false)
	out.Articles = r.int()
	if n := r.count(2); n > 0 {
		out.Outlets = make(map[string]int, n)
		for range n {
			k := r.string(false)
			out.Outlets[k] = r.int()
		}
	}
	out.First, out.Last = r.time(), r.time()
	out.Terms, out.Entities, out.Lead = r.weights(), r.weights(), r.weights()
	out.ScoreSum = r.float()
	out.Joins = r.int()
	if n := r.count(1); n > 0 {
		out.Merged = make([]string, n)
		for i := range out.Merged {
			out.Merged[i] = r.string(false)
		}
	}
	if r.err == nil && r.off != len(r.data) {
		r.err = errors.New("trailing bytes")
	}
	if r.err != nil {
		return fmt.Errorf("dedup: story: %w: %w", ErrCorrupt, r.err)
	}
	*s = out
	return nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendWeights(b []byte, m map[string]float64) []byte {
	keys := sortedKeys(m)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendString(b, k)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m[k]))
	}
	return b
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// storyReader reads the binary story format; the first error sticks and
// every later read returns a zero value.
type storyReader struct {
	data []byte
	off  int
	err  error
	d    *StoryDecoder
}

func (r *storyReader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("truncated or malformed %s at byte %d", what, r.off)
	}
}

func (r *storyReader) byte() byte {
	if r.err != nil || r.off >= len(r.data) {
		r.fail("format byte")
		return 0
	}
	r.off++
	return r.data[r.off-1]
}

func (r *storyReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.data[r.off:])
	if n <= 0 {
		r.fail("number")
		return 0
	}
	r.off += n
	return v
}

func (r *storyReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.data[r.off:])
	if n <= 0 {
		r.fail("number")
		return 0
	}
	r.off += n
	return v
}

func (r *storyReader) int() int {
	v := r.varint()
	if v != int64(int(v)) {
		r.fail("number")
		return 0
	}
	return int(v)
}

// count reads a length of items that take at least minBytes each, so that
// a corrupt count cannot ask for more memory than the input could hold.
func (r *storyReader) count(minBytes int) int {
	n := r.uvarint()
	if r.err == nil && n > uint64(len(r.data)-r.off)/uint64(minBytes) {
		r.fail("count")
		return 0
	}
	return int(n)
}

func (r *storyReader) string(intern bool) string {
	n := r.count(1)
	if r.err != nil {
		return ""
	}
	raw := r.data[r.off : r.off+n]
	r.off += n
	if !intern {
		return string(raw)
	}
	if s, ok := r.d.strings[string(raw)]; ok { // no allocation for the look-up
		return s
	}
	if r.d.strings == nil {
		r.d.strings = map[string]string{}
	}
	s := string(raw)
	r.d.strings[s] = s
	return s
}

func (r *storyReader) float() float64 {
	if r.err != nil || len(r.data)-r.off < 8 {
		r.fail("number")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.data[r.off:]))
	r.off += 8
	return v
}

func (r *storyReader) time() time.Time {
	if r.byte() == 0 || r.err != nil {
		return time.Time{}
	}
	sec, nsec, offset := r.varint(), r.uvarint(), r.varint()
	if r.err != nil || nsec >= 1e9 || offset < -86400 || offset > 86400 {
		r.fail("time")
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec))
	if offset == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", int(offset)))
}

// weights reads a map of term weights, its keys shared between stories.
func (r *storyReader) weights() map[string]float64 {
	n := r.count(9)
	if n == 0 {
		return nil
	}
	m := make(map[string]float64, n)
	for range n {
		k := r.string(true)
		m[k] = r.float()
	}
	return m
}
