//go:build !unix

package sqlite

import "os"

// canWrite reports whether path looks writable by its permission bits.
func canWrite(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().Perm()&0o200 != 0
}
