package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// CheckSerialLock checks store.SerialLocker on two stores opened on one
// database (as two processes would): one holder at a time, a waiter that
// gives up when its context ends, and the lock passed on at unlock.
func CheckSerialLock(t *testing.T, a, b store.Store) {
	ctx := context.Background()
	la, ok1 := a.(store.SerialLocker)
	lb, ok2 := b.(store.SerialLocker)
	if !ok1 || !ok2 {
		t.Fatalf("%T is not a store.SerialLocker", a)
	}
	unlock, err := la.LockSerial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if u, err := lb.LockSerial(short); err == nil {
		u()
		t.Fatal("a second holder took the lock")
	} else if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting out a held lock: %v, want context.DeadlineExceeded", err)
	}
	got := make(chan error, 1)
	go func() {
		u, err := lb.LockSerial(ctx)
		if err == nil {
			u()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("took a held lock: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	unlock()
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("after unlock: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the lock was not passed on at unlock")
	}

	// Many contenders on both stores: never two inside at once.
	var mu sync.Mutex
	inside, most := 0, 0
	var wg sync.WaitGroup
	for i := range 8 {
		l := la
		if i%2 == 1 {
			l = lb
		}
		wg.Go(func() {
			for range 5 {
				u, err := l.LockSerial(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				inside++
				most = max(most, inside)
				mu.Unlock()
				time.Sleep(time.Millisecond)
				mu.Lock()
				inside--
				mu.Unlock()
				u()
			}
		})
	}
	wg.Wait()
	if most != 1 {
		t.Errorf("%d holders at once", most)
	}
}
