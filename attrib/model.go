package attrib

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/internal/seq"
	"github.com/newsgraph/newsgraph/models"
	"github.com/newsgraph/newsgraph/syntax"
	"github.com/newsgraph/newsgraph/tokenize"
)

// Model finds attribution relations: a cue tagger over sentences, and a role tagger that, for
// each cue, marks its source and content in the sentences around it.
type Model struct {
	// SubjectCues adds, as cues, the reporting verbs of data/cues.txt inside what a news outlet
	// reports that the cue tagger passed over, where a named subject or a pronoun comes right
	// before them.
	SubjectCues bool
	// Layout adds the attributions the page layout makes: a quotation signed with a dash, a
	// speaker's name and a colon opening a paragraph or headline (layout.go).
	Layout bool
	// InferSources gives a relation the role tagger left without a source one by rule: the noun
	// phrase right after its cue, where the cue is a reporting verb that follows its content and a
	// comma ("The economy is growing, said the minister on Monday." → the minister), and for a
	// participle after a comma, or a verb coordinated by "and" or "but", the source of the
	// relation before it ("Smith said …, adding …", "Qantas confirmed … but said …").
	InferSources bool
	// ClauseContents runs a content that opens with "that" and stops inside its clause on to the
	// clause's end ("alleges that Mr Blair told | the chancellor … of his intention to stand down"),
	// and one that opens a quotation and stops inside it on to the closing mark; and it drops from a
	// content that is a quotation before its cue the rest of the reporting clause ("…,” he
	// concluded, to loud cheering").
	ClauseContents bool
	cue, role      *seq.Model
	syn            *syntax.Model // the POS tagger and chunker whose tags the features read
	// triggers are the lemmas of the training data's cue words (verbs, nouns, adjectives, adverbs,
	// or punctuation serving as a cue) seen at least twice as one, and in at least 2% of their
	// occurrences: the cue tagger reads only the tokens within triggerReach of one.
	triggers map[string]bool
}

// syntaxCheck identifies the data the features read besides the text: the built-in syntax model
// and the word lists (data/irregular.tsv, data/cues.txt), so that an attribution model is never
// used with other tags or lists than it was trained with.
func syntaxCheck() uint64 {
	h := uint64(14695981039346656037)
	for _, part := range [][]byte{models.Syntax, []byte(irregularData), []byte(cuesData)} {
		for _, c := range part {
			h = (h ^ uint64(c)) * 1099511628211
		}
		h = (h ^ 0xff) * 1099511628211
	}
	return h
}

func defaultSyntax() (*syntax.Model, error) {
	m, err := syntax.Default()
	if err != nil {
		return nil, fmt.Errorf("attrib: %w", err)
	}
	return m, nil
}

const (
	magic   = "NGATR"
	version = 2 // 2: the trigger lemmas
)

// Save writes the model: magic, version, the check value of the syntax model, the cue tagger, the
// role tagger.
func (m *Model) Save(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString(magic)
	b.WriteByte(version)
	b.Write(binary.LittleEndian.AppendUint64(nil, syntaxCheck()))
	words := make([]string, 0, len(m.triggers))
	for w := range m.triggers {
		words = append(words, w)
	}
	sort.Strings(words)
	b.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(words))))
	for _, w := range words {
		b.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(w))))
		b.WriteString(w)
	}
	if err := m.cue.Save(&b); err != nil {
		return err
	}
	if err := m.role.Save(&b); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// LoadBytes reads a model written by Save.
