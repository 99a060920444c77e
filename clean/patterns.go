package clean

import (
	"bufio"
	_ "embed"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph"
)

//go:embed data/boilerplate.tsv
var boilerplateData string

//go:embed data/agencies.txt
var agenciesData string

// agencies are the names a wire tag may carry (data/agencies.txt).
var agencies = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(agenciesData, "\n") {
		if l = strings.TrimSpace(l); l != "" && l[0] != '#' {
			m[l] = true
		}
	}
	return m
}()

type pattern struct {
	kind string
	re   *regexp.Regexp
}

var patterns = mustPatterns(boilerplateData)

func mustPatterns(data string) []pattern {
	p, err := parsePatterns(data)
	if err != nil {
		panic(err) // embedded data, checked by the tests
	}
	return p
}

func parsePatterns(data string) ([]pattern, error) {
	var out []pattern
	sc := bufio.NewScanner(strings.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		kind, expr, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("boilerplate.tsv:%d: want kind<TAB>regexp", n)
		}
		re, err := regexp.Compile("(?i)" + expr)
		if err != nil {
			return nil, fmt.Errorf("boilerplate.tsv:%d: %v", n, err)
		}
		out = append(out, pattern{kind, re})
	}
	return out, sc.Err()
}

// maxBoilerplateLine is the longest line that can be boilerplate; longer lines are article text.
const maxBoilerplateLine = 250

// boilerKind returns the boilerplate kind of a trimmed line, or "".
func boilerKind(s string) string {
	if len(s) > maxBoilerplateLine || !maybeBoiler(s) {
		return ""
	}
	for _, p := range patterns {
		if p.re.MatchString(s) {
			return p.kind
		}
	}
	return ""
}

// maybeBoiler is a cheap filter that lets most lines of article text skip the regular expressions.
// Every pattern is anchored at the start of the line, and then needs one of firstWords as the
// line's first word (or a digit, "(" or "©" first), or at its end, and then needs one of endWords
// in its last bytes.
func maybeBoiler(s string) bool {
	if s == "" || strings.HasPrefix(s, "©") || s[0] == '(' || s[0] >= '0' && s[0] <= '9' {
		return s != ""
	}
	k := 0
	for k < len(s) && k < 16 && (s[k]|0x20 >= 'a' && s[k]|0x20 <= 'z' || s[k] == '-') {
		k++
	}
	var buf [64]byte
	if firstWords[string(appendLower(buf[:0], s[:k]))] {
		return true
	}
	tail := s
	if len(tail) > len(buf) {
		tail = tail[len(tail)-len(buf):]
	}
	l := string(appendLower(buf[:0], tail))
	for _, w := range endWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// firstWords are the first words of the patterns anchored at the start of a line; endWords the
// words of those anchored at its end (data/boilerplate.tsv). TestBoilerplate keeps them in step.
var firstWords = map[string]bool{}

var endWords = []string{"reserved", "getty images", "shutterstock", "ap photo/", "reuters/", "this report", "this story", "this article"}

func init() {
	for _, w := range strings.Fields(`copyright all this additional reporting writing editing compiled produced
		research graphic graphics video videos photo photos image images picture pictures illustration
		illustrations ap afp reuter reuters getty epa efe contact email e-mail follow click tap share tweet
		print pin save like subscribe sign join download register log get receive advertisement
		sponsored story continue scroll skip related read see more also recommended most trending
		watch listen top you comments comment tune`) {
		firstWords[w] = true
	}
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

var (
	bylineRe    = regexp.MustCompile(`^(?:By|BY)\s+([A-Z][\p{L}.'’-]+(?:\s+(?:[A-Z][\p{L}.'’-]+|de|van|von|al-?|bin|el))*(?:(?:,|\s+and)\s+[A-Z][\p{L}.'’-]+(?:\s+[A-Z][\p{L}.'’-]+)*)*)(?:\s*[,|]\s*.{0,60})?$`)
	copyrightRe = regexp.MustCompile(`(?i)^(?:©|\(c\)|copyright)\s*(?:©|\(c\))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*(?:by\s+)?(.+?)\s*(?:,?\s*(?:inc|llc|ltd|corp|plc)\.?)?\s*(?:[.;,]\s*all rights reserved.*|\.?\s*$)`)
	datelineRe  = regexp.MustCompile(`^(?:(\p{Lu}[\p{Lu}'.]+(?:-\p{Lu}[\p{Lu}'.]*)*(?: \p{Lu}[\p{Lu}'.]+(?:-\p{Lu}[\p{Lu}'.]*)*)*(?:, \p{Lu}[\p{L}.]+(?: \p{Lu}[\p{L}.]+)*)?)(?:, ((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:, \d{4})?))? *)?(?:\((\p{Lu}[\p{L} .&'-]{0,40})\) *(?:(?:-{1,2}|—|–) *)?|(?:-{1,2}|—|–) *)`)
)

// byline returns the names of a byline paragraph ("By Jane Smith and John Doe, Reuters"). A
// sentence that starts with "By" ("By Monday, the Taliban had taken the city.") is not one.
func byline(s string) (string, bool) {
	if len(s) > 120 || terminal(s) {
		return "", false
	}
	m := bylineRe.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	first, _, _ := strings.Cut(m[1], " ")
	if notNames[strings.TrimRight(first, ",.")] {
		return "", false
	}
	return m[1], true
}

// notNames are capitalised words that follow "By" at the start of a sentence but start no name.
var notNames = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`January February March April May June July August September October
		November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday The A An This That
		These Those Then Now Next Last Early Late Midnight Noon Tonight Today Tomorrow Yesterday Far
		Contrast Comparison Law Day Night Year Month Week Mid Late Then Doing Using Making Taking`) {
		notNames[w] = true
	}
}

