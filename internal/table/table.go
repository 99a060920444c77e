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

// AddRows adds to sum, for each hash of ks that t holds, in the order of ks, its row of
// len(sum) weights in w (row r is w[r*len(sum):]): the scoring step of every tagger.
//
// The taggers' tables and weights are megabytes, and most lookups miss the cache. Looked up one
// by one, each hash waits on its slot and then on its weights before the next begins; here a
// batch of hashes first reads the slot each starts from, loads that do not wait on one another,
// so that their misses overlap, then probes, then reads the weight rows it found in the same way,
// and only then adds. The sums are the same, added in the same order.
func (t *Table) AddRows(sum, w []float32, ks []uint64) {
	n := len(sum)
	var buf [64]int32
	for len(ks) > 0 {
		batch := ks[:min(len(ks), len(buf))]
		ks = ks[len(batch):]
		rows := buf[:len(batch)]
		touchSlots(t.keys, t.rows, t.mask, batch)
		for j, k := range batch {
			rows[j] = t.Get(k)
		}
		touchRows(w, n, rows)
		for _, r := range rows {
			if r < 0 {
				continue
			}
			row := w[int(r)*n : int(r)*n+n]
			for i, v := range row {
				sum[i] += v
			}
		}
	}
}

// touchSlots reads the first slot of each hash of ks. It is not inlined and returns what it read,
// so that the loads are not compiled away.
//
//go:noinline
func touchSlots(keys []uint64, rows []int32, mask uint64, ks []uint64) uint64 {
	var s uint64
	for _, k := range ks {
		i := k & mask
		s += keys[i] + uint64(rows[i])
	}
	return s
}

// touchRows reads one weight in every 64 bytes of each row of n weights that rows names (those
// not negative), and the row's last, as touchSlots reads slots.
//
//go:noinline
func touchRows(w []float32, n int, rows []int32) float32 {
	var s float32
	for _, r := range rows {
		if r < 0 {
			continue
		}
		i := int(r) * n
		for j := i; j < i+n; j += 16 {
			s += w[j]
		}
		s += w[i+n-1]
	}
	return s
}

// Score adds to sum the rows of w of the hashes of ks: through t once it is built (AddRows), else
// through index (a model still in training, whose index grows); absent hashes add nothing.
func Score(t *Table, index map[uint64]int32, sum, w []float32, ks []uint64) {
	if t != nil {
		t.AddRows(sum, w, ks)
		return
	}
	n := len(sum)
	for _, k := range ks {
		if r, ok := index[k]; ok {
			row := w[int(r)*n : int(r)*n+n]
			for i, v := range row {
				sum[i] += v
			}
		}
	}
}
