package ner

import (
	"bufio"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/newsgraph/newsgraph/internal/table"
)

//go:embed data/gazetteer.tsv
var gazetteerData string

// maxPhrase is the longest gazetteer phrase, in words.
const maxPhrase = 5

// Gazetteer holds name lists by category, as hashes of lower-cased phrases (words joined by one
// space) to a bit mask of categories. Every proper prefix of a listed phrase is in the map too, with
// prefixBit, so that the search for longer phrases stops at the first word that no phrase continues
// with.
type Gazetteer struct {
	cats    []string
	phrases map[uint64]uint32
	// A gazetteer read from a binary file (ParseGazetteerBin) keeps its phrases in a hash table
	// over the file's sorted hashes instead, each with its mask in masks.
	tab   *table.Table
	masks []uint32
}

// mask returns the categories (and prefixBit) of a phrase hash, or 0.
func (g *Gazetteer) mask(h uint64) uint32 {
	if g.tab != nil {
		if r := g.tab.Get(h); r >= 0 {
			return g.masks[r]
		}
		return 0
	}
	return g.phrases[h]
}

// lexicon is the built-in data the features read besides the words: the gazetteer
// (data/gazetteer.tsv), the case prior (data/case.tsv) and the outlets (outlet/data/outlets.tsv).
type lexicon struct {
	gaz     *Gazetteer
	cases   casePrior
	outlets outlets
	// check identifies the data the features read (gazetteer and case prior), so that a model is
	// never used with other data than it was trained with; resCheck adds the resources it reads.
	check uint64
	// The optional resources (Resources).
	rcv1, bllip, glove *classSet
	freebase           *Gazetteer
	resOnce            [4]sync.Once // loading each (load)
	resErr             [4]error
	resChecks          sync.Map // Resources -> uint64
}

// resCheck identifies the data a model with resources r reads: check, and the bytes of each
// resource it reads (none: check itself, as models before resources were saved with).
func (l *lexicon) resCheck(r Resources) uint64 {
	if r == 0 {
		return l.check
	}
	if v, ok := l.resChecks.Load(r); ok {
		return v.(uint64)
	}
	h := l.check
	for i, b := range [][]byte{brownRCV1Data, brownBLLIPData, gloveData, freebaseData} {
		if r&(1<<i) != 0 {
			sum := sha256.Sum256(b)
			h = extendHash(hashByte(h, byte(i)), string(sum[:]))
		}
	}
	l.resChecks.Store(r, h)
	return h
}

var (
	lexOnce sync.Once
	lex     *lexicon
	lexErr  error
)

// defaultLexicon returns the built-in lexicon, parsed once per process.
func defaultLexicon() (*lexicon, error) {
	lexOnce.Do(func() {
		l := &lexicon{}
		if l.gaz, lexErr = parseGazetteer(gazetteerData); lexErr != nil {
			return
		}
		if l.cases, lexErr = parseCasePrior(caseData); lexErr != nil {
			return
		}
		if l.outlets, lexErr = parseOutlets(outletsData); lexErr != nil {
			return
		}
		l.check = extendHash(extendHash(offset64, gazetteerData), caseData)
		lex = l
	})
	return lex, lexErr
}

// prefixBit marks a phrase that begins a longer listed phrase.
const prefixBit = 1 << 31

// add lists a phrase (lower-cased words) under the categories in mask, and marks its prefixes.
func (g *Gazetteer) add(words []string, mask uint32) {
	h := uint64(offset64)
	for i, w := range words {
		if i > 0 {
			h = extendHash(h, " ")
		}
		h = extendHash(h, w)
		if i < len(words)-1 {
			g.phrases[h] |= prefixBit
		}
	}
	g.phrases[h] |= mask
}

func parseGazetteer(data string) (*Gazetteer, error) {
	g := &Gazetteer{phrases: make(map[uint64]uint32, 160000)}
	catBit := map[string]uint32{}
	sc := bufio.NewScanner(strings.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		cat, phrase, ok := strings.Cut(line, "\t")
		if !ok || phrase == "" {
			return nil, fmt.Errorf("gazetteer.tsv:%d: want CATEGORY<TAB>phrase", n)
		}
		bit, ok := catBit[cat]
		if !ok {
			if len(g.cats) == 31 {
				return nil, fmt.Errorf("gazetteer.tsv:%d: more than 31 categories", n)
			}
			bit = 1 << len(g.cats)
			catBit[cat] = bit
			g.cats = append(g.cats, cat)
		}
		words := strings.Split(phrase, " ")
		if len(words) > maxPhrase {
			return nil, fmt.Errorf("gazetteer.tsv:%d: more than %d words", n, maxPhrase)
		}
		g.add(words, bit)
	}
	return g, sc.Err()
}

