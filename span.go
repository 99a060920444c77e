package newsgraph

import "unicode/utf8"

// Span is a half-open byte range [Start, End) of a Doc's text with a label and, where relations need
// it, an ID. Invariant (checked by Doc.SetLayer): both ends sit on UTF-8 boundaries of the text.
type Span struct {
	Start, End int
	// Label is the span's kind within its layer: a token's class ("word", "quote", ...), a
	// paragraph's role ("title", "body", ...), a boilerplate kind ("copyright", ...).
	Label string
	// ID names the span for relations between layers; empty where none refer to it.
	ID string
	// Attrs are further facts about the span, in a fixed order, where a layer needs them: an
	// entity's cluster and the outlet it names. Most spans have none.
	Attrs []Attr
}

// Attr is a named value of a span.
type Attr struct {
	Key, Value string
}

// Attr returns the value of the span's attribute key, or "".
func (s Span) Attr(key string) string {
	for _, a := range s.Attrs {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// Contains reports whether o lies within s.
func (s Span) Contains(o Span) bool { return o.Start >= s.Start && o.End <= s.End }

// OffsetMap converts byte offsets of one text to Unicode code-point offsets, which the JSON output
// uses (as spaCy and brat do). It is built once per document; for ASCII text it is the identity and
// allocates nothing.
type OffsetMap struct {
	ascii bool
	// cp[i] is the code-point offset of byte i, for i in [0, len(text)].
	cp []int32
}

// NewOffsetMap builds the conversion table for text.
func NewOffsetMap(text string) *OffsetMap {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return &OffsetMap{ascii: true}
	}
	cp := make([]int32, len(text)+1)
	n := int32(0)
	for i := 0; i < len(text); {
		_, size := utf8.DecodeRuneInString(text[i:])
		for k := 0; k < size; k++ {
			cp[i+k] = n
		}
		i += size
		n++
	}
	cp[len(text)] = n
	return &OffsetMap{cp: cp}
}

// CodePoint returns the code-point offset of byte offset b.
func (m *OffsetMap) CodePoint(b int) int {
	if m.ascii {
		return b
	}
	return int(m.cp[b])
}
