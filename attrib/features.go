package attrib

import (
	"strconv"
	"sync"

	"github.com/newsgraph/newsgraph/internal/seq"
	"github.com/newsgraph/newsgraph/tokenize"
)

// Feature templates of the cue tagger (c*) and the role tagger (r*).
const (
	cBias byte = iota + 1
	cLower
	cLemma
	cPrev
	cNext
	cPrev2
	cNext2
	cBigramPrev
	cBigramNext
	cKind
	cNextKind
	cPrevKind
	cQuote
	cPrevEnt
	cNextEnt
	cEnt
	cLemmaNext
	cPrevLemma
	cSentQuote
	cPos
	cCap
	cLeftWho
	cRightThat
	cLeftQuote
	cSuffix
	cAfterComma
	cPOS
	cPOSLemma
	cPOSWindow
	cChunk
	cPrevChunk
	cNextPOSWord
	cListed
	cClause
	cLemmaAffix
	rDir
	rDist
	rSent
	rWord
	rLemma
	rKind
	rEnt
	rQuote
	rQuotesBetween
	rCommas
	rCueWord
	rCueDist
	rPrev
	rNext
	rOtherCue
	rCueQuote
	rStartOfSent
	rCueWordWord
	rThat
	rShape
	rCueNext
	rCuePrev
	rEdge
	rPOS
	rChunk
	rPOSWindow
	rCuePOS
)

// cueLabels are the cue tagger's labels.
var cueLabels = []string{"O", "B-CUE", "I-CUE"}

// roleLabels are the role tagger's labels: the source and the content of one cue.
var roleLabels = []string{"O", "B-SRC", "I-SRC", "B-CON", "I-CON"}

// Feature values are 64-bit hashes: each token's strings are hashed once (tokHash), and a
// feature combines a template with the hashes of its parts (mix), so the hot loops hash no text.

// hs hashes a string.
func hs(s string) uint64 { return seq.H(0, s) }

// mix combines a template and part hashes into a feature hash.
func mix(t byte, parts ...uint64) uint64 {
	h := uint64(t)*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	for _, p := range parts {
		h ^= p
		h *= 0xBF58476D1CE4E5B9
		h ^= h >> 31
	}
	return h
}

// Hashes of the constant parts.
var (
	hS, hE                    = hs("<s>"), hs("</s>")
	hO                        = hs("O")
	h0, h1, h2p               = hs("0"), hs("1"), hs("2+")
	hL, hC, hR                = hs("L"), hs("C"), hs("R")
	hFirst, hLast, hMid, hPen = hs("first"), hs("last"), hs("mid"), hs("penult")
	hSame, hBefore, hAfter    = hs("same"), hs("before"), hs("after")
	hCapC, hCapL              = hs("C"), hs("l")
	hDist                     [22]uint64
	hWhoNone, hWhoPron        = hs("none"), hs("pron")
	hMarkThat, hMarkColon     = hs("that"), hs("colon")
	hMarkQuote, hMarkNone     = hs("quote"), hs("none")
)

func init() {
	for d := range hDist {
		hDist[d] = hs(distBucket(d))
	}
}

// tokHash holds the hashes of one token's strings.
type tokHash struct {
	lower, lemma, kind, pos, chunk, ent, short, suf3, entType uint64
}

// hashes computes the token hashes of the view, once.
func (v *view) hashes() {
	if v.th != nil {
		return
	}
	v.th = make([]tokHash, len(v.toks))
	for i := range v.toks {
		_, short := shape(v.words[i])
		et := "O"
		if e := v.ent[i]; e >= 0 {
			et = v.ents[e].Label
		}
		v.th[i] = tokHash{
			lower: hs(v.lower[i]), lemma: hs(v.lemma[i]), kind: hs(v.toks[i].Label),
			pos: hs(v.pos[i]), chunk: hs(v.chunk[i]), ent: hs(v.entTag[i]), short: hs(short),
			suf3: hs(suffix(v.lower[i], 3)), entType: hs(et),
		}
	}
}

func boolHash(b bool) uint64 {
	if b {
		return h1
	}
	return h0
}