// phraseHash hashes lower-cased words joined by one space (FNV-1a), as the tagger computes it
// word by word.
func phraseHash(words []string) uint64 {
	h := uint64(offset64)
	for i, w := range words {
		if i > 0 {
			h = extendHash(h, " ")
		}
		h = extendHash(h, w)
	}
	return h
}

func extendHash(h uint64, s string) uint64 {
	for j := 0; j < len(s); j++ {
		h = hashByte(h, s[j])
	}
	return h
}

// features appends, for every token, a feature per category of each gazetteer phrase covering it:
// the category, the token's place in the phrase (B, I, or U for a one-word phrase) and whether the
// phrase starts with a capital, so that "best" in lower case counts for less than "Best".
func (g *Gazetteer) features(tmpl byte, toks []token, marks [][]uint64) {
	for i := range toks {
		h := uint64(offset64)
		for l := 1; l <= maxPhrase && i+l <= len(toks); l++ {
			if l > 1 {
				h = extendHash(h, " ")
			}
			h = extendHash(h, toks[i+l-1].lower)
			mask := g.mask(h)
			if mask == 0 {
				break // no listed phrase starts with these words
			}
			if mask&^prefixBit == 0 {
				continue
			}
			capital := "l"
			if toks[i].flags != "" && toks[i].flags[0] == 'C' {
				capital = "C"
			}
			for c := 0; c < len(g.cats); c++ {
				if mask&(1<<c) == 0 {
					continue
				}
				for k := i; k < i+l; k++ {
					pos := "I"
					switch {
					case l == 1:
						pos = "U"
					case k == i:
						pos = "B"
					}
					marks[k] = append(marks[k], hashParts(tmpl, g.cats[c], pos, capital))
				}
			}
		}
	}
}

// categoryType gives the entity type a gazetteer category settles over the model's guess. Only the
// organisation and event lists: with the person, nationality and company lists too, CoNLL-2003 dev
// F1 fell from 93.60 to 93.45, and with the place lists to 91.42 (sports clubs named by their
// city are ORG there); with these two it is 93.62 (before the mined lists).
var categoryType = map[string]string{
	"ORG": "ORG", "EVENT": "MISC",
}

// typeOfPhrase returns the one entity type that every category listing the phrase implies, or ""
// when the phrase is not listed, or a category implies no type (a surname, a first name), or two
// categories disagree ("Jordan": a country and a surname).
func (g *Gazetteer) typeOfPhrase(lower []string) string {
	mask := g.mask(phraseHash(lower)) &^ prefixBit
	typ := ""
	for c := 0; c < len(g.cats) && mask != 0; c++ {
		if mask&(1<<c) == 0 {
			continue
		}
		t := categoryType[g.cats[c]]
		if t == "" || typ != "" && t != typ {
			return ""
		}
		typ = t
	}
	return typ
}

// placeCategories are the gazetteer's categories of places and nationalities.
var placeCategories = map[string]bool{"COUNTRY": true, "CITY": true, "REGION": true, "GEO": true, "NAT": true}

// isPlace reports whether a one-word phrase (lower case) is listed as a place or nationality.
func (g *Gazetteer) isPlace(w string) bool {
	mask := g.mask(phraseHash([]string{w})) &^ prefixBit
	for c := 0; c < len(g.cats) && mask != 0; c++ {
		if mask&(1<<c) != 0 && placeCategories[g.cats[c]] {
			return true
		}
	}
	return false
}

// minedTypes are the categories of the lists mined from the training data: the entity types a
// phrase was annotated with there.
var minedTypes = []string{"PER", "ORG", "LOC", "MISC"}

// mineLists builds, from the gold entities of the documents docIDs, a gazetteer of the phrases
// annotated there (up to maxPhrase words), each with the types it was given.
func mineLists(docIDs []int, words [][][]string, gold [][][]int) *Gazetteer {
	g := &Gazetteer{cats: minedTypes, phrases: map[uint64]uint32{}}
	lower := make([]string, 0, maxPhrase)
	for _, d := range docIDs {
		for s, sent := range words[d] {
			tags := gold[d][s]
			for i := 0; i < len(sent); i++ {
				if tags[i] == 0 || tags[i]%2 == 0 {
					continue
				}
				end := i + 1
				for end < len(sent) && tags[end] == tags[i]+1 {
					end++
				}
				if end-i <= maxPhrase {
					lower = lower[:0]
					for _, w := range sent[i:end] {
						lower = append(lower, strings.ToLower(w))
					}
					g.add(lower, 1<<(typeOf(tags[i])-1))
				}
				i = end - 1
			}
		}
	}
	return g
}

