package queue_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/queue"
	"github.com/newsdesk/newsdesk/internal/queue/queuetest"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func open(t *testing.T, srv *queuetest.Server, cfg queue.Config) *queue.Queue {
	t.Helper()
	cfg.URL = srv.URL()
	q, err := queue.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

// fetchOne waits for one delivery.
func fetchOne(t *testing.T, c *queue.Consumer) *queue.Delivery {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ds, err := c.Fetch(1, 500*time.Millisecond)
		if err != nil {
			continue // the server may be coming back
		}
		if len(ds) == 1 {
			return ds[0]
		}
	}
	t.Fatal("no delivery within 20s")
	return nil
}

func waiting(t *testing.T, q *queue.Queue) uint64 {
	t.Helper()
	n, err := q.Waiting(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestQueuePublishInlineAndObject(t *testing.T) {
	ctx := context.Background()
	q := open(t, queuetest.Start(t), queue.Config{})
	small := storetest.New(1).TextFile(5000)
	large := storetest.New(2).TextFile(200 << 10)
	for _, in := range []struct {
		name   string
		raw    []byte
		object bool
	}{{"small.txt", small, false}, {"large.txt", large, true}} {
		res, err := q.Publish(ctx, queue.Item{Name: in.name, Format: "text"}, in.raw)
		if err != nil {
			t.Fatal(err)
		}
		if res.Duplicate || res.Object != in.object {
			t.Errorf("%s: published %+v, want object %v", in.name, res, in.object)
		}
	}
	// The same input again is dropped; a changed one is not.
	if res, err := q.Publish(ctx, queue.Item{Name: "small.txt"}, small); err != nil || !res.Duplicate {
		t.Errorf("republished small.txt: %+v, %v; want a duplicate", res, err)
	}
	if waiting(t, q) != 2 {
		t.Fatalf("%d items waiting, want 2", waiting(t, q))
	}
	c, err := q.Consumer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range [][]byte{small, large} {
		d := fetchOne(t, c)
		if d.Err != nil {
			t.Fatal(d.Err)
		}
		raw, err := d.Raw(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(raw, want) {
			t.Fatalf("%s: raw bytes differ", d.Name())
		}
		if (d.Item.Object != "") != (len(want) > queue.DefaultInlineMax) || d.Item.Format != "text" && d.Name() == "small.txt" {
			t.Errorf("%s: item %+v", d.Name(), d.Item)
		}
		if err := d.Ack(); err != nil {
			t.Fatal(err)
		}
	}
	waitEmpty(t, q)
}

func waitEmpty(t *testing.T, q *queue.Queue) {
	t.Helper()
	for range 100 {
		if waiting(t, q) == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%d items still waiting", waiting(t, q))
}

// A transient failure is tried again; after MaxDeliver attempts the item
// is a dead letter, which can be listed and retried.
func TestQueueTransientThenDeadThenRetry(t *testing.T) {
	ctx := context.Background()
	q := open(t, queuetest.Start(t), queue.Config{MaxDeliver: 3, RetryDelay: 10 * time.Millisecond})
	if _, err := q.Publish(ctx, queue.Item{Name: "flaky.txt"}, []byte("Flaky\n\nA short text.")); err != nil {
		t.Fatal(err)
	}
	c, err := q.Consumer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for attempt := 1; attempt <= 3; attempt++ {
		d := fetchOne(t, c)
		if d.Attempt != attempt {
			t.Fatalf("attempt %d delivered as %d", attempt, d.Attempt)
		}
		dead, err := d.Fail(ctx, errors.New("store unavailable"))
		if err != nil {
			t.Fatal(err)
		}
		if dead != (attempt == 3) {
			t.Fatalf("attempt %d: dead %v", attempt, dead)
		}
	}
	waitEmpty(t, q)
	var dls []queue.DeadLetter
	if err := q.DeadLetters(ctx, func(dl queue.DeadLetter) error { dls = append(dls, dl); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(dls) != 1 || dls[0].Name != "flaky.txt" || dls[0].Attempts != 3 || dls[0].Error != "store unavailable" {
		t.Fatalf("dead letters %+v", dls)
	}
	if _, err := q.RetryDead(ctx, dls[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := q.RetryDead(ctx, dls[0].ID); !errors.Is(err, queue.ErrNoDeadLetter) {
		t.Fatalf("second retry: %v, want ErrNoDeadLetter", err)
	}
	d := fetchOne(t, c)
	if d.Name() != "flaky.txt" || d.Attempt != 1 {
		t.Fatalf("retried item %s attempt %d", d.Name(), d.Attempt)
	}
	d.Ack()
	waitEmpty(t, q)
}

// A permanent failure is a dead letter at once.
func TestQueuePermanentIsDeadAtOnce(t *testing.T) {
	ctx := context.Background()
	q := open(t, queuetest.Start(t), queue.Config{})
	if _, err := q.Publish(ctx, queue.Item{Name: "blob.bin"}, []byte{0, 1, 2, 0xff}); err != nil {
		t.Fatal(err)
	}
	c, _ := q.Consumer(ctx)
	d := fetchOne(t, c)
	dead, err := d.Fail(ctx, queue.Permanent(errors.New("blob.bin: binary input")))
	if err != nil || !dead {
		t.Fatalf("dead %v, %v", dead, err)
	}
	waitEmpty(t, q)
}

// A large input whose object is missing at first (a late upload) fails
// transiently and succeeds once it is there.
func TestQueueLateObjectIsRetried(t *testing.T) {
	ctx := context.Background()
	q := open(t, queuetest.Start(t), queue.Config{RetryDelay: 10 * time.Millisecond})
	raw := storetest.New(3).TextFile(100 << 10)
	if _, err := q.Publish(ctx, queue.Item{Name: "late.txt"}, raw); err != nil {
		t.Fatal(err)
	}
	c, _ := q.Consumer(ctx)
	d := fetchOne(t, c)
	if err := q.DeleteRaw(ctx, d.Item.Object); err != nil {
		t.Fatal(err)
	}
	_, err := d.Raw(ctx)
	if err == nil || queue.IsPermanent(err) || !strings.Contains(err.Error(), "late.txt") {
		t.Fatalf("missing object: %v, want a transient error naming the input", err)
	}
	if dead, err := d.Fail(ctx, err); dead || err != nil {
		t.Fatalf("dead %v, %v", dead, err)
	}
	if _, err := q.PutRaw(ctx, raw); err != nil {
		t.Fatal(err)
	}
	d = fetchOne(t, c)
	if got, err := d.Raw(ctx); err != nil || !bytes.Equal(got, raw) || d.Attempt != 2 {
		t.Fatalf("attempt %d: %v", d.Attempt, err)
	}
	d.Ack()
	waitEmpty(t, q)
}

// The client survives a server restart: the stream and the consumer are
// on disk, and fetching resumes.
func TestQueueSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	srv := queuetest.Start(t)
	q := open(t, srv, queue.Config{ReconnectWait: 50 * time.Millisecond})
	c, err := q.Consumer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"before.txt", "after.txt"} {
		if _, err := q.Publish(ctx, queue.Item{Name: name}, []byte(name+"\n\nSome text "+name)); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			d := fetchOne(t, c)
			d.Ack()
		}
	}
	srv.Restart()
	d := fetchOne(t, c)
	if d.Name() != "after.txt" {
		t.Fatalf("after the restart, got %s", d.Name())
	}
	d.Ack()
	waitEmpty(t, q)
}

// An item whose worker goes silent on its last attempt comes back once
// more, marked exhausted, so that it can be dead-lettered rather than
// left unacked.
func TestQueueSilentLastAttemptComesBackExhausted(t *testing.T) {
	ctx := context.Background()
	q := open(t, queuetest.Start(t), queue.Config{MaxDeliver: 1, AckWait: 300 * time.Millisecond})
	if _, err := q.Publish(ctx, queue.Item{Name: "hang.txt"}, []byte("Hang\n\nA text that hangs its worker.")); err != nil {
		t.Fatal(err)
	}
	c, err := q.Consumer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := fetchOne(t, c); d.Exhausted() {
		t.Fatal("first delivery exhausted")
	}
	// No ack: the worker "died".
	d := fetchOne(t, c)
	if d.Attempt != 2 || !d.Exhausted() {
		t.Fatalf("redelivery: attempt %d, exhausted %v", d.Attempt, d.Exhausted())
	}
	if err := d.Dead(ctx, errors.New("hang.txt: no outcome")); err != nil {
		t.Fatal(err)
	}
	waitEmpty(t, q)
}
