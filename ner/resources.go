package ner

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/newsgraph/newsgraph/internal/table"
)

// Resources are the optional word-level resources a model's features read besides its own
// lexicon (gazetteer, case prior, mined lists). A model records the ones it was trained with, and
// the tagger reads the same.
type Resources uint32

const (
	// ResRCV1: Brown clusters of RCV1 news (Turian, Ratinov & Bengio 2010): bit-path prefixes of
	// the word (4, 6, 10, 20 bits) and of its neighbours (6 bits).
	ResRCV1 Resources = 1 << iota
	// ResBLLIP: Brown clusters of the BLLIP WSJ text (Koo et al. 2008), as ResRCV1.
	ResBLLIP
	// ResGloVe: k-means classes of GloVe 6B 100d vectors (lower-cased words) at three
	// granularities (50, 200, 1,000 classes) for the word, and the middle one for its neighbours.
	ResGloVe
	// ResFreebase: Freebase name lists by type (politicians, athletes, teams, leagues, universities,
	// agencies, media, awards, holidays, events, surnames, companies, brands, countries) matched as
	// gazetteer phrases.
	ResFreebase
	resAll = ResRCV1 | ResBLLIP | ResGloVe | ResFreebase
)

var resNames = []struct {
	r    Resources
	name string
}{{ResRCV1, "rcv1"}, {ResBLLIP, "bllip"}, {ResGloVe, "glove"}, {ResFreebase, "freebase"}}

// ParseResources reads a list of resource names separated by commas ("rcv1,glove"); "" and "none"
// are none, "all" is every one.
func ParseResources(s string) (Resources, error) {
	var r Resources
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(strings.ToLower(f))
		switch f {
		case "", "none":
			continue
		case "all":
			r |= resAll
			continue
		}
		found := false
		for _, n := range resNames {
			if n.name == f {
				r |= n.r
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("ner: no resource %q (rcv1, bllip, glove, freebase, all, none)", f)
		}
	}
	return r, nil
}

// String names the resources ("rcv1,glove"; "none").
func (r Resources) String() string {
	var names []string
	for _, n := range resNames {
		if r&n.r != 0 {
			names = append(names, n.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ",")
}

//go:embed data/brown-rcv1.bin
var brownRCV1Data []byte

//go:embed data/brown-bllip.bin
var brownBLLIPData []byte

//go:embed data/glove.bin
var gloveData []byte

//go:embed data/freebase.bin
var freebaseData []byte

// classSet is a word-class resource with the feature hashes of each class, for the word itself and
// for a neighbour, computed once.
type classSet struct {
	wc         *WordClasses
	own        [][]uint64 // by class
	prev, next [][]uint64
	unknown    uint64 // the word has no class
}

// newClassSet precomputes the features of each class: the label's prefixes at the depths given
// (in characters for Brown bit paths, in "/"-separated steps for vector classes).
func newClassSet(name string, wc *WordClasses, own, near []int, steps bool) *classSet {
	prefix := func(label string, d int) string {
		if !steps {
			return label[:min(d, len(label))]
		}
		parts := strings.Split(label, "/")
		return strings.Join(parts[:min(d, len(parts))], "/")
	}
	cs := &classSet{wc: wc, unknown: hashParts(fClass, name, "unknown")}
	for _, l := range wc.Labels() {
		var o, p, n []uint64
		for _, d := range own {
			o = append(o, hashParts(fClass, name, "w", fmt.Sprint(d), prefix(l, d)))
		}
		for _, d := range near {
			p = append(p, hashParts(fClass, name, "-1", fmt.Sprint(d), prefix(l, d)))
			n = append(n, hashParts(fClass, name, "+1", fmt.Sprint(d), prefix(l, d)))
		}
		cs.own, cs.prev, cs.next = append(cs.own, o), append(cs.prev, p), append(cs.next, n)
	}
	return cs
}

// load parses the embedded resources of r into the lexicon, each the first time a model reads it
// (a model that reads none pays nothing).
func (l *lexicon) load(r Resources) error {
	specs := []struct {
		res   Resources
		name  string
		data  []byte
		own   []int
		near  []int
		steps bool
		dst   **classSet
	}{
		{ResRCV1, "rcv1", brownRCV1Data, []int{4, 6, 10, 20}, []int{6}, false, &l.rcv1},
		{ResBLLIP, "bllip", brownBLLIPData, []int{4, 6, 10, 20}, []int{6}, false, &l.bllip},
		{ResGloVe, "glove", gloveData, []int{1, 2, 3}, []int{2}, true, &l.glove},
	}
	for i, sp := range specs {
		if r&sp.res == 0 {
			continue
		}
		l.resOnce[i].Do(func() {
			wc, err := ParseClasses(sp.data)
			if err != nil {
				l.resErr[i] = fmt.Errorf("%s: %w", sp.name, err)
				return
			}
			*sp.dst = newClassSet(sp.name, wc, sp.own, sp.near, sp.steps)
		})
		if l.resErr[i] != nil {
			return l.resErr[i]
		}
	}
	if r&ResFreebase != 0 {
		l.resOnce[3].Do(func() {
			if l.freebase, l.resErr[3] = ParseGazetteerBin(freebaseData); l.resErr[3] != nil {
				l.resErr[3] = fmt.Errorf("freebase: %w", l.resErr[3])
			}
		})
		return l.resErr[3]
	}
	return nil
}

// sets returns the class sets a model with resources r reads (loaded: see load).
func (l *lexicon) sets(r Resources) []*classSet {
	var out []*classSet
	if r&ResRCV1 != 0 {
		out = append(out, l.rcv1)
	}
	if r&ResBLLIP != 0 {
		out = append(out, l.bllip)
	}
	if r&ResGloVe != 0 {
		out = append(out, l.glove)
	}
	return out
}

// classFeatures fills a word's class features for the sets a model reads.
func classFeatures(in *wordInfo, sets []*classSet, dropout float64) {
	// One draw a word type, the same every time it is met: a dropped word has no class in any set,
	// as a name none of the resources has seen.
	dropped := dropout > 0 && float64(table.Mix(wordHash(in.tok.lower))%10000) < dropout*10000
	for _, cs := range sets {
		c := cs.wc.lookup(in.tok.word, in.tok.lower)
		if dropped {
			c = -1
		}
		if c < 0 {
			in.classOwn = append(in.classOwn, cs.unknown)
			continue
		}
		in.classOwn = append(in.classOwn, cs.own[c]...)
		in.classPrev = append(in.classPrev, cs.prev[c]...)
		in.classNext = append(in.classNext, cs.next[c]...)
	}
}
