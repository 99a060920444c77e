package ner

import (
	"context"
	"strconv"
	"strings"
	"unicode"

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
	tags := m.NewTagger().TagDocument(words)
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
	if strings.HasPrefix(w, "’") {
		return "'" + w[len("’"):]
	}
	return w
}

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
	return mention{typ: typ, words: w}
}

// cluster gives each entity a cluster attribute, and an outlet's attributes where it names one. An
// entity joins an earlier cluster when it names the same outlet, has the same words, is the last
// word(s) of a person's name ("Omar" after "Mullah Omar"), a shorter form of an organisation or
// place ("Taliban" after "the Taliban movement" is not; "the Taliban" after "Taliban" is), or an
// organisation's acronym.
func cluster(d *newsgraph.Doc, ents []newsgraph.Span, out outlets) {
	type clus struct {
		id       string
		typ      string
		mentions []mention
		outlet   string
	}
	var cs []*clus
	byOutlet := map[string]*clus{}
	for i := range ents {
		e := &ents[i]
		text := d.SpanText(*e)
		mt := mentionOf(text, e.Label)
		var join *clus
		if o, ok := out.lookup(strings.Join(mt.words, " ")); ok && (e.Label == "ORG" || e.Label == "MISC") {
			e.Attrs = append(e.Attrs, newsgraph.Attr{Key: "outlet", Value: o.Name}, newsgraph.Attr{Key: "outlet_kind", Value: o.Kind})
			join = byOutlet[o.Name]
			if join == nil {
				join = &clus{id: "c" + strconv.Itoa(len(cs)+1), typ: e.Label, outlet: o.Name}
				cs = append(cs, join)
				byOutlet[o.Name] = join
			}
		}
		for k := len(cs) - 1; join == nil && k >= 0; k-- {
			c := cs[k]
			if c.outlet != "" {
				continue
			}
			for _, m := range c.mentions {
				if sameEntity(mt, m) {
					join = c
					break
				}
			}
		}
		if join == nil {
			join = &clus{id: "c" + strconv.Itoa(len(cs)+1), typ: e.Label}
			cs = append(cs, join)
		}
		join.mentions = append(join.mentions, mt)
		e.Attrs = append([]newsgraph.Attr{{Key: "cluster", Value: join.id}}, e.Attrs...)
	}
}

// sameEntity reports whether mention a refers to what an earlier mention b does.
func sameEntity(a, b mention) bool {
	if len(a.words) == 0 || len(b.words) == 0 {
		return false
	}
	if equalWords(a.words, b.words) {
		// The same words are the same entity, whatever the tagger called them, unless a single
		// ordinary word ("Washington" the place, "Washington" the man) got two types.
		return a.typ == b.typ || len(a.words) > 1 || strings.ToUpper(a.words[0]) == a.words[0]
	}
	switch {
	case b.typ == "PER" && len(a.words) < len(b.words) && (a.typ == "PER" || len(a.words) == 1):
		// "Omar" or "al-Baghdadi" for "Mullah Omar", "Abu Bakr al-Baghdadi": the last words.
		return equalWords(a.words, b.words[len(b.words)-len(a.words):])
	case a.typ == b.typ && (a.typ == "ORG" || a.typ == "LOC") && len(a.words) == 1 && len(b.words) > 1:
		return acronym(a.words[0], b.words)
	}
	return false
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// acronym reports whether w is made of the initials of the capitalised words of name
// ("UN" for "United Nations", "ISIS" for "Islamic State of Iraq and Syria").
func acronym(w string, name []string) bool {
	if len(w) < 2 || strings.ToUpper(w) != w {
		return false
	}
	var b strings.Builder
	for _, n := range name {
		r := []rune(n)
		if len(r) > 0 && unicode.IsUpper(r[0]) {
			b.WriteRune(r[0])
		}
	}
	return b.String() == strings.ReplaceAll(w, ".", "")
}
