package attrib

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/tokenize"
)

// Component finds who said what on whose authority. It assigns three layers:
//
//   - attributions: one span per relation, from the first to the last of its parts, with ID "a1",
//     "a2", … in text order, labelled with its kind (direct, mixed, indirect, according-to, or
//     continuation for a quotation without a cue that continues the previous speaker: a paragraph
//     opening with one, or one right after another's content),
//     and attributes: speaker (the entity cluster the source resolves to), speaker_name,
//     speaker_kind (person, organisation, place, group, outlet, anonymous, document, description,
//     pronoun), resolved (how: name, pronoun, description, document, relative), parent (the
//     attribution whose content holds this one's cue, or an outlet's that reports the same
//     content; a continuation's is that of what it continues), outlet (the news outlet the claim
//     comes through) with outlet_via (self, chain or context), and chain (the publisher, outlets
//     and speakers from the outermost in, joined by newsgraph.ChainSep);
//   - attribution-roles: the source, cue and content spans of each relation (labels source, cue,
//     content; attribute attribution);
//   - quotes: each quotation (from its opening to its closing mark) with ID the quotation marks'
//     pair id and, where an attribution's content holds half its words, attributes attribution
//     (the innermost such) and speaker_name.
type Component struct {
	Model *Model // nil: the built-in model, loaded on first use
	// Ranker decides the speakers (speakers.go); nil: the built-in one, loaded on first use.
	Ranker *Ranker
	// RuleSpeakers gives each relation the speaker the resolver's rules read in its source, and a
	// quotation no relation holds no speaker, without ranking or confidence: what the ranker is
	// trained over.
	RuleSpeakers bool
	// MinSpeakerConfidence: below it a relation names no speaker (its guess and confidence stay).
	// Zero: the ranker's threshold (Ranker.Threshold); negative: every guess is named.
	MinSpeakerConfidence float64
}

// Name implements newsgraph.Component.
func (Component) Name() string { return "attrib.perceptron.v1" }

// Requires implements newsgraph.Component.
func (Component) Requires() []string {
	return []string{newsgraph.LayerTokens, newsgraph.LayerSentences, newsgraph.LayerEntities}
}

// Assigns implements newsgraph.Component.
func (Component) Assigns() []string {
	return []string{newsgraph.LayerAttributions, newsgraph.LayerAttributionRoles, newsgraph.LayerQuotes}
}

// rel is a relation being assembled.
type rel struct {
	found
	id      string
	kind    string
	start   int // byte range of all its parts
	end     int
	sp      speaker
	parent  int // index into rels, or -1
	outlet  string
	via     string
	chain   []string
	content map[int]bool
	cont    *rel // for a continuation, the relation it continues
	// set by the speaker ranker
	ranked bool
	conf   float64 // the probability of its best guess that names someone
	guess  speaker // that guess
}

// Process implements newsgraph.Component.
func (c Component) Process(_ context.Context, d *newsgraph.Doc) error {
	if !d.English() {
		// The models read English (the clean-up step said so): empty layers.
		for _, l := range []string{newsgraph.LayerAttributions, newsgraph.LayerAttributionRoles, newsgraph.LayerQuotes} {
			if err := d.SetLayer(l, nil); err != nil {
				return err
			}
		}
		return nil
	}
	m := c.Model
	if m == nil {
		var err error
		if m, err = Default(); err != nil {
			return err
		}
	}
	rk := c.Ranker
	if rk == nil && !c.RuleSpeakers {
		var err error
		if rk, err = DefaultRanker(); err != nil {
			return err
		}
	}
	if c.RuleSpeakers {
		rk = nil
	}
	min := c.MinSpeakerConfidence
	if min == 0 && rk != nil {
		min = rk.Threshold
	}
	v := newView(d, m.syn.NewTagger())
	v.reuse = true
	if fb, ok := featPool.Get().(*featBuffers); ok {
		v.fout, v.fback = fb.out, fb.back
	}
	rels, _, free := m.relations(v, rk, min)
	err := write(d, v, rels, free, min)
	if cap(v.fback) <= maxPooled {
		featPool.Put(&featBuffers{out: v.fout[:0], back: v.fback[:0]})
	}
	return err
}

