//go:build unix

package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// LockSerial implements store.SerialLocker with an advisory lock (flock) on
// a file beside the database: the kernel releases it when the process
// dies, and it does not hold up readers or the database's own locking.
func (s *Store) LockSerial(ctx context.Context) (func(), error) {
	f, err := os.OpenFile(s.path+"-serial", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sqlite: serial lock: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				_ = f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			_ = f.Close()
			return nil, fmt.Errorf("sqlite: serial lock: %w", err)
		}
		// Polled rather than blocking, so that ctx can end the wait.
		select {
		case <-ctx.Done():
			_ = f.Close()
			return nil, fmt.Errorf("sqlite: serial lock: %w", ctx.Err())
		case <-time.After(2 * time.Millisecond):
		}
	}
}
