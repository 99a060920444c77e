package tokenize

import (
	"github.com/newsgraph/newsgraph/internal/uni"
	"unicode"
	"unicode/utf8"
)

func isSpace(r rune) bool     { return uni.Space(r) }
func isIgnorable(r rune) bool { return uni.Ignorable(r) }

func isOpenPunct(r rune) bool {
	switch r {
	case '(', '[', '{', '"', '\'', '“', '‘', '«', '‹', '„', '‚', '¿', '¡', '•', '⁃', '▪', '‣', '·', '*', '—', '–', '―':
		return true
	}
	return false
}

func isClosePunct(r rune) bool {
	switch r {
	case ')', ']', '}', '"', '\'', '”', '’', '»', '›', ',', ';', ':', '!', '?', '—', '–', '―', '*':
		return true
	}
	return false
}

// IsQuote reports whether r is a quotation mark (straight or typographic, double or single).
func IsQuote(r rune) bool {
	switch r {
	case '"', '\'', '“', '”', '‘', '’', '«', '»', '‹', '›', '„', '‚', '‟', '‛':
		return true
	}
	return false
}

func isDash(r rune) bool { return r == '—' || r == '–' || r == '―' || r == '-' }

func isCurrency(r rune) bool {
	return r == '$' || r == '£' || r == '€' || r == '¥' || r == '₹' || r == '₩' || unicode.Is(unicode.Sc, r)
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return (r|0x20) >= 'a' && (r|0x20) <= 'z'
	}
	return unicode.IsLetter(r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isAlnum(r rune) bool {
	return isDigit(r) || isLetter(r) || (r >= utf8.RuneSelf && unicode.IsDigit(r))
}

func firstRune(s string) (rune, int) {
	if s == "" {
		return utf8.RuneError, 0
	}
	if s[0] < utf8.RuneSelf {
		return rune(s[0]), 1
	}
	return utf8.DecodeRuneInString(s)
}

func lastRune(s string) (rune, int) {
	if s == "" {
		return utf8.RuneError, 0
	}
	if s[len(s)-1] < utf8.RuneSelf {
		return rune(s[len(s)-1]), 1
	}
	return utf8.DecodeLastRuneInString(s)
}
