package ner

import (
	"fmt"
	"strings"

	"github.com/newsgraph/newsgraph/outlet"
)

// outletsData is the outlet table (outlet/data/outlets.tsv).
var outletsData = outlet.Table

// Outlet is a news outlet or wire agency.
type Outlet = outlet.Outlet

// outlets maps every name and alias (without a leading "the") to its outlet.
type outlets map[string]Outlet

func parseOutlets(data string) (outlets, error) {
	o := outlets{}
	for n, line := range strings.Split(data, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 || f[0] == "" || (f[1] != "agency" && f[1] != "outlet") {
			return nil, fmt.Errorf("outlets.tsv:%d: want name<TAB>agency|outlet<TAB>aliases", n+1)
		}
		out := Outlet{Name: f[0], Kind: f[1]}
		names := []string{f[0]}
		if f[2] != "" {
			names = append(names, strings.Split(f[2], "|")...)
		}
		for _, a := range names {
			if _, ok := o[stripThe(a)]; !ok { // the first row that names it wins
				o[stripThe(a)] = out
			}
		}
	}
	return o, nil
}

// stripThe removes a leading "the " or "The ".
func stripThe(s string) string {
	if strings.HasPrefix(s, "the ") || strings.HasPrefix(s, "The ") {
		return s[4:]
	}
	return s
}

// lookup returns the outlet an entity's text names, if any.
func (o outlets) lookup(text string) (Outlet, bool) {
	out, ok := o[stripThe(text)]
	return out, ok
}
