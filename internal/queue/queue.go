// Package queue distributes ingest work over NATS JetStream.
//
// Layout (see docs/QUEUE.md):
//
//   - the work stream (NEWSDESK_WORK, subjects newsdesk.work.>, work-queue
//     retention, file storage) holds one small JSON message per input: an
//     Item. Its raw bytes travel inline when small; larger ones are put in
//     the object store bucket (newsdesk-raw, keyed by their sha256) and the
//     item refers to them. Each message carries a Nats-Msg-Id derived from
//     the input's name and bytes, so that publishing the same input again
//     within the duplicate window is dropped by JetStream.
//   - one durable pull consumer (newsdesk-workers) with explicit acks is
//     shared by all workers; a message is acked only once its article is
//     stored, so a worker that dies loses nothing: its messages are
//     delivered again after AckWait.
//   - the dead-letter stream (NEWSDESK_DEAD, subjects newsdesk.dead.>) keeps
//     the items that failed for good, with their error and attempts, until
//     they are retried or deleted.
package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Defaults of Config.
const (
	DefaultStream        = "NEWSDESK_WORK"
	DefaultSubject       = "newsdesk.work.items"
	DefaultDeadStream    = "NEWSDESK_DEAD"
	DefaultDeadSubject   = "newsdesk.dead.items"
	DefaultBucket        = "newsdesk-raw"
	DefaultConsumer      = "newsdesk-workers"
	DefaultInlineMax     = 64 << 10
	DefaultAckWait       = 30 * time.Second
	DefaultMaxDeliver    = 5
	DefaultMaxAckPending = 4096
	DefaultRetryDelay    = 2 * time.Second
	DefaultMaxRetryDelay = time.Minute
	DefaultDuplicates    = time.Hour
	DefaultRawTTL        = 7 * 24 * time.Hour
	DefaultReconnectWait = time.Second
)

// Config names the streams, the bucket and the consumer, and sets their
// limits. Zero fields take the defaults above.
type Config struct {
	URL string // nats://host:port, required

	Stream      string // the work stream; its subjects are Subject's prefix + ".>"
	Subject     string // where items are published
	DeadStream  string // the dead-letter stream
	DeadSubject string // where dead letters are published
	Bucket      string // object store bucket of large raw inputs
	Consumer    string // durable name of the workers' pull consumer

	// InlineMax is the largest raw input carried in the message itself;
	// larger ones go to the object store.
	InlineMax int
	// AckWait is how long a delivered item may go without an ack or a
	// progress signal before JetStream delivers it again.
	AckWait time.Duration
	// MaxDeliver is how many times an item is tried before it becomes a
	// dead letter.
	MaxDeliver int
	// MaxAckPending bounds the items delivered and not yet acked, across
	// all workers.
	MaxAckPending int
	// RetryDelay is the delay before a transiently failed item is
	// delivered again, times its attempt number, up to MaxRetryDelay.
	RetryDelay    time.Duration
	MaxRetryDelay time.Duration
	// Duplicates is JetStream's duplicate window: an item published again
	// within it (same Nats-Msg-Id) is dropped.
	Duplicates time.Duration
	// RawTTL is how long large raw inputs are kept in the object store.
	RawTTL time.Duration
	// ReconnectWait is the pause between reconnection attempts; the
	// client reconnects forever.
	ReconnectWait time.Duration
	// ClientName names the connection in the server's monitoring.
	ClientName string
	// Log receives connection events; nil discards them.
	Log *slog.Logger
}

