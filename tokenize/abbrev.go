package tokenize

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AbbrevKind says how an abbreviation behaves at a possible sentence end.
type AbbrevKind uint8

// Abbreviation kinds (see data/abbreviations.tsv).
const (
	NotAbbrev AbbrevKind = iota
	// AbbrevGeneral may end a sentence: Inc., U.S., a.m., Jan.
	AbbrevGeneral
	// AbbrevTitle precedes a name and never ends a sentence: Mr., Gen., Sen.
	AbbrevTitle
	// AbbrevNumber is an abbreviation only before a number: No. 5, p. 55.
	AbbrevNumber
	// AbbrevInitial is a single letter: the E. of Jonas E. Smith.
	AbbrevInitial
)

type abbrevEntry struct {
	kind    AbbrevKind
	capOnly bool
}

//go:embed data/abbreviations.tsv
var abbrevData string

var abbrevs = mustParseAbbrevs(abbrevData)

func mustParseAbbrevs(data string) map[string]abbrevEntry {
	m, err := parseAbbrevs(data)
	if err != nil {
		// The file is embedded and tested; a broken one is a build defect, caught by the tests.
		panic(err)
	}
	return m
}

func parseAbbrevs(data string) (map[string]abbrevEntry, error) {
	m := map[string]abbrevEntry{}
	sc := bufio.NewScanner(strings.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("abbreviations.tsv:%d: want 3 tab-separated fields, got %d", n, len(f))
		}
		var e abbrevEntry
		switch f[0] {
		case "title":
			e.kind = AbbrevTitle
		case "number":
			e.kind = AbbrevNumber
		case "general":
			e.kind = AbbrevGeneral
		default:
			return nil, fmt.Errorf("abbreviations.tsv:%d: unknown kind %q", n, f[0])
		}
		switch f[2] {
		case "cap":
			e.capOnly = true
		case "any":
		default:
			return nil, fmt.Errorf("abbreviations.tsv:%d: third field must be cap or any, got %q", n, f[2])
		}
		m[f[1]] = e
	}
	return m, sc.Err()
}

// Abbrev classifies word, a token text that ends in a period ("Mr.", "U.S.", "E."). nextDigit says
// whether the next token starts with a digit (number abbreviations need one).
func Abbrev(word string, nextDigit bool) AbbrevKind {
	if len(word) < 2 || word[len(word)-1] != '.' {
		return NotAbbrev
	}
	core := word[:len(word)-1]
	r, n := firstRune(core)
	if n == len(core) && unicode.IsLetter(r) {
		return AbbrevInitial
	}
	if e, ok := lookupAbbrev(core); ok {
		if e.capOnly && !unicode.IsUpper(r) {
			return NotAbbrev
		}
		if e.kind == AbbrevNumber && !nextDigit {
			return NotAbbrev
		}
		return e.kind
	}
	if dottedLetters(core) {
		return AbbrevGeneral
	}
	return NotAbbrev
}

// lookupAbbrev looks core up case-insensitively without allocating for short ASCII words.
func lookupAbbrev(core string) (abbrevEntry, bool) {
	if len(core) > 16 {
		return abbrevEntry{}, false
	}
	var buf [16]byte
	ascii := true
	for i := 0; i < len(core); i++ {
		c := core[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	if ascii {
		e, ok := abbrevs[string(buf[:len(core)])]
		return e, ok
	}
	e, ok := abbrevs[strings.ToLower(core)]
	return e, ok
}

// dottedLetters reports whether s is letters separated by single periods, each group one or two
// letters long: "U.S", "a.m", "e.g", "D.C", "U.S.A".
func dottedLetters(s string) bool {
	groups, run := 0, 0
	for _, r := range s {
		switch {
		case r == '.':
			if run == 0 {
				return false
			}
			groups++
			run = 0
		case unicode.IsLetter(r):
			run++
			if run > 2 {
				return false
			}
		default:
			return false
		}
	}
	return run > 0 && groups >= 1
}
