package attrib

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/models"
	"github.com/newsgraph/newsgraph/tokenize"
)

// Speaker ranking. The resolver (resolve.go) reads each relation's source by rules and gives one
// speaker. The ranker takes that speaker as one candidate among the others the context offers
// (the people and organisations named in the paragraph and the three before it, the described
// speakers of the relations there, and "nobody") and scores each with a log-linear model over
// features of where and how the candidate is named, trained on quotations whose speakers readers
// labelled (models/speakers). Every relation, and every quotation no relation holds, is a unit the
// ranker decides; the probability it gives its choice is the speaker's confidence.
//
// Features read only the rule speakers, the tokens, the entities and the relations' parts, never
// the ranker's own earlier choices: training and tagging see the same features.

// Ranker is a trained speaker ranker: a softmax over the candidates of a unit ("nobody" among
// them). Where the resolver gives a speaker, it is kept and the ranker's probability of it is its
// confidence (it is not named below the threshold); where the resolver gives no one (a quotation
// no relation holds, a source it cannot resolve), the ranker names the likeliest candidate. The
// probabilities of the two kinds are calibrated apart, and the threshold chosen, on
// cross-validated predictions (models/speakers/README.md).
type Ranker struct {
	w map[string]float64
	// Cal calibrates a probability p of a candidate the ranker chose (Cal[0]) or of the
	// resolver's speaker (Cal[1]) to the confidence σ(A·logit(p) + B) (Platt scaling); {1, 0}
	// leaves it as it is.
	Cal [2][2]float64
	// Threshold is the confidence below which a speaker is not named (the relation keeps its
	// source and the guess stays as speaker_guess).
	Threshold float64
	// HowRight is, for each way the resolver reads a speaker (name, pronoun, description, …),
	// how often its speaker was right on the labelled quotations (cross-validated, smoothed):
	// the confidence of a relation that holds no quotation of its own, which the ranker does not
	// decide.
	HowRight map[string]float64
}

func newRanker() *Ranker {
	return &Ranker{w: map[string]float64{}, Cal: [2][2]float64{{1, 0}, {1, 0}}, Threshold: 0.5, HowRight: map[string]float64{}}
}

// Calibrate returns the confidence of a probability the ranker gives a candidate it chose
// (fromRule false) or the resolver's speaker (fromRule true).
func (rk *Ranker) Calibrate(p float64, fromRule bool) float64 {
	c := rk.Cal[0]
	if fromRule {
		c = rk.Cal[1]
	}
	p = math.Min(math.Max(p, 1e-9), 1-1e-9)
	return 1 / (1 + math.Exp(-(c[0]*math.Log(p/(1-p)) + c[1])))
}

// FitPlatt fits the calibration A, B to probabilities and whether each was right (logistic
// regression on the log-odds, by Newton's method).
func FitPlatt(ps []float64, right []bool) (a, b float64) {
	a, b = 1, 0
	for it := 0; it < 50; it++ {
		var ga, gb, haa, hab, hbb float64
		for i, p := range ps {
			p = math.Min(math.Max(p, 1e-9), 1-1e-9)
			x := math.Log(p / (1 - p))
			q := 1 / (1 + math.Exp(-(a*x + b)))
			y := 0.0
			if right[i] {
				y = 1
			}
			ga += (y - q) * x
			gb += y - q
			w := q * (1 - q)
			haa += w * x * x
			hab += w * x
			hbb += w
		}
		// a small ridge keeps a degenerate set (all right, all wrong) finite
		haa, hbb = haa+1e-3, hbb+1e-3
		det := haa*hbb - hab*hab
		if det <= 0 {
			break
		}
		da, db := (hbb*ga-hab*gb)/det, (haa*gb-hab*ga)/det
		a, b = a+da, b+db
		if math.Abs(da)+math.Abs(db) < 1e-9 {
			break
		}
	}
	return a, b
}

