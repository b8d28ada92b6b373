package postgres

import (
	"context"
	"fmt"
)

// serialLock is the pg_advisory_lock key of store.SerialLocker ("serial  "
// in ASCII), apart from migrationLock.
const serialLock = 0x73657269_616c2020

// LockSerial implements store.SerialLocker with a session advisory lock on
// a connection kept for the turn: the server releases it if the process
// or its connection dies.
func (s *Store) LockSerial(ctx context.Context) (func(), error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: serial lock: %w", err)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(serialLock)); err != nil {
		// A wait cut short may leave the request running: drop the session.
		_ = conn.Hijack().Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("postgres: serial lock: %w", err)
	}
	return func() {
		ctx := context.WithoutCancel(ctx)
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, int64(serialLock)); err != nil {
			_ = conn.Hijack().Close(ctx) // closing the session releases it
			return
		}
		conn.Release()
	}, nil
}
