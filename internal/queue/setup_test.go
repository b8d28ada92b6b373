package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/queue"
	"github.com/newsdesk/newsdesk/internal/queue/queuetest"
)

// Opening the queue again leaves the streams alone when their settings
// match, and updates them when one changed.
func TestOpenUpdatesOnlyChangedStreams(t *testing.T) {
	ctx := context.Background()
	srv := queuetest.Start(t)
	open(t, srv, queue.Config{Duplicates: time.Minute, RawTTL: time.Hour})
	nc, err := nats.Connect(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	info := func() (*jetstream.StreamInfo, time.Duration) {
		s, err := js.Stream(ctx, queue.DefaultStream)
		if err != nil {
			t.Fatal(err)
		}
		os, err := js.ObjectStore(ctx, queue.DefaultBucket)
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s.CachedInfo(), st.TTL()
	}
	first, ttl := info()
	if first.Config.Duplicates != time.Minute || ttl != time.Hour {
		t.Fatalf("duplicates %v, raw TTL %v", first.Config.Duplicates, ttl)
	}

	open(t, srv, queue.Config{Duplicates: time.Minute, RawTTL: time.Hour})
	if same, _ := info(); !same.Created.Equal(first.Created) || same.Config.Duplicates != time.Minute {
		t.Errorf("reopened with the same settings: %+v", same.Config)
	}

	open(t, srv, queue.Config{Duplicates: 2 * time.Minute, RawTTL: 2 * time.Hour})
	if changed, ttl := info(); changed.Config.Duplicates != 2*time.Minute || ttl != 2*time.Hour {
		t.Errorf("reopened with new settings: duplicates %v, raw TTL %v", changed.Config.Duplicates, ttl)
	}
}
