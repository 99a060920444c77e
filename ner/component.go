package ner

import (
	"context"
	_ "embed"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph"
)

// Component tags the named entities of a document: the entities layer, one span per entity
// labelled PER, ORG, LOC or MISC, with ID "e1", "e2", … and attributes: "cluster" (mentions of one
// entity in the document share it: "Mullah Omar" and "Omar", "BBC" and "the BBC News"), and for news
// outlets and wire agencies "outlet" (the canonical name) and "outlet_kind" (agency or outlet).
type Component struct {
	// Model is the tagger's model; nil means the built-in one, loaded on first use.
	Model *Model
}

// Name implements newsgraph.Component.
func (Component) Name() string { return "ner.perceptron.v2" }

// Requires implements newsgraph.Component.
func (Component) Requires() []string {
	return []string{newsgraph.LayerTokens, newsgraph.LayerSentences}
}

// Assigns implements newsgraph.Component.
func (Component) Assigns() []string { return []string{newsgraph.LayerEntities} }

// Process implements newsgraph.Component.
func (c Component) Process(_ context.Context, d *newsgraph.Doc) error {
	if !d.English() {
		return d.SetLayer(newsgraph.LayerEntities, nil) // the model reads English (the clean-up step said so)
	}
	m := c.Model
	if m == nil {
		var err error
		if m, err = Default(); err != nil {
			return err
		}
	}
	toks := d.Layer(newsgraph.LayerTokens)
	sents := d.Layer(newsgraph.LayerSentences)
	words := make([][]string, len(sents))
	spans := make([][]newsgraph.Span, len(sents))
	for i, s := range sents {
		a, b := newsgraph.Covering(toks, s.Start, s.End)
		spans[i] = toks[a:b]
		w := make([]string, b-a)
		for k, t := range toks[a:b] {
			w[k] = conllForm(d.SpanText(t))
		}
		words[i] = w
	}
	tg := m.pooledTagger()
	tags := tg.TagDocument(words)
	m.taggers.Put(tg)
	var ents []newsgraph.Span
	for i, ts := range tags {
		for _, ch := range Chunks(ts) {
			ents = append(ents, newsgraph.Span{
				Start: spans[i][ch.Start].Start,
				End:   spans[i][ch.End-1].End,
				Label: ch.Type,
				ID:    "e" + strconv.Itoa(len(ents)+1),
			})
		}
	}
	cluster(d, ents, m.lex.outlets)
	return d.SetLayer(newsgraph.LayerEntities, ents)
}

// conllForm maps a token to the form CoNLL-2003 text uses: straight quotes for typographic ones.
func conllForm(w string) string {
	switch w {
	case "“", "”", "„", "«", "»":
		return `"`
	case "‘", "’":
		return "'"
	case "—", "–":
		return "--"
	}
	return strings.ReplaceAll(w, "’", "'") // n’t, O’Brien, d’Ivoire
}

//go:embed data/person-titles.txt
var personTitlesData string

