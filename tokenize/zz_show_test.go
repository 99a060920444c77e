package tokenize

import (
	"fmt"
	"github.com/newsgraph/newsgraph"
	"os"
	"testing"
)

func TestShow(t *testing.T) {
	s := os.Getenv("S")
	toks := Append(nil, s, 0, len(s))
	Pair(s, toks, []newsgraph.Span{{Start: 0, End: len(s)}})
	for _, k := range toks {
		fmt.Printf("%q/%s%s ", s[k.Start:k.End], k.Label, k.ID)
	}
	fmt.Println()
}
