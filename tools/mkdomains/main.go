// Command mkdomains builds outlet/data/domains.tsv, the web domains of news outlets and the
// canonical names newsgraph gives them, from its curated list (tools/mkdomains/curated.tsv) and the
// fundus project's outlet list in the shared gazetteers. Run from the repository root:
//
//	go run ./tools/mkdomains -fundus ../shared/data/gazetteers/outlets/outlets-fundus.tsv -out outlet/data/domains.tsv
//
// Each output line is "domain<TAB>name": the domain lower-cased without "www.", sorted, one line a
// domain; a curated line wins over fundus's.
package main

import (
	"bufio"
	_ "embed"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

//go:embed curated.tsv
var curated string

func main() {
	fundus := flag.String("fundus", "../shared/data/gazetteers/outlets/outlets-fundus.tsv", "the fundus outlet list (country, name, domain, url, languages)")
	out := flag.String("out", "outlet/data/domains.tsv", "the file to write")
	flag.Parse()
	if err := run(*fundus, *out); err != nil {
		fmt.Fprintln(os.Stderr, "mkdomains:", err)
		os.Exit(1)
	}
}

func run(fundus, out string) error {
	m := map[string]string{}
	for n, line := range strings.Split(curated, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		d, name, ok := strings.Cut(line, "\t")
		if !ok || d == "" || name == "" {
			return fmt.Errorf("curated.tsv:%d: want domain<TAB>name", n+1)
		}
		m[domain(d)] = name
	}
	f, err := os.Open(fundus)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 0; sc.Scan(); n++ {
		c := strings.Split(sc.Text(), "\t")
		if n == 0 || len(c) < 3 {
			continue // the header
		}
		if d := domain(c[2]); d != "" && c[1] != "" && m[d] == "" {
			m[d] = c[1]
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("# Web domains of news outlets and their canonical names. Built by tools/mkdomains from its curated\n# list and the fundus project's outlets (../shared/data/gazetteers/outlets). domain<TAB>name\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s\t%s\n", k, m[k])
	}
	return os.WriteFile(out, []byte(b.String()), 0o644)
}

// domain lower-cases a host and removes "www.".
func domain(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.TrimPrefix(s, "www.")
}
