package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Consumer is the workers' durable pull consumer.
type Consumer struct {
	q *Queue
	c jetstream.Consumer
}

// Consumer creates the workers' durable consumer, or updates its settings
// to the Queue's. JetStream is allowed one delivery more than MaxDeliver:
// an item whose worker died on its last attempt comes back once more and
// goes to the dead letters then, instead of staying unacked for ever.
func (q *Queue) Consumer(ctx context.Context) (*Consumer, error) {
	c, err := q.js.CreateOrUpdateConsumer(ctx, q.cfg.Stream, jetstream.ConsumerConfig{
		Durable:       q.cfg.Consumer,
		Description:   "newsdesk workers",
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       q.cfg.AckWait,
		MaxDeliver:    q.cfg.MaxDeliver + 1,
		MaxAckPending: q.cfg.MaxAckPending,
		FilterSubject: wildcard(q.cfg.Subject),
	})
	if err != nil {
		return nil, fmt.Errorf("queue: consumer %s on %s: %w", q.cfg.Consumer, q.cfg.Stream, err)
	}
	return &Consumer{q: q, c: c}, nil
}

// Fetch returns up to max deliveries, waiting up to wait for the first.
// On an error (the server went away mid-fetch) the deliveries received
// before it are returned with it, and must be handled all the same.
func (c *Consumer) Fetch(max int, wait time.Duration) ([]*Delivery, error) {
	batch, err := c.c.Fetch(max, jetstream.FetchMaxWait(wait))
	if err != nil {
		return nil, fmt.Errorf("queue: fetching from %s: %w", c.q.cfg.Stream, err)
	}
	var ds []*Delivery
	for m := range batch.Messages() {
		ds = append(ds, c.q.delivery(m))
	}
	if err := batch.Error(); err != nil {
		return ds, fmt.Errorf("queue: fetching from %s: %w", c.q.cfg.Stream, err)
	}
	return ds, nil
}

// ackConfirmTimeout bounds the wait for an ack's confirmation; past it
// the item may be delivered again, which stores as unchanged.
const ackConfirmTimeout = 5 * time.Second

// Delivery is one delivered work item. Exactly one of Ack, Fail, Dead or
// Release settles it; until then it is the worker's, as long as it
// signals InProgress within AckWait.
type Delivery struct {
	Item    Item
	Err     error // the message is not a work item (Item is empty)
	Attempt int   // 1 on the first delivery
	Subject string
	Seq     uint64 // in the work stream
	MsgID   string
	data    []byte
	msg     jetstream.Msg
	q       *Queue
}

func (q *Queue) delivery(m jetstream.Msg) *Delivery {
	d := &Delivery{Subject: m.Subject(), MsgID: m.Headers().Get(nats.MsgIdHdr), data: m.Data(), msg: m, q: q, Attempt: 1}
	if md, err := m.Metadata(); err == nil {
		d.Attempt, d.Seq = int(md.NumDelivered), md.Sequence.Stream
	}
	d.Item, d.Err = DecodeItem(m.Data())
	if d.Err != nil {
		d.Err = Permanent(fmt.Errorf("queue: %s: %w", d.Name(), d.Err))
	}
	return d
}

// Name is the input's name, or the message's place for one that is not a
// work item.
func (d *Delivery) Name() string {
	if d.Item.Name != "" {
		return d.Item.Name
	}
	return d.Subject + "#" + strconv.FormatUint(d.Seq, 10)
}

// Exhausted reports an item delivered more than MaxDeliver times: its
// workers stopped or timed out on it each time without a verdict.
func (d *Delivery) Exhausted() bool { return d.Attempt > d.q.cfg.MaxDeliver }

// Raw returns the item's raw bytes (see Queue.Raw).
func (d *Delivery) Raw(ctx context.Context) ([]byte, error) { return d.q.Raw(ctx, d.Item) }