// distHash returns the hash of a distance's bucket (hDist[d] is that of distBucket(d)).
func distHash(d int) uint64 {
	if d >= len(hDist) {
		d = len(hDist) - 1
	}
	return hDist[d]
}

// cueFeatures returns the cue tagger's features of the tokens [lo, hi) of the sentence [a, b).
func (v *view) cueFeatures(a, b, lo, hi int) [][]uint64 {
	v.hashes()
	sentQuote := false
	for i := a; i < b; i++ {
		if v.quote[i] {
			sentQuote = true
			break
		}
	}
	th := v.th
	get := func(i int) (lower, lemma, kind, pos uint64) {
		switch {
		case i < a:
			return hS, hS, hS, hS
		case i >= b:
			return hE, hE, hE, hE
		}
		return th[i].lower, th[i].lemma, th[i].kind, th[i].pos
	}
	out, back := v.featBufs(hi-lo, 35)
	for i := lo; i < hi; i++ {
		t := th[i]
		pw, plem, pk, ppos := get(i - 1)
		nw, nlem, nk, npos := get(i + 1)
		p2, _, _, _ := get(i - 2)
		n2, _, _, _ := get(i + 2)
		prevEnt, nextEnt := hO, hO
		if i > a {
			prevEnt = th[i-1].ent
		}
		if i+1 < b {
			nextEnt = th[i+1].ent
		}
		pos := hMid
		switch {
		case i == a:
			pos = hFirst
		case i == b-1:
			pos = hLast
		case i == b-2:
			pos = hPen
		}
		capital := hCapL
		if v.lower[i] != v.words[i] {
			capital = hCapC
		}
		q := boolHash(v.quote[i])
		who, mark := v.leftWho(i, a), v.rightMark(i, b)
		start := len(back)
		back = append(back,
			mix(cBias),
			mix(cLower, t.lower),
			mix(cLemma, t.lemma),
			mix(cPrev, pw),
			mix(cNext, nw),
			mix(cPrev2, p2),
			mix(cNext2, n2),
			mix(cBigramPrev, pw, t.lower),
			mix(cBigramNext, t.lower, nw),
			mix(cKind, t.kind),
			mix(cNextKind, t.lemma, nk),
			mix(cPrevKind, pk, t.lemma),
			mix(cQuote, q, t.lemma),
			mix(cPrevEnt, prevEnt, t.lemma),
			mix(cNextEnt, nextEnt),
			mix(cEnt, t.ent),
			mix(cLemmaNext, t.lemma, nlem),
			mix(cPrevLemma, plem, t.lemma),
			mix(cSentQuote, boolHash(sentQuote), q, t.lemma),
			mix(cPos, pos, t.lemma),
			mix(cCap, capital, pos),
			mix(cLeftWho, who, t.lemma),
			mix(cRightThat, mark, t.lemma),
			mix(cLeftQuote, boolHash(v.leftQuote(i, a)), t.lemma),
			mix(cSuffix, t.suf3, nk),
			mix(cAfterComma, pk, nk, t.lemma),
			mix(cPOS, t.pos),
			mix(cPOSLemma, t.pos, t.lemma),
			mix(cPOSWindow, ppos, t.pos, npos),
			mix(cChunk, t.chunk, t.lemma),
			mix(cPrevChunk, v.chunkBefore(i, a), t.pos),
			mix(cNextPOSWord, t.lemma, npos),
			mix(cListed, boolHash(isCueWord(v.lemma[i])), t.pos, mark, who),
			mix(cClause, boolHash(v.clauseFollows(i, b)), t.pos, t.lemma),
			mix(cLemmaAffix, hs(suffix(v.lemma[i], 4)), t.pos),
		)
		out = append(out, back[start:len(back):len(back)])
	}
	return out
}

// distBucket buckets a token distance.
func distBucket(d int) string {
	switch {
	case d <= 3:
		return strconv.Itoa(d)
	case d <= 5:
		return "4-5"
	case d <= 10:
		return "6-10"
	case d <= 20:
		return "11-20"
	}
	return "21+"
}