// featPool keeps the taggers' feature buffers (view.fout and view.fback) from one document to the
// next: about 100 KB a document that need not be allocated again. Buffers grown past maxPooled
// hashes, by a very long document, are left to the garbage collector.
var featPool sync.Pool // of *featBuffers

type featBuffers struct {
	out  [][]uint64
	back []uint64
}

const maxPooled = 1 << 20

// relations finds, resolves and chains the relations of a view; with a ranker, it decides the
// speakers (those below min are not named) and returns the free quotations' units too.
func (m *Model) relations(v *view, rk *Ranker, min float64) ([]*rel, *resolver, []*unit) {
	var rels []*rel
	for _, f := range m.extract(v) {
		rels = append(rels, newRel(v, f))
	}
	quoting := map[*rel]*rel{} // "X reports Y as saying": Y's relation → X's
	for _, r := range rels {
		if r.quoting > 0 {
			quoting[r] = rels[r.quoting-1]
		}
	}
	rels = append(rels, continuations(v, rels)...)
	sort.SliceStable(rels, func(i, j int) bool {
		if rels[i].start != rels[j].start {
			return rels[i].start < rels[j].start
		}
		return rels[i].end < rels[j].end
	})
	// Speakers, in text order, so pronouns and descriptions can look back.
	res := newResolver(v)
	res.noteDocuments()
	order := append([]*rel(nil), rels...)
	sort.SliceStable(order, func(i, j int) bool { return order[i].anchor() < order[j].anchor() })
	for _, r := range order {
		if r.kind == "continuation" {
			continue // set below from the relation it continues
		}
		r.sp = res.resolve(r.src, r.anchor())
		res.history = append(res.history, r.sp)
	}
	// A continuation's rule speaker is that of what it continues (in text order, a continuation
	// follows what it continues).
	for _, r := range rels {
		if r.kind == "continuation" && r.cont != nil {
			r.sp = r.cont.sp
		}
	}
	for i, r := range rels {
		r.id = fmt.Sprintf("a%d", i+1)
	}
	// covering[k]: the relations whose content holds token k.
	covering := map[int][]int{}
	for j, o := range rels {
		for _, k := range o.con {
			covering[k] = append(covering[k], j)
		}
	}
	// Parents: the smallest other relation whose content holds the cue.
	for _, r := range rels {
		r.parent = -1
		for _, j := range covering[r.anchor()] {
			o := rels[j]
			if o == r || len(o.content) <= len(r.content) {
				continue
			}
			if r.parent < 0 || len(o.content) < len(rels[r.parent].content) {
				r.parent = j
			}
		}
	}
	index := map[*rel]int{}
	for j, r := range rels {
		index[r] = j
	}
	for r, o := range quoting {
		if !descends(rels, o, r) {
			r.parent = index[o]
		}
	}
	hangUnderOutlets(rels, covering)
	for _, r := range rels {
		if r.kind == "continuation" && r.parent >= 0 {
			r.parent = -1
		}
	}
	finishContinuations(rels)
	var free []*unit
	if rk != nil {
		free = rk.rankSpeakers(v, res, rels, min)
	}
	chains(v, rels)
	return rels, res, free
}

func newRel(v *view, f found) *rel {
	r := &rel{found: f, content: setOf(f.con)}
	all := append(append(append([]int(nil), f.cue...), f.src...), f.con...)
	sort.Ints(all)
	if len(all) > 0 {
		r.start, r.end = v.toks[all[0]].Start, v.toks[all[len(all)-1]].End
	}
	r.kind = kindOf(v, f)
	return r
}

