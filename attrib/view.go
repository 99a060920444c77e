package attrib

import (
	"sort"
	"strings"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/syntax"
	"github.com/newsgraph/newsgraph/tokenize"
)

// view is what the attribution taggers read of a document, token by token: the tokens of its
// sentences, their sentence and paragraph, whether they lie inside a quotation, and the entity
// that covers them.
type view struct {
	d      *newsgraph.Doc
	toks   []newsgraph.Span
	words  []string
	lower  []string
	lemma  []string
	sent   []int // sentence index of each token
	sents  [][2]int
	para   []int // paragraph index of each token
	quote  []bool
	pos    []string // Penn Treebank tag
	chunk  []string // base phrase chunk tag (B-NP, I-VP, ...)
	cstart []int    // the first token of the chunk each token is in
	ent    []int    // index into ents, or -1
	entTag []string // B-PER, I-ORG, ... or O
	ents   []newsgraph.Span
	th     []tokHash // the hashes of each token's strings, computed on first use
	// reuse makes the feature functions hand out the same buffers again (featBufs): for tagging,
	// not for training, which keeps every sequence's features.
	reuse bool
	fout  [][]uint64
	fback []uint64
}

func newView(d *newsgraph.Doc, tg *syntax.Tagger) *view {
	all := d.Layer(newsgraph.LayerTokens)
	paras := d.Layer(newsgraph.LayerParagraphs)
	// Sized once: sentences hold (nearly) all the tokens.
	v := &view{d: d, toks: make([]newsgraph.Span, 0, len(all)), sent: make([]int, 0, len(all)), para: make([]int, 0, len(all))}
	for _, s := range d.Layer(newsgraph.LayerSentences) {
		a, b := newsgraph.Covering(all, s.Start, s.End)
		if a == b {
			continue
		}
		start := len(v.toks)
		for _, t := range all[a:b] {
			v.toks = append(v.toks, t)
			v.sent = append(v.sent, len(v.sents))
			p := sort.Search(len(paras), func(k int) bool { return paras[k].End > t.Start })
			v.para = append(v.para, p)
		}
		v.sents = append(v.sents, [2]int{start, len(v.toks)})
	}
	n := len(v.toks)
	v.words = make([]string, n)
	v.lower = make([]string, n)
	v.lemma = make([]string, n)
	v.quote = make([]bool, n)
	v.ent = make([]int, n)
	v.entTag = make([]string, n)
	var stack []string
	for i, t := range v.toks {
		w := d.SpanText(t)
		v.words[i] = w
		v.lower[i] = strings.ToLower(w)
		v.lemma[i] = lemma(v.lower[i])
		switch t.Label {
		case tokenize.QuoteOpen:
			if len(stack) == 0 || stack[len(stack)-1] != t.ID {
				stack = append(stack, t.ID)
			}
			v.quote[i] = true
		case tokenize.QuoteClose:
			v.quote[i] = true
			for k := len(stack) - 1; k >= 0; k-- {
				if stack[k] == t.ID {
					stack = stack[:k]
					break
				}
			}
		default:
			v.quote[i] = len(stack) > 0
		}
		v.ent[i] = -1
		v.entTag[i] = "O"
	}
	v.pos, v.chunk = make([]string, 0, n), make([]string, 0, n)
	for _, s := range v.sents {
		p, c := tg.Tag(v.words[s[0]:s[1]])
		v.pos = append(v.pos, p...)
		v.chunk = append(v.chunk, c...)
	}
	v.cstart = make([]int, n)
	for i := range v.cstart {
		v.cstart[i] = i
		if i > 0 && v.sent[i] == v.sent[i-1] && strings.HasPrefix(v.chunk[i], "I-") {
			v.cstart[i] = v.cstart[i-1]
		}
	}
	v.ents = d.Layer(newsgraph.LayerEntities)
	for e, s := range v.ents {
		a, b := v.covering(s.Start, s.End)
		for k := a; k < b; k++ {
			v.ent[k] = e
			if k == a {
				v.entTag[k] = "B-" + s.Label
			} else {
				v.entTag[k] = "I-" + s.Label
			}
		}
	}
	return v
}

// covering returns the tokens [a, b) inside the byte range [start, end).
func (v *view) covering(start, end int) (int, int) {
	a := sort.Search(len(v.toks), func(k int) bool { return v.toks[k].Start >= start })
	b := a
	for b < len(v.toks) && v.toks[b].End <= end {
		b++
	}
	return a, b
}

// overlapping returns the tokens [a, b) that overlap the byte range [start, end).
func (v *view) overlapping(start, end int) (int, int) {
	a := sort.Search(len(v.toks), func(k int) bool { return v.toks[k].End > start })
	b := a
	for b < len(v.toks) && v.toks[b].Start < end {
		b++
	}
	return a, b
}

// maxReach is how many tokens either side of a cue its source and content may lie: it bounds the
// work per cue, so that a document of one endless sentence costs time in proportion to its length.
const maxReach = 150

// window returns the tokens a cue at token c may take its source and content from: its paragraph,
// cut to two sentences either side of the cue's and to maxReach tokens either side of it.
func (v *view) window(c int) (int, int) {
	s := v.sent[c]
	a := max(v.sents[max(0, s-2)][0], c-maxReach)
	b := min(v.sents[min(len(v.sents)-1, s+2)][1], c+1+maxReach)
	for a < c && v.para[a] != v.para[c] {
		a++
	}
	for b > c+1 && v.para[b-1] != v.para[c] {
		b--
	}
	return a, b
}

// isPunct reports whether a token is punctuation, a quotation mark or a dash: what the scores do
// not count as a word.
func isPunct(label string) bool {
	switch label {
	case tokenize.Punct, tokenize.QuoteOpen, tokenize.QuoteClose, tokenize.Quote, tokenize.Dash,
		tokenize.Ellipsis, tokenize.Bullet, tokenize.Apostrophe:
		return true
	}
	return false
}
