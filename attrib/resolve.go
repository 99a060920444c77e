package attrib

import (
	"bufio"
	_ "embed"
	"sort"
	"strings"
)

//go:embed data/sources.tsv
var sourcesData string

// sourceWords maps a lower-cased word to its kind in data/sources.tsv (pron-per, pron-group,
// pron-it, doc, person, anon).
var sourceWords = func() map[string]string {
	m := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(sourcesData))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		if kind, w, ok := strings.Cut(line, "\t"); ok {
			m[w] = kind
		}
	}
	return m
}()

// wordKind returns a word's kind in data/sources.tsv, trying the word and then its singular.
func wordKind(w string) string {
	if k, ok := sourceWords[w]; ok {
		return k
	}
	if strings.HasSuffix(w, "-year-old") {
		return "person"
	}
	if s := strings.TrimSuffix(w, "s"); s != w {
		if k := sourceWords[s]; k == "person" || k == "doc" {
			return k
		}
	}
	return ""
}

// personalPronoun reports whether w is a pronoun that stands for a person or a group that speaks
// (he, she, I, they, we; not "it").
func personalPronoun(w string) bool {
	k := wordKind(w)
	return k == "pron-per" || k == "pron-group"
}

// isPossessive reports whether a token is the possessive ending ('s, ’s).
func isPossessive(w string) bool { return w == "'s" || w == "’s" }

// How far back the resolver looks: earlier speakers and entities, and tokens. Articles introduce
// whom a pronoun or a description means within a few paragraphs; the bounds keep the work per
// source constant on any input.
const (
	lookBack       = 50
	lookBackTokens = 400
)

// nounGender gives the sex the role nouns of data/sources.tsv that have one name.
var nounGender = map[string]byte{
	"spokeswoman": 'f', "chairwoman": 'f', "woman": 'f', "mother": 'f', "wife": 'f', "queen": 'f',
	"actress": 'f', "businesswoman": 'f',
	"spokesman": 'm', "chairman": 'm', "man": 'm', "father": 'm', "husband": 'm', "king": 'm',
	"prince": 'm', "businessman": 'm',
}

// authorPrepositions introduce a document's author ("a statement from", "a report by").
var authorPrepositions = map[string]bool{"from": true, "by": true, "of": true}

// prepositions that open a noun's complement in a source.
var prepositions = map[string]bool{"for": true, "of": true, "at": true, "from": true, "with": true, "in": true, "on": true}

// speaker is who an attribution's source resolves to.
type speaker struct {
	// personal: an unnamed single person ("a spokesman for the Oxford University Press"), whom
	// "he" or "she" may point back to.
	personal bool
	gender   byte   // 'f' or 'm' when the noun says ("a spokeswoman"), else 0
	cluster  string // the entity cluster, or ""
	name     string // the cluster's name, or the source's text
	kind     string // person, organisation, place, outlet, document, anonymous, description, pronoun, or ""
	outlet   string // the canonical outlet name, when the speaker is a news outlet
	how      string // how it was resolved: name, pronoun, description, document, none
	// behalf: whom a described speaker speaks for ("a spokesman for Franco Frattini": Franco
	// Frattini), by name.
	behalf string
}

// resolver resolves sources to entity clusters, reading the document's entities in text order.
type resolver struct {
	v *view
	// names of clusters: the longest mention's text.
	names map[string]string
	// outlets of clusters.
	outlets map[string]string
	types   map[string]string
	// the speakers of earlier attributions, in text order.
	history []speaker
	// documents the article ties to an author ("his message"), by token position.
	docs []docAuthor
	// named maps the text of each entity mention (but MISC) to its first mention.
	named map[string]int
	// gender of person clusters, where a title ("Mrs", "Sir") or a first name of one sex
	// (data/firstnames.tsv) tells it and nothing contradicts it: 'm' or 'f'.
	gender map[string]byte
}

type docAuthor struct {
	at     int
	author speaker
}

func newResolver(v *view) *resolver {
	r := &resolver{v: v, names: map[string]string{}, outlets: map[string]string{}, types: map[string]string{}, named: map[string]int{}, gender: clusterGenders(v)}
	for i, e := range v.ents {
		t := v.d.SpanText(e)
		if _, ok := r.named[t]; !ok && e.Label != "MISC" {
			r.named[t] = i
		}
		c := e.Attr("cluster")
		if c == "" {
			continue
		}
		if o := e.Attr("outlet"); o != "" {
			r.outlets[c] = o
			r.names[c] = o
		} else if len(t) > len(r.names[c]) && r.outlets[c] == "" {
			r.names[c] = stripPossessive(t)
		}
		if r.types[c] == "" {
			r.types[c] = e.Label
		}
	}
	return r
}