// candidate is one speaker a unit may have.
type candidate struct {
	key   string  // "c:" + cluster, "t:" + the lower-cased name, or "none"
	sp    speaker // what it stands for (no name for "none")
	feats []string
	// set while the features are gathered
	before, after int // the nearest mention before the unit's words and after them (token), -1 if none
	inSource      bool
	inContent     bool // named inside the unit's own words
	subject       bool // the nearest mention before opens its sentence's entities (a subject, mostly)
	inQuote       bool // the nearest mention before is inside a quotation
	possessive    bool // a mention in the unit's source is a possessor ("Austria's interior minister")
	rule          bool
	cont          bool // the speaker of the relation this continuation continues
	local         int  // its mentions in the reach before the unit
}

// unit is a relation, or a quotation no relation holds, whose speaker the ranker decides.
type unit struct {
	rel   *rel // nil for a free quotation
	a, b  int  // the tokens of its words (content or quotation), [a, b)
	kind  string
	cands []*candidate
	// after ranking
	guess *candidate // the candidate named, and its confidence
	gprob float64
}

// rankContext is what the features of a document's units read.
type rankContext struct {
	v        *view
	res      *resolver
	rels     []*rel
	units    []*unit
	mentions map[string][]int // cluster -> the first token of each of its mentions
	count    map[string]int
	top      string // the person cluster named most often
}

func entKey(v *view, e int) string {
	if c := v.ents[e].Attr("cluster"); c != "" {
		return "c:" + c
	}
	return fmt.Sprintf("e:%d", e)
}

// speakerUnits builds the units of a document (relations with their rule speakers, and free
// quotations) with the candidates and features of those need asks for (nil: all).
func speakerUnits(v *view, res *resolver, rels []*rel, owners []quoteOwner, need func(*unit) bool) []*unit {
	rc := &rankContext{v: v, res: res, rels: rels, mentions: map[string][]int{}, count: map[string]int{}}
	for e, s := range v.ents {
		if s.Label == "MISC" {
			continue
		}
		a, b := v.covering(s.Start, s.End)
		if a >= b {
			continue
		}
		k := entKey(v, e)
		rc.mentions[k] = append(rc.mentions[k], a)
		rc.count[k]++
	}
	best := 0
	for k, n := range rc.count {
		if strings.HasPrefix(k, "c:") && res.types[k[2:]] == "PER" && (n > best || n == best && k < rc.top) {
			rc.top, best = k, n
		}
	}
	for _, r := range rels {
		u := &unit{rel: r, kind: r.kind}
		if len(r.con) > 0 {
			u.a, u.b = r.con[0], r.con[len(r.con)-1]+1
		} else {
			u.a, u.b = r.anchor(), r.anchor()+1
		}
		rc.units = append(rc.units, u)
	}
	for _, o := range owners {
		if o.rel == nil && hasWords(v, o.a+1, o.b) {
			rc.units = append(rc.units, &unit{a: o.a, b: o.b + 1, kind: "free"})
		}
	}
	sort.SliceStable(rc.units, func(i, j int) bool { return rc.units[i].a < rc.units[j].a })
	for i, u := range rc.units {
		if need == nil || need(u) {
			rc.candidates(i, u)
		}
	}
	return rc.units
}

var debugRank = os.Getenv("NEWSGRAPH_DEBUG_RANK") != ""

// hasWords reports whether the tokens [a, b) hold a word (not only punctuation).
func hasWords(v *view, a, b int) bool {
	for k := a; k < b; k++ {
		if !isPunct(v.toks[k].Label) {
			return true
		}
	}
	return false
}

// quotationTokens returns each quotation as its opening and closing marks' tokens, in text order.
func quotationTokens(v *view) [][2]int {
	open := map[string]int{}
	var order []string
	closeAt := map[string]int{}
	for i, t := range v.toks {
		switch t.Label {
		case tokenize.QuoteOpen:
			if _, ok := open[t.ID]; !ok {
				open[t.ID] = i
				order = append(order, t.ID)
			}
		case tokenize.QuoteClose:
			closeAt[t.ID] = i
		}
	}
	var out [][2]int
	for _, id := range order {
		if b, ok := closeAt[id]; ok && b > open[id] {
			out = append(out, [2]int{open[id], b})
		}
	}
	return out
}

