package table

import "testing"

func TestTable(t *testing.T) {
	index := map[uint64]int32{0: 7, 1: 1, 17: 2, 33: 3, 1 << 63: 4}
	for i := uint64(100); i < 1100; i++ {
		index[i*0x9E3779B97F4A7C15] = int32(i)
	}
	tb := New(index)
	for k, r := range index {
		if got := tb.Get(k); got != r {
			t.Errorf("Get(%x) = %d, want %d", k, got, r)
		}
	}
	for _, k := range []uint64{2, 49, 12345} {
		if got := tb.Get(k); got != -1 {
			t.Errorf("Get(%d) = %d for an absent key", k, got)
		}
	}
	if New(nil).Get(5) != -1 || New(nil).Get(0) != -1 {
		t.Error("empty table")
	}
}

func TestLookup(t *testing.T) {
	index := map[uint64]int32{3: 1, 9: 2}
	for _, tb := range []*Table{nil, New(index)} {
		if Lookup(tb, index, 9) != 2 || Lookup(tb, index, 4) != -1 {
			t.Errorf("Lookup (table built: %v)", tb != nil)
		}
	}
}