func stripPossessive(s string) string {
	for _, suf := range []string{"'s", "’s"} {
		if strings.HasSuffix(s, suf) {
			return s[:len(s)-len(suf)]
		}
	}
	return s
}

func (r *resolver) entitySpeaker(e int, how string) speaker {
	s := r.v.ents[e]
	c := s.Attr("cluster")
	sp := speaker{cluster: c, name: r.names[c], how: how, outlet: r.outlets[c]}
	if sp.name == "" {
		sp.name = stripPossessive(r.v.d.SpanText(s))
	}
	switch {
	case sp.outlet != "":
		sp.kind = "outlet"
	case s.Label == "PER":
		sp.kind = "person"
	case s.Label == "ORG":
		sp.kind = "organisation"
	case s.Label == "LOC":
		sp.kind = "place"
	default:
		sp.kind = "group"
	}
	return sp
}

// resolve returns the speaker of a source (token indexes, sorted) whose cue is at token cue.
func (r *resolver) resolve(src []int, cue int) speaker {
	v := r.v
	var words []int
	for _, k := range src {
		if !isPunct(v.toks[k].Label) {
			words = append(words, k)
		}
	}
	if len(words) == 0 {
		return speaker{how: "none"}
	}
	text := v.d.Text()[v.toks[words[0]].Start:v.toks[words[len(words)-1]].End]
	head := words[len(words)-1]
	// The head of a phrase with an apposition or a relative clause comes before its first comma
	// ("The MP, who is consulting his lawyers,").
	comma := r.firstComma(src)
	if comma >= 0 && src[comma] > words[0] {
		head = src[comma] - 1
		for isPunct(v.toks[head].Label) && head > words[0] {
			head--
		}
	}
	if isPossessive(v.lower[head]) && head > words[0] {
		head--
	}
	// … and before a preposition that opens its complement ("a spokesman for the Oxford
	// University Press").
	complement := false
	for _, k := range words[1:] {
		if k >= head {
			break
		}
		if prepositions[v.lower[k]] && !isPunct(v.toks[k-1].Label) {
			head, complement = k-1, true
			break
		}
	}
	hk := wordKind(v.lower[head])
	// A role noun with a complement speaks for whom the complement names: "a spokesman for
	// Commissioner Franco Frattini" is the spokesman, not Frattini.
	roleOf := complement && (hk == "person" || hk == "anon")
	// A person named in the source: in an apposition ("Liam Fox, Tory co-chairman, said"; "Maria
	// Gonzalez, a friend of John Smith, said") the one before the first comma unless in a
	// possessive ("Cosby's lawyer, Walter Phillips,"), else the last (not in a role's complement).
	if e := r.firstPersonBefore(src, comma); e >= 0 {
		return r.entitySpeaker(e, "name")
	}
	for i := len(words) - 1; i >= 0; i-- {
		if roleOf && words[i] > head {
			continue
		}
		if e := v.ent[words[i]]; e >= 0 && v.ents[e].Label == "PER" {
			return r.entitySpeaker(e, "name")
		}
	}
	// A possessor before a role noun: "Austria's interior minister", "Microsoft's spokeswoman".
	possessor := -1
	if hk == "person" || hk == "anon" {
		for _, k := range words {
			if k >= head {
				break
			}
			if e := v.ent[k]; e >= 0 && k+1 < len(v.toks) && isPossessive(v.lower[k+1]) && v.ents[e].Label != "MISC" {
				possessor = e
			}
		}
	}
	first := v.lower[words[0]]
	indefinite := first == "a" || first == "an" || first == "some" || first == "several" || first == "one" || first == "two" || first == "three" || first == "many"
	// The source's head is a name (the BBC, The Associated Press, the Taliban).
	if e := v.ent[head]; e >= 0 && v.ents[e].Label != "MISC" && (hk == "" || (hk == "org" || hk == "person") && entityWords(v, e) > 1) {
		return r.entitySpeaker(e, "name") // a role or kind noun in a longer name: the Fire Brigades Union
	}
	// A source that is, word for word, a name the tagger found elsewhere in the article, where it
	// missed it here ("B&B said …" after "B&B" was tagged once).
	if e, ok := r.named[text]; ok && v.ent[head] < 0 && hk == "" {
		return r.entitySpeaker(e, "name")
	}
	// A plural role noun is a group, not the one person it would point back to ("activists"); an
	// unnamed single person is one "he" or "she" may point back to, of the sex its noun says.
	plural := hk == "person" && sourceWords[v.lower[head]] == "" && strings.HasSuffix(v.lower[head], "s")
	personal, gender := hk == "person" && !plural, nounGender[v.lower[head]]
	switch kind := hk; {
	case len(words) == 1 && kind == "rel":
		for k := words[0] - 1; k >= 0 && k >= words[0]-3; k-- {
			if e := v.ent[k]; e >= 0 && v.ents[e].Label != "MISC" {
				return r.entitySpeaker(e, "relative")
			}
		}
		return speaker{name: text, kind: "pronoun", how: "none"}
	case len(words) == 1 && strings.HasPrefix(kind, "pron"):
		return r.pronoun(kind, cue, text)
	case kind == "doc" && complement && authorPrepositions[v.lower[head+1]]:
		// "a statement from the discount phone firm": the document's author is its complement.
		var sub []int
		for _, k := range src {
			if k > head+1 {
				sub = append(sub, k)
			}
		}
		return r.asDocument(r.resolve(sub, cue), text)
	case kind == "doc":
		return r.document(words, cue, text)
	case kind == "anon" || indefinite:
		sp := speaker{name: text, kind: "anonymous", how: "none", personal: personal, gender: gender}
		if g := r.groupIn(words); g >= 0 {
			gs := r.entitySpeaker(g, "name")
			sp.behalf = gs.name
			if gs.kind != "person" && gs.kind != "place" {
				// An organisation's spokesman speaks for it: "a Yukos spokesman" is Yukos.
				sp.cluster, sp.outlet = gs.cluster, gs.outlet
			}
		}
		return sp
	case personal && complement:
		// "The MP for Sleaford and North Hykeham": the description says who it is (a person,
		// not the place or body of its complement); it does not point back.
		sp := speaker{name: text, kind: "description", how: "none", personal: true, gender: gender}
		if g := r.groupIn(words); g >= 0 && v.ents[g].Label != "LOC" {
			sp.behalf = r.entitySpeaker(g, "name").name
		}
		return sp
	case personal && possessor >= 0:
		// "Austria's interior minister": a person of Austria, whom the article may have
		// introduced with the noun ("interior minister Herbert Kickl"); a place never speaks.
		if sp, ok := r.introduced(head, cue); ok {
			sp.how = "description"
			return sp
		}
		sp := speaker{name: text, kind: "description", how: "none", personal: true, gender: gender}
		if ps := r.entitySpeaker(possessor, "name"); ps.kind != "place" {
			sp.behalf = ps.name
		}
		return sp
	case personal:
		if sp, ok := r.description(words, head, cue); ok {
			sp.how = "description"
			return sp
		}
	case kind == "org" && (first == "the" || first == "this") && r.groupIn(words) < 0:
		if sp, ok := r.orgDescription(head, cue); ok {
			sp.how = "description"
			return sp
		}
	}
	if g := r.groupIn(words); g >= 0 {
		return r.entitySpeaker(g, "name")
	}
	return speaker{name: text, kind: "description", how: "none", personal: personal, gender: gender}
}

