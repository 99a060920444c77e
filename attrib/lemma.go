package attrib

import (
	"bufio"
	_ "embed"
	"strings"
)

//go:embed data/irregular.tsv
var irregularData string

var irregular = func() map[string]string {
	m := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(irregularData))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		if form, base, ok := strings.Cut(line, "\t"); ok {
			m[form] = base
		}
	}
	return m
}()

// lemma reduces a lower-cased word to a rough base form: irregular verbs from data/irregular.tsv,
// then -ies, -ing, -ed, -es and -s endings stripped from longer words. It is a feature, not a
// dictionary: "claims" and "claimed" both give "claim", "announces" and "announced" "announc".
func lemma(w string) string {
	if b, ok := irregular[w]; ok {
		return b
	}
	switch {
	case len(w) > 5 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 5 && strings.HasSuffix(w, "ing"):
		return strings.TrimSuffix(w[:len(w)-3], "e")
	case len(w) > 4 && strings.HasSuffix(w, "ed"):
		return strings.TrimSuffix(w[:len(w)-2], "e")
	case len(w) > 4 && (strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "sses")):
		return w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us"):
		return strings.TrimSuffix(w[:len(w)-1], "e")
	}
	return strings.TrimSuffix(w, "e")
}

//go:embed data/cues.txt
var cuesData string

// cueWords are the lemmas of the reporting verbs and nouns of data/cues.txt and of their regular
// inflections.
var cueWords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(cuesData, "\n") {
		w := strings.TrimSpace(line)
		if w == "" || w[0] == '#' {
			continue
		}
		for _, f := range inflections(w) {
			m[lemma(f)] = true
		}
	}
	return m
}()

// inflections returns a base form with its regular -s, -ed and -ing forms.
func inflections(w string) []string {
	stem := w
	switch {
	case strings.HasSuffix(w, "e"):
		stem = w[:len(w)-1]
		return []string{w, w + "s", w + "d", stem + "ing"}
	case strings.HasSuffix(w, "y") && len(w) > 2 && !strings.ContainsRune("aeiou", rune(w[len(w)-2])):
		stem = w[:len(w)-1]
		return []string{w, stem + "ies", stem + "ied", w + "ing"}
	case strings.HasSuffix(w, "s") || strings.HasSuffix(w, "sh") || strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "x"):
		return []string{w, w + "es", w + "ed", w + "ing"}
	}
	return []string{w, w + "s", w + "ed", w + "ing"}
}

// isCueWord reports whether a lemma is that of a reporting verb or noun of data/cues.txt.
func isCueWord(l string) bool { return cueWords[l] }
