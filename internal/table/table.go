// Package table is an open-addressing hash table from feature hashes (uniformly mixed 64-bit FNV
// values) to weight rows: faster to probe than a Go map in the taggers' hot loops, which look up
// tens of features per token.
package table

// Table maps feature hashes to rows. It is read-only once built and safe for concurrent use.
type Table struct {
	keys []uint64 // 0 marks an empty slot; a zero hash is stored in zero instead
	rows []int32
	mask uint64
	zero int32 // row of the hash 0, or -1
}

// New builds a table from an index of hashes to rows.
func New(index map[uint64]int32) *Table {
	n := uint64(16)
	for n < uint64(len(index))*2 {
		n <<= 1
	}
	t := &Table{keys: make([]uint64, n), rows: make([]int32, n), mask: n - 1, zero: -1}
	for k, r := range index {
		if k == 0 {
			t.zero = r
			continue
		}
		i := k & t.mask
		for t.keys[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.keys[i], t.rows[i] = k, r
	}
	return t
}

// Get returns the row of hash k, or -1.
func (t *Table) Get(k uint64) int32 {
	if k == 0 {
		return t.zero
	}
	for i := k & t.mask; ; i = (i + 1) & t.mask {
		switch t.keys[i] {
		case k:
			return t.rows[i]
		case 0:
			return -1
		}
	}
}

// Lookup returns the row of hash k: from t once it is built, else from index (a model still in
// training, whose index grows); -1 when k is absent.
func Lookup(t *Table, index map[uint64]int32, k uint64) int32 {
	if t != nil {
		return t.Get(k)
	}
	if r, ok := index[k]; ok {
		return r
	}
	return -1
}
