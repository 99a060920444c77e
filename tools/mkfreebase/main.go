// Command mkfreebase builds ner/data/freebase.bin, the Freebase name lists the entity tagger reads
// as a second gazetteer (each list a category, matched as the longest phrases, see
// ner.EncodeGazetteerBin), from the shared data. Run from the repository root:
//
//	go run ./tools/mkfreebase -data ../shared/data/ner-resources/freebase -out ner/data/freebase.bin
//
// The lists are Freebase data (Google, CC BY 2.5), as collected by Ritter et al. 2011
// (aritter/twitter_nlp); NOTICE credits them. Names are lower-cased, their words split at white
// space (as the tagger's tokens are), names of more than five words and names without a letter left
// out. The noisiest lists (films, programmes, facilities: common words and phrases) are not used.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/newsgraph/newsgraph/ner"
)

// lists maps the Freebase files to categories (several files may share one).
var lists = []struct{ file, cat string }{
	{"government.politician", "FB_POLITICIAN"},
	{"sports.pro_athlete", "FB_ATHLETE"},
	{"sports.sports_team", "FB_TEAM"},
	{"sports.sports_league", "FB_LEAGUE"},
	{"education.university", "FB_UNIVERSITY"},
	{"government.government_agency", "FB_AGENCY"},
	{"book.newspaper", "FB_MEDIA"},
	{"tv.tv_network", "FB_MEDIA"},
	{"broadcast.tv_channel", "FB_MEDIA"},
	{"award.award", "FB_AWARD"},
	{"time.holiday", "FB_HOLIDAY"},
	{"time.recurring_event", "FB_EVENT"},
	{"base.events.festival_series", "FB_EVENT"},
	{"people.family_name", "FB_SURNAME"},
	{"venture_capital.venture_funded_company", "FB_COMPANY"},
	{"business.consumer_company", "FB_COMPANY"},
	{"business.brand", "FB_BRAND"},
	{"location.country", "FB_COUNTRY"},
}

func main() {
	data := flag.String("data", "../shared/data/ner-resources/freebase", "the shared Freebase lists folder")
	out := flag.String("out", "ner/data/freebase.bin", "output file")
	flag.Parse()
	phrases := map[string][]string{}
	var cats []string
	seen := map[string]bool{}
	for _, l := range lists {
		if !seen[l.cat] {
			seen[l.cat] = true
			cats = append(cats, l.cat)
		}
		n, err := read(filepath.Join(*data, l.file+".gz"), l.cat, phrases)
		if err != nil {
			fmt.Fprintln(os.Stderr, "mkfreebase:", err)
			os.Exit(1)
		}
		fmt.Printf("%-40s %-14s %7d names\n", l.file, l.cat, n)
	}
	b, err := ner.EncodeGazetteerBin(cats, phrases)
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkfreebase:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d phrases in %d categories, %d bytes\n", *out, len(phrases), len(cats), len(b))
}

func read(path, cat string, phrases map[string][]string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, fmt.Errorf("%s: %v", path, err)
	}
	n := 0
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		words := strings.Fields(strings.ToLower(sc.Text()))
		if len(words) == 0 || len(words) > 5 || strings.IndexFunc(strings.Join(words, ""), unicode.IsLetter) < 0 {
			continue
		}
		p := strings.Join(words, " ")
		if has(phrases[p], cat) {
			continue
		}
		phrases[p] = append(phrases[p], cat)
		n++
	}
	return n, sc.Err()
}

func has(cs []string, c string) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}