// anchor is the token a relation hangs on: its cue, or for a continuation its first content token.
func (r *rel) anchor() int {
	if len(r.cue) > 0 {
		return r.cue[0]
	}
	return r.con[0]
}

// kindOf: according-to for "according to" cues; otherwise by the content's quotation: direct when
// its words are all quoted, mixed when some are, indirect when none are.
func kindOf(v *view, f found) string {
	if len(f.cue) >= 2 && v.lower[f.cue[0]] == "according" {
		return "according-to"
	}
	words, quoted := 0, 0
	for _, k := range f.con {
		if isPunct(v.toks[k].Label) {
			continue
		}
		words++
		if v.quote[k] {
			quoted++
		}
	}
	switch {
	case words > 0 && quoted == words:
		return "direct"
	case quoted > 0:
		return "mixed"
	}
	return "indirect"
}

// continuations are quotations without a relation of their own that continue the speaker before
// them: a paragraph that opens with a quotation, after a paragraph with a relation (or another
// continuation), unless a cue stands in or right after the quotation (a relation later in the
// paragraph, or a report inside the quotation, does not count); and a quotation that opens right
// where the content of a relation ends.
func continuations(v *view, rels []*rel) []*rel {
	covered := make([]bool, len(v.toks))
	last := map[int]*rel{} // paragraph -> its last relation, but those inside a quotation
	for _, r := range rels {
		for _, k := range append(append([]int(nil), r.con...), r.cue...) {
			covered[k] = true
		}
		if v.quote[r.anchor()] {
			// A report inside a quotation ("We are stating that …") is the quoted speaker's
			// words: it neither attributes its paragraph nor is the speaker to continue.
			continue
		}
		p := v.para[r.anchor()]
		if o := last[p]; o == nil || o.anchor() < r.anchor() {
			last[p] = r
		}
	}
	// In a paragraph with a quotation, the speaker to continue is that of its last quotation: the
	// smallest relation whose content holds the quotation's last word.
	lastQuote := map[int]int{}
	for k, t := range v.toks {
		if t.Label == tokenize.QuoteClose && k > 0 {
			lastQuote[v.para[k]] = k - 1
		}
	}
	holding := map[int][]*rel{}
	for _, r := range rels {
		if v.quote[r.anchor()] {
			continue
		}
		for _, k := range r.con {
			holding[k] = append(holding[k], r)
		}
	}
	quoted := map[int]*rel{}
	for p, k := range lastQuote {
		for _, r := range holding[k] {
			if quoted[p] == nil || len(r.content) < len(quoted[p].content) {
				quoted[p] = r
			}
		}
	}
	var out []*rel
	// add keeps a continuation: its tokens are held (a quotation opening where it ends continues
	// it) and covered (a quotation nested in it is not another continuation).
	add := func(c *rel) {
		for _, k := range c.con {
			holding[k] = append(holding[k], c)
			covered[k] = true
		}
		out = append(out, c)
	}
	for i := 0; i < len(v.toks); i++ {
		if i > 0 && v.para[i] == v.para[i-1] {
			// A quotation that opens right where one of a relation ends, in the paragraph,
			// continues it: a paragraph break the text lost (‘… I don't do that. "I have to give
			// him a run …"’), or a second quotation after the first ("…," said X. "…." "…").
			if v.toks[i].Label != tokenize.QuoteOpen || covered[i] {
				continue
			}
			prev := smallestHolding(holding, i-1)
			if prev == nil && v.toks[i-1].Label == tokenize.QuoteClose && i >= 2 {
				prev = smallestHolding(holding, i-2)
			}
			if prev == nil {
				continue
			}
			add(continueQuotation(v, i, prev))
			continue
		}
		p := v.para[i]
		prev := last[p-1]
		if q := quoted[p-1]; q != nil {
			prev = q
		}
		if prev == nil || v.toks[i].Label != tokenize.QuoteOpen || covered[i] || i+1 < len(v.toks) && covered[i+1] {
			continue
		}
		c := continueQuotation(v, i, prev)
		if attributedNear(v, rels, c.con) {
			continue // a cue of its own in or right after the quotation: “…,” she said
		}
		add(c)
		if o := last[p]; o == nil || o.anchor() < c.anchor() {
			last[p] = c // (a relation later in the paragraph stays its last)
		}
	}
	return out
}

