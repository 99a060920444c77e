package newsgraph

import (
	"errors"
	"fmt"
)

// Sentinel errors. Test for them with errors.Is; InputError wraps them with the input's name.
var (
	ErrNotUTF8  = errors.New("not UTF-8 text and not a recognisable legacy encoding")
	ErrBinary   = errors.New("binary data, not text")
	ErrTooLarge = errors.New("input exceeds the size limit")
	ErrEmpty    = errors.New("no text")
	ErrBadJSON  = errors.New("malformed JSON record")
)

// InputError is a problem with one input: a file, a record of a JSON Lines file, or a URL.
type InputError struct {
	Op     string // what was being done: "read", "decode", "parse"
	Input  string // file path, "-" for standard input, or URL
	Record int    // 1-based record number within the input, or 0
	Offset int    // byte offset of the problem within the input, or -1
	Err    error
}

func (e *InputError) Error() string {
	where := InputName(e.Input, e.Record)
	if e.Offset >= 0 {
		where = fmt.Sprintf("%s: byte %d", where, e.Offset)
	}
	return fmt.Sprintf("%s: %s: %v", where, e.Op, e.Err)
}

func (e *InputError) Unwrap() error { return e.Err }

// InputName names an input for people: its path, "standard input" for "-", and the record number
// within a JSON Lines input when there is one.
func InputName(path string, record int) string {
	if path == "-" {
		path = "standard input"
	}
	if record > 0 {
		return fmt.Sprintf("%s: record %d", path, record)
	}
	return path
}
