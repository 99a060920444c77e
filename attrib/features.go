package attrib

import (
	"strconv"

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

func (v *view) at(i int) (string, string) {
	if i < 0 {
		return "<s>", "<s>"
	}
	if i >= len(v.toks) {
		return "</s>", "</s>"
	}
	return v.lower[i], v.toks[i].Label
}

// cueFeatures returns the features of the tokens [a, b) (a sentence) for the cue tagger.
func (v *view) cueFeatures(a, b int) [][]uint64 {
	sentQuote := "0"
	for i := a; i < b; i++ {
		if v.quote[i] {
			sentQuote = "1"
			break
		}
	}
	out := make([][]uint64, 0, b-a)
	for i := a; i < b; i++ {
		w, k := v.lower[i], v.toks[i].Label
		pw, pk := v.at(i - 1)
		nw, nk := v.at(i + 1)
		if i == a {
			pw, pk = "<s>", "<s>"
		}
		if i == b-1 {
			nw, nk = "</s>", "</s>"
		}
		p2, _ := v.at(i - 2)
		n2, _ := v.at(i + 2)
		if i-2 < a {
			p2 = "<s>"
		}
		if i+2 >= b {
			n2 = "</s>"
		}
		prevEnt, nextEnt := "O", "O"
		if i > a {
			prevEnt = v.entTag[i-1]
		}
		if i+1 < b {
			nextEnt = v.entTag[i+1]
		}
		nextLemma, prevLemma := nw, pw
		if i+1 < b {
			nextLemma = v.lemma[i+1]
		}
		if i > a {
			prevLemma = v.lemma[i-1]
		}
		pos := "mid"
		switch {
		case i == a:
			pos = "first"
		case i == b-1:
			pos = "last"
		case i == b-2:
			pos = "penult"
		}
		capital := "l"
		if w != v.words[i] {
			capital = "C"
		}
		q := "0"
		if v.quote[i] {
			q = "1"
		}
		out = append(out, []uint64{
			seq.H(cBias),
			seq.H(cLower, w),
			seq.H(cLemma, v.lemma[i]),
			seq.H(cPrev, pw),
			seq.H(cNext, nw),
			seq.H(cPrev2, p2),
			seq.H(cNext2, n2),
			seq.H(cBigramPrev, pw, w),
			seq.H(cBigramNext, w, nw),
			seq.H(cKind, k),
			seq.H(cNextKind, v.lemma[i], nk),
			seq.H(cPrevKind, pk, v.lemma[i]),
			seq.H(cQuote, q, v.lemma[i]),
			seq.H(cPrevEnt, prevEnt, v.lemma[i]),
			seq.H(cNextEnt, nextEnt),
			seq.H(cEnt, v.entTag[i]),
			seq.H(cLemmaNext, v.lemma[i], nextLemma),
			seq.H(cPrevLemma, prevLemma, v.lemma[i]),
			seq.H(cSentQuote, sentQuote, q, v.lemma[i]),
			seq.H(cPos, pos, v.lemma[i]),
			seq.H(cCap, capital, pos),
			seq.H(cLeftWho, v.leftWho(i, a), v.lemma[i]),
			seq.H(cRightThat, v.rightMark(i, b), v.lemma[i]),
			seq.H(cLeftQuote, v.leftQuote(i, a), v.lemma[i]),
			seq.H(cSuffix, suffix(w, 3), nk),
			seq.H(cAfterComma, pk, nk, v.lemma[i]),
			seq.H(cPOS, v.pos[i]),
			seq.H(cPOSLemma, v.pos[i], v.lemma[i]),
			seq.H(cPOSWindow, v.posAt(i-1, a, b), v.pos[i], v.posAt(i+1, a, b)),
			seq.H(cChunk, v.chunk[i], v.lemma[i]),
			seq.H(cPrevChunk, v.chunkBefore(i, a), v.pos[i]),
			seq.H(cNextPOSWord, v.lemma[i], v.posAt(i+1, a, b)),
			seq.H(cListed, boolStr(isCueWord(v.lemma[i])), v.pos[i], v.rightMark(i, b), v.leftWho(i, a)),
		})
	}
	return out
}

// posAt returns the POS tag of token i, or a boundary mark outside [a, b).
func (v *view) posAt(i, a, b int) string {
	switch {
	case i < a:
		return "<s>"
	case i >= b:
		return "</s>"
	}
	return v.pos[i]
}

// chunkBefore returns the kind of the chunk before the one token i is in ("NP", "VP", ...).
func (v *view) chunkBefore(i, a int) string {
	k := max(v.cstart[i], a)
	if k-1 < a {
		return "<s>"
	}
	c := v.chunk[k-1]
	if len(c) > 2 {
		return c[2:]
	}
	return c
}

// pronouns that can be sources.
var subjectPronouns = map[string]bool{"he": true, "she": true, "they": true, "it": true, "we": true, "i": true, "you": true, "who": true}

// leftWho describes the nearest possible speaker up to four tokens left of i: an entity type, a
// pronoun, or none.
func (v *view) leftWho(i, a int) string {
	for k := i - 1; k >= a && k >= i-4; k-- {
		if v.ent[k] >= 0 {
			return v.ents[v.ent[k]].Label
		}
		if subjectPronouns[v.lower[k]] {
			return "pron"
		}
	}
	return "none"
}

// rightMark says what opens within three tokens right of i: "that", a colon, a quotation.
func (v *view) rightMark(i, b int) string {
	for k := i + 1; k < b && k <= i+3; k++ {
		switch {
		case v.lower[k] == "that":
			return "that"
		case v.lower[k] == ":":
			return "colon"
		case v.toks[k].Label == tokenize.QuoteOpen:
			return "quote"
		}
	}
	return "none"
}

// leftQuote reports whether a quotation closes within three tokens left of i.
func (v *view) leftQuote(i, a int) string {
	for k := i - 1; k >= a && k >= i-3; k-- {
		if v.toks[k].Label == tokenize.QuoteClose {
			return "1"
		}
	}
	return "0"
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func suffix(w string, n int) string {
	if len(w) <= n {
		return w
	}
	return w[len(w)-n:]
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

func count3(n int) string {
	if n >= 2 {
		return "2+"
	}
	return strconv.Itoa(n)
}

// roleFeatures returns the features of the tokens [a, b) for the role tagger, relative to the cue
// [cs, ce); cues marks the tokens of the document's other cues.
func (v *view) roleFeatures(a, b, cs, ce int, cues []bool) [][]uint64 {
	cueWord := v.lemma[cs]
	if ce-cs > 1 {
		cueWord += " " + v.lemma[ce-1]
	}
	cueQuote := "0"
	if v.quote[cs] {
		cueQuote = "1"
	}
	cnw, _ := v.at(ce)
	cpw, _ := v.at(cs - 1)
	// Running counts between each token and the cue: quotation marks, commas and other cues.
	n := b - a
	quotes := make([]int, n)
	commas := make([]int, n)
	others := make([]int, n)
	for i := cs - 1; i >= a; i-- {
		k := i - a
		if i+1 < cs {
			quotes[k], commas[k], others[k] = quotes[k+1], commas[k+1], others[k+1]
			j := i + 1
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
	}
	for i := ce; i < b; i++ {
		k := i - a
		if i > ce {
			quotes[k], commas[k], others[k] = quotes[k-1], commas[k-1], others[k-1]
			j := i - 1
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
	}
	out := make([][]uint64, 0, n)
	for i := a; i < b; i++ {
		k := i - a
		dir, dist := "C", 0
		switch {
		case i < cs:
			dir, dist = "L", cs-i
		case i >= ce:
			dir, dist = "R", i-ce+1
		}
		sent := "same"
		switch {
		case v.sent[i] < v.sent[cs]:
			sent = "before"
		case v.sent[i] > v.sent[cs]:
			sent = "after"
		}
		db := distBucket(dist)
		q := "0"
		if v.quote[i] {
			q = "1"
		}
		pw, _ := v.at(i - 1)
		nw, _ := v.at(i + 1)
		first := "0"
		if i == v.sents[v.sent[i]][0] {
			first = "1"
		}
		edge := "mid"
		switch {
		case i == a:
			edge = "first"
		case i == b-1:
			edge = "last"
		}
		that := "0"
		if i == ce && (v.lower[i] == "that" || v.lower[i] == ":") {
			that = "1"
		}
		_, short := shape(v.words[i])
		out = append(out, []uint64{
			seq.H(rDir, dir),
			seq.H(rDist, dir, db),
			seq.H(rSent, dir, sent),
			seq.H(rWord, dir, v.lower[i]),
			seq.H(rLemma, dir, v.lemma[i], sent),
			seq.H(rKind, dir, v.toks[i].Label, db),
			seq.H(rEnt, dir, v.entTag[i]),
			seq.H(rQuote, dir, q, cueQuote),
			seq.H(rQuotesBetween, dir, count3(quotes[k]), q),
			seq.H(rCommas, dir, count3(commas[k]), sent),
			seq.H(rCueWord, dir, cueWord),
			seq.H(rCueDist, dir, db, cueWord),
			seq.H(rPrev, dir, pw),
			seq.H(rNext, dir, nw),
			seq.H(rOtherCue, dir, count3(others[k]), sent),
			seq.H(rCueQuote, dir, cueQuote, count3(quotes[k])),
			seq.H(rStartOfSent, dir, first, sent),
			seq.H(rCueWordWord, dir, cueWord, v.lower[i]),
			seq.H(rThat, that, cueWord),
			seq.H(rShape, dir, short, db),
			seq.H(rCueNext, dir, cnw, db),
			seq.H(rCuePrev, dir, cpw, db),
			seq.H(rEdge, dir, edge, q),
			seq.H(rPOS, dir, v.pos[i], db),
			seq.H(rChunk, dir, v.chunk[i], sent),
			seq.H(rPOSWindow, dir, v.posAt(i-1, a, b), v.pos[i], v.posAt(i+1, a, b)),
			seq.H(rCuePOS, dir, v.pos[cs], v.chunk[i]),
		})
	}
	return out
}

func isQuoteMark(label string) bool {
	return label == tokenize.QuoteOpen || label == tokenize.QuoteClose || label == tokenize.Quote
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