func count3(n int) uint64 {
	switch {
	case n >= 2:
		return h2p
	case n == 1:
		return h1
	}
	return h0
}

// roleFeatures returns the features of the tokens [a, b) for the role tagger, relative to the cue
// [cs, ce); cues marks the tokens of the document's other cues.
func (v *view) roleFeatures(a, b, cs, ce int, cues []bool) [][]uint64 {
	v.hashes()
	th := v.th
	cueWord := th[cs].lemma
	if ce-cs > 1 {
		cueWord = mix(0, th[cs].lemma, th[ce-1].lemma)
	}
	cueQuote := boolHash(v.quote[cs])
	edgeHash := func(i int) uint64 {
		switch {
		case i < 0:
			return hS
		case i >= len(th):
			return hE
		}
		return th[i].lower
	}
	cnw, cpw := edgeHash(ce), edgeHash(cs-1)
	// Running counts between each token and the cue: quotation marks, commas and other cues.
	n := b - a
	quotes := make([]int, n)
	commas := make([]int, n)
	others := make([]int, n)
	// carry sets the counts at token i to those at token from (its neighbour towards the cue) plus
	// what token j, between them, adds.
	carry := func(i, from, j int) {
		k, f := i-a, from-a
		quotes[k], commas[k], others[k] = quotes[f], commas[f], others[f]
		if isQuoteMark(v.toks[j].Label) {
			quotes[k]++
		}
		if v.words[j] == "," {
			commas[k]++
		}
		if cues[j] {
			others[k]++
		}
	}
	for i := cs - 2; i >= a; i-- {
		carry(i, i+1, i+1)
	}
	for i := ce + 1; i < b; i++ {
		carry(i, i-1, i-1)
	}
	posAt := func(i int) uint64 {
		switch {
		case i < a:
			return hS
		case i >= b:
			return hE
		}
		return th[i].pos
	}
	out, back := v.featBufs(n, 27)
	for i := a; i < b; i++ {
		k := i - a
		t := th[i]
		dir, dist := hC, 0
		switch {
		case i < cs:
			dir, dist = hL, cs-i
		case i >= ce:
			dir, dist = hR, i-ce+1
		}
		sent := hSame
		switch {
		case v.sent[i] < v.sent[cs]:
			sent = hBefore
		case v.sent[i] > v.sent[cs]:
			sent = hAfter
		}
		db := distHash(dist)
		q := boolHash(v.quote[i])
		pw, nw := edgeHash(i-1), edgeHash(i+1)
		first := boolHash(i == v.sents[v.sent[i]][0])
		edge := hMid
		switch {
		case i == a:
			edge = hFirst
		case i == b-1:
			edge = hLast
		}
		that := boolHash(i == ce && (v.lower[i] == "that" || v.lower[i] == ":"))
		qb := count3(quotes[k])
		start := len(back)
		back = append(back,
			mix(rDir, dir),
			mix(rDist, dir, db),
			mix(rSent, dir, sent),
			mix(rWord, dir, t.lower),
			mix(rLemma, dir, t.lemma, sent),
			mix(rKind, dir, t.kind, db),
			mix(rEnt, dir, t.ent),
			mix(rQuote, dir, q, cueQuote),
			mix(rQuotesBetween, dir, qb, q),
			mix(rCommas, dir, count3(commas[k]), sent),
			mix(rCueWord, dir, cueWord),
			mix(rCueDist, dir, db, cueWord),
			mix(rPrev, dir, pw),
			mix(rNext, dir, nw),
			mix(rOtherCue, dir, count3(others[k]), sent),
			mix(rCueQuote, dir, cueQuote, qb),
			mix(rStartOfSent, dir, first, sent),
			mix(rCueWordWord, dir, cueWord, t.lower),
			mix(rThat, that, cueWord),
			mix(rShape, dir, t.short, db),
			mix(rCueNext, dir, cnw, db),
			mix(rCuePrev, dir, cpw, db),
			mix(rEdge, dir, edge, q),
			mix(rPOS, dir, t.pos, db),
			mix(rChunk, dir, t.chunk, sent),
			mix(rPOSWindow, dir, posAt(i-1), t.pos, posAt(i+1)),
			mix(rCuePOS, dir, th[cs].pos, t.chunk),
		)
		out = append(out, back[start:len(back):len(back)])
	}
	return out
}

