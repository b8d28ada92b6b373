package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Published is what became of a published input.
type Published struct {
	// Duplicate: JetStream dropped it, the same input (name and bytes)
	// having been published within the duplicate window.
	Duplicate bool
	// Object: its raw bytes went to the object store.
	Object bool
}

// Publish queues one input with its raw bytes; it fills it's hash, size
// and version. Bytes above Config.InlineMax go to the object store first,
// so a message never carries a large input.
func (q *Queue) Publish(ctx context.Context, it Item, raw []byte) (Published, error) {
	it.Version = itemVersion
	it.SHA256 = sha256Hex(raw)
	it.Size = int64(len(raw))
	it.Raw, it.Object = nil, ""
	var res Published
	if len(raw) > q.cfg.InlineMax {
		if err := q.putRaw(ctx, it.SHA256, raw); err != nil {
			return res, fmt.Errorf("queue: %s: %w", it.Name, err)
		}
		it.Object, res.Object = it.SHA256, true
	} else {
		it.Raw = raw
	}
	data, err := it.Encode()
	if err != nil {
		return res, err
	}
	ack, err := q.js.Publish(ctx, q.cfg.Subject, data,
		jetstream.WithMsgID(MsgID(it.Name, raw)), jetstream.WithExpectStream(q.cfg.Stream))
	if err != nil {
		return res, fmt.Errorf("queue: %s: publishing to %s: %w", it.Name, q.cfg.Subject, err)
	}
	res.Duplicate = ack.Duplicate
	return res, nil
}

// putRaw stores raw under key unless an object of that key, young enough
// to outlive the item's wait, is there already (same key, same bytes).
func (q *Queue) putRaw(ctx context.Context, key string, raw []byte) error {
	info, err := q.raw.GetInfo(ctx, key)
	if err == nil && !info.Deleted && info.Size == uint64(len(raw)) && time.Since(info.ModTime) < q.cfg.RawTTL/2 {
		return nil
	}
	if err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
		return fmt.Errorf("object store %s: %w", q.cfg.Bucket, err)
	}
	if _, err := q.raw.PutBytes(ctx, key, raw); err != nil {
		return fmt.Errorf("object store %s: putting %s: %w", q.cfg.Bucket, key, err)
	}
	return nil
}

// Raw returns the raw bytes of it, from the object store when not inline.
// Bytes that do not match the item's hash are a permanent error; a missing
// object is not (it may not be uploaded yet), so the item is tried again
// until it runs out of attempts.
func (q *Queue) Raw(ctx context.Context, it Item) ([]byte, error) {
	if it.Object == "" {
		return it.Raw, nil
	}
	raw, err := q.raw.GetBytes(ctx, it.Object)
	switch {
	case errors.Is(err, jetstream.ErrObjectNotFound):
		return nil, fmt.Errorf("queue: %s: raw input %s is not in object store %s (not uploaded yet, or expired)", it.Name, it.Object, q.cfg.Bucket)
	case errors.Is(err, jetstream.ErrDigestMismatch):
		return nil, Permanent(fmt.Errorf("queue: %s: raw input %s in object store %s is corrupt: %w", it.Name, it.Object, q.cfg.Bucket, err))
	case err != nil:
		return nil, fmt.Errorf("queue: %s: reading raw input %s from object store %s: %w", it.Name, it.Object, q.cfg.Bucket, err)
	}
	if int64(len(raw)) != it.Size || sha256Hex(raw) != it.SHA256 {
		return nil, Permanent(fmt.Errorf("queue: %s: raw input %s in object store %s does not match its sha256", it.Name, it.Object, q.cfg.Bucket))
	}
	return raw, nil
}

// DeleteRaw removes a large raw input from the object store (for tests of
// a late upload, and for clean-ups).
func (q *Queue) DeleteRaw(ctx context.Context, key string) error {
	if err := q.raw.Delete(ctx, key); err != nil {
		return fmt.Errorf("queue: object store %s: deleting %s: %w", q.cfg.Bucket, key, err)
	}
	return nil
}

// PutRaw stores raw in the object store under its sha256, which it
// returns.
func (q *Queue) PutRaw(ctx context.Context, raw []byte) (string, error) {
	key := sha256Hex(raw)
	if _, err := q.raw.PutBytes(ctx, key, raw); err != nil {
		return "", fmt.Errorf("queue: object store %s: putting %s: %w", q.cfg.Bucket, key, err)
	}
	return key, nil
}

// permanentError marks a failure that trying again cannot cure: the item
// goes to the dead letters at once.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as a failure of the input itself (not a page,
// binary, too large, corrupt), which no retry can cure.
func Permanent(err error) error {
	if err == nil || IsPermanent(err) {
		return err
	}
	return &permanentError{err}
}

// IsPermanent reports whether err, or an error it wraps, was marked by
// Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}
