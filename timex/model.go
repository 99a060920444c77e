package timex

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph/internal/seq"
	"github.com/newsgraph/newsgraph/models"
)

// Labels of the span tagger: TIMEX3 types in BIO.
var Labels = []string{"O", "B-DATE", "I-DATE", "B-TIME", "I-TIME", "B-DURATION", "I-DURATION", "B-SET", "I-SET"}

// Model finds temporal expressions: a structured perceptron over the tokens of a sentence, labels
// the TIMEX3 types in BIO. Values are computed from the words by the resolver, not learned.
type Model struct {
	tagger *seq.Model
}

const (
	magic   = "newsgraph-timex\n"
	version = 1
)

// Save writes the model.
func (m *Model) Save(w io.Writer) error {
	if _, err := fmt.Fprintf(w, "%s%d\n", magic, version); err != nil {
		return err
	}
	return m.tagger.Save(w)
}

// LoadBytes reads a model written by Save.
func LoadBytes(b []byte) (*Model, error) {
	rest, ok := bytes.CutPrefix(b, []byte(magic))
	if !ok {
		return nil, errors.New("timex: not a timex model")
	}
	line, rest, ok := bytes.Cut(rest, []byte("\n"))
	if !ok || string(line) != fmt.Sprint(version) {
		return nil, fmt.Errorf("timex: model version %q, want %d", line, version)
	}
	t, _, err := seq.Parse(rest)
	if err != nil {
		return nil, fmt.Errorf("timex: %w", err)
	}
	if strings.Join(t.Labels, " ") != strings.Join(Labels, " ") {
		return nil, errors.New("timex: model labels differ")
	}
	return &Model{tagger: t}, nil
}

// Default returns the built-in model (models/timex/model.bin), loaded once per process, on first
// use.
func Default() (*Model, error) { return loadDefault() }

var loadDefault = sync.OnceValues(func() (*Model, error) { return LoadBytes(models.Timex) })

// Tag returns the BIO labels (indices into Labels) of a sentence's words.
func (m *Model) Tag(words []string) []int {
	return m.tagger.Decode(sentenceFeatures(words, nil))
}

// window is how many words either side of a trigger word the tagger reads when it tags stretches
// of a sentence (TagNear): temporal expressions are short.
const window = 5

// TagNear labels only the stretches of a sentence within window words of a trigger (the rest is
// O): the same labels as Tag on TempEval-3 (eval timex), for a fraction of the time on long news
// sentences.
func (m *Model) TagNear(words []string, triggers []bool) []int {
	out := make([]int, len(words))
	for i := 0; i < len(words); {
		if !triggers[i] {
			i++
			continue
		}
		a, b := max(0, i-window), min(len(words), i+window+1)
		// Extend over the triggers that follow within reach.
		for j := i + 1; j < len(words) && j < b+window; j++ {
			if triggers[j] {
				b = min(len(words), j+window+1)
			}
		}
		labels := m.tagger.Decode(rangeFeatures(words, a, b, nil))
		copy(out[a:b], labels)
		i = b
	}
	return out
}

// tok is what the features read of a word.
type tok struct {
	lower string
	sig   string // word classes and form class: "MONTH", "NUM+ORD", "YEAR", or "" for other words
	shape string
}

func newTok(w string) tok {
	l := strings.ToLower(w)
	t := tok{lower: l, sig: signature(l), shape: shortShape(w)}
	return t
}

// signature joins a word's classes ("NUM+UNIT" for "five-hour" part by part: "NUM-UNIT").
func signature(l string) string {
	if a, b, ok := strings.Cut(l, "-"); ok && a != "" && b != "" && !strings.Contains(b, "-") {
		sa, sb := classesOf(a), classesOf(b)
		if sa != "" || sb != "" {
			if sa == "" {
				sa = "w"
			}
			if sb == "" {
				sb = "w"
			}
			return sa + "-" + sb
		}
	}
	return classesOf(l)
}

