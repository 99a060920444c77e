package ner

import (
	"bufio"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

//go:embed data/case.tsv
var caseData string

// casePrior maps a lower-cased word to how often unlabeled news writes it with a capital away from
// a sentence start, as a bin name (tools/mkcase builds the data).
type casePrior map[string]string

func parseCasePrior(data string) (casePrior, error) {
	cp := casePrior{}
	sc := bufio.NewScanner(strings.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("case.tsv:%d: want word<TAB>capitalised<TAB>lower", n)
		}
		c, err1 := strconv.Atoi(f[1])
		l, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("case.tsv:%d: bad counts", n)
		}
		cp[f[0]] = caseBin(c, l)
	}
	return cp, sc.Err()
}

// caseBin names the share of capitalised uses, coarsely.
func caseBin(capital, lower int) string {
	r := float64(capital) / float64(capital+lower)
	switch {
	case r >= 0.95:
		return "always"
	case r >= 0.6:
		return "mostly"
	case r >= 0.2:
		return "often"
	case r > 0.02:
		return "rarely"
	}
	return "never"
}
