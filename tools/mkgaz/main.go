// Command mkgaz builds ner/data/gazetteer.tsv, the name lists the NER tagger reads, from the shared
// gazetteer folder. Run from the repository root:
//
//	go run ./tools/mkgaz -data ../shared/data/gazetteers -out ner/data/gazetteer.tsv
//
// Each output line is "CATEGORY<TAB>phrase", the phrase lower-cased with its words separated by one
// space, sorted and without duplicates, so the same input gives the same file.
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// gateLists maps GATE ANNIE list files to categories.
var gateLists = map[string]string{
	"person_first.lst": "PFIRST", "person_female.lst": "PFIRST", "person_male.lst": "PFIRST",
	"person_full.lst": "PFULL", "cabinet_ministers.lst": "PFULL", "foreign_ministers.lst": "PFULL",
	"person_sci.lst": "PFULL", "other_people.lst": "PFULL", "person_celebrity_surname.lst": "PLAST",
	"title.lst": "TITLE", "title_female.lst": "TITLE", "title_male.lst": "TITLE", "title_mil.lst": "TITLE",
	"title_pol.lst": "TITLE", "jobtitles.lst": "TITLE",
	"country.lst": "COUNTRY", "country_adj.lst": "NAT", "new_adj.lst": "NAT", "religious_adj.lst": "NAT",
	"city.lst": "CITY", "city_uk.lst": "CITY", "province.lst": "REGION", "region.lst": "REGION",
	"state_us.lst": "REGION", "mountain.lst": "GEO", "rivers.lst": "GEO", "water.lst": "GEO",
	"loc_other.lst": "GEO", "airports.lst": "FACILITY", "facility.lst": "FACILITY",
	"company.lst": "COMPANY", "companies_uk.lst": "COMPANY", "more_company.lst": "COMPANY",
	"organization.lst": "ORG", "org_base.lst": "ORG", "political_party.lst": "ORG",
	"newspapers.lst": "ORG", "tvcompany.lst": "ORG", "radio_stations_uk.lst": "ORG",
	"university_uk.lst": "ORG", "charities.lst": "ORG", "government.lst": "ORG", "ministry.lst": "ORG",
	"department.lst": "ORG", "team.lst": "TEAM", "mlb-teams.lst": "TEAM", "nba-teams.lst": "TEAM",
	"nfl-teams.lst": "TEAM", "org_key.lst": "ORGKEY", "org_ending.lst": "ORGKEY", "othorg_key.lst": "ORGKEY",
	"loc_key.lst": "LOCKEY", "loc_generalkey.lst": "LOCKEY", "festival.lst": "EVENT",
}

type set map[[2]string]bool

func (s set) add(cat, phrase string) {
	phrase = strings.Join(strings.Fields(strings.ToLower(phrase)), " ")
	if phrase == "" || len(phrase) < 2 || strings.Count(phrase, " ") > 4 {
		return
	}
	s[[2]string{cat, phrase}] = true
}

func main() {
	data := flag.String("data", "../shared/data/gazetteers", "the shared gazetteers folder")
	out := flag.String("out", "ner/data/gazetteer.tsv", "output file")
	minFirst := flag.Int("min-first", 1000, "keep SSA first names with at least this many births")
	curated := flag.String("curated", "tools/mkgaz/curated.tsv", "newsgraph's own additions (CATEGORY<TAB>phrase)")
	minLast := flag.Int("min-last", 2000, "keep Census surnames with at least this count")
	flag.Parse()
	s := set{}
	check := func(err error) {
		if err != nil {
			fmt.Fprintln(os.Stderr, "mkgaz:", err)
			os.Exit(1)
		}
	}
	for file, cat := range gateLists {
		check(eachLine(filepath.Join(*data, "ner/gate-annie", file), func(l string) {
			name, _, _ := strings.Cut(l, ":")
			s.add(cat, name)
		}))
	}
	check(eachRecord(filepath.Join(*data, "ner/ssa-first-names/ssa-first-names-1880-2020.tsv"), '\t', func(r []string) {
		if n, _ := strconv.Atoi(r[2]); n >= *minFirst {
			s.add("PFIRST", r[0])
		}
	}))
	check(eachRecord(filepath.Join(*data, "ner/census-surnames/census2010-surnames.csv"), ',', func(r []string) {
		if n, _ := strconv.Atoi(r[1]); n >= *minLast {
			s.add("PLAST", r[0])
		}
	}))
	check(eachLine(filepath.Join(*data, "ner/openfootball-clubs/club-names.lst"), func(l string) {
		// "$$Sponsor$$ Club Name": the sponsor part is optional in use; keep the name without it.
		if i := strings.LastIndex(l, "$$"); i >= 0 {
			l = l[i+2:]
		}
		s.add("TEAM", l)
	}))
	check(eachRecord(filepath.Join(*data, "countries/countries.tsv"), '\t', func(r []string) {
		s.add("COUNTRY", r[3])
		s.add("COUNTRY", r[4])
		for _, a := range strings.Split(r[7], "|") {
			if len(a) >= 4 {
				s.add("COUNTRY", a)
			}
		}
		s.add("NAT", r[5])
		s.add("NAT", r[6])
		s.add("CITY", r[8])
	}))
	check(eachRecord(filepath.Join(*data, "cities/cities15000.tsv"), '\t', func(r []string) {
		s.add("CITY", r[1])
		s.add("CITY", r[2])
	}))
	check(eachRecord(filepath.Join(*data, "cities/cities15000-altnames-latin-pop100k.tsv"), '\t', func(r []string) {
		if len(r) > 4 {
			for _, a := range strings.Split(r[4], "|") {
				s.add("CITY", a)
			}
		}
	}))
	check(eachRecord(filepath.Join(*data, "cities/admin1CodesASCII.txt"), '\t', func(r []string) {
		s.add("REGION", r[1])
	}))
	check(eachLine(*curated, func(l string) {
		if cat, phrase, ok := strings.Cut(l, "\t"); ok {
			s.add(cat, phrase)
		}
	}))
	rows := make([]string, 0, len(s))
	for k := range s {
		rows = append(rows, k[0]+"\t"+k[1])
	}
	sort.Strings(rows)
	f, err := os.Create(*out)
	check(err)
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "# Built by `go run ./tools/mkgaz` from ../shared/data/gazetteers: GATE ANNIE lists (LGPL-3.0,")
	fmt.Fprintln(w, "# GATE, University of Sheffield), US SSA first names and US Census surnames (public domain),")
	fmt.Fprintln(w, "# openfootball clubs (CC0), mledoze/countries (ODbL 1.0), GeoNames cities (CC BY 4.0),")
	fmt.Fprintln(w, "# and newsgraph's own additions in tools/mkgaz/curated.tsv.")
	for _, r := range rows {
		fmt.Fprintln(w, r)
	}
	check(w.Flush())
	check(f.Close())
	fmt.Printf("wrote %s: %d entries\n", *out, len(rows))
}

func eachLine(path string, fn func(string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			fn(l)
		}
	}
	return sc.Err()
}

// eachRecord reads a delimited file; a header line is skipped for .tsv and .csv files.
func eachRecord(path string, sep rune, fn func([]string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header := strings.HasSuffix(path, ".tsv") || strings.HasSuffix(path, ".csv")
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if header {
			header = false
			continue
		}
		fn(rec)
	}
}
