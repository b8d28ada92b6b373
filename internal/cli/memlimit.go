package cli

import (
	"runtime/debug"
)

// setMemoryLimit gives the Go runtime a soft memory limit scaled to the
// largest input a command accepts, unless the user set GOMEMLIMIT. One huge
// input makes a few copies of its text on the way to the store; without a
// limit the collector lets garbage reach twice the live heap, and a 32 MiB
// article peaked at 460-500 MB. With 128 MiB plus twice the input limit
// (192 MiB by default) it peaks at about 330 MB, under 400 MB even with the
// machine loaded (at 256 MiB a loaded CI run reached 540 MB), and a batch
// of ordinary articles ran no slower.
func setMemoryLimit(env *Env, maxBytes int64) {
	if env.Getenv("GOMEMLIMIT") != "" || maxBytes <= 0 {
		return
	}
	debug.SetMemoryLimit(128<<20 + 2*maxBytes)
}
