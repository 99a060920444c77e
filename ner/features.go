package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph/internal/uni"
)

// Feature templates. Each feature is a template byte and a value, hashed to 64 bits (FNV-1a): the
// model never holds the strings.
const (
	fBias byte = iota + 1
	fWord
	fLower
	fShape
	fShort
	fPrefix
	fSuffix
	fFlags
	fPrevLower
	fNextLower
	fPrev2Lower
	fNext2Lower
	fPrevShape
	fNextShape
	fBigramPrev
	fBigramNext
	fFirstShape
	fDocLowerSeen
	fDocCapSeen
	fShapeWindow
	fLowerShapeNext
	fPrevShort
	fNextShort
	fGazetteer
	fStage1
	fNLMajority
	fNLMixed
	fNLShape
	fCasePrior
	fMined
	fClass    // word classes (Resources: Brown clusters, vector classes)
	fFreebase // the Freebase lists (ResFreebase)
	fNLPart   // the word is part of a longer name of a type elsewhere in the document
)

// token holds what the feature templates read of one token, computed once per token.
type token struct {
	word, lower, shape, short string
	flags                     string
}

// extractor builds feature hashes for a sentence, reusing its buffers.
type extractor struct {
	toks []token
	doc  *docStats
	lex  *lexicon
	res  Resources // the optional resources the model reads
	// classDropout (training only) leaves out the classes of this share of word types (see
	// TrainOptions.ClassDropout).
	classDropout float64
	// split leaves the features that depend on a word alone out of a token's list, and records in
	// near the words around each token, for a tagger that sums those once a word (wordSums).
	split bool
	near  [][5]*wordInfo // per token: itself, the word before, after, two before, two after
	edges [2]*wordInfo   // this extractor's sentence start and end (their sums are its model's)
	// mined: the entity phrases of the training data (for a training document, of the other folds
	// only), or nil.
	mined *Gazetteer
	marks [][]uint64 // gazetteer features per token
	// allCaps: the sentence is written in capitals (a headline), where case says nothing.
	allCaps bool
	// For the second stage: what the first predicted across the document, and for this sentence.
	nl *nonLocal
	s1 []int
	// info caches what the features read of each distinct word: its forms and the hashes that
	// depend on it alone (most words of a document recur, and hashing is most of the extraction).
	info map[string]*wordInfo
}

// wordInfo is a word's forms and the hashes of the feature templates that read it alone, or that
// start with it (a hash state to extend with the next word's bytes): FNV-1a is sequential, so
// hash2(t, a, b) continues hash1(t, a).
type wordInfo struct {
	tok                                              token
	word, lower, shape, short, flags                 uint64
	prevLower, nextLower, prev2Lower, next2Lower     uint64
	prevShape, nextShape                             uint64
	bigramPrev, bigramNext, shapeWin, lowerShapeNext uint64 // states: the word as the first part
	prevShort, nextShort                             uint64
	affixes                                          []uint64 // in affixBuf
	affixBuf                                         [8]uint64
	// The word's class features (Resources), for itself and as the word before or after.
	classOwn, classPrev, classNext []uint64
	// sums holds a tagger's sums of the features that depend on this word alone (see wordSums).
	sums *wordSums
}

// wordSums are the joint-table sums of the features that depend on a word alone, by its place
// around the token scored: the token itself (its word, forms, shape, affixes and classes), the word
// before or after it (its lower case, shape and classes there), two before or after. A tagger
// computes them the first time it meets the word and adds five vectors a token in place of
// looking up three dozen features.
type wordSums struct {
	roles [5][]float32 // by place: itself, -1, +1, -2, +2
}

// roleFeatures are the hashes of the word-level features of w in each place (see wordSums).
func (w *wordInfo) roleFeatures(role int, buf []uint64) []uint64 {
	buf = buf[:0]
	switch role {
	case 0:
		buf = append(buf, hashBias, w.word, w.lower, w.shape, w.short, w.flags)
		buf = append(buf, w.affixes...)
		buf = append(buf, w.classOwn...)
	case 1:
		buf = append(append(buf, w.prevLower, w.prevShape), w.classPrev...)
	case 2:
		buf = append(append(buf, w.nextLower, w.nextShape), w.classNext...)
	case 3:
		buf = append(buf, w.prev2Lower)
	case 4:
		buf = append(buf, w.next2Lower)
	}
	return buf
}

