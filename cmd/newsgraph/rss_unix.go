//go:build unix

package main

import (
	"runtime"
	"syscall"
)

// peakRSSMB is the process's peak resident set size in MB (1e6 bytes), or 0 when unknown.
func peakRSSMB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	kb := float64(ru.Maxrss) // kilobytes on Linux, bytes on macOS
	if runtime.GOOS == "darwin" {
		return kb / 1e6
	}
	return kb * 1024 / 1e6
}