func LoadBytes(b []byte) (*Model, error) {
	if len(b) < len(magic)+1 || string(b[:len(magic)]) != magic {
		return nil, errors.New("attrib: not a newsgraph attribution model")
	}
	if b[len(magic)] != version {
		return nil, fmt.Errorf("attrib: model version %d, this program reads %d", b[len(magic)], version)
	}
	b = b[len(magic)+1:]
	if len(b) < 8 {
		return nil, seq.ErrTruncated
	}
	if binary.LittleEndian.Uint64(b) != syntaxCheck() {
		return nil, errors.New("attrib: the model was trained with another POS/chunk model (models/syntax) or word lists (attrib/data) than this program has; retrain it")
	}
	b = b[8:]
	if len(b) < 4 {
		return nil, seq.ErrTruncated
	}
	nt := int(binary.LittleEndian.Uint32(b))
	b = b[4:]
	if nt > len(b)/4 {
		return nil, seq.ErrTruncated
	}
	triggers := make(map[string]bool, nt)
	for i := 0; i < nt; i++ {
		if len(b) < 4 {
			return nil, seq.ErrTruncated
		}
		l := int(binary.LittleEndian.Uint32(b))
		b = b[4:]
		if l > len(b) || l > 256 {
			return nil, seq.ErrTruncated
		}
		triggers[string(b[:l])] = true
		b = b[l:]
	}
	syn, err := defaultSyntax()
	if err != nil {
		return nil, err
	}
	cue, b, err := seq.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("attrib: cue tagger: %w", err)
	}
	role, b, err := seq.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("attrib: role tagger: %w", err)
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("attrib: %d bytes after the model", len(b))
	}
	if fmt.Sprint(cue.Labels) != fmt.Sprint(cueLabels) || fmt.Sprint(role.Labels) != fmt.Sprint(roleLabels) {
		return nil, errors.New("attrib: the model's labels are not the ones this program uses")
	}
	return &Model{cue: cue, role: role, syn: syn, SubjectCues: true, Layout: true, InferSources: true, ClauseContents: true, triggers: triggers}, nil
}

// found is a relation found in a view: token index sets of its roles.
type found struct {
	cue, src, con []int
	// quoting is 1 + the index, among the relations extract returns, of the relation that quotes
	// this one's source ("Reuters reports a union source as saying"); 0 for none.
	quoting int
}

// extract finds the relations of a view.
func (m *Model) extract(v *view) []found {
	bc, ic := m.cue.Label("B-CUE"), m.cue.Label("I-CUE")
	var cueSpans [][2]int
	cues := make([]bool, len(v.toks))
	for _, s := range v.sents {
		for _, r := range m.triggerRanges(v, s[0], s[1]) {
			tags := m.cue.Decode(v.cueFeatures(s[0], s[1], r[0], r[1]))
			for i := 0; i < len(tags); i++ {
				if tags[i] != bc {
					continue
				}
				j := i + 1
				for j < len(tags) && tags[j] == ic {
					j++
				}
				cueSpans = append(cueSpans, [2]int{r[0] + i, r[0] + j})
				for k := r[0] + i; k < r[0]+j; k++ {
					cues[k] = true
				}
				i = j - 1
			}
		}
	}
	var out []found
	for _, c := range cueSpans {
		r, ok := m.roles(v, c[0], c[1], cues)
		if isAccordingTo(v, c[0], c[1]) {
			r, ok = accordingTo(v, r, c[0], c[1])
		}
		if ok && m.ClauseContents {
			r.con = extendThatClause(v, c[1], r.con)
			r.con = extendQuotation(v, r.con, cues)
			r.con = trimAfterQuotation(v, c[0], r.con)
		}
		if ok && len(r.src) == 0 && m.InferSources {
			if src, con := trailingSource(v, c[0], c[1], r.con); src != nil {
				r.src, r.con = src, con
			}
		}
		if ok && m.InferSources {
			if src, con := headlineSource(v, c[0], c[1]); src != nil {
				r.src, r.con = src, con
			}
		}
		if ok {
			out = append(out, r)
		}
	}
	// Reporting verbs the tagger passed over inside what a news outlet reports, where a subject
	// names who speaks ("BBC noted, the Taliban maintains it will …"): nested attributions. The
	// role tagger decides whether they hold a relation.
	if m.SubjectCues {
		inContent := make([]bool, len(v.toks))
		for _, r := range out {
			if !v.outletIn(r.src) {
				continue
			}
			for _, k := range r.con {
				inContent[k] = true
			}
		}
		for i := range v.toks {
			if !inContent[i] || cues[i] || !subjectCue(v, i) {
				continue
			}
			cues[i] = true
			if r, ok := m.roles(v, i, i+1, cues); ok {
				out = append(out, r)
			}
		}
	}
	if m.Layout {
		// Tokens that are the cue of a relation found: a word the cue tagger proposed but the
		// role tagger rejected may still be the verb of a layout's attribution.
		taken := make([]bool, len(v.toks))
		for _, r := range out {
			for _, k := range r.cue {
				taken[k] = true
			}
		}
		out = append(out, layoutRelations(v, taken)...)
	}
	if m.InferSources {
		participleSources(v, out)
		out = append(out, quotedAsSaying(v, out)...)
	}
	return out
}

