// Package uni holds the character classes that clean-up, the tokenizer and the splitter share, and
// the word-shape class the entity tagger and the POS tagger share.
package uni

import (
	"unicode"
	"unicode/utf8"
)

// Space reports whether r separates tokens: ASCII and Unicode white space (NBSP, thin and narrow
// spaces, line and paragraph separators) and the zero-width space.
func Space(r rune) bool {
	if r <= ' ' {
		return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r == '\v'
	}
	return r >= 0x85 && (r == 0x200B || unicode.IsSpace(r))
}

// Ignorable reports whether r is an invisible format character that belongs to no token when it
// stands at a token's edge (zero-width joiners, word joiner, BOM, soft hyphen, direction marks).
// Inside a word it stays part of the word, so "Tali\u00ADban" is one token.
func Ignorable(r rune) bool {
	switch r {
	case 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x200E, 0x200F:
		return true
	}
	return false
}

// Blank reports whether r is white space or ignorable.
func Blank(r rune) bool { return Space(r) || Ignorable(r) }

// ShapeClass is r's letter in a word shape: X upper case, x lower case, d digit, an ASCII
// character itself, * anything else.
func ShapeClass(r rune) byte {
	switch {
	case unicode.IsUpper(r):
		return 'X'
	case unicode.IsLower(r):
		return 'x'
	case unicode.IsDigit(r):
		return 'd'
	case r < utf8.RuneSelf:
		return byte(r)
	}
	return '*'
}

// TrimSpan narrows [i, j) of s past blank runes at both ends.
func TrimSpan(s string, i, j int) (int, int) {
	for i < j {
		r, n := utf8.DecodeRuneInString(s[i:j])
		if !Blank(r) {
			break
		}
		i += n
	}
	for j > i {
		r, n := utf8.DecodeLastRuneInString(s[i:j])
		if !Blank(r) {
			break
		}
		j -= n
	}
	return i, j
}