// copyrightHolder returns the holder named by a copyright line: "© 2025 Newsmax. All rights
// reserved." gives "Newsmax".
func copyrightHolder(s string) string {
	m := copyrightRe.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	h := strings.TrimSpace(strings.TrimRight(m[1], ".,; "))
	if h == "" || len(h) > 80 || strings.EqualFold(h, "all rights reserved") {
		return ""
	}
	return h
}

// spacedDash reports whether the dash that ends a dateline has a space before it ("KABUL — The",
// not "YEAR TO END-March").
func spacedDash(matched string) bool {
	t := strings.TrimRight(matched, "-—–")
	return strings.HasSuffix(t, " ") || strings.HasSuffix(t, ",")
}

// capitalAfter reports whether s starts with a capital letter, a digit or an opening quotation mark.
func capitalAfter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '“' || r == '\''
}

// dateline recognises the opening of a wire story in text[start:end]: a place in capitals, an
// optional date and an optional agency in parentheses, ended by a dash ("KABUL, July 15 (Reuters)
// -", "WASHINGTON (AP) —", "(CNN)"). A place alone needs the dash, and an agency alone its
// parentheses.
func dateline(text string, start, end int) *newsgraph.Dateline {
	s := text[start:end]
	m := datelineRe.FindStringSubmatchIndex(s)
	if m == nil || m[1] == 0 {
		return nil
	}
	get := func(k int) string {
		if m[2*k] < 0 {
			return ""
		}
		return s[m[2*k]:m[2*k+1]]
	}
	place, date, agency := get(1), get(2), get(3)
	matched := strings.TrimSpace(s[:m[1]])
	dash := strings.HasSuffix(matched, "-") || strings.HasSuffix(matched, "—") || strings.HasSuffix(matched, "–")
	if agency != "" && !agencies[agency] {
		return nil // "(Updated)", "(Refiles to fix typo)": not a wire tag
	}
	switch {
	case agency != "":
	case place != "" && dash && date != "":
	case place != "" && dash && utf8.RuneCountInString(place) >= 3 && spacedDash(matched) && capitalAfter(s[m[1]:]):
		// A place in capitals and a dash alone is a dateline only when a sentence follows it:
		// "KABUL — The Taliban", not "ISIS - the group".
	default:
		return nil
	}
	return &newsgraph.Dateline{Start: start, End: start + len(matched), Place: place, Date: date, Agency: agency}
}
