package cli

import (
	"runtime/debug"
)

// setMemoryLimit gives the Go runtime a soft memory limit scaled to the
// largest input a command accepts, unless the user set GOMEMLIMIT. One huge
// input makes a few copies of its text on the way to the store; without a
// limit the collector lets garbage reach twice the live heap, and a 32 MiB
// article peaked at 460-500 MB. With 192 MiB plus twice the input limit
// (256 MiB by default) it peaks under 400 MB, and ordinary batches, whose
// heap stays far below the limit, are not affected.
func setMemoryLimit(env *Env, maxBytes int64) {
	if env.Getenv("GOMEMLIMIT") != "" || maxBytes <= 0 {
		return
	}
	debug.SetMemoryLimit(192<<20 + 2*maxBytes)
}
