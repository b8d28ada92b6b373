package dedup

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"
	"unsafe"
)

func codecStory() Story {
	return Story{
		ID: "st-ferry", Headline: "Skerra ferry to stop", Articles: 3,
		Outlets: map[string]int{"harborpost.example": 2, "lantern.example": 1},
		First:   time.Date(2031, 5, 3, 8, 0, 0, 0, time.UTC),
		Last:    time.Date(2031, 5, 4, 9, 30, 0, 5, time.FixedZone("", 2*3600)),
		Terms:   map[string]float64{"ferry": 1.25, "bridge": 0.5, "#24": math.SmallestNonzeroFloat64},
		// Entities empty, Lead absent: both must survive as they were.
		Entities: map[string]float64{},
		ScoreSum: 0.4321, Joins: 2, Merged: []string{"st-old"},
	}
}

// TestStoryCodecRoundTrip: the binary format gives back exactly what was
// encoded, the same bytes every time, and still reads the JSON rows that
// earlier versions stored.
func TestStoryCodecRoundTrip(t *testing.T) {
	s := codecStory()
	data, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if data[0] != storyFormat {
		t.Fatalf("format byte %#x", data[0])
	}
	for range 5 { // map order must not reach the bytes
		again, _ := s.MarshalBinary()
		if string(again) != string(data) {
			t.Fatal("the same story encoded to different bytes")
		}
	}
	var back Story
	if err := back.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	want := s
	want.Entities = nil // an empty map reads back as none
	if !reflect.DeepEqual(back, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, want)
	}
	if _, off := back.Last.Zone(); off != 2*3600 || back.Last.Nanosecond() != 5 {
		t.Errorf("last seen lost its zone or nanoseconds: %v", back.Last)
	}

	legacy, err := json.Marshal(&s)
	if err != nil {
		t.Fatal(err)
	}
	var old Story
	if err := old.UnmarshalBinary(legacy); err != nil {
		t.Fatalf("JSON row: %v", err)
	}
	if old.ID != s.ID || old.Terms["ferry"] != 1.25 || !old.Last.Equal(s.Last) {
		t.Errorf("JSON row read as %+v", old)
	}

	// A decoder shares one copy of each term between stories.
	var d StoryDecoder
	var a, b Story
	if err := d.Decode(data, &a); err != nil {
		t.Fatal(err)
	}
	if err := d.Decode(data, &b); err != nil {
		t.Fatal(err)
	}
	for k := range a.Terms {
		for k2 := range b.Terms {
			if k == k2 && unsafeStringData(k) != unsafeStringData(k2) {
				t.Errorf("term %q decoded twice", k)
			}
		}
	}
}

// TestStoryCodecCorrupt: every truncation and a few hostile edits are
// errors matching ErrCorrupt, never a panic or a half-filled story.
func TestStoryCodecCorrupt(t *testing.T) {
	s := codecStory()
	data, _ := s.MarshalBinary()
	for n := 1; n < len(data); n++ {
		var got Story
		got.ID = "untouched"
		err := got.UnmarshalBinary(data[:n])
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("truncated to %d bytes: %v", n, err)
		}
		if got.ID != "untouched" {
			t.Fatalf("truncated to %d bytes: story half decoded", n)
		}
	}
	huge := append([]byte{storyFormat}, 0xff, 0xff, 0xff, 0xff, 0x0f) // a 4 GiB id
	if err := new(Story).UnmarshalBinary(huge); !errors.Is(err, ErrCorrupt) {
		t.Errorf("huge length: %v", err)
	}
	if err := new(Story).UnmarshalBinary(append(data, 0)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("trailing byte: %v", err)
	}
	if err := new(Story).UnmarshalBinary([]byte{0x02}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("unknown format: %v", err)
	}
}

// FuzzStoryCodec: arbitrary bytes never panic, and whatever decodes
// encodes again to bytes that decode to the same story.
func FuzzStoryCodec(f *testing.F) {
	s := codecStory()
	good, _ := s.MarshalBinary()
	f.Add(good)
	f.Add([]byte{storyFormat})
	f.Add([]byte(`{"id":"s","terms":{"x":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var st Story
		if err := st.UnmarshalBinary(data); err != nil {
			return
		}
		enc, err := st.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var again Story
		if err := again.UnmarshalBinary(enc); err != nil {
			t.Fatalf("re-decoding: %v", err)
		}
		enc2, _ := again.MarshalBinary()
		if string(enc2) != string(enc) {
			t.Fatal("encoding is not stable")
		}
	})
}

func unsafeStringData(s string) *byte { return unsafe.StringData(s) }
