// Package tokenize splits news English into tokens: words, abbreviations that keep their period,
// numbers with their currency and unit (3.5%, $1.2bn, 9/11, 1,000), clitics ('s, n't), quotation
// marks paired across paragraphs, ellipses (spaced or not), dashes, URLs, e-mail addresses, handles
// and hashtags. Tokens are byte spans of the Doc's text; the text is never changed.
package tokenize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph"
)

// Token labels.
const (
	Word       = "word"
	Abbr       = "abbr" // a word that keeps its final period: Mr., U.S., Inc., E.
	Num        = "num"
	Punct      = "punct"
	Ellipsis   = "ellipsis" // ..., …, . . .
	Dash       = "dash"
	Bullet     = "bullet"
	Symbol     = "symbol"
	URL        = "url"
	Email      = "email"
	Handle     = "handle"  // @newsgraph
	Hashtag    = "hashtag" // #news
	QuoteOpen  = "quote-open"
	QuoteClose = "quote-close"
	Apostrophe = "apostrophe" // a mark that is not a quotation mark: the teams’ coach, ’90s
	Quote      = "quote"      // a quotation mark left unpaired
)

// Append tokenizes text[start:end] and appends the tokens to dst. Quotation marks get the label
// Quote; Pair decides which open, which close and which are apostrophes.
func Append(dst []newsgraph.Span, text string, start, end int) []newsgraph.Span {
	first := len(dst)
	i := start
	for i < end {
		if c := text[i]; c < utf8.RuneSelf {
			if asciiSpace[c] {
				i++
				continue
			}
		} else if r, n := decodeAt(text, i); isSpace(r) {
			i += n
			continue
		}
		j := i + 1
		for j < end {
			c := text[j]
			if c < utf8.RuneSelf {
				if asciiSpace[c] {
					break
				}
				j++
				continue
			}
			r, n := decodeAt(text, j)
			if isSpace(r) {
				break
			}
			j += n
		}
		dst = chunk(dst, text, i, j, nextIsDigit(text, j, end))
		i = j
	}
	return mergeEllipses(trimIgnorable(dst, first, text), first, text)
}

// trimIgnorable narrows tokens from first on past invisible format characters at their edges
// (left there when a chunk is split inside, as in "\"\u00ad0"), dropping tokens left empty.
func trimIgnorable(toks []newsgraph.Span, first int, text string) []newsgraph.Span {
	out := first
	for k := first; k < len(toks); k++ {
		t := toks[k]
		trimmed := false
		for t.Start < t.End && text[t.Start] >= utf8.RuneSelf {
			r, n := decodeAt(text, t.Start)
			if !isIgnorable(r) {
				break
			}
			t.Start += n
			trimmed = true
		}
		for t.End > t.Start && text[t.End-1] >= utf8.RuneSelf {
			r, n := lastRune(text[t.Start:t.End])
			if !isIgnorable(r) {
				break
			}
			t.End -= n
			trimmed = true
		}
		if t.Start == t.End {
			continue
		}
		if trimmed || out != k {
			toks[out] = t
		}
		out++
	}
	return toks[:out]
}

func decodeAt(text string, i int) (rune, int) { return firstRune(text[i:]) }

// asciiSpace marks the ASCII white-space bytes.
var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\t': true, '\n': true, '\r': true, '\f': true, '\v': true}

func nextIsDigit(text string, j, end int) bool {
	for j < end {
		r, n := decodeAt(text, j)
		if !isSpace(r) {
			return isDigit(r)
		}
		j += n
	}
	return false
}