func (c *Config) fill() {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&c.Stream, DefaultStream)
	def(&c.Subject, DefaultSubject)
	def(&c.DeadStream, DefaultDeadStream)
	def(&c.DeadSubject, DefaultDeadSubject)
	def(&c.Bucket, DefaultBucket)
	def(&c.Consumer, DefaultConsumer)
	def(&c.ClientName, "newsdesk")
	if c.InlineMax <= 0 {
		c.InlineMax = DefaultInlineMax
	}
	if c.AckWait <= 0 {
		c.AckWait = DefaultAckWait
	}
	if c.MaxDeliver <= 0 {
		c.MaxDeliver = DefaultMaxDeliver
	}
	if c.MaxAckPending <= 0 {
		c.MaxAckPending = DefaultMaxAckPending
	}
	if c.RetryDelay <= 0 {
		c.RetryDelay = DefaultRetryDelay
	}
	if c.MaxRetryDelay <= 0 {
		c.MaxRetryDelay = DefaultMaxRetryDelay
	}
	if c.Duplicates <= 0 {
		c.Duplicates = DefaultDuplicates
	}
	if c.RawTTL <= 0 {
		c.RawTTL = DefaultRawTTL
	}
	if c.ReconnectWait <= 0 {
		c.ReconnectWait = DefaultReconnectWait
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

// wildcard is the subjects filter of the stream that subject belongs to:
// "newsdesk.work.items" -> "newsdesk.work.>".
func wildcard(subject string) string {
	if i := strings.LastIndexByte(subject, '.'); i > 0 {
		return subject[:i] + ".>"
	}
	return subject
}

// Queue is a connection to the work queue.
type Queue struct {
	cfg  Config
	nc   *nats.Conn
	js   jetstream.JetStream
	work jetstream.Stream
	dead jetstream.Stream
	raw  jetstream.ObjectStore
}

// Open connects to cfg.URL and makes sure the streams and the bucket exist
// with cfg's settings. The connection reconnects forever when the server
// goes away; calls made meanwhile fail and may be retried.
func Open(ctx context.Context, cfg Config) (*Queue, error) {
	cfg.fill()
	if cfg.URL == "" {
		return nil, errors.New("queue: no server URL (--queue or NEWSDESK_QUEUE)")
	}
	log := cfg.Log
	nc, err := nats.Connect(cfg.URL,
		nats.Name(cfg.ClientName),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(cfg.ReconnectWait),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			log.Warn("queue: disconnected", "server", cfg.URL, "err", err)
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("queue: reconnected", "server", nc.ConnectedUrlRedacted())
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("queue: connecting to %s: %w", cfg.URL, err)
	}
	q := &Queue{cfg: cfg, nc: nc}
	if err := q.setup(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	return q, nil
}

func (q *Queue) setup(ctx context.Context) error {
	var err error
	if q.js, err = jetstream.New(q.nc); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	c := q.cfg
	q.work, err = q.ensureStream(ctx, jetstream.StreamConfig{
		Name:        c.Stream,
		Description: "newsdesk inputs waiting to be ingested",
		Subjects:    []string{wildcard(c.Subject)},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Duplicates:  c.Duplicates,
	})
	if err != nil {
		return fmt.Errorf("queue: stream %s: %w", c.Stream, err)
	}
	q.dead, err = q.ensureStream(ctx, jetstream.StreamConfig{
		Name:        c.DeadStream,
		Description: "newsdesk inputs that failed for good",
		Subjects:    []string{wildcard(c.DeadSubject)},
		Retention:   jetstream.LimitsPolicy,
		Storage:     jetstream.FileStorage,
		Duplicates:  c.Duplicates,
	})
	if err != nil {
		return fmt.Errorf("queue: stream %s: %w", c.DeadStream, err)
	}
	rawCfg := jetstream.ObjectStoreConfig{
		Bucket:      c.Bucket,
		Description: "newsdesk raw inputs too large for a message",
		TTL:         c.RawTTL,
		Storage:     jetstream.FileStorage,
	}
	if q.raw, err = q.js.ObjectStore(ctx, c.Bucket); err == nil {
		var st jetstream.ObjectStoreStatus
		if st, err = q.raw.Status(ctx); err == nil && (st.Description() != rawCfg.Description || st.TTL() != rawCfg.TTL || st.Storage() != rawCfg.Storage) {
			q.raw, err = q.js.UpdateObjectStore(ctx, rawCfg)
		}
	} else if errors.Is(err, jetstream.ErrBucketNotFound) {
		q.raw, err = q.js.CreateOrUpdateObjectStore(ctx, rawCfg)
	}
	if err != nil {
		return fmt.Errorf("queue: object store %s: %w", c.Bucket, err)
	}
	return nil
}

// ensureStream returns the stream of cfg's name, creating it when missing
// and updating it only when a setting newsdesk makes differs. Every worker
// opens the queue at start; updating the stream each time is needless,
// and the embedded server raced (under -race) when one process updated
// the stream while another created its consumer.
func (q *Queue) ensureStream(ctx context.Context, cfg jetstream.StreamConfig) (jetstream.Stream, error) {
	s, err := q.js.Stream(ctx, cfg.Name)
	switch {
	case err == nil:
		have := s.CachedInfo().Config
		if have.Description == cfg.Description && slices.Equal(have.Subjects, cfg.Subjects) && have.Retention == cfg.Retention &&
			have.Storage == cfg.Storage && have.Duplicates == cfg.Duplicates {
			return s, nil
		}
		return q.js.UpdateStream(ctx, cfg)
	case errors.Is(err, jetstream.ErrStreamNotFound):
		s, err = q.js.CreateStream(ctx, cfg)
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			return q.js.Stream(ctx, cfg.Name) // another process created it first
		}
		return s, err
	}
	return nil, err
}

// Config returns the settings in use, defaults filled in.
func (q *Queue) Config() Config { return q.cfg }

// Close flushes what was published or acked and closes the connection.
func (q *Queue) Close() error {
	err := q.nc.FlushTimeout(5 * time.Second)
	q.nc.Close()
	if err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		return fmt.Errorf("queue: flushing to %s: %w", q.cfg.URL, err)
	}
	return nil
}

// Waiting returns the number of items in the work stream: published and
// not yet stored or dead-lettered (including those being worked on).
func (q *Queue) Waiting(ctx context.Context) (uint64, error) {
	info, err := q.work.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("queue: stream %s: %w", q.cfg.Stream, err)
	}
	return info.State.Msgs, nil
}
