package queue

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// itemVersion is the version of the work item encoding this package writes.
const itemVersion = 1

// Item is one input waiting to be ingested: what the source said about it,
// the format options of the run that queued it, and its raw bytes, inline
// (Raw) or in the object store (Object).
type Item struct {
	Version int       `json:"v"`
	Name    string    `json:"name"`          // what logs and errors call it
	URL     string    `json:"url,omitempty"` // the page URL, when known
	Date    time.Time `json:"date,omitzero"` // a date the source gave, when known
	// From loading the input.
	ContentType string    `json:"content_type,omitempty"`
	FinalURL    string    `json:"final_url,omitempty"` // after redirects
	Fetched     time.Time `json:"fetched,omitzero"`
	Fallback    bool      `json:"fallback,omitempty"` // a feed's own text, its page having failed
	Note        string    `json:"note,omitempty"`     // why, for a fallback
	// Format options of the run that queued it.
	Format    string    `json:"format,omitempty"` // auto, html or text
	MaxBytes  int64     `json:"max_bytes,omitempty"`
	Published time.Time `json:"published,omitzero"` // date of an article that gives none
	// The raw input.
	SHA256 string `json:"sha256"` // hex, of the raw bytes
	Size   int64  `json:"size"`
	Raw    []byte `json:"raw,omitempty"`    // inline, when small
	Object string `json:"object,omitempty"` // object store key (the sha256), when large
}

// MsgID is the Nats-Msg-Id of an input: the sha256 of its name and raw
// bytes, so that the same input queued twice is one item to JetStream.
func MsgID(name string, raw []byte) string {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{0})
	h.Write(raw)
	return hex.EncodeToString(h.Sum(nil))
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Encode returns the message body of it.
func (it Item) Encode() ([]byte, error) {
	if err := it.check(); err != nil {
		return nil, err
	}
	data, err := json.Marshal(it)
	if err != nil {
		return nil, fmt.Errorf("queue: %s: encoding the work item: %w", it.Name, err)
	}
	return data, nil
}

// DecodeItem parses and checks a work item message: a message that is not
// one (malformed, of a newer version, with bytes that do not match their
// hash) is an error, never a half-filled Item.
func DecodeItem(data []byte) (Item, error) {
	var it Item
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&it); err != nil {
		return Item{}, fmt.Errorf("queue: not a work item: %w", err)
	}
	if dec.More() {
		return Item{}, errors.New("queue: not a work item: data after the JSON object")
	}
	if err := it.check(); err != nil {
		return Item{}, err
	}
	return it, nil
}

// check reports what makes it unusable.
func (it Item) check() error {
	bad := func(what string) error {
		if it.Name == "" {
			return fmt.Errorf("queue: bad work item: %s", what)
		}
		return fmt.Errorf("queue: %s: bad work item: %s", it.Name, what)
	}
	switch {
	case it.Version != itemVersion:
		return bad(fmt.Sprintf("version %d, want %d", it.Version, itemVersion))
	case it.Name == "":
		return bad("no name")
	case it.Format != "" && it.Format != "auto" && it.Format != "html" && it.Format != "text":
		return bad(fmt.Sprintf("format %q", it.Format))
	case it.MaxBytes < 0:
		return bad("negative max_bytes")
	case it.Size < 0:
		return bad("negative size")
	case !isSHA256Hex(it.SHA256):
		return bad("sha256 is not 64 lowercase hex digits")
	}
	if it.Object != "" {
		if len(it.Raw) != 0 {
			return bad("both inline bytes and an object")
		}
		if it.Object != it.SHA256 {
			return bad("object key is not the sha256")
		}
		return nil
	}
	if int64(len(it.Raw)) != it.Size {
		return bad(fmt.Sprintf("%d inline bytes, size says %d", len(it.Raw), it.Size))
	}
	if sha256Hex(it.Raw) != it.SHA256 {
		return bad("inline bytes do not match their sha256")
	}
	return nil
}
