package ner

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
	"sync"
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
}

// lexicon is the built-in data the features read besides the words: the gazetteer
// (data/gazetteer.tsv), the case prior (data/case.tsv) and the outlets (data/outlets.tsv).
type lexicon struct {
	gaz     *Gazetteer
	cases   casePrior
	outlets outlets
	// check identifies the data the features read (gazetteer and case prior), so that a model is
	// never used with other data than it was trained with.
	check uint64
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
			mask := g.phrases[h]
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
	mask := g.phrases[phraseHash(lower)] &^ prefixBit
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
