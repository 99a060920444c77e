package ner

// Chunk is an entity in IOB tags: its type and token range [Start, End) within a sentence.
type Chunk struct {
	Type       string
	Start, End int
}

// Chunks reads entities from IOB tags as conlleval does: a chunk starts at B-X, or at I-X after a
// tag of another type or O (so IOB1 and IOB2 both read), and runs while I-X follows.
func Chunks(tags []string) []Chunk {
	var out []Chunk
	cur := -1
	for i, t := range tags {
		pfx, typ := split(t)
		if cur >= 0 && (pfx != "I" || typ != out[cur].Type) {
			out[cur].End = i
			cur = -1
		}
		if cur < 0 && (pfx == "B" || pfx == "I") {
			out = append(out, Chunk{Type: typ, Start: i})
			cur = len(out) - 1
		}
	}
	if cur >= 0 {
		out[cur].End = len(tags)
	}
	return out
}

func split(t string) (string, string) {
	if len(t) > 2 && t[1] == '-' {
		return t[:1], t[2:]
	}
	return t, ""
}