// participleSources gives a relation left without a source whose cue is a reporting verb's
// participle after a comma ("…, adding that …", "…, saying …"), or a finite reporting verb after
// "and" or "but" (with "also" between or not), the source of the nearest relation with a source
// before it in the same sentence: the one whose clause it continues ("Smith said …, adding …", "Qantas confirmed …
// but said …").
func participleSources(v *view, rels []found) {
	for i := range rels {
		r := &rels[i]
		if len(r.src) > 0 || len(r.cue) == 0 {
			continue
		}
		c := r.cue[0]
		if c == 0 || !isCueWord(v.lemma[c]) || v.sent[c-1] != v.sent[c] {
			continue
		}
		p := c - 1
		if v.lower[p] == "also" && p > 0 {
			p--
		}
		switch {
		case v.pos[c] == "VBG" && v.words[p] == ",":
		case finiteVerb(v.pos[c]) && (v.lower[p] == "and" || v.lower[p] == "but"):
			// a verb coordinated with the relation before it: "X criticized … and called for …"
		default:
			continue
		}
		best := -1
		for j, o := range rels {
			if j == i || len(o.src) == 0 || len(o.cue) == 0 || v.sent[o.cue[0]] != v.sent[c] || o.cue[0] >= c {
				continue
			}
			if best < 0 || o.cue[0] > rels[best].cue[0] {
				best = j
			}
		}
		if best >= 0 {
			r.src = append([]int(nil), rels[best].src...)
		}
	}
}

// quotedAsSaying finds the speaker a relation quotes "as saying": in "Reuters reports a union
// source as saying …", "an early tweet quoted the president as saying …" the words are the union
// source's, the president's; the relation of the outer cue stays (its source is the one who
// quotes), and this one, with the same content, hangs under it. The noun phrase lies between the
// outer cue and "as saying" (or telling, describing), within eight tokens, in the sentence.
func quotedAsSaying(v *view, rels []found) []found {
	var out []found
	for ri, r := range rels {
		if len(r.cue) == 0 || len(r.con) == 0 {
			continue
		}
		ce := r.cue[len(r.cue)-1] + 1
	scan:
		for k := ce + 1; k+1 < len(v.toks) && k <= ce+8 && v.sent[k] == v.sent[ce]; k++ {
			if isPunct(v.toks[k].Label) {
				break
			}
			if v.lower[k] != "as" {
				continue
			}
			switch v.lower[k+1] {
			case "saying", "telling", "describing", "stating", "warning", "adding":
			default:
				continue
			}
			// The phrase between: not the relation's own source or content, and no verb ("the
			// speech was widely seen as warning …" is no one quoted).
			var src []int
			for j := ce; j < k; j++ {
				if slices.Contains(r.con, j) || slices.Contains(r.src, j) || strings.HasPrefix(v.pos[j], "VB") || v.pos[j] == "MD" {
					break scan
				}
				src = append(src, j)
			}
			out = append(out, found{cue: []int{k, k + 1}, src: src, con: append([]int(nil), r.con...), quoting: ri + 1})
			break
		}
	}
	return out
}

// triggerReach is how many tokens either side of a trigger word the cue tagger reads: cues are
// short phrases around their head.
const triggerReach = 6

// triggerRanges returns the stretches of the sentence [a, b) the cue tagger reads: triggerReach
// tokens either side of each trigger lemma, merged where they meet (with no trigger list, the whole
// sentence).
func (m *Model) triggerRanges(v *view, a, b int) [][2]int {
	if m.triggers == nil {
		return [][2]int{{a, b}}
	}
	var out [][2]int
	for i := a; i < b; i++ {
		if !m.triggers[v.lemma[i]] {
			continue
		}
		lo, hi := max(a, i-triggerReach), min(b, i+triggerReach+1)
		if n := len(out); n > 0 && lo <= out[n-1][1] {
			out[n-1][1] = hi
		} else {
			out = append(out, [2]int{lo, hi})
		}
	}
	return out
}