func classesOf(l string) string {
	e := lex().words[l]
	if e == nil {
		return shapeClass(l) // most words: no allocation
	}
	var parts []string
	if e != nil {
		for _, c := range classOrder {
			if _, ok := e[c]; ok {
				parts = append(parts, c)
			}
		}
	}
	if s := shapeClass(l); s != "" {
		parts = append(parts, s)
	}
	return strings.Join(parts, "+")
}

func shortShape(w string) string {
	var b []byte
	var last byte
	for _, r := range w {
		c := byte('x')
		switch {
		case unicode.IsUpper(r):
			c = 'X'
		case unicode.IsDigit(r):
			c = 'd'
		case unicode.IsLetter(r):
		default:
			if r < utf8.RuneSelf {
				c = byte(r)
			} else {
				c = '*'
			}
		}
		if c != last {
			b = append(b, c)
			last = c
		}
	}
	return string(b)
}

// Feature templates.
const (
	fBias byte = iota + 1
	fWord
	fSig
	fShape
	fSuffix
	fPrevWord
	fNextWord
	fPrev2Word
	fNext2Word
	fPrevSig
	fNextSig
	fPrev2Sig
	fNext2Sig
	fBigramL
	fBigramR
	fSigBigramL
	fSigBigramR
	fSigTrigram
	fWordNextSig
	fPrevSigWord
)

// sentenceFeatures computes the feature hashes of every word of a sentence (feats is reused).
func sentenceFeatures(words []string, feats [][]uint64) [][]uint64 {
	return rangeFeatures(words, 0, len(words), feats)
}

// rangeFeatures computes the feature hashes of the words [a, b) of a sentence, reading the
// sentence around them as context.
func rangeFeatures(words []string, a, b int, feats [][]uint64) [][]uint64 {
	lo, hi := max(0, a-2), min(len(words), b+2)
	ts := make([]tok, hi-lo) // ts[i-lo] is word i
	for i := lo; i < hi; i++ {
		ts[i-lo] = newTok(words[i])
	}
	at := func(i int) tok {
		if i < 0 {
			return tok{lower: "<s>", sig: "<s>", shape: "<s>"}
		}
		if i >= len(words) {
			return tok{lower: "</s>", sig: "</s>", shape: "</s>"}
		}
		return ts[i-lo]
	}
	const nf = 20
	back := make([]uint64, 0, (b-a)*nf)
	feats = feats[:0]
	for i := a; i < b; i++ {
		t, p, n, p2, n2 := ts[i-lo], at(i-1), at(i+1), at(i-2), at(i+2)
		suf := t.lower
		if len(suf) > 3 {
			suf = suf[len(suf)-3:]
		}
		k := len(back)
		back = append(back,
			seq.H(fBias),
			seq.H(fWord, t.lower),
			seq.H(fSig, t.sig),
			seq.H(fShape, t.shape),
			seq.H(fSuffix, suf),
			seq.H(fPrevWord, p.lower),
			seq.H(fNextWord, n.lower),
			seq.H(fPrev2Word, p2.lower),
			seq.H(fNext2Word, n2.lower),
			seq.H(fPrevSig, p.sig),
			seq.H(fNextSig, n.sig),
			seq.H(fPrev2Sig, p2.sig),
			seq.H(fNext2Sig, n2.sig),
			seq.H(fBigramL, p.lower, t.lower),
			seq.H(fBigramR, t.lower, n.lower),
			seq.H(fSigBigramL, p.sig, t.sig),
			seq.H(fSigBigramR, t.sig, n.sig),
			seq.H(fSigTrigram, p.sig, t.sig, n.sig),
			seq.H(fWordNextSig, t.lower, n.sig),
			seq.H(fPrevSigWord, p.sig, t.lower),
		)
		feats = append(feats, back[k:len(back):len(back)])
	}
	return feats
}