// The reach of the candidates: the unit's paragraph and the three before it, the one after it,
// within these many tokens.
const (
	rankBack    = 400
	rankForward = 150
	rankParas   = 3
)

func (rc *rankContext) candidates(i int, u *unit) {
	v := rc.v
	p := v.para[u.a]
	from := u.a
	for from > 0 && u.a-from < rankBack && v.para[from-1] >= p-rankParas {
		from--
	}
	to := u.b
	for to < len(v.toks) && to-u.b < rankForward && v.para[to] <= p+1 {
		to++
	}
	byKey := map[string]*candidate{}
	get := func(key string, sp speaker) *candidate {
		c := byKey[key]
		if c == nil {
			c = &candidate{key: key, sp: sp, before: -1, after: -1}
			byKey[key] = c
			u.cands = append(u.cands, c)
		}
		return c
	}
	src := map[int]bool{}
	if u.rel != nil {
		for _, k := range u.rel.src {
			src[k] = true
		}
	}
	for k := from; k < to; k++ {
		e := v.ent[k]
		if e < 0 || v.ents[e].Label == "MISC" || k > 0 && v.ent[k-1] == e {
			continue
		}
		c := get(entKey(v, e), rc.res.entitySpeaker(e, "context"))
		switch {
		case src[k]:
			c.inSource = true
			a, b := v.covering(v.ents[e].Start, v.ents[e].End)
			if b < len(v.toks) && b > a && isPossessive(v.lower[b]) || b < len(v.toks) && isPossessive(v.lower[b-1]) {
				c.possessive = true
			}
		case k < u.a:
			c.local++
			c.before = k
			c.inQuote = v.quote[k]
			c.subject = firstEntityOfSentence(v, k)
		case k >= u.b && c.after < 0:
			c.after = k
		case k >= u.a && k < u.b:
			c.inContent = true
		}
	}
	// The described speakers of the relations around (rule speakers that name no entity).
	for _, o := range rc.units {
		if o.rel == nil || o.a < from || o.a >= to || o == u {
			continue
		}
		sp := o.rel.sp
		if sp.cluster != "" || !describes(sp) || vague(sp.name) {
			continue
		}
		c := get("t:"+strings.ToLower(sp.name), sp)
		if o.a < u.a {
			c.before = max(c.before, o.rel.anchor())
		} else if c.after < 0 {
			c.after = o.rel.anchor()
		}
	}
	if u.rel != nil && u.rel.sp.name != "" && (u.rel.sp.cluster != "" || describes(u.rel.sp)) {
		key := "t:" + strings.ToLower(u.rel.sp.name)
		if u.rel.sp.cluster != "" {
			key = "c:" + u.rel.sp.cluster
		}
		c := get(key, u.rel.sp)
		c.sp = u.rel.sp // the rule's reading (how it was resolved)
		c.rule = true
		if u.rel.cont != nil {
			c.cont = true
		}
	}
	get("none", speaker{how: "none"})
	rc.features(i, u)
}

// vague reports whether a source names nobody a reader could look for: "you", "many", "some".
func vague(name string) bool {
	switch strings.ToLower(name) {
	case "you", "many", "some", "few", "others", "other", "all", "both", "everyone", "someone", "anyone",
		"this", "that", "these", "those", "one", "most", "several", "nobody", "none":
		return true
	}
	return false
}

// firstEntityOfSentence reports whether the entity at token k is the first entity of its sentence
// outside quotations.
func firstEntityOfSentence(v *view, k int) bool {
	for j := v.sents[v.sent[k]][0]; j < k; j++ {
		if v.ent[j] >= 0 && v.ents[v.ent[j]].Label != "MISC" && !v.quote[j] {
			return false
		}
	}
	return !v.quote[k]
}

// describes reports whether a speaker without an entity names someone a reader can use: a
// description, an anonymous source, a document, a group.
func describes(sp speaker) bool {
	switch sp.kind {
	case "description", "anonymous", "document", "group":
		return sp.name != ""
	}
	return false
}