// attributedNear reports whether a relation not inside a quotation has its cue among the tokens con
// (a quotation) or within three tokens after them.
func attributedNear(v *view, rels []*rel, con []int) bool {
	a, b := con[0], con[len(con)-1]+4
	for _, r := range rels {
		if k := r.anchor(); k >= a && k < b && !v.quote[k] {
			return true
		}
	}
	return false
}

// continueQuotation returns the continuation of prev that is the quotation opening at token i: to
// its closing mark, or the paragraph's end.
func continueQuotation(v *view, i int, prev *rel) *rel {
	p := v.para[i]
	j := i + 1
	for j < len(v.toks) && v.para[j] == p && !(v.toks[j].Label == tokenize.QuoteClose && v.toks[j].ID == v.toks[i].ID) {
		j++
	}
	if j < len(v.toks) && v.para[j] == p {
		j++
	}
	f := found{}
	for k := i; k < j; k++ {
		f.con = append(f.con, k)
	}
	c := newRel(v, f)
	c.kind = "continuation"
	c.cont = prev
	return c
}

// smallestHolding returns the relation with the smallest content that holds token k, or nil.
func smallestHolding(holding map[int][]*rel, k int) *rel {
	var best *rel
	for _, r := range holding[k] {
		if best == nil || len(r.content) < len(best.content) {
			best = r
		}
	}
	return best
}

// hangUnderOutlets hangs a relation without a parent under an outlet's relation that reports at
// least half of its content ("the text suggests X, according to the BBC"), unless that would close
// a loop. covering[k] lists the relations whose content holds token k.
func hangUnderOutlets(rels []*rel, covering map[int][]int) {
	for _, r := range rels {
		if r.parent >= 0 || r.sp.outlet != "" || r.kind == "continuation" {
			continue
		}
		shared := map[int]int{}
		for _, k := range r.con {
			for _, j := range covering[k] {
				shared[j]++
			}
		}
		for j, n := range shared {
			o := rels[j]
			if o == r || o.sp.outlet == "" || descends(rels, o, r) {
				continue
			}
			better := r.parent < 0 || len(o.content) < len(rels[r.parent].content) ||
				len(o.content) == len(rels[r.parent].content) && j < r.parent
			if 2*n >= len(r.con) && better {
				r.parent = j
			}
		}
	}
}

// finishContinuations gives each continuation the parent of what it continues. rels are in text
// order and a continuation follows what it continues, so one step back suffices.
func finishContinuations(rels []*rel) {
	for _, r := range rels {
		if r.kind != "continuation" || r.cont == nil {
			continue
		}
		r.parent = r.cont.parent
	}
}

// descends reports whether o is r or lies under r (r is among its parents): hanging r under o would
// close a loop.
func descends(rels []*rel, o, r *rel) bool {
	for x, n := o, 0; x != nil && n <= len(rels); n++ {
		if x == r {
			return true
		}
		if x.parent < 0 {
			return false
		}
		x = rels[x.parent]
	}
	return true // a loop already: refuse
}

