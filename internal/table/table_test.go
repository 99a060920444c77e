package table

import (
	"math/rand"
	"slices"
	"testing"
)

// rows gives the keys of an index whose rows are 0 to len(index)-1, in the order of their rows.
func rows(index map[uint64]int32) []uint64 {
	keys := make([]uint64, len(index))
	for k, r := range index {
		keys[r] = k
	}
	return keys
}

func TestTable(t *testing.T) {
	index := map[uint64]int32{1: 0, 17: 1, 33: 2, 1 << 63: 3, 0: 4}
	for i := uint64(100); i < 1100; i++ {
		index[i*0x9E3779B97F4A7C15] = int32(len(index))
	}
	tb := New(rows(index))
	for k, r := range index {
		if got := tb.Get(k); got != r {
			t.Errorf("Get(%x) = %d, want %d", k, got, r)
		}
	}
	if got := tb.Keys(); len(got) != len(index) || got[4] != 0 || got[3] != 1<<63 {
		t.Errorf("Keys() = %x…", got[:5])
	}
	for _, k := range []uint64{2, 49, 12345} {
		if got := tb.Get(k); got != -1 {
			t.Errorf("Get(%d) = %d for an absent key", k, got)
		}
	}
	if !Ascending([]uint64{1, 2, 9}) || Ascending([]uint64{1, 3, 3}) || Ascending([]uint64{2, 1}) || !Ascending(nil) {
		t.Error("Ascending")
	}
	if New(nil).Get(5) != -1 || New(nil).Get(0) != -1 {
		t.Error("empty table")
	}
}

func TestScore(t *testing.T) {
	index := map[uint64]int32{5: 0, 3: 1, 9: 2}
	w := []float32{0, 0, 1, 10, 100, 1000}
	for _, tb := range []*Table{nil, New(rows(index))} {
		sum := make([]float32, 2)
		Score(tb, index, sum, w, []uint64{9, 4, 3, 9})
		if sum[0] != 201 || sum[1] != 2010 {
			t.Errorf("Score (table built: %v) = %v", tb != nil, sum)
		}
	}
}

// TestAddRows checks the batched scoring against lookups one by one: hashes present and absent,
// the hash 0, repeated hashes and batches longer than one block, with rows of several widths.
func TestAddRows(t *testing.T) {
	for _, n := range []int{1, 3, 9, 17, 45} {
		index := map[uint64]int32{0: 0}
		for i := uint64(1); i < 500; i++ {
			index[i*0x9E3779B97F4A7C15] = int32(i)
		}
		keys := rows(index)
		w := make([]float32, len(index)*n)
		for i := range w {
			w[i] = float32(i%97) - 48.5
		}
		tb := New(keys)
		var ks []uint64
		for i := uint64(0); i < 300; i++ {
			ks = append(ks, (i*7)*0x9E3779B97F4A7C15, i*31+1) // present (0 among them), mostly absent
		}
		ks = append(ks, ks[:10]...)
		want := make([]float32, n)
		for _, k := range ks {
			if r := tb.Get(k); r >= 0 {
				for i := range want {
					want[i] += w[int(r)*n+i]
				}
			}
		}
		got := make([]float32, n)
		tb.AddRows(got, w, ks)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("n=%d: sum[%d] = %v, want %v", n, i, got[i], want[i])
			}
		}
		empty := make([]float32, n)
		New(nil).AddRows(empty, nil, ks)
		for _, v := range empty {
			if v != 0 {
				t.Fatalf("n=%d: an empty table added %v", n, v)
			}
		}
	}
}

// TestShadowed: two hashes with the same high half, the second's probe passing the first's slot,
// each read as its own row.
func TestShadowed(t *testing.T) {
	a, b := uint64(0xAAAA000000000005), uint64(0xAAAA000000010005) // same slot, same high half
	c := uint64(0xBBBB000000000005)                                // same slot, another high half
	index := map[uint64]int32{a: 0, b: 1, c: 2}
	tb := New([]uint64{a, b, c})
	for k, r := range index {
		if got := tb.Get(k); got != r {
			t.Errorf("Get(%x) = %d, want %d", k, got, r)
		}
	}
	if len(tb.extra) != 1 {
		t.Errorf("%d hashes kept apart, want 1", len(tb.extra))
	}
	if got := tb.Get(0xCCCC000000000005); got != -1 {
		t.Errorf("an absent hash read row %d", got)
	}
}

// TestRandom: every one of 300,000 random hashes reads its own row, and 300,000 others read none
// (a collision of 40 bits among them has a chance of about 10⁻⁷).
func TestRandom(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	keys := make([]uint64, 300000)
	for i := range keys {
		keys[i] = r.Uint64()
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	tb := New(keys)
	for i, k := range keys {
		if got := tb.Get(k); got != int32(i) {
			t.Fatalf("Get(keys[%d]) = %d", i, got)
		}
	}
	for i := 0; i < 300000; i++ {
		k := r.Uint64()
		if _, found := slices.BinarySearch(keys, k); found {
			continue
		}
		if got := tb.Get(k); got != -1 {
			t.Fatalf("the absent hash %x read row %d", k, got)
		}
	}
}

// TestFingerprint pins down the one inexact case the Table documents: an absent hash whose bits
// above rowBits equal those of a stored hash in its run of slots reads that hash's row.
func TestFingerprint(t *testing.T) {
	a := uint64(0xAAAA000000000005)
	tb := New([]uint64{a})
	if got := tb.Get(a | 0x100); got != 0 { // the same high 40 bits, the same slot
		t.Errorf("Get = %d: the documented collision no longer happens (update the doc comment)", got)
	}
	if got := tb.Get(a | 1<<rowBits); got != -1 {
		t.Errorf("a hash differing above rowBits read row %d", got)
	}
}