// firstComma returns the index in src of its first comma, or -1.
func (r *resolver) firstComma(src []int) int {
	for i, k := range src {
		if r.v.words[k] == "," {
			return i
		}
	}
	return -1
}

// firstPersonBefore returns the first person entity of a source among its tokens before the
// comma at src[comma], or -1 (comma -1: a source without a comma; or no person before it).
func (r *resolver) firstPersonBefore(src []int, comma int) int {
	v := r.v
	for i, k := range src[:max(comma, 0)] {
		e := v.ent[k]
		if e < 0 || v.ents[e].Label != "PER" || i+1 < len(src) && v.ent[src[i+1]] == e {
			continue // not a person, or not the mention's last token
		}
		if n := k + 1; n < len(v.toks) && isPossessive(v.lower[n]) {
			continue // a possessive: "Cosby's lawyer, Walter Phillips," is the lawyer
		}
		return e
	}
	return -1
}

// groupIn returns an organisation, outlet or place entity inside the source, or -1.
func (r *resolver) groupIn(words []int) int {
	for i := len(words) - 1; i >= 0; i-- {
		if e := r.v.ent[words[i]]; e >= 0 && r.v.ents[e].Label != "MISC" {
			return e
		}
	}
	return -1
}

// pronoun resolves he/she to the most recent person speaker (or person named) before the cue,
// they/we to the most recent group, it to the most recent organisation, outlet or document.
func (r *resolver) pronoun(kind string, cue int, text string) speaker {
	want := map[string]bool{}
	switch kind {
	case "pron-per":
		want["person"] = true
	case "pron-group":
		want["organisation"], want["group"], want["outlet"], want["place"] = true, true, true, true
	default:
		want["organisation"], want["outlet"], want["document"] = true, true, true
	}
	// First a speaker or person whose sex, where the article or the name tells it, fits "he" or
	// "she"; failing that, any.
	for _, strict := range []bool{true, false} {
		fits := func(sp speaker) bool {
			g := sp.gender // an unnamed person's noun ("a spokeswoman for Microsoft")
			if sp.kind == "person" {
				g = r.gender[sp.cluster]
			}
			return !strict || genderFits(g, text)
		}
		for i := len(r.history) - 1; i >= 0 && i >= len(r.history)-lookBack; i-- {
			h := r.history[i]
			if (want[h.kind] && h.cluster != "" || kind == "pron-per" && h.personal) && fits(h) {
				h.how = "pronoun"
				return h
			}
		}
		for k := cue - 1; k >= 0 && k >= cue-lookBackTokens; k-- {
			e := r.v.ent[k]
			if e < 0 {
				continue
			}
			sp := r.entitySpeaker(e, "pronoun")
			if want[sp.kind] && fits(sp) {
				return sp
			}
		}
		if kind != "pron-per" {
			break
		}
	}
	return speaker{name: text, kind: "pronoun", how: "none"}
}

