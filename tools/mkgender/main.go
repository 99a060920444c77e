// Command mkgender builds attrib/data/firstnames.tsv, the first names whose sex the speaker
// resolver reads to match "he" and "she" to a person, from the US Social Security first-name
// counts in the shared gazetteer folder (public domain). Run from the repository root:
//
//	go run ./tools/mkgender -data ../shared/data/gazetteers -out attrib/data/firstnames.tsv
//
// A name is kept when at least -min babies had it (default 2,000) and at least -share of them
// (default 0.98) were of one sex. Each output line is "name<TAB>m" or "name<TAB>f", the name lower
// case, sorted, so the same input gives the same file.
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	data := flag.String("data", "../shared/data/gazetteers", "the shared gazetteer folder")
	out := flag.String("out", "attrib/data/firstnames.tsv", "the file to write")
	minBirths := flag.Int("min", 2000, "keep names at least this many babies had")
	share := flag.Float64("share", 0.98, "keep names at least this share of whose bearers were of one sex")
	flag.Parse()
	if err := run(filepath.Join(*data, "ner", "ssa-first-names", "ssa-first-names-1880-2020.tsv"), *out, *minBirths, *share); err != nil {
		fmt.Fprintln(os.Stderr, "mkgender:", err)
		os.Exit(1)
	}
}

func run(in, out string, minBirths int, share float64) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if len(head) < 3 || head[0] != "name" || head[1] != "sex" || head[2] != "total_births" {
		return fmt.Errorf("%s: unexpected header %q", in, head)
	}
	counts := map[string][2]int{} // male, female
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		n, err := strconv.Atoi(rec[2])
		if err != nil {
			return fmt.Errorf("%s: births %q: %w", in, rec[2], err)
		}
		name := strings.ToLower(rec[0])
		c := counts[name]
		switch rec[1] {
		case "M":
			c[0] += n
		case "F":
			c[1] += n
		default:
			return fmt.Errorf("%s: sex %q", in, rec[1])
		}
		counts[name] = c
	}
	var lines []string
	for name, c := range counts {
		total := c[0] + c[1]
		switch {
		case total < minBirths:
		case float64(c[0]) >= share*float64(total):
			lines = append(lines, name+"\tm")
		case float64(c[1]) >= share*float64(total):
			lines = append(lines, name+"\tf")
		}
	}
	sort.Strings(lines)
	text := "# First names of one sex, from US Social Security first-name counts 1880-2020 (public domain),\n" +
		fmt.Sprintf("# at least %d births and %.0f%% of one sex. Built by go run ./tools/mkgender.\n", minBirths, 100*share) +
		strings.Join(lines, "\n") + "\n"
	return os.WriteFile(out, []byte(text), 0o644)
}
