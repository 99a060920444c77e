package engine

import (
	"context"

	"golang.org/x/sync/semaphore"
)

// LargeDoc is the size of text, in bytes, from which a document is analysed alone. The analysis
// holds about 60 bytes of layers and working memory for each byte of text (a 9 MB text: 500 MB
// live, 1.6 GB resident with the collector's headroom), so two large documents at once, or one
// beside many small ones, would multiply the peak.
const LargeDoc = 1 << 20

// Slots bounds the documents analysed at once: n at a time, but a document of LargeDoc bytes of
// text or more alone, so that the memory of a run of several workers stays within that of one
// large document, or of n small ones. It is safe for concurrent use.
type Slots struct {
	sem *semaphore.Weighted
	n   int64
}

// NewSlots returns Slots for n workers (n < 1 is taken as 1).
func NewSlots(n int) *Slots {
	n = max(n, 1)
	return &Slots{sem: semaphore.NewWeighted(int64(n)), n: int64(n)}
}

// Acquire waits until a document of size bytes of text may be analysed (a large one waits for the
// others to finish, and holds the rest back until it has), or ctx is done. release gives the room
// back.
func (s *Slots) Acquire(ctx context.Context, size int) (release func(), err error) {
	w := int64(1)
	if size >= LargeDoc {
		w = s.n
	}
	if err := s.sem.Acquire(ctx, w); err != nil {
		return nil, err
	}
	return func() { s.sem.Release(w) }, nil
}
