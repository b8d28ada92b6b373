package sqlite

import (
	"bytes"
	"compress/flate"
	"strings"
	"testing"
)

// TestCodecs: what compress writes decodes to the same bytes, and blobs
// deflated by earlier versions (codec "deflate") still decode.
func TestCodecs(t *testing.T) {
	text := []byte(strings.Repeat("The harbour master said the ferry to Saltash would run a reduced timetable. ", 40))
	for _, data := range [][]byte{nil, []byte("short"), text, bytes.Repeat([]byte{0xff, 0x00, 0x7f}, 5000)} {
		blob, codec := compress(data)
		if codec == codecS2 && len(blob) >= len(data) {
			t.Errorf("compressed %d bytes to %d", len(data), len(blob))
		}
		got, err := decompress(blob, codec, len(data))
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("round trip of %d bytes (%s): %d bytes, %v", len(data), codec, len(got), err)
		}
	}
	if _, codec := compress(text); codec != codecS2 {
		t.Errorf("text stored as %s, want %s", codec, codecS2)
	}
	var old bytes.Buffer
	w, _ := flate.NewWriter(&old, flate.BestSpeed)
	w.Write(text)
	w.Close()
	got, err := decompress(old.Bytes(), codecDeflate, 0)
	if err != nil || !bytes.Equal(got, text) {
		t.Errorf("deflate blob: %d bytes, %v", len(got), err)
	}
	if _, err := decompress([]byte("\xff\xff\xff\xff\xff"), codecS2, 0); err == nil {
		t.Error("a corrupt s2 blob decoded")
	}
	if _, err := decompress(text, "lz9", 0); err == nil {
		t.Error("an unknown codec decoded")
	}
}

// TestStreamCodec: blobs of streamMin bytes or more are S2 streams led by
// their length, decoded into one buffer of that size; a wrong length or
// trailing bytes are errors.
func TestStreamCodec(t *testing.T) {
	data := []byte(strings.Repeat("Norrbyn council met on Thursday to vote on the ferry budget. ", (streamMin/60)+100))
	blob, codec := compress(data)
	if codec != codecS2Stream || len(blob) >= len(data) {
		t.Fatalf("%d bytes stored as %s in %d", len(data), codec, len(blob))
	}
	got, err := decompress(blob, codec, 0)
	if err != nil || !bytes.Equal(got, data) || cap(got) != len(data) {
		t.Fatalf("round trip: %d bytes (cap %d), %v", len(got), cap(got), err)
	}
	short := append([]byte{}, blob...)
	short[0]-- // claims one byte less than the stream holds
	if _, err := decompress(short, codec, 0); err == nil {
		t.Error("a stream longer than its length decoded")
	}
	if _, err := decompress(blob[:len(blob)/2], codec, 0); err == nil {
		t.Error("a truncated stream decoded")
	}
}
