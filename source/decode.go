// Package source turns inputs (files, directories, standard input, JSON Lines records) into article
// text plus metadata: it decodes bytes to UTF-8, refuses binary or oversized input with an error
// naming the input and the reason, and never stops a run for one bad input.
package source

import (
	"bytes"
	"strings"
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
// signature, not text). Text that is not valid UTF-8 but reads as Windows-1252 / Latin-1 has its
// invalid bytes decoded from that encoding, and Encoding says so; the caller should warn. Valid
// UTF-8 sequences in the same input are kept as they are, so a UTF-8 file with one stray Latin-1
// "£" keeps its curly quotes. Binary data (a NUL byte anywhere, or mostly control characters) gives
// newsgraph.ErrBinary; a byte that Windows-1252 leaves undefined gives newsgraph.ErrNotUTF8.
func Decode(b []byte) (Decoded, error) {
	var d Decoded
	b, d.BOM = stripBOM(b)
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
	var out strings.Builder
	out.Grow(len(b) + len(b)/8)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			if undefined1252(b[i]) { // not that encoding either
				return Decoded{BOM: d.BOM}, newsgraph.ErrNotUTF8
			}
			out.WriteRune(charmap.Windows1252.DecodeByte(b[i]))
		} else {
			out.Write(b[i : i+n])
		}
		i += n
	}
	d.Text = out.String()
	d.Encoding = "windows-1252"
	return d, nil
}

// undefined1252 reports whether Windows-1252 leaves byte c undefined.
func undefined1252(c byte) bool {
	return c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D
}

// stripBOM removes a UTF-8 byte-order mark and says whether there was one.
func stripBOM(b []byte) ([]byte, bool) {
	if bytes.HasPrefix(b, utf8BOM) {
		return b[len(utf8BOM):], true
	}
	return b, false
}

var utf8BOM = []byte("\xEF\xBB\xBF")

var errUTF16 = &decodeError{"UTF-16 text (a UTF-16 byte-order mark); convert it to UTF-8"}

type decodeError struct{ msg string }

func (e *decodeError) Error() string { return e.msg }
func (e *decodeError) Unwrap() error { return newsgraph.ErrNotUTF8 }

// looksBinary reports whether b is binary data: a NUL byte anywhere, or more than 10% control
// characters (other than tab, newline, carriage return and form feed) in its first sniffLen bytes.
func looksBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	if len(b) > sniffLen {
		b = b[:sniffLen]
	}
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			ctl++
		}
	}
	return len(b) > 0 && ctl*10 > len(b)
}
