// Package shared locates the read-only benchmark data in ../shared that some
// tests score against. When CI is set, missing data fails the test loudly;
// otherwise the test is skipped, so a plain clone still passes.
package shared

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Path returns the absolute path of rel inside the shared data directory
// (NEWSDESK_SHARED, else ../shared beside the repository root).
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	root := os.Getenv("NEWSDESK_SHARED")
	if root == "" {
		_, file, _, _ := runtime.Caller(0)
		root = filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
	}
	p := filepath.Join(root, rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("shared benchmark data missing (CI is set): %v", err)
		}
		tb.Skipf("shared benchmark data missing: %v", err)
	}
	return p
}