// roles tags the source and content of the cue [cs, ce).
func (m *Model) roles(v *view, cs, ce int, cues []bool) (found, bool) {
	a, b := v.window(cs)
	tags := m.role.Decode(v.roleFeatures(a, b, cs, ce, cues))
	r := found{}
	for k := cs; k < ce; k++ {
		r.cue = append(r.cue, k)
	}
	// The source: of several runs, the one nearest the cue (a source is one phrase; a content may
	// be cut in two by the cue).
	best, bestDist := -1, 0
	for i := 0; i < len(tags); i++ {
		if roleLabels[tags[i]] != "B-SRC" {
			continue
		}
		j := i + 1
		for j < len(tags) && roleLabels[tags[j]] == "I-SRC" {
			j++
		}
		d := cs - (a + j)
		if a+i >= ce {
			d = a + i - ce
		}
		if best < 0 || d < bestDist {
			best, bestDist = i, d
		}
		i = j - 1
	}
	for i, t := range tags {
		switch roleLabels[t] {
		case "B-CON", "I-CON":
			r.con = append(r.con, a+i)
		}
	}
	if best >= 0 {
		for i := best; i < len(tags) && (i == best || roleLabels[tags[i]] == "I-SRC"); i++ {
			r.src = append(r.src, a+i)
		}
	}
	return r, len(r.con) > 0
}

// finiteVerb reports whether a Penn Treebank tag is a finite verb's (past, or present of either
// number).
func finiteVerb(tag string) bool { return tag == "VBD" || tag == "VBZ" || tag == "VBP" }

// subjectCue reports whether token i is a finite reporting verb of data/cues.txt right after a
// named subject or a personal pronoun, and followed by "that", a colon, a quotation or a clause
// (not by a noun phrase object).
func subjectCue(v *view, i int) bool {
	if i == 0 || v.sent[i-1] != v.sent[i] {
		return false
	}
	if !finiteVerb(v.pos[i]) {
		return false
	}
	if !isCueWord(v.lemma[i]) {
		return false
	}
	p := i - 1
	if v.ent[p] < 0 || v.ents[v.ent[p]].Label == "MISC" {
		if !personalPronoun(v.lower[p]) {
			return false
		}
	}
	s := v.sents[v.sent[i]]
	if i+1 >= s[1] {
		return false
	}
	n := v.lower[i+1]
	return n == "that" || n == ":" || v.toks[i+1].Label == tokenize.QuoteOpen || v.pos[i+1] == "PRP" || v.pos[i+1] == "DT" || v.pos[i+1] == "NNP"
}

// outletIn reports whether the tokens include a news outlet's name.
func (v *view) outletIn(idx []int) bool {
	for _, k := range idx {
		if e := v.ent[k]; e >= 0 && v.ents[e].Attr("outlet") != "" {
			return true
		}
	}
	return false
}

func isAccordingTo(v *view, cs, ce int) bool {
	return ce-cs == 2 && v.lower[cs] == "according" && v.lower[cs+1] == "to"
}

// accordingTo completes an "according to" relation the role tagger left without a content: the
// source is the phrase after "to" up to a comma or the sentence's end; the content is the rest of
// the sentence after that comma when the cue opens the sentence, else the sentence before the cue
// (without the comma before it).
func accordingTo(v *view, r found, cs, ce int) (found, bool) {
	if len(r.con) > 0 {
		return r, true
	}
	s := v.sents[v.sent[cs]]
	end := s[1]
	for end > s[0] && isPunct(v.toks[end-1].Label) {
		end--
	}
	srcEnd := ce
	for srcEnd < end && v.words[srcEnd] != "," {
		srcEnd++
	}
	r.src = r.src[:0]
	for k := ce; k < srcEnd; k++ {
		r.src = append(r.src, k)
	}
	r.con = r.con[:0]
	if cs == s[0] {
		for k := srcEnd + 1; k < end; k++ {
			r.con = append(r.con, k)
		}
	} else {
		stop := cs
		for stop > s[0] && isPunct(v.toks[stop-1].Label) {
			stop--
		}
		for k := s[0]; k < stop; k++ {
			r.con = append(r.con, k)
		}
	}
	return r, len(r.con) > 0 && len(r.src) > 0
}