func newWordInfo(t token) *wordInfo {
	w := &wordInfo{tok: t,
		word: hash1(fWord, t.word), lower: hash1(fLower, t.lower), shape: hash1(fShape, t.shape),
		short: hash1(fShort, t.short), flags: hash1(fFlags, t.flags),
		prevLower: hash1(fPrevLower, t.lower), nextLower: hash1(fNextLower, t.lower),
		prev2Lower: hash1(fPrev2Lower, t.lower), next2Lower: hash1(fNext2Lower, t.lower),
		prevShape: hash1(fPrevShape, t.short), nextShape: hash1(fNextShape, t.short),
		bigramPrev:     hashByte(hash1(fBigramPrev, t.lower), 0xff),
		bigramNext:     hashByte(hash1(fBigramNext, t.lower), 0xff),
		shapeWin:       hashByte(extendHash(hashByte(offset64, fShapeWindow), t.short), 0xff),
		lowerShapeNext: hashByte(hash1(fLowerShapeNext, t.lower), 0xff),
		prevShort:      hashByte(hash1(fPrevShort, t.word), 0xff),
		nextShort:      hashByte(hash1(fNextShort, t.short), 0xff),
	}
	l := t.lower
	w.affixes = w.affixBuf[:0]
	for k := 1; k <= 4; k++ {
		if k <= len(l) {
			w.affixes = append(w.affixes, hash2(fPrefix, string(rune('0'+k)), l[:k]), hash2(fSuffix, string(rune('0'+k)), l[len(l)-k:]))
		}
	}
	return w
}

var (
	startInfo = newWordInfo(token{word: "<S>", lower: "<s>", shape: "<S>", short: "<S>"})
	endInfo   = newWordInfo(token{word: "</S>", lower: "</s>", shape: "</S>", short: "</S>"})
)

// wordInfo returns the cached information of a word.
func (x *extractor) wordInfo(w string) *wordInfo {
	if in, ok := x.info[w]; ok {
		return in
	}
	limit := maxWordCache
	if !x.split {
		limit = 1 << 17 // training: every word type of CoNLL-2003 train at once
	}
	if x.info == nil || len(x.info) > limit {
		x.info = map[string]*wordInfo{} // bounded: a long-lived extractor starts afresh
	}
	// A copy: the word is a piece of a document's text, which a pooled tagger's cache would
	// otherwise keep alive.
	w = strings.Clone(w)
	sh, sso := shapes(w)
	in := newWordInfo(token{word: w, lower: strings.ToLower(w), shape: sh, short: sso, flags: flagsOf(w)})
	if x.res != 0 && x.lex != nil {
		classFeatures(in, x.lex.sets(x.res), x.classDropout)
	}
	x.info[w] = in
	return in
}

// maxWordCache bounds the words an extractor keeps (about 700 bytes each with a tagger's sums): a
// pooled tagger lives from document to document.
const maxWordCache = 1 << 14

// types are the entity types by typeOf: 0 is O.
var types = [5]string{"O", "PER", "ORG", "LOC", "MISC"}

func typeOf(tag int) int { return (tag + 1) / 2 }

// nonLocal counts the types the first stage gave each lower-cased word across a document, so the
// second stage can see that "Omar" was a person in "Mullah Omar" two paragraphs up.
type nonLocal struct {
	counts map[string]*[5]int
	// parts counts, for each lower-cased word, the names of several words of each type that it
	// ends ([t][1]) or is another word of ([t][0]): "Sondland" alone after "Gordon Sondland".
	parts map[string]*[5][2]int
}

func newNonLocal(sents [][]string, tags [][]int) *nonLocal {
	nl := &nonLocal{counts: map[string]*[5]int{}, parts: map[string]*[5][2]int{}}
	for s, words := range sents {
		for i, w := range words {
			l := strings.ToLower(w)
			c := nl.counts[l]
			if c == nil {
				c = new([5]int)
				nl.counts[l] = c
			}
			c[typeOf(tags[s][i])]++
		}
		for _, ch := range idChunks(tags[s]) {
			if ch.end-ch.start < 2 {
				continue
			}
			for k := ch.start; k < ch.end; k++ {
				l := strings.ToLower(words[k])
				p := nl.parts[l]
				if p == nil {
					p = new([5][2]int)
					nl.parts[l] = p
				}
				p[ch.typ][boolInt(k == ch.end-1)]++
			}
		}
	}
	return nl
}

type idChunk struct{ start, end, typ int }

