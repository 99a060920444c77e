package attrib

import "strings"

// nameWords are the words of a speaker's name that identify it: lower-cased, without titles and
// articles; of a possessive phrase only what follows the possessive ("Andrew Fisher's mother" is
// "mother", not Andrew Fisher), and a final possessive dropped ("Mr Blair's" is "blair").
func nameWords(s string) []string {
	var out []string
	fields := strings.Fields(strings.ToLower(s))
	for i, w := range fields {
		w = strings.Trim(w, ".,\"“”")
		if base, ok := cutPossessive(w); ok {
			if i < len(fields)-1 {
				out = out[:0] // the possessor: the name is what it owns
				continue
			}
			w = base
		}
		w = strings.Trim(w, "'’")
		switch w {
		case "", "the", "a", "an", "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "lord", "lady", "dame":
			continue
		}
		out = append(out, w)
	}
	return out
}

func cutPossessive(w string) (string, bool) {
	for _, suf := range []string{"'s", "’s", "s'", "s’"} {
		if b, ok := strings.CutSuffix(w, suf); ok && b != "" {
			return b, true
		}
	}
	return w, false
}

// SameSpeaker reports whether a predicted speaker name is the reader's: the words of one are all
// words of the other ("Blair" is "Tony Blair"; "Yukos" is "a Yukos spokesman"), or both are nobody
// ("-" and no name).
func SameSpeaker(gold, pred string) bool {
	if gold == "-" || pred == "" {
		return gold == "-" && pred == ""
	}
	g, p := nameWords(gold), nameWords(pred)
	if len(g) == 0 || len(p) == 0 {
		return false
	}
	if len(g) > len(p) {
		g, p = p, g
	}
	in := map[string]bool{}
	for _, w := range p {
		in[w] = true
	}
	for _, w := range g {
		if !in[w] {
			return false
		}
	}
	return true
}