// runs turns sorted token indexes into byte-range spans, one per run of adjacent tokens.
func (v *view) runs(idx []int) []newsgraph.Span {
	sort.Ints(idx)
	var out []newsgraph.Span
	for i := 0; i < len(idx); i++ {
		j := i
		for j+1 < len(idx) && idx[j+1] == idx[j]+1 {
			j++
		}
		out = append(out, newsgraph.Span{Start: v.toks[idx[i]].Start, End: v.toks[idx[j]].End})
		i = j
	}
	return out
}

// trailingSource finds the source of an inverted reporting clause after its content ("…, said
// the minister on Monday", "…, says Blair") that the role tagger left without one, taking the
// phrase for more content: the noun phrase right after the cue [cs, ce), when the cue is a single
// finite reporting verb of data/cues.txt right after a comma (or a closing quotation mark) that
// ends at least three tokens of content, and the phrase is a name, a pronoun, or starts with a
// determiner (through a possessive: "a new MPs' report"), not a day or month. It returns the
// source and the content without anything after the cue (a short stretch to the sentence's end),
// or nil.
func trailingSource(v *view, cs, ce int, con []int) (src, before []int) {
	if ce-cs != 1 || cs == 0 || v.sent[cs-1] != v.sent[cs] || !isCueWord(v.lemma[cs]) {
		return nil, nil
	}
	if !finiteVerb(v.pos[cs]) {
		return nil, nil
	}
	if v.words[cs-1] != "," && v.toks[cs-1].Label != tokenize.QuoteClose {
		return nil, nil
	}
	s := v.sents[v.sent[cs]]
	var after []int
	for _, k := range con {
		switch {
		case k < cs:
			before = append(before, k)
		case k >= ce && k < s[1]:
			after = append(after, k)
		default:
			return nil, nil
		}
	}
	if len(before) < 3 || len(after) > 8 {
		return nil, nil
	}
	j := ce
	if j >= s[1] || !strings.HasPrefix(v.chunk[j], "B-NP") {
		return nil, nil
	}
	switch {
	case dayWords[v.lower[j]]:
		return nil, nil // "said Friday": a time, not a speaker
	case v.ent[j] >= 0, v.pos[j] == "PRP", v.pos[j] == "DT", v.pos[j] == "NNP", v.pos[j] == "PRP$":
	default:
		return nil, nil
	}
	for k := j; k < s[1]; k++ {
		switch {
		case k == j, v.chunk[k] == "I-NP":
		case v.pos[k] == "POS" && k+1 < s[1] && strings.HasSuffix(v.chunk[k+1], "-NP"):
			// a possessive joins two noun phrases: "a new MPs' report"
		case k > j && v.pos[k-1] == "POS" && v.chunk[k] == "B-NP":
		default:
			return src, before
		}
		src = append(src, k)
	}
	return src, before
}

// dayWords are times that can follow a reporting verb where a speaker would ("said Friday").
var dayWords = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"today": true, "yesterday": true, "tonight": true, "january": true, "february": true, "march": true, "april": true,
	"may": true, "june": true, "july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
}

// extendThatClause runs a content that opens with "that" right after its cue (ce) and stops inside
// its clause on to the clause's end: the next punctuation mark, or the sentence's end (through a
// nested cue: "reports that the party had repaid … after he said …").
func extendThatClause(v *view, ce int, con []int) []int {
	if len(con) == 0 || con[0] != ce || v.lower[ce] != "that" || v.pos[ce] != "IN" {
		return con // not a clause ("backed that view")
	}
	for i := 1; i < len(con); i++ {
		if con[i] != con[i-1]+1 {
			return con
		}
	}
	s := v.sents[v.sent[ce]]
	next := con[len(con)-1] + 1
	if next >= s[1] || isPunct(v.toks[next].Label) {
		return con
	}
	switch v.lower[next] {
	case "and", "but", "or", "while", "because", "although", "as":
		return con
	}
	out := append([]int(nil), con...)
	for k := next; k < s[1] && !isPunct(v.toks[k].Label); k++ {
		out = append(out, k) // a cue inside the clause is a nested relation: the clause holds it
	}
	return out
}

