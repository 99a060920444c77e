package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/queue"
	"github.com/newsgraph/newsgraph/store/postgres"
)

func natsServer(t *testing.T) string { return testutil.Service(t, "NEWSGRAPH_NATS") }

// TestWorkerKilled: two ingests publish the same 40 articles at once; a worker is killed with
// SIGKILL while it works; a second worker finishes. Every article is stored once, nothing is
// lost, and the queue ends empty with no dead letters. Real processes, real NATS and PostgreSQL.
func TestWorkerKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	nats := natsServer(t)
	db := pgStore(t)
	bin := buildBinary(t)
	in := filepath.Join(t.TempDir(), "in")
	os.MkdirAll(in, 0o755)
	src := testutil.SharedData(t, "news-text/bbc/business")
	for i := 1; i <= 40; i++ {
		b, err := os.ReadFile(filepath.Join(src, fmt.Sprintf("%03d.txt", i)))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(in, fmt.Sprintf("%03d.txt", i)), b, 0o644)
	}
	ns := fmt.Sprintf("k%d", time.Now().UnixNano())
	t.Cleanup(func() {
		if q, err := queue.Open(context.Background(), nats, queue.Options{Namespace: ns}); err == nil {
			q.Purge(context.Background())
			q.Close()
		}
	})
	// Two publishers at once.
	var wg sync.WaitGroup
	for p := 0; p < 2; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if out, err := exec.Command(bin, "ingest", "--queue", nats, "--namespace", ns, in).CombinedOutput(); err != nil || !strings.Contains(string(out), "40 items published") {
				t.Errorf("ingest --queue: %v %s", err, out)
			}
		}()
	}
	wg.Wait()
	// A worker, killed once it has stored a few.
	w := exec.Command(bin, "worker", "--queue", nats, "--namespace", ns, "--db", db, "--cpus", "2", "--ack-wait", "3s", "-v")
	out, _ := w.StdoutPipe()
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	stored := 0
	for sc.Scan() && stored < 5 {
		if strings.HasPrefix(sc.Text(), "stored") {
			stored++
		}
	}
	w.Process.Signal(syscall.SIGKILL)
	w.Wait()
	if stored < 5 {
		t.Fatalf("the first worker stored %d before it was killed", stored)
	}
	// Another, to the end.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := exec.CommandContext(ctx, bin, "worker", "--queue", nats, "--namespace", ns, "--db", db, "--cpus", "2", "--ack-wait", "3s", "--until-empty").CombinedOutput()
	if err != nil {
		t.Fatalf("second worker: %v %s", err, res)
	}
	st, err := postgres.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stats, _ := st.Stats(context.Background())
	if stats.Articles != 40 {
		t.Errorf("%d articles stored, want 40 (second worker: %s)", stats.Articles, res)
	}
	code, js, _ := runCLI(t, "", "queue", "status", "--queue", nats, "--namespace", ns, "--json")
	var qs queue.Status
	if code != 0 || json.Unmarshal([]byte(js), &qs) != nil || qs.Pending != 0 || qs.InProgress != 0 || qs.Dead != 0 {
		t.Errorf("queue status: %d %s", code, js)
	}
}