// features sets the features of a unit's candidates.
func (rc *rankContext) features(i int, u *unit) {
	v := rc.v
	// The labelled sets are quotations: a relation without one (indirect, according to) reads as a
	// relation with part of its content quoted (mixed), whose source is read the same way.
	K := u.kind
	if K == "indirect" || K == "according-to" {
		K = "mixed"
	}
	words, caps, first := 0, 0, false
	for k := u.a; k < u.b; k++ {
		if isPunct(v.toks[k].Label) {
			continue
		}
		words++
		if w := v.words[k]; w != v.lower[k] {
			caps++
		}
		switch v.lower[k] {
		case "i", "me", "my", "we", "our", "us", "i'm", "i've":
			first = true
		}
	}
	length := "long"
	switch {
	case words <= 3:
		length = "short"
	case words <= 8:
		length = "mid"
	}
	titled := words > 0 && 2*caps > words
	// The rule speakers of the units before and after this one, and of the last unit of the
	// paragraph before.
	prev, next, prevPara := "", "", ""
	key := func(o *unit) string {
		if o.rel == nil || o.rel.sp.name == "" {
			return ""
		}
		if o.rel.sp.cluster != "" {
			return "c:" + o.rel.sp.cluster
		}
		return "t:" + strings.ToLower(o.rel.sp.name)
	}
	for j := i - 1; j >= 0; j-- {
		if k := key(rc.units[j]); k != "" {
			prev = k
			break
		}
	}
	for j := i - 1; j >= 0; j-- {
		if v.para[rc.units[j].a] < v.para[u.a] {
			prevPara = key(rc.units[j])
			break
		}
	}
	for j := i + 1; j < len(rc.units); j++ {
		if k := key(rc.units[j]); k != "" {
			next = k
			break
		}
	}
	// The rule source's pronoun, if it is one.
	pron := ""
	if u.rel != nil && len(u.rel.src) > 0 {
		var ws []int
		for _, k := range u.rel.src {
			if !isPunct(v.toks[k].Label) {
				ws = append(ws, k)
			}
		}
		if len(ws) == 1 && strings.HasPrefix(wordKind(v.lower[ws[0]]), "pron") {
			pron = v.lower[ws[0]]
		}
	}
	ruleHas := u.rel != nil && u.rel.sp.name != ""
	// The speaker of the relation this one is part of ("…, according to the BBC"): it reports
	// the words, it does not say them.
	parent := ""
	if u.rel != nil && u.rel.parent >= 0 && u.rel.parent < len(rc.rels) {
		parent = key(&unit{rel: rc.rels[u.rel.parent]})
	}
	// Recency: rank the candidates by their nearest mention before the unit.
	var recent []*candidate
	for _, c := range u.cands {
		if c.before >= 0 {
			recent = append(recent, c)
		}
	}
	sort.SliceStable(recent, func(a, b int) bool { return recent[a].before > recent[b].before })
	rank, perRank := map[*candidate]int{}, map[*candidate]int{}
	for r, c := range recent {
		rank[c] = r + 1
		if candType(c, rc.res) == "PER" {
			perRank[c] = len(perRank) + 1
		}
	}
	for _, c := range u.cands {
		f := func(s string) { c.feats = append(c.feats, s) }
		if c.key == "none" {
			f("none")
			f("none|" + K)
			f("none|len=" + length)
			f("none|len=" + length + "|" + K)
			f(fmt.Sprintf("none|first=%v", first))
			f(fmt.Sprintf("none|titled=%v", titled))
			f(fmt.Sprintf("none|rule=%v", ruleHas))
			f(fmt.Sprintf("none|rule=%v|%s", ruleHas, K))
			continue
		}
		typ := candType(c, rc.res)
		f("type=" + typ)
		f("type=" + typ + "|" + K)
		if typ == "desc" || typ == "doc" {
			d := "bare"
			switch first, _, _ := strings.Cut(strings.ToLower(c.sp.name), " "); first {
			case "the", "this", "that", "these", "those", "his", "her", "their", "its":
				d = "definite"
			case "a", "an", "one", "some", "another", "two", "three", "several", "many":
				d = "indefinite"
			}
			f("desc=" + d)
			f("desc=" + d + "|" + K)
			if c.rule {
				f("rule|desc=" + d)
			}
		}
		switch {
		case c.local >= 3:
			f("local=3+")
		case c.local > 0:
			f("local=" + strconv.Itoa(c.local))
		}
		if c.rule {
			f("rule")
			f("rule|" + K)
			if typ == "PER" && c.sp.how == "pronoun" {
				// Is another person named between the one the pronoun was given and the unit?
				f("rule|pronoun|perrank=" + strconv.Itoa(min(perRank[c], 3)))
			}
			f("rule|how=" + c.sp.how)
			f("rule|how=" + c.sp.how + "|" + K)
			f("rule|type=" + typ)
		}
		if c.cont {
			f("cont")
		}
		if c.inSource {
			f("src")
			f("src|type=" + typ)
			if c.possessive {
				f("src|possessive")
			}
		}
		pos := rc.position(u, c)
		f("pos=" + pos)
		f("pos=" + pos + "|" + K)
		f("pos=" + pos + "|type=" + typ)
		if c.inQuote {
			f("inquote")
		}
		if c.inContent {
			f("incontent")
			f("incontent|pos=" + pos)
		}
		if c.subject {
			f("subject")
			f("subject|pos=" + pos)
		}
		if r := rank[c]; r > 0 {
			rs := strconv.Itoa(min(r, 4))
			f("rank=" + rs)
			f("rank=" + rs + "|" + K)
		}
		if c.key == prev {
			f("prev")
			f("prev|" + K)
		}
		if c.key == prevPara {
			f("prevpara")
		}
		if c.key == next {
			f("next")
		}
		if c.key == parent {
			f("parent")
			f("parent|type=" + typ)
		}
		n := rc.count[c.key]
		switch {
		case n == 0:
		case n == 1:
			f("count=1")
		case n <= 3:
			f("count=2-3")
		default:
			f("count=4+")
		}
		if c.key == rc.top {
			f("top")
			f("top|" + K)
		}
		if pron != "" {
			g := c.sp.gender
			if c.sp.kind == "person" {
				g = rc.res.gender[c.sp.cluster]
			}
			switch pron {
			case "he", "she":
				switch {
				case typ != "PER" && typ != "desc":
					f("pron=per|type=" + typ)
				case g == 0:
					f("gender=unknown")
				case genderFits(g, pron):
					f("gender=fits")
				default:
					f("gender=clash")
				}
			case "they", "we":
				f("pron=group|type=" + typ)
			}
		}
		if first {
			f("first|type=" + typ)
		}
	}
}

