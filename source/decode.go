// Package source turns inputs (files, directories, standard input, JSON Lines records) into article
// text plus metadata: it decodes bytes to UTF-8, refuses binary or oversized input with an error
// naming the input and the reason, and never stops a run for one bad input.
package source

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/newsgraph/newsgraph"
)

// Decoded is the result of decoding one input's bytes.
type Decoded struct {
	Text     string
	Encoding string // "" for UTF-8 (with or without a byte-order mark), else "windows-1252"
	BOM      bool   // a UTF-8 byte-order mark was removed
}

// sniffLen is how much of an input is inspected for binary content.
const sniffLen = 8192

// Decode turns raw bytes into UTF-8 text. A UTF-8 byte-order mark is removed (it is an encoding
// signature, not text). Text that is not valid UTF-8 but reads as Windows-1252 / Latin-1 (no NUL
// bytes, few control characters) is decoded from that encoding and Encoding says so; the caller
// should warn. Binary data gives newsgraph.ErrBinary and other invalid bytes newsgraph.ErrNotUTF8.
func Decode(b []byte) (Decoded, error) {
	var d Decoded
	if bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		b = b[3:]
		d.BOM = true
	}
	if bytes.HasPrefix(b, []byte("\xFF\xFE")) || bytes.HasPrefix(b, []byte("\xFE\xFF")) {
		// UTF-16 text: we could decode it, but news inputs are UTF-8; say so clearly.
		return d, errUTF16
	}
	if looksBinary(b) {
		return d, newsgraph.ErrBinary
	}
	if utf8.Valid(b) {
		d.Text = string(b)
		return d, nil
	}
	// Not UTF-8. Windows-1252 is a superset of Latin-1's printable range; the five bytes it leaves
	// undefined (0x81 0x8D 0x8F 0x90 0x9D) are rare in text, so their presence means "not 1252".
	for _, c := range b {
		switch c {
		case 0x81, 0x8D, 0x8F, 0x90, 0x9D:
			return d, newsgraph.ErrNotUTF8
		}
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return d, newsgraph.ErrNotUTF8
	}
	d.Text = string(s)
	d.Encoding = "windows-1252"
	return d, nil
}

var errUTF16 = &decodeError{"UTF-16 text (a UTF-16 byte-order mark); convert it to UTF-8"}

type decodeError struct{ msg string }

func (e *decodeError) Error() string { return e.msg }
func (e *decodeError) Unwrap() error { return newsgraph.ErrNotUTF8 }

// looksBinary reports whether the start of b is binary data: a NUL byte, or more than 10% control
// characters other than tab, newline, carriage return and form feed.
func looksBinary(b []byte) bool {
	if len(b) > sniffLen {
		b = b[:sniffLen]
	}
	ctl := 0
	for _, c := range b {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			ctl++
		}
	}
	return len(b) > 0 && ctl*10 > len(b)
}
