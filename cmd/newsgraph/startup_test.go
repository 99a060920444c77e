package main

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
)

// TestStartupAllocations: starting the program does not build go-dateparser's tables of every
// language (0.13 s and 45 MB at each start before third_party/go-dateparser loaded them lazily);
// only reading dates from HTML does. It reads what the runtime reports of each package's
// initialisation (GODEBUG=inittrace=1) when this test binary starts: bytes allocated, not time.
func TestStartupAllocations(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	m := regexp.MustCompile(`init github\.com/markusmobius/go-dateparser/internal/data @[^,]*, [^,]*, (\d+) bytes`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no trace of go-dateparser's data package in:\n%.2000s", out)
	}
	if n, _ := strconv.Atoi(string(m[1])); n > 1<<20 {
		t.Errorf("go-dateparser's data package allocates %d bytes at start: its tables are built eagerly", n)
	}
}