// candType is a candidate's kind for the features: PER, ORG, LOC, outlet, or the kind of a
// described speaker.
func candType(c *candidate, res *resolver) string {
	switch {
	case c.sp.outlet != "":
		return "outlet"
	case c.sp.cluster != "":
		if t := res.types[c.sp.cluster]; t != "" {
			return t
		}
	}
	switch c.sp.kind {
	case "person":
		return "PER"
	case "organisation":
		return "ORG"
	case "place":
		return "LOC"
	case "description", "anonymous":
		return "desc"
	case "document":
		return "doc"
	}
	return "other"
}

// position says where a candidate's nearest mention is from the unit: in its source, in the same
// sentence before or after it, in the same paragraph, or so many paragraphs before or after.
func (rc *rankContext) position(u *unit, c *candidate) string {
	v := rc.v
	if c.inSource {
		return "source"
	}
	if c.before >= 0 {
		switch d := v.para[u.a] - v.para[c.before]; {
		case v.sent[c.before] == v.sent[u.a]:
			return "sent-before"
		case d == 0 && v.sent[u.a]-v.sent[c.before] == 1:
			return "sent-1"
		case d == 0:
			return "para-before"
		case d == 1:
			return "para-1"
		case d == 2:
			return "para-2"
		default:
			return "para-3"
		}
	}
	if c.after >= 0 {
		switch {
		case v.sent[c.after] == v.sent[max(u.b-1, u.a)]:
			return "sent-after"
		case v.para[c.after] == v.para[u.a]:
			return "para-after"
		default:
			return "para+1"
		}
	}
	return "away"
}

