// Package golden compares a test's output with an expected file kept under
// testdata, or rewrites the file when the test runs with -update.
package golden

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

// Update is set by the -update test flag: Check then rewrites the expected
// files instead of comparing. Review the diff before committing it.
var Update = flag.Bool("update", false, "rewrite the expected files of golden tests")

// Check compares got with the contents of path, or writes got to path under
// -update.
func Check(tb testing.TB, path string, got []byte) {
	tb.Helper()
	if *Update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