// chunk tokenizes one white-space-delimited chunk text[i:j].
func chunk(dst []newsgraph.Span, text string, i, j int, nextDigit bool) []newsgraph.Span {
	// Fast path: a plain ASCII word or number with no punctuation at all.
	if plainASCII(text[i:j]) {
		return append(dst, newsgraph.Span{Start: i, End: j, Label: classify(text[i:j])})
	}
	// Prefixes: opening brackets, quotes, bullets, dashes.
	for i < j {
		r, n := decodeAt(text, i)
		if i+n == j || !isOpenPunct(r) {
			break
		}
		if r == '-' || r == '—' || r == '–' {
			k := i + n
			for k < j && (text[k] == '-') {
				k++
			}
			if r == '-' && k == i+n { // a single hyphen: a negative number or a word; keep
				break
			}
			dst = append(dst, newsgraph.Span{Start: i, End: k, Label: Dash})
			i = k
			continue
		}
		dst = append(dst, newsgraph.Span{Start: i, End: i + n, Label: classifyRune(r)})
		i += n
	}
	// A URL runs to the end of the chunk, less trailing punctuation.
	if u := urlEnd(text, i, j); u > i {
		dst = append(dst, newsgraph.Span{Start: i, End: u, Label: URL})
		i = u
		if i >= j {
			return dst
		}
	}
	// Suffixes, peeled from the right onto a small stack.
	var stack [8]newsgraph.Span
	ns := 0
	push := func(s newsgraph.Span) bool {
		if ns == len(stack) {
			return false
		}
		stack[ns] = s
		ns++
		return true
	}
	k := j
	for k > i && ns < len(stack) {
		core := text[i:k]
		r, n := lastRune(core)
		if r == '.' {
			dots := 0
			for dots < len(core) && core[len(core)-1-dots] == '.' {
				dots++
			}
			if dots >= 2 {
				if dots == len(core) {
					break
				}
				push(newsgraph.Span{Start: k - dots, End: k, Label: Ellipsis})
				k -= dots
				continue
			}
			if len(core) == 1 {
				break
			}
			if strings.IndexByte(core, '@') >= 0 && k == j {
				push(newsgraph.Span{Start: k - 1, End: k, Label: Punct})
				k--
				continue
			}
			if Abbrev(core, nextDigit && k == j) != NotAbbrev {
				break
			}
			push(newsgraph.Span{Start: k - 1, End: k, Label: Punct})
			k--
			continue
		}
		if r == '…' {
			if n == len(core) {
				break
			}
			push(newsgraph.Span{Start: k - n, End: k, Label: Ellipsis})
			k -= n
			continue
		}
		if c := cliticLen(core); c > 0 {
			push(newsgraph.Span{Start: k - c, End: k, Label: Word})
			k -= c
			continue
		}
		if isClosePunct(r) && n < len(core) {
			if r == '-' || r == '—' || r == '–' {
				d := k - n
				for d > i && text[d-1] == '-' {
					d--
				}
				push(newsgraph.Span{Start: d, End: k, Label: Dash})
				k = d
				continue
			}
			push(newsgraph.Span{Start: k - n, End: k, Label: classifyRune(r)})
			k -= n
			continue
		}
		break
	}
	if k > i {
		dst = infix(dst, text, i, k)
	}
	for ns > 0 {
		ns--
		dst = append(dst, stack[ns])
	}
	return dst
}

// plainASCII reports whether s is ASCII letters and digits only.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// clitics are the endings split from a word: they and what precedes them are separate tokens, as in
// the Penn Treebank and CoNLL ("is n't", "Taliban 's").
var clitics = []string{"n't", "n’t", "'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m"}

// cliticLen returns the length of a clitic ending core, or 0. The clitic must follow a letter (or
// the period of "Jr.'s"), and "n't" a letter too.
func cliticLen(core string) int {
	// Fast reject: every clitic has an apostrophe among the last six bytes.
	tail := core
	if len(tail) > 6 {
		tail = tail[len(tail)-6:]
	}
	if strings.IndexByte(tail, '\'') < 0 && !strings.Contains(tail, "’") {
		return 0
	}
	for _, c := range clitics {
		k := len(c)
		if len(core) > k && strings.EqualFold(core[len(core)-k:], c) {
			before, _ := lastRune(core[:len(core)-k])
			if isLetter(before) || before == '.' && c[0] != 'n' {
				return k
			}
		}
	}
	return 0
}

// urlEnd returns the end of a URL starting at i, without trailing punctuation, or i if none starts.
// A closing parenthesis stays when the URL opened one ("…/Mercury_(planet)").
func urlEnd(text string, i, j int) int {
	s := text[i:j]
	if !(hasPrefixFold(s, "http://") || hasPrefixFold(s, "https://") || hasPrefixFold(s, "www.")) {
		return i
	}
	open, closed := strings.Count(s, "("), strings.Count(s, ")")
	k := j
	for k > i {
		r, n := lastRune(text[i:k])
		if r == ')' && closed <= open {
			break
		}
		if !strings.ContainsRune(".,;:!?)]}\"'”’»", r) {
			break
		}
		if r == ')' {
			closed--
		}
		k -= n
	}
	if k-i <= 7 {
		return i
	}
	return k
}

func hasPrefixFold(s, p string) bool { return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) }