// score is a candidate's score under the ranker.
func (rk *Ranker) score(feats []string) float64 {
	s := 0.0
	for _, f := range feats {
		s += rk.w[f]
	}
	return s
}

// softmax returns the ranker's probabilities of candidates with these features.
func (rk *Ranker) softmax(feats [][]string) []float64 {
	out := make([]float64, len(feats))
	m := math.Inf(-1)
	for i, f := range feats {
		out[i] = rk.score(f)
		m = math.Max(m, out[i])
	}
	z := 0.0
	for i := range out {
		out[i] = math.Exp(out[i] - m)
		z += out[i]
	}
	for i := range out {
		out[i] /= z
	}
	return out
}

// Decide returns the candidate a unit's speaker is (-1: none), the probability the ranker gives
// it, and whether it is the resolver's speaker (which is kept where there is one; the ranker
// chooses only among the candidates of a unit the resolver gives no one); feats are the
// candidates' features, names which of them name someone, rule which is the resolver's.
func (rk *Ranker) Decide(feats [][]string, names, rule []bool) (int, float64, bool) {
	ps := rk.softmax(feats)
	g := -1
	for i := range ps {
		if rule[i] && names[i] {
			return i, ps[i], true
		}
		if names[i] && (g < 0 || ps[i] > ps[g]) {
			g = i
		}
	}
	if g < 0 {
		return -1, 0, false
	}
	return g, ps[g], false
}

// decide sets a unit's guess and its confidence.
func (rk *Ranker) decide(u *unit) {
	feats := make([][]string, len(u.cands))
	names := make([]bool, len(u.cands))
	rule := make([]bool, len(u.cands))
	for i, c := range u.cands {
		feats[i], names[i], rule[i] = c.feats, c.key != "none", c.rule
	}
	u.guess, u.gprob = nil, 0
	if g, p, fromRule := rk.Decide(feats, names, rule); g >= 0 {
		u.guess, u.gprob = u.cands[g], rk.Calibrate(p, fromRule)
	}
}

// rankSpeakers decides the speaker of every relation and free quotation. A relation whose best
// guess (the candidate that names someone with the highest probability) has a confidence of at
// least min keeps it as its speaker (the resolver's, or another the context gives); below min it
// names none, and keeps the guess. ("Nobody" takes part in the ranking as a candidate: where it
// is likely, the guesses are not.) It returns the free quotations' units.
func (rk *Ranker) rankSpeakers(v *view, res *resolver, rels []*rel, min float64) []*unit {
	owners := quoteOwners(v, rels)
	owning := map[*rel]bool{}
	for _, o := range owners {
		if o.rel != nil {
			owning[o.rel] = true
		}
	}
	// The labelled sets are quotations, each with the innermost relation that holds it: another
	// relation (indirect speech; an outlet reporting what a quoted speaker said) keeps the
	// resolver's speaker, unranked, with how often speakers read that way were right.
	units := speakerUnits(v, res, rels, owners, func(u *unit) bool { return u.rel == nil || owning[u.rel] })
	var free []*unit
	for _, u := range units {
		if u.rel != nil && !owning[u.rel] {
			r := u.rel
			r.ranked = true
			r.conf = 0
			if r.sp.name != "" {
				var ok bool
				if r.conf, ok = rk.HowRight[r.sp.how]; !ok {
					r.conf = rk.HowRight["*"]
				}
			}
			continue
		}
		rk.decide(u)
		if debugRank {
			fmt.Fprintf(os.Stderr, "unit %q %s: %.2f\n", v.d.Text()[v.toks[u.a].Start:v.toks[u.b-1].End], u.kind, u.gprob)
			for _, c := range u.cands {
				fmt.Fprintf(os.Stderr, "   %.2f %q %v\n", rk.score(c.feats), c.sp.name, c.feats)
			}
		}
		if u.rel == nil {
			free = append(free, u)
			continue
		}
		r := u.rel
		r.ranked = true
		r.conf = u.gprob
		if u.guess != nil {
			r.guess = u.guess.sp
			if !u.guess.rule {
				r.guess.how = "context"
			}
		}
		if u.guess != nil && u.gprob >= min {
			r.sp = r.guess
		} else {
			r.sp = speaker{how: "none", kind: r.sp.kind}
			if r.sp.kind == "person" || r.sp.kind == "organisation" || r.sp.kind == "place" || r.sp.kind == "outlet" {
				r.sp.kind = ""
			}
		}
	}
	return free
}