func isQuoteMark(label string) bool {
	return label == tokenize.QuoteOpen || label == tokenize.QuoteClose || label == tokenize.Quote
}

// chunkBefore returns the kind of the chunk before the one token i is in ("NP", "VP", ...).
func (v *view) chunkBefore(i, a int) uint64 {
	k := max(v.cstart[i], a)
	if k-1 < a {
		return hS
	}
	c := v.chunk[k-1]
	if len(c) > 2 {
		c = c[2:]
	}
	return chunkKindHash(c)
}

var chunkKinds sync.Map

// chunkKindHash returns the hash of a chunk kind, computed once per kind.
func chunkKindHash(c string) uint64 {
	if h, ok := chunkKinds.Load(c); ok {
		return h.(uint64)
	}
	h := hs(c)
	chunkKinds.Store(c, h)
	return h
}

// clauseFollows reports whether a finite verb or a modal comes within six tokens after i, before
// any punctuation: a clause follows ("said the bridge would reopen").
func (v *view) clauseFollows(i, b int) bool {
	for k := i + 1; k < b && k <= i+6; k++ {
		if isPunct(v.toks[k].Label) {
			return false
		}
		switch v.pos[k] {
		case "VBD", "VBZ", "VBP", "MD":
			return true
		}
	}
	return false
}

// pronouns that can be sources.
var subjectPronouns = map[string]bool{"he": true, "she": true, "they": true, "it": true, "we": true, "i": true, "you": true, "who": true}

// leftWho describes the nearest possible speaker up to four tokens left of i: an entity type, a
// pronoun, or none.
func (v *view) leftWho(i, a int) uint64 {
	for k := i - 1; k >= a && k >= i-4; k-- {
		if v.ent[k] >= 0 {
			return v.th[k].entType
		}
		if subjectPronouns[v.lower[k]] {
			return hWhoPron
		}
	}
	return hWhoNone
}

// rightMark says what opens within three tokens right of i: "that", a colon, a quotation.
func (v *view) rightMark(i, b int) uint64 {
	for k := i + 1; k < b && k <= i+3; k++ {
		switch {
		case v.lower[k] == "that":
			return hMarkThat
		case v.lower[k] == ":":
			return hMarkColon
		case v.toks[k].Label == tokenize.QuoteOpen:
			return hMarkQuote
		}
	}
	return hMarkNone
}

// leftQuote reports whether a quotation closes within three tokens left of i.
func (v *view) leftQuote(i, a int) bool {
	for k := i - 1; k >= a && k >= i-3; k-- {
		if v.toks[k].Label == tokenize.QuoteClose {
			return true
		}
	}
	return false
}

func suffix(w string, n int) string {
	if len(w) <= n {
		return w
	}
	return w[len(w)-n:]
}

// shape returns the long and short word shapes (X, x, d, or the character itself).
func shape(w string) (string, string) {
	var long, short []byte
	var prev byte
	run := 0
	for _, r := range w {
		var c byte
		switch {
		case r >= 'A' && r <= 'Z':
			c = 'X'
		case r >= 'a' && r <= 'z':
			c = 'x'
		case r >= '0' && r <= '9':
			c = 'd'
		case r < 128:
			c = byte(r)
		default:
			c = '*'
		}
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

// featBufs returns empty buffers for the features of n tokens, per features each: new ones, or,
// when the view reuses them (tagging, where each result is decoded before the next is asked
// for), the view's own.
func (v *view) featBufs(n, per int) ([][]uint64, []uint64) {
	if !v.reuse {
		return make([][]uint64, 0, n), make([]uint64, 0, n*per)
	}
	if cap(v.fout) < n {
		v.fout = make([][]uint64, 0, n)
	}
	if cap(v.fback) < n*per {
		v.fback = make([]uint64, 0, n*per)
	}
	return v.fout[:0], v.fback[:0]
}
