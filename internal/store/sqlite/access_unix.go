//go:build unix

package sqlite

import "syscall"

// canWrite reports whether this process may write path, as the kernel
// judges it (root passes permission bits, not a read-only mount).
func canWrite(path string) bool {
	return syscall.Access(path, 2 /* W_OK */) == nil
}