// ReadRanker reads ranker weights: lines of a feature and its weight, tab-separated; lines
// starting with # are comments.
func ReadRanker(r io.Reader) (*Ranker, error) {
	rk := newRanker()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" || t[0] == '#' {
			continue
		}
		f, w, ok := strings.Cut(t, "\t")
		var xs []float64
		for _, field := range strings.Split(w, "\t") {
			x, err := strconv.ParseFloat(field, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				ok = false
			}
			xs = append(xs, x)
		}
		switch {
		case !ok:
		case f == "@calibration" && len(xs) == 4:
			rk.Cal = [2][2]float64{{xs[0], xs[1]}, {xs[2], xs[3]}}
			continue
		case f == "@threshold" && len(xs) == 1 && xs[0] >= 0 && xs[0] <= 1:
			rk.Threshold = xs[0]
			continue
		case strings.HasPrefix(f, "@how=") && len(xs) == 1 && xs[0] >= 0 && xs[0] <= 1:
			rk.HowRight[f[len("@how="):]] = xs[0]
			continue
		case f[0] != '@' && len(xs) == 1:
			rk.w[f] = xs[0]
			continue
		}
		return nil, fmt.Errorf("attrib: speaker ranker line %d: not a feature and a weight", line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("attrib: speaker ranker: %w", err)
	}
	if len(rk.w) == 0 {
		return nil, fmt.Errorf("attrib: speaker ranker: no weights")
	}
	return rk, nil
}