// Ack settles the item as done: stored (or unchanged). It waits for the
// server to confirm, so that an ack sent just before a broker restart is
// not lost and the item is not worked again.
func (d *Delivery) Ack() error {
	ctx, cancel := context.WithTimeout(context.Background(), ackConfirmTimeout)
	defer cancel()
	if err := d.msg.DoubleAck(ctx); err != nil {
		return fmt.Errorf("queue: %s: ack: %w", d.Name(), err)
	}
	return nil
}

// InProgress resets the item's AckWait: the worker still has it.
func (d *Delivery) InProgress() error {
	if err := d.msg.InProgress(); err != nil {
		return fmt.Errorf("queue: %s: progress: %w", d.Name(), err)
	}
	return nil
}

// Release gives the item back, untried, after delay (not its failure:
// the worker is stopping, or has the same input in hand already).
func (d *Delivery) Release(delay time.Duration) error {
	if err := d.msg.NakWithDelay(delay); err != nil {
		return fmt.Errorf("queue: %s: nak: %w", d.Name(), err)
	}
	return nil
}

// RetryDelay is the delay before the item's next attempt after a
// transient failure: RetryDelay times the attempt, up to MaxRetryDelay.
func (d *Delivery) RetryDelay() time.Duration {
	return min(time.Duration(d.Attempt)*d.q.cfg.RetryDelay, d.q.cfg.MaxRetryDelay)
}

// Fail settles a failed attempt: a permanent failure, or the last
// allowed attempt, makes the item a dead letter; any other is tried again
// after RetryDelay. It reports which; when the dead letter cannot be
// written the item is given back to be tried again instead.
func (d *Delivery) Fail(ctx context.Context, cause error) (dead bool, err error) {
	if IsPermanent(cause) || d.Attempt >= d.q.cfg.MaxDeliver {
		if err := d.Dead(ctx, cause); err != nil {
			return false, errors.Join(err, d.Release(d.RetryDelay()))
		}
		return true, nil
	}
	return false, d.Release(d.RetryDelay())
}

// DeadLetter is an item that failed for good, as kept in the dead-letter
// stream.
type DeadLetter struct {
	ID       uint64    `json:"-"`       // its sequence in the dead-letter stream
	Subject  string    `json:"subject"` // the work subject it came from
	Name     string    `json:"name"`
	URL      string    `json:"url,omitempty"`
	Error    string    `json:"error"`
	Attempts int       `json:"attempts"`
	Time     time.Time `json:"time"`
	MsgID    string    `json:"msg_id,omitempty"` // the work message's Nats-Msg-Id
	// The work message as published: Item when it is JSON, else Data.
	Item json.RawMessage `json:"item,omitempty"`
	Data []byte          `json:"data,omitempty"`
}

// Dead publishes the item to the dead-letter stream with cause, then
// terminates it in the work stream (which removes it). A dead letter
// written twice (a crash between the two steps) is dropped by JetStream as
// a duplicate.
func (d *Delivery) Dead(ctx context.Context, cause error) error {
	dl := DeadLetter{
		Subject: d.Subject, Name: d.Name(), URL: d.Item.URL, Error: cause.Error(),
		Attempts: d.Attempt, Time: time.Now().UTC(), MsgID: d.MsgID,
	}
	if json.Valid(d.data) {
		dl.Item = d.data
	} else {
		dl.Data = d.data
	}
	data, err := json.Marshal(dl)
	if err != nil {
		return fmt.Errorf("queue: %s: encoding the dead letter: %w", d.Name(), err)
	}
	id := d.MsgID
	if id == "" {
		id = "seq-" + strconv.FormatUint(d.Seq, 10)
	}
	_, err = d.q.js.Publish(ctx, d.q.cfg.DeadSubject, data,
		jetstream.WithMsgID(id+"/dead/"+strconv.FormatUint(d.Seq, 10)), jetstream.WithExpectStream(d.q.cfg.DeadStream))
	if err != nil {
		return fmt.Errorf("queue: %s: publishing the dead letter: %w", d.Name(), err)
	}
	if err := d.msg.TermWithReason("dead letter"); err != nil {
		return fmt.Errorf("queue: %s: terminating after its dead letter: %w", d.Name(), err)
	}
	return nil
}
