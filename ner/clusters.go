package ner

import (
	_ "embed"
	"fmt"
	"strings"
)

//go:embed data/clusters.tsv
var clustersData string

// wordClusters maps a word (as written) to its fine and coarse cluster names, learned from
// unlabeled news text (tools/mkclusters).
type wordClusters map[string][2]string

func parseClusters(data string) (wordClusters, error) {
	wc := wordClusters{}
	for n, line := range strings.Split(data, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("clusters.tsv:%d: want word<TAB>fine<TAB>coarse", n+1)
		}
		wc[f[0]] = [2]string{f[1], f[2]}
	}
	return wc, nil
}

// of returns the clusters of a word, trying it as written, then in lower case, then capitalised.
func (wc wordClusters) of(t token) ([2]string, bool) {
	if c, ok := wc[t.word]; ok {
		return c, true
	}
	if c, ok := wc[t.lower]; ok {
		return c, true
	}
	if t.lower != "" {
		c, ok := wc[strings.ToUpper(t.lower[:1])+t.lower[1:]]
		return c, ok
	}
	return [2]string{}, false
}