// Write writes the ranker's weights, features sorted, after a comment line.
func (rk *Ranker) Write(w io.Writer, comment string) error {
	keys := make([]string, 0, len(rk.w))
	for k, x := range rk.w {
		if x != 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	bw := bufio.NewWriter(w)
	for _, l := range strings.Split(comment, "\n") {
		fmt.Fprintf(bw, "# %s\n", l)
	}
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
	fmt.Fprintf(bw, "@calibration\t%s\t%s\t%s\t%s\n", g(rk.Cal[0][0]), g(rk.Cal[0][1]), g(rk.Cal[1][0]), g(rk.Cal[1][1]))
	fmt.Fprintf(bw, "@threshold\t%s\n", g(rk.Threshold))
	hows := make([]string, 0, len(rk.HowRight))
	for h := range rk.HowRight {
		hows = append(hows, h)
	}
	sort.Strings(hows)
	for _, h := range hows {
		fmt.Fprintf(bw, "@how=%s\t%s\n", h, g(rk.HowRight[h]))
	}
	for _, k := range keys {
		fmt.Fprintf(bw, "%s\t%s\n", k, strconv.FormatFloat(rk.w[k], 'g', 6, 64))
	}
	return bw.Flush()
}

// DefaultRanker returns the built-in speaker ranker (models/speakers/weights.tsv), read once.
func DefaultRanker() (*Ranker, error) { return loadRanker() }

var loadRanker = sync.OnceValues(func() (*Ranker, error) {
	return ReadRanker(strings.NewReader(models.Speakers))
})

// SpeakerExample is a unit with its candidates' features and which of them are right, for training.
type SpeakerExample struct {
	Feats [][]string
	Right []bool
	Names []string
	Rule  []bool // the resolver's speaker
	How   string // how the resolver read its speaker, if it gave one
	// Nobody: the reader's speaker is "-" (nobody's words).
	Nobody bool
	// Gold is the reader's speaker and Text the unit's words, for reports.
	Gold, Text string
	// Group identifies the document (for folds).
	Group string
}

// GoldQuote is a quotation with its speaker as a reader gives it: byte offsets of its words into
// the document's text ("-": nobody's words).
type GoldQuote struct {
	Start, End int
	Speaker    string
}

// SpeakerExamples analyses a document's relations and returns, for each gold quotation that a
// quotation of the text holds, the unit that gives it its speaker, with its candidates labelled
// by SameSpeaker. The document must have the layers the component requires.
func (m *Model) SpeakerExamples(d *newsgraph.Doc, gold []GoldQuote) []SpeakerExample {
	v := newView(d, m.syn.NewTagger())
	rels, res, _ := m.relations(v, nil, 0)
	owners := quoteOwners(v, rels)
	units := speakerUnits(v, res, rels, owners, nil)
	byRel := map[*rel]*unit{}
	freeAt := map[int]*unit{}
	for _, u := range units {
		if u.rel != nil {
			byRel[u.rel] = u
		} else {
			freeAt[u.a] = u
		}
	}
	var out []SpeakerExample
	for _, g := range gold {
		// The quotation that holds most of the gold one, as eval.ScoreSpeakers matches them.
		best, most := -1, 0
		for i, q := range owners {
			a, b := max(v.toks[q.a].Start, g.Start), min(v.toks[q.b].End, g.End)
			if b-a > most {
				best, most = i, b-a
			}
		}
		if best < 0 || 2*most < g.End-g.Start {
			continue
		}
		q := owners[best]
		u := freeAt[q.a]
		if q.rel != nil {
			u = byRel[q.rel]
		}
		if u == nil {
			continue
		}
		ex := SpeakerExample{Group: d.Meta.Input.Path, Nobody: g.Speaker == "-", Gold: g.Speaker,
			Text: d.Text()[v.toks[u.a].Start:v.toks[u.b-1].End]}
		for _, c := range u.cands {
			ex.Feats = append(ex.Feats, c.feats)
			right := c.key == "none" && g.Speaker == "-" || c.key != "none" && SameSpeaker(g.Speaker, c.sp.name)
			ex.Right = append(ex.Right, right)
			ex.Names = append(ex.Names, c.sp.name)
			ex.Rule = append(ex.Rule, c.rule)
			if c.rule {
				ex.How = c.sp.how
			}
		}
		out = append(out, ex)
	}
	return out
}

// TrainRanker fits the weights of a ranker to examples: the conditional likelihood of the right
// candidates of each unit (a unit none of whose candidates is right is left out), with an L2
// penalty l2, by AdaGrad over epochs passes in a fixed order.
func TrainRanker(exs []SpeakerExample, epochs int, l2 float64) *Ranker {
	rk := newRanker()
	g2 := map[string]float64{}
	const rate = 0.5
	for ep := 0; ep < epochs; ep++ {
		for i := range exs {
			ex := &exs[(i*7919+ep*104729)%len(exs)]
			ps := rk.softmax(ex.Feats)
			pr := 0.0
			for j, right := range ex.Right {
				if right {
					pr += ps[j]
				}
			}
			if pr == 0 {
				continue
			}
			// d log(sum over right of p) / d score_j = p_j (right_j / pr - 1)
			grad := map[string]float64{}
			for j, fs := range ex.Feats {
				gj := -ps[j]
				if ex.Right[j] {
					gj += ps[j] / pr
				}
				for _, f := range fs {
					grad[f] += gj
				}
			}
			for f, g := range grad {
				g -= l2 * rk.w[f]
				g2[f] += g * g
				rk.w[f] += rate * g / (math.Sqrt(g2[f]) + 1e-8)
			}
		}
	}
	return rk
}

// Choose returns the candidate of an example the ranker names (-1: none), its probability, and
// whether it is the resolver's speaker.
func (rk *Ranker) Choose(ex SpeakerExample) (int, float64, bool) {
	names := make([]bool, len(ex.Names))
	for i, n := range ex.Names {
		names[i] = n != ""
	}
	return rk.Decide(ex.Feats, names, ex.Rule)
}