// extendQuotation runs a content that opens a quotation (its first token is the opening mark or
// right after it), or runs into a later one, and stops inside it on to the quotation's closing
// mark, within the paragraph and unless a cue comes first: a quotation of several sentences is
// one content.
func extendQuotation(v *view, con []int, cues []bool) []int {
	if len(con) == 0 {
		return con
	}
	first := con[0]
	for i := 1; i < len(con); i++ {
		if con[i] != con[i-1]+1 {
			return con
		}
	}
	// The quotations open at the content's end, outermost first: from the mark right before it,
	// if any, through the marks inside it (a nested quotation that closes inside it is done with;
	// a paragraph's re-opening mark continues its pair).
	var stack []string
	if first > 0 && v.toks[first-1].Label == tokenize.QuoteOpen {
		stack = append(stack, v.toks[first-1].ID)
	}
	for _, k := range con {
		switch t := v.toks[k]; t.Label {
		case tokenize.QuoteOpen:
			if !slices.Contains(stack, t.ID) {
				stack = append(stack, t.ID)
			}
		case tokenize.QuoteClose:
			if j := slices.Index(stack, t.ID); j >= 0 {
				stack = stack[:j]
			}
		}
	}
	if len(stack) == 0 {
		return con
	}
	id := stack[0]
	last := con[len(con)-1]
	// The closing mark of this quotation, in the same paragraph.
	end := -1
	for k := last + 1; k < len(v.toks) && v.para[k] == v.para[first]; k++ {
		if cues[k] && !v.quote[k] {
			return con // another relation's cue (one inside the quotation is the speaker's words)
		}
		if v.toks[k].Label == tokenize.QuoteClose && v.toks[k].ID == id {
			end = k
			break
		}
	}
	if end < 0 {
		return con
	}
	out := append([]int(nil), con...)
	for k := last + 1; k <= end; k++ {
		out = append(out, k)
	}
	return out
}

// trimAfterQuotation drops, from a content that opens with a whole quotation before its cue cs
// ("“…,” said X to the crowd"), the unquoted words of the cue's sentence after the cue that the
// role tagger added: the rest of the reporting clause, not what was said.
func trimAfterQuotation(v *view, cs int, con []int) []int {
	if len(con) == 0 || v.toks[con[0]].Label != tokenize.QuoteOpen {
		return con
	}
	closeAt := -1
	for _, k := range con {
		if k >= cs {
			break
		}
		if v.toks[k].Label == tokenize.QuoteClose && v.toks[k].ID == v.toks[con[0]].ID {
			closeAt = k
		}
	}
	if closeAt < 0 {
		return con
	}
	out := con[:0:0]
	for _, k := range con {
		if k > cs && !v.quote[k] && v.sent[k] == v.sent[cs] && v.toks[k].Label != tokenize.QuoteOpen {
			continue // the rest of the reporting clause, not what was said
		}
		out = append(out, k)
	}
	return out
}

// headlineSource reads a headline of the form "CONTENT, says NAME" ("No election TV debate, says
// Blair", "Nat Insurance to rise, say Tories"), where the taggers tend to take the roles the wrong way
// round: the document's first paragraph, one sentence without final punctuation, the cue [cs, ce) a single
// reporting verb right after a comma, and one to five words after it, a name or a noun phrase, to
// the end. It returns the source (the words after the cue) and the content (those before the
// comma), or nil.
func headlineSource(v *view, cs, ce int) (src, con []int) {
	if ce-cs != 1 || cs < 2 || v.words[cs-1] != "," || !isCueWord(v.lemma[cs]) {
		return nil, nil
	}
	s := v.sents[v.sent[cs]]
	if v.para[s[0]] != v.para[0] || v.para[s[1]-1] != v.para[0] || (s[1] < len(v.toks) && v.para[s[1]] == v.para[0]) {
		return nil, nil // not the document's first paragraph, its headline, whole
	}
	if isPunct(v.toks[s[1]-1].Label) {
		switch v.words[s[1]-1] {
		case ".", "!", "?", "…":
			return nil, nil // a sentence, not a headline
		}
	}
	end := s[1]
	for end > ce && isPunct(v.toks[end-1].Label) {
		end--
	}
	if n := end - ce; n < 1 || n > 5 || !isNPTag(v.chunk[ce]) {
		return nil, nil
	}
	for k := ce; k < end; k++ {
		src = append(src, k)
	}
	stop := cs - 1 // the comma
	for k := s[0]; k < stop; k++ {
		con = append(con, k)
	}
	if len(con) < 2 {
		return nil, nil
	}
	return src, con
}
