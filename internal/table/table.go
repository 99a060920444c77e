// Package table is an open-addressing hash table from feature hashes (uniformly mixed 64-bit FNV
// values) to weight rows: faster to probe than a Go map in the taggers' hot loops, which look up
// tens of features per token.
package table

// Table maps feature hashes to rows. It is read-only once built and safe for concurrent use.
//
// A slot holds, in one word, the high 40 bits of its hash (the low bits choose the slot) and its
// row plus one in the low 24: one cache line a probe. So a lookup is exact but for one case: an
// absent hash whose high 40 bits equal those of a hash stored in the same run of slots reads that
// hash's row, about one lookup in 10¹² (one in some ten thousand passes over the BBC corpus, about
// 10⁸ lookups a pass), the kind of collision two features whose 64-bit hashes are equal make,
// only likelier. A stored hash is never read as another: one whose high bits are taken on its
// way, or whose row does not fit in 24 bits, is kept apart, in extra.
type Table struct {
	slots []uint64 // the hash's bits above rowBits, row+1 below; 0 marks an empty slot
	keys  []uint64 // the hash of each row
	mask  uint64
	zero  int32            // row of the hash 0, or -1
	extra map[uint64]int32 // stored hashes another's slot would shadow (almost always nil)
}

// New builds a table whose row i is the hash keys[i]; the hashes must differ (the models keep
// them in ascending order). t keeps keys.
func New(keys []uint64) *Table {
	n := uint64(16)
	for n < uint64(len(keys))*2 {
		n <<= 1
	}
	t := &Table{slots: make([]uint64, n), keys: keys, mask: n - 1, zero: -1}
	for i, k := range keys {
		r := int32(i)
		if k == 0 {
			t.zero = r
			continue
		}
		hi := k &^ rowMask
		i := k & t.mask
		for t.slots[i] != 0 && t.slots[i]&^rowMask != hi {
			i = (i + 1) & t.mask
		}
		if t.slots[i] != 0 || r >= rowMask {
			if t.extra == nil {
				t.extra = map[uint64]int32{}
			}
			t.extra[k] = r
			continue
		}
		t.slots[i] = hi | uint64(r+1)
	}
	return t
}

// rowBits low bits of a slot hold its row plus one; the rest, the hash's high bits.
const (
	rowBits = 24
	rowMask = 1<<rowBits - 1
)

// Keys returns the hash of each row, as given to New: not to be changed.
func (t *Table) Keys() []uint64 {
	if t == nil {
		return nil
	}
	return t.keys
}

// Ascending reports whether keys are in strictly ascending order, as the models store them; a model
// file whose hashes are not is damaged.
func Ascending(keys []uint64) bool {
	for i := 1; i < len(keys); i++ {
		if keys[i] <= keys[i-1] {
			return false
		}
	}
	return true
}

// Get returns the row of hash k, or -1.
func (t *Table) Get(k uint64) int32 {
	if k == 0 {
		return t.zero
	}
	if t.extra != nil {
		if r, ok := t.extra[k]; ok {
			return r
		}
	}
	hi := k &^ rowMask
	for i := k & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			return -1
		}
		if s&^rowMask == hi {
			return int32(s&rowMask) - 1
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
	if n == 0 {
		return
	}
	var buf [64]int32
	for len(ks) > 0 {
		batch := ks[:min(len(ks), len(buf))]
		ks = ks[len(batch):]
		rows := buf[:len(batch)]
		touchSlots(t.slots, t.mask, batch)
		for j, k := range batch {
			rows[j] = t.Get(k)
		}
		touchRows(w, n, rows)
		for _, r := range rows {
			if r >= 0 {
				addRow(sum, w, r)
			}
		}
	}
}

// addRow adds row r of w (rows of len(sum) weights) to sum.
func addRow(sum, w []float32, r int32) {
	n := len(sum)
	for i, v := range w[int(r)*n : int(r)*n+n] {
		sum[i] += v
	}
}

// touchSlots reads the first slot of each hash of ks. It is not inlined and returns what it read,
// so that the loads are not compiled away.
//
//go:noinline
func touchSlots(slots []uint64, mask uint64, ks []uint64) uint64 {
	var s uint64
	for _, k := range ks {
		s += slots[k&mask]
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
	for _, k := range ks {
		if r, ok := index[k]; ok {
			addRow(sum, w, r)
		}
	}
}

// Mix is SplitMix64's finalizer: it spreads a hash's bits evenly, so that its low digits are
// uniform.
func Mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}