// personTitles are the titles of data/person-titles.txt.
var personTitles = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(personTitlesData, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// mention is an entity's words for matching: no leading "the", no trailing possessive.
type mention struct {
	typ   string
	words []string
}

func mentionOf(text, typ string) mention {
	w := strings.Fields(stripThe(text))
	if n := len(w); n > 1 && (w[n-1] == "'s" || w[n-1] == "’s") {
		w = w[:n-1]
	}
	// A person's title is no part of the name to match: "Mr Brown" is the "Gordon Brown" before.
	for typ == "PER" && len(w) > 1 && personTitles[strings.ToLower(strings.TrimSuffix(w[0], "."))] {
		w = w[1:]
	}
	return mention{typ: typ, words: w}
}

// cluster gives each entity a cluster attribute, and an outlet's attributes where it names one. An
// entity joins the cluster mentioned most recently that it matches: one naming the same outlet, one
// with the same words (of the same type, or several words, or an all-capitals name), one whose
// person's name ends with its words ("Omar" after "Mullah Omar", and "Mullah Omar" after "Omar"),
// or one it is the acronym of, or that is its acronym ("UN" and "United Nations").
//
// Only the clusters that share a key with the entity (see matchKeys) are compared with it, and a
// cluster keeps each distinct mention once: comparing every entity with every cluster took minutes
// for a text of a few megabytes.
func cluster(d *newsgraph.Doc, ents []newsgraph.Span, out outlets) {
	type clus struct {
		id       string
		mentions []mention
		seen     map[string]bool // the mentions, as keys
		outlet   string
		last     int // index of the latest mention
	}
	var cs []*clus
	byOutlet := map[string]*clus{}
	byKey := map[string][]*clus{} // clusters by the match keys of their mentions
	var keys []string
	for i := range ents {
		e := &ents[i]
		mt := mentionOf(d.SpanText(*e), e.Label)
		var join *clus
		if o, ok := out.lookup(strings.Join(mt.words, " ")); ok && (e.Label == "ORG" || e.Label == "MISC") {
			e.Attrs = append(e.Attrs, newsgraph.Attr{Key: "outlet", Value: o.Name}, newsgraph.Attr{Key: "outlet_kind", Value: o.Kind})
			join = byOutlet[o.Name]
			if join == nil {
				join = &clus{id: "c" + strconv.Itoa(len(cs)+1), outlet: o.Name}
				cs = append(cs, join)
				byOutlet[o.Name] = join
			}
		}
		keys = matchKeys(mt, keys[:0])
		if join == nil {
			for _, k := range keys {
				for _, c := range byKey[k] {
					if c.outlet != "" || join != nil && c.last <= join.last {
						continue
					}
					for _, m := range c.mentions {
						if sameEntity(mt, m) || sameEntity(m, mt) {
							join = c
							break
						}
					}
				}
			}
		}
		if join == nil {
			join = &clus{id: "c" + strconv.Itoa(len(cs)+1), seen: map[string]bool{}}
			cs = append(cs, join)
		}
		if id := mt.typ + "\x00" + strings.Join(mt.words, "\x00"); join.seen != nil && !join.seen[id] {
			join.seen[id] = true
			join.mentions = append(join.mentions, mt)
			for _, k := range keys {
				if l := byKey[k]; len(l) == 0 || l[len(l)-1] != join {
					byKey[k] = append(l, join)
				}
			}
		}
		join.last = i
		e.Attrs = append([]newsgraph.Attr{{Key: "cluster", Value: join.id}}, e.Attrs...)
	}
}

// matchKeys appends the keys under which a mention may match another (sameEntity either way): two
// mentions that match share a key. Its last word (the same words, or a person's name ending with
// the other's words) and its acronym: the letters of a one-word name in capitals, or the capitals
// opening a longer name's words.
func matchKeys(m mention, keys []string) []string {
	if len(m.words) == 0 {
		return keys
	}
	keys = append(keys, "w"+m.words[len(m.words)-1])
	// An acronym has two letters (bytes) at least: shorter keys would gather every lower-case name.
	if len(m.words) == 1 {
		if a := acronymMarks.Replace(m.words[0]); len(a) >= 2 {
			keys = append(keys, "a"+a)
		}
		return keys
	}
	var b strings.Builder
	for _, w := range m.words {
		if r, size := utf8.DecodeRuneInString(w); size > 0 && unicode.IsUpper(r) {
			b.WriteString(w[:size])
		}
	}
	if b.Len() >= 2 {
		keys = append(keys, "a"+b.String())
	}
	return keys
}

// sameEntity reports whether mention a may refer to what mention b does, a being the same words
// or a shorter form of b.
func sameEntity(a, b mention) bool {
	if len(a.words) == 0 || len(b.words) == 0 {
		return false
	}
	if slices.Equal(a.words, b.words) {
		// The same words are the same entity, whatever the tagger called them, unless a single
		// ordinary word ("Washington" the place, "Washington" the man) got two types.
		return a.typ == b.typ || len(a.words) > 1 || strings.ToUpper(a.words[0]) == a.words[0]
	}
	switch {
	case a.typ == "PER" && b.typ == "PER" && len(a.words) < len(b.words):
		// "Omar" or "al-Baghdadi" for "Mullah Omar", "Abu Bakr al-Baghdadi": the last words.
		return slices.Equal(a.words, b.words[len(b.words)-len(a.words):])
	case a.typ == b.typ && (a.typ == "ORG" || a.typ == "LOC") && len(a.words) == 1 && len(b.words) > 1:
		return acronym(a.words[0], b.words)
	}
	return false
}

// acronym reports whether w is made of the initials of the capitalised words of name
// ("UN" for "United Nations", "ISIS" for "Islamic State of Iraq and Syria", "B&B" for "Bradford &
// Bingley": dots and ampersands aside).
func acronym(w string, name []string) bool {
	if len(w) < 2 || strings.IndexFunc(w, func(r rune) bool { return r == utf8.RuneError || unicode.ToUpper(r) != r }) >= 0 {
		return false
	}
	letters := acronymMarks.Replace(w)
	if len(letters) < 2 {
		return false
	}
	// The capitals opening the name's words, compared with letters as they come.
	for _, n := range name {
		r, size := utf8.DecodeRuneInString(n)
		if size == 0 || !unicode.IsUpper(r) {
			continue
		}
		if !strings.HasPrefix(letters, n[:size]) {
			return false
		}
		letters = letters[size:]
	}
	return letters == ""
}

// acronymMarks drops what an acronym may hold besides its letters.
var acronymMarks = strings.NewReplacer(".", "", "&", "")
