package engine

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestSlots: n small documents at once; a large one alone, after the small ones before it have
// finished, and the small ones after it wait for it.
func TestSlots(t *testing.T) {
	s := NewSlots(3)
	ctx := context.Background()
	var mu sync.Mutex
	running, large, maxRunning := 0, false, 0
	var bad []string
	run := func(size int, d time.Duration) {
		release, err := s.Acquire(ctx, size)
		if err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		running++
		maxRunning = max(maxRunning, running)
		if size >= LargeDoc {
			large = true
		}
		if large && running > 1 {
			bad = append(bad, "a large document ran beside another")
		}
		mu.Unlock()
		time.Sleep(d)
		mu.Lock()
		running--
		if size >= LargeDoc {
			large = false
		}
		mu.Unlock()
		release()
	}
	var wg sync.WaitGroup
	for i, size := range []int{10, 10, 10, LargeDoc, 10, 10, 5 * LargeDoc, 10} {
		wg.Add(1)
		go func() { defer wg.Done(); run(size, 50*time.Millisecond) }()
		if i == 2 || i == 3 {
			time.Sleep(5 * time.Millisecond) // the large one comes after three small ones
		}
	}
	wg.Wait()
	if len(bad) > 0 {
		t.Error(bad[0])
	}
	if maxRunning != 3 {
		t.Errorf("at most %d documents at once, want 3", maxRunning)
	}
	// A cancelled wait returns the context's error and takes no room.
	release, _ := s.Acquire(ctx, LargeDoc)
	cctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if _, err := s.Acquire(cctx, 1); err == nil {
		t.Error("Acquire did not give up when its context was done")
	}
	release()
	if r, err := s.Acquire(ctx, LargeDoc); err != nil {
		t.Errorf("the room was not given back: %v", err)
	} else {
		r()
	}
}
