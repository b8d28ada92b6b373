package queue

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// DecodeDeadLetter parses a dead-letter message.
func DecodeDeadLetter(data []byte) (DeadLetter, error) {
	var dl DeadLetter
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&dl); err != nil {
		return DeadLetter{}, fmt.Errorf("queue: not a dead letter: %w", err)
	}
	if dec.More() {
		return DeadLetter{}, errors.New("queue: not a dead letter: data after the JSON object")
	}
	switch {
	case dl.Subject == "":
		return DeadLetter{}, errors.New("queue: not a dead letter: no subject")
	case len(dl.Item) == 0 && len(dl.Data) == 0:
		return DeadLetter{}, fmt.Errorf("queue: dead letter %s: no work message", dl.Name)
	case len(dl.Item) != 0 && len(dl.Data) != 0:
		return DeadLetter{}, fmt.Errorf("queue: dead letter %s: both item and data", dl.Name)
	}
	return dl, nil
}

// message is the work message the dead letter keeps.
func (dl DeadLetter) message() []byte {
	if len(dl.Item) != 0 {
		return dl.Item
	}
	return dl.Data
}

// DeadLetters calls fn with each dead letter, oldest first.
func (q *Queue) DeadLetters(ctx context.Context, fn func(DeadLetter) error) error {
	for seq := uint64(1); ; {
		m, err := q.dead.GetMsg(ctx, seq, jetstream.WithGetMsgSubject(wildcard(q.cfg.DeadSubject)))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("queue: reading %s: %w", q.cfg.DeadStream, err)
		}
		dl, err := DecodeDeadLetter(m.Data)
		if err != nil {
			return fmt.Errorf("queue: %s #%d: %w", q.cfg.DeadStream, m.Sequence, err)
		}
		dl.ID = m.Sequence
		if err := fn(dl); err != nil {
			return err
		}
		seq = m.Sequence + 1
	}
}

// ErrNoDeadLetter is returned for a dead letter ID that is not in the stream.
var ErrNoDeadLetter = errors.New("queue: no such dead letter")

// RetryDead queues the dead letter id's item again and removes the dead
// letter. The new message has an ID of its own (the old one may still be
// in the duplicate window), derived from the dead letter, so a retry that
// is repeated after a crash is still queued once.
func (q *Queue) RetryDead(ctx context.Context, id uint64) (DeadLetter, error) {
	m, err := q.dead.GetMsg(ctx, id)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return DeadLetter{}, fmt.Errorf("%w: %d", ErrNoDeadLetter, id)
	}
	if err != nil {
		return DeadLetter{}, fmt.Errorf("queue: dead letter %d: %w", id, err)
	}
	dl, err := DecodeDeadLetter(m.Data)
	if err != nil {
		return DeadLetter{}, fmt.Errorf("queue: dead letter %d: %w", id, err)
	}
	dl.ID = id
	if !strings.HasPrefix(dl.Subject, strings.TrimSuffix(wildcard(q.cfg.Subject), ">")) {
		return dl, fmt.Errorf("queue: dead letter %d (%s): subject %s is not in stream %s", id, dl.Name, dl.Subject, q.cfg.Stream)
	}
	msgID := dl.MsgID
	if msgID == "" {
		msgID = "dead"
	}
	msg := &nats.Msg{Subject: dl.Subject, Data: dl.message()}
	if _, err := q.js.PublishMsg(ctx, msg, jetstream.WithMsgID(msgID+"/retry/"+strconv.FormatUint(id, 10)), jetstream.WithExpectStream(q.cfg.Stream)); err != nil {
		return dl, fmt.Errorf("queue: dead letter %d (%s): queueing again: %w", id, dl.Name, err)
	}
	if err := q.dead.DeleteMsg(ctx, id); err != nil {
		return dl, fmt.Errorf("queue: dead letter %d (%s): queued again, but not removed: %w", id, dl.Name, err)
	}
	return dl, nil
}