// chains sets each relation's outlet and chain: the publisher, the wire agency whose story it is
// (Meta.Agency), then the outlets and speakers of its ancestors, then its own speaker. A relation whose ancestors name no outlet takes, as context,
// the outlet of the nearest relation before it with an outlet speaker.
func chains(v *view, rels []*rel) {
	publisher := v.d.Meta.Publisher
	order := append([]*rel(nil), rels...)
	sort.SliceStable(order, func(i, j int) bool { return order[i].anchor() < order[j].anchor() })
	lastOutlet := ""
	for _, r := range order {
		var path []*rel
		seen := map[*rel]bool{}
		for x := r; x != nil && !seen[x]; {
			seen[x] = true
			path = append(path, x)
			if x.parent < 0 {
				break
			}
			x = rels[x.parent]
		}
		// path: r, its parent, …, the root.
		for _, x := range path {
			if x.sp.outlet != "" {
				r.outlet, r.via = x.sp.outlet, "chain"
				if x == r {
					r.via = "self"
				}
				break
			}
		}
		if r.outlet == "" && lastOutlet != "" {
			r.outlet, r.via = lastOutlet, "context"
		}
		var chain []string
		add := func(s string) {
			s = strings.ReplaceAll(s, newsgraph.ChainSep, " ")
			if s != "" && (len(chain) == 0 || chain[len(chain)-1] != s) {
				chain = append(chain, s)
			}
		}
		add(publisher)
		add(v.d.Meta.Agency) // a wire story: every claim comes through the agency
		if r.via == "context" {
			add(r.outlet)
		}
		for i := len(path) - 1; i >= 0; i-- {
			add(path[i].sp.name)
		}
		r.chain = chain
		if r.sp.outlet != "" && r.parent < 0 {
			lastOutlet = r.sp.outlet
		}
	}
}

// write sets the three layers.
func write(d *newsgraph.Doc, v *view, rels []*rel, free []*unit, min float64) error {
	var atts, roles []newsgraph.Span
	for _, r := range rels {
		s := newsgraph.Span{Start: r.start, End: r.end, Label: r.kind, ID: r.id}
		add := func(k, val string) {
			if val != "" {
				s.Attrs = append(s.Attrs, newsgraph.Attr{Key: k, Value: val})
			}
		}
		add("speaker", r.sp.cluster)
		add("speaker_name", r.sp.name)
		add("speaker_kind", r.sp.kind)
		add("on_behalf_of", r.sp.behalf)
		if r.sp.how != "none" {
			add("resolved", r.sp.how)
		}
		if r.ranked && (r.sp.name != "" || r.guess.name != "") {
			if r.sp.name == "" {
				add("speaker_guess", r.guess.name)
			}
			add("speaker_confidence", confidence(r.conf))
		}
		if r.parent >= 0 {
			add("parent", rels[r.parent].id)
		}
		add("outlet", r.outlet)
		if r.outlet != "" {
			add("outlet_via", r.via)
		}
		add("chain", strings.Join(r.chain, newsgraph.ChainSep))
		atts = append(atts, s)
		for _, part := range []struct {
			label string
			idx   []int
		}{{"source", r.src}, {"cue", r.cue}, {"content", r.con}} {
			for _, sp := range v.runs(append([]int(nil), part.idx...)) {
				sp.Label = part.label
				sp.Attrs = []newsgraph.Attr{{Key: "attribution", Value: r.id}}
				roles = append(roles, sp)
			}
		}
	}
	sort.SliceStable(roles, func(i, j int) bool {
		if roles[i].Start != roles[j].Start {
			return roles[i].Start < roles[j].Start
		}
		return roles[i].End < roles[j].End
	})
	if err := d.SetLayer(newsgraph.LayerAttributions, atts); err != nil {
		return err
	}
	if err := d.SetLayer(newsgraph.LayerAttributionRoles, roles); err != nil {
		return err
	}
	return d.SetLayer(newsgraph.LayerQuotes, quotes(v, rels, free, min))
}

// quoteOwner is a quotation (its marks' tokens) and the relation whose content covers most of it
// (the smallest, where several do), or nil.
type quoteOwner struct {
	id   string
	a, b int
	rel  *rel
}

