package attrib

import "strings"

// ruleExtract finds relations by rules alone, the baseline the learned taggers are measured
// against (docs/eval.md, models/attrib/README.md): a cue is a finite or participle reporting verb of
// data/cues.txt, or "according to"; the source is the noun phrase right before the cue (or, for
// "said Smith", right after it); the content is the clause after "that", the sentence before
// ", X said", or the rest of the sentence after the cue.
func ruleExtract(v *view) []found {
	var out []found
	for _, s := range v.sents {
		for i := s[0]; i < s[1]; i++ {
			if i+1 < s[1] && isAccordingTo(v, i, i+2) {
				if r, ok := accordingTo(v, found{cue: []int{i, i + 1}}, i, i+2); ok {
					out = append(out, r)
				}
				i++
				continue
			}
			if !strings.HasPrefix(v.pos[i], "VB") || v.pos[i] == "VB" || !isCueWord(v.lemma[i]) {
				continue
			}
			r := found{cue: []int{i}}
			// Source: the noun phrase before the cue (skipping adverbs), else the one after it.
			k := i - 1
			for k >= s[0] && strings.HasPrefix(v.pos[k], "RB") {
				k--
			}
			srcEnd := k + 1
			for k >= s[0] && isNPTag(v.chunk[k]) {
				k--
			}
			after := false
			if k+1 < srcEnd {
				for j := k + 1; j < srcEnd; j++ {
					r.src = append(r.src, j)
				}
			} else {
				j := i + 1
				for j < s[1] && isNPTag(v.chunk[j]) {
					r.src = append(r.src, j)
					j++
				}
				after = len(r.src) > 0
			}
			end := s[1]
			for end > s[0] && isPunct(v.toks[end-1].Label) && !isQuoteMark(v.toks[end-1].Label) {
				end--
			}
			first := s[0]
			if len(r.src) > 0 && !after {
				first = r.src[0]
			}
			switch {
			case i+1 < s[1] && v.lower[i+1] == "that":
				for j := i + 2; j < end; j++ {
					r.con = append(r.con, j)
				}
			case first > s[0] && (v.words[first-1] == "," || v.toks[first-1].Label == "quote-close"):
				// "…, X said" / "“…,” X said": the sentence before the comma or the quotation.
				stop := first - 1
				if v.toks[stop].Label == "quote-close" {
					stop++ // the closing mark belongs to the content
				}
				for j := s[0]; j < stop; j++ {
					r.con = append(r.con, j)
				}
			case after && i > s[0] && (v.words[i-1] == "," || v.toks[i-1].Label == "quote-close"):
				// "“…,” said Smith."
				stop := i - 1
				if v.toks[stop].Label == "quote-close" {
					stop++
				}
				for j := s[0]; j < stop; j++ {
					r.con = append(r.con, j)
				}
			default:
				start := i + 1
				if after {
					start = r.src[len(r.src)-1] + 1
				}
				for j := start; j < end; j++ {
					r.con = append(r.con, j)
				}
			}
			if len(r.con) > 0 {
				out = append(out, r)
			}
		}
	}
	return out
}

func isNPTag(c string) bool { return strings.HasSuffix(c, "-NP") }