// idChunks returns the entities of a sentence's tag IDs (B- tags are odd, I- tags even).
func idChunks(tags []int) []idChunk {
	var out []idChunk
	for i := 0; i < len(tags); i++ {
		if tags[i] == 0 {
			continue
		}
		typ := typeOf(tags[i])
		j := i + 1
		for j < len(tags) && tags[j] != 0 && tags[j]%2 == 0 && typeOf(tags[j]) == typ {
			j++
		}
		out = append(out, idChunk{i, j, typ})
		i = j - 1
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const (
	offset64 = 14695981039346656037
	prime64  = 1099511628211
)

// Feature hashes are FNV-1a over the template byte, then the value's bytes, with a 0xff byte
// between the parts of a value of several parts.

func hashParts(t byte, parts ...string) uint64 {
	h := hashByte(offset64, t)
	for i, p := range parts {
		if i > 0 {
			h = hashByte(h, 0xff)
		}
		h = extendHash(h, p)
	}
	return h
}

func hash1(t byte, s string) uint64 { return extendHash(hashByte(offset64, t), s) }

var hashBias = hash1(fBias, "")

func hash2(t byte, a, b string) uint64 { return extendHash(hashByte(hash1(t, a), 0xff), b) }

func hashByte(h uint64, c byte) uint64 { return (h ^ uint64(c)) * prime64 }

// shapes returns the long shape (each character as X, x, d or itself, runs of more than two the
// same class cut to two) and the short shape (runs collapsed to one) of a word.
func shapes(w string) (string, string) {
	var long, short []byte
	var prev byte
	run := 0
	for _, r := range w {
		c := uni.ShapeClass(r)
		if c == prev {
			run++
		} else {
			run = 1
			short = append(short, c)
		}
		if run <= 2 {
			long = append(long, c)
		}
		prev = c
	}
	return string(long), string(short)
}

func flagsOf(w string) string {
	var f []byte
	hasUpper, hasLower, hasDigit, allUpper := false, false, false, true
	for _, r := range w {
		switch {
		case unicode.IsUpper(r):
			hasUpper = true
		case unicode.IsLower(r):
			hasLower = true
			allUpper = false
		case unicode.IsDigit(r):
			hasDigit = true
			allUpper = false
		default:
			allUpper = false
		}
	}
	first, _ := utf8.DecodeRuneInString(w)
	if unicode.IsUpper(first) {
		f = append(f, 'C')
	}
	if hasUpper && allUpper && len(w) > 1 {
		f = append(f, 'A')
	}
	if hasUpper && hasLower && !unicode.IsUpper(first) {
		f = append(f, 'm')
	}
	if hasDigit {
		f = append(f, 'd')
	}
	if strings.IndexByte(w, '-') >= 0 {
		f = append(f, 'h')
	}
	if strings.IndexByte(w, '.') >= 0 {
		f = append(f, 'p')
	}
	return string(f)
}

// docStats records, for one document, the lower-cased forms seen in lower case and the forms seen
// capitalised away from the start of a sentence: evidence for the case of a sentence-initial or
// all-capitals token.
type docStats struct {
	lowerSeen map[string]bool
	capSeen   map[string]bool
}

func newDocStats(sents [][]string) *docStats {
	d := &docStats{lowerSeen: map[string]bool{}, capSeen: map[string]bool{}}
	for _, s := range sents {
		allCaps := allCapitals(s)
		for i, w := range s {
			first, _ := utf8.DecodeRuneInString(w)
			switch {
			case unicode.IsLower(first):
				d.lowerSeen[strings.ToLower(w)] = true
			case unicode.IsUpper(first) && i > 0 && !allCaps && strings.ToUpper(w) != w:
				d.capSeen[strings.ToLower(w)] = true
			}
		}
	}
	return d
}

// sentence returns the feature hashes of each token of a sentence, appended to feats (one slice per
// token, sharing one backing array).
func (x *extractor) sentence(words []string, feats [][]uint64, back []uint64) ([][]uint64, []uint64) {
	x.toks = x.toks[:0]
	x.allCaps = allCapitals(words)
	infos := make([]*wordInfo, len(words))
	for i, w := range words {
		infos[i] = x.wordInfo(w)
		x.toks = append(x.toks, infos[i].tok)
	}
	if x.edges[0] == nil {
		s, e := *startInfo, *endInfo
		x.edges = [2]*wordInfo{&s, &e}
	}
	get := func(i int) *wordInfo {
		if i < 0 {
			return x.edges[0]
		}
		if i >= len(infos) {
			return x.edges[1]
		}
		return infos[i]
	}
	if x.lex != nil {
		for len(x.marks) < len(x.toks) {
			x.marks = append(x.marks, nil)
		}
		for i := range x.toks {
			x.marks[i] = x.marks[i][:0]
		}
		x.lex.gaz.features(fGazetteer, x.toks, x.marks)
		if x.mined != nil {
			x.mined.features(fMined, x.toks, x.marks)
		}
		if x.res&ResFreebase != 0 {
			x.lex.freebase.features(fFreebase, x.toks, x.marks)
		}
	}
	feats = feats[:0]
	back = back[:0]
	x.near = x.near[:0]
	for i := range x.toks {
		start := len(back)
		ti := infos[i]
		t := ti.tok
		p, n := get(i-1), get(i+1)
		p2, n2 := get(i-2), get(i+2)
		// Features of the token with its neighbours.
		pair := [6]uint64{
			extendHash(p.bigramPrev, t.lower),
			extendHash(ti.bigramNext, n.tok.lower),
			extendHash(hashByte(extendHash(p.shapeWin, t.short), 0xff), n.tok.short),
			extendHash(ti.lowerShapeNext, n.tok.short),
			extendHash(p.prevShort, t.short),
			extendHash(ti.nextShort, n.tok.word),
		}
		if x.split {
			x.near = append(x.near, [5]*wordInfo{ti, p, n, p2, n2})
			back = append(back, pair[:]...)
		} else {
			// The same hashes, in the same order, as hash1/hash2/hashParts over the strings give
			// (the order of the sums the model was trained with).
			back = append(back,
				hashBias,
				ti.word,
				ti.lower,
				ti.shape,
				ti.short,
				ti.flags,
				p.prevLower,
				n.nextLower,
				p2.prev2Lower,
				n2.next2Lower,
				p.prevShape,
				n.nextShape,
			)
			back = append(back, pair[:]...)
			back = append(back, ti.affixes...)
			back = append(back, ti.classOwn...)
			back = append(back, p.classPrev...)
			back = append(back, n.classNext...)
		}
		if i == 0 {
			back = append(back, hash2(fFirstShape, t.short, t.flags))
		}
		if x.doc != nil && t.flags != "" && t.flags[0] == 'C' {
			if x.doc.lowerSeen[t.lower] {
				back = append(back, hash1(fDocLowerSeen, boolStr(i == 0)))
			}
			if x.doc.capSeen[t.lower] {
				back = append(back, hash1(fDocCapSeen, boolStr(i == 0)))
			}
		}
		if x.lex != nil {
			back = append(back, x.marks[i]...)
			bin, ok := x.lex.cases[t.lower]
			if !ok {
				bin = "unseen"
			}
			where := "mid"
			switch {
			case x.allCaps:
				where = "caps"
			case i == 0:
				where = "first"
			}
			back = append(back, hash2(fCasePrior, bin, where), hashParts(fCasePrior, bin, where, t.short))
		}
		if x.nl != nil {
			back = x.nonLocalFeatures(back, t, i)
		}
		feats = append(feats, back[start:len(back):len(back)])
	}
	// back may have been reallocated: re-slice every token's features from the final array.
	return rebase(feats, back), back
}

// allCapitals reports whether a sentence is written in capitals (a headline), where case says
// nothing about names.
func allCapitals(words []string) bool {
	for _, w := range words {
		if strings.ToUpper(w) != w {
			return false
		}
	}
	return true
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// nonLocalFeatures adds the first stage's tag of the token and, from its other occurrences in the
// document, the majority entity type and whether it was also left outside entities.
func (x *extractor) nonLocalFeatures(back []uint64, t token, i int) []uint64 {
	own := x.s1[i]
	back = append(back, hash1(fStage1, Tags[own]))
	c := *x.nl.counts[t.lower]
	c[typeOf(own)]--
	best, ent := 0, 0
	for k := 1; k < 5; k++ {
		ent += c[k]
		if c[k] > c[best] || best == 0 && c[k] > 0 {
			best = k
		}
	}
	if ent > 0 {
		back = append(back, hash1(fNLMajority, types[best]), hash2(fNLShape, types[best], t.short))
		if c[0] > 0 {
			back = append(back, hash1(fNLMixed, types[best]))
		}
	}
	// Longer names elsewhere that this word is part of, less the one it is in here.
	if p := x.nl.parts[t.lower]; p != nil {
		q := *p
		for _, ch := range idChunks(x.s1) {
			if ch.start <= i && i < ch.end && ch.end-ch.start >= 2 {
				q[ch.typ][boolInt(i == ch.end-1)]--
			}
		}
		for typ := 1; typ < 5; typ++ {
			for pos, name := range [2]string{"in", "last"} {
				if q[typ][pos] > 0 {
					back = append(back, hashParts(fNLPart, types[typ], name, t.short))
				}
			}
		}
	}
	return back
}