//go:embed data/firstnames.tsv
var firstNamesData string

// firstNames maps a lower-cased first name to the sex nearly all its bearers have ('m' or 'f').
var firstNames = func() map[string]byte {
	m := map[string]byte{}
	for _, line := range strings.Split(firstNamesData, "\n") {
		if name, g, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") && len(g) == 1 {
			m[name] = g[0]
		}
	}
	return m
}()

// titleGender gives the sex a title before a name says.
var titleGender = map[string]byte{
	"mr": 'm', "sir": 'm', "lord": 'm', "baron": 'm', "king": 'm', "prince": 'm', "duke": 'm',
	"mrs": 'f', "ms": 'f', "miss": 'f', "lady": 'f', "dame": 'f', "baroness": 'f', "queen": 'f',
	"princess": 'f', "duchess": 'f',
}

// clusterGenders reads the sex of each person cluster from its mentions: a title right before or
// at the start of one, else the first name of a mention of two words or more. Clusters whose
// mentions disagree get none.
func clusterGenders(v *view) map[string]byte {
	votes := map[string][2]int{}
	title := func(k int) byte { // a capitalised title: "Miss Smith", not "fans will miss Drogba"
		if k < 0 || v.words[k] == v.lower[k] {
			return 0
		}
		return titleGender[strings.TrimSuffix(v.lower[k], ".")]
	}
	for _, e := range v.ents {
		c := e.Attr("cluster")
		if e.Label != "PER" || c == "" {
			continue
		}
		a, b := v.covering(e.Start, e.End)
		if a >= b {
			continue
		}
		g := title(a - 1)
		if g == 0 {
			g = title(a)
		}
		if g == 0 && b-a >= 2 {
			g = firstNames[v.lower[a]]
		}
		n := votes[c]
		switch g {
		case 'm':
			n[0]++
		case 'f':
			n[1]++
		}
		votes[c] = n
	}
	out := map[string]byte{}
	for c, n := range votes {
		switch {
		case n[0] > 0 && n[1] == 0:
			out[c] = 'm'
		case n[1] > 0 && n[0] == 0:
			out[c] = 'f'
		}
	}
	return out
}

// genderFits reports whether a pronoun (he, she, or another) may point to a speaker of the
// gender g (0: unknown).
func genderFits(g byte, pronoun string) bool {
	switch strings.ToLower(pronoun) {
	case "he":
		return g != 'f'
	case "she":
		return g != 'm'
	}
	return true
}

// document resolves "the statement", "his message" to the author the article gives it: a
// possessive in the source ("his", "the Taliban's"), or the last document tied to an author before
// the cue.
func (r *resolver) document(words []int, cue int, text string) speaker {
	v := r.v
	for _, k := range words {
		switch v.lower[k] {
		case "his", "her":
			sp := r.pronoun("pron-per", cue, text)
			return r.asDocument(sp, text)
		case "their", "its":
			sp := r.pronoun("pron-group", cue, text)
			return r.asDocument(sp, text)
		}
		if e := v.ent[k]; e >= 0 && v.ents[e].Label != "MISC" {
			return r.asDocument(r.entitySpeaker(e, "document"), text)
		}
	}
	if i := sort.Search(len(r.docs), func(i int) bool { return r.docs[i].at >= cue }); i > 0 {
		return r.asDocument(r.docs[i-1].author, text)
	}
	return speaker{name: text, kind: "document", how: "none"}
}