// The binary gazetteer file (tools/mkfreebase): the magic "NGGZ", a version (uint32), the category
// count and each category's name (a uint16 length, the bytes), the entry count, then (phrase hash,
// mask) pairs (uint64, uint32) sorted by hash, the masks carrying prefixBit for phrases that begin
// longer ones. Little-endian. Loading builds a hash table over the hashes in place of parsing
// hundreds of thousands of lines.
const (
	gazMagic   = "NGGZ"
	gazVersion = 1
)

// EncodeGazetteerBin writes the binary file of phrases (lower-cased words) and their categories
// (at most 31).
func EncodeGazetteerBin(cats []string, phrases map[string][]string) ([]byte, error) {
	if len(cats) > 31 {
		return nil, fmt.Errorf("ner: %d categories, at most 31", len(cats))
	}
	bit := map[string]uint32{}
	for i, c := range cats {
		bit[c] = 1 << i
	}
	g := &Gazetteer{cats: cats, phrases: map[uint64]uint32{}}
	for p, cs := range phrases {
		words := strings.Fields(p)
		if len(words) == 0 || len(words) > maxPhrase {
			continue
		}
		var mask uint32
		for _, c := range cs {
			b, ok := bit[c]
			if !ok {
				return nil, fmt.Errorf("ner: %q: no category %q", p, c)
			}
			mask |= b
		}
		if mask == 0 {
			return nil, fmt.Errorf("ner: %q has no category", p)
		}
		g.add(words, mask)
	}
	keys := make([]uint64, 0, len(g.phrases))
	for k := range g.phrases {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	b := append([]byte(gazMagic), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], gazVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(cats)))
	for _, c := range cats {
		if len(c) > 1<<16-1 {
			return nil, errors.New("ner: a category name too long")
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(len(c)))
		b = append(b, c...)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(keys)))
	for _, k := range keys {
		b = binary.LittleEndian.AppendUint64(b, k)
		b = binary.LittleEndian.AppendUint32(b, g.phrases[k])
	}
	return b, nil
}

// ParseGazetteerBin reads a file written by EncodeGazetteerBin.
func ParseGazetteerBin(b []byte) (*Gazetteer, error) {
	bad := func(why string) (*Gazetteer, error) { return nil, fmt.Errorf("ner: binary gazetteer: %s", why) }
	if len(b) < 12 || string(b[:4]) != gazMagic {
		return bad("not a gazetteer file")
	}
	if v := binary.LittleEndian.Uint32(b[4:]); v != gazVersion {
		return bad(fmt.Sprintf("version %d, this program reads %d", v, gazVersion))
	}
	nc := int(binary.LittleEndian.Uint32(b[8:]))
	b = b[12:]
	if nc > 31 {
		return bad("more than 31 categories")
	}
	g := &Gazetteer{}
	for i := 0; i < nc; i++ {
		if len(b) < 2 || len(b) < 2+int(binary.LittleEndian.Uint16(b)) {
			return bad("truncated")
		}
		l := int(binary.LittleEndian.Uint16(b))
		g.cats = append(g.cats, string(b[2:2+l]))
		b = b[2+l:]
	}
	if len(b) < 4 {
		return bad("truncated")
	}
	n := int(binary.LittleEndian.Uint32(b))
	b = b[4:]
	if len(b) != n*12 {
		return bad(fmt.Sprintf("%d bytes of entries for %d phrases", len(b), n))
	}
	keys := make([]uint64, n)
	g.masks = make([]uint32, n)
	for i := range keys {
		keys[i] = binary.LittleEndian.Uint64(b[12*i:])
		g.masks[i] = binary.LittleEndian.Uint32(b[12*i+8:])
		if g.masks[i] == 0 || g.masks[i]&^prefixBit >= 1<<nc {
			return bad(fmt.Sprintf("entry %d has mask %d", i, g.masks[i]))
		}
	}
	if !table.Ascending(keys) {
		return bad("the hashes are not in ascending order")
	}
	g.tab = table.New(keys)
	return g, nil
}