// quoteOwners returns each quotation with its owner, in text order.
func quoteOwners(v *view, rels []*rel) []quoteOwner {
	// wordsBefore[k]: the words (not punctuation) among the first k tokens.
	wordsBefore := make([]int, len(v.toks)+1)
	for k, t := range v.toks {
		wordsBefore[k+1] = wordsBefore[k]
		if !isPunct(t.Label) {
			wordsBefore[k+1]++
		}
	}
	holding := map[int][]*rel{}
	pos := map[*rel]int{} // ties go to the later relation: one the earlier quotes ("as saying")
	for j, r := range rels {
		pos[r] = j
		for _, k := range r.con {
			holding[k] = append(holding[k], r)
		}
	}
	var out []quoteOwner
	for _, q := range quotationTokens(v) {
		a, b := q[0], q[1]
		o := quoteOwner{id: v.toks[a].ID, a: a, b: b}
		var best *rel
		words := wordsBefore[b] - wordsBefore[a+1]
		if words > 0 {
			// A relation that holds half the quotation's words holds one of its middle words
			// (or its first or last, for a content in two pieces): only those are counted.
			cand := map[*rel]bool{}
			for _, k := range []int{a + 1, (a + b) / 2, (a+b)/2 + 1, b - 1} {
				for _, r := range holding[k] {
					cand[r] = true
				}
			}
			var ok []*rel
			for r := range cand {
				if 2*r.wordsIn(v, a+1, b) >= words {
					ok = append(ok, r)
				}
			}
			// The innermost: not the parent of another candidate ("described … as “…”, according
			// to CNN": the quotation is the Afghan government's, which CNN reports); then the
			// smallest content.
			parentOf := map[string]bool{}
			for _, r := range ok {
				if r.parent >= 0 {
					parentOf[rels[r.parent].id] = true
				}
			}
			for _, r := range ok {
				inner, bestInner := !parentOf[r.id], best != nil && !parentOf[best.id]
				switch {
				case best == nil, inner && !bestInner:
					best = r
				case inner != bestInner:
				case len(r.content) < len(best.content) || len(r.content) == len(best.content) && (r.start < best.start || r.start == best.start && pos[r] > pos[best]):
					best = r
				}
			}
		}
		o.rel = best
		out = append(out, o)
	}
	return out
}

// quotes returns a span per quotation with the attribution whose content covers most of it and its
// speaker; a quotation no relation holds takes the speaker the ranker gives it (free: the free
// quotations' units).
func quotes(v *view, rels []*rel, free []*unit, min float64) []newsgraph.Span {
	freeAt := map[int]*unit{}
	for _, u := range free {
		freeAt[u.a] = u
	}
	var out []newsgraph.Span
	for _, o := range quoteOwners(v, rels) {
		s := newsgraph.Span{Start: v.toks[o.a].Start, End: v.toks[o.b].End, ID: o.id}
		add := func(k, val string) {
			if val != "" {
				s.Attrs = append(s.Attrs, newsgraph.Attr{Key: k, Value: val})
			}
		}
		switch r, u := o.rel, freeAt[o.a]; {
		case r != nil:
			add("attribution", r.id)
			add("speaker_name", r.sp.name)
			if r.ranked && (r.sp.name != "" || r.guess.name != "") {
				if r.sp.name == "" {
					add("speaker_guess", r.guess.name)
				}
				add("speaker_confidence", confidence(r.conf))
			}
		case u != nil && u.guess != nil:
			if u.gprob >= min {
				add("speaker_name", u.guess.sp.name)
			} else {
				add("speaker_guess", u.guess.sp.name)
			}
			add("speaker_confidence", confidence(u.gprob))
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// confidence writes a probability with two decimals.
func confidence(p float64) string { return strconv.FormatFloat(p, 'f', 2, 64) }

// wordsIn counts the relation's content words among the tokens [a, b).
func (r *rel) wordsIn(v *view, a, b int) int {
	i := sort.SearchInts(r.con, a)
	n := 0
	for ; i < len(r.con) && r.con[i] < b; i++ {
		if !isPunct(v.toks[r.con[i]].Label) {
			n++
		}
	}
	return n
}
