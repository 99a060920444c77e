package attrib

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph/tokenize"
)

// Attributions that the page layout makes rather than a reporting verb, which the cue tagger (a
// tagger of words) does not see:
//
//   - a quotation signed with a dash: “… our greatest shame.” ― Sonya Herridge
//   - a speaker's name and a colon opening a paragraph or a headline: WALLACE: Let's start with …;
//     Pence: Gennifer Flowers Won't Be at Debate
//
// PolNeAR annotates both, with the dash or the colon as the cue.

// layoutRelations finds them; taken marks the tokens already a cue.
func layoutRelations(v *view, taken []bool) []found {
	var out []found
	for i := range v.toks {
		if taken[i] {
			continue
		}
		if r, ok := signedQuote(v, i); ok {
			out = append(out, r)
			continue
		}
		if r, ok := colonSpeaker(v, i); ok {
			out = append(out, r)
			continue
		}
		if r, ok := quoteThenVerb(v, i); ok {
			out = append(out, r)
		}
	}
	return out
}

// quoteThenVerb: a quotation that opens a sentence (or follows a colon) and ends with a comma, a
// question or an exclamation mark inside its closing mark, then a verb in the past tense or the
// third person present with a named person or a personal pronoun on either side of it, in the
// same sentence: “…,” underlined Mr Saldarriaga; “…?” she wondered. The verb is the cue, whatever
// it is: the layout says it reports the quotation. i is the verb.
func quoteThenVerb(v *view, i int) (found, bool) {
	switch {
	case v.pos[i] == "VBD" || v.pos[i] == "VBZ":
	case (v.pos[i] == "VBN" || v.pos[i] == "JJ" && strings.HasSuffix(v.lower[i], "ed")) && i >= 1 && v.toks[i-1].Label == tokenize.QuoteClose && v.lower[i] == v.words[i]:
		// A rare past tense the tagger read as a participle or an adjective ("underlined"):
		// only right after the quotation, where neither stands.
	default:
		return found{}, false
	}
	// The source: a person entity or a pronoun right after the verb, or right before it.
	var src []int
	closeAt := -1
	switch {
	case i >= 2 && v.toks[i-1].Label == tokenize.QuoteClose:
		closeAt = i - 1
		src = personAt(v, i+1, true)
	default:
		src = personAt(v, i-1, false)
		if len(src) > 0 && src[0] >= 2 && v.toks[src[0]-1].Label == tokenize.QuoteClose {
			closeAt = src[0] - 1
		} else {
			src = nil
		}
	}
	if len(src) == 0 || closeAt < 1 {
		return found{}, false
	}
	switch v.words[closeAt-1] {
	case ",", "?", "!":
	default:
		return found{}, false
	}
	if v.sent[i] != v.sent[closeAt] || v.sent[src[0]] != v.sent[i] {
		return found{}, false // the sentence went on: "… "Go home!" John Smith left early."
	}
	// The quotation's first opening mark (a quotation over several paragraphs has one on each).
	id := v.toks[closeAt].ID
	open := -1
	for k := closeAt - 1; k >= 0 && k >= closeAt-maxReach; k-- {
		if v.toks[k].Label == tokenize.QuoteOpen && v.toks[k].ID == id {
			open = k
		}
	}
	if open < 0 {
		return found{}, false
	}
	// It must open a sentence or follow a colon, not stand inside one as a phrase ("Despite the
	// "special relationship," Bush ignored Blair").
	if open > 0 && v.sent[open-1] == v.sent[open] && v.words[open-1] != ":" {
		return found{}, false
	}
	con := make([]int, 0, closeAt+1-open)
	for k := open; k <= closeAt; k++ {
		con = append(con, k)
	}
	return found{cue: []int{i}, src: src, con: con}, true
}

// personAt returns the tokens of a person entity or a personal pronoun (he, she, I, we, they)
// that starts (forward) or ends (backward) at token k, or nil.
func personAt(v *view, k int, forward bool) []int {
	if k < 0 || k >= len(v.toks) {
		return nil
	}
	if personalPronoun(v.lower[k]) {
		return []int{k}
	}
	e := v.ent[k]
	if e < 0 || v.ents[e].Label != "PER" {
		return nil
	}
	a, b := v.covering(v.ents[e].Start, v.ents[e].End)
	if forward && a != k || !forward && b != k+1 {
		return nil
	}
	out := make([]int, 0, b-a)
	for j := a; j < b; j++ {
		out = append(out, j)
	}
	return out
}

func isDash(w string) bool { return w == "―" || w == "—" || w == "–" }