// privateServices starts a PostgreSQL and a NATS of the test's own (scripts/services in a folder
// of its own, on free ports), so that restarting them does not cut off the tests of other packages
// that run at the same time on the shared ones. It returns their URLs and the environment that
// names them for scripts/services.
func privateServices(t *testing.T, services string) (pg, nats string, env []string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "newsgraph-restart-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) // the cluster runs as the postgres user when the tests run as root
	env = append(os.Environ(), "NEWSGRAPH_SERVICES_DIR="+dir, "NEWSGRAPH_PG_PORT="+freePort(t), "NEWSGRAPH_NATS_PORT="+freePort(t))
	if os.Getenv("NEWSGRAPH_NATS_SERVER") == "" {
		shared := os.Getenv("NEWSGRAPH_SERVICES_DIR")
		if shared == "" {
			shared = "/tmp/newsgraph-services"
		}
		if bin := filepath.Join(shared, "bin", "nats-server"); fileExists(bin) {
			env = append(env, "NEWSGRAPH_NATS_SERVER="+bin) // not built again
		}
	}
	t.Cleanup(func() {
		c := exec.Command(services, "stop")
		c.Env = env
		c.Run()
		os.RemoveAll(dir)
	})
	c := exec.Command(services, "start")
	c.Env = env
	var errb strings.Builder
	c.Stderr = &errb
	out, err := c.Output()
	if err != nil {
		t.Fatalf("services start: %v %s", err, errb.String())
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "NEWSGRAPH_PG="); ok {
			pg = v
		}
		if v, ok := strings.CutPrefix(line, "NEWSGRAPH_NATS="); ok {
			nats = v
		}
	}
	if pg == "" || nats == "" {
		t.Fatalf("services start said %q", out)
	}
	return pg, nats, env
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestServicesRestart: PostgreSQL and then NATS are restarted while a worker works; it goes on
// (its store errors hand items back, the connection to NATS comes back by itself) and every
// article is stored once, none lost, none dead.
func TestServicesRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	natsServer(t) // skips without the shared services, as the other tests do
	testutil.Service(t, "NEWSGRAPH_PG")
	services := filepath.Join(testutil.RepoRoot(t), "scripts", "services")
	db, nats, env := privateServices(t, services)
	bin := buildBinary(t)
	in := filepath.Join(t.TempDir(), "in")
	os.MkdirAll(in, 0o755)
	src := testutil.SharedData(t, "news-text/bbc/politics")
	for i := 1; i <= 40; i++ {
		b, err := os.ReadFile(filepath.Join(src, fmt.Sprintf("%03d.txt", i)))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(in, fmt.Sprintf("%03d.txt", i)), b, 0o644)
	}
	ns := fmt.Sprintf("r%d", time.Now().UnixNano())
	t.Cleanup(func() {
		if q, err := queue.Open(context.Background(), nats, queue.Options{Namespace: ns}); err == nil {
			q.Purge(context.Background())
			q.Close()
		}
	})
	if out, err := exec.Command(bin, "ingest", "--queue", nats, "--namespace", ns, in).CombinedOutput(); err != nil {
		t.Fatalf("ingest --queue: %v %s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	w := exec.CommandContext(ctx, bin, "worker", "--queue", nats, "--namespace", ns, "--db", db, "--cpus", "1", "--ack-wait", "5s", "--until-empty", "-v")
	out, _ := w.StdoutPipe()
	var errb strings.Builder
	w.Stderr = &syncWriter{w: &errb}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	lines := make(chan string, 100)
	go func() {
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitStored := func(n int) {
		for got := 0; got < n; {
			line, ok := <-lines
			if !ok {
				return
			}
			if strings.HasPrefix(line, "stored") || strings.HasPrefix(line, "duplicate") {
				got++
			}
		}
	}
	waitStored(5)
	restart := func(what string) {
		c := exec.Command(services, "restart", what)
		c.Env = env
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("restart %s: %v %s", what, err, out)
		}
	}
	restart("postgres")
	waitStored(5)
	restart("nats")
	go func() {
		for range lines {
		}
	}()
	if err := w.Wait(); err != nil {
		t.Fatalf("worker: %v\n%s", err, errb.String())
	}
	st, err := postgres.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stats, _ := st.Stats(context.Background())
	code, js, _ := runCLI(t, "", "queue", "status", "--queue", nats, "--namespace", ns, "--json")
	var qs queue.Status
	json.Unmarshal([]byte(js), &qs)
	if stats.Articles != 40 || code != 0 || qs.Pending != 0 || qs.Dead != 0 {
		t.Errorf("%d articles stored (want 40); queue %s\nworker: %s", stats.Articles, js, errb.String())
	}
}

// syncWriter serializes writes to a writer from a process's output copier and the test.
type syncWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
