package ner

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph/internal/table"
)

// WordClasses map words to classes with hierarchical labels: the bit paths of Brown clusters
// ("110111011101"), or the path of a word vector's k-means clusters from coarse to fine
// ("12/88/517"). A feature reads a prefix of the label (Brown: the first 4, 6, 10 or 20 bits;
// vectors: the first 1, 2 or 3 steps), so that words of the same coarse class share it.
//
// The file (built by tools/mkclusters) is: the magic "NGWC", a version (uint32), the class count
// and each class's label (a uint16 length, the bytes), the word count, then (FNV-1a hash of the
// word, class) pairs (uint64, uint16) sorted by hash. Little-endian. Loading builds a hash table
// over the hashes (a few milliseconds); a lookup is one probe.
type WordClasses struct {
	labels  []string
	tab     *table.Table
	classes []uint16 // by row of tab
}

const (
	classesMagic   = "NGWC"
	classesVersion = 1
	classEntry     = 10
)

// EncodeClasses writes the file of words (word → class index) and class labels.
func EncodeClasses(labels []string, words map[string]int) ([]byte, error) {
	if len(labels) > 1<<16 {
		return nil, fmt.Errorf("ner: %d classes, at most 65,536", len(labels))
	}
	type entry struct {
		h     uint64
		class uint16
	}
	entries := make([]entry, 0, len(words))
	seen := map[uint64]string{}
	for w, c := range words {
		if c < 0 || c >= len(labels) {
			return nil, fmt.Errorf("ner: %q has class %d of %d", w, c, len(labels))
		}
		h := wordHash(w)
		if other, ok := seen[h]; ok {
			return nil, fmt.Errorf("ner: %q and %q have the same hash", w, other)
		}
		seen[h] = w
		entries = append(entries, entry{h, uint16(c)})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].h < entries[j].h })
	b := append([]byte(classesMagic), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], classesVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(labels)))
	for _, l := range labels {
		if len(l) > 1<<16-1 {
			return nil, errors.New("ner: a class label too long")
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(len(l)))
		b = append(b, l...)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(entries)))
	for _, e := range entries {
		b = binary.LittleEndian.AppendUint64(b, e.h)
		b = binary.LittleEndian.AppendUint16(b, e.class)
	}
	return b, nil
}

// ParseClasses reads a file written by EncodeClasses.
func ParseClasses(b []byte) (*WordClasses, error) {
	bad := func(why string) (*WordClasses, error) { return nil, fmt.Errorf("ner: word classes: %s", why) }
	if len(b) < 12 || string(b[:4]) != classesMagic {
		return bad("not a word-class file")
	}
	if v := binary.LittleEndian.Uint32(b[4:]); v != classesVersion {
		return bad(fmt.Sprintf("version %d, this program reads %d", v, classesVersion))
	}
	k := int(binary.LittleEndian.Uint32(b[8:]))
	b = b[12:]
	if k > len(b)/2 {
		return bad("truncated")
	}
	wc := &WordClasses{labels: make([]string, k)}
	for i := range wc.labels {
		if len(b) < 2 {
			return bad("truncated")
		}
		l := int(binary.LittleEndian.Uint16(b))
		if len(b) < 2+l {
			return bad("truncated")
		}
		wc.labels[i] = string(b[2 : 2+l])
		b = b[2+l:]
	}
	if len(b) < 4 {
		return bad("truncated")
	}
	n := int(binary.LittleEndian.Uint32(b))
	b = b[4:]
	if len(b) != n*classEntry {
		return bad(fmt.Sprintf("%d bytes of entries for %d words", len(b), n))
	}
	keys := make([]uint64, n)
	wc.classes = make([]uint16, n)
	for i := range keys {
		keys[i] = binary.LittleEndian.Uint64(b[i*classEntry:])
		wc.classes[i] = binary.LittleEndian.Uint16(b[i*classEntry+8:])
		if int(wc.classes[i]) >= k {
			return bad(fmt.Sprintf("entry %d of no class", i))
		}
	}
	if !table.Ascending(keys) {
		return bad("the hashes are not in ascending order")
	}
	wc.tab = table.New(keys)
	return wc, nil
}

// Class returns the class of a word as written, or -1.
func (wc *WordClasses) Class(w string) int {
	if r := wc.tab.Get(wordHash(w)); r >= 0 {
		return int(wc.classes[r])
	}
	return -1
}

// lookup returns a word's class, trying it as written, then in lower case (lower is the word in
// lower case), then, for a word in capitals (a headline's), capitalised: the Brown clusters were
// made on text as written.
func (wc *WordClasses) lookup(w, lower string) int {
	if c := wc.Class(w); c >= 0 {
		return c
	}
	if lower == w {
		return -1
	}
	if c := wc.Class(lower); c >= 0 {
		return c
	}
	if r, size := utf8.DecodeRuneInString(lower); len(lower) > size && strings.ToUpper(w) == w {
		return wc.Class(string(unicode.ToUpper(r)) + lower[size:])
	}
	return -1
}

// Labels returns the class labels.
func (wc *WordClasses) Labels() []string { return wc.labels }

// Len returns the number of words.
func (wc *WordClasses) Len() int { return len(wc.classes) }

func wordHash(w string) uint64 { return extendHash(offset64, w) }