// signedQuote: a dash right after a closing quotation mark, followed by a name to the end of the
// line: the quotation is the content, the dash the cue, the name the source.
func signedQuote(v *view, i int) (found, bool) {
	if !isDash(v.words[i]) || i == 0 || !isQuoteMark(v.toks[i-1].Label) {
		return found{}, false
	}
	// The name: capitalised words and initials on the same line after the dash.
	var src []int
	text := v.d.Text()
	for k := i + 1; k < len(v.toks) && k <= i+6; k++ {
		if strings.ContainsAny(text[v.toks[k-1].End:v.toks[k].Start], "\n\r") {
			break
		}
		w := v.words[k]
		if w == "." && len(src) > 0 {
			break // the full stop after the name
		}
		if !capitalised(w) {
			break
		}
		src = append(src, k)
	}
	if len(src) == 0 || len(src) > 5 {
		return found{}, false
	}
	// The name ends its line (a signature, not a sentence going on after a dash).
	next := src[len(src)-1] + 1
	if next < len(v.toks) && v.words[next] == "." {
		next++
	}
	if next < len(v.toks) && v.para[next] == v.para[i] && !strings.ContainsAny(text[v.toks[next-1].End:v.toks[next].Start], "\n\r") {
		return found{}, false
	}
	// The quotation: back from its closing mark to the opening mark of the same pair; where the
	// marks are not paired (a quotation opened with ” as well), back to the quotation mark before
	// it in the paragraph.
	id := v.toks[i-1].ID
	open := -1
	for k := i - 2; k >= 0 && k >= i-1-maxReach && v.para[k] == v.para[i]; k-- {
		if id != "" && v.toks[k].Label == tokenize.QuoteOpen && v.toks[k].ID == id {
			open = k
			break
		}
	}
	if open < 0 {
		for k := i - 2; k >= 0 && k >= i-1-maxReach && v.para[k] == v.para[i]; k-- {
			if isQuoteMark(v.toks[k].Label) {
				open = k
				break
			}
		}
	}
	if open < 0 {
		return found{}, false
	}
	con := make([]int, 0, i-open)
	for k := open; k < i; k++ {
		con = append(con, k)
	}
	return found{cue: []int{i}, src: src, con: con}, true
}

// colonSpeaker: one to four capitalised words opening a paragraph (after an opening quotation
// mark, as transcripts quote each turn), a colon, and at least three words: the name is the
// source, the colon the cue, the rest of the paragraph the content. The name must be an entity the
// tagger found, or a single word in capitals (a transcript's speaker), and no label word
// ("UPDATE:", "Photo:").
func colonSpeaker(v *view, i int) (found, bool) {
	if v.words[i] != ":" {
		return found{}, false
	}
	start := i
	for start > 0 && v.para[start-1] == v.para[i] && i-start < 5 {
		start--
	}
	first := start
	if v.toks[first].Label == tokenize.QuoteOpen || v.toks[first].Label == tokenize.Quote {
		first++
	}
	if first >= i || i-first > 4 {
		return found{}, false
	}
	// The colon must come within the first words of its paragraph.
	if start > 0 && v.para[start-1] == v.para[i] {
		return found{}, false
	}
	src := make([]int, 0, i-first)
	ent, caps := true, true
	for k := first; k < i; k++ {
		w := v.words[k]
		if !capitalised(w) || labelWords[strings.ToLower(w)] {
			return found{}, false
		}
		if v.ent[k] < 0 || v.entTag[k] == "B-MISC" || v.entTag[k] == "I-MISC" {
			ent = false
		}
		if strings.ToUpper(w) != w || utf8.RuneCountInString(w) < 2 {
			caps = false
		}
		src = append(src, k)
	}
	if !ent && !(caps && len(src) == 1) {
		return found{}, false
	}
	var con []int
	for k := i + 1; k < len(v.toks) && v.para[k] == v.para[i] && k <= i+maxReach; k++ {
		con = append(con, k)
	}
	words := 0
	for _, k := range con {
		if !isPunct(v.toks[k].Label) {
			words++
		}
	}
	if words < 3 {
		return found{}, false
	}
	return found{cue: []int{i}, src: src, con: con}, true
}

// labelWords open a line with a colon without naming a speaker.
var labelWords = map[string]bool{
	"update": true, "updated": true, "watch": true, "related": true, "photo": true, "photos": true, "video": true,
	"note": true, "editor": true, "read": true, "more": true, "breaking": true, "exclusive": true, "source": true,
	"sources": true, "credit": true, "image": true, "caption": true, "q": true, "a": true, "question": true,
	"answer": true, "analysis": true, "opinion": true, "live": true, "transcript": true,
}

func capitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}