// infix splits the core of a chunk at dashes, ellipses, inner quotes and commas, and a period
// glued between two sentences ("end.The"), then classifies each piece.
func infix(dst []newsgraph.Span, text string, i, j int) []newsgraph.Span {
	s := text[i:j]
	if !needsInfix(s) || strings.IndexByte(s, '@') >= 0 || strings.Contains(s, "://") {
		return append(dst, newsgraph.Span{Start: i, End: j, Label: classify(s)})
	}
	start := i
	emit := func(a, b int, label string) {
		if start < a {
			dst = append(dst, newsgraph.Span{Start: start, End: a, Label: classify(text[start:a])})
		}
		dst = append(dst, newsgraph.Span{Start: a, End: b, Label: label})
		start = b
	}
	prev := rune(0)
	for k := i; k < j; {
		r, n := decodeAt(text, k)
		next, _ := firstRune(text[k+n : j])
		switch {
		case r == '—' || r == '―':
			emit(k, k+n, Dash)
		case r == '-' && next == '-':
			e := k
			for e < j && text[e] == '-' {
				e++
			}
			emit(k, e, Dash)
			n = e - k
		case r == '–' && !(isDigit(prev) && isDigit(next)):
			emit(k, k+n, Dash)
		case r == '…':
			emit(k, k+n, Ellipsis)
		case r == '.' && next == '.':
			e := k
			for e < j && text[e] == '.' {
				e++
			}
			emit(k, e, Ellipsis)
			n = e - k
		case r == '"' || r == '“' || r == '”' || r == '‘' || r == '«' || r == '»':
			emit(k, k+n, Quote)
		case (r == '\'' || r == '’') && !(isAlnum(prev) && isAlnum(next)):
			if k > start || k+n < j {
				emit(k, k+n, Quote)
			}
		case (r == ',' || r == ';' || r == ':') && !(isDigit(prev) && isDigit(next)) && k > i && k+n < j:
			emit(k, k+n, Punct)
		case r == '.' && unicode.IsLower(prev) && unicode.IsUpper(next) && k-start >= 2 && lowerAfter(text, k+n+1, j):
			emit(k, k+n, Punct)
		}
		prev = r
		k += n
	}
	if start < j {
		dst = append(dst, newsgraph.Span{Start: start, End: j, Label: classify(text[start:j])})
	}
	return dst
}

// lowerAfter reports whether text[k:j] starts with a lower-case letter (the "he" of "end.The").
func lowerAfter(text string, k, j int) bool {
	if k >= j {
		return false
	}
	r, _ := decodeAt(text, k)
	return unicode.IsLower(r)
}

func needsInfix(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '-', ',', ';', ':', '.', '"', '\'', 0xE2, 0xC2:
			return true
		}
	}
	return false
}

// classify labels a token text that has no prefix or suffix punctuation left.
func classify(s string) string {
	r, n := firstRune(s)
	if n == len(s) {
		return classifyRune(r)
	}
	switch {
	case isDigit(r):
		return Num
	case len(s) > n && isDigit(rune(s[n])) && (isCurrency(r) || r == '+' || r == '-' || r == '−'):
		return Num
	case r == '@' && isAlnum(rune(s[n])):
		if strings.IndexByte(s[n:], '@') < 0 {
			return Handle
		}
	case r == '#' && isLetter(rune(s[n])):
		return Hashtag
	case r == '.' || r == '…':
		if only(s, '.') || only(s, '…') {
			return Ellipsis
		}
	case r == '-':
		if only(s, '-') {
			return Dash
		}
	}
	if at := strings.IndexByte(s, '@'); at > 0 && strings.IndexByte(s[at:], '.') > 0 {
		return Email
	}
	if s[len(s)-1] == '.' {
		return Abbr
	}
	punct := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return Word
		}
		punct = punct && unicode.IsPunct(r)
	}
	if punct {
		return Punct
	}
	return Symbol
}

// only reports whether s consists of r alone, repeated.
func only(s string, r rune) bool {
	for _, c := range s {
		if c != r {
			return false
		}
	}
	return true
}

func classifyRune(r rune) string {
	switch {
	case isLetter(r) || unicode.IsLetter(r):
		return Word
	case isDigit(r) || unicode.IsDigit(r):
		return Num
	case IsQuote(r):
		return Quote
	case isDash(r):
		return Dash
	case r == '…':
		return Ellipsis
	case r == '•' || r == '⁃' || r == '▪' || r == '‣' || r == '·':
		return Bullet
	case unicode.IsPunct(r):
		return Punct
	}
	return Symbol
}

// mergeEllipses joins runs of periods separated by single spaces (". . .") into one Ellipsis token.
// A period glued to the word before it stays a period ("compounds. . . ." is a period and an
// ellipsis), and fewer than three dots are left alone.
func mergeEllipses(toks []newsgraph.Span, first int, text string) []newsgraph.Span {
	out := first
	for k := first; k < len(toks); {
		t := toks[k]
		if isDotTok(text, t) && !(k > first && toks[k-1].End == t.Start && !isDotTok(text, toks[k-1])) {
			e := k + 1
			dots := t.End - t.Start
			for e < len(toks) && isDotTok(text, toks[e]) && gapIsSpace(text, toks[e-1].End, toks[e].Start) {
				dots += toks[e].End - toks[e].Start
				e++
			}
			if dots >= 3 && e-k > 1 {
				toks[out] = newsgraph.Span{Start: t.Start, End: toks[e-1].End, Label: Ellipsis}
				out++
				k = e
				continue
			}
		}
		if out != k {
			toks[out] = t
		}
		out++
		k++
	}
	return toks[:out]
}

func isDotTok(text string, t newsgraph.Span) bool {
	return (t.Label == Punct || t.Label == Ellipsis) && only(text[t.Start:t.End], '.')
}

func gapIsSpace(text string, a, b int) bool { return b-a <= 1 && (a == b || text[a] == ' ') }