func (r *resolver) asDocument(author speaker, text string) speaker {
	if author.cluster == "" {
		return speaker{name: text, kind: "document", how: "none"}
	}
	author.how = "document"
	return author
}

// description resolves "the Taliban leader", "the spokesman": the most recent person introduced
// with the head noun ("Taliban leader Mullah Omar"; "Mullah Omar, the Taliban leader"), else the
// most recent person speaker.
func (r *resolver) description(words []int, head, cue int) (speaker, bool) {
	if sp, ok := r.introduced(head, cue); ok {
		return sp, true
	}
	for i := len(r.history) - 1; i >= 0 && i >= len(r.history)-lookBack; i-- {
		if h := r.history[i]; h.kind == "person" && h.cluster != "" {
			return h, true
		}
	}
	return speaker{}, false
}

// introduced returns the most recent person introduced with the noun at head before the cue
// ("Taliban leader Mullah Omar"; "Mullah Omar, the Taliban leader").
func (r *resolver) introduced(head, cue int) (speaker, bool) {
	v := r.v
	noun := strings.TrimSuffix(v.lower[head], "s")
	last := sort.Search(len(v.ents), func(e int) bool { return v.ents[e].Start >= v.toks[cue].Start })
	for e := last - 1; e >= 0 && e >= last-lookBack; e-- {
		s := v.ents[e]
		if s.Label != "PER" {
			continue
		}
		a, b := v.covering(s.Start, s.End)
		for k := max(0, a-4); k < min(len(v.toks), b+5); k++ {
			if (k < a || k >= b) && strings.TrimSuffix(v.lower[k], "s") == noun && v.sent[k] == v.sent[a] {
				return r.entitySpeaker(e, "description"), true
			}
		}
	}
	return speaker{}, false
}

// entityWords returns how many tokens entity e spans.
func entityWords(v *view, e int) int {
	a, b := v.covering(v.ents[e].Start, v.ents[e].End)
	return b - a
}

// orgDescription resolves "the company", "the union" (head is the noun's token): the last
// organisation named before the cue whose name holds the noun ("the Fire Brigades Union"), else
// the last organisation named, else the last organisation among the speakers before.
func (r *resolver) orgDescription(head, cue int) (speaker, bool) {
	v := r.v
	noun := v.lower[head]
	last, prev := -1, -1
	for k := cue - 1; k >= 0 && k >= cue-lookBackTokens; k-- {
		e := v.ent[k]
		if e < 0 || e == prev || v.ents[e].Label != "ORG" || v.ents[e].Attr("outlet") != "" {
			continue
		}
		prev = e // an entity of several tokens is read once
		if last < 0 {
			last = e
		}
		for _, w := range strings.Fields(strings.ToLower(v.d.SpanText(v.ents[e]))) {
			if w == noun {
				return r.entitySpeaker(e, "description"), true
			}
		}
	}
	if last >= 0 {
		return r.entitySpeaker(last, "description"), true
	}
	for i := len(r.history) - 1; i >= 0 && i >= len(r.history)-lookBack; i-- {
		if h := r.history[i]; h.kind == "organisation" && h.cluster != "" {
			return h, true
		}
	}
	return speaker{}, false
}

// noteDocuments records the documents the article ties to an author: a possessive before a
// document noun ("his message", "the Taliban's statement").
func (r *resolver) noteDocuments() {
	v := r.v
	for k := 1; k < len(v.toks); k++ {
		if wordKind(v.lower[k]) != "doc" {
			continue
		}
		p := v.lower[k-1]
		var sp speaker
		switch {
		case p == "his" || p == "her":
			sp = r.pronoun("pron-per", k, "")
		case p == "their" || p == "its":
			sp = r.pronoun("pron-group", k, "")
		case isPossessive(p) && k >= 2 && v.ent[k-2] >= 0:
			sp = r.entitySpeaker(v.ent[k-2], "document")
		case p == "a" || p == "an":
			// "Ali Hassan sent a message": the nearest person or organisation before it in the
			// sentence.
			for j := k - 2; j >= 0 && j >= k-lookBackTokens && v.sent[j] == v.sent[k]; j-- {
				if e := v.ent[j]; e >= 0 && (v.ents[e].Label == "PER" || v.ents[e].Label == "ORG") {
					sp = r.entitySpeaker(e, "document")
					break
				}
			}
		default:
			continue
		}
		if sp.cluster != "" {
			r.docs = append(r.docs, docAuthor{at: k, author: sp})
		}
	}
}
