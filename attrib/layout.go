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
		}
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
