package main

import (
	"runtime/debug"
)

// Defaults of the garbage collector for the service, when the environment
// sets none (GOGC, GOMEMLIMIT keep their meaning and win).
//
// Go's default collects whenever the heap has doubled, and the service's
// live heap is small (about 15 MB under load), so it collected a few times
// a second, on a machine whose cores PostgreSQL needs too. Letting the heap
// grow to five times the live one before collecting gave about a fifth
// more answers a second on a 14 KB answer (webinars by date) and a few
// percent on the smallest ones, for some tens of MB. The soft limit brings
// collections back before the heap passes it, whatever the load.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 256 << 20
)

// tuneCollector applies the service's defaults where getenv gives no
// setting of the operator's.
func tuneCollector(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}
